"""Coverage and rule statuses: what a run checked and what it did not, as data."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd

from civaudit import EXAMPLE_POLICY, audit, load_roster
from civaudit.findings import COVERAGE_COLUMNS, RULE_STATUS_COLUMNS, Report
from tests.conftest import make_id, write_xlsx

AS_OF = date(2019, 10, 1)
IDS = [make_id(seq=f"{n:03d}") for n in range(131, 140)]


def no_income(path):
    """Three households with a benefit, a size and IDs, but no income column."""
    rows = [["户主姓名", "户主身份证号", "家庭人口", "保障人口", "月保障金"]]
    rows += [[f"户主{i}", IDS[i], 2, 2, 300] for i in range(3)]
    return write_xlsx(path, [["某村2019年10月农村低保花名册"], *rows])


def test_a_roster_with_no_income_column_is_not_assessed_and_says_why(tmp_path):
    report = audit(load_roster(no_income(tmp_path / "村.xlsx")), EXAMPLE_POLICY, lang="en")
    assert list(report.coverage.columns[: len(COVERAGE_COLUMNS)]) == list(COVERAGE_COLUMNS)
    assert report.coverage["assessed"].tolist() == [False] * 3
    assert report.coverage["reason"].tolist() == ["income-missing"] * 3
    assert report.coverage["row"].tolist() == [3, 4, 5]
    assert report.coverage_percent() == 0.0
    summary = report.coverage_summary()
    assert summary["by_reason"] == {"income-missing": 3}
    (sheet,) = summary["files"][0]["sheets"]
    assert [h["row"] for h in sheet["not_assessed_households"]] == [3, 4, 5]
    # masked keys: the household key is the head's ID
    assert sheet["not_assessed_households"][0]["household"].startswith("130723****")
    as_json = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert as_json["coverage"]["percent"] == 0.0
    assert as_json["summary"]["households"] == 3 and as_json["summary"]["assessed"] == 0
    status = report.rules.set_index("rule").loc["income.above-standard"]
    assert list(report.rules.columns[: len(RULE_STATUS_COLUMNS)]) == list(RULE_STATUS_COLUMNS)
    assert status["status"] == "skipped" and status["reason"] == "missing-column"
    assert "家庭年总收入" in status["en"] and "--column gross_income_year=HEADER" in status["en"]
    assert "--column gross_income_year=表头" in status["zh"]


def test_blank_and_unreadable_income_are_told_apart(xlsx):
    path = xlsx(
        [
            ["户主姓名", "户主身份证号", "家庭人口", "家庭年总收入", "月保障金"],
            ["甲", IDS[0], 2, 3000, 300],
            ["乙", IDS[1], 2, None, 300],
            ["丙", IDS[2], 2, "三千", 300],
            ["丁", IDS[3], None, 3000, 300],
        ]
    )
    report = audit(load_roster(path), EXAMPLE_POLICY, as_of=AS_OF, lang="en")
    assert report.coverage["reason"].fillna("-").tolist() == [
        "-",
        "income-blank",
        "income-unreadable",
        "size-blank",
    ]
    assert report.coverage_summary(households=False)["by_reason"] == {
        "income-blank": 1,
        "income-unreadable": 1,
        "size-blank": 1,
    }


def test_rule_statuses_cover_the_catalogue_run_skipped_and_not_requested(tmp_path):
    roster = load_roster(no_income(tmp_path / "村.xlsx"))
    report = audit(roster, EXAMPLE_POLICY, select=["id", "income", "ext.deceased"], lang="en")
    statuses = report.rules.set_index("rule")
    assert statuses.loc["id.checksum", "status"] == "run"
    assert statuses.loc["ext.deceased", ["status", "reason", "needs"]].tolist() == [
        "skipped",
        "needs-list",
        "deaths",
    ]
    assert "--against deaths=FILE" in statuses.loc["ext.deceased", "en"]
    assert statuses.loc["dup.person", ["status", "reason"]].tolist() == [
        "not-requested",
        "not-selected",
    ]
    assert set(report.rules_run) == set(statuses.index[statuses["status"] == "run"])
    assert set(report.rules_skipped) == set(statuses.index[statuses["status"] == "skipped"])
    counts = report.rules_summary()
    assert counts["run"] + counts["skipped"] + counts["not_requested"] == len(report.rules)


def test_findings_on_a_derived_income_carry_its_source(xlsx):
    # a member roster with each member's yearly income, no household income column
    head = make_id(seq="131")
    path = xlsx(
        [
            [
                "户主身份证号",
                "姓名",
                "身份证号",
                "与户主关系",
                "家庭人口",
                "个人年收入",
                "月保障金",
            ],
            [head, "张三", head, "户主", 2, 7200, 100],
            [head, "李四", make_id(birth="19650101", seq="142"), "配偶", 2, 3600, 100],
        ]
    )
    roster = load_roster(path)
    report = audit(roster, EXAMPLE_POLICY, as_of=AS_OF, lang="en", select=["income"])
    (finding,) = report.findings.to_dict("records")  # 10800 a year for 2: 450 > 400 a month
    assert finding["rule"] == "income.above-standard"
    assert finding["evidence"]["income_source"] == "members"
    assert report.coverage["income_source"].tolist() == ["members"]


def test_an_empty_report_has_empty_frames_with_their_columns():
    report = Report()
    assert report.coverage_summary()["households"] == 0
    assert report.coverage_percent() is None
    assert report.to_dict()["coverage"]["files"] == []
    assert isinstance(report.rules, pd.DataFrame) and report.rules_summary()["rules"] == []
