"""The inspectors' Excel report: summary with a chart, the findings, the rosters.

An inspector takes this workbook into a village: a summary sheet (counts by rule
and village, with a native bar chart), a findings sheet (one row per finding,
frozen header, filters, columns wide enough for Chinese text, and empty 核查结论
and 备注 columns to fill in), and a copy of each roster sheet with the flagged rows
highlighted and a comment naming the rules. Text is always written as text, so a
cell starting with ``=`` can never run as a formula in Excel or WPS.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from civaudit.i18n import t
from civaudit.privacy import mask_accounts, mask_ids, mask_ids_in_text
from civaudit.report.xlsx import REVIEW_COLUMNS, Formats, column_label, findings_sheet, sheet_name

_PLAIN_NUMBER = re.compile(r"-?\d{1,15}(\.\d+)?")


@dataclass(frozen=True)
class SheetCopy:
    """A roster sheet to copy into the report: its text grid and what to mask."""

    file: str
    sheet: str
    cells: pd.DataFrame  # index = Excel row, columns = 0-based column numbers
    header_row: int = 1  # the (last) header row, where the verdict columns go
    id_columns: tuple[int, ...] = ()
    account_columns: tuple[int, ...] = ()


def inspector_workbook(
    findings: pd.DataFrame,
    summary: dict,
    manifest: dict,
    copies: list[SheetCopy],
    *,
    row_limit: int,
    mask: bool,
) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    book.set_properties({"title": "civaudit", "comments": "civaudit " + manifest["version"]})
    fmt = Formats(book)
    truncated = _copies(book, fmt, findings, copies, row_limit=row_limit, mask=mask)
    _summary_sheet(book, fmt, summary, manifest, truncated)
    findings_sheet(book, fmt, findings)
    book.worksheets_objs.sort(key=lambda ws: ws.name not in (t("xlsx.summary"), t("xlsx.findings")))
    book.worksheets_objs.sort(key=lambda ws: ws.name != t("xlsx.summary"))
    book.worksheets()[0].activate()
    book.close()
    return buffer.getvalue()


def _summary_sheet(book, fmt: Formats, summary: dict, manifest: dict, truncated: list[str]):
    ws = book.add_worksheet(t("xlsx.summary"))
    ws.set_column(0, 0, 34)
    ws.set_column(1, 3, 14)
    ws.write_string(0, 0, t("audit.md_title"), fmt.title)
    policy = manifest["policy"]
    lines = [
        f"{t('audit.md_policy')}: {policy['name']}"
        + (f" ({t('audit.md_example')})" if policy["example"] else ""),
        f"{t('audit.md_as_of')}: {manifest['as_of']} ({manifest['as_of_source']})",
        f"{t('xlsx.inputs')}: {len(manifest['inputs'])}",
        f"civaudit {manifest['version']}",
        t("xlsx.flag_note"),
        *truncated,
        *(f"{t('audit.not_audited')}: {f['error']}" for f in summary.get("not_audited", [])),
    ]
    for i, line in enumerate(lines, start=1):
        ws.write_string(i, 0, line)
    top = len(lines) + 2
    headers = [t("col.rule"), t("col.severity"), t("audit.count")]
    for c, h in enumerate(headers):
        ws.write_string(top, c, h, fmt.header)
    for r, row in enumerate(summary["by_rule"], start=top + 1):
        ws.write_string(r, 0, row["rule"])
        ws.write_string(r, 1, t("severity." + row["severity"]))
        ws.write_number(r, 2, row["count"])
    n = len(summary["by_rule"])
    if n:
        chart = book.add_chart({"type": "bar"})
        name = ws.get_name()
        chart.add_series(
            {
                "name": t("audit.count"),
                "categories": [name, top + 1, 0, top + n, 0],
                "values": [name, top + 1, 2, top + n, 2],
                "fill": {"color": "#C00000"},
            }
        )
        chart.set_title({"name": t("audit.by_rule")})
        chart.set_legend({"none": True})
        chart.set_y_axis({"reverse": True})
        chart.set_size({"width": 620, "height": max(240, 22 * n + 80)})
        ws.insert_chart(top, 4, chart)
    village_top = top + n + 3
    ws.write_string(village_top, 0, t("col.village"), fmt.header)
    ws.write_string(village_top, 1, t("audit.count"), fmt.header)
    for r, (village, count) in enumerate(summary["by_village"].items(), start=village_top + 1):
        ws.write_string(r, 0, village)
        ws.write_number(r, 1, count)


def _copies(book, fmt, findings, copies, *, row_limit: int, mask: bool) -> list[str]:
    """One sheet per roster sheet, flagged rows filled and commented."""
    notes: list[str] = []
    used: set[str] = set()
    for number, copy in enumerate(copies, start=1):
        stem = Path(copy.file).stem
        label = stem if copy.sheet == stem else f"{stem}-{copy.sheet}"
        name = sheet_name(f"{number}-{label}", used)
        ws = book.add_worksheet(name)
        cells = copy.cells
        if mask:
            cells = cells.copy()
            for col in copy.id_columns:  # an ID, or a member list holding IDs
                cells[col] = mask_ids_in_text(mask_ids(cells[col]))
            for col in copy.account_columns:
                cells[col] = mask_accounts(cells[col])
        if len(cells) > row_limit:
            notes.append(t("xlsx.truncated", sheet=name, limit=row_limit, total=len(cells)))
            cells = cells.iloc[:row_limit]
        mine = findings[(findings["file"] == copy.file) & (findings["sheet"] == copy.sheet)]
        flags = _row_flags(mine)
        width = int(cells.columns.max()) + 1 if len(cells.columns) else 0
        for excel_row, values in zip(cells.index, cells.itertuples(index=False), strict=True):
            r = int(excel_row) - 1
            style = flags.get(int(excel_row), (None, None))[0]
            row_format = fmt.rows[style] if style else None
            if row_format is not None:
                ws.set_row(r, None, row_format)
            for col, value in zip(cells.columns, values, strict=True):
                if value is None or value is pd.NA or value != value:
                    continue
                text = str(value)
                if _PLAIN_NUMBER.fullmatch(text):
                    ws.write_number(r, int(col), float(text), row_format)
                else:
                    ws.write_string(r, int(col), text, row_format)
        shown = set(cells.index.astype(int))
        for excel_row, (_, comment) in flags.items():
            if excel_row in shown:
                ws.write_comment(
                    excel_row - 1, 0, comment, {"x_scale": 3, "y_scale": 2, "author": "civaudit"}
                )
        for offset, col in enumerate(REVIEW_COLUMNS):
            ws.write_string(copy.header_row - 1, width + offset, column_label(col), fmt.header)
        ws.set_column(width, width + len(REVIEW_COLUMNS) - 1, 14, fmt.verdict)
        ws.freeze_panes(copy.header_row, 0)
    return notes


def _row_flags(findings: pd.DataFrame) -> dict[int, tuple[str, str]]:
    """Excel row -> (worst severity, comment text naming the rules)."""
    if findings.empty:
        return {}
    order = {"error": 0, "warning": 1, "info": 2}
    rows = findings.dropna(subset=["row"])
    flags: dict[int, tuple[str, str]] = {}
    for row, group in rows.groupby(rows["row"].astype(int), sort=True):
        worst = min(group["severity"], key=order.__getitem__)
        lines = [f"{r}: {m}" for r, m in zip(group["rule"], group["message"], strict=True)]
        flags[int(row)] = (worst, "\n".join(lines[:10]))
    return flags
