"""Step ``addons``: the expected monthly add-ons (分类施保) of each household."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from civaudit.assess.categories import Flag
from civaudit.assess.columns import Columns, count_per_household
from civaudit.assess.money import fen, round_fen
from civaudit.policy.model import Policy

ADDON_UNIT = 1_200_000  # add-ons are summed in fen / 1,200,000 (see compute_addons)


@dataclass(frozen=True, eq=False)
class Addons:
    yuan: np.ndarray  # add-ons of the covered members, NaN where they cannot be judged
    expected: np.ndarray  # yuan where a regime pays, 0 where none does, NaN if not assessable


def compute_addons(
    m: Columns,
    *,
    position: np.ndarray,
    flags: dict[str, Flag],
    listed: np.ndarray,
    size: np.ndarray,
    covered: np.ndarray,
    members_marked: np.ndarray,
    single: np.ndarray,
    single_member: np.ndarray,
    standard_fen: np.ndarray,
    assessable: np.ndarray,
    paid: np.ndarray,
    policy: Policy,
) -> Addons:
    """Step ``addons``: add-ons are paid per covered member of a category, on top of
    the base benefit, to households that get one.

    Per covered member: the highest non-stacking add-on plus every stacking one.
    Amounts are summed exactly in fen / 1,200,000 (a percent of standard/12 with
    three decimals of percent is whole there), then rounded once per household.
    They are NaN when the covered members are not all known (not all listed, none
    marked) or a needed category cannot be judged (no disability column for a
    disability add-on, no birth date or age).
    """
    pos, n = position, len(single)
    if not policy.addons:
        yuan = np.zeros(n)
    elif not len(pos):
        yuan = np.full(n, np.nan)
    else:
        valid = pos >= 0
        p = np.maximum(pos, 0)
        # Which members are covered, and whether that is known.
        whole_known = ~single & (listed >= size) & (covered == size)
        member_covered = np.where(
            members_marked[p],
            m.flag("is_covered"),
            np.where(single[p], np.arange(len(pos)) == single_member[p], True),
        )
        known_set = members_marked | np.where(single, single_member >= 0, whole_known)
        best = np.zeros(len(pos), dtype=np.int64)
        stacked = np.zeros(len(pos), dtype=np.int64)
        unknown = np.zeros(len(pos), dtype=bool)
        member_std = standard_fen[p]
        for addon in policy.addons:
            value, known = flags[addon.category]
            if addon.percent_of_standard is not None:
                units = round(addon.percent_of_standard * 1000) * member_std
            else:
                units = np.full(len(pos), fen(np.array([addon.amount]))[0] * ADDON_UNIT)
            units = np.where(value, units, 0)
            unknown |= ~known
            if addon.stack:
                stacked += units
            else:
                best = np.maximum(best, units)
        take = valid & member_covered
        per_member = np.where(take, best + stacked, 0)
        total = np.bincount(pos[valid], weights=per_member[valid], minlength=n)[:n]
        total = np.round(total).astype(np.int64)  # exact: sums stay far below 2**53
        rounded = round_fen(total, np.full(n, ADDON_UNIT), policy.income.rounding)
        bad = count_per_household(pos, take & unknown, n) > 0
        yuan = np.where(known_set & ~bad, rounded / 100, np.nan)
    expected = np.where(assessable & paid, yuan, np.where(assessable, 0.0, np.nan))
    return Addons(yuan=yuan, expected=expected)
