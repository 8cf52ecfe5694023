"""The full audit of one large roster vs the fast reader alone on the same file.

    python benchmarks/bench_audit.py --members 1000000 [--repeat 3]

Generates a member-level .xlsx with the project's generator (cached under
benchmarks/.cache/), then measures, each in a fresh process (median of --repeat):
- the reader alone: fastexcel reading the sheet into pandas (its defaults);
- `civaudit audit FILE -f json -o report.json` (load, assess, every rule, report):
  its 1.29 GB of sheet XML is past `stream-bytes` (512 MiB), so the sheet is streamed
  row by row, by two processes;
- the same with `--limit stream-bytes=none`: the sheet read whole by fastexcel.
Prints time, peak memory (max RSS of the process) and the ratio to the reader.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_load import roster_file  # noqa: E402

READER = """
import sys, fastexcel
reader = fastexcel.read_excel(sys.argv[1])
for name in reader.sheet_names:
    reader.load_sheet(name).to_pandas()
"""
PEAK = """
import resource, runpy, sys
sys.argv = sys.argv[1:]
try:
    if sys.argv[0].endswith(".py"):
        runpy.run_path(sys.argv[0], run_name="__main__")
    else:
        runpy.run_module(sys.argv[0], run_name="__main__")
except SystemExit:
    pass
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"PEAK_KB={peak}", file=sys.stderr)
"""


def measure(args: list[str], repeat: int) -> tuple[float, float]:
    """Median wall time and the largest peak RSS (MB) of ``repeat`` fresh processes."""
    times, peaks = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        # the child's own peak from wait4: civaudit ends with os._exit (exit codes that
        # hold whatever the timing of a Ctrl-C), so it cannot report its peak itself
        proc = subprocess.Popen(
            [sys.executable, "-c", PEAK, *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _, _, usage = os.wait4(proc.pid, 0)
        proc.returncode = 0  # reaped above
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss / 1024)
    return statistics.median(times), max(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    path = roster_file(args.members, "member")
    with tempfile.TemporaryDirectory() as tmp:
        reader_script = Path(tmp) / "reader.py"
        reader_script.write_text(READER, encoding="utf-8")
        report = Path(tmp) / "report.json"
        reader = measure([str(reader_script), str(path)], args.repeat)
        command = ["civaudit", "audit", str(path), "-q", "-f", "json", "-o", str(report)]
        streamed = measure(command, args.repeat)
        whole = measure([*command, "--limit", "stream-bytes=none"], args.repeat)
    print(f"file: {path.name} ({path.stat().st_size / 1e6:.0f} MB), {args.members:,} members")
    print("| case | median time | peak memory | ratio to reader |")
    print("|---|---|---|---|")
    print(f"| fastexcel reader alone | {reader[0]:.1f} s | {reader[1]:.0f} MB | 1.00 |")
    for case, (took, peak) in (
        ("civaudit audit (json report; streamed, the default)", streamed),
        ("civaudit audit (json report), --limit stream-bytes=none (read whole)", whole),
    ):
        print(f"| {case} | {took:.1f} s | {peak:.0f} MB | {took / reader[0]:.2f} |")


if __name__ == "__main__":
    main()
