"""A province-sized batch audited by the local engine and by Dask with 1 and 2 workers.

    python benchmarks/bench_province.py --members 1500000 --files 1200

Generates one .xlsx per village with the project's generator (cached under
benchmarks/.cache/, as bench_county.py does), then runs, each in a fresh process,
`civaudit audit FOLDER -q -f json -o report.json` with `-j 2` (local engine) and with
`--engine dask -j 1` and `-j 2` (a LocalCluster of that many worker processes on
127.0.0.1). While each run goes, the resident memory of every process of the run is
sampled (psutil, every 0.2 s): the peak of the client (the civaudit process) and of
each worker are reported. The findings of every run must be identical.
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_county import county

MB = 1024 * 1024


def sample(process: psutil.Process, peaks: dict[int, tuple[str, int]], stop) -> None:
    """Peak RSS of the process and each of its descendants, by pid."""
    while not stop.is_set():
        try:
            procs = [process, *process.children(recursive=True)]
        except psutil.Error:
            break
        for proc in procs:
            try:
                rss = proc.memory_info().rss
                name = " ".join(proc.cmdline()[1:4])
            except psutil.Error:
                continue
            if rss > peaks.get(proc.pid, ("", 0))[1]:
                peaks[proc.pid] = (name, rss)
        time.sleep(0.2)


def run(folder: Path, report: Path, *extra: str) -> dict:
    command = [sys.executable, "-m", "civaudit", "audit", str(folder), "-q", "-f", "json",
               "-o", str(report), "--fail-on", "never", *extra]  # fmt: skip
    start = time.perf_counter()
    child = subprocess.Popen(command)
    peaks: dict[int, tuple[str, int]] = {}
    stop = threading.Event()
    watcher = threading.Thread(target=sample, args=(psutil.Process(child.pid), peaks, stop))
    watcher.start()
    code = child.wait()
    stop.set()
    watcher.join()
    seconds = time.perf_counter() - start
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(command)}: exit {code}")
    client = peaks.pop(child.pid, ("", 0))[1]
    workers = sorted(
        (rss for name, rss in peaks.values() if "spawn" in name and "resource_tracker" not in name),
        reverse=True,
    )
    return {"seconds": seconds, "client_mb": client / MB, "workers_mb": [w / MB for w in workers]}


def stages(folder: Path, workers: int) -> None:
    """The Dask engine's stages timed apart on a LocalCluster of ``workers``: the
    per-file stage (a task per file) and the Parquet it wrote, then the cross-file stage
    in shards (``pipeline.shards``: a task per file group, then per bucket of each key),
    the bytes it passed through the work folder, and each worker's peak in each stage."""
    import distributed

    from civaudit.pipeline.cluster import _buckets, _runner
    from civaudit.pipeline.shards import check_group, check_sharded
    from civaudit.pipeline.stages import check_unit, input_files
    from civaudit.policy import EXAMPLE_POLICY

    files = [str(f) for f in input_files(folder)]
    with (
        tempfile.TemporaryDirectory() as work,
        distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.CRITICAL,  # not the workers' heartbeats as the cluster stops
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        peaks: dict[int, tuple[str, int]] = {}
        stop = threading.Event()
        me = psutil.Process()
        watcher = threading.Thread(target=sample, args=(me, peaks, stop))
        watcher.start()
        start = time.perf_counter()
        units = client.gather(client.map(check_unit, files, work_dir=work, retries=3))
        per_file = time.perf_counter() - start
        per_file_peaks = sorted((r for n, r in peaks.values() if "spawn" in n), reverse=True)
        parquet = sum(p.stat().st_size for p in Path(work).rglob("*.parquet"))
        members = sum(u.members for u in units)
        peaks.clear()
        shuffled: dict[str, int] = {}
        inner = _runner(client, [])

        passes: dict[str, list[float]] = {}  # each pass's peak RSS per worker, MB

        def run(fn, items, **shared):  # the work folder's size once the groups wrote theirs
            peaks.clear()
            out = inner(fn, items, **shared)
            time.sleep(0.5)  # a last sample
            rss = sorted((r / MB for n, r in peaks.values() if "spawn" in n), reverse=True)
            passes[fn.__name__] = rss[:workers]
            if fn is check_group:
                for part in ("tables", "shuffle", "blocks", "subset"):
                    found = Path(work).glob(f"run-*/{part}/**/*.pkl")
                    shuffled[part] = sum(p.stat().st_size for p in found)
            return out

        start = time.perf_counter()
        outcome = check_sharded(units, EXAMPLE_POLICY, run=run, work_dir=work,
                                buckets=_buckets(client), lang="en")  # fmt: skip
        cross = time.perf_counter() - start
        stop.set()
        watcher.join()
        cross_peaks = [max(p) * MB for p in zip(*passes.values(), strict=False)]
    print(
        f"stages, {workers} worker(s): per-file {per_file:.1f} s "
        f"({members / per_file / workers:,.0f} members/s per worker; peak RSS per worker "
        f"{', '.join(f'{r / MB:.0f}' for r in per_file_peaks[:workers])} MB); Parquet "
        f"{parquet / MB:.0f} MB ({parquet / members:.0f} bytes/member); cross-file "
        f"{cross:.1f} s ({members / cross / workers:,.0f} members/s per worker; peak RSS per "
        f"worker {', '.join(f'{r / MB:.0f}' for r in cross_peaks[:workers])} MB); through "
        f"the work folder: groups' tables {shuffled.get('tables', 0) / MB:.0f} MB, keyed "
        f"shuffle {shuffled.get('shuffle', 0) / MB:.0f} MB, blocked pairs' keys "
        f"{shuffled.get('blocks', 0) / MB:.0f} MB, subsets "
        f"{shuffled.get('subset', 0) / MB:.0f} MB; findings {len(outcome.report.findings)}",
        flush=True,
    )
    print("  peak RSS per worker in each pass (MB; a worker keeps memory it freed): "
          + "; ".join(f"{name} {', '.join(f'{r:.0f}' for r in rss)}"
                      for name, rss in passes.items()), flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1200, help="village files")
    parser.add_argument("--members", type=int, default=1_500_000)
    parser.add_argument(
        "--runs", default="local2,dask1,dask2", help="which of local2, dask1, dask2 to run"
    )
    parser.add_argument(
        "--stages",
        type=int,
        default=0,
        metavar="N",
        help="instead: time the Dask engine's two stages apart with N workers",
    )
    args = parser.parse_args()
    folder = county(args.files, args.members)
    if args.stages:
        stages(folder, args.stages)
        return
    files = sum(1 for _ in folder.rglob("*.xlsx"))
    size = sum(p.stat().st_size for p in folder.rglob("*.xlsx")) / MB
    print(f"{files} files, {size:.0f} MB, {args.members:,} members", flush=True)
    options = {
        "local2": ("-j", "2"),
        "dask1": ("--engine", "dask", "-j", "1"),
        "dask2": ("--engine", "dask", "-j", "2"),
    }
    results, findings = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.runs.split(","):
            report = Path(tmp) / f"{name}.json"
            results[name] = run(folder, report, *options[name])
            findings[name] = json.loads(report.read_text(encoding="utf-8"))["findings"]
            r = results[name]
            shown = ", ".join(f"{w:.0f}" for w in r["workers_mb"][:4]) or "-"
            print(
                f"{name:7s} {r['seconds']:7.1f} s  {args.members / r['seconds']:9,.0f} members/s"
                f"  client {r['client_mb']:6.0f} MB  workers (peak RSS, MB) {shown}"
                f"  findings {len(findings[name])}",
                flush=True,
            )
    first = next(iter(findings.values()))
    assert all(f == first for f in findings.values()), "the engines' findings differ"
    print("identical findings:", ", ".join(findings))


if __name__ == "__main__":
    main()
