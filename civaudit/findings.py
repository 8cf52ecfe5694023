"""Findings are data: one row per problem, in the contract's fields and order.

The engine builds a ``Report``; reporters and the CLI read it. Nothing here
knows about rules or rosters, so a report read back from JSON (a baseline) can be
handled the same way as a fresh one.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

FINDING_COLUMNS: tuple[str, ...] = (
    "rule",
    "severity",
    "message",
    "clause",
    "file",
    "sheet",
    "row",
    "cell",
    "county",
    "town",
    "village",
    "household",
    "person",
    "name",
    "evidence",
)
"""The contract's finding fields, in the order every output shows them."""

COVERAGE_COLUMNS: tuple[str, ...] = (
    "file",
    "sheet",
    "row",
    "county",
    "town",
    "village",
    "household",
    "name",
    "assessed",
    "reason",
)
"""``Report.coverage``: one row per household of the roster, assessed or not. ``reason``
is a code saying why a household was not assessed (NA when it was); the i18n
catalogue has its zh and en text."""

RULE_STATUS_COLUMNS: tuple[str, ...] = ("rule", "status", "reason", "zh", "en")
"""``Report.rules``: one row per catalogue rule. ``status`` is ``run``, ``skipped``
(selected, but its data is missing) or ``not-requested`` (left out by ``--select``,
``--ignore`` or the policy); ``reason`` is a code, ``zh``/``en`` a sentence a person
can act on (which column or list it needs, which header or ``--against`` gives it)."""

AS_OF_COLUMNS: tuple[str, ...] = ("file", "as_of", "source")
"""``Report.as_of``: per input file, the roster month audited and where it came from
(``option``, ``policy``, ``title``, ``file-name``, ``folder``; ``none`` when no source
names one)."""


class Severity(enum.IntEnum):
    """error > warning > info, so ``max()`` gives the worst and ``>=`` filters."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        """``'error'``/``'warning'``/``'info'`` (any case) or a Severity."""
        if isinstance(value, Severity):
            return value
        try:
            return cls[str(value).strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown severity {value!r}; use one of error, warning, info"
            ) from None


SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
_RANKS = {str(s): int(s) for s in Severity}


@dataclass(frozen=True)
class Finding:
    """One finding as an object, for code that prefers attributes to a DataFrame row."""

    rule: str
    severity: Severity
    message: str
    clause: str
    file: str | None
    sheet: str | None
    row: int | None
    cell: str | None
    county: str | None
    town: str | None
    village: str | None
    household: str | None
    person: str | None
    name: str | None
    evidence: dict[str, Any]


def empty_frame(columns: Sequence[str]) -> pd.DataFrame:
    """A frame with no rows and ``columns`` of object dtype."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


def empty_findings() -> pd.DataFrame:
    """A findings frame with no rows and the contract's columns and dtypes."""
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in FINDING_COLUMNS})
    frame["row"] = pd.Series(dtype="Int64")
    return frame


@dataclass(frozen=True, eq=False)
class Report:
    """The findings of one run, plus which rules ran and which were skipped and why.

    ``findings`` has exactly ``FINDING_COLUMNS``; ``evidence`` holds dicts of plain
    JSON values. Treat the frame as read-only: ``to_frame()`` gives a copy.
    """

    findings: pd.DataFrame = field(default_factory=empty_findings)
    rules_run: tuple[str, ...] = ()
    rules_skipped: Mapping[str, str] = field(default_factory=dict)
    coverage: pd.DataFrame = field(default_factory=lambda: empty_frame(COVERAGE_COLUMNS))
    rules: pd.DataFrame = field(default_factory=lambda: empty_frame(RULE_STATUS_COLUMNS))
    as_of: pd.DataFrame = field(default_factory=lambda: empty_frame(AS_OF_COLUMNS))

    def __len__(self) -> int:
        return len(self.findings)

    def __iter__(self) -> Iterator[Finding]:
        for record in self.findings.to_dict("records"):
            values = {k: _plain(v) for k, v in record.items()}
            values["severity"] = Severity.parse(values["severity"])
            values["evidence"] = dict(values["evidence"] or {})
            yield Finding(**values)

    def summary(self) -> dict[str, Any]:
        """Counts by severity, by rule and by village (``county/town/village``)."""
        f = self.findings
        by_severity = {s: int((f["severity"] == s).sum()) for s in SEVERITIES}
        by_rule = {str(k): int(v) for k, v in f["rule"].value_counts(sort=False).items()}
        places = _place_labels(f)
        by_village = {str(k): int(v) for k, v in places.value_counts(sort=False).items()}
        return {
            "findings": len(f),
            "by_severity": by_severity,
            "by_rule": dict(sorted(by_rule.items())),
            "by_village": dict(sorted(by_village.items())),
            "rules_run": len(self.rules_run),
            "rules_skipped": len(self.rules_skipped),
        }

    def flatten(self, columns: Sequence[str] = ("row", "rule")) -> list[tuple]:
        """Short tuples for assertions: ``report.flatten(["row", "rule"])``."""
        missing = [c for c in columns if c not in self.findings]
        if missing:
            raise KeyError(f"no such finding field: {', '.join(missing)}")
        out = self.findings[list(columns)]
        return [tuple(_plain(v) for v in row) for row in out.itertuples(index=False, name=None)]

    def to_frame(self) -> pd.DataFrame:
        return self.findings.copy()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: summary, findings (plain values), rules run and skipped."""
        records = [
            {k: _plain(v) for k, v in record.items()} for record in self.findings.to_dict("records")
        ]
        return {
            "summary": self.summary(),
            "findings": records,
            "rules_run": list(self.rules_run),
            "rules_skipped": dict(self.rules_skipped),
        }

    def worst(self) -> Severity | None:
        """The highest severity found, or None when there is no finding."""
        if not len(self.findings):
            return None
        return max(Severity.parse(s) for s in self.findings["severity"].unique())

    def at_or_above(self, severity: str | Severity) -> pd.Series:
        """Boolean mask of the findings at or above ``severity`` (for ``--fail-on``)."""
        level = Severity.parse(severity)
        ranks = self.findings["severity"].astype("object").map(_RANKS).fillna(0)
        return (ranks >= int(level)).astype(bool)


def _place_labels(findings: pd.DataFrame) -> pd.Series:
    """``county/town/village`` with the unknown parts left out."""
    if not len(findings):
        return pd.Series([], dtype="object")
    parts = findings[["county", "town", "village"]].astype("string").fillna("")
    joined = parts["county"] + "/" + parts["town"] + "/" + parts["village"]
    return joined.str.replace(r"^/+|/+$", "", regex=True).str.replace(r"/{2,}", "/", regex=True)


def _plain(value: Any) -> Any:
    """A JSON-ready Python value: no numpy scalars, no NaN/NA/NaT, dates as ISO text."""
    if value is None:
        return None
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | np.datetime64):
        ts = pd.Timestamp(value)
        if pd.isna(ts):
            return None
        return ts.date().isoformat() if ts == ts.normalize() else ts.isoformat()
    if hasattr(value, "isoformat"):  # datetime.date
        return value.isoformat()
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        value = float(value)
        if np.isnan(value) or np.isinf(value):
            return None
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, int | str):
        return value
    return str(value)


plain = _plain
"""Exported for the engine and reporters: one conversion to JSON-ready values."""

__all__ = [
    "AS_OF_COLUMNS",
    "COVERAGE_COLUMNS",
    "FINDING_COLUMNS",
    "RULE_STATUS_COLUMNS",
    "SEVERITIES",
    "Finding",
    "Report",
    "Severity",
    "empty_findings",
    "empty_frame",
    "plain",
]
