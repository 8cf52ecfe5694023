"""Income and benefit rules against the assessment (example standard 4,800 = 400 a month)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.rules.rulekit import audit_data, households, make_id, members, policy, run

# the domain's worked example: 3 persons, gross 10,200, medical 1,200 -> 450 a month
WORKED = {"household_size": 3, "gross_income_year": 10200.0, "medical_expense": 1200.0}


def test_income_above_standard_fires_and_is_not_also_a_benefit_mismatch():
    h = households(household_size=[3, 3], gross_income_year=[18000.0, 9000.0])
    h["benefit_month"] = [300.0, 450.0]
    data = audit_data(h)
    f = run(data, "income.above-standard").findings
    assert list(f["row"]) == [2]
    assert f["message"].iloc[0] == (
        "Per-capita income 500 a month is at or above the standard 400 (net income 18000 a "
        "year, 3 persons); not in phase-out or single-person coverage"
    )
    assert len(run(data, "benefit.mismatch")) == 0


def test_income_above_standard_quiet_below_or_in_phaseout_or_unassessable():
    h = households(
        household_size=[3, 3, 3],
        gross_income_year=[9000.0, 18000.0, np.nan],
        category=["一般户", "渐退", "一般户"],
    )
    assert len(run(audit_data(h), "income.above-standard")) == 0


def test_benefit_mismatch_beyond_the_tolerance():
    h = households(**{k: [v] * 3 for k, v in WORKED.items()}, benefit_month=[460.0, 451.0, 450.0])
    f = run(audit_data(h), "benefit.mismatch").findings
    assert list(f["row"]) == [2]
    assert f["message"].iloc[0] == (
        "Monthly benefit recorded as 460, the policy gives 450 (difference 10)"
    )
    assert f["cell"].iloc[0] is None and f["evidence"].iloc[0]["field"] == "benefit_month"


def test_benefit_rules_say_nothing_on_households_that_cannot_be_assessed():
    h = households(household_size=[3], gross_income_year=[np.nan], benefit_month=[5000.0])
    data = audit_data(h)
    assert data.assessed["state"].iloc[0] != "ok"
    assert len(run(data, "benefit", ignore=["benefit.over-cap"])) == 0


def test_the_cap_needs_no_income():
    """A publicity list (公示) gives the benefit and the covered persons, no income: the
    cap (standard x covered) is still checked."""
    h = households(household_size=[3, 3], covered_count=[3, 3], benefit_month=[1300.0, 1200.0])
    f = run(audit_data(h), "benefit").findings
    assert list(f["rule"]) == ["benefit.over-cap"] and list(f["row"]) == [2]


def test_benefit_rules_skip_a_household_with_an_unreadable_amount():
    h = households(**WORKED, benefit_month=[900.0])
    issues = pd.DataFrame(
        [("村.xlsx", "Sheet1", 2, "F2", "gross_income_year", "家庭年收入", "abc", "unparsed")],
        columns=["file", "sheet", "row", "cell", "field", "header", "raw", "issue"],
    )
    assert len(run(audit_data(h, issues=issues), "benefit")) == 0


def test_over_cap():
    h = households(household_size=[3, 3], gross_income_year=[0.0, 0.0])
    h["benefit_month"] = [1201.0, 1200.0]
    f = run(audit_data(h), "benefit.over-cap").findings
    assert list(f["row"]) == [2]
    assert f["message"].iloc[0] == (
        "Monthly benefit recorded as 1201, above the cap 1200 (standard 400 x 3 covered)"
    )


def test_deductions_above_gross_income_point_at_the_largest_item():
    h = households(
        household_size=[2, 2],
        gross_income_year=[5000.0, 5000.0],
        medical_expense=[6000.0, 1000.0],
        education_expense=[500.0, 0.0],
        benefit_month=[800.0, 634.0],
    )
    f = run(audit_data(h), "deduction.excessive").findings
    assert list(f["row"]) == [2]
    assert f["evidence"].iloc[0]["field"] == "medical_expense"
    assert f["message"].iloc[0] == (
        "Deductions of 6500 a year exceed the gross income 5000 (ratio cap 1)"
    )


def test_deduction_item_above_its_cap():
    capped = policy("[deduction]\nmedical_cap = 1000")
    h = households(household_size=[3, 3], gross_income_year=[10200.0] * 2)
    h["medical_expense"] = [1200.0, 1000.0]
    f = run(audit_data(h, policy_=capped), "deduction.excessive").findings
    assert list(f["row"]) == [2]
    assert f["message"].iloc[0] == (
        "medical out-of-pocket recorded as 1200 a year, above the policy cap 1000"
    )


def test_deductions_within_caps_are_quiet():
    h = households(**WORKED)
    assert len(run(audit_data(h), "deduction.excessive")) == 0


ELDERLY = "[[addon]]\ncategory = 'elderly'\npercent_of_standard = 10"


def _addon_household(recorded):
    h = households(household_size=[1], gross_income_year=[0.0], benefit_month=[400.0])
    h["addon_month"] = [recorded]
    m = members(id_number=[make_id(birth="19400101")], role=["head"], is_covered=[True])
    return audit_data(h, m, policy_=policy(ELDERLY))


def test_addon_compares_the_household_total_and_says_so():
    f = run(_addon_household(0.0), "addon.inconsistent").findings
    assert f["evidence"].iloc[0]["addon_expected"] == 40
    assert "only the household total is compared" in f["message"].iloc[0]


def test_addon_matching_the_policy_is_quiet():
    assert len(run(_addon_household(40.0), "addon.inconsistent")) == 0


def test_addon_rule_skipped_when_the_policy_has_no_addons():
    h = households(**WORKED, addon_month=[0.0])
    report = run(audit_data(h), "addon.inconsistent")
    assert report.rules_skipped == {
        "addon.inconsistent": "the policy defines no add-ons ([[addon]])"
    }
