"""Reading files: kinds, bad input refused with one clear line, the corpus."""

from __future__ import annotations

import time

import pytest

from civaudit.errors import LoadError
from civaudit.io.grid import column_letter
from civaudit.io.read import read_workbook
from civaudit.roster import load_roster
from tests.conftest import CORPUS


@pytest.mark.parametrize(
    ("index", "letter"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")]
)
def test_column_letter(index, letter):
    assert column_letter(index) == letter


def test_grid_keeps_excel_rows_and_columns(xlsx):
    path = xlsx([[None], [None, None, "a", "b"], [None, None, 1]])
    sheet = read_workbook(path).sheets[0]
    assert list(sheet.cells.index) == [1, 2, 3]  # Excel rows, leading blank row included
    assert sheet.cells.loc[1].isna().all()
    assert list(sheet.cells.columns) == [2, 3]
    assert sheet.cells.loc[3, 2] == "1"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.xlsx", b"", "the file is empty"),
        (
            "page.xls",
            b"<html><head><meta charset='gbk'></head><body><p>no table</p></body></html>",
            "HTML page with no table",
        ),
        (
            "xml.xls",
            b'<?xml version="1.0"?>'
            b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>',
            "SpreadsheetML",
        ),
        ("truncated.xlsx", b"PK\x03\x04\x14\x00\x00\x00\x08\x00garbage", "damaged or truncated"),
        ("random.xls", b"\x01\x02\x03 this is not a workbook", "not a spreadsheet"),
        ("notes.txt.xlsb", b"just some text", "not a spreadsheet"),
    ],
)
def test_bad_files_are_refused_with_the_file_and_a_hint(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LoadError) as err:
        read_workbook(path)
    assert str(path) in str(err.value)
    assert message in str(err.value)
    assert err.value.hint


def test_missing_file(tmp_path):
    with pytest.raises(LoadError, match="no such file"):
        load_roster(tmp_path / "nope.xlsx")


def test_truncated_real_workbook(tmp_path, xlsx):
    good = xlsx([["姓名", "身份证号"], ["张三", "x"]])
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(LoadError, match=r"damaged or truncated|cannot be read"):
        read_workbook(cut)


@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not present")
@pytest.mark.parametrize("name", ["pass_protected.xlsx", "pass_protected.xlsb", "issue_385.xls"])
def test_password_protected(name):
    with pytest.raises(LoadError, match="password-protected"):
        read_workbook(CORPUS / name)


CORPUS_FILES = sorted(
    p for p in CORPUS.glob("*") if p.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
)


@pytest.mark.skipif(not CORPUS_FILES, reason="shared corpus not present")
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_corpus_loads_or_is_refused_cleanly(path, capfd):
    """Every file either loads or raises one CivauditError naming it, within seconds,
    with nothing from the Rust reader on stderr."""
    from civaudit.errors import CivauditError

    start = time.monotonic()
    try:
        load_roster(path)
    except CivauditError as exc:
        assert str(path) in str(exc)
        assert "\n" not in str(exc)
    assert time.monotonic() - start < 10
    assert "panicked" not in capfd.readouterr().err


def test_a_workbook_under_the_wrong_extension_is_read_by_its_content(tmp_path, xlsx):
    good = xlsx([["姓名", "身份证号"], ["张三", "x"]])
    renamed = tmp_path / "其实是xlsx.xls"
    renamed.write_bytes(good.read_bytes())
    book = read_workbook(renamed)
    assert book.kind == "xlsx" and book.sheets[0].cells.loc[2, 0] == "张三"
    assert book.sha256 == read_workbook(good).sha256 and book.size == good.stat().st_size
