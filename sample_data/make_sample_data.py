"""Regenerate sample_data/: four small rosters of one county, the information
system's export pair (a household file and a person file) of one more village, and
their answer key.

    python sample_data/make_sample_data.py

The files are written next to this script (the 康保县 folder and
answer_key.tsv are replaced); the same generator version always writes the same
bytes.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from civaudit.generator import (  # noqa: E402
    EXPORT_RULES,
    PLANTABLE_RULES,
    FileSpec,
    RosterSpec,
    build_model,
    generate_county,
)

BASE = {
    "seed": 2019,
    "members": 520,
    "county": "130723",  # 康保县
    "towns": 2,
    "villages": 5,
    "quirks": 0.03,
    # every rule the generator can plant, once (pairs for the dup.* rules)
    "problems": dict.fromkeys(PLANTABLE_RULES, 1),
}


def sample_spec() -> RosterSpec:
    """The spec of the sample set (tests compare it with the committed files)."""
    places = build_model(RosterSpec(**{**BASE, "problems": 0.0})).places
    v = places.set_index("village_index")
    county = "康保县"
    town_a, town_b = v.loc[0, "town"], v.loc[3, "town"]
    assert set(v.loc[[0, 1, 2], "town"]) == {town_a} and set(v.loc[[3, 4], "town"]) == {town_b}
    files = (
        FileSpec(
            f"{county}/{town_a}/{v.loc[0, 'village']}低保花名册.xlsx",
            (0,),
            {"layout": "household", "two_row_header": True},
        ),
        FileSpec(
            f"{county}/{town_a}/{town_a}农村低保花名册（分村）.xlsx",
            (1, 2),
            {
                "layout": "member",
                "sheet_per_village": True,
                "hidden_sheet": True,
                "trailing_columns": 2,
            },
        ),
        FileSpec(
            f"{county}/{town_b}/{v.loc[3, 'village']}低保花名册.xlsx",
            (3,),
            {"layout": "block", "subtotals": True, "page_households": 10, "blank_rows": 0.15},
        ),
        FileSpec(
            f"{county}/{town_b}/{v.loc[4, 'village']}低保花名册.csv",
            (4,),
            {"layout": "member", "fmt": "csv-gbk", "repeat_household": True, "title_rows": False},
        ),
    )
    return RosterSpec(**BASE, files=files)


EXPORT = {
    "seed": 2020,  # another town of the county: 张纪镇
    "members": 150,
    "county": "130723",
    "towns": 1,
    "villages": 1,
    # one household missing from each file of the pair
    "problems": dict.fromkeys(EXPORT_RULES, 1),
}


def export_spec() -> RosterSpec:
    """The export pair: 农村低保家庭查询_<村>201910.xlsx and 农村低保人员查询_<村>201910.xlsx."""
    place = build_model(RosterSpec(**{**EXPORT, "problems": 0.0})).places.iloc[0]
    path = f"康保县/{place['town']}/农村低保家庭查询_{place['village']}201910.xlsx"
    return RosterSpec(**EXPORT, layout="export", files=(FileSpec(path, (0,)),))


def write_samples(out: Path) -> tuple[list[Path], pd.DataFrame]:
    """Write every sample file under ``out`` and one answer key for all of them."""
    written, key = generate_county(sample_spec(), out)
    pair, pair_key = generate_county(export_spec(), out)
    key = pd.concat([key, pair_key], ignore_index=True)
    key.to_csv(out / "answer_key.tsv", sep="\t", index=False, encoding="utf-8", lineterminator="\n")
    return [*written, *pair], key


def main() -> None:
    shutil.rmtree(HERE / "康保县", ignore_errors=True)
    (HERE / "answer_key.tsv").unlink(missing_ok=True)
    written, key = write_samples(HERE)
    for path in written:
        print(path.relative_to(HERE), f"{path.stat().st_size:,} bytes")
    print(f"answer_key.tsv: {len(key)} rows")


if __name__ == "__main__":
    main()
