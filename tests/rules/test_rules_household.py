"""Household structure, ages and totals rows."""

from __future__ import annotations

import pandas as pd

from tests.rules.rulekit import AS_OF, audit_data, households, make_id, members, run


def test_size_mismatch_variants():
    h = households(
        household_size=[3, 2, 2, 2],
        member_rows=[2, 2, 2, 2],
        covered_count=[3, 3, 0, 2],
    )
    f = run(audit_data(h), "household.size-mismatch").findings
    assert [(r, e["field"]) for r, e in zip(f["row"], f["evidence"], strict=True)] == [
        (2, "household_size"),
        (3, "covered_count"),
        (4, "covered_count"),
    ]
    assert f["message"].tolist() == [
        "Household size is 3 but 2 members are listed",
        "Covered persons 3 exceed the household size 2",
        "Covered persons are 0; there must be at least one",
    ]


def test_size_quiet_when_consistent_or_rows_unknown():
    h = households(household_size=[3, 4], member_rows=[3, pd.NA], covered_count=[1, 4])
    assert len(run(audit_data(h), "household.size-mismatch")) == 0


def test_no_head():
    h = households(heads=[1, 0], member_rows=[2, 3], household_size=[2, 3])
    f = run(audit_data(h), "household.head").findings
    assert list(f["row"]) == [3]
    assert f["message"].iloc[0] == "None of the household's 3 members is marked as head"


def test_head_rule_skipped_for_one_row_per_household():
    report = run(audit_data(households(heads=[pd.NA], member_rows=[pd.NA])), "household.head")
    assert "one row per household" in report.rules_skipped["household.head"]


def _split_member_layout():
    """Member layout: a second 户主 row split one household (same 户主身份证号) in two."""
    head = make_id(seq="131")
    h = households(
        head_id_number=[head, head, make_id(seq="151")],
        head_id_status=["valid"] * 3,
        cert_no=["X1", None, "X2"],
        household=["X1", head, "X2"],
        household_size=[3, None, 1],
        heads=[1, 1, 1],
        member_rows=[1, 2, 1],
        row=[2, 3, 5],
    )
    m = members(
        hh=[0, 1, 1, 2],
        row=[2, 3, 4, 5],
        role=["head", "head", "child", "head"],
        name=["张三", "李四", "张五", "王六"],
    )
    return audit_data(h, m)


def test_two_heads_split_by_the_loader_are_one_household_with_two_heads():
    data = _split_member_layout()
    f = run(data, "household.head").findings
    assert list(f["row"]) == [3]
    assert f["household"].iloc[0] == "X1"
    assert f["message"].iloc[0] == "The household has 2 heads (rows 2, 3)"
    # and the split does not also show up as a size mismatch
    assert len(run(data, "household.size-mismatch")) == 0


def test_two_heads_in_a_block_whose_second_part_has_no_household_cells():
    h = households(
        household_size=[3, None, 1],
        gross_income_year=[4800, None, 1000],
        heads=[1, 1, 1],
        member_rows=[1, 2, 1],
        row=[2, 3, 5],
    )
    m = members(hh=[0, 1, 1, 2], row=[2, 3, 4, 5], role=["head", "head", "child", "head"])
    f = run(audit_data(h, m), "household.head").findings
    assert list(f["row"]) == [3]


def test_one_head_each_is_quiet():
    h = households(heads=[1, 1], member_rows=[2, 1], household_size=[2, 1])
    m = members(hh=[0, 0, 1], row=[2, 3, 4], role=["head", "spouse", "head"])
    assert len(run(audit_data(h, m), "household.head")) == 0


def _heads(births, role="head"):
    ids = [make_id(birth=b) for b in births]
    return audit_data(members_=members(id_number=ids, role=[role] * len(ids), name="户主"))


def test_minor_head_says_under_16_when_so():
    f = run(_heads(["20020601", "20050601"]), "household.head-minor").findings
    assert f["message"].tolist() == [
        "Head of household 户主 is 17 at the roster date, under 18",
        "Head of household 户主 is only 14 at the roster date, under 16",
    ]
    assert set(f["severity"]) == {"warning"}
    assert f["cell"].isna().all()


def test_adult_head_or_minor_child_is_quiet():
    assert len(run(_heads(["19600101", "20010930"]), "household.head-minor")) == 0
    assert len(run(_heads(["20100101"], role="child"), "household.head-minor")) == 0


def test_minor_head_from_the_age_column_points_at_it():
    m = members(role=["head"], age=[15.0])
    f = run(audit_data(members_=m), "household.head-minor").findings
    assert f["evidence"].iloc[0]["field"] == "age"


def test_implausible_age_old_and_unborn():
    born = [make_id(birth="19050101"), make_id(birth="20191215"), make_id(birth="19300101")]
    f = run(audit_data(members_=members(id_number=born, name="某")), "person.age-implausible")
    f = f.findings
    assert list(f["row"]) == [2, 3]
    assert f["message"].tolist() == [
        "某 is 114 at the roster date (born 1905-01-01), over 110",
        f"某 was born 2019-12-15, after the roster date {AS_OF.isoformat()}",
    ]


def test_implausible_age_quiet_at_110():
    m = members(id_number=[make_id(birth="19091001")])
    assert len(run(audit_data(members_=m), "person.age-implausible")) == 0


def _totals(rows, labels, **values):
    n = len(rows)
    return pd.DataFrame(
        {"file": ["村.xlsx"] * n, "sheet": ["Sheet1"] * n, "row": rows, "label": labels, **values}
    )


def test_totals_and_subtotals_against_their_rows():
    h = households(
        household_size=[2, 3, 1, 4],
        benefit_month=[100.0, 200.0, 300.0, 400.0],
        row=[2, 3, 5, 6],
    )
    t = _totals(
        [4, 7, 8],
        ["本页小计", "本页小计", "合计"],
        household_size=[5, 6, 10],
        benefit_month=[300.0, 700.4, 1001.0],
    )
    columns = pd.DataFrame(
        {
            "file": "村.xlsx",
            "sheet": "Sheet1",
            "column": ["D", "F"],
            "header": ["家庭人口", "月保障金"],
            "field": ["household_size", "benefit_month"],
            "how": "alias",
        }
    )
    f = run(audit_data(h, totals=t, columns=columns), "roster.totals-mismatch").findings
    assert f["cell"].tolist() == ["D7", "F8"]
    assert f["message"].tolist() == [
        "'本页小计' row: household size is 6, the rows since the previous subtotal add up to 5",
        "'合计' row: monthly benefit is 1001, the sheet's data rows add up to 1000",
    ]
    assert f["evidence"].iloc[1]["difference"] == 1


def test_totals_within_half_a_yuan_are_quiet():
    h = households(benefit_month=[100.0, 200.25])
    t = _totals([9], ["总计"], benefit_month=[300.5])
    assert len(run(audit_data(h, totals=t), "roster.totals-mismatch")) == 0


def test_a_second_total_in_a_sheet_may_cover_only_the_rows_since_the_first():
    h = households(benefit_month=[100.0, 200.0, 50.0], row=[2, 3, 5])
    t = _totals([4, 6], ["本村合计", "本村合计"], benefit_month=[300.0, 50.0])
    assert len(run(audit_data(h, totals=t), "roster.totals-mismatch")) == 0


def test_a_running_total_covers_every_row_above_it():
    # a printed roster's pages end 本页小计 then 累计 (the pages so far); the last 累计
    # is the sheet's total. Page 1: rows 2-3; page 2: rows 7-8.
    h = households(benefit_month=[100.0, 200.0, 50.0, 25.0], row=[2, 3, 7, 8])
    t = _totals(
        [4, 5, 9, 10, 11],
        ["本页小计", "累计", "本页小计", "累计", "累计"],
        benefit_month=[300.0, 300.0, 75.0, 375.0, 370.0],
    )
    f = run(audit_data(h, totals=t), "roster.totals-mismatch").findings
    assert f["row"].tolist() == [11]
    assert f["message"].tolist() == [
        "'累计' row: monthly benefit is 370, the sheet's rows above it add up to 375"
    ]


def test_a_stopped_or_deceased_household_still_paid():
    h = households(
        status=["正常", "停保", "渐退期", "死亡未退出", "终止", None],
        stop_reason=[None, None, None, None, None, "户主已故"],
        benefit_month=[400.0, 300.0, 200.0, 250.0, 0.0, 150.0],
    )
    f = run(audit_data(h), "household.stopped-paid").findings
    assert f["row"].tolist() == [3, 5, 7]  # 终止 with nothing paid is quiet
    assert f["message"].tolist() == [
        "Marked '停保', yet a monthly benefit of 300 is recorded",
        "Recorded as '死亡未退出' (deceased), yet a monthly benefit of 250 is recorded",
        "Recorded as '户主已故' (deceased), yet a monthly benefit of 150 is recorded",
    ]
    assert [e["field"] for e in f["evidence"]] == ["status", "status", "stop_reason"]


def test_a_sheet_listing_only_stopped_households_is_quiet():
    # 停保名单: every household on the sheet is stopped; its amounts are what they had
    h = households(status=["停保", "注销"], benefit_month=[300.0, 200.0])
    assert len(run(audit_data(h), "household.stopped-paid")) == 0
