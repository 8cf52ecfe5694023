"""Single-person coverage (单人保): one qualifying member of a poor household covered.

The assessment names the covered member (``single_member_row``) and the failing
conditions (``single_reason``); these rules report them on the member's row where
one can be named.
"""

from __future__ import annotations

import pandas as pd

from civaudit.assess import member_categories
from civaudit.rules._common import (
    after_first,
    column,
    flag,
    has_code,
    number,
    other_places,
    single_from_partial_list,
    split,
    state_ok,
    text,
)
from civaudit.rules.benefit import ASSESSED, INCOME
from civaudit.rules.registry import concat_hits, hits, no_hits, rule

MARKED = "households.coverage_mode|households.category|households.status"
"""Where a roster says 单人保 (covered_count 1 in a larger household says it too)."""
CLAUSE = "民发〔2018〕90号"

_CATEGORY_ZH = {
    "elderly": "60岁以上老人",
    "minor": "未成年人",
    "severe-disability": "重度残疾人",
    "serious-illness": "重病患者",
}
_CATEGORY_EN = {
    "elderly": "aged 60+",
    "minor": "minor",
    "severe-disability": "severely disabled",
    "serious-illness": "seriously ill",
}


def _a(data, name: str) -> pd.Series:
    return column(data.assessed, name).reindex(data.households.index)


def _single(data) -> pd.Series:
    """Single-person households, leaving out those the assessment saw only in part
    (split by a second 户主, or members missing from the list)."""
    single = _a(data, "single").astype("boolean").fillna(False).astype(bool)
    return single & ~split(data) & ~single_from_partial_list(data)


def _reason(data, code: str) -> pd.Series:
    return _single(data) & has_code(_a(data, "single_reason"), code)


def _label(h: pd.DataFrame) -> pd.Series:
    return text(h, "coverage_mode").fillna(text(h, "category")).fillna(text(h, "status"))


@rule(
    id="single.not-one",
    severity="error",
    needs=(MARKED, "households.covered_count", ASSESSED),
    title={"zh": "单人保的保障人口不为1", "en": "Single-person coverage not for one person"},
    description={
        "zh": "标为单人保的家庭，保障人口不是1。",
        "en": "A household marked for single-person coverage (单人保) does not have exactly "
        "one covered person.",
    },
    clause=f"{CLAUSE}; policy: single_person",
    message={
        "zh": "标为单人保（{label}），但保障人口为 {covered_count}（家庭人口 {household_size}）",
        "en": "Marked as single-person coverage ({label}) but {covered_count} persons are "
        "covered (household size {household_size})",
    },
)
def single_not_one(data) -> pd.DataFrame:
    h = data.households
    covered = number(h, "covered_count")
    return hits(
        "households",
        _single(data) & covered.notna() & covered.ne(1),
        field="covered_count",
        label=_label(h),
        covered_count=covered,
        household_size=_a(data, "household_size"),
    )


@rule(
    id="single.above-ceiling",
    severity="error",
    needs=(INCOME, ASSESSED),
    title={"zh": "单人保家庭收入超过上限", "en": "Single-person household above the ceiling"},
    description={
        "zh": "单人保家庭的月人均收入达到或超过单人保上限（默认1.5倍低保标准）。",
        "en": "The single-person household's monthly per-capita income is at or above the "
        "single-person ceiling (default 1.5 x the standard).",
    },
    clause=f"{CLAUSE}; policy: single_person.ceiling_multiplier",
    message={
        "zh": "单人保家庭月人均收入 {pc_income_month} 元，"
        "达到上限 {ceiling} 元（{multiplier} 倍标准）",
        "en": "Single-person household's per-capita income {pc_income_month} a month is at or "
        "above the ceiling {ceiling} ({multiplier} x the standard)",
    },
)
def single_above_ceiling(data) -> pd.DataFrame:
    pc = number(data.assessed, "pc_income_month").reindex(data.households.index)
    standard = number(data.assessed, "standard_month").reindex(data.households.index)
    multiplier = data.policy.single_person.ceiling_multiplier
    return hits(
        "households",
        _reason(data, "above-ceiling") & state_ok(data),
        pc_income_month=pc.round(2),
        standard_month=standard.round(2),
        ceiling=(standard * multiplier).round(2),
        multiplier=multiplier,
    )


def _covered_member(data, mask: pd.Series) -> tuple[pd.Series, pd.Series]:
    """For the households in ``mask``, the member index of the covered person (NA where
    none can be named), and a member-level mask of those persons."""
    h, m = data.households, data.members
    chosen = pd.Series(pd.NA, index=h.index, dtype="object")
    member_mask = pd.Series(False, index=m.index)
    if not {"hh", "row"} <= set(m) or "hh" not in h:
        return chosen, member_mask
    want = pd.DataFrame(
        {
            "hh": pd.to_numeric(h["hh"], errors="coerce").astype("Int64"),
            "row": number(data.assessed, "single_member_row").reindex(h.index).astype("Int64"),
        },
        index=h.index,
    )[mask]
    want = want.dropna()
    pool = pd.DataFrame(
        {
            "hh": pd.to_numeric(m["hh"], errors="coerce").astype("Int64"),
            "row": pd.to_numeric(m["row"], errors="coerce").astype("Int64"),
            "member": m.index,
        }
    ).drop_duplicates(["hh", "row"])
    found = want.reset_index().merge(pool, on=["hh", "row"], how="inner")
    chosen.loc[found["index"].to_numpy()] = found["member"].to_numpy()
    member_mask.loc[found["member"].to_numpy()] = True
    return chosen, member_mask


@rule(
    id="single.not-qualifying",
    severity="error",
    needs=(
        MARKED + "|households.covered_count",
        "members.disability_grade|members.illness|members.id_birth|members.birth_date|members.age",
        ASSESSED,
    ),
    title={
        "zh": "单人保对象不属于规定类别",
        "en": "Single-person coverage for a non-qualifying member",
    },
    description={
        "zh": "单人保的对象（或全家）不属于政策规定的类别"
        "（默认重度残疾：一、二级或三级智力/精神残疾；重病）。"
        "按残疾等级、病种和身份证号推算的年龄判断。",
        "en": "The covered member (or, when none is named, every member) is in none of the "
        "policy's categories (by default severe disability: grade 1 or 2, or grade 3 "
        "intellectual/mental; serious illness), judged from the disability grade, illness "
        "and the age the ID gives.",
    },
    clause=f"{CLAUSE}; policy: single_person.categories",
    message={
        "member": {
            "zh": "单人保对象{name}不属于规定类别（{categories}）",
            "en": "Single-person coverage goes to {name}, who is in none of the categories "
            "({categories})",
        },
        "household": {
            "zh": "单人保家庭中没有成员属于规定类别（{categories}）",
            "en": "No member of the single-person household is in the categories ({categories})",
        },
    },
)
def single_not_qualifying(data) -> pd.DataFrame:
    m = data.members
    bad = _reason(data, "no-qualifying-member")
    categories = data.policy.single_person.categories
    chosen, member_mask = _covered_member(data, bad)
    named = chosen.notna()
    cats = {
        "categories": ", ".join(categories),
        "_categories_zh": "、".join(_CATEGORY_ZH.get(c, c) for c in categories),
        "_categories_en": ", ".join(_CATEGORY_EN.get(c, c) for c in categories),
    }
    member_part = hits(
        "members",
        member_mask,
        field="is_covered" if "is_covered" in m else None,
        variant="member",
        disability_grade=column(m, "disability_grade"),
        disability_type=column(m, "disability_type").astype("object"),
        illness=column(m, "illness"),
        **cats,
    )
    household_part = hits("households", bad & ~named, variant="household", **cats)
    return concat_hits([member_part, household_part])


def _single_poor_only(data):
    if data.policy.single_person.registered_poor_only:
        return None
    return {
        "zh": "政策未要求单人保家庭为建档立卡户（single_person.registered_poor_only = false）",
        "en": "the policy does not limit single-person coverage to registered-poor "
        "households (single_person.registered_poor_only = false)",
    }


@rule(
    id="single.not-registered-poor",
    severity="warning",
    needs=("households.registered_poor", ASSESSED),
    title={"zh": "单人保家庭不是建档立卡户", "en": "Single-person household not registered poor"},
    description={
        "zh": "政策要求单人保家庭为建档立卡贫困户，该户标明不是。",
        "en": "The policy requires single-person coverage households to be registered poor "
        "(建档立卡), and this one is marked as not registered.",
    },
    clause=f"{CLAUSE}; policy: single_person.registered_poor_only",
    message={
        "zh": "单人保家庭不是建档立卡贫困户",
        "en": "The single-person coverage household is not a registered-poor household",
    },
    skip=_single_poor_only,
)
def single_not_registered_poor(data) -> pd.DataFrame:
    return hits(
        "households",
        _reason(data, "not-registered-poor"),
        field="registered_poor",
        registered_poor=False,
    )


@rule(
    id="single.multiple",
    severity="info",
    needs=("members.is_covered|households.cert_no|households.head_id_number", ASSESSED),
    title={"zh": "一户中有多个单人保", "en": "Several single-person cases in one household"},
    description={
        "zh": "同一家庭有两个以上单人保：多名属于规定类别的成员被标为保障对象，"
        "或同一户（证号或户主身份证号）以单人保列出不止一次。仅列出，供核实。",
        "en": "One household has two or more single-person cases: several members in the "
        "policy's categories are marked covered, or the household (certificate number or "
        "head's ID) is listed for single-person coverage more than once. Listed for review.",
    },
    clause=f"{CLAUSE}; policy: single_person",
    message={
        "members": {
            "zh": "单人保家庭中有 {qualifying} 名属于规定类别的成员被标为保障对象",
            "en": "{qualifying} members in the categories are marked covered in this "
            "single-person household",
        },
        "entries": {
            "zh": "同一户以单人保列出 {entries} 次，另见 {places}",
            "en": "The household is listed for single-person coverage {entries} times; also "
            "at {places}",
        },
    },
)
def single_multiple(data) -> pd.DataFrame:
    h, m = data.households, data.members
    single = _single(data)
    parts = []
    if "is_covered" in m and "hh" in m and "hh" in h:
        m = m[m["hh"].isin(h.loc[single, "hh"])]  # members of single-person households
        cats = member_categories(m, as_of=data.as_of)
        qualifying = pd.Series(False, index=m.index)
        for category in data.policy.single_person.categories:
            qualifying |= cats[category.replace("-", "_")].fillna(False).astype(bool)
        covered = flag(m, "is_covered").fillna(False).astype(bool)
        per_hh = (covered & qualifying).groupby(m["hh"]).sum()
        count = h["hh"].map(per_hh).fillna(0).astype("int64")
        parts.append(hits("households", single & (count >= 2), variant="members", qualifying=count))
    key = text(h, "cert_no").fillna(text(h, "head_id_number"))
    key = key.where(single)
    repeated = key.notna() & key.duplicated(keep=False)
    if repeated.any():
        sub = h[repeated]
        extra = after_first(sub, key.loc[sub.index])
        _, others = other_places(key.loc[sub.index], sub, {})
        parts.append(
            hits(
                "households",
                extra.reindex(h.index, fill_value=False),
                variant="entries",
                entries=key.map(key.value_counts()),
                _places=others,
            )
        )
    return concat_hits(parts) if parts else no_hits()
