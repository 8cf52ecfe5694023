"""`civaudit assess`: the recomputed table, one row per household."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
import pandas as pd
from rich import box
from rich.table import Table

from civaudit import coverage as cov
from civaudit.asof import resolve_months
from civaudit.assess import assess as assess_households
from civaudit.cli.audit import as_of_lines, coverage_exit
from civaudit.cli.console import SafeConsole, say
from civaudit.cli.options import (
    check_columns,
    parse_columns,
    require_coverage_option,
    resolve_limits,
    run_options,
)
from civaudit.cli.output import emit, print_months
from civaudit.i18n import language, t
from civaudit.i18n.catalog import MESSAGES
from civaudit.policy import EXAMPLE_POLICY, load_policy
from civaudit.privacy import mask_ids
from civaudit.report.manifest import build_manifest
from civaudit.report.output import json_document, render
from civaudit.report.present import field_label
from civaudit.roster import load_roster
from civaudit.series import split_months

TABLE_COLUMNS = [
    "household", "village", "row", "household_size", "covered", "gross_income",
    "deduction_total", "net_income", "pc_income_month", "standard_month", "band",
    "expected_base", "recorded_base", "difference", "state",
]  # fmt: skip


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@run_options
@require_coverage_option
def assess(
    paths,
    policy_path,
    as_of,
    fmt,
    outputs,
    no_mask,
    sheet,
    column,
    jobs,
    cache,
    limit_specs,
    require_coverage,
) -> int:
    """Recompute each household's income and benefit under the policy: gross income,
    each deduction, net, per-capita income, standard, band, expected benefit,
    phase-out and single-person status, recorded benefit and the difference.

    \b
    Examples:
      civaudit assess sample_data/
      civaudit assess 花名册.xlsx --policy 县政策.toml --as-of 2019-10 -o 核算.xlsx
      civaudit assess 花名册/ -f json --require-coverage 100
    """
    started = datetime.now().astimezone()
    policy = load_policy(policy_path) if policy_path else EXAMPLE_POLICY
    given = parse_columns(column)
    columns = {**dict(policy.columns), **given}
    limits = resolve_limits(policy, limit_specs)
    roster = load_roster(
        list(paths), sheet=sheet, columns=columns, jobs=jobs, cache=cache, limits=limits
    )
    check_columns(roster, given)
    months = resolve_months(roster, policy, as_of)
    fixed = months.main if months.main_source in ("option", "policy") else None
    split = split_months(roster, fixed)  # a monthly workbook: its as-of month only
    current = split.current
    per_household = months.of(current.households)
    table = assess_households(current.households, current.members, policy, as_of=per_household)
    coverage = cov.household_coverage(
        current.households, table, members=current.members, columns=current.columns,
        issues=current.issues,
    )  # fmt: skip
    if not no_mask:
        table["household"] = mask_ids(table["household"])
        coverage["household"] = mask_ids(coverage["household"].astype("string")).astype("object")
    manifest = build_manifest(
        "assess", policy=policy, as_of=months.main, as_of_source=months.main_source,
        roster=roster, started=started, months=months,
    )  # fmt: skip
    manifest["months"] = list(split.series)
    summary = cov.summarize_coverage(coverage)
    _summary(table, policy, months, summary)
    print_months(split.series)

    def rendered(kind: str) -> bytes:
        if kind == "json":  # the coverage object beside the table, as in audit's report
            return json_document({"civaudit": manifest, "coverage": summary, "households": table})
        return render(table, kind, key="households", manifest=manifest)

    emit(
        outputs,
        fmt,
        inputs=[Path(f.path) for f in roster.files],
        render=rendered,
        show=lambda: _print_table(table),
    )
    return coverage_exit(coverage, require_coverage)


def _summary(table: pd.DataFrame, policy, months, coverage: dict) -> None:
    """Coverage first (households assessed, and why the others were not), then the
    policy and each file's month."""
    for line in cov.coverage_lines(coverage, language()):
        say(line, err=True)
    if policy.is_example:
        say(t("run.example_policy"), err=True)
    else:
        say(t("run.policy", name=policy.title), err=True)
    for line in as_of_lines(months.files):
        say(line, err=True)
    if months.undated:
        shown = ", ".join(months.undated[:3]) + (" …" if len(months.undated) > 3 else "")
        say(t("as_of.missing_assess", files=shown), err=True)


NARROW_COLUMNS = [
    "household", "pc_income_month", "expected_base", "recorded_base", "difference", "state",
]  # fmt: skip
"""The columns an 80-column terminal shows (the full table: -o or a wider terminal)."""


def _print_table(table: pd.DataFrame, limit: int = 200) -> None:
    console = SafeConsole()
    wanted = TABLE_COLUMNS if console.width >= 140 else NARROW_COLUMNS
    shown = [c for c in wanted if c in table]
    grid = Table(show_lines=False, box=box.SIMPLE_HEAD, pad_edge=False)
    for col in shown:
        grid.add_column(
            t("assess.col." + col),
            no_wrap=col not in ("village", "state"),
            justify="right" if col not in ("household", "village", "band", "state") else "left",
            overflow="fold",
        )
    for row in table[shown].head(limit).itertuples(index=False):
        grid.add_row(*(_cell(col, v) for col, v in zip(shown, row, strict=True)))
    console.print(grid)
    if len(table) > limit:
        console.print(t("assess.more", shown=limit, total=len(table)))


def _cell(column: str, value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if column == "band":
        return t("band." + str(value)) if f"band.{value}" in MESSAGES else str(value)
    if column == "state":
        return state_text(str(value))
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() else f"{value:.2f}"
    return str(value)


def state_text(state: str) -> str:
    """An assessment state in the reader's language: ``ok``, or ``cannot assess: missing
    income`` -> 无法核算：缺少收入."""
    if state == "ok":
        return t("assess.state.ok")
    prefix = "cannot assess: missing "
    if state.startswith(prefix):
        what = [w.strip() for w in state[len(prefix) :].split(",")]
        return t("assess.state.missing", what=", ".join(_missing_word(w) for w in what))
    return state


def _missing_word(word: str) -> str:
    key = "assess.missing." + word.replace(" ", "_")
    if key in MESSAGES:
        return t(key)
    return field_label(word)
