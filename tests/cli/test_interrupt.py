"""Ctrl-C (SIGINT) ends civaudit with 130 whatever the timing (issue 14): while the
package loads, while the rosters are read and the rules run, as the report is being
written, just after it was written (Python shutting down), and when a second Ctrl-C
lands during the first one's cleanup. No traceback, and the -o file is whole or
absent, never half written, with no temporary file left beside it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

# the console script (civaudit_launcher:run), as a shell runs it
LAUNCH = [sys.executable, "-c", "from civaudit_launcher import run; run()"]


def start(tmp_path: Path) -> tuple[subprocess.Popen, Path]:
    target = tmp_path / "report.xlsx"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [*LAUNCH, "audit", str(SAMPLE), "-j", "1", "-o", str(target)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path,
    )  # fmt: skip
    return process, target


def finish(process: subprocess.Popen, target: Path) -> tuple[int, str]:
    _, err = process.communicate(timeout=120)
    text = err.decode("utf-8", "replace")
    assert "Traceback" not in text, text
    if target.exists():  # whole: a zip whose every part reads back
        with zipfile.ZipFile(target) as book:
            assert book.testzip() is None
    assert not [p.name for p in target.parent.iterdir() if p.name.endswith(".tmp")]
    return process.returncode, text


@pytest.mark.parametrize("delay", [0.2, 0.5, 1.0, 1.5, 2.0, 2.5])
def test_ctrl_c_at_any_moment_exits_130(tmp_path, delay):
    process, target = start(tmp_path)
    time.sleep(delay)
    if process.poll() is not None:  # finished before the signal could be sent
        code, text = finish(process, target)
        assert code in (0, 1), text
        return
    process.send_signal(signal.SIGINT)
    code, text = finish(process, target)
    assert code == 130, text


def test_ctrl_c_just_after_the_report_is_written_exits_130(tmp_path):
    process, target = start(tmp_path)
    deadline = time.monotonic() + 120
    while not target.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    if process.poll() is not None:
        pytest.skip("the run ended before the report appeared to the poll")
    process.send_signal(signal.SIGINT)
    code, text = finish(process, target)
    assert code == 130, text
    assert target.exists()  # it was written whole before the interrupt


@pytest.mark.parametrize("gap", [0.0, 0.005, 0.05])
def test_a_second_ctrl_c_during_the_cleanup_still_exits_130(tmp_path, gap):
    process, target = start(tmp_path)
    time.sleep(1.2)
    if process.poll() is not None:
        pytest.skip("the run ended first")
    process.send_signal(signal.SIGINT)
    time.sleep(gap)
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    code, text = finish(process, target)
    assert code == 130, text


def test_the_interrupted_line_is_said_once(tmp_path):
    process, target = start(tmp_path)
    time.sleep(1.0)
    if process.poll() is not None:
        pytest.skip("the run ended first")
    process.send_signal(signal.SIGINT)
    code, text = finish(process, target)
    assert code == 130
    assert text.count("interrupted (Ctrl-C)") <= 1
