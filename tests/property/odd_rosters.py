"""Hypothesis strategies for the rosters people actually keep by hand: headers with
no rows, one column, the same name twice, punctuation for names (-, +, =), columns
left blank, everything merged, control characters in cells, absurd numbers.

A roster is drawn as plain data (:class:`OddRoster`) and written to a real .xlsx or
.csv file by :func:`write_roster`, so every command reads it the way it reads a
user's file.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import openpyxl
from hypothesis import strategies as st

from tests.conftest import make_id

# Headers the loader knows (so the roster is recognised and the rules run) ...
KNOWN_HEADERS = (
    "户主姓名", "姓名", "身份证号", "户主身份证号", "公民身份号码", "家庭人口", "保障人口",
    "月保障金额", "户月保障金额", "家庭年总收入", "自付医疗费用", "村", "乡镇", "与户主关系",
    "户编号", "低保证号", "性别", "出生日期", "年龄", "渐退起始月", "银行账号", "是否建档立卡",
    "施保方式", "保障类别", "残疾等级", "备注",
)  # fmt: skip
# ... and headers that are not (blank, punctuation, totals, a sequence number).
ODD_HEADERS = ("", " ", "-", "=", "序号", "合计", "#N/A", "姓名 ", "身份证号\n(18位)", "\x1b[31m")

PLACEHOLDER_NAMES = ("-", "+", "=", "*", "/", "——", "同上", "无", "某某", "王*", "?", "0")
NAMES = ("张三", "章三", "李四", "王五", "赵六", "张三 ", "欧阳修文")

# IDs: valid ones sharing birth dates (so names and pinyin pair up), a few typos one
# digit from a valid one, masked, 15-digit, stored as numbers, and junk.
_VALID = tuple(
    make_id(birth=birth, seq=seq)
    for birth in ("19600101", "19850505", "20100101")
    for seq in ("100", "101", "231", "232")
)
_TYPOS = tuple(i[:16] + str((int(i[16]) + 1) % 10) + i[17] for i in _VALID[:4])
IDS = (
    *_VALID,
    *_TYPOS,
    "130723********123X",
    "1****************4",
    "130723600101123",
    "13072319600101123",
    "身份证号",
    "无",
    "-",
)


def _id_cells() -> st.SearchStrategy[object]:
    return st.one_of(
        st.sampled_from(IDS),
        st.sampled_from(_VALID).map(lambda i: float(i) if i.isdigit() else i),
        st.integers(min_value=-(10**18), max_value=10**18),
    )


def _numbers() -> st.SearchStrategy[object]:
    return st.one_of(
        st.integers(min_value=-5, max_value=12),
        st.integers(min_value=-(2**63), max_value=2**63 - 1),
        st.floats(allow_nan=True, allow_infinity=True, width=64),
        st.sampled_from(("三", "1,200", "约300", "300元", "-", "", "1e308", "0.5人", "一千二")),
    )


def _dates() -> st.SearchStrategy[object]:
    return st.one_of(
        st.sampled_from(("2019-10", "2019年10月", "2019.4", "9999-12", "0000-00", "2019-02-30")),
        st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31)),
        st.integers(min_value=-1, max_value=3_000_000),
    )


def _texts() -> st.SearchStrategy[str]:
    return st.text(
        alphabet=st.one_of(
            st.sampled_from("张李王村户主子妻女本人是否有无合计小计-+=*/\\\"'., \t\n"),
            st.characters(codec="utf-8", categories=("Cc", "Cf", "Zs", "Po", "Sm", "Lo")),
        ),
        max_size=8,
    )


def _names() -> st.SearchStrategy[object]:
    return st.one_of(st.sampled_from(PLACEHOLDER_NAMES), st.sampled_from(NAMES), _texts())


def _cells_for(header: str) -> st.SearchStrategy[object]:
    """Values a column under ``header`` may hold (mostly its kind, sometimes anything)."""
    if "身份" in header or "号码" in header:
        kind = _id_cells()
    elif "姓名" in header:
        kind = _names()
    elif any(w in header for w in ("人口", "金额", "保障金", "收入", "费用", "年龄")):
        kind = _numbers()
    elif any(w in header for w in ("月", "日期")):
        kind = _dates()
    elif "关系" in header:
        kind = st.sampled_from(("户主", "本人", "子", "妻", "之女", "", "-", "同上"))
    elif header in ("村", "乡镇"):
        kind = st.sampled_from(("东村", "西村", "东村 ", "-", "", "合计"))
    elif "户编号" in header or "证号" in header:
        kind = st.sampled_from(("H1", "H1", "H2", "H3", "", "-", "1", "001"))
    else:
        kind = st.one_of(_texts(), st.sampled_from(("是", "否", "一级", "A", "")))
    return st.one_of(kind, kind, kind, st.none(), _texts(), _numbers())


@dataclass
class OddRoster:
    """A roster as cells: an optional title, a header row and data rows."""

    title: str | None
    header: list[str]
    rows: list[list[object]]
    kind: str  # "xlsx" or "csv"
    merge: str  # "none", "all", "columns", "title"
    file_name: str
    blank_columns: list[int] = field(default_factory=list)


@st.composite
def odd_rosters(draw) -> OddRoster:
    width = draw(st.integers(min_value=1, max_value=7))
    header = draw(
        st.lists(
            st.one_of(st.sampled_from(KNOWN_HEADERS), st.sampled_from(ODD_HEADERS)),
            min_size=width,
            max_size=width,
        )
    )
    shape = draw(st.sampled_from(("rows", "rows", "header-only", "duplicated-names", "one-row")))
    count = {"header-only": 0, "one-row": 1}.get(shape, draw(st.integers(0, 8)))
    rows = [[draw(_cells_for(h)) for h in header] for _ in range(count)]
    if shape == "duplicated-names" and rows:
        name_cols = [i for i, h in enumerate(header) if "姓名" in h] or [0]
        name = draw(_names())
        for row in rows:
            for col in name_cols:
                row[col] = name
    blank = draw(st.lists(st.integers(0, width - 1), max_size=width, unique=True))
    for row in rows:
        for col in blank:
            row[col] = None
    kind = draw(st.sampled_from(("xlsx", "xlsx", "csv")))
    merge = "none" if kind == "csv" else draw(st.sampled_from(("none", "all", "columns", "title")))
    title = draw(st.one_of(st.none(), st.just("某村2019年10月农村低保花名册"), _texts()))
    stem = draw(st.sampled_from(("roster", "2019年10月花名册", "名单-", "=")))
    return OddRoster(title, header, rows, kind, merge, f"{stem}.{kind}", blank)


def _cell_value(value: object) -> object:
    """What openpyxl can store: text with no characters XML forbids, finite numbers
    or their text."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return str(value)
    if isinstance(value, int) and not -(2**53) <= value <= 2**53:
        return str(value)
    if isinstance(value, str):
        return "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 0x20)
    return value


def write_roster(folder: Path, roster: OddRoster) -> Path:
    """The roster as a real file in ``folder``; its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / roster.file_name
    table = ([[roster.title]] if roster.title is not None else []) + [roster.header, *roster.rows]
    if roster.kind == "csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            for row in table:
                writer.writerow(["" if v is None else v for v in row])
        return path
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "2019年10月"
    for r, row in enumerate(table, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=r, column=c, value=_cell_value(value))
    width = max(len(row) for row in table)
    last = openpyxl.utils.get_column_letter(width)
    if roster.merge == "all":
        sheet.merge_cells(f"A1:{last}{len(table)}")
    elif roster.merge == "columns" and len(table) > 1:
        for c in range(1, width + 1):
            letter = openpyxl.utils.get_column_letter(c)
            sheet.merge_cells(f"{letter}1:{letter}{len(table)}")
    elif roster.merge == "title" and roster.title is not None and width > 1:
        sheet.merge_cells(f"A1:{last}1")
    book.save(path)
    return path


# Policies: small valid ones, absurd numbers, unknown keys and columns, deep nesting.
_POLICY_VALUES = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, width=64).map(repr),
    st.sampled_from(('"2019-10"', '"9999-12"', '"0000-00"', "inf", "nan", "true", '"x"', "[]")),
    st.integers(min_value=1, max_value=3000).map(lambda depth: "[" * depth + "]" * depth),
)
_POLICY_KEYS = (
    ("policy", "as_of"), ("policy", "name"), ("income", "tolerance"),
    ("income", "near_multiplier"), ("deduction", "medical_cap"), ("phaseout", "months"),
    ("phaseout", "max_months"), ("phaseout", "until"), ("single_person", "fixed_amount"),
    ("columns", "id_number"), ("columns", "no_such_field"), ("rules", "ignore"),
)  # fmt: skip


@st.composite
def odd_policies(draw) -> str:
    """Policy TOML: a standard (sane or absurd) and a few keys with odd values."""
    yearly = draw(st.one_of(st.just("4800"), _POLICY_VALUES))
    lines = ["[[standard]]", 'region = "13"', f"yearly = {yearly}"]
    chosen = draw(st.lists(st.sampled_from(_POLICY_KEYS), max_size=3, unique=True))
    for section in sorted({section for section, _ in chosen}):
        lines.append(f"[{section}]")
        for key in (k for s, k in chosen if s == section):
            value = draw(st.one_of(_POLICY_VALUES, st.text(max_size=5).map(repr)))
            lines.append(f"{key} = {value}")
    return "\n".join(lines) + "\n"
