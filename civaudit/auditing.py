"""The audit of a loaded roster, the library form of ``civaudit audit``: each file at its
month, a monthly workbook at its audited month with the month before compared
(``change.*``), the rules run (``engine``), one Report.

It sits above the engine and the snapshot comparison (``diff``), which it combines;
neither of them imports it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import date

import pandas as pd

from civaudit.asof import RosterMonths, resolve_months
from civaudit.diff import diff_rosters
from civaudit.engine import run_rules, select_rules
from civaudit.findings import Report
from civaudit.policy.model import Policy
from civaudit.roster import Roster
from civaudit.rules.inputs import AuditData
from civaudit.series import MonthSplit, month_date, month_day, split_months, subset


def audit(
    roster,
    policy: Policy,
    *,
    as_of: date | str | None = None,
    months: RosterMonths | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    lang: str | None = None,
    mask: bool = True,
    against: Mapping[str, pd.DataFrame] | None = None,
) -> Report:
    """Assess a loaded roster and run the rules: the library form of ``civaudit audit``.

    The Report holds the findings, the coverage (``Report.coverage``: every household,
    assessed or not and why), every rule's status (``Report.rules``: run, skipped or
    not requested, with what would let it run) and each file's month and its source
    (``Report.as_of``). ``as_of`` (a date or ``YYYY-MM``) dates every file; without it
    each file takes its own month (``civaudit.asof``), and the rules that need one are
    not run on files that have none. ``against`` holds external lists by kind, as
    ``civaudit.external.load_list`` gives them. A monthly workbook (``civaudit.series``)
    is audited at its as-of month, the month before giving the ``change.*`` findings.
    """
    report, _ = audit_months(
        roster, policy, as_of=as_of, months=months, select=select, ignore=ignore, lang=lang,
        mask=mask, against=against,
    )  # fmt: skip
    return report


def month_changes(
    split: MonthSplit,
    policy,
    *,
    as_of: date | None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    lang: str | None = None,
    mask: bool = True,
):
    """The ``change.*`` findings of each series' audited month against the month before
    it, as ``civaudit diff`` gives them (None when there is nothing to compare or no
    change rule is selected)."""
    if split.previous is None:
        return None
    chosen = [r.id for r in select_rules(policy, select=select, ignore=ignore)]
    chosen = [rule for rule in chosen if rule.startswith("change.")]
    if not chosen:
        return None
    reports = []
    for info in split.series:
        if info["previous"] is None:
            continue
        new_as_of = as_of or month_day(info["audited"]["month"])
        if new_as_of is None:  # a series whose months name no year, and no --as-of
            continue
        file = info["file"]
        old = subset(split.previous, split.previous.households["file"].astype(str) == file)
        new = subset(split.current, split.current.households["file"].astype(str) == file)
        result = diff_rosters(
            old,
            new,
            policy,
            as_of_old=min(month_date(info["previous"]["month"], new_as_of), new_as_of),
            as_of_new=new_as_of,
            select=chosen,
            lang=lang,
            mask=mask,
        )
        reports.append(result.report)
    return reports or None


def with_changes(report, changes):
    """``report`` with the month-to-month change findings added: the change rules that
    ran are no longer listed as skipped."""
    if not changes:
        return report
    frames = [report.findings, *(c.findings for c in changes)]
    findings = pd.concat([f for f in frames if len(f)] or frames[:1], ignore_index=True)
    findings = findings.sort_values(
        ["file", "sheet", "row", "rule"], kind="stable", na_position="last"
    ).reset_index(drop=True)
    ran = [r for c in changes for r in c.rules_run]
    skipped = dict(report.rules_skipped)
    for c in changes:
        for rule, reason in c.rules_skipped.items():
            if rule not in ran:
                skipped[rule] = reason
    for rule in ran:
        skipped.pop(rule, None)
    run = tuple(dict.fromkeys([*report.rules_run, *ran]))
    rules = report.rules.copy()
    # the change rules' statuses are those of the month-to-month comparisons (run where
    # one ran them), not the single roster's "needs two snapshots"
    theirs = pd.concat([c.rules for c in changes if len(c.rules)], ignore_index=True)
    theirs = theirs[theirs["rule"].str.startswith("change.") & theirs["status"].ne("not-requested")]
    if len(theirs):
        theirs = theirs.assign(_ran=theirs["status"].eq("run"))
        best = theirs.sort_values("_ran", ascending=False, kind="stable").drop_duplicates("rule")
        best = best.set_index("rule")
        at = rules["rule"].isin(best.index).to_numpy(dtype=bool)
        for col in rules.columns.intersection(best.columns).drop("rule", errors="ignore"):
            rules.loc[at, col] = best.loc[rules.loc[at, "rule"], col].to_numpy()
    return dataclasses.replace(
        report, findings=findings, rules_run=run, rules_skipped=skipped, rules=rules
    )


def audit_months(roster: Roster, policy, *, as_of=None, months=None, **options):
    """``engine.run_rules`` on the roster's audited months, plus their change findings:
    (report, split). ``as_of`` and ``months`` are ``engine.audit``'s (``months``, when
    given, as ``civaudit.asof.resolve_months`` gave them); ``options``: ``select``,
    ``ignore``, ``lang``, ``mask``, ``against``."""
    against = options.pop("against", None)
    if months is None:
        months = resolve_months(roster, policy, as_of)
    fixed = months.main if months.main_source in ("option", "policy") else None
    split = split_months(roster, fixed)
    data = AuditData.from_roster(split.current, policy, against=against, months=months)
    report = run_rules(data, **options)
    changes = month_changes(split, policy, as_of=fixed, **options)
    return with_changes(report, changes), split


__all__ = ["audit", "audit_months", "month_changes", "with_changes"]
