"""Single-person coverage rules (default: severe disability or serious illness, 1.5 x)."""

from __future__ import annotations

from datetime import date

from tests.rules.rulekit import AS_OF, audit_data, households, make_id, members, policy, run

HEAD = make_id(birth="19600101", seq="131")
WIFE = make_id(birth="19620202", seq="142")
SON = make_id(birth="19900303", seq="151")


def single(
    covered=(False, False, True), grade=(None, None, 1), policy_=None, as_of=AS_OF, **changes
):
    """A family of 3 with the disabled son covered alone (单人保), pc 200 a month."""
    columns = {
        "household_size": [3],
        "covered_count": [1],
        "gross_income_year": [7200.0],
        "benefit_month": [400.0],
        "coverage_mode": ["单人保"],
        "registered_poor": [True],
        "head_id_number": [HEAD],
        **{k: v if isinstance(v, list) else [v] for k, v in changes.items()},
    }
    h = households(**columns, member_rows=[3], heads=[1])
    m = members(
        id_number=[HEAD, WIFE, SON],
        name=["张三", "李四", "张五"],
        role=["head", "spouse", "child"],
        is_covered=list(covered),
        disability_grade=list(grade),
        illness=[None, None, None],
        hh=[0, 0, 0],
    )
    return audit_data(h, m, policy_=policy_, as_of=as_of)


def test_a_qualifying_single_person_household_raises_nothing():
    report = run(single(), "single")
    assert len(report) == 0
    assert "single.not-one" in report.rules_run
    assert len(run(single(), "benefit")) == 0


def test_not_one():
    f = run(single(covered_count=3), "single.not-one").findings
    assert f["message"].iloc[0] == (
        "Marked as single-person coverage (单人保) but 3 persons are covered (household size 3)"
    )


def test_above_ceiling():
    f = run(single(gross_income_year=21600.0), "single.above-ceiling").findings
    assert f["evidence"].iloc[0]["pc_income_month"] == 600
    assert f["evidence"].iloc[0]["ceiling"] == 600


def test_not_qualifying_names_the_covered_member_at_the_covered_cell():
    f = run(single(grade=(None, None, None)), "single.not-qualifying").findings
    assert list(f["row"]) == [4]
    assert f["name"].iloc[0] == "张五" and f["person"].iloc[0] == SON
    assert f["evidence"].iloc[0]["field"] == "is_covered"
    assert f["message"].iloc[0] == (
        "Single-person coverage goes to 张五, who is in none of the categories "
        "(severely disabled, seriously ill)"
    )


def test_elderly_category_when_the_policy_lists_it():
    elderly = policy("[single_person]\ncategories = ['elderly']")
    data = single(grade=(None, None, None), covered=(True, False, False), policy_=elderly)
    assert len(run(data, "single.not-qualifying")) == 1  # the head is 59
    later = single(
        grade=(None, None, None),
        covered=(True, False, False),
        policy_=elderly,
        as_of=date(2020, 1, 1),
    )
    assert len(run(later, "single.not-qualifying")) == 0  # and now 60


def test_not_registered_poor():
    f = run(single(registered_poor=False), "single.not-registered-poor").findings
    assert list(f["severity"]) == ["warning"]
    assert f["evidence"].iloc[0]["field"] == "registered_poor"


def test_two_covered_qualifying_members_are_listed_as_info():
    f = run(single(covered=(False, True, True), grade=(None, 2, 1)), "single.multiple").findings
    assert list(f["severity"]) == ["info"]
    assert f["evidence"].iloc[0]["qualifying"] == 2


def test_one_covered_member_is_not_multiple():
    assert len(run(single(), "single.multiple")) == 0


def test_a_single_guess_from_a_partial_member_list_is_not_trusted():
    # 2 of 3 members listed, one covered, nothing says 单人保: not single coverage
    h = households(
        household_size=[3],
        gross_income_year=[7200.0],
        benefit_month=[600.0],
        member_rows=[2],
        heads=[1],
        coverage_mode=["整户"],
    )
    m = members(id_number=[HEAD, WIFE], role=["head", "spouse"], is_covered=[True, False])
    data = audit_data(h, m)
    assert bool(data.assessed["single"].iloc[0])  # what the assessment guessed
    assert len(run(data, "single")) == 0
    assert len(run(data, "benefit")) == 0
