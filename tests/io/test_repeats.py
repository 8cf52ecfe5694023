"""Member rows that repeat household fields: read once, and a household whose copies
disagree is a finding with the cells."""

from __future__ import annotations

from datetime import date

import openpyxl

from civaudit import EXAMPLE_POLICY, load_roster
from civaudit.auditing import audit
from tests.rules.rulekit import make_id

A, B, C, D = (make_id(seq=s) for s in ("011", "022", "033", "044"))
E, F = make_id(seq="055"), make_id(seq="066")
# a household whose copies agree, so a sheet of two is not "each member's own amount"
AGREEING = [
    (8, "刘一", E, "刘一", E, "户主", 2, 1200, 700, "A类"),
    (9, "刘一", E, "陈二", F, "配偶", 2, 1200, 700, "A类"),
]
HEADER = ["序号", "户主姓名", "户主身份证号", "姓名", "身份证号", "与户主关系", "家庭人口"]
HEADER += ["家庭年收入", "月保障金", "保障类别"]


def _roster(tmp_path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(HEADER)
    for row in rows:
        ws.append(list(row))
    path = tmp_path / "重复.xlsx"
    wb.save(path)
    return load_roster(path)


def _findings(roster):
    report = audit(roster, EXAMPLE_POLICY, as_of=date(2019, 10, 1), lang="en", mask=False)
    return report.findings


def test_agreeing_repeats_are_read_once_and_say_nothing(tmp_path):
    roster = _roster(
        tmp_path,
        [
            (1, "张三", A, "张三", A, "户主", 2, 2400, 350, "A类"),
            (2, "张三", A, "李梅", B, "配偶", 2, "2,400元", 350, "A类"),
        ],
    )
    h = roster.households
    assert len(h) == 1 and h["gross_income_year"].iloc[0] == 2400
    assert roster.sheets[0].layout == "member"
    assert "household.inconsistent-repeat" not in set(_findings(roster)["rule"])


def test_disagreeing_repeats_are_one_finding_per_field_with_the_cells(tmp_path):
    roster = _roster(
        tmp_path,
        [
            (1, "张三", A, "张三", A, "户主", 3, 2400, 500, "A类"),
            (2, "张三", A, "李梅", B, "配偶", 3, 3600, 500, "B类"),
            (3, "张三", A, "张小", C, "子", 3, 3700, 500, "A类"),
            *AGREEING,
        ],
    )
    assert roster.households["gross_income_year"].iloc[0] == 2400  # the head's row
    f = _findings(roster)
    mine = f[f["rule"] == "household.inconsistent-repeat"]
    assert list(zip(mine["cell"], mine["evidence"].map(lambda e: e["field"]), strict=True)) == [
        ("J3", "category"),
        ("H3", "gross_income_year"),
    ]
    income = mine[mine["cell"] == "H3"].iloc[0]
    assert income["evidence"]["cells"] == ["H3 = 3600", "H4 = 3700"]
    assert income["message"] == (
        "The household's rows disagree on gross annual income: read as 2400 from H2, "
        "but H3 = 3600; H4 = 3700"
    )
    assert income["household"] == A and income["severity"] == "warning"
    # the income read is a guess: no income or benefit finding rests on it
    assert not f["rule"].str.startswith(("benefit.", "income.")).any()


def test_a_total_on_the_head_row_over_each_members_share_is_no_conflict(tmp_path):
    roster = _roster(
        tmp_path,
        [
            (1, "王五", C, "王五", C, "户主", 2, 1200, 700, "B类"),
            (2, "王五", C, "赵丽", D, "配偶", 2, 1200, 300, "B类"),
            (3, "王五", C, "王小", A, "子", 2, 1200, 400, "B类"),
            *AGREEING,
        ],
    )
    assert "household.inconsistent-repeat" not in set(_findings(roster)["rule"])


def test_a_column_that_differs_in_most_households_is_each_members_own(tmp_path):
    """按人发放: every member row gives that member's amount; not a repeat that disagrees."""
    roster = _roster(
        tmp_path,
        [
            (1, "王五", C, "王五", C, "户主", 2, 1200, 200, "B类"),
            (2, "王五", C, "赵丽", D, "配偶", 2, 1200, 150, "B类"),
            (3, "刘一", E, "刘一", E, "户主", 2, 1200, 220, "A类"),
            (4, "刘一", E, "陈二", F, "配偶", 2, 1200, 180, "A类"),
        ],
    )
    assert "household.inconsistent-repeat" not in set(_findings(roster)["rule"])


def test_merged_household_cells_are_not_compared(tmp_path):
    """A block sheet: the household cells only on the head row; a column filled on every
    row is each member's own."""
    roster = _roster(
        tmp_path,
        [
            (1, "张三", A, "张三", A, "户主", 2, 2400, 200, "A类"),
            (None, None, None, "李梅", B, "配偶", None, None, 300, None),
            (2, "刘一", E, "刘一", E, "户主", 2, 1200, 600, "A类"),
            (None, None, None, "陈二", F, "配偶", None, None, 600, None),
        ],
    )
    assert roster.sheets[0].layout == "block"
    assert "household.inconsistent-repeat" not in set(_findings(roster)["rule"])
