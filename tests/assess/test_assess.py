"""assess: every formula pinned by a hand-computed case, then properties."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civaudit.assess import assess, member_categories
from civaudit.policy import EXAMPLE_POLICY, parse_policy

AS_OF = date(2019, 10, 1)
STRING = pd.StringDtype("pyarrow")


def policy(extra: str = "", yearly: float = 4800, region: str = "13"):
    return parse_policy(f'[[standard]]\nregion = "{region}"\nyearly = {yearly}\n{extra}')


def households(**columns) -> pd.DataFrame:
    """A household table in the loader's types; one row unless lists are given."""
    columns = {k: v if isinstance(v, list) else [v] for k, v in columns.items()}
    n = max(len(v) for v in columns.values())
    frame = pd.DataFrame({"hh": np.arange(n)})
    columns = {k: v * n if len(v) == 1 else v for k, v in columns.items()}
    columns.setdefault("head_id_region", ["130723"] * n)
    for name, values in columns.items():
        if name in ("household_size", "covered_count", "member_rows"):
            frame[name] = pd.array(values, dtype="Int64")
        elif name in ("registered_poor", "poverty_exited", "expenditure_type"):
            frame[name] = pd.array(values, dtype="boolean")
        elif name in ("phaseout_start", "start_month"):
            frame[name] = pd.to_datetime(pd.Series(values))
        elif name in ("category", "coverage_mode", "status", "head_id_region", "household"):
            frame[name] = pd.array(values, dtype=STRING)
        else:
            frame[name] = pd.array(values, dtype="float64")
    return frame


def members(**columns) -> pd.DataFrame:
    n = max(len(v) for v in columns.values())
    frame = pd.DataFrame({"row": np.arange(n) + 2})
    for name, values in columns.items():
        if name in ("id_birth", "birth_date"):
            frame[name] = pd.to_datetime(pd.Series(values))
        elif name == "disability_grade":
            frame[name] = pd.array(values, dtype="Int8")
        elif name == "disability_type":
            frame[name] = pd.Categorical(
                values,
                categories=[
                    "physical",
                    "visual",
                    "hearing",
                    "speech",
                    "intellectual",
                    "mental",
                    "multiple",
                ],
            )
        elif name == "is_covered":
            frame[name] = pd.array(values, dtype="boolean")
        elif name in ("illness", "id_region"):
            frame[name] = pd.array(values, dtype=STRING)
        else:
            frame[name] = values
    return frame


def one(table: pd.DataFrame, row: int = 0) -> pd.Series:
    return table.iloc[row]


# --- the worked example and the income chain ----------------------------------------


def test_worked_example_of_the_domain_text():
    # 3 persons, gross 10,200, medical 1,200 -> net 9,000, pc 250, benefit 450 at 4,800.
    hh = households(household_size=3, gross_income_year=10200, medical_expense=1200)
    r = one(assess(hh, None, EXAMPLE_POLICY, as_of=AS_OF))
    assert r["standard_year"] == 4800 and r["standard_month"] == 400
    assert r["gross_income"] == 10200 and r["income_source"] == "gross"
    assert r["deduct_medical"] == 1200 and r["deduction_total"] == 1200
    assert r["net_income"] == 9000
    assert r["pc_income_month"] == 250
    assert r["band"] == "dibao"
    assert r["covered"] == 3 and r["coverage"] == "whole"
    assert r["expected_base"] == 450
    assert r["addon_expected"] == 0 and r["expected_total"] == 450
    assert r["state"] == "ok"


def test_per_capita_divides_by_size_not_covered():
    hh = households(household_size=4, covered_count=2, gross_income_year=9600)
    r = one(assess(hh, None, EXAMPLE_POLICY, as_of=AS_OF))
    assert r["pc_income_month"] == 200  # 9600 / 12 / 4
    assert r["covered"] == 2 and r["coverage"] == "whole"
    assert r["expected_base"] == 400  # (400 - 200) x 2


@pytest.mark.parametrize(
    ("columns", "source", "gross"),
    [
        ({"gross_income_year": 5000.0, "wage_income": 1.0}, "gross", 5000),
        (
            {"wage_income": 3000.0, "business_income": 1500.0, "transfer_income": np.nan},
            "parts",
            4500,
        ),
        ({"per_capita_income_year": 2000.0}, "per-capita-year", 6000),
        ({"per_capita_income_month": 100.0}, "per-capita-month", 3600),
    ],
)
def test_gross_income_comes_from_the_first_source_present(columns, source, gross):
    hh = households(household_size=3, **columns)
    r = one(assess(hh, None, EXAMPLE_POLICY, as_of=AS_OF))
    assert r["income_source"] == source
    assert r["gross_income"] == gross


def test_near_dibao_and_above_bands():
    # pc 400 (= standard) is near-dibao; pc 600 (= 1.5 x standard) is above.
    hh = households(household_size=[1, 1, 1], gross_income_year=[4799.88, 4800, 7200])
    r = assess(hh, None, EXAMPLE_POLICY, as_of=AS_OF)
    assert list(r["band"]) == ["dibao", "near-dibao", "above"]
    assert list(r["expected_base"]) == [1, 0, 0]  # 0.01 a month rounds up to 1 yuan


# --- rounding: exact fractions, rounded once -------------------------------------------


def test_ceil_yuan_gives_the_exact_whole_yuan():
    # standard 632/month x 3 - pc 631.333... x 3 (= 1,894) is 2, not 3.
    hh = households(household_size=3, gross_income_year=22728)
    r = one(assess(hh, None, policy(yearly=7584), as_of=AS_OF))
    assert r["pc_income_month"] * 3 == pytest.approx(1894)
    assert r["expected_base"] == 2


def test_ceil_yuan_has_no_float_drift():
    # 513 x 7 - (43,068 / 12 / 7) x 7 is exactly 2; in floats it is 2.0000000000004547
    # and ceil would make it 3.
    naive = 6156 / 12 * 7 - 43068 / 12 / 7 * 7
    assert naive > 2
    hh = households(household_size=7, gross_income_year=43068)
    r = one(assess(hh, None, policy(yearly=6156), as_of=AS_OF))
    assert r["expected_base"] == 2


@pytest.mark.parametrize(
    ("gross", "ceil", "half_yuan", "half_fen"),
    [
        (9001.00, 450, 450, 449.92),  # 449.9166...
        (9006.12, 450, 449, 449.49),  # 449.49 exactly
        (9006.00, 450, 450, 449.50),  # 449.50 exactly: half up
    ],
)
def test_rounding_modes(gross, ceil, half_yuan, half_fen):
    hh = households(household_size=3, gross_income_year=gross)
    for mode, expected in (
        ("ceil-yuan", ceil),
        ("half-up-yuan", half_yuan),
        ("half-up-fen", half_fen),
    ):
        p = policy(f'[income]\nrounding = "{mode}"')
        assert one(assess(hh, None, p, as_of=AS_OF))["expected_base"] == expected, mode


def test_half_up_fen_at_half_a_fen():
    # (4800 - 1199.94) / 12 = 300.005 yuan exactly.
    hh = households(household_size=1, gross_income_year=1199.94)
    got = {
        mode: one(assess(hh, None, policy(f'[income]\nrounding = "{mode}"'), as_of=AS_OF))[
            "expected_base"
        ]
        for mode in ("ceil-yuan", "half-up-yuan", "half-up-fen")
    }
    assert got == {"ceil-yuan": 301, "half-up-yuan": 300, "half-up-fen": 300.01}


def test_base_never_above_standard_times_covered():
    # 5000 / 12 = 416.666...: with no income, ceil would give 417; the cap keeps 416.
    hh = households(household_size=1, gross_income_year=0.0)
    r = one(assess(hh, None, policy(yearly=5000), as_of=AS_OF))
    assert r["expected_base"] == 416
    fen = one(assess(hh, None, policy('[income]\nrounding = "half-up-fen"', 5000), as_of=AS_OF))
    assert fen["expected_base"] == 416.66


# --- deductions -----------------------------------------------------------------------


def test_caps_that_bind_and_caps_that_do_not():
    p = policy("[deduction]\nmedical_cap = 1000\neducation_cap = 3000\ncare_cap = 500")
    hh = households(
        household_size=2,
        gross_income_year=20000,
        medical_expense=1200,  # capped to 1000
        education_expense=2500,  # under its cap
        care_expense=800,  # capped to 500
    )
    r = one(assess(hh, None, p, as_of=AS_OF))
    assert (r["deduct_medical"], r["deduct_education"], r["deduct_care"]) == (1000, 2500, 500)
    assert r["deduction_total"] == 4000
    assert r["net_income"] == 16000


def test_employment_cost_is_a_rate_of_wages_capped():
    hh = households(household_size=1, gross_income_year=[12000, 12000], wage_income=[6000, 3000])
    p = policy("[deduction]\nemployment_rate = 0.1\nemployment_cap = 500")
    r = assess(hh, None, p, as_of=AS_OF)
    assert list(r["deduct_employment"]) == [500, 300]  # 600 capped; 300 under the cap
    default = assess(hh, None, EXAMPLE_POLICY, as_of=AS_OF)
    assert list(default["deduct_employment"]) == [0, 0]  # rate 0 by default


def test_recorded_employment_cost_is_used_when_wages_are_absent():
    hh = households(household_size=1, gross_income_year=12000, employment_cost=900)
    p = policy("[deduction]\nemployment_rate = 0.1\nemployment_cap = 800")
    assert one(assess(hh, None, p, as_of=AS_OF))["deduct_employment"] == 800


def test_total_ratio_cap():
    hh = households(household_size=2, gross_income_year=10000, medical_expense=6000)
    r = one(assess(hh, None, policy("[deduction]\ntotal_ratio_cap = 0.5"), as_of=AS_OF))
    assert r["deduction_uncapped"] == 6000
    assert r["deduction_total"] == 5000
    assert r["net_income"] == 5000
    loose = one(assess(hh, None, EXAMPLE_POLICY, as_of=AS_OF))
    assert loose["deduction_total"] == 6000


def test_deductions_never_make_net_income_negative():
    hh = households(household_size=1, gross_income_year=1000, medical_expense=5000)
    r = one(assess(hh, None, EXAMPLE_POLICY, as_of=AS_OF))
    assert r["net_income"] == 0 and r["expected_base"] == 400


def test_single_rigid_expense_column_monthly_times_twelve_with_its_cap():
    hh = households(
        household_size=1, gross_income_year=[6000, 6000], rigid_expense_month=[100, 300]
    )
    r = assess(hh, None, policy("[deduction]\nother_cap = 2400"), as_of=AS_OF)
    assert list(r["deduct_other"]) == [1200, 2400]


def test_rigid_total_next_to_its_items_is_not_counted_twice():
    hh = households(
        household_size=1, gross_income_year=6000, medical_expense=500, rigid_expense_year=500
    )
    r = one(assess(hh, None, EXAMPLE_POLICY, as_of=AS_OF))
    assert (r["deduct_medical"], r["deduct_other"], r["deduction_total"]) == (500, 0, 500)


def test_deductions_restricted_to_expenditure_type_households():
    hh = households(
        household_size=1,
        gross_income_year=[6000, 6000, 6000],
        medical_expense=[1200, 1200, 1200],
        expenditure_type=[True, False, None],
    )
    p = policy("[deduction]\nexpenditure_type_only = true")
    assert list(assess(hh, None, p, as_of=AS_OF)["deduction_total"]) == [1200, 0, 0]


# --- standards by region and date -----------------------------------------------------


def test_no_standard_for_the_region_is_a_state_not_a_crash():
    hh = households(household_size=2, gross_income_year=1000, head_id_region=["110101"])
    r = one(assess(hh, None, EXAMPLE_POLICY, as_of=AS_OF))
    assert r["state"] == "cannot assess: no standard for region 110101"
    assert np.isnan(r["expected_base"]) and pd.isna(r["band"])
    assert r["net_income"] == 1000  # what could be computed still is


def test_region_falls_back_to_the_most_common_member_region():
    hh = households(household_size=3, gross_income_year=0.0, head_id_region=[None])
    mm = members(hh=[0, 0, 0], id_region=["110101", "130723", "130723"])
    r = one(assess(hh, mm, EXAMPLE_POLICY, as_of=AS_OF))
    assert r["region"] == "130723" and r["standard_year"] == 4800


# --- absent columns --------------------------------------------------------------------


def test_absent_columns_give_states_not_errors():
    r = one(assess(pd.DataFrame({"hh": [0]}), pd.DataFrame(), EXAMPLE_POLICY, as_of=AS_OF))
    assert r["state"] == (
        "cannot assess: missing household_size; missing income; "
        "missing region (no usable ID number)"
    )
    assert np.isnan(r["expected_base"])


def test_empty_tables():
    empty = pd.DataFrame({"hh": pd.Series([], dtype="int64")})
    table = assess(empty, None, EXAMPLE_POLICY, as_of=AS_OF)
    assert len(table) == 0 and "expected_base" in table and "state" in table


def test_size_falls_back_to_member_rows():
    hh = households(member_rows=2, gross_income_year=4800)
    r = one(assess(hh, None, EXAMPLE_POLICY, as_of=AS_OF))
    assert r["household_size"] == 2 and r["size_source"] == "member-rows"
    assert r["expected_base"] == 400  # (400 - 200) x 2


def test_keys_are_kept_and_index_aligned():
    hh = households(household_size=[1, 1], gross_income_year=[0.0, 0.0], household=["A", "B"])
    hh.index = [10, 20]
    hh["file"], hh["sheet"], hh["row"] = "f.xlsx", "S", [5, 6]
    r = assess(hh, None, EXAMPLE_POLICY, as_of=AS_OF)
    assert list(r.index) == [10, 20]
    assert list(r.columns[:5]) == ["hh", "file", "sheet", "row", "household"]
    assert list(r["household"]) == ["A", "B"]


def test_recorded_amounts_and_difference():
    hh = households(household_size=3, gross_income_year=9000, benefit_month=460, addon_month=20)
    r = one(assess(hh, None, EXAMPLE_POLICY, as_of=AS_OF))
    assert (r["recorded_base"], r["recorded_addon"], r["recorded_total"]) == (460, 20, 480)
    assert r["difference"] == 10
    assert r["addon_difference"] == 20


# --- phase-out --------------------------------------------------------------------------

PHASEOUT = {"household_size": 1, "gross_income_year": 5400.0, "registered_poor": True}


def test_phaseout_period_crosses_the_year_boundary():
    hh = households(phaseout_start="2019-09-01", benefit_month=350.0, **PHASEOUT)
    before = one(assess(hh, None, EXAMPLE_POLICY, as_of=date(2020, 2, 15)))
    assert before["phaseout"]
    assert before["phaseout_start"] == pd.Timestamp("2019-09-01")
    assert before["phaseout_end"] == pd.Timestamp("2020-03-01")
    assert before["phaseout_months"] == 6
    assert before["phaseout_months_used"] == 6
    assert not before["phaseout_expired"]
    assert before["phaseout_qualifies"] and pd.isna(before["phaseout_reason"])
    assert before["expected_base"] == 350  # the previous amount continues
    after = one(assess(hh, None, EXAMPLE_POLICY, as_of=date(2020, 3, 1)))
    assert after["phaseout_months_used"] == 7 and after["phaseout_expired"]
    assert after["expected_base"] == 0


def test_phaseout_with_a_fixed_end_date():
    p = policy('[phaseout]\nuntil = "2020-12-31"')
    hh = households(phaseout_start="2019-09-01", benefit_month=350.0, **PHASEOUT)
    december = one(assess(hh, None, p, as_of=date(2020, 12, 1)))
    assert december["phaseout_end"] == pd.Timestamp("2020-12-31")
    assert december["phaseout_months"] == 16  # Sep 2019 .. Dec 2020
    assert not december["phaseout_expired"] and december["expected_base"] == 350
    january = one(assess(hh, None, p, as_of=date(2021, 1, 1)))
    assert january["phaseout_expired"] and january["expected_base"] == 0


def test_phaseout_amount_capped_and_marked_by_category():
    hh = households(category="渐退", benefit_month=500.0, **PHASEOUT)
    r = one(assess(hh, None, EXAMPLE_POLICY, as_of=AS_OF))
    assert r["phaseout"] and pd.isna(r["phaseout_start"]) and pd.isna(r["phaseout_expired"])
    assert r["expected_base"] == 400  # 500 recorded, capped at 400 x 1


def test_phaseout_step_down_caps_the_amount():
    # used = 3 months: at most 1 - 0.2 x 2 = 60% of the standard x covered.
    p = policy("[phaseout]\nstep_down = 0.2")
    hh = households(phaseout_start="2019-08-01", benefit_month=380.0, **PHASEOUT)
    assert one(assess(hh, None, p, as_of=AS_OF))["expected_base"] == 240


def test_phaseout_reasons():
    hh = households(
        household_size=1,
        category="渐退",
        gross_income_year=[5400, 7200, 3600, 5400],
        registered_poor=[False, True, True, None],
        benefit_month=100.0,
    )
    r = assess(hh, None, EXAMPLE_POLICY, as_of=AS_OF)
    assert r["phaseout_qualifies"].tolist() == [False, False, False, pd.NA]
    assert r["phaseout_reason"].tolist()[:3] == [
        "not-registered-poor",
        "above-ceiling",
        "below-standard",
    ]
    # Above the ceiling: nothing; below the standard: ordinary dibao.
    assert r["expected_base"].tolist()[1:3] == [0, 100]


def test_phaseout_without_a_recorded_amount_cannot_be_assessed():
    hh = households(category="渐退", **PHASEOUT)
    r = one(assess(hh, None, EXAMPLE_POLICY, as_of=AS_OF))
    assert r["state"].startswith("cannot assess: missing benefit_month")
    assert np.isnan(r["expected_base"])


# --- single-person coverage ---------------------------------------------------------------

SINGLE = {
    "household_size": 3,
    "coverage_mode": "单人",
    "gross_income_year": 10800.0,  # pc 300
    "registered_poor": True,
}


def single_members():
    return members(
        hh=[0, 0, 0],
        id_birth=["1960-01-01", "1990-01-01", "2010-01-01"],
        disability_grade=[None, 1, None],
        disability_type=[None, "physical", None],
        illness=[None, None, None],
    )


@pytest.mark.parametrize(
    ("extra", "benefit"),
    [
        ("", 400),  # full-standard
        ('benefit = "fixed"\nfixed_amount = 250', 250),
        ('benefit = "own-gap"', 100),  # 400 - 300
    ],
)
def test_single_person_benefit_modes(extra, benefit):
    p = policy(f"[single_person]\n{extra}")
    r = one(assess(households(**SINGLE), single_members(), p, as_of=AS_OF))
    assert r["single"] and r["coverage"] == "single" and r["covered"] == 1
    assert r["household_size"] == 3
    assert r["single_member_row"] == 3  # the disabled member
    assert r["single_category"] == "severe-disability"
    assert r["single_qualifies"] and pd.isna(r["single_reason"])
    assert r["single_benefit"] == benefit
    assert r["expected_base"] == benefit


def test_single_person_detected_from_counts_and_covered_flag():
    hh = households(
        household_size=[3, 3, 3],
        covered_count=[1, None, 3],
        gross_income_year=10800.0,
        category=[None, "单人保", None],
    )
    assert assess(hh, None, EXAMPLE_POLICY, as_of=AS_OF)["single"].tolist() == [True, True, False]
    hh = households(household_size=2, gross_income_year=0.0)
    mm = members(hh=[0, 0], is_covered=[False, True], illness=[None, "尿毒症"])
    r = one(assess(hh, mm, EXAMPLE_POLICY, as_of=AS_OF))
    assert r["single"] and r["single_member_row"] == 3
    assert r["single_category"] == "serious-illness"


def test_single_person_reasons():
    hh = households(**{**SINGLE, "gross_income_year": [10800.0, 21600.0, 10800.0]})
    hh["registered_poor"] = pd.array([True, True, False], dtype="boolean")
    mm = members(hh=[0, 1, 2], disability_grade=[None, 1, 1], illness=[None, None, None])
    r = assess(hh, mm, EXAMPLE_POLICY, as_of=AS_OF)
    # Household 0 lists only 1 of 3 members: no verdict on the category.
    assert r["single_qualifies"].tolist() == [pd.NA, False, False]
    assert r["single_reason"].tolist()[1:] == ["above-ceiling", "not-registered-poor"]
    # Only the income test decides the amount (above the ceiling: nothing); the
    # other reasons are findings of their own.
    assert r["expected_base"].tolist() == [400, 0, 400]
    full = members(hh=[0, 0, 0], disability_grade=[None, None, 4], illness=[None, None, None])
    r = one(assess(hh.iloc[:1], full, EXAMPLE_POLICY, as_of=AS_OF))
    assert not r["single_qualifies"] and r["single_reason"] == "no-qualifying-member"


# --- add-ons ------------------------------------------------------------------------------

ADDONS = """
[[addon]]
category = "elderly"
percent_of_standard = 10
[[addon]]
category = "severe-disability"
amount = 60
{stack}
"""


def test_addon_highest_one_per_person_or_stacked():
    hh = households(household_size=2, gross_income_year=0.0)
    mm = members(
        hh=[0, 0],
        id_birth=["1950-05-01", "1980-01-01"],
        disability_grade=[2, None],
        disability_type=["physical", None],
    )
    highest = one(assess(hh, mm, policy(ADDONS.format(stack="")), as_of=AS_OF))
    assert highest["addon_expected"] == 60  # max(40, 60) for the elderly disabled person
    stacked = one(assess(hh, mm, policy(ADDONS.format(stack="stack = true")), as_of=AS_OF))
    assert stacked["addon_expected"] == 100  # 40 + 60
    assert stacked["expected_total"] == 900
    assert stacked["n_elderly"] == 1 and stacked["n_severe_disability"] == 1


def test_addon_age_at_as_of_and_sources():
    # Turns 60 on 2019-10-02: not yet elderly on 2019-10-01. Birth column and age
    # column are used when the ID gives no birth date.
    hh = households(household_size=4, gross_income_year=0.0)
    mm = members(
        hh=[0, 0, 0, 0],
        id_birth=["1959-10-02", None, None, "1959-10-01"],
        birth_date=[None, "1940-01-01", None, None],
        age=[np.nan, np.nan, 70.0, np.nan],
        disability_grade=[None] * 4,
    )
    cats = member_categories(mm, as_of=AS_OF)
    assert cats["age_at_as_of"].tolist() == [59, 79, 70, 60]
    assert cats["elderly"].tolist() == [False, True, True, True]
    r = one(assess(hh, mm, policy(ADDONS.format(stack="")), as_of=AS_OF))
    assert r["addon_expected"] == 120  # three elderly x 40


def test_severe_disability_and_illness_categories():
    mm = members(
        hh=[0] * 6,
        disability_grade=[1, 2, 3, 3, 4, None],
        disability_type=["physical", "visual", "mental", "physical", "intellectual", None],
        illness=["", "  ", "白血病", None, None, None],
    )
    cats = member_categories(mm, as_of=AS_OF)
    assert cats["severe_disability"].tolist() == [True, True, True, False, False, False]
    assert cats["serious_illness"].tolist() == [False, False, True, False, False, False]
    unknown = member_categories(pd.DataFrame({"hh": [0]}), as_of=AS_OF)
    assert unknown.isna().all().all()


def test_addon_only_for_the_single_covered_member():
    hh = households(**SINGLE)
    mm = single_members()  # head 59 (not elderly), member 2 disabled, member 3 a minor
    p = policy(
        ADDONS.format(stack="")
        + '[[addon]]\ncategory = "minor"\namount = 30\n[single_person]\nbenefit = "fixed"\n'
        "fixed_amount = 200"
    )
    r = one(assess(hh, mm, p, as_of=AS_OF))
    assert r["addon_expected"] == 60  # only the disabled member; not the minor's 30
    assert r["expected_total"] == 260


def test_addon_unknown_when_the_family_is_not_listed():
    hh = households(household_size=3, gross_income_year=0.0)
    mm = members(hh=[0], id_birth=["1950-01-01"])
    r = one(assess(hh, mm, policy(ADDONS.format(stack="")), as_of=AS_OF))
    assert np.isnan(r["addon_expected"]) and r["expected_base"] == 1200


def test_addon_zero_when_not_eligible():
    hh = households(household_size=1, gross_income_year=9600.0)
    mm = members(hh=[0], id_birth=["1950-01-01"])
    r = one(assess(hh, mm, policy(ADDONS.format(stack="")), as_of=AS_OF))
    assert r["expected_base"] == 0 and r["addon_expected"] == 0


# --- properties ---------------------------------------------------------------------------

money = st.one_of(st.none(), st.integers(0, 5_000_000).map(lambda f: f / 100))
household_rows = st.fixed_dictionaries(
    {
        "household_size": st.integers(1, 8),
        "covered_count": st.one_of(st.none(), st.integers(0, 8)),
        "gross_income_year": money,
        "wage_income": money,
        "medical_expense": money,
        "education_expense": money,
        "rigid_expense_month": money,
        "benefit_month": money,
        "category": st.sampled_from([None, "一般户", "渐退", "单人保"]),
        "phaseout_start": st.sampled_from([None, "2019-01-01", "2019-08-01"]),
        "registered_poor": st.sampled_from([None, True, False]),
        "head_id_region": st.sampled_from(["130723", "130102", "110101"]),
    }
)
PROPERTY_POLICY = policy(
    """
    [[standard]]
    region = "1307"
    yearly = 5017
    [income]
    rounding = "ceil-yuan"
    [deduction]
    medical_cap = 3000
    employment_rate = 0.15
    employment_cap = 1000
    total_ratio_cap = 0.8
    [single_person]
    benefit = "own-gap"
    [[addon]]
    category = "elderly"
    percent_of_standard = 12.5
    """
)


def frame_of(rows: list[dict]) -> pd.DataFrame:
    return households(**{k: [r[k] for r in rows] for k in rows[0]})


def property_members(n: int) -> pd.DataFrame:
    return members(
        hh=[i for i in range(n) for _ in range(2)],
        id_birth=["1950-01-01", "2001-05-05"] * n,
        disability_grade=[None, 1] * n,
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(household_rows, min_size=1, max_size=12))
def test_expected_base_is_bounded_and_net_income_not_negative(rows):
    table = assess(frame_of(rows), property_members(len(rows)), PROPERTY_POLICY, as_of=AS_OF)
    base = table["expected_base"].dropna()
    limit = (table["standard_month"] * table["covered"].astype("float64")).loc[base.index]
    assert (base >= 0).all()
    assert (base <= limit + 1e-9).all()
    net = table["net_income"].dropna()
    assert (net >= 0).all()
    assert (table["deduction_total"].dropna() >= 0).all()
    assert set(table["state"].dropna().str[:2]) <= {"ok", "ca"}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(household_rows, min_size=2, max_size=10), st.randoms(use_true_random=False))
def test_a_household_is_assessed_independently_of_the_other_rows(rows, rnd):
    hh = frame_of(rows)
    mm = property_members(len(rows))
    alone = assess(hh, mm, PROPERTY_POLICY, as_of=AS_OF)
    # Shuffle the households, append copies under new keys, shuffle the members.
    extra = hh.assign(hh=hh["hh"] + 100)
    order = list(range(2 * len(rows)))
    rnd.shuffle(order)
    bigger = pd.concat([hh, extra], ignore_index=True).iloc[order]
    more_members = pd.concat([mm, mm.assign(hh=mm["hh"] + 100)], ignore_index=True)
    more_members = more_members.sample(frac=1, random_state=rnd.randint(0, 1000))
    together = assess(bigger, more_members, PROPERTY_POLICY, as_of=AS_OF)
    together = together.set_index("hh").loc[alone["hh"]].reset_index()
    columns = list(alone.columns)
    pd.testing.assert_frame_equal(
        alone[columns].reset_index(drop=True), together[columns], check_categorical=False
    )


def test_no_households_but_members_gives_an_empty_table():
    members = pd.DataFrame({"hh": [0], "role": ["head"]})
    households = pd.DataFrame({"hh": pd.Series([], dtype="int64")})
    out = assess(households, members, EXAMPLE_POLICY, as_of=date(2019, 10, 1))
    assert out.empty


# --- the roster month, reasons and derived values ---------------------------------------


def test_each_household_is_assessed_at_its_own_month():
    # phase-out from 2019-02, 6 months: over by 2019-10, running in 2019-05
    table_h = households(
        household_size=[2, 2, 2],
        gross_income_year=[10_000.0] * 3,
        benefit_month=[100.0] * 3,
        category=["渐退"] * 3,
        registered_poor=[True] * 3,
        phaseout_start=["2019-02-01"] * 3,
    )
    months = pd.Series(pd.to_datetime(["2019-10-01", "2019-05-01", None]), index=table_h.index)
    table = assess(table_h, None, EXAMPLE_POLICY, as_of=months)
    assert table["phaseout_expired"].tolist() == [True, False, pd.NA]
    assert table["as_of"].tolist()[:2] == [pd.Timestamp("2019-10-01"), pd.Timestamp("2019-05-01")]
    assert pd.isna(table["as_of"].iloc[2])
    alone = assess(table_h.iloc[[1]], None, EXAMPLE_POLICY, as_of=date(2019, 5, 1))
    pd.testing.assert_frame_equal(table.iloc[[1]], alone)


def test_without_a_month_the_standard_is_used_only_where_it_does_not_depend_on_one():
    h = households(household_size=[2], gross_income_year=[3000.0])
    undated = assess(h, None, EXAMPLE_POLICY, as_of=None)
    assert undated["state"].tolist() == ["ok"]
    dated = policy('[[standard]]\nregion = "13"\nyearly = 6000\nfrom = "2020-01-01"\n')
    table = assess(h, None, dated, as_of=None)
    assert table["state"].iloc[0] == (
        "cannot assess: missing roster month (the standard depends on it)"
    )
    assert table["reason"].iloc[0] == "month-missing"
    assert assess(h, None, dated, as_of=date(2019, 10, 1))["state"].iloc[0] == "ok"


def test_reason_codes_beside_the_state_text():
    h = households(household_size=[None, 2], gross_income_year=[None, 3000.0])
    table = assess(h, None, EXAMPLE_POLICY, as_of=AS_OF)
    assert table["reason"].astype("object").tolist()[0] == "size-missing,income-missing"
    assert pd.isna(table["reason"].iloc[1])


def test_income_from_member_incomes_and_the_benefit_from_a_yearly_column():
    h = households(household_size=[2, 2], benefit_year=[5400.0, None])
    h["benefit_quarter"] = [None, 1350.0]
    m = members(hh=[0, 0, 1], income_year=[1200.0, None, None], income_month=[None, 100.0, 250.0])
    table = assess(h, m, EXAMPLE_POLICY, as_of=AS_OF)
    assert table["gross_income"].tolist() == [2400.0, 3000.0]
    assert table["income_source"].astype("object").tolist() == ["members", "members"]
    assert table["recorded_base"].tolist() == [450.0, 450.0]
    assert table["benefit_source"].astype("object").tolist() == ["year", "quarter"]
