"""The header normaliser and the unit reader: traditional characters, spacing, stars,
colons, outline numbers, units in brackets and notes (property tests with Hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civaudit.io.aliases import CHILDREN, GROUPS, TABLE, lookup
from civaudit.io.units import parse_unit, sheet_unit, units_in
from civaudit.normalize.hanzi import SIMPLIFIED, TRADITIONAL, to_simplified
from civaudit.normalize.text import normalize_header

ALIAS_TEXTS = sorted({t for row in TABLE for t in row.texts})
_TO_TRADITIONAL = dict(zip(SIMPLIFIED, TRADITIONAL, strict=True))


def traditional(text: str) -> str:
    return "".join(_TO_TRADITIONAL.get(ch, ch) for ch in text)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("戶主姓名", "户主姓名"),  # traditional (a Hong Kong / Taiwan input method)
        ("身份證號碼", "身份证号码"),
        ("家庭人數", "家庭人数"),
        ("户  数", "户数"),  # a typographic spacing habit (code index: 户  主 / 编  号)
        ("姓  名", "姓名"),
        ("停 保 原 因：", "停保原因"),  # spaced characters and a form colon
        ("户主姓名*", "户主姓名"),  # GOV import templates mark required columns with *
        ("人口*", "人口"),
        ("1.全年家庭纯收入", "全年家庭纯收入"),  # GOV income.xls outline numbers
        ("2.家庭人均纯收入", "家庭人均纯收入"),
        ("二、家庭收入", "家庭收入"),
        ("家庭年：\n(单位：元)", "家庭年"),  # CAM form: unit on a second line of the cell
        ("最近一年营业额(/元)", "最近一年营业额"),  # CAM grids: "(/元)"
        ("一卡通账号", "一卡通账号"),  # 一 is a word here, not an outline number
        ("12月收入", "12月收入"),
        ("household_size", "household_size"),
    ],
)
def test_normalize_header_forms(raw, expected):
    assert normalize_header(raw) == expected


@given(st.sampled_from(ALIAS_TEXTS), st.data())
def test_every_alias_matches_in_traditional_spaced_starred_and_with_units(text, data):
    field = lookup(normalize_header(text))
    assert field is not None
    spaced = data.draw(st.sampled_from(["", " ", "  ", "\u3000", "\n"]))
    written = spaced.join(traditional(text))
    if data.draw(st.booleans()):
        suffixes = ["（元）", "(元/月)", "（元/人月）", "(万元)", "*", "："]
        written += data.draw(st.sampled_from(suffixes))
    assert lookup(normalize_header(written)) == field


@given(st.text(alphabet=TRADITIONAL + SIMPLIFIED + "abc123（）() ", max_size=20))
def test_folding_is_idempotent_and_keeps_length(text):
    once = to_simplified(text)
    assert to_simplified(once) == once
    assert len(once) == len(text)
    assert normalize_header(normalize_header(text)) == normalize_header(text)


def test_the_table_covers_every_character_of_the_header_vocabulary():
    words = [t for row in TABLE for t in row.texts]
    words += [t for g in GROUPS for t in g.parents] + [t for c in CHILDREN for t in c.texts]
    for word in words:
        assert to_simplified(traditional(word)) == word


def test_the_table_agrees_with_opencc():
    opencc = pytest.importorskip("opencc")
    convert = opencc.OpenCC("t2s").convert
    wrong = {t: s for t, s in zip(TRADITIONAL, SIMPLIFIED, strict=True) if convert(t) != s}
    assert not wrong or set(wrong) <= set("裡裏戸")  # variants OpenCC leaves as they are


@pytest.mark.parametrize(
    ("text", "period", "scale", "per_person"),
    [
        ("元/人月", "month", 1, True),  # CAM / county forms
        ("元/月/人", "month", 1, True),
        ("元/人·月", "month", 1, True),  # 当地低保标准 ____ 元/人·月 (code index)
        ("/月", "month", 1, False),
        ("元/年", "year", 1, False),
        ("元/季度", "quarter", 1, False),
        ("万元", None, 10_000, False),  # CAM: 固定资产（万元）, 注册资金（万元）
        ("元", None, 1, False),
        ("月", "month", 1, False),  # a bare period applies to money columns only
        ("每人每月", "month", 1, True),  # VUE: 护理费(每人每月)
        ("单位：元/月", "month", 1, False),
        ("元/救助对象", None, 1, True),  # CAM: 发放标准（元/救助对象）
    ],
)
def test_parse_unit(text, period, scale, per_person):
    unit = parse_unit(text)
    assert unit is not None
    assert (unit.period, unit.scale, unit.per_person) == (period, scale, per_person)


@pytest.mark.parametrize("text", ["人", "户", "件", "公斤", "平方米", "m2", "个月", "市、区、旗"])
def test_counts_and_notes_are_no_money_unit(text):
    assert parse_unit(text) is None


@given(
    st.sampled_from(["元", "万元", "元/月", "元/年", "元/季度", "元/人月"]),
    st.sampled_from(["（{}）", "({})", "【{}】", "\n（{}）", "(单位：{})"]),
)
def test_units_in_brackets_and_notes(unit, form):
    found = units_in("保障金" + form.format(unit))
    assert found and found[0] == parse_unit(unit)


def test_sheet_unit_note_and_not_the_reporting_unit():
    assert sheet_unit(("填报单位：××乡人民政府", "单位：万元")).scale == 10_000
    assert sheet_unit(("填报单位：××乡人民政府",)) is None
    assert sheet_unit(("金额单位：元/月",)).period == "month"
