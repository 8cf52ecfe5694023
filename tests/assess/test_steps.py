"""Each assess step on its own, on a few inline values, with hand-computed answers.

Money is integer fen: 4,800 yuan a year is 480_000 fen, 400 yuan a month 40_000.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from civaudit.assess.addons import compute_addons
from civaudit.assess.benefit import (
    Recorded,
    choose_benefit,
    compare_with_recorded,
    compute_ordinary_benefit,
    read_recorded,
)
from civaudit.assess.categories import categorise_members
from civaudit.assess.columns import Columns
from civaudit.assess.household import (
    Size,
    copy_keys,
    count_members,
    find_coverage,
    find_size,
)
from civaudit.assess.income import (
    compute_deductions,
    compute_net_income,
    compute_per_capita_income,
    find_gross_income,
    place_band,
)
from civaudit.assess.money import fen, floor_unit, round_fen
from civaudit.assess.phaseout import (
    PhaseoutPeriod,
    check_phaseout,
    compute_phaseout_amount,
    find_phaseout_period,
)
from civaudit.assess.single import (
    check_single_person,
    choose_single_member,
    compute_single_amount,
)
from civaudit.assess.standard import find_standard
from civaudit.assess.state import describe_state
from civaudit.policy import parse_policy

AS_OF = date(2019, 10, 1)
STRING = pd.StringDtype("pyarrow")
T, F = True, False
STD = 480_000  # 4,800 yuan a year per person, fen


def policy(extra: str = ""):
    return parse_policy(f'[[standard]]\nregion = "13"\nyearly = 4800\n{extra}')


def cols(**columns) -> Columns:
    return Columns(pd.DataFrame(columns))


def a(*values) -> np.ndarray:
    return np.array(values)


def eq(got, want) -> None:
    np.testing.assert_array_equal(np.asarray(got), np.asarray(want))


def size_of(*sizes: int) -> Size:
    size = np.array(sizes, dtype=np.int64)
    return Size(
        size=size,
        known=size > 0,
        source=np.where(size > 0, 0, -1),
        below_one=np.zeros(len(size), bool),
        divisor=np.where(size > 0, size, 1),
    )


# --- money -------------------------------------------------------------------------


def test_money_rounds_an_exact_fraction_once_by_mode():
    assert fen(a(0.1 + 0.2, 449.495))[0] == 30 and fen(a(449.495))[0] == 44950
    num, den = a(539_394), a(12)  # 44,949.5 fen
    assert round_fen(num, den, "ceil-yuan")[0] == 45_000
    assert round_fen(num, den, "half-up-yuan")[0] == 44_900
    assert round_fen(num, den, "half-up-fen")[0] == 44_950
    assert floor_unit(a(500_000), a(12), "ceil-yuan")[0] == 41_600  # 416.67 -> 416
    assert floor_unit(a(500_000), a(12), "half-up-fen")[0] == 41_666


# --- who ---------------------------------------------------------------------------


def test_keys_are_the_roster_keys_present():
    households = pd.DataFrame({"hh": [7], "file": ["a.xlsx"], "gross_income_year": [1.0]})
    keys = copy_keys(households)
    assert list(keys) == ["hh", "file"]
    assert list(keys["file"]) == ["a.xlsx"]


def test_members_are_linked_to_their_household_by_hh():
    listing = count_members(cols(hh=[10, 20, 30]), cols(hh=[20, 20, 99, 10]))
    eq(listing.position, [1, 1, -1, 0])  # 99 has no household
    eq(listing.listed, [1, 2, 0])


def test_standard_from_the_head_region_else_the_most_common_member_region():
    h = Columns(
        pd.DataFrame(
            {
                "hh": [0, 1, 2, 3],
                "head_id_region": pd.array(["130723", None, None, "110101"], dtype=STRING),
            }
        )
    )
    m = Columns(
        pd.DataFrame(
            {
                "hh": [1, 1, 1, 2, 2],
                "id_region": pd.array(
                    ["130724", "130799", "130724", "130799", "130711"], dtype=STRING
                ),
            }
        )
    )
    standard = find_standard(h, m, position=a(1, 1, 1, 2, 2), policy=policy(), as_of=AS_OF)
    # Household 2 ties 1:1 and takes the smaller code; 110101 has no standard.
    assert list(standard.region) == ["130723", "130724", "130711", "110101"]
    eq(standard.yearly, [4800, 4800, 4800, np.nan])
    eq(standard.known, [T, T, T, F])
    eq(standard.fen, [STD, STD, STD, 0])
    eq(standard.month_needed, [F, F, F, F])


def test_standard_without_a_roster_month_only_where_it_does_not_depend_on_one():
    h = Columns(
        pd.DataFrame(
            {"head_id_region": pd.array(["130723", "130101", "110101", None], dtype=STRING)}
        )
    )
    dated = policy(
        '[[standard]]\nregion = "1301"\nyearly = 5000\nfrom = "2019-07-01"\n'
        '[[standard]]\nregion = "1301"\nyearly = 5200\nfrom = "2020-01-01"\n'
    )
    standard = find_standard(h, cols(), position=a(), policy=dated, as_of=None)
    # 130723: 4800 whatever the date; 130101: 4800, 5000 or 5200 by the month
    eq(standard.yearly, [4800, np.nan, np.nan, np.nan])
    eq(standard.month_needed, [F, T, F, F])


def test_size_is_household_size_else_member_rows():
    h = Columns(
        pd.DataFrame(
            {
                "household_size": pd.array([3, None, 0, None, 0], dtype="Int64"),
                "member_rows": pd.array([None, 2, None, None, 4], dtype="Int64"),
            }
        )
    )
    size = find_size(h)
    eq(size.size, [3, 2, 0, 0, 4])
    eq(size.known, [T, T, F, F, T])
    eq(size.source, [0, 1, -1, -1, 1])
    eq(size.below_one, [F, F, T, F, F])  # 0 recorded and nothing to fall back on
    eq(size.divisor, [3, 2, 1, 1, 4])


def test_coverage_single_person_and_covered_counts():
    h = Columns(
        pd.DataFrame(
            {
                "hh": [0, 1, 2, 3, 4, 5],
                "covered_count": pd.array([2, None, None, None, None, 5], dtype="Int64"),
                "coverage_mode": pd.array([None, "单人", None, None, None, None], dtype=STRING),
            }
        )
    )
    m = Columns(
        pd.DataFrame({"hh": [2, 2, 3, 3], "is_covered": pd.array([T, F, T, T], dtype="boolean")})
    )
    coverage = find_coverage(h, m, position=a(2, 2, 3, 3), size=size_of(4, 3, 2, 2, 3, 2))
    eq(coverage.single, [F, T, T, F, F, F])  # by the mode; one of two marked covered
    eq(coverage.covered, [2, 1, 1, 2, 3, 2])  # 5 recorded for 2 persons: clipped
    eq(coverage.source, [0, 3, 3, 1, 2, 0])  # COVERED_SOURCES
    eq(coverage.members_marked, [F, F, T, T, F, F])
    eq(coverage.known, [T, T, T, T, T, T])


# --- income chain ------------------------------------------------------------------


def test_gross_income_from_the_first_source_present():
    nan = np.nan
    h = cols(
        gross_income_year=[5000.0, nan, nan, nan, nan],
        wage_income=[1.0, 3000.0, nan, nan, nan],
        business_income=[nan, 1500.0, nan, nan, nan],
        per_capita_income_year=[nan, nan, 2000.0, nan, nan],
        per_capita_income_month=[nan, nan, nan, 100.0, 100.0],
    )
    size = a(3, 3, 3, 3, 0)
    gross = find_gross_income(h, size=size, size_known=size > 0)
    eq(gross.yuan, [5000, 4500, 6000, 3600, nan])  # per capita needs a size
    eq(gross.source, [0, 1, 4, 5, -1])  # INCOME_SOURCES
    eq(gross.known, [T, T, T, T, F])
    eq(gross.fen, [500_000, 450_000, 600_000, 360_000, 0])


def test_gross_income_from_members_and_monthly_figures_after_the_household_columns():
    nan = np.nan
    h = cols(
        gross_income_year=[nan, nan, nan, 7000.0, nan],
        household_income_month=[nan, 500.0, 500.0, nan, nan],
        per_capita_income_month=[100.0, nan, nan, nan, nan],
    )
    # household 0: two members, one yearly and one monthly income; 1: one member with
    # no income (so the household's monthly figure counts); 2 and 4: none listed
    m = cols(
        income_year=[1200.0, nan, nan, 99.0],
        income_month=[nan, 100.0, nan, nan],
    )
    size = a(2, 2, 2, 2, 2)
    gross = find_gross_income(h, size=size, size_known=size > 0, m=m, position=a(0, 0, 1, 3))
    eq(gross.yuan, [2400, 6000, 6000, 7000, nan])
    eq(gross.source, [2, 3, 3, 0, -1])  # members, household-month, household-month, gross


def test_recorded_benefit_from_a_yearly_or_quarterly_column():
    nan = np.nan
    recorded = read_recorded(
        cols(
            benefit_month=[450.0, nan, nan, nan],
            benefit_year=[1.0, 5400.0, nan, nan],
            benefit_quarter=[nan, 1.0, 1350.0, nan],
        )
    )
    eq(recorded.base, [450, 450, 450, nan])
    eq(recorded.source, [0, 1, 2, -1])  # BENEFIT_SOURCES


def test_deductions_each_capped_then_the_total_capped_by_gross():
    p = policy(
        "[deduction]\nmedical_cap = 1000\nemployment_rate = 0.1\nemployment_cap = 500\n"
        "total_ratio_cap = 0.5"
    )
    nan = np.nan
    h = cols(
        medical_expense=[1200.0, nan],
        wage_income=[6000.0, nan],
        employment_cost=[nan, 300.0],
        rigid_expense_month=[100.0, 100.0],
    )
    d = compute_deductions(h, gross_fen=a(1_000_000, 200_000), policy=p)
    eq(d.items["deduct_medical"], [100_000, 0])  # 1,200 capped at 1,000
    eq(d.items["deduct_employment"], [50_000, 30_000])  # 10% of 6,000 capped; recorded cost
    eq(d.items["deduct_other"], [0, 120_000])  # a total next to its items counts once
    eq(d.uncapped, [150_000, 150_000])
    eq(d.total, [150_000, 100_000])  # at most half of gross 2,000


def test_net_income_is_never_negative():
    eq(compute_net_income(gross_fen=a(100, 50), deduction_fen=a(30, 80)).fen, [70, 0])


def test_per_capita_income_divides_by_size_a_month():
    pc = compute_per_capita_income(
        net_fen=a(900_000, 900_000, 0),
        divisor=a(3, 1, 1),
        income_known=a(T, F, T),
        size_known=a(T, T, F),
    )
    eq(pc.month, [250, np.nan, np.nan])


def test_band_against_standard_times_size():
    band = place_band(
        net_fen=a(479_988, 480_000, 720_000, 0),
        income_known=a(T, T, T, F),
        size=a(1, 1, 1, 1),
        size_known=a(T, T, T, T),
        standard_fen=a(STD, STD, STD, STD),
        standard_known=a(T, T, T, T),
        policy=policy(),
    )
    eq(band.code, [0, 1, 2, -1])  # dibao, near-dibao (at the standard), above (1.5x), none
    eq(band.assessable, [T, T, T, F])
    eq(band.household_standard, [STD] * 4)


# --- benefit -----------------------------------------------------------------------


def test_recorded_amounts_are_read_as_yuan():
    recorded = read_recorded(cols(benefit_month=[460.0, np.nan]))
    eq(recorded.base, [460, np.nan])
    eq(recorded.addon, [np.nan, np.nan])  # no addon_month column


@pytest.mark.parametrize(("mode", "capped"), [("ceil-yuan", 41_600), ("half-up-fen", 41_666)])
def test_ordinary_benefit_is_the_gap_for_covered_persons_capped(mode, capped):
    p = policy(f'[income]\nrounding = "{mode}"')
    ordinary = compute_ordinary_benefit(
        covered=a(3, 2, 1),
        divisor=a(3, 4, 1),
        net_fen=a(900_000, 960_000, 0),
        household_standard=a(3 * STD, 4 * STD, 500_000),
        standard_fen=a(STD, STD, 500_000),
        policy=p,
    )
    # (400 - 250) x 3; (400 - 200) x 2 covered of 4; 5,000/12 capped in whole units.
    eq(ordinary.fen, [45_000, 40_000, capped])


@pytest.mark.parametrize(
    ("extra", "amount"),
    [
        ("", 40_000),
        ('benefit = "fixed"\nfixed_amount = 250', 25_000),
        ('benefit = "own-gap"', 10_000),
    ],
)
def test_single_amount_by_the_policy_rule(extra, amount):
    single = compute_single_amount(
        standard_fen=a(STD, STD),
        standard_known=a(T, T),
        assessable=a(T, T),
        net_fen=a(1_080_000, 2_160_000),  # pc 300; pc 600 = the 1.5x ceiling
        household_standard=a(3 * STD, 3 * STD),
        divisor=a(3, 3),
        policy=policy(f"[single_person]\n{extra}"),
    )
    assert single.fen[0] == amount
    eq(single.income_ok, [T, F])
    eq(single.known, [T, T])


def test_benefit_chooses_the_regime_that_pays():
    # ordinary; phase-out; single paid; single above its ceiling; phase-out with no
    # recorded amount; not assessable.
    benefit = choose_benefit(
        assessable=a(T, T, T, T, T, F),
        below=a(T, F, T, F, F, F),
        ordinary_fen=a(45_000, 0, 45_000, 0, 0, 0),
        in_phaseout=a(F, T, F, F, T, F),
        phaseout_fen=a(0, 35_000, 0, 0, 0, 0),
        phaseout_missing=a(F, F, F, F, T, F),
        single=a(F, F, T, T, F, F),
        single_fen=a(40_000, 40_000, 40_000, 40_000, 40_000, 40_000),
        single_income_ok=a(T, T, T, F, T, F),
    )
    eq(benefit.fen, [45_000, 35_000, 40_000, 0, 0, 0])
    eq(benefit.paid, [T, T, T, F, T, F])
    eq(benefit.yuan, [450, 350, 400, 0, np.nan, np.nan])


def test_comparison_is_recorded_minus_expected():
    recorded = Recorded(base=a(460.0, 300.0), addon=a(20.0, np.nan))
    c = compare_with_recorded(
        expected_base=a(450.0, np.nan), expected_addon=a(0.0, 0.0), recorded=recorded
    )
    eq(c.expected_total, [450, np.nan])
    eq(c.recorded_total, [480, 300])  # a blank add-on counts as none
    eq(c.difference, [10, np.nan])
    eq(c.addon_difference, [20, np.nan])


# --- phase-out ---------------------------------------------------------------------


def phaseout_households(**extra) -> Columns:
    return Columns(
        pd.DataFrame(
            {
                "phaseout_start": pd.to_datetime(pd.Series(["2019-09-01", None, None])),
                "category": pd.array([None, "渐退", None], dtype=STRING),
                **extra,
            }
        )
    )


def test_phaseout_period_by_months_and_by_a_fixed_end():
    h = phaseout_households()
    before = find_phaseout_period(h, policy=policy(), as_of=date(2020, 2, 15))
    eq(before.marked, [T, T, F])
    eq(before.used, [6, -1, -1])  # Sep..Feb; no start: unknown
    eq(before.length, [6, -1, -1])
    eq(before.expired, [0, -1, -1])
    assert before.end[0] == np.datetime64("2020-03-01")
    after = find_phaseout_period(h, policy=policy(), as_of=date(2020, 3, 1))
    eq(after.used[:1], [7])
    eq(after.expired[:1], [1])
    fixed = find_phaseout_period(
        h, policy=policy('[phaseout]\nuntil = "2020-12-31"'), as_of=date(2020, 12, 1)
    )
    eq(fixed.length[:1], [16])  # Sep 2019 .. Dec 2020
    eq(fixed.expired[:2], [0, 0])
    assert fixed.end[0] == np.datetime64("2020-12-31")


def test_phaseout_period_without_a_roster_month_is_not_placed():
    h = phaseout_households()
    for extra in ("", '[phaseout]\nuntil = "2020-12-31"'):
        period = find_phaseout_period(h, policy=policy(extra), as_of=None)
        eq(period.marked, [T, T, F])
        eq(period.used, [-1, -1, -1])
        eq(period.expired, [-1, -1, -1])
    eq(period.length[:1], [16])  # the length does not depend on the month


def test_phaseout_amount_continues_the_recorded_amount_capped_and_stepped_down():
    period = PhaseoutPeriod(
        marked=a(T, T, T, T),
        start=np.full(4, np.datetime64("2019-08-01", "s")),
        end=np.full(4, np.datetime64("2020-02-01", "s")),
        used=a(3, 3, 3, 3),
        expired=a(0, 0, 0, 1),
        length=a(6, 6, 6, 6),
    )
    amount = compute_phaseout_amount(
        period=period,
        single=a(F, F, F, F),
        assessable=a(T, T, T, T),
        below=a(F, F, T, F),
        net_fen=a(540_000, 540_000, 0, 540_000),
        household_standard=a(STD, STD, STD, STD),
        covered=a(1, 1, 1, 1),
        standard_fen=a(STD, STD, STD, STD),
        recorded_base=a(380.0, np.nan, 380.0, 380.0),
        policy=policy("[phaseout]\nstep_down = 0.2"),
    )
    eq(amount.in_period, [T, T, F, F])  # below the standard: ordinary; expired
    eq(amount.fen[:1], [24_000])  # month 3: at most 60% of 400
    eq(amount.missing, [F, T, F, F])


def test_phaseout_qualification_reasons():
    h = Columns(pd.DataFrame({"registered_poor": pd.array([F, T, T, None, T], dtype="boolean")}))
    check = check_phaseout(
        h,
        marked=a(T, T, T, T, F),
        assessable=a(T, T, T, T, T),
        below=a(F, F, T, F, T),
        net_fen=a(540_000, 720_000, 360_000, 540_000, 0),
        household_standard=a(STD, STD, STD, STD, STD),
        policy=policy(),
    )
    eq(check.reasons, [1, 2, 4, 0, 0])  # PHASEOUT_REASONS bits; not in phase-out: none
    eq(check.decided, [T, T, T, F, F])  # registered-poor blank: no verdict


# --- members, single-person, add-ons -----------------------------------------------


def single_family() -> Columns:
    """Household 0: a man turning 60 after as_of, a severely disabled adult, a child."""
    return Columns(
        pd.DataFrame(
            {
                "hh": [0, 0, 0],
                "row": [2, 3, 4],
                "id_birth": pd.to_datetime(pd.Series(["1959-10-02", "1990-01-01", "2010-01-01"])),
                "disability_grade": pd.array([None, 1, None], dtype="Int8"),
                "illness": pd.array([None, None, None], dtype=STRING),
            }
        )
    )


def test_member_categories_and_their_counts():
    cats = categorise_members(single_family(), position=a(0, 0, 0), n_households=2, as_of=AS_OF)
    eq(cats.flags["age"][0], [59, 29, 9])
    eq(cats.flags["severe-disability"][0], [F, T, F])
    eq(cats.flags["serious-illness"][1], [T, T, T])  # the column is there: known
    assert {k: list(v) for k, v in cats.counts.items()} == {
        "elderly": [0, 0],
        "minor": [1, 0],
        "severe-disability": [1, 0],
        "serious-illness": [0, 0],
    }


def test_single_member_is_the_one_marked_covered_else_the_first_qualifying():
    m = single_family()
    flags = categorise_members(m, position=a(0, 0, 0), n_households=1, as_of=AS_OF).flags
    member = choose_single_member(
        m, position=a(0, 0, 0), flags=flags, members_marked=a(F), single=a(T), policy=policy()
    )
    eq(member.index, [1])
    eq(member.row, [3])
    eq(member.named, [T])
    marked = Columns(m.frame.assign(is_covered=pd.array([F, F, T], dtype="boolean")))
    member = choose_single_member(
        marked, position=a(0, 0, 0), flags=flags, members_marked=a(T), single=a(T), policy=policy()
    )
    eq(member.row, [4])


def test_single_person_qualification_reasons():
    # 0: qualifies; 1: above the ceiling; 2: not registered poor; 3: the named member
    # has no qualifying category.
    m = single_family()
    flags = categorise_members(m, position=a(0, 0, 0), n_households=4, as_of=AS_OF).flags
    h = Columns(pd.DataFrame({"registered_poor": pd.array([T, T, F, T], dtype="boolean")}))
    check = check_single_person(
        h,
        position=a(0, 0, 0),
        flags=flags,
        member=a(1, 1, 1, 2),
        single=a(T, T, T, T),
        listed=a(3, 3, 3, 3),
        size=a(3, 3, 3, 3),
        members_marked=a(F, F, F, F),
        assessable=a(T, T, T, T),
        net_fen=a(0, 3 * STD * 3 // 2, 0, 0),
        household_standard=a(3 * STD, 3 * STD, 3 * STD, 3 * STD),
        policy=policy(),
    )
    eq(check.reasons, [0, 2, 1, 4])  # SINGLE_REASONS bits
    eq(check.category, [2, 2, 2, -1])  # severe-disability
    eq(check.decided, [T, T, T, T])


ADDONS = """
[[addon]]
category = "minor"
percent_of_standard = 10
[[addon]]
category = "severe-disability"
amount = 60
{stack}
"""


@pytest.mark.parametrize(("stack", "yuan"), [("", 60), ("stack = true", 100)])
def test_addons_for_covered_members_highest_or_stacked(stack, yuan):
    m = single_family()
    m.frame.loc[2, "disability_grade"] = 2  # the child is severely disabled too
    position = a(0, 0, 0)
    flags = categorise_members(m, position=position, n_households=1, as_of=AS_OF).flags
    addons = compute_addons(
        m,
        position=position,
        flags=flags,
        listed=a(3),
        size=a(3),
        covered=a(3),
        members_marked=a(F),
        single=a(F),
        single_member=a(-1),
        standard_fen=a(STD),
        assessable=a(T),
        paid=a(T),
        policy=policy(ADDONS.format(stack=stack)),
    )
    # The adult: 60. The child: max(40, 60) = 60, or 40 + 60 stacked.
    eq(addons.yuan, [60 + yuan])
    eq(addons.expected, [60 + yuan])


def test_addons_unknown_when_the_family_is_not_all_listed():
    m = single_family()
    flags = categorise_members(m, position=a(0, 0, 0), n_households=2, as_of=AS_OF).flags
    addons = compute_addons(
        m,
        position=a(0, 0, 0),
        flags=flags,
        listed=a(3, 0),
        size=a(4, 1),
        covered=a(4, 1),
        members_marked=a(F, F),
        single=a(F, F),
        single_member=a(-1, -1),
        standard_fen=a(STD, STD),
        assessable=a(T, T),
        paid=a(T, F),
        policy=policy(ADDONS.format(stack="")),
    )
    eq(addons.yuan, [np.nan, np.nan])  # 3 of 4 listed; none listed
    eq(addons.expected, [np.nan, 0])  # no benefit paid: no add-on either


# --- state -------------------------------------------------------------------------


def test_state_names_every_missing_piece():
    result = describe_state(
        size_known=a(T, F, F, T),
        size_below_one=a(F, F, T, F),
        income_known=a(T, F, T, T),
        region=pd.Series(pd.array(["130723", None, "130723", "110101"], dtype=STRING)),
        standard_known=a(T, F, T, F),
        phaseout_missing=a(F, F, F, T),
    )
    state = result.text
    assert list(result.reasons) == [0, 1 | 4 | 8, 2, 16 | 64]  # STATE_REASONS bits
    assert list(state) == [
        "ok",
        "cannot assess: missing household_size; missing income; "
        "missing region (no usable ID number)",
        "cannot assess: household_size below 1",
        "cannot assess: no standard for region 110101; "
        "missing benefit_month (the amount a phase-out continues)",
    ]


def test_size_falls_back_to_covered_persons_where_no_size_is_recorded():
    # a publicity list or the system's 低保边缘 export: 保障人口, no 家庭人口
    h = Columns(pd.DataFrame({"covered_count": [2, 3], "household_size": [None, 4]}))
    size = find_size(h)
    assert size.size.tolist() == [2, 4] and size.source.tolist() == [2, 0]
