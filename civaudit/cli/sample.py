"""`civaudit sample`: audit, then choose the villages and households to visit."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from civaudit.asof import resolve_months
from civaudit.auditing import audit_months
from civaudit.cli.audit import as_of_lines
from civaudit.cli.console import SafeConsole, say, write_stdout
from civaudit.cli.options import (
    against_option,
    ignore_option,
    parse_columns,
    quiet_option,
    resolve_limits,
    run_options,
    select_option,
)
from civaudit.cli.output import print_months, stdout_takes_bytes
from civaudit.cli.progress import stage_progress
from civaudit.errors import UsageError
from civaudit.external import load_against
from civaudit.i18n import language, t
from civaudit.policy import EXAMPLE_POLICY, load_policy
from civaudit.report.manifest import build_manifest
from civaudit.report.output import atomic_write, format_for, refuse_inputs
from civaudit.report.visit import print_sample, render_sample, sources_text, summary_line
from civaudit.roster import load_roster
from civaudit.sample import WEIGHTS, WITHIN, draw_sample, new_seed, parse_villages


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@run_options
@click.option(
    "--villages",
    "villages_spec",
    default="all",
    show_default=True,
    metavar="all|N|RATE",
    help="Villages to visit: all, a number (5) or a rate (0.2), in each --within group.",
)
@click.option(
    "--weight",
    type=click.Choice(WEIGHTS),
    default="findings",
    show_default=True,
    help="Draw villages weighted by error+warning findings per household, or at random.",
)
@click.option(
    "--within",
    type=click.Choice(WITHIN),
    default="none",
    show_default=True,
    help="Draw --villages in each town or county rather than over all.",
)
@click.option(
    "--share",
    type=click.FloatRange(0, 1),
    default=0.1,
    show_default=True,
    help="Share of the households without an error finding drawn at random.",
)
@click.option(
    "--min-per-village",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="At least this many households per village (all where it has fewer).",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=None,
    help="Random seed; default: a new one, printed on stderr and recorded.",
)
@select_option
@ignore_option
@against_option
@quiet_option
def sample(
    paths, policy_path, as_of, fmt, outputs, no_mask, sheet, column, jobs, cache,
    limit_specs, villages_spec, weight, within, share, min_per_village, seed, select, ignore,
    quiet,
    against_specs,
) -> int:  # fmt: skip
    """Choose the villages and households for the inspection visit, reproducibly.

    Audits the rosters first; then draws villages (all, N or a rate; weighted by
    findings or at random; within each town or county if asked) and, in each, every
    household with an error finding plus a random share of the others. The seed is
    printed and recorded: the same rosters and seed give the same sample.

    \b
    Examples:
      civaudit sample sample_data/ --villages 2 --seed 2019 -o 入户核查.xlsx
      civaudit sample 花名册/ --villages 0.2 --within town -o sample.json -o 入户核查.xlsx
    """
    started = datetime.now().astimezone()
    spec = parse_villages(villages_spec)  # a bad value stops here, before any loading
    if seed is None:
        seed = new_seed()
    policy = load_policy(policy_path) if policy_path else EXAMPLE_POLICY
    columns = {**dict(policy.columns), **parse_columns(column)}
    limits = resolve_limits(policy, limit_specs)
    targets = list(outputs) or [None]
    kinds = [format_for(target, fmt, terminal=sys.stdout.isatty()) for target in targets]
    for target, kind in zip(targets, kinds, strict=True):
        if target is None and kind == "xlsx":
            raise UsageError("xlsx cannot be written to the terminal", "give -o 入户核查.xlsx")
        if target is None and kind == "parquet" and not stdout_takes_bytes():
            raise UsageError(
                "parquet cannot be written to the terminal",
                "give -o FILE.parquet, or send stdout to a file or a pipe",
            )
        if target is not None and kind == "table":
            raise UsageError(
                f"{target}: the table format is for the terminal", "give -f or an extension"
            )
    given = [*paths, *(Path(v.partition("=")[2]) for v in against_specs)]
    for target in outputs:  # before the long part; folders are checked after loading
        refuse_inputs(target, [p for p in given if p.is_file()])
    against, lists = load_against(against_specs)
    for item in lists:
        say(t("against.loaded", label=t(f"against.kind.{item['kind']}"), **item), err=True)
    with stage_progress(enabled=not quiet) as step:
        # A sample drawn from part of the rosters could not be defended: any file
        # that cannot be read stops the run.
        roster = load_roster(
            list(paths), sheet=sheet, columns=columns, progress=step.file, jobs=jobs,
            cache=cache, limits=limits,
        )  # fmt: skip
        months = resolve_months(roster, policy, as_of)
        step.stage(t("progress.assess"))
        report, split = audit_months(
            roster, policy, months=months, against=against, select=select, ignore=ignore,
            mask=not no_mask,
        )  # fmt: skip
    drawn = draw_sample(
        split.current, report, seed=seed, villages=spec, weight=weight, within=within,
        share=share, min_per_village=min_per_village,
    )  # fmt: skip
    manifest = build_manifest(
        "sample", policy=policy, as_of=months.main, as_of_source=months.main_source,
        roster=roster, started=started, months=months,
    )  # fmt: skip
    manifest["seed"] = drawn.seed
    manifest["rules_run"] = list(report.rules_run)
    manifest["rules_skipped"] = dict(report.rules_skipped)
    manifest["against"] = lists
    manifest["months"] = list(split.series)

    inputs = [Path(f.path) for f in roster.files] + [Path(item["path"]) for item in lists]
    for target in outputs:
        refuse_inputs(target, inputs)
    for target, kind in zip(targets, kinds, strict=True):
        if target is None and kind == "table":
            if not quiet:
                print_sample(drawn, SafeConsole(), mask=not no_mask)
            continue
        payload = render_sample(drawn, kind, manifest=manifest, mask=not no_mask)
        if target is None:
            write_stdout(payload, fmt=kind)
        else:
            atomic_write(target, payload)

    if policy.is_example:
        say(t("run.example_policy"), err=True)
    else:
        say(t("run.policy", name=policy.title), err=True)
    for line in as_of_lines(report.as_of):
        say(line, err=True)
    print_months(split.series)
    for warning in report.warnings.to_dict("records"):
        say(warning[language()], err=True)
    say(t("sample.village_from", parts=sources_text(drawn.method)), err=True)
    say(summary_line(drawn), err=True)
    say(t("sample.seed", seed=drawn.seed), err=True)
    return 0
