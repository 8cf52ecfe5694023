"""The audit of an export pair vs the same roster as one member-level file.

    python benchmarks/bench_pairs.py --members 100000 [--repeat 3]

Generates one roster twice with the project's generator (same seed, same people,
cached under benchmarks/.cache/): as the information system's export pair (a
household file 农村低保家庭查询_* and a person file 农村低保人员查询_*, joined on the
head's ID after loading) and as a single member-level .xlsx. Then measures, each in
a fresh process (median of --repeat), `civaudit audit ... -f json -o report.json`
(load, join, assess, every rule, report) and prints the ratio pair / single file.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from civaudit import load_roster
from civaudit.generator import RosterSpec, generate_county

CACHE = Path(__file__).resolve().parent / ".cache"


def roster_files(members: int, layout: str, seed: int = 7) -> list[Path]:
    out = CACHE / f"pairs-{layout}-{members}-{seed}"
    files = sorted(out.rglob("*.xlsx")) if out.exists() else []
    if not files:
        spec = RosterSpec(seed=seed, members=members, layout=layout, villages=20, towns=2)
        files, _ = generate_county(spec, out)
    return sorted(files)


def median_time(args: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run(args, capture_output=True, text=True, check=False)
        if proc.returncode not in (0, 1):  # 1: findings at or above --fail-on
            raise SystemExit(f"audit failed ({proc.returncode}): {proc.stderr.strip()}")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pair = roster_files(args.members, "export")
    single = roster_files(args.members, "member")
    with tempfile.TemporaryDirectory() as tmp:
        report = str(Path(tmp) / "report.json")
        audit = [sys.executable, "-m", "civaudit", "audit", "-q", "-f", "json", "-o", report]
        times = {}
        for name, files in (("single", single), ("pair", pair)):
            times[name] = median_time([*audit, *map(str, files)], args.repeat)
    size = sum(p.stat().st_size for p in pair) / 1e6
    print(f"{args.members:,} members; pair: {', '.join(p.name for p in pair)} ({size:.1f} MB)")
    pairing = load_roster(pair).pairing
    for side in pairing.sides if pairing else ():
        print(f"  {side.role}: {side.joined:,} of {side.total:,} joined")
    print(f"| case | median of {args.repeat} | ratio |")
    print("|---|---|---|")
    print(f"| `civaudit audit` of one member-level .xlsx | {times['single']:.2f} s | 1.00 |")
    ratio = times["pair"] / times["single"]
    print(
        f"| `civaudit audit` of the export pair (two .xlsx) | {times['pair']:.2f} s | {ratio:.2f} |"
    )


if __name__ == "__main__":
    main()
