"""External-list rules: listed in the catalogue, skipped until a list is given.

Their checks are tested in ``tests/test_external.py``."""

from __future__ import annotations

from civaudit.engine import AuditData, skip_reason
from civaudit.rules import all_rules, get_rule
from tests.rules.rulekit import audit_data, households, run

EXTERNAL = {
    "ext.deceased": "deaths",
    "ext.tekun": "tekun",
    "ext.public-employee": "payroll",
    "ext.cadre": "cadres",
    "ext.vehicle": "vehicles",
    "ext.business": "business",
    "ext.housing": "housing",
    "ext.missed-eligible": "low-income",
    "village.coverage-outlier": "population",
}


def test_every_external_rule_is_registered_with_its_list():
    ids = {r.id for r in all_rules()}
    assert set(EXTERNAL) | {"ext.cadre-relative-unfiled"} <= ids
    for rule_id, kind in EXTERNAL.items():
        assert get_rule(rule_id).against == (kind,)
    assert get_rule("ext.cadre-relative-unfiled").against == ("cadres", "filings")


def test_external_rules_are_skipped_with_the_flag_they_need():
    report = run(audit_data(households()), "ext")
    assert report.rules_skipped["ext.deceased"] == "needs --against deaths"
    assert report.rules_skipped["ext.cadre-relative-unfiled"] == (
        "needs --against cadres, --against filings"
    )
    assert not report.rules_run and len(report) == 0
    report = run(audit_data(households()), "village.coverage-outlier", lang="zh")
    assert report.rules_skipped == {
        "village.coverage-outlier": "需要外部名单：--against population"
    }


def test_with_the_list_given_the_rule_runs():
    data = AuditData.empty()
    data = AuditData(**{**data.__dict__, "against": {"deaths": households()}})
    # the list is there: what is missing now is the roster's ID column
    assert skip_reason(get_rule("ext.deceased"), data) == "the roster has no column for ID number"
