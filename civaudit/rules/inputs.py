"""What a rule may read: the roster's tables, its assessment, the policy and the lists.

``AuditData`` is the one input of every rule's ``check`` (``rules.registry``) and of
the engine that runs them; the engine re-exports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from civaudit.assess import assess
from civaudit.policy.model import Policy


@dataclass(frozen=True, eq=False)
class AuditData:
    """Everything a rule may read, for one roster (or many combined) under one policy.

    ``assessed`` is ``civaudit.assess.assess`` of the households, index-aligned
    with them. ``against`` holds external lists by kind (``deaths``, ``tekun``...).
    """

    households: pd.DataFrame
    members: pd.DataFrame
    assessed: pd.DataFrame
    issues: pd.DataFrame
    totals: pd.DataFrame
    columns: pd.DataFrame
    policy: Policy
    as_of: date
    against: Mapping[str, pd.DataFrame] = field(default_factory=dict)

    @classmethod
    def from_roster(
        cls,
        roster,
        policy: Policy,
        *,
        as_of: date,
        against: Mapping[str, pd.DataFrame] | None = None,
    ) -> AuditData:
        """Assess ``roster`` under ``policy`` and gather what the rules read."""
        assessed = assess(roster.households, roster.members, policy, as_of=as_of)
        return cls(
            households=roster.households,
            members=roster.members,
            assessed=assessed,
            issues=roster.issues,
            totals=roster.totals,
            columns=roster.columns,
            policy=policy,
            as_of=as_of,
            against=dict(against or {}),
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
            as_of=as_of or date.today(),
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
