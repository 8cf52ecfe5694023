"""Exact money: integer fen, and fractions of fen rounded once by the policy's mode.

Every amount is held as integer fen and every benefit as ``numerator /
denominator`` fen, rounded once at the end. So ``632 x 3 - 631.333... x 3`` is 2
yuan, not the 3 that float drift plus ``ceil`` would give.
"""

from __future__ import annotations

import numpy as np


def fen(yuan: np.ndarray) -> np.ndarray:
    """Yuan to integer fen, half up (amounts are read from decimal text)."""
    return np.floor(np.asarray(yuan, dtype="float64") * 100 + 0.5 + 1e-9).astype(np.int64)


def round_fen(num: np.ndarray, den: np.ndarray, mode: str) -> np.ndarray:
    """``num / den`` fen (num >= 0, den > 0) rounded once by the policy's mode, in fen."""
    num = np.asarray(num, dtype=np.int64)
    den = np.asarray(den, dtype=np.int64)
    if mode == "ceil-yuan":
        q = den * 100
        return -(-num // q) * 100
    if mode == "half-up-yuan":
        q = den * 100
        return (2 * num + q) // (2 * q) * 100
    return (2 * num + den) // (2 * den)  # half-up-fen


def unit(mode: str) -> int:
    """The smallest amount the mode pays, in fen: 1 fen or 1 yuan."""
    return 1 if mode == "half-up-fen" else 100


def floor_unit(num: np.ndarray, den: np.ndarray, mode: str) -> np.ndarray:
    """``num / den`` fen rounded down to the mode's unit: the largest payable amount.

    Rounding up can pass a fractional cap (5,000/12 = 416.67 -> 417), so caps are
    taken in whole units after rounding: 416.
    """
    step = unit(mode)
    return np.asarray(num, dtype=np.int64) // (np.asarray(den, dtype=np.int64) * step) * step
