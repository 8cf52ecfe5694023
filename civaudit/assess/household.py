"""Steps about who is in a household: its keys, its listed members, its size, who is covered."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from civaudit.assess.columns import Columns, count_per_household, member_positions

KEYS = ("hh", "file", "sheet", "row", "household", "county", "town", "village")


def copy_keys(households: pd.DataFrame) -> dict[str, object]:
    """Step ``keys``: the roster's own keys, unchanged, so a row of the assess table
    can be traced to its file, sheet and row and joined back to the households."""
    return {key: households[key].array for key in KEYS if key in households}


# Step results here and in the sibling modules are frozen dataclasses: a later step
# reads an earlier one's fields and cannot rebind them. eq=False because equality
# of numpy arrays is not a bool.


@dataclass(frozen=True, eq=False)
class Members:
    position: np.ndarray  # per member row: position of its household, -1 = none
    listed: np.ndarray  # per household: member rows listed


def count_members(h: Columns, m: Columns) -> Members:
    """Step ``members``: link member rows to households by ``hh``.

    Every member-level step (region fallback, covered flags, categories, add-ons)
    needs to know which household a member row belongs to; a member without one
    is ignored rather than guessed.
    """
    pos = member_positions(h, m)
    n = h.n
    listed = np.bincount(pos[pos >= 0], minlength=n)[:n] if n else np.zeros(0, np.int64)
    return Members(position=pos, listed=listed)


@dataclass(frozen=True, eq=False)
class Size:
    size: np.ndarray  # persons, 0 where not known
    known: np.ndarray
    source: np.ndarray  # index into SIZE_SOURCES, -1 = none
    below_one: np.ndarray  # household_size recorded as 0 or less, nothing to fall back on
    divisor: np.ndarray  # size where known, else 1: divisions stay defined


def find_size(h: Columns) -> Size:
    """Step ``size``: the household size per-capita income divides by.

    It is the recorded ``household_size``, else the member rows the roster lists
    (``member_rows``), else the covered persons (``covered_count``): the system's
    低保边缘 and 刚性支出 exports and publicity lists carry 保障人口 and no 家庭人口,
    and the system's own importers take it as the size (NewCosmos
    ImportedArchiveService). An inspector sees which in ``size_source``. A size below
    1 is not a size; it is reported (``below_one``), not used.
    """
    size_rec, size_rec_ok = h.integer("household_size")
    rows_rec, rows_ok = h.integer("member_rows")
    cov_rec, cov_ok = h.integer("covered_count")
    recorded = size_rec_ok & (size_rec >= 1)
    listed = ~recorded & rows_ok & (rows_rec >= 1)
    covered = ~recorded & ~listed & ~size_rec_ok & cov_ok & (cov_rec >= 1)
    known = recorded | listed | covered
    size = np.where(recorded, size_rec, np.where(listed, rows_rec, np.where(covered, cov_rec, 0)))
    size = np.where(known, size, 0).astype(np.int64)
    return Size(
        size=size,
        known=known,
        source=np.where(recorded, 0, np.where(listed, 1, np.where(covered, 2, -1))),
        below_one=size_rec_ok & (size_rec < 1) & ~known,
        divisor=np.where(size > 0, size, 1),
    )


@dataclass(frozen=True, eq=False)
class Coverage:
    covered: np.ndarray  # persons the benefit is paid for, 0..size
    known: np.ndarray  # ``covered`` is known (size, covered_count or single coverage)
    source: np.ndarray  # index into COVERED_SOURCES
    single: np.ndarray  # single-person coverage (单人保)
    members_marked: np.ndarray  # some listed member has an is_covered value


def find_coverage(h: Columns, m: Columns, *, position: np.ndarray, size: Size) -> Coverage:
    """Step ``coverage``: how many persons are covered, and whether it is single-person.

    The benefit is paid for covered persons, which may be fewer than the size.
    Single-person coverage is read from the mode, category or status text, or from
    one covered person in a larger household. Covered is 1 for it, else
    ``covered_count``, else the members marked covered, else the size, clipped to
    the size (``covered_source`` says which).
    """
    n = h.n
    known_rows = m.known("is_covered")
    true_rows = m.flag("is_covered") & known_rows
    marked = count_per_household(position, known_rows, n) > 0
    marked_true = count_per_household(position, true_rows, n)
    recorded, recorded_ok = h.integer("covered_count")
    single = (
        h.contains("coverage_mode", "单人")
        | h.contains("category", "单人")
        | h.contains("status", "单人")
        | (recorded_ok & (recorded == 1) & (size.size > 1))
        | (marked & (marked_true == 1) & (size.size > 1))
    )
    covered = np.where(
        single,
        1,
        np.where(recorded_ok, recorded, np.where(marked, marked_true, size.size)),
    )
    covered = np.clip(covered, 0, np.maximum(size.size, 0)).astype(np.int64)
    return Coverage(
        covered=covered,
        known=size.known | recorded_ok | single,
        source=np.where(single, 3, np.where(recorded_ok, 0, np.where(marked, 1, 2))),
        single=single,
        members_marked=marked,
    )
