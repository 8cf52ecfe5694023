"""Windows console safety: machine formats reach a pipe as UTF-8 bytes whatever the
console's encoding (a GBK code page here, through PYTHONIOENCODING), CSV without a BOM
on a pipe and with one in a file, and the terminal table degrades without ``?``."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import make_id

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
RARE = "𠮷"  # U+20BB7: not in GBK, in GB18030


def civaudit(*args: str, encoding: str = "gbk") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "PYTHONPATH": str(ROOT)}
    env.pop("LC_ALL", None)
    return subprocess.run(
        [sys.executable, "-m", "civaudit", *args],
        capture_output=True, env=env, timeout=300, cwd=ROOT,
    )  # fmt: skip


def test_json_on_a_gbk_pipe_is_utf8_and_parses():
    out = civaudit("audit", str(SAMPLE), "-f", "json")
    data = json.load(io.BytesIO(out.stdout))
    assert len(data["findings"]) == 32
    assert any("村" in (f["village"] or f["file"]) for f in data["findings"])


def test_csv_on_a_gbk_pipe_has_no_bom_and_a_rule_key(tmp_path):
    out = civaudit("audit", str(SAMPLE), "-f", "csv")
    assert not out.stdout.startswith(b"\xef\xbb\xbf")
    reader = csv.DictReader(io.TextIOWrapper(io.BytesIO(out.stdout), encoding="utf-8"))
    rows = list(reader)
    assert reader.fieldnames[0] == "rule" and len(rows) == 32
    file = tmp_path / "r.csv"
    civaudit("audit", str(SAMPLE), "-o", str(file))
    assert file.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel needs it in a file


@pytest.mark.parametrize("fmt", ["jsonl", "md"])
def test_other_machine_formats_are_utf8_on_a_gbk_pipe(fmt):
    out = civaudit("--lang", "zh", "audit", str(SAMPLE), "-f", fmt)
    text = out.stdout.decode("utf-8")  # raises if the console encoding had touched it
    assert "朱家营子村" in text or "2019年10月" in text


@pytest.fixture
def rare_roster(xlsx):
    return xlsx(
        [
            ["户主姓名", "户主身份证号", "家庭人口", "保障人口", "家庭年总收入", "月保障金"],
            [f"张{RARE}", make_id(seq="131"), 3, 3, 9000, 999],
        ],
        name=f"{RARE}家村.xlsx",
    )


def test_the_table_on_a_gbk_console_keeps_rare_characters(rare_roster):
    out = civaudit("--lang", "zh", "audit", str(rare_roster), "-f", "table", "--as-of", "2019-10")
    text = out.stdout.decode("gb18030")
    assert "?" not in text and RARE in text  # the file name, in the findings' places
    err = out.stderr.decode("gb18030")
    assert "?" not in err and "发现问题" in err


def test_a_console_without_chinese_gets_code_points_not_question_marks(rare_roster):
    out = civaudit("--lang", "zh", "audit", str(rare_roster), "-f", "table", "--as-of", "2019-10",
                   encoding="latin-1")  # fmt: skip
    text = out.stdout.decode("latin-1")
    assert "?" not in text and "<U+" in text
