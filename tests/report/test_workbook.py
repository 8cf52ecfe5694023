"""The inspectors' workbook read back: the cover, the findings sheet an inspector
prints and fills in, the coverage and rule sheets, and faithful roster copies."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from civaudit.cli import cli
from civaudit.findings import COVERAGE_COLUMNS, RULE_STATUS_COLUMNS, empty_findings
from civaudit.report.findings import summarize
from civaudit.report.present import ReportContext
from civaudit.report.workbook import inspector_workbook
from civaudit.report.xlsx import FINDINGS_SHEET_COLUMNS, REVIEW_COLUMNS, VERDICTS
from tests.conftest import make_id

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
HEAD = make_id(seq="131")
HEAD2 = make_id(birth="19550505", seq="171")
RANK = {"错误": 0, "警告": 1, "提示": 2}


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory) -> openpyxl.Workbook:
    out = tmp_path_factory.mktemp("report") / "核查报告.xlsx"
    result = CliRunner().invoke(
        cli, ["--lang", "zh", "audit", str(SAMPLE), "-q", "-o", str(out)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr  # (findings give 1 through main())
    return openpyxl.load_workbook(out)


def _findings_rows(book) -> tuple[list[str], list[list]]:
    ws = book["问题清单"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    return rows[0], rows[1:]


def test_sheets_come_in_the_order_an_inspector_uses_them(sample_report):
    names = sample_report.sheetnames
    assert names[:2] == ["汇总", "问题清单"]
    # every household of the sample is assessed: no 未核算户 sheet; rules not run: 规则
    assert names[2] == "规则" and "未核算户" not in names
    assert all(n[0].isdigit() for n in names[3:]) and len(names) == 10


def test_findings_are_sorted_by_severity_then_village_then_household(sample_report):
    header, rows = _findings_rows(sample_report)
    sev, village = header.index("级别"), header.index("村")
    keys = [(RANK[r[sev]], r[village]) for r in rows]
    assert keys == sorted(keys) and len(rows) == 32
    assert rows[0][sev] == "错误" and rows[-1][sev] == "提示"


def test_verdict_columns_follow_the_finding_and_offer_the_list(sample_report):
    header, rows = _findings_rows(sample_report)
    first = len(FINDINGS_SHEET_COLUMNS)
    assert header[first : first + len(REVIEW_COLUMNS)] == ["核查结论", "核查人", "核查日期", "说明"]
    assert header[:first] == ["级别", "村", "户主", "人员", "问题", "规则编号", "问题描述",
                              "证据", "文件 / 工作表", "行（链接）"]  # fmt: skip
    ws = sample_report["问题清单"]
    (validation,) = ws.data_validations.dataValidation
    assert validation.formula1 == '"' + ",".join(VERDICTS) + '"'
    letter = openpyxl.utils.get_column_letter(first + 1)
    assert str(validation.sqref) == f"{letter}2:{letter}{len(rows) + 1}"
    # the hidden key column is past the print area, which ends with 说明
    assert ws.column_dimensions[openpyxl.utils.get_column_letter(len(header))].hidden
    assert ws.print_area.endswith(f"${openpyxl.utils.get_column_letter(first + 4)}${len(rows) + 1}")


def test_findings_sheet_prints_a4_landscape_one_page_wide(sample_report):
    ws = sample_report["问题清单"]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1" and ws.freeze_panes == "A2"
    assert "低保花名册核查报告" in ws.oddHeader.left.text
    assert "2019-10-01" in ws.oddHeader.right.text and "&P" in ws.oddFooter.center.text
    assert ws.auto_filter.ref.startswith("A1:")


def test_rule_titles_evidence_and_links_are_readable(sample_report):
    header, rows = _findings_rows(sample_report)
    by_rule = {r[header.index("规则编号")]: r for r in rows}
    checksum = by_rule["id.checksum"]
    assert checksum[header.index("问题")] == "身份证号校验码错误"
    assert "校验码: X" in checksum[header.index("证据")]
    assert "{" not in "".join(str(r[header.index("证据")]) for r in rows)  # no raw JSON
    ws = sample_report["问题清单"]
    row = next(i for i, r in enumerate(rows, start=2) if r is checksum)
    link = ws.cell(row, header.index("行（链接）") + 1).hyperlink
    assert link.location == "'3-四号地村低保花名册'!A48"
    copy = sample_report["3-四号地村低保花名册"]
    assert copy["A48"].fill.fgColor.rgb.endswith("F8CBAD")  # the flagged row, error fill
    assert "id.checksum" in copy["A48"].comment.text


def test_no_text_becomes_a_formula(sample_report):
    for ws in sample_report.worksheets:
        for row in ws.iter_rows():
            assert all(c.data_type != "f" for c in row), ws.title


def test_cover_counts_by_severity_village_and_family_with_charts(sample_report):
    ws = sample_report["汇总"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "按村统计" in texts and "按规则类别统计" in texts and "朱家营子村" in texts
    assert any("核查月份：2019-10-01" in t for t in texts)
    assert len(ws._charts) == 2


@pytest.fixture
def typed_roster(tmp_path) -> Path:
    """A roster whose cells have the types a copy must keep."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "2019年10月"
    ws.append(["某村2019年10月农村低保花名册"])
    ws.merge_cells("A1:H1")
    ws.append(["户主姓名", "户主身份证号", "家庭人口", "保障人口", "家庭年总收入", "月保障金",
               "联系电话", "审批日期"])  # fmt: skip
    ws.append(["张三", HEAD, 3, 3, 10200, 450, "13312345678", dt.datetime(2019, 3, 1)])
    ws.append(["李四", HEAD2, 1, 1, 2400, 999.5, "=SUM(1+1)", dt.datetime(2018, 12, 5)])
    ws["G4"].data_type = "s"  # text that looks like a formula
    ws["F3"].number_format = "#,##0.00"
    ws["F4"].number_format = "#,##0.00"
    ws["H3"].number_format = 'yyyy"年"m"月"d"日"'
    ws["H4"].number_format = 'yyyy"年"m"月"d"日"'
    ws.column_dimensions["G"].width = 17.5
    path = tmp_path / "村.xlsx"
    book.save(path)
    return path


def test_roster_copies_keep_types_formats_merges_and_widths(typed_roster, tmp_path):
    out = tmp_path / "r.xlsx"
    args = ["--lang", "en", "audit", str(typed_roster), "-q", "-o", str(out), "--as-of", "2019-10"]
    CliRunner().invoke(cli, args, catch_exceptions=False)
    book = openpyxl.load_workbook(out)
    copy = book[next(n for n in book.sheetnames if n.startswith("1-"))]
    assert copy["G3"].value == "13312345678" and copy["G3"].data_type == "s"  # text stays text
    assert copy["G4"].value == "=SUM(1+1)" and copy["G4"].data_type == "s"
    assert copy["F4"].value == 999.5 and copy["F4"].number_format == "#,##0.00"
    assert copy["E3"].value == 10200 and copy["E3"].data_type == "n"
    assert copy["H3"].value == dt.datetime(2019, 3, 1)
    assert copy["H3"].number_format == 'yyyy"年"m"月"d"日"'
    assert copy["B3"].value == HEAD[:6] + "********" + HEAD[-4:]  # masked, as text
    assert "A1:H1" in {str(r) for r in copy.merged_cells.ranges}
    assert copy["A1"].value == "某村2019年10月农村低保花名册"
    assert copy.column_dimensions["G"].width == pytest.approx(17.5, abs=0.75)
    assert copy.print_title_rows == "$1:$2" and copy.freeze_panes == "A3"


def _finding(**values) -> dict:
    finding = {c: None for c in empty_findings().columns}
    finding.update(severity="error", message="m", file="a.xlsx", sheet="s", evidence={})
    finding.update(values)
    return finding


def test_coverage_and_rule_statuses_come_from_the_report_frames():
    """The engine fills Report.coverage and Report.rules; the workbook shows them."""
    findings = pd.DataFrame([_finding(rule="id.checksum", row=3, household="h1")])
    coverage = pd.DataFrame(
        [
            ["a.xlsx", "s", 3, None, None, "一村", "h1", "张三", True, None],
            ["a.xlsx", "s", 4, None, None, "一村", "h2", "李四", False, "missing-income"],
        ],
        columns=list(COVERAGE_COLUMNS),
    )
    rules = pd.DataFrame(
        [
            ["id.checksum", "run", None, None, None],
            ["ext.deceased", "skipped", "no-list", "需要死亡名单（--against deaths=文件）",
             "needs the deaths list (--against deaths=FILE)"],
            ["dup.person", "not-requested", "select", "未选用", "not selected"],
        ],
        columns=list(RULE_STATUS_COLUMNS),
    )  # fmt: skip
    manifest = {"version": "t", "policy": {"name": "p", "example": False}, "as_of": "2019-10-01",
                "as_of_source": "--as-of", "inputs": []}  # fmt: skip
    data = inspector_workbook(
        findings, summarize(findings), manifest, [], row_limit=100, mask=True,
        context=ReportContext(households=2, members=5, coverage=coverage, rules=rules),
    )  # fmt: skip
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Summary", "Findings", "Not assessed", "Rules"]
    cover = [c.value for row in book["Summary"].iter_rows() for c in row if c.value]
    assert any("1 of 2 households assessed (50.0%)" in str(v) for v in cover)
    missing = [[c.value for c in row] for row in book["Not assessed"].iter_rows()]
    assert missing[1][:3] == ["一村", "h2", "李四"] and missing[1][4] == "missing-income"
    statuses = [[c.value for c in row] for row in book["Rules"].iter_rows()][1:]
    assert [s[2] for s in statuses] == ["run", "skipped", "not requested"]
    assert statuses[1][3] == "needs the deaths list (--against deaths=FILE)"
