"""The shapes of issue 12 against the generator's answer key: a wide ledger, member
lists in one cell, a publicity list with masked IDs, a monthly workbook and member rows
repeating household fields. Every planted problem is found (at its cell where the key
gives one), and no clean household gets a finding."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from civaudit import EXAMPLE_POLICY, load_roster
from civaudit.auditing import audit
from civaudit.generator import PLANTABLE_RULES, FileSpec, RosterSpec, generate_county
from civaudit.generator.spec import MASK_STYLES
from civaudit.series import find_series

NO_PERSON_ROWS = {"id.mismatch", "single.not-qualifying"}  # sex, birth, 是否保障对象 per member
NEEDS_FULL_IDS = {
    "id.invalid",
    "id.checksum",
    "id.precision-lost",
    "id.masked",
    "id.legacy-15",
    "id.region-unknown",
    "dup.person",
    "household.head-minor",
    "person.age-implausible",
}
ROWS_ONLY = {"household.size-mismatch", "household.head"}  # a household layout has none
ALL = [r for r in PLANTABLE_RULES]

CASES = {
    # four village files numbering their members 成员1.姓名 (two rows), 姓名1, 成员一, 成员1
    "wide": (
        {"layout": "wide", "split": "village", "villages": 4, "seed": 10},
        [r for r in ALL if r not in NO_PERSON_ROWS],
    ),
    # three village files: names and IDs in two cells; a line per member; 张三（130723…）、…
    "list": (
        {"layout": "list", "split": "village", "villages": 3, "seed": 12},
        [r for r in ALL if r not in NO_PERSON_ROWS | {"household.head", "id.precision-lost"}],
    ),
    # a publicity list per village, one per mask style, names masked in two of them
    "masked": (
        {
            "layout": "household",
            "villages": len(MASK_STYLES),
            "seed": 5,
            "files": tuple(
                FileSpec(f"公示/{style}.xlsx", (v,), {"masked": style})
                for v, style in enumerate(MASK_STYLES)
            ),
        },
        [
            *(r for r in ALL if r not in NEEDS_FULL_IDS | NO_PERSON_ROWS | ROWS_ONLY),
            "dup.masked-match",
        ],
    ),
    # three month sheets: a household added in the last, one removed before it
    "monthly": ({"layout": "member", "months": 3, "seed": 6}, [*ALL, "change.benefit-rise"]),
    # household cells repeated on every member row, one household's copies disagreeing
    "repeat": (
        {"layout": "member", "repeat_household": True, "seed": 7},
        [*ALL, "household.inconsistent-repeat"],
    ),
}
CELLS_CHECKED = ("id.", "dup.", "benefit.", "change.", "household.inconsistent-repeat")


@pytest.fixture(scope="module", params=list(CASES))
def audited(request, tmp_path_factory):
    options, rules = CASES[request.param]
    options = {"members": 700, "villages": 3, "towns": 1, **options}
    out = tmp_path_factory.mktemp(request.param)
    spec = RosterSpec(problems=dict.fromkeys(rules, 1), **options)
    files, key = generate_county(spec, out)
    roster = load_roster(files)
    report = audit(roster, EXAMPLE_POLICY, as_of=date(2019, 10, 1), mask=False, lang="en")
    findings = report.findings.copy()
    findings["file"] = findings["file"].map(lambda p: Path(p).relative_to(out).as_posix())
    return request.param, roster, key, findings


def _found(findings: pd.DataFrame) -> dict:
    return {
        (r, f, int(row)): cell
        for r, f, row, cell in zip(
            findings["rule"], findings["file"], findings["row"], findings["cell"], strict=True
        )
    }


def test_every_planted_problem_is_found_at_its_cell(audited):
    case, _, key, findings = audited
    found = _found(findings)
    missing, misplaced = [], []
    for k in key.itertuples(index=False):
        if k.rule.startswith("dup."):  # either of the twins
            person = k.person if pd.notna(k.person) else k.household
            twins = key[
                (key["rule"] == k.rule) & (key["person"].fillna(key["household"]) == person)
            ]
            places = [(k.rule, t.file, int(t.row)) for t in twins.itertuples()]
        else:
            places = [(k.rule, k.file, int(k.row))]
        hit = [p for p in places if p in found]
        if not hit:
            missing.append((k.rule, k.file, k.sheet, k.row, k.detail))
        elif k.rule.startswith(CELLS_CHECKED) and isinstance(k.cell, str) and k.cell:
            mine = (k.rule, k.file, int(k.row))
            if mine in found and found[mine] != k.cell:
                misplaced.append((k.rule, k.row, k.cell, found[mine]))
    assert not missing, f"{case}: planted problems not found: {missing}"
    assert not misplaced, f"{case}: found at another cell (rule, row, key, found): {misplaced}"
    assert set(key["rule"]) >= set(CASES[case][1]) - {"roster.totals-mismatch"}


def test_no_clean_household_is_flagged(audited):
    _, _, key, findings = audited
    planted = set(key["household"].dropna().astype(str))
    rows = set(zip(key["file"], key["row"].astype(int), strict=True))
    on_planted = findings["household"].astype(str).isin(planted) | pd.Series(
        [(f, int(r)) in rows for f, r in zip(findings["file"], findings["row"], strict=True)],
        index=findings.index,
        dtype=bool,
    )
    # an unreadable amount makes its sheet's totals row disagree too (the key's may_also)
    totals_too = set(key.loc[key["may_also"].fillna("").str.contains("totals"), "file"])
    knock_on = (findings["rule"] == "roster.totals-mismatch") & findings["file"].isin(totals_too)
    stray = findings[~on_planted & ~knock_on & (findings["rule"] != "id.masked")]
    assert stray.empty, stray[["rule", "file", "sheet", "row", "household", "message"]].to_string()


def test_the_shape_is_read_as_such(audited):
    case, roster, _, _ = audited
    layouts = {s.layout for s in roster.sheets}
    if case in ("wide", "list"):
        assert layouts == {case}
        assert len(roster.members) > len(roster.households)
        assert roster.members["member_cells"].notna().all()
    elif case == "masked":
        assert set(roster.members["id_status"]) == {"masked"}
        assert roster.members["id_region"].notna().all()  # "ends": from the title's county
    elif case == "monthly":
        (series,) = find_series(roster)
        assert series.months == ("2019-08", "2019-09", "2019-10")
    else:
        assert layouts == {"member"}
