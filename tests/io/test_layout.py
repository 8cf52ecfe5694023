"""What the loader keeps for a faithful copy (``load_roster(keep_rows=N)``)."""

from __future__ import annotations

import datetime as dt

import openpyxl

from civaudit import load_roster
from civaudit.io.layout import BOOL, DATE, EMPTY, NUMBER, TEXT, is_date_format
from tests.conftest import make_id


def test_cell_kinds_formats_merges_widths_up_to_the_row_limit(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["某村花名册"])
    ws.merge_cells("A1:F1")
    ws.append(["户主姓名", "户主身份证号", "家庭人口", "联系电话", "审批日期", "是否建档立卡"])
    for i in range(30):
        ws.append([f"张{i}", make_id(seq=f"{i + 100}"), 3, "13312345678",
                   dt.datetime(2019, 1, 1 + i % 28), True])  # fmt: skip
    for row in range(3, 33):
        ws.cell(row, 5).number_format = 'yyyy"年"m"月"d"日"'
    ws.merge_cells("A30:A31")  # a range past the limit: not kept
    ws.column_dimensions["D"].width = 15
    ws.row_dimensions[2].height = 30
    path = tmp_path / "村.xlsx"
    book.save(path)

    plain = load_roster(path)
    assert plain.sheets[0].capture is None  # nothing kept unless asked
    (sheet,) = load_roster(path, keep_rows=10).sheets
    capture = sheet.capture
    assert list(capture.cells.index) == list(range(1, 11)) and capture.total_rows == 32
    assert capture.merges == ((0, 0, 0, 5),)
    assert capture.widths[3] == 15 and capture.heights == {1: 30.0}
    kinds = capture.kinds
    assert kinds[0, 0] == TEXT and kinds[0, 1] == EMPTY  # the title; merged cells empty
    row = list(capture.cells.index).index(3)
    assert [int(k) for k in kinds[row]] == [TEXT, TEXT, NUMBER, TEXT, DATE, BOOL]
    assert capture.number_formats[capture.formats[row, 4]] == 'yyyy"年"m"月"d"日"'


def test_date_formats_are_told_from_number_formats():
    assert is_date_format('yyyy"年"m"月"d"日"') and is_date_format("m/d/yy")
    assert is_date_format("[h]:mm:ss") and not is_date_format("#,##0.00")
    assert not is_date_format("0.00%") and not is_date_format("@")
    assert not is_date_format("[Red]#,##0")
