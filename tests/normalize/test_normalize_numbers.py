"""parse_count and parse_number."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from civaudit.normalize import parse_count, parse_number


def _count(text):
    parsed = parse_count(pd.Series([text], dtype="string"))
    return parsed.values.iloc[0], bool(parsed.bad.iloc[0])


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("3", 3),
        ("3.0", 3),
        ("3人", 3),
        ("3口", 3),
        ("3口人", 3),
        ("０", 0),
        ("１２", 12),
        ("三", 3),
        ("两", 2),
        ("一", 1),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("三人", 3),
    ],
)
def test_counts(raw, value):
    assert _count(raw) == (value, False)


@pytest.mark.parametrize("raw", ["2.5", "-1", "abc", "十十", "三十十", "3户", "1e3", "9" * 30])
def test_bad_counts(raw):
    value, bad = _count(raw)
    assert value is pd.NA and bad


def test_count_dtype_and_blank():
    parsed = parse_count(pd.Series(["3", None, " "], index=[2, 1, 0], dtype="string"))
    assert parsed.values.dtype == "Int64"
    assert parsed.values.isna().tolist() == [False, True, True]
    assert parsed.bad.tolist() == [False, False, False]
    assert list(parsed.values.index) == [2, 1, 0]


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("45", 45.0),
        ("45岁", 45.0),
        ("45周岁", 45.0),
        ("-3", -3.0),
        ("2.5亩", 2.5),
        ("1,234.5", 1234.5),
    ],
)
def test_numbers(raw, value):
    parsed = parse_number(pd.Series([raw], dtype="string"))
    assert parsed.values.iloc[0] == value
    assert not parsed.bad.iloc[0]


@pytest.mark.parametrize("raw", ["abc", "四十五", "nan", "inf", "45 years"])
def test_bad_numbers(raw):
    parsed = parse_number(pd.Series([raw], dtype="string"))
    assert math.isnan(parsed.values.iloc[0])
    assert parsed.bad.iloc[0]
