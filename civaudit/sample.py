"""The inspection sample: which villages to visit, then which households in them.

The 2019 rectification sent teams to selected counties, towns and villages to
re-verify recipients door to door. A sample has to be repeatable and defensible:
the same rosters, findings and seed always give the same households, whatever
order the files or the households came in, and the record says how they were
chosen. So nothing here depends on a file's path or a row's position:

1. Each household's village is the one its evidence names (``civaudit.place``: its
   村 column, else its sheet's title, its file's name, its folders, its sheet's name
   when that is a place); where nothing names one, its sheet (a workbook with one
   sheet per village), else its file. Villages are put in order by name and then by
   a key (the place names; for sheet and file villages the file's sha256),
   households by their key (certificate number, else the head's ID) and then by a
   hash of their content.
2. ``numpy.random.default_rng(seed)`` gives one uniform number ``u`` per village,
   in that order. With ``weight="findings"`` a village's draw key is
   ``log(u) / w`` (Efraimidis and Spirakis), ``w`` its error and warning findings
   per household: taking the largest keys is a weighted draw without replacement.
   Villages without findings come after all others, in random order. With
   ``weight="random"`` the key is ``u`` itself.
3. The largest keys are taken within each group: the whole frame, or each town or
   county (``within``), N villages or a rate of them in each.
4. In each chosen village, every household with an error finding (the key items,
   重点核查), then ``share`` of the others at random, topped up to
   ``min_per_village``. Each village draws from its own generator, seeded by the
   seed and the village's key, so one village's households do not change when
   another village is added, dropped or edited.

A sample is a plan for human checks, never a verdict on anyone.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from civaudit.errors import UsageError
from civaudit.findings import Report, plain

WEIGHTS = ("findings", "random")
WITHIN = ("none", "town", "county")
SOURCES = ("column", "title", "file-name", "folder", "sheet-name", "sheet", "file")
"""Where a household's village comes from: a source that names it (``civaudit.place``:
the 村 column, the title, the file name, the folders, a sheet named as a village), else
its sheet or its file (unnamed: the sheet or file stands for the village)."""
NAMED = SOURCES[:5]

VILLAGE_COLUMNS = (
    "village_no",
    "village", "source", "county", "town", "file", "sheet", "households", "flagged",
    "findings", "rate", "group", "selected", "why", "chosen",
)  # fmt: skip
HOUSEHOLD_COLUMNS = (
    "village_no",
    "village", "source", "county", "town", "household", "head_name", "address", "phone",
    "file", "sheet", "row", "reason", "rules", "why", "findings", "hh",
)  # fmt: skip
MEMBER_COLUMNS = ("hh", "name", "relation", "role", "id_number", "row")

_FRAME_COLUMNS = (
    "file", "sheet", "household", "head_name", "address", "phone", "row", "hh", "source",
    "county", "town", "village_key", "village", "sort_key", "content", "rules", "weight",
    "findings", "flagged",
)  # fmt: skip
# Columns that say where a household is, not what it is: left out of its content hash.
_PROVENANCE = frozenset(
    {"file", "sheet", "row", "hh", "seq", "household", "county", "town", "village", "group"}
    | {"county_from", "town_from", "village_from"}
)


@dataclass(frozen=True, eq=False)
class Sample:
    """A drawn sample: how it was drawn, every village of the frame (chosen or not,
    with why), the chosen households (with why) and their members.

    ``households`` and ``members`` hold full ID numbers; the reporters mask them.
    """

    seed: int
    method: dict[str, Any]
    villages: pd.DataFrame
    households: pd.DataFrame
    members: pd.DataFrame

    @property
    def chosen_villages(self) -> pd.DataFrame:
        return self.villages[self.villages["selected"]].reset_index(drop=True)

    def __repr__(self) -> str:
        return (
            f"Sample(seed={self.seed}, villages={len(self.chosen_villages)}/{len(self.villages)}, "
            f"households={len(self.households)})"
        )

    def to_dict(self, *, mask: bool = True) -> dict[str, Any]:
        """JSON-ready: method, every village of the frame, the chosen households."""
        households = self.households.drop(columns=["hh"])
        if mask:
            households = households.assign(household=mask_keys(households["household"]))
        return {
            "method": plain(self.method),
            "villages": _records(self.villages),
            "households": _records(households),
        }


def parse_villages(value: str | int | float) -> str | int | float:
    """``all``, a count (``5``) or a rate (``0.2``, within 0..1): what ``--villages`` takes."""
    if isinstance(value, bool):
        raise UsageError(f"--villages {value!r} is not all, a count or a rate", "e.g. 5 or 0.2")
    if isinstance(value, int):
        if value < 1:
            raise UsageError(f"--villages {value}: need at least 1", "give all, N or a rate")
        return value
    if isinstance(value, float):
        if not 0 < value <= 1:
            raise UsageError(f"--villages {value}: a rate is within 0..1", "e.g. 0.2 for 20%")
        return value
    text = str(value).strip().lower()
    if text in ("all", "全部"):
        return "all"
    if re.fullmatch(r"\d+", text):
        return parse_villages(int(text))
    if re.fullmatch(r"\d*\.\d+|\d+%", text):
        rate = float(text[:-1]) / 100 if text.endswith("%") else float(text)
        return parse_villages(rate)
    raise UsageError(
        f"--villages {value!r} is not all, a count or a rate",
        "give all, a number of villages (5) or a rate (0.2)",
    )


def new_seed() -> int:
    """A fresh random seed, short enough to copy into a paper record."""
    return secrets.randbelow(1_000_000)


def draw_sample(
    roster,
    report: Report | pd.DataFrame,
    *,
    seed: int | None = None,
    villages: str | int | float = "all",
    weight: str = "findings",
    within: str = "none",
    share: float = 0.1,
    min_per_village: int = 3,
) -> Sample:
    """Choose villages, then households within them, reproducibly from ``seed``.

    ``report`` is the audit of ``roster`` (``civaudit.audit``); its findings are tied
    to households by file, sheet and row. ``villages`` is ``"all"``, a count or a
    rate; ``weight`` ``"findings"`` (error and warning findings per household) or
    ``"random"``; ``within`` ``"none"``, ``"town"`` or ``"county"`` (the count or rate
    applies in each). Every household with an error finding in a chosen village is
    taken, plus ``share`` of the others at random, at least ``min_per_village`` in all
    where the village has that many. Without ``seed`` a new one is drawn; it is in
    ``Sample.seed`` and ``Sample.method``.
    """
    spec = parse_villages(villages)
    if weight not in WEIGHTS:
        raise UsageError(f"--weight {weight!r} is unknown", f"use one of {', '.join(WEIGHTS)}")
    if within not in WITHIN:
        raise UsageError(f"--within {within!r} is unknown", f"use one of {', '.join(WITHIN)}")
    if not 0 <= share <= 1:
        raise UsageError(f"--share {share}: a rate is within 0..1", "e.g. 0.1 for 10%")
    if min_per_village < 0:
        raise UsageError(f"--min-per-village {min_per_village}: must be 0 or more", "e.g. 3")
    if seed is None:
        seed = new_seed()
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise UsageError(f"--seed {seed!r}: must be a whole number, 0 or more", "e.g. --seed 2019")
    seed = int(seed)
    findings = report.findings if isinstance(report, Report) else report

    frame = household_frame(roster, findings)
    table = village_table(frame)
    table["village_no"] = np.arange(1, len(table) + 1)
    frame["village_no"] = frame["village_key"].map(table.set_index("village_key")["village_no"])
    table = _choose_villages(table, spec, weight=weight, within=within, seed=seed)
    chosen = _choose_households(frame, table, seed=seed, share=share, least=min_per_village)
    counts = chosen["village_key"].value_counts()
    table["chosen"] = table["village_key"].map(counts).fillna(0).astype("int64")
    members = _members(roster, chosen["hh"])

    method = {
        "seed": seed,
        "villages": spec,
        "weight": weight,
        "within": within,
        "share": share,
        "min_per_village": min_per_village,
        "village_from": {s: int((table["source"] == s).sum()) for s in SOURCES},
        "frame": {"villages": len(table), "households": len(frame)},
        "chosen": {
            "villages": int(table["selected"].sum()),
            "households": len(chosen),
            "with_error": int((chosen["reason"] == "error").sum()),
            "random": int((chosen["reason"] == "random").sum()),
        },
        "generator": f"numpy {np.__version__} default_rng (PCG64), pandas {pd.__version__}",
        "order": "villages by name and file sha256; households by key and content hash",
    }
    return Sample(
        seed=seed,
        method=method,
        villages=_nones(table[list(VILLAGE_COLUMNS)].reset_index(drop=True)),
        households=_nones(chosen[list(HOUSEHOLD_COLUMNS)].reset_index(drop=True)),
        members=_nones(members),
    )


# --- the frame: one row per household, with its village and findings ----------------------


def household_frame(roster, findings: pd.DataFrame) -> pd.DataFrame:
    """Every household with its village (key, name, source, county, town), its sort
    keys and its findings. Sorted by village and household, independent of paths."""
    h = roster.households
    if not len(h):
        empty = pd.DataFrame({c: pd.Series(dtype="object") for c in _FRAME_COLUMNS})
        return empty.astype({"row": "Int64", "hh": "Int64", "weight": "int64", "flagged": bool})
    out = pd.DataFrame(index=h.index)
    for col in ("file", "sheet", "household", "head_name", "address", "phone"):
        out[col] = _text(h, col)
    out["row"] = pd.to_numeric(h["row"], errors="coerce").astype("Int64")
    out["hh"] = pd.to_numeric(h["hh"], errors="coerce").astype("Int64")

    if "village_from" not in h:  # a roster not made by load_roster: find its places
        from civaudit.place import find_places, sheet_places

        h = find_places(h, sheet_places(roster.sheets))
    sha = pd.Series({f.path: f.sha256 or "" for f in roster.files}, dtype="object")
    sheets = pd.Series([s.file for s in roster.sheets], dtype="object").value_counts()
    village = _text(h, "village").str.strip().replace("", pd.NA)
    county, town = _text(h, "county"), _text(h, "town")
    many_sheets = out["file"].map(sheets).fillna(1).gt(1).to_numpy(dtype=bool)
    named = village.notna().to_numpy(dtype=bool)
    named_from = _text(h, "village_from").fillna("column").to_numpy(dtype=object)
    out["source"] = np.where(named, named_from, np.where(many_sheets, "sheet", "file"))
    out["county"], out["town"] = county.astype("object"), town.astype("object")
    file_sha = out["file"].map(sha).fillna("")
    stems = {p: Path(p).stem for p in out["file"].dropna().unique()}
    stem = out["file"].map(stems).fillna("")
    place = county.fillna("") + "\x1f" + town.fillna("") + "\x1f" + village.fillna("")
    key = pd.Series("file\x1f" + file_sha, index=out.index, dtype="object")
    key = key.where(out["source"] != "sheet", "sheet\x1f" + file_sha + "\x1f" + out["sheet"])
    out["village_key"] = key.where(~named, "named\x1f" + place)
    name = stem.where(out["source"] != "sheet", out["sheet"])
    out["village"] = name.where(~named, village).astype("object")

    keyed = h.get("cert_no")
    keyed = keyed.notna() if keyed is not None else pd.Series(False, index=h.index)
    if "head_id_number" in h:
        keyed = keyed | h["head_id_number"].notna()
    out["sort_key"] = out["household"].where(keyed.to_numpy(dtype=bool), "").fillna("")
    out["content"] = _content_hash(h)

    hits = _findings_by_household(findings, roster)
    out = out.merge(hits, on="hh", how="left")
    out["weight"] = out["weight"].fillna(0).astype("int64")
    for col in ("rules", "findings"):
        out[col] = [v if isinstance(v, list) else [] for v in out[col]]
    out["flagged"] = out["rules"].str.len().gt(0).astype(bool)
    return out.sort_values(["village", "village_key", "sort_key", "content"], kind="stable")


def village_table(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per village: name, source, place, households, findings and rate."""
    columns = ["village", "village_key", "source", "county", "town", "file", "sheet"]
    if not len(frame):
        empty = pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
        for col in ("households", "flagged", "findings"):
            empty[col] = pd.Series(dtype="int64")
        empty["rate"] = pd.Series(dtype="float64")
        return empty
    groups = frame.groupby("village_key", sort=False)
    table = groups.agg(
        village=("village", "first"),
        source=("source", "first"),
        county=("county", _one),
        town=("town", _one),
        file=("file", _one),
        sheet=("sheet", _one),
        households=("hh", "size"),
        flagged=("flagged", "sum"),
        findings=("weight", "sum"),
    ).reset_index()
    column_villages = table["source"] == "column"
    table["sheet"] = table["sheet"].where(table["source"].isin(["sheet", "sheet-name"]), None)
    table["file"] = table["file"].where(~column_villages, None)
    table["households"] = table["households"].astype("int64")
    table["flagged"] = table["flagged"].astype("int64")
    table["findings"] = table["findings"].astype("int64")
    table["rate"] = (table["findings"] / table["households"]).round(4).astype("float64")
    return table.sort_values(["village", "village_key"], kind="stable").reset_index(drop=True)


def _one(values: pd.Series):
    """The value a village's households share; the most common (then smallest) if not."""
    known = values.dropna()
    if not len(known):
        return None
    counts = known.astype(str).value_counts()
    best = counts[counts == counts.max()].index
    return sorted(best)[0]


def _findings_by_household(findings: pd.DataFrame, roster) -> pd.DataFrame:
    """Per household (``hh``): error rule ids, error+warning count, all its findings.

    A finding belongs to the household whose member or household row it names (file,
    sheet, row). Findings about a totals row or a whole village belong to none."""
    columns = ["hh", "rules", "weight", "findings"]
    if findings is None or not len(findings):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns}).astype({"hh": "Int64"})
    keys = ["file", "sheet", "row"]
    f = _keyed(findings[[c for c in (*keys, "rule", "severity", "message") if c in findings]])
    tables = [t[[c for c in (*keys, "hh") if c in t]] for t in (roster.members, roster.households)]
    rows = pd.concat([_keyed(t) for t in tables], ignore_index=True).dropna(subset=["row", "hh"])
    rows = rows.drop_duplicates(keys)
    f = f.merge(rows[[*keys, "hh"]], on=keys, how="left").dropna(subset=["hh"])
    if not len(f):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns}).astype({"hh": "Int64"})
    f = f.sort_values(["hh", "rule", "row"], kind="stable")
    severity = f["severity"].astype(str)
    weight = f[severity.isin(["error", "warning"])].groupby("hh").size().rename("weight")
    errors = f[severity == "error"].groupby("hh")["rule"].agg(lambda r: sorted(set(r)))
    listed = f.assign(
        item=[
            {"severity": s, "rule": r, "message": m}
            for s, r, m in zip(severity, f["rule"], f["message"], strict=True)
        ]
    )
    items = listed.groupby("hh")["item"].agg(list).rename("findings")
    out = pd.concat([errors.rename("rules"), weight, items], axis=1)
    out.index = out.index.astype("Int64")
    return out.rename_axis("hh").reset_index()


def _keyed(frame: pd.DataFrame) -> pd.DataFrame:
    """file and sheet as text, row and hh (where present) as nullable ints, for merges."""
    out = frame.copy()
    for col in ("file", "sheet"):
        out[col] = _text(frame, col)
    for col in ("row", "hh"):
        if col in frame:
            out[col] = pd.to_numeric(frame[col], errors="coerce").astype("Int64")
        elif col == "row":
            out[col] = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    return out


def _content_hash(households: pd.DataFrame) -> pd.Series:
    """A 64-bit hash of what each household holds (not where it sits)."""
    columns = sorted(c for c in households.columns if c not in _PROVENANCE)
    if not columns or not len(households):
        return pd.Series(0, index=households.index, dtype="uint64")
    text = households[columns].astype("string").fillna("\x00")
    return pd.util.hash_pandas_object(text, index=False)


# --- the draws -----------------------------------------------------------------------------


def _choose_villages(
    table: pd.DataFrame, spec, *, weight: str, within: str, seed: int
) -> pd.DataFrame:
    table = table.copy()
    n = len(table)
    rng = np.random.default_rng(seed)
    u = 1.0 - rng.random(n)  # (0, 1], in the stable village order
    if weight == "findings":
        w = table["rate"].to_numpy(dtype=float)
        with np.errstate(divide="ignore"):
            key = np.where(w > 0, np.log(u) / np.where(w > 0, w, 1.0), -np.inf)
    else:
        key = np.log(u)
    group = table[within].fillna("") if within != "none" else pd.Series("", index=table.index)
    table["group"] = group.astype("object")
    selected = np.zeros(n, dtype=bool)
    for _, positions in table.groupby("group", sort=True).indices.items():
        k = _how_many(spec, len(positions))
        order = positions[np.lexsort((-u[positions], -key[positions]))]
        selected[order[:k]] = True
    table["selected"] = selected
    why = "all" if spec == "all" else weight
    table["why"] = np.where(selected, why, None)
    table["group"] = table["group"].where(table["group"] != "", None) if within != "none" else None
    return table


def _how_many(spec, n: int) -> int:
    if spec == "all":
        return n
    if isinstance(spec, float):
        return min(n, max(1, math.ceil(spec * n - 1e-9))) if n else 0
    return min(n, int(spec))


def _choose_households(
    frame: pd.DataFrame, table: pd.DataFrame, *, seed: int, share: float, least: int
) -> pd.DataFrame:
    chosen_keys = table.loc[table["selected"], "village_key"]
    parts = []
    by_village = dict(tuple(frame.groupby("village_key", sort=False)))
    for vkey in chosen_keys:
        homes = by_village[vkey]  # already in stable order
        flagged = homes["flagged"].to_numpy(dtype=bool)
        rest = homes[~flagged]
        k = math.ceil(share * len(rest) - 1e-9)
        k = max(k, least - int(flagged.sum()))
        k = max(0, min(k, len(rest)))
        rng = np.random.default_rng([seed, _stable_int(vkey)])
        picked = np.sort(rng.choice(len(rest), size=k, replace=False)) if k else []
        parts.append(homes[flagged].assign(reason="error"))
        parts.append(rest.iloc[picked].assign(reason="random"))
    if not parts:
        out = frame.iloc[0:0].assign(reason=pd.Series(dtype="object"))
    else:
        out = pd.concat(parts)
    order = {k: i for i, k in enumerate(chosen_keys)}
    out = out.assign(_v=out["village_key"].map(order), _r=out["reason"].ne("error"))
    out = out.sort_values(["_v", "_r", "sort_key", "content"], kind="stable")
    out["why"] = [
        "error finding: " + ", ".join(rules) if reason == "error" else "random"
        for reason, rules in zip(out["reason"], out["rules"], strict=True)
    ]
    return out.drop(columns=["_v", "_r"])


def _stable_int(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def _members(roster, hh: pd.Series) -> pd.DataFrame:
    """The members of the chosen households, the head first, then in roster order."""
    m = roster.members
    if not len(m) or not len(hh):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in MEMBER_COLUMNS})
    wanted = pd.Index(hh.astype("Int64").dropna().unique())
    keyed = _keyed(m)
    mine = keyed[keyed["hh"].isin(wanted)].copy()
    for col in MEMBER_COLUMNS:
        if col not in mine:
            mine[col] = pd.NA
    mine["_head"] = mine["role"].astype("string").fillna("").ne("head").astype(bool)
    mine = mine.sort_values(["hh", "_head", "row"], kind="stable")
    out = mine[list(MEMBER_COLUMNS)].reset_index(drop=True)
    for col in ("name", "relation", "role", "id_number"):
        out[col] = _text(out, col)
    return out


# --- helpers --------------------------------------------------------------------------------


def mask_keys(values: pd.Series) -> pd.Series:
    """Household keys as the contract masks them: ID-shaped keys to 6+4 characters."""
    from civaudit.privacy import mask_ids

    masked = mask_ids(values.astype("object").where(values.notna(), None))
    return masked.astype("object").where(values.notna(), None)


def _text(frame: pd.DataFrame, name: str) -> pd.Series:
    if name not in frame:
        return pd.Series(pd.NA, index=frame.index, dtype="object")
    values = frame[name]
    text = values.astype("string").astype("object")
    return text.where(values.notna(), pd.NA)


def _nones(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as plain objects with None where unknown (not NaN or NA)."""
    frame = frame.copy()
    for col in frame.columns:
        values = frame[col]
        if values.dtype == object or isinstance(values.dtype, pd.StringDtype):
            frame[col] = values.astype("object").where(values.notna(), None)
    return frame


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


__all__ = [
    "SOURCES",
    "WEIGHTS",
    "WITHIN",
    "Sample",
    "draw_sample",
    "household_frame",
    "mask_keys",
    "new_seed",
    "parse_villages",
    "village_table",
]
