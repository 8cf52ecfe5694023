"""Counts (household size, covered persons) and plain numbers (age, area).

Counts arrive as ``3``, ``3.0`` (a number cell via CSV), ``3人``, ``3口`` or in
Chinese numerals (``三``, ``两``). A fractional or negative count is a typing
error the audit must see, so it is ``bad`` rather than rounded.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from civaudit.normalize.base import BAD, Parsed, float_parsed, int_parsed, parse_distinct

_CHINESE_DIGITS = dict(
    zip("零〇一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True)
)
_COUNT = re.compile(r"(?P<n>\d+)(?:\.0*)?(?:口人|人|口|个|名|位)?", re.ASCII)
_CHINESE_COUNT = re.compile(r"(?P<n>[零〇一二两三四五六七八九十]{1,3})(?:口人|人|口|个|名|位)?")
_NUMBER = re.compile(
    r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?(?:[Ee][-+]?\d+)?|[-+]?\.\d+(?:[Ee][-+]?\d+)?",
    re.ASCII,
)
MAX_COUNT = 10**9
"""No headcount comes near this; a larger one is another number in the wrong column."""
NUMBER_UNITS = (
    "周岁",
    "岁",
    "平方米",
    "平米",
    "m2",
    "亩",
    "人",
    "口",
    "个",
    "名",
    "套",
    "辆",
    "间",
)
"""Unit words allowed after a plain number (``45岁``, ``2.5亩``; ㎡ is m2 after NFKC)."""


def parse_count(raw: pd.Series) -> Parsed:
    """Whole non-negative counts (Int64); anything else is NA + ``bad``."""
    codes, results = parse_distinct(raw, _parse_count, squeeze_spaces=True)
    return int_parsed(results, codes, raw.index)


def parse_number(raw: pd.Series) -> Parsed:
    """Plain decimal numbers (float64), with an optional unit word (``45岁``)."""
    codes, results = parse_distinct(raw, _parse_number, squeeze_spaces=True)
    return float_parsed(results, codes, raw.index)


def chinese_numeral(text: str) -> int | None:
    """Value of a Chinese numeral from 零 to 九十九 (``十二``, ``两``), else None."""
    if not text:
        return None
    if "十" not in text:
        return _CHINESE_DIGITS[text] if len(text) == 1 and text in _CHINESE_DIGITS else None
    tens, _, units = text.partition("十")
    if "十" in units or (tens and tens not in _CHINESE_DIGITS) or tens in ("零", "〇", "两"):
        return None
    if units and (len(units) != 1 or units not in _CHINESE_DIGITS or units in ("零", "〇")):
        return None
    return (_CHINESE_DIGITS[tens] if tens else 1) * 10 + (_CHINESE_DIGITS[units] if units else 0)


def _parse_count(text: str) -> int:
    match = _COUNT.fullmatch(text)
    if match:
        value = int(match["n"])
        return value if value < MAX_COUNT else BAD
    match = _CHINESE_COUNT.fullmatch(text)
    value = chinese_numeral(match["n"]) if match else None
    return BAD if value is None else value


def _parse_number(text: str) -> float:
    for unit in NUMBER_UNITS:
        if text.endswith(unit):
            text = text[: -len(unit)]
            break
    if not _NUMBER.fullmatch(text):
        return BAD
    value = float(text.replace(",", ""))
    return value if math.isfinite(value) else BAD
