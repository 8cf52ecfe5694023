"""Wide ledgers (numbered member columns) and member lists in one cell: each member
becomes a member row on its household's Excel row, keeping the cell it came from."""

from __future__ import annotations

from datetime import date

import openpyxl
import pandas as pd
import pytest

from civaudit import EXAMPLE_POLICY, load_roster
from civaudit.auditing import audit
from civaudit.privacy import mask_ids_in_text
from civaudit.report.inspect import describe
from tests.rules.rulekit import make_id

A, B, C, D, E = (make_id(birth=f"19{70 + i}0101", seq=f"{i}{i}{i}") for i in range(5))
BAD = C[:17] + ("0" if C[17] != "0" else "1")  # C with a wrong check character


def write(path, rows, merges=()):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    for row in rows:
        ws.append(list(row))
    for merge in merges:
        ws.merge_cells(merge)
    wb.save(path)
    return path


def findings(roster):
    report = audit(roster, EXAMPLE_POLICY, as_of=date(2019, 10, 1), lang="en", mask=False)
    return report.findings


def people(roster):
    m = roster.members
    role = m["role"].astype("object").where(m["role"].notna(), None)
    return list(zip(m["row"], m["name"], m["id_number"].fillna(""), role, strict=True))


@pytest.mark.parametrize(
    "names",
    [
        ("成员一姓名", "成员一身份证号码", "成员二姓名", "成员二身份证号码"),
        ("成员1姓名", "成员1身份证号", "成员2姓名", "成员2身份证号"),
        ("家庭成员1姓名", "家庭成员1身份证号", "家庭成员2姓名", "家庭成员2身份证号"),
        ("第一成员姓名", "第一成员身份证号", "第二成员姓名", "第二成员身份证号"),
        ("姓名1", "身份证号码1", "姓名2", "身份证号码2"),
    ],
)
def test_numbered_member_columns_become_members(tmp_path, names):
    path = write(
        tmp_path / "台账.xlsx",
        [
            ("序号", "户主姓名", "户主身份证号", "家庭人口", *names),
            (1, "张三", A, 3, "李梅", B, "张小", BAD),
            (2, "王五", D, 1, None, None, None, None),
        ],
    )
    roster = load_roster(path)
    assert roster.sheets[0].layout == "wide"
    assert people(roster) == [
        (2, "张三", A, "head"),
        (2, "李梅", B, None),
        (2, "张小", BAD, None),
        (3, "王五", D, "head"),
    ]
    h = roster.households
    assert list(h["member_rows"]) == [3, 1] and list(h["head_name"]) == ["张三", "王五"]
    assert [c.how for c in roster.sheets[0].columns][4:] == ["numbered"] * 4
    f = findings(roster)
    checksum = f[f["rule"] == "id.checksum"]
    assert list(zip(checksum["row"], checksum["cell"], checksum["name"], strict=True)) == [
        (2, "H2", "张小")  # the second member's ID cell, not the first's
    ]
    assert "household.size-mismatch" not in set(f["rule"])


def test_a_two_row_header_家庭成员_over_repeated_children(tmp_path):
    path = write(
        tmp_path / "台账.xlsx",
        [
            ("序号", "户主姓名", "户主身份证号", "家庭人口", "家庭成员", None, None, None, None),
            (None, None, None, None, "姓名", "身份证号", "与户主关系", "姓名", "身份证号"),
            (1, "张三", A, 3, "李梅", B, "妻", "张小", C),
        ],
        merges=["A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:I1"],
    )
    roster = load_roster(path)
    assert people(roster) == [
        (3, "张三", A, "head"),
        (3, "李梅", B, "spouse"),
        (3, "张小", C, None),
    ]
    cells = list(roster.members["member_cells"].astype(str))
    assert cells == ["name=B;id_number=C", "name=E;id_number=F;relation=G", "name=H;id_number=I"]


def test_家庭成员_over_children_that_do_not_repeat_is_a_block_sheet(tmp_path):
    """户主 over 姓名 | 身份证号 and 家庭成员 over 姓名 | 与户主关系 | 身份证号, one
    member a row and the head's cells merged down the block: the two-row header of a
    village roster (the spec's trap 2 and 3 at once), not a ledger of one member a
    household; read as one, the spouse's row became a household without a head."""
    path = write(
        tmp_path / "台账.xlsx",
        [
            ("序号", "户主", None, "家庭成员", None, None, "保障人口", "月保障金"),
            (None, "姓名", "身份证号", "姓名", "与户主关系", "身份证号", None, None),
            (1, "张三", A, "张三", "本人", A, 2, 600),
            (None, None, None, "李梅", "配偶", B, None, None),
            (2, "王五", D, "王五", "户主", D, 1, 300),
        ],
        merges=["A1:A2", "B1:C1", "D1:F1", "G1:G2", "H1:H2", "A3:A4", "B3:B4", "C3:C4"],
    )
    roster = load_roster(path)
    assert roster.sheets[0].layout == "block"
    assert people(roster) == [
        (3, "张三", A, "head"),
        (4, "李梅", B, "spouse"),
        (5, "王五", D, "head"),
    ]
    assert list(roster.households["member_rows"]) == [2, 1]
    assert not {"household.head", "household.size-mismatch"} & set(findings(roster)["rule"])


def test_the_head_listed_again_as_member_one_is_one_person(tmp_path):
    path = write(
        tmp_path / "台账.xlsx",
        [
            ("户主姓名", "户主身份证号", "家庭人口", "成员1姓名", "成员1身份证号", "成员1关系"),
            ("张三", A, 2, "张三", A, "户主"),
            ("王五", D, 1, "王五", None, None),  # no ID: the same name is the head
        ],
    )
    assert people(load_roster(path)) == [(2, "张三", A, "head"), (3, "王五", "", "head")]


def test_without_head_columns_or_relations_the_first_member_is_the_head(tmp_path):
    path = write(
        tmp_path / "台账.xlsx",
        [
            (
                "序号",
                "家庭人口",
                "月保障金",
                "成员一姓名",
                "成员一身份证号",
                "成员二姓名",
                "成员二身份证号",
            ),
            (1, 2, 500, "张三", A, "李梅", B),
        ],
    )
    roster = load_roster(path)
    assert people(roster) == [(2, "张三", A, "head"), (2, "李梅", B, None)]
    assert roster.households["head_name"].iloc[0] == "张三"


def test_a_member_list_in_one_cell(tmp_path):
    path = write(
        tmp_path / "名单.xlsx",
        [
            ("序号", "户主姓名", "家庭人口", "月保障金", "家庭成员"),
            (1, "张三", 3, 1000, f"张三（{A}）、李梅（{B}）、张小（{BAD}）"),
            (2, "王五", 1, 400, f"王五 {D}"),
            (3, "赵六", 2, 800, f"赵六 户主 {E}\n钱七：妻，{A[:6]}********{A[14:]}"),
        ],
    )
    roster = load_roster(path)
    assert roster.sheets[0].layout == "list"
    masked = A[:6] + "********" + A[14:]
    assert people(roster) == [
        (2, "张三", A, "head"),
        (2, "李梅", B, None),
        (2, "张小", BAD, None),
        (3, "王五", D, "head"),
        (4, "赵六", E, "head"),
        (4, "钱七", masked, "spouse"),
    ]
    assert roster.sheets[0].rows_kept == 3 and roster.sheets[0].members == 6
    shown = {c["column"]: c["how"] for c in describe(roster)["files"][0]["sheets"][0]["columns"]}
    assert shown["E"] == "list"
    f = findings(roster)
    checksum = f[f["rule"] == "id.checksum"]
    assert list(zip(checksum["row"], checksum["cell"], strict=True)) == [(2, "E2")]


def test_names_and_ids_listed_in_two_cells_pair_by_place(tmp_path):
    path = write(
        tmp_path / "名单.xlsx",
        [
            ("户主姓名", "户主身份证号", "家庭人口", "家庭成员姓名", "家庭成员身份证号"),
            ("张三", A, 3, "张三、李梅；张小", f"{A}、{B}；{BAD}"),
            ("王五", D, 1, "王五", D),
        ],
    )
    roster = load_roster(path)
    assert people(roster) == [
        (2, "张三", A, "head"),
        (2, "李梅", B, None),
        (2, "张小", BAD, None),
        (3, "王五", D, "head"),
    ]
    f = findings(roster)
    assert list(f.loc[f["rule"] == "id.checksum", "cell"]) == ["E2"]


def test_names_with_their_ids_in_a_names_column(tmp_path):
    path = write(
        tmp_path / "名单.xlsx",
        [
            ("户主姓名", "家庭人口", "家庭成员姓名"),
            ("张三", 2, f"张三（{A}）；李梅（{B}）"),
            ("王五", 1, f"王五（{D}）"),
        ],
    )
    roster = load_roster(path)
    assert roster.sheets[0].layout == "list"
    assert people(roster) == [(2, "张三", A, "head"), (2, "李梅", B, None), (3, "王五", D, "head")]


def test_a_家庭成员_column_of_one_name_per_row_is_the_name_column(tmp_path):
    path = write(
        tmp_path / "花名册.xlsx",
        [
            ("户主身份证号", "家庭成员", "身份证号", "与户主关系"),
            (A, "张三", A, "户主"),
            (A, "李梅", B, "配偶"),
        ],
    )
    roster = load_roster(path)
    assert roster.sheets[0].layout == "member"
    assert list(roster.members["name"]) == ["张三", "李梅"]


def test_ids_in_a_member_list_are_masked_in_reports():
    cells = pd.Series([f"张三（{A}）、李梅（{B}）"])
    assert mask_ids_in_text(cells).iloc[0] == (
        f"张三（{A[:6]}********{A[14:]}）、李梅（{B[:6]}********{B[14:]}）"
    )
