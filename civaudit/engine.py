"""The engine: run the selected rules over the audit data and turn their hits into findings.

Rules say *which rows* have a problem and with what values (``rules.registry``);
this is the one place that says *where* that is for a user: file, sheet, Excel
row, A1 cell, place, household, person and name, all by merges over the loader's
tables, never a loop over findings. Only the final message text is formatted one
finding at a time.

Masking happens here (``mask=True``, the default): IDs and bank accounts inside
messages, evidence and the ``person``/``household`` columns are masked as the
contract says, so reporters never see a full number unless the user asked.

A finding about a person (a member row) carries that person's ID and name; one
about a household carries no ``person`` and the head's name, so a reader can still
find the family; one about a totals row or a whole village carries neither.
"""

from __future__ import annotations

import dataclasses
import string
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from civaudit import coverage as cov
from civaudit.asof import as_month, distinct_months
from civaudit.errors import UsageError
from civaudit.findings import (
    AS_OF_COLUMNS,
    FINDING_COLUMNS,
    WARNING_COLUMNS,
    Report,
    Severity,
    empty_findings,
    empty_frame,
    plain,
)
from civaudit.i18n import language
from civaudit.policy.model import Policy
from civaudit.privacy import mask_accounts, mask_ids
from civaudit.rules import Rule, all_rules, matches
from civaudit.rules.inputs import AuditData
from civaudit.schema import FIELD_BY_NAME

STRING = pd.StringDtype("pyarrow")

LOCATION_COLUMNS = (
    "file",
    "sheet",
    "row",
    "county",
    "town",
    "village",
    "household",
    "person",
    "name",
)
"""Finding fields the engine looks up; a hit column of the same name overrides them."""

_ROW_TABLES = ("households", "members", "issues", "totals")

_RESERVED = {"table", "ref", "cell", "variant", "scope", *LOCATION_COLUMNS}

ID_KEYS = frozenset({"id_number", "id_original", "id_18", "head_id"})
"""Evidence keys holding ID numbers: masked whatever their shape (an invalid ID too)."""
ACCOUNT_KEYS = frozenset({"bank_account"})
"""Evidence keys holding bank accounts: only the last 4 characters are kept."""

_MEMBER_FIELDS = frozenset(f.name for f in FIELD_BY_NAME.values() if f.level == "member")

# A field at fault whose column may be mapped under other field names, tried in order.
_LOCATED_BY = {
    "households": (
        "file",
        "sheet",
        "county",
        "town",
        "village",
        "household",
        "row",
        "head_name",
        "hh",
    ),
    "members": ("file", "sheet", "row", "id_number", "name", "hh"),
    "issues": ("file", "sheet", "row", "field"),
    "totals": LOCATION_COLUMNS,
}
"""The columns ``_Locations`` reads of each table."""

_FIELD_FALLBACK = {
    "id_number": ("head_id",),
    "head_id_number": ("head_id",),
    "name": ("head_name",),
    "rigid_expense_year": ("rigid_expense_month",),
    "rigid_expense_month": ("rigid_expense_year",),
    "per_capita_income_year": ("per_capita_income_month",),
    "per_capita_income_month": ("per_capita_income_year",),
    "benefit_month": ("benefit_year", "benefit_quarter"),
}

PROVENANCE = {"income_source": ("gross",), "benefit_source": ("month",)}
"""Assess columns saying where a derived value came from, and their values that mean
"read as it is": a finding resting on a derived value carries its source in its
evidence (``income_source: members``), one resting on the roster's own column does not."""


MONTH_RULES: tuple[str, ...] = (
    "phaseout.expired",
    "person.age-implausible",
    "household.head-minor",
    "ext.deceased",
    "ext.cadre-relative-unfiled",
)
"""Rules about a person's or household's time that cannot judge without the roster
month (ages, a phase-out period over, a death or filing before the roster date): run
on each month's households, never on households whose file has no month."""

DATED_RULES: tuple[str, ...] = ("id.mismatch", "single.multiple")
"""Rules that use the month where there is one (an age from the ID) and judge the
rest without it: run on each month's households, those without a month included."""

ROSTER_MONTH_RULES: tuple[str, ...] = ("ext.missed-eligible", "change")
"""Rules over the whole roster that need a month: run at the main month, skipped when
no file has one."""


def select_rules(
    policy: Policy | None = None,
    *,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    rules: Iterable[Rule] | None = None,
) -> list[Rule]:
    """The rules a run uses: ``select`` (all when empty) minus ``ignore`` and the
    policy's ``rules.ignore``. Selectors are ids or family prefixes; commas split."""
    catalogue = list(all_rules() if rules is None else rules)
    select, ignore = _selectors(select), _selectors(ignore)
    ids = [r.id for r in catalogue]
    for selector in (*select, *ignore):
        if not any(matches(i, selector) for i in ids):
            raise UsageError(
                f"unknown rule or family {selector!r}",
                "`civaudit rules` lists the rule ids; a family is the part before the dot",
            )
    ignored = (*ignore, *(policy.rules.ignore if policy is not None else ()))
    return [
        r
        for r in catalogue
        if (not select or any(matches(r.id, s) for s in select))
        and not any(matches(r.id, s) for s in ignored)
    ]


def _selectors(values: Iterable[str]) -> tuple[str, ...]:
    """``['id,dup', 'phaseout']`` -> ``('id', 'dup', 'phaseout')``."""
    if isinstance(values, str):
        values = [values]
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def severity_of(rule: Rule, policy: Policy | None) -> str:
    """The rule's severity after the policy's ``rules.severity`` (an id beats a family)."""
    overrides = policy.rules.severity if policy is not None else {}
    if rule.id in overrides:
        return str(Severity.parse(overrides[rule.id]))
    if rule.family in overrides:
        return str(Severity.parse(overrides[rule.family]))
    return rule.severity


def skip_reason(rule: Rule, data: AuditData, lang: str = "en") -> str | None:
    """Why ``rule`` cannot run on ``data`` (None when it can)."""
    found = skip_status(rule, data)
    if found is None:
        return None
    lang = lang if lang in ("zh", "en") else "en"
    return found[1][lang]


def skip_status(rule: Rule, data: AuditData) -> tuple[str, dict[str, str], dict[str, str]] | None:
    """Why ``rule`` cannot run on ``data``: (code, short text, actionable sentence),
    each text by language; None when it can run. The short text is the report's
    ``rules_skipped``; the sentence (``Report.rules``) says what would let it run."""
    kinds = [k for k in rule.against if k not in data.against]
    if kinds:
        flags = ", ".join(f"--against {k}" for k in kinds)
        short = {"zh": f"需要外部名单：{flags}", "en": f"needs {flags}"}
        lists = {
            lang: ("、" if lang == "zh" else "; ").join(
                cov.text("rules.list", lang, kind=k, label=_list_label(k, lang)) for k in kinds
            )
            for lang in ("zh", "en")
        }
        return "needs-list", short, cov.texts_each("rules.reason.needs-list", lists=lists)
    if rule.check is None:
        short = cov.texts("rules.reason.not-implemented")
        return "not-implemented", short, short
    missing = [need for need in rule.needs if not data.has(need)]
    if missing:
        short = {lang: _missing_text(missing, lang) for lang in ("zh", "en")}
        if any(o.split(".", 1)[1].startswith("pair") for n in missing for o in n.split("|")):
            return "needs-pair", short, cov.texts("rules.reason.needs-pair")
        return "missing-column", short, cov.missing_column_texts(missing)
    if rule.skip is not None:
        reason = rule.skip(data)
        if reason:
            short = {"zh": reason.get("zh") or reason["en"], "en": reason["en"]}
            if rule.family == "change" and getattr(data, "old", None) is None:
                return "needs-diff", short, cov.texts("rules.reason.needs-diff")
            return "rule", short, short
    return None


def _list_label(kind: str, lang: str) -> str:
    from civaudit.i18n.catalog import MESSAGES

    entry = MESSAGES.get(f"against.kind.{kind}")
    return (entry.get(lang) or entry["en"]) if entry else kind


@dataclasses.dataclass(frozen=True)
class Plan:
    """Which rules a run runs and on what: every rule's status (``Report.rules``), the
    rules to run with how each depends on the month, and the skipped rules' reasons.
    Decided once from the run's facts (``AuditData.facts``), so a run cut into shards
    (``pipeline.shards``) runs each rule on every shard, or on none."""

    statuses: tuple[dict[str, Any], ...]
    to_run: tuple[tuple[Rule, str | None], ...]
    skipped: dict[str, str]
    months: tuple[pd.Timestamp | None, ...]

    @property
    def rules_run(self) -> tuple[str, ...]:
        return tuple(rule.id for rule, _ in self.to_run)

    def only(self, ids: Iterable[str]) -> Plan:
        """The plan with only rules ``ids`` left to run (statuses unchanged)."""
        keep = set(ids)
        return dataclasses.replace(self, to_run=tuple(r for r in self.to_run if r[0].id in keep))


def plan_rules(
    data: AuditData,
    *,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    lang: str | None = None,
    rules: Iterable[Rule] | None = None,
) -> Plan:
    """Decide each rule's status from ``data.facts``: not requested, skipped (and why:
    a list, a column or the month it needs) or run (on some months only, and which)."""
    lang = lang or language()
    catalogue = list(all_rules() if rules is None else rules)
    chosen = select_rules(data.policy, select=select, ignore=ignore, rules=catalogue)
    chosen_ids = {r.id for r in chosen}
    groups = _MonthGroups(data)
    to_run: list[tuple[Rule, str | None]] = []
    skipped: dict[str, str] = {}
    statuses: list[dict[str, Any]] = []
    for rule in catalogue:
        status = {
            "rule": rule.id,
            "family": rule.family,
            "severity": severity_of(rule, data.policy),
        }
        if rule.id not in chosen_ids:
            code, sentence = _not_requested(rule, data.policy, select, ignore)
            statuses.append({**status, "status": "not-requested", "reason": code, **sentence})
            continue
        found_skip = skip_status(rule, data)
        kind = _month_kind(rule.id)
        if found_skip is None and kind is not None and not groups.dated(kind):
            sentence = cov.texts("rules.reason.no-month")
            found_skip = ("no-month", sentence, sentence)
        if found_skip is not None:
            code, short, sentence = found_skip
            skipped[rule.id] = short[lang]
            statuses.append(
                {**status, "status": "skipped", "reason": code, "needs": _needs(rule, data, code),
                 **sentence}
            )  # fmt: skip
            continue
        to_run.append((rule, kind))
        partly = groups.partly(kind)
        statuses.append(
            {**status, "status": "run", "reason": "run-partly" if partly else None,
             **(partly or {"zh": cov.text("rules.status.run", "zh"),
                           "en": cov.text("rules.status.run", "en")})}
        )  # fmt: skip
    return Plan(tuple(statuses), tuple(to_run), skipped, tuple(groups.months))


def find(
    data: AuditData,
    plan: Plan,
    *,
    lang: str | None = None,
    mask: bool = True,
    order: bool = False,
) -> pd.DataFrame:
    """The findings of ``plan``'s rules on ``data`` (the whole run, or one shard of it),
    sorted (``sort_findings``); ``order`` keeps the ``_ref`` column that orders them
    (a shard's findings are merged with the others' by it)."""
    lang = lang or language()
    locations = _Locations(data)
    groups = _MonthGroups(data, plan.months)
    frames: list[pd.DataFrame] = []
    for rule, kind in plan.to_run:
        for part in groups.split(kind):
            found = rule.check(part)
            _validate(rule, found)
            if len(found):
                frames.append(_findings(rule, found, data, locations, lang=lang, mask=mask))
    if not frames:
        return (
            empty_findings().assign(_ref=pd.Series(dtype="float64")) if order else empty_findings()
        )
    findings = sort_findings(pd.concat(frames, ignore_index=True))
    for col in FINDING_COLUMNS:  # plain objects, None where unknown
        if col not in ("row", "evidence"):
            findings[col] = _objects(findings[col])
    return findings if order else findings.drop(columns="_ref")


SORT_KEYS = ("file", "sheet", "row", "rule", "_ref")
"""The findings' order: by place, then rule; then (one rule's findings about members
spread across one row) by the member's place in the roster, so every engine (and every
shard of one) gives one order. Other ties keep the rule's own order."""


def sort_findings(findings: pd.DataFrame) -> pd.DataFrame:
    """``findings`` in ``SORT_KEYS`` order (unknown values last)."""
    keys = [k for k in SORT_KEYS if k in findings]
    order = findings[keys].sort_values(keys, kind="stable", na_position="last").index
    return findings.loc[order].reset_index(drop=True)


def run_rules(
    data: AuditData,
    *,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    lang: str | None = None,
    mask: bool = True,
    rules: Iterable[Rule] | None = None,
) -> Report:
    """Run the selected rules and return their findings, sorted by file, sheet, row, rule,
    with the coverage, every rule's status and each file's month.

    A rule whose needs are absent is skipped with the reason, never run. A rule that
    needs the roster month runs on each month's households (``MONTH_RULES``), not on
    those of files without one.
    """
    plan = plan_rules(data, select=select, ignore=ignore, lang=lang, rules=rules)
    findings = find(data, plan, lang=lang, mask=mask)
    return report_of(data, plan, findings, coverage_of(data, mask=mask))


def report_of(data: AuditData, plan: Plan, findings: pd.DataFrame, coverage) -> Report:
    """The Report of a run: ``plan``'s statuses, the findings and coverage (of the whole
    run, or every shard's put together), and the months and warnings of ``data``."""
    return Report(
        findings=findings,
        rules_run=plan.rules_run,
        rules_skipped=dict(plan.skipped),
        coverage=coverage,
        rules=cov.status_frame(plan.statuses),
        as_of=_as_of_frame(data),
        warnings=_warnings(data, list(plan.statuses)),
    )


def _month_kind(rule_id: str) -> str | None:
    """'needs' (``MONTH_RULES``), 'uses' (``DATED_RULES``), 'roster'
    (``ROSTER_MONTH_RULES``) or None: how a rule depends on the roster month."""
    for kind, selectors in (
        ("needs", MONTH_RULES),
        ("uses", DATED_RULES),
        ("roster", ROSTER_MONTH_RULES),
    ):
        if any(matches(rule_id, s) for s in selectors):
            return kind
    return None


class _MonthGroups:
    """The audit data split by month: each household at its file's month, members at
    their household's (else their file's), issues and totals at their file's. The
    months are the whole run's (``AuditData.facts``), so a shard splits as the run."""

    def __init__(self, data: AuditData, months: Iterable | None = None) -> None:
        self.data = data
        h = data.households
        if len(h) and "as_of" in data.assessed:
            self.household_months = pd.to_datetime(data.assessed["as_of"].reindex(h.index))
        else:
            when = pd.NaT if data.as_of is None else pd.Timestamp(data.as_of)
            self.household_months = pd.Series(when, index=h.index, dtype="datetime64[ns]")
        self.run_months = data.facts.household_months()
        self.months = list(months) if months is not None else distinct_months(self.run_months)
        if not self.months:  # no households: the run's month alone
            self.months = [None if data.as_of is None else pd.Timestamp(data.as_of)]

    def dated(self, kind: str) -> bool:
        """Whether a rule of ``kind`` has any households (or, for 'roster', a main
        month) to run on."""
        if kind == "roster":
            return self.data.as_of is not None
        if kind == "needs":
            return any(m is not None for m in self.months)
        return True

    def split(self, kind: str | None) -> list[AuditData]:
        """The data to run a rule of ``kind`` on: the whole, or one part per month."""
        if kind not in ("needs", "uses") or len(self.months) == 1:
            if kind == "uses" and self.months[0] is None:
                return [dataclasses.replace(self.data, as_of=None, shared=self.data.facts)]
            return [self.data]
        parts = [self._part(m) for m in self.months if m is not None or kind == "uses"]
        if self.data.shared is None:
            return parts
        # a shard has some of the run's months only: nothing to check in the others
        return [p for p in parts if any(len(p.table(t)) for t in _ROW_TABLES)]

    def partly(self, kind: str | None) -> dict[str, str] | None:
        """For a rule that needs the month and ran on some months only: the sentence
        saying on which households it did not run."""
        if kind != "needs" or None not in self.months or len(self.months) == 1:
            return None
        months = self.data.facts.months
        missing = months["as_of"].isna().to_numpy(bool)
        files = sorted(months.loc[missing, "file"].dropna().unique())
        shown = ", ".join(map(str, files[:3])) + (" …" if len(files) > 3 else "")
        counts = months["households"].to_numpy("int64")
        return cov.texts(
            "rules.reason.run-partly",
            n=int(counts[~missing].sum()),
            missing=int(counts[missing].sum()),
            files=shown,
        )

    def _part(self, month: pd.Timestamp | None) -> AuditData:
        data = self.data
        h = data.households
        keep_h = self._is(self.household_months, month)
        m = data.members
        if len(m) and "hh" in m and "hh" in h:
            by_hh = pd.Series(self.household_months.to_numpy(), index=h["hh"].to_numpy())
            by_hh = by_hh[~by_hh.index.duplicated()]
            member_months = pd.to_datetime(m["hh"].map(by_hh))
            member_months = member_months.fillna(self._file_months(m))
        else:
            member_months = self._file_months(m)
        return dataclasses.replace(
            data,
            households=h[keep_h],
            members=m[self._is(member_months, month)],
            assessed=data.assessed.reindex(h.index)[keep_h]
            if len(data.assessed)
            else data.assessed,
            issues=self._by_file(data.issues, month),
            totals=self._by_file(data.totals, month),
            as_of=None if month is None else month.date(),
            shared=data.facts,
        )

    def _file_months(self, frame: pd.DataFrame) -> pd.Series:
        months = self.data.months
        if not len(frame) or "file" not in frame or not len(months):
            return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
        by_file = pd.Series(pd.to_datetime(months["as_of"]).to_numpy(), index=months["file"])
        return pd.to_datetime(frame["file"].astype("object").map(by_file))

    def _by_file(self, frame: pd.DataFrame, month) -> pd.DataFrame:
        if not len(frame):
            return frame
        return frame[self._is(self._file_months(frame), month)]

    @staticmethod
    def _is(months: pd.Series, month) -> np.ndarray:
        if month is None:
            return months.isna().to_numpy(dtype=bool)
        return (months == month).fillna(False).to_numpy(dtype=bool)


def _needs(rule: Rule, data: AuditData, code: str) -> str | None:
    """What would let a skipped rule run: the ``--against`` kinds, or the first field
    it lacks (``Report.rules['needs']``)."""
    if code == "needs-list":
        return ",".join(k for k in rule.against if k not in data.against)
    if code == "missing-column":
        for need in rule.needs:
            if not data.has(need):
                fields = [cov.need_field(o) for o in need.split("|")]
                return next((f for f in fields if f), None)
    return None


def _not_requested(rule: Rule, policy, select, ignore) -> tuple[str, dict[str, str]]:
    """Why a rule was left out: not among ``--select``, by ``--ignore`` or by the policy."""
    select, ignore = _selectors(select), _selectors(ignore)
    if select and not any(matches(rule.id, s) for s in select):
        return "not-selected", cov.texts("rules.reason.not-selected", selected=",".join(select))
    if any(matches(rule.id, s) for s in ignore):
        return "ignored", cov.texts("rules.reason.ignored")
    return "policy-ignored", cov.texts("rules.reason.policy-ignored")


def coverage_of(data: AuditData, *, mask: bool) -> pd.DataFrame:
    """``Report.coverage``: every household, assessed or not and why (masked keys)."""
    frame = cov.household_coverage(
        data.households,
        data.assessed,
        members=data.members,
        columns=data.columns,
        issues=data.issues,
    )
    if mask and len(frame):
        frame["household"] = mask_ids(frame["household"]).astype(cov.TEXT)
    return frame


def _as_of_frame(data: AuditData) -> pd.DataFrame:
    """``Report.as_of``: each file's month and its source, and what each source said."""
    months = data.months
    if not len(months):
        return empty_frame(AS_OF_COLUMNS)
    return months.sort_values("file", kind="stable").reset_index(drop=True)


def _warnings(data: AuditData, statuses: list[dict[str, Any]]) -> pd.DataFrame:
    """``Report.warnings``: what a user should know before trusting the result: files
    whose month sources disagree or that have no month, and export pairs with one
    half missing (naming the rules that cannot run)."""
    records: list[dict[str, Any]] = []
    months = data.months
    conflicts = months[months["conflict"].to_numpy(dtype=bool)] if len(months) else months
    for row in conflicts.to_dict("records"):
        key = str(row["disagree"]).split(",")[0]  # the first source that disagrees
        names = {
            lang: {
                "chosen_source": cov.text("as_of." + row["source"], lang),
                "other_source": cov.text("as_of." + key.replace("_", "-"), lang),
            }
            for lang in ("zh", "en")
        }
        sentence = {
            lang: cov.text(
                "as_of.conflict", lang, file=row["file"], chosen=as_month(row["as_of"]),
                other=row[key], **names[lang],
            )
            for lang in ("zh", "en")
        }  # fmt: skip
        records.append({"code": "as-of-conflict", "file": row["file"], **sentence})
    undated = months.loc[months["source"] == "none", "file"].tolist() if len(months) else []
    if undated:
        shown = ", ".join(undated[:3]) + (" …" if len(undated) > 3 else "")
        records.append(
            {"code": "as-of-missing", "file": None, **cov.texts("as_of.missing", files=shown)}
        )
    records += _pair_warnings(data, statuses)
    frame = pd.DataFrame.from_records(records, columns=list(WARNING_COLUMNS))
    return frame.astype("object").where(frame.notna(), None)


def _pair_warnings(data: AuditData, statuses: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A sheet that is one half of the information system's export pair with no other
    half joined: which rules cannot run for want of it."""
    from civaudit.io.pairs import household_sheet, member_sheet

    paired = set()
    if data.pairing is not None:
        paired = {(s.file, s.sheet) for s in getattr(data.pairing, "sides", ())}
    skipped = [
        s["rule"] for s in statuses if s["status"] == "skipped" and s["reason"] == "missing-column"
    ]
    if not skipped:
        return []
    rules = ", ".join(skipped[:8]) + (" …" if len(skipped) > 8 else "")
    out = []
    for sheet in data.sheets:
        if (sheet.file, sheet.sheet) in paired:
            continue
        if member_sheet(sheet):
            key = "noop.pair_members"
        elif household_sheet(sheet) and _export_name(sheet.file):
            key = "noop.pair_households"
        else:
            continue
        out.append(
            {
                "code": "pair-half",
                "file": sheet.file,
                **cov.texts(key, file=sheet.file, rules=rules),
            }
        )
    return out


def _export_name(path: str) -> bool:
    """The system's household export is named 农村低保家庭查询_… (or 城市…, 特困…)."""
    from pathlib import PurePath

    return "家庭查询" in PurePath(path).name


def mask_keys(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings with ``person`` and ``household`` masked as the engine masks them: for
    comparing a report written with ``--no-mask`` with one written without it."""
    if not len(findings):
        return findings
    return findings.assign(
        person=_mask_strong(findings["person"]), household=_mask_shaped(findings["household"])
    )


def finding_key(findings: pd.DataFrame) -> pd.Series:
    """A finding's identity for baselines: rule, file, sheet, household, person and the
    field at fault (from the evidence); never the row number, so a finding survives
    rows being inserted above it."""
    if not len(findings):
        return pd.Series([], dtype="object", index=findings.index)
    parts = [findings[c].astype("string").fillna("") for c in ("rule", "file", "sheet")]
    parts += [findings[c].astype("string").fillna("") for c in ("household", "person")]
    fields = findings["evidence"].astype("object").str.get("field")
    parts.append(fields.astype("string").fillna(""))
    key = parts[0]
    for part in parts[1:]:
        key = key + "\x1f" + part
    return key.astype("object")


# --- where a hit is -------------------------------------------------------------------


class _Locations:
    """The finding fields (file, sheet, row, place, household, person, name) of the
    rows rules hit, looked up for those rows only: on a province roster a rule hits
    a few thousand of a million rows."""

    def __init__(self, data: AuditData) -> None:
        self.data = data
        self.columns = self._cells(data.columns)
        self._hh_index: pd.Index | None = None
        self._cell_keys: pd.Index | None = None
        self._cell_letters = np.zeros(0, dtype=object)
        self._hh_rows = np.zeros(0, dtype="int64")

    def at(self, table: str, refs: pd.Index) -> pd.DataFrame:
        """Location columns (and ``hh``) of rows ``refs`` of ``table``, indexed by refs."""
        if table == "lists":  # a row of an external list is no roster row
            return pd.DataFrame(index=refs, columns=[*LOCATION_COLUMNS, "hh"], dtype="object")
        frame = getattr(self.data, table)
        needed = [c for c in _LOCATED_BY[table] if c in frame]  # not a province's every column
        return getattr(self, "_" + table)(frame[needed].reindex(refs))

    def _households(self, h: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame(index=h.index)
        for col in ("file", "sheet", "county", "town", "village", "household"):
            out[col] = _text(h, col)
        out["row"] = _int(h, "row")
        out["person"] = pd.Series(pd.NA, index=h.index, dtype="object")
        out["name"] = _text(h, "head_name")
        out["hh"] = _int(h, "hh")
        return out[[*LOCATION_COLUMNS, "hh"]]

    def _by_hh(self, hh: pd.Series) -> pd.DataFrame:
        """Household fields for a Series of ``hh`` numbers (NA where unknown)."""
        h = self.data.households
        if self._hh_index is None:
            numbers = h["hh"].astype("Int64") if "hh" in h else pd.Series(dtype="Int64")
            first = (numbers.notna() & ~numbers.duplicated()).to_numpy(dtype=bool)
            self._hh_index = pd.Index(numbers[first])
            self._hh_rows = np.flatnonzero(first)
        at = self._hh_index.get_indexer(pd.Index(hh.astype("Int64")))
        known = at >= 0
        found = self._households(h.iloc[self._hh_rows[at[known]]]).reset_index(drop=True)
        out = found.reindex(np.cumsum(known) - 1).reset_index(drop=True)
        out.loc[~known] = pd.NA
        return out.set_axis(hh.index)

    def _members(self, m: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame(index=m.index)
        out["file"], out["sheet"], out["row"] = _text(m, "file"), _text(m, "sheet"), _int(m, "row")
        out["person"] = _text(m, "id_number")
        out["name"] = _text(m, "name")
        out["hh"] = _int(m, "hh")
        place = self._by_hh(out["hh"])
        for col in ("county", "town", "village", "household"):
            out[col] = place[col]
        return out[[*LOCATION_COLUMNS, "hh"]]

    def _issues(self, i: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame(index=i.index)
        out["file"], out["sheet"], out["row"] = _text(i, "file"), _text(i, "sheet"), _int(i, "row")
        keys = ["file", "sheet", "row"]
        m = self.data.members
        near = m[m["row"].isin(out["row"].dropna())] if "row" in m else m
        members = self._members(near)
        person = out[keys].merge(
            members[[*keys, "person", "name", "hh"]].dropna(subset=["row"]).drop_duplicates(keys),
            on=keys,
            how="left",
        )
        h = self.data.households
        house = out[keys].merge(
            self._households(h[h["row"].isin(out["row"].dropna())] if "row" in h else h)[
                [*keys, "hh"]
            ]
            .dropna(subset=["row"])
            .drop_duplicates(keys),
            on=keys,
            how="left",
        )
        hh = person["hh"].fillna(house["hh"]).set_axis(i.index)
        member_field = _text(i, "field").isin(_MEMBER_FIELDS).astype(bool)
        place = self._by_hh(hh)
        out["person"] = person["person"].set_axis(i.index).where(member_field)
        out["name"] = person["name"].set_axis(i.index).where(member_field, place["name"])
        for col in ("county", "town", "village", "household"):
            out[col] = place[col]
        out["hh"] = hh
        return out[[*LOCATION_COLUMNS, "hh"]]

    def _totals(self, t: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame(index=t.index)
        for col in LOCATION_COLUMNS:
            out[col] = _int(t, col) if col == "row" else _text(t, col)
        out[["county", "town", "village", "household", "person", "name"]] = pd.NA
        out["hh"] = pd.Series(pd.NA, index=t.index, dtype="Int64")
        return out[[*LOCATION_COLUMNS, "hh"]]

    def fill_places(self, where: pd.DataFrame) -> None:
        """County, town and village where a finding has none of its own (a totals row,
        a member without a household): its sheet's, as ``civaudit.place`` found them."""
        places = self.data.places
        levels = ["county", "town", "village"]
        if places is None or not len(places) or not len(where):
            return
        missing = where[levels].isna().to_numpy().any(axis=1)
        if not missing.any():
            return
        probe = where.loc[missing, ["file", "sheet"]].astype("object")
        found = probe.merge(places[["file", "sheet", *levels]], on=["file", "sheet"], how="left")
        for level in levels:
            values = found[level].to_numpy(dtype=object)
            current = where.loc[missing, level]
            where.loc[missing, level] = current.where(current.notna(), values).to_numpy(object)

    @staticmethod
    def _cells(columns: pd.DataFrame) -> pd.DataFrame:
        """file, sheet, field -> column letter, for the fields a sheet maps."""
        need = {"file", "sheet", "column", "field"}
        if not need <= set(columns):
            return pd.DataFrame({c: pd.Series(dtype="object") for c in need})
        mapped = columns[columns["field"].notna()]
        if "how" in mapped:
            mapped = mapped[~mapped["how"].isin(["unmapped", "duplicate", "clash", "superseded"])]
        cells = mapped[["file", "sheet", "field", "column"]].astype("object")
        return cells.drop_duplicates(["file", "sheet", "field"])

    def cells(self, where: pd.DataFrame, fields: pd.Series) -> pd.Series:
        """A1 references: the column of ``fields`` in each row's sheet, plus the row."""
        if not len(where):
            return pd.Series([], dtype="object", index=where.index)
        fields = fields.astype("object").reset_index(drop=True)
        letter = self._letters(where, fields)
        depth = max(len(v) for v in _FIELD_FALLBACK.values())
        for i in range(depth):
            missing = pd.isna(letter)
            if not missing.any():
                break
            other = fields.map({k: v[i] for k, v in _FIELD_FALLBACK.items() if len(v) > i})
            letter = np.where(missing, self._letters(where, other), letter)
        row = where["row"].astype("Int64").astype(STRING)
        cell = (pd.Series(letter, index=where.index, dtype=STRING) + row).astype("object")
        return cell.where(cell.notna(), None)

    def _letters(self, where: pd.DataFrame, fields: pd.Series) -> np.ndarray:
        """The column letter of each row's ``fields`` in its file and sheet (None where the
        sheet maps no such field), looked up in an index of the mapping built once."""
        if self._cell_keys is None:
            c = self.columns
            keys = _keys(c["file"], c["sheet"], c["field"])
            known = pd.notna(keys)
            self._cell_keys = pd.Index(keys[known])
            self._cell_letters = np.append(c["column"].astype("object").to_numpy()[known], None)
        keys = _keys(where["file"], where["sheet"], fields)
        at = self._cell_keys.get_indexer(keys)
        at[(at < 0) | pd.isna(keys)] = len(self._cell_keys)  # the None at the end
        return self._cell_letters[at]

    def own_cells(self, found: pd.DataFrame, where: pd.DataFrame, looked: pd.Series) -> pd.Series:
        """``looked`` with the cells of members spread from a wide or list sheet
        (``io.members``): such a member's fields come from its own columns, named per
        member row by ``member_cells`` (``name=G;id_number=H``), not the sheet's mapping."""
        m = self.data.members
        if "member_cells" not in m or "field" not in found or not len(found):
            return looked
        on = found["table"].eq("members").to_numpy(dtype=bool)
        if not on.any():
            return looked
        texts = m["member_cells"].reindex(pd.Index(found["ref"][on])).astype("object")
        fields = found["field"][on].astype("object").to_numpy()
        spread = texts.notna().to_numpy() & np.isin(fields, list(_MEMBER_FIELDS))
        if not spread.any():
            return looked
        pairs = pd.DataFrame({"text": texts.to_numpy()[spread], "field": fields[spread]})
        letters = {}
        for text, field in pairs.drop_duplicates().itertuples(index=False):  # few distinct
            table = dict(part.split("=", 1) for part in str(text).split(";") if "=" in part)
            letters[(text, field)] = table.get(field)
        letter = pd.Series(
            [letters[key] for key in zip(pairs["text"], pairs["field"], strict=True)],
            dtype="object",
        )
        rows = where["row"][on][spread].astype("Int64").astype(STRING).to_numpy()
        cells = (letter.astype(STRING) + pd.Series(rows, dtype=STRING)).astype("object")
        out = looked.copy()
        at = found.index[on][spread]
        out.loc[at] = cells.where(cells.notna(), None).to_numpy()
        return out


def _keys(*parts: pd.Series) -> np.ndarray:
    """One text key per row of ``parts`` (file, sheet, field), None where one is missing."""
    texts = [pd.Series(p.astype("object").to_numpy(), dtype=STRING) for p in parts]
    return texts[0].str.cat(texts[1:], sep="\x1f").astype("object").to_numpy()


def _text(frame: pd.DataFrame, name: str) -> pd.Series:
    if name not in frame:
        return pd.Series(pd.NA, index=frame.index, dtype="object")
    return frame[name].astype(STRING).astype("object").where(frame[name].notna(), pd.NA)


def _int(frame: pd.DataFrame, name: str) -> pd.Series:
    if name not in frame:
        return pd.Series(pd.NA, index=frame.index, dtype="Int64")
    return pd.to_numeric(frame[name], errors="coerce").astype("Int64")


# --- hits -> findings -----------------------------------------------------------------


def _validate(rule: Rule, found: pd.DataFrame) -> None:
    if not isinstance(found, pd.DataFrame) or not {"table", "ref"} <= set(found.columns):
        raise TypeError(f"rule {rule.id}: check must return a frame with 'table' and 'ref'")


def _findings(
    rule: Rule,
    found: pd.DataFrame,
    data: AuditData,
    locations: _Locations,
    *,
    lang: str,
    mask: bool,
) -> pd.DataFrame:
    found = found.reset_index(drop=True)
    where = pd.DataFrame(index=found.index, columns=list(LOCATION_COLUMNS), dtype="object")
    where["row"] = pd.Series(pd.NA, index=found.index, dtype="Int64")
    for table, part in found.groupby("table", sort=False):
        looked = locations.at(str(table), pd.Index(list(part["ref"]))).set_axis(part.index)
        for col in LOCATION_COLUMNS:
            where.loc[part.index, col] = looked[col].to_numpy(dtype=object)
    where["row"] = pd.to_numeric(where["row"], errors="coerce").astype("Int64")
    for col in LOCATION_COLUMNS:  # the rule's own values win where it gives one
        if col in found:
            given = found[col].notna()
            if col == "row":
                values = pd.to_numeric(found[col], errors="coerce").astype("Int64")
                where[col] = values.where(given, where[col])
            else:
                where[col] = found[col].astype("object").where(given, where[col])
    locations.fill_places(where)
    scope = found["scope"] if "scope" in found else pd.Series(None, index=found.index)
    village_wide = scope.eq("village").fillna(False).astype(bool)
    if village_wide.any():  # a finding about a whole village has no row or person
        where.loc[village_wide, ["household", "person", "name"]] = pd.NA
        where["row"] = where["row"].mask(village_wide)

    cell = pd.Series(None, index=found.index, dtype="object")
    if "cell" in found:
        cell = found["cell"].astype("object").where(found["cell"].notna(), None)
    if "field" in found:
        looked = locations.own_cells(found, where, locations.cells(where, found["field"]))
        cell = cell.where(cell.notna() & cell.astype(str).ne(""), looked)
    cell = cell.mask(village_wide, None)

    evidence_cols = [c for c in found.columns if c not in _RESERVED and not c.startswith("_")]
    evidence = {c: _evidence_values(found[c], c, mask) for c in evidence_cols}
    provenance = _provenance(rule, found, data)
    evidence.update({k: v for k, v in provenance.items() if k not in evidence})

    person = where["person"]
    household = where["household"]
    if mask:
        person = _mask_strong(person)
        household = _mask_shaped(household)
    out = pd.DataFrame(
        {
            "rule": rule.id,
            "severity": severity_of(rule, data.policy),
            "message": _messages(
                rule, found, evidence, where.assign(household=household), cell, person, lang
            ),
            "clause": rule.clause,
            "file": where["file"],
            "sheet": where["sheet"],
            "row": where["row"],
            "cell": cell,
            "county": where["county"],
            "town": where["town"],
            "village": where["village"],
            "household": _objects(household),
            "person": _objects(person),
            "name": where["name"],
            "evidence": _records(evidence, len(found), sparse=tuple(provenance)),
        },
        index=found.index,
    )
    # members spread across one row: ordered by their place in the roster (``SORT_KEYS``)
    spread = found["table"].eq("members").to_numpy(dtype=bool)
    out["_ref"] = pd.to_numeric(found["ref"], errors="coerce").astype("float64").where(spread)
    return out[[*FINDING_COLUMNS, "_ref"]]


def _objects(values: pd.Series) -> pd.Series:
    values = values.astype("object")
    return values.where(values.notna(), None)


def _evidence_values(values: pd.Series, key: str, mask: bool) -> list[Any]:
    """One evidence column as plain JSON values, masked where it holds IDs or accounts."""
    if mask and key in ID_KEYS:
        values = _mask_strong(values)
    elif mask and key in ACCOUNT_KEYS:
        values = mask_accounts(values.astype("object").where(values.notna(), None))
    elif mask and (values.dtype == object or isinstance(values.dtype, pd.StringDtype)):
        values = _mask_shaped(values)
    return [plain(v) for v in values.astype("object").tolist()]


def _mask_shaped(values: pd.Series) -> pd.Series:
    """``privacy.mask_ids`` on the text values only: what looks like an ID is masked."""
    values = values.astype("object")
    is_text = values.map(lambda v: isinstance(v, str))
    if not is_text.any():
        return values
    out = values.copy()
    out[is_text] = mask_ids(values[is_text]).astype("object").to_numpy(dtype=object)
    return out


def _mask_strong(values: pd.Series) -> pd.Series:
    """Mask ID-number text of any shape: first 6 and last 4 characters kept (shorter
    texts keep only the last 4), so even a mistyped ID is not shown in full."""
    text = values.astype("object").where(values.notna(), None).astype(STRING)
    n = text.str.len().fillna(0).astype("int64")
    stars_long = pd.Series("*", index=text.index, dtype="object").str.repeat(
        (n - 10).clip(lower=0).tolist()
    )
    stars_short = pd.Series("*", index=text.index, dtype="object").str.repeat(
        (n - 4).clip(lower=0).tolist()
    )
    long_form = text.str.slice(0, 6) + stars_long.astype(STRING) + text.str.slice(-4)
    short_form = stars_short.astype(STRING) + text.str.slice(-4)
    masked = long_form.where(n > 10, short_form.where(n > 4, text))
    return masked.astype("object").where(text.notna(), None)


def _records(
    evidence: dict[str, list[Any]], n: int, sparse: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """One evidence dict per finding; ``sparse`` keys are left out where None."""
    if not evidence:
        return [{} for _ in range(n)]
    keys = list(evidence)
    columns = [evidence[k] for k in keys]
    records = [dict(zip(keys, values, strict=True)) for values in zip(*columns, strict=True)]
    if sparse:
        for record in records:
            for key in sparse:
                if key in record and record[key] is None:
                    del record[key]
    return records


def _provenance(rule: Rule, found: pd.DataFrame, data: AuditData) -> dict[str, list[Any]]:
    """For a rule that rests on the assessment's income or benefit, where each hit
    household's value came from, where it was derived (``PROVENANCE``); None where
    it was read as it is."""
    needs = " ".join(rule.needs)
    wanted = [
        col
        for col, word in (
            ("income_source", "gross_income_year"),
            ("benefit_source", "benefit_month"),
        )
        if word in needs and col in data.assessed
    ]
    on = found["table"].eq("households").to_numpy(dtype=bool)
    if not wanted or not on.any():
        return {}
    out = {}
    refs = pd.Index(found["ref"][on])
    for col in wanted:
        values = data.assessed[col].astype("object").reindex(refs).to_numpy(dtype=object)
        direct = pd.isna(values) | np.isin(values.astype(str), PROVENANCE[col])
        column = np.full(len(found), None, dtype=object)
        column[on] = np.where(direct, None, values)
        if any(v is not None for v in column):
            out[col] = column.tolist()
    return out


# --- messages -------------------------------------------------------------------------


class _Values(dict):
    def __missing__(self, key: str) -> str:
        return "?"


_FORMATTER = string.Formatter()


def _messages(
    rule: Rule,
    found: pd.DataFrame,
    evidence: dict[str, list[Any]],
    where: pd.DataFrame,
    cell: pd.Series,
    person: pd.Series,
    lang: str,
) -> list[str]:
    """Each finding's sentence: the rule's template filled with its (masked) values."""
    columns: dict[str, list[str]] = {}
    for key, values in evidence.items():
        columns[key] = [_show(v, lang) for v in values]
    for col in found.columns:  # message-only values; NA leaves the evidence value
        if not col.startswith("_"):
            continue
        name, _, suffix = col[1:].rpartition("_")
        if suffix not in ("zh", "en"):
            name = col[1:]
        elif suffix != lang:
            continue
        values = [plain(v) for v in found[col].tolist()]
        before = columns.get(name, ["—"] * len(values))
        columns[name] = [before[i] if v is None else _show(v, lang) for i, v in enumerate(values)]
    for key, values in (
        ("file", where["file"]),
        ("sheet", where["sheet"]),
        ("row", where["row"]),
        ("name", where["name"]),
        ("county", where["county"]),
        ("town", where["town"]),
        ("village", where["village"]),
        ("household", where["household"]),
        ("cell", cell),
        ("person", person),
    ):
        columns.setdefault(key, [_show(plain(v), lang) for v in values.astype("object").tolist()])
    variants = found["variant"].tolist() if "variant" in found else [None] * len(found)
    keys = list(columns)
    rows = zip(*(columns[k] for k in keys), strict=True)
    out = []
    for variant, values in zip(variants, rows, strict=True):
        template = rule.template(lang, None if _missing(variant) else str(variant))
        out.append(_FORMATTER.vformat(template, (), _Values(zip(keys, values, strict=True))))
    return out


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, list | dict | str) and bool(pd.isna(value)))


def _show(value: Any, lang: str) -> str:
    """A plain evidence value as message text: 400 not 400.0, 266.67 not 266.666...,
    1.5 not 1.50."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text
    if isinstance(value, list):
        return "; ".join(_show(v, lang) for v in value)
    if isinstance(value, dict):
        return ", ".join(_show(v, lang) for v in value.values())
    return str(value)


def _missing_text(missing: list[str], lang: str) -> str:
    """'the roster has no column for sex, birth date or age' (any one would do)."""
    labels = []
    for need in missing:
        names = list(dict.fromkeys(_need_label(o, lang) for o in need.split("|")))
        if lang == "zh":
            labels.append("“" + "”或“".join(names) + "”")
        else:
            labels.append(
                ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]
            )
    if lang == "zh":
        return "花名册没有" + "，也没有".join(labels) + "列"
    return "the roster has no column for " + "; nor for ".join(labels)


# Columns the loader derives from another field (the one a user would add or map).
_DERIVED = {
    "role": "relation",
    "member_rows": "relation",
    "heads": "relation",
    "birth_date_precision": "birth_date",
}


def _need_label(need: str, lang: str) -> str:
    source, _, name = need.partition(".")
    if source == "assessed":
        return "核算结果" if lang == "zh" else "the assessment"
    if name.startswith("head_id_"):
        name = "head_id"
    elif name.startswith("id_"):
        name = "id_number"
    name = _DERIVED.get(name, name)
    field_ = FIELD_BY_NAME.get(name)
    if field_ is None:
        return name
    return field_.zh if lang == "zh" else field_.en


__all__ = [
    "ACCOUNT_KEYS",
    "ID_KEYS",
    "AuditData",
    "finding_key",
    "mask_keys",
    "run_rules",
    "select_rules",
    "severity_of",
    "skip_reason",
]
