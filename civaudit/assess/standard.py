"""Step ``standard``: each household's region and the dibao standard in force there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from civaudit.assess.arrays import STRING
from civaudit.assess.columns import Columns
from civaudit.assess.money import fen
from civaudit.policy.model import Policy


@dataclass(frozen=True, eq=False)
class Standard:
    region: pd.Series  # 6-digit region code (string), NA where none
    yearly: np.ndarray  # yuan per person per year, NaN where no standard applies
    known: np.ndarray
    fen: np.ndarray  # yearly standard per person in fen, 0 where not known
    month_needed: np.ndarray  # no roster month, and the policy's standard depends on it


def find_standard(
    h: Columns, m: Columns, *, position: np.ndarray, policy: Policy, as_of: date | None
) -> Standard:
    """Step ``standard``: the standard depends on where a household lives and when.

    The region is the head's ID region, else the most common member region (the
    smallest on a tie), so a household whose head's ID is unusable can still be
    assessed. The policy picks the standard for the region at ``as_of``; a region it
    has no standard for is reported by the ``state`` step, never guessed.

    Without a roster month (``as_of`` None) the standard is used only where it does
    not depend on the month: the policy gives the region one amount whatever the
    date (periods before its first entry apart). Where it gives several, the
    household is not assessed (``month_needed``) rather than assessed at a guessed
    date.
    """
    region = household_region(h, m, position)
    if as_of is None:
        yearly, month_needed = undated_standard(policy, region)
    else:
        yearly = policy.standard_for(region, as_of).to_numpy()
        month_needed = np.zeros(len(yearly), dtype=bool)
    known = ~np.isnan(yearly)
    return Standard(
        region=region,
        yearly=yearly,
        known=known,
        fen=np.where(known, fen(np.nan_to_num(yearly)), 0),
        month_needed=month_needed,
    )


def undated_standard(policy: Policy, region: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(yearly standard, month needed) per region when the month is not known.

    The policy's standard for a region changes only at its entries' ``from`` dates,
    so it is looked up once at each of them (a loop over policy dates, not rows): a
    region with one amount across them has that amount; with several, none.
    """
    starts = sorted({date.min, *(s.from_ for s in policy.standards if s.from_ is not None)})
    values = np.vstack([policy.standard_for(region, day).to_numpy() for day in starts])
    known = ~np.isnan(values)
    low = np.where(known, values, np.inf).min(axis=0)
    high = np.where(known, values, -np.inf).max(axis=0)
    any_known = known.any(axis=0)
    one = any_known & (low == high)
    return np.where(one, low, np.nan), any_known & ~one


def household_region(h: Columns, m: Columns, position: np.ndarray) -> pd.Series:
    """The head's ID region, else the most common member region (smallest on a tie)."""
    n = h.n
    head = h.text("head_id_region")
    region = pd.Series(pd.array([pd.NA] * n, dtype=STRING)) if head is None else head
    region = region.reset_index(drop=True)
    missing = region.isna().to_numpy()
    if missing.any() and "id_region" in m and len(position):
        member_region = m.text("id_region").reset_index(drop=True)
        take = (position >= 0) & member_region.notna().to_numpy()
        take &= missing[np.maximum(position, 0)]
        if take.any():
            pairs = pd.DataFrame({"pos": position[take], "region": member_region[take].to_numpy()})
            counts = pairs.groupby(["pos", "region"], observed=True).size().reset_index()
            counts.columns = ["pos", "region", "n"]
            counts = counts.sort_values(["pos", "n", "region"], ascending=[True, False, True])
            best = counts.drop_duplicates("pos")
            values = region.to_numpy(dtype=object, na_value=None)
            values[best["pos"].to_numpy()] = best["region"].to_numpy(dtype=object)
            region = pd.Series(values, dtype=STRING)
    return region
