"""Monthly workbooks: the same roster once per month is one series; the as-of month is
audited, the month before feeds the change.* rules, and no household is a duplicate of
itself across months."""

from __future__ import annotations

import json
from datetime import date

import openpyxl
import pytest
from click.testing import CliRunner

from civaudit import EXAMPLE_POLICY, load_roster
from civaudit.auditing import audit
from civaudit.cli import cli
from civaudit.io.months import month_in, sheet_month
from civaudit.series import find_series, split_months
from tests.rules.rulekit import make_id

IDS = [make_id(birth=f"19{60 + i}0101", seq=f"{i:03d}") for i in range(6)]
HEADER = [
    "序号",
    "低保证号",
    "户主姓名",
    "户主身份证号",
    "家庭人口",
    "保障人数",
    "家庭年收入",
    "月保障金",
]


def household(i, benefit=700, income=1200):
    return [i + 1, f"ZJ{i:03d}", f"户主{i}", IDS[i], 2, 2, income, benefit]


def workbook(path, sheets, title=True):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        if title:
            ws.append([f"康保县张纪镇{title if isinstance(title, str) else ''}农村低保发放花名册"])
        ws.append(HEADER)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("1月", (None, 1)),
        ("2019年1月", ("2019", 1)),
        ("201901", ("2019", 1)),
        ("2019.01", ("2019", 1)),
        ("一月份", (None, 1)),
        ("十一月", (None, 11)),
        ("10月发放表", (None, 10)),
        ("Sheet1", None),
        ("1-3月", None),  # a quarter, no month
        ("张家营子村", None),
    ],
)
def test_the_month_a_sheet_name_gives(name, found):
    assert month_in(name) == found


def test_a_sheet_month_takes_its_year_from_the_title_or_the_file():
    assert sheet_month("1月", ("康保县2019年1月农村低保花名册",), "x.xlsx") == "2019-01"
    assert sheet_month("1月", (), "2018年/发放表.xlsx") == "2018-01"
    assert sheet_month("1月", (), "发放表.xlsx") == "????-01"
    assert sheet_month("Sheet1", ("康保县2019年10月花名册",), "x.xlsx") == "2019-10"


def months_roster(tmp_path, names=("8月", "9月", "10月"), rise=50):
    sheets = {}
    for k, name in enumerate(names):
        last = k == len(names) - 1
        rows = [household(i, benefit=700 + (rise if last and i == 0 else 0)) for i in range(5)]
        if k:  # a household added in the second month
            rows.append(household(5))
        sheets[name] = rows
    return load_roster(workbook(tmp_path / "2019年发放.xlsx", sheets))


def test_a_monthly_workbook_is_one_series_audited_at_its_latest_month(tmp_path):
    roster = months_roster(tmp_path)
    (series,) = find_series(roster)
    assert series.months == ("2019-08", "2019-09", "2019-10")
    assert series.sheets == (("8月",), ("9月",), ("10月",))
    report = audit(roster, EXAMPLE_POLICY, as_of=date(2019, 10, 1), lang="en", mask=False)
    f = report.findings
    assert "dup.person" not in set(f["rule"]) and "dup.bank-account" not in set(f["rule"])
    assert set(f["sheet"]) == {"10月"}
    rise = f[f["rule"] == "change.benefit-rise"]
    assert list(zip(rise["sheet"], rise["row"], strict=True)) == [("10月", 3)]
    assert rise["evidence"].iloc[0]["old_sheet"] == "9月"
    assert "change.benefit-rise" in report.rules_run
    assert "change.benefit-rise" not in report.rules_skipped


def test_the_as_of_month_is_audited_and_the_one_before_it_compared(tmp_path):
    roster = months_roster(tmp_path)
    split = split_months(roster, date(2019, 9, 15))
    assert set(split.current.households["sheet"]) == {"9月"}
    assert set(split.previous.households["sheet"]) == {"8月"}
    (info,) = split.series
    assert info["audited"] == {"month": "2019-09", "sheets": ["9月"]}
    assert info["previous"] == {"month": "2019-08", "sheets": ["8月"]}
    assert info["later"] == [{"month": "2019-10", "sheets": ["10月"]}]
    report = audit(roster, EXAMPLE_POLICY, as_of=date(2019, 9, 1), lang="en", mask=False)
    assert "change.benefit-rise" not in set(report.findings["rule"])


def test_sheets_of_new_households_per_month_are_no_series(tmp_path):
    sheets = {"1月新增": [household(0), household(1)], "2月新增": [household(2), household(3)]}
    roster = load_roster(workbook(tmp_path / "新增.xlsx", sheets))
    assert find_series(roster) == ()
    assert split_months(roster, date(2019, 2, 1)).current is roster


def test_a_month_column_makes_one_sheet_a_series(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([*HEADER, "发放月份"])
    for month in ("2019-09", "2019-10"):
        for i in range(3):
            ws.append([*household(i, benefit=700 if month < "2019-10" or i else 760), month])
    path = tmp_path / "发放记录.xlsx"
    wb.save(path)
    roster = load_roster(path)
    (series,) = find_series(roster)
    assert series.months == ("2019-09", "2019-10")
    report = audit(roster, EXAMPLE_POLICY, as_of=date(2019, 10, 1), lang="en", mask=False)
    f = report.findings
    assert "dup.person" not in set(f["rule"])
    assert list(f.loc[f["rule"] == "change.benefit-rise", "row"]) == [5]


def test_the_cli_says_which_sheet_was_audited(tmp_path):
    months_roster(tmp_path)
    path = tmp_path / "2019年发放.xlsx"
    result = CliRunner().invoke(
        cli, ["--lang", "en", "audit", str(path), "-f", "json", "-q"], catch_exceptions=False
    )
    assert "As of 2019-10-01 (from the sheet name)" in result.stderr
    assert "audited 2019-10 (10月)" in result.stderr
    assert "2019-09 (9月) compared as the month before" in result.stderr
    assert "other months read, not audited: 2019-08 (8月)" in result.stderr
    manifest = json.loads(result.stdout)["civaudit"]
    assert manifest["months"][0]["audited"] == {"month": "2019-10", "sheets": ["10月"]}
    inspected = CliRunner().invoke(cli, ["--lang", "en", "inspect", str(path), "-f", "json"])
    months = json.loads(inspected.stdout)["files"][0]["months"]
    assert [m["month"] for m in months] == ["2019-08", "2019-09", "2019-10"]
