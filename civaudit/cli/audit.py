"""`civaudit audit`: load, assess, run the rules, report the findings."""

from __future__ import annotations

import json
from datetime import datetime
from functools import partial
from pathlib import Path

import click
import pandas as pd

from civaudit import coverage as cov
from civaudit.cli.console import SafeConsole, escape_controls, say
from civaudit.cli.options import (
    against_option,
    check_columns,
    fail_on_option,
    ignore_option,
    parse_columns,
    quiet_option,
    require_coverage_option,
    resolve_limits,
    run_options,
    select_option,
)
from civaudit.cli.output import emit, print_months
from civaudit.cli.progress import stage_progress
from civaudit.engine import finding_key, mask_keys
from civaudit.errors import LoadError, UsageError
from civaudit.external import load_against
from civaudit.findings import Severity
from civaudit.i18n import language, t
from civaudit.i18n.errors import error_text
from civaudit.io.read import read_workbook
from civaudit.pipeline import ENGINES, run_audit
from civaudit.policy import EXAMPLE_POLICY, load_policy
from civaudit.report.findings import print_table, render_findings, summarize
from civaudit.report.html import audit_html
from civaudit.report.manifest import build_manifest
from civaudit.report.output import format_for
from civaudit.report.present import ReportContext
from civaudit.report.review import apply_reviews, dismissed, read_reviews
from civaudit.report.split import (
    SPLIT_LEVELS,
    check_fits,
    part_context,
    part_manifest,
    split_report,
    write_parts,
)
from civaudit.report.stream import write_partitions
from civaudit.report.workbook import SheetCopy, inspector_workbook
from civaudit.roster import Roster
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
@click.option(
    "--split-by",
    type=click.Choice(SPLIT_LEVELS),
    help="With an xlsx output: one workbook per county beside it (核查报告-康保县.xlsx), each "
    "with that county's findings and roster sheets; findings with no county go to one "
    "named for the unknown county.",
)
@quiet_option
@require_coverage_option
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="local",
    show_default=True,
    help="local: files loaded in a process pool on this machine. dask: each file a task "
    "on a Dask cluster's workers (pip install civaudit[dask]).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="With --engine dask: the address of a running Dask scheduler (default: "
    "DASK_SCHEDULER_ADDRESS, else a local cluster of -j workers).",
)
@click.option(
    "--work-dir",
    metavar="DIR|URL",
    help="With --engine dask: the folder the workers store each file's tables in "
    "(Parquet) and pass the cross-file stage's shards through; one every worker sees: a "
    "shared path or an fsspec URL (s3://bucket/work). Default: a temporary folder, "
    "removed afterwards.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Stop with exit 2 when any file cannot be read (default: audit the others, "
    "list the file as not audited, exit at least 1).",
)
def audit(
    paths, policy_path, as_of, fmt, outputs, no_mask, sheet, column, jobs, cache, limit_specs,
    engine, scheduler, work_dir, strict, fail_on, select, ignore, baseline, reviewed,
    sheet_rows, split_by, quiet, against_specs, require_coverage,
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
      civaudit audit 花名册/ --as-of 2019-10 --require-coverage 95
      civaudit audit 全省/ --split-by county -o 核查报告.xlsx -o findings.parquet
    """
    started = datetime.now().astimezone()
    policy = load_policy(policy_path) if policy_path else EXAMPLE_POLICY
    given = parse_columns(column)
    columns = {**dict(policy.columns), **given}
    limits = resolve_limits(policy, limit_specs)
    against, lists = load_against(against_specs)
    for item in lists:
        label = t(f"against.kind.{item['kind']}")
        say(t("against.loaded", label=label, **item), err=True)
    wants_xlsx = any(format_for(o, fmt, terminal=False) == "xlsx" for o in outputs) or (
        fmt == "xlsx"
    )
    if split_by and not wants_xlsx:
        raise UsageError("--split-by applies to the xlsx report", "give -o FILE.xlsx")
    with stage_progress(enabled=not quiet) as step:

        def check(roster: Roster) -> None:  # before the assessment, as the stage starts
            if roster.files and all(f.error for f in roster.files):
                first = roster.files[0]
                raise LoadError(first.error, "no input could be read: nothing was audited")
            check_columns(roster, given)
            step.stage(t("progress.assess"))

        outcome = run_audit(
            list(paths), policy, engine=engine, scheduler=scheduler, work_dir=work_dir,
            jobs=jobs, sheet=sheet, columns=columns, progress=step.file, cache=cache,
            on_error="raise" if strict else "skip",
            keep_rows=sheet_rows if wants_xlsx and engine == "local" else 0,
            limits=limits,
            check=check if engine == "local" else partial(check_columns, given=given),
            as_of=as_of, against=against, select=select, ignore=ignore, mask=not no_mask,
        )  # fmt: skip
    report, roster, months = outcome.report, outcome.roster, outcome.months
    findings = report.findings
    manifest = build_manifest(
        "audit", policy=policy, as_of=months.main, as_of_source=months.main_source,
        roster=roster, started=started, months=months,
    )  # fmt: skip
    manifest["against"] = lists
    manifest["months"] = list(outcome.series)
    manifest["rules_run"] = list(report.rules_run)
    manifest["rules_skipped"] = dict(report.rules_skipped)
    manifest["masked"] = not no_mask
    if reviewed is not None:
        findings = apply_reviews(findings, read_reviews(reviewed))
    new, mask_warning = _new_findings(findings, baseline, masked=not no_mask)
    new = new & ~dismissed(findings)
    manifest["baseline"] = str(baseline) if baseline else None
    manifest["reviewed"] = str(reviewed) if reviewed else None
    summary = summarize(findings)
    summary["new"] = int(new.sum())
    coverage = report.coverage_summary()
    summary["coverage"] = {k: coverage[k] for k in _COVERAGE_KEYS}
    summary["rules"] = {k: v for k, v in report.rules_summary().items() if k != "rules"}
    if reviewed is not None:
        summary["reviewed"] = {
            str(k): int(v) for k, v in findings["verdict"].value_counts().items()
        }
    summary["not_audited"] = [{"path": f.path, "error": f.error} for f in roster.files if f.error]
    extra = {
        "coverage": coverage,
        "rules": report.rules_summary()["rules"],
        "as_of": report.as_of_records(),
        "warnings": [*_warning_records(report), *([mask_warning] if mask_warning else [])],
    }

    inputs = [Path(f.path) for f in roster.files] + [Path(item["path"]) for item in lists]

    parts = None
    if split_by and wants_xlsx:
        parts = split_report(findings, coverage=report.coverage, places=roster.places,
                             members=roster.members, level=split_by)  # fmt: skip
        for part in parts:
            check_fits(part.findings, part.coverage, part=part.label)
    elif wants_xlsx:  # before any output is written
        check_fits(findings, report.coverage)

    def render(kind: str) -> bytes:
        if kind == "xlsx":
            return inspector_workbook(
                findings, summary, manifest, sheet_copies(roster, sheet_rows, limits),
                row_limit=sheet_rows, mask=not no_mask, context=report_context(roster, report),
            )  # fmt: skip
        if kind == "html":
            return audit_html(findings, summary, manifest, report_context(roster, report))
        return render_findings(findings, kind, manifest=manifest, summary=summary, extra=extra)

    def show() -> None:
        if not quiet:
            print_table(findings, summary, SafeConsole())

    def split(target: Path) -> list[Path]:  # --split-by: one workbook per part
        copies = sheet_copies(roster, sheet_rows, limits)
        context = report_context(roster, report)
        return write_parts(target, parts, inputs=inputs, build=lambda part: inspector_workbook(
            part.findings, {**summary, **summarize(part.findings)}, part_manifest(manifest, part),
            [c for c in copies if (c.file, c.sheet) in part.sheets], row_limit=sheet_rows,
            mask=not no_mask, context=part_context(context, part),
        ))  # fmt: skip

    def stream(target: Path, kind: str) -> None:  # a file's findings at a time
        by_file = findings.groupby("file", sort=False, dropna=False)  # sorted by file already
        write_partitions(target, kind, (part for _, part in by_file),
                         columns=list(findings.columns))  # fmt: skip

    emit(outputs, fmt, inputs=inputs, render=render, show=show,
         split=split if parts is not None else None, stream=stream)  # fmt: skip

    print_run_summary(report, coverage, policy, warnings=extra["warnings"])
    print_months(outcome.series)
    _print_counts(summary, baseline)
    for failed in summary["not_audited"]:
        reason = escape_controls(error_text(failed["error"]), newlines=False)  # one line each
        say(f"civaudit: {t('audit.not_audited')}: {reason}", err=True)
    code = _exit_code(findings[new], fail_on)
    code = max(code, 1) if summary["not_audited"] else code
    return max(code, coverage_exit(report.coverage, require_coverage))


_COVERAGE_KEYS = ("households", "assessed", "not_assessed", "percent", "by_reason")


def coverage_exit(coverage: pd.DataFrame, required: float | None) -> int:
    """1 (and a line saying so) when fewer than ``required`` percent were assessed."""
    if required is None or not cov.below(coverage, required):
        return 0
    done = cov.percent(int(coverage["assessed"].sum()), len(coverage))
    say(
        "civaudit: "
        + t("coverage.required", percent=cov.percent_text(done), required=f"{required:g}"),
        err=True,
    )
    return 1


def print_run_summary(report, coverage: dict, policy, *, warnings=()) -> None:
    """The summary's first lines: what was checked and what was not (coverage, rules
    not run), then the policy and each file's month, then the warnings."""
    lang = language()
    for line in cov.coverage_lines(coverage, lang):
        say(line, err=True)
    if coverage["households"] and coverage["assessed"] < coverage["households"]:
        say(t("coverage.low", percent=cov.percent_text(coverage["percent"])), err=True)
    for line in cov.rule_lines(report.rules, lang):
        say(line, err=True)
    if policy.is_example:
        say(t("run.example_policy"), err=True)
    else:
        say(t("run.policy", name=policy.title), err=True)
    for line in as_of_lines(report.as_of):
        say(line, err=True)
    for warning in warnings:
        say(warning[lang], err=True)


def as_of_lines(as_of: pd.DataFrame) -> list[str]:
    """``As of 2019-10-01 (from the sheet title)``: one line per month, naming its
    sources, with its number of files when there are several months (files with
    none are a warning of their own)."""
    dated = as_of[as_of["source"] != "none"] if len(as_of) else as_of
    if not len(dated):
        return []
    months = dated.groupby("as_of", sort=True)
    out = []
    for when, part in months:
        sources = t("as_of.sep").join(t("as_of." + s) for s in dict.fromkeys(part["source"]))
        if months.ngroups == 1:
            out.append(t("run.as_of", date=when.isoformat(), source=sources))
        else:
            out.append(t("as_of.files", date=when.isoformat(), source=sources, n=len(part)))
    return out


def _warning_records(report) -> list[dict]:
    return [
        {k: r[k] for k in ("code", "file", "zh", "en")} for r in report.warnings.to_dict("records")
    ]


def _new_findings(
    findings: pd.DataFrame, baseline: Path | None, *, masked: bool = True
) -> tuple[pd.Series, dict | None]:
    """True for findings that are not in the baseline report (all, without one), and
    a warning when the baseline was written with other masking than this run: then
    both sides are compared masked (a full ID never equals its masked form)."""
    if baseline is None or findings.empty:
        return pd.Series(True, index=findings.index, dtype=bool), None
    try:
        document = json.loads(baseline.read_text(encoding="utf-8"))
        old = document["findings"]
    except (OSError, ValueError, KeyError, TypeError, RecursionError):  # nested past the stack
        raise UsageError(
            f"{baseline}: is not a civaudit JSON report", "give a file written with -f json"
        ) from None
    old = pd.DataFrame(old, columns=findings.columns)
    was_masked = _baseline_masked(document, old)
    warning = None
    current = findings
    if was_masked is not None and was_masked != masked:
        warning = {
            "code": "baseline-mask",
            "file": str(baseline),
            **{
                lang: cov.text(
                    "noop.baseline_mask",
                    lang,
                    path=str(baseline),
                    baseline=cov.text("noop.masked" if was_masked else "noop.unmasked", lang),
                    current=cov.text("noop.masked" if masked else "noop.unmasked", lang),
                    fix=cov.text("noop.fix_mask" if was_masked else "noop.fix_no_mask", lang),
                )
                for lang in ("zh", "en")
            },
        }
        if masked:  # this run is masked as the engine masks: mask the baseline alike
            old = mask_keys(old)
        else:
            current = mask_keys(findings)
    known = set(finding_key(old))
    return ~finding_key(current).isin(known), warning


def _baseline_masked(document: dict, old: pd.DataFrame) -> bool | None:
    """Whether a baseline was written masked: its manifest says so, else its person
    numbers show it (None when neither tells)."""
    manifest = document.get("civaudit") if isinstance(document, dict) else None
    if isinstance(manifest, dict) and isinstance(manifest.get("masked"), bool):
        return manifest["masked"]
    person = old["person"].dropna().astype(str) if "person" in old else pd.Series(dtype=str)
    if not len(person):
        return None
    return bool(person.str.contains("*", regex=False).any())


def _exit_code(findings: pd.DataFrame, fail_on: str) -> int:
    if fail_on == "never" or findings.empty:
        return 0
    threshold = Severity[fail_on.upper()]
    worst = max(Severity[s.upper()] for s in findings["severity"].unique())
    return 1 if worst >= threshold else 0


def _print_counts(summary, baseline) -> None:
    counts = summary["by_severity"]
    say(
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
        say(t("audit.baseline", new=summary["new"], path=str(baseline)), err=True)


def sheet_copies(roster: Roster, row_limit: int, limits=None) -> list[SheetCopy]:
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
        ids = tuple(
            c.index
            for c in s.columns
            if c.field in ("id_number", "head_id", "member_list", "member_id_list")
        )
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
            book = read_workbook(Path(s.file), limits=limits)
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
