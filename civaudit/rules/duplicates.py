"""Duplicates over the combined tables: one person listed twice, one account paid twice.

These are the cross-file checks (STYLE principle 7): they read every file's rows
at once. The first occurrence (file, sheet, row order) is taken as the listing
and every further one is a finding that names all the other places.
"""

from __future__ import annotations

import pandas as pd

from civaudit.rules._common import (
    after_first,
    column,
    other_places,
    place_records,
    places,
    text,
)
from civaudit.rules.registry import hits, no_hits, rule

COMPARABLE_IDS = ("valid", "checksum")
"""ID statuses compared for duplicates. Blank, masked and invalid IDs cannot be
compared; a precision-lost ID has lost its last digits, so two different people
(twins, say) can share what is left."""


@rule(
    id="dup.person",
    severity="error",
    needs=("members.id_number", "members.id_status"),
    title={"zh": "同一人重复享受", "en": "Same person listed more than once"},
    description={
        "zh": "同一身份证号（按18位号码比较）在花名册中出现不止一次："
        "同一花名册内，或跨文件、村、乡镇、城乡。第一次出现之后的每一处各报一条。",
        "en": "The same ID number (compared in its 18-digit form) appears more than once: "
        "within a roster or across files, villages, towns, urban and rural rosters. Each "
        "occurrence after the first is a finding.",
    },
    clause="GB 11643-1999; 国务院令第649号（社会救助暂行办法）",
    message={
        "zh": "身份证号 {id_number} 共出现 {count} 次，另见 {places}",
        "en": "ID number {id_number} appears {count} times; also at {places}",
    },
)
def duplicate_person(data) -> pd.DataFrame:
    m = data.members
    status = m["id_status"].astype("object")
    ids = text(m, "id_number").where(status.isin(COMPARABLE_IDS))
    dup = ids.notna() & ids.duplicated(keep=False)
    if not dup.any():
        return no_hits()
    sub = m.loc[dup[dup].index]
    key = ids.loc[sub.index]
    extra = after_first(sub, key)
    others, where = other_places(key, sub, {"name": column(sub, "name")})
    count = key.map(key.value_counts())
    return hits(
        "members",
        extra,
        field="id_number",
        id_number=key,
        count=count,
        others=others,
        _places=where,
    )


def _accounts(h: pd.DataFrame) -> pd.Series:
    """Accounts compared without spaces and dashes; blanks and texts with no digit
    (无, 现金, a dash) are not accounts."""
    raw = text(h, "bank_account")
    clean = raw.str.replace(r"[\s\-－—]", "", regex=True)
    return clean.where(clean.str.contains(r"\d", regex=True).fillna(False).astype(bool))


@rule(
    id="dup.bank-account",
    severity="error",
    needs=("households.bank_account",),
    title={"zh": "多户共用一个银行账号", "en": "One bank account for several households"},
    description={
        "zh": "同一银行账号用于不同家庭（代领、冒领的迹象）。第一户之外的每一户各报一条。",
        "en": "One bank account receives the benefit of different households (a sign of "
        "collection by someone else). Each household after the first is a finding.",
    },
    clause="国务院令第649号（社会救助暂行办法）",
    message={
        "zh": "银行账号 {bank_account} 共用于 {households} 户，另见 {places}",
        "en": "Bank account {bank_account} is used by {households} households; also at {places}",
    },
)
def shared_account(data) -> pd.DataFrame:
    h = data.households
    account = _accounts(h)
    household = text(h, "household").fillna(places(h).astype("string"))
    pair = pd.DataFrame({"account": account, "household": household}, index=h.index)
    pair = pair[pair["account"].notna()]
    # one row per (account, household): the same household listed twice is dup.person's
    first = place_records(h.loc[pair.index]).join(pair)
    first = first.sort_values(["file", "sheet", "row"], kind="stable", na_position="last")
    first = first.drop_duplicates(["account", "household"])
    shared = first["account"].duplicated(keep=False)
    if not shared.any():
        return no_hits()
    sub = h.loc[first.index[shared.to_numpy()]]
    key = account.loc[sub.index]
    extra = after_first(sub, key)
    others, where = other_places(key, sub, {"head_name": column(sub, "head_name")})
    count = key.map(key.value_counts())
    return hits(
        "households",
        extra,
        field="bank_account",
        bank_account=text(h, "bank_account"),
        households=count,
        others=others,
        _places=where,
    )
