"""load_roster on real .xlsx/.csv files: layouts, rows that are not data, provenance."""

from __future__ import annotations

import pandas as pd
import pytest

from civaudit import load_roster
from civaudit.errors import LoadError, MappingError
from tests.conftest import DAMAGED, GENUINE_DOUBLE, LOOKALIKE, make_id

HEAD = make_id(birth="19600101", seq="131")
WIFE = make_id(birth="19620202", seq="142")
SON = make_id(birth="19900303", seq="151")
HEAD2 = make_id(birth="19550505", seq="171")


def test_household_layout_with_title_totals_and_footer(xlsx):
    path = xlsx(
        [
            ["康保县张纪镇2019年10月农村低保对象花名册"],
            [
                "序号",
                "户主姓名",
                "身份证号",
                "家庭人口",
                "保障人口",
                "家庭年总收入（元）",
                "月保障金（元）",
            ],
            ["1", "张三", HEAD, 3, 3, "10,200元", 450],
            [None],
            ["2", "李四", HEAD2, 1, 1, "—", 400],
            ["合计", None, None, 4, 4, None, 850],
            ["制表人：王五", None, "审核人：赵六"],
        ]
    )
    roster = load_roster(path)
    hh = roster.households
    assert list(hh["row"]) == [3, 5]
    assert list(hh["head_name"]) == ["张三", "李四"]
    assert list(hh["head_id_number"]) == [HEAD, HEAD2]
    assert list(hh["household_size"]) == [3, 1]
    assert list(hh["gross_income_year"]) == [10200.0, 0.0]
    assert list(hh["benefit_month"]) == [450.0, 400.0]
    assert list(hh["household"]) == [HEAD, HEAD2]
    members = roster.members
    assert list(members["id_number"]) == [HEAD, HEAD2]
    assert list(members["role"]) == ["head", "head"]
    assert list(members["id_status"]) == ["valid", "valid"]
    sheet = roster.sheets[0]
    assert sheet.layout == "household"
    assert sheet.header_rows == (2,)
    assert sheet.title_month == "2019-10"
    assert sheet.skipped == {"title": 1, "blank": 1, "totals": 1, "footer": 1}
    assert list(roster.totals["row"]) == [6]
    assert roster.totals["benefit_month"].tolist() == [850.0]
    assert roster.totals["label"].tolist() == ["合计"]


def test_member_layout_with_head_id_column(xlsx):
    path = xlsx(
        [
            ["户主身份证号", "姓名", "身份证号", "与户主关系", "家庭人口", "月保障金"],
            [HEAD, "张三", HEAD, "户主", 3, 450],
            [HEAD, "王芳", WIFE, "妻", 3, 450],
            [HEAD, "张强", SON, "长子", 3, 450],
            [HEAD2, "李四", HEAD2, "本人", 1, 400],
        ]
    )
    roster = load_roster(path)
    assert roster.sheets[0].layout == "member"
    hh = roster.households
    assert list(hh["member_rows"]) == [3, 1]
    assert list(hh["heads"]) == [1, 1]
    assert list(hh["benefit_month"]) == [450.0, 400.0]
    assert list(hh["head_name"]) == ["张三", "李四"]
    members = roster.members
    assert list(members["role"]) == ["head", "spouse", "child", "head"]
    assert list(members["hh"]) == [0, 0, 0, 1]
    assert list(members["row"]) == [2, 3, 4, 5]


def test_block_layout_with_merged_head_cells(xlsx):
    path = xlsx(
        [
            ["序号", "户主姓名", "家庭人口", "月保障金", "姓名", "与户主关系", "身份证号"],
            ["1", "张三", 3, 450, "张三", "户主", HEAD],
            [None, None, None, None, "王芳", "配偶", WIFE],
            [None, None, None, None, "张强", "子", SON],
            ["2", "李四", 1, 400, "李四", "户主", HEAD2],
            ["本页小计", None, 4, 850],
        ],
        merges=["A2:A4", "B2:B4", "C2:C4", "D2:D4"],
    )
    roster = load_roster(path)
    assert roster.sheets[0].layout == "block"
    hh = roster.households
    assert list(hh["row"]) == [2, 5]
    assert list(hh["household_size"]) == [3, 1]
    assert list(hh["member_rows"]) == [3, 1]
    assert list(hh["head_id_number"]) == [HEAD, HEAD2]
    assert list(roster.members["hh"]) == [0, 0, 0, 1]
    assert roster.sheets[0].skipped == {"totals": 1}


def test_block_without_head_row_starts_at_new_seq(xlsx):
    path = xlsx(
        [
            ["序号", "户主姓名", "家庭人口", "姓名", "与户主关系", "身份证号"],
            ["1", "张三", 2, "王芳", "妻", WIFE],
            [None, None, None, "张强", "子", SON],
            ["2", "李四", 1, "李四", "户主", HEAD2],
        ]
    )
    roster = load_roster(path)
    hh = roster.households
    assert list(hh["member_rows"]) == [2, 1]
    assert list(hh["heads"]) == [0, 1]


def test_unparsed_cells_keep_their_cell_reference(xlsx):
    path = xlsx(
        [
            ["姓名", "身份证号", "家庭人口", "月保障金", "出生日期"],
            ["张三", HEAD, "三口人?", "abc", "2019.1"],
        ],
        number_cells={"E2": 2019.1},
    )
    roster = load_roster(path)
    issues = roster.issues.sort_values("cell")
    assert issues[["cell", "field", "raw", "issue"]].values.tolist() == [
        ["C2", "household_size", "三口人?", "unparsed"],
        ["D2", "benefit_month", "abc", "unparsed"],
        ["E2", "birth_date", "2019.1", "ambiguous-date"],
    ]
    assert pd.isna(roster.households.loc[0, "household_size"])


def test_id_stored_as_number_is_precision_lost(xlsx):
    path = xlsx(
        [["姓名", "身份证号"], ["张三", None], ["李四", HEAD2]],
        number_cells={"B2": float(f"{int(HEAD):.15g}")},
    )
    members = load_roster(path).members
    assert list(members["id_status"]) == ["precision-lost", "valid"]


def test_column_numbers_and_repeated_header_rows_are_skipped(xlsx):
    path = xlsx(
        [
            ["姓名", "身份证号", "家庭人口"],
            [1, 2, 3],
            ["张三", HEAD, 3],
            ["姓名", "身份证号", "家庭人口"],
            ["李四", HEAD2, 1],
        ]
    )
    roster = load_roster(path)
    assert roster.sheets[0].skipped == {"column-numbers": 1, "repeated-header": 1}
    assert list(roster.households["row"]) == [3, 5]


def test_page_subtotals_and_running_totals_are_totals_rows(xlsx):
    # a printed roster's page ends 本页小计 and 累计 (the pages so far), then the header
    # again; 累计 alone had been read as a household without a head
    head = ["姓名", "身份证号", "家庭人口", "月保障金"]
    path = xlsx(
        [
            head,
            ["张三", HEAD, 1, 300],
            ["本页小计", None, 1, 300],
            ["累计", None, 1, 300],
            head,
            ["李四", HEAD2, 1, 200],
            ["本页小计", None, 1, 200],
            ["累 计", None, 2, 500],
        ]
    )
    roster = load_roster(path)
    assert roster.sheets[0].skipped == {"repeated-header": 1, "totals": 4}
    assert list(roster.households["row"]) == [2, 6]
    assert list(roster.totals["label"]) == ["本页小计", "累计", "本页小计", "累计"]


def test_hidden_sheet_skipped_and_sheets_without_roster_listed(xlsx):
    rows = [["姓名", "身份证号"], ["张三", HEAD]]
    path = xlsx(
        rows,
        sheet="一村",
        extra_sheets={"说明": [["本表说明"], ["请如实填写"]], "隐藏": rows},
        hidden=["隐藏"],
    )
    roster = load_roster(path)
    assert [s.sheet for s in roster.sheets] == ["一村"]
    skipped = {s.name: s.reason for s in roster.files[0].skipped_sheets}
    assert skipped == {"隐藏": "hidden", "说明": "no-roster-header"}


def test_csv_in_gbk_and_utf8_bom(tmp_path):
    text = f"姓名,身份证号,家庭人口\n张三,{HEAD},3\n李四,{HEAD2},1\n"
    gbk = tmp_path / "花名册gbk.csv"
    gbk.write_bytes(text.encode("gbk"))
    bom = tmp_path / "花名册bom.csv"
    bom.write_bytes(text.encode("utf-8-sig"))
    for path, encoding in ((gbk, "gb18030"), (bom, "utf-8")):
        roster = load_roster(path)
        assert list(roster.households["head_name"]) == ["张三", "李四"]
        assert roster.files[0].encoding == encoding
        assert list(roster.households["row"]) == [2, 3]


def test_folder_is_searched_recursively_and_rows_point_to_their_file(tmp_path, xlsx):
    (tmp_path / "乡" / "村").mkdir(parents=True)
    xlsx([["姓名", "身份证号"], ["张三", HEAD]], name="乡/村/一村.xlsx")
    xlsx([["姓名", "身份证号"], ["李四", HEAD2]], name="乡/二村.xlsx")
    (tmp_path / "乡" / "~$二村.xlsx").write_bytes(b"lock")
    roster = load_roster(tmp_path)
    assert sorted(roster.households["file"].map(lambda p: p.split("乡")[-1])) == [
        "/二村.xlsx",
        "/村/一村.xlsx",
    ]
    assert roster.households["hh"].is_unique


def test_a_file_with_no_roster_sheet_is_refused(xlsx):
    path = xlsx([["Product", "Price"], ["apple", 3]])
    with pytest.raises(MappingError, match="no roster header"):
        load_roster(path)


def test_inputs_are_not_modified(xlsx):
    path = xlsx([["姓名", "身份证号"], ["张三", HEAD]])
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    load_roster(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_number_cell_id_that_looks_valid_is_found_by_cell_type(xlsx):
    """A number cell whose damaged digits happen to pass the checksum: the column
    also holds an obviously damaged number cell, so the reader is asked for the
    cell types, and the look-alike is reported too."""
    path = xlsx(
        [["姓名", "身份证号"], ["张三", None], ["李四", None], ["王五", HEAD2]],
        number_cells={"B2": LOOKALIKE, "B3": DAMAGED},
    )
    members = load_roster(path).members
    assert list(members["id_status"]) == ["precision-lost", "precision-lost", "valid"]


def test_genuine_text_id_that_looks_like_a_double_stays_valid(xlsx):
    path = xlsx([["姓名", "身份证号"], ["张三", GENUINE_DOUBLE]])
    assert list(load_roster(path).members["id_status"]) == ["valid"]


def test_parallel_load_equals_serial_and_keeps_errors(tmp_path, xlsx, monkeypatch):
    import civaudit.roster as roster_module

    monkeypatch.setattr(roster_module, "PARALLEL_MIN_SECONDS", 0)
    xlsx([["姓名", "身份证号"], ["张三", HEAD]], name="a.xlsx")
    xlsx([["姓名", "身份证号"], ["李四", HEAD2]], name="b.xlsx")
    (tmp_path / "c.xlsx").write_bytes(b"broken")
    serial = load_roster(tmp_path, jobs=1, on_error="skip")
    parallel = load_roster(tmp_path, jobs=2, on_error="skip")
    pd.testing.assert_frame_equal(serial.households, parallel.households)
    pd.testing.assert_frame_equal(serial.members, parallel.members)
    assert [f.error is not None for f in parallel.files] == [False, False, True]
    with pytest.raises(LoadError, match=r"c\.xlsx"):
        load_roster(tmp_path, jobs=2)


def test_urban_and_rural_rosters_are_told_apart_and_duplicates_across_them_found(tmp_path, xlsx):
    from datetime import date

    from civaudit import EXAMPLE_POLICY, audit

    (tmp_path / "城市低保").mkdir()
    xlsx([["姓名", "身份证号"], ["张三", HEAD]], name="城市低保/一社区.xlsx")
    xlsx([["姓名", "身份证号", "城乡类别"], ["张三", HEAD, "农村"]], name="二村.xlsx")
    roster = load_roster(tmp_path)
    assert sorted(roster.households["scheme"]) == ["rural", "urban"]
    report = audit(roster, EXAMPLE_POLICY, as_of=date(2019, 10, 1), mask=False)
    dup = report.findings[report.findings["rule"] == "dup.person"]
    assert len(dup) == 1
    evidence = dup["evidence"].iloc[0]
    assert {evidence["scheme"], evidence["others"][0]["scheme"]} == {"rural", "urban"}
