"""Shared result type and the two speed tricks every parser relies on.

Rosters reach 1.5 million rows but most columns hold a few hundred distinct
strings, so parsers clean and parse each distinct value once (``parse_distinct``)
and broadcast the answers back by factorize codes. High-cardinality columns
(ID numbers) go through pyarrow compute kernels instead (``to_arrow``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

STRING = pd.StringDtype("pyarrow")
"""The dtype of every text output: pyarrow-backed, ``pd.NA`` for missing."""


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


def to_arrow(raw: pd.Series) -> pa.Array:
    """The column as one contiguous pyarrow string array (nulls for NA)."""
    if not (isinstance(raw.dtype, pd.StringDtype) and raw.dtype.storage == "pyarrow"):
        raw = raw.astype(STRING)
    arr = pa.array(raw.array)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr


def string_series(arr: pa.Array | pa.ChunkedArray, index: pd.Index) -> pd.Series:
    """Wrap a pyarrow string array as a ``string`` Series without a Python round trip."""
    if arr.type not in (pa.string(), pa.large_string()):
        arr = arr.cast(pa.large_string())
    return pd.Series(pd.arrays.ArrowStringArray(arr), index=index, copy=False)


def strings_from_codes(codes: np.ndarray, labels: Sequence[str], index: pd.Index) -> pd.Series:
    """A ``string`` Series from small-integer codes (-1 = NA), built in pyarrow."""
    codes = np.asarray(codes)
    indices = pa.array(codes.astype(np.int32), mask=codes < 0)
    dictionary = pa.array(list(labels), type=pa.large_string())
    return string_series(
        pa.DictionaryArray.from_arrays(indices, dictionary).cast(pa.large_string()), index
    )


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
    from civaudit.normalize.text import clean_text  # text imports base

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


# --- pyarrow helpers for the all-distinct columns (ID numbers) ---------------


def arrow_mask(result: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A pyarrow boolean result as numpy, null counted as False."""
    return pc.fill_null(result, False).to_numpy(zero_copy_only=False)


def digits_of_length(arr: pa.Array, shortest: int, longest: int | None) -> np.ndarray:
    """Strings of ASCII digits only, of a length in ``[shortest, longest]``.

    Cheaper than a regex: on a million IDs each regex pass costs ~50 ms.
    """
    length = pc.binary_length(arr)
    ok = pc.and_(pc.ascii_is_decimal(arr), pc.greater_equal(length, shortest))
    if longest is not None:
        ok = pc.and_(ok, pc.less_equal(length, longest))
    return arrow_mask(ok)


def digit_matrix(arr: pa.Array, width: int) -> tuple[np.ndarray, np.ndarray]:
    """An (n, width) uint8 matrix of the ASCII bytes of each string.

    Rows whose byte length is not ``width`` (or null) are filled with ``'0'`` and
    reported False in the second result, so the arithmetic never needs a branch.
    Casting to fixed-size binary gives one contiguous buffer, viewed without a copy.
    """
    fits = pc.fill_null(pc.equal(pc.binary_length(arr), width), False)
    filled = pc.if_else(fits, arr, pa.scalar("0" * width, type=arr.type))
    fixed = pc.cast(filled.cast(pa.large_binary()), pa.binary(width))
    n = len(fixed)
    buffer = fixed.buffers()[1]
    if n == 0 or buffer is None:
        return np.zeros((0, width), dtype=np.uint8), np.zeros(0, dtype=bool)
    flat = np.frombuffer(buffer, dtype=np.uint8, count=n * width, offset=fixed.offset * width)
    return flat.reshape(n, width), fits.to_numpy(zero_copy_only=False)
