"""Recompute what each household should get under a policy: one row per household.

The chain is domain.md sections 3-5: gross income -> rigid-expenditure deductions
-> net -> per-capita monthly income (divided by household size, never by covered
persons) -> band -> expected benefit (ordinary gap, phase-out continuation or
single-person amount) and add-ons, side by side with what the roster records.

Money is exact: amounts are held as integer fen and every benefit is a fraction
``numerator / denominator`` of fen, rounded once at the end by the policy's mode.
So ``632 x 3 - 631.333... x 3`` is 2 yuan, not the 3 that float drift plus
``ceil`` would give.

A household that cannot be assessed (no size, no income, no standard for its
region) gets NaN expectations and a ``state`` saying why: never a guess, never a
crash. Everything is vectorised over households and members; the only Python
loops run over policy entries, distinct region codes or a handful of categories.

The work is a pipeline of named steps (``STEPS``), each a vectorised function
in a module of this package whose docstring says why it computes what it does,
including the choices where the domain text is silent. ``assess`` runs them in
order and ``STEP_OF_COLUMN`` names the step each output column comes from:

==========================  ==================================================
step                        module.function
==========================  ==================================================
keys                        household.copy_keys
members                     household.count_members
standard                    standard.find_standard (region, then its standard)
size                        household.find_size
coverage                    household.find_coverage (covered persons, 单人保)
gross-income                income.find_gross_income
deductions                  income.compute_deductions
net-income                  income.compute_net_income
per-capita-income           income.compute_per_capita_income
band                        income.place_band
recorded                    benefit.read_recorded
ordinary-benefit            benefit.compute_ordinary_benefit
single-amount               single.compute_single_amount
phaseout-period             phaseout.find_phaseout_period
phaseout-amount             phaseout.compute_phaseout_amount
benefit                     benefit.choose_benefit (which regime pays)
member-categories           categories.categorise_members
single-member               single.choose_single_member
single-qualification        single.check_single_person
phaseout-qualification      phaseout.check_phaseout
addons                      addons.compute_addons
comparison                  benefit.compare_with_recorded
state                       state.describe_state
==========================  ==================================================

Each step returns a frozen dataclass of named numpy arrays (or a dict of them), so
a test can call one step alone on a few inline values. ``columns`` reads roster
columns as numpy (absent and NA alike), ``money`` holds the exact fen
arithmetic, ``codes`` the vocabularies of the coded columns and ``arrays`` turns
numpy results into the table's nullable and categorical arrays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd

from civaudit.assess.addons import Addons, compute_addons
from civaudit.assess.arrays import STRING, bool_array, categorical, int_array, reasons
from civaudit.assess.benefit import (
    Benefit,
    Comparison,
    OrdinaryBenefit,
    Recorded,
    choose_benefit,
    compare_with_recorded,
    compute_ordinary_benefit,
    read_recorded,
)
from civaudit.assess.categories import MemberCategories, categorise_members, member_flags
from civaudit.assess.codes import (
    BANDS,
    BENEFIT_SOURCES,
    COVERAGES,
    COVERED_SOURCES,
    INCOME_SOURCES,
    MEMBER_FLAGS,
    PHASEOUT_REASONS,
    SINGLE_REASONS,
    SIZE_SOURCES,
    STATE_REASONS,
)
from civaudit.assess.columns import Columns
from civaudit.assess.household import (
    Coverage,
    Members,
    Size,
    copy_keys,
    count_members,
    find_coverage,
    find_size,
)
from civaudit.assess.income import (
    Band,
    Deductions,
    GrossIncome,
    NetIncome,
    PerCapitaIncome,
    compute_deductions,
    compute_net_income,
    compute_per_capita_income,
    find_gross_income,
    place_band,
)
from civaudit.assess.phaseout import (
    PhaseoutAmount,
    PhaseoutPeriod,
    PhaseoutQualification,
    check_phaseout,
    compute_phaseout_amount,
    find_phaseout_period,
)
from civaudit.assess.single import (
    SingleAmount,
    SingleMember,
    SingleQualification,
    check_single_person,
    choose_single_member,
    compute_single_amount,
)
from civaudit.assess.standard import Standard, find_standard
from civaudit.assess.state import State, describe_state
from civaudit.policy.model import Policy

STEP_FUNCTIONS: dict[str, Callable[..., object]] = {
    "keys": copy_keys,
    "members": count_members,
    "standard": find_standard,
    "size": find_size,
    "coverage": find_coverage,
    "gross-income": find_gross_income,
    "deductions": compute_deductions,
    "net-income": compute_net_income,
    "per-capita-income": compute_per_capita_income,
    "band": place_band,
    "recorded": read_recorded,
    "ordinary-benefit": compute_ordinary_benefit,
    "single-amount": compute_single_amount,
    "phaseout-period": find_phaseout_period,
    "phaseout-amount": compute_phaseout_amount,
    "benefit": choose_benefit,
    "member-categories": categorise_members,
    "single-member": choose_single_member,
    "single-qualification": check_single_person,
    "phaseout-qualification": check_phaseout,
    "addons": compute_addons,
    "comparison": compare_with_recorded,
    "state": describe_state,
}
"""Step name -> the function that computes it, in the order ``assess`` runs them."""

STEPS: tuple[str, ...] = tuple(STEP_FUNCTIONS)
"""The step names in the order ``assess`` runs them (each step only uses earlier ones)."""

STEP_OF_COLUMN: dict[str, str] = {
    "hh": "keys",
    "file": "keys",
    "sheet": "keys",
    "row": "keys",
    "household": "keys",
    "county": "keys",
    "town": "keys",
    "village": "keys",
    "as_of": "standard",
    "region": "standard",
    "standard_year": "standard",
    "standard_month": "standard",
    "household_size": "size",
    "size_source": "size",
    "covered": "coverage",
    "covered_source": "coverage",
    "coverage": "coverage",
    "income_source": "gross-income",
    "gross_income": "gross-income",
    "deduct_medical": "deductions",
    "deduct_education": "deductions",
    "deduct_care": "deductions",
    "deduct_employment": "deductions",
    "deduct_other": "deductions",
    "deduction_uncapped": "deductions",
    "deduction_total": "deductions",
    "net_income": "net-income",
    "pc_income_month": "per-capita-income",
    "band": "band",
    "expected_base": "benefit",
    "addon_expected": "addons",
    "expected_total": "comparison",
    "recorded_base": "recorded",
    "recorded_addon": "recorded",
    "benefit_source": "recorded",
    "recorded_total": "comparison",
    "difference": "comparison",
    "addon_difference": "comparison",
    "n_members": "members",
    "n_elderly": "member-categories",
    "n_minor": "member-categories",
    "n_severe_disability": "member-categories",
    "n_serious_illness": "member-categories",
    "phaseout": "phaseout-period",
    "phaseout_start": "phaseout-period",
    "phaseout_end": "phaseout-period",
    "phaseout_months": "phaseout-period",
    "phaseout_months_used": "phaseout-period",
    "phaseout_expired": "phaseout-period",
    "phaseout_qualifies": "phaseout-qualification",
    "phaseout_reason": "phaseout-qualification",
    "single": "coverage",
    "single_member_row": "single-member",
    "single_category": "single-qualification",
    "single_qualifies": "single-qualification",
    "single_reason": "single-qualification",
    "single_benefit": "single-amount",
    "state": "state",
    "reason": "state",
}
"""Column of the assess table -> the step (``STEPS``) that computes it, in the
table's column order, so a finding's evidence can name where a number came from.
The key columns (``keys``) are present only when the households have them."""


def assess(
    households: pd.DataFrame,
    members: pd.DataFrame | None,
    policy: Policy,
    *,
    as_of: date | pd.Series | None,
) -> pd.DataFrame:
    """The recomputed table, one row per household, index aligned with ``households``.

    ``as_of`` is the roster date: it picks the standard, ages members and places
    phase-out periods. It is one date for every household, or a Series of dates
    aligned with ``households`` (each file its own month; NaT for a file with no
    month), or None (no month at all). Without a month the standard is used only
    where the policy's does not depend on it, ages are the recorded ones and
    phase-out periods are not placed (``civaudit.asof``). Any input column may be
    absent or NA.
    """
    if isinstance(as_of, pd.Series):
        return _assess_by_month(households, members, policy, as_of)
    day = None if as_of is None or pd.isna(as_of) else _day(as_of)
    steps = _run_steps(households, members, policy, as_of=day)
    return _table(households, steps, as_of=day)


def _assess_by_month(
    households: pd.DataFrame, members: pd.DataFrame | None, policy: Policy, months: pd.Series
) -> pd.DataFrame:
    """``assess`` once per distinct month (a loop over months, not rows), the parts
    put back in the households' order. One month is one plain assessment."""
    months = pd.to_datetime(months.reindex(households.index))
    values = months.to_numpy(dtype="datetime64[ns]")
    distinct = pd.unique(values)
    if len(distinct) <= 1:
        only = distinct[0] if len(distinct) else None
        return assess(households, members, policy, as_of=_day_or_none(only))
    has_members = members is not None and "hh" in members and "hh" in households
    parts, order = [], []
    for month in distinct:
        at = np.flatnonzero(np.isnat(values) if np.isnat(month) else values == month)
        part = households.iloc[at]
        their = members
        if has_members:
            their = members[members["hh"].isin(part["hh"]).to_numpy(dtype=bool)]
        parts.append(assess(part, their, policy, as_of=_day_or_none(month)))
        order.append(at)
    table = pd.concat(parts, ignore_index=True)
    table = table.iloc[np.argsort(np.concatenate(order), kind="stable")]
    return table.set_axis(households.index)


def _day_or_none(value) -> date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def member_categories(members: pd.DataFrame, *, as_of: date | None) -> pd.DataFrame:
    """Per member: age at ``as_of`` and the four add-on/single-person categories.

    Age comes from the ID's birth date, else the birth-date column, else the
    recorded age. A category is NA where the data to judge it is absent (no
    disability column, no birth date or age), False where the cell is blank.
    """
    flags = member_flags(Columns(members), None if as_of is None else _day(as_of))
    out = {"age_at_as_of": flags["age"][0]}
    for flag in MEMBER_FLAGS:
        value, known = flags[flag]
        out[flag.replace("-", "_")] = bool_array(value, known)
    return pd.DataFrame(out, index=members.index, copy=False)


@dataclass(frozen=True, eq=False)
class _Steps:
    """The result of every step of one assessment, one field per step (``STEPS``)."""

    keys: dict[str, object]
    members: Members
    standard: Standard
    size: Size
    coverage: Coverage
    gross_income: GrossIncome
    deductions: Deductions
    net_income: NetIncome
    per_capita_income: PerCapitaIncome
    band: Band
    recorded: Recorded
    ordinary_benefit: OrdinaryBenefit
    single_amount: SingleAmount
    phaseout_period: PhaseoutPeriod
    phaseout_amount: PhaseoutAmount
    benefit: Benefit
    member_categories: MemberCategories
    single_member: SingleMember
    single_qualification: SingleQualification
    phaseout_qualification: PhaseoutQualification
    addons: Addons
    comparison: Comparison
    state: State


def _run_steps(
    households: pd.DataFrame, members: pd.DataFrame | None, policy: Policy, *, as_of: date | None
) -> _Steps:
    """Every step in ``STEPS`` order, each given only what it needs."""
    h = Columns(households)
    m = Columns(members if members is not None else pd.DataFrame())
    keys = copy_keys(households)
    listing = count_members(h, m)
    pos = listing.position
    standard = find_standard(h, m, position=pos, policy=policy, as_of=as_of)
    size = find_size(h)
    coverage = find_coverage(h, m, position=pos, size=size)
    gross = find_gross_income(h, size=size.size, size_known=size.known, m=m, position=pos)
    deductions = compute_deductions(h, gross_fen=gross.fen, policy=policy)
    net = compute_net_income(gross_fen=gross.fen, deduction_fen=deductions.total)
    per_capita = compute_per_capita_income(
        net_fen=net.fen, divisor=size.divisor, income_known=gross.known, size_known=size.known
    )
    band = place_band(
        net_fen=net.fen,
        income_known=gross.known,
        size=size.size,
        size_known=size.known,
        standard_fen=standard.fen,
        standard_known=standard.known,
        policy=policy,
    )
    ok, below, household_standard = band.assessable, band.below, band.household_standard
    recorded = read_recorded(h)
    ordinary = compute_ordinary_benefit(
        covered=coverage.covered,
        divisor=size.divisor,
        net_fen=net.fen,
        household_standard=household_standard,
        standard_fen=standard.fen,
        policy=policy,
    )
    single_amount = compute_single_amount(
        standard_fen=standard.fen,
        standard_known=standard.known,
        assessable=ok,
        net_fen=net.fen,
        household_standard=household_standard,
        divisor=size.divisor,
        policy=policy,
    )
    period = find_phaseout_period(h, policy=policy, as_of=as_of)
    phaseout = compute_phaseout_amount(
        period=period,
        single=coverage.single,
        assessable=ok,
        below=below,
        net_fen=net.fen,
        household_standard=household_standard,
        covered=coverage.covered,
        standard_fen=standard.fen,
        recorded_base=recorded.base,
        policy=policy,
    )
    benefit = choose_benefit(
        assessable=ok,
        below=below,
        ordinary_fen=ordinary.fen,
        in_phaseout=phaseout.in_period,
        phaseout_fen=phaseout.fen,
        phaseout_missing=phaseout.missing,
        single=coverage.single,
        single_fen=single_amount.fen,
        single_income_ok=single_amount.income_ok,
    )
    categories = categorise_members(m, position=pos, n_households=h.n, as_of=as_of)
    member = choose_single_member(
        m,
        position=pos,
        flags=categories.flags,
        members_marked=coverage.members_marked,
        single=coverage.single,
        policy=policy,
    )
    single_check = check_single_person(
        h,
        position=pos,
        flags=categories.flags,
        member=member.index,
        single=coverage.single,
        listed=listing.listed,
        size=size.size,
        members_marked=coverage.members_marked,
        assessable=ok,
        net_fen=net.fen,
        household_standard=household_standard,
        policy=policy,
    )
    phaseout_check = check_phaseout(
        h,
        marked=period.marked,
        assessable=ok,
        below=below,
        net_fen=net.fen,
        household_standard=household_standard,
        policy=policy,
    )
    addons = compute_addons(
        m,
        position=pos,
        flags=categories.flags,
        listed=listing.listed,
        size=size.size,
        covered=coverage.covered,
        members_marked=coverage.members_marked,
        single=coverage.single,
        single_member=member.index,
        standard_fen=standard.fen,
        assessable=ok,
        paid=benefit.paid,
        policy=policy,
    )
    comparison = compare_with_recorded(
        expected_base=benefit.yuan, expected_addon=addons.expected, recorded=recorded
    )
    state = describe_state(
        size_known=size.known,
        size_below_one=size.below_one,
        income_known=gross.known,
        region=standard.region,
        standard_known=standard.known,
        phaseout_missing=phaseout.missing,
        month_needed=standard.month_needed,
    )
    return _Steps(
        keys=keys,
        members=listing,
        standard=standard,
        size=size,
        coverage=coverage,
        gross_income=gross,
        deductions=deductions,
        net_income=net,
        per_capita_income=per_capita,
        band=band,
        recorded=recorded,
        ordinary_benefit=ordinary,
        single_amount=single_amount,
        phaseout_period=period,
        phaseout_amount=phaseout,
        benefit=benefit,
        member_categories=categories,
        single_member=member,
        single_qualification=single_check,
        phaseout_qualification=phaseout_check,
        addons=addons,
        comparison=comparison,
        state=state,
    )


def _table(households: pd.DataFrame, s: _Steps, *, as_of: date | None) -> pd.DataFrame:
    """The steps' results as the assess table, in ``STEP_OF_COLUMN`` order, yuan."""
    income_known = s.gross_income.known
    out: dict[str, object] = dict(s.keys)
    month = np.datetime64("NaT" if as_of is None else as_of, "ns")
    out["as_of"] = np.full(len(households), month, dtype="datetime64[ns]")
    out["region"] = s.standard.region.array
    out["standard_year"] = s.standard.yearly
    out["standard_month"] = s.standard.yearly / 12
    out["household_size"] = int_array(s.size.size, s.size.known)
    out["size_source"] = categorical(s.size.source, SIZE_SOURCES)
    out["covered"] = int_array(s.coverage.covered, s.coverage.known)
    out["covered_source"] = categorical(s.coverage.source, COVERED_SOURCES)
    out["coverage"] = categorical(s.coverage.single.astype(np.int64), COVERAGES)
    out["income_source"] = categorical(s.gross_income.source, INCOME_SOURCES)
    out["gross_income"] = s.gross_income.yuan
    for name, amount in s.deductions.items.items():
        out[name] = amount / 100
    out["deduction_uncapped"] = s.deductions.uncapped / 100
    out["deduction_total"] = np.where(income_known, s.deductions.total / 100, np.nan)
    out["net_income"] = np.where(income_known, s.net_income.fen / 100, np.nan)
    out["pc_income_month"] = s.per_capita_income.month
    out["band"] = categorical(s.band.code, BANDS)
    out["expected_base"] = s.benefit.yuan
    out["addon_expected"] = s.addons.expected
    out["expected_total"] = s.comparison.expected_total
    out["recorded_base"] = s.recorded.base
    out["recorded_addon"] = s.recorded.addon
    out["benefit_source"] = categorical(s.recorded.source, BENEFIT_SOURCES)
    out["recorded_total"] = s.comparison.recorded_total
    out["difference"] = s.comparison.difference
    out["addon_difference"] = s.comparison.addon_difference
    out["n_members"] = s.members.listed.astype(np.int64)
    for flag in MEMBER_FLAGS:
        out["n_" + flag.replace("-", "_")] = s.member_categories.counts[flag]
    period = s.phaseout_period
    out["phaseout"] = period.marked
    out["phaseout_start"] = period.start
    out["phaseout_end"] = period.end
    out["phaseout_months"] = int_array(period.length, period.length >= 0)
    out["phaseout_months_used"] = int_array(period.used, period.used >= 0)
    out["phaseout_expired"] = bool_array(period.expired == 1, period.marked & (period.expired >= 0))
    out["phaseout_qualifies"] = bool_array(
        s.phaseout_qualification.reasons == 0, s.phaseout_qualification.decided
    )
    out["phaseout_reason"] = reasons(s.phaseout_qualification.reasons, PHASEOUT_REASONS)
    out["single"] = s.coverage.single
    out["single_member_row"] = int_array(s.single_member.row, s.single_member.named)
    out["single_category"] = categorical(s.single_qualification.category, MEMBER_FLAGS)
    out["single_qualifies"] = bool_array(
        s.single_qualification.reasons == 0, s.single_qualification.decided
    )
    out["single_reason"] = reasons(s.single_qualification.reasons, SINGLE_REASONS)
    out["single_benefit"] = np.where(
        s.coverage.single & s.single_amount.known, s.single_amount.fen / 100, np.nan
    )
    out["state"] = s.state.text
    out["reason"] = reasons(s.state.reasons, STATE_REASONS)
    return pd.DataFrame(out, index=households.index, copy=False)  # no consolidation copy


def _day(value: date) -> date:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"as_of must be a date, got {value!r}")


__all__ = [
    "BANDS",
    "BENEFIT_SOURCES",
    "COVERAGES",
    "COVERED_SOURCES",
    "INCOME_SOURCES",
    "MEMBER_FLAGS",
    "PHASEOUT_REASONS",
    "SINGLE_REASONS",
    "SIZE_SOURCES",
    "STATE_REASONS",
    "STEPS",
    "STEP_FUNCTIONS",
    "STEP_OF_COLUMN",
    "STRING",
    "Columns",
    "assess",
    "member_categories",
]
