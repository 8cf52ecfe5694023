"""Steps of the monthly benefit: the ordinary gap, which regime pays, and the
comparison with what the roster records. Amounts are monthly fen."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from civaudit.assess.columns import Columns
from civaudit.assess.money import floor_unit, round_fen
from civaudit.policy.model import Policy


@dataclass(frozen=True, eq=False)
class OrdinaryBenefit:
    fen: np.ndarray  # monthly, rounded by the policy's mode and capped


def compute_ordinary_benefit(
    *,
    covered: np.ndarray,
    divisor: np.ndarray,
    net_fen: np.ndarray,
    household_standard: np.ndarray,
    standard_fen: np.ndarray,
    policy: Policy,
) -> OrdinaryBenefit:
    """Step ``ordinary-benefit``: ordinary dibao pays the gap between the standard
    and per-capita income for each covered person.

    The gap is the exact fraction ``covered x (standard x size - net) / (12 x size)``
    fen, rounded once by the policy's mode, then capped at standard_month x covered
    in whole units of the mode (rounding up could pass a fractional cap). Whether
    it is paid at all is the ``benefit`` step's choice.
    """
    n = len(covered)
    mode = policy.income.rounding
    cap = floor_unit(covered * standard_fen, np.full(n, 12), mode)
    gap = covered * np.maximum(household_standard - net_fen, 0)
    return OrdinaryBenefit(fen=np.minimum(round_fen(gap, 12 * divisor, mode), cap))


@dataclass(frozen=True, eq=False)
class Recorded:
    base: np.ndarray  # benefit_month, yuan, NaN where blank
    addon: np.ndarray  # addon_month, yuan, NaN where blank
    source: np.ndarray | None = None  # index into BENEFIT_SOURCES, -1 = none


def read_recorded(h: Columns) -> Recorded:
    """Step ``recorded``: what the roster says is paid a month, read once, because a
    phase-out continues the recorded amount and every difference is taken from it.

    The monthly benefit column, else a yearly one / 12, else a quarterly one / 3
    (``BENEFIT_SOURCES``, in ``benefit_source``): some counties record what a
    household gets a year or a quarter, and its benefit is checked all the same.
    """
    base = h.number("benefit_month")
    source = np.where(np.isnan(base), -1, 0)
    for code, (col, months) in enumerate((("benefit_year", 12), ("benefit_quarter", 3)), 1):
        if col in h:
            derived = h.number(col) / months
            use = (source < 0) & ~np.isnan(derived)
            base = np.where(use, derived, base)
            source = np.where(use, code, source)
    return Recorded(base=base, addon=h.number("addon_month"), source=source)


@dataclass(frozen=True, eq=False)
class Benefit:
    fen: np.ndarray  # monthly base benefit of the regime that applies, 0 where none pays
    paid: np.ndarray  # some regime pays (add-ons follow it)
    yuan: np.ndarray  # the expected base, NaN where it cannot be assessed


def choose_benefit(
    *,
    assessable: np.ndarray,
    below: np.ndarray,
    ordinary_fen: np.ndarray,
    in_phaseout: np.ndarray,
    phaseout_fen: np.ndarray,
    phaseout_missing: np.ndarray,
    single: np.ndarray,
    single_fen: np.ndarray,
    single_income_ok: np.ndarray,
) -> Benefit:
    """Step ``benefit``: which regime pays, and so the expected base benefit.

    The amount follows only the income test of the regime: ordinary dibao needs
    income below the standard; phase-out needs standard <= income < its ceiling
    within the period; single-person coverage needs income below its ceiling.
    Single-person coverage wins over a phase-out mark; a phase-out household below
    the standard gets ordinary dibao. Registered-poor and category conditions are
    findings of their own (the qualification steps), not a second zero.
    """
    base = np.where(below, ordinary_fen, 0)
    base = np.where(in_phaseout, phaseout_fen, base)
    base = np.where(single, np.where(single_income_ok, single_fen, 0), base)
    paid = np.where(single, single_income_ok, below | in_phaseout)
    yuan = np.where(assessable & ~phaseout_missing, base / 100, np.nan)
    return Benefit(fen=base, paid=paid, yuan=yuan)


@dataclass(frozen=True, eq=False)
class Comparison:
    expected_total: np.ndarray
    recorded_total: np.ndarray
    difference: np.ndarray  # recorded - expected base
    addon_difference: np.ndarray  # recorded - expected add-on


def compare_with_recorded(
    *, expected_base: np.ndarray, expected_addon: np.ndarray, recorded: Recorded
) -> Comparison:
    """Step ``comparison``: recorded minus expected, in yuan a month, the numbers the
    benefit rules judge against the policy's tolerance. A blank recorded add-on
    counts as none in the recorded total."""
    return Comparison(
        expected_total=expected_base + expected_addon,
        recorded_total=recorded.base + np.nan_to_num(recorded.addon),
        difference=recorded.base - expected_base,
        addon_difference=recorded.addon - expected_addon,
    )
