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
import math
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from civaudit.i18n import LANGUAGES, t
from civaudit.i18n.catalog import MESSAGES

FILL = {"error": "#F8CBAD", "warning": "#FFE699", "info": "#DDEBF7"}
"""Row fill per severity: a flagged roster row, the severity cell of a finding."""

FINDINGS_SHEET_COLUMNS = (
    "severity", "place", "head", "who", "title", "rule", "message", "evidence_text", "source",
    "location",
)  # fmt: skip
"""The printed columns of the findings sheet, before the verdict columns."""

REVIEW_COLUMNS = ("verdict", "inspector", "checked_on", "note")
"""The columns an inspector fills in (核查结论, 核查人, 核查日期, 说明): right after the
finding's printed columns, so they are on the first printed page width."""

KEY_COLUMN = "key"
"""A hidden last column: the finding's identity (rule, file, sheet, household, person,
field) as JSON, which ``review`` reads back from a returned workbook."""

VERDICTS = {"属实": "confirmed", "不属实": "not-true", "已整改": "rectified"}
"""The verdicts offered in the 核查结论 list, and what each means."""

NOT_TRUE = "不属实"
"""The verdict that dismisses a finding."""

EXCEL_MAX_ROWS = 1_048_576
"""Rows in one Excel sheet, the header included (``report.split.check_fits``)."""

HYPERLINK_LIMIT = 65_000
"""Excel keeps at most 65,530 links per sheet: rows past this are plain text."""

_LABEL_KEYS = {
    "place": "col.village",
    "rule": "col.rule_id",
    "message": "col.description",
    "location": "col.location",
    KEY_COLUMN: "col.key",
}
_LEGACY_LABELS = {
    # what reports before the printable findings sheet called these columns
    "rule": {"规则", "rule"},
    "note": {"备注", "备注 (note)"},
    "evidence": {"证据", "evidence"},
}
# Width in Excel units (a CJK character takes 2), and whether the text wraps. The
# printed columns add up to about 175 units: one A4 landscape page wide at ~75%.
_WIDTHS = {
    "severity": (7, False),
    "place": (8, True),
    "head": (8, True),
    "who": (19, True),
    "title": (14, True),
    "rule": (10, True),
    "message": (34, True),
    "evidence_text": (23, True),
    "source": (13, True),
    "location": (8, False),
    "verdict": (8, False),
    "inspector": (7, True),
    "checked_on": (9, False),
    "note": (12, True),
}

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


class Formats:
    """The cell formats of a civaudit workbook, added to ``book`` once.

    xlsxwriter writes only the formats a cell or column uses, so a workbook that
    needs only some of them carries only those.
    """

    def __init__(self, book) -> None:
        self.book = book
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.subtitle = book.add_format({"bold": True, "font_size": 11})
        self.header = book.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.verdict = book.add_format({"bg_color": "#FFF2CC", "border": 1})
        self.rows = {s: book.add_format({"bg_color": c}) for s, c in FILL.items()}
        # Boxed cells of the printable sheets: every cell bordered, text at the top.
        box = {"border": 1, "valign": "top"}
        self.verdict_header = book.add_format(
            {**box, "bold": True, "bg_color": "#FFE699", "text_wrap": True}
        )
        self.cell = book.add_format({**box, "text_wrap": True})
        self.number = book.add_format(box)
        self.small = book.add_format({**box, "text_wrap": True, "font_size": 8})
        self.link = book.add_format(
            {**box, "text_wrap": True, "font_color": "#0563C1", "underline": 1}
        )
        self.severity = {
            s: book.add_format({**box, "bg_color": c, "bold": s == "error"})
            for s, c in FILL.items()
        }
        self.verdict_cell = book.add_format({**box, "bg_color": "#FFF2CC", "text_wrap": True})
        self.date = book.add_format({**box, "bg_color": "#FFF2CC", "num_format": "yyyy-mm-dd"})
        self.error_cell = book.add_format({**box, "text_wrap": True, "bg_color": FILL["error"]})
        self._cache: dict = {}

    def cached(self, **props):
        """A format with ``props``, made once per distinct set (roster copies need one
        per fill and number format)."""
        key = tuple(sorted(props.items()))
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self.book.add_format(dict(props))
        return found


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
    key = _LABEL_KEYS.get(column, "col." + column)
    return t(key) if lang is None else MESSAGES[key][lang]


def column_labels(column: str) -> set[str]:
    """Every header a findings sheet column may carry: its label in each language, the
    labels of older reports, and its own name, so a returned workbook is read whatever
    its language or age."""
    entry = MESSAGES[_LABEL_KEYS.get(column, "col." + column)]
    labels = {entry[lang] for lang in LANGUAGES if lang in entry}
    return {*labels, *_LEGACY_LABELS.get(column, ()), column}


def set_print(
    ws, *, title: str, as_of: str | None = None, landscape: bool = True, repeat: int | None = 0
) -> None:
    """A4, fit to one page wide, the header row(s) repeated, the title and as-of date in
    the page header and page numbers in the footer."""
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
    if repeat is not None:
        ws.repeat_rows(0, repeat)
    header = "&L&B" + _header_text(title)
    if as_of:
        header += "&R" + _header_text(as_of)
    ws.set_header(header, {"margin": 0.3})
    ws.set_footer("&C" + t("report.page"), {"margin": 0.3})


def _header_text(text: str) -> str:
    """Text for a page header: ``&`` doubled, at most 120 characters."""
    return str(text).replace("&", "&&")[:120]


def findings_sheet(
    book,
    fmt: Formats,
    findings: pd.DataFrame,
    *,
    heads: Mapping[str, str] | None = None,
    links: Mapping[tuple[str, str], tuple[str, int]] | None = None,
    title: str | None = None,
    as_of: str | None = None,
) -> None:
    """The findings sheet an inspector works through and prints.

    One row per finding, sorted by severity, village, household; the columns
    ``FINDINGS_SHEET_COLUMNS`` (the rule's title in the reader's language, its id in a
    narrow column, the evidence as "field: value" lines, where it is as a link to the
    highlighted row of the roster copy) and then the verdict columns to fill in
    (``REVIEW_COLUMNS``; 核查结论 is a list of VERDICTS), all on the first printed page
    width; the finding's identity in a hidden last column. Frozen header, filters,
    A4 landscape, one page wide, the header row on every page.

    ``heads`` maps a household key to its head's name; ``links`` maps (file, sheet) to
    the roster copy's sheet name and the last row copied. Verdicts carried over from a
    reviewed report (``verdict``, ``review_note`` and the like) are written in.
    """
    from civaudit.report.present import evidence_text, ordered, rule_titles

    ws = book.add_worksheet(t("sheet.findings"))
    columns = [*FINDINGS_SHEET_COLUMNS, *REVIEW_COLUMNS, KEY_COLUMN]
    for c, col in enumerate(columns):
        header = fmt.verdict_header if col in REVIEW_COLUMNS else fmt.header
        ws.write_string(0, c, column_label(col), header)
        width, _ = _WIDTHS.get(col, (10, False))
        options = {"hidden": True} if col == KEY_COLUMN else None
        ws.set_column(c, c, width, None, options)
    header_lines = max(
        text_lines(column_label(col), _WIDTHS[col][0]) for col in columns if col in _WIDTHS
    )
    ws.set_row(0, header_lines * LINE_HEIGHT + 2)
    data = ordered(findings) if len(findings) else findings.assign(place=None)
    n = len(data)
    titles = rule_titles()
    heads = heads or {}
    links = links or {}
    text = {
        "severity": [t("severity." + s) for s in data["severity"]],
        "place": data["place"].tolist(),
        "head": [heads.get(h) if isinstance(h, str) else None for h in data["household"]],
        "who": [
            _who(name, person) for name, person in zip(data["name"], data["person"], strict=True)
        ],
        "title": [titles.get(r, r) for r in data["rule"]],
        "rule": data["rule"].tolist(),
        "message": data["message"].tolist(),
        "evidence_text": [evidence_text(e) for e in data["evidence"]],
        "source": [
            where_text(f, s, None) for f, s in zip(data["file"], data["sheet"], strict=True)
        ],
    }
    for c, col in enumerate(FINDINGS_SHEET_COLUMNS):
        if col == "location":
            continue
        values = text[col]
        if col == "severity":
            for r, (label, sev) in enumerate(zip(values, data["severity"], strict=True), 1):
                ws.write_string(r, c, label, fmt.severity.get(sev, fmt.cell))
            continue
        cell = fmt.small if col == "rule" else fmt.cell
        for r, value in enumerate(values, start=1):
            if value is None or value != value:
                ws.write_blank(r, c, None, cell)
            else:
                ws.write_string(r, c, str(value), cell)
    c = FINDINGS_SHEET_COLUMNS.index("location")
    files, sheets, rows = data["file"].tolist(), data["sheet"].tolist(), data["row"].tolist()
    for r, (file, sheet, row) in enumerate(zip(files, sheets, rows, strict=True), start=1):
        label = t("where.row", row=int(row)) if row is not None and row == row else ""
        target = links.get((file, sheet)) if r <= HYPERLINK_LIMIT else None
        if target is not None and row is not None and row == row and int(row) <= target[1]:
            name = target[0].replace("'", "''")
            ws.write_url(r, c, f"internal:'{name}'!A{int(row)}", fmt.link, label)
        else:
            ws.write_string(r, c, label, fmt.cell)
    start = len(FINDINGS_SHEET_COLUMNS)
    carried = {"verdict": "verdict", "inspector": "inspector", "checked_on": "checked_on",
               "note": "review_note"}  # fmt: skip
    for offset, col in enumerate(REVIEW_COLUMNS):
        # the empty cells take the column's format (filled, boxed): no cell is written
        cell = fmt.date if col == "checked_on" else fmt.verdict_cell
        ws.set_column(start + offset, start + offset, _WIDTHS[col][0], cell)
        if carried[col] not in data:
            continue
        for r, value in enumerate(data[carried[col]].tolist(), start=1):
            if value is not None and value == value:
                ws.write_string(r, start + offset, str(value), cell)
    heights = row_heights(
        [(text[col], _WIDTHS[col][0] * (11 / 8 if col == "rule" else 1))
         for col in FINDINGS_SHEET_COLUMNS if col in text and _WIDTHS[col][1]]
    )  # fmt: skip
    for r, height in enumerate(heights, start=1):
        if height > LINE_HEIGHT:
            ws.set_row(r, height)
    keys = _keys(data)
    for r, key in enumerate(keys, start=1):
        ws.write_string(r, len(columns) - 1, key)
    verdict_col = start
    if n:
        ws.data_validation(
            1, verdict_col, n, verdict_col,
            {"validate": "list", "source": list(VERDICTS), "error_type": "warning"},
        )  # fmt: skip
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(n, 1), start + len(REVIEW_COLUMNS) - 1)
    set_print(ws, title=title or t("report.title"), as_of=as_of)
    ws.print_area(0, 0, max(n, 1), start + len(REVIEW_COLUMNS) - 1)


LINE_HEIGHT = 16.0
"""Points per line of text at the default 11-point font (CJK fonts included)."""


def text_lines(text, width: float) -> int:
    """Lines ``text`` takes wrapped in a column ``width`` units wide (a CJK character
    counts 2 units; its UTF-8 length tells it apart at C speed)."""
    if not isinstance(text, str) or not text:
        return 1
    usable = max(width - 1.5, 1.0)
    if len(text) * 2.2 <= usable and "\n" not in text:  # short: one line, surely
        return 1
    lines = 0
    for line in text.split("\n"):
        n_wide = (len(line.encode("utf-8")) - len(line)) / 2  # CJK: 3 bytes, 2 units
        wide = (len(line) - n_wide) * 0.88 + n_wide * 2  # Latin letters are narrower
        lines += max(1, math.ceil(wide * 1.05 / usable))
    return lines


def row_heights(columns: list[tuple[list, float]]) -> list[float]:
    """The height in points each row needs for its wrapped texts: ``columns`` holds,
    per wrapped column, its texts (one per row) and its width. Explicit heights make
    the printed page the same in Excel, WPS and LibreOffice, which do not all fit
    row heights to wrapped text on opening."""
    if not columns:
        return []
    most = [1] * len(columns[0][0])
    for texts, width in columns:
        for i, text in enumerate(texts):
            if isinstance(text, str) and text:
                n = text_lines(text, width)
                if n > most[i]:
                    most[i] = n
    return [n * LINE_HEIGHT + (2.0 if n > 1 else 0.0) for n in most]


def _who(name, person) -> str:
    parts = [str(v) for v in (name, person) if isinstance(v, str) and v]
    return "\n".join(parts)


def where_text(file, sheet, row) -> str:
    """Where a finding is, as a person reads it: the file (its name without the
    extension), the sheet where the file has another name, the row."""
    place = Path(file).stem if isinstance(file, str) and file else ""
    if isinstance(sheet, str) and sheet and sheet != place:
        place = f"{place} / {sheet}" if place else sheet
    if row is not None and row == row:
        return f"{place}\n{t('where.row', row=int(row))}" if place else t("where.row", row=int(row))
    return place


def _keys(data: pd.DataFrame) -> list[str]:
    """Each finding's identity (``engine.finding_key``'s parts) as JSON text."""
    fields = [e.get("field") if isinstance(e, Mapping) else None for e in data["evidence"]]
    parts = zip(
        *(data[c].astype("object").where(data[c].notna(), None).tolist()
          for c in ("rule", "file", "sheet", "household", "person")),
        fields,
        strict=True,
    )  # fmt: skip
    return [json.dumps(p, ensure_ascii=False, default=str) for p in parts]


__all__ = [
    "EXCEL_MAX_ROWS",
    "FILL",
    "FINDINGS_SHEET_COLUMNS",
    "HYPERLINK_LIMIT",
    "KEY_COLUMN",
    "LINE_HEIGHT",
    "NOT_TRUE",
    "REVIEW_COLUMNS",
    "VERDICTS",
    "Formats",
    "column_label",
    "column_labels",
    "display_width",
    "findings_sheet",
    "row_heights",
    "set_print",
    "sheet_name",
    "text_lines",
    "where_text",
    "write_cell",
]
