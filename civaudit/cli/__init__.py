"""The command line: a thin click layer over the library.

This is the only place that turns errors into exit codes: 0 ran clean, 1 findings
at or above --fail-on, 2 could not audit (one line on stderr naming the file and
what to do), 3 an internal error (a bug; --debug shows the traceback).
"""

from __future__ import annotations

import atexit
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
    global _finished
    _finished = False
    try:
        _main(argv)
    finally:  # still inside run()'s try: a Ctrl-C before this line is a KeyboardInterrupt
        _finished = True  # after it, run()'s handler exits 130 at once


def _main(argv: list[str] | None) -> None:
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
    """The ``civaudit`` console script (through ``civaudit_launcher``) and ``python -m
    civaudit``: ``main`` with the exit code after Ctrl-C the documented one (130)
    whatever the timing: while reading and checking (a KeyboardInterrupt, caught by
    ``main``), once the report is written, while Python shuts down, or a second
    Ctrl-C during the first one's cleanup.

    The work ends inside ``main`` (``_finished``); from then on a SIGINT ends the
    process with 130 at once, and the end itself is ``os._exit`` after the atexit
    functions and a flush, so no moment remains where Python's finalization (which
    restores the default handler) could let the signal kill the process instead."""
    signal.signal(signal.SIGINT, _interrupt_handler)
    code: object = EXIT_INTERRUPTED
    try:
        try:
            main()
            code = EXIT_OK
        except SystemExit as exc:
            code = exc.code
    except KeyboardInterrupt:  # outside main's own handling (its error line, say)
        code = EXIT_INTERRUPTED
    _leave(code)


_signalled = False
_finished = False


def _interrupt_handler(signum: int, frame: object) -> None:
    """A Ctrl-C while civaudit works stops the work (KeyboardInterrupt); one after
    the work is done, or a second one, ends the process with 130 at once."""
    global _signalled
    if _signalled or _finished:
        _exit_interrupted()
    _signalled = True
    raise KeyboardInterrupt


def _leave(code: object) -> NoReturn:
    """Exit with ``code`` (130 if a Ctrl-C came), Python's exit functions run first."""
    global _finished, _signalled
    _finished = True
    if code is None:
        status = EXIT_OK
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("text"): Python prints it and exits 1
        with contextlib.suppress(Exception):
            print(code, file=sys.stderr)
        status = 1
    with contextlib.suppress(Exception):
        atexit._run_exitfuncs()  # worker pools, temporary folders
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    if hasattr(signal, "pthread_sigmask"):  # a SIGINT from here on waits in the kernel
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        _checkpoint()  # one delivered before the block runs its handler here: 130
        if signal.SIGINT in signal.sigpending():
            _signalled = True
    os._exit(EXIT_INTERRUPTED if _signalled else status)


def _checkpoint() -> None:
    """A Python call: the interpreter runs pending signal handlers on entering it."""


def _exit_interrupted(*_: object) -> NoReturn:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(EXIT_INTERRUPTED)
