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

COVERAGE_REASONS: tuple[str, ...] = (
    "income-missing",
    "income-blank",
    "income-unreadable",
    "size-missing",
    "size-blank",
    "size-unreadable",
    "size-below-one",
    "region-unknown",
    "no-standard",
    "month-missing",
    "phaseout-amount-missing",
)
"""The codes of ``Report.coverage['reason']``, in the order the primary reason is
chosen (``civaudit.coverage`` builds the frame; ``i18n.coverage`` has the texts)."""

RULE_STATUS_COLUMNS: tuple[str, ...] = ("rule", "status", "reason", "zh", "en")
"""``Report.rules``: one row per catalogue rule. ``status`` is ``run``, ``skipped``
(selected, but its data is missing) or ``not-requested`` (left out by ``--select``,
``--ignore`` or the policy); ``reason`` is a code, ``zh``/``en`` a sentence a person
can act on (which column or list it needs, which header or ``--against`` gives it)."""

AS_OF_COLUMNS: tuple[str, ...] = ("file", "as_of", "source")
"""``Report.as_of``: per input file, the roster month audited and where it came from
(``option``, ``policy``, ``title``, ``sheet-name``, ``file-name``, ``folder``; ``none``
when no source names one). The engine adds what each of the file's own sources said
(``title``, ``sheet_name``, ``file_name``, ``folder``: ``YYYY-MM`` or None) and
``conflict`` (they name different months)."""

WARNING_COLUMNS: tuple[str, ...] = ("code", "file", "zh", "en")
"""``Report.warnings``: what a user should know before trusting the result, one
sentence in each language (``as-of-conflict``, ``as-of-missing``, ``pair-half``)."""


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
    """The findings of one run, and what the run checked and what it did not.

    ``findings`` has exactly ``FINDING_COLUMNS``; ``evidence`` holds dicts of plain
    JSON values. ``coverage`` has a row per household (assessed or not, and why),
    ``rules`` a row per catalogue rule (run, skipped or not requested, and what would
    let it run, in zh and en), ``as_of`` a row per file (its roster month and where
    it came from), ``warnings`` what a user should know before trusting the result.
    Treat the frames as read-only: ``to_frame()`` gives a copy of the findings.
    """

    findings: pd.DataFrame = field(default_factory=empty_findings)
    rules_run: tuple[str, ...] = ()
    rules_skipped: Mapping[str, str] = field(default_factory=dict)
    coverage: pd.DataFrame = field(default_factory=lambda: empty_frame(COVERAGE_COLUMNS))
    rules: pd.DataFrame = field(default_factory=lambda: empty_frame(RULE_STATUS_COLUMNS))
    as_of: pd.DataFrame = field(default_factory=lambda: empty_frame(AS_OF_COLUMNS))
    warnings: pd.DataFrame = field(default_factory=lambda: empty_frame(WARNING_COLUMNS))

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
            "households": len(self.coverage),
            "assessed": int(self.coverage["assessed"].astype(bool).sum()),
        }

    def coverage_summary(self, *, households: bool = True) -> dict[str, Any]:
        """Households assessed, overall, by reason, per file and per sheet; with
        ``households`` the ones not assessed (row, key, name, reasons). JSON-ready."""
        return summarize_coverage(self._coverage(), households=households)

    def coverage_percent(self) -> float | None:
        """Percent of the households assessed (rounded down, one decimal); None when
        the roster has none."""
        return percent(int(self.coverage["assessed"].astype(bool).sum()), len(self.coverage))

    def rules_summary(self) -> dict[str, Any]:
        """Rules run, skipped and not requested, each with its sentence in zh and en."""
        return summarize_rules(self.rules)

    def as_of_records(self) -> list[dict[str, Any]]:
        """Each file's month and its source (and what each source said), JSON-ready."""
        return [{k: _plain(v) for k, v in r.items()} for r in self.as_of.to_dict("records")]

    def _coverage(self) -> pd.DataFrame:
        """The coverage frame with every column the summaries read (a frame built with
        the declared columns only, a Report read back, has no extras)."""
        frame = self.coverage
        if "reasons" not in frame:
            frame = frame.assign(reasons=frame["reason"])
        if "benefit_checked" not in frame:
            frame = frame.assign(benefit_checked=frame["assessed"])
        return frame.astype({"assessed": bool, "benefit_checked": bool})

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
        """JSON-ready: summary, findings (plain values), rules run and skipped, the
        coverage (per file, per sheet, per reason, with the households not assessed),
        every rule's status, each file's month and the warnings."""
        records = [
            {k: _plain(v) for k, v in record.items()} for record in self.findings.to_dict("records")
        ]
        return {
            "summary": self.summary(),
            "findings": records,
            "rules_run": list(self.rules_run),
            "rules_skipped": dict(self.rules_skipped),
            "coverage": _plain(self.coverage_summary()),
            "rules": _plain(self.rules_summary()),
            "as_of": self.as_of_records(),
            "warnings": [
                {k: _plain(v) for k, v in r.items()} for r in self.warnings.to_dict("records")
            ],
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


# --- coverage and rule-status summaries (JSON-ready) -------------------------------------


def summarize_coverage(coverage: pd.DataFrame, *, households: bool = True) -> dict[str, Any]:
    """Counts overall, by reason, per file and per sheet; with ``households`` the
    not-assessed households of each sheet (row, key, name, reasons). JSON-ready."""
    total = len(coverage)
    done = coverage["assessed"].to_numpy(dtype=bool) if total else np.zeros(0, bool)
    checked = coverage["benefit_checked"].to_numpy(dtype=bool) if total else np.zeros(0, bool)
    out: dict[str, Any] = {
        "households": total,
        "assessed": int(done.sum()),
        "not_assessed": int(total - done.sum()),
        "percent": percent(int(done.sum()), total),
        "benefit_unchecked": int((done & ~checked).sum()),
        "by_reason": _by_reason(coverage["reason"]) if total else {},
        "files": [],
    }
    if not total:
        return out
    frame = coverage.assign(
        file=coverage["file"].fillna("").astype(str), sheet=coverage["sheet"].fillna("").astype(str)
    )
    sheets = frame.groupby(["file", "sheet"], sort=True)["assessed"].agg(["size", "sum"])
    files = frame.groupby("file", sort=True)["assessed"].agg(["size", "sum"])
    missing = frame[~done]
    by_sheet = missing.groupby(["file", "sheet"], sort=True)["reason"].value_counts()
    by_file = missing.groupby("file", sort=True)["reason"].value_counts()
    listed: dict[tuple[str, str], list[dict[str, Any]]] = {}
    if households:
        for f, sh, r, h, nm, rs, all_ in zip(
            missing["file"].tolist(),
            missing["sheet"].tolist(),
            missing["row"].tolist(),
            missing["household"].tolist(),
            missing["name"].tolist(),
            missing["reason"].tolist(),
            missing["reasons"].tolist(),
            strict=True,
        ):
            listed.setdefault((f, sh), []).append(
                {"row": None if pd.isna(r) else int(r), "household": h, "name": nm,
                 "reason": rs, "reasons": all_}
            )  # fmt: skip
    reasons_of_sheet = _nested(by_sheet, 2)
    reasons_of_file = _nested(by_file, 1)
    entries: dict[str, dict[str, Any]] = {}
    for file, (n, k) in files.iterrows():
        entries[file] = {"file": file or None, **_counts(int(n), int(k)), "sheets": []}
        entries[file]["by_reason"] = _ordered(reasons_of_file.get((file,), {}))
    for (file, sheet), (n, k) in sheets.iterrows():
        item = {"sheet": sheet or None, **_counts(int(n), int(k))}
        item["by_reason"] = _ordered(reasons_of_sheet.get((file, sheet), {}))
        if households:
            item["not_assessed_households"] = listed.get((file, sheet), [])
        entries[file]["sheets"].append(item)
    out["files"] = list(entries.values())
    return out


def _counts(n: int, done: int) -> dict[str, Any]:
    return {
        "households": n,
        "assessed": done,
        "not_assessed": n - done,
        "percent": percent(done, n),
    }


def _nested(counts: pd.Series, depth: int) -> dict[tuple, dict[str, int]]:
    out: dict[tuple, dict[str, int]] = {}
    for key, value in counts.items():
        out.setdefault(tuple(key[:depth]), {})[str(key[depth])] = int(value)
    return out


def _ordered(counts: Mapping[str, int]) -> dict[str, int]:
    rank = {r: i for i, r in enumerate(COVERAGE_REASONS)}
    return {k: counts[k] for k in sorted(counts, key=lambda r: rank.get(r, len(rank)))}


def _by_reason(reason: pd.Series) -> dict[str, int]:
    counts = reason.dropna().value_counts()
    return _ordered({str(k): int(v) for k, v in counts.items()})


def percent(part: int, total: int) -> float | None:
    """``part`` of ``total`` in percent, one decimal, rounded down (99.96 is not 100);
    None when there is nothing to count."""
    if not total:
        return None
    return float(np.floor(1000 * part / total) / 10)


def summarize_rules(rules: pd.DataFrame) -> dict[str, Any]:
    """Counts by status and the rules of each (JSON-ready), with each rule's sentences."""
    out: dict[str, Any] = {"run": 0, "skipped": 0, "not_requested": 0, "rules": []}
    for record in rules.to_dict("records"):
        out[str(record["status"]).replace("-", "_")] += 1
        out["rules"].append(
            {k: record.get(k) for k in ("rule", "status", "reason", "needs", "zh", "en")}
        )
    return out


plain = _plain
"""Exported for the engine and reporters: one conversion to JSON-ready values."""

__all__ = [
    "AS_OF_COLUMNS",
    "COVERAGE_COLUMNS",
    "COVERAGE_REASONS",
    "FINDING_COLUMNS",
    "RULE_STATUS_COLUMNS",
    "SEVERITIES",
    "WARNING_COLUMNS",
    "Finding",
    "Report",
    "Severity",
    "empty_findings",
    "empty_frame",
    "percent",
    "plain",
    "summarize_coverage",
    "summarize_rules",
]
