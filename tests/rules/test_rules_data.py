"""Unreadable and ambiguous cells: reported at their own cell with the raw value."""

from __future__ import annotations

import pandas as pd

from tests.rules.rulekit import audit_data, households, make_id, members, run

HEAD = make_id(seq="131")


def _issues(rows):
    return pd.DataFrame(
        rows, columns=["file", "sheet", "row", "cell", "field", "header", "raw", "issue"]
    )


def _data(rows):
    h = households(head_name=["张三"], household_size=[None], row=[5])
    m = members(id_number=[HEAD], name=["张三"], row=[5], hh=[0])
    return audit_data(h, m, issues=_issues(rows))


def test_unparsed_cell_with_its_reference_and_raw_value():
    data = _data(
        [
            ("村.xlsx", "Sheet1", 5, "E5", "household_size", "家庭人口", "三口人?", "unparsed"),
            ("村.xlsx", "Sheet1", 5, "H5", "start_month", "纳入时间", 2019.1, "ambiguous-date"),
        ]
    )
    f = run(data, "data.unparsed").findings
    assert f[["row", "cell", "household", "name"]].values.tolist() == [[5, "E5", "C000", "张三"]]
    assert f["person"].iloc[0] is None  # a household field: no one person
    assert f["message"].iloc[0] == (
        "Cell E5 (家庭人口) holds '三口人?', which cannot be read as household size"
    )
    assert f["evidence"].iloc[0] == {
        "field": "household_size",
        "header": "家庭人口",
        "raw": "三口人?",
    }


def test_unparsed_member_cell_names_the_person():
    data = _data([("村.xlsx", "Sheet1", 5, "J5", "sex", "性别", "?", "unparsed")])
    f = run(data, "data.unparsed", lang="zh").findings
    assert f["person"].iloc[0] == HEAD
    assert f["message"].iloc[0] == "单元格 J5（性别）的内容“?”无法读取为性别"


def test_ambiguous_date():
    data = _data(
        [("村.xlsx", "Sheet1", 5, "H5", "start_month", "纳入时间", 2019.1, "ambiguous-date")]
    )
    f = run(data, "date.ambiguous").findings
    assert f["cell"].tolist() == ["H5"]
    assert f["message"].iloc[0] == (
        "Cell H5 (纳入时间) holds '2019.1': January or October 2019? Read as January"
    )


def test_no_issues_no_findings():
    data = _data([])
    report = run(data, "data")
    assert len(report) == 0 and set(report.rules_run) == {"data.unparsed"}
    assert len(run(data, "date")) == 0
