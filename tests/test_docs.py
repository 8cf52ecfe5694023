"""The README keeps step with the code: its rule table, its field table, its commands,
its two commands."""

from __future__ import annotations

import re
from pathlib import Path

from civaudit.cli import cli
from civaudit.cli.rules import markdown_table
from civaudit.io import aliases

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_rule_table_equals_the_catalogue():
    table = re.search(r"<!-- rules:start -->\n(.*)<!-- rules:end -->", README, re.S)
    assert table, "the README lost its rule table markers"
    assert table.group(1) == markdown_table("en"), "run: civaudit rules -f md, paste into README"


def test_every_command_is_documented():
    for name in cli.commands:
        assert f"civaudit {name}" in README, f"README does not document 'civaudit {name}'"


def test_readme_starts_with_the_two_commands():
    blocks = re.findall(r"```\n(.*?)\n```", README, re.S)
    assert "pip install -e ." in blocks[0] and "sample_data/" in blocks[0]
    assert blocks[1] == 'pip install -e ".[test]" && pytest'


def test_readme_field_table_equals_the_alias_table():
    table = re.search(r"<!-- fields:start -->\n(.*)<!-- fields:end -->", README, re.S)
    assert table, "the README lost its field table markers"
    assert table.group(1) == aliases.markdown(), "paste civaudit.io.aliases.markdown() in"


def test_every_alias_and_source_is_in_the_readme():
    table = README.split("<!-- fields:start -->")[1].split("<!-- fields:end -->")[0]
    for row in aliases.TABLE:
        for text in row.texts:
            assert text in table, text
    for code in aliases.SOURCES:
        assert f"| {code} |" in table, code


def test_readme_counts_are_those_of_the_sample_audit():
    """The first command's promise (how many findings the sample gives) is the run's."""
    import json

    from click.testing import CliRunner

    said = re.search(r"\((\d+) findings: (\d+) errors, (\d+)\s+warnings, (\d+) info\)", README)
    assert said, "the README lost the sample's finding counts"
    args = ["--lang", "en", "audit", str(SAMPLE), "-f", "json"]
    result = CliRunner().invoke(cli, args, standalone_mode=False)
    assert result.return_value == 1, result.output  # the exit code main() gives
    findings = json.loads(result.stdout)["findings"]
    counts = [len(findings)] + [
        sum(f["severity"] == s for f in findings) for s in ("error", "warning", "info")
    ]
    assert [int(n) for n in said.groups()] == counts
    assert f"\n{counts[0]}\n" in README  # the GBK pipe example prints the same count


def test_readme_sample_summary_is_the_runs(monkeypatch):
    """The sample's summary on stderr, as the README quotes it, is what the run prints:
    the rules run and not run, the roster months, the counts (it had drifted once)."""
    from click.testing import CliRunner

    quoted = re.search(r"The sample data's summary on stderr.*?```\n(.*?)```", README, re.S)
    assert quoted, "the README lost the sample's summary"
    monkeypatch.chdir(ROOT)  # the summary names the files as the command does
    args = ["--lang", "en", "audit", "sample_data/", "-f", "json"]
    result = CliRunner().invoke(cli, args, standalone_mode=False)
    assert result.stderr.replace("\\", "/") == quoted.group(1)  # Windows paths as quoted
