"""What a faithful copy of a roster sheet needs besides its text, kept while loading.

The inspectors' workbook copies each roster sheet with the flagged rows highlighted.
A copy made from cell text alone is not faithful: a phone number typed as text
turns into ``1.33E+10``, dates into text, merged header cells and column widths are
lost. ``capture_sheet`` keeps, when the caller asks for it (``load_roster(...,
keep_rows=N)``), the first N rows of the text grid the reader already produced and
how each of those cells was stored: text, number, date or boolean, its number
format, the merged ranges and the column widths.

For ``.xlsx``/``.xlsm`` that comes from the sheet's XML: the cell type and style
attributes of the first N rows (never the values, which the reader gave), the
``<cols>`` widths and the ``<mergeCell>`` ranges, through one streaming pass that
stops after row N. Other kinds give what they can: the reader's numeric probe says
which cells held numbers (dates are the ISO texts among them); CSV and HTML cells
are text. Nothing is captured unless asked for, so a plain load costs nothing more.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from civaudit.io.grid import NumericProbe

EMPTY, TEXT, NUMBER, DATE, BOOL = 0, 1, 2, 3, 4
"""Cell kinds in ``SheetCapture.kinds``."""

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}:\d{2}(?:\.\d+)?)?")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+(?::[A-Z]+\d+)?)"')
_REF = re.compile(r"([A-Z]+)(\d+)")

# Built-in number formats (ECMA-376 18.8.30, and the ids a Chinese Excel uses).
BUILTIN_FORMATS = {
    1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00",
    12: "# ?/?", 13: "# ??/??", 14: "yyyy-mm-dd", 15: "d-mmm-yy", 16: "d-mmm",
    17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss",
    22: "yyyy-mm-dd h:mm", 27: 'yyyy"年"m"月"', 28: 'm"月"d"日"', 29: 'm"月"d"日"',
    30: "m-d-yy", 31: 'yyyy"年"m"月"d"日"', 32: 'h"时"mm"分"', 33: 'h"时"mm"分"ss"秒"',
    34: '上午/下午h"时"mm"分"', 35: '上午/下午h"时"mm"分"ss"秒"', 36: 'yyyy"年"m"月"',
    37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)",
    40: "#,##0.00;[Red](#,##0.00)", 45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0",
    48: "##0.0E+0", 49: "@", 50: 'yyyy"年"m"月"', 51: 'm"月"d"日"', 52: 'yyyy"年"m"月"',
    53: 'm"月"d"日"', 54: 'm"月"d"日"', 55: '上午/下午h"时"mm"分"',
    56: '上午/下午h"时"mm"分"ss"秒"', 57: 'yyyy"年"m"月"', 58: 'm"月"d"日"',
}  # fmt: skip
_DATE_IDS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}


@dataclass(frozen=True, eq=False)
class SheetCapture:
    """The first rows of a sheet as the copy needs them.

    ``cells`` is the reader's text grid (index = Excel row, columns = 0-based column
    numbers). ``kinds`` (uint8, one of EMPTY TEXT NUMBER DATE BOOL) and ``formats``
    (int32 index into ``number_formats``, -1 for none) are aligned with it, row by
    row and column by column; ``kinds`` is None when the file says nothing about
    types (CSV). ``merges`` are 0-based (first row, first col, last row, last col).
    """

    cells: pd.DataFrame
    kinds: np.ndarray | None = None
    formats: np.ndarray | None = None
    number_formats: tuple[str, ...] = ()
    merges: tuple[tuple[int, int, int, int], ...] = ()
    widths: dict[int, float] = field(default_factory=dict)
    hidden_columns: frozenset[int] = frozenset()
    heights: dict[int, float] = field(default_factory=dict)  # 0-based row -> points
    total_rows: int = 0


def capture_sheet(
    path: Path,
    kind: str,
    sheet: str,
    cells: pd.DataFrame,
    *,
    numeric: NumericProbe | None,
    rows: int,
) -> SheetCapture:
    """What a faithful copy of the first ``rows`` rows of ``sheet`` needs.

    Never raises for a file the reader read: a part that cannot be found is left out
    and the copy falls back on the text."""
    total = int(cells.index.max()) if len(cells) else 0
    head = cells.loc[: max(rows, 0)]
    if kind in ("xlsx", "xlsm"):
        try:
            return _ooxml(path, sheet, head, rows, total)
        except (OSError, KeyError, ValueError, zipfile.BadZipFile, SyntaxError):
            pass
    kinds = None
    if numeric is not None and len(head.columns):
        try:
            probe = numeric([int(c) for c in head.columns])
        except Exception:  # the probe is the reader's: any failure leaves types unknown
            probe = None
        if probe is not None:
            kinds = _kinds_from_probe(head, probe)
    return SheetCapture(head, kinds, total_rows=total)


def _kinds_from_probe(head: pd.DataFrame, probe: pd.DataFrame) -> np.ndarray:
    number = probe.reindex(index=head.index, columns=head.columns, fill_value=False)
    number = number.fillna(False).to_numpy(dtype=bool)
    filled = head.notna().to_numpy()
    kinds = np.where(filled, TEXT, EMPTY).astype(np.uint8)
    kinds[number & filled] = NUMBER
    for j, col in enumerate(head.columns):
        rows = np.flatnonzero(kinds[:, j] == NUMBER)
        if len(rows):
            text = head[col].iloc[rows].astype("string")
            dates = text.str.fullmatch(_ISO_DATE.pattern).fillna(False).to_numpy(dtype=bool)
            kinds[rows[dates], j] = DATE
    return kinds


# --- OOXML --------------------------------------------------------------------------------


_CELL = re.compile(
    rb'<c(?=[^>]*?\br="([A-Z]{1,3})(\d+)")(?=(?:[^>]*?\bs="(\d+)")?)(?=(?:[^>]*?\bt="(\w+)")?)[^>]*>'
)
_ROW_HEIGHT = re.compile(
    rb'<row(?=[^>]*?\br="(\d+)")(?=[^>]*?\bht="([\d.]+)")(?=[^>]*?\bcustomHeight="(?:1|true)")'
)
_COL = re.compile(rb"<(?:\w+:)?col\b([^>]*)/?>")
_ATTR = re.compile(rb'(\w+)="([^"]*)"')
_TEXT_TYPES = {b"s", b"str", b"inlineStr", b"e"}
_CHUNK = 1 << 22


def _ooxml(path: Path, sheet: str, head: pd.DataFrame, rows: int, total: int) -> SheetCapture:
    """Cell types and styles from the sheet XML's bytes, searched (not parsed) up to the
    first row past ``rows``: a few C-speed regular expressions over the head of the
    part, then the rest of it only for ``<mergeCell>``."""
    with zipfile.ZipFile(path) as archive:
        part = _sheet_part(archive, sheet)
        codes, is_date = _styles(archive)
        data, merges = _sheet_head(archive, part, rows)
    widths: dict[int, float] = {}
    hidden: set[int] = set()
    cols_end = data.find(b"<sheetData")
    for match in _COL.finditer(data, 0, cols_end if cols_end >= 0 else 0):
        attrs = dict(_ATTR.findall(match.group(1)))
        first, last = int(attrs.get(b"min", 1)) - 1, int(attrs.get(b"max", 1)) - 1
        for c in range(first, min(last, first + 16383, 16383) + 1):
            if attrs.get(b"width"):
                widths[c] = float(attrs[b"width"])
            if attrs.get(b"hidden") in (b"1", b"true"):
                hidden.add(c)
    heights = {int(r) - 1: float(h) for r, h in _ROW_HEIGHT.findall(data) if int(r) <= rows}
    found = _CELL.findall(data)
    kinds = np.where(head.notna().to_numpy(), TEXT, EMPTY).astype(np.uint8)
    formats = np.full(kinds.shape, -1, dtype=np.int32)
    if found:
        letters, numbers, styles, types = zip(*found, strict=True)
        row_no = np.fromiter((int(n) for n in numbers), dtype=np.int64, count=len(numbers))
        lookup: dict[bytes, int] = {}
        col_no = np.fromiter(
            (lookup.get(x) if x in lookup else lookup.setdefault(x, _column_index(x.decode()))
             for x in letters),
            dtype=np.int64, count=len(letters),
        )  # fmt: skip
        style_no = np.fromiter((int(x) if x else 0 for x in styles), np.int64, len(styles))
        keys: dict[tuple[int, bytes], int] = {}
        kind = np.fromiter(
            (keys.get((st, ty)) if (st, ty) in keys
             else keys.setdefault((st, ty), _kind(ty, is_date.get(st, False)))
             for st, ty in zip(style_no.tolist(), types, strict=True)),
            dtype=np.uint8, count=len(types),
        )  # fmt: skip
        r_idx = pd.Index(head.index).get_indexer(row_no)
        c_idx = pd.Index(head.columns).get_indexer(col_no)
        ok = (r_idx >= 0) & (c_idx >= 0)
        r_idx, c_idx = r_idx[ok], c_idx[ok]
        filled = kinds[r_idx, c_idx] != EMPTY
        kinds[r_idx[filled], c_idx[filled]] = kind[ok][filled]
        code_of = np.array([codes.get(i, -1) for i in range(int(style_no.max()) + 1)], np.int32)
        formats[r_idx, c_idx] = code_of[style_no[ok]]
    shown = [m for m in merges if m[0] < rows]
    return SheetCapture(
        head, kinds, formats, tuple(codes.texts), tuple(shown), widths,
        frozenset(hidden), heights, total,
    )  # fmt: skip


def _kind(cell_type: bytes, date_style: bool) -> int:
    if cell_type in _TEXT_TYPES:
        return TEXT
    if cell_type == b"b":
        return BOOL
    if cell_type == b"d":
        return DATE
    return DATE if date_style else NUMBER


def _sheet_head(archive: zipfile.ZipFile, part: str, rows: int) -> tuple[bytes, list]:
    """The part's bytes up to the first row past ``rows`` (the whole part when it is
    shorter), and every merged range of the sheet."""
    stop = b'<row r="%d"' % (rows + 1)
    head: list[bytes] = []
    merges: list[tuple[int, int, int, int]] = []
    tail = b""
    cut = False
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            data = tail + chunk
            if not cut:
                at = data.find(stop)
                if at >= 0:
                    head.append(data[:at])
                    cut = True
                    rest = data[at:]
                else:
                    keep = max(len(data) - 64, 0)  # a marker may straddle two chunks
                    head.append(data[:keep])
                    tail = data[keep:]
                    continue
            else:
                rest = data
            end = rest.rfind(b"<")
            end = end if end >= 0 and len(rest) - end < 200 else len(rest)
            for match in _MERGE.finditer(rest, 0, end):
                merges.extend(_merge(match.group(1).decode("ascii")))
            tail = rest[end:]
    if not cut:
        head.append(tail)
        tail = b""
    for match in _MERGE.finditer(tail):
        merges.extend(_merge(match.group(1).decode("ascii")))
    data = b"".join(head)
    if not cut:
        merges = [m for ref in _MERGE.findall(data) for m in _merge(ref.decode("ascii"))]
    return data, merges


class _Codes(dict):
    """style index -> index into ``texts`` (the number format texts in use)."""

    texts: list[str]


def _styles(archive: zipfile.ZipFile) -> tuple[_Codes, dict[int, bool]]:
    """For each cell style (``s``): the index of its number format text, and whether
    that format shows a date."""
    from lxml import etree

    codes = _Codes()
    codes.texts = []
    is_date: dict[int, bool] = {}
    name = _part_named(archive, "xl/styles.xml")
    if name is None:
        return codes, is_date
    root = etree.fromstring(archive.read(name), etree.XMLParser(resolve_entities=False))
    custom = {
        int(n.get("numFmtId")): n.get("formatCode", "")
        for n in root.iter(_MAIN + "numFmt")
        if n.get("numFmtId", "").isdigit()
    }
    xfs = root.find(_MAIN + "cellXfs")
    seen: dict[str, int] = {}
    for index, xf in enumerate(xfs if xfs is not None else ()):
        raw = xf.get("numFmtId", "0")
        number = int(raw) if raw.isdigit() else 0
        text = custom.get(number, BUILTIN_FORMATS.get(number))
        if not text or text == "General":
            continue
        if text not in seen:
            seen[text] = len(codes.texts)
            codes.texts.append(text)
        codes[index] = seen[text]
        is_date[index] = number in _DATE_IDS or (
            number not in BUILTIN_FORMATS and is_date_format(text)
        )
    return codes, is_date


def is_date_format(code: str) -> bool:
    """Whether a number format shows a date or time (``yyyy"年"m"月"``, ``m/d/yy``)."""
    section = re.sub(r'"[^"]*"|\\.|_.|\*.', "", code.split(";")[0])
    section = re.sub(r"\[(?![hms]+\])[^\]]*\]", "", section, flags=re.IGNORECASE)
    digits = re.sub(r"\.0+", "", section)
    return bool(re.search(r"[ydhms]", section, re.IGNORECASE)) and not re.search(r"[0#?]", digits)


def _part_named(archive: zipfile.ZipFile, name: str) -> str | None:
    for candidate in archive.namelist():
        if candidate.lower() == name.lower():
            return candidate
    return None


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str:
    """The zip member holding the worksheet named ``sheet``."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False)
    book_name = _part_named(archive, "xl/workbook.xml")
    if book_name is None:
        raise KeyError("xl/workbook.xml")
    book = etree.fromstring(archive.read(book_name), parser)
    rid = None
    for item in book.iter(_MAIN + "sheet"):
        if item.get("name") == sheet:
            rid = item.get(_REL + "id")
            break
    if rid is None:
        raise KeyError(sheet)
    rels_name = _part_named(archive, "xl/_rels/workbook.xml.rels")
    if rels_name is None:
        raise KeyError("workbook.xml.rels")
    rels = etree.fromstring(archive.read(rels_name), parser)
    for rel in rels:
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            part = posixpath.normpath(part)
            found = _part_named(archive, part)
            if found is None:
                raise KeyError(part)
            return found
    raise KeyError(rid)


def _merge(ref: str) -> list[tuple[int, int, int, int]]:
    corners = [_REF.fullmatch(p) for p in ref.split(":")]
    if not corners or any(m is None for m in corners):
        return []
    (c1, r1), (c2, r2) = (
        (_column_index(m.group(1)), int(m.group(2)) - 1) for m in (corners[0], corners[-1])
    )
    return [(r1, c1, r2, c2)] if (r1, c1) != (r2, c2) else []


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


__all__ = ["BOOL", "DATE", "EMPTY", "NUMBER", "TEXT", "SheetCapture", "capture_sheet"]
