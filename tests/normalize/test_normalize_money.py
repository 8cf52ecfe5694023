"""parse_money on amounts as clerks type them."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from civaudit.normalize import parse_money


def _one(text):
    parsed = parse_money(pd.Series([text], dtype="string"))
    return parsed.values.iloc[0], bool(parsed.bad.iloc[0])


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1,234.5元", 1234.5),
        ("1234.5 元", 1234.5),
        ("￥1,234.50", 1234.5),
        ("¥12", 12.0),
        ("１，２３４．５", 1234.5),  # full-width digits and comma
        ("1.2万", 12000.0),
        ("1.2万元", 12000.0),
        ("300(元)", 300.0),
        ("300（元）", 300.0),
        ("300元/月", 300.0),
        ("300/月", 300.0),
        ("-12.5", -12.5),  # kept: the audit decides
        ("0.0000001", 1e-07),  # the reader's shortest decimal
        ("1.2E+05", 120000.0),  # a CSV saved from Excel
        ("12.", 12.0),
        ("1234.5", 1234.5),
    ],
)
def test_amounts(raw, value):
    assert _one(raw) == (value, False)


@pytest.mark.parametrize("raw", ["—", "——", "－", "-", "--", "/", "无"])
def test_dashes_mean_zero(raw):
    assert _one(raw) == (0.0, False)


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_blank_is_na_not_bad(raw):
    value, bad = _one(raw)
    assert math.isnan(value) and not bad


@pytest.mark.parametrize(
    "raw", ["四百", "abc", "12..5", "12,34", "nan", "inf", "true", "2019-10-01 00:00:00", "1e400"]
)
def test_unreadable_is_bad(raw):
    value, bad = _one(raw)
    assert math.isnan(value) and bad


def test_dtype_and_index():
    raw = pd.Series(["1", None, "x", "1"], index=["d", "c", "b", "a"], dtype="string")
    parsed = parse_money(raw)
    assert parsed.values.dtype == "float64"
    assert parsed.bad.dtype == bool
    assert list(parsed.values.index) == ["d", "c", "b", "a"]
    assert list(parsed.bad.index) == ["d", "c", "b", "a"]
    assert parsed.bad.tolist() == [False, False, True, False]


_FULL_WIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


@given(
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    st.sampled_from(
        ["{:,.2f}", "{:.2f}元", "{:,.2f}元", "¥{:,.2f}", "{:.2f} 元/月", "{:,.2f}（元）"]
    ),
    st.booleans(),
)
def test_formatted_float_round_trips(value, template, full_width):
    text = template.format(value)
    if full_width:
        text = text.translate(_FULL_WIDTH)
    parsed, bad = _one(text)
    assert not bad
    assert parsed == float(f"{value:.2f}")


@pytest.mark.parametrize(
    "cell", ["1e308", 1e300, "123456789012345", "-2e13", "9,999,999,999,999元"]
)
def test_an_amount_no_household_has_is_not_read(cell):
    """Past a trillion yuan a cell is unreadable (data.unparsed), not a number that
    would overflow the integer fen of the assessment and flag households wrongly."""
    parsed, bad = _one(cell)
    assert bad and parsed != parsed


def test_a_trillion_yuan_is_still_read():
    assert _one("1,000,000,000,000") == (1e12, False)
