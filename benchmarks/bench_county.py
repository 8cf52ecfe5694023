"""A county of many village files audited with -j 1 and -j 2.

    python benchmarks/bench_county.py --villages 2000 --members 300000

Generates one .xlsx per village with the project's generator (cached under
benchmarks/.cache/), runs `civaudit audit FOLDER -j N -f json -o report.json` in a
fresh process for each N, and checks that the findings are identical.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from civaudit.generator import RosterSpec, generate_county

CACHE = Path(__file__).resolve().parent / ".cache"


def county(villages: int, members: int, seed: int = 11) -> Path:
    out = CACHE / f"county-{villages}-{members}-{seed}"
    if not out.exists() or not any(out.rglob("*.xlsx")):
        generate_county(
            RosterSpec(
                seed=seed,
                members=members,
                villages=villages,
                towns=min(15, max(1, villages // 100)),
                layout="member",
                split="village",
                problems=0.01,
            ),
            out,
        )
    return out


def audit(folder: Path, jobs: int, report: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "civaudit", "audit", str(folder), "-q", "-j", str(jobs),
         "-f", "json", "-o", str(report), "--fail-on", "never"],
        check=True,
    )  # fmt: skip
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--villages", type=int, default=2000)
    parser.add_argument("--members", type=int, default=300_000)
    args = parser.parse_args()
    folder = county(args.villages, args.members)
    files = sum(1 for _ in folder.rglob("*.xlsx"))
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for jobs in (1, 2):
            report = Path(tmp) / f"j{jobs}.json"
            seconds = audit(folder, jobs, report)
            findings = json.loads(report.read_text(encoding="utf-8"))["findings"]
            results[jobs] = (seconds, findings)
    same = results[1][1] == results[2][1]
    print(f"{files} files, {args.members:,} members, {len(results[1][1]):,} findings")
    print("| case | time | same findings as -j 1 |")
    print("|---|---|---|")
    for jobs, (seconds, _) in results.items():
        mark = "yes" if same or jobs == 1 else "NO"
        print(f"| civaudit audit -j {jobs} | {seconds:.1f} s | {mark} |")


if __name__ == "__main__":
    main()
