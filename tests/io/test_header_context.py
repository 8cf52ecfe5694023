"""A parent header's meaning flows to its children; two columns claiming one field are
resolved by meaning or reported; loaders apply the units' scale (real .xlsx files)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from civaudit.cli import cli
from civaudit.io.header import detect_header
from civaudit.roster import load_roster
from tests.conftest import make_id
from tests.io.test_header_sources import grid

ID1 = make_id(seq="131")
ID2 = make_id(birth="19650101", seq="142")
ID3 = make_id(birth="19900101", seq="153")


def fields(rows):
    header = detect_header(grid(rows), where="t.xlsx")
    return header, {c.header: c.field for c in header.columns}


@pytest.mark.parametrize(
    ("parent", "child", "field"),
    [
        ("家庭收入情况", "合计", "gross_income_year"),  # income group (CAM 收入情况)
        ("家庭收支情况", "小计", "gross_income_year"),
        ("家庭收入情况", "月收入", "household_income_month"),
        ("家庭收入情况", "人均", "per_capita_income_year"),
        ("刚性支出", "医疗", "medical_expense"),
        ("刚性支出", "教育", "education_expense"),
        ("刚性支出", "就学", "education_expense"),
        ("刚性支出", "合计", "rigid_expense_year"),
        ("领取金额", "合计", "total_month"),  # payment group (QT 领取金额, CAM 保障金)
        ("保障金", "金额", "total_month"),
        ("发放金额", "小计", "total_month"),
        ("领取金额", "家庭补差", "benefit_month"),
        ("保障人数", "合计", "covered_count"),
        ("户主", "姓名", "head_name"),  # head group: parent + child
        ("户主", "身份证号", "head_id"),
        ("家庭成员情况", "姓名", "name"),
        ("保障标准", "年", "standard_year"),
        ("保障标准", "月", "standard_month"),
    ],
)
def test_a_child_word_means_what_its_parent_says(parent, child, field):
    top = ["姓名", "身份证号", "家庭人口", parent, None]
    sub = [None, None, None, child, "其他"]
    _, got = fields([top, sub, ["张三", ID1, "3", "1", "1"]])
    assert got[f"{parent}.{child}"] == field


def test_the_same_word_under_three_parents():
    top = ["户主姓名", "身份证号", "家庭收入情况", None, "刚性支出", None, "领取金额", None]
    sub = [None, None, "合计", "工资性收入", "医疗", "合计", "家庭补差", "合计"]
    header, got = fields([top, sub, ["张三", ID1, "10200", "8000", "1200", "1200", "450", "450"]])
    assert got["家庭收入情况.合计"] == "gross_income_year"
    assert got["刚性支出.合计"] == "rigid_expense_year"
    assert got["领取金额.合计"] == "total_month"
    assert not header.clashes
    medical = next(c for c in header.columns if c.header == "刚性支出.医疗")
    assert medical.basis[0] == "parent:刚性支出"


def test_a_note_above_the_header_scales_but_names_no_period():
    rows = [["单位：元/月"], ["户主姓名", "身份证号", "刚性支出", "月保障金"]]
    rows.append(["张三", ID1, "1200", "400"])
    header, got = fields(rows)
    assert got["刚性支出"] == "rigid_expense_year" and header.columns[2].scale == 1


def test_a_unit_in_the_parent_flows_to_its_children():
    top = ["户主姓名", "身份证号", "刚性支出（元/月）", None, "单位：万元"]
    sub = [None, None, "医疗", "合计", "金融资产"]
    header, _got = fields([top, sub, ["张三", ID1, "100", "100", "1.5"]])
    medical, total, assets = header.columns[2:5]
    assert (medical.field, medical.scale, medical.period) == ("medical_expense", 12, "month")
    assert "parent-unit:元/月 -> year" in medical.basis
    assert (total.field, total.scale) == ("rigid_expense_month", 1)  # the monthly twin
    assert (assets.field, assets.scale) == ("financial_assets", 10_000)


def test_certificate_numbers_and_ids_are_told_apart_by_their_values():
    rows = [["姓名", "身份证号", "公民身份号码", "家庭人口"]]
    rows += [["张三", "冀0723-001", ID1, "2"], ["李四", "冀0723-002", ID2, "1"]]
    header, got = fields(rows)
    assert got == {
        "姓名": "name",
        "身份证号": "cert_no",
        "公民身份号码": "id_number",
        "家庭人口": "household_size",
    }
    assert header.columns[1].basis[-1] == "shape:short-numbers"
    assert not header.clashes


def test_an_unresolved_clash_is_kept_and_reported():
    rows = [["姓名", "身份证号", "月保障金", "保障金额"], ["张三", ID1, "400", "450"]]
    header, _ = fields(rows)
    (clash,) = header.clashes
    assert clash.field == "benefit_month"
    assert clash.kept.letter == "C" and [c.letter for c in clash.others] == ["D"]
    assert header.columns[3].how == "clash" and header.columns[3].note == "C 月保障金"


def test_a_declared_figure_yields_to_the_verified_one_in_either_order():
    # CAM esureyInfoQueryListExcel.jsp: 申报家庭年总收入(元) beside 核对家庭年总收入(元)
    declared, verified = "申报家庭年总收入(元)", "核对家庭年总收入(元)"
    for order in ([declared, verified], [verified, declared]):
        header, _ = fields([["姓名", "身份证号", *order], ["张三", ID1, "1", "2"]])
        by_header = {c.header: c.how for c in header.columns}
        assert by_header["核对家庭年总收入(元)"] == "alias"
        assert by_header["申报家庭年总收入(元)"] == "superseded"
        assert not header.clashes


def test_one_name_or_a_list_of_names_by_the_values():
    listed = [["户主姓名", "身份证号", "家庭人口", "姓名"], ["张三", ID1, "2", "张三、李四"]]
    listed += [["王五", ID2, "2", "王五\n赵六"], ["孙七", ID3, "1", "孙七"]]
    _, got = fields(listed)
    assert got["姓名"] == "member_list"
    spaced = [["户主姓名", "身份证号", "家庭人口", "姓名"], ["欧阳娜娜", ID1, "1", "欧阳 娜娜"]]
    spaced += [["张三", ID2, "1", "张 三"], ["李四", ID3, "1", "李四"]]
    _, got = fields(spaced)
    assert got["姓名"] == "name"  # a name typed with a space is one name
    with_ids = [["户主姓名", "身份证号", "家庭人口", "家庭成员"]]
    with_ids += [["张三", ID1, "2", f"张三（{ID1}）；李四（{ID2}）"], ["王五", ID3, "1", "王五"]]
    with_ids += [["赵六", ID2, "2", f"赵六{ID2}、孙七{ID3}"]]
    _, got = fields(with_ids)
    assert got["家庭成员"] == "member_list"  # names with their IDs, one cell per household
    single = [["户主姓名", "家庭成员姓名", "与户主关系", "家庭成员身份证号"]]
    single += [["张三", "张三", "户主", ID1], [None, "李四", "妻", ID2], [None, "王五", "子", ID3]]
    _, got = fields(single)
    assert got["家庭成员姓名"] == "name" and got["家庭成员身份证号"] == "id_number"


@pytest.mark.parametrize(
    ("head", "field"),
    [
        (["户主姓名", "身份证号", "家庭人口", "年收入"], "gross_income_year"),  # household rows
        (["户主姓名", "姓名", "与户主关系", "身份证号", "年收入"], "income_year"),  # member rows
        (["户主姓名", "身份证号", "家庭人口", "月收入"], "household_income_month"),
        (["姓名", "身份证号", "户主身份证号", "月收入"], "income_month"),
    ],
)
def test_a_bare_income_is_the_household_s_on_household_rows(head, field):
    _, got = fields([head, ["张三"] * (len(head) - 1) + ["100"]])
    assert got[head[-1]] == field


# --- loaders on real workbooks --------------------------------------------------------


MEDICAL_AND_INCOME = ["医疗支出（元/月）", "家庭月总收入"]


def test_units_scale_the_values_the_roster_holds(xlsx):
    path = xlsx(
        [
            ["某村低保花名册"],
            ["单位：元"],
            ["户主姓名", "身份证号", "家庭人口", "金融资产总额（万元）", *MEDICAL_AND_INCOME],
            ["张三", ID1, 2, 1.2, 100, "800"],
            ["李四", ID2, 1, "0.35", "50.5", "600"],
            ["合计", None, 3, 1.55, 150.5, 1400],
        ]
    )
    roster = load_roster(path)
    h = roster.households
    assert list(h["financial_assets"]) == [12_000, 3_500]
    assert list(h["medical_expense"]) == [1_200, 606]
    assert list(h["household_income_month"]) == [800, 600]
    totals = roster.totals
    assert list(totals["financial_assets"]) == [15_500]
    assert list(totals["medical_expense"]) == [1_806]


def test_member_lists_and_new_fields_reach_the_household_table(xlsx):
    # the NC household file's one-cell member lists, the standard, review and stop columns
    head = ["户主姓名", "户主身份证号", "家庭人口", "家庭成员姓名", "家庭成员身份证号"]
    head += ["保障标准（元/人月）", "年保障金", "复核时间", "停保原因"]
    path = xlsx(
        [
            head,
            ["张三", ID1, 2, "张三、李四", f"{ID1}、{ID2}", 600, 5400, "2020-01", None],
            ["王五", ID3, 1, "王五", ID3, 600, 3000, "2020-02", "死亡"],
        ]
    )
    roster = load_roster(path)
    h, m = roster.households, roster.members
    # the lists become members (io.members), each on its household's row
    assert list(m["name"]) == ["张三", "李四", "王五"] and list(m["row"]) == [2, 2, 3]
    assert list(m["id_number"]) == [ID1, ID2, ID3]
    assert "member_list" not in h and "member_id_list" not in h
    assert list(h["standard_month"]) == [600, 600] and list(h["benefit_year"]) == [5400, 3000]
    assert str(h["review_date"].iloc[0])[:7] == "2020-01"
    assert list(h["stop_reason"].fillna("")) == ["", "死亡"]


def test_clashes_on_the_sheet_report_and_in_inspect(xlsx):
    path = xlsx([["姓名", "身份证号", "月保障金", "保障金额"], ["张三", ID1, 400, 450]])
    roster = load_roster(path)
    (clash,) = roster.sheets[0].clashes
    assert (clash.field, clash.kept.letter, clash.others[0].letter) == ("benefit_month", "C", "D")
    out = CliRunner().invoke(cli, ["inspect", str(path), "-f", "json"], catch_exceptions=False)
    sheet = json.loads(out.stdout)["files"][0]["sheets"][0]
    assert sheet["clashes"] == [
        {
            "field": "benefit_month",
            "kept": {"column": "C", "header": "月保障金"},
            "others": [{"column": "D", "header": "保障金额"}],
        }
    ]
    text = CliRunner().invoke(cli, ["--lang", "en", "inspect", str(path)]).stdout
    assert "benefit_month: C 月保障金 read, D 保障金额 not read" in " ".join(text.split())


def test_inspect_says_how_each_meaning_was_decided(xlsx):
    path = xlsx(
        [
            ["户主姓名", "身份证号", "家庭人口", "领取金额", None, "备用"],
            [None, None, None, "家庭补差", "合计", None],
            ["张三", ID1, 3, 450, 450, "x"],
        ]
    )
    out = CliRunner().invoke(cli, ["inspect", str(path), "-f", "json"], catch_exceptions=False)
    columns = {c["column"]: c for c in json.loads(out.stdout)["files"][0]["sheets"][0]["columns"]}
    assert columns["A"]["basis"] == [{"by": "alias", "detail": "spec"}]
    assert columns["E"]["field"] == "total_month"
    assert columns["E"]["basis"][0] == {"by": "parent", "detail": "领取金额"}
    text = CliRunner().invoke(cli, ["--lang", "en", "inspect", str(path)]).stdout
    flat = " ".join(text.split())
    assert "parent 领取金额" in flat and "columns not placed: F 备用" in flat
    by_hand = (
        CliRunner()
        .invoke(cli, ["--lang", "en", "inspect", str(path), "--column", "remarks=F"])
        .stdout
    )
    assert "by hand" in by_hand
