"""Header detection: title rows, two-row merged headers, units, user mapping."""

from __future__ import annotations

import pandas as pd
import pytest

from civaudit.errors import MappingError
from civaudit.io.header import detect_header


def grid(rows):
    width = max(len(r) for r in rows)
    frame = pd.DataFrame(
        [list(r) + [None] * (width - len(r)) for r in rows],
        index=pd.RangeIndex(1, len(rows) + 1),
    )
    return frame.astype("str").where(frame.notna())


def fields(header):
    return {c.header: c.field for c in header.columns}


def test_header_below_title_and_note_rows():
    cells = grid(
        [
            ["××县××乡2019年10月农村低保对象花名册"],
            ["填报单位：××乡人民政府", None, None, "单位：元"],
            ["序号", "户主姓名", "身份证号", "家庭人口（人）", "月保障金\n（元/月）"],
            ["1", "张三", "130723196001011234", "3", "450"],
        ]
    )
    header = detect_header(cells, where="t.xlsx")
    assert header.rows == (3,)
    assert header.title == (
        "××县××乡2019年10月农村低保对象花名册",
        "填报单位：××乡人民政府",
        "单位：元",
    )
    assert fields(header) == {
        "序号": "seq",
        "户主姓名": "head_name",
        "身份证号": "id_number",
        "家庭人口（人）": "household_size",
        "月保障金\n（元/月）": "benefit_month",
    }


def test_two_row_header_parent_over_children_is_flattened():
    cells = grid(
        [
            ["花名册"],
            ["序号", "户主姓名", "身份证号", "保障人数", None, "领取金额", None, "家庭人口"],
            [None, None, None, "重点保障人数", "残疾人数", "家庭补差", "重点救助", None],
            ["1", "张三", "130723196001011234", "1", "0", "450", "0", "3"],
        ]
    )
    header = detect_header(cells, where="t.xlsx")
    assert header.rows == (2, 3)
    got = fields(header)
    assert got["保障人数.重点保障人数"] is None  # a subset, not the covered count
    assert got["保障人数.残疾人数"] is None
    assert got["领取金额.家庭补差"] == "benefit_month"
    assert got["领取金额.重点救助"] == "addon_month"
    assert got["家庭人口"] == "household_size"  # merged down over both rows


def test_two_row_header_with_group_labels_above():
    cells = grid(
        [
            ["家庭基本情况", None, None, "成员情况", None],
            ["户主姓名", "家庭人口", "月保障金", "姓名", "身份证号"],
            ["张三", "2", "300", "张三", "130723196001011234"],
        ]
    )
    header = detect_header(cells, where="t.xlsx")
    assert header.rows == (1, 2)
    got = fields(header)
    assert got["家庭基本情况.户主姓名"] == "head_name"
    assert got["成员情况.姓名"] == "name"
    assert got["成员情况.身份证号"] == "id_number"


def test_headers_survive_spaces_full_width_and_line_breaks():
    cells = grid([["姓　名", "公民身份\n号码", "与户主\n关系", "ＰＨＯＮＥ", "家庭年总收入(元)"]])
    got = fields(detect_header(cells, where="t.xlsx"))
    assert list(got.values()) == ["name", "id_number", "relation", "phone", "gross_income_year"]


def test_monthly_unit_selects_the_monthly_field():
    cells = grid([["姓名", "身份证号", "刚性支出（元/月）", "刚性支出（元/年）"]])
    got = fields(detect_header(cells, where="t.xlsx"))
    assert got["刚性支出（元/月）"] == "rigid_expense_month"
    assert got["刚性支出（元/年）"] == "rigid_expense_year"


def test_user_mapping_wins_and_by_letter():
    cells = grid([["姓名", "证件", "人数", "身份证号"]])
    header = detect_header(
        cells, where="t.xlsx", columns={"id_number": "证件", "household_size": "C"}
    )
    got = {c.header: (c.field, c.how) for c in header.columns}
    assert got["证件"] == ("id_number", "user")
    assert got["人数"] == ("household_size", "user")
    assert got["身份证号"] == ("id_number", "duplicate")


def test_unknown_user_field_is_refused():
    cells = grid([["姓名", "身份证号"]])
    with pytest.raises(MappingError, match="unknown field"):
        detect_header(cells, where="t.xlsx", columns={"idnumber": "身份证号"})


def test_no_roster_header_names_the_sheet_and_what_was_found():
    cells = grid([["Product", "Price"], ["apple", "3"]])
    with pytest.raises(MappingError) as err:
        detect_header(cells, where="x.xlsx: sheet 'S'")
    assert "x.xlsx: sheet 'S': no roster header found" in str(err.value)
    assert "Product" in str(err.value)
    assert "--column" in err.value.hint


def test_two_row_header_with_the_merged_parent_last():
    cells = grid(
        [
            ["姓名", "身份证号", "家庭人口", "领取金额", None],
            [None, None, None, "家庭补差", "重点救助"],
            ["张三", "130723196001011234", "3", "450", "0"],
        ]
    )
    header = detect_header(cells, where="t.xlsx")
    assert header.rows == (1, 2)
    got = fields(header)
    assert got["领取金额.家庭补差"] == "benefit_month"
    assert got["领取金额.重点救助"] == "addon_month"
