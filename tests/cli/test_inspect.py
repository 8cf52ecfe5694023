"""`civaudit inspect` through CliRunner and once as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from civaudit.cli import cli, main
from tests.conftest import make_id

HEAD = make_id(seq="131")


@pytest.fixture
def roster_file(xlsx):
    return xlsx(
        [
            ["××乡2019年10月低保花名册"],
            ["姓名", "身份证号", "家庭人口", "月保障金", "备用"],
            ["张三", HEAD, 3, "abc", "x"],
            ["合计", None, 3, None],
        ]
    )


def run(args):
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def test_inspect_json(roster_file):
    result = run(["--lang", "en", "inspect", str(roster_file), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    sheet = data["files"][0]["sheets"][0]
    assert sheet["header_rows"] == [2]
    assert sheet["title_month"] == "2019-10"
    assert sheet["skipped"] == {"title": 1, "totals": 1}
    assert sheet["unparsed"] == {"benefit_month": 1}
    assert sheet["ids"]["valid"] == 1
    spare = next(c for c in sheet["columns"] if c["column"] == "E")
    assert (spare["header"], spare["field"], spare["how"]) == ("备用", None, "unmapped")
    assert sheet["unplaced"] == [{"column": "E", "header": "备用"}]
    name = next(c for c in sheet["columns"] if c["column"] == "A")
    assert name["basis"] == [{"by": "alias", "detail": "spec"}]


def test_a_year_ledger_s_month_columns_are_named_with_what_to_do(xlsx):
    # 全年发放台账: a household a row, a column per month; which month to check is the
    # user's choice, so none is read as the benefit and inspect says how to pick one
    months = ["1月", "2月", "十二月份"]
    title = ["××镇2019年农村低保金发放台账"]
    header = ["户主姓名", "身份证号", "保障人数", *months, "备用"]
    path = xlsx([title, header, ["张三", HEAD, 2, 600, 600, 600, "x"]])
    result = run(["--lang", "en", "inspect", str(path), "-f", "json"])
    sheet = json.loads(result.stdout)["files"][0]["sheets"][0]
    assert sheet["month_columns"] == [
        {"column": letter, "header": h} for letter, h in zip("DEF", months, strict=True)
    ]
    shown = " ".join(run(["--lang", "en", "inspect", str(path)]).stdout.split())
    assert "D 1月 … F 十二月份 hold a month each" in shown
    assert "--column benefit_month=十二月份 --as-of YYYY-MM" in shown


def test_one_month_column_is_no_ledger(roster_file):
    result = run(["--lang", "en", "inspect", str(roster_file), "-f", "json"])
    assert json.loads(result.stdout)["files"][0]["sheets"][0]["month_columns"] == []


@pytest.mark.parametrize(("lang", "word"), [("en", "Column mapping"), ("zh", "布局")])
def test_inspect_table_in_both_languages(roster_file, lang, word):
    result = run(["--lang", lang, "inspect", str(roster_file)])
    assert result.exit_code == 0
    assert ("header rows" if lang == "en" else "表头行") in result.stdout
    assert "benefit_month 1" in result.stdout


def test_bad_file_exit_2_one_line(tmp_path):
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"")
    result = CliRunner().invoke(cli, ["inspect", str(bad)])
    # through main() the exit code mapping happens; here the command returns 2
    assert result.return_value == 2 or result.exit_code in (0, 2)
    proc = subprocess.run(
        [sys.executable, "-m", "civaudit", "inspect", str(bad)],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "坏.xlsx" in lines[0] and "Traceback" not in proc.stderr


def test_missing_path_exit_2(tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["inspect", str(tmp_path / "nope.xlsx")])
    assert exc.value.code == 2


def test_bad_column_option_exit_2(roster_file):
    with pytest.raises(SystemExit) as exc:
        main(["inspect", str(roster_file), "--column", "nonsense"])
    assert exc.value.code == 2


def test_version_and_help():
    assert run(["--version"]).stdout.startswith("civaudit, version")
    out = run(["inspect", "-h"]).stdout
    assert "Example" in out and "civaudit inspect" in out


def test_inspect_names_each_kind_and_what_the_pair_joined(tmp_path):
    from civaudit.generator import EXPORT_RULES, RosterSpec, generate_county

    spec = RosterSpec(
        seed=4,
        members=300,
        villages=1,
        towns=1,
        layout="export",
        fmt="html-xls",
        problems=dict.fromkeys(EXPORT_RULES, 1),
    )
    files, key = generate_county(spec, tmp_path)
    orphans = int((key["rule"] == "roster.member-without-household").sum())
    data = json.loads(run(["inspect", *map(str, files), "-f", "json"]).stdout)
    assert [f["kind"] for f in data["files"]] == ["html", "html"]
    pair = {f["pair"][0]["role"]: f["pair"][0] for f in data["files"]}
    assert pair["households"]["unjoined"] == 1
    assert pair["members"]["unjoined"] == orphans
    assert pair["members"]["with"] == [str(files[0])]
    assert len(data["pairs"]["links"]) == 1 and data["pairs"]["head_mismatches"] == 0
    text = run(["--lang", "en", "inspect", *map(str, files)]).stdout
    assert "HTML table, named .xls" in text
    assert "export pair, household file:" in text and "1 without members" in " ".join(text.split())
    assert "系统导出人员表" in run(["--lang", "zh", "inspect", *map(str, files)]).stdout
