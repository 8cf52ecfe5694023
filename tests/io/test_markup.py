""" ".xls" files that are really markup: HTML tables and SpreadsheetML 2003 read into
the same grids as a workbook, merged cells as calamine gives them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from civaudit.errors import LoadError
from civaudit.generator import RosterSpec, generate_county
from civaudit.io.markup import decode_html, render_number
from civaudit.io.read import read_workbook
from civaudit.roster import load_roster
from tests.conftest import make_id

HEAD, WIFE = make_id(seq="131"), make_id(seq="242")

HTML = f"""<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>花名册</title></head><body>
<table border=1>
<tr><td colspan=5>某村2019年10月农村低保花名册</td></tr>
<tr><th>户主姓名</th><th>家庭人口</th><th>姓名</th><th>身份证号</th><th>与户主<br>关系</th></tr>
<tr><td rowspan=2>张三</td><td rowspan=2 x:num>2</td><td>张三</td><td>{HEAD}</td><td>户主</td></tr>
<tr><td> 李  四 </td><td>{WIFE}</td><td>妻</td></tr>
<tr><td>合计</td><td x:num>2</td><td></td><td>&nbsp;</td><td></td></tr>
</table></body></html>"""


def _grid(path: Path, **kw) -> pd.DataFrame:
    return read_workbook(path, **kw).sheets[0].cells


def test_html_table_with_gbk_meta_charset_rowspan_and_colspan(tmp_path):
    path = tmp_path / "花名册.xls"
    path.write_bytes(HTML.encode("gbk"))
    book = read_workbook(path)
    assert (book.kind, book.encoding) == ("html", "gb18030")
    grid = book.sheets[0].cells
    assert list(grid.index) == [1, 2, 3, 4, 5]
    assert list(grid.columns) == [0, 1, 2, 3, 4]
    assert grid.loc[1, 0] == "某村2019年10月农村低保花名册"
    assert grid.loc[1, 1:].isna().all()  # covered by the colspan, like a merged range
    assert grid.loc[2, 4] == "与户主\n关系"  # <br> is a line break
    assert grid.loc[3, 0] == "张三" and pd.isna(grid.loc[4, 0]) and pd.isna(grid.loc[4, 1])
    assert grid.loc[4, 2] == "李 四"  # whitespace collapses as a browser shows it
    assert grid.loc[4, 3] == WIFE and grid.loc[4, 4] == "妻"  # placed after the rowspans
    assert pd.isna(grid.loc[5, 3])  # &nbsp; alone is blank
    numeric = book.sheets[0].numeric([1, 3])
    assert numeric.loc[3, 1] and not numeric.loc[3, 3]  # x:num marks a number cell


def test_html_block_layout_loads_like_merged_excel(tmp_path):
    path = tmp_path / "花名册.xls"
    path.write_bytes(HTML.encode("gbk"))
    roster = load_roster(path)
    assert roster.files[0].kind == "html"
    assert roster.sheets[0].layout == "block"
    assert list(roster.members["name"]) == ["张三", "李四"]
    assert list(roster.households["household_size"]) == [2]
    assert roster.sheets[0].skipped == {"title": 1, "totals": 1}


@pytest.mark.parametrize(
    ("encoding", "meta"),
    [
        ("utf-8", ""),
        ("gbk", ""),
        ("utf-8", '<meta charset="gbk">'),
        ("gbk", '<meta charset="utf-8">'),
    ],
)
def test_html_encoding_without_or_with_a_wrong_meta_charset(tmp_path, encoding, meta):
    path = tmp_path / "t.xls"
    path.write_bytes(
        f"<html><head>{meta}</head><table><tr><td>姓名</td><td>身份证号</td></tr></table>".encode(
            encoding
        )
    )
    assert list(_grid(path).loc[1]) == ["姓名", "身份证号"]


def test_decode_html_prefers_the_bom_then_the_meta_charset():
    assert decode_html("\ufeff<td>低保</td>".encode()) == ("<td>低保</td>", "utf-8")
    text, codec = decode_html('<meta charset="GB2312"><td>低保</td>'.encode("gbk"))
    assert "低保" in text and codec == "gb18030"


def test_several_tables_are_several_sheets_named_by_caption(tmp_path):
    path = tmp_path / "两村.xls"
    path.write_text(
        "<html><body>"
        "<table><caption>东村</caption><tr><td>姓名</td></tr><tr><td>甲</td></tr></table>"
        "<table><tr><td>姓名</td></tr><tr><td>乙</td></tr></table>"
        "<table><tr><td> </td></tr></table>"
        "</body></html>",
        encoding="utf-8",
    )
    book = read_workbook(path)
    assert [s.name for s in book.sheets] == ["东村", "Table2"]
    assert [s.reason for s in book.skipped] == ["empty"]
    assert read_workbook(path, sheet="Table2").sheets[0].cells.loc[2, 0] == "乙"
    with pytest.raises(LoadError, match="has no sheet"):
        read_workbook(path, sheet="西村")


def test_a_layout_table_around_the_data_table_is_left_out(tmp_path):
    path = tmp_path / "page.xls"
    path.write_text(
        "<html><body><table><tr><td>菜单</td><td>"
        "<table><tr><td>姓名</td><td>身份证号</td></tr><tr><td>甲</td><td>1</td></tr></table>"
        "</td></tr></table></body></html>",
        encoding="utf-8",
    )
    book = read_workbook(path)
    assert len(book.sheets) == 1 and book.sheets[0].cells.loc[2, 0] == "甲"


XML = """<?xml version="1.0"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:x="urn:schemas-microsoft-com:office:excel"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
<Worksheet ss:Name="2019年10月"><Table>
<Row><Cell ss:MergeAcross="3"><Data ss:Type="String">某村花名册</Data></Cell></Row>
<Row ss:Index="3"><Cell><Data ss:Type="String">户主姓名</Data></Cell>
 <Cell><Data ss:Type="String">姓名</Data></Cell><Cell><Data ss:Type="String">身份证号</Data></Cell>
 <Cell><Data ss:Type="String">出生日期</Data></Cell>
 <Cell><Data ss:Type="String">月保障金</Data></Cell></Row>
<Row><Cell ss:MergeDown="1"><Data ss:Type="String">张三</Data></Cell>
 <Cell><Data ss:Type="String">张三</Data></Cell>
 <Cell><Data ss:Type="Number">1.30723197206221E+17</Data></Cell>
 <Cell><Data ss:Type="DateTime">1972-06-22T00:00:00.000</Data></Cell>
 <Cell ss:MergeDown="1"><Data ss:Type="Number">400.50</Data></Cell></Row>
<Row><Cell ss:Index="2"><Data ss:Type="String">李四</Data></Cell>
 <Cell><ss:Data ss:Type="String" xmlns="http://www.w3.org/TR/REC-html40"><B>1307</B>23</ss:Data></Cell>
 <Cell><Data ss:Type="Boolean">1</Data></Cell></Row>
</Table></Worksheet>
<Worksheet ss:Name="代码表"><Table><Row><Cell><Data ss:Type="String">x</Data></Cell></Row></Table>
<WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel">
<Visible>SheetHidden</Visible></WorksheetOptions></Worksheet>
</Workbook>"""


def test_spreadsheetml_merges_indexes_and_types(tmp_path):
    path = tmp_path / "导出.xls"
    path.write_text(XML, encoding="utf-8")
    book = read_workbook(path)
    assert book.kind == "spreadsheetml"
    assert [s.name for s in book.sheets] == ["2019年10月"]
    assert [(s.name, s.reason) for s in book.skipped] == [("代码表", "hidden")]
    grid = book.sheets[0].cells
    assert grid.loc[1, 0] == "某村花名册" and grid.loc[1, 1:].isna().all()
    assert grid.loc[2].isna().all()  # the row ss:Index skipped
    assert list(grid.loc[3]) == ["户主姓名", "姓名", "身份证号", "出生日期", "月保障金"]
    # as calamine renders an .xlsx: the number's exact value, dates as ISO datetimes
    assert list(grid.loc[4]) == [
        "张三",
        "张三",
        "130723197206220992",
        "1972-06-22 00:00:00",
        "400.5",
    ]
    # MergeDown covers columns 0 and 4 of row 5: the next cells follow their ss:Index
    assert pd.isna(grid.loc[5, 0]) and grid.loc[5, 1] == "李四"
    assert grid.loc[5, 2] == "130723" and grid.loc[5, 3] == "true" and pd.isna(grid.loc[5, 4])
    numeric = book.sheets[0].numeric([2])
    assert list(numeric[2]) == [False, False, False, True, False]
    assert [s.name for s in read_workbook(path, sheet="代码表").sheets] == ["代码表"]


def test_spreadsheetml_id_stored_as_number_is_precision_lost(tmp_path):
    path = tmp_path / "导出.xls"
    path.write_text(XML, encoding="utf-8")
    members = load_roster(path).members
    assert members.loc[members["name"] == "张三", "id_status"].item() == "precision-lost"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("1", "1"),
        ("1.50", "1.5"),
        ("-0", "0"),
        ("0.1", "0.1"),
        ("12.3456789012", "12.345678901"),
        ("1.30723197206221E+17", "130723197206220992"),
        ("abc", "abc"),
    ],
)
def test_numbers_render_as_calamine_renders_them(text, shown):
    assert render_number(text) == shown


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE Workbook [<!ENTITY a "aaaaaaaaaa">]>'
            b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>',
            "declares entities",
        ),
        (
            b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
            b'<Worksheet><Table><Row><Cell><Data ss:Type="String">x</Data>',
            "damaged or truncated",
        ),
        (b"<html><body>nothing here</body></html>", "HTML page with no table"),
    ],
)
def test_markup_that_is_no_roster_is_refused_in_one_line(tmp_path, content, message):
    path = tmp_path / "bad.xls"
    path.write_bytes(content)
    with pytest.raises(LoadError) as err:
        read_workbook(path)
    assert message in str(err.value) and str(path) in str(err.value)
    assert "\n" not in str(err.value) and err.value.hint


@pytest.fixture(scope="module")
def three_formats(tmp_path_factory):
    """The same block roster (merged household cells, two-row header, subtotals,
    quirks) as .xlsx, as an HTML .xls and as SpreadsheetML."""
    out = {}
    for fmt in ("xlsx", "html-xls", "xml-xls"):
        spec = RosterSpec(
            seed=5,
            members=500,
            villages=3,
            towns=1,
            layout="block",
            fmt=fmt,
            two_row_header=True,
            subtotals=True,
            quirks=0.05,
            blank_rows=0.1,
            sheet_per_village=True,
            hidden_sheet=True,
        )
        files, _ = generate_county(spec, tmp_path_factory.mktemp(fmt))
        out[fmt] = files[0]
    return out


def test_the_generator_writes_an_html_xls_with_rowspans_and_gbk_meta(three_formats):
    raw = three_formats["html-xls"].read_bytes()
    assert three_formats["html-xls"].suffix == ".xls"
    assert b"charset=gbk" in raw and b"rowspan=" in raw and b"colspan=" in raw
    assert "户主姓名".encode("gbk") in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    xml = three_formats["xml-xls"].read_text(encoding="utf-8")
    assert "ss:MergeDown=" in xml and "ss:MergeAcross=" in xml and "SheetHidden" in xml


@pytest.mark.parametrize("fmt", ["html-xls", "xml-xls"])
def test_markup_reads_into_the_same_roster_as_the_xlsx(three_formats, fmt):
    want, got = load_roster(three_formats["xlsx"]), load_roster(three_formats[fmt])
    assert [f.kind for f in got.files] == ["html" if fmt == "html-xls" else "spreadsheetml"]
    assert len(got.households) > 100
    for table in ("households", "members", "totals", "issues"):
        a = getattr(want, table).drop(columns=["file"])
        b = getattr(got, table).drop(columns=["file"])
        pd.testing.assert_frame_equal(a, b, check_dtype=False)
    assert [s.layout for s in got.sheets] == [s.layout for s in want.sheets]
    assert [s.skipped for s in got.sheets] == [s.skipped for s in want.sheets]


def test_a_large_html_table_reads_in_seconds(tmp_path):
    """100,000 rows: the grid is built from batches of rows, not cell by cell."""
    import time

    rows = "\n".join(
        f"<tr><td>{i}</td><td>张{i}</td><td rowspan=1>{i * 7}</td></tr>" for i in range(100_000)
    )
    path = tmp_path / "big.xls"
    path.write_bytes(f"<html><body><table>{rows}</table></body></html>".encode())
    start = time.monotonic()
    grid = _grid(path)
    assert time.monotonic() - start < 20
    assert grid.shape == (100_000, 3)
    assert grid.loc[100_000, 1] == "张99999"
    assert np.array_equal(grid[0].astype(int).to_numpy(), np.arange(100_000))
