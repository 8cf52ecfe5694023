"""Planting problems on clean households, and remembering where they are.

Each `Plant` is one answer-key row in waiting: the rule the audit must report,
the household and (where one person is concerned) the member, and the field
whose cell is at fault. The renderer later turns household/member/field into
file, sheet, row and cell. Planting changes the model (a wrong benefit, a
minor head, a dropped member row) or, for what only the cell shows (a number-
stored ID, "三口人?", 2019.1), records a cell override.

Every planted household is used once, so a problem never hides another; a
`may_also` note lists rules the same defect can set off as well (a wrong
benefit total after a benefit was made unreadable).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from civaudit.generator import data
from civaudit.generator.ids import check_char, id_bodies
from civaudit.generator.model import (
    HEAD,
    MODE_HOUSEHOLD,
    OTHER,
    PARENT,
    SIBLING,
    STATUS_NORMAL,
    Model,
    ages,
    birth_dates,
    finalise,
    formula_benefit,
    make_phaseout,
    make_single,
    set_income,
    set_work_ability,
)
from civaudit.generator.spec import (
    EXPORT_RULES,
    LAYOUT_RULES,
    MEMBER_ROW_RULES,
    PLANTABLE_RULES,
    RosterSpec,
)

CN_NUMBERS = "零一二三四五六七八九十"
EXPORT = 3  # the layout code of an export pair (a household file and a person file)
WIDE, LIST = 4, 5  # numbered member columns; a member list in one cell
SHOWS_PERSON_ROWS = (1, 2, EXPORT)  # one row per member: sex, birth date, 是否保障对象
ID_RULES = frozenset(
    {
        "id.invalid",
        "id.checksum",
        "id.precision-lost",
        "id.masked",
        "id.legacy-15",
        "id.region-unknown",
        "id.mismatch",
        "dup.person",
        "household.head-minor",
        "person.age-implausible",
    }
)
"""Rules that read the full ID: never planted on a publicity list (every ID masked)."""


@dataclass
class Plant:
    rule: str
    hh: int = -1  # household index (-1: a totals row)
    member: int = -1  # member index where one person is concerned
    field: str = ""  # the field whose cell is at fault ("" = the row)
    person: str = ""  # the person's true ID
    detail: str = ""
    may_also: str = ""
    partner: int = -1  # index of the other Plant of a pair (dup rules)
    target: int = -1  # for totals: index of the sheet (in render order)
    on: str = ""  # "household": the finding is on the household row, though a member is named


@dataclass(frozen=True)
class Override:
    """A cell written differently from the model: ``raw`` as is, else formatted."""

    value: object
    raw: bool = True


class Planter:
    def __init__(
        self,
        model: Model,
        rng: np.random.Generator,
        layout: np.ndarray,
        traits: dict[str, np.ndarray] | None = None,
    ):
        self.m = model
        self.spec: RosterSpec = model.spec
        self.rng = rng
        # per household: 0 household, 1 member, 2 block, 3 export pair, 4 wide, 5 list
        self.layout = layout
        none = np.zeros(model.n_households, dtype=bool)
        traits = traits or {}
        self.masked = traits.get("masked", none)  # a publicity list: every ID masked
        self.matchable = traits.get("matchable", none)  # masked, enough left to match
        self.repeat = traits.get("repeat", none)  # household cells on every member row
        self.monthly = traits.get("monthly", none)  # the last sheet of a monthly workbook
        # cells of earlier months written differently (a benefit that rose since)
        self.earlier: dict[tuple[str, int], Override] = {}
        self.used = np.zeros(model.n_households, dtype=bool)
        self.plants: list[Plant] = []
        self.overrides: dict[tuple[str, int], Override] = {}
        self.taken_ids: set[int] = set()

    # ---- helpers
    @property
    def hh(self):
        return self.m.hh

    @property
    def mem(self):
        return self.m.mem

    def pool(self, mask: np.ndarray) -> np.ndarray:
        return self.rng.permutation(np.flatnonzero(mask))

    def take(self, pool_iter, ok=lambda h: True) -> int | None:
        for h in pool_iter:
            h = int(h)
            if not self.used[h] and ok(h):
                self.used[h] = True
                return h
        return None

    def person_of(self, h: int, need=None) -> int | None:
        """The member a person-level problem goes on: the head in a household
        layout (the only person shown), else a random non-head member; with
        ``need``, one whose ID passes it (None if there is none)."""
        first, size = int(self.hh["first"][h]), int(self.hh["size"][h])
        if self.layout[h] == 0 or size == 1:
            cands = [first]
        else:
            cands = (first + 1 + self.rng.permutation(size - 1)).tolist()
        for m in cands:
            if need is None or need(str(self.mem["id"][m])):
                return m
        return None

    def protect(self, field: str, entity: int, value=None, raw: bool = False) -> None:
        """Write this cell plainly (no quirk), so the key's cell is exact."""
        self.overrides[(field, entity)] = Override(value, raw)

    def add(self, rule, h, member=-1, field="", detail="", may_also="", person=None) -> Plant:
        if person is None:
            person = str(self.mem["id"][member]) if member >= 0 else ""
        p = Plant(rule, h, member, field, person, detail, may_also)
        self.plants.append(p)
        return p

    def cap(self, h: int) -> int:
        return self.spec.standard_year * int(self.hh["covered"][h]) // 12

    def new_identity(self, m: int, age: int) -> str:
        """Give member ``m`` a new age and a new valid, unused ID to match."""
        if not self.taken_ids:
            self.taken_ids = {s[:17] for s in self.mem["id"].tolist()}
        birth = birth_dates(self.rng, np.array([age]), self.spec.as_of_month)
        male = int(self.mem["male"][m])
        while True:
            seq = int(self.rng.integers(0, 500)) * 2 + male
            body = str(int(id_bodies(int(self.spec.county), birth, np.array([seq]))[0]))
            if body not in self.taken_ids:
                break
        self.taken_ids.add(body)
        new = body + check_char(body)
        self.mem["birth"][m] = birth[0]
        self.mem["id"][m] = new
        return new

    # ---- masks
    def ordinary(self) -> np.ndarray:
        return (self.hh["mode"] == MODE_HOUSEHOLD) & (self.hh["status"] == STATUS_NORMAL)

    def member_rows(self) -> np.ndarray:
        return self.layout != 0

    def person_ok(self) -> np.ndarray:
        """Households where a person-level problem can sit on one member."""
        return (self.layout == 0) | (self.hh["size"] >= 2)

    def person_rows(self) -> np.ndarray:
        """Households written one row per member (sex, birth date, 是否保障对象 shown)."""
        return np.isin(self.layout, SHOWS_PERSON_ROWS)


def plant_problems(
    model: Model,
    rng: np.random.Generator,
    layout: np.ndarray,
    totals_sheets: list[int],
    traits: dict[str, np.ndarray] | None = None,
) -> tuple[list[Plant], dict[tuple[str, int], Override], dict[tuple[str, int], Override]]:
    """Plant the spec's problems; return the plants, the cell overrides and the cell
    overrides of the months before the last (a monthly workbook).

    ``layout`` gives each household's file layout (``LAYOUT_CODES``);
    ``totals_sheets`` the sheets (render order) that have totals rows; ``traits``
    per household: ``masked`` (publicity list), ``repeat`` (household cells on every
    member row), ``monthly`` (in a monthly workbook).
    """
    spec = model.spec
    p = Planter(model, rng, layout, traits)
    counts = _counts(spec, model.n_households, layout, totals_sheets, rng, p)
    for rule in (*PLANTABLE_RULES, *EXPORT_RULES, *LAYOUT_RULES):
        k = counts.get(rule, 0)
        if k:
            if rule == "roster.totals-mismatch":
                for s in rng.choice(totals_sheets, k, replace=True):
                    p.plants.append(Plant(rule, target=int(s)))
            else:
                _PLANTERS[rule](p, k)
    if p.monthly.any():
        _month_changes(p)
    set_work_ability(model.mem, spec.as_of_month)
    finalise(model)
    return p.plants, p.overrides, p.earlier


def _counts(spec, n_hh, layout, totals_sheets, rng, p: Planter) -> dict[str, int]:
    rules = [
        r
        for r in (*PLANTABLE_RULES, *EXPORT_RULES, *LAYOUT_RULES)
        if _applicable(r, layout, totals_sheets, p)
    ]
    if not isinstance(spec.problems, float | int):
        bad = [r for r, k in spec.problems.items() if k and r not in rules]
        if bad:
            raise ValueError(f"these layouts cannot show {bad} (no member rows or no totals rows)")
        return {r: int(k) for r, k in spec.problems.items()}
    total = round(spec.problems * n_hh)
    if total == 0 or not rules:
        return {}
    base, extra = divmod(total, len(rules))
    counts = dict.fromkeys(rules, base)
    for r in rng.choice(rules, extra, replace=False):
        counts[str(r)] += 1
    return counts


def _applicable(rule: str, layout: np.ndarray, totals_sheets: list[int], p: Planter) -> bool:
    if rule in ID_RULES and p.masked.all():
        return False
    if rule == "roster.totals-mismatch":
        return bool(totals_sheets)
    if rule in ("id.mismatch", "single.not-qualifying"):
        return bool(np.isin(layout, SHOWS_PERSON_ROWS).any())
    if rule == "household.head":  # a relation per member; a list's entries may have none
        return bool(np.isin(layout, (*SHOWS_PERSON_ROWS, WIDE)).any())
    if rule == "id.precision-lost":  # a number cell: never inside a list's text
        return bool((layout != LIST).any())
    if rule in MEMBER_ROW_RULES:
        return bool((layout != 0).any())
    if rule in EXPORT_RULES:
        return bool((layout == EXPORT).any())
    if rule == "household.inconsistent-repeat":
        return bool(p.repeat.any())
    if rule == "dup.masked-match":
        return bool(p.matchable.sum() >= 2)
    if rule == "change.benefit-rise":
        return bool(p.monthly.any())
    return True


# ---------------------------------------------------------------- identity


def _ids(p: Planter, k: int, rule: str, need=None) -> None:
    ok = p.person_ok() & ~p.masked
    if rule == "id.precision-lost":
        ok &= p.layout != LIST
    it = iter(p.pool(ok))
    for _ in range(k):
        h = p.take(it, lambda h: p.person_of(h, need) is not None)
        if h is None:
            return
        m = p.person_of(h, need)
        true = str(p.mem["id"][m])
        value, recorded, detail = _corrupt(p, rule, true)
        p.mem["id"][m] = recorded
        p.protect("id_number", m, value, raw=True)
        p.add(rule, h, m, "id_number", detail, person=true)


def _corrupt(p: Planter, rule: str, s: str) -> tuple[object, str, str]:
    rng = p.rng
    if rule == "id.invalid":
        kind = int(rng.integers(0, 4))
        if kind == 0:
            body = s[:10] + "13" + s[12:17]
            v = body + check_char(body)
            return v, v, f"birth month 13 in {v}"
        if kind == 1:
            body = s[:12] + "32" + s[14:17]
            v = body + check_char(body)
            return v, v, f"birth day 32 in {v}"
        if kind == 2:
            v = s[:-1]
            return v, v, f"17 characters: {v}"
        i = int(rng.integers(6, 16))
        v = s[:i] + "O" + s[i + 1 :]
        return v, v, f"letter O in {v}"
    if rule == "id.checksum":
        right = s[17]
        wrong = str(rng.choice([c for c in "0123456789X" if c != right]))
        v = s[:17] + wrong
        return v, v, f"check character {wrong}, should be {right}"
    if rule == "id.precision-lost":
        text = f"{int(s):.15g}"
        v = float(text)
        shown = str(int(Decimal(text)))
        return v, shown, f"stored as the number {text.upper()} ({shown})"
    if rule == "id.masked":
        v = s[:6] + "*" * 8 + s[14:]
        return v, v, f"masked as {v}"
    if rule == "id.legacy-15":
        v = s[:6] + s[8:17]
        return v, v, f"15-digit ID {v}"
    if rule == "id.region-unknown":
        code = str(rng.choice(data.UNKNOWN_REGIONS))
        body = code + s[6:17]
        v = body + check_char(body)
        return v, v, f"region code {code} never existed"
    raise AssertionError(rule)


def _plant_mismatch(p: Planter, k: int) -> None:
    it = iter(p.pool(p.person_rows() & (p.hh["size"] >= 2)))
    for _ in range(k):
        h = p.take(it)
        if h is None:
            return
        m = p.person_of(h)
        if p.rng.random() < 0.5:
            male = bool(p.mem["male"][m])
            shown = "女" if male else "男"
            p.protect("sex", m, shown, raw=True)
            p.m.recorded[("mem", "sex", m)] = shown
            p.add("id.mismatch", h, m, "sex", f"性别 {shown}, the ID says {'男' if male else '女'}")
        else:
            shift = int(p.rng.integers(200, 1500)) * (1 if p.rng.random() < 0.5 else -1)
            birth = p.mem["birth"][m] + np.timedelta64(shift, "D")
            p.protect("birth_date", m, birth)
            p.m.recorded[("mem", "birth_date", m)] = np.datetime64(birth, "s")
            p.add(
                "id.mismatch",
                h,
                m,
                "birth_date",
                f"出生日期 {birth}, the ID says {p.mem['birth'][m]}",
            )


def _plant_dup_person(p: Planter, k: int, rule: str = "dup.person") -> None:
    village = p.hh["village"]
    # a publicity list's twins match only weakly (dup.masked-match), the others exactly
    ok = p.person_ok() & (p.matchable if rule == "dup.masked-match" else ~p.masked)
    pool = p.pool(ok)
    for h in pool:
        if k == 0:
            return
        h = int(h)
        if p.used[h]:
            continue
        m = p.person_of(h)
        rel = p.mem["rel"][m]
        # the twin: another household, another village where there is one, a
        # member of the same relation and about the same age
        others = (
            ok & ~p.used & (village != village[h])
            if (village != village[h]).any()
            else ok & ~p.used
        )
        others[h] = False
        cands = p.rng.permutation(np.flatnonzero(others))[:200]
        twin = None
        for g in cands:
            g = int(g)
            mg = p.person_of(g)
            # never make a child the head of a household-level row
            adult = ages(p.mem["birth"][m : m + 1], p.spec.as_of_month)[0] >= 20
            if p.mem["rel"][mg] == rel or (p.layout[g] == 0 and adult) or p.layout[h] == 0:
                twin = (g, mg)
                break
        if twin is None:
            continue
        g, mg = twin
        p.used[h] = p.used[g] = True
        for key in ("id", "name", "male", "birth"):
            p.mem[key][mg] = p.mem[key][m]
        ident = str(p.mem["id"][m])
        p.protect("id_number", m, ident, raw=True)
        p.protect("id_number", mg, ident, raw=True)
        a = p.add(rule, h, m, "id_number", "same person as", person=ident)
        b = p.add(rule, g, mg, "id_number", "same person as", person=ident)
        a.partner, b.partner = len(p.plants) - 1, len(p.plants) - 2
        k -= 1


def _plant_dup_account(p: Planter, k: int) -> None:
    it = iter(p.pool(np.ones(p.m.n_households, dtype=bool)))
    for _ in range(k):
        h = p.take(it)
        g = p.take(it)
        if h is None or g is None:
            return
        acct = str(p.hh["account"][h])
        p.hh["account"][g] = acct
        p.hh["bank"][g] = p.hh["bank"][h]
        p.protect("bank_account", h, acct, raw=True)
        p.protect("bank_account", g, acct, raw=True)
        a = p.add("dup.bank-account", h, field="bank_account", detail="account shared with")
        b = p.add("dup.bank-account", g, field="bank_account", detail="account shared with")
        a.partner, b.partner = len(p.plants) - 1, len(p.plants) - 2


# ---------------------------------------------------------------- households


def _plant_size(p: Planter, k: int) -> None:
    it = iter(p.pool(p.member_rows() & (p.hh["size"] >= 2) & p.ordinary()))
    for _ in range(k):
        h = p.take(it)
        if h is None:
            return
        first, size = int(p.hh["first"][h]), int(p.hh["size"][h])
        m = first + size - 1
        p.mem["present"][m] = False
        p.protect("household_size", h, size, raw=True)
        p.add(
            "household.size-mismatch",
            h,
            field="household_size",
            detail=f"家庭人口 {size}, {size - 1} member rows (missing {p.mem['id'][m]})",
        )


def _plant_head(p: Planter, k: int) -> None:
    shows = np.isin(p.layout, (*SHOWS_PERSON_ROWS, WIDE))
    it = iter(p.pool(shows & (p.hh["size"] >= 2)))
    for _ in range(k):
        h = p.take(it)
        if h is None:
            return
        first = int(p.hh["first"][h])
        # a wide ledger's head has no relation cell: only a second 户主 can show
        if p.rng.random() < 0.5 or p.layout[h] == WIDE:
            m = first + 1
            p.mem["rel"][m] = HEAD
            p.protect("relation", m, "户主", raw=True)
            p.add("household.head", h, m, "relation", "two heads (户主) in one household")
        else:
            m = first
            p.mem["rel"][m] = OTHER
            p.protect("relation", m, "其他", raw=True)
            plant = p.add("household.head", h, m, "relation", "no head (户主) in the household")
            plant.on = "household"


def _plant_head_minor(p: Planter, k: int) -> None:
    ok = (p.hh["size"] <= 2) & p.ordinary() & ~p.masked
    it = iter(p.pool(ok))
    for _ in range(k):
        h = p.take(it)
        if h is None:
            return
        first, size = int(p.hh["first"][h]), int(p.hh["size"][h])
        age = int(p.rng.integers(14, 18))
        new = p.new_identity(first, age)
        if size == 2:
            m = first + 1
            p.mem["rel"][m] = SIBLING
            p.new_identity(m, int(p.rng.integers(6, age)))
            surname = str(p.mem["name"][first])[0]
            p.mem["name"][m] = surname + str(p.mem["name"][m])[1:]
        p.protect("id_number", first, new, raw=True)
        p.add("household.head-minor", h, first, "id_number", f"head aged {age}")


def _plant_age(p: Planter, k: int) -> None:
    first, size = p.hh["first"], p.hh["size"]
    rel = p.mem["rel"]
    # a member layout: a parent of the head; a household layout: an old head
    has_parent = np.bincount(p.mem["hh"], weights=(rel == PARENT), minlength=len(size)) > 0
    ok = np.where(p.layout == 0, size == 1, has_parent) & ~p.masked
    it = iter(p.pool(ok))
    for _ in range(k):
        h = p.take(it)
        if h is None:
            return
        lo = int(first[h])
        parents = np.flatnonzero(rel[lo : lo + size[h]] == PARENT)
        m = lo if p.layout[h] == 0 else lo + int(parents[0])
        age = int(p.rng.integers(111, 117))
        new = p.new_identity(m, age)
        p.protect("id_number", m, new, raw=True)
        p.add("person.age-implausible", h, m, "id_number", f"aged {age} by the ID")


# ---------------------------------------------------------------- cells


def _plant_unparsed(p: Planter, k: int) -> None:
    it = iter(p.pool(p.ordinary()))
    for _ in range(k):
        h = p.take(it)
        if h is None:
            return
        kind = int(p.rng.integers(0, 3))
        if kind == 0:
            size = int(p.hh["size"][h])
            text = f"{CN_NUMBERS[size]}口人?"
            field, also = "household_size", "roster.totals-mismatch,household.size-mismatch"
        elif kind == 1:
            text = str(p.rng.choice(["abc", "待核实", "见附表"]))
            field, also = "gross_income_year", "roster.totals-mismatch,benefit.mismatch"
        else:
            text = str(p.rng.choice(["见备注", "待定", "四百元"]))
            field, also = "benefit_month", "roster.totals-mismatch"
        p.protect(field, h, text, raw=True)
        p.m.recorded[("hh", field, h)] = np.nan
        p.add("data.unparsed", h, field=field, detail=f"'{text}'", may_also=also)


def _plant_ambiguous(p: Planter, k: int) -> None:
    it = iter(p.pool(p.ordinary()))
    year_hi = p.spec.as_of_month // 12
    for _ in range(k):
        h = p.take(it)
        if h is None:
            return
        year = int(p.rng.integers(2009, year_hi))
        p.hh["start_month"][h] = year * 12 + 9
        value = float(f"{year}.1")
        p.protect("start_month", h, value, raw=True)
        p.add(
            "date.ambiguous", h, field="start_month", detail=f"number {year}.1: {year}-10 or -01?"
        )


# ---------------------------------------------------------------- money


def _plant_above(p: Planter, k: int) -> None:
    it = iter(p.pool(p.ordinary()))
    std_m = p.spec.standard_year / 12
    for _ in range(k):
        h = p.take(it)
        if h is None:
            return
        paid = p.hh["benefit"][h]
        set_income(
            p.rng, p.spec, p.hh, p.mem, np.array([h]), np.array([p.rng.uniform(1.05, 1.45) * std_m])
        )
        p.hh["benefit"][h] = paid
        pc = p.hh["net"][h] / 12 / p.hh["size"][h]
        p.add(
            "income.above-standard",
            h,
            detail=f"per-capita {pc:.2f} >= {std_m:g} a month",
            may_also="benefit.mismatch",
        )


def _plant_benefit(p: Planter, k: int) -> None:
    it = iter(p.pool(p.ordinary()))
    for _ in range(k):

        def room(h):
            return (
                p.cap(h) - 1 - p.hh["benefit_expected"][h] >= 5
                or p.hh["benefit_expected"][h] - 1 >= 5
            )

        h = p.take(it, room)
        if h is None:
            return
        exp = int(p.hh["benefit_expected"][h])
        up = min(int(p.rng.integers(5, 81)), p.cap(h) - 1 - exp)
        down = min(int(p.rng.integers(5, 81)), exp - 1)
        new = exp + up if up >= 5 and (down < 5 or p.rng.random() < 0.5) else exp - down
        p.hh["benefit"][h] = new
        p.protect("benefit_month", h)
        p.add("benefit.mismatch", h, field="benefit_month", detail=f"recorded {new}, formula {exp}")


def _plant_over_cap(p: Planter, k: int) -> None:
    it = iter(p.pool(p.ordinary()))
    for _ in range(k):
        h = p.take(it)
        if h is None:
            return
        new = p.cap(h) + int(p.rng.integers(10, 151))
        p.hh["benefit"][h] = new
        p.protect("benefit_month", h)
        p.add(
            "benefit.over-cap",
            h,
            field="benefit_month",
            detail=f"recorded {new} > cap {p.cap(h)}",
            may_also="benefit.mismatch",
        )


def _plant_deduction(p: Planter, k: int) -> None:
    it = iter(p.pool(p.ordinary()))
    for _ in range(k):
        h = p.take(it)
        if h is None:
            return
        gross = int(p.hh["gross"][h])
        medical = gross + int(p.rng.integers(5, 50)) * 100
        p.hh["medical"][h] = medical
        p.hh["net"][h] = 0
        size, covered = p.hh["size"][h : h + 1], p.hh["covered"][h : h + 1]
        b = int(formula_benefit(p.spec.standard_year, size, covered, np.array([0]))[0])
        p.hh["benefit"][h] = b
        p.hh["benefit_expected"][h] = b
        p.protect("medical_expense", h)
        p.add(
            "deduction.excessive",
            h,
            field="medical_expense",
            detail=f"自付医疗费用 {medical} > gross income {gross}",
        )


# ---------------------------------------------------------------- phase-out, single


def _plant_phaseout(p: Planter, k: int, rule: str) -> None:
    it = iter(p.pool(p.ordinary()))
    std_m = p.spec.standard_year / 12
    as_of = p.spec.as_of_month
    for _ in range(k):
        h = p.take(it)
        if h is None:
            return
        idx = np.array([h])
        if rule == "phaseout.expired":
            start = as_of - int(p.rng.integers(8, 15))
            make_phaseout(p.rng, p.spec, p.hh, p.mem, idx, start=np.array([start]))
            p.protect("phaseout_start", h)
            y, m = divmod(start, 12)
            p.add(rule, h, field="phaseout_start", detail=f"渐退起始月 {y}-{m + 1:02d}")
            continue
        make_phaseout(p.rng, p.spec, p.hh, p.mem, idx)
        if rule == "phaseout.no-start":
            p.protect("phaseout_start", h, None, raw=True)
            p.m.recorded[("hh", "phaseout_start", h)] = np.datetime64("NaT")
            p.add(rule, h, field="phaseout_start", detail="渐退 without 渐退起始月")
        elif rule == "phaseout.not-eligible":
            p.hh["registered"][h] = False
            p.protect("registered_poor", h)
            p.add(
                rule, h, field="registered_poor", detail="渐退 for a household not registered poor"
            )
        elif rule == "phaseout.above-ceiling":
            set_income(
                p.rng, p.spec, p.hh, p.mem, idx, np.array([p.rng.uniform(1.55, 2.2) * std_m])
            )
            pc = p.hh["net"][h] / 12 / p.hh["size"][h]
            p.add(rule, h, detail=f"per-capita {pc:.2f} >= 1.5 x {std_m:g}")
        elif rule == "phaseout.below-standard":
            set_income(
                p.rng, p.spec, p.hh, p.mem, idx, np.array([p.rng.uniform(0.4, 0.95) * std_m])
            )
            pc = p.hh["net"][h] / 12 / p.hh["size"][h]
            p.add(rule, h, detail=f"per-capita {pc:.2f} < {std_m:g}", may_also="benefit.mismatch")


def _plant_single(p: Planter, k: int, rule: str) -> None:
    ok = p.ordinary() & (p.hh["size"] >= 2)
    if rule == "single.not-qualifying":
        age = ages(p.mem["birth"], p.spec.as_of_month)
        adult = (age >= 18) & (age < 60) & (p.mem["pos"] > 0)
        ok &= (np.bincount(p.mem["hh"], weights=adult, minlength=len(ok)) > 0) & p.person_rows()
    it = iter(p.pool(ok))
    std_m = p.spec.standard_year / 12
    for _ in range(k):
        h = p.take(it)
        if h is None:
            return
        idx = np.array([h])
        make_single(p.rng, p.spec, p.hh, p.mem, idx)
        if rule == "single.not-one":
            size = int(p.hh["size"][h])
            p.hh["covered"][h] = size
            p.protect("covered_count", h)
            p.add(
                rule,
                h,
                field="covered_count",
                detail=f"单人保 with 保障人口 {size}",
                may_also="benefit.mismatch",
            )
        elif rule == "single.above-ceiling":
            set_income(
                p.rng, p.spec, p.hh, p.mem, idx, np.array([p.rng.uniform(1.55, 2.2) * std_m])
            )
            pc = p.hh["net"][h] / 12 / p.hh["size"][h]
            p.add(rule, h, detail=f"per-capita {pc:.2f} >= 1.5 x {std_m:g}")
        elif rule == "single.not-registered-poor":
            p.hh["registered"][h] = False
            p.protect("registered_poor", h)
            p.add(
                rule,
                h,
                field="registered_poor",
                detail="单人保 for a household not registered poor",
            )
        elif rule == "single.not-qualifying":
            lo, size = int(p.hh["first"][h]), int(p.hh["size"][h])
            age = ages(p.mem["birth"][lo : lo + size], p.spec.as_of_month)
            cands = [lo + i for i in range(1, size) if 18 <= age[i] < 60]
            m = cands[int(p.rng.integers(0, len(cands)))]
            p.mem["covered"][lo : lo + size] = False
            p.mem["covered"][m] = True
            p.mem["grade"][m] = 0
            p.mem["dtype"][m] = -1
            p.mem["illness"][m] = ""
            p.protect("is_covered", m)
            p.add(rule, h, m, "is_covered", "the covered member is neither disabled nor ill")


# ---------------------------------------------------------------- export pairs


def _plant_no_household_row(p: Planter, k: int) -> None:
    """The household file lacks the household: each of its members is an orphan."""
    it = iter(p.pool((p.layout == EXPORT) & p.ordinary()))
    for _ in range(k):
        h = p.take(it)
        if h is None:
            return
        p.m.gaps[h] = "no-household-row"
        first, size = int(p.hh["first"][h]), int(p.hh["size"][h])
        for m in range(first, first + size):
            if p.mem["present"][m]:
                p.add(
                    "roster.member-without-household",
                    h,
                    m,
                    "id_number",
                    "the household's row is missing from the household file",
                )


def _plant_no_member_rows(p: Planter, k: int) -> None:
    """The person file lacks every member of the household."""
    it = iter(p.pool((p.layout == EXPORT) & p.ordinary()))
    for _ in range(k):
        h = p.take(it)
        if h is None:
            return
        p.m.gaps[h] = "no-member-rows"
        p.add(
            "roster.household-without-members",
            h,
            field="head_id",
            detail=f"none of the {int(p.hh['size'][h])} members is in the person file",
        )


# ---------------------------------------------------------------- layouts of issue 12


def _plant_inconsistent_repeat(p: Planter, k: int) -> None:
    """A household cell repeated on every member row, written with another amount on one
    member's row (the head's and the others' copies agree)."""
    it = iter(p.pool(p.repeat & (p.hh["size"] >= 2) & p.ordinary()))
    for _ in range(k):
        h = p.take(it, lambda h: p.mem["present"][p.hh["first"][h] + 1])
        if h is None:
            return
        m = int(p.hh["first"][h]) + 1
        field, source = (
            ("gross_income_year", "gross") if p.rng.random() < 0.5 else ("benefit_month", "benefit")
        )
        right = int(p.hh[source][h])
        wrong = right + int(p.rng.integers(1, 10)) * 100
        p.protect(field, h)
        p.overrides[("repeat:" + field, m)] = Override(wrong, raw=False)
        p.add(
            "household.inconsistent-repeat",
            h,
            m,
            field,
            f"{wrong} on this member's row, {right} on the household's other rows",
        )


def _plant_benefit_rise(p: Planter, k: int) -> None:
    """A benefit that rose since the month before with nothing to explain it: the earlier
    month's sheet shows less, with the same income, size and covered persons."""
    it = iter(p.pool(p.monthly & p.ordinary() & (p.hh["benefit"] >= 30)))
    for _ in range(k):
        h = p.take(it)
        if h is None:
            return
        now = int(p.hh["benefit"][h])
        before = now - int(p.rng.integers(2, min(9, now // 10) + 1)) * 10
        p.protect("benefit_month", h)
        p.earlier[("benefit_month", h)] = Override(before, raw=False)
        p.add(
            "change.benefit-rise",
            h,
            field="benefit_month",
            detail=f"{before} the month before, {now} now, income unchanged",
        )


def _month_changes(p: Planter) -> None:
    """The clean changes of a monthly workbook: a household new in the last month (first
    paid then) and one that left before it (in the earlier months only)."""
    it = iter(p.pool(p.monthly & p.ordinary()))
    added = p.take(it)
    removed = p.take(it)
    if added is not None:
        p.m.changes[added] = "added"
        p.hh["start_month"][added] = p.spec.as_of_month
    if removed is not None:
        p.m.changes[removed] = "removed"


def _make_id_planter(rule, need=None):
    return lambda p, k: _ids(p, k, rule, need)


_PLANTERS = {
    "roster.member-without-household": _plant_no_household_row,
    "roster.household-without-members": _plant_no_member_rows,
    "id.invalid": _make_id_planter("id.invalid"),
    "id.checksum": _make_id_planter("id.checksum"),
    "id.precision-lost": _make_id_planter("id.precision-lost", lambda s: s[17].isdigit()),
    "id.masked": _make_id_planter("id.masked"),
    "id.legacy-15": _make_id_planter("id.legacy-15", lambda s: s[6:8] == "19"),
    "id.region-unknown": _make_id_planter("id.region-unknown"),
    "id.mismatch": _plant_mismatch,
    "dup.person": _plant_dup_person,
    "dup.masked-match": lambda p, k: _plant_dup_person(p, k, "dup.masked-match"),
    "household.inconsistent-repeat": _plant_inconsistent_repeat,
    "change.benefit-rise": _plant_benefit_rise,
    "dup.bank-account": _plant_dup_account,
    "household.size-mismatch": _plant_size,
    "household.head": _plant_head,
    "household.head-minor": _plant_head_minor,
    "person.age-implausible": _plant_age,
    "data.unparsed": _plant_unparsed,
    "date.ambiguous": _plant_ambiguous,
    "income.above-standard": _plant_above,
    "benefit.mismatch": _plant_benefit,
    "benefit.over-cap": _plant_over_cap,
    "deduction.excessive": _plant_deduction,
    **{
        r: (lambda rule: lambda p, k: _plant_phaseout(p, k, rule))(r)
        for r in PLANTABLE_RULES
        if r.startswith("phaseout.")
    },
    **{
        r: (lambda rule: lambda p, k: _plant_single(p, k, rule))(r)
        for r in PLANTABLE_RULES
        if r.startswith("single.")
    },
}
