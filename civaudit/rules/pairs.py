"""The information system's export pairs: households and members that do not join.

The system exports a roster as a household file and a person file; ``io.pairs``
joins them after loading and marks what did not join (``pair``). A member whose
household is missing from the household file, or a household none of whose members
is in the person file, means one of the two exports is incomplete or out of date,
and the household cannot be checked as a whole.
"""

from __future__ import annotations

import pandas as pd

from civaudit.rules._common import column, text
from civaudit.rules.registry import hits, rule

CLAUSE = "系统导出家庭表与人员表一致性 / household and person exports agree"


def _joined_by(data, field: str) -> pd.Series:
    """A household column for each member, looked up by its ``hh``."""
    h, m = data.households, data.members
    if "hh" not in h or "hh" not in m:
        return pd.Series(pd.NA, index=m.index, dtype="object")
    values = column(h, field).set_axis(h["hh"].to_numpy())
    values = values[~values.index.duplicated()]
    return m["hh"].map(values)


@rule(
    id="roster.member-without-household",
    severity="error",
    needs=("members.pair",),
    title={"zh": "人员表中的成员在家庭表中无对应家庭", "en": "Member with no household"},
    description={
        "zh": "系统导出的人员表中有此人，但家庭表中没有其户主身份证号（或低保证号）对应的家庭。",
        "en": "The person export lists this member, but the household export has no household "
        "with the member's head ID (or certificate number).",
    },
    clause=CLAUSE,
    message={
        "zh": "{name}在人员表中，户主身份证号 {head_id} 在家庭表中找不到对应家庭",
        "en": "{name} is in the person export, but the household export has no household "
        "with head ID {head_id}",
    },
)
def member_without_household(data) -> pd.DataFrame:
    m = data.members
    orphan = text(m, "pair").eq("no-household")
    return hits(
        "members",
        orphan,
        field="id_number",
        head_id=_joined_by(data, "head_id_number"),
        cert_no=_joined_by(data, "cert_no"),
    )


@rule(
    id="roster.household-without-members",
    severity="error",
    needs=("households.pair",),
    title={"zh": "家庭表中的家庭在人员表中无成员", "en": "Household with no members"},
    description={
        "zh": "系统导出的家庭表中有此户，但人员表中没有一名成员属于该户"
        "（按户主身份证号或低保证号）。",
        "en": "The household export lists this household, but no member of the person export "
        "belongs to it (by the head's ID or the certificate number).",
    },
    clause=CLAUSE,
    message={
        "zh": "户主{name}（身份证号 {head_id}）的家庭在人员表中没有成员",
        "en": "The household of {name} (head ID {head_id}) has no members in the person export",
    },
)
def household_without_members(data) -> pd.DataFrame:
    h = data.households
    alone = text(h, "pair").eq("no-members")
    return hits(
        "households",
        alone,
        field="head_id_number",
        head_id=column(h, "head_id_number"),
        household_size=column(h, "household_size"),
    )


@rule(
    id="household.head-mismatch",
    severity="error",
    needs=("households.pair_head_id", "households.head_id_number"),
    title={"zh": "家庭表与人员表的户主不一致", "en": "Head differs between the two exports"},
    description={
        "zh": "同一低保证号，人员表中的户主身份证号与家庭表中的户主身份证号不同。",
        "en": "For the same certificate number, the person export gives a different head ID "
        "from the household export.",
    },
    clause=CLAUSE,
    message={
        "zh": "低保证号 {cert_no}：家庭表的户主身份证号为 {head_id}，人员表为 {listed_head_id}"
        "（{listed_place}）",
        "en": "Certificate {cert_no}: the household export gives head ID {head_id}, the person "
        "export {listed_head_id} ({listed_place})",
    },
)
def head_mismatch(data) -> pd.DataFrame:
    h = data.households
    own, listed = text(h, "head_id_number"), text(h, "pair_head_id")
    differ = (own.notna() & listed.notna() & own.ne(listed)).fillna(False).astype(bool)
    place = (
        text(h, "pair_file").fillna("?")
        + ": "
        + text(h, "pair_sheet").fillna("?")
        + "!"
        + column(h, "pair_row").astype("Int64").astype("string").fillna("?")
    )
    return hits(
        "households",
        differ,
        field="head_id_number",
        cert_no=column(h, "cert_no"),
        head_id=own,
        listed_head_id=listed,
        listed_head_name=column(h, "pair_head_name"),
        listed_place=place.astype("object"),
    )
