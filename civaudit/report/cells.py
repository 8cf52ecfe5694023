"""A value as a report cell takes it: JSON-ready values and rows, the text of a cell,
and text a spreadsheet would run as a formula defused. Every format builds on these
(``report.output``, ``report.stream`` and the workbooks)."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: Any) -> str:
    """A value as the text of a report cell: "" for None, NA, NaN and NaT (whose
    truth value pandas refuses, so ``value or ""`` cannot say it)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return str(value)


def records(frame: pd.DataFrame) -> list[dict]:
    """JSON-ready rows: NA -> null, dates -> ISO text, numpy scalars -> Python."""
    return [{k: json_value(v) for k, v in row.items()} for row in frame.to_dict("records")]


def json_value(value):
    """A value as JSON and a spreadsheet cell take it: None for NA, NaN and infinity,
    Python numbers and bools for numpy ones, ISO text for dates."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else (None if math.isinf(value) else float(value))
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, pd.Timestamp | datetime):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def defuse(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe."""
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if series.dtype == object or isinstance(series.dtype, pd.StringDtype):
            text = series.astype("string")
            risky = text.str.startswith(_FORMULA_START).fillna(False).astype(bool)
            if risky.any():
                out[col] = text.where(~risky, "'" + text)
    return out
