"""Phase-out (低保渐退期): households kept on for a while after their income rose.

The assessment has placed each marked household's period (``phaseout_*``
columns) and said which conditions fail (``phaseout_reason``); these rules report
them. Single-person coverage wins over a phase-out mark, as in the assessment.
"""

from __future__ import annotations

import pandas as pd

from civaudit.rules._common import column, has_code, month_text, number, split, state_ok, text
from civaudit.rules.benefit import ASSESSED, INCOME
from civaudit.rules.registry import hits, rule

MARKED = "households.phaseout_start|households.category|households.status"
"""Where a roster says a household is in phase-out (a start month, or 渐退 in a label)."""
CLAUSE = "民发〔2018〕90号"


def _a(data, name: str) -> pd.Series:
    return column(data.assessed, name).reindex(data.households.index)


def _marked(data) -> pd.Series:
    phaseout = _a(data, "phaseout").astype("boolean").fillna(False).astype(bool)
    single = _a(data, "single").astype("boolean").fillna(False).astype(bool)
    return phaseout & ~single & ~split(data)


def _reason(data, code: str) -> pd.Series:
    return _marked(data) & has_code(_a(data, "phaseout_reason"), code)


def _month(data, name: str) -> pd.Series:
    return month_text(_a(data, name))


def _day(data, name: str) -> pd.Series:
    return pd.to_datetime(_a(data, name), errors="coerce").dt.strftime("%Y-%m-%d")


def _period(data) -> dict[str, pd.Series]:
    return {
        "phaseout_start": _month(data, "phaseout_start"),
        "phaseout_end": _day(data, "phaseout_end"),
        "phaseout_months": _a(data, "phaseout_months"),
        "months_used": _a(data, "phaseout_months_used"),
    }


def _start_field(data) -> str | None:
    return "phaseout_start" if "phaseout_start" in data.households else None


@rule(
    id="phaseout.expired",
    severity="error",
    needs=(MARKED, ASSESSED),
    title={"zh": "渐退期已满仍在发放", "en": "Phase-out period over, still paid"},
    description={
        "zh": "渐退期已经结束（起始月加政策规定的月数，或政策规定的截止日），"
        "该户仍在花名册上领取。",
        "en": "The phase-out period has ended (start month plus the policy's months, or the "
        "policy's end date) and the household is still paid on the roster.",
    },
    clause=f"{CLAUSE}; policy: phaseout.months, phaseout.until",
    message={
        "zh": "渐退期自 {phaseout_start} 起，已于 {phaseout_end} 结束，核查日期 {as_of} 仍在发放",
        "en": "Phase-out from {phaseout_start} ended on {phaseout_end}; still paid at {as_of}",
    },
)
def phaseout_expired(data) -> pd.DataFrame:
    expired = _a(data, "phaseout_expired").astype("boolean").fillna(False).astype(bool)
    recorded = number(data.assessed, "recorded_base").reindex(data.households.index)
    stopped = (recorded <= 0).fillna(False)
    return hits(
        "households",
        _marked(data) & expired & ~stopped,
        field=_start_field(data),
        as_of=data.as_of.isoformat(),
        recorded_base=recorded,
        **_period(data),
    )


@rule(
    id="phaseout.too-long",
    severity="error",
    needs=(MARKED, ASSESSED),
    title={"zh": "渐退期长于政策上限", "en": "Phase-out period longer than allowed"},
    description={
        "zh": "该户的渐退期（按政策的截止日从起始月算起）长于政策允许的最长月数 max_months。",
        "en": "The household's phase-out period (from its start month to the policy's end "
        "date) is longer than the policy's max_months.",
    },
    clause=f"{CLAUSE}; policy: phaseout.max_months",
    message={
        "zh": "渐退期自 {phaseout_start} 至 {phaseout_end}，共 {phaseout_months} 个月，超过上限 "
        "{max_months} 个月",
        "en": "Phase-out from {phaseout_start} to {phaseout_end} lasts {phaseout_months} months, "
        "more than the maximum {max_months}",
    },
)
def phaseout_too_long(data) -> pd.DataFrame:
    months = number(data.assessed, "phaseout_months").reindex(data.households.index)
    limit = data.policy.phaseout.max_months
    return hits(
        "households",
        _marked(data) & (months > limit).fillna(False),
        field=_start_field(data),
        max_months=limit,
        **_period(data),
    )


@rule(
    id="phaseout.no-start",
    severity="warning",
    needs=("households.phaseout_start", "households.category|households.status", ASSESSED),
    title={"zh": "渐退户无渐退起始月", "en": "Phase-out without a start month"},
    description={
        "zh": "保障类别或状态标为渐退，但没有填写渐退起始月，无法判断渐退期是否已满。",
        "en": "The category or status says phase-out (渐退) but no start month is given, so "
        "whether the period is over cannot be told.",
    },
    clause=f"{CLAUSE}; policy: phaseout.months",
    message={
        "zh": "标为渐退（{label}），但未填写渐退起始月",
        "en": "Marked as phase-out ({label}) but no phase-out start month is given",
    },
)
def phaseout_no_start(data) -> pd.DataFrame:
    h = data.households
    start = pd.to_datetime(column(h, "phaseout_start"), errors="coerce")
    label = text(h, "category").fillna(text(h, "status"))
    return hits(
        "households",
        _marked(data) & start.isna(),
        field="phaseout_start",
        label=label,
    )


def _any_poor_only(data):
    if data.policy.phaseout.registered_poor_only:
        return None
    return {
        "zh": "政策未要求渐退户为建档立卡户（phaseout.registered_poor_only = false）",
        "en": "the policy does not limit phase-out to registered-poor households "
        "(phaseout.registered_poor_only = false)",
    }


@rule(
    id="phaseout.not-eligible",
    severity="error",
    needs=(MARKED, "households.registered_poor", ASSESSED),
    title={"zh": "渐退户不是建档立卡户", "en": "Phase-out household not registered poor"},
    description={
        "zh": "政策只允许建档立卡贫困户享受渐退期，该户标明不是建档立卡户。",
        "en": "The policy allows phase-out only for registered-poor (建档立卡) households, "
        "and this household is marked as not registered.",
    },
    clause=f"{CLAUSE}; policy: phaseout.registered_poor_only",
    message={
        "zh": "该户处于渐退期，但不是建档立卡贫困户",
        "en": "The household is in phase-out but is not a registered-poor household",
    },
    skip=_any_poor_only,
)
def phaseout_not_eligible(data) -> pd.DataFrame:
    return hits(
        "households",
        _reason(data, "not-registered-poor"),
        field="registered_poor",
        registered_poor=False,
        phaseout_start=_month(data, "phaseout_start"),
    )


def _income(data) -> dict[str, pd.Series]:
    return {
        "pc_income_month": number(data.assessed, "pc_income_month")
        .reindex(data.households.index)
        .round(2),
        "standard_month": number(data.assessed, "standard_month")
        .reindex(data.households.index)
        .round(2),
    }


@rule(
    id="phaseout.above-ceiling",
    severity="error",
    needs=(MARKED, INCOME, ASSESSED),
    title={"zh": "渐退户收入超过上限", "en": "Phase-out household above the ceiling"},
    description={
        "zh": "渐退户的月人均收入达到或超过渐退上限（默认1.5倍低保标准），应当停保。",
        "en": "The phase-out household's monthly per-capita income is at or above the "
        "phase-out ceiling (default 1.5 x the standard): it should be stopped.",
    },
    clause=f"{CLAUSE}; policy: phaseout.ceiling_multiplier",
    message={
        "zh": "渐退户月人均收入 {pc_income_month} 元，达到上限 {ceiling} 元（{multiplier} 倍标准）",
        "en": "Phase-out household's per-capita income {pc_income_month} a month is at or "
        "above the ceiling {ceiling} ({multiplier} x the standard)",
    },
)
def phaseout_above_ceiling(data) -> pd.DataFrame:
    income = _income(data)
    multiplier = data.policy.phaseout.ceiling_multiplier
    return hits(
        "households",
        _reason(data, "above-ceiling") & state_ok(data),
        ceiling=(income["standard_month"] * multiplier).round(2),
        multiplier=multiplier,
        **income,
    )


@rule(
    id="phaseout.below-standard",
    severity="info",
    needs=(MARKED, INCOME, ASSESSED),
    title={"zh": "渐退户收入低于标准", "en": "Phase-out household below the standard"},
    description={
        "zh": "标为渐退的家庭月人均收入低于低保标准：应按普通低保户核定差额补助。",
        "en": "A household marked for phase-out has per-capita income below the standard: "
        "it should be ordinary dibao, paid the gap.",
    },
    clause=f"{CLAUSE}; policy: standard",
    message={
        "zh": "渐退户月人均收入 {pc_income_month} 元低于低保标准 {standard_month} 元，"
        "应按普通低保核定",
        "en": "Phase-out household's per-capita income {pc_income_month} a month is below "
        "the standard {standard_month}: it should be ordinary dibao",
    },
)
def phaseout_below_standard(data) -> pd.DataFrame:
    return hits("households", _reason(data, "below-standard") & state_ok(data), **_income(data))
