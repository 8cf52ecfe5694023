"""Recompute what each household should get under a policy: one row per household.

The chain is domain.md sections 3-5: gross income -> rigid-expenditure deductions
-> net -> per-capita monthly income (divided by household size, never by covered
persons) -> band -> expected benefit (ordinary gap, phase-out continuation or
single-person amount) and add-ons, side by side with what the roster records.

Money is exact: amounts are held as integer fen and every benefit is a fraction
``numerator / denominator`` of fen, rounded once at the end by the policy's mode.
So ``632 x 3 - 631.333... x 3`` is 2 yuan, not the 3 that float drift plus
``ceil`` would give.

A household that cannot be assessed (no size, no income, no standard for its
region) gets NaN expectations and a ``state`` saying why: never a guess, never a
crash. Everything is vectorised over households and members; the only Python
loops run over policy entries, distinct region codes or a handful of categories.

Choices where the domain text is silent (each one is a column an inspector can see):

- Size is ``household_size``, else the member rows listed (``size_source``).
  Covered is 1 for single-person coverage, else ``covered_count``, else the
  members marked covered, else the size (``covered_source``), clipped to the size.
- A blank gross income is missing, not zero (a dash or 无 already reads as 0).
- Employment cost is ``wage_income x rate`` where wages are recorded, else the
  recorded 就业成本; then its cap. A single rigid-expense column counts only for
  households with no itemised medical/education/care amount (it is their total).
- Rounding up can pass a fractional cap (5,000/12 = 416.67 -> 417), so the cap is
  applied after rounding, in whole units of the mode: 416.
- The amount follows only the income test of the regime: ordinary dibao needs pc
  below the standard; phase-out needs standard <= pc < its ceiling within the
  period; single-person coverage needs pc below its ceiling. Registered-poor and
  category conditions are reported in ``*_qualifies``/``*_reason`` (they are
  findings of their own, not a second zero). Single-person coverage wins over a
  phase-out mark; a phase-out household below the standard gets ordinary dibao.
- Phase-out: ``phaseout_end`` is ``start + months`` (the first month no longer
  paid; expired when as_of reaches it) or the policy's ``until`` (the last day
  paid; expired after it). The amount is the recorded one, capped at standard x
  covered. A single roster does not show the pre-phase-out amount, so
  ``step_down`` lowers that cap instead: month k of the period may pay at most
  ``(1 - step_down x (k - 1))`` of standard x covered.
- Add-ons are paid to covered members of households that get a benefit; they are
  NaN when the covered members are not all listed or a needed category cannot be
  judged (no disability column for a disability add-on, no birth date or age).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import pandas as pd

from civaudit.assess.arrays import STRING, bool_array, categorical, int_array, reasons
from civaudit.assess.codes import (
    BANDS,
    COVERAGES,
    COVERED_SOURCES,
    INCOME_SOURCES,
    MEMBER_FLAGS,
    PHASEOUT_REASONS,
    SINGLE_REASONS,
    SIZE_SOURCES,
)
from civaudit.assess.columns import (
    Columns,
    count_per_household,
    first_per_household,
    member_positions,
)
from civaudit.assess.money import fen, floor_unit, round_fen
from civaudit.policy.model import Policy

_KEYS = ("hh", "file", "sheet", "row", "household", "county", "town", "village")
_INCOME_PARTS = ("wage_income", "business_income", "property_income", "transfer_income")
_ITEMISED = ("medical_expense", "education_expense", "care_expense")
_ADDON_UNIT = 1_200_000  # add-ons are summed in fen / 1,200,000 (see _addons)


def assess(
    households: pd.DataFrame,
    members: pd.DataFrame | None,
    policy: Policy,
    *,
    as_of: date,
) -> pd.DataFrame:
    """The recomputed table, one row per household, index aligned with ``households``.

    ``as_of`` is the roster date: it picks the standard, ages members and places
    phase-out periods. Any input column may be absent or NA.
    """
    as_of = _day(as_of)
    h = Columns(households)
    n = len(households)
    m = Columns(members if members is not None else pd.DataFrame())
    pos = member_positions(h, m)
    listed = np.bincount(pos[pos >= 0], minlength=n)[:n] if n else np.zeros(0, np.int64)
    flags = _member_flags(m, as_of)

    out: dict[str, object] = {}
    for key in _KEYS:
        if key in households:
            out[key] = households[key].array

    # --- who: region, standard, size, coverage ------------------------------------
    region = _region(h, m, pos, n)
    standard_year = policy.standard_for(region, as_of).to_numpy()
    has_std = ~np.isnan(standard_year)
    std_fen = np.where(has_std, fen(np.nan_to_num(standard_year)), 0)  # yearly standard, fen

    size_rec, size_rec_ok = h.integer("household_size")
    rows_rec, rows_ok = h.integer("member_rows")
    size_ok = (size_rec_ok & (size_rec >= 1)) | (rows_ok & (rows_rec >= 1))
    size = np.where(size_rec_ok & (size_rec >= 1), size_rec, np.where(rows_ok, rows_rec, 0))
    size = np.where(size_ok, size, 0).astype(np.int64)
    size_source = np.where(size_rec_ok & (size_rec >= 1), 0, np.where(size_ok, 1, -1))
    bad_size = size_rec_ok & (size_rec < 1) & ~size_ok

    cov_known_rows = m.known("is_covered")
    cov_true_rows = m.flag("is_covered") & cov_known_rows
    cov_known = count_per_household(pos, cov_known_rows, n) > 0
    cov_true = count_per_household(pos, cov_true_rows, n)
    cov_rec, cov_rec_ok = h.integer("covered_count")

    single = (
        h.contains("coverage_mode", "单人")
        | h.contains("category", "单人")
        | h.contains("status", "单人")
        | (cov_rec_ok & (cov_rec == 1) & (size > 1))
        | (cov_known & (cov_true == 1) & (size > 1))
    )
    cov = np.where(
        single,
        1,
        np.where(cov_rec_ok, cov_rec, np.where(cov_known, cov_true, size)),
    )
    cov = np.clip(cov, 0, np.maximum(size, 0)).astype(np.int64)
    covered_source = np.where(single, 3, np.where(cov_rec_ok, 0, np.where(cov_known, 1, 2)))

    # --- income and deductions ------------------------------------------------------
    gross, income_source = _gross(h, size, size_ok)
    has_income = ~np.isnan(gross)
    deductions = _deductions(h, policy)
    d_sum = sum(deductions.values())
    gross_fen = fen(np.nan_to_num(gross))
    ratio_cap = np.floor(policy.deduction.total_ratio_cap * np.maximum(gross_fen, 0) + 1e-6)
    ded_fen = np.clip(np.minimum(d_sum, ratio_cap.astype(np.int64)), 0, None)
    net_fen = np.maximum(gross_fen - ded_fen, 0)

    ok = has_std & size_ok & has_income
    hh_std = std_fen * size  # standard for the whole household per year, fen
    below = ok & (net_fen < hh_std)
    near = ok & ~below & (net_fen < policy.income.near_multiplier * hh_std)
    safe_size = np.where(size > 0, size, 1)

    # --- ordinary gap, single-person amount, phase-out continuation -----------------
    mode = policy.income.rounding
    cap = floor_unit(cov * std_fen, np.full(n, 12), mode)  # standard_month x covered, whole units
    ordinary = np.minimum(
        round_fen(cov * np.maximum(hh_std - net_fen, 0), 12 * safe_size, mode), cap
    )

    sp = policy.single_person
    single_cap = floor_unit(std_fen, np.full(n, 12), mode)
    if sp.benefit == "full-standard":
        single_amount = round_fen(std_fen, np.full(n, 12), mode)
    elif sp.benefit == "fixed":
        single_amount = np.full(n, fen(np.array([sp.fixed_amount]))[0])
    else:  # own-gap
        single_amount = round_fen(np.maximum(hh_std - net_fen, 0), 12 * safe_size, mode)
    single_amount = np.minimum(single_amount, single_cap)
    single_income_ok = ok & (net_fen < sp.ceiling_multiplier * hh_std)

    po = _phaseout(h, policy, as_of, n)
    phaseout = po["phaseout"]
    in_period = (
        phaseout
        & ~single
        & (po["expired"] != 1)
        & ok
        & ~below
        & (net_fen < policy.phaseout.ceiling_multiplier * hh_std)
    )
    recorded_base = h.number("benefit_month")
    recorded_fen = fen(np.nan_to_num(recorded_base))
    factor = np.ones(n)
    if policy.phaseout.step_down:
        used = np.where(po["used"] >= 1, po["used"], 1)
        factor = np.clip(1 - policy.phaseout.step_down * (used - 1), 0, 1)
    unit = 1 if mode == "half-up-fen" else 100
    po_cap = (np.floor(cov * std_fen * factor / 12 / unit + 1e-9) * unit).astype(np.int64)
    po_amount = np.clip(np.minimum(recorded_fen, po_cap), 0, None)
    po_missing = in_period & np.isnan(recorded_base)

    base = np.where(below, ordinary, 0)
    base = np.where(in_period, po_amount, base)
    base = np.where(single, np.where(single_income_ok, single_amount, 0), base)
    paid = np.where(single, single_income_ok, below | in_period)
    expected_base = np.where(ok & ~po_missing, base / 100, np.nan)

    # --- members: who is covered, add-ons, single-person qualification --------------
    hs = _Households(
        n=n,
        pos=pos,
        flags=flags,
        listed=listed,
        std_fen=std_fen,
        size=size,
        cov=cov,
        cov_known=cov_known,
        single=single,
        ok=ok,
        net_fen=net_fen,
        hh_std=hh_std,
    )
    hs.chosen = _single_member(m, hs, policy)
    chosen = hs.chosen
    addon = _addons(m, hs, policy)
    addon_expected = np.where(ok & paid, addon, np.where(ok, 0.0, np.nan))

    single_category, single_reason_bits, single_unknown = _single_qualifies(h, hs, policy)

    po_bits = np.zeros(n, np.int64)
    rp, rp_known = h.flag("registered_poor"), h.known("registered_poor")
    if policy.phaseout.registered_poor_only:
        po_bits |= np.where(rp_known & ~rp, 1, 0)
    po_bits |= np.where(ok & (net_fen >= policy.phaseout.ceiling_multiplier * hh_std), 2, 0)
    po_bits |= np.where(below, 4, 0)
    po_unknown = ~ok | (policy.phaseout.registered_poor_only & ~rp_known)
    po_bits = np.where(phaseout, po_bits, 0)

    # --- the table ----------------------------------------------------------------
    recorded_addon = h.number("addon_month")
    out["region"] = region.array
    out["standard_year"] = standard_year
    out["standard_month"] = standard_year / 12
    out["household_size"] = int_array(size, size_ok)
    out["size_source"] = categorical(size_source, SIZE_SOURCES)
    out["covered"] = int_array(cov, size_ok | cov_rec_ok | single)
    out["covered_source"] = categorical(covered_source, COVERED_SOURCES)
    out["coverage"] = categorical(single.astype(np.int64), COVERAGES)
    out["income_source"] = categorical(income_source, INCOME_SOURCES)
    out["gross_income"] = gross
    for name, amount in deductions.items():
        out[name] = amount / 100
    out["deduction_uncapped"] = d_sum / 100
    out["deduction_total"] = np.where(has_income, ded_fen / 100, np.nan)
    out["net_income"] = np.where(has_income, net_fen / 100, np.nan)
    out["pc_income_month"] = np.where(has_income & size_ok, net_fen / 100 / 12 / safe_size, np.nan)
    out["band"] = categorical(np.where(~ok, -1, np.where(below, 0, np.where(near, 1, 2))), BANDS)
    out["expected_base"] = expected_base
    out["addon_expected"] = addon_expected
    out["expected_total"] = expected_base + addon_expected
    out["recorded_base"] = recorded_base
    out["recorded_addon"] = recorded_addon
    out["recorded_total"] = recorded_base + np.nan_to_num(recorded_addon)
    out["difference"] = recorded_base - expected_base
    out["addon_difference"] = recorded_addon - addon_expected
    out["n_members"] = listed.astype(np.int64)
    for flag in MEMBER_FLAGS:
        out["n_" + flag.replace("-", "_")] = count_per_household(
            pos, flags[flag][0] & flags[flag][1], n
        )
    out["phaseout"] = phaseout
    out["phaseout_start"] = po["start"]
    out["phaseout_end"] = po["end"]
    out["phaseout_months"] = int_array(po["length"], po["length"] >= 0)
    out["phaseout_months_used"] = int_array(po["used"], po["used"] >= 0)
    out["phaseout_expired"] = bool_array(po["expired"] == 1, phaseout & (po["expired"] >= 0))
    out["phaseout_qualifies"] = bool_array(po_bits == 0, phaseout & ((po_bits != 0) | ~po_unknown))
    out["phaseout_reason"] = reasons(po_bits, PHASEOUT_REASONS)
    out["single"] = single
    member_rows = m.integer("row")[0] if "row" in m else np.full(len(pos), -1)
    has_chosen = single & (chosen >= 0)
    out["single_member_row"] = int_array(
        np.where(has_chosen, member_rows[np.maximum(chosen, 0)] if len(pos) else 0, 0),
        has_chosen,
    )
    out["single_category"] = categorical(np.where(single, single_category, -1), MEMBER_FLAGS)
    single_bits = np.where(single, single_reason_bits, 0)
    out["single_qualifies"] = bool_array(
        single_bits == 0, single & ((single_bits != 0) | ~single_unknown)
    )
    out["single_reason"] = reasons(single_bits, SINGLE_REASONS)
    out["single_benefit"] = np.where(
        single & has_std & (ok | (sp.benefit != "own-gap")), single_amount / 100, np.nan
    )
    out["state"] = _state(size_ok, bad_size, has_income, region, has_std, po_missing, n)
    return pd.DataFrame(out, index=households.index, copy=False)  # no consolidation copy


def member_categories(members: pd.DataFrame, *, as_of: date) -> pd.DataFrame:
    """Per member: age at ``as_of`` and the four add-on/single-person categories.

    Age comes from the ID's birth date, else the birth-date column, else the
    recorded age. A category is NA where the data to judge it is absent (no
    disability column, no birth date or age), False where the cell is blank.
    """
    m = Columns(members)
    flags = _member_flags(m, _day(as_of))
    out = {"age_at_as_of": flags["age"][0]}
    for flag in MEMBER_FLAGS:
        value, known = flags[flag]
        out[flag.replace("-", "_")] = bool_array(value, known)
    return pd.DataFrame(out, index=members.index, copy=False)


@dataclass
class _Households:
    """Per-household arrays the member-level steps share."""

    n: int
    pos: np.ndarray  # per member: household position, -1 = none
    flags: dict[str, tuple[np.ndarray, np.ndarray]]  # per member: (value, known)
    listed: np.ndarray  # member rows per household
    std_fen: np.ndarray  # yearly standard per person, fen
    size: np.ndarray
    cov: np.ndarray
    cov_known: np.ndarray  # some member has an is_covered value
    single: np.ndarray
    ok: np.ndarray  # assessable: size, income and standard known
    net_fen: np.ndarray
    hh_std: np.ndarray  # std_fen x size
    chosen: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))


# --- households ---------------------------------------------------------------------


def _region(h: Columns, m: Columns, pos: np.ndarray, n: int) -> pd.Series:
    """The head's ID region, else the most common member region (smallest on a tie)."""
    head = h.text("head_id_region")
    region = pd.Series(pd.array([pd.NA] * n, dtype=STRING)) if head is None else head
    region = region.reset_index(drop=True)
    missing = region.isna().to_numpy()
    if missing.any() and "id_region" in m and len(pos):
        member_region = m.text("id_region").reset_index(drop=True)
        take = (pos >= 0) & member_region.notna().to_numpy()
        take &= missing[np.maximum(pos, 0)]
        if take.any():
            pairs = pd.DataFrame({"pos": pos[take], "region": member_region[take].to_numpy()})
            counts = pairs.groupby(["pos", "region"], observed=True).size().reset_index()
            counts.columns = ["pos", "region", "n"]
            counts = counts.sort_values(["pos", "n", "region"], ascending=[True, False, True])
            best = counts.drop_duplicates("pos")
            values = region.to_numpy(dtype=object, na_value=None)
            values[best["pos"].to_numpy()] = best["region"].to_numpy(dtype=object)
            region = pd.Series(values, dtype=STRING)
    return region


def _gross(h: Columns, size: np.ndarray, size_ok: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gross yearly income and which column it came from (index into INCOME_SOURCES)."""
    gross = h.number("gross_income_year")
    source = np.where(np.isnan(gross), -1, 0)
    parts = [h.number(p) for p in _INCOME_PARTS if p in h]
    if parts:
        stacked = np.vstack(parts)
        any_part = (~np.isnan(stacked)).any(axis=0)
        total = np.nansum(stacked, axis=0)
        use = (source < 0) & any_part
        gross = np.where(use, total, gross)
        source = np.where(use, 1, source)
    size = np.where(size_ok, size, np.nan)
    for col, times, code in (
        ("per_capita_income_year", 1, 2),
        ("per_capita_income_month", 12, 3),
    ):
        pc = h.number(col) * times * size
        use = (source < 0) & ~np.isnan(pc)
        gross = np.where(use, pc, gross)
        source = np.where(use, code, source)
    return gross, source


def _deductions(h: Columns, policy: Policy) -> dict[str, np.ndarray]:
    """Each deduction in fen after its own cap (before the total-ratio cap)."""
    d = policy.deduction

    def capped(values: np.ndarray, cap: float) -> np.ndarray:
        values = np.clip(np.nan_to_num(values), 0, None)
        return fen(np.minimum(values, cap))

    wages = h.number("wage_income")
    employment = np.where(
        ~np.isnan(wages),
        np.clip(wages, 0, None) * d.employment_rate,
        h.number("employment_cost"),
    )
    rigid = h.number("rigid_expense_year")
    rigid = np.where(np.isnan(rigid), h.number("rigid_expense_month") * 12, rigid)
    itemised = np.zeros(h.n, dtype=bool)
    for col in _ITEMISED:
        itemised |= h.known(col)
    rigid = np.where(itemised, 0.0, rigid)  # a total column next to its items: no double count
    out = {
        "deduct_medical": capped(h.number("medical_expense"), d.medical_cap),
        "deduct_education": capped(h.number("education_expense"), d.education_cap),
        "deduct_care": capped(h.number("care_expense"), d.care_cap),
        "deduct_employment": capped(employment, d.employment_cap),
        "deduct_other": capped(rigid, d.other_cap),
    }
    if d.expenditure_type_only:
        marked = h.flag("expenditure_type")
        out = {k: np.where(marked, v, 0) for k, v in out.items()}
    return out


def _phaseout(h: Columns, policy: Policy, as_of: date, n: int) -> dict[str, np.ndarray]:
    """Phase-out marking, period and expiry. ``expired``/``used``/``length``: -1 = unknown."""
    p = policy.phaseout
    start = h.month("phaseout_start")
    has_start = ~np.isnat(start)
    marked = h.contains("category", "渐退") | h.contains("status", "渐退") | has_start
    now = np.datetime64(as_of, "M")
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
        expired = np.full(n, int(np.datetime64(as_of, "D") > until), dtype=np.int64)
        length = np.where(has_start, np.datetime64(p.until, "M").astype(np.int64) - start_i + 1, -1)
    return {
        "phaseout": marked,
        "start": start.astype("datetime64[D]").astype("datetime64[s]"),
        "end": np.where(marked, end_days, np.datetime64("NaT")).astype("datetime64[s]"),
        "used": np.where(marked, used, -1),
        "expired": np.where(marked, expired, -1),
        "length": np.where(marked, length, -1),
    }


# --- members ------------------------------------------------------------------------


def _member_flags(m: Columns, as_of: date) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """(value, known) per member for age and the four categories."""
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


def _single_member(m: Columns, hs: _Households, policy: Policy) -> np.ndarray:
    """The covered member of a single-person household: marked covered, else the
    first member in a qualifying category (-1 when none can be named)."""
    pos, flags, n = hs.pos, hs.flags, hs.n
    if not len(pos) or not n:
        return np.full(n, -1, dtype=np.int64)
    hh_cov_known = hs.cov_known[np.maximum(pos, 0)] & (pos >= 0)
    qualifying = np.zeros(len(pos), dtype=bool)
    for category in policy.single_person.categories:
        qualifying |= flags[category][0]
    covered = m.flag("is_covered")
    candidate = np.where(hh_cov_known, covered, qualifying)
    chosen = first_per_household(pos, candidate, n)
    return np.where(hs.single, chosen, -1)


def _single_qualifies(
    h: Columns, hs: _Households, policy: Policy
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The single member's category, reason bits (SINGLE_REASONS) and 'unknown'."""
    pos, flags, n, chosen, ok = hs.pos, hs.flags, hs.n, hs.chosen, hs.ok
    sp = policy.single_person
    cats = [MEMBER_FLAGS.index(c) for c in sp.categories]
    category = np.full(n, -1, dtype=np.int64)
    member_unknown = np.zeros(n, dtype=bool)
    has = chosen >= 0
    idx = np.maximum(chosen, 0)
    if len(pos):
        for code in reversed(cats):  # policy order: the first listed category wins
            value, known = flags[MEMBER_FLAGS[code]]
            category = np.where(has & value[idx], code, category)
            member_unknown |= has & ~known[idx]
    no_member_category = has & (category < 0) & ~member_unknown
    # Nobody named (no covered flag, nobody qualifying): a verdict needs the whole
    # family listed with every category known.
    all_known = np.ones(len(pos), dtype=bool)
    for code in cats:
        all_known &= flags[MEMBER_FLAGS[code]][1]
    unknown_members = count_per_household(pos, ~all_known, n)
    complete = (hs.listed >= hs.size) & (hs.listed > 0) & (unknown_members == 0) & ~hs.cov_known
    no_member_category |= ~has & complete
    bits = np.zeros(n, dtype=np.int64)
    if sp.registered_poor_only:
        rp_known = h.known("registered_poor")
        bits |= np.where(rp_known & ~h.flag("registered_poor"), 1, 0)
    bits |= np.where(ok & (hs.net_fen >= sp.ceiling_multiplier * hs.hh_std), 2, 0)
    bits |= np.where(hs.single & no_member_category, 4, 0)
    unknown = ~ok | (has & (category < 0) & member_unknown) | (~has & ~complete)
    if sp.registered_poor_only:
        unknown |= ~h.known("registered_poor")
    return category, bits, unknown


def _addons(m: Columns, hs: _Households, policy: Policy) -> np.ndarray:
    """Expected monthly add-on per household in yuan (NaN where it cannot be judged).

    Per covered member: the highest non-stacking add-on plus every stacking one.
    Amounts are summed exactly in fen / 1,200,000 (a percent of standard/12 with
    three decimals of percent is whole there), then rounded once per household.
    """
    pos, flags, n, single, chosen = hs.pos, hs.flags, hs.n, hs.single, hs.chosen
    if not policy.addons:
        return np.zeros(n)
    if not len(pos):
        return np.full(n, np.nan)
    valid = pos >= 0
    p = np.maximum(pos, 0)
    # Which members are covered, and whether that is known.
    whole_known = ~single & (hs.listed >= hs.size) & (hs.cov == hs.size)
    covered = np.where(
        hs.cov_known[p],
        m.flag("is_covered"),
        np.where(single[p], np.arange(len(pos)) == chosen[p], True),
    )
    known_set = hs.cov_known | np.where(single, chosen >= 0, whole_known)
    best = np.zeros(len(pos), dtype=np.int64)
    stacked = np.zeros(len(pos), dtype=np.int64)
    unknown = np.zeros(len(pos), dtype=bool)
    member_std = hs.std_fen[p]
    for addon in policy.addons:
        value, known = flags[addon.category]
        if addon.percent_of_standard is not None:
            units = round(addon.percent_of_standard * 1000) * member_std
        else:
            units = np.full(len(pos), fen(np.array([addon.amount]))[0] * _ADDON_UNIT)
        units = np.where(value, units, 0)
        unknown |= ~known
        if addon.stack:
            stacked += units
        else:
            best = np.maximum(best, units)
    take = valid & covered
    per_member = np.where(take, best + stacked, 0)
    total = np.bincount(pos[valid], weights=per_member[valid], minlength=n)[:n]
    total = np.round(total).astype(np.int64)  # exact: sums stay far below 2**53
    rounded = round_fen(total, np.full(n, _ADDON_UNIT), policy.income.rounding)
    bad = count_per_household(pos, take & unknown, n) > 0
    return np.where(known_set & ~bad, rounded / 100, np.nan)


# --- output helpers -------------------------------------------------------------------


def _state(size_ok, bad_size, has_income, region, has_std, po_missing, n):
    """'ok' or 'cannot assess: ...' naming every missing piece."""
    missing_region = region.isna().to_numpy()
    problems = [
        (~size_ok & ~bad_size, "missing household_size"),
        (bad_size, "household_size below 1"),
        (~has_income, "missing income"),
        (missing_region, "missing region (no usable ID number)"),
        (~has_std & ~missing_region, None),  # no standard for region X
        (po_missing, "missing benefit_month (the amount a phase-out continues)"),
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


def _day(value: date) -> date:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"as_of must be a date, got {value!r}")


__all__ = ["assess", "member_categories"]
