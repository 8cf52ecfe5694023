"""The month a roster sheet is for, from its name, its title or its file's name.

Monthly payment workbooks (发放花名册) keep one sheet per month: ``1月``, ``2019年1月``,
``201901``, ``2019.01``, ``一月份``, ``10月发放表``. A sheet name without a year takes
the year of its title, else of its file or folder names (``2019年低保发放表.xlsx``).
Months are ``YYYY-MM`` text; ``????-MM`` when no year is written anywhere.
"""

from __future__ import annotations

import re
import unicodedata

_YEAR = r"(?P<y>(?:19|20)\d{2})"
_MONTH = r"(?P<m>1[0-2]|0?[1-9])"
_CN = "一二三四五六七八九十"
_WITH_YEAR = re.compile(rf"(?<!\d){_YEAR}\s*(?:年|[.\-/_])?\s*{_MONTH}(?!\d)\s*(?:月份?)?")
_MONTH_ONLY = re.compile(rf"(?<![\d年.\-/]){_MONTH}\s*月份?")
_CN_MONTH = re.compile(r"(?<![年\d])(?P<m>十[一二]|[一二三四五六七八九十])月份?")
_YEAR_ONLY = re.compile(rf"(?<!\d){_YEAR}(?!\d)")
_TITLE = re.compile(rf"{_YEAR}\s*年\s*{_MONTH}\s*月")
NO_YEAR = "????"


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def _cn_month(text: str) -> int:
    if text.startswith("十") and len(text) == 2:
        return 10 + _CN.index(text[1]) + 1
    return _CN.index(text) + 1


def month_in(text: str) -> tuple[str | None, int] | None:
    """(year or None, month) written in a sheet name; None when it names no month or
    names two different ones."""
    text = _fold(text)
    found: set[tuple[str | None, int]] = set()
    for match in _WITH_YEAR.finditer(text):
        found.add((match["y"], int(match["m"])))
    if not found:
        found |= {(None, int(m["m"])) for m in _MONTH_ONLY.finditer(text)}
        found |= {(None, _cn_month(m["m"])) for m in _CN_MONTH.finditer(text)}
    return found.pop() if len(found) == 1 else None


def sheet_month(name: str, title: tuple[str, ...], path: str) -> str | None:
    """The sheet's month, ``YYYY-MM``: from its name (the year, if missing, from the
    title or the file and folder names), else from its title; None when neither says."""
    named = month_in(name)
    titled = next((m for t in title if (m := _TITLE.search(_fold(t)))), None)
    if named is not None:
        year, month = named
        if year is None and titled is not None:
            year = titled["y"]
        if year is None:
            years = {m["y"] for m in _YEAR_ONLY.finditer(_fold(path))}
            year = years.pop() if len(years) == 1 else None
        return f"{year or NO_YEAR}-{month:02d}"
    if titled is not None:
        return f"{titled['y']}-{int(titled['m']):02d}"
    return None


def month_columns(headers: list[str]) -> list[int]:
    """The places in ``headers`` that each name one month (``1月``, ``2019年10月``,
    ``十二月份``): a year's payment ledger keeps a column per month. Empty unless two
    or more different months are named."""
    named = [(i, month_in(h)) for i, h in enumerate(headers)]
    named = [(i, m) for i, m in named if m is not None]
    return [i for i, _ in named] if len({m for _, m in named}) >= 2 else []
