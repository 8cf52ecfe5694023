"""The benchmark suite: every case of the performance issue in one table.

    python benchmarks/run.py            # full sizes (about 15 minutes, inputs cached)
    python benchmarks/run.py --quick    # a tenth of the sizes, for a smoke run

Inputs are made by the project's generator first (a few minutes, once) and cached
under benchmarks/.cache/ (the in-memory case loads its roster once and keeps it as
Parquet with --cache).
Each case runs in fresh processes, median of --repeat runs; peak memory is the max
RSS of the process. The ratio column compares each case with its reference,
measured in the same run on the same file.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_audit import PEAK, READER  # noqa: E402
from bench_county import county  # noqa: E402
from bench_load import CACHE, roster_file  # noqa: E402

from civaudit.generator import RosterSpec, generate_county  # noqa: E402

PANDAS = """
import sys, pandas as pd
pd.read_excel(sys.argv[1], sheet_name=None, header=None)
"""
LOAD = """
import sys
from civaudit import load_roster
load_roster(sys.argv[1])
"""
IN_MEMORY = """
import sys, time
from datetime import date
from pathlib import Path
from civaudit import EXAMPLE_POLICY, load_roster
from civaudit.engine import AuditData, run_rules
roster = load_roster(sys.argv[1], cache=Path(sys.argv[2]))  # parsed once, then Parquet
start = time.perf_counter()
data = AuditData.from_roster(roster, EXAMPLE_POLICY, as_of=date(2019, 10, 1))
run_rules(data)
print(f"INNER={time.perf_counter() - start}", file=sys.stderr)
"""
REPORT = """
import sys
import pandas as pd
from civaudit.report.findings import summarize
from civaudit.report.workbook import inspector_workbook
n = int(sys.argv[1])
findings = pd.DataFrame({
    "rule": "benefit.mismatch", "severity": "error", "message": "月保障金 450 与测算 400 不符",
    "clause": "policy: income.tolerance", "file": "村.xlsx", "sheet": "Sheet1",
    "row": range(2, n + 2), "cell": "F2", "county": "康保县", "town": "张纪镇", "village": "一村",
    "household": "130723-0001", "person": "130723********1234", "name": "张三",
    "evidence": [{"recorded": 450, "expected": 400}] * n,
})
manifest = {"version": "bench", "policy": {"name": "x", "example": True}, "as_of": "2019-10-01",
            "as_of_source": "--as-of", "inputs": []}
data = inspector_workbook(findings, summarize(findings), manifest, [], row_limit=0, mask=True)
open(sys.argv[2], "wb").write(data)
"""


def run(code_or_module: list[str], repeat: int) -> tuple[float, float, float | None]:
    """Median wall time, peak RSS (MB) and the median INNER= time a script reports."""
    times, peaks, inner = [], [], []
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", PEAK, *code_or_module], capture_output=True, text=True
        )
        times.append(time.perf_counter() - start)
        if "PEAK_KB=" not in proc.stderr:  # an exception got out before the wrapper's print
            raise SystemExit(f"{code_or_module}: failed\n{proc.stderr[-2000:]}")
        for line in proc.stderr.splitlines():
            if line.startswith("PEAK_KB="):
                peaks.append(int(line.split("=")[1]) / 1024)
            if line.startswith("INNER="):
                inner.append(float(line.split("=")[1]))
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{code_or_module}: failed\n{proc.stderr[-2000:]}")
    return (
        statistics.median(times),
        max(peaks) if peaks else float("nan"),
        statistics.median(inner) if inner else None,
    )


class Table:
    """The result table, each row printed as soon as it is measured."""

    def __init__(self) -> None:
        print("| case | size | median time | peak memory | ratio |")
        print("|---|---|---|---|---|", flush=True)

    def append(self, row: tuple[str, str, float, float, str]) -> None:
        case, size, seconds, peak, ratio = row
        print(f"| {case} | {size} | {seconds:.1f} s | {peak:.0f} MB | {ratio} |", flush=True)


def snapshot(members: int, seed: int = 7) -> Path:
    """The same county as ``roster_file(members, "member")`` after a round of changes:
    1% planted problems (changed amounts, sizes, members, phase-outs), for ``diff``."""
    out = CACHE / f"changed-member-{members}-{seed}"
    files = sorted(out.rglob("*.xlsx")) if out.exists() else []
    if not files:
        spec = RosterSpec(
            seed=seed, members=members, layout="member", villages=20, towns=2, problems=0.01
        )
        files, _ = generate_county(spec, out)
    return files[0]


def script(tmp: Path, name: str, text: str) -> str:
    path = tmp / f"{name}.py"
    path.write_text(text, encoding="utf-8")
    return str(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-pandas", action="store_true", help="no pandas.read_excel runs")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    big, memory, villages, findings = (
        1_000_000 // scale,
        1_500_000 // scale,
        2000 // scale,
        100_000 // scale,
    )
    # every input first (the generator is slow on first use; later runs find them cached)
    path, small, new = roster_file(big, "member"), roster_file(big // 10, "member"), snapshot(big)
    in_memory, folder = roster_file(memory, "member"), county(villages, 300_000 // scale)
    rows = Table()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        reader = run([script(tmp, "reader", READER), str(path)], args.repeat)
        rows.append(("fastexcel reader alone", f"{big:,} members", *reader[:2], "1.00"))
        if not args.skip_pandas:
            pandas = run([script(tmp, "pandas", PANDAS), str(path)], 1)
            rows.append(
                ("pandas.read_excel (openpyxl)", f"{big:,} members", *pandas[:2],
                 f"{pandas[0] / reader[0]:.2f}")
            )  # fmt: skip
        load = run([script(tmp, "load", LOAD), str(path)], args.repeat)
        rows.append(
            ("read + normalise (load_roster)", f"{big:,} members", *load[:2],
             f"{load[0] / reader[0]:.2f} x reader")
        )  # fmt: skip
        report = tmp / "r.json"
        audit = run(
            ["civaudit", "audit", str(path), "-q", "-f", "json", "-o", str(report)], args.repeat
        )
        rows.append(
            ("civaudit audit (json)", f"{big:,} members", *audit[:2],
             f"{audit[0] / reader[0]:.2f} x reader")
        )  # fmt: skip
        tenth = run(
            ["civaudit", "audit", str(small), "-q", "-f", "json", "-o", str(report)], args.repeat
        )
        rows.append(
            ("civaudit audit (json), a tenth", f"{big // 10:,} members", *tenth[:2],
             f"{audit[0] / tenth[0]:.2f} x for 10 x the members (target <= 11)")
        )  # fmt: skip
        changes = run(
            ["civaudit", "diff", str(path), str(new), "-q", "-f", "json", "-o", str(report),
             "--fail-on", "never"],
            args.repeat,
        )  # fmt: skip
        rows.append(("civaudit diff of two snapshots", f"2 x {big:,} members", *changes[:2], ""))
        parquet = HERE / ".cache" / "parquet"
        inner = run([script(tmp, "memory", IN_MEMORY), str(in_memory), str(parquet)], args.repeat)
        rows.append(
            ("assess + every roster rule, in memory", f"{memory:,} members",
             inner[2] or float("nan"), inner[1], "target < 5 s")
        )  # fmt: skip
        for jobs in (1, 2):
            out = tmp / f"c{jobs}.json"
            res = run(
                ["civaudit", "audit", str(folder), "-q", "-j", str(jobs), "-f", "json",
                 "-o", str(out), "--fail-on", "never"],
                1,
            )  # fmt: skip
            rows.append((f"county folder, -j {jobs}", f"{villages:,} files", *res[:2], ""))
        xlsx = run([script(tmp, "report", REPORT), str(findings), str(tmp / "r.xlsx")], 1)
        rows.append(("xlsx report", f"{findings:,} findings", *xlsx[:2], ""))


if __name__ == "__main__":
    main()
