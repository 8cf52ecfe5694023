"""Step ``member-categories``: each member's age and the four categories add-ons and
single-person coverage are granted for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from civaudit.assess.codes import MEMBER_FLAGS
from civaudit.assess.columns import Columns, count_per_household

Flag = tuple[np.ndarray, np.ndarray]  # per member: (value, known)


@dataclass(frozen=True, eq=False)
class MemberCategories:
    flags: dict[str, Flag]  # "age" (years, NaN) and each of MEMBER_FLAGS
    counts: dict[str, np.ndarray]  # per household: members known to be in each category


def categorise_members(
    m: Columns, *, position: np.ndarray, n_households: int, as_of: date | None
) -> MemberCategories:
    """Step ``member-categories``: add-ons and single-person coverage depend on who a
    member is at ``as_of``.

    Age comes from the ID's birth date, else the birth-date column, else the
    recorded age; without a roster month (``as_of`` None) only the recorded age,
    which a roster states as of its own month. Severe disability is grade 1-2, or
    grade 3 for intellectual or mental disability. A category is unknown where the
    data to judge it is absent (no disability column, no birth date or age), so a
    verdict that needs it is withheld rather than guessed.
    """
    flags = member_flags(m, as_of)
    counts = {
        flag: count_per_household(position, flags[flag][0] & flags[flag][1], n_households)
        for flag in MEMBER_FLAGS
    }
    return MemberCategories(flags=flags, counts=counts)


def member_flags(m: Columns, as_of: date | None) -> dict[str, Flag]:
    """(value, known) per member for age and the four categories."""
    if as_of is None:  # no roster month: the age the roster records, if any
        age = m.number("age")
    else:
        birth = m.days("id_birth")
        other = m.days("birth_date")
        birth = np.where(np.isnat(birth), other, birth)
        has_birth = ~np.isnat(birth)
        years = birth.astype("datetime64[Y]")
        months = birth.astype("datetime64[M]")
        y = years.astype(np.int64) + 1970
        mo = (months - years.astype("datetime64[M]")).astype(np.int64) + 1
        d = (birth - months.astype("datetime64[D]")).astype(np.int64) + 1
        before = (mo > as_of.month) | ((mo == as_of.month) & (d > as_of.day))
        age = np.where(has_birth, as_of.year - y - before, np.nan).astype("float64")
        age = np.where(has_birth, age, m.number("age"))
    age_known = ~np.isnan(age)

    grade = m.number("disability_grade")
    kind = m.text("disability_type")
    mind = (
        kind.isin(["intellectual", "mental"]).to_numpy(dtype=bool)
        if kind is not None
        else np.zeros(m.n, dtype=bool)
    )
    severe = (grade == 1) | (grade == 2) | ((grade == 3) & mind)
    severe_known = np.full(m.n, "disability_grade" in m)
    if kind is None:
        severe_known &= grade != 3
    illness = m.text("illness")
    if illness is None:
        ill = np.zeros(m.n, dtype=bool)
        ill_known = np.zeros(m.n, dtype=bool)
    else:
        ill = (illness.str.strip().str.len() > 0).fillna(False).to_numpy(dtype=bool)
        ill_known = np.ones(m.n, dtype=bool)
    return {
        "age": (age, age_known),
        "elderly": (age_known & (age >= 60), age_known),
        "minor": (age_known & (age < 18), age_known),
        "severe-disability": (severe & severe_known, severe_known),
        "serious-illness": (ill, ill_known),
    }
