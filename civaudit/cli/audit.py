"""`civaudit audit`: load, assess, run the rules, report the findings."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click
import pandas as pd
from rich.console import Console

from civaudit.cli.options import (
    against_option,
    fail_on_option,
    ignore_option,
    parse_columns,
    quiet_option,
    run_options,
    select_option,
)
from civaudit.cli.output import emit
from civaudit.cli.progress import stage_progress
from civaudit.engine import AuditData, finding_key, run_rules
from civaudit.errors import LoadError, UsageError
from civaudit.external import load_against
from civaudit.findings import Severity
from civaudit.i18n import t
from civaudit.i18n.errors import error_text
from civaudit.io.read import read_workbook
from civaudit.policy import EXAMPLE_POLICY, load_policy
from civaudit.report.findings import print_table, render_findings, summarize
from civaudit.report.html import audit_html
from civaudit.report.manifest import build_manifest, resolve_as_of
from civaudit.report.output import format_for
from civaudit.report.present import ReportContext
from civaudit.report.review import apply_reviews, dismissed, read_reviews
from civaudit.report.workbook import SheetCopy, inspector_workbook
from civaudit.roster import Roster, load_roster
from civaudit.schema import FIELD_BY_NAME


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@run_options
@fail_on_option
@select_option
@ignore_option
@against_option
@click.option(
    "--baseline",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A previous JSON report: only findings not in it count for --fail-on.",
)
@click.option(
    "--reviewed",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A returned xlsx report: carry its 核查结论 verdicts over; findings marked "
    "不属实 no longer count for --fail-on.",
)
@click.option(
    "--sheet-rows",
    type=click.IntRange(min=0),
    default=20_000,
    show_default=True,
    help="Rows of each roster sheet copied into an xlsx report.",
)
@quiet_option
@click.option(
    "--strict",
    is_flag=True,
    help="Stop with exit 2 when any file cannot be read (default: audit the others, "
    "list the file as not audited, exit at least 1).",
)
def audit(
    paths, policy_path, as_of, fmt, outputs, no_mask, sheet, column, jobs, cache, strict,
    fail_on, select, ignore, baseline, reviewed, sheet_rows, quiet, against_specs,
) -> int:  # fmt: skip
    """Load rosters, recompute each household under the policy, run the rules and
    report the findings. Exit 0: nothing at or above --fail-on; 1: findings at or
    above it; 2: could not audit.

    \b
    Examples:
      civaudit audit sample_data/
      civaudit audit 花名册/ --policy 县政策.toml -o 核查报告.xlsx -o report.json
      civaudit audit exports/ -f md --fail-on warning --baseline last.json
      civaudit audit 花名册/ --against deaths=死亡名单.xlsx --against cadres=村干部.xlsx
    """
    started = datetime.now().astimezone()
    policy = load_policy(policy_path) if policy_path else EXAMPLE_POLICY
    columns = {**dict(policy.columns), **parse_columns(column)}
    against, lists = load_against(against_specs)
    for item in lists:
        label = t(f"against.kind.{item['kind']}")
        click.echo(t("against.loaded", label=label, **item), err=True)
    wants_xlsx = any(format_for(o, fmt, terminal=False) == "xlsx" for o in outputs) or (
        fmt == "xlsx"
    )
    with stage_progress(enabled=not quiet) as step:
        roster = load_roster(
            list(paths),
            sheet=sheet,
            columns=columns,
            progress=step.file,
            jobs=jobs,
            cache=cache,
            on_error="raise" if strict else "skip",
            keep_rows=sheet_rows if wants_xlsx else 0,
        )
        if roster.files and all(f.error for f in roster.files):
            first = roster.files[0]
            raise LoadError(first.error, "no input could be read: nothing was audited")
        when, source = resolve_as_of(as_of, policy, roster)
        step.stage(t("progress.assess"))
        data = AuditData.from_roster(roster, policy, as_of=when, against=against)
        step.stage(t("progress.rules"))
        report = run_rules(data, select=select, ignore=ignore, mask=not no_mask)
    findings = report.findings
    manifest = build_manifest(
        "audit", policy=policy, as_of=when, as_of_source=source, roster=roster, started=started
    )
    manifest["against"] = lists
    manifest["rules_run"] = list(report.rules_run)
    manifest["rules_skipped"] = dict(report.rules_skipped)
    if reviewed is not None:
        findings = apply_reviews(findings, read_reviews(reviewed))
    new = _new_findings(findings, baseline) & ~dismissed(findings)
    manifest["baseline"] = str(baseline) if baseline else None
    manifest["reviewed"] = str(reviewed) if reviewed else None
    summary = summarize(findings)
    summary["new"] = int(new.sum())
    if reviewed is not None:
        summary["reviewed"] = {
            str(k): int(v) for k, v in findings["verdict"].value_counts().items()
        }
    summary["not_audited"] = [{"path": f.path, "error": f.error} for f in roster.files if f.error]

    inputs = [Path(f.path) for f in roster.files] + [Path(item["path"]) for item in lists]

    def render(kind: str) -> bytes:
        if kind == "xlsx":
            return inspector_workbook(
                findings, summary, manifest, sheet_copies(roster, sheet_rows),
                row_limit=sheet_rows, mask=not no_mask, context=report_context(roster, report),
            )  # fmt: skip
        if kind == "html":
            return audit_html(findings, summary, manifest, report_context(roster, report))
        return render_findings(findings, kind, manifest=manifest, summary=summary)

    def show() -> None:
        if not quiet:
            print_table(findings, summary, Console())

    emit(outputs, fmt, inputs=inputs, render=render, show=show)

    _print_summary(summary, policy, when, source, report.rules_skipped, baseline)
    for failed in summary["not_audited"]:
        click.echo(f"civaudit: {t('audit.not_audited')}: {error_text(failed['error'])}", err=True)
    code = _exit_code(findings[new], fail_on)
    return max(code, 1) if summary["not_audited"] else code


def _new_findings(findings: pd.DataFrame, baseline: Path | None) -> pd.Series:
    """True for findings that are not in the baseline report (all, without one)."""
    if baseline is None or findings.empty:
        return pd.Series(True, index=findings.index, dtype=bool)
    try:
        old = json.loads(baseline.read_text(encoding="utf-8"))["findings"]
    except (OSError, ValueError, KeyError, TypeError):
        raise UsageError(
            f"{baseline}: is not a civaudit JSON report", "give a file written with -f json"
        ) from None
    known = set(finding_key(pd.DataFrame(old, columns=findings.columns)))
    return ~finding_key(findings).isin(known)


def _exit_code(findings: pd.DataFrame, fail_on: str) -> int:
    if fail_on == "never" or findings.empty:
        return 0
    threshold = Severity[fail_on.upper()]
    worst = max(Severity[s.upper()] for s in findings["severity"].unique())
    return 1 if worst >= threshold else 0


def _print_summary(summary, policy, when, source, skipped, baseline) -> None:
    if policy.is_example:
        click.echo(t("run.example_policy"), err=True)
    else:
        click.echo(t("run.policy", name=policy.title), err=True)
    click.echo(t("run.as_of", date=when.isoformat(), source=t("as_of." + source)), err=True)
    counts = summary["by_severity"]
    click.echo(
        t(
            "audit.summary",
            total=summary["findings"],
            errors=counts["error"],
            warnings=counts["warning"],
            infos=counts["info"],
        ),
        err=True,
    )
    if baseline is not None:
        click.echo(t("audit.baseline", new=summary["new"], path=str(baseline)), err=True)
    if skipped:
        click.echo(t("audit.skipped", n=len(skipped), rules=", ".join(sorted(skipped))), err=True)


def sheet_copies(roster: Roster, row_limit: int) -> list[SheetCopy]:
    """The roster sheets to copy into the xlsx report, from the cells the loader kept
    (``load_roster(keep_rows=...)``). A sheet without them (a file served from
    ``--cache``) is read again from its file."""
    if row_limit == 0:
        return []
    copies: list[SheetCopy] = []
    grids: dict[str, dict] = {}
    failed = {f.path for f in roster.files if f.error}
    for s in roster.sheets:
        if s.file in failed:
            continue
        ids = tuple(c.index for c in s.columns if c.field in ("id_number", "head_id"))
        accounts = tuple(c.index for c in s.columns if c.field == "bank_account")
        numbers = tuple(
            c.index
            for c in s.columns
            if c.field in FIELD_BY_NAME and FIELD_BY_NAME[c.field].kind in _NUMBER_KINDS
        )
        header = s.header_rows[-1]
        if s.capture is not None:
            copies.append(
                SheetCopy(s.file, s.sheet, s.capture.cells, header, ids, accounts,
                          capture=s.capture, number_columns=numbers)
            )  # fmt: skip
            continue
        if s.file not in grids:
            book = read_workbook(Path(s.file))
            grids[s.file] = {g.name: g.cells for g in book.sheets}
        cells = grids[s.file].get(s.sheet)
        if cells is not None:
            copies.append(
                SheetCopy(s.file, s.sheet, cells, header, ids, accounts, number_columns=numbers)
            )
    return copies


_NUMBER_KINDS = ("money", "count", "number")


def report_context(roster: Roster, report) -> ReportContext:
    """What the printable reports show besides the findings (``report.present``)."""
    h = roster.households
    heads: dict[str, str] = {}
    if "household" in h and "head_name" in h and len(h):
        pairs = h[["household", "head_name"]].dropna().drop_duplicates("household")
        heads = dict(zip(pairs["household"].astype(str), pairs["head_name"].astype(str),
                         strict=True))  # fmt: skip
    return ReportContext(
        households=len(h),
        members=len(roster.members),
        heads=heads,
        coverage=report.coverage,
        rules=report.rules,
        as_of=report.as_of,
    )
