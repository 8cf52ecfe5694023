"""The command line: a thin click layer over the library.

This is the only place that turns errors into exit codes: 0 ran clean, 1 findings
at or above --fail-on, 2 could not audit (one line on stderr naming the file and
what to do), 3 an internal error (a bug; --debug shows the traceback).
"""

from __future__ import annotations

import sys

import click

from civaudit.cli.console import prepare_streams
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


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and map every outcome to a documented exit code."""
    prepare_streams()
    args = argv if argv is not None else sys.argv[1:]
    set_language(language_in(args) or default_language())  # for help and early errors
    debug = "--debug" in args
    try:
        code = cli.main(args=argv, prog_name="civaudit", standalone_mode=False)
    except CivauditError as exc:
        click.echo(f"civaudit: {error_text(str(exc))}", err=True)
        sys.exit(EXIT_UNUSABLE)
    except click.exceptions.Abort:
        click.echo(f"civaudit: {t('error.aborted')}", err=True)
        sys.exit(EXIT_UNUSABLE)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_UNUSABLE)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:
        if debug:
            raise
        click.echo(
            f"civaudit: {t('error.internal', error=f'{type(exc).__name__}: {exc}')}", err=True
        )
        sys.exit(EXIT_BUG)
    sys.exit(code or EXIT_OK)
