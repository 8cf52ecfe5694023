"""The audit against the generator's answer key: every planted problem is found,
and no clean household gets an error."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from civaudit import EXAMPLE_POLICY, load_roster
from civaudit.auditing import audit
from civaudit.generator import EXPORT_RULES, PLANTABLE_RULES, RosterSpec, generate_county
from civaudit.generator.spec import MEMBER_ROW_RULES

NEEDS_MEMBER_ROWS = {*MEMBER_ROW_RULES, "single.not-qualifying"}

CASES = {
    "member-xlsx": {"layout": "member", "subtotals": True},
    "block-xlsx": {"layout": "block", "two_row_header": True},
    "household-xlsx": {"layout": "household", "two_row_header": True},
    "member-csv": {"layout": "member", "fmt": "csv-gbk"},
    "block-html": {"layout": "block", "fmt": "html-xls", "subtotals": True},
    "export-xlsx": {"layout": "export"},
    "export-spreadsheetml": {"layout": "export", "fmt": "xml-xls", "sheet_per_village": True},
}


def _audit(tmp_path: Path, seed: int, options: dict) -> tuple[pd.DataFrame, pd.DataFrame, Path]:
    household_rows = options["layout"] == "household"
    rules = [r for r in PLANTABLE_RULES if not (household_rows and r in NEEDS_MEMBER_ROWS)]
    if options["layout"] == "export":  # no totals rows; a household file and a person file
        rules = [r for r in rules if r != "roster.totals-mismatch"] + list(EXPORT_RULES)
    spec = RosterSpec(
        seed=seed, members=900, villages=3, towns=1, problems=dict.fromkeys(rules, 1), **options
    )
    files, key = generate_county(spec, tmp_path)
    report = audit(load_roster(files), EXAMPLE_POLICY, as_of=date(2019, 10, 1), mask=False)
    findings = report.findings.copy()
    findings["file"] = findings["file"].map(lambda p: Path(p).relative_to(tmp_path).as_posix())
    return findings, key, tmp_path


@pytest.mark.parametrize("case", list(CASES))
def test_every_planted_problem_is_found(tmp_path, case):
    findings, key, _ = _audit(tmp_path, 11, CASES[case])
    found = set(zip(findings["rule"], findings["file"], findings["row"].astype(int), strict=True))
    missing = []
    for k in key.itertuples(index=False):
        if k.rule.startswith("dup."):
            twins = key[
                (key["rule"] == k.rule)
                & (
                    key["person"].fillna(key["household"])
                    == (k.person if pd.notna(k.person) else k.household)
                )
            ]
            hit = any((k.rule, t.file, int(t.row)) in found for t in twins.itertuples())
        else:
            hit = (k.rule, k.file, int(k.row)) in found
        if not hit:
            missing.append((k.rule, k.file, k.sheet, k.row, k.detail))
    assert not missing, f"planted problems not found: {missing}"


@pytest.mark.parametrize("case", list(CASES))
def test_no_error_on_a_clean_household(tmp_path, case):
    findings, key, _ = _audit(tmp_path, 11, CASES[case])
    planted = set(key["household"].dropna().astype(str))
    planted_rows = set(zip(key["file"], key["row"].astype(int), strict=True))
    errors = findings[findings["severity"] == "error"]
    stray = errors[
        ~errors["household"].astype(str).isin(planted)
        & ~pd.Series(
            [
                (f, int(r)) in planted_rows
                for f, r in zip(errors["file"], errors["row"], strict=True)
            ],
            index=errors.index,
            dtype=bool,
        )
    ]
    assert stray.empty, stray[["rule", "file", "row", "household", "message"]].to_string()
