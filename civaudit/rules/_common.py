"""Small vectorised helpers the rule families share."""

from __future__ import annotations

import weakref
from datetime import date

import numpy as np
import pandas as pd

from civaudit.schema import FIELDS

STRING = pd.StringDtype("pyarrow")
UNKNOWN = "?"


def column(frame: pd.DataFrame, name: str, dtype: str = "object") -> pd.Series:
    """``frame[name]``, or an all-NA Series when the roster has no such column."""
    if name in frame:
        return frame[name]
    return pd.Series(pd.NA, index=frame.index, dtype=dtype)


def number(frame: pd.DataFrame, name: str) -> pd.Series:
    """A numeric column as float64 (NaN for NA or absent)."""
    if name not in frame:
        return pd.Series(np.nan, index=frame.index, dtype="float64")
    return pd.to_numeric(frame[name], errors="coerce").astype("float64")


def flag(frame: pd.DataFrame, name: str) -> pd.Series:
    """A yes/no column as nullable boolean (NA for unknown or absent)."""
    if name not in frame:
        return pd.Series(pd.NA, index=frame.index, dtype="boolean")
    return frame[name].astype("boolean")


def text(frame: pd.DataFrame, name: str) -> pd.Series:
    """A text column as pandas string dtype (NA for blank or absent)."""
    return column(frame, name).astype(STRING)


def month_text(values: pd.Series) -> pd.Series:
    """Dates as 'YYYY-MM' for messages (NA where not a date)."""
    return pd.to_datetime(values, errors="coerce").dt.strftime("%Y-%m")


def has_code(reasons: pd.Series, code: str) -> pd.Series:
    """True where a comma-joined reason column (the assessment's ``*_reason``) holds ``code``."""
    text_ = reasons.astype("object").astype("string")
    return text_.str.contains(code, regex=False).fillna(False).astype(bool)


def days(frame: pd.DataFrame, name: str) -> pd.Series:
    """A date column as datetime64 (NaT for NA or absent)."""
    if name not in frame:
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    return pd.to_datetime(frame[name], errors="coerce")


def masked_only(data) -> dict[str, str] | None:
    """Why an ID check cannot run: every ID number on the roster is masked (a publicity
    list, 公示), so there is nothing to check or compare; None when some ID is not.
    Counted once per run (several rules ask)."""
    return _cached(data, "masked-only", _masked_only)


def _masked_only(data) -> dict[str, str] | None:
    # the run's ID statuses (``AuditData.facts``): the whole run's when this is a shard
    if data.facts.id_statuses - {"blank"} != {"masked"}:
        return None
    return {
        "zh": "花名册的身份证号全部脱敏（公示名单），无法校验或比对",
        "en": "every ID number on the roster is masked (a publicity list): nothing to check "
        "or compare",
    }


def state_ok(data) -> pd.Series:
    """Households whose assessment can be trusted for income and benefit findings.

    The assessment must have judged them (``state == 'ok'``), and not on a partial
    picture: not a household split by a second 户主 (``household.head`` reports
    it), not one with an unreadable amount or count (``data.unparsed`` reports the
    cell; the assessment may have fallen back on another column), not one taken
    for single-person coverage only because some of its members are not listed.
    """
    state = column(data.assessed, "state").astype(STRING)
    ok = state.eq("ok").fillna(False).astype(bool).reindex(data.households.index, fill_value=False)
    return (
        ok
        & ~split(data)
        & ~unparsed_amounts(data)
        & ~single_from_partial_list(data)
        & ~repeats_disagree(data)
    )


def age_at(birth: pd.Series, as_of: date) -> pd.Series:
    """Completed years at ``as_of`` (NaN where the birth date is unknown)."""
    birth = pd.to_datetime(birth, errors="coerce")
    year, month, day = birth.dt.year, birth.dt.month, birth.dt.day
    before = (month > as_of.month) | ((month == as_of.month) & (day > as_of.day))
    return (as_of.year - year - before.astype("float64")).astype("float64")


def birth_and_age(members: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Best-known birth date and age per member, and the field they come from.

    The ID's birth date wins (it is checked), then the 出生日期 column, then the
    recorded 年龄; ``source`` is that field, for the cell a finding points at.
    """
    from_id = days(members, "id_birth")
    recorded = days(members, "birth_date")
    birth = from_id.fillna(recorded)
    age = age_at(birth, as_of)
    recorded_age = number(members, "age")
    age = age.fillna(recorded_age)
    source = pd.Series(
        np.where(
            from_id.notna(),
            "id_number",
            np.where(recorded.notna(), "birth_date", np.where(recorded_age.notna(), "age", None)),
        ),
        index=members.index,
        dtype="object",
    )
    return pd.DataFrame({"birth": birth, "age": age, "source": source}, index=members.index)


def shown_id(members: pd.DataFrame) -> pd.Series:
    """The ID as the cell shows it (before 15 -> 18 conversion), else the normal form."""
    return text(members, "id_original").fillna(text(members, "id_number"))


def places(frame: pd.DataFrame) -> pd.Series:
    """``file: sheet!row`` for each row, to name the other places of a duplicate."""
    file = text(frame, "file").fillna(UNKNOWN)
    sheet = text(frame, "sheet").fillna(UNKNOWN)
    row = column(frame, "row").astype("Int64").astype(STRING).fillna(UNKNOWN)
    return (file + ": " + sheet + "!" + row).astype("object")


def place_records(frame: pd.DataFrame) -> pd.DataFrame:
    """file, sheet, row as plain columns (for evidence naming other places)."""
    return pd.DataFrame(
        {
            "file": column(frame, "file").astype("object"),
            "sheet": column(frame, "sheet").astype("object"),
            "row": column(frame, "row").astype("Int64"),
        },
        index=frame.index,
    )


def other_places(group_key: pd.Series, frame: pd.DataFrame, extra_cols: dict[str, pd.Series]):
    """For each row of ``frame`` (a duplicate group member), the other rows of its group
    as a list of {file, sheet, row, ...} records, plus their text for the message
    (``sheet!row`` in the same file, ``file: sheet!row`` in another)."""
    records = place_records(frame)
    for name, values in extra_cols.items():
        records[name] = values.astype("object").where(values.notna(), None)
    cols = list(records.columns)
    records["_key"] = group_key
    records["_self"] = frame.index
    left = records[["_key", "_self"]].assign(_self_file=records["file"])
    pairs = left.merge(records, on="_key", suffixes=("", "_other"))
    pairs = pairs[pairs["_self"] != pairs["_self_other"]]
    pairs["_record"] = pairs[cols].astype("object").to_dict("records")
    short = places(pairs.assign(file="")).str.removeprefix(": ")
    same_file = pairs["file"].astype("object").eq(pairs["_self_file"]).fillna(False)
    pairs["_place"] = short.where(same_file.astype(bool), places(pairs))
    grouped = pairs.groupby("_self", sort=False)
    others = grouped["_record"].agg(list).reindex(frame.index)
    text_ = grouped["_place"].agg("; ".join).reindex(frame.index)
    return others, text_


def after_first(frame: pd.DataFrame, key: pd.Series) -> pd.Series:
    """True for every occurrence of ``key`` after the first in file, sheet, row order."""
    order = place_records(frame).assign(_key=key)
    order = order.sort_values(["file", "sheet", "row"], kind="stable", na_position="last")
    rank = order.groupby("_key", sort=False).cumcount()
    return (rank > 0).reindex(frame.index)


_HOUSEHOLD_FIELDS = tuple(
    f.name
    for f in FIELDS
    if f.level == "household" and f.name not in ("head_name", "head_id", "seq")
)
"""Household cells a block's own rows would hold (序号 may number every member row,
and the head's name and ID may come from the member rows)."""


def continued(h: pd.DataFrame) -> pd.Series:
    """Households that are the rest of the previous one, split off at a second 户主.

    Same file and sheet as the household before it (row order), starting at a head
    row, and either sharing its household key (member layout: the 户主身份证号 or
    证号 repeated) or holding no household cell at all where the previous one does
    (block layout: the merged cells belong to the previous block).
    """
    heads = number(h, "heads")
    if not len(h) or heads.isna().all():
        return pd.Series(False, index=h.index)
    cols = [c if c != "head_id" else "head_id_number" for c in _HOUSEHOLD_FIELDS if c in h]
    wanted = ["file", "sheet", "row", "heads", "cert_no", "head_id_number", "head_id_status"]
    s = h[list(dict.fromkeys(c for c in [*wanted, *cols] if c in h))]
    s = s.loc[_row_order(s)]
    same_sheet = (
        text(s, "file").eq(text(s, "file").shift()) & text(s, "sheet").eq(text(s, "sheet").shift())
    ).fillna(False)
    starts_at_head = (number(s, "heads") >= 1).fillna(False)
    same_key = pd.Series(False, index=s.index)
    keys = ["cert_no", "head_id_number"] if "head_id_status" in s else ["cert_no"]
    for name in keys:  # head_id_number counts only from a 户主身份证号 column
        key = text(s, name)
        same_key |= (key.notna() & key.eq(key.shift())).fillna(False).astype(bool)
    if cols:
        present = s[cols].notna().any(axis=1)
        empty_after_full = ~present & present.shift(fill_value=False)
    else:
        empty_after_full = pd.Series(False, index=s.index)
    out = same_sheet & starts_at_head & (same_key | empty_after_full)
    return out.astype(bool).reindex(h.index)


def groups(h: pd.DataFrame) -> pd.Series:
    """Per household, the label of the household it belongs to (itself unless continued)."""
    if not len(h):
        return pd.Series([], index=h.index, dtype="object")
    cont = continued(h)
    order = _row_order(h)
    owner = pd.Series(order, index=order, dtype="object").where(~cont.loc[order])
    owner = owner.ffill().reindex(h.index)
    if pd.api.types.is_integer_dtype(h.index):  # integer labels group and map fastest
        return owner.astype("int64")
    return owner


def _row_order(frame: pd.DataFrame) -> pd.Index:
    """The index in file, sheet, row order (table order for what is missing)."""
    keys = [c for c in ("file", "sheet", "row") if c in frame]
    if not keys:
        return frame.index
    return frame[keys].sort_values(keys, kind="stable", na_position="last").index


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _cached(data, name: str, compute) -> pd.Series:
    """Per-``AuditData`` memo: several rules ask the same question of one run."""
    store = _CACHE.setdefault(data, {})
    if name not in store:
        store[name] = compute(data)
    return store[name]


def ages(data) -> pd.DataFrame:
    """``birth_and_age`` of the run's members, worked out once per run."""
    return _cached(data, "ages", lambda data: birth_and_age(data.members, data.as_of))


def owners(data) -> pd.Series:
    """``groups`` of the run's households, worked out once per run."""
    return _cached(data, "owners", lambda data: groups(data.households))


def split(data) -> pd.Series:
    """Households that are part of a split household (the first part or the rest)."""

    def compute(data):
        h = data.households
        if not len(h):
            return pd.Series(False, index=h.index)
        owner = owners(data)
        return (owner.map(owner.value_counts()) > 1).fillna(False).astype(bool)

    return _cached(data, "split", compute)


_AMOUNT_KINDS = ("money", "count")


def unparsed_amounts(data) -> pd.Series:
    """Households with an unreadable household-level amount or count (on their row)."""

    def compute(data):
        h, i = data.households, data.issues
        out = pd.Series(False, index=h.index)
        keys = ["file", "sheet", "row"]
        if not len(h) or not len(i) or not set(keys) <= set(h) or not {*keys, "field"} <= set(i):
            return out
        kinds = {f.name for f in FIELDS if f.level == "household" and f.kind in _AMOUNT_KINDS}
        bad = i[text(i, "issue").eq("unparsed").fillna(False) & i["field"].isin(kinds)]
        if not len(bad):
            return out
        probe = bad[keys].astype({"row": "Int64"}).drop_duplicates()
        rows = h[keys].astype({"row": "Int64"}).reset_index()
        hit = rows.merge(probe, on=keys, how="inner")["index"]
        out.loc[hit.to_numpy()] = True
        return out

    return _cached(data, "unparsed", compute)


def repeat_cells(data) -> pd.DataFrame:
    """The loader's "inconsistent-repeat" cells (a household field repeated on member rows
    with another value than the one read), each with the household (index of
    ``data.households``) whose member row holds it: columns of ``issues`` + ``household_at``."""

    def compute(data):
        i = data.issues
        keys = ["file", "sheet", "row"]
        empty = pd.DataFrame(columns=[*i.columns, "household_at"])
        if not len(i) or "issue" not in i or not set(keys) <= set(i):
            return empty
        cells = i[text(i, "issue").eq("inconsistent-repeat").fillna(False).to_numpy(dtype=bool)]
        m, h = data.members, data.households
        if not len(cells) or not {*keys, "hh"} <= set(m) or "hh" not in h:
            return empty
        rows = m[[*keys, "hh"]].astype({"row": "Int64"}).drop_duplicates(keys)
        found = cells[keys].astype({"row": "Int64"}).merge(rows, on=keys, how="left")
        at = pd.Series(h.index, index=h["hh"].to_numpy())
        at = at[~at.index.duplicated()]
        out = cells.copy()
        out["household_at"] = found["hh"].map(at).to_numpy()
        return out[out["household_at"].notna()]

    return _cached(data, "repeats", compute)


def repeats_disagree(data) -> pd.Series:
    """Households whose member rows repeat an amount or count with different values: the
    one read is a guess, so no income or benefit finding rests on it."""
    h = data.households
    cells = repeat_cells(data)
    kinds = {f.name for f in FIELDS if f.level == "household" and f.kind in _AMOUNT_KINDS}
    bad = cells.loc[cells["field"].isin(kinds), "household_at"] if len(cells) else []
    return pd.Series(h.index.isin(pd.Index(bad)), index=h.index)


def single_from_partial_list(data) -> pd.Series:
    """Households the assessment took for single-person coverage only because one listed
    member is marked covered while members are missing from the list: nothing in the
    roster says 单人 and the covered count is not 1."""

    def compute(data):
        h = data.households
        single = column(data.assessed, "single").reindex(h.index)
        single = single.astype("boolean").fillna(False).astype(bool)
        said = pd.Series(False, index=h.index)
        for name in ("coverage_mode", "category", "status"):
            said |= text(h, name).str.contains("单人", regex=False).fillna(False).astype(bool)
        said |= (number(h, "covered_count") == 1).fillna(False)
        partial = (number(h, "member_rows") < number(h, "household_size")).fillna(False)
        return single & ~said & partial

    return _cached(data, "partial", compute)


# --- household keys: the snapshot matching (civaudit.diff) and change.* share them -----

ID18 = r"\d{17}[\dX]"
"""An 18-character ID number's shape."""
NOT_A_KEY = ("blank", "masked", "precision-lost", "invalid")
"""ID statuses that cannot key a household or a person across snapshots."""


def household_keys(households: pd.DataFrame) -> pd.DataFrame:
    """Per household, its key in each tier (NA where it has none)."""
    h = households
    cert = text(h, "cert_no").str.strip().astype("string")
    cert = cert.where(cert.str.len() > 0)
    head_id = text(h, "head_id_number").str.strip().str.upper().astype("string")
    usable = head_id.str.fullmatch(ID18).fillna(False).astype(bool)
    usable &= ~text(h, "head_id_status").isin(NOT_A_KEY).fillna(False).astype(bool)
    usable &= ~column(h, "head_id_numeric").astype("boolean").fillna(False).astype(bool)
    name = text(h, "head_name").str.replace(r"\s+", "", regex=True).astype("string")
    village = text(h, "village").str.strip().astype("string")
    by_name = (name + "@" + village).where((name.str.len() > 0) & (village.str.len() > 0))
    return pd.DataFrame(
        {"cert_no": cert, "head_id": head_id.where(usable), "head_name+village": by_name},
        index=h.index,
    ).astype("string")
