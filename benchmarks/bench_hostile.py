"""Hostile files at full size: time, peak memory and exit code of `civaudit audit`.

    python benchmarks/bench_hostile.py [--size-gib 4] [--xls-source date.xls]

Builds each case of issue 14 once under benchmarks/.cache/hostile/ (the bombs are
written streaming, so a 4 GiB part costs disk only in its packed form, a few MB), then
runs `civaudit audit FILE -q` on each in a fresh process and prints a Markdown table:
exit code, wall time, peak RSS (max RSS of the process) and the limit named in the
refusal. Every case must end in under 60 s and 1 GB.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from tests.hostile import bombs  # noqa: E402

CACHE = HERE / ".cache" / "hostile"
CORPUS_XLS = ROOT.parent / "shared" / "corpus" / "calamine" / "date.xls"
GIB = 1 << 30

PEAK = """
import resource, runpy, sys
sys.argv = sys.argv[1:]
try:
    runpy.run_module(sys.argv[0], run_name="__main__")
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
else:
    code = 0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"PEAK_KB={peak}", file=sys.stderr)
sys.exit(code)
"""


def cases(size: int, xls_source: Path | None) -> list[tuple[str, Path]]:
    """(what, file) for each case, built once."""
    CACHE.mkdir(parents=True, exist_ok=True)
    gib = f"{size / GIB:g} GiB"
    wanted = [
        (f"one shared string of {gib}", "shared-string.xlsx", bombs.shared_string_bomb, size),
        (f"{gib} of blanks in the sheet XML", "whitespace.xlsx", bombs.whitespace_bomb, size),
        (f"{gib} of empty <row/>", "empty-rows.xlsx", bombs.empty_row_bomb, size),
        ("a part forging its size (1 GiB declared as 1,000 B)", "forged.xlsx", _forged, GIB),
        ("one cell at Z1000000 (26M-cell range)", "far-cell.xlsx", bombs.far_cell, "Z1000000"),
        ("one 10 MB cell, repetitive (12 KB file)", "cell-12kb.xlsx", _repetitive_cell, 10**7),
        ("one 10 MB cell, incompressible", "cell-10mb.xlsx", bombs.huge_cell, 10**7),
        ("CSV line of 2,000,000 fields", "wide.csv", bombs.wide_csv, 2_000_000),
        ("CSV field of 10 MB", "field.csv", bombs.huge_csv_field, 10**7),
    ]
    if xls_source is not None and xls_source.exists():
        wanted.append(("BIFF .xls with a 65,536 x 256 range", "far.xls", _far_xls, xls_source))
    out = []
    for what, name, build, arg in wanted:
        path = CACHE / (f"{size}-{name}" if "GiB" in what else name)
        if not path.exists():
            start = time.perf_counter()
            build(path, arg)
            print(f"built {path.name} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        out.append((what, path))
    return out


def _forged(path: Path, size: int) -> Path:
    return bombs.forged_sizes(path, size, declared=1000)


def _repetitive_cell(path: Path, size: int) -> Path:
    return bombs.write_xlsx(
        path,
        bombs._sheet(
            [bombs.ROSTER_ROWS.encode(), b'<row r="3"><c r="A3" t="inlineStr"><is><t>'],
            bombs._repeat(b"x", size),
            [b"</t></is></c></row>"],
        ),
        bombs._shared(),
    )


def _far_xls(path: Path, source: Path) -> Path:
    return bombs.far_xls(source, path)


def run(path: Path, extra: list[str]) -> tuple[int, float, float, str]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", PEAK, "civaudit", "--lang", "en", "audit", str(path), "-q", *extra],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    seconds = time.perf_counter() - start
    peak = [line for line in proc.stderr.splitlines() if line.startswith("PEAK_KB=")]
    mb = int(peak[-1].split("=")[1]) / 1024 if peak else float("nan")
    limit = re.search(r"--limit ([a-z-]+)=", proc.stderr)
    reason = limit.group(1) if limit else ("forged sizes" if "declares" in proc.stderr else "—")
    return proc.returncode, seconds, mb, reason


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-gib", type=float, default=4.0)
    parser.add_argument("--xls-source", type=Path, default=CORPUS_XLS)
    parser.add_argument(
        "--limit", action="append", default=[], help="passed on to civaudit (NAME=VALUE)"
    )
    args = parser.parse_args()
    extra = [a for spec in args.limit for a in ("--limit", spec)]
    print("| case | file | exit | time | peak memory | refused by |")
    print("|---|---|---|---|---|---|")
    for what, path in cases(int(args.size_gib * GIB), args.xls_source):
        code, seconds, mb, reason = run(path, extra)
        size = path.stat().st_size
        shown = f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} KB"
        print(f"| {what} | {shown} | {code} | {seconds:.1f} s | {mb:.0f} MB | {reason} |")


if __name__ == "__main__":
    main()
