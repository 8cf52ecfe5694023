"""The Excel report one county at a time (``report.split``): parts, file names, the
row cap, and a set of workbooks written whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from civaudit.errors import UsageError
from civaudit.findings import COVERAGE_COLUMNS, FINDING_COLUMNS
from civaudit.i18n import language, set_language
from civaudit.report import xlsx
from civaudit.report.split import (
    check_fits,
    part_paths,
    safe_file_part,
    split_report,
    write_parts,
)


def findings(*counties) -> pd.DataFrame:
    rows = [
        {c: None for c in FINDING_COLUMNS}
        | {
            "rule": "id.checksum",
            "severity": "error",
            "file": f"{i}.xlsx",
            "sheet": "S",
            "row": i + 2,
            "county": county,
        }
        for i, county in enumerate(counties)
    ]
    return pd.DataFrame(rows, columns=list(FINDING_COLUMNS))


def coverage(*counties, assessed=True) -> pd.DataFrame:
    rows = [
        {c: None for c in COVERAGE_COLUMNS}
        | {"file": f"h{i}.xlsx", "sheet": "S", "county": county, "assessed": assessed}
        for i, county in enumerate(counties)
    ]
    return pd.DataFrame(rows, columns=list(COVERAGE_COLUMNS))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("康保县", "康保县"),
        ('a/b\\c:d*e?f"g<h>i|j', "a_b_c_d_e_f_g_h_i_j"),
        ("  县. ", "县"),
        ("...", "_"),
        ("", "_"),
        ("CON", "_CON"),
        ("com1.txt", "_com1.txt"),
        ("tab\there", "tab_here"),
        ("长" * 200, "长" * 80),
    ],
)
def test_safe_file_part(text, name):
    assert safe_file_part(text) == name


def test_part_paths_are_distinct_beside_the_target(tmp_path):
    target = tmp_path / "核查报告.xlsx"
    paths = part_paths(target, ["康保县", "a/b", "a:b", "A_B", "未知县"])
    assert [p.name for p in paths] == [
        "核查报告-康保县.xlsx", "核查报告-a_b.xlsx", "核查报告-a_b~2.xlsx", "核查报告-A_B~3.xlsx",
        "核查报告-未知县.xlsx",
    ]  # fmt: skip
    assert {p.parent for p in paths} == {tmp_path}


@pytest.fixture
def restore_language():
    before = language()
    yield
    set_language(before)


def test_split_report_parts_hold_every_finding_once(restore_language):
    set_language("en")
    found = findings("沽源县", "康保县", None, " 康保县 ", "", "沽源县")
    parts = split_report(found, coverage=coverage("康保县", None, "张北县"))
    assert [p.name for p in parts] == ["康保县", "张北县", "沽源县", None]
    assert parts[-1].label == "unknown county"
    assert [len(p.findings) for p in parts] == [2, 0, 2, 2]
    assert [len(p.coverage) for p in parts] == [1, 1, 0, 1]
    together = pd.concat([p.findings for p in parts]).sort_index()
    pd.testing.assert_frame_equal(together, found)
    assert parts[0].sheets == {("1.xlsx", "S"), ("3.xlsx", "S"), ("h0.xlsx", "S")}
    set_language("zh")
    assert parts[-1].label == "未知县"


def test_split_report_of_nothing_is_one_empty_part():
    parts = split_report(findings(), coverage=coverage())
    assert [(p.name, len(p.findings)) for p in parts] == [(None, 0)]


def test_check_fits_counts_the_longest_list_sheet(monkeypatch):
    monkeypatch.setattr(xlsx, "EXCEL_MAX_ROWS", 4)
    check_fits(findings("a", "b", "c"), coverage())  # 3 findings + the header
    with pytest.raises(UsageError, match="--split-by county"):
        check_fits(findings("a", "b", "c", "d"), coverage())
    with pytest.raises(UsageError, match="needs a sheet of 5 rows"):
        check_fits(findings(), coverage(*"abcd", assessed=False))  # households not assessed
    with pytest.raises(UsageError, match=r"^康保县: ") as refused:
        check_fits(findings(*"abcd"), None, part="康保县")
    assert "--split-by" not in str(refused.value)


def test_write_parts_whole_or_none(tmp_path):
    parts = split_report(findings("康保县", "沽源县", "张北县"))
    target = tmp_path / "r.xlsx"

    def build(part):
        if part.name == "沽源县":
            raise KeyboardInterrupt
        return part.name.encode()

    with pytest.raises(KeyboardInterrupt):
        write_parts(target, parts, build=build)
    assert list(tmp_path.iterdir()) == []
    written = write_parts(target, parts, build=lambda part: part.name.encode())
    assert [p.read_text(encoding="utf-8") for p in written] == ["康保县", "张北县", "沽源县"]
    assert sorted(tmp_path.iterdir()) == sorted(written)
    with pytest.raises(UsageError, match="is one of the inputs"):
        write_parts(target, parts, build=lambda part: b"", inputs=[Path(written[0])])


def test_the_workbook_itself_refuses_rows_past_the_cap(monkeypatch):
    from civaudit.report.workbook import inspector_workbook

    found = findings("康保县", "沽源县", None)
    summary = {"by_severity": {"error": 3}, "findings": 3}
    book = inspector_workbook(found, summary, {}, [], row_limit=10, mask=True)
    assert book[:2] == b"PK"
    monkeypatch.setattr(xlsx, "EXCEL_MAX_ROWS", 3)  # xlsxwriter would drop the last row
    with pytest.raises(UsageError, match="needs a sheet of 4 rows"):
        inspector_workbook(found, summary, {}, [], row_limit=10, mask=True)


def test_a_thin_roster_still_splits():
    # a Dask run's roster: members without file and sheet, places without a county
    parts = split_report(
        findings("康保县", None),
        coverage=coverage("康保县"),
        places=pd.DataFrame({"file": ["0.xlsx"], "sheet": ["S"]}),
        members=pd.DataFrame({"id_number": ["x"]}),
    )
    assert [(p.name, len(p.findings), p.members) for p in parts] == [
        ("康保县", 1, None),
        (None, 1, None),
    ]


def test_members_are_counted_by_their_sheets_county():
    places = pd.DataFrame({"file": ["0.xlsx", "1.xlsx"], "sheet": ["S", "S"],
                           "county": ["康保县", None]})  # fmt: skip
    members = pd.DataFrame({"file": ["0.xlsx", "0.xlsx", "1.xlsx"], "sheet": ["S"] * 3})
    parts = split_report(findings("康保县", None), places=places, members=members)
    assert [(p.name, p.members) for p in parts] == [("康保县", 2), (None, 1)]
