"""Read the ".xls" files that are really markup: an HTML table or SpreadsheetML 2003.

Civil-affairs systems and many web applications "export to Excel" by writing an HTML
table (often with a GBK ``charset`` in a meta tag, sometimes with none) or Excel 2003
XML, and name the file ``.xls``. Both are read into the same text grid a workbook
gives (``io.read.Sheet``: index = 1-based row, columns = 0-based column numbers), with
a merged area's value in its top-left cell and the covered cells left empty, exactly
as calamine gives a merged Excel range, so header detection and the block layout
work unchanged.

- HTML: every innermost ``<table>`` is a sheet (named by its ``<caption>``, else the
  file name for a lone table, else ``Table1``, ``Table2`` ...); ``rowspan`` and
  ``colspan`` are honoured, whitespace collapses as a browser shows it and ``<br>``
  is a line break. Text is decoded by the meta charset, else UTF-8, else GB18030.
  A cell Excel marked ``x:num`` counts as a number cell (an ID there lost digits).
- SpreadsheetML: ``ss:Index`` (rows and cells), ``ss:MergeAcross`` and
  ``ss:MergeDown`` are honoured; numbers, dates and booleans are rendered as
  calamine renders them, so the normalisers see the same text as from an .xlsx;
  hidden worksheets are skipped and listed. The XML is parsed with entity
  substitution, DTD loading and network access off, and a document that declares
  entities is refused.

Speed and memory: lxml (libxml2) parses incrementally; every few thousand rows are
moved out of the tree and turned into one delimited string by an XSLT stylesheet
(libxslt, C), which numpy and pyarrow split into cells. Python touches each row
element once, not each cell; only rowspans (the value of a cell covering the rows
below it) need a pass over the cells in Python, as a merge covers later rows.
"""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from civaudit.errors import LoadError
from civaudit.io.grid import Sheet, SkippedSheet, drop_empty_edges

TEXT = "str"  # the grid's dtype, as io.read gives it
BATCH_ROWS = 2000
MAX_COLSPAN = 1000  # as browsers cap them
MAX_ROWSPAN = 65534

_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-:.]+)", re.I)
_XML_ENCODING = re.compile(rb"<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_\-:.]+)", re.I)
_CHINESE = {"gbk", "gb2312", "gb_2312-80", "x-gbk", "cp936", "ms936", "windows-936", "euc-cn"}

SS = "urn:schemas-microsoft-com:office:spreadsheet"
X = "urn:schemas-microsoft-com:office:excel"
_WORKSHEET, _ROW = f"{{{SS}}}Worksheet", f"{{{SS}}}Row"
_VISIBLE = f"{{{X}}}Visible"
_NAME = f"{{{SS}}}Name"

# Private-use characters delimit the stylesheets' output (valid XML, never in a roster).
_END = "\ue001"  # ends a cell's text
_ROWMARK = "\ue002"  # a row starts
_BR = "\ue004"  # <br> inside a cell
_META = "\ue005"  # the cell attributes follow, one CSV line per cell that has any

_HTML_XSLT = f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="utf-8"/>
<xsl:template match="/">
  <xsl:for-each select="*/tr">
    <xsl:text>{_ROWMARK}{_END}</xsl:text>
    <xsl:for-each select="td|th"><xsl:apply-templates mode="t"/><xsl:text>{_END}</xsl:text>
    </xsl:for-each>
  </xsl:for-each>
  <xsl:text>{_META}</xsl:text>
  <xsl:for-each select="*/tr/td|*/tr/th">
    <xsl:if test="@rowspan or @colspan or @*[name()='x:num']">
      <xsl:value-of select="position()"/><xsl:text>,</xsl:text>
      <xsl:value-of select="translate(@rowspan, ',&quot;', '')"/><xsl:text>,</xsl:text>
      <xsl:value-of select="translate(@colspan, ',&quot;', '')"/><xsl:text>,</xsl:text>
      <xsl:if test="@*[name()='x:num']">1</xsl:if><xsl:text>&#10;</xsl:text>
    </xsl:if>
  </xsl:for-each>
</xsl:template>
<xsl:template match="br" mode="t"><xsl:text>{_BR}</xsl:text></xsl:template>
<xsl:template match="script|style" mode="t"/>
</xsl:stylesheet>"""

_XML_XSLT = f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:ss="{SS}">
<xsl:output method="text" encoding="utf-8"/>
<xsl:template match="/">
  <xsl:for-each select="*/ss:Row">
    <xsl:text>{_ROWMARK}{_END}</xsl:text>
    <xsl:for-each select="ss:Cell">
      <xsl:value-of select="substring(concat(ss:Data/@ss:Type, '-'), 1, 1)"/>
      <xsl:value-of select="ss:Data"/><xsl:text>{_END}</xsl:text>
    </xsl:for-each>
  </xsl:for-each>
  <xsl:text>{_META}</xsl:text>
  <xsl:for-each select="*/ss:Row">
    <xsl:if test="@ss:Index">
      <xsl:text>R,</xsl:text><xsl:value-of select="position()"/><xsl:text>,</xsl:text>
      <xsl:value-of select="translate(@ss:Index, ',&quot;', '')"/><xsl:text>,,&#10;</xsl:text>
    </xsl:if>
  </xsl:for-each>
  <xsl:for-each select="*/ss:Row/ss:Cell">
    <xsl:if test="@ss:Index or @ss:MergeAcross or @ss:MergeDown">
      <xsl:text>C,</xsl:text><xsl:value-of select="position()"/><xsl:text>,</xsl:text>
      <xsl:value-of select="translate(@ss:Index, ',&quot;', '')"/><xsl:text>,</xsl:text>
      <xsl:value-of select="translate(@ss:MergeAcross, ',&quot;', '')"/><xsl:text>,</xsl:text>
      <xsl:value-of select="translate(@ss:MergeDown, ',&quot;', '')"/><xsl:text>&#10;</xsl:text>
    </xsl:if>
  </xsl:for-each>
</xsl:template>
</xsl:stylesheet>"""


@cache
def _stylesheet(which: str):
    from lxml import etree

    source = _HTML_XSLT if which == "html" else _XML_XSLT
    return etree.XSLT(etree.XML(source))


@dataclass
class _Table:
    """One table or worksheet, gathered batch by batch."""

    name: str = ""
    state: str = "visible"
    nested: bool = False  # holds another table: a layout table, not data
    holder: object = None  # element the finished rows are moved into
    held: int = 0
    tokens: list[str] = field(default_factory=list)  # cell texts and row marks
    meta: list[str] = field(default_factory=list)  # attribute lines, positions global
    rows: int = 0  # row elements so far
    cells: int = 0  # cells so far


def _take_row(table: _Table, row, which: str) -> None:
    from lxml import etree

    if table.holder is None:
        table.holder = etree.Element("rows")
    table.holder.append(row)
    table.held += 1
    if table.held >= BATCH_ROWS:
        _flush(table, which)


def _flush(table: _Table, which: str) -> None:
    """Run the stylesheet over the held rows; keep their cells as text."""
    if not table.held:
        return
    out = str(_stylesheet(which)(table.holder))
    table.holder.clear()
    table.held = 0
    tokens = out.split(_END)
    meta = tokens.pop().partition(_META)[2]  # the attribute lines come last
    n_rows = tokens.count(_ROWMARK)
    if meta.strip():
        table.meta.append(_shift_meta(meta, table.cells, table.rows, which))
    table.tokens.extend(tokens)
    table.rows += n_rows
    table.cells += len(tokens) - n_rows


def _shift_meta(meta: str, cells: int, rows: int, which: str) -> str:
    """Batch-local positions (1-based) made table-wide (0-based)."""
    frame = pd.read_csv(io.StringIO(meta), header=None, dtype=str, keep_default_na=False)
    if which == "html":
        frame[0] = (frame[0].astype(np.int64) - 1 + cells).astype(str)
    else:
        is_row = frame[0] == "R"
        offset = np.where(is_row, rows, cells)
        frame[1] = (frame[1].astype(np.int64) - 1 + offset).astype(str)
    return frame.to_csv(header=False, index=False)


def _meta_frame(table: _Table, names: list[str]) -> pd.DataFrame:
    if not table.meta:
        return pd.DataFrame({n: pd.Series(dtype=object) for n in names})
    text = "".join(table.meta)
    return pd.read_csv(io.StringIO(text), header=None, names=names, dtype=str)


def _ints(values: pd.Series, default: int, low: int, high: int) -> np.ndarray:
    numbers = pd.to_numeric(values.str.strip().str.split(".").str[0], errors="coerce")
    return numbers.fillna(default).clip(low, high).astype(np.int64).to_numpy()


# --- the grid ------------------------------------------------------------------------


def _layout(
    tokens: list[str],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(cell texts, row ordinal of each cell (0-based), cell ordinal within its row)."""
    arr = np.empty(len(tokens), dtype=object)
    arr[:] = tokens
    is_mark = arr == _ROWMARK
    row_of = np.cumsum(is_mark) - 1
    cells = ~is_mark
    texts = arr[cells]
    rows = row_of[cells]
    position = np.arange(len(texts))
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]]) if len(rows) else np.array([])
    first = np.zeros(len(texts), dtype=np.int64)
    if len(texts):
        first[starts] = starts
        first = np.maximum.accumulate(first)
    return texts, rows, position - first


def _columns(
    rows: np.ndarray, ordinal: np.ndarray, span: np.ndarray, down: np.ndarray, given: np.ndarray
) -> np.ndarray:
    """0-based column of each cell: after the cells before it in its row (``span``
    columns each), at ``given`` where set (>= 0), skipping columns a cell above
    still covers (``down`` more rows)."""
    n = len(rows)
    if not down.any():
        # no merge reaches a later row: each run of cells after a given column (or
        # the row start) follows on from it; vectorised
        before = np.cumsum(span) - span
        start = (ordinal == 0) | (given >= 0)
        base = np.where(given >= 0, given, 0)
        offset = np.where(start, base - before, 0)
        index = np.maximum.accumulate(np.where(start, np.arange(n), 0)) if n else offset
        return before + offset[index]
    col = np.empty(n, dtype=np.int64)
    covered: dict[int, int] = {}  # column -> last row it is covered to
    rows_l, span_l, down_l, given_l = rows.tolist(), span.tolist(), down.tolist(), given.tolist()
    current = -1
    c = 0
    for k in range(n):
        r = rows_l[k]
        if r != current:
            current, c = r, 0
        g = given_l[k]
        if g >= 0:
            c = g
        else:
            while covered.get(c, -1) >= r:
                c += 1
        col[k] = c
        s = span_l[k]
        d = down_l[k]
        if d:
            last = r + d
            for cc in range(c, c + s):
                covered[cc] = last
        c += s
    return col


def _frame(rows: np.ndarray, cols: np.ndarray, texts: np.ndarray) -> pd.DataFrame:
    """The grid as the text frame a workbook sheet gives (empty edges dropped)."""

    keep = np.asarray(pd.notna(texts), dtype=bool)
    rows, cols, texts = rows[keep], cols[keep], texts[keep]
    if not len(rows):
        return pd.DataFrame(index=pd.RangeIndex(1, 1, name="row"))
    used = np.unique(cols)
    values = np.full((int(rows.max()), len(used)), None, dtype=object)
    values[rows - 1, np.searchsorted(used, cols)] = texts
    index = pd.RangeIndex(1, len(values) + 1, name="row")
    frame = pd.DataFrame(
        {int(c): pd.Series(values[:, i], index=index, dtype=TEXT) for i, c in enumerate(used)},
        index=index,
    )
    return drop_empty_edges(frame)


def _probe(rows: np.ndarray, cols: np.ndarray, index: pd.Index):
    """The ``Sheet.numeric`` callable: which cells of the given columns held numbers."""

    def probe(columns: list[int]) -> pd.DataFrame:
        return pd.DataFrame(
            {c: index.isin(pd.Index(rows[cols == c])) for c in columns}, index=index
        )

    return probe


def _blank_to_null(arr: pa.Array) -> np.ndarray:
    arr = pc.if_else(pc.equal(pc.utf8_trim_whitespace(arr), ""), None, arr)
    return arr.to_numpy(zero_copy_only=False)


# --- HTML ----------------------------------------------------------------------------


def decode_html(data: bytes) -> tuple[str, str]:
    """(text, codec): by the BOM, else the meta charset (GBK read as its superset
    GB18030), else UTF-8, else GB18030.

    GB18030 decodes nearly any bytes, so a page that declares GBK but is valid UTF-8
    with Chinese in it (a template's meta tag left as it was) is read as UTF-8:
    Chinese GBK text is practically never valid UTF-8."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace"), "utf-8"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace"), "utf-16"
    head = data[:16384]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    tried = ""
    if match:
        label = match.group(1).decode("ascii", "replace").lower()
        try:
            tried = codecs.lookup("gb18030" if label in _CHINESE else label).name
            if tried == "gb18030" and not data.isascii():
                try:
                    return data.decode("utf-8"), "utf-8"
                except UnicodeDecodeError:
                    pass
            return data.decode(tried), tried
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown label: try the usual encodings
    for codec in ("utf-8", "gb18030"):
        if codec != tried:
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                continue
    return data.decode("gb18030", "replace"), "gb18030"


def read_html(path: Path, data: bytes, *, only: str | None = None) -> tuple[list, list, str]:
    """(sheets, skipped sheets, encoding) of an HTML file's tables."""
    from lxml import etree

    text, encoding = decode_html(data)
    events = etree.iterparse(
        io.BytesIO(text.encode("utf-8", "surrogatepass")),
        events=("start", "end"),
        tag=("table", "tr", "caption"),
        html=True,
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        huge_tree=False,
    )
    stack: list[_Table] = []
    done: list[_Table] = []
    try:
        for event, element in events:
            tag = element.tag
            if tag == "tr":
                if event == "end" and stack:
                    _take_row(stack[-1], element, "html")
            elif tag == "table":
                if event == "start":
                    if stack:
                        stack[-1].nested = True
                    stack.append(_Table())
                elif stack:
                    table = stack.pop()
                    _flush(table, "html")
                    if not table.nested:
                        done.append(table)
                    element.clear()
            elif event == "end" and stack:  # caption
                stack[-1].name = " ".join("".join(element.itertext()).split())[:31]
    except etree.XMLSyntaxError:  # pragma: no cover - the HTML parser recovers
        pass
    for table in reversed(stack):  # tables left open at the end of the file
        _flush(table, "html")
        if not table.nested:
            done.append(table)
    if not done:
        raise LoadError(
            f"{path}: is an HTML page with no table in it",
            "export the roster again, or open it in Excel or WPS and save it as .xlsx",
        )
    names = _table_names(path, [t.name for t in done])
    if only is not None and only not in names:
        raise LoadError(f"{path}: has no sheet '{only}'", f"its tables are: {', '.join(names)}")
    sheets, skipped = [], []
    for name, table in zip(names, done, strict=True):
        if only is None or name == only:
            _add_sheet(sheets, skipped, name, *_html_cells(table))
    return sheets, skipped, encoding


def _table_names(path: Path, captions: list[str]) -> list[str]:
    names = []
    for i, caption in enumerate(captions, start=1):
        if caption and captions.count(caption) == 1:
            names.append(caption)
        elif len(captions) == 1:
            names.append(path.stem)
        else:
            names.append(f"Table{i}")
    return names


def _html_cells(table: _Table) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    texts, rows, ordinal = _layout(table.tokens)
    n = len(texts)
    span, down = np.ones(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    numeric = np.zeros(n, dtype=bool)
    meta = _meta_frame(table, ["pos", "rowspan", "colspan", "num"])
    if len(meta):
        pos = meta["pos"].astype(np.int64).to_numpy()
        down[pos] = _ints(meta["rowspan"].fillna(""), 1, 1, MAX_ROWSPAN) - 1
        span[pos] = _ints(meta["colspan"].fillna(""), 1, 1, MAX_COLSPAN)
        numeric[pos] = meta["num"].notna().to_numpy()
    cols = _columns(rows, ordinal, span, down, np.full(n, -1, dtype=np.int64))
    arr = pa.array(texts, type=pa.string()) if n else pa.array([], type=pa.string())
    arr = pc.replace_substring_regex(arr, r"[ \t\r\n\f]+", " ")
    if n and pc.any(pc.match_substring(arr, _BR)).as_py():
        arr = pc.replace_substring_regex(arr, f" ?{_BR} ?", "\n")
    return rows + 1, cols, _blank_to_null(pc.utf8_trim_whitespace(arr)), numeric


def _add_sheet(sheets, skipped, name, rows, cols, texts, numeric) -> None:

    frame = _frame(rows, cols, texts)
    if frame.empty or frame.isna().all().all():
        skipped.append(SkippedSheet(name, "empty"))
        return
    probe = _probe(rows[numeric], cols[numeric], frame.index) if numeric.any() else None
    sheets.append(Sheet(name, frame, probe))


# --- SpreadsheetML -------------------------------------------------------------------


def read_spreadsheetml(path: Path, data: bytes, *, only: str | None = None) -> tuple[list, list]:
    """(sheets, skipped sheets) of an Excel 2003 XML workbook."""
    from lxml import etree

    if b"<!ENTITY" in data[:1_000_000].replace(b"\x00", b"").upper():
        raise LoadError(
            f"{path}: the XML declares entities, which civaudit does not expand",
            "open it in Excel or WPS and save it as .xlsx",
        )
    events = etree.iterparse(
        io.BytesIO(data),
        events=("start", "end"),
        tag=(_WORKSHEET, _ROW, _VISIBLE),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    found: list[_Table] = []
    current = _Table()
    try:
        for event, element in events:
            tag = element.tag
            if tag == _ROW:
                if event == "end":
                    _take_row(current, element, "xml")
            elif tag == _WORKSHEET:
                if event == "start":
                    current = _Table(name=element.get(_NAME) or f"Sheet{len(found) + 1}")
                else:
                    _flush(current, "xml")
                    found.append(current)
                    element.clear()
            elif event == "end":  # x:Visible
                state = (element.text or "").strip().lower()
                if state in ("sheethidden", "sheetveryhidden"):
                    current.state = "hidden" if state == "sheethidden" else "very-hidden"
    except etree.XMLSyntaxError as exc:
        raise LoadError(
            f"{path}: the SpreadsheetML is damaged or truncated ({str(exc)[:120]})",
            "export it again, or open it in Excel or WPS and save it as .xlsx",
        ) from None
    if not found:
        raise LoadError(
            f"{path}: is SpreadsheetML (Excel 2003 XML) with no worksheet",
            "export the roster again",
        )
    names = [t.name for t in found]
    if only is not None and only not in names:
        raise LoadError(f"{path}: has no sheet '{only}'", f"its sheets are: {', '.join(names)}")
    sheets, skipped = [], []
    for table in found:
        if only is not None and table.name != only:
            continue
        if table.state != "visible" and only is None:
            skipped.append(SkippedSheet(table.name, table.state))
            continue
        _add_sheet(sheets, skipped, table.name, *_xml_cells(table))
    return sheets, skipped


def _xml_cells(table: _Table) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    tokens, row_ordinal, ordinal = _layout(table.tokens)
    n = len(tokens)
    meta = _meta_frame(table, ["what", "pos", "index", "across", "down"])
    rows_meta = meta[meta["what"] == "R"]
    cells_meta = meta[meta["what"] == "C"]
    # row numbers: ss:Index where given, else one more than the row before
    offset = np.full(table.rows, np.nan)
    if len(rows_meta):
        where = rows_meta["pos"].astype(np.int64).to_numpy()
        offset[where] = _ints(rows_meta["index"], 0, 1, 1_048_576) - where
    row_number = np.arange(table.rows) + pd.Series(offset).ffill().fillna(1).to_numpy(np.int64)
    rows = row_number[row_ordinal] if n else np.zeros(0, dtype=np.int64)
    span, down = np.ones(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    given = np.full(n, -1, dtype=np.int64)
    if len(cells_meta):
        pos = cells_meta["pos"].astype(np.int64).to_numpy()
        given[pos] = _ints(cells_meta["index"].fillna(""), 0, 0, 16384) - 1
        span[pos] = _ints(cells_meta["across"].fillna(""), 0, 0, MAX_COLSPAN) + 1
        down[pos] = _ints(cells_meta["down"].fillna(""), 0, 0, MAX_ROWSPAN)
    cols = _columns(rows, ordinal, span, down, given)
    arr = pa.array(tokens, type=pa.string()) if n else pa.array([], type=pa.string())
    kind = pc.utf8_slice_codeunits(arr, 0, 1).to_numpy(zero_copy_only=False)
    values = pc.utf8_slice_codeunits(arr, 1)
    texts = _blank_to_null(values)
    number = kind == "N"
    if number.any():
        texts[number] = _render_numbers(texts[number])
    date = kind == "D"
    if date.any():
        texts[date] = _render_datetimes(texts[date])
    boolean = kind == "B"
    if boolean.any():
        flags = pd.Series(texts[boolean], dtype=object).str.strip().isin(["1", "true"])
        texts[boolean] = np.where(flags, "true", "false")
    texts[kind == "-"] = None
    return rows, cols, texts, number


def _render_numbers(values: np.ndarray) -> np.ndarray:
    """Numbers as calamine renders them (see ``render_number``), once per distinct text."""
    out = values.copy()
    arr = pa.array(values, type=pa.string())
    # '1234' and '1234.5' are already what calamine shows; the rest goes through floats
    plain = pc.match_substring_regex(
        arr, r"^(0|-?0\.[0-9]{0,8}[1-9]|-?[1-9][0-9]{0,14}(\.[0-9]{0,8}[1-9])?)$"
    )
    odd = ~np.asarray(plain.fill_null(True), dtype=bool)
    if odd.any():
        unique, inverse = np.unique(values[odd].astype(str), return_inverse=True)
        out[odd] = np.array([render_number(u) for u in unique], dtype=object)[inverse]
    return out


def render_number(text: str) -> str:
    """A number as calamine renders it: at most 9 decimals, no trailing zeros, a large
    integer-valued double as its exact integer (1.30723197206221E+17 ->
    '130723197206220992')."""
    try:
        value = float(text)
    except ValueError:
        return text
    if value != value or value in (float("inf"), float("-inf")):
        return text.strip()
    out = f"{value:.9f}".rstrip("0").rstrip(".")
    return "0" if out in ("-0", "") else out


def _render_datetimes(values: np.ndarray) -> np.ndarray:
    """'2019-10-01T00:00:00.000' -> '2019-10-01 00:00:00', as calamine renders a date."""
    text = pd.Series(values, dtype=object).astype("string").str.strip()
    day = text.str.split("T").str[0]
    time = text.str.split("T").str[1].str.split(".").str[0].fillna("00:00:00")
    time = time.where(time.str.len() > 0, "00:00:00")
    out = (day + " " + time).astype(object)
    return out.where(out.notna(), None).to_numpy(dtype=object)


# --- sniffing ------------------------------------------------------------------------


def looks_like(data: bytes) -> str | None:
    """'html', 'spreadsheetml' or None, from the first bytes of a file."""
    head = data[:65536].replace(b"\x00", b"")
    head = head.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").lower()
    if not head.startswith(b"<"):
        return None
    workbook = re.search(rb"<(?:[a-z0-9_]+:)?workbook\b", head)
    spreadsheet = b"urn:schemas-microsoft-com:office:spreadsheet" in head
    html = re.search(rb"<html|<!doctype\s+html|<table|<meta|<body|<head\b", head)
    if workbook and spreadsheet and (not html or workbook.start() < html.start()):
        return "spreadsheetml"
    if html:
        return "html"
    return None
