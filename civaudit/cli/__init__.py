"""The command line: a thin click layer over the library.

This is the only place that turns errors into exit codes: 0 ran clean, 1 findings
at or above --fail-on, 2 could not audit (one line on stderr naming the file and
what to do), 3 an internal error (a bug; --debug shows the traceback).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from typing import NoReturn

import click

from civaudit.cli.console import EscapingStream, escape_controls, prepare_streams, say
from civaudit.cli.localize import language_in, localize
from civaudit.errors import CivauditError
from civaudit.i18n import LANGUAGES, default_language, set_language, t
from civaudit.i18n.errors import error_text
from civaudit.version import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE, EXIT_BUG = 0, 1, 2, 3

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=None,
    is_eager=True,  # before -h, so the help is in that language
    callback=lambda ctx, param, value: set_language(value) or value if value else value,
    help="Language of messages and reports (default: from the locale).",
)
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")
@click.version_option(__version__, "--version", prog_name="civaudit")
@click.pass_context
def cli(ctx: click.Context, lang: str | None, debug: bool) -> None:
    """Audit rural minimum-subsistence (农村低保) rosters.

    \b
    Example:
      civaudit inspect sample_data/
    """
    set_language(lang or language_in(sys.argv[1:]) or default_language())
    ctx.obj = {"debug": debug}


def _register() -> None:
    from civaudit.cli.assess import assess
    from civaudit.cli.audit import audit
    from civaudit.cli.diff import diff
    from civaudit.cli.inspect import inspect
    from civaudit.cli.policy import policy
    from civaudit.cli.rules import rules
    from civaudit.cli.sample import sample

    for command in (inspect, assess, audit, rules, policy, sample, diff):
        cli.add_command(command)


_register()
localize(cli)


EXIT_INTERRUPTED = 130
"""Ctrl-C (SIGINT), whenever it arrives: the shell's code for a process stopped by
SIGINT (128 + 2). An output file is whole or absent (written to a temporary file and
renamed), never half written."""


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and map every outcome to a documented exit code."""
    prepare_streams()
    args = argv if argv is not None else sys.argv[1:]
    set_language(language_in(args) or default_language())  # for help and early errors
    debug = "--debug" in args
    try:
        code = cli.main(args=argv, prog_name="civaudit", standalone_mode=False)
    except KeyboardInterrupt:
        _interrupted()
    except CivauditError as exc:
        _refuse(error_text(str(exc)))
    except click.exceptions.Abort as exc:
        if isinstance(exc.__context__, KeyboardInterrupt):  # click's name for Ctrl-C
            _interrupted()
        _refuse(t("error.aborted"))
    except click.ClickException as exc:
        exc.show(file=EscapingStream(sys.stderr))
        sys.exit(EXIT_UNUSABLE)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:
        if debug:
            raise
        internal = t("error.internal", error=f"{type(exc).__name__}: {exc}")
        say(f"civaudit: {escape_controls(internal, newlines=False)}")
        sys.exit(EXIT_BUG)
    sys.exit(code or EXIT_OK)


def _refuse(message: str) -> NoReturn:
    """The one line of a refusal (exit 2): control characters from the input escaped,
    line breaks too, so it stays one line."""
    say(f"civaudit: {escape_controls(message, newlines=False)}")
    sys.exit(EXIT_UNUSABLE)


def _interrupted() -> NoReturn:
    with contextlib.suppress(Exception):
        say(f"civaudit: {t('error.interrupted')}")
    sys.exit(EXIT_INTERRUPTED)


def run() -> NoReturn:
    """The ``civaudit`` console script (and ``python -m civaudit``): ``main`` with the
    exit code after Ctrl-C the documented one (130) whatever the timing, also once
    the report is written, while Python shuts down (atexit, worker pools, flushing),
    or a second Ctrl-C during the first one's cleanup."""
    signal.signal(signal.SIGINT, _interrupt_handler)
    try:
        main()
        code: object = EXIT_OK
    except SystemExit as exc:
        code = exc.code
    except KeyboardInterrupt:  # outside main's own handling (its error line, say)
        code = EXIT_INTERRUPTED
    if _signalled:
        code = EXIT_INTERRUPTED
    # From here on nothing is left to stop: a SIGINT ends the process with 130 at once.
    signal.signal(signal.SIGINT, _exit_interrupted)
    if _signalled:
        _exit_interrupted()
    raise SystemExit(code)


_signalled = False


def _interrupt_handler(signum: int, frame: object) -> None:
    """First Ctrl-C: stop the work (KeyboardInterrupt); a second one while the first
    is being handled ends the process with 130 at once."""
    global _signalled
    if _signalled:
        _exit_interrupted()
    _signalled = True
    raise KeyboardInterrupt


def _exit_interrupted(*_: object) -> NoReturn:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(EXIT_INTERRUPTED)
