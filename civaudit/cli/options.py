"""Option bundles shared by commands, as decorators."""

from __future__ import annotations

import os
from pathlib import Path

import click

from civaudit.errors import UsageError
from civaudit.report import FORMATS

sheet_option = click.option("--sheet", default=None, help="Only this sheet of each workbook.")

limit_option = click.option(
    "--limit",
    "limit_specs",
    multiple=True,
    metavar="NAME=VALUE",
    help="Raise (or lower) a resource limit on each input file (repeatable; none turns "
    "it off), e.g. --limit member-bytes=6GiB. Names: member-bytes, ratio, cells, "
    "range-ratio, cell-chars, csv-fields, csv-field-chars; and stream-bytes, the sheet "
    "size past which a sheet is read row by row in bounded memory (see the README).",
)


def resolve_limits(policy, specs: tuple[str, ...]):
    """The limits in force: the defaults, then the policy's [limits], then --limit."""
    from civaudit.limits import Limits, parse_limits

    return parse_limits(specs, policy.limits if policy is not None else Limits())


column_option = click.option(
    "--column",
    multiple=True,
    metavar="FIELD=HEADER",
    help="Map a column by hand: a field name and a header text or column letter "
    "(repeatable), e.g. --column id_number=公民身份号码 or --column household_size=E.",
)


def run_options(fn):
    """The options of commands that load, assess and report (assess, audit, ...)."""
    for option in reversed(
        [
            click.option(
                "--policy",
                "policy_path",
                type=click.Path(path_type=Path, dir_okay=False),
                help="Policy TOML; without it the built-in example policy is used.",
            ),
            click.option("--as-of", help="Roster month, YYYY-MM[-DD] (default: see the README)."),
            click.option(
                "-f", "--format", "fmt", type=click.Choice(FORMATS), help="Output format."
            ),
            click.option(
                "-o",
                "--output",
                "outputs",
                multiple=True,
                type=click.Path(path_type=Path, dir_okay=False),
                help="Output file (repeatable); the format follows the extension unless -f.",
            ),
            click.option(
                "--no-mask",
                is_flag=True,
                help="Show full ID and account numbers (masked by default).",
            ),
            sheet_option,
            column_option,
            click.option(
                "-j",
                "--jobs",
                type=click.IntRange(min=1),
                default=os.cpu_count() or 1,
                show_default="number of CPUs",
                help="Files loaded in parallel (worker processes).",
            ),
            click.option(
                "--cache",
                type=click.Path(path_type=Path, file_okay=False),
                help="Keep each file's loaded tables here (Parquet, keyed by the file's "
                "sha256): loading the same files again skips the parsing.",
            ),
            limit_option,
        ]
    ):
        fn = option(fn)
    return fn


require_coverage_option = click.option(
    "--require-coverage",
    type=click.FloatRange(min=0, max=100),
    metavar="PCT",
    help="Exit 1 when fewer than PCT percent of the households could be assessed "
    "(coverage is always reported).",
)


def check_columns(roster, given: dict[str, str]) -> None:
    """Each ``--column FIELD=HEADER`` must have matched a column in some sheet: one that
    matched nothing would change nothing, silently. Exit 2 naming the headers there are."""
    from civaudit.i18n import t

    used = {c.field for s in roster.sheets for c in s.columns if c.how == "user"}
    for field, header in given.items():
        if field in used:
            continue
        headers = list(dict.fromkeys(c.header for s in roster.sheets for c in s.columns))
        shown = ", ".join(h for h in headers[:40] if h) + (" …" if len(headers) > 40 else "")
        raise UsageError(
            t("noop.column", field=field, header=header, headers=shown or "—"),
            t("noop.column_hint", field=field),
        )


def parse_columns(values: tuple[str, ...]) -> dict[str, str]:
    """``("id_number=公民身份号码",)`` -> ``{"id_number": "公民身份号码"}``."""
    mapping: dict[str, str] = {}
    for value in values:
        field, sep, header = value.partition("=")
        if not sep or not field.strip() or not header.strip():
            raise UsageError(
                f"--column {value!r} is not FIELD=HEADER", "e.g. --column id_number=公民身份号码"
            )
        mapping[field.strip()] = header.strip()
    return mapping


FAIL_ON = ("error", "warning", "info", "never")

fail_on_option = click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default="error",
    show_default=True,
    help="Exit 1 when a finding is at or above this severity.",
)
select_option = click.option(
    "--select", multiple=True, help="Only these rule ids or families (comma-separated, repeatable)."
)
ignore_option = click.option(
    "--ignore", multiple=True, help="Leave out these rule ids or families (comma-separated)."
)
quiet_option = click.option(
    "-q", "--quiet", is_flag=True, help="No table on the terminal, only the summary."
)


def against_option(fn):
    from civaudit.external import KINDS

    return click.option(
        "--against",
        "against_specs",
        multiple=True,
        metavar="KIND=FILE",
        help="An external list to check the rosters against (repeatable; a folder holds "
        f"several files of one kind). KIND: {', '.join(KINDS)}.",
    )(fn)
