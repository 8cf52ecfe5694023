"""The workbook building blocks: the safe cell writer, sheet names, and the findings
sheet whose labels the review round trip reads back."""

from __future__ import annotations

import ast
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlsxwriter

from civaudit.engine import finding_key
from civaudit.findings import empty_findings
from civaudit.i18n import LANGUAGES
from civaudit.report.review import read_reviews
from civaudit.report.xlsx import (
    FINDINGS_SHEET_COLUMNS,
    KEY_COLUMN,
    REVIEW_COLUMNS,
    VERDICTS,
    Formats,
    column_labels,
    findings_sheet,
    sheet_name,
    write_cell,
)

PACKAGE = Path(__file__).resolve().parents[2] / "civaudit"


def _book(build) -> openpyxl.Workbook:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    build(book)
    book.close()
    return openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))


def test_write_cell_writes_values_as_what_they_are():
    def build(book):
        fmt = Formats(book)
        ws = book.add_worksheet("s")
        for c, value in enumerate([True, 3, 2.5, "=1+1", "@SUM(A1)", "张三", None]):
            write_cell(ws, 0, c, value)
        write_cell(ws, 1, 0, None, fmt.cell)  # a blank cell that keeps its border
        write_cell(ws, 1, 1, 7, fmt.cell, fmt.number)

    ws = _book(build)["s"]
    cells = ws[1]
    assert [c.value for c in cells[:6]] == [True, 3, 2.5, "=1+1", "@SUM(A1)", "张三"]
    assert [c.data_type for c in cells[:6]] == ["b", "n", "n", "s", "s", "s"]
    assert ws["G1"].value is None and not ws["G1"].has_style
    assert ws["A2"].value is None and ws["A2"].border.left.style == "thin"
    assert ws["B2"].value == 7 and not ws["B2"].alignment.wrap_text  # the number format


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["a/b:c*d?[e]\\f"], ["a_b_c_d__e__f"]),
        (["村" * 40], ["村" * 31]),
        (["Sheet", "sheet", "SHEET"], ["Sheet", "sheet~2", "SHEET~3"]),
    ],
)
def test_sheet_names_are_ones_excel_accepts(names, expected):
    used: set[str] = set()
    assert [sheet_name(n, used) for n in names] == expected


def test_review_reads_the_labels_the_findings_sheet_writes(tmp_path, monkeypatch):
    """Whatever the language of the report, its findings sheet is read back."""
    finding = {c: None for c in empty_findings().columns}
    finding.update(rule="id.checksum", severity="error", message="bad", file="a.xlsx", sheet="s",
                   row=3, household="h1", person="p1", evidence={"field": "x"})  # fmt: skip
    findings = pd.DataFrame([finding])
    for lang in LANGUAGES:
        monkeypatch.setattr("civaudit.i18n._current", lang)
        path = tmp_path / f"{lang}.xlsx"
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True})
        findings_sheet(book, Formats(book), findings)
        book.close()
        returned = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
        ws = returned.active
        header = [c.value for c in ws[1]]
        columns = (*FINDINGS_SHEET_COLUMNS, *REVIEW_COLUMNS, KEY_COLUMN)
        assert all(label in column_labels(col) for label, col in zip(header, columns, strict=True))
        assert ws.data_validations.dataValidation[0].formula1 == '"' + ",".join(VERDICTS) + '"'
        first = len(FINDINGS_SHEET_COLUMNS) + 1  # 核查结论, 核查人, 核查日期, 说明
        for offset, value in enumerate(["不属实", "王五", "2019-11-02", "已核实"]):
            ws.cell(2, first + offset, value)
        returned.save(path)
        reviews = read_reviews(path)
        assert reviews[["verdict", "inspector", "checked_on", "note"]].values.tolist() == [
            ["不属实", "王五", "2019-11-02", "已核实"]
        ]
        assert reviews["key"].tolist() == finding_key(findings).tolist()


def test_review_reads_a_report_written_before_the_key_column(tmp_path):
    """Reports of earlier versions: the finding's fields, evidence as JSON, 核查结论, 备注."""
    finding = {c: None for c in empty_findings().columns}
    finding.update(rule="id.checksum", severity="error", message="bad", file="a.xlsx", sheet="s",
                   row=3, household="h1", person="p1", evidence={"field": "x"})  # fmt: skip
    old_columns = ["级别", "规则", "问题说明", "依据", "文件", "工作表", "行", "单元格", "县(区)",
                   "乡镇", "村", "户", "身份证号", "姓名", "证据", "核查结论", "备注"]  # fmt: skip
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "问题清单"
    ws.append(old_columns)
    ws.append(["错误", "id.checksum", "bad", None, "a.xlsx", "s", 3, None, None, None, None,
               "h1", "p1", None, '{"field": "x"}', "属实", "旧备注"])  # fmt: skip
    path = tmp_path / "old.xlsx"
    book.save(path)
    reviews = read_reviews(path)
    assert reviews[["verdict", "note"]].values.tolist() == [["属实", "旧备注"]]
    assert reviews["key"].tolist() == finding_key(pd.DataFrame([finding])).tolist()


def _private_report_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("civaudit.report"):
            found += [f"{node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
            if node.module.split(".")[-1].startswith("_"):
                found.append(node.module)
    return found


def test_nothing_outside_report_imports_its_private_names():
    outside = [p for p in PACKAGE.rglob("*.py") if "report" not in p.relative_to(PACKAGE).parts]
    offenders = {
        str(p.relative_to(PACKAGE)): names for p in outside if (names := _private_report_imports(p))
    }
    assert outside and offenders == {}
