"""A roster's cells cannot drive the terminal (issue 14): control characters (ESC and
so every ANSI sequence, BEL, carriage return, C1 codes, bidirectional overrides)
reach it escaped, in the one-line refusal, in the lines on stderr and in the rich
tables; the refusal stays one line whatever line breaks the cells hold."""

from __future__ import annotations

import csv
import io
import re
from contextlib import redirect_stderr, redirect_stdout

import pytest
from rich.text import Text

from civaudit.cli import main
from civaudit.cli.console import SafeConsole, escape_controls
from tests.conftest import make_id

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HOSTILE = "\x1b[2J\x1b]0;pwned\x07\r\x9b31m\u202e张三"


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err), pytest.raises(SystemExit) as done:
        main(["--debug", *args])
    return done.value.code, out.getvalue(), err.getvalue()


def test_escape_controls_writes_them_out():
    assert escape_controls("a\x1b[31mb") == "a\\x1b[31mb"
    assert escape_controls("x\ry\x07\x9b\u202e") == "x\\x0dy\\x07\\x9b\\u202e"
    assert escape_controls("两行\n文字") == "两行\n文字"
    assert escape_controls("两行\n文字", newlines=False) == "两行\\x0a文字"
    assert escape_controls("张三 130723") == "张三 130723"  # nothing to do: the same text


def test_the_rich_console_escapes_strings_and_text_objects():
    buffer = io.StringIO()
    console = SafeConsole(file=buffer, force_terminal=True, width=80)
    console.print(f"name: {HOSTILE}", markup=False)
    console.print(Text("\x1b[31mred"))
    shown = re.sub(r"\x1b\[[0-9;]*m", "", buffer.getvalue())  # rich's own styles
    assert "\\x1b[2J" in shown and "\\x1b[31mred" in shown
    assert not CONTROL.search(shown.replace("\n", ""))


def write_csv(path, rows) -> str:
    """A CSV file (it holds any character; openpyxl refuses control characters)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return str(path)


def test_a_refusal_quoting_cells_is_one_escaped_line(tmp_path):
    # not a roster: the refusal quotes the first cells
    path = write_csv(tmp_path / "bad.csv", [[HOSTILE, "第二行\n单元格"], ["x", "y"]])
    code, _, err = run("audit", path)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("civaudit: ")
    assert not CONTROL.search(err[:-1]) and "\\x1b[2J" in err


def test_findings_and_summaries_on_the_terminal_are_escaped(tmp_path):
    path = write_csv(
        tmp_path / "\x1b[31mroster\x07.csv",
        [
            ["户主姓名", "户主身份证号", "家庭人口", "月保障金", "村"],
            [HOSTILE, make_id(seq="131"), 3, 450, "\x1b[31m东村"],
            [HOSTILE, make_id(seq="131"), 3, 450, "\x1b[31m东村"],
        ],
    )
    for command in ("audit", "sample", "assess", "inspect"):
        code, out, err = run(command, path, "-f", "table")
        assert code in (0, 1), err
        assert not CONTROL.search(out.replace("\n", "")), (command, out)
        assert not CONTROL.search(err.replace("\n", "")), (command, err)


def test_a_usage_error_quoting_an_argument_is_escaped(tmp_path):
    code, _, err = run("audit", str(tmp_path / "x\x1b[31m.xlsx"), "--fail-on", "\x1b[5m")
    assert code == 2
    assert not CONTROL.search(err.replace("\n", ""))


def test_every_terminal_line_goes_through_the_escaping_helpers():
    """No command writes to the terminal around ``say`` and ``SafeConsole``: a new
    ``click.echo`` or rich ``Console()`` would carry a cell's escapes unescaped."""
    from pathlib import Path

    import civaudit.cli

    folder = Path(civaudit.cli.__file__).parent
    offenders = [
        f"{path.name}:{number}"
        for path in sorted(folder.glob("*.py"))
        if path.name != "console.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"click\.(echo|secho)\(|(?<!Safe)Console\(", line)
    ]
    assert offenders == []
