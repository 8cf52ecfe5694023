"""Steps of phase-out (渐退): the period, the amount continued, and whether it qualifies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from civaudit.assess.columns import Columns
from civaudit.assess.money import fen, unit
from civaudit.policy.model import Policy


@dataclass(frozen=True, eq=False)
class PhaseoutPeriod:
    marked: np.ndarray  # the household is in phase-out (category, status or a start)
    start: np.ndarray  # datetime64[s], NaT where not recorded
    end: np.ndarray  # datetime64[s]: first month no longer paid, or the policy's last day
    used: np.ndarray  # months of the period reached at as_of, -1 = unknown
    expired: np.ndarray  # 1 expired, 0 running, -1 = unknown
    length: np.ndarray  # months of the period, -1 = unknown


def find_phaseout_period(h: Columns, *, policy: Policy, as_of: date | None) -> PhaseoutPeriod:
    """Step ``phaseout-period``: a household whose income rose above the standard
    keeps its benefit for a while, so where ``as_of`` falls in that period decides
    whether it is still paid.

    A household is in phase-out when its category or status says 渐退 or a start is
    recorded. The end is ``start + months`` (the first month no longer paid; expired
    when as_of reaches it) or the policy's ``until`` (the last day paid; expired
    after it). Without a start the period is unknown (-1), not assumed; without a
    roster month (``as_of`` None) how much of it is used, and whether it is over,
    are unknown.
    """
    n = h.n
    p = policy.phaseout
    start = h.month("phaseout_start")
    has_start = ~np.isnat(start)
    marked = h.contains("category", "渐退") | h.contains("status", "渐退") | has_start
    dated = as_of is not None
    now = np.datetime64(as_of if dated else "1970-01", "M")  # not used when undated
    start_i = start.astype(np.int64)
    used = np.where(has_start, np.clip(now.astype(np.int64) - start_i + 1, 0, None), -1)
    if p.until is None:
        end = start + np.timedelta64(p.months, "M")
        expired = np.where(has_start, (now >= end).astype(np.int64), -1)
        length = np.where(has_start, p.months, -1)
        end_days = end.astype("datetime64[D]")
    else:
        until = np.datetime64(p.until, "D")
        end_days = np.full(n, until)
        over = int(np.datetime64(as_of, "D") > until) if dated else -1
        expired = np.full(n, over, dtype=np.int64)
        length = np.where(has_start, np.datetime64(p.until, "M").astype(np.int64) - start_i + 1, -1)
    if not dated:
        used = np.full(n, -1, dtype=np.int64)
        expired = np.full(n, -1, dtype=np.int64)
    return PhaseoutPeriod(
        marked=marked,
        start=start.astype("datetime64[D]").astype("datetime64[s]"),
        end=np.where(marked, end_days, np.datetime64("NaT")).astype("datetime64[s]"),
        used=np.where(marked, used, -1),
        expired=np.where(marked, expired, -1),
        length=np.where(marked, length, -1),
    )


@dataclass(frozen=True, eq=False)
class PhaseoutAmount:
    in_period: np.ndarray  # phase-out pays this month
    fen: np.ndarray  # the amount it continues, capped, monthly fen
    missing: np.ndarray  # it pays, but the roster has no amount to continue


def compute_phaseout_amount(
    *,
    period: PhaseoutPeriod,
    single: np.ndarray,
    assessable: np.ndarray,
    below: np.ndarray,
    net_fen: np.ndarray,
    household_standard: np.ndarray,
    covered: np.ndarray,
    standard_fen: np.ndarray,
    recorded_base: np.ndarray,
    policy: Policy,
) -> PhaseoutAmount:
    """Step ``phaseout-amount``: phase-out continues the amount the household had.

    It pays within the period to a household at or above the standard but below
    the phase-out ceiling (below the standard it gets ordinary dibao; single-person
    coverage wins over a phase-out mark). A single roster does not show the
    pre-phase-out amount, so the recorded one continues, capped at standard x
    covered; ``step_down`` lowers that cap: month k may pay at most
    ``(1 - step_down x (k - 1))`` of it. Without a recorded amount the household
    cannot be assessed (``missing``).
    """
    p = policy.phaseout
    in_period = (
        period.marked
        & ~single
        & (period.expired != 1)
        & assessable
        & ~below
        & (net_fen < p.ceiling_multiplier * household_standard)
    )
    recorded_fen = fen(np.nan_to_num(recorded_base))
    factor = np.ones(len(in_period))
    if p.step_down:
        used = np.where(period.used >= 1, period.used, 1)
        factor = np.clip(1 - p.step_down * (used - 1), 0, 1)
    step = unit(policy.income.rounding)
    cap = (np.floor(covered * standard_fen * factor / 12 / step + 1e-9) * step).astype(np.int64)
    return PhaseoutAmount(
        in_period=in_period,
        fen=np.clip(np.minimum(recorded_fen, cap), 0, None),
        missing=in_period & np.isnan(recorded_base),
    )


@dataclass(frozen=True, eq=False)
class PhaseoutQualification:
    reasons: np.ndarray  # bits of PHASEOUT_REASONS, 0 outside phase-out
    decided: np.ndarray  # qualifies or not is known


def check_phaseout(
    h: Columns,
    *,
    marked: np.ndarray,
    assessable: np.ndarray,
    below: np.ndarray,
    net_fen: np.ndarray,
    household_standard: np.ndarray,
    policy: Policy,
) -> PhaseoutQualification:
    """Step ``phaseout-qualification``: why a phase-out household should not be in
    phase-out, each reason a finding of its own.

    Not registered poor (when the policy requires it), income at or above the
    ceiling, or income below the standard (ordinary dibao instead). The verdict is
    unknown where income cannot be assessed or the registered-poor mark is blank.
    """
    p = policy.phaseout
    bits = np.zeros(h.n, np.int64)
    registered, registered_known = h.flag("registered_poor"), h.known("registered_poor")
    if p.registered_poor_only:
        bits |= np.where(registered_known & ~registered, 1, 0)
    bits |= np.where(assessable & (net_fen >= p.ceiling_multiplier * household_standard), 2, 0)
    bits |= np.where(below, 4, 0)
    unknown = ~assessable | (p.registered_poor_only & ~registered_known)
    bits = np.where(marked, bits, 0)
    return PhaseoutQualification(reasons=bits, decided=marked & ((bits != 0) | ~unknown))
