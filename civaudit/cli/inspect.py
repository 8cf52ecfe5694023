"""`civaudit inspect`: what each file holds and how civaudit read it."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from civaudit.cli.console import SafeConsole, escape_controls, say, write_stdout
from civaudit.cli.options import (
    column_option,
    limit_option,
    parse_columns,
    resolve_limits,
    sheet_option,
)
from civaudit.i18n import t
from civaudit.i18n.catalog import MESSAGES
from civaudit.i18n.errors import error_text
from civaudit.report.inspect import describe
from civaudit.roster import load_roster


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    help="Output format.",
)
@sheet_option
@column_option
@limit_option
def inspect(
    paths: tuple[Path, ...],
    fmt: str,
    sheet: str | None,
    column: tuple[str, ...],
    limit_specs: tuple[str, ...],
) -> int:
    """Show what each file holds: its kind (BIFF, OOXML, ODS, HTML table,
    SpreadsheetML, CSV), sheets, header rows, column mapping and how each column's
    meaning was decided (alias, parent header, unit, the values' shape, by hand), the
    columns it could not place, layout, rows kept and skipped, unparsed values and
    ID-number health; for the two files of a system export pair, how many households
    and members joined and how many did not.

    PATHS are files or folders (searched recursively for .xlsx .xlsm .xls .xlsb
    .ods .csv).

    \b
    Examples:
      civaudit inspect sample_data/
      civaudit inspect 花名册.xlsx --column id_number=公民身份号码 -f json
    """
    limits = resolve_limits(None, limit_specs)
    roster = load_roster(
        list(paths), sheet=sheet, columns=parse_columns(column), on_error="skip", limits=limits
    )
    summary = describe(roster)
    if fmt == "json":
        write_stdout((json.dumps(summary, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    else:
        _print_tables(summary, SafeConsole(soft_wrap=False))
    failed = [f for f in summary["files"] if f["error"]]
    pairs = summary.get("pairs")
    if fmt != "json" and pairs and pairs["head_mismatches"]:
        SafeConsole(soft_wrap=False).print(
            t("inspect.pair.mismatch", count=pairs["head_mismatches"]), highlight=False
        )
    for f in failed:
        say(f"civaudit: {escape_controls(error_text(f['error']), newlines=False)}", err=True)
    return 2 if failed else 0


def _print_tables(summary: dict, console: Console) -> None:
    for f in summary["files"]:
        if f["error"]:
            console.print(f"[bold red]{t('inspect.file')}[/] {f['path']}: {t('inspect.failed')}")
            continue
        extra = f", {t('inspect.encoding')} {f['encoding']}" if f["encoding"] else ""
        console.print(
            f"[bold]{t('inspect.file')}[/] {f['path']}  "
            f"({t('inspect.kind')} {f['kind']}: {_kind(f['kind'], f['path'])}, "
            f"{f['bytes']} {t('inspect.bytes')}{extra})",
            highlight=False,
        )
        month = f.get("as_of")
        if month and month["month"]:
            console.print(
                "  "
                + t("inspect.month", month=month["month"], source=t("as_of." + month["source"])),
                highlight=False,
            )
        elif month:
            console.print("  " + t("inspect.no_month"), highlight=False)
        for p in f.get("pair", []):
            files = ", ".join(Path(w).name for w in p["with"])
            key = "inspect.pair.households" if p["role"] == "households" else "inspect.pair.members"
            console.print(
                "  "
                + t(key, total=p["total"], joined=p["joined"], unjoined=p["unjoined"], files=files),
                highlight=False,
            )
        if f.get("months"):
            months = ", ".join(f"{m['month']} ({', '.join(m['sheets'])})" for m in f["months"])
            console.print("  " + t("inspect.months", months=months), highlight=False)
        for s in f["skipped_sheets"]:
            detail = f": {s['detail']}" if s["detail"] else ""
            console.print(
                f"  {t('inspect.skipped_sheet')} '{s['name']}' "
                f"({t('reason.' + s['reason'])}){detail}",
                highlight=False,
            )
        for s in f["sheets"]:
            _print_sheet(s, console)


def _how(c: dict) -> str:
    """How the column's meaning was decided: 'alias (NC) · parent 领取金额 · unit 元/月'."""
    steps = [
        t("basis." + b["by"], detail=_detail(b["detail"]))
        for b in c.get("basis", [])
        if "basis." + b["by"] in MESSAGES
    ]
    if c["how"] not in ("alias", "user") or not steps:
        first = t("how." + c["how"])
        steps.insert(0, f"{first} ({c['note']})" if c.get("note") else first)
    scale = c.get("scale", 1)
    if scale != 1:
        steps.append(f"x{scale:g}" if scale >= 1 else f"/{1 / scale:g}")
    return " · ".join(steps)


def _detail(detail: str) -> str:
    """A coded detail ('name-lists=67%') in the user's language; others as they are."""
    code, _, value = detail.partition("=")
    return t("detail." + code, value=value) if "detail." + code in MESSAGES else detail


def _kind(kind: str, path: str) -> str:
    """'HTML table, named .xls' where the name hides what the file is."""
    key = f"kind.{kind}"
    if key not in MESSAGES:
        return kind
    suffix = Path(path).suffix.lower()
    if kind in ("html", "spreadsheetml") and suffix and suffix not in (".html", ".htm", ".xml"):
        return f"{t(key)}, {t('kind.named', suffix=suffix)}"
    return t(key)


def _places_text(place: dict) -> str:
    """``county 康保县 (folder), town 张纪镇 (folder), village 上房子村 (file name)``; a
    level with several names (a 村 column) as ``village 3 names (column)``."""
    parts = []
    for level, names in place.items():
        sources = ", ".join(dict.fromkeys(t("place.source." + n["from"]) for n in names))
        label = t("place.level." + level)
        if len(names) == 1:
            parts.append(f"{label} {names[0]['name']} ({sources})")
        else:
            parts.append(f"{label} {t('place.names', n=len(names))} ({sources})")
    return ", ".join(parts)


def _named(c: dict) -> str:
    """A column as the user finds it: its letter and its header on one line."""
    return f"{c['column']} {' '.join(c['header'].split())}"


def _print_sheet(s: dict, console: Console) -> None:
    rows = ", ".join(str(r) for r in s["header_rows"])
    console.print(
        f"  [bold]{t('inspect.sheet')} '{s['name']}'[/]  {t('inspect.header_rows')} {rows}; "
        f"{t('inspect.layout')}: {t('layout.' + s['layout'])}",
        highlight=False,
    )
    if s["title_month"]:
        console.print(f"    {t('inspect.title_month')}: {s['title_month']}", highlight=False)
    console.print(
        "    "
        + t(
            "inspect.rows",
            read=s["rows_read"],
            kept=s["rows_kept"],
            households=s["households"],
            members=s["members"],
        ),
        highlight=False,
    )
    if s.get("place"):
        console.print("    " + t("place.sheet", places=_places_text(s["place"])), highlight=False)
    if s["skipped"]:
        parts = [f"{t('reason.' + k)} {v}" for k, v in s["skipped"].items()]
        console.print(f"    {t('inspect.skipped')}: {', '.join(parts)}", highlight=False)
    table = Table(title=None, show_edge=False, pad_edge=False, box=None, padding=(0, 2, 0, 4))
    for name in ("column", "header", "field", "how"):
        table.add_column(t(f"inspect.{name}"))
    for c in s["columns"]:
        field = c["field"] or "—"
        style = "dim" if c["how"] in ("unmapped", "duplicate", "clash", "superseded") else None
        header = " ".join(c["header"].split())
        table.add_row(c["column"], header, field, _how(c), style=style)
    console.print(table)
    if s.get("unplaced"):
        parts = [_named(c) for c in s["unplaced"]]
        console.print(f"    {t('inspect.unplaced')}: {', '.join(parts)}", highlight=False)
    if months := s.get("month_columns"):
        first, last = _named(months[0]), _named(months[-1])
        hint = t("inspect.month_columns", first=first, last=last, header=months[-1]["header"])
        console.print(f"    {hint}", highlight=False)
    for k in s.get("clashes", []):
        kept, others = _named(k["kept"]), ", ".join(_named(o) for o in k["others"])
        line = t("inspect.clash", field=k["field"], kept=kept, others=others)
        console.print(f"    {t('inspect.clashes')}: {line}", highlight=False)
    for key, label in (("unparsed", "inspect.unparsed"), ("ambiguous", "inspect.ambiguous")):
        if s[key]:
            parts = [f"{k} {v}" for k, v in s[key].items()]
            console.print(f"    {t(label)}: {', '.join(parts)}", highlight=False)
    if s["ids"]:
        parts = [f"{t('id.' + k)} {v}" for k, v in s["ids"].items() if v]
        console.print(
            f"    {t('inspect.ids')}: {', '.join(parts) or t('inspect.none')}", highlight=False
        )
