"""Writing rendered rows to .xlsx (xlsxwriter, constant memory), CSV, or the ".xls"
files web systems write: an HTML table or SpreadsheetML 2003.

The renderer hands over rows in order: a list of values (str, int, float,
`ExcelDate`, None) and a style key per cell. Both writers are deterministic:
the xlsx document properties carry a fixed date and xlsxwriter stamps every zip
member with 1980-01-01; the CSV is one encode of one string.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import xlsxwriter
from xlsxwriter.utility import _preserve_whitespace, xl_col_to_name

# Write sheet XML directly (see XlsxWriter); False uses xlsxwriter's public API.
FAST = True

# Style keys whose empty cells are still written (formatted blanks): merged
# areas, trailing columns, header and title areas.
BLANK_STYLES = frozenset({"mcell", "tcell", "header", "title", "total"})
DATE_FORMATS = {
    "yyyy-mm": "yyyy-mm",
    "yyyy年m月": 'yyyy"年"m"月"',
    "yyyy/m/d": "yyyy/m/d",
    "yyyy-mm-dd": "yyyy-mm-dd",
}


class ExcelDate(float):
    """An Excel serial date; ``fmt`` is its display format (a DATE_FORMATS key)."""

    fmt: str

    def __new__(cls, serial: float, fmt: str):
        obj = super().__new__(cls, serial)
        obj.fmt = fmt
        return obj

    def text(self) -> str:
        """How Excel shows the date in this format (what a CSV export holds)."""
        from datetime import date, timedelta

        d = date(1899, 12, 30) + timedelta(days=int(self))
        if self.fmt == "yyyy-mm":
            return f"{d.year}-{d.month:02d}"
        if self.fmt == "yyyy年m月":
            return f"{d.year}年{d.month}月"
        if self.fmt == "yyyy/m/d":
            return f"{d.year}/{d.month}/{d.day}"
        return d.isoformat()


class XlsxWriter:
    """One workbook; sheets are written top to bottom in constant memory.

    xlsxwriter spends ~5 us a cell; a million-member roster has ~25 million
    cells. With ``fast=True`` (the default) rows are turned into sheet XML here
    -- the same XML xlsxwriter's constant-memory mode writes (inline strings,
    the same escapes) -- and appended to the worksheet's row file; xlsxwriter
    still does formats, merges, column widths, properties and the package.
    This leans on four internals of xlsxwriter's constant-memory mode
    (``row_data_fh``, ``dim_*``, ``merge``, ``Format._get_xf_index``) that have
    been stable for a decade; ``fast=False`` uses only the public API and a test
    checks that both give the same cells.
    """

    def __init__(self, path: Path, title: str, fast: bool | None = None):
        self.book = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        created = datetime(2019, 10, 31, 9, 0, 0)
        self.book.set_properties({"title": title, "author": "civaudit", "created": created})
        self.ws = None
        self.fast = FAST if fast is None else fast
        self._formats: dict[tuple[str, str | None], object] = {}
        self._xf: dict[int, tuple[Sequence[str], list[str]]] = {}
        self._buf: list[str] = []
        self._dims: list[int] | None = None

    def _fmt(self, key: str, date: str | None = None):
        f = self._formats.get((key, date))
        if f is None:
            props: dict[str, object] = {"font_name": "宋体", "font_size": 10}
            if key in ("cell", "mcell", "total", "header", "tcell"):
                props["border"] = 1
            if key == "mcell":
                props["valign"] = "vcenter"
            if key in ("header", "total"):
                props.update(bold=True, align="center", valign="vcenter", text_wrap=True)
            if key == "title":
                props.update(bold=True, font_size=16, align="center", valign="vcenter")
            if date:
                props["num_format"] = DATE_FORMATS[date]
            f = self.book.add_format(props)
            self._formats[(key, date)] = f
        return f

    def add_sheet(self, name: str, widths: Sequence[float], hidden: bool = False) -> None:
        self._flush(final=True)
        self.ws = self.book.add_worksheet(name)
        for c, w in enumerate(widths):
            self.ws.set_column(c, c, w)
        if hidden:
            self.ws.hide()
        if self.fast and not hasattr(self.ws, "row_data_fh"):
            self.fast = False  # an xlsxwriter without the constant-memory row file
        self._letters = [xl_col_to_name(c) for c in range(len(widths) + 1)]

    def merge(self, ranges: Sequence[tuple[int, int, int, int]]) -> None:
        """Declare merged ranges; their cells arrive later with merge styles.

        xlsxwriter's merge_range writes all cells at once, which constant-memory
        mode (rows strictly in order) cannot take for vertical merges, so the
        ranges go straight to the sheet's merge list.
        """
        self.ws.merge.extend([list(r) for r in ranges])

    def row(self, r: int, values: Sequence, styles: Sequence[str]) -> None:
        if self.fast:
            self._row_xml(r, values, styles)
            return
        ws, fmt = self.ws, self._fmt
        for c, v in enumerate(values):
            key = styles[c]
            if v is None:
                if key in BLANK_STYLES:
                    ws.write_blank(r, c, None, fmt(key))
                continue
            t = type(v)
            if t is str:
                ws.write_string(r, c, v, fmt(key))
            elif t is ExcelDate:
                ws.write_number(r, c, v, fmt(key, v.fmt))
            else:
                ws.write_number(r, c, v, fmt(key))

    def _xfs(self, styles: Sequence[str]) -> list[str]:
        hit = self._xf.get(id(styles))
        if hit is not None and hit[0] is styles:
            return hit[1]
        xfs = [str(self._fmt(k)._get_xf_index()) for k in styles]
        self._xf[id(styles)] = (styles, xfs)  # keeps ``styles`` alive: ids stay unique
        return xfs

    def _row_xml(self, r: int, values: Sequence, styles: Sequence[str]) -> None:
        rs = str(r + 1)
        xfs = self._xfs(styles)
        letters = self._letters
        out = []
        last = -1
        for c, v in enumerate(values):
            if v is None:
                if styles[c] in BLANK_STYLES:
                    out.append(f'<c r="{letters[c]}{rs}" s="{xfs[c]}"/>')
                    last = c
                continue
            last = c
            t = type(v)
            if t is str:
                if _SLOW_TEXT.search(v):
                    out.append(self._slow_string(letters[c] + rs, xfs[c], v))
                else:
                    ref = letters[c] + rs
                    out.append(f'<c r="{ref}" s="{xfs[c]}" t="inlineStr"><is><t>{v}</t></is></c>')
            elif t is ExcelDate:
                xf = self._fmt(styles[c], v.fmt)._get_xf_index()
                out.append(f'<c r="{letters[c]}{rs}" s="{xf}"><v>{v:.16G}</v></c>')
            else:
                out.append(f'<c r="{letters[c]}{rs}" s="{xfs[c]}"><v>{v:.16G}</v></c>')
        if last < 0:
            return
        self._buf.append(f'<row r="{rs}">{"".join(out)}</row>')
        if self._dims is None:
            self._dims = [r, r, last]
        else:
            self._dims[1] = r
            if last > self._dims[2]:
                self._dims[2] = last
        if len(self._buf) >= 4096:
            self._flush()

    def _slow_string(self, ref: str, xf: str, v: str) -> str:
        ws = self.ws
        s = ws._escape_control_characters(v)
        t_attr = ' xml:space="preserve"' if _preserve_whitespace(s) else ""
        s = ws._escape_data(s)
        return f'<c r="{ref}" s="{xf}" t="inlineStr"><is><t{t_attr}>{s}</t></is></c>'

    def _flush(self, final: bool = False) -> None:
        if self.ws is None or not self.fast:
            return
        if self._buf:
            self.ws.row_data_fh.write("".join(self._buf))
            self._buf = []
        if final and self._dims is not None:
            first, last, col = self._dims
            ws = self.ws
            ws.dim_rowmin = first if ws.dim_rowmin is None else min(ws.dim_rowmin, first)
            ws.dim_rowmax = last if ws.dim_rowmax is None else max(ws.dim_rowmax, last)
            ws.dim_colmin = 0
            ws.dim_colmax = col if ws.dim_colmax is None else max(ws.dim_colmax, col)
            self._dims = None

    def close(self) -> None:
        self._flush(final=True)
        self.book.close()


# Strings that need xlsxwriter's escaping: XML specials, control characters,
# literal _xHHHH_ sequences, leading or trailing whitespace.
_SLOW_TEXT = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s$")


class CsvWriter:
    """One CSV file; a sheet's merged cells become blanks, as Excel exports them."""

    def __init__(self, path: Path, encoding: str):
        self.path = path
        self.encoding = encoding
        self.buf = io.StringIO(newline="")
        self.out = csv.writer(self.buf, lineterminator="\r\n")
        self.next_row = 0
        self.width = 0

    def add_sheet(self, name: str, widths: Sequence[float], hidden: bool = False) -> None:
        if self.next_row:
            raise ValueError("a CSV file holds one sheet")
        self.width = len(widths)

    def merge(self, ranges) -> None:
        pass

    def row(self, r: int, values: Sequence, styles: Sequence[str]) -> None:
        while self.next_row < r:
            self.out.writerow([""] * self.width)
            self.next_row += 1
        cells = [_csv_text(v) for v in values]
        cells += [""] * (self.width - len(cells))
        self.out.writerow(cells)
        self.next_row = r + 1

    def close(self) -> None:
        self.path.write_bytes(self.buf.getvalue().encode(self.encoding))


def _csv_text(v) -> str:
    if v is None:
        return ""
    t = type(v)
    if t is str:
        return v
    if t is ExcelDate:
        return v.text()
    if t is bool:
        return "1" if v else "0"
    if t is int:
        return str(v)
    return excel_general(float(v))


def excel_general(x: float) -> str:
    """A number as Excel's General format shows it (and saves it to CSV)."""
    if x == int(x) and abs(x) < 1e11:
        return str(int(x))
    if abs(x) >= 1e11:
        mant, exp = f"{x:.5E}".split("E")
        mant = mant.rstrip("0").rstrip(".")
        return f"{mant}E+{int(exp):02d}"
    return f"{x:.10g}"


def cell_name(row0: int, col0: int) -> str:
    """A1 name of a 0-based cell."""
    return f"{xl_col_to_name(col0)}{row0 + 1}"


def _date_text(v: ExcelDate) -> str:
    """An Excel date as an export writes it in text: the ISO date."""
    from datetime import date, timedelta

    return (date(1899, 12, 30) + timedelta(days=int(v))).isoformat()


class _Merges:
    """Merged ranges of one sheet: each top-left cell's span, and the cells covered."""

    def __init__(self) -> None:
        self.spans: dict[tuple[int, int], tuple[int, int]] = {}
        self.covered: set[tuple[int, int]] = set()

    def add(self, ranges: Sequence[tuple[int, int, int, int]]) -> None:
        for r1, c1, r2, c2 in ranges:
            self.spans[(r1, c1)] = (r2 - r1 + 1, c2 - c1 + 1)
            self.covered.update(
                (r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1) if (r, c) != (r1, c1)
            )


class HtmlWriter:
    """An HTML table saved as ".xls", as web systems "export to Excel": GBK bytes with
    a meta charset, one <table> per sheet (its name in the <caption>), merged cells
    as rowspan/colspan with the covered cells left out, numbers marked x:num as
    Excel marks them, dates as ISO text. Deterministic: one encode of one string."""

    def __init__(self, path: Path, title: str, encoding: str = "gbk"):
        self.path = path
        self.title = title
        self.encoding = encoding
        self.tables: list[str] = []
        self.rows: list[str] = []
        self.name = ""
        self.merges = _Merges()
        self.next_row = 0

    def add_sheet(self, name: str, widths: Sequence[float], hidden: bool = False) -> None:
        self._end_table()
        self.name = name
        self.merges = _Merges()
        self.next_row = 0

    def merge(self, ranges) -> None:
        self.merges.add(ranges)

    def row(self, r: int, values: Sequence, styles: Sequence[str]) -> None:
        while self.next_row < r:
            self.rows.append("<tr></tr>")
            self.next_row += 1
        cells = []
        covered, spans = self.merges.covered, self.merges.spans
        for c, v in enumerate(values):
            if (r, c) in covered:
                continue
            attrs = ""
            span = spans.get((r, c))
            if span:
                if span[0] > 1:
                    attrs += f' rowspan="{span[0]}"'
                if span[1] > 1:
                    attrs += f' colspan="{span[1]}"'
            tag = "th" if styles[c] == "header" else "td"
            t = type(v)
            if v is None:
                text = ""
            elif t is str:
                text = html.escape(v, quote=False)
            elif t is ExcelDate:
                text = _date_text(v)
            else:
                attrs += " x:num"
                text = _csv_text(v)
            cells.append(f"<{tag}{attrs}>{text}</{tag}>")
        self.rows.append(f"<tr>{''.join(cells)}</tr>")
        self.next_row = r + 1

    def _end_table(self) -> None:
        if self.name:
            caption = html.escape(self.name, quote=False)
            body = "\n".join(self.rows)
            self.tables.append(
                f'<table border="1">\n<caption>{caption}</caption>\n{body}\n</table>'
            )
        self.rows = []

    def close(self) -> None:
        self._end_table()
        charset = "gbk" if self.encoding.lower() in ("gbk", "gb18030") else self.encoding
        text = (
            '<html xmlns:x="urn:schemas-microsoft-com:office:excel">\n<head>\n'
            f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">\n'
            f"<title>{html.escape(self.title, quote=False)}</title>\n</head>\n<body>\n"
            + "\n".join(self.tables)
            + "\n</body>\n</html>\n"
        )
        self.path.write_bytes(text.encode(self.encoding, "xmlcharrefreplace"))


_XML_FORMATS = {"yyyy-mm": "d1", "yyyy年m月": "d2", "yyyy/m/d": "d3", "yyyy-mm-dd": "d4"}


class XmlWriter:
    """SpreadsheetML 2003 (Excel's "XML Spreadsheet") saved as ".xls": one Worksheet
    per sheet, merged cells as ss:MergeAcross/ss:MergeDown with the covered cells
    left out (the next cell then carries ss:Index), gaps in rows as Row ss:Index,
    numbers, dates (ss:Type DateTime with a number format) and text typed as Excel
    writes them, hidden sheets with x:Visible."""

    def __init__(self, path: Path, title: str):
        self.path = path
        self.title = title
        self.sheets: list[str] = []
        self.rows: list[str] = []
        self.name = ""
        self.hidden = False
        self.merges = _Merges()
        self.next_row = 0

    def add_sheet(self, name: str, widths: Sequence[float], hidden: bool = False) -> None:
        self._end_sheet()
        self.name, self.hidden = name, hidden
        self.merges = _Merges()
        self.next_row = 0

    def merge(self, ranges) -> None:
        self.merges.add(ranges)

    def row(self, r: int, values: Sequence, styles: Sequence[str]) -> None:
        cells = []
        covered, spans = self.merges.covered, self.merges.spans
        expected = 0
        for c, v in enumerate(values):
            if (r, c) in covered:
                continue
            span = spans.get((r, c))
            if v is None and not span:
                continue
            attrs = f' ss:Index="{c + 1}"' if c != expected else ""
            if span:
                if span[1] > 1:
                    attrs += f' ss:MergeAcross="{span[1] - 1}"'
                if span[0] > 1:
                    attrs += f' ss:MergeDown="{span[0] - 1}"'
            expected = c + (span[1] if span else 1)
            t = type(v)
            if v is None:
                cells.append(f"<Cell{attrs}/>")
                continue
            if t is str:
                data = f'<Data ss:Type="String">{xml_escape(v)}</Data>'
            elif t is ExcelDate:
                attrs += f' ss:StyleID="{_XML_FORMATS[v.fmt]}"'
                data = f'<Data ss:Type="DateTime">{_date_text(v)}T00:00:00.000</Data>'
            elif t is bool:
                data = f'<Data ss:Type="Boolean">{int(v)}</Data>'
            else:
                number = str(v) if t is int else repr(float(v))
                data = f'<Data ss:Type="Number">{number}</Data>'
            cells.append(f"<Cell{attrs}>{data}</Cell>")
        if not cells:
            return
        index = f' ss:Index="{r + 1}"' if r != self.next_row else ""
        self.rows.append(f"<Row{index}>{''.join(cells)}</Row>")
        self.next_row = r + 1

    def _end_sheet(self) -> None:
        if self.name:
            options = (
                '<WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel">'
                "<Visible>SheetHidden</Visible></WorksheetOptions>"
                if self.hidden
                else ""
            )
            body = "\n".join(self.rows)
            self.sheets.append(
                f'<Worksheet ss:Name="{xml_escape(self.name, {chr(34): "&quot;"})}">\n'
                f"<Table>\n{body}\n</Table>{options}\n</Worksheet>"
            )
        self.rows = []

    def close(self) -> None:
        self._end_sheet()
        styles = "".join(
            f'<Style ss:ID="{sid}"><NumberFormat ss:Format="{xml_escape(fmt)}"/></Style>'
            for fmt, sid in _XML_FORMATS.items()
        )
        text = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<?mso-application progid="Excel.Sheet"?>\n'
            '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"'
            ' xmlns:o="urn:schemas-microsoft-com:office:office"'
            ' xmlns:x="urn:schemas-microsoft-com:office:excel"'
            ' xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"'
            ' xmlns:html="http://www.w3.org/TR/REC-html40">\n'
            '<DocumentProperties xmlns="urn:schemas-microsoft-com:office:office">'
            f"<Title>{xml_escape(self.title)}</Title><Author>civaudit</Author>"
            "<Created>2019-10-31T09:00:00Z</Created></DocumentProperties>\n"
            f'<Styles><Style ss:ID="Default" ss:Name="Normal"/>{styles}</Styles>\n'
            + "\n".join(self.sheets)
            + "\n</Workbook>\n"
        )
        self.path.write_bytes(text.encode("utf-8"))
