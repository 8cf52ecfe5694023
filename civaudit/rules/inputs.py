"""What a rule may read: the roster's tables, its assessment, the policy and the lists.

``AuditData`` is the one input of every rule's ``check`` (``rules.registry``) and of
the engine that runs them; the engine re-exports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from civaudit.asof import MONTH_COLUMNS, RosterMonths, resolve_months
from civaudit.assess import assess
from civaudit.policy.model import Policy


def empty_months() -> pd.DataFrame:
    """The per-file month table of a run with no files."""
    return pd.DataFrame({c: pd.Series(dtype="bool" if c == "conflict" else "object")
                         for c in MONTH_COLUMNS})  # fmt: skip


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

    def has(self, need: str) -> bool:
        """Whether one need (``table.column``, ``a|b``, ``against.KIND``) is met."""
        for option in need.split("|"):
            source, _, name = option.partition(".")
            if source == "against":
                if name in self.against:
                    return True
            elif name in self.table(source):
                return True
        return False
