"""Hostile files, built at test time: each is refused with exit 2 and one line naming
the file and the limit it passed, never a traceback; a normal roster still passes.

The bombs are built small (a few MB, well under a second) and meet either the default
limits or small limits passed with --limit, so the suite stays fast;
``benchmarks/bench_hostile.py`` builds them at full size (4 GiB unpacked).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pytest

from civaudit.cli import main
from civaudit.errors import LoadError, UsageError
from civaudit.io.read import read_workbook
from civaudit.limits import GIB, Limits, parse_limits, parse_value, show
from tests.conftest import CORPUS
from tests.hostile import bombs

MB = 1_000_000
_CAPSYS = None


@dataclass
class Result:
    exit_code: int
    output: str
    stderr: str


@pytest.fixture(autouse=True)
def _capture(capsys):
    global _CAPSYS
    _CAPSYS = capsys
    yield


def run(*args: str) -> Result:
    """The CLI as a user runs it (``main``: errors become exit codes there)."""
    _CAPSYS.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(["--lang", "en", *args])
    out, err = _CAPSYS.readouterr()
    return Result(exc.value.code or 0, out + err, err)


def refused(result, path, limit: str) -> str:
    """The refusal: exit 2, one line on stderr naming the file and the limit."""
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert "Traceback" not in result.output
    assert path.name in lines[0]
    assert f"--limit {limit}=" in lines[0]
    return lines[0]


def passes(*args: str) -> None:
    result = run(*args)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output


def test_shared_string_bomb(tmp_path):
    path = bombs.shared_string_bomb(tmp_path / "bomb.xlsx", 20 * MB)
    line = refused(run("audit", str(path), "-q"), path, "ratio")
    assert "xl/sharedStrings.xml" in line and "zip bomb" in line


def test_whitespace_in_the_sheet_xml(tmp_path):
    path = bombs.whitespace_bomb(tmp_path / "blanks.xlsx", 20 * MB)
    line = refused(run("audit", str(path), "-q"), path, "ratio")
    assert "xl/worksheets/sheet1.xml" in line


def test_empty_row_flood(tmp_path):
    path = bombs.empty_row_bomb(tmp_path / "rows.xlsx", 20 * MB)
    refused(run("audit", str(path), "-q"), path, "ratio")


def test_member_size_with_the_ratio_check_off(tmp_path):
    path = bombs.whitespace_bomb(tmp_path / "blanks.xlsx", 20 * MB)
    result = run("audit", str(path), "-q", "--limit", "ratio=none", "--limit", "member-bytes=10MB")
    line = refused(result, path, "member-bytes")
    assert "past the limit of 10000000 for one part" in line


def test_raising_the_limits_lets_a_bloated_file_through(tmp_path):
    path = bombs.whitespace_bomb(tmp_path / "blanks.xlsx", 2 * MB)
    refused(run("audit", str(path), "-q", "--limit", "ratio=10"), path, "ratio")
    passes("audit", str(path), "-q", "--limit", "ratio=10000")


def test_forged_sizes_are_caught_while_unpacking(tmp_path):
    path = bombs.forged_sizes(tmp_path / "forged.xlsx", 2 * MB, declared=1000)
    result = run("audit", str(path), "-q")
    assert result.exit_code == 2
    assert "holds more than the 1,000 bytes it declares" in result.stderr
    assert "Traceback" not in result.output


def test_a_far_cell_declares_a_huge_range(tmp_path):
    path = bombs.far_cell(tmp_path / "far.xlsx", "Z200000")
    line = refused(run("audit", str(path), "-q"), path, "range-ratio")
    assert "sheet 'Sheet1' (xl/worksheets/sheet1.xml) spans 200,000 rows x 26 columns" in line
    line = refused(run("audit", str(path), "-q", "--limit", "cells=1000000"), path, "cells")
    assert "5,200,000 cells" in line


def test_the_range_check_can_be_turned_off(tmp_path):
    path = bombs.far_cell(tmp_path / "far.xlsx", "Z200000")
    passes("inspect", str(path), "--limit", "range-ratio=none")


def test_a_declared_dimension_costs_nothing(tmp_path):
    """The reader sizes a sheet by its valued cells: a sheet declaring A1:XFD1048576
    and padded with empty styled cells, as Gnumeric writes it, is read."""
    passes("audit", str(bombs.declared_dimension(tmp_path / "gnumeric.xlsx", 16_384)), "-q")


@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not present")
def test_xls_with_a_huge_used_range(tmp_path):
    path = bombs.far_xls(CORPUS / "date.xls", tmp_path / "far.xls")
    line = refused(run("audit", str(path), "-q"), path, "range-ratio")
    assert "sheet 'Sheet1' spans 65,536 rows x 256 columns" in line


def test_one_huge_cell(tmp_path):
    path = bombs.huge_cell(tmp_path / "cell.xlsx", 100_000)
    line = refused(run("audit", str(path), "-q"), path, "cell-chars")
    assert "cell A3 holds 100,000 characters" in line
    passes("audit", str(path), "-q", "--limit", "cell-chars=200000")


def test_million_column_csv_scaled_down(tmp_path):
    path = bombs.wide_csv(tmp_path / "wide.csv", 20_000)
    line = refused(run("audit", str(path), "-q"), path, "csv-fields")
    assert "line 3 has 20,001 fields" in line
    path = bombs.wide_csv(tmp_path / "wider.csv", 1_000)
    refused(run("audit", str(path), "-q", "--limit", "csv-fields=500"), path, "csv-fields")


def test_huge_csv_field(tmp_path):
    path = bombs.huge_csv_field(tmp_path / "field.csv", 40_000)
    line = refused(run("audit", str(path), "-q"), path, "csv-field-chars")
    assert "line 3 has a field past the limit of 32767" in line


SMALL = ("ratio=50", "member-bytes=1MiB", "cells=1000", "cell-chars=100", "csv-fields=10")


@pytest.mark.parametrize("command", ["inspect", "assess", "audit"])
def test_normal_rosters_pass_under_small_limits(tmp_path, command):
    limits = [arg for spec in SMALL for arg in ("--limit", spec)]
    for path in (bombs.normal(tmp_path / "ok.xlsx"), bombs.normal_csv(tmp_path / "ok.csv")):
        passes(command, str(path), *limits)


def test_the_policy_raises_a_limit_and_the_option_wins(tmp_path):
    path = bombs.huge_cell(tmp_path / "cell.xlsx", 50_000)
    policy = tmp_path / "policy.toml"
    policy.write_text(
        '[[standard]]\nregion = "13"\nyearly = 4800\n[limits]\ncell_chars = 60000\n',
        encoding="utf-8",
    )
    passes("audit", str(path), "-q", "--policy", str(policy))
    refused(
        run("audit", str(path), "-q", "--policy", str(policy), "--limit", "cell-chars=1000"),
        path,
        "cell-chars",
    )


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("cells", "--limit cells is not NAME=VALUE"),
        ("size=3", "--limit size=3: unknown limit size"),
        ("cells=lots", "--limit cells=lots: must be a number"),
        ("member-bytes=3 parsecs", "must be a number of bytes, e.g. 4GiB"),
        ("ratio=0", "--limit ratio=0: must be more than 0"),
    ],
)
def test_a_wrong_limit_is_one_line(tmp_path, spec, message):
    path = bombs.normal(tmp_path / "ok.xlsx")
    result = run("audit", str(path), "-q", "--limit", spec)
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_limit_values():
    assert parse_value("member-bytes", "4GiB") == 4 * GIB
    assert parse_value("member-bytes", "2.5 GB") == 2.5e9
    assert parse_value("cells", "300_000_000") == 3e8
    assert parse_value("cells", 1e6) == 1e6
    assert math.isinf(parse_value("ratio", "none"))
    limits = parse_limits(["member_bytes=1GiB", "csv-fields=none"])
    assert limits.member_bytes == GIB and math.isinf(limits.csv_fields)
    assert show("member-bytes", 3 * GIB) == "3GiB" and show("cells", math.inf) == "none"
    with pytest.raises(UsageError):
        parse_limits(["cells=-1"])


def test_the_library_refuses_with_a_load_error(tmp_path):
    path = bombs.whitespace_bomb(tmp_path / "blanks.xlsx", 2 * MB)
    with pytest.raises(LoadError, match="ratio"):
        read_workbook(path, limits=Limits(ratio=10))
    assert read_workbook(path, limits=Limits(ratio=10_000)).sheets


def test_policy_limits_round_trip(tmp_path):
    from civaudit.policy import load_policy
    from civaudit.policy.render import policy_to_toml

    path = tmp_path / "p.toml"
    path.write_text(
        '[[standard]]\nregion = "13"\nyearly = 4800\n'
        '[limits]\nmember-bytes = "6GiB"\nratio = 2.5\ncells = "none"\n',
        encoding="utf-8",
    )
    policy = load_policy(path)
    assert policy.limits == Limits(member_bytes=6 * GIB, ratio=2.5, cells=math.inf)
    again = tmp_path / "again.toml"
    again.write_text(policy_to_toml(policy), encoding="utf-8")
    assert load_policy(again).limits == policy.limits
