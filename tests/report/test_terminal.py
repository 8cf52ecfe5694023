"""The terminal at 80 columns: ID numbers and rule ids stay whole, tables stay readable."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from civaudit import EXAMPLE_POLICY, load_roster
from civaudit.auditing import audit
from civaudit.i18n import set_language
from civaudit.report.findings import print_table, summarize

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


@pytest.fixture(scope="module")
def findings():
    from datetime import date

    report = audit(load_roster(SAMPLE), EXAMPLE_POLICY, as_of=date(2019, 10, 1), lang="zh")
    return report.findings


@pytest.mark.parametrize("width", [80, 100, 160])
def test_ids_and_rule_ids_are_never_broken(findings, width):
    set_language("zh")
    try:
        out = io.StringIO()
        console = Console(file=out, width=width, color_system=None)
        print_table(findings, summarize(findings), console)
    finally:
        set_language("en")
    lines = out.getvalue().splitlines()
    assert max(len(line) for line in lines) <= width
    text = "\n".join(lines)
    for rule in findings["rule"].unique():
        assert any(rule in line for line in lines), rule
    for key in findings["household"].dropna().unique():
        assert any(key in line for line in lines), key
    assert "问题清单" in text
