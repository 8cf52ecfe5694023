"""What a rule may read: the roster's tables, its assessment, the policy and the lists.

``AuditData`` is the one input of every rule's ``check`` (``rules.registry``) and of
the engine that runs them; the engine re-exports it.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from civaudit.asof import MONTH_COLUMNS, RosterMonths, resolve_months
from civaudit.assess import assess
from civaudit.policy.model import Policy


def empty_months() -> pd.DataFrame:
    """The per-file month table of a run with no files."""
    return pd.DataFrame({c: pd.Series(dtype="bool" if c == "conflict" else "object")
                         for c in MONTH_COLUMNS})  # fmt: skip


_FACTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

TABLES = ("households", "members", "assessed", "issues", "totals", "columns")


@dataclass(frozen=True)
class Facts:
    """What decides whether a rule runs, gathered from the whole roster: the columns
    of each table, the ID statuses met, whether any household counts its heads, and
    the households of each file and month. Small, and merged from parts
    (``Facts.merge``), so a run cut into shards decides as the whole run would."""

    columns: Mapping[str, frozenset[str]]
    id_statuses: frozenset[str]
    heads: bool
    months: pd.DataFrame
    """file, as_of (a month, NaT when none) and households: one row per file and month."""

    @classmethod
    def of(cls, data: AuditData) -> Facts:
        h, m = data.households, data.members
        if len(h) and "as_of" in data.assessed:
            when = pd.to_datetime(data.assessed["as_of"].reindex(h.index))
        else:
            when = pd.Series(pd.NaT if data.as_of is None else pd.Timestamp(data.as_of),
                             index=h.index, dtype="datetime64[ns]")  # fmt: skip
        files = h["file"].astype("object") if "file" in h else pd.Series(None, index=h.index)
        months = (
            pd.DataFrame({"file": files.to_numpy(object), "as_of": when.to_numpy()})
            .groupby(["file", "as_of"], dropna=False, sort=False)
            .size()
            .rename("households")
            .reset_index()
        )
        statuses = m["id_status"].dropna().astype("object").unique() if "id_status" in m else ()
        heads = "heads" in h and bool(pd.to_numeric(h["heads"], errors="coerce").notna().any())
        return cls(
            columns={name: frozenset(map(str, data.table(name).columns)) for name in TABLES},
            id_statuses=frozenset(map(str, statuses)),
            heads=heads,
            months=months,
        )

    @classmethod
    def merge(cls, parts: Iterable[Facts]) -> Facts:
        parts = list(parts)
        months = pd.concat([p.months for p in parts], ignore_index=True)
        if len(months):
            by = months.groupby(["file", "as_of"], dropna=False, sort=False)["households"]
            months = by.sum().reset_index()
        return cls(
            columns={t: frozenset().union(*(p.columns.get(t, ()) for p in parts)) for t in TABLES},
            id_statuses=frozenset().union(*(p.id_statuses for p in parts)),
            heads=any(p.heads for p in parts),
            months=months,
        )

    def household_months(self) -> pd.Series:
        """One month (NaT when none) per household, in no particular order."""
        return pd.Series(
            np.repeat(pd.to_datetime(self.months["as_of"]).to_numpy("datetime64[ns]"),
                      self.months["households"].to_numpy("int64")),
            dtype="datetime64[ns]",
        )  # fmt: skip


@dataclass(frozen=True, eq=False)
class AuditData:
    """Everything a rule may read, for one roster (or many combined) under one policy.

    ``assessed`` is ``civaudit.assess.assess`` of the households, index-aligned
    with them, each household at its own file's month (its ``as_of`` column).
    ``as_of`` is the run's main month (the one most files share; None when no file
    has one); ``months`` says, per file, the month and where it came from
    (``civaudit.asof``). ``against`` holds external lists by kind (``deaths``,
    ``tekun``...). ``sheets``, ``pairing`` and ``places`` are the loader's sheet
    reports, export-pair join and places per sheet (``civaudit.place``), for what the
    engine reports besides findings.
    """

    households: pd.DataFrame
    members: pd.DataFrame
    assessed: pd.DataFrame
    issues: pd.DataFrame
    totals: pd.DataFrame
    columns: pd.DataFrame
    policy: Policy
    as_of: date | None
    against: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    months: pd.DataFrame = field(default_factory=lambda: empty_months())
    as_of_source: str = "option"
    sheets: tuple = ()
    pairing: object = None
    places: pd.DataFrame | None = None
    shared: Facts | None = None
    """The whole run's facts when this is one shard of it (``pipeline.shards``)."""

    @classmethod
    def from_roster(
        cls,
        roster,
        policy: Policy,
        *,
        as_of: date | str | None = None,
        against: Mapping[str, pd.DataFrame] | None = None,
        months: RosterMonths | None = None,
    ) -> AuditData:
        """Assess ``roster`` under ``policy`` and gather what the rules read.

        The month: ``months`` as resolved already, else ``as_of`` for every file, else
        each file's own (the policy's ``as_of``, then its titles, name and folders;
        ``civaudit.asof.resolve_months``).
        """
        if months is None:
            months = resolve_months(roster, policy, as_of)
        per_household = months.of(roster.households)
        assessed = assess(roster.households, roster.members, policy, as_of=per_household)
        return cls(
            households=roster.households,
            members=roster.members,
            assessed=assessed,
            issues=roster.issues,
            totals=roster.totals,
            columns=roster.columns,
            policy=policy,
            as_of=months.main,
            against=dict(against or {}),
            months=months.files,
            as_of_source=months.main_source,
            sheets=tuple(getattr(roster, "sheets", ())),
            pairing=getattr(roster, "pairing", None),
            places=getattr(roster, "places", None),
        )

    @classmethod
    def empty(cls, policy: Policy | None = None, *, as_of: date | None = None) -> AuditData:
        """No tables, no columns: every rule is skipped (the contract's edge case)."""
        from civaudit.policy import EXAMPLE_POLICY

        frame = pd.DataFrame()
        return cls(
            households=frame,
            members=frame,
            assessed=frame,
            issues=frame,
            totals=frame,
            columns=frame,
            policy=policy or EXAMPLE_POLICY,
            as_of=as_of,  # never today: no month unless given
        )

    def __repr__(self) -> str:
        sizes = ", ".join(
            f"{name}={len(self.table(name))}"
            for name in ("households", "members", "issues", "totals")
        )
        return f"AuditData({sizes}, policy={self.policy.title!r}, as_of={self.as_of})"

    def table(self, name: str) -> pd.DataFrame:
        if name not in ("households", "members", "assessed", "issues", "totals", "columns"):
            raise KeyError(f"no table {name!r} in the audit data")
        return getattr(self, name)

    @property
    def facts(self) -> Facts:
        """What decides whether a rule runs: the whole run's (``shared``) when this is a
        shard of it, else this data's own (worked out once)."""
        if self.shared is not None:
            return self.shared
        if self not in _FACTS:
            _FACTS[self] = Facts.of(self)
        return _FACTS[self]

    def has(self, need: str) -> bool:
        """Whether one need (``table.column``, ``a|b``, ``against.KIND``) is met."""
        for option in need.split("|"):
            source, _, name = option.partition(".")
            if source == "against":
                if name in self.against:
                    return True
            elif source in TABLES and name in self.facts.columns[source]:
                return True
            elif source not in TABLES:
                self.table(source)  # an unknown table: its error
        return False
