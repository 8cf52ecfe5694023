"""Sheets parsed together (``io.tables`` stacks sheets that map the same fields) give
exactly the tables of each sheet parsed alone: every awkward case in real .xlsx files."""

from __future__ import annotations

import tempfile
from itertools import pairwise
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import civaudit.io.tables as tables_module
import civaudit.roster as roster_module
from civaudit.roster import Roster, combine, join_pairs, load_file, load_roster
from tests.conftest import DAMAGED, GENUINE_DOUBLE, LOOKALIKE, make_id, write_xlsx

TABLES = ("households", "members", "totals", "issues")


def person(i: int) -> str:
    """A distinct valid ID per number."""
    return make_id(birth=f"19{40 + i % 60:02d}{1 + i % 12:02d}{1 + i % 28:02d}", seq=f"{i:03d}")


def load_alone(paths: list[Path], **kw) -> Roster:
    """Each file loaded on its own, then combined as load_roster combines parts."""
    ordered = sorted(paths, key=lambda p: p.as_posix())
    return join_pairs(combine([load_roster(p, **kw) for p in ordered]))


def frame(roster: Roster, name: str) -> pd.DataFrame:
    return getattr(roster, name).reset_index(drop=True)


def assert_same(stacked: Roster, alone: Roster, *, files: bool = True) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(
            frame(stacked, name), frame(alone, name), check_like=True, obj=name
        )
    assert stacked.sheets == alone.sheets
    assert [(s.layout, s.households, s.members) for s in stacked.sheets] == [
        (s.layout, s.households, s.members) for s in alone.sheets
    ]
    if files:
        assert stacked.files == alone.files
    assert stacked.pairing is None and alone.pairing is None


@pytest.fixture
def stacks(monkeypatch):
    """The number of sheets in each stack built (to know stacking really happened)."""
    sizes: list[int] = []
    original = tables_module._Stack

    class Spy(original):
        def __init__(self, sheets):
            sizes.append(len(sheets))
            super().__init__(sheets)

    monkeypatch.setattr(tables_module, "_Stack", Spy)
    return sizes


def load_both(paths: list[Path], stacks: list[int], **kw) -> tuple[Roster, Roster]:
    stacks.clear()
    stacked = load_roster(paths, **kw)
    built = list(stacks)
    assert max(built) > 1, f"no stack of several sheets was built: {built}"
    stacks.clear()
    alone = load_alone(paths, **kw)
    assert all(n == 1 for n in stacks)
    stacks[:] = built
    return stacked, alone


# --- 1. layouts mixed: several stacks, households back in path order -----------------

HOUSEHOLD_HEADER = ["序号", "户主姓名", "身份证号", "家庭人口", "保障人数", "月保障金额", "村"]
MEMBER_HEADER = ["户主身份证号", "姓名", "身份证号", "与户主关系", "家庭人口", "月保障金"]
BLOCK_HEADER = ["序号", "户主姓名", "家庭人口", "月保障金", "姓名", "与户主关系", "身份证号"]


def household_rows(first: int, n: int, village: str) -> list[list[object]]:
    return [HOUSEHOLD_HEADER] + [
        [str(k + 1), f"户主{first + k}", person(first + k), 2, 2, 300 + k, village]
        for k in range(n)
    ]


def member_rows(households: list[tuple[int, int]]) -> list[list[object]]:
    """(head number, members) per household; the head's ID on every row."""
    rows: list[list[object]] = [MEMBER_HEADER]
    for head, size in households:
        for m in range(size):
            rows.append(
                [
                    person(head),
                    f"成员{head}-{m}",
                    person(head + m),
                    "户主" if m == 0 else "子",
                    size,
                    100 * size,
                ]
            )
    return rows


def block_rows(households: list[tuple[int, int]]) -> tuple[list[list[object]], list[str]]:
    """Household cells on the head row only, merged over the member rows."""
    rows: list[list[object]] = [BLOCK_HEADER]
    merges = []
    for k, (head, size) in enumerate(households):
        top = len(rows) + 1
        for m in range(size):
            household = [str(k + 1), f"户主{head}", size, 90 * size] if m == 0 else [None] * 4
            rows.append(
                [*household, f"成员{head}-{m}", "户主" if m == 0 else "妻", person(head + m)]
            )
        if size > 1:
            merges += [f"{c}{top}:{c}{top + size - 1}" for c in "ABCD"]
    return rows, merges


@pytest.mark.parametrize(
    ("batch", "sizes"), [(50, [2, 2, 2]), (5, [2, 2, 1, 1]), (4, [2, 1, 1, 1, 1])]
)
def test_mixed_layouts_form_several_stacks_and_come_back_in_path_order(
    tmp_path, stacks, monkeypatch, batch, sizes
):
    """Batches of ``batch`` files; stacks of one layout across other layouts' files."""
    monkeypatch.setattr(roster_module, "STACK_FILES", batch)
    rows_a, rows_d = household_rows(100, 3, "一村"), household_rows(400, 2, "四村")
    rows_b, rows_e = member_rows([(200, 3), (210, 1)]), member_rows([(500, 2), (510, 2)])
    rows_c, merges_c = block_rows([(300, 2), (310, 3), (320, 1)])
    rows_f, merges_f = block_rows([(600, 1), (610, 2)])
    rows_d[2][5] = "abc"  # unreadable cells in three stacks
    rows_b[3][5] = "一百"
    rows_f[1][2] = "若干"
    a = write_xlsx(tmp_path / "a.xlsx", [*rows_a, ["合计", None, None, 6, 6, 903]])
    b = write_xlsx(tmp_path / "b.xlsx", rows_b)
    c = write_xlsx(tmp_path / "c.xlsx", [*rows_c, ["合计", None, 6, 540]], merges=merges_c)
    d = write_xlsx(tmp_path / "d.xlsx", rows_d)
    e = write_xlsx(tmp_path / "e.xlsx", rows_e)
    f = write_xlsx(tmp_path / "f.xlsx", rows_f, merges=merges_f)
    paths = [f, d, b, a, e, c]  # the order given does not matter

    stacked, alone = load_both(paths, stacks)
    assert stacks == sizes  # household, member and block sheets
    assert_same(stacked, alone)

    order = [str(p) for p in (a, b, c, d, e, f)]
    assert [s.file for s in stacked.sheets] == order
    assert [s.layout for s in stacked.sheets] == ["household", "member", "block"] * 2
    assert [s.households for s in stacked.sheets] == [3, 2, 3, 2, 2, 2]
    assert [s.members for s in stacked.sheets] == [3, 4, 6, 2, 4, 3]
    hh = stacked.households
    assert list(hh["hh"]) == list(range(len(hh)))
    assert hh["file"].map(order.index).is_monotonic_increasing
    assert hh["household"].is_unique

    # every member points to its own household: file, sheet and head ID agree
    joined = stacked.members.merge(hh, on="hh", suffixes=("", "_hh"), validate="many_to_one")
    assert (joined["file"] == joined["file_hh"]).all()
    assert (joined["sheet"] == joined["sheet_hh"]).all()
    expected = {}
    for path, rows in (
        (a, rows_a),
        (b, rows_b),
        (c, rows_c),
        (d, rows_d),
        (e, rows_e),
        (f, rows_f),
    ):
        head = None
        for r, row in enumerate(rows[1:], start=2):
            if path in (a, d):
                head = row[2]  # one row per household: the head's ID
            elif path in (b, e):
                head = row[0]  # the head's ID repeated
            elif row[0] is not None:
                head = row[6]  # a block's first row is the head's
            expected[(str(path), r)] = head
    got = {
        (file, row): head
        for file, row, head in joined[["file", "row", "head_id_number"]].itertuples(index=False)
    }
    assert got == expected

    issues = stacked.issues
    assert [(Path(f).name, c) for f, c in zip(issues["file"], issues["cell"], strict=True)] == [
        ("b.xlsx", "F4"),
        ("d.xlsx", "F3"),
        ("f.xlsx", "C2"),
    ]
    totals = stacked.totals
    assert [Path(f).name for f in totals["file"]] == ["a.xlsx", "c.xlsx"]
    assert list(totals["row"]) == [5, 8]
    assert list(totals["benefit_month"]) == [903.0, 540.0]


# --- 2. block layout across file boundaries --------------------------------------------


@pytest.mark.parametrize("relation", [True, False], ids=["with-relation", "head-id-only"])
def test_block_households_never_span_two_files(tmp_path, stacks, relation):
    """File 2 begins with the same head ID that ends file 1; file 3 begins with a row
    that has no head ID (nor relation): nothing may be carried over a file boundary."""
    header = ["户主身份证号", "姓名", "身份证号", "与户主关系", "家庭人口"]
    if not relation:
        header.remove("与户主关系")
    x, y, z, w = person(1), person(2), person(3), person(4)

    def row(head, name, pid, rel, size=None):
        return [head, name, pid, rel, size] if relation else [head, name, pid, size]

    f1 = [
        header,
        row(x, "甲", x, "户主", 2),
        row(None, "甲妻", person(11), "妻"),
        row(y, "乙", y, "户主", 2),
        row(None, "乙子", person(12), "子"),
    ]
    f2 = [
        header,
        row(y, "乙", y, "户主", 1),  # the same head as file 1's last household
        row(z, "丙", z, "户主", 2),
        row(None, "丙女", person(13), "女"),
    ]
    f3 = [
        header,
        row(None, "无名", person(14), None),  # no head ID, no relation
        row(y, "乙", y, "户主", 2),
        row(None, "乙孙", person(15), "孙子"),
        row(w, "丁", w, "户主", 1),
    ]
    paths = [
        write_xlsx(tmp_path / f"{n}.xlsx", rows) for n, rows in (("1", f1), ("2", f2), ("3", f3))
    ]

    stacked, alone = load_both(paths, stacks)
    assert stacks == [3]
    assert_same(stacked, alone)
    assert [s.layout for s in stacked.sheets] == ["block"] * 3
    assert [s.households for s in stacked.sheets] == [2, 2, 3]
    hh = stacked.households
    assert [(Path(f).stem, r) for f, r in zip(hh["file"], hh["row"], strict=True)] == [
        ("1", 2),
        ("1", 4),
        ("2", 2),
        ("2", 3),
        ("3", 2),
        ("3", 3),
        ("3", 5),
    ]
    assert list(hh["member_rows"]) == [2, 2, 1, 2, 1, 2, 1]
    members = stacked.members.merge(hh[["hh", "file"]], on="hh", suffixes=("", "_hh"))
    assert (members["file"] == members["file_hh"]).all()


# --- 3. the 序号 rule is decided per sheet --------------------------------------------


def test_seq_with_gaps_in_one_file_only(tmp_path, stacks):
    header = ["序号", "户主姓名", "姓名", "身份证号", "家庭人口"]
    gaps = [
        header,
        ["1", "张三", "张三", person(21), 3],
        [None, None, "王芳", person(22), None],
        [None, None, "张强", person(23), None],
        ["2", "张三", "张三", person(24), 1],  # same head name: only 序号 starts it
        ["3", "李四", "李四", person(25), 2],
        [None, None, "李五", person(26), None],
    ]
    running = [  # a row number on every row, the head's name repeated
        header,
        ["1", "赵六", "赵六", person(31), 2],
        ["2", "赵六", "赵妻", person(32), 2],
        ["3", "钱七", "钱七", person(33), 3],
        ["4", "钱七", "钱妻", person(34), 3],
        ["5", "钱七", "钱子", person(35), 3],
    ]
    paths = [
        write_xlsx(tmp_path / "a.xlsx", gaps),
        write_xlsx(tmp_path / "b.xlsx", running),
        write_xlsx(tmp_path / "c.xlsx", gaps),
    ]
    stacked, alone = load_both(paths, stacks)
    assert stacks == [3]
    assert_same(stacked, alone)
    assert [s.households for s in stacked.sheets] == [3, 2, 3]
    assert [s.layout for s in stacked.sheets] == ["block", "member", "block"]
    assert list(stacked.households["member_rows"]) == [3, 1, 2, 2, 3, 3, 1, 2]


# --- 4. IDs in number cells: cell types probed per sheet -------------------------------


def test_number_cell_ids_are_probed_per_sheet(tmp_path, stacks):
    header = ["户主姓名", "身份证号", "家庭人口"]
    numbers = write_xlsx(  # a look-alike number cell next to a damaged one: probed
        tmp_path / "a.xlsx",
        [header, ["甲", None, 1], ["乙", None, 1], ["丙", person(41), 1]],
        number_cells={"B2": LOOKALIKE, "B3": DAMAGED},
    )
    lookalike = write_xlsx(  # genuine text that looks like a double: probed, stays text
        tmp_path / "b.xlsx", [header, ["丁", GENUINE_DOUBLE, 2], ["戊", person(42), 1]]
    )
    damaged = write_xlsx(  # only an obviously damaged number cell: not probed
        tmp_path / "c.xlsx",
        [header, ["己", person(43), 1], ["庚", None, 3]],
        number_cells={"B3": DAMAGED},
    )
    plain = write_xlsx(tmp_path / "d.xlsx", [header, ["辛", person(44), 1]])
    csv = tmp_path / "e.csv"  # no cell types: a look-alike is taken as text
    csv.write_text(
        f"户主姓名,身份证号,家庭人口\n壬,{GENUINE_DOUBLE},1\n癸,{int(LOOKALIKE)},1\n子,{int(DAMAGED)},2\n",
        encoding="utf-8",
    )
    stacked, alone = load_both([numbers, lookalike, damaged, plain, csv], stacks)
    assert stacks == [5]
    assert_same(stacked, alone)
    members = stacked.members
    xlsx_numeric = [True, True, False, False, False, False, True, False]
    assert list(members["id_numeric"]) == [*xlsx_numeric, False, False, True]
    assert list(members["id_status"]) == [
        "precision-lost",
        "precision-lost",
        "valid",
        "valid",
        "valid",
        "valid",
        "precision-lost",
        "valid",
        "valid",
        "valid",
        "precision-lost",
    ]
    assert members["id_number"].iloc[3] == GENUINE_DOUBLE


def test_number_cell_head_ids_in_member_layout(tmp_path, stacks):
    header = ["户主身份证号", "姓名", "身份证号", "与户主关系"]
    a = write_xlsx(
        tmp_path / "a.xlsx",
        [header, [None, "甲", None, "户主"], [None, "甲妻", person(51), "妻"]],
        number_cells={"A2": LOOKALIKE, "A3": LOOKALIKE, "C2": LOOKALIKE},
    )
    b = write_xlsx(
        tmp_path / "b.xlsx",
        [
            header,
            [GENUINE_DOUBLE, "乙", GENUINE_DOUBLE, "户主"],
            [GENUINE_DOUBLE, "乙子", person(52), "子"],
        ],
    )
    stacked, alone = load_both([a, b], stacks)
    assert_same(stacked, alone)
    hh = stacked.households
    assert list(hh["head_id_numeric"]) == [True, False]
    assert list(hh["head_id_status"]) == ["precision-lost", "valid"]


def test_large_sheet_takes_a_lookalike_as_text_without_probing(tmp_path, stacks, monkeypatch):
    """Above PROBE_ALWAYS_ROWS a sheet is probed only when its column shows damage."""
    monkeypatch.setattr(tables_module, "PROBE_ALWAYS_ROWS", 2)
    header = ["户主姓名", "身份证号"]
    big = write_xlsx(  # 3 rows, a look-alike number cell, no damage: taken as text
        tmp_path / "a.xlsx",
        [header, ["甲", None], ["乙", person(91)], ["丙", person(92)]],
        number_cells={"B2": LOOKALIKE},
    )
    small = write_xlsx(  # 2 rows: probed, the number cell found
        tmp_path / "b.xlsx",
        [header, ["丁", None], ["戊", GENUINE_DOUBLE]],
        number_cells={"B2": LOOKALIKE},
    )
    big_damaged = write_xlsx(  # 3 rows with damage: probed
        tmp_path / "c.xlsx",
        [header, ["己", None], ["庚", None], ["辛", GENUINE_DOUBLE]],
        number_cells={"B2": LOOKALIKE, "B3": DAMAGED},
    )
    stacked, alone = load_both([big, small, big_damaged], stacks)
    assert stacks == [3]
    assert_same(stacked, alone)
    numeric = [False, False, False, True, False, True, True, False]
    assert list(stacked.members["id_numeric"]) == numeric


# --- 5. unreadable cells: the right file, sheet and cell --------------------------------


def test_issues_point_to_their_own_file_and_cell(tmp_path, stacks):
    a = write_xlsx(
        tmp_path / "a.xlsx",
        [
            ["户主姓名", "身份证号", "月保障金额", "纳入时间"],
            ["甲", person(61), "abc", "2019-05"],
            ["乙", person(62), 200, "2019-13-45"],
        ],
        sheet="一村",
    )
    b = write_xlsx(  # an unmapped column in front: every letter shifts by one
        tmp_path / "b.xlsx",
        [
            ["其他", "户主姓名", "身份证号", "保障金额", "纳入时间"],
            ["x", "丙", person(63), 300, "2019-13-45"],
            ["y", "丁", person(64), "四百元整?", "2018-01"],
            ["z", "戊", person(65), "abc", "2020-02"],
        ],
        sheet="二村",
    )
    stacked, alone = load_both([b, a], stacks)
    assert stacks == [2]
    assert_same(stacked, alone)
    issues = stacked.issues
    assert issues[["file", "sheet", "cell", "field", "raw"]].values.tolist() == [
        [str(a), "一村", "C2", "benefit_month", "abc"],
        [str(a), "一村", "D3", "start_month", "2019-13-45"],
        [str(b), "二村", "D3", "benefit_month", "四百元整?"],
        [str(b), "二村", "D4", "benefit_month", "abc"],
        [str(b), "二村", "E2", "start_month", "2019-13-45"],
    ]
    assert list(issues["row"]) == [2, 3, 3, 4, 2]
    assert list(issues["header"]) == ["月保障金额", "纳入时间", "保障金额", "保障金额", "纳入时间"]


# --- 6. totals rows ----------------------------------------------------------------------


def test_totals_rows_keep_their_file_and_values(tmp_path, stacks):
    header = ["序号", "户主姓名", "身份证号", "家庭人口", "保障人数", "月保障金额"]
    a = write_xlsx(
        tmp_path / "a.xlsx",
        [
            header,
            ["1", "甲", person(71), 2, 2, 300],
            ["2", "乙", person(72), 1, 1, 150],
            ["合计", None, None, 3, 3, 450],
        ],
    )
    b = write_xlsx(
        tmp_path / "b.xlsx",
        [
            ["序号", "备用", *header[1:]],
            ["1", None, "丙", person(73), 4, 3, "600元"],
            ["小计", None, None, None, 4, 3, "600元"],
            ["2", None, "丁", person(74), 1, 1, 120],
            ["合计", None, None, None, 5, 4, "720"],
        ],
    )
    c = write_xlsx(  # a totals row with an empty count cell
        tmp_path / "c.xlsx",
        [header, ["1", "戊", person(75), 1, 1, 100], ["合计", None, None, None, 1, 100]],
    )
    stacked, alone = load_both([a, b, c], stacks)
    assert stacks == [3]
    assert_same(stacked, alone)
    totals = stacked.totals
    assert [Path(f).name for f in totals["file"]] == ["a.xlsx", "b.xlsx", "b.xlsx", "c.xlsx"]
    assert list(totals["sheet"]) == ["Sheet1"] * 4
    assert list(totals["row"]) == [4, 3, 5, 3]
    assert list(totals["label"]) == ["合计", "小计", "合计", "合计"]
    assert list(totals["benefit_month"]) == [450.0, 600.0, 720.0, 100.0]
    assert list(totals["household_size"].fillna(-1)) == [3, 4, 5, -1]
    assert list(totals["covered_count"]) == [3, 3, 4, 1]


# --- 7. an unreadable file among good ones -------------------------------------------------


def test_unreadable_file_is_listed_in_path_order(tmp_path, stacks):
    header = ["户主姓名", "身份证号", "家庭人口", "月保障金额"]
    a = write_xlsx(tmp_path / "a.xlsx", [header, ["甲", person(81), 1, 100]])
    bad = tmp_path / "b.xlsx"
    bad.write_bytes(b"this is no workbook \x00\x01\x02")
    c = write_xlsx(tmp_path / "c.xlsx", [header, ["乙", person(82), 2, "abc"]])
    d = write_xlsx(tmp_path / "d.xlsx", [header, ["丙", person(83), 3, 300]])
    stacked, alone = load_both([d, bad, c, a], stacks, on_error="skip")
    assert stacks == [3]
    assert_same(stacked, alone)
    assert [Path(f.path).name for f in stacked.files] == ["a.xlsx", "b.xlsx", "c.xlsx", "d.xlsx"]
    assert [f.error is not None for f in stacked.files] == [False, True, False, False]
    assert "b.xlsx" in stacked.files[1].error
    good = load_roster([a, c, d])
    for name in TABLES:
        pd.testing.assert_frame_equal(frame(stacked, name), frame(good, name), obj=name)
    assert stacked.sheets == good.sheets


# --- 8. one workbook, sheets of different layouts --------------------------------------------


def test_workbook_sheets_of_different_layouts(tmp_path, stacks):
    block, merges = block_rows([(900, 2), (910, 1)])
    path = write_xlsx(
        tmp_path / "乡.xlsx",
        household_rows(800, 2, "一村"),
        sheet="一村",
        extra_sheets={
            "二村": member_rows([(850, 2)]),
            "三村": household_rows(860, 3, "三村"),
            "四村": block,
        },
    )
    # merges on an extra sheet: write_xlsx merges the first sheet only, so redo it here
    book = openpyxl.load_workbook(path)
    for rng in merges:
        book["四村"].merge_cells(rng)
    book.save(path)

    stacks.clear()
    stacked = load_file(path)
    assert stacks == [2, 1, 1]  # 一村 and 三村 together
    assert_same(load_roster(path), stacked)
    stacks.clear()
    names = ["一村", "二村", "三村", "四村"]
    alone = join_pairs(combine([load_roster(path, sheet=name) for name in names]))
    assert all(n == 1 for n in stacks)
    assert_same(stacked, alone, files=False)
    assert [s.sheet for s in stacked.sheets] == names
    assert [s.layout for s in stacked.sheets] == ["household", "member", "household", "block"]
    assert (
        list(stacked.households["sheet"]) == ["一村"] * 2 + ["二村"] + ["三村"] * 3 + ["四村"] * 2
    )
    assert list(stacked.households["hh"]) == list(range(8))
    assert (
        list(stacked.members["sheet"]) == ["一村"] * 2 + ["二村"] * 2 + ["三村"] * 3 + ["四村"] * 3
    )


# --- empty columns, header-only files, urban and rural ----------------------------------------


def test_empty_columns_and_files_without_data_rows(tmp_path, stacks):
    header = ["户主姓名", "身份证号", "家庭人口", "月保障金额", "纳入时间", "村"]
    full = write_xlsx(tmp_path / "a.xlsx", [header, ["甲", person(95), 2, 300, "2019-01", "一村"]])
    empty_columns = write_xlsx(  # every mapped column but the name and ID empty
        tmp_path / "b.xlsx",
        [header, ["乙", person(93), None, None, None, None], ["丙", person(94)]],
    )
    header_only = write_xlsx(tmp_path / "c.xlsx", [header])
    own_fields = write_xlsx(tmp_path / "d.xlsx", [["户主姓名", "身份证号", "低保证号"]])
    last = write_xlsx(
        tmp_path / "e.xlsx", [header, ["丁", person(96), "3", "abc", "2019-13-45", None]]
    )
    paths = [full, empty_columns, header_only, own_fields, last]
    stacked, alone = load_both(paths, stacks)
    assert stacks == [4, 1]
    assert_same(stacked, alone)
    assert [s.households for s in stacked.sheets] == [1, 2, 0, 0, 1]
    assert list(stacked.households["household_size"].astype("object").fillna(0)) == [2, 0, 0, 3]


@pytest.mark.parametrize(
    ("header", "filled", "empty"),
    [
        (["户主姓名", "身份证号"], ["甲", person(1)], ["乙", None]),
        (["姓名", "身份证号"], ["甲", person(1)], ["乙", None]),
        (["姓名", "身份证号"], ["甲", person(1)], [None, person(2)]),
    ],
    ids=["head-id-empty", "id-empty", "name-empty"],
)
def test_household_sheet_whose_person_column_is_empty(tmp_path, stacks, header, filled, empty):
    """One row per household, and one file's 身份证号 (or 姓名) column empty throughout:
    the head's columns taken from it must be the same stacked and alone."""
    a = write_xlsx(tmp_path / "a.xlsx", [header, filled])
    b = write_xlsx(tmp_path / "b.xlsx", [header, empty])
    stacked, alone = load_both([a, b], stacks)
    assert [s.layout for s in stacked.sheets] == ["household", "household"]
    assert_same(stacked, alone)


def test_urban_and_rural_from_cells_and_folder_names(tmp_path, stacks):
    (tmp_path / "城市低保").mkdir()
    (tmp_path / "农村低保").mkdir()
    plain = ["户主姓名", "身份证号"]
    with_cell = ["户主姓名", "身份证号", "城乡类别"]
    paths = [
        write_xlsx(tmp_path / "城市低保" / "一社区.xlsx", [plain, ["甲", person(97)]]),
        write_xlsx(tmp_path / "城市低保" / "二社区.xlsx", [with_cell, ["乙", person(98), "农村"]]),
        write_xlsx(tmp_path / "农村低保" / "一村.xlsx", [plain, ["丙", person(99)]]),
        write_xlsx(tmp_path / "农村低保" / "二村.xlsx", [with_cell, ["丁", person(100), None]]),
        write_xlsx(tmp_path / "三村.xlsx", [with_cell, ["戊", person(101), "城镇"]]),
        write_xlsx(tmp_path / "四村.xlsx", [plain, ["己", person(102)]]),
    ]
    stacked, alone = load_both(paths, stacks)
    assert sorted(stacks) == [3, 3]
    assert_same(stacked, alone)
    scheme = stacked.households.set_index("head_name")["scheme"].astype("object").fillna("-")
    assert scheme.to_dict() == {
        "甲": "urban",
        "乙": "rural",
        "丙": "rural",
        "丁": "rural",
        "戊": "urban",
        "己": "-",
    }
    assert list(stacked.members["scheme"].fillna("-")) == list(
        stacked.households["scheme"].fillna("-")
    )


# --- a generated roster split into files -------------------------------------------------------


@st.composite
def split_rosters(draw):
    sizes = draw(st.lists(st.integers(1, 3), min_size=1, max_size=8))
    cuts = draw(st.lists(st.integers(1, max(1, len(sizes) - 1)), max_size=3, unique=True))
    layout = draw(st.sampled_from(["block", "member", "household"]))
    bad = draw(st.lists(st.integers(0, sum(sizes) - 1), max_size=2))
    return sizes, sorted({c for c in cuts if c < len(sizes)}), layout, set(bad)


def roster_rows(sizes, layout, bad, first=0):
    """Households of ``sizes`` members (the head only in the household layout); people
    numbered from ``first``, a money cell of those in ``bad`` unreadable."""
    if layout == "household":
        rows = [["序号", "户主姓名", "身份证号", "家庭人口", "月保障金"]]
        for k, size in enumerate(sizes):
            n = first + k
            rows.append([str(k + 1), f"人{n}", person(100 + n), size, "abc" if n in bad else 90])
        return rows
    rows = [["序号", "户主身份证号", "姓名", "身份证号", "与户主关系", "月保障金"]]
    n = first
    for k, size in enumerate(sizes):
        head = person(100 + n)
        for m in range(size):
            money = "abc" if n in bad else 50 * (m + 1)
            shown = m == 0 or layout == "member"
            rows.append(
                [
                    str(k + 1) if shown else None,
                    head if shown else None,
                    f"人{n}",
                    person(100 + n),
                    "户主" if m == 0 else "子女",
                    money,
                ]
            )
            n += 1
    return rows


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(split_rosters())
def test_households_split_into_files_load_as_one(case):
    sizes, cuts, layout, bad = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        whole = write_xlsx(folder / "whole.xlsx", roster_rows(sizes, layout, bad))
        bounds = [0, *cuts, len(sizes)]
        paths, first = [], 0
        for i, (lo, hi) in enumerate(pairwise(bounds)):
            part = sizes[lo:hi]
            paths.append(
                write_xlsx(folder / f"part{i}.xlsx", roster_rows(part, layout, bad, first))
            )
            first += len(part) if layout == "household" else sum(part)
        stacked = load_roster(paths)
        assert_same(stacked, load_alone(paths))
        one = load_roster(whole)
        ignore = ["file", "sheet", "row", "hh", "seq", "household"]
        for name in ("households", "members"):
            pd.testing.assert_frame_equal(
                frame(stacked, name).drop(columns=ignore, errors="ignore"),
                frame(one, name).drop(columns=ignore, errors="ignore"),
                check_like=True,
                obj=name,
            )
        people = len(sizes) if layout == "household" else sum(sizes)
        assert len(stacked.issues) == len(one.issues) == len({b for b in bad if b < people})
        assert stacked.households["hh"].tolist() == list(range(len(sizes)))


# --- long stacks: fields parsed one by one, on two threads --------------------------


SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


@pytest.mark.parametrize("batch_max", [0, tables_module.BATCH_MAX_ROWS])
def test_threaded_parsing_gives_the_same_tables(monkeypatch, batch_max):
    """A long stack parses each field alone and on two threads (io.tables.parse_all);
    forced on the shipped samples (every layout, unreadable cells, totals), the tables
    and the order of the issues are those of the one-thread run."""
    one_thread = load_roster(SAMPLE)
    monkeypatch.setattr(tables_module, "THREAD_MIN_ROWS", 0)
    monkeypatch.setattr(tables_module, "BATCH_MAX_ROWS", batch_max)
    threaded = load_roster(SAMPLE)
    for name in TABLES:
        pd.testing.assert_frame_equal(frame(threaded, name), frame(one_thread, name), obj=name)
    assert threaded.sheets == one_thread.sheets
