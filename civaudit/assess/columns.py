"""Reading roster columns as numpy, and linking member rows to their household.

Any input column may be absent or NA; ``Columns`` answers both alike (NaN, False,
"not known"), so a step never has to ask whether the loader found a column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from civaudit.assess.arrays import STRING


class Columns:
    """Numpy views of a frame's columns, with "absent" and "NA" answered alike."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.n = len(frame)

    def __contains__(self, name: str) -> bool:
        return name in self.frame.columns

    def number(self, name: str) -> np.ndarray:
        """Float64, NaN where absent, blank or not a number."""
        if name not in self:
            return np.full(self.n, np.nan)
        return pd.to_numeric(self.frame[name], errors="coerce").to_numpy(
            dtype="float64", na_value=np.nan
        )

    def integer(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(int64 value, known): 0 where not known."""
        values = self.number(name)
        ok = ~np.isnan(values)
        return np.where(ok, values, 0).astype(np.int64), ok

    def known(self, name: str) -> np.ndarray:
        if name not in self:
            return np.zeros(self.n, dtype=bool)
        return self.frame[name].notna().to_numpy()

    def flag(self, name: str) -> np.ndarray:
        """True where the cell is true; False where false, blank or absent."""
        if name not in self:
            return np.zeros(self.n, dtype=bool)
        return self.frame[name].astype("boolean").fillna(False).to_numpy(dtype=bool)

    def text(self, name: str) -> pd.Series | None:
        if name not in self:
            return None
        return self.frame[name].astype(STRING)

    def contains(self, name: str, word: str) -> np.ndarray:
        text = self.text(name)
        if text is None:
            return np.zeros(self.n, dtype=bool)
        return text.str.contains(word, regex=False).fillna(False).to_numpy(dtype=bool)

    def month(self, name: str) -> np.ndarray:
        """The column as numpy months (NaT where absent or blank)."""
        if name not in self:
            return np.full(self.n, np.datetime64("NaT"), dtype="datetime64[M]")
        values = pd.to_datetime(self.frame[name], errors="coerce")
        return values.to_numpy(dtype="datetime64[D]").astype("datetime64[M]")

    def days(self, name: str) -> np.ndarray:
        """The column as numpy days (NaT where absent or blank)."""
        if name not in self:
            return np.full(self.n, np.datetime64("NaT"), dtype="datetime64[D]")
        values = pd.to_datetime(self.frame[name], errors="coerce")
        return values.to_numpy(dtype="datetime64[D]")


def member_positions(h: Columns, m: Columns) -> np.ndarray:
    """For each member row, the position of its household (-1 when none)."""
    if "hh" not in m or "hh" not in h or not m.n or not h.n:
        return np.full(m.n, -1, dtype=np.int64)
    keys = pd.Index(h.frame["hh"].to_numpy())
    first = ~keys.duplicated()
    at = np.flatnonzero(first)
    found = keys[first].get_indexer(m.frame["hh"].to_numpy())
    return np.where(found >= 0, at[np.maximum(found, 0)], -1).astype(np.int64)


def count_per_household(pos: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    """Member rows matching ``mask``, per household (``pos``: member_positions)."""
    keep = (pos >= 0) & mask
    if not n:
        return np.zeros(0, np.int64)
    return np.bincount(pos[keep], minlength=n)[:n].astype(np.int64)


def first_per_household(pos: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    """Index of the first member row (table order) matching ``mask``, per household."""
    chosen = np.full(n, -1, dtype=np.int64)
    rows = np.flatnonzero(mask & (pos >= 0))
    if len(rows):
        households, first = np.unique(pos[rows], return_index=True)
        chosen[households] = rows[first]
    return chosen
