"""Vectorised construction of resident ID numbers (GB 11643) and card numbers.

The generator builds IDs from integers so a million of them cost a few numpy
operations: the first 17 digits fit an int64, the check character is a weighted
digit sum. This is the generator's own copy, kept apart from the audit's
checker on purpose: the test data must not share a bug with the code it tests.
"""

from __future__ import annotations

import numpy as np

WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
CHECK_CHARS = np.array(list("10X98765432"))
_POW10 = 10 ** np.arange(16, -1, -1, dtype=np.int64)
EXCEL_EPOCH = np.datetime64("1899-12-30", "D")


def digits17(body: np.ndarray) -> np.ndarray:
    """The 17 decimal digits of each int64 in ``body`` (shape n x 17)."""
    return (body[:, None] // _POW10[None, :]) % 10


def check_chars(body: np.ndarray) -> np.ndarray:
    """GB 11643 check character for each 17-digit body (int64 array)."""
    body = np.asarray(body, dtype=np.int64)
    return CHECK_CHARS[(digits17(body) @ WEIGHTS) % 11]


def check_char(body17: str) -> str:
    """Check character of one 17-character digit string."""
    return "10X98765432"[
        sum(int(d) * w for d, w in zip(body17, WEIGHTS.tolist(), strict=True)) % 11
    ]


def ymd(dates: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month, day arrays of a datetime64[D] array."""
    d = np.asarray(dates, dtype="datetime64[D]")
    months = d.astype("datetime64[M]")
    year = months.astype(np.int64) // 12 + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (d - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day


def id_bodies(region: np.ndarray | int, birth: np.ndarray, seq: np.ndarray) -> np.ndarray:
    """First 17 digits as int64: region (6) + birth date (8) + sequence (3)."""
    y, m, d = ymd(birth)
    return (
        np.asarray(region, dtype=np.int64) * 10**11
        + (y * 10000 + m * 100 + d) * 1000
        + np.asarray(seq, dtype=np.int64)
    )


def id_strings(body: np.ndarray) -> np.ndarray:
    """18-character ID strings (object array) from 17-digit bodies."""
    body = np.asarray(body, dtype=np.int64)
    text = np.char.add(np.char.zfill(body.astype("U17"), 17), check_chars(body))
    return text.astype(object)


def luhn_digit(body: np.ndarray, length: int) -> np.ndarray:
    """Luhn check digit for each ``length``-digit int64 body."""
    body = np.asarray(body, dtype=np.int64)
    pows = 10 ** np.arange(length - 1, -1, -1, dtype=np.int64)
    digs = (body[:, None] // pows[None, :]) % 10
    # double every second digit from the right of the body (the rightmost first)
    double = (np.arange(length)[::-1] % 2) == 0
    vals = np.where(double[None, :], digs * 2, digs)
    vals = np.where(vals > 9, vals - 9, vals)
    return (10 - vals.sum(axis=1) % 10) % 10


def excel_serial(dates: np.ndarray) -> np.ndarray:
    """Excel (1900 system) serial day numbers of datetime64[D] dates."""
    return (np.asarray(dates, dtype="datetime64[D]") - EXCEL_EPOCH).astype(np.int64)


def month_start(month_index: np.ndarray) -> np.ndarray:
    """datetime64[D] of the first day of each month count (year*12 + month-1)."""
    m = np.asarray(month_index, dtype=np.int64) - 1970 * 12
    return m.astype("datetime64[M]").astype("datetime64[D]")
