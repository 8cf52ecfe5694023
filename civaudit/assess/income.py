"""Steps of the income chain: gross -> deductions -> net -> per capita -> band.

Amounts are yearly and in integer fen (``money.fen``); the table shows yuan.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from civaudit.assess.columns import Columns
from civaudit.assess.money import fen
from civaudit.policy.model import Policy

INCOME_PARTS = ("wage_income", "business_income", "property_income", "transfer_income")
MEMBER_INCOMES = ("income_year", "income_month")
"""A member's own income, a year and a month (the person files' 年收入, 月收入)."""
ITEMISED = ("medical_expense", "education_expense", "care_expense")
DEDUCTIONS = (
    "deduct_medical",
    "deduct_education",
    "deduct_care",
    "deduct_employment",
    "deduct_other",
)


@dataclass(frozen=True, eq=False)
class GrossIncome:
    yuan: np.ndarray  # gross yearly income, NaN where no source has it
    source: np.ndarray  # index into INCOME_SOURCES, -1 = none
    known: np.ndarray
    fen: np.ndarray  # 0 where not known


def find_gross_income(
    h: Columns,
    *,
    size: np.ndarray,
    size_known: np.ndarray,
    m: Columns | None = None,
    position: np.ndarray | None = None,
) -> GrossIncome:
    """Step ``gross-income``: the household's gross yearly income, from the first
    source a roster has, and which source that was (``INCOME_SOURCES``).

    Rosters record income differently. In order: the household's gross total; the
    sum of its parts (wages, business, property, transfers); its members' incomes
    summed (each member's yearly income, else their monthly income x 12); the
    household's monthly income x 12; per capita a year or a month, times the size.
    A blank is missing, not zero (a dash or 无 already reads as 0), so a household
    with no source is reported as not assessable rather than as having no income.
    Among members, the ones with an income are summed and a blank member counts as
    none (member rosters leave children's and elders' income blank), but at least
    one member must have an income for the sum to count.
    """
    gross = h.number("gross_income_year")
    source = np.where(np.isnan(gross), -1, 0)

    def take(values: np.ndarray, code: int) -> None:
        nonlocal gross, source
        use = (source < 0) & ~np.isnan(values)
        gross = np.where(use, values, gross)
        source = np.where(use, code, source)

    parts = [h.number(p) for p in INCOME_PARTS if p in h]
    if parts:
        stacked = np.vstack(parts)
        any_part = (~np.isnan(stacked)).any(axis=0)
        take(np.where(any_part, np.nansum(stacked, axis=0), np.nan), 1)
    if (
        m is not None
        and position is not None
        and (MEMBER_INCOMES[0] in m or MEMBER_INCOMES[1] in m)
    ):
        take(member_income(m, position, h.n), 2)
    take(h.number("household_income_month") * 12, 3)
    persons = np.where(size_known, size, np.nan)
    take(h.number("per_capita_income_year") * persons, 4)
    take(h.number("per_capita_income_month") * 12 * persons, 5)
    return GrossIncome(
        yuan=gross, source=source, known=~np.isnan(gross), fen=fen(np.nan_to_num(gross))
    )


def member_income(m: Columns, position: np.ndarray, n: int) -> np.ndarray:
    """Per household: its members' yearly incomes summed (a member's yearly income,
    else monthly x 12); NaN where no member has one."""
    yearly = m.number(MEMBER_INCOMES[0])
    yearly = np.where(np.isnan(yearly), m.number(MEMBER_INCOMES[1]) * 12, yearly)
    keep = (position >= 0) & ~np.isnan(yearly)
    if not n:
        return np.zeros(0)
    total = np.bincount(position[keep], weights=yearly[keep], minlength=n)[:n]
    count = np.bincount(position[keep], minlength=n)[:n]
    return np.where(count > 0, total, np.nan)


@dataclass(frozen=True, eq=False)
class Deductions:
    items: dict[str, np.ndarray]  # DEDUCTIONS column -> fen after its own cap
    uncapped: np.ndarray  # sum of the items, fen
    total: np.ndarray  # after the total-ratio cap, fen, >= 0


def compute_deductions(h: Columns, *, gross_fen: np.ndarray, policy: Policy) -> Deductions:
    """Step ``deductions``: the rigid expenditures the policy lets a household deduct.

    Each item has its own cap, and the total is capped at a share of gross income.
    Employment cost is ``wage_income x rate`` where wages are recorded, else the
    recorded 就业成本. A single rigid-expense column counts only for households
    with no itemised medical/education/care amount (it is their total, and would
    otherwise be counted twice). A policy may allow deductions only for
    expenditure-type (支出型) households.
    """
    d = policy.deduction

    def capped(values: np.ndarray, cap: float) -> np.ndarray:
        values = np.clip(np.nan_to_num(values), 0, None)
        return fen(np.minimum(values, cap))

    wages = h.number("wage_income")
    employment = np.where(
        ~np.isnan(wages),
        np.clip(wages, 0, None) * d.employment_rate,
        h.number("employment_cost"),
    )
    rigid = h.number("rigid_expense_year")
    rigid = np.where(np.isnan(rigid), h.number("rigid_expense_month") * 12, rigid)
    itemised = np.zeros(h.n, dtype=bool)
    for col in ITEMISED:
        itemised |= h.known(col)
    rigid = np.where(itemised, 0.0, rigid)
    items = dict(
        zip(
            DEDUCTIONS,
            (
                capped(h.number("medical_expense"), d.medical_cap),
                capped(h.number("education_expense"), d.education_cap),
                capped(h.number("care_expense"), d.care_cap),
                capped(employment, d.employment_cap),
                capped(rigid, d.other_cap),
            ),
            strict=True,
        )
    )
    if d.expenditure_type_only:
        marked = h.flag("expenditure_type")
        items = {k: np.where(marked, v, 0) for k, v in items.items()}
    uncapped = sum(items.values())
    ratio_cap = np.floor(d.total_ratio_cap * np.maximum(gross_fen, 0) + 1e-6)
    total = np.clip(np.minimum(uncapped, ratio_cap.astype(np.int64)), 0, None)
    return Deductions(items=items, uncapped=uncapped, total=total)


@dataclass(frozen=True, eq=False)
class NetIncome:
    fen: np.ndarray  # yearly, >= 0 (0 where gross is not known)


def compute_net_income(*, gross_fen: np.ndarray, deduction_fen: np.ndarray) -> NetIncome:
    """Step ``net-income``: gross less deductions, never below zero, because
    deductions can lower what counts as income but not make it negative."""
    return NetIncome(fen=np.maximum(gross_fen - deduction_fen, 0))


@dataclass(frozen=True, eq=False)
class PerCapitaIncome:
    month: np.ndarray  # yuan per person per month, NaN where income or size is not known


def compute_per_capita_income(
    *,
    net_fen: np.ndarray,
    divisor: np.ndarray,
    income_known: np.ndarray,
    size_known: np.ndarray,
) -> PerCapitaIncome:
    """Step ``per-capita-income``: net income a person a month, the number the
    standard is stated in.

    It divides by the household size, never by the covered persons (a family
    member not covered still lives on the household's income). It is for reading:
    the band and benefits compare whole-household fen, so a third of a fen never
    tips a household over the line.
    """
    known = income_known & size_known
    return PerCapitaIncome(month=np.where(known, net_fen / 100 / 12 / divisor, np.nan))


@dataclass(frozen=True, eq=False)
class Band:
    assessable: np.ndarray  # size, income and standard known
    household_standard: np.ndarray  # standard x size, fen a year
    below: np.ndarray  # below the standard: dibao
    near: np.ndarray  # at or above it but under near_multiplier x: near-dibao
    code: np.ndarray  # index into BANDS, -1 = not assessable


def place_band(
    *,
    net_fen: np.ndarray,
    income_known: np.ndarray,
    size: np.ndarray,
    size_known: np.ndarray,
    standard_fen: np.ndarray,
    standard_known: np.ndarray,
    policy: Policy,
) -> Band:
    """Step ``band``: where net income falls against the standard, the test every
    regime starts from.

    Household net income is compared with standard x size, in whole fen: the same
    as comparing per-capita income with the standard, without division. A household
    without size, income or standard has no band.
    """
    assessable = standard_known & size_known & income_known
    household_standard = standard_fen * size
    below = assessable & (net_fen < household_standard)
    near = assessable & ~below & (net_fen < policy.income.near_multiplier * household_standard)
    code = np.where(~assessable, -1, np.where(below, 0, np.where(near, 1, 2)))
    return Band(
        assessable=assessable,
        household_standard=household_standard,
        below=below,
        near=near,
        code=code,
    )
