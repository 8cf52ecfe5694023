"""The Dask engine gives exactly the local engine's answers: the same findings (rows
and evidence), coverage, rule statuses, months and warnings; a killed worker, an
unreadable file and Ctrl-C change nothing of that."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pandas as pd
import pytest

from civaudit.cli import main
from civaudit.errors import LoadError, UsageError
from civaudit.pipeline import run_audit
from civaudit.pipeline.cluster import run_dask

FRAMES = ("findings", "coverage", "rules", "as_of", "warnings")


def assert_same(one, other) -> None:
    """Two Reports equal to the row and the evidence, and in what they ran and skipped."""
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(one, name), getattr(other, name), obj=name)
    assert one.rules_run == other.rules_run
    assert dict(one.rules_skipped) == dict(other.rules_skipped)


@pytest.fixture(scope="module")
def local(county, against, policy):
    return run_audit(county[0], policy, against=against, lang="en")


def test_same_findings_on_a_cluster(county, against, policy, client, local, tmp_path):
    report = local.report
    # the planted problems across files and lists are there, in several villages
    rules = set(report.findings["rule"])
    assert {"dup.person", "dup.bank-account", "ext.deceased", "ext.tekun"} <= rules
    assert report.findings["file"].nunique() > 3
    outcome = run_audit(
        county[0], policy, engine="dask", client=client, against=against, lang="en",
        work_dir=tmp_path / "work",
    )  # fmt: skip
    assert_same(report, outcome.report)
    # each file's tables were stored as Parquet in the work folder, one entry per file
    entries = [p for p in (tmp_path / "work").iterdir() if not p.name.startswith(".")]
    assert len(entries) == len(list(county[0].rglob("*.xlsx")))
    assert all((e / "members.parquet").exists() for e in entries)
    # what the client got back is thin: no member values, the count only
    assert outcome.roster.members.shape == (len(local.roster.members), 0)
    assert [f.path for f in outcome.roster.files] == [f.path for f in local.roster.files]
    assert outcome.months.main == local.months.main
    assert outcome.series == local.series


def test_a_killed_worker_changes_nothing(county, against, policy, client, local):
    pids = client.run(os.getpid)
    result: dict = {}

    def audit() -> None:
        try:
            result["outcome"] = run_dask(county[0], policy, client=client, against=against,
                                         lang="en")  # fmt: skip
        except BaseException as exc:  # pragma: no cover - shown by the assertion below
            result["error"] = exc

    thread = threading.Thread(target=audit)
    thread.start()
    victim = None
    deadline = time.monotonic() + 60
    while victim is None and time.monotonic() < deadline and thread.is_alive():
        busy = {w: keys for w, keys in client.processing().items() if keys}
        if busy:
            victim = next(iter(busy))
            os.kill(pids[victim], signal.SIGKILL)  # the worker process dies mid-task
        else:
            time.sleep(0.01)
    thread.join(90)
    assert victim is not None, "the run ended before a worker could be killed"
    assert not thread.is_alive()
    assert "error" not in result, result.get("error")
    assert_same(local.report, result["outcome"].report)
    client.wait_for_workers(2, timeout=60)  # the nanny brought a worker back
    assert victim not in client.run(os.getpid) or client.run(os.getpid)[victim] != pids[victim]


def test_an_unreadable_file_is_listed_as_locally(broken_county, policy, client):
    here = run_audit(broken_county, policy, on_error="skip", lang="en")
    there = run_audit(broken_county, policy, engine="dask", client=client, on_error="skip",
                      lang="en")  # fmt: skip
    failed = [(f.path, f.error) for f in here.roster.files if f.error]
    assert len(failed) == 1 and failed[0][0].endswith("坏文件.xlsx")
    assert [(f.path, f.error) for f in there.roster.files if f.error] == failed
    assert_same(here.report, there.report)
    with pytest.raises(LoadError) as local_error:
        run_audit(broken_county, policy, lang="en")
    with pytest.raises(LoadError) as remote_error:
        run_audit(broken_county, policy, engine="dask", client=client, lang="en")
    assert str(remote_error.value) == str(local_error.value)


def test_the_command_line_on_a_cluster(broken_county, cluster, tmp_path, capsys):
    def audit(*extra):
        with pytest.raises(SystemExit) as exc:
            main(["--lang", "en", "audit", str(broken_county), "-q", "--fail-on", "never",
                  "-f", "json", *extra])  # fmt: skip
        out, err = capsys.readouterr()
        return exc.value.code, out, err

    remote = ("--engine", "dask", "--scheduler", cluster.scheduler_address)
    code, _, err = audit("-o", str(tmp_path / "local.json"))
    code_d, _, err_d = audit("-o", str(tmp_path / "dask.json"), *remote)
    assert code == code_d == 1  # a file not audited
    line = [x for x in err.splitlines() if "坏文件" in x]
    assert line and line == [x for x in err_d.splitlines() if "坏文件" in x]
    local_json = (tmp_path / "local.json").read_text(encoding="utf-8")
    dask_json = (tmp_path / "dask.json").read_text(encoding="utf-8")
    assert _findings(local_json) == _findings(dask_json)
    # --strict: exit 2, one line naming the file, no remote traceback
    code, _, err = audit("--strict")
    code_d, _, err_d = audit("--strict", *remote)
    assert code == code_d == 2
    assert err_d == err and len(err_d.strip().splitlines()) == 1
    assert "Traceback" not in err_d


def _findings(text: str) -> list:
    import json

    return json.loads(text)["findings"]


def test_ctrl_c_cancels_the_tasks_and_removes_the_work_folder(county, policy, client, monkeypatch):
    import civaudit.pipeline.cluster as engine

    made = []
    mkdtemp = engine.tempfile.mkdtemp
    monkeypatch.setattr(engine.tempfile, "mkdtemp", lambda **kw: made.append(mkdtemp(**kw))
                        or made[-1])  # fmt: skip

    def interrupt(path, done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_dask(county[0], policy, client=client, progress=interrupt)
    assert not any(client.processing().values())  # nothing left running on the cluster
    time.sleep(0.5)
    assert len(made) == 1 and not os.path.exists(made[0])  # the run's work folder is gone


def test_without_dask_a_clear_usage_error(county, policy, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(UsageError, match="needs dask and distributed"):
        run_audit(county[0], policy, engine="dask")


def test_the_local_engine_imports_no_dask(county):
    code = (
        "import sys, civaudit, civaudit.cli, civaudit.auditing, civaudit.roster, "
        "civaudit.pipeline\n"
        "from civaudit.pipeline import run_audit\n"
        "from civaudit.policy import EXAMPLE_POLICY\n"
        f"run_audit({str(county[0])!r}, EXAMPLE_POLICY, jobs=1)\n"
        "assert not {'dask', 'distributed'} & set(sys.modules), 'dask imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_a_url_work_folder_and_limits_reach_the_workers(
    county, against, policy, client, local, tmp_path
):
    from civaudit.limits import Limits

    url = (tmp_path / "work").as_uri()  # file:///…: through fsspec, as s3:// would be
    outcome = run_audit(county[0], policy, engine="dask", client=client, work_dir=url,
                        against=against, lang="en")  # fmt: skip
    assert_same(local.report, outcome.report)
    assert [p for p in (tmp_path / "work").iterdir() if p.name.startswith("run-")] == []
    tight = Limits(cells=10)  # every sheet is over it: refused on the worker as locally
    with pytest.raises(LoadError) as here:
        run_audit(county[0], policy, limits=tight, lang="en")
    with pytest.raises(LoadError) as there:
        run_audit(county[0], policy, engine="dask", client=client, limits=tight, lang="en")
    assert str(there.value) == str(here.value)


def test_streamed_reports_equal_the_whole_ones(county, cluster, tmp_path, capsys):
    """JSON Lines, CSV and Parquet are written a file's findings at a time; the bytes
    are those of the whole report, with either engine."""
    for fmt in ("jsonl", "csv", "parquet"):
        written = {}
        for engine in ("local", "dask"):
            target = tmp_path / f"{engine}.{fmt}"
            extra = ("--engine", "dask", "--scheduler", cluster.scheduler_address)
            with pytest.raises(SystemExit):
                main(["--lang", "en", "audit", str(county[0]), "-q", "--fail-on", "never",
                      "-o", str(target), *(extra if engine == "dask" else ())])  # fmt: skip
            capsys.readouterr()
            written[engine] = target.read_bytes()
        assert written["local"] == written["dask"]
        if fmt != "parquet":
            files = pd.read_csv if fmt == "csv" else (lambda p: pd.read_json(p, lines=True))
            assert len(files(tmp_path / f"local.{fmt}")) >= 20
