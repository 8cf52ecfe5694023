"""The inspection sample out: the visit workbook, JSON, JSON lines, CSV, Markdown and
the terminal table.

The visit workbook (入户核查.xlsx) is what a team carries into the villages: a
first sheet saying how the sample was drawn (seed, method, counts, policy, as-of,
every village of the frame and whether it was chosen), then one printable sheet
per chosen village with one row per household to visit, its members, why it was
chosen, and empty columns for the visit's result, 是否属实 (a 是/否 list), the
inspector and the date. Text is always written as text, never as a formula, and
ID numbers are masked unless the user asks otherwise.

Every format is a pure function of the ``Sample`` and the run manifest, so each
can be tested as bytes or a string.
"""

from __future__ import annotations

import io
import json
import math
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
from rich.console import Console
from rich.table import Table

from civaudit.findings import plain
from civaudit.i18n import t
from civaudit.report.output import cell_text, defuse
from civaudit.report.present import policy_line
from civaudit.report.xlsx import Formats, display_width, sheet_name, write_cell
from civaudit.sample import Sample, mask_keys

CONFIRMED = ("是", "否")
VERDICT_COLUMNS = ("result", "confirmed", "inspector", "date")
VISIT_COLUMNS = (
    "no", "household", "head", "address", "phone", "members", "why", *VERDICT_COLUMNS,
)  # fmt: skip
# (least, most) width in Excel units, a CJK character taking 2: the whole row fits an
# A4 landscape page at about 70%, with room to write by hand in the verdict columns.
_WIDTHS = {
    "no": (4, 5),
    "household": (16, 20),
    "head": (8, 10),
    "address": (12, 16),
    "phone": (12, 13),
    "members": (24, 30),
    "why": (24, 44),
    "result": (22, 22),
    "confirmed": (6, 6),
    "inspector": (8, 8),
    "date": (11, 11),
}
_WRAPPED = {"household", "address", "members", "why"}
_LINE_HEIGHT = 15  # points per text line at the default 11-point font


# --- shared texts -------------------------------------------------------------------------


def method_lines(sample: Sample, manifest: dict) -> list[str]:
    """How the sample was drawn, in the current language: what the first sheet and
    the Markdown report say above the tables."""
    m = sample.method
    lines = [
        t("sample.m.note"),
        policy_line(manifest),
        f"{t('audit.md_as_of')}: {manifest['as_of']} ({t('as_of.' + manifest['as_of_source'])})",
        f"{t('sample.m.seed')}: {sample.seed}",
        f"{t('sample.m.villages')}: {villages_text(m)}",
        f"{t('sample.m.households')}: "
        + t("sample.m.households_text", share=_percent(m["share"]), least=m["min_per_village"]),
        t("sample.m.frame", villages=m["frame"]["villages"], households=m["frame"]["households"]),
        summary_line(sample),
        t("sample.village_from", parts=sources_text(m)),
        t("sample.m.order"),
        f"civaudit {manifest['version']} · {m['generator']}",
    ]
    return lines


def villages_text(method: dict) -> str:
    spec = method["villages"]
    if spec == "all":
        return t("sample.m.villages_all")
    if isinstance(spec, float):
        text = t("sample.m.villages_rate", pct=_percent(spec))
    else:
        text = t("sample.m.villages_n", n=spec)
    return (
        text + t("sample.m.within." + method["within"]) + t("sample.m.weight." + method["weight"])
    )


def sources_text(method: dict) -> str:
    parts = [t("sample.from." + s, n=n) for s, n in method["village_from"].items() if n]
    return ", ".join(parts) if parts else "—"


def summary_line(sample: Sample) -> str:
    chosen = sample.method["chosen"]
    return t(
        "sample.summary",
        villages=chosen["villages"],
        total=sample.method["frame"]["villages"],
        households=chosen["households"],
        errors=chosen["with_error"],
        random=chosen["random"],
    )


def why_text(reason: str, rules: list[str]) -> str:
    if reason == "error":
        return t("sample.why.error", rules=", ".join(rules))
    return t("sample.why.random")


def where_text(file, sheet, row) -> str:
    """Where a household is in its roster: file name, sheet (unless it is the file, as
    in a CSV) and Excel row."""
    parts = []
    if _known(file):
        parts.append(Path(str(file)).name)
    if _known(sheet) and not (_known(file) and str(sheet) == Path(str(file)).stem):
        parts.append(str(sheet))
    if _known(row):
        parts.append(t("sample.row", row=int(row)))
    return " · ".join(parts)


def _percent(rate: float) -> str:
    return f"{rate * 100:.4g}%"


# --- JSON, JSON lines, CSV, Markdown --------------------------------------------------------


def render_sample(sample: Sample, fmt: str, *, manifest: dict, mask: bool = True) -> bytes:
    """The sample as ``json``, ``jsonl`` (one household a line), ``csv`` or ``parquet``
    (one household a row) or ``md``; ``xlsx`` is ``visit_workbook``."""
    if fmt == "xlsx":
        return visit_workbook(sample, manifest, mask=mask)
    body = sample.to_dict(mask=mask)
    if fmt == "json":
        document = {"civaudit": manifest, **body}
        return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    if fmt == "jsonl":
        lines = (json.dumps(h, ensure_ascii=False) + "\n" for h in body["households"])
        return "".join(lines).encode("utf-8")
    if fmt == "csv":
        return defuse(_flat_households(sample, mask)).to_csv(index=False).encode("utf-8-sig")
    if fmt == "parquet":
        from civaudit.report.stream import table_bytes

        return table_bytes(_flat_households(sample, mask), "parquet", json_columns=())
    if fmt == "md":
        return markdown(sample, manifest, mask=mask).encode("utf-8")
    if fmt == "html":
        from civaudit.report.html import escape as _e
        from civaudit.report.html import frame_table, page

        body = [f"<h1>{_e(t('sample.xlsx.title'))}</h1>"]
        body += [f'<p class="meta">{_e(line)}</p>' for line in method_lines(sample, manifest)]
        body.append(frame_table("households", _flat_households(sample, mask)))
        return page(t("sample.xlsx.title"), body)
    raise ValueError(f"unknown format {fmt!r}")


def _flat_households(sample: Sample, mask: bool) -> pd.DataFrame:
    """One row per chosen household, lists as text (for CSV and Markdown)."""
    h = sample.households
    out = pd.DataFrame(
        {
            "village": h["village"],
            "town": h["town"],
            "household": mask_keys(h["household"]) if mask else h["household"],
            "head_name": h["head_name"],
            "file": h["file"],
            "sheet": h["sheet"],
            "row": h["row"],
            "reason": h["reason"],
            "why": [why_text(r, x) for r, x in zip(h["reason"], h["rules"], strict=True)],
            "rules": [", ".join(x) for x in h["rules"]],
        }
    )
    return out.astype("object").where(out.notna(), None)


def markdown(sample: Sample, manifest: dict, *, mask: bool = True) -> str:
    from tabulate import tabulate

    lines = [f"## civaudit: {t('sample.xlsx.title')}", ""]
    lines += [f"- {line}" for line in method_lines(sample, manifest)[1:]]
    lines += ["", f"### {t('sample.villages')}", ""]
    v = sample.chosen_villages
    rows = [
        [r.village, _source(r.source), r.town or "", r.households, r.flagged, r.rate, r.chosen]
        for r in v.itertuples(index=False)
    ]
    headers = [
        t(k)
        for k in (
            "sample.col.village", "sample.col.source", "col.town", "sample.col.households",
            "sample.col.flagged", "sample.col.rate", "sample.col.chosen",
        )
    ]  # fmt: skip
    lines += [tabulate(defuse(pd.DataFrame(rows)).values.tolist(), headers, "github"), ""]
    lines += [f"### {t('sample.households')}", ""]
    flat = defuse(_flat_households(sample, mask))
    rows = flat[["village", "household", "head_name", "why"]].values.tolist()
    rows = [[cell_text(c).replace("|", "\\|") for c in r] for r in rows]
    headers = [t("sample.col.village"), t("col.household"), t("col.name"), t("sample.col.reason")]
    lines.append(tabulate(rows, headers, "github"))
    return "\n".join(lines) + "\n"


def _source(source: str) -> str:
    return t("sample.source." + source)


# --- the terminal ---------------------------------------------------------------------------


def print_sample(sample: Sample, console: Console, *, mask: bool = True, limit: int = 500) -> None:
    """Villages chosen, then the households chosen (first ``limit``)."""
    villages = Table(title=t("sample.villages"), title_justify="left")
    for key in (
        "sample.col.village", "sample.col.source", "col.town", "sample.col.households",
        "sample.col.flagged", "sample.col.rate", "sample.col.chosen", "sample.col.reason",
    ):  # fmt: skip
        villages.add_column(t(key), overflow="fold")
    for r in sample.chosen_villages.itertuples(index=False):
        villages.add_row(
            r.village, _source(r.source), r.town or "", str(r.households), str(r.flagged),
            f"{r.rate:.2f}", str(r.chosen), t("sample.vwhy." + r.why),
        )  # fmt: skip
    console.print(villages)
    households = Table(title=t("sample.households"), title_justify="left")
    for key in (
        "sample.col.village",
        "col.household",
        "col.name",
        "col.where",
        "sample.col.reason",
    ):
        households.add_column(t(key), overflow="fold")
    flat = _flat_households(sample, mask)
    for r in flat.head(limit).itertuples(index=False):
        where = where_text(r.file, r.sheet, r.row)
        households.add_row(
            cell_text(r.village), cell_text(r.household), cell_text(r.head_name), where, r.why
        )
    console.print(households)
    if len(flat) > limit:
        console.print(t("sample.more", shown=limit, total=len(flat)))


# --- the visit workbook --------------------------------------------------------------------


def visit_workbook(sample: Sample, manifest: dict, *, mask: bool = True) -> bytes:
    """The inspectors' visit workbook as xlsx bytes (see the module docstring)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    book.set_properties(
        {
            "title": t("sample.xlsx.title"),
            "comments": f"civaudit {manifest['version']}, seed {sample.seed}",
        }
    )
    fmt = Formats(book)
    used = {t("sample.xlsx.method").lower()}
    _method_sheet(book, fmt, sample, manifest)
    members = _member_lines(sample.members, mask)
    households = sample.households
    for village in sample.chosen_villages.itertuples(index=False):
        mine = households[households["village_no"] == village.village_no]
        _village_sheet(book, fmt, village, mine, members, used, mask=mask)
    book.worksheets()[0].activate()
    book.close()
    return buffer.getvalue()


def _method_sheet(book, fmt: Formats, sample: Sample, manifest: dict) -> None:
    ws = book.add_worksheet(t("sample.xlsx.method"))
    ws.write_string(0, 0, t("sample.xlsx.title"), fmt.title)
    lines = [*method_lines(sample, manifest), f"{t('xlsx.inputs')}: {len(manifest['inputs'])}"]
    for r, line in enumerate(lines, start=1):
        ws.write_string(r, 0, line)
    top = len(lines) + 2
    ws.write_string(top, 0, t("sample.all_villages"), fmt.title)
    columns = [
        ("village", "sample.col.village", 22), ("source", "sample.col.source", 8),
        ("county", "col.county", 10), ("town", "col.town", 12),
        ("households", "sample.col.households", 8), ("flagged", "sample.col.flagged", 10),
        ("rate", "sample.col.rate", 10), ("selected", "sample.col.selected", 8),
        ("chosen", "sample.col.chosen", 10), ("why", "sample.col.reason", 22),
        ("file", "col.file", 40), ("sheet", "col.sheet", 16),
    ]  # fmt: skip
    for c, (_, label, width) in enumerate(columns):
        ws.write_string(top + 1, c, t(label), fmt.header)
        ws.set_column(c, c, width)
    ws.set_column(0, 0, 40)  # the method lines run on in column A; the names fit too
    for r, village in enumerate(sample.villages.to_dict("records"), start=top + 2):
        for c, (col, _, _) in enumerate(columns):
            value = plain(village[col])
            if col == "source":
                value = _source(value)
            elif col == "selected":
                value = t("sample.yes" if value else "sample.no")
            elif col == "why":
                value = t("sample.vwhy." + (value or "none"))
            write_cell(ws, r, c, _shown(value), fmt.cell, fmt.number)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(top + 1)


def _village_sheet(book, fmt, village, households, members, used, *, mask: bool) -> None:
    ws = book.add_worksheet(sheet_name(str(village.village), used))
    place = " ".join(
        str(p) for p in (village.county, village.town, village.village) if p and not pd.isna(p)
    )
    ws.write_string(0, 0, t("sample.xlsx.village_title", place=place, n=len(households)), fmt.title)
    for c, col in enumerate(VISIT_COLUMNS):
        style = fmt.verdict_header if col in VERDICT_COLUMNS else fmt.header
        ws.write_string(1, c, t("sample.col." + col), style)

    keys = households["household"]
    keys = mask_keys(keys) if mask else keys
    rows = []
    for n, (h, key) in enumerate(zip(households.itertuples(index=False), keys, strict=True), 1):
        found = [
            f"[{t('severity.' + f['severity'])}] {f['rule']}: {f['message']}" for f in h.findings
        ]
        row = {
            "no": n,
            "household": "\n".join(
                x for x in (key, where_text(h.file, h.sheet, h.row)) if _known(x) and x
            ),
            "head": h.head_name,
            "address": h.address,
            "phone": h.phone,
            "members": "\n".join(members.get(int(h.hh), [])) if _known(h.hh) else None,
            "why": "\n".join([t("sample.why." + h.reason + "_short"), *found]),
            "error": h.reason == "error",
        }
        rows.append({k: plain(v) for k, v in row.items()})
    widths = _column_widths(rows)
    for c, col in enumerate(VISIT_COLUMNS):
        ws.set_column(c, c, widths[col])
    for r, row in enumerate(rows, start=2):
        for c, col in enumerate(VISIT_COLUMNS):
            if col in VERDICT_COLUMNS:
                ws.write_blank(r, c, None, fmt.date if col == "date" else fmt.verdict_cell)
                continue
            style = fmt.error_cell if (col == "why" and row["error"]) else fmt.cell
            write_cell(ws, r, c, _shown(plain(row[col])), style, fmt.number)
        ws.set_row(r, _row_height(row, widths))
    last = len(rows) + 1
    if rows:
        c = VISIT_COLUMNS.index("confirmed")
        ws.data_validation(
            2, c, last, c,
            {
                "validate": "list",
                "source": list(CONFIRMED),
                "input_title": t("sample.col.confirmed"),
                "input_message": "是 / 否",
            },
        )  # fmt: skip
        c = VISIT_COLUMNS.index("date")
        ws.data_validation(
            2, c, last, c,
            {"validate": "date", "criteria": ">", "value": datetime(2000, 1, 1)},
        )  # fmt: skip
    ws.freeze_panes(2, 0)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)  # one page wide, as many tall as needed
    ws.repeat_rows(0, 1)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&C" + t("sample.xlsx.footer"))
    ws.print_area(0, 0, max(last, 1), len(VISIT_COLUMNS) - 1)


def _member_lines(members: pd.DataFrame, mask: bool) -> dict[int, list[str]]:
    """hh -> one line per member: name, relation, ID (masked)."""
    lines: dict[int, list[str]] = {}
    for m in members.itertuples(index=False):
        if not _known(m.hh):
            continue
        number = m.id_number if _known(m.id_number) else None
        if number is not None and mask:
            number = mask_any_id(str(number))
        parts = [str(x) for x in (m.name, m.relation, number) if _known(x)]
        lines.setdefault(int(m.hh), []).append("  ".join(parts))
    return lines


def mask_any_id(text: str) -> str:
    """An ID number of any shape, masked: first 6 and last 4 characters kept (shorter
    texts keep only the last 4), so even a mistyped ID is not shown in full."""
    n = len(text)
    if n > 10:
        return text[:6] + "*" * (n - 10) + text[-4:]
    if n > 4:
        return "*" * (n - 4) + text[-4:]
    return text


def _column_widths(rows: list[dict[str, Any]]) -> dict[str, float]:
    widths = {}
    for col in VISIT_COLUMNS:
        least, most = _WIDTHS[col]
        longest = max(
            (display_width(line) for row in rows for line in cell_text(row.get(col)).split("\n")),
            default=0,
        )
        widths[col] = float(min(most, max(least, longest + 1)))
    return widths


def _row_height(row: dict[str, Any], widths: dict[str, float]) -> float:
    """Tall enough for the longest wrapped cell, and for a hand-written note."""
    lines = 1
    for col in _WRAPPED:
        text = cell_text(row.get(col))
        width = max(widths[col] - 1, 1)
        wrapped = sum(max(1, math.ceil(display_width(line) / width)) for line in text.split("\n"))
        lines = max(lines, wrapped)
    return max(2, lines) * _LINE_HEIGHT + 4


def _shown(value):
    """A value as the visit sheets show it: yes/no as 是/否 text, empty text as a blank
    (bordered) cell."""
    if isinstance(value, bool):
        return t("sample.yes" if value else "sample.no")
    if isinstance(value, str) and value == "":
        return None
    return value


def _known(value) -> bool:
    if value is None:
        return False
    try:
        return not bool(pd.isna(value))
    except (TypeError, ValueError):
        return True


__all__ = [
    "CONFIRMED",
    "VISIT_COLUMNS",
    "markdown",
    "mask_any_id",
    "method_lines",
    "print_sample",
    "render_sample",
    "visit_workbook",
]
