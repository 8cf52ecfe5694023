"""`civaudit audit` outputs past one findings frame: `-f parquet` (a file, a pipe, never a
terminal), `-o -`, the Excel report one county at a time (`--split-by county`) and the
refusal of a workbook past Excel's row cap."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from civaudit.cli import cli, main
from civaudit.report import xlsx
from civaudit.report.output import records
from civaudit.report.xlsx import KEY_COLUMN, column_label
from tests.conftest import make_id

HEADER = ["户主姓名", "户主身份证号", "家庭人口", "保障人口", "家庭年总收入（元）", "月保障金"]


def roster(xlsx_maker, title: str, name: str, seq: int):
    # one household paid too much (benefit.mismatch), one whose ID fails its checksum
    good = make_id(seq=f"{seq:03d}")
    bad = make_id(birth="19550505", seq=f"{seq + 1:03d}")
    bad = bad[:-1] + ("0" if bad[-1] != "0" else "1")
    rows = [[title], HEADER, ["张三", good, 3, 3, 10200, 900], ["李四", bad, 1, 1, 2400, 250]]
    return xlsx_maker(rows, name=name)


@pytest.fixture
def counties(xlsx):
    """Three rosters: two counties (named in the sheet titles) and one with none."""
    return [
        roster(xlsx, "康保县张纪镇上房子村2019年10月农村低保花名册", "上房子村.xlsx", 101),
        roster(xlsx, "沽源县平定堡镇小厂村2019年10月农村低保花名册", "小厂村.xlsx", 201),
        roster(xlsx, "某村2019年10月农村低保花名册", "某村.xlsx", 301),
    ]


def codes(args, capsys) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exc:
        main(args)
    return exc.value.code, capsys.readouterr().err


def finding_keys(book_path: Path) -> list[str]:
    """The hidden identity column of a workbook's findings sheet."""
    book = openpyxl.load_workbook(book_path, read_only=True)
    sheet = book.worksheets[1]
    rows = list(sheet.iter_rows(values_only=True))
    column = list(rows[0]).index(column_label(KEY_COLUMN))
    return [r[column] for r in rows[1:] if r[column] is not None]


def test_parquet_file_holds_the_jsonl_rows(counties, tmp_path, capsys):
    paths = [str(p) for p in counties]
    jsonl, parquet = tmp_path / "f.jsonl", tmp_path / "f.parquet"
    code, _ = codes(["audit", *paths, "-o", str(jsonl), "-o", str(parquet)], capsys)
    assert code == 1
    expected = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    back = records(pd.read_parquet(parquet))
    for row in back:
        row["evidence"] = json.loads(row["evidence"]) if row["evidence"] else row["evidence"]
    assert back == expected and len(expected) >= 6
    other = tmp_path / "named.out"
    assert codes(["audit", *paths, "-q", "-f", "parquet", "-o", str(other)], capsys)[0] == 1
    assert other.read_bytes()[:4] == b"PAR1"


def test_parquet_goes_to_a_pipe_as_bytes(counties, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["audit", str(counties[0]), "-f", "parquet"])
    assert result.stdout_bytes[:4] == b"PAR1" and result.stdout_bytes[-4:] == b"PAR1"
    assert len(pd.read_parquet(io.BytesIO(result.stdout_bytes))) >= 2
    dash = CliRunner().invoke(cli, ["audit", str(counties[0]), "-f", "jsonl", "-o", "-"])
    assert [json.loads(line)["rule"] for line in dash.stdout.splitlines()]
    assert not (tmp_path / "-").exists()


def test_parquet_is_refused_on_a_terminal(counties, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("civaudit.cli.output.stdout_is_terminal", lambda: True)
    code, err = codes(["--lang", "en", "audit", str(counties[0]), "-f", "parquet"], capsys)
    assert code == 2
    assert err.strip().count("\n") == 0 and "parquet cannot be written to the terminal" in err
    code, err = codes(["--lang", "zh", "audit", str(counties[0]), "-o", "-", "-f", "parquet"],
                      capsys)  # fmt: skip
    assert code == 2 and "不能输出到终端" in err


@pytest.mark.parametrize(("lang", "unknown"), [("zh", "未知县"), ("en", "unknown county")])
def test_split_by_county_one_workbook_each(counties, tmp_path, capsys, lang, unknown):
    paths = [str(p) for p in counties]
    whole = tmp_path / "whole" / "report.xlsx"
    assert codes(["--lang", lang, "audit", *paths, "-q", "-o", str(whole)], capsys)[0] == 1
    out = tmp_path / "split"
    code, err = codes(
        ["--lang", lang, "audit", *paths, "-q", "--split-by", "county",
         "-o", str(out / "report.xlsx"), "-o", str(out / "all.json")], capsys,
    )  # fmt: skip
    assert code == 1
    books = sorted(out.glob("report-*.xlsx"))
    assert [b.name for b in books] == sorted(
        ["report-康保县.xlsx", "report-沽源县.xlsx", f"report-{unknown}.xlsx"]
    )
    assert not (out / "report.xlsx").exists()
    for book in books:
        assert str(book) in err  # each file written is listed
    keys = Counter(k for book in books for k in finding_keys(book))
    assert keys == Counter(finding_keys(whole)) and len(keys) >= 6
    by_county = {
        b.name: {json.loads(k)[1] for k in finding_keys(b)} for b in books
    }  # each workbook holds one county's files
    assert by_county["report-康保县.xlsx"] == {paths[0]}
    assert by_county["report-沽源县.xlsx"] == {paths[1]}
    assert by_county[f"report-{unknown}.xlsx"] == {paths[2]}
    county_book = openpyxl.load_workbook(out / "report-沽源县.xlsx", read_only=True)
    assert len(county_book.sheetnames) >= 3 and any("小厂村" in s for s in county_book.sheetnames)
    assert not any("上房子村" in s for s in county_book.sheetnames)
    assert json.loads((out / "all.json").read_text(encoding="utf-8"))["findings"]
    assert not list(out.glob(".*.tmp"))


def test_split_by_needs_an_xlsx_output(counties, tmp_path, capsys):
    code, err = codes(["--lang", "en", "audit", str(counties[0]), "--split-by", "county",
                       "-o", str(tmp_path / "r.json")], capsys)  # fmt: skip
    assert code == 2 and "--split-by applies to the xlsx report" in err
    assert not (tmp_path / "r.json").exists()


def test_a_workbook_past_the_row_cap_is_refused(counties, tmp_path, capsys, monkeypatch):
    paths = [str(p) for p in counties]
    probe = tmp_path / "probe.jsonl"
    codes(["audit", *paths, "-q", "-o", str(probe)], capsys)
    found = Counter(json.loads(line)["county"] for line in probe.read_text("utf-8").splitlines())
    largest = max(found.values())
    assert sum(found.values()) > largest
    monkeypatch.setattr(xlsx, "EXCEL_MAX_ROWS", largest + 1)  # a county fits, the whole not

    out = tmp_path / "out"
    code, err = codes(["--lang", "en", "audit", *paths, "-q", "-o", str(out / "r.json"),
                       "-o", str(out / "r.xlsx")], capsys)  # fmt: skip
    assert code == 2
    line = err.strip()
    assert "\n" not in line and "past Excel's" in line and "--split-by county" in line
    assert not out.exists() or list(out.iterdir()) == []  # nothing written, not even the json

    code, err = codes(["audit", *paths, "-q", "--split-by", "county", "-o", str(out / "r.xlsx")],
                      capsys)  # fmt: skip
    assert code == 1 and len(list(out.glob("r-*.xlsx"))) == len(found)

    monkeypatch.setattr(xlsx, "EXCEL_MAX_ROWS", largest)  # now one county does not fit
    again = tmp_path / "again"
    code, err = codes(["--lang", "zh", "audit", *paths, "-q", "--split-by", "county",
                       "-o", str(again / "r.xlsx")], capsys)  # fmt: skip
    assert code == 2 and "jsonl、csv 或 parquet" in err
    assert not again.exists() or list(again.iterdir()) == []


@pytest.mark.parametrize("command", ["assess", "sample", "diff"])
def test_every_command_with_formats_writes_parquet(counties, tmp_path, capsys, command):
    target = tmp_path / f"{command}.parquet"
    paths = [str(counties[0]), str(counties[1])] if command == "diff" else [str(counties[0])]
    code, err = codes([command, *paths, "-o", str(target)], capsys)
    assert code in (0, 1), err
    assert len(pd.read_parquet(target).columns) > 3


def test_split_by_county_on_the_dask_engine(counties, tmp_path, capsys):
    pytest.importorskip("distributed")
    paths = [str(p) for p in counties]
    local, remote = tmp_path / "local", tmp_path / "dask"
    assert codes(["audit", *paths, "-q", "--split-by", "county", "-o", str(local / "r.xlsx")],
                 capsys)[0] == 1  # fmt: skip
    code, err = codes(["audit", *paths, "-q", "--engine", "dask", "-j", "1", "--split-by",
                       "county", "-o", str(remote / "r.xlsx")], capsys)  # fmt: skip
    assert code == 1, err
    books = sorted(p.name for p in local.glob("r-*.xlsx"))
    assert books == sorted(p.name for p in remote.glob("r-*.xlsx")) and len(books) == 3
    for name in books:
        assert finding_keys(local / name) == finding_keys(remote / name)


def test_parquet_is_refused_on_a_text_only_stdout(counties, capsys):
    import contextlib

    text_only = io.StringIO()  # an IDE's console: no binary buffer behind it
    with contextlib.redirect_stdout(text_only):
        code, err = codes(["--lang", "en", "audit", str(counties[0]), "-f", "parquet"], capsys)
    assert code == 2 and "parquet cannot be written to the terminal" in err
    assert text_only.getvalue() == ""
