"""Shared result type and the two speed tricks every parser relies on.

Rosters reach 1.5 million rows but most columns hold a few hundred distinct
strings, so parsers clean and parse each distinct value once (``parse_distinct``)
and broadcast the answers back by factorize codes. High-cardinality columns
(ID numbers) go through pyarrow compute kernels instead (``normalize.arrow``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from civaudit.normalize.arrow import STRING
from civaudit.normalize.text import clean_text


@dataclass(frozen=True)
class Parsed:
    """A parsed column: values plus which cells the audit must report as unreadable.

    ``bad`` is kept apart from ``values`` because a blank cell (nothing to say)
    and an unreadable one (``data.unparsed``) both end up NA in ``values``.
    """

    values: pd.Series
    bad: pd.Series


class _Bad:
    """Sentinel a per-value parser returns when non-blank text cannot be read."""

    _instance: _Bad | None = None

    def __new__(cls) -> _Bad:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "BAD"


BAD: Any = _Bad()


def parse_distinct(
    raw: pd.Series,
    parse: Callable[[str], Any],
    *,
    squeeze_spaces: bool = False,
    quick: Callable[[pd.Series], pd.Series] | None = None,
) -> tuple[np.ndarray, list[Any]]:
    """Run ``parse`` once per distinct cleaned value.

    Returns the factorize codes of ``raw`` (-1 = NA) and one result per distinct
    raw value: ``None`` when the cell is blank after cleaning, ``BAD`` when it
    could not be read, else whatever ``parse`` returned. A parser that raises is
    treated as ``BAD`` so that no cell text can stop an audit.

    ``quick`` (optional) parses the cleaned distinct values in one vectorised
    call, returning NA where it cannot; ``parse`` then runs only on those.
    """
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    distinct = pd.Series(np.asarray(uniques, dtype=object), dtype=object)
    cleaned = clean_text(distinct.astype(STRING), squeeze_spaces=squeeze_spaces)
    results: list[Any] = []
    fast = (
        quick(cleaned).astype(object).where(lambda v: v.notna(), None).to_numpy()
        if quick is not None
        else [None] * len(cleaned)
    )
    for text, known in zip(cleaned.array.to_numpy(dtype=object, na_value=None), fast, strict=True):
        if text is None:
            results.append(None)
            continue
        if known is not None:
            results.append(known)
            continue
        try:
            results.append(parse(text))
        except (ValueError, ArithmeticError, OverflowError):
            results.append(BAD)
    return np.asarray(codes), results


def broadcast(per_distinct: np.ndarray, codes: np.ndarray, fill: Any) -> np.ndarray:
    """Expand one value per distinct raw value to one per row (``fill`` where NA)."""
    extended = np.append(per_distinct, np.asarray([fill], dtype=per_distinct.dtype))
    return extended[codes]  # code -1 picks the appended fill


def bad_mask(results: list[Any], codes: np.ndarray, index: pd.Index) -> pd.Series:
    """The ``bad`` column: True where the distinct value came back as ``BAD``."""
    per = np.fromiter((r is BAD for r in results), dtype=bool, count=len(results))
    return pd.Series(broadcast(per, codes, False), index=index)


def float_parsed(results: list[Any], codes: np.ndarray, index: pd.Index) -> Parsed:
    """``Parsed`` with float64 values (NaN for NA) from per-distinct results."""
    per = np.fromiter(
        (np.nan if r is None or r is BAD else r for r in results),
        dtype=np.float64,
        count=len(results),
    )
    values = pd.Series(broadcast(per, codes, np.nan), index=index)
    return Parsed(values, bad_mask(results, codes, index))


def int_parsed(results: list[Any], codes: np.ndarray, index: pd.Index) -> Parsed:
    """``Parsed`` with nullable Int64 values from per-distinct results."""
    missing = np.fromiter((r is None or r is BAD for r in results), bool, len(results))
    per = np.fromiter((0 if r is None or r is BAD else r for r in results), np.int64, len(results))
    values = pd.arrays.IntegerArray(broadcast(per, codes, 0), broadcast(missing, codes, True))
    return Parsed(pd.Series(values, index=index), bad_mask(results, codes, index))


def bool_parsed(results: list[Any], codes: np.ndarray, index: pd.Index) -> Parsed:
    """``Parsed`` with nullable boolean values from per-distinct results."""
    missing = np.fromiter((r is None or r is BAD for r in results), bool, len(results))
    per = np.fromiter((r is True for r in results), bool, len(results))
    values = pd.arrays.BooleanArray(broadcast(per, codes, False), broadcast(missing, codes, True))
    return Parsed(pd.Series(values, index=index), bad_mask(results, codes, index))


def category_codes(results: list[Any], codes: np.ndarray, categories: Sequence[str]) -> np.ndarray:
    """Per-row category codes (-1 = NA) from per-distinct results naming a category."""
    position = {c: i for i, c in enumerate(categories)}
    per = np.fromiter(
        (position.get(r, -1) if isinstance(r, str) else -1 for r in results),
        np.int16,
        len(results),
    )
    return broadcast(per, codes, -1)


def categorical(codes: np.ndarray, categories: Sequence[str], index: pd.Index) -> pd.Series:
    """A Categorical Series with fixed categories, so outputs compare across files."""
    cat = pd.Categorical.from_codes(codes, categories=list(categories))
    return pd.Series(cat, index=index)
