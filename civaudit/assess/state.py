"""Step ``state``: whether a household could be assessed, and if not, why."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from civaudit.assess.arrays import STRING


@dataclass(frozen=True, eq=False)
class State:
    text: pd.api.extensions.ExtensionArray  # 'ok' or 'cannot assess: ...'
    reasons: np.ndarray  # bits of STATE_REASONS, 0 when assessed


def describe_state(
    *,
    size_known: np.ndarray,
    size_below_one: np.ndarray,
    income_known: np.ndarray,
    region: pd.Series,
    standard_known: np.ndarray,
    phaseout_missing: np.ndarray,
    month_needed: np.ndarray | None = None,
) -> State:
    """Step ``state``: 'ok' or 'cannot assess: ...' naming every missing piece, and
    the same as stable reason codes (bits of ``STATE_REASONS``).

    A household that cannot be assessed gets NaN expectations, never a guess and
    never a crash; this text is what tells an inspector which cell to fill in, and
    the codes are what coverage counts (``civaudit.coverage``).
    """
    n = len(size_known)
    missing_region = region.isna().to_numpy()
    if month_needed is None:
        month_needed = np.zeros(n, dtype=bool)
    problems = [  # in STATE_REASONS bit order
        (~size_known & ~size_below_one, "missing household_size"),
        (size_below_one, "household_size below 1"),
        (~income_known, "missing income"),
        (missing_region, "missing region (no usable ID number)"),
        (~standard_known & ~missing_region & ~month_needed, None),  # no standard for X
        (month_needed & ~missing_region, "missing roster month (the standard depends on it)"),
        (phaseout_missing, "missing benefit_month (the amount a phase-out continues)"),
    ]
    any_problem = np.zeros(n, dtype=bool)
    bits = np.zeros(n, dtype=np.int64)
    for bit, (mask, _) in enumerate(problems):
        any_problem |= mask
        bits |= np.where(mask, 1 << bit, 0)
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
    return State(text=pd.array(state, dtype=STRING), reasons=bits)
