"""Money cells in yuan, as village clerks type them.

``1,234.5元``, ``￥1,234.50``, ``1.2万``, ``(元)`` units, a trailing ``/月``; a dash,
slash or 无 stands for zero. Each distinct text is parsed once (amount columns
repeat a few hundred values across a whole county).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

import pandas as pd

from civaudit.normalize.base import BAD, Parsed, float_parsed, parse_distinct
from civaudit.normalize.text import DASHES

MAX_YUAN = 1e12
"""Larger amounts are not read (``data.unparsed``): a trillion yuan is no household's,
and 1e308 in a cell would overflow the integer fen the assessment counts in."""
ZERO_TOKENS = frozenset({"/", "无", "无收入", "没有", "零"})
"""Cells that mean "nothing" in an amount column (besides runs of dashes)."""

_UNIT_TAIL = re.compile(r"(?:\((?:元|人民币)(?:/月)?\)|\[元\]|【元】|元|/月)+$")
_CURRENCY = re.compile(r"^(?:¥|RMB|人民币)")
_NUMBER = re.compile(
    r"""
    (?P<sign>[-+−]?)
    (?P<num>
        (?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?   # 1,234.5  1234.  1234
      | \.\d+                                 # .5
    )
    (?:[Ee](?P<exp>[-+]?\d+))?                # 1.2E+05 from a CSV
    """,
    re.VERBOSE | re.ASCII,
)


def parse_money(raw: pd.Series) -> Parsed:
    """Amounts in yuan (float64); NA + ``bad`` where the text is not an amount.

    Negative amounts are kept: whether one is allowed is the audit's call.
    A blank cell is NA but not bad (nothing was recorded).
    """
    codes, results = parse_distinct(raw, _parse_amount, squeeze_spaces=True, quick=_plain_numbers)
    return float_parsed(results, codes, raw.index)


def _plain_numbers(cleaned: pd.Series) -> pd.Series:
    """Plain decimals ('1234.5', '-3') in one vectorised cast; NA for anything else."""
    plain = cleaned.str.fullmatch(r"-?\d{1,12}(\.\d+)?").fillna(False).astype(bool)
    return pd.to_numeric(cleaned.where(plain), errors="coerce").astype("Float64")


def _parse_amount(text: str) -> float:
    if text in ZERO_TOKENS or DASHES.fullmatch(text):
        return 0.0
    body = _UNIT_TAIL.sub("", text)
    scale = 1
    if body.endswith("万"):
        body, scale = body[:-1], 10_000
        body = _UNIT_TAIL.sub("", body)  # '1.2万元' has its unit after 万
    sign = ""
    if body[:1] in "-+−":
        sign, body = body[:1], body[1:]
    body = _CURRENCY.sub("", body)
    match = _NUMBER.fullmatch(sign + body)
    if not match:
        return BAD
    number = Decimal(match["num"].replace(",", ""))
    if match["exp"]:
        number = number.scaleb(int(match["exp"]))
    if match["sign"] in ("-", "−"):
        number = -number
    value = float(number * scale)
    return value if math.isfinite(value) and abs(value) <= MAX_YUAN else BAD
