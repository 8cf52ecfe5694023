"""`civaudit assess` and `civaudit policy` through the CLI."""

from __future__ import annotations

import json

import openpyxl
import pytest
from click.testing import CliRunner

from civaudit import EXAMPLE_POLICY, assess, load_roster
from civaudit.cli import cli, main
from tests.conftest import make_id

HEAD = make_id(seq="131")


@pytest.fixture
def roster_file(xlsx):
    # The worked example of domain.md: 3 persons, gross 10,200, medical 1,200 -> 450.
    return xlsx(
        [
            ["某村2019年10月农村低保花名册"],
            [
                "户主姓名",
                "户主身份证号",
                "家庭人口",
                "保障人口",
                "家庭年总收入（元）",
                "自付医疗费用",
                "月保障金",
            ],
            ["张三", HEAD, 3, 3, 10200, 1200, 450],
        ]
    )


def run(args):
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def test_assess_json_matches_the_library(roster_file):
    result = run(["--lang", "en", "assess", str(roster_file), "-f", "json", "--no-mask"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["civaudit"]["as_of"] == "2019-10-01"
    assert data["civaudit"]["as_of_source"] == "title"
    assert data["civaudit"]["policy"]["example"] is True
    row = data["households"][0]
    assert row["net_income"] == 9000 and row["pc_income_month"] == 250
    assert row["expected_base"] == 450 and row["difference"] == 0
    roster = load_roster(roster_file)
    from datetime import date

    table = assess(roster.households, roster.members, EXAMPLE_POLICY, as_of=date(2019, 10, 1))
    assert row["expected_base"] == table.loc[0, "expected_base"]
    assert "example policy" in result.stderr


def test_assess_masks_ids_by_default(roster_file):
    data = json.loads(run(["assess", str(roster_file), "-f", "json"]).stdout)
    assert data["households"][0]["household"] == HEAD[:6] + "********" + HEAD[-4:]


@pytest.mark.parametrize("suffix", [".csv", ".md", ".json", ".jsonl", ".xlsx"])
def test_assess_writes_each_format_atomically(roster_file, tmp_path, suffix):
    out = tmp_path / f"核算{suffix}"
    result = run(["assess", str(roster_file), "-o", str(out), "--as-of", "2019-10"])
    assert result.exit_code == 0
    assert out.exists() and out.stat().st_size > 0
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    if suffix == ".xlsx":
        book = openpyxl.load_workbook(out)
        ws = book.active
        assert ws["A1"].value == "hh"
        assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_output_equal_to_input_is_refused(roster_file):
    with pytest.raises(SystemExit) as exc:
        main(["assess", str(roster_file), "-o", str(roster_file), "-f", "xlsx"])
    assert exc.value.code == 2


def test_policy_init_check_show_round_trip(tmp_path):
    path = tmp_path / "县政策.toml"
    assert run(["policy", "init", str(path)]).exit_code == 0
    assert run(["policy", "check", str(path)]).exit_code == 0
    shown = run(["policy", "show", "--policy", str(path)])
    assert "[[standard]]" in shown.stdout
    with pytest.raises(SystemExit) as exc:
        main(["policy", "init", str(path)])
    assert exc.value.code == 2


def test_bad_policy_exit_2_with_file_and_key(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text('[[standard]]\nregion = "13"\nyearly = -5\n', encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["policy", "check", str(path)])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "bad.toml" in err and "yearly" in err and len(err.strip().splitlines()) == 1


def test_bad_as_of_exit_2(roster_file):
    with pytest.raises(SystemExit) as exc:
        main(["assess", str(roster_file), "--as-of", "October"])
    assert exc.value.code == 2
