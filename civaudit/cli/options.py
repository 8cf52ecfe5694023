"""Option bundles shared by commands, as decorators."""

from __future__ import annotations

import click

from civaudit.errors import UsageError

sheet_option = click.option("--sheet", default=None, help="Only this sheet of each workbook.")

column_option = click.option(
    "--column",
    multiple=True,
    metavar="FIELD=HEADER",
    help="Map a column by hand: a field name and a header text or column letter "
    "(repeatable), e.g. --column id_number=公民身份号码 or --column household_size=E.",
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
