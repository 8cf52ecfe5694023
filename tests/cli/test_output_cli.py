"""`civaudit audit` outputs past one findings frame: `-f parquet` (a file, a pipe, never a
terminal) and `-o -`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from civaudit.cli import cli, main
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
