"""Loading a roster vs the reader alone on the same file.

    python benchmarks/bench_load.py --members 100000 [--layout member] [--repeat 3]

Generates the roster with the project's generator (cached under
benchmarks/.cache/ by its arguments), then times, median of --repeat runs:
- the reader alone: fastexcel reading every sheet into pandas (its defaults);
- `load_roster`: read + header detection + row split + normalisation + tables.
Prints a table with the ratio load / reader.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import fastexcel

from civaudit import load_roster
from civaudit.generator import RosterSpec, generate_county

CACHE = Path(__file__).resolve().parent / ".cache"


def roster_file(members: int, layout: str, seed: int = 7) -> Path:
    """A county roster in one workbook, cached; one sheet per village when it holds more
    rows than an Excel sheet can (1,048,576)."""
    out = CACHE / f"load-{layout}-{members}-{seed}"
    files = sorted(p for p in out.rglob("*.xlsx")) if out.exists() else []
    if not files:
        spec = RosterSpec(
            seed=seed, members=members, layout=layout, villages=20, towns=2,
            sheet_per_village=members > 1_000_000,
        )  # fmt: skip
        files, _ = generate_county(spec, out)
    return files[0]


def read_alone(path: Path) -> None:
    reader = fastexcel.read_excel(path)
    for name in reader.sheet_names:
        reader.load_sheet(name).to_pandas()


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--layout", default="member", choices=["household", "member", "block"])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    path = roster_file(args.members, args.layout)
    reader = median_time(lambda: read_alone(path), args.repeat)
    roster = load_roster(path)
    load = median_time(lambda: load_roster(path), args.repeat)
    print(
        f"file: {path.name} ({path.stat().st_size / 1e6:.1f} MB), {len(roster.members):,} members"
    )
    print("| case | members | median of 3 | ratio to reader |")
    print("|---|---|---|---|")
    print(f"| fastexcel reader alone | {len(roster.members):,} | {reader:.2f} s | 1.00 |")
    print(f"| load_roster | {len(roster.members):,} | {load:.2f} s | {load / reader:.2f} |")


if __name__ == "__main__":
    main()
