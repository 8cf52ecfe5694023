"""Yes/no cells (是否建档立卡, 是否保障对象, 是否脱贫) in every way clerks mark them."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from civaudit.normalize.base import BAD, Parsed, bool_parsed, parse_distinct
from civaudit.normalize.text import clean_text

TRUE_TOKENS = frozenset(
    {"是", "√", "✓", "✔", "☑", "y", "yes", "1", "1.0", "true", "有", "对", "是的"}
)
FALSE_TOKENS = frozenset(
    {"否", "×", "✗", "✘", "☒", "n", "no", "0", "0.0", "false", "无", "错", "不是", "非"}
)
"""Matched case-insensitively after ``clean_text`` (so full-width Ｙ is y)."""


def parse_bool(raw: pd.Series, *, true: Iterable[str] = (), false: Iterable[str] = ()) -> Parsed:
    """Yes/no as pandas ``boolean``; NA + ``bad`` for anything else.

    ``true`` / ``false`` add a roster's own tokens (``false=('未脱贫',)``); they
    win over the built-in ones, and one token may not be given both ways. A dash
    is not taken as "no": it is reported, because in a yes/no column it may mean
    "not asked" as well.
    """
    extra_true = {_fold(t) for t in true}
    extra_false = {_fold(t) for t in false}
    if both := extra_true & extra_false:
        raise ValueError(f"tokens given as both true and false: {sorted(both)}")
    yes = (TRUE_TOKENS - extra_false) | extra_true
    no = (FALSE_TOKENS - extra_true) | extra_false

    def parse(text: str) -> bool:
        key = text.casefold()
        if key in yes:
            return True
        if key in no:
            return False
        return BAD

    codes, results = parse_distinct(raw, parse, squeeze_spaces=True)
    return bool_parsed(results, codes, raw.index)


def _fold(token: str) -> str:
    """A user token cleaned the same way as cell text, so the two can match."""
    cleaned = clean_text(pd.Series([token], dtype="string"), squeeze_spaces=True).iloc[0]
    return "" if pd.isna(cleaned) else str(cleaned).casefold()
