"""Monthly workbooks: one roster kept month by month, audited as one series.

A payment workbook (发放花名册) holds the same households once per month: a sheet per
month (``1月`` … ``10月``, ``2019年1月``, ``201901``, ``一月份``; or a title naming the
month), or one sheet with a 发放月份 column. Audited as it stands, every household would
be a ``dup.person`` of itself in every month. Here the months of a file are recognised
as a series when it has at least two, and each month shares at least half of its
households with the next (by certificate number, else the head's ID, else the head's
name): sheets of new households per month (``1月新增``, ``2月新增``) are no series.

Of a series the as-of month is audited (``--as-of``, else the latest month); the
month before it is the previous snapshot that the ``change.*`` rules compare it with,
exactly as ``civaudit diff`` would; the other months are read but not audited. Sheets
that are no part of a series are audited as always.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from civaudit.io.months import NO_YEAR
from civaudit.roster import Roster

OVERLAP = 0.5
"""Share of a month's households the next month must list for the two to be one roster."""


@dataclass(frozen=True)
class MonthSeries:
    """One file's months (``YYYY-MM``, ``????-MM`` without a year), in order, and the
    sheets that hold each."""

    file: str
    months: tuple[str, ...]
    sheets: tuple[tuple[str, ...], ...]  # per month

    def sheets_of(self, month: str) -> tuple[str, ...]:
        return self.sheets[self.months.index(month)]

    def audited(self, as_of: date | None) -> str:
        """The month audited: the as-of month, else the latest before it (else the
        first); the latest without an as-of date."""
        if as_of is None:
            return self.months[-1]
        target = f"{as_of.year:04d}-{as_of.month:02d}"
        before = [m for m in self.months if _dated(m, as_of.year) <= target]
        return before[-1] if before else self.months[0]


@dataclass(frozen=True)
class MonthSplit:
    """A roster split at the as-of month: ``current`` (everything but the other months
    of each series), ``previous`` (the month before the audited one, per series; None
    without a series or an earlier month) and what was done, per series."""

    current: Roster
    previous: Roster | None
    series: tuple[dict, ...] = ()


def household_months(roster: Roster) -> pd.Series:
    """Each household's month: its 发放月份 cell, else its sheet's month (NA for none)."""
    h = roster.households
    by_sheet = {(s.file, s.sheet): s.month for s in roster.sheets if s.month}
    if not len(h) or (not by_sheet and "pay_month" not in h):
        return pd.Series(pd.NA, index=h.index, dtype="string")
    keys = pd.MultiIndex.from_arrays([h["file"].astype(str), h["sheet"].astype(str)])
    months = pd.Series(
        pd.Series(by_sheet, dtype="string").reindex(keys).to_numpy(), index=h.index, dtype="string"
    )
    if "pay_month" in h:
        paid = pd.to_datetime(h["pay_month"], errors="coerce").dt.strftime("%Y-%m")
        months = paid.astype("string").fillna(months)
    return months


def find_series(roster: Roster) -> tuple[MonthSeries, ...]:
    """The monthly series among the roster's files (usually none: then this costs a look
    at the sheet names). Found once per roster and kept on it."""
    if "_series" not in roster.__dict__:
        roster.__dict__["_series"] = _find_series(roster)
    return roster.__dict__["_series"]


def _find_series(roster: Roster) -> tuple[MonthSeries, ...]:
    sheets = [s for s in roster.sheets if s.month]
    counted: dict[str, set[str]] = {}
    for s in sheets:
        counted.setdefault(s.file, set()).add(s.month)
    h = roster.households
    if not any(len(m) > 1 for m in counted.values()) and "pay_month" not in h:
        return ()
    months = household_months(roster)
    frame = pd.DataFrame(
        {"file": h["file"].astype(str), "sheet": h["sheet"].astype(str), "month": months}
    )
    frame["key"] = _keys(h)
    frame = frame[frame["month"].notna()]
    out = []
    for file, mine in frame.groupby("file", sort=True):
        order = sorted(mine["month"].unique(), key=lambda m: _dated(m, 0))
        if len(order) < 2:
            continue
        keys = [set(mine.loc[mine["month"] == m, "key"].dropna()) for m in order]
        if not all(
            len(a & b) >= OVERLAP * min(len(a), len(b)) and a and b
            for a, b in itertools.pairwise(keys)
        ):
            continue
        held = [tuple(dict.fromkeys(mine.loc[mine["month"] == m, "sheet"])) for m in order]
        out.append(MonthSeries(str(file), tuple(order), tuple(held)))
    return tuple(out)


def split_months(roster: Roster, as_of: date | None) -> MonthSplit:
    """The roster to audit at ``as_of`` and the previous snapshot of each series."""
    series = find_series(roster)
    if not series:
        return MonthSplit(roster, None)
    months = household_months(roster)
    file = roster.households["file"].astype(str)
    keep = pd.Series(True, index=months.index)
    before = pd.Series(False, index=months.index)
    info = []
    for s in series:
        audited = s.audited(as_of)
        year = as_of.year if as_of else 0
        earlier = [m for m in s.months if _dated(m, year) < _dated(audited, year)]
        later = [m for m in s.months if _dated(m, year) > _dated(audited, year)]
        mine = (file == s.file).to_numpy() & months.notna().to_numpy()
        keep &= ~(mine & months.ne(audited).fillna(False).to_numpy())
        if earlier:
            before |= mine & months.eq(earlier[-1]).fillna(False).to_numpy()
        info.append(
            {
                "file": s.file,
                "audited": {"month": audited, "sheets": list(s.sheets_of(audited))},
                "previous": (
                    {"month": earlier[-1], "sheets": list(s.sheets_of(earlier[-1]))}
                    if earlier
                    else None
                ),
                "earlier": [{"month": m, "sheets": list(s.sheets_of(m))} for m in earlier],
                "later": [{"month": m, "sheets": list(s.sheets_of(m))} for m in later],
            }
        )
    previous = subset(roster, before) if before.any() else None
    return MonthSplit(subset(roster, keep), previous, tuple(info))


def subset(roster: Roster, keep: pd.Series) -> Roster:
    """The roster with only the households ``keep`` marks (and their members); cells and
    totals rows of the households left out go with them."""
    h = roster.households
    kept = h[keep.to_numpy()]
    dropped = h[~keep.to_numpy()]
    m = roster.members
    mine = m["hh"].isin(kept["hh"]).to_numpy() if "hh" in m else np.ones(len(m), dtype=bool)
    members = m[mine]
    gone = pd.concat([_rows(dropped), _rows(m[~mine])], ignore_index=True).drop_duplicates()
    issues = _without(roster.issues, gone)
    sheets = set(zip(dropped["file"].astype(str), dropped["sheet"].astype(str), strict=True))
    totals = roster.totals
    if len(totals) and sheets:
        where = pd.Series(
            list(zip(totals["file"].astype(str), totals["sheet"].astype(str), strict=True)),
            index=totals.index,
        )
        totals = totals[~where.isin(sheets).to_numpy()]
    out = dataclasses.replace(
        roster,
        households=kept.reset_index(drop=True),
        members=members.reset_index(drop=True),
        issues=issues.reset_index(drop=True),
        totals=totals.reset_index(drop=True),
    )
    out.__dict__["_series"] = ()  # a part of a series is no series
    return out


def _rows(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "file": frame["file"].astype(str).to_numpy(),
            "sheet": frame["sheet"].astype(str).to_numpy(),
            "row": pd.to_numeric(frame["row"], errors="coerce").astype("Int64").to_numpy(),
        }
    )


def _without(issues: pd.DataFrame, gone: pd.DataFrame) -> pd.DataFrame:
    if not len(issues) or not len(gone):
        return issues
    probe = _rows(issues)
    hit = probe.merge(gone.assign(_gone=True), on=["file", "sheet", "row"], how="left")["_gone"]
    return issues[~hit.fillna(False).astype(bool).to_numpy()]


def _keys(h: pd.DataFrame) -> pd.Series:
    """A household key to follow it from month to month."""
    from civaudit.rules._common import household_keys  # diff's own tiers of keys

    keys = household_keys(h)
    name = h["head_name"].astype("string") if "head_name" in h else None
    out = keys["cert_no"].fillna(keys["head_id"]).fillna(keys["head_name+village"])
    return out.fillna(name) if name is not None else out


def _dated(month: str, year: int) -> str:
    """A month comparable with ``YYYY-MM``: a month without a year takes ``year``."""
    return f"{year:04d}{month[len(NO_YEAR) :]}" if month.startswith(NO_YEAR) else month


def month_date(month: str, fallback: date) -> date:
    """The first day of a month (the fallback's year when it has none)."""
    year = fallback.year if month.startswith(NO_YEAR) else int(month[:4])
    return date(year, int(month[-2:]), 1)


def latest_month(series: Iterable[MonthSeries]) -> str | None:
    """The latest month of the series that name their year (for the as-of date)."""
    dated = [s.months[-1] for s in series if not s.months[-1].startswith(NO_YEAR)]
    return max(dated) if dated else None


def month_day(month: str) -> date | None:
    """The first day of a ``YYYY-MM`` month; None for a month with no year."""
    if month.startswith(NO_YEAR):
        return None
    return date(int(month[:4]), int(month[5:7]), 1)


__all__ = [
    "MonthSeries",
    "MonthSplit",
    "find_series",
    "household_months",
    "latest_month",
    "month_day",
    "split_months",
    "subset",
]
