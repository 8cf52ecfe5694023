"""Time ``assess`` on a county-sized roster already in memory.

Builds ~350,000 households and 1,000,000 members synthetically with numpy (no
files, no loader), in the loader's column types, with a policy that exercises
every branch (two regions with their own standards, caps, add-ons, phase-out,
single-person coverage), then prints the best of a few runs.

    pip install -e .   # or: PYTHONPATH=. from the repository root
    python benchmarks/bench_assess.py [--members 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import time
from datetime import date

import numpy as np
import pandas as pd

from civaudit.assess import assess
from civaudit.policy import parse_policy

POLICY = """
[policy]
name = "benchmark"

[[standard]]
region = "13"
yearly = 4800

[[standard]]
region = "1307"
yearly = 5016
from = "2019-07-01"

[[standard]]
region = "130723"
yearly = 4560
from = "2018-01-01"

[deduction]
medical_cap = 6000
employment_rate = 0.1
employment_cap = 2400
total_ratio_cap = 0.5

[phaseout]
months = 6

[[addon]]
category = "elderly"
percent_of_standard = 10

[[addon]]
category = "severe-disability"
amount = 60
stack = true
"""


def build(n_members: int, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    sizes = rng.choice([1, 2, 3, 4, 5, 6], p=[0.25, 0.3, 0.2, 0.13, 0.08, 0.04], size=n_members)
    sizes = sizes[np.cumsum(sizes) <= n_members]
    n = len(sizes)
    hh = np.arange(n)
    regions = np.array(["130723", "130724", "130102", "131102", "130725", "130999"])
    region = regions[rng.integers(0, len(regions), n)]
    string = pd.StringDtype("pyarrow")
    money = lambda lo, hi, p=1.0: np.where(  # noqa: E731
        rng.random(n) < p, np.round(rng.uniform(lo, hi, n), 2), np.nan
    )
    category = np.array(["一般户", "重点户", "单人保", "渐退", None], dtype=object)
    households = pd.DataFrame(
        {
            "hh": hh,
            "file": "bench.xlsx",
            "sheet": "Sheet1",
            "row": hh + 3,
            "household": pd.array(np.char.add("H", hh.astype(str)), dtype=string),
            "household_size": pd.array(sizes, dtype="Int64"),
            "covered_count": pd.array(sizes, dtype="Int64"),
            "gross_income_year": money(0, 30000, 0.9),
            "wage_income": money(0, 10000, 0.5),
            "medical_expense": money(0, 8000, 0.3),
            "education_expense": money(0, 3000, 0.1),
            "benefit_month": np.round(rng.uniform(0, 1200, n)),
            "addon_month": money(0, 100, 0.2),
            "category": pd.array(
                category[rng.choice(5, n, p=[0.7, 0.1, 0.08, 0.07, 0.05])], dtype=string
            ),
            "registered_poor": pd.array(rng.random(n) < 0.4, dtype="boolean"),
            "phaseout_start": pd.to_datetime(
                np.where(
                    rng.random(n) < 0.07,
                    np.datetime64("2019-03") + rng.integers(0, 8, n).astype("timedelta64[M]"),
                    np.datetime64("NaT"),
                ).astype("datetime64[s]")
            ),
            "head_id_region": pd.array(region, dtype=string),
            "member_rows": pd.array(sizes, dtype="Int64"),
        }
    )
    m_hh = np.repeat(hh, sizes)
    first = np.r_[0, np.cumsum(sizes)[:-1]]
    is_head = np.zeros(len(m_hh), dtype=bool)
    is_head[first] = True
    births = np.datetime64("1930-01-01") + rng.integers(0, 32000, len(m_hh)).astype(
        "timedelta64[D]"
    )
    roles = ["head", "spouse", "child", "child_in_law", "grandchild", "parent", "sibling", "other"]
    members = pd.DataFrame(
        {
            "hh": m_hh,
            "row": np.arange(len(m_hh)) + 3,
            "role": pd.Categorical.from_codes(
                np.where(is_head, 0, rng.integers(1, 8, len(m_hh))), categories=roles
            ),
            "id_region": pd.array(np.repeat(region, sizes), dtype=string),
            "id_birth": pd.to_datetime(births.astype("datetime64[s]")),
            "disability_grade": pd.array(
                np.where(rng.random(len(m_hh)) < 0.1, rng.integers(1, 5, len(m_hh)), 0),
                dtype="Int8",
            ).astype("Int8"),
            "disability_type": pd.Categorical.from_codes(
                np.where(rng.random(len(m_hh)) < 0.1, rng.integers(0, 7, len(m_hh)), -1),
                categories=[
                    "physical",
                    "visual",
                    "hearing",
                    "speech",
                    "intellectual",
                    "mental",
                    "multiple",
                ],
            ),
            "illness": pd.array(
                np.where(rng.random(len(m_hh)) < 0.05, "尿毒症", None), dtype=string
            ),
        }
    )
    grade = members["disability_grade"]
    members["disability_grade"] = grade.where(grade > 0)
    return households, members


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    policy = parse_policy(POLICY, "benchmark")
    households, members = build(args.members)
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        table = assess(households, members, policy, as_of=date(2019, 10, 1))
        times.append(time.perf_counter() - start)
    states = table["state"].eq("ok").sum()
    print(
        f"assess: {len(households):,} households, {len(members):,} members: "
        f"best {min(times):.2f} s of {args.repeat} (runs: "
        + ", ".join(f"{t:.2f}" for t in times)
        + f"); {states:,} assessed ok"
    )


if __name__ == "__main__":
    main()
