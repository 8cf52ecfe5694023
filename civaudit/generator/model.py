"""The county model: households and members as numpy arrays, built vectorised.

Everything is drawn from one ``np.random.default_rng(seed)`` in a fixed order,
so a spec always gives the same people. Clean households obey domain.md
sections 3-5 exactly: ordinary ones have per-capita income below the standard
and the ceil-yuan benefit of the formula; phase-out households (渐退) are
registered poor, above the standard, within their period and keep their previous
amount; single-person households (单人保) have a severely disabled or seriously
ill covered member, covered = 1 and the full monthly standard.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from civaudit.generator import data
from civaudit.generator.ids import id_bodies, id_strings, luhn_digit, month_start, ymd
from civaudit.generator.spec import RosterSpec

# relation codes
HEAD, SPOUSE, CHILD, CHILD_IN_LAW, GRANDCHILD, PARENT, SIBLING, OTHER = range(8)
MODE_HOUSEHOLD, MODE_SINGLE = 0, 1
STATUS_NORMAL, STATUS_PHASEOUT = 0, 1
FIRST_START_MONTH = 2008 * 12  # 2008-01: earliest 最初享受月
SINGLE_FROM_MONTH = 2018 * 12 + 6  # 2018-07: single-person coverage begins


@dataclass
class Model:
    """Households and members of one county, plus what planting changed.

    ``hh`` and ``mem`` hold numpy arrays (one entry per household / member);
    `households` and `members` give them as DataFrames with the canonical
    snake_case columns of civaudit's roster (``head_id``, ``household_size``,
    ``benefit_month``, ``id_number`` ...), values as a perfect loader would read
    them from the written files.
    """

    spec: RosterSpec
    county_name: str
    places: pd.DataFrame
    hh: dict[str, np.ndarray]
    mem: dict[str, np.ndarray]
    # (table, field, index) -> value as recorded, where a planted problem made
    # the roster say something else than the model (a flipped sex, a blank date)
    recorded: dict[tuple[str, str, int], Any] = field(default_factory=dict)
    # household -> "no-household-row" | "no-member-rows": left out of one file of an
    # export pair (layout "export"), for roster.member-without-household and
    # roster.household-without-members
    gaps: dict[int, str] = field(default_factory=dict)
    # household -> "added" (in the last month only) | "removed" (in the earlier months
    # only): the clean changes of a monthly workbook (months > 1)
    changes: dict[int, str] = field(default_factory=dict)

    @property
    def n_households(self) -> int:
        return len(self.hh["size"])

    @property
    def n_members(self) -> int:
        return len(self.mem["hh"])

    @property
    def households(self) -> pd.DataFrame:
        return households_frame(self)

    @property
    def members(self) -> pd.DataFrame:
        return members_frame(self)


# ---------------------------------------------------------------- building


def build_model(spec: RosterSpec) -> Model:
    """Draw the county: places, households, members, incomes, benefits."""
    rng = np.random.default_rng(spec.seed)
    county_name, town_names = data.COUNTIES[spec.county]
    places = _draw_places(rng, spec, town_names)

    sizes = _draw_sizes(rng, spec.members)
    n_hh = len(sizes)
    if n_hh < spec.villages:
        raise ValueError(
            f"{spec.members} members make only {n_hh} households for {spec.villages} villages"
        )
    village = np.concatenate(
        [np.arange(spec.villages), rng.choice(spec.villages, n_hh - spec.villages,
                                              p=_weights(rng, spec.villages))]
    )  # fmt: skip
    groups = places["groups"].to_numpy()
    group = (rng.random(n_hh) * groups[village]).astype(np.int64) + 1
    order = np.lexsort((rng.random(n_hh), group, village))
    village, group = village[order], group[order]
    sizes = sizes[rng.permutation(n_hh)]

    hh: dict[str, np.ndarray] = {
        "village": village,
        "town": places["town_index"].to_numpy()[village],
        "group": group,
        "size": sizes.astype(np.int64),
    }
    first = np.zeros(n_hh, dtype=np.int64)
    first[1:] = np.cumsum(sizes)[:-1]
    hh["first"] = first
    # serial number of the household within its village
    village_start = np.searchsorted(village, np.arange(spec.villages))
    hh["serial"] = np.arange(n_hh) - village_start[village] + 1

    mem = _draw_members(rng, spec, hh)
    _draw_conditions(rng, spec, hh, mem)
    _draw_status(rng, spec, hh, mem)
    _draw_money(rng, spec, hh, mem)
    _draw_admin(rng, spec, hh, places, county_name)
    model = Model(spec=spec, county_name=county_name, places=places, hh=hh, mem=mem)
    finalise(model)
    return model


def _weights(rng: np.random.Generator, n: int) -> np.ndarray:
    w = rng.uniform(0.6, 1.4, n)
    return w / w.sum()


def _draw_places(rng: np.random.Generator, spec: RosterSpec, town_names) -> pd.DataFrame:
    towns = np.sort(rng.choice(len(town_names), spec.towns, replace=False))
    town_of_village = np.sort(np.arange(spec.villages) % spec.towns)
    names = _village_names(rng, spec.villages)
    rows = []
    for v in range(spec.villages):
        t = int(town_of_village[v])
        rows.append(
            {
                "village_index": v,
                "town_index": t,
                "town_no": t + 1,
                "town": town_names[towns[t]],
                "village_no": int(v - np.searchsorted(town_of_village, t) + 1),
                "village": names[v],
                "groups": int(rng.integers(2, 9)),
            }
        )
    return pd.DataFrame(rows)


def _village_names(rng: np.random.Generator, n: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < n:
        kind = rng.integers(0, 4)
        if kind == 0:
            stem = data.VILLAGE_SURNAMES[rng.integers(len(data.VILLAGE_SURNAMES))] + str(
                rng.choice(data.VILLAGE_SUFFIX_FAMILY)
            )
        elif kind == 1:
            stem = data.VILLAGE_PREFIX_PLACE[rng.integers(len(data.VILLAGE_PREFIX_PLACE))] + str(
                rng.choice(data.VILLAGE_SUFFIX_PLACE)
            )
        elif kind == 2:
            stem = str(rng.choice(data.VILLAGE_NUMBERED)) + str(
                rng.choice(data.VILLAGE_NUMBERED_SUFFIX)
            )
        else:
            stem = str(rng.choice(data.VILLAGE_PLAIN))
        name = stem + "村"
        if name in seen:
            # a big county: number the repeats like real twin villages do
            name = f"{stem}{len(names) + 1}村" if len(seen) > 300 else None
        if name and name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _draw_sizes(rng: np.random.Generator, members: int) -> np.ndarray:
    p = np.array([0.30, 0.30, 0.18, 0.12, 0.07, 0.03])
    mean = float((p * np.arange(1, 7)).sum())
    sizes = rng.choice(np.arange(1, 7), size=int(members / mean * 1.2) + 16, p=p)
    total = np.cumsum(sizes)
    while total[-1] < members:  # tiny runs only
        sizes = np.concatenate([sizes, rng.choice(np.arange(1, 7), size=16, p=p)])
        total = np.cumsum(sizes)
    n = int(np.searchsorted(total, members)) + 1
    sizes = sizes[:n].copy()
    sizes[-1] -= total[n - 1] - members
    return sizes


def group_cumcount(mask: np.ndarray, hh_of: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Running count of ``mask`` within each household, at each member (1-based)."""
    c = np.cumsum(mask)
    start = first[hh_of]
    before = np.where(start > 0, c[np.maximum(start - 1, 0)], 0)
    return c - before


def per_household(values: np.ndarray, hh_of: np.ndarray, n_hh: int) -> np.ndarray:
    """Sum of member values per household."""
    return np.bincount(hh_of, weights=values, minlength=n_hh)


def _draw_members(rng: np.random.Generator, spec: RosterSpec, hh) -> dict[str, np.ndarray]:
    sizes, first = hh["size"], hh["first"]
    n_hh, n = len(sizes), int(sizes.sum())
    hh_of = np.repeat(np.arange(n_hh), sizes)
    pos = np.arange(n) - first[hh_of]

    # relations
    rel = rng.choice(
        [CHILD, GRANDCHILD, PARENT, CHILD_IN_LAW, SIBLING, OTHER],
        size=n,
        p=[0.56, 0.13, 0.12, 0.07, 0.08, 0.04],
    )
    spouse = (pos == 1) & (rng.random(n) < 0.68)
    rel = np.where(spouse, SPOUSE, rel)
    rel = np.where(pos == 0, HEAD, rel)
    too_many_parents = (rel == PARENT) & (group_cumcount(rel == PARENT, hh_of, first) > 2)
    rel = np.where(too_many_parents, CHILD, rel)

    def has(code):
        return per_household((rel == code).astype(float), hh_of, n_hh) > 0

    # head ages, shaped by who lives with the head
    head_age = np.where(
        sizes == 1,
        np.round(rng.triangular(45, 72, 96, n_hh)),
        rng.integers(28, 86, n_hh),
    ).astype(np.int64)
    head_age = np.where(has(GRANDCHILD), np.maximum(head_age, rng.integers(52, 82, n_hh)), head_age)
    head_age = np.where(
        has(CHILD_IN_LAW), np.maximum(head_age, rng.integers(45, 80, n_hh)), head_age
    )
    head_age = np.where(has(PARENT), np.minimum(head_age, rng.integers(28, 68, n_hh)), head_age)
    ha = head_age[hh_of]
    age = np.select(
        [
            rel == HEAD,
            rel == SPOUSE,
            rel == CHILD,
            rel == CHILD_IN_LAW,
            rel == GRANDCHILD,
            rel == PARENT,
            rel == SIBLING,
        ],
        [
            ha,
            np.clip(ha + np.round(rng.normal(0, 3, n)).astype(np.int64), 20, 100),
            np.clip(ha - rng.integers(20, 39, n), 0, None),
            np.clip(ha - rng.integers(20, 33, n), 18, None),
            np.clip(ha - rng.integers(44, 61, n), 0, None),
            np.clip(ha + rng.integers(20, 33, n), None, 100),
            np.clip(ha + rng.integers(-12, 13, n), 8, 100),
        ],
        rng.integers(8, 91, n),
    ).astype(np.int64)

    # sex: heads mostly men, spouses the other sex, daughters-in-law women
    head_male = np.where(sizes == 1, rng.random(n_hh) < 0.5, rng.random(n_hh) < 0.74)
    male = rng.random(n) < 0.5
    male = np.where(rel == HEAD, head_male[hh_of], male)
    male = np.where(rel == SPOUSE, ~head_male[hh_of], male)
    male = np.where(rel == CHILD_IN_LAW, False, male)

    birth = birth_dates(rng, age, spec.as_of_month)
    ids = unique_ids(rng, int(spec.county), birth, male)

    # names: children take the father's surname
    n_sur = len(data.SURNAMES)
    sp = np.array(data.SURNAME_WEIGHTS) / sum(data.SURNAME_WEIGHTS)
    head_sur = rng.choice(n_sur, n_hh, p=sp)
    spouse_sur = rng.choice(n_sur, n_hh, p=sp)
    own_sur = rng.choice(n_sur, n, p=sp)
    has_spouse = has(SPOUSE)
    family_sur = np.where(~head_male & has_spouse, spouse_sur, head_sur)
    sur = np.select(
        [
            rel == HEAD,
            rel == SPOUSE,
            np.isin(rel, [CHILD, GRANDCHILD]),
            (rel == PARENT) & male,
            rel == SIBLING,
        ],
        [head_sur[hh_of], spouse_sur[hh_of], family_sur[hh_of], head_sur[hh_of], head_sur[hh_of]],
        own_sur,
    )
    names = person_names(rng, np.array(list(data.SURNAMES))[sur], male, birth)

    return {
        "hh": hh_of,
        "pos": pos,
        "rel": rel.astype(np.int64),
        "male": male,
        "birth": birth,
        "id": ids,
        "name": names,
        "present": np.ones(n, dtype=bool),
    }


def birth_dates(rng: np.random.Generator, age: np.ndarray, as_of_month: int) -> np.ndarray:
    """Birth dates giving ``age`` full years during the whole roster month.

    Birthdays in the roster month itself are moved a month earlier, so the age
    does not depend on which day of the month the audit counts from.
    """
    year, month = divmod(as_of_month, 12)
    month += 1
    end = np.datetime64(f"{year:04d}-{month:02d}", "M") + 1  # the month after
    # last day of the roster month in the year ``year - age``
    ref = (end - 12 * np.asarray(age, dtype=np.int64)).astype("datetime64[D]") - 1
    birth = ref - rng.integers(0, 365, len(age))
    in_month = birth.astype("datetime64[M]").astype(np.int64) % 12 == month - 1
    birth = np.where(in_month, birth - 31, birth)
    return birth.astype("datetime64[D]")


def unique_ids(
    rng: np.random.Generator,
    region: int,
    birth: np.ndarray,
    male: np.ndarray,
    taken: set[int] | None = None,
) -> np.ndarray:
    """Valid, distinct 18-character IDs; the 17th digit is odd for men."""
    n = len(birth)
    seq = rng.integers(0, 500, n) * 2 + male.astype(np.int64)
    body = id_bodies(region, birth, seq)
    for _ in range(200):
        _, first_idx, counts = np.unique(body, return_index=True, return_counts=True)
        dup = np.ones(n, dtype=bool)
        dup[first_idx[counts >= 1]] = False
        if taken:
            dup |= np.isin(body, np.fromiter(taken, dtype=np.int64))
        if not dup.any():
            return id_strings(body)
        k = int(dup.sum())
        seq[dup] = rng.integers(0, 500, k) * 2 + male[dup].astype(np.int64)
        body[dup] = id_bodies(region, birth[dup], seq[dup])
    raise ValueError("too many people born on one day in one county for distinct IDs")


def person_names(
    rng: np.random.Generator, surnames: np.ndarray, male: np.ndarray, birth: np.ndarray
) -> np.ndarray:
    """Surname + one or two given-name characters, by sex and generation."""
    n = len(surnames)
    old = birth < np.datetime64("1970-01-01")
    pools = {
        (True, True): np.array(list(data.GIVEN_MALE_OLD)),
        (True, False): np.array(list(data.GIVEN_MALE_NEW)),
        (False, True): np.array(list(data.GIVEN_FEMALE_OLD)),
        (False, False): np.array(list(data.GIVEN_FEMALE_NEW)),
    }
    g1 = np.empty(n, dtype="U1")
    g2 = np.empty(n, dtype="U1")
    for (is_male, is_old), pool in pools.items():
        sel = (male == is_male) & (old == is_old)
        k = int(sel.sum())
        g1[sel] = pool[rng.integers(0, len(pool), k)]
        g2[sel] = pool[rng.integers(0, len(pool), k)]
    two = rng.random(n) < 0.72
    given = np.where(two, np.char.add(g1, g2), g1)
    return np.char.add(surnames.astype("U1"), given).astype(object)


def _draw_conditions(rng: np.random.Generator, spec: RosterSpec, hh, mem) -> None:
    n = len(mem["hh"])
    age = ages(mem["birth"], spec.as_of_month)
    disabled = rng.random(n) < np.where(age >= 60, 0.20, 0.11)
    grade = np.where(disabled, rng.choice([1, 2, 3, 4], n, p=[0.15, 0.30, 0.30, 0.25]), 0)
    dtype = np.where(
        disabled,
        rng.choice(len(data.DISABILITY_TYPES), n, p=data.DISABILITY_TYPE_WEIGHTS),
        -1,
    )
    ill = rng.random(n) < np.where(age >= 50, 0.10, 0.04)
    illness = np.where(
        ill, np.array(data.ILLNESSES, dtype=object)[rng.integers(0, len(data.ILLNESSES), n)], ""
    )
    mem["grade"] = grade.astype(np.int64)
    mem["dtype"] = dtype.astype(np.int64)
    mem["illness"] = illness.astype(object)
    set_work_ability(mem, spec.as_of_month)


def set_work_ability(mem, as_of_month: int, m_idx: np.ndarray | None = None) -> None:
    """Labour ability from age, disability and illness (all members, or ``m_idx``)."""
    if m_idx is None:
        m_idx = slice(None)
    age = ages(mem["birth"][m_idx], as_of_month)
    grade = mem["grade"][m_idx]
    none = (age < 16) | (age >= 70) | np.isin(grade, [1, 2]) | (mem["illness"][m_idx] != "")
    partial = ~none & ((age >= 60) | np.isin(grade, [3, 4]))
    work = np.where(none, 2, np.where(partial, 1, 0)).astype(np.int64)
    if "work" not in mem:
        mem["work"] = work
    else:
        mem["work"][m_idx] = work


def member_index(hh, idx: np.ndarray) -> np.ndarray:
    """Member indices of households ``idx``, in order."""
    idx = np.asarray(idx, dtype=np.int64)
    size = hh["size"][idx]
    offs = np.arange(int(size.sum())) - np.repeat(np.cumsum(size) - size, size)
    return np.repeat(hh["first"][idx], size) + offs


def ages(birth: np.ndarray, as_of_month: int) -> np.ndarray:
    """Full years at the last day of the roster month."""
    year, month = divmod(as_of_month, 12)
    month += 1
    last_day = int(((np.datetime64(f"{year:04d}-{month:02d}", "M") + 1).astype("datetime64[D]") - 1)
                   .astype(object).day)  # fmt: skip
    by, bm, bd = ymd(birth)
    had_birthday = (bm < month) | ((bm == month) & (bd <= last_day))
    return (year - by - (~had_birthday).astype(np.int64)).astype(np.int64)


def severe(mem, m_idx=slice(None)) -> np.ndarray:
    """Members who qualify a household for single-person coverage."""
    grade, dtype = mem["grade"][m_idx], mem["dtype"][m_idx]
    mental = np.isin(
        dtype, [data.DISABILITY_TYPES.index("智力"), data.DISABILITY_TYPES.index("精神")]
    )
    return np.isin(grade, [1, 2]) | ((grade == 3) & mental) | (mem["illness"][m_idx] != "")


def _draw_status(rng: np.random.Generator, spec: RosterSpec, hh, mem) -> None:
    n_hh = len(hh["size"])
    registered = rng.random(n_hh) < 0.40
    exited = registered & (rng.random(n_hh) < 0.72)
    u = rng.random(n_hh)
    phaseout = registered & (u < spec.phaseout_rate / 0.40)
    can_single = registered & ~exited & (hh["size"] >= 2) & ~phaseout
    share = max(can_single.mean(), 1e-9)
    single = can_single & (rng.random(n_hh) < min(spec.single_rate / share, 1.0))
    hh["registered"] = registered
    hh["exited"] = exited
    hh["status"] = np.where(phaseout, STATUS_PHASEOUT, STATUS_NORMAL).astype(np.int64)
    hh["mode"] = np.where(single, MODE_SINGLE, MODE_HOUSEHOLD).astype(np.int64)
    hh["covered"] = np.where(single, 1, hh["size"]).astype(np.int64)
    mem["covered"] = np.ones(len(mem["hh"]), dtype=bool)
    make_single(rng, spec, hh, mem, np.flatnonzero(single), money=False)

    # months: start of coverage and of the phase-out period
    as_of = spec.as_of_month
    start = rng.integers(FIRST_START_MONTH, as_of, n_hh)
    po_start = np.where(phaseout, as_of - rng.integers(0, 5, n_hh), -1)
    start = np.where(phaseout, np.minimum(start, po_start - 7), start)
    single_from = min(SINGLE_FROM_MONTH, as_of - 1)
    start = np.where(single, rng.integers(single_from, as_of, n_hh), start)
    hh["start_month"] = start.astype(np.int64)
    hh["phaseout_start"] = po_start.astype(np.int64)


def make_single(rng, spec, hh, mem, idx: np.ndarray, money: bool = True) -> None:
    """Turn households ``idx`` (size >= 2) into clean single-person cases."""
    if len(idx) == 0:
        return
    hh["registered"][idx] = True
    hh["exited"][idx] = False
    hh["status"][idx] = STATUS_NORMAL
    hh["mode"][idx] = MODE_SINGLE
    hh["covered"][idx] = 1
    if "phaseout_start" in hh:
        hh["phaseout_start"][idx] = -1
        single_from = min(SINGLE_FROM_MONTH, spec.as_of_month - 1)
        hh["start_month"][idx] = np.maximum(hh["start_month"][idx], single_from)
    for h in idx:
        lo, hi = hh["first"][h], hh["first"][h] + hh["size"][h]
        cand = np.flatnonzero(severe(mem, slice(lo, hi)))
        if len(cand):
            m = lo + int(cand[0])
        else:
            m = lo + int(rng.integers(1, hi - lo)) if hi - lo > 1 else lo
            mem["grade"][m] = int(rng.choice([1, 2]))
            mem["dtype"][m] = int(rng.integers(0, len(data.DISABILITY_TYPES)))
        mem["covered"][lo:hi] = False
        mem["covered"][m] = True
    set_work_ability(mem, spec.as_of_month, member_index(hh, idx))
    if money:
        pc = rng.uniform(1.02, 1.45, len(idx)) * spec.standard_year / 12
        set_income(rng, spec, hh, mem, idx, pc)


def make_phaseout(rng, spec, hh, mem, idx: np.ndarray, start: np.ndarray | None = None) -> None:
    """Turn households ``idx`` into clean phase-out cases (income set too)."""
    if len(idx) == 0:
        return
    hh["registered"][idx] = True
    hh["status"][idx] = STATUS_PHASEOUT
    hh["mode"][idx] = MODE_HOUSEHOLD
    hh["covered"][idx] = hh["size"][idx]
    lo = hh["first"][idx]
    for a, b in zip(lo, lo + hh["size"][idx], strict=True):
        mem["covered"][a:b] = True
    as_of = spec.as_of_month
    po = as_of - rng.integers(0, 5, len(idx)) if start is None else start
    hh["phaseout_start"][idx] = po
    hh["start_month"][idx] = np.minimum(hh["start_month"][idx], po - 7)
    pc = rng.uniform(1.02, 1.45, len(idx)) * spec.standard_year / 12
    set_income(rng, spec, hh, mem, idx, pc)


def _draw_money(rng: np.random.Generator, spec: RosterSpec, hh, mem) -> None:
    n_hh, n = len(hh["size"]), len(mem["hh"])
    hh_of = mem["hh"]
    age = ages(mem["birth"], spec.as_of_month)
    ill = per_household((mem["illness"] != "").astype(float), hh_of, n_hh) > 0
    student = per_household(
        ((age >= 15) & (age <= 22) & (mem["rel"] != HEAD)).astype(float), hh_of, n_hh
    )
    severe_dis = per_household(np.isin(mem["grade"], [1, 2]).astype(float), hh_of, n_hh) > 0
    medical = np.where(
        ill,
        rng.integers(200, 2000, n_hh) * 10,
        np.where(rng.random(n_hh) < 0.15, rng.integers(20, 250, n_hh) * 10, 0),
    )
    education = np.where(
        (student > 0) & (rng.random(n_hh) < 0.5), rng.integers(150, 800, n_hh) * 10, 0
    )
    care = np.where(severe_dis & (rng.random(n_hh) < 0.5), rng.integers(60, 360, n_hh) * 10, 0)
    hh["medical"] = medical.astype(np.int64)
    hh["education"] = education.astype(np.int64)
    hh["care"] = care.astype(np.int64)
    for k in ("gross", "net", "wages", "farm", "property", "transfers", "benefit_expected"):
        hh[k] = np.zeros(n_hh, dtype=np.int64)
    hh["benefit"] = np.zeros(n_hh, dtype=np.float64)
    mem["income"] = np.zeros(n, dtype=np.int64)

    std_m = spec.standard_year / 12
    above = (hh["status"] == STATUS_PHASEOUT) | (hh["mode"] == MODE_SINGLE)
    pc = np.where(above, rng.uniform(1.02, 1.45, n_hh) * std_m, rng.uniform(60, 395, n_hh))
    set_income(rng, spec, hh, mem, np.arange(n_hh), pc)


def set_income(rng, spec, hh, mem, idx: np.ndarray, pc_month: np.ndarray) -> None:
    """Give households ``idx`` a net per-capita income and a matching benefit.

    Net income is whole yuan; gross = net + the rigid expenses; gross is split
    over the members who can earn; the recorded benefit is the clean one for the
    household's kind (formula, previous amount in phase-out, full standard for
    single-person coverage).
    """
    idx = np.asarray(idx, dtype=np.int64)
    if len(idx) == 0:
        return
    std_y = spec.standard_year
    size = hh["size"][idx]
    net = np.floor(np.asarray(pc_month) * 12 * size).astype(np.int64)
    below = pc_month < std_y / 12
    # keep the side of the standard that was asked for, exactly
    net = np.where(below, np.minimum(net, std_y * size - 1), np.maximum(net, std_y * size))
    net = np.maximum(net, 0)
    deduction = hh["medical"][idx] + hh["education"][idx] + hh["care"][idx]
    gross = net + deduction
    hh["net"][idx] = net
    hh["gross"][idx] = gross
    _split_income(rng, spec, hh, mem, idx)

    covered = hh["covered"][idx]
    expected = formula_benefit(std_y, size, covered, net)
    single = hh["mode"][idx] == MODE_SINGLE
    expected = np.where(single, -(-std_y // 12), expected)
    phase = hh["status"][idx] == STATUS_PHASEOUT
    # phase-out: the amount from before the income rose, unchanged
    prev_net = np.floor(rng.uniform(150, 390, len(idx)) * 12 * size).astype(np.int64)
    prev = formula_benefit(std_y, size, covered, prev_net)
    expected = np.where(phase, prev, expected)
    hh["benefit_expected"][idx] = expected
    hh["benefit"][idx] = expected.astype(np.float64)


def formula_benefit(std_year, size, covered, net) -> np.ndarray:
    """Ceil-yuan ``standard_month*covered - pc_month*covered``, capped, exactly.

    With pc_month = net / 12 / size the benefit is
    (std_year*size*covered - net*covered) / (12*size); integer arithmetic
    avoids float drift; the cap is standard_month * covered (whole yuan down).
    """
    size = np.asarray(size, dtype=np.int64)
    covered = np.asarray(covered, dtype=np.int64)
    net = np.asarray(net, dtype=np.int64)
    num = std_year * size * covered - net * covered
    den = 12 * size
    ceil = -((-num) // den)
    cap = (std_year * covered) // 12
    return np.clip(ceil, 0, cap).astype(np.int64)


def _split_income(rng, spec, hh, mem, idx: np.ndarray) -> None:
    """Split each household's gross income over its members, and into parts."""
    m_idx = member_index(hh, idx)
    local = np.repeat(np.arange(len(idx)), hh["size"][idx])  # household, 0..len(idx)
    age = ages(mem["birth"][m_idx], spec.as_of_month)
    work = mem["work"][m_idx]
    w = np.select(
        [age < 16, age >= 60, work == 0, work == 1],
        [0.0, 1.0, 4.0, 1.5],
        0.3,
    )
    head = mem["pos"][m_idx] == 0
    k = len(idx)
    total_w = np.bincount(local, weights=w, minlength=k)
    w = np.where(total_w[local] == 0, head.astype(float), w)
    total_w = np.bincount(local, weights=w, minlength=k)
    g = hh["gross"][idx]
    share = np.floor(g[local] * w / total_w[local]).astype(np.int64)
    rest = g - np.bincount(local, weights=share, minlength=k).astype(np.int64)
    share = share + np.where(head, rest[local], 0)
    mem["income"][m_idx] = share

    elderly = np.bincount(local, weights=(age >= 60).astype(float), minlength=k)
    transfers = np.minimum(g, (elderly * 1296).astype(np.int64))
    prop = np.where(rng.random(len(idx)) < 0.05, rng.integers(200, 1500, len(idx)), 0)
    prop = np.minimum(prop, g - transfers)
    rest_h = g - transfers - prop
    wages = np.floor(rest_h * rng.uniform(0.2, 0.8, len(idx))).astype(np.int64)
    hh["transfers"][idx] = transfers
    hh["property"][idx] = prop
    hh["wages"][idx] = wages
    hh["farm"][idx] = rest_h - wages


def _draw_admin(rng, spec, hh, places: pd.DataFrame, county_name: str) -> None:
    n_hh = len(hh["size"])
    town_no = places["town_no"].to_numpy()[hh["village"]]
    village_no = places["village_no"].to_numpy()[hh["village"]]
    hh["cert"] = np.array(
        [
            f"{spec.county}-{t:02d}{v:02d}-{s:04d}"
            for t, v, s in zip(
                town_no.tolist(), village_no.tolist(), hh["serial"].tolist(), strict=True
            )
        ],
        dtype=object,
    )
    # categories: one county uses 一般户/重点户, another A/B/C
    scheme = ("重点户", "一般户", "一般户") if rng.random() < 0.5 else ("A类", "B类", "C类")
    hh["scheme"] = np.array(scheme, dtype=object)
    hh["category_level"] = np.zeros(n_hh, dtype=np.int64)  # set in finalise

    bank = rng.choice(len(data.BANKS), n_hh, p=data.BANK_WEIGHTS)
    account = np.empty(n_hh, dtype=object)
    names = np.empty(n_hh, dtype=object)
    used: set[str] = set()
    for b, (name, length, prefix) in enumerate(data.BANKS):
        sel = np.flatnonzero(bank == b)
        names[sel] = name.format(county=county_name)
        account[sel] = _accounts(rng, len(sel), length, prefix, used)
    hh["bank"] = names
    hh["account"] = account
    phone = np.char.add(
        np.char.add("1", rng.choice(np.array(list("35879")), n_hh)),
        np.char.zfill(rng.integers(0, 10**9, n_hh).astype("U9"), 9),
    ).astype(object)
    phone[rng.random(n_hh) < 0.15] = ""
    hh["phone"] = phone


def _accounts(rng, k: int, length: int, prefix: str, used: set[str]) -> np.ndarray:
    """``k`` distinct account numbers; 19-digit card numbers carry a Luhn digit."""
    out = np.empty(0, dtype=object)
    while len(out) < k:
        need = k - len(out)
        if length == 19:
            body_len = 18 - len(prefix)
            body = int(prefix) * 10**body_len + rng.integers(0, 10**body_len, need)
            text = np.char.add(body.astype("U18"), luhn_digit(body, 18).astype("U1"))
        else:
            body_len = length - len(prefix)
            text = np.char.add(
                prefix, np.char.zfill(rng.integers(0, 10**body_len, need).astype("U"), body_len)
            )
        text = text.astype(object)
        fresh = [t for t in dict.fromkeys(text.tolist()) if t not in used]
        used.update(fresh)
        out = np.concatenate([out, np.array(fresh, dtype=object)])
    return out[:k]


def finalise(model: Model) -> None:
    """Derived household fields, after any planting changed members or money."""
    spec, hh, mem = model.spec, model.hh, model.mem
    n_hh = model.n_households
    hh_of = mem["hh"]
    age = ages(mem["birth"], spec.as_of_month)
    grade = mem["grade"]
    key = (age >= 60) | (age < 18) | np.isin(grade, [1, 2]) | (mem["illness"] != "")
    hh["key_count"] = per_household(key.astype(float), hh_of, n_hh).astype(np.int64)
    hh["disabled_count"] = per_household((grade > 0).astype(float), hh_of, n_hh).astype(np.int64)
    head_age = age[hh["first"]]
    severe_any = (
        per_household((np.isin(grade, [1, 2]) | (mem["illness"] != "")).astype(float), hh_of, n_hh)
        > 0
    )
    elderly_any = per_household(((age >= 60) | (grade > 0)).astype(float), hh_of, n_hh) > 0
    hh["category_level"] = np.where(severe_any | (head_age >= 70), 0, np.where(elderly_any, 1, 2))
    # per-capita monthly income to the fen, half up, in integers
    fen = (hh["net"] * 200 + 12 * hh["size"]) // (24 * hh["size"])
    hh["pc_month"] = fen / 100
    place = model.places
    hh["address"] = (
        model.county_name
        + place["town"].to_numpy()[hh["village"]].astype(object)
        + place["village"].to_numpy()[hh["village"]].astype(object)
        + hh["group"].astype(str).astype(object)
        + "组"
    )


# ---------------------------------------------------------------- frames

RELATION_TEXT = {
    (HEAD, True): "户主", (HEAD, False): "户主",
    (SPOUSE, True): "配偶", (SPOUSE, False): "配偶",
    (CHILD, True): "子", (CHILD, False): "女",
    (CHILD_IN_LAW, True): "儿媳", (CHILD_IN_LAW, False): "儿媳",
    (GRANDCHILD, True): "孙子", (GRANDCHILD, False): "孙女",
    (PARENT, True): "父亲", (PARENT, False): "母亲",
    (SIBLING, True): "兄弟姐妹", (SIBLING, False): "兄弟姐妹",
    (OTHER, True): "其他", (OTHER, False): "其他",
}  # fmt: skip


def relation_text(rel: np.ndarray, male: np.ndarray) -> np.ndarray:
    lut = np.array([[RELATION_TEXT[(r, m)] for m in (False, True)] for r in range(8)], dtype=object)
    return lut[rel, male.astype(np.int64)]


def month_dates(month_index: np.ndarray) -> pd.Series:
    valid = np.asarray(month_index) >= 0
    out = np.full(len(month_index), np.datetime64("NaT"), dtype="datetime64[D]")
    out[valid] = month_start(np.asarray(month_index)[valid])
    return pd.Series(out.astype("datetime64[s]"))


def households_frame(model: Model) -> pd.DataFrame:
    """Households with canonical column names, as the roster records them."""
    hh, mem, spec = model.hh, model.mem, model.spec
    place = model.places
    first = hh["first"]
    registered = hh["registered"]
    df = pd.DataFrame(
        {
            "household": np.arange(model.n_households),
            "county": model.county_name,
            "county_code": spec.county,
            "town": place["town"].to_numpy()[hh["village"]],
            "village": place["village"].to_numpy()[hh["village"]],
            "group": hh["group"],
            "cert_no": hh["cert"],
            "head_name": mem["name"][first],
            "head_id": mem["id"][first],
            "household_size": hh["size"],
            "covered_count": hh["covered"],
            "category": hh["scheme"][hh["category_level"]],
            "coverage_mode": np.where(hh["mode"] == MODE_SINGLE, "单人", "整户"),
            "registered_poor": registered,
            "poverty_exited": pd.array(np.where(registered, hh["exited"], pd.NA), dtype="boolean"),
            "gross_income_year": hh["gross"].astype(np.float64),
            "wage_income": hh["wages"],
            "business_income": hh["farm"],
            "property_income": hh["property"],
            "transfer_income": hh["transfers"],
            "medical_expense": hh["medical"].astype(np.float64),
            "education_expense": hh["education"].astype(np.float64),
            "care_expense": hh["care"].astype(np.float64),
            "net_income_year": hh["net"],
            "per_capita_income_month": hh["pc_month"],
            "benefit_month": hh["benefit"],
            "benefit_expected": hh["benefit_expected"],
            "addon_month": 0.0,
            "start_month": month_dates(hh["start_month"]),
            "status": np.where(hh["status"] == STATUS_PHASEOUT, "渐退", "正常"),
            "phaseout_start": month_dates(hh["phaseout_start"]),
            "bank_name": hh["bank"],
            "bank_account": hh["account"],
            "address": hh["address"],
            "phone": hh["phone"],
            "key_covered_count": hh["key_count"],
            "disabled_count": hh["disabled_count"],
        }
    )
    df["total_month"] = df["benefit_month"] + df["addon_month"]
    _apply_recorded(model, df, "hh")
    return df


def members_frame(model: Model) -> pd.DataFrame:
    """Members with canonical column names (dropped rows left out)."""
    hh, mem, spec = model.hh, model.mem, model.spec
    grade = mem["grade"]
    dtype = mem["dtype"]
    types = np.array([*data.DISABILITY_TYPES, ""], dtype=object)
    df = pd.DataFrame(
        {
            "member": np.arange(model.n_members),
            "household": mem["hh"],
            "cert_no": hh["cert"][mem["hh"]],
            "head_id": mem["id"][hh["first"][mem["hh"]]],
            "name": mem["name"],
            "relation": relation_text(mem["rel"], mem["male"]),
            "id_number": mem["id"],
            "sex": np.where(mem["male"], "男", "女"),
            "birth_date": pd.Series(mem["birth"].astype("datetime64[s]")),
            "age": ages(mem["birth"], spec.as_of_month),
            "disability_grade": pd.array(np.where(grade > 0, grade, pd.NA), dtype="Int64"),
            "disability_type": types[dtype],
            "illness": mem["illness"],
            "work_ability": np.array(data.WORK_ABILITY, dtype=object)[mem["work"]],
            "income_year": mem["income"].astype(np.float64),
            "is_covered": mem["covered"],
        }
    )
    _apply_recorded(model, df, "mem")
    return df[mem["present"]].reset_index(drop=True)


def _apply_recorded(model: Model, df: pd.DataFrame, table: str) -> None:
    for (t, col, i), value in model.recorded.items():
        if t == table:
            if df[col].dtype == bool:
                df[col] = df[col].astype(object)
            df.loc[i, col] = value
