"""python -m civaudit.generator: write a county's roster files and answer key.

Example::

    python -m civaudit.generator --out /tmp/county --seed 2019 --members 100000 \\
        --layout member --villages 20 --towns 2 --quirks 0.02 --problems 0.01
"""

from __future__ import annotations

import argparse
import sys
import time

from civaudit.generator.core import generate_county
from civaudit.generator.spec import (
    ALL_LAYOUTS,
    EXPORT_RULES,
    FORMATS,
    LAYOUT_RULES,
    MASK_STYLES,
    PLANTABLE_RULES,
    SPLITS,
    RosterSpec,
)


def _problems(text: str):
    """A rate ("0.01") or counts ("dup.person=3,id.checksum=2")."""
    if "=" not in text:
        return float(text)
    counts = {}
    for part in text.split(","):
        rule, _, k = part.partition("=")
        counts[rule.strip()] = int(k)
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m civaudit.generator",
        description="Write realistic, deterministic village dibao rosters and an answer key.",
        epilog="example: python -m civaudit.generator --out /tmp/county --members 100000 "
        "--layout block --subtotals --quirks 0.02 --problems 0.01",
    )
    ap.add_argument("--out", required=True, help="output folder")
    ap.add_argument("--seed", type=int, default=2019)
    ap.add_argument("--members", type=int, default=1000)
    ap.add_argument("--county", default="130723", help="GB/T 2260 code: 130722-130725")
    ap.add_argument("--towns", type=int, default=2)
    ap.add_argument("--villages", type=int, default=6)
    ap.add_argument("--as-of", default="2019-10")
    ap.add_argument("--standard", type=int, default=4800, help="yuan per person per year")
    ap.add_argument(
        "--layout",
        choices=ALL_LAYOUTS,
        default="member",
        help="export: the information system's pair (household file + person file)",
    )
    ap.add_argument(
        "--fmt",
        choices=FORMATS,
        default="xlsx",
        help="html-xls / xml-xls: an HTML table / SpreadsheetML 2003 named .xls",
    )
    ap.add_argument("--split", choices=SPLITS, default="county", help="one file per ...")
    ap.add_argument("--sheet-per-village", action="store_true")
    ap.add_argument("--no-title", action="store_true", help="no title rows above the header")
    ap.add_argument("--two-row-header", action="store_true")
    ap.add_argument("--subtotals", action="store_true", help="本页小计 rows")
    ap.add_argument("--page", type=int, default=20, help="households per page (subtotals)")
    ap.add_argument("--no-totals", action="store_true", help="no 合计 row")
    ap.add_argument("--no-footers", action="store_true")
    ap.add_argument(
        "--blank-rows", type=float, default=0.0, help="share of households followed by a blank row"
    )
    ap.add_argument("--trailing-columns", type=int, default=0)
    ap.add_argument(
        "--repeat-household",
        action="store_true",
        help="member layout: household cells on every row",
    )
    ap.add_argument("--hidden-sheet", action="store_true")
    ap.add_argument(
        "--months",
        type=int,
        default=1,
        help="a monthly workbook: one sheet per month up to --as-of",
    )
    ap.add_argument(
        "--masked",
        choices=MASK_STYLES,
        default="",
        help="household layout: a publicity list (公示) with IDs masked in this style",
    )
    ap.add_argument("--headers", choices=("canonical", "varied"), default="varied")
    ap.add_argument("--quirks", type=float, default=0.0)
    ap.add_argument(
        "--problems",
        type=_problems,
        default=0.0,
        help="share of households with a planted problem, or rule=count,... "
        f"(rules: {', '.join(PLANTABLE_RULES + EXPORT_RULES + LAYOUT_RULES)})",
    )
    a = ap.parse_args(argv)
    try:
        spec = RosterSpec(
            seed=a.seed,
            members=a.members,
            county=a.county,
            towns=a.towns,
            villages=a.villages,
            as_of=a.as_of,
            standard_year=a.standard,
            layout=a.layout,
            fmt=a.fmt,
            split=a.split,
            sheet_per_village=a.sheet_per_village,
            title_rows=not a.no_title,
            two_row_header=a.two_row_header,
            subtotals=a.subtotals,
            page_households=a.page,
            totals=not a.no_totals,
            footers=not a.no_footers,
            blank_rows=a.blank_rows,
            trailing_columns=a.trailing_columns,
            repeat_household=a.repeat_household,
            hidden_sheet=a.hidden_sheet,
            months=a.months,
            masked=a.masked,
            headers=a.headers,
            quirks=a.quirks,
            problems=a.problems,
        )
        t0 = time.perf_counter()
        files, key = generate_county(spec, a.out)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for f in files:
        print(f)
    print(f"{a.out}/answer_key.tsv", file=sys.stderr)
    print(
        f"{a.members} members, {len(files)} file(s), {len(key)} planted problem rows, "
        f"{time.perf_counter() - t0:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
