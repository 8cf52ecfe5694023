"""`civaudit diff OLD NEW`: dynamic management between two snapshots."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import click

from civaudit.cli.console import SafeConsole, say
from civaudit.cli.options import (
    fail_on_option,
    parse_columns,
    quiet_option,
    resolve_limits,
    run_options,
)
from civaudit.cli.output import emit
from civaudit.diff import STATUSES, DiffResult, diff_rosters
from civaudit.errors import UsageError
from civaudit.findings import Severity
from civaudit.i18n import t
from civaudit.policy import EXAMPLE_POLICY, load_policy
from civaudit.report.diff import print_diff, render_diff
from civaudit.report.findings import summarize
from civaudit.report.manifest import build_manifest, resolve_as_of
from civaudit.roster import Roster, load_roster


@click.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@run_options
@click.option(
    "--old-as-of",
    help="OLD's roster month, YYYY-MM[-DD] (default: the month in OLD's sheet titles, "
    "else NEW's date). --as-of is NEW's.",
)
@fail_on_option
@click.option(
    "--select", multiple=True, help="Only these change.* rules (comma-separated, repeatable)."
)
@click.option("--ignore", multiple=True, help="Leave out these change.* rules (comma-separated).")
@quiet_option
def diff(
    old, new, policy_path, as_of, fmt, outputs, no_mask, sheet, column, jobs, cache,
    limit_specs, old_as_of, fail_on, select, ignore, quiet,
) -> int:  # fmt: skip
    """Compare two snapshots of the rosters (OLD and NEW, each a file or a folder):
    households added (动态纳入), removed (退出), changed and unchanged, counted per
    village, and the change.* rules on them. Exit 0: nothing at or above --fail-on;
    1: findings at or above it; 2: could not compare.

    \b
    Examples:
      civaudit diff 2019年4月/ 2019年10月/
      civaudit diff old.xlsx new.xlsx --old-as-of 2019-04 --as-of 2019-10 -o 变动.xlsx
      civaudit diff exports/2019-09/ exports/2019-10/ -f md --fail-on warning
    """
    started = datetime.now().astimezone()
    policy = load_policy(policy_path) if policy_path else EXAMPLE_POLICY
    columns = {**dict(policy.columns), **parse_columns(column)}
    limits = resolve_limits(policy, limit_specs)
    load = {"sheet": sheet, "columns": columns, "jobs": jobs, "cache": cache, "limits": limits}
    before = load_roster(old, **load)
    after = load_roster(new, **load)
    when, source = resolve_as_of(as_of, policy, after)
    if when is None:  # never today: a diff without NEW's month would date its rules wrongly
        raise UsageError(t("diff.no_month"), t("diff.no_month_hint"))
    old_when, old_source = _old_as_of(old_as_of, policy, before, when)
    if old_when > when:
        raise UsageError(
            t("diff.old_after_new", old=old_when.isoformat(), new=when.isoformat()),
            t("diff.old_after_new_hint"),
        )
    result = diff_rosters(
        before, after, policy, as_of_old=old_when, as_of_new=when,
        select=select, ignore=ignore, mask=not no_mask,
    )  # fmt: skip
    manifest = build_manifest(
        "diff", policy=policy, as_of=when, as_of_source=source, roster=after, started=started
    )
    old_manifest = build_manifest(
        "diff", policy=policy, as_of=old_when, as_of_source=old_source, roster=before,
        started=started,
    )  # fmt: skip
    manifest["old_as_of"] = old_when.isoformat()
    manifest["old_as_of_source"] = old_source
    manifest["old_inputs"] = old_manifest["inputs"]
    manifest["rules_run"] = list(result.report.rules_run)
    manifest["rules_skipped"] = dict(result.report.rules_skipped)

    inputs = [Path(f.path) for f in (*before.files, *after.files)]
    emit(
        outputs,
        fmt,
        inputs=inputs,
        render=lambda kind: render_diff(result, kind, manifest=manifest),
        show=lambda: None if quiet else print_diff(result, SafeConsole()),
    )

    _print_summary(result, policy, (when, source), (old_when, old_source))
    return _exit_code(result, fail_on)


def _old_as_of(given: str | None, policy, roster: Roster, new_date: date) -> tuple[date, str]:
    """OLD's date: --old-as-of, else OLD's sheet titles, else NEW's date (never the
    policy's as_of, which is NEW's month)."""
    try:
        when, source = resolve_as_of(given, replace(policy, as_of=None), roster)
    except UsageError:
        raise UsageError(
            f"--old-as-of {given!r} is not a date", "write YYYY-MM or YYYY-MM-DD"
        ) from None
    if source == "option":
        return when, "--old-as-of"
    if when is None:
        return new_date, "new"
    return when, source


def _print_summary(result: DiffResult, policy, new, old) -> None:
    if policy.is_example:
        say(t("run.example_policy"), err=True)
    else:
        say(t("run.policy", name=policy.title), err=True)
    say(t("diff.as_of_old", date=old[0].isoformat(), source=t("as_of." + old[1])), err=True)
    say(t("diff.as_of_new", date=new[0].isoformat(), source=t("as_of." + new[1])), err=True)
    summary = result.summary()
    say(t("diff.summary", **{k: summary[k] for k in ("old", "new", *STATUSES)}), err=True)
    counts = summarize(result.findings)["by_severity"]
    say(
        t(
            "audit.summary",
            total=len(result.findings),
            errors=counts["error"],
            warnings=counts["warning"],
            infos=counts["info"],
        ),
        err=True,
    )
    skipped = result.report.rules_skipped
    if skipped:
        say(t("audit.skipped", n=len(skipped), rules=", ".join(sorted(skipped))), err=True)


def _exit_code(result: DiffResult, fail_on: str) -> int:
    findings = result.findings
    if fail_on == "never" or findings.empty:
        return 0
    worst = max(Severity.parse(s) for s in findings["severity"].unique())
    return 1 if worst >= Severity.parse(fail_on) else 0
