"""County, town and village from the evidence that names them: columns, title, file
name, folders, address, a sheet named as a place; every finding carries them."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from civaudit import EXAMPLE_POLICY, audit, load_roster
from civaudit.cli import cli
from civaudit.place import _ADDRESS, _address_places, places_in, sheet_name_place
from tests.conftest import make_id, write_xlsx

HEADER = ["户主姓名", "户主身份证号", "家庭人口", "家庭年总收入", "月保障金"]
GOOD = make_id(seq="151")
BAD = GOOD[:-1] + ("1" if GOOD[-1] != "1" else "2")  # a wrong check character
# one clean household, one paid too much, one with a bad checksum: findings of each kind
ROWS = [
    ["甲", make_id(seq="131"), 3, 9000, 450],
    ["乙", make_id(seq="141"), 1, 2400, 900],
    ["丙", BAD, 1, 2400, 200],
]


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("康保县张纪镇上房子村2019年10月农村低保花名册", ("康保县", "张纪镇", "上房子村")),
        ("河北省张家口市康保县", ("康保县", None, None)),
        ("农村低保家庭查询_上房子村201910", (None, None, "上房子村")),
        ("邓油坊镇农村低保花名册（分村）", (None, "邓油坊镇", None)),
        ("2019年10月康保县城关镇低保名单", ("康保县", "城关镇", None)),
        ("新乡村", (None, None, "新乡村")),  # a village, not the town 新乡
        ("康保县民政局", (None, None, None)),  # not all places
        ("填报单位：邓油坊镇人民政府", (None, None, None)),
        ("全村低保户花名册", (None, None, None)),
        ("农村低保花名册", (None, None, None)),  # 农村 is no village
        ("sample_data", (None, None, None)),
    ],
)
def test_places_in_text(text, places):
    found = places_in(text)
    assert tuple(found.get(level) for level in ("county", "town", "village")) == places


def test_a_sheet_name_counts_only_when_it_is_a_place():
    assert sheet_name_place("老湾村") == {"village": "老湾村"}
    assert sheet_name_place("Sheet1") == {} and sheet_name_place("花名册") == {}
    assert sheet_name_place("2019年10月") == {} and sheet_name_place("老湾村花名册") == {}


def test_a_folder_tree_gives_every_finding_its_place(tmp_path):
    folder = tmp_path / "康保县" / "张纪镇"
    folder.mkdir(parents=True)
    path = write_xlsx(folder / "上房子村低保花名册.xlsx", [HEADER, *ROWS], sheet="Sheet1")
    report = audit(load_roster(path), EXAMPLE_POLICY, as_of="2019-10", lang="en")
    assert {"benefit.over-cap", "id.checksum"} <= set(report.findings["rule"])
    places = report.findings[["county", "town", "village"]].drop_duplicates().values.tolist()
    assert places == [["康保县", "张纪镇", "上房子村"]]
    assert report.coverage[["county", "town", "village"]].drop_duplicates().values.tolist() == [
        ["康保县", "张纪镇", "上房子村"]
    ]
    assert report.summary()["by_village"] == {"康保县/张纪镇/上房子村": len(report.findings)}


def test_columns_first_then_title_file_name_folder_address_sheet_name(tmp_path):
    folder = tmp_path / "康保县" / "照阳河镇"
    folder.mkdir(parents=True)
    rows = [["村", *HEADER, "家庭住址"]]
    rows += [["四号地村", *ROWS[0], "康保县照阳河镇"], [None, *ROWS[1], "沽源县闪电河乡一号村"]]
    path = write_xlsx(
        folder / "花名册.xlsx",
        [["邓油坊镇朱家营子村2019年10月农村低保花名册"], *rows],
        sheet="老湾村",
    )
    h = load_roster(path).households
    assert h["village"].tolist() == ["四号地村", "朱家营子村"]
    assert h["village_from"].tolist() == ["column", "title"]
    assert h["town"].tolist() == ["邓油坊镇"] * 2  # the title, before folder and address
    assert h["town_from"].tolist() == ["title"] * 2
    assert h["county"].tolist() == ["康保县"] * 2 and h["county_from"].tolist() == ["folder"] * 2


def test_a_totals_row_finding_takes_its_sheets_place(tmp_path):
    folder = tmp_path / "康保县" / "张纪镇"
    folder.mkdir(parents=True)
    rows = [HEADER, *ROWS, ["合计", None, 5, 13800, 99999]]
    path = write_xlsx(folder / "上房子村.xlsx", rows)
    report = audit(load_roster(path), EXAMPLE_POLICY, as_of="2019-10", lang="en")
    totals = report.findings[report.findings["rule"] == "roster.totals-mismatch"]
    assert len(totals) and totals[["county", "town", "village"]].values.tolist()[0] == [
        "康保县",
        "张纪镇",
        "上房子村",
    ]


def test_inspect_shows_where_each_came_from(tmp_path):
    folder = tmp_path / "康保县" / "张纪镇"
    folder.mkdir(parents=True)
    path = write_xlsx(folder / "上房子村201910.xlsx", [HEADER, *ROWS])
    result = CliRunner().invoke(cli, ["--lang", "en", "inspect", str(path), "-f", "json"])
    (f,) = json.loads(result.stdout)["files"]
    assert f["as_of"] == {"month": "2019-10", "source": "file-name"}
    assert f["sheets"][0]["place"] == {
        "county": [{"name": "康保县", "from": "folder", "households": 3}],
        "town": [{"name": "张纪镇", "from": "folder", "households": 3}],
        "village": [{"name": "上房子村", "from": "file-name", "households": 3}],
    }
    text = CliRunner().invoke(cli, ["--lang", "en", "inspect", str(path)]).stdout
    assert "place: county 康保县 (folder), town 张纪镇 (folder), village 上房子村 (file name)" in (
        " ".join(text.split())
    )


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.text(
                alphabet="康保县照阳河镇四号地村省市区乡街道办事处组1２ a\u3000\t新", max_size=30
            ),
        ),
        max_size=40,
    )
)
def test_address_places_equal_the_pattern_on_each_address(addresses):
    """The Arrow cut and the distinct-prefix shortcut give what the pattern gives on
    each whole address, whitespace (ASCII, ideographic) removed."""
    values = pd.Series(addresses, dtype="string")
    got = _address_places(values)
    for i, text in enumerate(addresses):
        match = _ADDRESS.search(re.sub(r"\s+", "", text)) if text is not None else None
        want = [match["county"], match["town"]] if match else [None, None]
        assert got.iloc[i].tolist() == want, text
