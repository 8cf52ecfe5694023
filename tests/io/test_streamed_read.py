"""The streamed reader (``io.stream``, python-calamine-plus) gives the same grids as the
whole-sheet reader (fastexcel): every cell's text, the geometry, the skipped sheets and
the numeric probe, on the cell kinds a roster holds and on generated grids."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from civaudit.errors import CivauditError
from civaudit.io.read import read_workbook
from civaudit.io.stream import streamable
from civaudit.limits import Limits
from civaudit.normalize.dates import parse_dates
from tests.conftest import CORPUS

pytestmark = pytest.mark.skipif(not streamable(), reason="python-calamine-plus not installed")

STREAMED = Limits(stream_bytes=0)
WHOLE = Limits(stream_bytes=math.inf)

KINDS = [
    42, -3, 0, 1234.0, 1234.5, 455.5, 0.1 + 0.2, 1.5e-7, 1e20, 123456789012.25,
    110101199001011234,  # an ID typed into a number cell: its last digits lost
    1.30723197206221e17, dt.datetime(2019, 10, 1), dt.datetime(2019, 10, 1, 12, 30),
    dt.datetime(2020, 1, 1, 1, 2, 3, 500000), dt.date(1986, 7, 10), dt.time(8, 30),
    dt.timedelta(hours=30), True, False, "#N/A", "#DIV/0!", "  ", "\u3000", "", " a b ",
    "户主", "130723198607101234", "'0123", "=1+1", "-5", "@x", None,
]  # fmt: skip


def assert_same(path, **kwargs) -> None:
    whole = read_workbook(path, limits=WHOLE, **kwargs)
    streamed = read_workbook(path, limits=STREAMED, **kwargs)
    assert [s.name for s in streamed.sheets] == [s.name for s in whole.sheets]
    assert streamed.skipped == whole.skipped
    for a, b in zip(streamed.sheets, whole.sheets, strict=True):
        pd.testing.assert_frame_equal(a.cells, b.cells)
        columns = list(b.cells.columns)
        if b.numeric is not None and columns:
            pd.testing.assert_frame_equal(a.numeric(columns), b.numeric(columns))


def test_every_kind_of_cell_reads_alike(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "花名册"
    for i, value in enumerate(KINDS):
        sheet.cell(i + 3, 3, value)  # from C3: the geometry is the sheet's, not the data's
        sheet.cell(i + 3, 5, value)
    sheet.cell(3, 5).number_format = "0.00"
    sheet.cell(6, 5).number_format = "yyyy-mm-dd"  # 1234 as a date: 1903-05-18
    sheet["G40"] = "last"
    book.create_sheet("隐藏").sheet_state = "hidden"
    book["隐藏"]["A1"] = "x"
    book.create_sheet("空")
    path = tmp_path / "名册.xlsx"
    book.save(path)
    assert_same(path)
    assert_same(path, sheet="隐藏")
    cells = read_workbook(path, limits=STREAMED).sheets[0].cells
    assert cells.loc[3, 2] == "42" and cells.loc[18, 2] == "1986-07-10 00:00:00"


cell = st.one_of(
    st.none(),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=8),
    st.integers(-(2**53), 2**53),
    # -0.0 aside: python-calamine hands it over as the int 0 (fastexcel writes -0);
    # Excel itself stores a typed -0 as 0
    st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: math.copysign(1, x) > 0 or x),
    st.booleans(),
    st.datetimes(dt.datetime(1901, 1, 1), dt.datetime(2100, 1, 1)).map(
        lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000)
    ),
    st.dates(dt.date(1901, 1, 1), dt.date(2100, 1, 1)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cell, min_size=1, max_size=6), min_size=1, max_size=12))
def test_generated_grids_read_alike(tmp_path_factory, rows):
    book = openpyxl.Workbook()
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            if isinstance(value, str) and value.startswith("="):
                value = " " + value  # openpyxl would write a formula
            book.active.cell(r, c, value)
    path = tmp_path_factory.mktemp("grid") / "g.xlsx"
    book.save(path)
    assert_same(path)


# the reader's own test workbooks, sheets that no roster generator draws: a 1904-epoch
# workbook, merged cells, formulas, rich text, hidden and empty sheets, odd ranges
CORPUS_XLSX = sorted(p for p in CORPUS.glob("*") if p.suffix.lower() in (".xlsx", ".xlsm"))


@pytest.mark.skipif(not CORPUS_XLSX, reason="the shared corpus (../shared/corpus) is absent")
@pytest.mark.parametrize("path", CORPUS_XLSX, ids=lambda p: p.name)
def test_the_readers_corpus_reads_alike(path):
    if path.name == "date_iso.xlsx":
        # dates stored as ISO text (<c t="d">, which openpyxl writes, Excel not):
        # fastexcel keeps the text (2021-01-01T10:10:10), the stream gives the date
        # (2021-01-01 10:10:10); both parse to the same date
        whole = read_workbook(path, limits=WHOLE).sheets[0].cells[0]
        streamed = read_workbook(path, limits=STREAMED).sheets[0].cells[0]
        pd.testing.assert_series_equal(
            parse_dates(streamed[:2]).values, parse_dates(whole[:2]).values
        )
        return
    try:
        read_workbook(path, limits=WHOLE)
    except CivauditError as refused:  # refused alike, with the same message
        with pytest.raises(CivauditError) as streamed:
            read_workbook(path, limits=STREAMED)
        assert str(streamed.value) == str(refused)
        return
    assert_same(path)


def test_a_roster_audits_alike_streamed(tmp_path):
    from click.testing import CliRunner

    from civaudit.cli import cli

    sample = Path(__file__).resolve().parents[2] / "sample_data"
    reports = []
    for limit in ("none", "1"):  # 1 byte: every sheet streamed
        out = tmp_path / f"r-{limit}.json"
        args = ["--lang", "en", "audit", str(sample), "-q", "-f", "json", "-o", str(out)]
        args += ["--fail-on", "never", "--limit", f"stream-bytes={limit}"]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        report = json.loads(out.read_text(encoding="utf-8"))
        for key in ("argv", "started", "finished"):
            report["civaudit"].pop(key)
        reports.append(report)
    assert reports[0] == reports[1]
    assert reports[0]["findings"]


def test_only_a_sheet_past_stream_bytes_is_streamed(tmp_path, monkeypatch):
    from civaudit.io import stream

    loads = []
    monkeypatch.setattr(
        stream.StreamedBook,
        "load",
        lambda self, *a, _load=stream.StreamedBook.load: loads.append(a) or _load(self, *a),
    )
    book = openpyxl.Workbook()
    book.active.append(["姓名", "身份证号"])
    book.active.append(["张三", "130723198607101234"])
    path = tmp_path / "小.xlsx"
    book.save(path)
    read_workbook(path)
    assert loads == []  # far under the default: read whole
    read_workbook(path, limits=Limits(stream_bytes=100))
    assert len(loads) == 1


def _wide_book(path: Path) -> Path:
    """12 columns, every kind of cell on both sides of the split, rows whose last
    cells are on one side only."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "花名册"
    for i, value in enumerate(KINDS):
        for col in (1, 4, 8, 12):
            sheet.cell(i + 2, col, value)
        sheet.cell(i + 2, 2, f"户{i}")
        sheet.cell(i + 2, 10, i * 1.25)
    sheet["C60"] = "only left"
    sheet["K70"] = 130723198607101234  # only right, and a number: its probe too
    book.save(path)
    return path


def test_a_wide_sheet_is_read_by_two_processes(tmp_path, monkeypatch):
    from civaudit.io import stream

    results = []
    monkeypatch.setattr(
        stream._Helper,
        "result",
        lambda self, _result=stream._Helper.result: results.append(_result(self)) or results[-1],
    )
    path = _wide_book(tmp_path / "宽.xlsx")
    assert_same(path)
    assert len(results) == 1 and results[0] is not None  # the right half came from the helper
    sheet = read_workbook(path, limits=STREAMED).sheets[0]
    assert sheet.cells.loc[60, 2] == "only left"
    assert sheet.cells.loc[70, 10].startswith("1307231986071")
    assert sheet.numeric([10]).loc[70, 10]  # a number cell, told by the helper


def test_a_helper_that_cannot_run_leaves_its_columns_to_this_process(tmp_path, monkeypatch):
    from civaudit.io import stream

    path = _wide_book(tmp_path / "宽.xlsx")
    expected = read_workbook(path, limits=WHOLE)
    for module in ("civaudit.io.no_such_module", None):  # exits with an error; cannot start
        if module:
            monkeypatch.setattr(stream._Helper, "MODULE", module)
        else:
            monkeypatch.setattr(stream.sys, "executable", str(tmp_path / "no-python"))
        streamed = read_workbook(path, limits=STREAMED)
        pd.testing.assert_frame_equal(streamed.sheets[0].cells, expected.sheets[0].cells)


def test_an_error_here_stops_the_helper_and_leaves_no_files(tmp_path, monkeypatch):
    from civaudit.io import stream

    helpers = []
    monkeypatch.setattr(
        stream._Helper,
        "__enter__",
        lambda self, _enter=stream._Helper.__enter__: helpers.append(_enter(self)) or self,
    )

    def fails(book, index, min_col=0, max_col=None):
        raise KeyboardInterrupt  # Ctrl-C while this process streams its half

    monkeypatch.setattr(stream, "_stream_columns", fails)
    with pytest.raises(KeyboardInterrupt):
        read_workbook(_wide_book(tmp_path / "宽.xlsx"), limits=STREAMED)
    (helper,) = helpers
    assert helper._process.poll() is not None  # stopped, not left running
    assert not Path(helper._folder.name).exists()


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cell, min_size=1, max_size=6), min_size=1, max_size=12))
def test_generated_grids_read_alike_split(tmp_path_factory, rows):
    from unittest import mock

    from civaudit.io import stream

    with mock.patch.object(stream, "SPLIT_COLUMNS", 2):  # from two columns on, split
        test_generated_grids_read_alike.hypothesis.inner_test(tmp_path_factory, rows)


def test_a_sheet_declared_far_wider_than_its_cells_is_read_whole(tmp_path, monkeypatch):
    """Gnumeric declares A1:XFD1048576 for any sheet; the stream would pad each row to
    16,384 cells, so such a sheet is read whole (which follows the cells)."""
    import re
    import zipfile

    from civaudit.io import stream

    written = _wide_book(tmp_path / "宽.xlsx")
    path = tmp_path / "gnumeric.xlsx"
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(
                    rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', data
                )
            target.writestr(info, data)
    loads = []
    monkeypatch.setattr(
        stream.StreamedBook,
        "load",
        lambda self, *a, _load=stream.StreamedBook.load: loads.append(_load(self, *a)) or loads[-1],
    )
    assert_same(path)
    assert loads == [None]  # asked, declined: read whole
    loads.clear()
    assert_same(written)  # its true width declared: streamed
    assert loads[0] is not None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8")), min_size=1, max_size=40))
@example(["a\x1fb", "", "户主"])  # the separator in a cell (Excel's _x001F_)
@example([""])
def test_text_cells_join_and_split_back_exactly(texts):
    """The joined-and-cut column (``_joined``) holds each cell's text, empty ones
    missing, whatever the cells hold: the separator itself, NUL, any plane."""
    import numpy as np

    from civaudit.io.stream import _joined

    column = _joined(np.array(texts, dtype=object))
    assert column.to_pylist() == [t if t != "" else None for t in texts]
    assert _joined(np.array([*texts, 7], dtype=object)) is None  # a number: not text
