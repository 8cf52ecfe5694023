"""What was checked and what was not, through the CLI: coverage in every output of
audit and assess, --require-coverage, the roster month per file, and the options
and inputs that used to do nothing silently."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from civaudit.cli import main
from tests.conftest import make_id, write_xlsx

IDS = [make_id(seq=f"{n:03d}") for n in range(131, 140)]
SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
PAIR = SAMPLE / "康保县" / "张纪镇"


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def run(capsys):
    """``run(args)``: the CLI's exit code (as ``main`` maps it), stdout and stderr."""

    def call(args, lang="en"):
        with pytest.raises(SystemExit) as exc:
            main(["--lang", lang, *args])
        out = capsys.readouterr()
        return Result(exc.value.code, out.out, out.err)

    return call


@pytest.fixture
def no_income(tmp_path):
    rows = [["户主姓名", "户主身份证号", "家庭人口", "保障人口", "月保障金"]]
    rows += [[f"户主{i}", IDS[i], 2, 2, 300] for i in range(4)]
    return write_xlsx(tmp_path / "张纪镇上房子村.xlsx", [["某村2019年10月农村低保花名册"], *rows])


def test_no_usable_income_is_0_percent_in_every_output_and_fails_the_requirement(
    no_income, tmp_path, run
):
    out_json, out_md = tmp_path / "r.json", tmp_path / "r.md"
    result = run(["audit", str(no_income), "-o", str(out_json), "-o", str(out_md)])
    assert result.exit_code == 0  # no finding: the audit itself is clean ...
    first = result.stderr.splitlines()[:3]
    assert first[0] == "0 of 4 households assessed (0%)"
    assert first[1].startswith("4 of 4 households not assessed: household income missing")
    assert f"(see {no_income})" in first[1]
    assert first[2].startswith("Note: only 0% of the households were assessed")
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["coverage"]["percent"] == 0.0
    assert data["coverage"]["by_reason"] == {"income-missing": 4}
    (sheet,) = data["coverage"]["files"][0]["sheets"]
    assert len(sheet["not_assessed_households"]) == 4
    assert data["summary"]["coverage"]["assessed"] == 0
    skipped = {r["rule"]: r for r in data["rules"] if r["status"] == "skipped"}
    assert "income.above-standard" in skipped
    assert data["as_of"][0]["source"] == "title"
    md = out_md.read_text(encoding="utf-8")
    assert "0 of 4 households assessed (0%)" in md and "income missing" in md
    # ... but not when coverage is required
    result = run(["audit", str(no_income), "-q", "-f", "json", "--require-coverage", "50"])
    assert result.exit_code == 1
    assert "coverage 0% is below --require-coverage 50%" in result.stderr
    assert (
        run(["audit", str(no_income), "-q", "-f", "json", "--require-coverage", "0"]).exit_code == 0
    )


def test_assess_reports_coverage_and_takes_the_requirement(no_income, run):
    result = run(["assess", str(no_income), "-f", "json"])
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == "0 of 4 households assessed (0%)"
    data = json.loads(result.stdout)
    assert data["coverage"]["percent"] == 0.0
    assert {h["reason"] for h in data["households"]} == {"income-missing"}
    assert run(["assess", str(no_income), "-f", "json", "--require-coverage", "1"]).exit_code == 1


def test_a_file_named_for_its_month_is_audited_as_of_it(tmp_path, run):
    path = tmp_path / "四号地村低保花名册201910.csv"
    path.write_text(
        f"户主姓名,户主身份证号,家庭人口,家庭年总收入,月保障金\n张三,{IDS[0]},1,2400,200\n",
        encoding="utf-8",
    )
    result = run(["audit", str(path), "-q", "-f", "json"])
    assert "As of 2019-10-01 (from the file name)" in result.stderr
    data = json.loads(result.stdout)
    assert data["civaudit"]["as_of"] == "2019-10-01"
    assert data["civaudit"]["as_of_files"] == [
        {"file": str(path), "as_of": "2019-10-01", "source": "file-name"}
    ]


def test_a_file_with_no_month_says_which_rules_did_not_run_and_how_to_give_one(tmp_path, run):
    path = tmp_path / "花名册.csv"
    path.write_text(
        f"户主姓名,户主身份证号,家庭人口,家庭年总收入,月保障金,年龄\n张三,{IDS[0]},1,2400,200,59\n",
        encoding="utf-8",
    )
    result = run(["audit", str(path), "-q", "-f", "json"])
    assert "today" not in result.stderr
    assert f"No roster month for {path}" in result.stderr and "--as-of YYYY-MM" in result.stderr
    assert "needs the roster month" in result.stderr  # person.age-implausible, not run
    data = json.loads(result.stdout)
    assert data["civaudit"]["as_of"] is None and data["civaudit"]["as_of_source"] == "none"
    status = {r["rule"]: r for r in data["rules"]}["person.age-implausible"]
    assert (status["status"], status["reason"]) == ("skipped", "no-month")
    assert data["warnings"][0]["code"] == "as-of-missing"


def test_a_column_header_that_is_not_there_is_exit_2_naming_the_headers(no_income, run):
    result = run(["audit", str(no_income), "-q", "--column", "gross_income_year=家庭收入合计"])
    assert result.exit_code == 2
    assert "--column gross_income_year=家庭收入合计: no sheet has that header" in result.stderr
    assert "户主姓名, 户主身份证号, 家庭人口, 保障人口, 月保障金" in result.stderr
    result = run(["assess", str(no_income), "--column", "gross_income_year=Z"])
    assert result.exit_code == 2 and "no sheet has that header" in result.stderr
    assert run(["audit", str(no_income), "-q", "--column", "household_size=C"]).exit_code == 0


def test_a_baseline_with_other_masking_is_a_warning_saying_how_to_re_run(tmp_path, run):
    target = tmp_path / "村"
    shutil.copytree(SAMPLE / "康保县" / "照阳河镇", target)
    baseline = tmp_path / "base.json"
    run(["audit", str(target), "-q", "--no-mask", "-o", str(baseline), "--as-of", "2019-10"])
    assert json.loads(baseline.read_text(encoding="utf-8"))["civaudit"]["masked"] is False
    result = run(["audit", str(target), "-q", "-f", "json", "--as-of", "2019-10",
                  "--baseline", str(baseline)])  # fmt: skip
    assert "was written with full IDs (--no-mask), this run is with masked IDs" in result.stderr
    assert "re-run with the same masking (with --no-mask)" in result.stderr
    data = json.loads(result.stdout)
    assert data["summary"]["new"] == 0  # matched on masked numbers: nothing new
    assert data["warnings"][-1]["code"] == "baseline-mask"
    same = run(["audit", str(target), "-q", "-f", "json", "--as-of", "2019-10", "--no-mask",
                "--baseline", str(baseline)])  # fmt: skip
    assert "baseline" not in "".join(w["code"] for w in json.loads(same.stdout)["warnings"])


def test_an_export_pair_with_one_half_missing_is_a_warning_naming_the_rules(tmp_path, run):
    person = tmp_path / "农村低保人员查询_上房子村201910.xlsx"
    shutil.copy(PAIR / person.name, person)
    result = run(["audit", str(person), "-q", "-f", "json"])
    assert f"Warning: {person} looks like the person file of an export pair" in result.stderr
    assert "benefit.mismatch" in result.stderr and "农村低保家庭查询_" in result.stderr
    assert json.loads(result.stdout)["warnings"][-1]["code"] == "pair-half"
    household = tmp_path / "农村低保家庭查询_上房子村201910.xlsx"
    shutil.copy(PAIR / household.name, household)
    both = run(["audit", str(tmp_path), "-q", "-f", "json"])
    assert "export pair" not in both.stderr


def test_zh_summary(no_income, run):
    result = run(["audit", str(no_income), "-q", "-f", "json"], lang="zh")
    first = result.stderr.splitlines()
    assert first[0] == "4 户中 0 户已核算（0%）"
    assert first[1].startswith("4 户中 4 户未核算：缺少家庭收入")


def test_diff_without_a_month_for_new_is_exit_2_never_today(tmp_path, run):
    old = tmp_path / "旧.csv"
    new = tmp_path / "新.csv"
    for path in (old, new):
        path.write_text(
            f"户主姓名,户主身份证号,家庭人口,家庭年总收入,月保障金\n张三,{IDS[0]},1,2400,200\n",
            encoding="utf-8",
        )
    result = run(["diff", str(old), str(new), "-q", "-f", "json"])
    assert result.exit_code == 2 and "NEW has no roster month" in result.stderr
    assert (
        run(["diff", str(old), str(new), "-q", "-f", "json", "--as-of", "2019-10"]).exit_code == 0
    )
