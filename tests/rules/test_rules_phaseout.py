"""Phase-out rules (roster month 2019-10; default policy: 6 months, at most 12)."""

from __future__ import annotations

from tests.rules.rulekit import audit_data, households, policy, run

# in period, registered poor, pc 500 (between the standard 400 and the ceiling 600)
GOOD = {
    "household_size": 1,
    "gross_income_year": 6000.0,
    "benefit_month": 300.0,
    "category": "渐退",
    "phaseout_start": "2019-08-01",
    "registered_poor": True,
}


def phaseout(policy_=None, **changes):
    columns = {**GOOD, **changes}
    n = max((len(v) for v in columns.values() if isinstance(v, list)), default=1)
    columns = {k: v if isinstance(v, list) else [v] * n for k, v in columns.items()}
    return audit_data(households(**columns), policy_=policy_)


def test_a_household_in_its_period_raises_nothing():
    report = run(phaseout(), "phaseout")
    assert len(report) == 0
    assert set(report.rules_run) == {
        "phaseout.expired",
        "phaseout.too-long",
        "phaseout.no-start",
        "phaseout.not-eligible",
        "phaseout.above-ceiling",
        "phaseout.below-standard",
    }
    assert len(run(phaseout(), "benefit")) == 0
    assert len(run(phaseout(), "income")) == 0


def test_expired():
    f = run(phaseout(phaseout_start=["2018-12-01", "2019-08-01"]), "phaseout.expired").findings
    assert list(f["row"]) == [2]
    assert (
        f["message"].iloc[0]
        == "Phase-out from 2018-12 ended on 2019-06-01; still paid at 2019-10-01"
    )


def test_expired_but_no_longer_paid_is_quiet():
    assert (
        len(run(phaseout(phaseout_start="2018-12-01", benefit_month=0.0), "phaseout.expired")) == 0
    )


def test_too_long_under_an_end_date_policy():
    until = policy('[phaseout]\nuntil = "2020-12-31"')
    data = phaseout(until, phaseout_start=["2019-01-01", "2020-06-01"])
    f = run(data, "phaseout.too-long").findings
    assert list(f["row"]) == [2]
    assert f["evidence"].iloc[0]["phaseout_months"] == 24
    assert f["evidence"].iloc[0]["max_months"] == 12


def test_too_long_quiet_under_a_months_policy():
    assert len(run(phaseout(), "phaseout.too-long")) == 0


def test_no_start():
    f = run(phaseout(phaseout_start=[None, "2019-08-01"]), "phaseout.no-start").findings
    assert list(f["row"]) == [2]
    assert (
        f["message"].iloc[0] == "Marked as phase-out (渐退) but no phase-out start month is given"
    )


def test_not_eligible_when_not_registered_poor():
    f = run(phaseout(registered_poor=[False, True]), "phaseout.not-eligible").findings
    assert list(f["row"]) == [2]


def test_not_eligible_skipped_when_the_policy_allows_anyone():
    anyone = policy("[phaseout]\nregistered_poor_only = false")
    report = run(phaseout(anyone, registered_poor=False), "phaseout.not-eligible")
    assert "registered_poor_only" in report.rules_skipped["phaseout.not-eligible"]


def test_above_ceiling_and_below_standard():
    data = phaseout(gross_income_year=[7200.0, 4000.0, 6000.0])
    above = run(data, "phaseout.above-ceiling").findings
    below = run(data, "phaseout.below-standard").findings
    assert list(above["row"]) == [2] and list(below["row"]) == [3]
    assert above["message"].iloc[0] == (
        "Phase-out household's per-capita income 600 a month is at or above the ceiling 600 "
        "(1.5 x the standard)"
    )
    assert list(below["severity"]) == ["info"]


def test_phaseout_rules_skipped_without_a_marker_column():
    h = households(household_size=[1], gross_income_year=[6000.0])
    report = run(audit_data(h), "phaseout")
    assert set(report.rules_skipped) >= {"phaseout.expired", "phaseout.no-start"}
    assert not report.rules_run
