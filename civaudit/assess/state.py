"""Step ``state``: whether a household could be assessed, and if not, why."""

from __future__ import annotations

import numpy as np
import pandas as pd

from civaudit.assess.arrays import STRING


def describe_state(
    *,
    size_known: np.ndarray,
    size_below_one: np.ndarray,
    income_known: np.ndarray,
    region: pd.Series,
    standard_known: np.ndarray,
    phaseout_missing: np.ndarray,
) -> pd.api.extensions.ExtensionArray:
    """Step ``state``: 'ok' or 'cannot assess: ...' naming every missing piece.

    A household that cannot be assessed gets NaN expectations, never a guess and
    never a crash; this text is what tells an inspector which cell to fill in.
    """
    n = len(size_known)
    missing_region = region.isna().to_numpy()
    problems = [
        (~size_known & ~size_below_one, "missing household_size"),
        (size_below_one, "household_size below 1"),
        (~income_known, "missing income"),
        (missing_region, "missing region (no usable ID number)"),
        (~standard_known & ~missing_region, None),  # no standard for region X
        (phaseout_missing, "missing benefit_month (the amount a phase-out continues)"),
    ]
    any_problem = np.zeros(n, dtype=bool)
    for mask, _ in problems:
        any_problem |= mask
    state = np.full(n, "ok", dtype=object)
    rows = np.flatnonzero(any_problem)
    if len(rows):
        parts = np.full(len(rows), "", dtype=object)
        region_text = region.to_numpy(dtype=object, na_value="")
        for mask, text in problems:
            hit = mask[rows]
            if text is None:
                text = "no standard for region " + region_text[rows].astype(str)
            else:
                text = np.full(len(rows), text, dtype=object)
            joined = np.where(parts == "", text, parts + "; " + text)
            parts = np.where(hit, joined, parts)
        state[rows] = "cannot assess: " + parts
    return pd.array(state, dtype=STRING)
