"""What every civaudit workbook is built from: cell formats, the safe cell writer,
sheet names Excel accepts, the width of a text, and the findings sheet.

The inspector workbook of ``audit``, the ``diff`` workbook and the visit workbook
of ``sample`` all draw on this module, so a findings sheet looks the same wherever
it appears, and ``civaudit.report.review`` reads a returned one back by the column labels
defined here. Text is always written as text: the workbooks are opened with
``strings_to_formulas`` off and ``write_cell`` never writes a formula.
"""

from __future__ import annotations

import json
import re
import unicodedata

import pandas as pd

from civaudit.i18n import LANGUAGES, t
from civaudit.i18n.catalog import MESSAGES
from civaudit.report.output import json_value

FILL = {"error": "#F8CBAD", "warning": "#FFE699", "info": "#DDEBF7"}
"""Row fill per severity: a flagged roster row, the severity cell of a finding."""

FINDINGS_SHEET_COLUMNS = (
    "severity", "rule", "message", "clause", "file", "sheet", "row", "cell", "county",
    "town", "village", "household", "person", "name", "evidence",
)  # fmt: skip
"""The finding's fields, in the order of the findings sheet."""

REVIEW_COLUMNS = ("verdict", "note")
"""The columns an inspector fills in (核查结论, 备注), after the finding's fields."""

VERDICTS = {"属实": "confirmed", "不属实": "not-true", "已整改": "rectified"}
"""The verdicts offered in the 核查结论 list, and what each means."""

NOT_TRUE = "不属实"
"""The verdict that dismisses a finding."""

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


class Formats:
    """The cell formats of a civaudit workbook, added to ``book`` once.

    xlsxwriter writes only the formats a cell or column uses, so a workbook that
    needs only some of them carries only those.
    """

    def __init__(self, book) -> None:
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.header = book.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.verdict = book.add_format({"bg_color": "#FFF2CC", "border": 1})
        self.rows = {s: book.add_format({"bg_color": c}) for s, c in FILL.items()}
        # Boxed cells of the printable visit sheets: every cell bordered, text at the top.
        box = {"border": 1, "valign": "top"}
        self.verdict_header = book.add_format(
            {**box, "bold": True, "bg_color": "#FFE699", "text_wrap": True}
        )
        self.cell = book.add_format({**box, "text_wrap": True})
        self.number = book.add_format(box)
        self.verdict_cell = book.add_format({**box, "bg_color": "#FFF2CC", "text_wrap": True})
        self.date = book.add_format({**box, "bg_color": "#FFF2CC", "num_format": "yyyy-mm-dd"})
        self.error_cell = book.add_format({**box, "text_wrap": True, "bg_color": FILL["error"]})


def write_cell(ws, row: int, col: int, value, cell_format=None, number_format=None) -> None:
    """Write ``value`` as what it is: a bool as a boolean, a number as a number (in
    ``number_format`` if given), anything else as text, never as a formula.

    ``None`` is a blank cell, which xlsxwriter keeps only when it has a format.
    """
    if value is None:
        ws.write_blank(row, col, None, cell_format)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, cell_format)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, cell_format if number_format is None else number_format)
    else:
        ws.write_string(row, col, str(value), cell_format)


def sheet_name(name: str, used: set[str]) -> str:
    """``name`` as a sheet name Excel accepts: no ``[]:*?/\\``, at most 31 characters,
    and not one of ``used`` (compared as Excel does, ignoring case); adds it to
    ``used``."""
    base = _BAD_SHEET_CHARS.sub("_", name)[:31]
    candidate, n = base, 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{base[:28]}~{n}"
    used.add(candidate.lower())
    return candidate


def display_width(text: str) -> int:
    """Columns a text takes in Excel units: CJK and full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_label(column: str, lang: str | None = None) -> str:
    """The header of a findings sheet column, in ``lang`` (default: the current one)."""
    return t("col." + column) if lang is None else MESSAGES["col." + column][lang]


def column_labels(column: str) -> set[str]:
    """Every header a findings sheet column may carry: its label in each language,
    and its own name, so a returned workbook is read whatever its language."""
    entry = MESSAGES["col." + column]
    return {*(entry[lang] for lang in LANGUAGES if lang in entry), column}


def findings_sheet(book, fmt: Formats, findings: pd.DataFrame) -> None:
    """The findings sheet: one row per finding, the severity cell filled, filters,
    frozen header, and the 核查结论 (a list of VERDICTS) and 备注 columns to fill in.

    Verdicts and notes carried over from a reviewed report (``verdict`` and
    ``review_note`` columns of ``findings``) are written in.
    """
    ws = book.add_worksheet(t("xlsx.findings"))
    columns = [*FINDINGS_SHEET_COLUMNS, *REVIEW_COLUMNS]
    widths = {"message": 60, "evidence": 40, "file": 30, "clause": 24, "person": 22}
    for c, col in enumerate(columns):
        ws.write_string(0, c, column_label(col), fmt.header)
        ws.set_column(c, c, widths.get(col, 12), fmt.wrap if col == "message" else None)
    data = findings.reindex(columns=list(FINDINGS_SHEET_COLUMNS))
    for c, col in enumerate(FINDINGS_SHEET_COLUMNS):
        values = data[col].tolist()
        for r, value in enumerate(values, start=1):
            if col == "severity":
                ws.write_string(r, c, t("severity." + value), fmt.rows[value])
            elif col == "evidence":
                if value:
                    ws.write_string(r, c, json.dumps(value, ensure_ascii=False, sort_keys=True))
            else:
                write_cell(ws, r, c, json_value(value))
    last = len(findings)
    verdict_col = len(FINDINGS_SHEET_COLUMNS)
    for offset, col in enumerate(("verdict", "review_note")):
        if col in findings:  # carried over from a reviewed report (--reviewed)
            for r, value in enumerate(findings[col].tolist(), start=1):
                if value is not None and value == value:
                    ws.write_string(r, verdict_col + offset, str(value))
    if last:
        ws.data_validation(
            1, verdict_col, last, verdict_col, {"validate": "list", "source": list(VERDICTS)}
        )
    ws.set_column(verdict_col, verdict_col + len(REVIEW_COLUMNS) - 1, 14, fmt.verdict)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(last, 1), len(columns) - 1)


__all__ = [
    "FILL",
    "FINDINGS_SHEET_COLUMNS",
    "NOT_TRUE",
    "REVIEW_COLUMNS",
    "VERDICTS",
    "Formats",
    "column_label",
    "column_labels",
    "display_width",
    "findings_sheet",
    "sheet_name",
    "write_cell",
]
