"""Only rosters are accepted as rosters (issue 14): a header needs a person column and
welfare-roster evidence (an ID or household key, household counts, income, benefit),
never two generic words in any language. English counts only as the canonical names."""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.worksheet.table import Table

from civaudit.cli import main
from civaudit.roster import load_roster
from tests.conftest import make_id

ID = make_id(seq="131")


def _table_sample(path):
    """Like Excel's own table samples: a formatted table with Group / Name / Score."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Table1"
    for row in [["Group", "Name", "Score"], ["A", "Huey", 6], ["A", "Dewey", 7], ["B", "Louie", 8]]:
        ws.append(row)
    ws.add_table(Table(displayName="Ducks", ref="A1:C4"))
    book.save(path)
    return path


def _formulas(path):
    """A formula test sheet: Name, Age and computed columns."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Name", "Age", "Double", "Text"])
    for i, name in enumerate(["Huey", "Dewey", "Louie"], start=2):
        ws.append([name, i + 4, f"=B{i}*2", f'=CONCATENATE(A{i}," is ",B{i})'])
    book.save(path)
    return path


NON_ROSTERS = {
    "name-age.xlsx": [["Name", "Age"], ["Huey", 6], ["Dewey", 7]],
    "positions.xlsx": [
        ["Symbol", "Name", "Quantity", "Price", "Market Value"],
        ["AAPL", "Apple", 10, 150.5, 1505],
        ["MSFT", "Microsoft", 5, 300, 1500],
    ],
    "prices.xlsx": [
        ["Date", "Open", "High", "Low", "Close", "Volume"],
        ["2019-10-01", 1, 2, 0.5, 1.5, 1000],
    ],
    "ledger.xlsx": [["ID", "Name", "Amount", "Group"], [1, "x", 3.5, "A"], [2, "y", 4, "B"]],
    "班级名单.xlsx": [
        ["序号", "姓名", "性别", "年龄"],
        [1, "张三", "男", 12],
        [2, "李四", "女", 9],
    ],
    "成绩表.xlsx": [["姓名", "语文", "数学", "备注"], ["张三", 90, 95, None]],
    "通讯录.xlsx": [["姓名", "电话", "住址"], ["张三", "13800000000", "某村"]],
    "products.xlsx": [["Product", "Price"], ["apple", 3]],
}


@pytest.fixture
def non_rosters(tmp_path, xlsx):
    paths = [xlsx(rows, name=name) for name, rows in NON_ROSTERS.items()]
    paths.append(_table_sample(tmp_path / "table-sample.xlsx"))
    paths.append(_formulas(tmp_path / "formulas.xlsx"))
    return paths


def run(args, capsys) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_:
        main(args)
    return exit_.value.code, capsys.readouterr().err


def test_non_roster_workbooks_are_refused_with_exit_2(non_rosters, capsys):
    for path in non_rosters:
        code, err = run(["audit", str(path), "-q"], capsys)
        assert code == 2, (path.name, err)
        assert "no roster header" in err, path.name
        assert "Traceback" not in err


def test_inspect_refuses_them_too(non_rosters, capsys):
    code, err = run(["inspect", *map(str, non_rosters)], capsys)
    assert code == 2
    assert err.count("no roster header") == len(non_rosters)


@pytest.mark.parametrize(
    "rows",
    [
        [["姓名", "身份证号"], ["张三", ID]],  # an ID column
        [["户主姓名", "家庭人口", "月保障金"], ["张三", 3, 450]],  # household fields
        [["户主", "低保证号"], ["张三", "0001"]],  # a household key
        [["name", "id_number"], ["Zhang San", ID]],  # the canonical names
        [["head_name", "household_size", "benefit_month"], ["Zhang San", 3, 450]],
        [["家庭成员", "保障人数"], ["张三、李四", 2]],  # members in one cell
    ],
)
def test_minimal_rosters_are_still_rosters(xlsx, rows):
    roster = load_roster(xlsx(rows))
    assert len(roster.households) == 1


def test_english_labels_are_not_aliases(xlsx, capsys):
    # "ID number" and "household size" are report labels, not header aliases
    path = xlsx([["Name", "ID number", "household size"], ["Zhang San", ID, 3]])
    code, err = run(["audit", str(path), "-q"], capsys)
    assert code == 2 and "no roster header" in err
