"""clean_text, normalize_header and header_unit on the spellings rosters use."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from civaudit.normalize import clean_text, header_unit, normalize_header


def _clean(values, **kwargs) -> list:
    out = clean_text(pd.Series(values, dtype="string"), **kwargs)
    return [None if pd.isna(v) else v for v in out]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("１３０１０２", "130102"),  # full-width digits
        ("１３０１０２Ｘ", "130102X"),
        ("\u3000张三\u3000", "张三"),  # ideographic spaces
        ("\t130102\n", "130102"),
        ("\r\n 130102 \r\n", "130102"),
        ("\u200b130102\u200d", "130102"),  # zero-width space / joiner
        ("\u2060130102\ufeff", "130102"),  # word joiner, BOM
        ("'130102", "130102"),  # Excel's text marker
        ("' 130102", "130102"),
        ("＇130102", "130102"),  # full-width apostrophe folds to ASCII first
        ("张 三", "张 三"),  # inner spaces kept unless asked
        ("（元）", "(元)"),
    ],
)
def test_clean_text_forms(raw, expected):
    assert _clean([raw]) == [expected]


@pytest.mark.parametrize("raw", ["", " ", "\u3000", "\t\n", "\u200b", "'", None])
def test_clean_text_blank_is_na(raw):
    assert _clean([raw]) == [None]


def test_clean_text_squeeze_spaces():
    assert _clean(["张 三", "张\u3000三", "1301 0219\t9003", " 李  四 "], squeeze_spaces=True) == [
        "张三",
        "张三",
        "130102199003",
        "李四",
    ]


def test_clean_text_keeps_index_and_accepts_other_dtypes():
    raw = pd.Series(["a ", None, "ｂ"], index=[7, 3, 5], dtype=object)
    out = clean_text(raw)
    assert list(out.index) == [7, 3, 5]
    assert out.dtype == "string"
    assert out.tolist() == ["a", pd.NA, "b"]


def test_clean_text_empty_series():
    assert clean_text(pd.Series([], dtype="string")).empty


@given(st.lists(st.one_of(st.none(), st.text()), max_size=20))
def test_clean_text_is_idempotent(values):
    once = clean_text(pd.Series(values, dtype=object))
    assert clean_text(once).equals(once)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("家庭年总收入（元）", "家庭年总收入"),
        ("家庭年总收入 (元)", "家庭年总收入"),
        ("户月保障金额\n（元/月）", "户月保障金额"),
        ("家庭人口（人）", "家庭人口"),
        ("金额[元]", "金额"),
        ("【必填】身份证号", "身份证号"),
        ("低保（特困）证号", "低保证号"),
        ("是否建档立卡(扶贫对象)", "是否建档立卡"),
        ("身 份 证 号", "身份证号"),
        ("姓\u3000名", "姓名"),
        ("ID Number", "idnumber"),
        ("金额（元", "金额"),  # bracket never closed
        ("（备注）", "备注"),  # nothing but a bracket: keep its words
        ("合计（元）", "合计"),
    ],
)
def test_normalize_header(header, expected):
    assert normalize_header(header) == expected


@pytest.mark.parametrize(
    ("header", "unit"),
    [
        ("户月保障金额（元/月）", "元/月"),
        ("家庭年总收入（元）", "元"),
        ("家庭年总收入 ( 元 / 年 )", "元/年"),
        ("金额[元]", "元"),
        ("金额（元", "元"),
        ("姓名", ""),
    ],
)
def test_header_unit(header, unit):
    assert header_unit(header) == unit
