"""The engine's contract: every rule runs on empty and clean data, leaves its input alone,
and findings carry the contract's fields; selection, severities and baselines keys."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from civaudit import EXAMPLE_POLICY, load_roster
from civaudit.auditing import audit
from civaudit.engine import AuditData, finding_key, run_rules, select_rules
from civaudit.errors import UsageError
from civaudit.findings import FINDING_COLUMNS, Report, Severity
from civaudit.policy import parse_policy
from civaudit.policy.model import FrozenMap, RuleSettings
from civaudit.rules import all_rules
from tests.conftest import make_id

AS_OF = date(2019, 10, 1)

HEADER = [
    "乡镇",
    "村",
    "低保证号",
    "户主姓名",
    "姓名",
    "与户主关系",
    "身份证号",
    "性别",
    "出生日期",
    "年龄",
    "残疾等级",
    "患病病种",
    "是否保障对象",
    "家庭人口",
    "保障人口",
    "家庭年总收入",
    "自付医疗费用",
    "户月保障金额",
    "保障类别",
    "施保方式",
    "是否建档立卡",
    "渐退起始月",
    "银行账号",
    "保障状态",
]

ZHANG = make_id(birth="19600101", seq="131")  # male
ZHANG_WIFE = make_id(birth="19620202", seq="142")  # female
LI = make_id(birth="19550505", seq="171")
LI_SON = make_id(birth="19900303", seq="151")
WANG = make_id(birth="19700707", seq="222")  # female


def _person(name, relation, pid, sex, birth, age, grade=None, covered="是"):
    return [None, None, None, None, name, relation, pid, sex, birth, age, grade, None, covered]


def clean_rows() -> list[list]:
    """Three clean households: ordinary (2 persons, pc 200 -> 400 a month), single-person
    (the disabled son covered, pc 300 -> the full standard 400), phase-out (pc 500,
    started 2019-08, 300 a month continued); a correct 合计 row."""
    rows = [["××县××乡2019年10月农村低保对象花名册"], HEADER]
    # (household cells) + (person cells)
    zhang = ["甲镇", "一村", "D001", "张三"]
    zhang += _person("张三", "户主", ZHANG, "男", "1960-01-01", 59)[4:]
    zhang += [2, 2, 4800, 0, 400, "一般户", "整户", "否", None, "6228480000000001", "正常"]
    rows.append(zhang)
    rows.append(_person("赵芳", "配偶", ZHANG_WIFE, "女", "1962-02-02", 57) + [None] * 11)
    li = ["甲镇", "一村", "D002", "李四"]
    li += _person("李四", "户主", LI, "男", "1955-05-05", 64, covered="否")[4:]
    li += [2, 1, 7200, 0, 400, "一般户", "单人保", "是", None, "6228480000000002", "在保"]
    rows.append(li)
    rows.append(
        _person("李五", "子", LI_SON, "男", "1990-03-03", 29, grade="一级", covered="是")
        + [None] * 11
    )
    wang = ["甲镇", "二村", "D003", "王芳"]
    wang += _person("王芳", "户主", WANG, "女", "1970-07-07", 49)[4:]
    wang += [1, 1, 6000, 0, 300, "渐退", "整户", "是", "2019-08", "6228480000000003", "渐退期"]
    rows.append(wang)
    total = ["合计"] + [None] * 12 + [5, 4, 18000, 0, 1100] + [None] * 6
    rows.append(total)
    return rows


@pytest.fixture(scope="module")
def clean_roster(tmp_path_factory):
    from tests.conftest import write_xlsx

    path = tmp_path_factory.mktemp("clean") / "clean.xlsx"
    return load_roster(write_xlsx(path, clean_rows()))


@pytest.fixture(scope="module")
def clean_data(clean_roster):
    return AuditData.from_roster(clean_roster, EXAMPLE_POLICY, as_of=AS_OF)


def _copies(data: AuditData) -> dict[str, pd.DataFrame]:
    return {
        name: data.table(name).copy(deep=True)
        for name in ("households", "members", "assessed", "issues", "totals", "columns")
    }


def _unchanged(data: AuditData, before: dict[str, pd.DataFrame]) -> None:
    for name, frame in before.items():
        pd.testing.assert_frame_equal(data.table(name), frame, check_exact=True)


# --- the contract -------------------------------------------------------------------


def test_the_clean_roster_reads_as_intended(clean_data):
    a = clean_data.assessed
    assert a["state"].tolist() == ["ok", "ok", "ok"]
    assert a["coverage"].tolist() == ["whole", "single", "whole"]
    assert a["phaseout"].tolist() == [False, False, True]
    assert a["expected_base"].tolist() == [400, 400, 300]
    assert len(clean_data.totals) == 1


def test_every_rule_on_the_clean_roster_finds_nothing_and_changes_nothing(clean_data):
    before = _copies(clean_data)
    report = run_rules(clean_data, lang="en")
    assert report.findings.empty, report.findings[["rule", "row", "message"]].to_string()
    _unchanged(clean_data, before)
    # every rule ran, except the external-list ones, add-ons (the policy has none),
    # the change rules (they need two snapshots: civaudit diff) and the export-pair
    # rules (they need a household file and a person file)
    skipped = set(report.rules_skipped)
    changes = {r.id for r in all_rules() if r.family == "change"}
    pairs = {r.id for r in all_rules() if any(".pair" in need for need in r.needs)}
    assert pairs == {
        "roster.member-without-household",
        "roster.household-without-members",
        "household.head-mismatch",
    }
    expected = {r.id for r in all_rules() if r.against} | {"addon.inconsistent"} | changes
    assert skipped == expected | pairs
    assert set(report.rules_run) | skipped == {r.id for r in all_rules()}


def test_every_rule_on_empty_data_is_skipped_with_a_reason():
    data = AuditData.empty()
    report = run_rules(data, lang="en")
    assert report.findings.empty and report.rules_run == ()
    assert set(report.rules_skipped) == {r.id for r in all_rules()}
    assert all(reason for reason in report.rules_skipped.values())
    assert report.rules_skipped["id.checksum"] == "the roster has no column for ID number"


def test_every_rule_runs_on_tables_with_columns_but_no_rows(clean_data):
    empty = AuditData(
        **{
            **clean_data.__dict__,
            **{
                name: clean_data.table(name).iloc[:0]
                for name in ("households", "members", "assessed", "issues", "totals")
            },
        }
    )
    before = _copies(empty)
    report = run_rules(empty)
    assert report.findings.empty
    assert len(report.rules_run) >= 30
    _unchanged(empty, before)


def test_each_rule_check_is_pure_on_the_clean_roster(clean_data):
    before = _copies(clean_data)
    for rule in all_rules():
        if rule.check is not None and all(clean_data.has(n) for n in rule.needs):
            hits = rule.check(clean_data)
            assert {"table", "ref"} <= set(hits.columns), rule.id
            assert hits.empty, rule.id
    _unchanged(clean_data, before)


# --- findings from a dirty roster: where, what, masking -------------------------------


@pytest.fixture(scope="module")
def dirty_report(tmp_path_factory):
    from tests.conftest import write_xlsx

    rows = clean_rows()
    wrong = ZHANG_WIFE[:17] + ("0" if ZHANG_WIFE[17] != "0" else "1")
    rows[3][6] = wrong  # the wife's ID: bad check character
    rows[2][17] = 420  # 张三's benefit: 420 instead of 400 (and the total now off)
    path = tmp_path_factory.mktemp("dirty") / "dirty.xlsx"
    roster = load_roster(write_xlsx(path, rows))
    return audit(roster, EXAMPLE_POLICY, as_of=AS_OF, lang="en"), wrong, str(path)


def test_findings_have_the_contract_fields_in_order_and_sorted(dirty_report):
    report, wrong, path = dirty_report
    assert tuple(report.findings.columns) == FINDING_COLUMNS
    assert report.flatten(["row", "cell", "rule"]) == [
        (3, "R3", "benefit.mismatch"),
        (4, "G4", "id.checksum"),
        (8, "R8", "roster.totals-mismatch"),
    ]
    checksum = report.findings.iloc[1]
    assert checksum["file"] == path and checksum["sheet"] == "Sheet1"
    assert (checksum["town"], checksum["village"], checksum["household"]) == (
        "甲镇",
        "一村",
        "D001",
    )
    assert checksum["name"] == "赵芳"
    assert checksum["clause"] == "GB 11643-1999"
    masked = wrong[:6] + "********" + wrong[-4:]
    assert checksum["person"] == masked
    assert checksum["message"] == f"ID number {masked}: check character should be {ZHANG_WIFE[17]}"


def test_no_mask_shows_full_numbers(clean_roster):
    wrong = ZHANG[:17] + ("0" if ZHANG[17] != "0" else "1")
    data = AuditData.from_roster(clean_roster, EXAMPLE_POLICY, as_of=AS_OF)
    members = data.members.copy()
    members.loc[0, "id_status"] = "checksum"
    members.loc[0, "id_number"] = wrong
    members.loc[0, "id_original"] = wrong
    data = AuditData(**{**data.__dict__, "members": members})
    masked = run_rules(data, select=["id.checksum"], lang="en")
    full = run_rules(data, select=["id.checksum"], lang="en", mask=False)
    assert masked.findings["person"].iloc[0] != wrong
    assert full.findings["person"].iloc[0] == wrong and wrong in full.findings["message"].iloc[0]


def test_messages_in_chinese(dirty_report, clean_roster):
    report, _, _ = dirty_report
    zh = audit(clean_roster, EXAMPLE_POLICY, as_of=AS_OF, lang="zh")
    assert zh.findings.empty
    assert report.findings["message"].iloc[0].startswith("Monthly benefit")


def test_report_summary_dict_and_severity_helpers(dirty_report):
    report, _, _ = dirty_report
    summary = report.summary()
    assert summary["findings"] == 3
    assert summary["by_severity"] == {"error": 2, "warning": 1, "info": 0}
    assert summary["by_rule"] == {
        "benefit.mismatch": 1,
        "id.checksum": 1,
        "roster.totals-mismatch": 1,
    }
    assert summary["by_village"] == {"甲镇/一村": 2, "": 1}
    as_json = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert as_json["findings"][0]["evidence"]["recorded_base"] == 420
    assert as_json["findings"][0]["row"] == 3
    assert report.worst() is Severity.ERROR
    assert report.at_or_above("warning").tolist() == [True, True, True]
    assert report.at_or_above(Severity.ERROR).tolist() == [True, True, False]
    assert Report().worst() is None
    assert [f.rule for f in report] == ["benefit.mismatch", "id.checksum", "roster.totals-mismatch"]


def test_severity_order():
    assert Severity.ERROR > Severity.WARNING > Severity.INFO
    assert Severity.parse("Warning") is Severity.WARNING and str(Severity.INFO) == "info"
    with pytest.raises(ValueError):
        Severity.parse("fatal")


# --- selection and overrides ------------------------------------------------------------


def test_select_and_ignore_take_ids_and_family_prefixes(dirty_report, clean_data):
    ids = [r.id for r in select_rules(select=["id", "benefit.mismatch"], ignore=["id.masked"])]
    assert ids == [
        "id.invalid",
        "id.checksum",
        "id.precision-lost",
        "id.legacy-15",
        "id.region-unknown",
        "id.mismatch",
        "benefit.mismatch",
    ]
    assert [r.id for r in select_rules(select=["phaseout.expired,dup"])] == [
        "dup.person",
        "dup.bank-account",
        "dup.similar-person",
        "dup.masked-match",
        "phaseout.expired",
    ]
    with pytest.raises(UsageError, match="unknown rule or family 'idd'"):
        select_rules(select=["idd"])
    report = run_rules(clean_data, select=["id"])
    assert set(report.rules_run) | set(report.rules_skipped) == {
        r.id for r in all_rules() if r.family == "id"
    }


def test_policy_ignore_and_severity_overrides(tmp_path, dirty_report):
    report, _, _ = dirty_report
    policy = parse_policy(
        '[[standard]]\nregion = "13"\nyearly = 4800\n'
        '[rules]\nignore = ["roster"]\nseverity = { "id.checksum" = "info", "benefit" = "warning" }'
    )
    roster_path = report.findings["file"].iloc[0]
    roster = load_roster(roster_path)
    overridden = audit(roster, policy, as_of=AS_OF, lang="en")
    assert overridden.flatten(["rule", "severity"]) == [
        ("benefit.mismatch", "warning"),
        ("id.checksum", "info"),
    ]
    assert "roster.totals-mismatch" not in overridden.rules_run
    assert "roster.totals-mismatch" not in overridden.rules_skipped


def test_ignore_argument_and_policy_ignore_combine(clean_data):
    policy = replace(EXAMPLE_POLICY, rules=RuleSettings(ignore=("id",), severity=FrozenMap()))
    data = AuditData(**{**clean_data.__dict__, "policy": policy})
    report = run_rules(data, ignore=["dup"])
    ran = set(report.rules_run) | set(report.rules_skipped)
    assert not any(r.startswith(("id.", "dup.")) for r in ran)


# --- baselines ------------------------------------------------------------------------


def test_finding_key_ignores_the_row_but_not_the_person_or_field(dirty_report):
    report, _, _ = dirty_report
    f = report.to_frame()
    moved = f.assign(row=f["row"] + 10, cell=["R13", "G14", "R18"], message="x")
    assert finding_key(moved).tolist() == finding_key(f).tolist()
    other = f.assign(person=["x", "y", "z"])
    assert finding_key(other).tolist()[1] != finding_key(f).tolist()[1]
    assert finding_key(f).is_unique
    assert finding_key(f.iloc[:0]).empty
