"""Dynamic management (动态管理) between two snapshots of the same rosters.

``diff_rosters(old, new, policy, as_of_old=..., as_of_new=...)`` matches the
households of an OLD and a NEW roster, says which were added (动态纳入), removed
(退出), changed or unchanged, and runs the ``change.*`` rules on the pairs.

Matching, in tiers, each a vectorised merge (no loop over rows):

1. the certificate number (低保证号) when both households have one;
2. else the head's 18-digit ID (a precision-lost, masked or invalid ID is no key);
3. else the head's name + village (the evidence says ``matched_on``).

A pair is never made on a lower tier when both households carry a usable key of a
higher tier: two different certificate numbers are two households, even with the
same head (that is how a household removed and re-entered under a new number shows,
and ``change.readded`` reports it). A key that occurs twice in one snapshot is
ambiguous: its rows are held back at that tier (they may still match on a lower,
unique key), and any that stay unmatched get the status ``ambiguous`` and a
``change.ambiguous-key`` finding instead of a guess.

Compared per matched pair: certificate number, head's name, household size and
covered persons (as the assessment uses them), gross income, recorded benefit,
category, phase-out state and start (from the assessment), and the member IDs
(only where both snapshots list member rows: a household-level sheet has none).

This module compares; ``civaudit.report.diff`` writes the result out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from civaudit.engine import AuditData, run_rules
from civaudit.errors import UsageError
from civaudit.findings import Report
from civaudit.policy.model import Policy
from civaudit.privacy import mask_ids
from civaudit.roster import Roster
from civaudit.rules import all_rules, matches
from civaudit.rules._common import ID18, NOT_A_KEY, column, household_keys, number, text

STATUSES = ("added", "removed", "changed", "unchanged", "ambiguous")
"""A household's status between OLD and NEW, in the order the counts show them."""

TIERS = ("cert_no", "head_id", "head_name+village")
"""Household keys in the order they are tried (the changes table's ``matched_on``)."""

COMPARED = (
    "cert_no",
    "head_name",
    "household_size",
    "covered",
    "gross_income",
    "benefit",
    "category",
    "phaseout",
    "phaseout_start",
    "members",
)
"""Fields compared per pair; the changes table has ``old_<field>`` and ``new_<field>``."""

PLACE = ("county", "town", "village")
"""The place columns of the changes and counts tables."""
COUNT_COLUMNS = (*PLACE, "where", "old", "new", *STATUSES)

_CENT = 0.005
_STRING = "string"


@dataclass(frozen=True, eq=False)
class ChangeData(AuditData):
    """The audit data of NEW plus what the ``change.*`` rules compare it with.

    ``households``/``members``/``assessed`` are NEW's (findings point there);
    ``old`` is OLD's audit data; ``changes`` is the table of ``diff_rosters`` with
    ``old_index``/``new_index`` into the two household tables; ``persons`` holds
    every usable person ID per household: ``side`` (old/new), ``ref`` (household
    index), ``id``, ``head``.
    """

    old: AuditData | None = None
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)
    persons: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass(frozen=True, eq=False)
class DiffResult:
    """What changed between two snapshots.

    ``changes``: one row per household (``status`` in STATUSES, ``matched_on``,
    ``key``, place, head's name, the OLD and NEW file/sheet/row, ``changed`` (the
    fields that differ), ``old_<f>``/``new_<f>`` for each compared field,
    ``members_added``/``members_removed`` (ID lists, None where not comparable),
    and ``old_index``/``new_index`` into the two household tables).
    ``counts``: per county/town/village, households in OLD and NEW and per status.
    ``report``: the ``change.*`` findings, rules run and skipped.
    """

    changes: pd.DataFrame
    counts: pd.DataFrame
    report: Report
    as_of_old: date
    as_of_new: date

    @property
    def findings(self) -> pd.DataFrame:
        return self.report.findings

    def summary(self) -> dict[str, Any]:
        """Households in OLD and NEW, the count per status, and the counts per village."""
        status = self.changes["status"].value_counts()
        side_old = self.changes["old_index"].notna()
        side_new = self.changes["new_index"].notna()
        out: dict[str, Any] = {
            "old": int(side_old.sum()),
            "new": int(side_new.sum()),
            **{s: int(status.get(s, 0)) for s in STATUSES},
        }
        out["by_village"] = [
            {k: _plain(v) for k, v in row.items()} for row in self.counts.to_dict("records")
        ]
        return out


def diff_rosters(
    old: Roster,
    new: Roster,
    policy: Policy,
    *,
    as_of_old: date,
    as_of_new: date,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    lang: str | None = None,
    mask: bool = True,
) -> DiffResult:
    """Match OLD's households with NEW's, compare them and run the ``change.*`` rules.

    Each snapshot is assessed under ``policy`` at its own date (the standard and
    phase-out periods depend on it). ``select``/``ignore`` pick among the
    ``change.*`` rules (ids or ``change``); ``mask`` masks ID numbers in the
    changes and findings, as in ``audit``.
    """
    rules = _change_rules(select, ignore)
    old_data = AuditData.from_roster(old, policy, as_of=as_of_old)
    new_data = AuditData.from_roster(new, policy, as_of=as_of_new)
    old_vals = household_values(old_data, old)
    new_vals = household_values(new_data, new)
    match = match_households(household_keys(old.households), household_keys(new.households))
    persons = pd.concat(
        [
            person_ids(old.households, old.members).assign(side="old"),
            person_ids(new.households, new.members).assign(side="new"),
        ],
        ignore_index=True,
    )
    changes = _changes(match, old_vals, new_vals, persons, mask=mask)
    shared = {f.name: getattr(new_data, f.name) for f in fields(AuditData)}
    shared["columns"] = _columns(old, new)  # A1 cells on both sides
    data = ChangeData(**shared, old=old_data, changes=changes, persons=persons)
    report = run_rules(data, select=select, ignore=ignore, lang=lang, mask=mask, rules=rules)
    counts = count_changes(changes)
    if mask:
        changes = mask_changes(changes)
    return DiffResult(
        changes=changes, counts=counts, report=report, as_of_old=as_of_old, as_of_new=as_of_new
    )


def _change_rules(select: Iterable[str], ignore: Iterable[str]) -> list:
    """The ``change.*`` rules; a selector naming no change rule is a usage error."""
    rules = [r for r in all_rules() if r.family == "change"]
    for value in (*_as_tuple(select), *_as_tuple(ignore)):
        for selector in (s.strip() for s in value.split(",") if s.strip()):
            if not any(matches(r.id, selector) for r in rules):
                raise UsageError(
                    f"{selector!r} is not a change rule: civaudit diff runs the change.* rules",
                    "`civaudit rules` lists them; check one snapshot with `civaudit audit`",
                )
    return rules


def _as_tuple(values: Iterable[str]) -> tuple[str, ...]:
    return (values,) if isinstance(values, str) else tuple(values)


def _columns(old: Roster, new: Roster) -> pd.DataFrame:
    """Both snapshots' column mappings, so a finding on either side gets its A1 cell."""
    both = pd.concat([new.columns, old.columns], ignore_index=True)
    return both.drop_duplicates(["file", "sheet", "column", "field"]).reset_index(drop=True)


# --- keys and matching ----------------------------------------------------------------


def match_households(old_keys: pd.DataFrame, new_keys: pd.DataFrame) -> pd.DataFrame:
    """Pairs and leftovers: ``old_index``, ``new_index`` (NA on the side a household is
    not on), ``status`` (matched/added/removed/ambiguous), ``matched_on`` (the tier of a
    pair, or the tier where an ambiguous household's key repeats) and ``key``."""
    free = {
        "old": pd.Series(True, index=old_keys.index),
        "new": pd.Series(True, index=new_keys.index),
    }
    keys = {"old": old_keys, "new": new_keys}
    held = {side: pd.Series(pd.NA, index=k.index, dtype=_STRING) for side, k in keys.items()}
    held_key = {side: pd.Series(pd.NA, index=k.index, dtype=_STRING) for side, k in keys.items()}
    usable: dict[str, dict[str, pd.Series]] = {"old": {}, "new": {}}
    pairs = []
    for rank, tier in enumerate(TIERS):
        current = {side: keys[side][tier].where(free[side]) for side in keys}
        repeated = pd.concat(
            [k[k.notna() & k.duplicated(keep=False)] for k in current.values()]
        ).unique()
        for side, k in current.items():
            ambiguous = k.isin(repeated).fillna(False).astype(bool) & k.notna()
            first = ambiguous & held[side].isna()
            held[side] = held[side].mask(first, tier)
            held_key[side] = held_key[side].mask(first, k)
            usable[side][tier] = (k.notna() & ~ambiguous).astype(bool)
        left = pd.DataFrame({"old_index": old_keys.index, "key": current["old"]})
        right = pd.DataFrame({"new_index": new_keys.index, "key": current["new"]})
        pair = left[usable["old"][tier].to_numpy()].merge(
            right[usable["new"][tier].to_numpy()], on="key"
        )
        for higher in TIERS[:rank]:  # both keyed on a higher tier, and not matched there
            both = (
                usable["old"][higher].reindex(pair["old_index"]).to_numpy()
                & usable["new"][higher].reindex(pair["new_index"]).to_numpy()
            )
            pair = pair[~both]
        pairs.append(pair.assign(matched_on=tier))
        free["old"].loc[pair["old_index"].to_numpy()] = False
        free["new"].loc[pair["new_index"].to_numpy()] = False

    matched = pd.concat(pairs, ignore_index=True).assign(status="matched")
    rest = []
    for side, alone in (("old", "removed"), ("new", "added")):
        k = keys[side]
        left_over = free[side]
        ambiguous = left_over & held[side].notna()
        best = k["cert_no"].fillna(k["head_id"]).fillna(k["head_name+village"])
        for mask, status in ((left_over & ~ambiguous, alone), (ambiguous, "ambiguous")):
            part = pd.DataFrame(
                {
                    f"{side}_index": k.index[mask.to_numpy()],
                    "key": (held_key[side] if status == "ambiguous" else best)[mask].to_numpy(),
                    "matched_on": held[side][mask].to_numpy() if status == "ambiguous" else None,
                    "status": status,
                }
            )
            rest.append(part)
    out = pd.concat([matched, *rest], ignore_index=True)
    for col in ("old_index", "new_index"):
        out[col] = pd.array(out[col] if col in out else [pd.NA] * len(out), dtype="Int64")
    out["key"] = out["key"].astype("object").where(out["key"].notna(), None)
    out["matched_on"] = out["matched_on"].astype("object").where(out["matched_on"].notna(), None)
    return out[["old_index", "new_index", "status", "matched_on", "key"]]


# --- values compared ------------------------------------------------------------------


def household_values(data: AuditData, roster: Roster) -> pd.DataFrame:
    """Per household (index of ``data.households``): place, where, and COMPARED fields."""
    h, a = data.households, data.assessed.reindex(data.households.index)
    start = pd.to_datetime(column(a, "phaseout_start"), errors="coerce")
    members = number(h, "member_rows").where(_listed(h, roster))
    out = pd.DataFrame(
        {
            "county": text(h, "county"),
            "town": text(h, "town"),
            "village": text(h, "village"),
            "file": text(h, "file"),
            "sheet": text(h, "sheet"),
            "row": column(h, "row").astype("Int64"),
            "cert_no": text(h, "cert_no").str.strip(),
            "head_name": text(h, "head_name"),
            "household_size": column(a, "household_size").astype("Int64"),
            "covered": column(a, "covered").astype("Int64"),
            "gross_income": number(a, "gross_income"),
            "benefit": number(a, "recorded_base"),
            "category": text(h, "category").str.strip(),
            "phaseout": column(a, "phaseout").astype("boolean"),
            "phaseout_start": start.dt.strftime("%Y-%m").astype(_STRING),
            "members": members.astype("Int64"),
        },
        index=h.index,
    )
    return out


def _listed(h: pd.DataFrame, roster: Roster) -> pd.Series:
    """Households from a sheet that lists member rows (member or block layout)."""
    kinds = pd.DataFrame(
        [(s.file, s.sheet, s.layout) for s in roster.sheets], columns=["file", "sheet", "layout"]
    ).drop_duplicates(["file", "sheet"])
    if not len(h) or "file" not in h or "sheet" not in h:
        return pd.Series(False, index=h.index)
    probe = h[["file", "sheet"]].astype("object").merge(kinds, on=["file", "sheet"], how="left")
    return pd.Series(probe["layout"].isin(["member", "block"]).to_numpy(), index=h.index)


def person_ids(households: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """Every usable person ID per household: ``ref`` (household index), ``id``, ``head``.

    Member IDs (18 characters, not blank, masked, precision-lost or invalid) plus
    the head's ID, so a household-level sheet still names its head.
    """
    frames = []
    if len(members) and "id_number" in members and "hh" in members and "hh" in households:
        refs = pd.Series(households.index, index=households["hh"].to_numpy())
        refs = refs[~refs.index.duplicated()]
        ids = text(members, "id_number").str.strip().str.upper()
        ok = ids.str.fullmatch(ID18).fillna(False).astype(bool)
        ok &= ~text(members, "id_status").isin(NOT_A_KEY).fillna(False).astype(bool)
        ok &= ~column(members, "id_numeric").astype("boolean").fillna(False).astype(bool)
        ref = members["hh"].map(refs)
        head = text(members, "role").eq("head").fillna(False).astype(bool)
        keep = ok & ref.notna()
        frames.append(
            pd.DataFrame({"ref": ref[keep], "id": ids[keep].astype("object"), "head": head[keep]})
        )
    head_id = household_keys(households)["head_id"]
    has = head_id.notna()
    frames.append(
        pd.DataFrame(
            {
                "ref": households.index[has.to_numpy()],
                "id": head_id[has].astype("object").to_numpy(),
            }
        ).assign(head=True)
    )
    out = pd.concat(frames, ignore_index=True)
    out = out.sort_values("head", ascending=False, kind="stable")
    out = out.drop_duplicates(["ref", "id"]).sort_index().reset_index(drop=True)
    out["ref"] = out["ref"].astype("int64")
    out["head"] = out["head"].astype(bool)
    return out[["ref", "id", "head"]]


def _changes(
    match: pd.DataFrame,
    old_vals: pd.DataFrame,
    new_vals: pd.DataFrame,
    persons: pd.DataFrame,
    *,
    mask: bool = False,
) -> pd.DataFrame:
    old = old_vals.reindex(match["old_index"].astype("float64")).set_axis(match.index)
    new = new_vals.reindex(match["new_index"].astype("float64")).set_axis(match.index)
    out = pd.DataFrame(index=match.index)
    out["status"] = match["status"].astype("object")
    out["matched_on"] = match["matched_on"]
    out["key"] = match["key"]
    for col in (*PLACE, "head_name"):
        out[col] = _plain_column(new[col].fillna(old[col]))
    for side, vals in (("new", new), ("old", old)):
        out[f"{side}_file"] = vals["file"].astype("object")
        out[f"{side}_sheet"] = vals["sheet"].astype("object")
        out[f"{side}_row"] = vals["row"].astype("Int64")

    added, removed = _member_changes(match, persons, old["members"], new["members"], mask=mask)
    paired = match["status"].eq("matched").to_numpy()
    differs = pd.DataFrame(index=match.index)
    for name in COMPARED:
        before, after = old[name], new[name]
        if name == "members":
            moved = (added.str.len() > 0) | (removed.str.len() > 0)
            differs[name] = _differ(before, after) | moved.fillna(False).astype(bool)
        else:
            differs[name] = _differ(before, after)
    differs = differs & paired[:, None]
    changed = differs.to_numpy()
    joined = differs.dot(differs.columns + ",") if len(out) else pd.Series(dtype="object")
    out["changed"] = joined.astype("object").str.findall(r"[^,]+")
    for name in COMPARED:
        out[f"old_{name}"] = _plain_column(old[name])
        out[f"new_{name}"] = _plain_column(new[name])
    out["members_added"] = added
    out["members_removed"] = removed
    status = np.where(
        paired, np.where(changed.any(axis=1), "changed", "unchanged"), out["status"].to_numpy()
    )
    out["status"] = status.astype(object)
    out["old_index"] = match["old_index"]
    out["new_index"] = match["new_index"]
    return _sorted(out)


def _differ(before: pd.Series, after: pd.Series) -> pd.Series:
    """Value changed: NA to a value or back counts, NA to NA does not; money to the fen."""
    known = before.notna() & after.notna()
    one_side = (before.isna() != after.isna()).astype(bool)
    if pd.api.types.is_numeric_dtype(before) and not pd.api.types.is_bool_dtype(before):
        a = pd.to_numeric(before, errors="coerce").astype("float64")
        b = pd.to_numeric(after, errors="coerce").astype("float64")
        moved = ((a - b).abs() > _CENT).fillna(False)
    else:
        moved = before.astype(_STRING).ne(after.astype(_STRING)).fillna(False)
    return (one_side | (known.fillna(False).astype(bool) & moved.astype(bool))).astype(bool)


def _member_changes(
    match: pd.DataFrame,
    persons: pd.DataFrame,
    old_listed: pd.Series,
    new_listed: pd.Series,
    *,
    mask: bool = False,
) -> tuple[pd.Series, pd.Series]:
    """Member IDs added and removed per pair (None where either side lists no members),
    masked before they are grouped into lists when ``mask``."""
    empty = pd.Series([None] * len(match), index=match.index, dtype="object")
    comparable = (match["status"].eq("matched") & old_listed.notna() & new_listed.notna()).astype(
        bool
    )
    if not comparable.any():
        return empty, empty.copy()
    pairs = pd.DataFrame(
        {
            "pair": match.index[comparable.to_numpy()],
            "old_ref": match["old_index"][comparable].astype("int64").to_numpy(),
            "new_ref": match["new_index"][comparable].astype("int64").to_numpy(),
        }
    )
    old_p, new_p = persons[persons["side"] == "old"], persons[persons["side"] == "new"]
    before = pairs.merge(old_p, left_on="old_ref", right_on="ref")[["pair", "id"]]
    after = pairs.merge(new_p, left_on="new_ref", right_on="ref")[["pair", "id"]]
    both = before.merge(after, on=["pair", "id"], how="outer", indicator=True)
    both = both.sort_values(["pair", "id"], kind="stable")
    if mask:
        both["id"] = mask_ids(both["id"].astype("string")).astype("object")
    out = []
    for side in ("right_only", "left_only"):
        lists = both[both["_merge"] == side].groupby("pair")["id"].agg(list)
        # an empty list (not a shared one) for each comparable pair without such members
        series = pd.Series([[] for _ in range(len(pairs))], index=pairs["pair"], dtype="object")
        series.loc[lists.index] = lists
        full = empty.copy()
        full.loc[series.index] = series.to_numpy()
        out.append(full)
    return out[0], out[1]


def _plain_column(values: pd.Series) -> pd.Series:
    return values.astype("object").where(values.notna(), None)


def _sorted(changes: pd.DataFrame) -> pd.DataFrame:
    """Place, then key, then the NEW and OLD rows: the same whatever the input order."""
    order = [*PLACE, "key", "status", "new_file", "new_sheet", "new_row", "old_file", "old_sheet"]
    order.append("old_row")
    keyed = changes.assign(
        **{c: changes[c].astype("object").astype(_STRING) for c in order if c.endswith("_row")}
    )
    index = keyed.sort_values(order, kind="stable", na_position="last").index
    return changes.loc[index].reset_index(drop=True)


# --- counts and masking ---------------------------------------------------------------


def count_changes(changes: pd.DataFrame) -> pd.DataFrame:
    """Per county/town/village: households in OLD and NEW, and the count per status.

    Where the roster has no village column, ``where`` names the sheet instead
    (file name and sheet), NEW's for households in NEW and OLD's for the removed.
    """
    if not len(changes):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in COUNT_COLUMNS})
    file = changes["new_file"].fillna(changes["old_file"]).astype("object")
    sheet = changes["new_sheet"].fillna(changes["old_sheet"]).astype("object")
    name = file.astype(_STRING).str.replace(r"^.*[\\/]", "", regex=True)
    where = (name + " · " + sheet.astype(_STRING)).astype("object")
    frame = changes[list(PLACE)].astype("object").copy()
    frame["where"] = where.where(changes["village"].isna(), None)
    frame["old"] = changes["old_index"].notna().astype("int64")
    frame["new"] = changes["new_index"].notna().astype("int64")
    for status in STATUSES:
        frame[status] = changes["status"].eq(status).astype("int64")
    keys = [*PLACE, "where"]
    counts = frame.fillna({k: "" for k in keys}).groupby(keys, sort=True).sum().reset_index()
    for k in keys:
        counts[k] = counts[k].where(counts[k] != "", None)
    return counts[list(COUNT_COLUMNS)]


def mask_changes(changes: pd.DataFrame) -> pd.DataFrame:
    """ID numbers in the changes table's keys and certificate numbers masked (the member
    lists are masked as they are built)."""
    out = changes.copy()
    for col in ("key", "old_cert_no", "new_cert_no"):
        out[col] = _mask_text(out[col])
    return out


def _mask_text(values: pd.Series) -> pd.Series:
    text_ = values.astype("object")
    is_text = text_.map(lambda v: isinstance(v, str))
    if not is_text.any():
        return text_
    out = text_.copy()
    out[is_text] = mask_ids(text_[is_text].astype("string")).astype("object").to_numpy()
    return out


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.integer):
        return int(value)
    return value


__all__ = [
    "COMPARED",
    "COUNT_COLUMNS",
    "PLACE",
    "STATUSES",
    "TIERS",
    "ChangeData",
    "DiffResult",
    "count_changes",
    "diff_rosters",
    "household_keys",
    "household_values",
    "mask_changes",
    "match_households",
    "person_ids",
]
