"""What a run checked and what it did not: household coverage and rule statuses.

An audit that finds nothing is worth something only when the user can see what it
looked at. Two tables say it, both part of every ``Report``:

- **coverage**, one row per household: assessed or not, and if not, why, as a
  stable code (``REASONS``). The assessment's ``state`` step knows that a value is
  missing; here that becomes *why*: the sheet has no column for it
  (``income-missing``), the cell is blank (``income-blank``), or the cell could not
  be read (``income-unreadable``: the loader listed it among the issues). A
  household that is assessed but has no recorded benefit is assessed, and marked
  ``benefit_checked`` False.
- **rule statuses**, one row per catalogue rule: ``run``, ``skipped`` (selected,
  but its data is missing) or ``not-requested``, with a code and a sentence in zh
  and en that says what would let it run: which column (and a header that gives
  it), which ``--against`` list, the roster month, or ``civaudit diff``.

Both are built from tables the engine already holds, vectorised (merges and
group-bys over households, never a loop over them), and sorted, so the same
rosters give equal frames whatever the order of files or the engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from civaudit.findings import (
    COVERAGE_COLUMNS,
    COVERAGE_REASONS,
    RULE_STATUS_COLUMNS,
    percent,
    summarize_coverage,
    summarize_rules,
)
from civaudit.i18n.coverage import MESSAGES
from civaudit.schema import FIELD_BY_NAME

REASONS = COVERAGE_REASONS
"""Why a household was not assessed, in the order the primary reason is chosen."""

EXTRA_COLUMNS: tuple[str, ...] = ("reasons", "income_source", "benefit_source", "benefit_checked")
"""Coverage columns beyond ``COVERAGE_COLUMNS``: every reason (comma-joined), where
gross income and the recorded benefit came from, and whether the benefit was compared."""

COLUMNS: tuple[str, ...] = (*COVERAGE_COLUMNS, *EXTRA_COLUMNS)
TEXT = pd.StringDtype()
"""The dtype of the coverage frame's text columns (``row`` is Int64, ``assessed`` and
``benefit_checked`` bool): one dtype whatever the loader or engine, so two Reports of
the same rosters compare equal."""

RULE_REASONS: tuple[str, ...] = (
    "run-partly",
    "needs-list",
    "missing-column",
    "needs-pair",
    "no-month",
    "needs-diff",
    "not-implemented",
    "rule",
    "not-selected",
    "ignored",
    "policy-ignored",
)
"""Codes of ``Report.rules['reason']``: why a rule was skipped or not requested, or
(``run-partly``) why it ran on part of the households only."""

STATUS_EXTRA_COLUMNS: tuple[str, ...] = ("needs", "family", "severity")
"""``Report.rules`` columns beyond ``RULE_STATUS_COLUMNS``: what would let a skipped
rule run (the ``--against`` kinds, comma-joined, or the first field it lacks), the
family and the severity in force (after the policy's overrides)."""
STATUS_COLUMNS: tuple[str, ...] = (*RULE_STATUS_COLUMNS, *STATUS_EXTRA_COLUMNS)

INCOME_FIELDS = frozenset(
    {
        "gross_income_year",
        "wage_income",
        "business_income",
        "property_income",
        "transfer_income",
        "household_income_month",
        "per_capita_income_year",
        "per_capita_income_month",
        "income_year",
        "income_month",
    }
)
"""Fields the assessment can take a household's income from (``assess.income``)."""
SIZE_FIELDS = frozenset({"household_size"})

# state-step code -> (coverage code when the sheet has no column, the fields it needs)
_REFINED = {
    "income-missing": ("income", INCOME_FIELDS),
    "size-missing": ("size", SIZE_FIELDS),
}
_MAPPED_HOW = ("unmapped", "duplicate", "clash")


def text(key: str, lang: str, **values: Any) -> str:
    """A coverage message in ``lang`` (not the language in force: a Report holds both)."""
    entry = MESSAGES[key]
    template = entry.get(lang) or entry["en"]
    return template.format(**values) if values else template


def texts(key: str, **values: Any) -> dict[str, str]:
    """A coverage message in both languages, the same values in each."""
    return {lang: text(key, lang, **values) for lang in ("zh", "en")}


def texts_each(key: str, **values: Mapping[str, Any]) -> dict[str, str]:
    """A coverage message in both languages, each value given per language."""
    return {
        lang: text(key, lang, **{k: v[lang] for k, v in values.items()}) for lang in ("zh", "en")
    }


# --- households ----------------------------------------------------------------------------


def household_coverage(
    households: pd.DataFrame,
    assessed: pd.DataFrame,
    *,
    members: pd.DataFrame | None = None,
    columns: pd.DataFrame | None = None,
    issues: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per household (``COLUMNS``): assessed or not, the primary reason and
    every reason, sorted by file, sheet and row. ``household`` holds the key as the
    roster gives it (the engine masks it)."""
    n = len(households)
    if not n or not len(assessed):
        return _empty()
    assessed = assessed.reindex(households.index)
    state = assessed["state"] if "state" in assessed else pd.Series(pd.NA, index=households.index)
    ok = state.eq("ok").fillna(False).to_numpy(dtype=bool)
    bits = _reason_bits(assessed, households, members, columns, issues) * ~ok
    primary = np.full(n, None, dtype=object)
    for i in range(len(REASONS) - 1, -1, -1):  # the lowest bit wins: REASONS order
        primary = np.where((bits >> i) & 1 == 1, REASONS[i], primary)
    distinct, at = np.unique(bits, return_inverse=True)
    labels = np.array(
        [",".join(r for i, r in enumerate(REASONS) if b >> i & 1) or None for b in distinct],
        dtype=object,
    )
    recorded = _number(assessed, "recorded_base")
    row = (
        pd.to_numeric(households["row"], errors="coerce").astype("Int64")
        if "row" in households
        else pd.array([pd.NA] * n, dtype="Int64")
    )
    out = pd.DataFrame(
        {
            "file": _strings(households, "file"),
            "sheet": _strings(households, "sheet"),
            "row": row,
            "county": _strings(households, "county"),
            "town": _strings(households, "town"),
            "village": _strings(households, "village"),
            "household": _strings(households, "household"),
            "name": _strings(households, "head_name"),
            "assessed": ok,
            "reason": pd.array(primary, dtype=TEXT),
            "reasons": pd.array(labels[at.reshape(-1)], dtype=TEXT),
            "income_source": _strings(assessed, "income_source"),
            "benefit_source": _strings(assessed, "benefit_source"),
            "benefit_checked": ok & ~np.isnan(recorded),
        },
        index=households.index,
    )
    out = out.sort_values(["file", "sheet", "row"], kind="stable", na_position="last")
    return out.reset_index(drop=True)


def _reason_bits(assessed, households, members, columns, issues) -> np.ndarray:
    """Per household, bits of ``REASONS`` from the assessment's ``reason`` codes, with a
    missing value told apart as no column, a blank or an unreadable cell."""
    from civaudit.assess.codes import STATE_REASONS

    n = len(households)
    state = _state_bits(assessed, STATE_REASONS)
    bits = np.zeros(n, dtype=np.int64)
    for i, name in enumerate(STATE_REASONS):
        has = (state >> i) & 1 == 1
        if not has.any():
            continue
        if name in _REFINED:
            stem, fields = _REFINED[name]
            column = _has_column(households, members, columns, fields)
            unreadable = _unreadable(households, members, issues, fields)
            code = np.where(
                ~column,
                REASONS.index(f"{stem}-missing"),
                np.where(
                    unreadable, REASONS.index(f"{stem}-unreadable"), REASONS.index(f"{stem}-blank")
                ),
            )
            bits |= np.where(has, np.left_shift(1, code), 0)
        else:
            bits |= np.where(has, 1 << REASONS.index(name), 0)
    return bits


def _state_bits(assessed: pd.DataFrame, names: tuple[str, ...]) -> np.ndarray:
    """The assessment's comma-joined ``reason`` as bits of ``names`` (a loop over the
    distinct labels, not the rows)."""
    if "reason" not in assessed:
        return np.zeros(len(assessed), dtype=np.int64)
    codes, uniques = pd.factorize(assessed["reason"].astype("object"))
    values = np.array(
        [sum(1 << names.index(p) for p in str(u).split(",") if p in names) for u in uniques] + [0],
        dtype=np.int64,
    )
    return values[np.where(codes >= 0, codes, len(values) - 1)]


def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=TEXT) for c in COLUMNS})
    return frame.astype({"row": "Int64", "assessed": bool, "benefit_checked": bool})


def _strings(frame: pd.DataFrame, name: str) -> pd.Series:
    """A text column as ``TEXT`` (NA where blank or absent): cheap for the loader's
    string columns, and one dtype whatever the loader gave."""
    if name not in frame:
        return pd.Series(pd.NA, index=frame.index, dtype=TEXT)
    return frame[name].astype(TEXT)


def _number(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def mapped_sheets(columns: pd.DataFrame | None, fields: Iterable[str]) -> pd.DataFrame:
    """(file, sheet) of the sheets that map any of ``fields``."""
    fields = set(fields)
    if columns is None or not len(columns) or not {"file", "sheet", "field"} <= set(columns):
        return pd.DataFrame({"file": pd.Series(dtype="object"), "sheet": pd.Series(dtype="object")})
    mapped = columns[columns["field"].isin(fields).to_numpy(dtype=bool)]
    if "how" in mapped:
        mapped = mapped[~mapped["how"].isin(_MAPPED_HOW).to_numpy(dtype=bool)]
    return mapped[["file", "sheet"]].astype("object").drop_duplicates()


def _has_column(households, members, columns, fields) -> np.ndarray:
    """Whether each household's sheet, or a sheet of its member rows, maps a field."""
    sheets = mapped_sheets(columns, fields).assign(_has=True)
    if columns is None or not len(columns):  # no mapping known: judge by the columns
        frames = [households, members if members is not None else pd.DataFrame()]
        present = any(f in frame for frame in frames for f in fields)
        return np.full(len(households), present, dtype=bool)
    keys = households[["file", "sheet"]].astype("object")
    own = keys.merge(sheets, on=["file", "sheet"], how="left")["_has"].notna().to_numpy()
    if members is None or not len(members) or "hh" not in members or "hh" not in households:
        return own
    their = members[["file", "sheet", "hh"]].astype({"file": "object", "sheet": "object"})
    their = their.merge(sheets, on=["file", "sheet"], how="inner")
    with_members = households["hh"].isin(their["hh"]).to_numpy(dtype=bool)
    return own | with_members


def _unreadable(households, members, issues, fields) -> np.ndarray:
    """Whether an issue (a cell that could not be read) names one of ``fields`` on the
    household's row or one of its member rows."""
    n = len(households)
    if issues is None or not len(issues) or not {"file", "sheet", "row", "field"} <= set(issues):
        return np.zeros(n, dtype=bool)
    bad = issues[issues["field"].isin(set(fields)).to_numpy(dtype=bool)]
    if not len(bad):
        return np.zeros(n, dtype=bool)
    keys = ["file", "sheet", "row"]
    bad = _keyed(bad[keys]).drop_duplicates().assign(_bad=True)
    own = _keyed(households[keys]).merge(bad, on=keys, how="left")["_bad"].notna().to_numpy()
    if members is None or not len(members) or "hh" not in members or "hh" not in households:
        return own
    their = _keyed(members[[*keys, "hh"]]).merge(bad, on=keys, how="inner")
    return own | households["hh"].isin(their["hh"]).to_numpy(dtype=bool)


def _keyed(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in ("file", "sheet"):
        out[col] = out[col].astype("object")
    out["row"] = pd.to_numeric(out["row"], errors="coerce").astype("Int64")
    return out


def percent_text(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}".removesuffix(".0") + "%"


def below(coverage: pd.DataFrame, required: float) -> bool:
    """Whether fewer than ``required`` percent of the households were assessed (none
    at all counts as below any requirement)."""
    total = len(coverage)
    if not total:
        return True
    return int(coverage["assessed"].sum()) * 100 < required * total


def coverage_lines(summary: Mapping[str, Any], lang: str, *, limit: int = 3) -> list[str]:
    """The terminal's first lines: households assessed, and per reason how many were
    not and in which files (``38 of 50 households not assessed: household income
    missing (see 张纪镇….xlsx)``)."""
    total = summary["households"]
    if not total:
        return [text("coverage.none", lang)]
    lines = [
        text(
            "coverage.line",
            lang,
            assessed=summary["assessed"],
            total=total,
            percent=percent_text(summary["percent"]),
        )
    ]
    for reason, n in summary["by_reason"].items():
        files = [f["file"] for f in summary["files"] if f["by_reason"].get(reason) and f["file"]]
        shown = ", ".join(files[:limit])
        if len(files) > limit:
            shown += " " + text("coverage.more_files", lang, n=len(files) - limit)
        label = text(f"coverage.reason.{reason}", lang)
        hint = MESSAGES.get(f"coverage.hint.{reason}")
        if hint:
            label += "; " + (hint.get(lang) or hint["en"])
        lines.append(
            text("coverage.not_assessed", lang, n=n, total=total, reason=label, files=shown)
        )
    if summary["benefit_unchecked"]:
        lines.append(text("coverage.benefit_unchecked", lang, n=summary["benefit_unchecked"]))
    return lines


# --- rules -------------------------------------------------------------------------------


def status_frame(records: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """``STATUS_COLUMNS`` from one record per rule, in catalogue order."""
    frame = pd.DataFrame.from_records(list(records), columns=list(STATUS_COLUMNS))
    return frame.astype("object").where(frame.notna(), None)


def rule_lines(rules: pd.DataFrame, lang: str, *, limit: int = 5) -> list[str]:
    """One line of counts, then the rules not run (or run on part of the households),
    grouped: the external lists in one line, each other sentence in one."""
    if not len(rules):
        return []
    status = rules["status"]
    lines = [
        text(
            "rules.line",
            lang,
            run=int((status == "run").sum()),
            skipped=int((status == "skipped").sum()),
            not_requested=int((status == "not-requested").sum()),
        )
    ]

    def listed(ids: list[str]) -> str:
        return ", ".join(ids[:limit]) + (" …" if len(ids) > limit else "")

    partly = rules[rules["reason"] == "run-partly"]
    for sentence, part in partly.groupby(lang, sort=False):
        ids = part["rule"].tolist()
        lines.append(text("rules.partly_group", lang, n=len(ids), rules=listed(ids), text=sentence))
    skipped = rules[status == "skipped"]
    lists = skipped[skipped["reason"] == "needs-list"]
    if len(lists):
        needs = lists["needs"] if "needs" in lists else pd.Series([], dtype="object")
        kinds = list(dict.fromkeys(k for v in needs.dropna() for k in str(v).split(",")))
        lines.append(
            text(
                "rules.lists_group",
                lang,
                n=len(lists),
                rules=listed(lists["rule"].tolist()),
                kinds=_kinds_text(kinds, lang),
            )
        )
    others = skipped[skipped["reason"] != "needs-list"]
    for sentence, part in others.groupby(lang, sort=False):
        ids = part["rule"].tolist()
        lines.append(
            text("rules.skipped_group", lang, n=len(ids), rules=listed(ids), text=sentence)
        )
    return lines


# --- what a need is, for people ----------------------------------------------------------

_DERIVED = {
    "role": "relation",
    "member_rows": "relation",
    "heads": "relation",
    "birth_date_precision": "birth_date",
    "pair": "head_id",
    "pair_head_id": "head_id",
}


def need_field(option: str) -> str | None:
    """The roster field a need (``households.head_id_number``, ``members.id_status``)
    comes from; None for the assessment and the lists."""
    source, _, name = option.partition(".")
    if source in ("assessed", "against"):
        return None
    if name.startswith("head_id_"):
        name = "head_id"
    elif name.startswith("id_"):
        name = "id_number"
    name = _DERIVED.get(name, name)
    return name if name in FIELD_BY_NAME else None


def headers_of(field: str, limit: int = 2) -> list[str]:
    """Chinese headers that mean ``field`` (the first ``limit`` of the alias table)."""
    from civaudit.io.aliases import ALIASES

    found = [h for h, f in ALIASES.items() if f == field and any(c >= "\u4e00" for c in h)]
    return found[:limit]


def missing_column_texts(missing: Sequence[str]) -> dict[str, str]:
    """The sentence for a rule skipped for missing columns: the fields (any one of each
    need), a header that gives the first, and the ``--column`` to map one."""
    groups = []
    for need in missing:
        fields = [f for f in (need_field(o) for o in need.split("|")) if f]
        if fields:
            groups.append(list(dict.fromkeys(fields)))
    if not groups:
        return texts("rules.reason.missing-column", fields="?", headers="?", field="?")
    first = groups[0][0]
    headers = headers_of(first) or [FIELD_BY_NAME[first].zh]
    out = {}
    for lang in ("zh", "en"):
        labels = []
        for fields in groups:
            names = [getattr(FIELD_BY_NAME[f], lang) for f in fields]
            names = list(dict.fromkeys(names))
            if lang == "zh":
                labels.append("“" + "”或“".join(names) + "”")
            else:
                labels.append(
                    names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
                )
        joined = ("和" if lang == "zh" else "; and for ").join(labels)
        sep = "、" if lang == "zh" else " or "
        out[lang] = text(
            "rules.reason.missing-column",
            lang,
            fields=joined,
            headers=sep.join(headers),
            field=first,
        )
    return out


__all__ = [
    "COLUMNS",
    "EXTRA_COLUMNS",
    "INCOME_FIELDS",
    "REASONS",
    "RULE_REASONS",
    "STATUS_COLUMNS",
    "below",
    "coverage_lines",
    "headers_of",
    "household_coverage",
    "mapped_sheets",
    "missing_column_texts",
    "need_field",
    "percent",
    "percent_text",
    "rule_lines",
    "status_frame",
    "summarize_coverage",
    "summarize_rules",
    "text",
    "texts",
]


def _kinds_text(kinds: list[str], lang: str) -> str:
    """The --against kinds as typed, each with its name in Chinese: ``deaths（死亡名单）``."""
    if lang != "zh":
        return ", ".join(kinds)
    from civaudit.i18n.catalog import MESSAGES

    labels = [MESSAGES.get(f"against.kind.{k}", {}).get("zh") for k in kinds]
    return "、".join(
        f"{k}（{label}）" if label else k for k, label in zip(kinds, labels, strict=True)
    )
