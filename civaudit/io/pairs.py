"""Join the information system's export pairs: a household file and a person file.

The national dibao information system exports a roster as two tables: households
(农村低保家庭查询_*.xlsx: 户主身份证号, 家庭人口, the amounts, no member columns)
and persons (农村低保人员查询_*.xlsx: 姓名, 身份证号, 户主身份证号, 与户主关系 ...).
Each file is loaded on its own like any roster, the household file as one row per
household and the person file as one row per member. This step runs afterwards,
over the combined tables of all inputs (a cross-file step, kept apart from the
per-file work so that files load in parallel), and makes the two one roster:

- Which sheets pair is read from their columns, never from file names or order: a
  household sheet is one row per household with a 户主身份证号 column and no member
  column (a cell listing the members is allowed); a member sheet has one row per
  member and a 户主身份证号 column, no household count, and no household amount
  unless it has each member's ID and relation too (the person export repeats
  户月保障金额 on every member row; a village roster has 家庭人口 besides).
- Members join households on the certificate number (低保证号) where both sides
  have one, else on the head's ID number (a valid or checksum-damaged 18-digit ID;
  blank, masked and number-damaged IDs join nothing).
- Several household files and person files (several villages) pair by the join
  itself: a household sheet and a member sheet are linked when at least half of the
  households of one of them join the other, so a standalone village roster that
  shares a person or two with another village is never taken for a pair.
- Within linked sheets, a member whose household is missing and a household with no
  members are marked (``pair`` = 'no-household' / 'no-members') for the rules
  ``roster.member-without-household`` and ``roster.household-without-members``;
  joined rows are 'joined'. ``pair_head_id`` keeps the person file's 户主身份证号
  for ``household.head-mismatch``.

Every value keeps pointing to its own file and row: households keep the household
file's file, sheet and row; members the person file's. A household value the
household file lacks is taken from the person file (是否建档立卡扶贫对象, say).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from civaudit.schema import FIELD_BY_NAME

LINK_SHARE = 0.5
"""A household sheet and a member sheet pair when at least this share of the
households of one of them join the other."""

JOINABLE_IDS = ("valid", "checksum")
"""Head ID states that join: an 18-digit ID, its check character right or not."""

_MEMBER_FIELDS = frozenset(f.name for f in FIELD_BY_NAME.values() if f.level == "member")
_HOUSEHOLD_AMOUNTS = frozenset(
    f.name
    for f in FIELD_BY_NAME.values()
    if f.level == "household" and f.kind in ("money", "count")
)
_HOUSEHOLD_COUNTS = frozenset(f for f in _HOUSEHOLD_AMOUNTS if FIELD_BY_NAME[f].kind == "count")
_KEEP = frozenset({"file", "sheet", "row", "hh", "household", "member_rows", "heads", "scheme"})
_KEEP |= {"seq", "pair", "pair_head_id", "pair_head_name", "pair_file", "pair_sheet", "pair_row"}
_SEP = "\x1f"
_KEY_COLUMNS = ("file", "sheet", "row", "hh", "cert_no", "head_id_number", "head_id_status")


@dataclass(frozen=True)
class PairLink:
    """Members of one member sheet joined to households of one household sheet."""

    household_file: str
    household_sheet: str
    member_file: str
    member_sheet: str
    households: int
    members: int


@dataclass(frozen=True)
class PairSide:
    """One sheet of a pair: its households (household sheet) or members (member sheet)
    and how many of them joined the other side."""

    file: str
    sheet: str
    role: str  # "households" | "members"
    total: int
    joined: int

    @property
    def unjoined(self) -> int:
        return self.total - self.joined


@dataclass(frozen=True)
class Pairing:
    """What the join did: the linked sheets and, per sheet, how many rows joined."""

    links: tuple[PairLink, ...]
    sides: tuple[PairSide, ...]
    head_mismatches: int = 0

    def for_file(self, path: str) -> list[PairSide]:
        return [s for s in self.sides if s.file == path]

    def links_of(self, side: PairSide) -> list[PairLink]:
        if side.role == "households":
            return [
                k
                for k in self.links
                if (k.household_file, k.household_sheet) == (side.file, side.sheet)
            ]
        return [k for k in self.links if (k.member_file, k.member_sheet) == (side.file, side.sheet)]


def household_sheet(report) -> bool:
    """One row per household, a 户主身份证号 column, no member column; its members may be
    listed in one cell (家庭成员姓名 | 家庭成员身份证号, as the system's household export
    has them: ``io.members`` spread them, and the person file's rows replace them)."""
    fields = {c.field for c in report.columns if c.field and c.how in ("alias", "user")}
    return (
        report.layout in ("household", "list")
        and "head_id" in fields
        and not fields & _MEMBER_FIELDS
    )


def member_sheet(report) -> bool:
    """One row per member (or household blocks) with a 户主身份证号 column, and either
    none of the household counts and amounts, or each member's relation to the head
    beside them: the system's person export repeats the household's 户月保障金额 on
    every member row, but no household size (a village roster complete in itself has
    家庭人口 or 保障人口)."""
    fields = {c.field for c in report.columns if c.field and c.how in ("alias", "user")}
    return (
        report.layout in ("member", "block")
        and "head_id" in fields
        and not fields & _HOUSEHOLD_COUNTS
        and (not fields & _HOUSEHOLD_AMOUNTS or {"id_number", "relation"} <= fields)
    )


def pair_exports(
    households: pd.DataFrame, members: pd.DataFrame, sheets: Iterable
) -> tuple[pd.DataFrame, pd.DataFrame, Pairing | None]:
    """Households and members with the export pairs among them joined.

    Returns the tables unchanged and None when no household sheet and member sheet
    of the inputs join.
    """
    sheets = list(sheets)
    h_sheets = {_key(s.file, s.sheet) for s in sheets if household_sheet(s)}
    m_sheets = {_key(s.file, s.sheet) for s in sheets if member_sheet(s)}
    if not h_sheets or not m_sheets or not len(households):
        return households, members, None
    where = _where(households)
    keys = [c for c in _KEY_COLUMNS if c in households]
    H = households.loc[where.isin(h_sheets).to_numpy(), keys].assign(_where=where)
    M = households.loc[where.isin(m_sheets).to_numpy(), keys].assign(_where=where)
    found = _candidates(H, M)
    if not len(found):
        return households, members, None
    found, linked = _link(found, H, M)
    if not len(found):
        return households, members, None
    return _join(households, members, where, M, found, linked)


def _key(file, sheet) -> str:
    return f"{file}{_SEP}{sheet}"


def _where(frame: pd.DataFrame) -> pd.Series:
    return frame["file"].astype(str) + _SEP + frame["sheet"].astype(str)


def _id_key(frame: pd.DataFrame) -> pd.Series:
    if "head_id_number" not in frame or "head_id_status" not in frame:
        return pd.Series(pd.NA, index=frame.index, dtype="string")
    ok = frame["head_id_status"].astype("object").isin(JOINABLE_IDS).to_numpy()
    return frame["head_id_number"].astype("string").where(ok)


def _cert_key(frame: pd.DataFrame) -> pd.Series:
    if "cert_no" not in frame:
        return pd.Series(pd.NA, index=frame.index, dtype="string")
    cert = frame["cert_no"].astype("string").str.replace(r"\s+", "", regex=True)
    return cert.where(cert.str.len() > 0)


def _candidates(H: pd.DataFrame, M: pd.DataFrame) -> pd.DataFrame:
    """Every (person-file household m, household h) the keys join: the certificate
    where both have one, else the head's ID. Columns m, h (index labels), by."""
    parts = []
    h_cert, m_cert = _cert_key(H), _cert_key(M)
    left = pd.DataFrame({"m": M.index, "k": m_cert.to_numpy()}).dropna(subset=["k"])
    right = pd.DataFrame({"h": H.index, "k": h_cert.to_numpy()}).dropna(subset=["k"])
    by_cert = left.merge(right, on="k")[["m", "h"]].assign(by="cert")
    parts.append(by_cert)
    rest = ~M.index.isin(by_cert["m"])
    left = pd.DataFrame({"m": M.index[rest], "k": _id_key(M).to_numpy()[rest]}).dropna(subset=["k"])
    right = pd.DataFrame({"h": H.index, "k": _id_key(H).to_numpy()}).dropna(subset=["k"])
    parts.append(left.merge(right, on="k")[["m", "h"]].assign(by="id"))
    return pd.concat(parts, ignore_index=True)


def _link(
    found: pd.DataFrame, H: pd.DataFrame, M: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep the candidates between linked sheets, one household per m."""
    found = found.assign(
        hs=H["_where"].loc[found["h"]].to_numpy(), ms=M["_where"].loc[found["m"]].to_numpy()
    )
    n_h = H["_where"].value_counts()
    n_m = M["_where"].value_counts()
    strength = found.groupby(["hs", "ms"]).agg(dh=("h", "nunique"), dm=("m", "nunique"))
    strength = strength.reset_index()
    share_h = strength["dh"] / strength["hs"].map(n_h).to_numpy()
    share_m = strength["dm"] / strength["ms"].map(n_m).to_numpy()
    strength["share"] = np.maximum(share_h.to_numpy(), share_m.to_numpy())
    linked = strength[strength["share"] >= LINK_SHARE]
    found = found.merge(linked[["hs", "ms", "share"]], on=["hs", "ms"], how="inner")
    if not len(found):
        return found, linked
    # one household per m: the certificate over the ID, the stronger sheet link, then
    # the household's own place (ties only where a key repeats)
    place = H[["file", "sheet", "row"]].astype({"file": str, "sheet": str})
    found = found.join(place, on="h")
    found["by_id"] = found["by"] == "id"
    found = found.sort_values(
        ["m", "by_id", "share", "file", "sheet", "row"],
        ascending=[True, True, False, True, True, True],
        kind="stable",
    )
    found = found.drop_duplicates("m")[["m", "h", "by", "hs", "ms"]].reset_index(drop=True)
    return found, linked


def _join(
    households: pd.DataFrame,
    members: pd.DataFrame,
    where: pd.Series,
    M: pd.DataFrame,
    found: pd.DataFrame,
    linked: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame, Pairing]:
    h_paired = set(linked["hs"])
    m_paired = set(linked["ms"])
    in_h = where.isin(h_paired).to_numpy()
    in_m = where.isin(m_paired).to_numpy()
    joined_h = households.index.isin(found["h"])
    joined_m = households.index.isin(found["m"])

    hh = households["hh"]
    target = pd.Series(hh.loc[found["h"]].to_numpy(), index=hh.loc[found["m"]].to_numpy())
    m_where = _where(members)

    # members: the person file's rows move to their household; the household file's
    # stand-in heads of joined households go (the person file lists the real members)
    stand_in = m_where.isin(h_paired).to_numpy() & members["hh"].isin(hh[joined_h]).to_numpy()
    out_m = members.loc[~stand_in].copy()
    moved = out_m["hh"].isin(target.index).to_numpy()
    orphan_hh = hh[in_m & ~joined_m]
    pair = pd.Series(pd.NA, index=out_m.index, dtype="string")
    pair[moved] = "joined"
    pair[out_m["hh"].isin(orphan_hh).to_numpy()] = "no-household"
    out_m["hh"] = out_m["hh"].map(target).fillna(out_m["hh"]).astype(members["hh"].dtype)
    out_m["pair"] = pair

    # households: the person file's joined blocks go into the household file's rows
    out_h = households.loc[~joined_m].copy()
    pair_h = pd.Series(pd.NA, index=out_h.index, dtype="string")
    is_h = in_h[~joined_m]
    pair_h[is_h & joined_h[~joined_m]] = "joined"
    pair_h[is_h & ~joined_h[~joined_m]] = "no-members"
    pair_h[in_m[~joined_m]] = "no-household"
    out_h["pair"] = pair_h
    first = found.join(M[["file", "sheet", "row"]].astype({"file": str, "sheet": str}), on="m")
    first = first.sort_values(["h", "file", "sheet", "row"], kind="stable").drop_duplicates("h")
    source = households.loc[first["m"]].set_axis(first["h"].to_numpy())
    _fill(out_h, source)
    _pair_columns(out_h, source)
    _count_members(out_h, out_m, pair_h.eq("joined").fillna(False).to_numpy(dtype=bool))
    joined_members = out_m["pair"].eq("joined").fillna(False).to_numpy(dtype=bool)
    if "scheme" in out_m and "scheme" in out_h:
        scheme = out_m["hh"].map(out_h.set_index("hh")["scheme"])
        out_m.loc[joined_members, "scheme"] = scheme[joined_members].astype(out_m["scheme"].dtype)

    pairing = _report(households, members, where, m_where, found, h_paired, m_paired, out_h)
    return out_h.reset_index(drop=True), out_m.reset_index(drop=True), pairing


def _fill(out_h: pd.DataFrame, source: pd.DataFrame) -> None:
    """Household values the household file lacks, from the person file."""
    rows = source.index
    for col in source.columns:
        if col in _KEEP or col.startswith("pair"):
            continue
        values = source[col]
        if not values.notna().any():
            continue
        if col not in out_h:
            out_h[col] = pd.Series(pd.NA, index=out_h.index, dtype=values.dtype)
        current = out_h.loc[rows, col]
        missing = current.isna().to_numpy()
        if missing.any():
            fill = values.to_numpy()[missing]
            try:
                out_h.loc[rows[missing], col] = fill
            except (TypeError, ValueError):  # a dtype the column cannot hold: as text
                out_h[col] = out_h[col].astype("object")
                out_h.loc[rows[missing], col] = fill


def _pair_columns(out_h: pd.DataFrame, source: pd.DataFrame) -> None:
    """The person file's head and place, for head-mismatch and its evidence."""
    rows = source.index
    for col, src, dtype in (
        ("pair_head_id", "head_id_number", "string"),
        ("pair_head_name", "head_name", "string"),
        ("pair_file", "file", "string"),
        ("pair_sheet", "sheet", "string"),
        ("pair_row", "row", "Int64"),
    ):
        out_h[col] = pd.Series(pd.NA, index=out_h.index, dtype=dtype)
        if src in source:
            out_h.loc[rows, col] = source[src].astype(dtype).to_numpy()


def _count_members(out_h: pd.DataFrame, out_m: pd.DataFrame, joined: np.ndarray) -> None:
    """Member rows and heads of each joined household, from its new members."""
    count = out_m.groupby("hh").size()
    heads = (
        out_m["role"].astype("object").eq("head").groupby(out_m["hh"]).sum()
        if "role" in out_m
        else pd.Series(dtype="int64")
    )
    hh = out_h.loc[joined, "hh"]
    for col, values in (("member_rows", count), ("heads", heads)):
        if col not in out_h:
            out_h[col] = pd.array([pd.NA] * len(out_h), dtype="Int64")
        out_h[col] = out_h[col].astype("Int64")
        out_h.loc[joined, col] = hh.map(values).fillna(0).astype("int64").to_numpy()


def _report(households, members, where, m_where, found, h_paired, m_paired, out_h) -> Pairing:
    hh_of = households["hh"]
    sizes = members.groupby("hh").size()
    m_members = found.assign(n=hh_of.loc[found["m"]].map(sizes).fillna(0).to_numpy())
    links = []
    for (hs, ms), part in m_members.groupby(["hs", "ms"], sort=True):
        hf, hsheet = hs.split(_SEP, 1)
        mf, msheet = ms.split(_SEP, 1)
        links.append(PairLink(hf, hsheet, mf, msheet, part["h"].nunique(), int(part["n"].sum())))
    h_total = where.value_counts()
    h_joined = where[households.index.isin(found["h"])].value_counts()
    m_total = m_where.value_counts()
    m_joined = m_where[members["hh"].isin(hh_of.loc[found["m"]]).to_numpy()].value_counts()
    sides = []
    for role, keys, total, joined in (
        ("households", h_paired, h_total, h_joined),
        ("members", m_paired, m_total, m_joined),
    ):
        for key in sorted(keys):
            file, sheet = key.split(_SEP, 1)
            sides.append(
                PairSide(file, sheet, role, int(total.get(key, 0)), int(joined.get(key, 0)))
            )
    mismatch = 0
    if "pair_head_id" in out_h and "head_id_number" in out_h:
        listed = out_h["pair_head_id"].astype("string")
        own = out_h["head_id_number"].astype("string")
        mismatch = int((listed.notna() & own.notna() & listed.ne(own)).fillna(False).sum())
    return Pairing(tuple(links), tuple(sides), mismatch)
