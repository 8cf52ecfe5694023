"""The two ways split_rows reads a grid (a small one as one array of objects, a large one
column by column) give the same split; the stack's repeated file and sheet names are the
same as a take."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from civaudit.io import rows as rows_module
from civaudit.io.grid import TEXT, cells_as_objects
from civaudit.io.header import detect_header
from civaudit.io.rows import split_rows
from civaudit.io.tables import _repeat_names

GRID = [
    ["康保县张纪镇上房子村2019年10月农村低保花名册", None, None, None, None],
    ["填报单位：张纪镇", None, None, "单位：元", None],
    ["序号", "户主姓名", "身份证号", "家庭人口", "月保障金"],
    ["1", "2", "3", "4", "5"],
    ["1", "刘一", "130723197206220011", "2", "700"],
    [None, None, None, None, None],
    ["序号", "户主姓名", "身份证号", "家庭人口", "月保障金"],
    ["2", "陈二", "130723197206220022", "1", "350"],
    ["本页小计", None, None, "3", "1050"],
    ["3", "张三", "130723197206220033", "1", "350"],
    ["合计", None, None, "4", "1400"],
    ["制表人：王五", None, "审核人：赵六", None, None],
]


def _grid(cells: list[list[str | None]]) -> pd.DataFrame:
    frame = pd.DataFrame(cells, dtype=TEXT)
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    return frame


@pytest.mark.parametrize("tail", [0, 2, 3])  # footer and totals kept or cut off
def test_small_and_large_grids_split_alike(monkeypatch, tail):
    cells = _grid(GRID[: len(GRID) - tail])
    header = detect_header(cells, where="t")
    small = split_rows(cells, header)
    monkeypatch.setattr(rows_module, "SMALL_CELLS", 0)
    large = split_rows(cells, header)
    pd.testing.assert_frame_equal(small.data, large.data)
    pd.testing.assert_frame_equal(small.totals, large.totals)
    pd.testing.assert_series_equal(small.skipped, large.skipped)
    skipped = small.skipped.astype(str).to_dict()
    assert skipped[1] == skipped[2] == "title"
    assert (skipped[4], skipped[6], skipped[7], skipped[9]) == (
        "column-numbers",
        "blank",
        "repeated-header",
        "totals",
    )
    assert small.data.index.tolist() == ([5, 8, 10] if tail < 3 else [5, 8])
    assert small.totals["label"].tolist() == (["本页小计", "合计"] if tail == 0 else ["本页小计"])


SECTIONS = [
    ["张北县2019年10月农村低保花名册", None, None, None],
    ["户主姓名", "身份证号", "家庭人口", "月保障金"],
    ["一、一类保障对象", None, None, None],
    ["刘一", "130723197206220011", "2", "700"],
    ["（二）重点保障对象", None, None, None],
    ["陈二", "130723197206220022", "1", "350"],
    ["第三类", None, None, None],
    ["张三", None, None, None],  # a broken household row: only a name, still data
    ["二组低保户名单", None, None, None],
    ["王五", "130723197206220044", "1", "350"],
    ["三、其他", "李六", None, None],  # two cells: no heading alone on its row, data
    ["李家村", None, None, None],  # the village's households below it
    ["赵七", "130723197206220066", "1", "350"],
]


@pytest.mark.parametrize("few", [True, False])  # each candidate row read, or by column
def test_a_section_heading_alone_on_its_row_is_a_title(monkeypatch, few):
    # 二、二类保障对象 between a sheet's parts had become a household with no one in it
    if not few:
        monkeypatch.setattr(rows_module, "FEW_ROWS", 0)
    cells = _grid(SECTIONS)
    split = split_rows(cells, detect_header(cells, where="t"))
    assert split.data.index.tolist() == [4, 6, 8, 10, 11, 13]
    skipped = split.skipped.astype(str).to_dict()
    assert skipped == {row: "title" for row in (1, 3, 5, 7, 9, 12)}


def test_cells_as_objects_are_the_cells_with_none_for_empty():
    cells = _grid(GRID)
    objects = cells_as_objects(cells)
    expected = cells.to_numpy(dtype=object)
    assert objects.shape == expected.shape
    empty = pd.isna(expected)
    assert (pd.isna(objects) == empty).all()
    assert (objects[~empty] == expected[~empty]).all()


@pytest.mark.parametrize("part", [[0, 0, 1, 1, 1, 2, 3, 3], [], [3, 0, 1], [0] * 5, [0, 2, 2, 3]])
def test_repeated_names_are_a_take(part):
    names = ["康保县.xlsx", "b", "", "村"]
    part = np.array(part, dtype="int64")
    pd.testing.assert_extension_array_equal(
        _repeat_names(names, part), pd.array(names, dtype=str).take(part)
    )
