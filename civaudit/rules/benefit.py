"""Income and benefit: the roster's amounts against the assessment's recomputation.

Only households the assessment could judge (``state == 'ok'``) are looked at: a
household with an unreadable or missing value gets ``data.unparsed`` for the cell,
never a guessed income finding. A household that should get nothing at all is
reported once, by the rule that says why (``income.above-standard``,
``phaseout.*``, ``single.above-ceiling``), not again as a wrong amount.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from civaudit.rules._common import (
    column,
    flag,
    number,
    repeats_disagree,
    single_from_partial_list,
    split,
    state_ok,
    unparsed_amounts,
)
from civaudit.rules.registry import concat_hits, hits, no_hits, rule

INCOME = (
    "households.gross_income_year|households.wage_income|households.business_income"
    "|households.property_income|households.transfer_income"
    "|households.per_capita_income_year|households.per_capita_income_month"
    "|households.household_income_month|members.income_year|members.income_month"
)
"""Any column the assessment can take income from."""
BENEFIT = "households.benefit_month|households.benefit_year|households.benefit_quarter"
"""Any column the assessment can take the recorded monthly benefit from."""
ASSESSED = "assessed.state"

CENT = 0.005  # amounts are compared to the fen

STATE_649 = "国务院令第649号（社会救助暂行办法）"


def _assessed(data, name: str) -> pd.Series:
    return column(data.assessed, name).reindex(data.households.index)


def _num(data, name: str) -> pd.Series:
    return number(data.assessed, name).reindex(data.households.index)


def cap_known(data) -> pd.Series:
    """Households whose cap (standard x covered) is known and can be trusted: as
    ``state_ok`` but without needing income, which the cap does not depend on."""
    covered = _num(data, "covered")
    known = _num(data, "standard_month").notna() & (covered >= 1).fillna(False)
    return (
        known
        & ~split(data)
        & ~unparsed_amounts(data)
        & ~single_from_partial_list(data)
        & ~repeats_disagree(data)
    )


def _entitled(data) -> pd.Series:
    """Assessed households that should be paid something."""
    return state_ok(data) & (_num(data, "expected_base") > 0).fillna(False)


@rule(
    id="income.above-standard",
    severity="error",
    needs=(INCOME, ASSESSED),
    title={"zh": "人均收入不低于低保标准", "en": "Income at or above the standard"},
    description={
        "zh": "家庭月人均收入（扣除刚性支出后，除以家庭人口）不低于低保标准，"
        "且不在渐退期、不是单人保。",
        "en": "The household's monthly per-capita income (after rigid-expenditure "
        "deductions, divided by the household size) is at or above the standard, and the "
        "household is neither in phase-out nor under single-person coverage.",
    },
    clause="国务院令第649号 第九条; policy: standard",
    message={
        "zh": "月人均收入 {pc_income_month} 元不低于低保标准 {standard_month} 元"
        "（年净收入 {net_income} 元，{household_size} 人），且不在渐退期或单人保",
        "en": "Per-capita income {pc_income_month} a month is at or above the standard "
        "{standard_month} (net income {net_income} a year, {household_size} persons); "
        "not in phase-out or single-person coverage",
    },
)
def income_above_standard(data) -> pd.DataFrame:
    band = _assessed(data, "band").astype("object")
    above = band.isin(["near-dibao", "above"])
    phaseout = _assessed(data, "phaseout").astype("boolean").fillna(False).astype(bool)
    single = _assessed(data, "single").astype("boolean").fillna(False).astype(bool)
    return hits(
        "households",
        state_ok(data) & above & ~phaseout & ~single,
        pc_income_month=_num(data, "pc_income_month").round(2),
        standard_month=_num(data, "standard_month").round(2),
        gross_income=_num(data, "gross_income"),
        deduction_total=_num(data, "deduction_total"),
        net_income=_num(data, "net_income"),
        household_size=_assessed(data, "household_size"),
        band=band,
    )


@rule(
    id="benefit.mismatch",
    severity="error",
    needs=(BENEFIT, INCOME, ASSESSED),
    title={"zh": "保障金额与核算不符", "en": "Benefit differs from the recomputed amount"},
    description={
        "zh": "记录的月保障金（不含分类施保）与按政策重算的金额相差超过容差（默认1元/月）。"
        "应停发的家庭由说明原因的规则报告，不在此重复。",
        "en": "The recorded monthly benefit (add-ons apart) differs from the amount the "
        "policy gives by more than the tolerance (default 1 yuan a month). Households that "
        "should get nothing are reported by the rule that says why, not here again.",
    },
    clause=f"{STATE_649}（差额补助）; policy: income.rounding, income.tolerance",
    message={
        "zh": "记录的月保障金 {recorded_base} 元，按政策应为 {expected_base} 元"
        "（相差 {difference} 元）",
        "en": "Monthly benefit recorded as {recorded_base}, the policy gives {expected_base} "
        "(difference {difference})",
    },
)
def benefit_mismatch(data) -> pd.DataFrame:
    recorded, expected = _num(data, "recorded_base"), _num(data, "expected_base")
    difference = recorded - expected
    tolerance = data.policy.income.tolerance
    off = (difference.abs() > tolerance + 1e-9).fillna(False)
    return hits(
        "households",
        _entitled(data) & recorded.notna() & off,
        field="benefit_month",
        recorded_base=recorded,
        expected_base=expected,
        difference=difference.round(2),
        tolerance=tolerance,
        pc_income_month=_num(data, "pc_income_month").round(2),
        standard_month=_num(data, "standard_month").round(2),
        covered=_assessed(data, "covered"),
        coverage=_assessed(data, "coverage").astype("object"),
    )


@rule(
    id="benefit.over-cap",
    severity="error",
    needs=(BENEFIT, ASSESSED),
    title={"zh": "保障金超过标准乘保障人口", "en": "Benefit above standard x covered"},
    description={
        "zh": "记录的月保障金（不含分类施保）高于月低保标准乘保障人口，这是差额补助的上限。"
        "不需要收入，也不需要完整的身份证号（公示名单也能核查），只要知道标准和保障人口。",
        "en": "The recorded monthly benefit (add-ons apart) is above the monthly standard "
        "times the covered persons, the most a gap payment can be. It needs no income and no "
        "full ID number (a publicity list is checked too), only the standard and the "
        "covered persons.",
    },
    clause=f"{STATE_649}（差额补助）; policy: standard",
    message={
        "zh": "记录的月保障金 {recorded_base} 元，超过上限 {cap} 元（月标准 {standard_month} 元 × "
        "{covered} 人）",
        "en": "Monthly benefit recorded as {recorded_base}, above the cap {cap} (standard "
        "{standard_month} x {covered} covered)",
    },
)
def benefit_over_cap(data) -> pd.DataFrame:
    recorded = _num(data, "recorded_base")
    standard = _num(data, "standard_month")
    covered = number(data.assessed, "covered").reindex(data.households.index)
    cap = standard * covered
    return hits(
        "households",
        cap_known(data) & (recorded > cap + CENT).fillna(False),
        field="benefit_month",
        recorded_base=recorded,
        cap=cap.round(2),
        standard_month=standard.round(2),
        covered=_assessed(data, "covered"),
    )


# recorded item -> the policy cap that limits it
_ITEMS = (
    ("medical_expense", "medical_cap", 1),
    ("education_expense", "education_cap", 1),
    ("care_expense", "care_cap", 1),
    ("rigid_expense_year", "other_cap", 1),
    ("rigid_expense_month", "other_cap", 12),
    ("employment_cost", "employment_cap", 1),
)
DEDUCTIONS = "|".join(f"households.{item}" for item, _, _ in _ITEMS)


@rule(
    id="deduction.excessive",
    severity="warning",
    needs=(DEDUCTIONS, INCOME, ASSESSED),
    title={"zh": "刚性支出扣除过高", "en": "Deductions too high"},
    description={
        "zh": "记录的刚性支出项目超过政策上限，或扣除合计超过家庭总收入（乘 total_ratio_cap）。",
        "en": "A recorded rigid-expenditure item is above its policy cap, or the deductions "
        "together exceed the gross income (times total_ratio_cap).",
    },
    clause="policy: deduction",
    message={
        "item": {
            "zh": "{what}记录为 {recorded} 元/年，超过政策上限 {cap} 元",
            "en": "{what} recorded as {recorded} a year, above the policy cap {cap}",
        },
        "total": {
            "zh": "刚性支出扣除合计 {deductions} 元/年，超过家庭年总收入 {gross_income} 元"
            "（上限比例 {ratio}）",
            "en": "Deductions of {deductions} a year exceed the gross income {gross_income} "
            "(ratio cap {ratio})",
        },
    },
)
def excessive_deduction(data) -> pd.DataFrame:
    from civaudit.schema import FIELD_BY_NAME

    h = data.households
    ok = state_ok(data)
    policy = data.policy.deduction
    parts = []
    present = []
    for item, cap_key, times in _ITEMS:
        if item not in h:
            continue
        yearly = number(h, item) * times
        present.append(yearly.rename(item))
        cap = getattr(policy, cap_key)
        if math.isinf(cap) or (item == "employment_cost" and cap == 0):
            continue  # no cap; a zero employment cap means the policy allows none
        if policy.expenditure_type_only:
            yearly = yearly.where(flag(h, "expenditure_type").fillna(False).astype(bool))
        name = FIELD_BY_NAME[item]
        parts.append(
            hits(
                "households",
                ok & (yearly > cap + CENT).fillna(False),
                field=item,
                variant="item",
                recorded=yearly,
                cap=cap,
                _what_zh=name.zh,
                _what_en=name.en,
            )
        )
    gross = _num(data, "gross_income")
    deductions = _num(data, "deduction_uncapped")
    ratio = policy.total_ratio_cap
    over = ok & (deductions > ratio * gross + CENT).fillna(False) & (deductions > 0)
    if present and over.any():
        items = pd.concat(present, axis=1)
        values = items.to_numpy(dtype="float64")
        filled = np.where(np.isnan(values), -np.inf, values)
        largest = pd.Series(np.array(items.columns)[filled.argmax(axis=1)], index=h.index)
        largest = largest.where(~np.isneginf(filled.max(axis=1)))
        parts.append(
            hits(
                "households",
                over,
                field=largest,
                variant="total",
                deductions=deductions,
                gross_income=gross,
                ratio=ratio,
            )
        )
    return concat_hits(parts) if parts else no_hits()


def _no_addons(data):
    if data.policy.addons:
        return None
    return {
        "zh": "政策未规定分类施保（[[addon]]）",
        "en": "the policy defines no add-ons ([[addon]])",
    }


@rule(
    id="addon.inconsistent",
    severity="warning",
    needs=("households.addon_month", INCOME, ASSESSED),
    title={"zh": "分类施保金与成员类别不符", "en": "Add-on does not fit the members"},
    description={
        "zh": "分类施保金与成员的类别（60岁以上、未成年、重度残疾、重病）不符。"
        "花名册不列逐人的分类施保，因此比较的是全户合计与按政策应得的金额。",
        "en": "The classified add-on does not fit the members' categories (60 and over, "
        "minors, severely disabled, seriously ill). Rosters do not show per-person add-ons, "
        "so the household total is compared with what the policy gives.",
    },
    clause="policy: addon",
    message={
        "zh": "分类施保金记录为 {recorded_addon} 元/月，按政策应为 {addon_expected} 元"
        "（60岁以上 {n_elderly} 人，未成年 {n_minor} 人，重度残疾 {n_severe_disability} 人，"
        "重病 {n_serious_illness} 人；花名册不列逐人金额，只比较全户合计）",
        "en": "Add-on recorded as {recorded_addon} a month, the policy gives {addon_expected} "
        "(aged 60+: {n_elderly}, minors: {n_minor}, severely disabled: "
        "{n_severe_disability}, seriously ill: {n_serious_illness}; the roster shows no "
        "per-person add-ons, so only the household total is compared)",
    },
    skip=_no_addons,
)
def inconsistent_addon(data) -> pd.DataFrame:
    recorded = _num(data, "recorded_addon")
    expected = _num(data, "addon_expected")
    difference = recorded.fillna(0.0) - expected
    off = (difference.abs() > data.policy.income.tolerance + 1e-9).fillna(False)
    counts = {
        name: _assessed(data, name)
        for name in ("n_elderly", "n_minor", "n_severe_disability", "n_serious_illness")
    }
    return hits(
        "households",
        _entitled(data) & expected.notna() & off,
        field="addon_month",
        recorded_addon=recorded,
        addon_expected=expected,
        difference=difference.round(2),
        basis="household-total",
        **counts,
    )
