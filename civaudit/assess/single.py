"""Steps of single-person coverage (单人保): its amount, its member, its qualification."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from civaudit.assess.categories import Flag
from civaudit.assess.codes import MEMBER_FLAGS
from civaudit.assess.columns import Columns, count_per_household, first_per_household
from civaudit.assess.money import fen, floor_unit, round_fen
from civaudit.policy.model import Policy


@dataclass(frozen=True, eq=False)
class SingleAmount:
    fen: np.ndarray  # monthly amount if paid, capped at the monthly standard
    known: np.ndarray  # the amount can be computed
    income_ok: np.ndarray  # income below the single-person ceiling: it is paid


def compute_single_amount(
    *,
    standard_fen: np.ndarray,
    standard_known: np.ndarray,
    assessable: np.ndarray,
    net_fen: np.ndarray,
    household_standard: np.ndarray,
    divisor: np.ndarray,
    policy: Policy,
) -> SingleAmount:
    """Step ``single-amount``: single-person coverage pays one person by the policy's
    own rule, not the household gap.

    The rule is the full monthly standard, a fixed amount, or the household's own
    per-capita gap, capped at the monthly standard in whole units of the rounding
    mode. It is paid when income is below the single-person ceiling; the other
    conditions are the ``single-qualification`` step's findings.
    """
    n = len(standard_fen)
    mode = policy.income.rounding
    sp = policy.single_person
    cap = floor_unit(standard_fen, np.full(n, 12), mode)
    if sp.benefit == "full-standard":
        amount = round_fen(standard_fen, np.full(n, 12), mode)
    elif sp.benefit == "fixed":
        amount = np.full(n, fen(np.array([sp.fixed_amount]))[0])
    else:  # own-gap
        amount = round_fen(np.maximum(household_standard - net_fen, 0), 12 * divisor, mode)
    return SingleAmount(
        fen=np.minimum(amount, cap),
        known=standard_known & (assessable | (sp.benefit != "own-gap")),
        income_ok=assessable & (net_fen < sp.ceiling_multiplier * household_standard),
    )


@dataclass(frozen=True, eq=False)
class SingleMember:
    index: np.ndarray  # member table position of the covered member, -1 = none named
    row: np.ndarray  # that member's roster row
    named: np.ndarray  # single-person coverage with a member named


def choose_single_member(
    m: Columns,
    *,
    position: np.ndarray,
    flags: dict[str, Flag],
    members_marked: np.ndarray,
    single: np.ndarray,
    policy: Policy,
) -> SingleMember:
    """Step ``single-member``: single-person coverage is granted to one person, and
    add-ons and the category check follow that person.

    It is the member marked covered where the household marks any, else the first
    member (table order) in a category the policy grants it for; -1 when none can
    be named.
    """
    n = len(single)
    if not len(position) or not n:
        index = np.full(n, -1, dtype=np.int64)
    else:
        marked = members_marked[np.maximum(position, 0)] & (position >= 0)
        qualifying = np.zeros(len(position), dtype=bool)
        for category in policy.single_person.categories:
            qualifying |= flags[category][0]
        candidate = np.where(marked, m.flag("is_covered"), qualifying)
        index = np.where(single, first_per_household(position, candidate, n), -1)
    rows = m.integer("row")[0] if "row" in m else np.full(len(position), -1)
    named = single & (index >= 0)
    row = np.where(named, rows[np.maximum(index, 0)] if len(position) else 0, 0)
    return SingleMember(index=index, row=row, named=named)


@dataclass(frozen=True, eq=False)
class SingleQualification:
    category: np.ndarray  # the member's category, index into MEMBER_FLAGS, -1 = none
    reasons: np.ndarray  # bits of SINGLE_REASONS, 0 outside single-person coverage
    decided: np.ndarray  # qualifies or not is known


def check_single_person(
    h: Columns,
    *,
    position: np.ndarray,
    flags: dict[str, Flag],
    member: np.ndarray,
    single: np.ndarray,
    listed: np.ndarray,
    size: np.ndarray,
    members_marked: np.ndarray,
    assessable: np.ndarray,
    net_fen: np.ndarray,
    household_standard: np.ndarray,
    policy: Policy,
) -> SingleQualification:
    """Step ``single-qualification``: why a single-person household should not be
    one, each reason a finding of its own.

    Not registered poor (when the policy requires it), income at or above the
    ceiling, or no member in a qualifying category. With a member named, its
    category decides (the first the policy lists wins). With nobody named, a "no
    qualifying member" verdict needs the whole family listed with every category
    known; otherwise the verdict is unknown, not assumed.
    """
    n = len(single)
    sp = policy.single_person
    cats = [MEMBER_FLAGS.index(c) for c in sp.categories]
    category = np.full(n, -1, dtype=np.int64)
    member_unknown = np.zeros(n, dtype=bool)
    has = member >= 0
    idx = np.maximum(member, 0)
    if len(position):
        for code in reversed(cats):  # policy order: the first listed category wins
            value, known = flags[MEMBER_FLAGS[code]]
            category = np.where(has & value[idx], code, category)
            member_unknown |= has & ~known[idx]
    no_member_category = has & (category < 0) & ~member_unknown
    all_known = np.ones(len(position), dtype=bool)
    for code in cats:
        all_known &= flags[MEMBER_FLAGS[code]][1]
    unknown_members = count_per_household(position, ~all_known, n)
    complete = (listed >= size) & (listed > 0) & (unknown_members == 0) & ~members_marked
    no_member_category |= ~has & complete
    bits = np.zeros(n, dtype=np.int64)
    if sp.registered_poor_only:
        registered_known = h.known("registered_poor")
        bits |= np.where(registered_known & ~h.flag("registered_poor"), 1, 0)
    bits |= np.where(assessable & (net_fen >= sp.ceiling_multiplier * household_standard), 2, 0)
    bits |= np.where(single & no_member_category, 4, 0)
    unknown = ~assessable | (has & (category < 0) & member_unknown) | (~has & ~complete)
    if sp.registered_poor_only:
        unknown |= ~h.known("registered_poor")
    bits = np.where(single, bits, 0)
    return SingleQualification(
        category=np.where(single, category, -1),
        reasons=bits,
        decided=single & ((bits != 0) | ~unknown),
    )
