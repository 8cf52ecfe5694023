"""`civaudit audit` and `civaudit rules` through the CLI: exit codes, outputs, baseline."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from civaudit import EXAMPLE_POLICY, load_roster
from civaudit.auditing import audit as audit_roster
from civaudit.cli import cli, main
from tests.conftest import make_id

HEAD = make_id(seq="131")
HEAD2 = make_id(birth="19550505", seq="171")
SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


@pytest.fixture
def roster_file(xlsx):
    # One clean household (the worked example) and one paid 50 yuan too much.
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
                "备注",
            ],
            ["张三", HEAD, 3, 3, 10200, 1200, 450, None],
            ["李四", HEAD2, 1, 1, 2400, 0, 250, "@SUM(1+1)"],
        ]
    )


def run(args):
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def codes(args):
    with pytest.raises(SystemExit) as exc:
        main(args)
    return exc.value.code


def test_exit_codes_follow_fail_on(roster_file, xlsx):
    clean = xlsx(
        [["户主姓名", "户主身份证号", "家庭人口", "保障人口", "家庭年总收入", "月保障金"],
         ["张三", HEAD, 3, 3, 9000, 450]],
        name="clean.xlsx",
    )  # fmt: skip
    assert codes(["audit", str(clean), "-q", "--as-of", "2019-10"]) == 0
    assert codes(["audit", str(roster_file), "-q"]) == 1
    assert codes(["audit", str(roster_file), "-q", "--fail-on", "never"]) == 0
    assert codes(["audit", str(roster_file), "-q", "--select", "id"]) == 0
    assert codes(["audit", str(roster_file), "--policy", str(roster_file)]) == 2


def test_cli_json_equals_the_library(roster_file):
    result = run(["--lang", "en", "audit", str(roster_file), "-f", "json", "--fail-on", "never"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    library = audit_roster(
        load_roster(roster_file), EXAMPLE_POLICY, as_of=date(2019, 10, 1), lang="en"
    ).to_dict()
    assert data["findings"] == json.loads(json.dumps(library["findings"], ensure_ascii=False))
    assert data["summary"]["by_severity"]["error"] >= 1
    assert data["civaudit"]["policy"]["example"] is True
    assert {"rule", "severity", "message", "clause", "file", "sheet", "row", "cell",
            "household", "person", "evidence"} <= set(data["findings"][0])  # fmt: skip


def test_stdout_is_the_report_stderr_the_summary(roster_file):
    result = run(["audit", str(roster_file), "-f", "jsonl", "--fail-on", "never"])
    lines = result.stdout.strip().splitlines()
    assert all(json.loads(line)["rule"] for line in lines)
    assert "finding" in result.stderr and "{" not in result.stderr


def test_baseline_only_new_findings_fail(roster_file, tmp_path):
    report = tmp_path / "last.json"
    assert codes(["audit", str(roster_file), "-o", str(report)]) == 1
    assert codes(["audit", str(roster_file), "-q", "--baseline", str(report)]) == 0
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    assert codes(["audit", str(roster_file), "-q", "--baseline", str(bad)]) == 2


def test_xlsx_report_reads_back(roster_file, tmp_path):
    out = tmp_path / "核查报告.xlsx"
    assert codes(["--lang", "zh", "audit", str(roster_file), "-o", str(out)]) == 1
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:2] == ["汇总", "问题清单"]
    findings = book["问题清单"]
    header = [c.value for c in findings[1]]
    assert "核查结论" in header and findings.freeze_panes == "A2"
    copy = book[book.sheetnames[-1]]  # the roster copies come last
    flagged = [
        r
        for r in range(1, copy.max_row + 1)
        if copy.cell(r, 1).fill.fgColor.rgb not in (None, "00000000")
    ]
    assert flagged, "the flagged roster row is highlighted"
    assert any(copy.cell(r, 1).comment for r in flagged)
    every_cell = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in every_cell), "no formula cells, ever"
    assert any(c.value == "@SUM(1+1)" for c in every_cell)
    assert not any(HEAD in str(c.value) for c in every_cell if c.value), "IDs masked"


def test_outputs_are_atomic_and_inputs_untouched(roster_file, tmp_path):
    before = roster_file.read_bytes()
    assert codes(["audit", str(roster_file), "-o", str(roster_file)]) == 2
    assert roster_file.read_bytes() == before
    for suffix in ("json", "jsonl", "csv", "md", "xlsx"):
        out = tmp_path / f"r.{suffix}"
        codes(["audit", str(roster_file), "-o", str(out)])
        assert out.stat().st_size > 0
    assert not list(tmp_path.glob(".*.tmp"))


def test_csv_report_defuses_formulas(roster_file, tmp_path):
    out = tmp_path / "r.csv"
    codes(["audit", str(roster_file), "-o", str(out)])
    text = out.read_text(encoding="utf-8-sig")
    assert ",@" not in text and ",=" not in text


def test_sample_data_audit_runs(tmp_path):
    target = tmp_path / "样例"
    shutil.copytree(SAMPLE, target)
    assert codes(["audit", str(target), "-q", "-o", str(tmp_path / "r.xlsx")]) == 1


def test_rules_catalogue_formats():
    data = json.loads(run(["rules", "-f", "json"]).stdout)
    ids = [r["id"] for r in data]
    assert "id.checksum" in ids and "phaseout.expired" in ids and len(ids) == len(set(ids))
    assert "| `id.checksum` |" in run(["rules", "-f", "md"]).stdout
    assert "校验" in run(["--lang", "zh", "rules"]).stdout


def test_unreadable_file_among_good_ones(roster_file, tmp_path):
    bad = roster_file.parent / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    out = tmp_path / "r.json"
    args = ["audit", str(roster_file.parent), "-q", "-o", str(out), "--fail-on", "never"]
    assert codes(args) == 1  # the good file is audited; the bad one makes it at least 1
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [f["path"] for f in data["summary"]["not_audited"]] == [str(bad)]
    assert any(i["error"] for i in data["civaudit"]["inputs"])
    assert codes([*args, "--strict"]) == 2
    assert codes(["audit", str(bad), "-q"]) == 2  # nothing could be audited


def test_results_do_not_depend_on_jobs_or_file_order(tmp_path):
    target = tmp_path / "样例"
    shutil.copytree(SAMPLE, target)
    outs = []
    for jobs, paths in (
        (1, sorted(target.rglob("*.xlsx"))),
        (2, sorted(target.rglob("*.xlsx"))[::-1]),
    ):
        out = tmp_path / f"r{jobs}.json"
        codes(["audit", *map(str, paths), "-q", "-j", str(jobs), "-o", str(out)])
        outs.append(json.loads(out.read_text(encoding="utf-8"))["findings"])
    assert outs[0] == outs[1] and outs[0]


def test_review_round_trip_carries_verdicts(roster_file, tmp_path):
    first = tmp_path / "核查报告.xlsx"
    assert codes(["--lang", "zh", "audit", str(roster_file), "-q", "-o", str(first)]) == 1
    book = openpyxl.load_workbook(first)
    sheet = book["问题清单"]
    header = [c.value for c in sheet[1]]
    verdict, inspector, note, rule = (
        header.index("核查结论") + 1,
        header.index("核查人") + 1,
        header.index("说明") + 1,
        header.index("规则编号") + 1,
    )
    for r in range(2, sheet.max_row + 1):
        sheet.cell(r, verdict).value = "不属实"
        sheet.cell(r, inspector).value = "王五"
        sheet.cell(r, note).value = f"入户核实 {sheet.cell(r, rule).value}"
    book.save(first)
    second = tmp_path / "again.json"
    args = ["audit", str(roster_file), "-q", "--reviewed", str(first), "-o", str(second)]
    assert codes(args) == 0  # every finding was found not true
    data = json.loads(second.read_text(encoding="utf-8"))
    assert data["findings"] and all(f["verdict"] == "不属实" for f in data["findings"])
    assert all(f["review_note"].startswith("入户核实") for f in data["findings"])
    assert all(f["inspector"] == "王五" for f in data["findings"])
    assert data["summary"]["reviewed"] == {"不属实": len(data["findings"])}
    assert codes(["audit", str(roster_file), "-q", "--reviewed", str(second)]) == 2
