"""Text cleaning shared by every parser, and header normalisation for column mapping.

Village rosters are typed by hand in Excel or WPS: full-width digits, ideographic
spaces, tabs and line breaks inside cells, zero-width characters pasted from web
pages, and Excel's leading apostrophe that forces a number to stay text. Every
parser starts from the same cleaned text so that two cells meaning the same
thing compare equal.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from civaudit.normalize.arrow import string_series, to_arrow
from civaudit.normalize.hanzi import to_simplified

# RE2 syntax (pyarrow). Zero-width characters are not whitespace, so NFKC and
# trimming keep them; they must be removed explicitly.
_ZERO_WIDTH = r"[\x{200B}-\x{200D}\x{2060}\x{FEFF}]"
# RE2's \s is ASCII only; add vertical tab, the C0 separators, NEL and every
# Unicode separator (Zs/Zl/Zp: U+3000, no-break space, line separator ...).
_SPACE_RUN = r"[\s\x0B\x1C-\x1F\x85\p{Z}]+"


def clean_text(raw: pd.Series, *, squeeze_spaces: bool = False) -> pd.Series:
    """Cleaned cell text, so equal meanings compare equal; ``''`` becomes NA.

    NFKC folds full-width forms (``１３０``, ``Ｘ``, ``（元）``) to ASCII; outer
    whitespace (including U+3000, tabs, line breaks) and zero-width characters
    go, and so does Excel's leading apostrophe. ``squeeze_spaces`` removes inner
    whitespace too, for names (``'张 三'`` -> ``'张三'``) and ID numbers.
    Vectorised in pyarrow because names and IDs are nearly all distinct; a long
    column of few values (village, category, bank) is cleaned once per value.
    """
    arr = to_arrow(raw)
    if len(arr) >= DICTIONARY_MIN_ROWS and _repetitive(arr):
        encoded = pc.dictionary_encode(arr)
        values = _clean(encoded.dictionary, squeeze_spaces)
        cleaned = arr if values.equals(encoded.dictionary) else values.take(encoded.indices)
    else:
        cleaned = _clean(arr, squeeze_spaces)
        cleaned = arr if cleaned.equals(arr) else cleaned
    # text that needed no cleaning is the cells' own (no copy: a roster's text columns
    # held twice were a quarter of a million-member load's peak memory)
    return string_series(cleaned, raw.index)


DICTIONARY_MIN_ROWS = 20_000
_SAMPLE = 5_000


def _repetitive(arr: pa.Array) -> bool:
    """Whether the column's first values repeat (fewer than half are distinct)."""
    sample = arr.slice(0, _SAMPLE)
    return pc.count_distinct(sample).as_py() < len(sample) // 2


def _clean(arr: pa.Array, squeeze_spaces: bool) -> pa.Array:
    if not pc.all(pc.string_is_ascii(arr), skip_nulls=True).as_py():
        arr = pc.utf8_normalize(arr, form="NFKC")
        arr = pc.replace_substring_regex(arr, _ZERO_WIDTH, "")
    arr = pc.utf8_trim_whitespace(arr)
    if pc.any(pc.starts_with(arr, "'")).as_py():
        arr = pc.utf8_ltrim_whitespace(pc.replace_substring_regex(arr, r"^'", ""))
    if squeeze_spaces:
        arr = pc.replace_substring_regex(arr, _SPACE_RUN, "")
    return pc.if_else(pc.equal(pc.binary_length(arr), 0), None, arr)


DASHES = re.compile(r"[-‐‑‒–—―−]+")
"""A run of hyphens, dashes or minus signs (``-``, ``--``, ``—``, ``——``; ``－`` after NFKC):
what clerks put in a cell that has nothing to say."""

# Brackets after NFKC: ASCII () and [] plus the CJK lenticular and tortoise-shell
# pairs, which have no compatibility mapping.
_OPEN = "([【〔〖{<《"
_CLOSE = ")]】〕〗}>》"
_BRACKETED = re.compile(
    f"[{re.escape(_OPEN)}]([^{re.escape(_OPEN + _CLOSE)}]*)[{re.escape(_CLOSE)}]"
)
_UNCLOSED_TAIL = re.compile(f"[{re.escape(_OPEN)}][^{re.escape(_OPEN + _CLOSE)}]*$")
_WHITESPACE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]+")


def _fold(text: str) -> str:
    return to_simplified(_WHITESPACE.sub("", unicodedata.normalize("NFKC", text)))


# Marks around a header's words that are not part of its name: a template's "required"
# star (户主姓名*), the colon of a form label (家庭年：), an outline number (1.全年家庭纯收入,
# 二、家庭收入).
_MARKS = re.compile(r"^(?:\d{1,2}|[一二三四五六七八九十]{1,3})[.、](?=\D)|\*+|[:]+$")


@functools.lru_cache(maxsize=65536)
def normalize_header(text: str) -> str:
    """A column header reduced to what identifies the field.

    Exports and village sheets spell one field many ways: ``家庭年总收入（元）``,
    ``家庭年总收入 (元)``, ``家庭年\\n总收入``, ``低保（特困）证号``, ``戶主姓名``,
    ``户  数``, ``户主姓名*``, ``1.全年家庭纯收入``. Folding width and traditional
    characters, dropping all whitespace, every bracketed unit or note, required-column
    stars, a trailing colon and an outline number, and lower-casing ASCII lets one
    alias table match them all. A header that is nothing but a bracket keeps its
    contents (``（备注）`` -> ``备注``).
    """
    folded = _fold(text)
    stripped = folded
    while True:  # innermost brackets first, so nested notes go too
        reduced = _BRACKETED.sub("", stripped)
        if reduced == stripped:
            break
        stripped = reduced
    while _UNCLOSED_TAIL.search(stripped):  # '金额（元' lost its closing bracket
        stripped = _UNCLOSED_TAIL.sub("", stripped)
    stripped = _MARKS.sub("", stripped)
    if not stripped:
        stripped = re.sub(f"[{re.escape(_OPEN + _CLOSE)}]", "", folded)
    return _ascii_lower(stripped)


def header_unit(text: str) -> str:
    """The contents of the header's last bracket (``'元/月'``), or ``''``.

    Callers need it to tell a monthly amount column from a yearly one, or
    ``月刚性支出`` (x12) from ``年刚性支出``.
    """
    folded = _fold(text)
    found = _BRACKETED.findall(folded)
    tail = _UNCLOSED_TAIL.search(folded)  # '金额（元' lost its closing bracket
    if tail:
        found.append(tail.group()[1:])
    return _ascii_lower(found[-1]) if found else ""


def _ascii_lower(text: str) -> str:
    return "".join(c.lower() if c.isascii() else c for c in text)
