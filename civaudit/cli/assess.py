"""`civaudit assess`: the recomputed table, one row per household."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
import pandas as pd
from rich import box
from rich.console import Console
from rich.table import Table

from civaudit.assess import assess as assess_households
from civaudit.cli.options import parse_columns, run_options
from civaudit.cli.output import emit
from civaudit.i18n import t
from civaudit.i18n.catalog import MESSAGES
from civaudit.policy import EXAMPLE_POLICY, load_policy
from civaudit.privacy import mask_ids
from civaudit.report.manifest import build_manifest, resolve_as_of
from civaudit.report.output import render
from civaudit.report.present import field_label
from civaudit.roster import load_roster

TABLE_COLUMNS = [
    "household", "village", "row", "household_size", "covered", "gross_income",
    "deduction_total", "net_income", "pc_income_month", "standard_month", "band",
    "expected_base", "recorded_base", "difference", "state",
]  # fmt: skip


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@run_options
def assess(paths, policy_path, as_of, fmt, outputs, no_mask, sheet, column, jobs, cache) -> int:
    """Recompute each household's income and benefit under the policy: gross income,
    each deduction, net, per-capita income, standard, band, expected benefit,
    phase-out and single-person status, recorded benefit and the difference.

    \b
    Examples:
      civaudit assess sample_data/
      civaudit assess 花名册.xlsx --policy 县政策.toml --as-of 2019-10 -o 核算.xlsx
    """
    started = datetime.now().astimezone()
    policy = load_policy(policy_path) if policy_path else EXAMPLE_POLICY
    columns = {**dict(policy.columns), **parse_columns(column)}
    roster = load_roster(list(paths), sheet=sheet, columns=columns, jobs=jobs, cache=cache)
    when, source = resolve_as_of(as_of, policy, roster)
    table = assess_households(roster.households, roster.members, policy, as_of=when)
    if not no_mask:
        table["household"] = mask_ids(table["household"])
    manifest = build_manifest(
        "assess", policy=policy, as_of=when, as_of_source=source, roster=roster, started=started
    )
    _summary(table, policy, when, source)
    emit(
        outputs,
        fmt,
        inputs=[Path(f.path) for f in roster.files],
        render=lambda kind: render(table, kind, key="households", manifest=manifest),
        show=lambda: _print_table(table),
    )
    return 0


def _summary(table: pd.DataFrame, policy, when, source: str) -> None:
    if policy.is_example:
        click.echo(t("run.example_policy"), err=True)
    else:
        click.echo(t("run.policy", name=policy.title), err=True)
    click.echo(t("run.as_of", date=when.isoformat(), source=t("as_of." + source)), err=True)
    ok = int((table["state"] == "ok").sum())
    click.echo(t("assess.summary", total=len(table), ok=ok, bad=len(table) - ok), err=True)


NARROW_COLUMNS = [
    "household", "pc_income_month", "expected_base", "recorded_base", "difference", "state",
]  # fmt: skip
"""The columns an 80-column terminal shows (the full table: -o or a wider terminal)."""


def _print_table(table: pd.DataFrame, limit: int = 200) -> None:
    console = Console()
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
