"""Numpy results to the pandas arrays of the assess table.

Steps work in plain numpy (values plus a validity mask, integer codes); these
helpers are the one place that turns them into nullable or categorical arrays,
so "unknown" is NA in the table rather than a sentinel.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

STRING = pd.StringDtype("pyarrow")


def categorical(codes: np.ndarray, categories: tuple[str, ...]) -> pd.Categorical:
    """Codes into ``categories`` (-1 = NA)."""
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int64), categories=categories)


def int_array(values: np.ndarray, valid: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(np.asarray(values, dtype=np.int64), ~np.asarray(valid, bool))


def bool_array(values: np.ndarray, valid: np.ndarray) -> pd.arrays.BooleanArray:
    return pd.arrays.BooleanArray(np.asarray(values, bool), ~np.asarray(valid, bool))


def reasons(bits: np.ndarray, names: tuple[str, ...]) -> pd.Categorical:
    """Reason bits (bit i = ``names[i]``), comma-joined, NA where there is none."""
    labels = [
        ",".join(name for i, name in enumerate(names) if value >> i & 1)
        for value in range(1 << len(names))
    ]
    codes = np.where(bits == 0, -1, bits - 1)
    return pd.Categorical.from_codes(codes, categories=labels[1:])
