"""What the printable reports (the xlsx workbook, the HTML page) show, worked out once.

Both reports tell an inspector the same things: what was read, how much of it could
be assessed, the findings counted by severity, village and rule family, and the
findings in the order a team works through them (severity, village, household),
each with its rule's title in the reader's language and its evidence as short
"field: value" text. This module computes those from the findings frame and the
``Report`` frames (coverage, rule statuses, as-of months), in the current language;
the writers only lay them out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from civaudit.findings import (
    AS_OF_COLUMNS,
    COVERAGE_COLUMNS,
    RULE_STATUS_COLUMNS,
    empty_frame,
)
from civaudit.findings import plain as json_value
from civaudit.i18n import language, t
from civaudit.i18n.catalog import MESSAGES
from civaudit.schema import FIELD_BY_NAME

SEVERITY_ORDER = ("error", "warning", "info")
STATUS_ORDER = ("run", "skipped", "not-requested")

_NOISE = re.compile(
    r"（[^）]*）|\([^)]*\)|农村低保|城市低保|低保|花名册|人员查询|家庭查询|农村|城市"
)
_VILLAGE = re.compile(r"[\u4e00-\u9fff]{1,12}?村")


@dataclass(frozen=True)
class ReportContext:
    """What a report shows besides the findings: the roster's size, each household's
    head (by household key), and the ``Report`` frames filled by the engine."""

    households: int | None = None
    members: int | None = None
    heads: Mapping[str, str] = field(default_factory=dict)
    coverage: pd.DataFrame = field(default_factory=lambda: empty_frame(COVERAGE_COLUMNS))
    rules: pd.DataFrame = field(default_factory=lambda: empty_frame(RULE_STATUS_COLUMNS))
    as_of: pd.DataFrame = field(default_factory=lambda: empty_frame(AS_OF_COLUMNS))


def village_of(village: Any, sheet: Any, file: Any) -> str:
    """The village a finding belongs to: its 村 value, else a 村 named in the sheet
    name or the file name (``朱家营子村低保花名册.xlsx``), else the sheet, else the file."""
    if isinstance(village, str) and village.strip():
        return village.strip()
    stem = Path(str(file)).stem if isinstance(file, str) else ""
    for text in (sheet, stem):
        if isinstance(text, str):
            match = _VILLAGE.search(_NOISE.sub("", text))
            if match:
                return match.group(0)
    if isinstance(sheet, str) and sheet and not re.search(r"\d{4}\s*年|^sheet\d*$", sheet, re.I):
        return sheet
    return stem or "—"


def places(findings: pd.DataFrame) -> pd.Series:
    """``village_of`` for each finding (computed once per distinct village, sheet, file)."""
    if not len(findings):
        return pd.Series([], dtype="object", index=findings.index)
    keys = findings[["village", "sheet", "file"]].astype("object")
    keys = keys.where(keys.notna(), None)
    distinct = keys.drop_duplicates()
    labels = {tuple(row): village_of(*row) for row in distinct.itertuples(index=False, name=None)}
    return pd.Series(
        [labels[tuple(row)] for row in keys.itertuples(index=False, name=None)],
        index=findings.index,
        dtype="object",
    )


def ordered(findings: pd.DataFrame) -> pd.DataFrame:
    """The findings with their ``place`` (village label), sorted by severity, then
    village, then household, then file and row: the order a team works in."""
    out = findings.copy()
    out["place"] = places(findings)
    rank = out["severity"].map({s: i for i, s in enumerate(SEVERITY_ORDER)}).fillna(9)
    out["_rank"] = rank.astype("int64")
    out["_household"] = out["household"].astype("string").fillna("\uffff")
    out["_row"] = pd.to_numeric(out["row"], errors="coerce").fillna(0)
    out["_file"] = out["file"].astype("string").fillna("")
    out = out.sort_values(["_rank", "place", "_household", "_file", "_row"], kind="stable")
    return out.drop(columns=["_rank", "_household", "_row", "_file"])


def rule_titles(lang: str | None = None) -> dict[str, str]:
    """Rule id -> its title in ``lang`` (default: the current language)."""
    from civaudit.rules.registry import all_rules

    lang = lang or language()
    return {r.id: r.title.get(lang) or r.title["en"] for r in all_rules()}


def family_of(rule: str) -> str:
    return str(rule).split(".", 1)[0]


def family_label(family: str) -> str:
    key = "family." + family
    return t(key) if key in MESSAGES else family


def field_label(name: str) -> str:
    """A field or evidence key in the reader's language (schema labels first)."""
    spec = FIELD_BY_NAME.get(name)
    if spec is not None:
        return spec.zh if language() == "zh" else spec.en
    key = "evidence." + name
    return t(key) if key in MESSAGES else name


def _value_text(value: Any) -> str:
    value = json_value(value)
    if value is None:
        return "—"
    if isinstance(value, bool):
        return t("value.yes") if value else t("value.no")
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) >= 1000 else f"{value:g}"
    if isinstance(value, dict):
        where = " ".join(
            str(value[k]) for k in ("file", "sheet", "row") if value.get(k) is not None
        )
        if value.get("file"):
            where = " ".join(
                [Path(str(value["file"])).name]
                + [str(value[k]) for k in ("sheet",) if value.get(k)]
                + ([t("where.row", row=value["row"])] if value.get("row") is not None else [])
            )
        who = " ".join(str(value[k]) for k in ("name", "head_name") if value.get(k))
        return " ".join(p for p in (where, who) if p) or ", ".join(
            f"{field_label(k)} {_value_text(v)}" for k, v in value.items()
        )
    if isinstance(value, list):
        return "; ".join(_value_text(v) for v in value)
    return str(value)


def evidence_text(evidence: Any, *, limit: int = 5) -> str:
    """The evidence as short lines, ``field: value``, labels in the reader's language.
    The field at fault (``field``) is where the finding points, not evidence."""
    if not isinstance(evidence, Mapping) or not evidence:
        return ""
    lines = [f"{field_label(k)}: {_value_text(v)}" for k, v in evidence.items() if k != "field"]
    if len(lines) > limit:
        lines = [*lines[:limit], "…"]
    return "\n".join(lines)


def counts_by(findings: pd.DataFrame, key: pd.Series) -> pd.DataFrame:
    """Findings per ``key`` value and severity: columns error, warning, info, total;
    sorted by total (then name)."""
    if not len(findings):
        return pd.DataFrame(columns=[*SEVERITY_ORDER, "total"], dtype="int64")
    table = pd.crosstab(key.astype("object"), findings["severity"].astype("object"))
    table = table.reindex(columns=list(SEVERITY_ORDER), fill_value=0).astype("int64")
    table["total"] = table.sum(axis=1)
    table = table.reset_index(names="name").sort_values(
        ["total", "name"], ascending=[False, True], kind="stable"
    )
    return table.set_index("name")


def by_family(findings: pd.DataFrame) -> pd.DataFrame:
    """``counts_by`` rule family, indexed by the family's label."""
    table = counts_by(findings, findings["rule"].map(family_of))
    table.index = [family_label(f) for f in table.index]
    return table


def coverage_overview(coverage: pd.DataFrame) -> dict[str, Any] | None:
    """Households in the roster, assessed and not, with the reasons counted (None when
    the engine gave no coverage)."""
    if coverage is None or not len(coverage):
        return None
    assessed = coverage["assessed"].fillna(False).astype(bool)
    reasons = coverage.loc[~assessed, "reason"].astype("object").fillna("unknown")
    return {
        "households": len(coverage),
        "assessed": int(assessed.sum()),
        "unassessed": int((~assessed).sum()),
        "share": float(assessed.mean()) if len(coverage) else 0.0,
        "reasons": {str(k): int(v) for k, v in reasons.value_counts().items()},
    }


def reason_text(reason: Any) -> str:
    """A coverage reason code in the reader's language."""
    if not isinstance(reason, str) or not reason:
        return "—"
    key = "coverage.reason." + reason
    return t(key) if key in MESSAGES else reason


def unassessed(coverage: pd.DataFrame) -> pd.DataFrame:
    """The households that could not be assessed, with their place and reason."""
    if coverage is None or not len(coverage):
        return empty_frame(COVERAGE_COLUMNS)
    out = coverage[~coverage["assessed"].fillna(False).astype(bool)].copy()
    out["place"] = [
        village_of(v, s, f)
        for v, s, f in zip(out["village"], out["sheet"], out["file"], strict=True)
    ]
    out["_row"] = pd.to_numeric(out["row"], errors="coerce").fillna(0)
    return out.sort_values(["place", "file", "sheet", "_row"], kind="stable").drop(columns="_row")


def rule_statuses(rules: pd.DataFrame) -> pd.DataFrame:
    """The rule statuses ordered run, skipped, not requested, with the sentence in the
    reader's language and the rule's title."""
    if rules is None or not len(rules):
        return empty_frame([*RULE_STATUS_COLUMNS, "title", "sentence"])
    titles = rule_titles()
    out = rules.copy()
    lang = language()
    out["title"] = out["rule"].map(titles).fillna(out["rule"])
    sentence = out[lang] if lang in out else out["en"]
    out["sentence"] = sentence.where(sentence.notna(), out.get("en")).fillna("")
    rank = out["status"].map({s: i for i, s in enumerate(STATUS_ORDER)}).fillna(9)
    return (
        out.assign(_rank=rank).sort_values(["_rank", "rule"], kind="stable").drop(columns="_rank")
    )


def policy_line(manifest: Mapping[str, Any]) -> str:
    """``Policy: name`` in the reader's language; the built-in example policy is named
    in it too, and marked as illustrative."""
    policy = manifest.get("policy") or {}
    if policy.get("example"):
        return t("report.policy", name=t("policy.example_name"))
    return t("report.policy", name=policy.get("name"))


def as_of_lines(as_of: pd.DataFrame, manifest: Mapping[str, Any]) -> list[str]:
    """The roster month audited: one line for the run, and one per file where the
    files name different months or sources."""
    source = manifest.get("as_of_source")
    key = f"as_of.{source}"
    lines = [
        t("report.as_of", date=manifest.get("as_of"), source=t(key) if key in MESSAGES else source)
    ]
    if (
        as_of is not None
        and len(as_of)
        and as_of[["as_of", "source"]].drop_duplicates().shape[0] > 1
    ):
        for row in as_of.itertuples(index=False):
            key = f"as_of.{row.source}"
            lines.append(
                f"  {Path(str(row.file)).name}: {row.as_of or '—'} "
                f"({t(key) if key in MESSAGES else row.source})"
            )
    return lines


__all__ = [
    "SEVERITY_ORDER",
    "ReportContext",
    "as_of_lines",
    "by_family",
    "counts_by",
    "coverage_overview",
    "evidence_text",
    "family_label",
    "field_label",
    "ordered",
    "places",
    "policy_line",
    "reason_text",
    "rule_statuses",
    "rule_titles",
    "unassessed",
    "village_of",
]
