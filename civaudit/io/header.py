"""Find a roster's header below its title rows and decide what each column means.

Village rosters put a title ("××县××乡2019年10月农村低保对象花名册") and notes
("填报单位：…  单位：元") above the header, and often use a header of two or three rows
where a merged parent spans its children (保障人数 over 重点保障人数 | 残疾人数). We
score the first rows against the known column names, take the best one, and widen it
to parent rows above or child rows below when the layout says so. Merged cells are not
needed for that: a merged parent leaves blank cells beside it, and a header merged
down leaves a blank cell under it.

Each column's meaning is then decided, and the way it was decided is kept
(``Column.basis``) so ``inspect`` can show it:

- ``alias``: the header text is in the alias table (``io.aliases``), after
  normalisation (width, traditional characters, spaces, units, stars);
- ``parent``: a parent header gives its children their meaning: ``合计`` under
  家庭收入情况 is the household's annual income, under 领取金额 the month's payment;
- ``unit`` / ``words``: a unit (``（元/月）``, ``万元``, in the column, its parent or the
  sheet's note) or a period word (``月``, ``年``) picks the field of that period or a
  scale for the values;
- ``shape``: the values below decide where the header cannot: 18-character ID numbers
  or short certificate numbers, one name or a list of names in a cell;
- ``context``: the other columns decide (证件号码 beside a 身份证号码 column is the
  certificate number; a bare 月收入 on a sheet of households is the household's);
- ``user``: mapped by hand (``--column``, the policy's ``[columns]``).

Two columns that claim one field are resolved by meaning where they can be; a clash
that nothing resolves is kept on the header (``Header.clashes``), never dropped
silently. A sheet counts as a roster only when its header holds a person column and
welfare-roster evidence (an ID or household key, household counts, income, benefit):
two generic words (``Name``, ``Age``) are not a roster.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import pandas as pd

from civaudit.errors import MappingError
from civaudit.io.aliases import (
    ALIASES,
    CHILD_OF,
    GROUP_OF,
    ROSTER_EVIDENCE,
    Group,
    meaning,
)
from civaudit.io.grid import cells_as_objects, column_letter
from civaudit.io.units import Unit, interpret, sheet_unit, units_in, words_period
from civaudit.normalize.text import normalize_header
from civaudit.schema import FIELD_BY_NAME, PERSON_FIELDS

SCAN_ROWS = 40
MAX_BAND = 3  # header rows at most (a parent, a child and a grandchild)
SAMPLE_ROWS = 100  # data rows whose values may decide a column's meaning
_NUMBERISH = re.compile(r"[\d\s.,，、+\-%()（）元¥￥]+|.*\d{6,}.*")
_LETTERS = re.compile(r"[A-Za-z]{1,3}")

USED = ("alias", "user")
"""``Column.how`` values of a column whose field is read."""

_PEOPLE = frozenset({*PERSON_FIELDS, "member_list", "member_id_list"})


@dataclass(frozen=True)
class Column:
    """One source column, the field it feeds (None when unplaced) and why.

    ``how`` is the column's state: ``alias`` (decided from the sheet), ``user`` (mapped
    by hand), ``unmapped`` (no field could be placed), ``duplicate`` (the user gave its
    field to another column), ``clash`` (another column claims the same field and
    nothing decides between them), ``superseded`` (another column gives the field and
    wins by meaning: 核对 over 申报), ``slot`` (a numbered member column, 成员一姓名:
    ``slot`` says which member). ``basis`` lists how the meaning was decided, each
    ``kind:detail`` (``alias:NC``, ``parent:家庭收入情况``, ``unit:元/月``, ``shape:…``).
    The tables step multiplies a money column's values by ``scale`` (万元, or a period
    the field has no twin for).
    """

    index: int
    letter: str
    header: str  # as the user sees it; header rows flattened as "parent.child"
    field: str | None
    how: str
    basis: tuple[str, ...] = ()
    unit: str = ""  # the unit that applies, as written (元/月)
    period: str | None = None  # the period the values cover: month, quarter, year
    scale: float = 1.0
    slot: int | None = None
    note: str = ""  # for a clash or a superseded column: the other column

    def __post_init__(self) -> None:  # a cached report gives lists back
        object.__setattr__(self, "basis", tuple(self.basis))

    @property
    def used(self) -> bool:
        return self.field is not None and self.how in USED


@dataclass(frozen=True)
class Clash:
    """Columns that claim one field with nothing to decide between them: the first is
    read (``kept``), the ``others`` are not."""

    field: str
    kept: Column
    others: tuple[Column, ...]


@dataclass(frozen=True)
class Header:
    rows: tuple[int, ...]  # Excel rows of the header band
    columns: tuple[Column, ...]
    title: tuple[str, ...]  # texts above the header (titles and notes)
    unit: str = ""  # the sheet's unit note (单位：元/月), as written
    clashes: tuple[Clash, ...] = field(default=())

    @property
    def last_row(self) -> int:
        return self.rows[-1]

    def mapped(self) -> dict[str, Column]:
        return {c.field: c for c in self.columns if c.used}

    @property
    def unplaced(self) -> tuple[Column, ...]:
        """Columns no field could be placed on."""
        return tuple(c for c in self.columns if c.how == "unmapped")

    @property
    def slots(self) -> tuple[Column, ...]:
        """Numbered member columns (成员一姓名, 成员一身份证号 …), in sheet order."""
        return tuple(c for c in self.columns if c.how == "slot")


def clashes_of(columns: tuple[Column, ...]) -> tuple[Clash, ...]:
    """The unresolved clashes among ``columns`` (what ``Header.clashes`` holds)."""
    out = []
    for name in dict.fromkeys(c.field for c in columns if c.how == "clash"):
        kept = next((c for c in columns if c.field == name and c.used), None)
        others = tuple(c for c in columns if c.field == name and c.how == "clash")
        if kept is not None:
            out.append(Clash(name, kept, others))
    return tuple(out)


def detect_header(
    cells: pd.DataFrame,
    *,
    where: str,
    columns: Mapping[str, str] | None = None,
    scan_rows: int = SCAN_ROWS,
    aliases: Mapping[str, str] | None = None,
    anchors: Collection[str] | None = None,
) -> Header:
    """The header of a sheet grid, or MappingError naming ``where`` and what was found.

    ``columns`` maps a field to a header text or a column letter chosen by the user
    (``{"id_number": "公民身份号码"}``), and wins over the alias table.

    ``aliases`` (normalised header text -> field) extends the roster's alias table for
    sheets that are not rosters (the external lists: 死亡日期, 号牌号码...); it is
    consulted after the roster aliases, so a roster header keeps its meaning.
    ``anchors`` are the fields a header must hold one of (external lists); without
    them the header must be a welfare roster's (a person and roster evidence).
    """
    extra = aliases or {}
    overrides = dict(columns or {})
    unknown = set(overrides) - set(FIELD_BY_NAME)
    if unknown:
        raise MappingError(
            f"--column names unknown field(s): {', '.join(sorted(unknown))}",
            "run 'civaudit inspect' to see the field names",
        )
    top = cells.iloc[:scan_rows]
    texts = [[_text(v) for v in row] for row in cells_as_objects(top).tolist()]
    wanted = {normalize_header(v): k for k, v in overrides.items() if not _is_letter(v)}
    scores = [_score(row, wanted, extra) for row in texts]
    best = max(range(len(scores)), key=lambda i: (len(scores[i]), -i), default=None)
    if best is None or len(scores[best]) < 2:
        raise _no_header(where, texts)
    first, last = _band(texts, best)
    band = [texts[p] for p in range(first, last + 1)]
    title = tuple(t for row in texts[:first] for t in row if t)
    rows = tuple(int(top.index[p]) for p in range(first, last + 1))
    paths = _flatten(band)
    note = sheet_unit(title)
    sample = cells.iloc[last + 1 : last + 1 + SAMPLE_ROWS]
    placed = _Placer(extra, overrides, note).place_all(paths, list(cells.columns))
    placed = _resolve(placed, sample)
    fields = {c.field for c in placed if c.field and c.how in (*USED, "slot", "clash")}
    accepted = fields & set(anchors) if anchors is not None else _roster_evidence(fields)
    if not accepted:
        raise _no_header(where, texts)
    result = tuple(placed)
    return Header(rows, result, title, note.text if note else "", clashes_of(result))


def _roster_evidence(fields: set[str]) -> bool:
    return bool(fields & _PEOPLE) and bool(fields & ROSTER_EVIDENCE)


def _no_header(where: str, texts: list[list[str]]) -> MappingError:
    found = [" ".join(t.split())[:20] for row in texts[:12] for t in row if t][:8]
    return MappingError(
        f"{where}: no roster header found"
        + (f" (first cells: {', '.join(found)})" if found else ""),
        "map the columns with --column id_number=<header> (and name=, household_size=, ...)",
    )


def _text(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def _is_letter(value: str) -> bool:
    return bool(_LETTERS.fullmatch(value.strip()))


def _score(row: list[str], wanted: Mapping[str, str], extra: Mapping[str, str]) -> set[str]:
    found = set()
    for text in row:  # every cell of the first rows: kept lean
        if text:
            key = normalize_header(text)
            hit = wanted.get(key) or ALIASES.get(key) or extra.get(key)
            if hit is None and ("成员" in key or "共同生活" in key):
                hit = _slot(key, extra)[0]
            if hit:
                found.add(hit)
    return found


# --- the header band ---------------------------------------------------------------


def _band(texts: list[list[str]], best: int) -> tuple[int, int]:
    """(first, last) row positions of the header band around the best-scoring row."""
    first = last = best
    while last - first + 1 < MAX_BAND and last + 1 < len(texts):
        head = texts[last]
        filled = [i for i, t in enumerate(head) if t]
        span = range(filled[0] if filled else 0, len(head))
        if not _is_child_row(texts[last + 1], head, span):
            break
        last += 1
    while last - first + 1 < MAX_BAND and first > 0:
        head = texts[first]
        filled = [i for i, t in enumerate(head) if t]
        span = range(filled[0] if filled else 0, len(head))
        if not _is_parent_row(texts[first - 1], head, span):
            break
        first -= 1
    return first, last


def _is_child_row(row: list[str], head: list[str], span: range) -> bool:
    values = [t for t in row if t]
    return (
        bool(values)
        and not any(_NUMBERISH.fullmatch(t) for t in values)
        and any(row[i] and not head[i] for i in span)
    )


def _is_parent_row(row: list[str], head: list[str], span: range) -> bool:
    """Group labels above the header: a label merged across, or merged down over a gap."""
    values = [t for t in row if t]
    if len(values) < 2 or any(
        ((":" in t or "：" in t) and not _unit_only(t)) or any(ch.isdigit() for ch in t)
        for t in values
    ):
        return False
    merged_down = any(row[i] and not head[i] for i in span)
    merged_across = any(
        row[i] and i + 1 < len(row) and not row[i + 1] and head[i + 1] for i in span
    )
    return merged_down or merged_across


def _unit_only(text: str) -> bool:
    """A parent that is only a unit note (单位：元/月)."""
    return bool(units_in(text)) and not normalize_header(re.sub(r"单位[:：].*", "", text))


def _flatten(band: list[list[str]]) -> list[tuple[str, ...]]:
    """Each column's labels from the top header row down.

    A label spreads right over the blank cells beside it while the rows below have
    labels there (a merged parent over its children); a blank cell with nothing below
    ends the spread (the column before was merged down). A parent whose own column has
    no child is the group's total (户数 | 其中分类施保).
    """
    width = len(band[0])
    paths: list[list[str]] = [[] for _ in range(width)]
    for r, row in enumerate(band):
        below = band[r + 1 :]
        group = ""
        for j in range(width):
            text = row[j]
            has_below = any(b[j] for b in below)
            if text:
                group = text
                paths[j].append(text)
            elif has_below and group:
                paths[j].append(group)
            elif not has_below:
                group = ""
    out = []
    for path in paths:
        labels: list[str] = []
        for label in path:
            if not labels or labels[-1] != label:
                labels.append(label)
        out.append(tuple(labels))
    return out


# --- placing each column -----------------------------------------------------------

_PERIOD_PREFIX = re.compile(r"^(?:每月|按月|月度|月|全年|年度|每年|年|季度|每季度|季)(?=..)")
_AMOUNT_LABEL = re.compile(r"\d+(?:\.\d+)?元?$")  # 重点救助60元: a label, not a unit
_SLOT_FIRST = re.compile(r"^(?:家庭)?成员([一二三四五六七八九十]{1,3}|\d{1,2})(.+)$")
_SLOT_LAST = re.compile(r"^(?:家庭成员|共同生活家庭成员|共同生活成员|共同生活|成员)(.+?)(\d{1,2})$")
_NUMERALS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}


def _lookup(key: str, extra: Mapping[str, str]) -> str | None:
    found = meaning(key)
    return found.field if found else extra.get(key)


def _slot(key: str, extra: Mapping[str, str]) -> tuple[str | None, int | None]:
    """A numbered member column (成员一姓名, 共同生活姓名1): its member field and number."""
    if "成员" not in key and "共同生活" not in key:
        return None, None
    match = _SLOT_FIRST.match(key)
    word, number = (match.group(2), match.group(1)) if match else (None, None)
    if word is None:
        match = _SLOT_LAST.match(key)
        if match:
            word, number = match.group(1), match.group(2)
    if word is None or number is None:
        return None, None
    found = _lookup(word, extra)
    if found is None or FIELD_BY_NAME.get(found) is None:
        return None, None
    if FIELD_BY_NAME[found].level != "member":
        return None, None
    return found, _number(number)


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if len(text) == 1:
        return _NUMERALS[text]
    tens, _, ones = text.partition("十")
    return (_NUMERALS.get(tens, 1) if tens else 1) * 10 + (_NUMERALS.get(ones, 0) if ones else 0)


@dataclass
class _Placer:
    extra: Mapping[str, str]
    overrides: Mapping[str, str]
    note: Unit | None

    def place_all(self, paths: list[tuple[str, ...]], positions: list) -> list[Column]:
        by_letter = {v.strip().upper(): k for k, v in self.overrides.items() if _is_letter(v)}
        by_text = {normalize_header(v): k for k, v in self.overrides.items() if not _is_letter(v)}
        out = []
        for path, index in zip(paths, positions, strict=True):
            if not path:
                continue
            letter = column_letter(int(index))
            shown = ".".join(path)
            keys = [normalize_header(shown), normalize_header("".join(path))]
            keys.append(normalize_header(path[-1]))
            user = by_letter.get(letter) or next((by_text[k] for k in keys if k in by_text), None)
            if user:
                unit = self._unit(path)
                out.append(Column(int(index), letter, shown, user, "user", ("user",), unit))
                continue
            out.append(self.place(int(index), letter, shown, path))
        return out

    def _unit(self, path: tuple[str, ...]) -> str:
        for label in reversed(path):
            found = units_in(label)
            if found:
                return found[0].text
        return self.note.text if self.note else ""

    def place(self, index: int, letter: str, shown: str, path: tuple[str, ...]) -> Column:
        child, parents = path[-1], path[:-1]
        basis: list[str] = []
        found = self._meaning(child, parents, basis)
        if found is None:
            slot_field, number = _slot(normalize_header(child), self.extra)
            if slot_field is not None:
                basis = [f"slot:{number}"]
                return Column(index, letter, shown, slot_field, "slot", tuple(basis), slot=number)
            return Column(index, letter, shown, None, "unmapped", tuple(basis))
        name, key, word = found
        if name is None:  # a part the parent names no field for (保障人数.残疾人数)
            return Column(index, letter, shown, None, "unmapped", tuple(basis))
        if name not in FIELD_BY_NAME:  # an external list's own field (号牌号码)
            return Column(index, letter, shown, name, "alias", tuple(basis))
        unit, unit_from = self._units(child, parents)
        stated, why = None, ""
        if unit is not None and unit_from == "unit" and unit.period:
            stated, why = unit.period, "unit"
        elif word or words_period(key):
            stated, why = word or words_period(key), "words"
        elif unit is not None and unit.period:
            stated, why = unit.period, unit_from
        else:
            for parent in reversed(parents):
                stated = words_period(normalize_header(parent))
                if stated:
                    why = "parent"
                    break
        money = FIELD_BY_NAME[name].kind == "money"
        result = interpret(name, unit, stated)
        told = unit is not None and (unit.period or unit.scale != 1 or unit.per_person)
        if money and told:
            step = f"{unit_from}:{unit.text}"
            basis.append(
                f"{step} -> {result.becomes}" if why == unit_from and result.becomes else step
            )
        if result.becomes and not (told and why == unit_from):
            basis.append(f"{why}:{stated} -> {result.becomes}")
        return Column(
            index,
            letter,
            shown,
            result.field,
            "alias",
            tuple(basis),
            unit.text if unit is not None and money else "",
            result.period,
            result.scale,
        )

    def _meaning(
        self, child: str, parents: tuple[str, ...], basis: list[str]
    ) -> tuple[str | None, str, str | None] | None:
        """(field, matched key, the period a stripped period word states) or None."""
        key = normalize_header(child)
        plain = _AMOUNT_LABEL.sub("", key) or key
        for parent in reversed(parents):
            group = _group(parent)
            if group is None:
                continue
            for k in dict.fromkeys((key, plain)):
                hit = CHILD_OF.get((group.name, k))
                if hit is not None:
                    basis.append(f"parent:{parent}")
                    basis.append(f"alias:{hit.source}")
                    return hit.field, k, None
        for parent in reversed(parents):  # 户主 + 姓名, 家庭年收入 + (元)
            joined = normalize_header(parent + child)
            hit = meaning(joined)
            if hit is not None:
                basis.append(f"parent:{parent}")
                basis.append(f"alias:{hit.alias.source}")
                return hit.field, joined, None
        if parents and key.startswith("其中"):
            return None  # a part of its parent, whatever it is called
        for k in dict.fromkeys((key, plain)):
            hit = meaning(k)
            if hit is not None:
                basis.append(f"alias:{hit.alias.source}")
                if hit.alias.rule:
                    basis.append(f"rule:{hit.alias.rule}")
                return hit.field, k, None
            if k in self.extra:
                basis.append("alias:list")
                return self.extra[k], k, None
        stripped = _PERIOD_PREFIX.sub("", key)
        if stripped != key:
            hit = meaning(stripped)
            if hit is not None and FIELD_BY_NAME[hit.field].kind == "money":
                word = key[: len(key) - len(stripped)]
                basis.append(f"alias:{hit.alias.source}")
                return hit.field, stripped, words_period(word)
        if not parents:
            group = _group(child)
            if group is not None and group.name == "standard":
                basis.append(f"alias:{group.source}")
                return "standard_month", key, None
        return None

    def _units(self, child: str, parents: tuple[str, ...]) -> tuple[Unit | None, str]:
        found = units_in(child)
        if found:
            return found[0], "unit"
        for parent in reversed(parents):
            found = units_in(parent)
            if found:
                return found[0], "parent-unit"
        if self.note is not None:  # a note above the header scales; it names no period
            return dataclasses.replace(self.note, period=None), "sheet-unit"
        return None, ""


def _group(parent: str) -> Group | None:
    key = normalize_header(parent)
    return GROUP_OF.get(key) or GROUP_OF.get(_PERIOD_PREFIX.sub("", key))


# --- deciding between meanings ----------------------------------------------------

_ID = re.compile(r"\d{17}[\dX]|\d{15}|\d{6}[*xX]{4,}\d{0,4}[\dX]?|\d{1,4}[*]{4,}\d{1,4}X?")
_ID_IN = re.compile(r"\d{17}[\dXx]|\d{15}(?!\d)")
_SCI = re.compile(r"\d\.\d+E\+1[4-7]", re.IGNORECASE)
_LIST_SEPARATORS = re.compile(r"\s*[、,，;；/|\n]+\s*")
_SEPARATOR = re.compile(r"[、,，;；/|\s]")
_NAME = re.compile(r"[\u4e00-\u9fff·]{2,5}(?:\s*[:：(（]?\s*(?:\d{17}[\dXx]|\d{15})[)）]?)?")

LIST_SHARE = 0.3  # of a column's cells listing several members: a member-list column
ID_SHARE = 0.5  # of a column's cells holding an ID number: an ID column


class _Shape:
    """What a column's sampled values look like; each share is worked out when asked."""

    def __init__(self, values: list) -> None:
        texts = (str(v).strip().lstrip("'") for v in values if isinstance(v, str) and v)
        self.texts = [t for t in texts if t]
        self.cells = len(self.texts)  # non-empty cells sampled

    def _share(self, hits: int) -> float:
        return hits / self.cells if self.cells else 0.0

    @functools.cached_property
    def ids(self) -> float:
        """Share of cells that are one ID number (18 or 15 digits, masked, or a float)."""
        return self._share(sum(_is_id(t) for t in self.texts))

    @functools.cached_property
    def id_lists(self) -> float:
        """Share of cells holding two or more ID numbers."""
        return self._share(sum(len(t) >= 30 and len(_ID_IN.findall(t)) >= 2 for t in self.texts))

    @functools.cached_property
    def name_lists(self) -> float:
        """Share of cells listing two or more names (or names with their IDs)."""
        hits = 0
        for t in self.texts:
            if len(t) >= 4 and _SEPARATOR.search(t):
                parts = [p for p in _LIST_SEPARATORS.split(t) if p]
                if len(parts) < 2:  # spaces alone: a list of three, not 欧阳 娜娜
                    parts = [p for p in re.split(r"\s+", t) if p]
                    parts = parts if len(parts) >= 3 else []
                hits += len(parts) >= 2 and all(
                    _NAME.fullmatch(p) or _ID_IN.fullmatch(p) for p in parts
                )
        return self._share(hits)


def _is_id(text: str) -> bool:
    return bool(_ID.fullmatch(re.sub(r"\s+", "", text).upper()) or _SCI.fullmatch(text))


def _member_rows(fields: set[str]) -> bool:
    """The sheet has one row per member (the tables step's test, from the fields)."""
    return (
        "relation" in fields
        or ("name" in fields and bool(fields & {"head_name", "head_id"}))
        or ("id_number" in fields and "head_id" in fields)
    )


_TWINS_BY_LEVEL = {"income_month": "household_income_month", "income_year": "gross_income_year"}


def _resolve(columns: list[Column], sample: pd.DataFrame) -> list[Column]:
    """Decide between meanings by the values' shape and the other columns, then mark
    the clashes nothing decides."""
    shapes: dict[int, _Shape] = {}

    def shape(c: Column) -> _Shape:
        if c.index not in shapes:
            values = sample[c.index].to_numpy(dtype=object) if c.index in sample else []
            shapes[c.index] = _Shape(list(values))
        return shapes[c.index]

    out = []
    for c in columns:  # one name or a list of names; one ID or a list of IDs
        if c.how == "alias" and c.field in ("name", "member_list", "id_number", "member_id_list"):
            c = _one_or_list(c, shape(c))
        out.append(c)
    fields = {c.field for c in out if c.used}
    member_rows = _member_rows(fields)
    placed = []
    for c in out:
        if c.how == "alias" and "rule:member-or-household" in c.basis and not member_rows:
            other = _TWINS_BY_LEVEL.get(c.field or "")
            if other is not None:
                c = _with(c, other, "context:household-rows")
        placed.append(c)
    placed = _ids_and_certificates(placed, shape)
    return _claims(placed)


def _with(c: Column, field_: str, why: str) -> Column:
    return Column(
        c.index, c.letter, c.header, field_, c.how, (*c.basis, why), c.unit, c.period, c.scale
    )


def _one_or_list(c: Column, s: _Shape) -> Column:
    if c.field == "name" and s.cells >= 2 and s.name_lists >= LIST_SHARE:
        return _with(c, "member_list", f"shape:name-lists={s.name_lists:.0%}")
    if c.field == "id_number" and s.cells >= 2 and s.id_lists >= LIST_SHARE:
        return _with(c, "member_id_list", f"shape:id-lists={s.id_lists:.0%}")
    if c.field == "member_list" and s.cells >= 3 and s.name_lists == 0 and s.id_lists == 0:
        return _with(c, "name", "shape:one-name")
    if c.field == "member_id_list" and s.cells >= 3 and s.id_lists == 0 and s.ids >= ID_SHARE:
        return _with(c, "id_number", "shape:one-id")
    return c


def _ids_and_certificates(columns: list[Column], shape) -> list[Column]:
    """证件号码 and ID clashes: ID numbers stay IDs, short numbers are certificates."""
    id_fields = ("id_number", "head_id")
    claimants = [c for c in columns if c.how == "alias" and c.field in id_fields]
    cert_taken = any(c.used and c.field == "cert_no" for c in columns)
    has_type = any(c.used and c.field == "id_type" for c in columns)
    out = []
    for c in columns:
        if c not in claimants:
            out.append(c)
            continue
        rivals = [o for o in claimants if o is not c and o.field == c.field]
        others = [o for o in claimants if o is not c]
        ambiguous = "rule:cert-or-id" in c.basis
        if not (ambiguous or rivals):
            out.append(c)
            continue
        s = shape(c)
        short = (ambiguous or rivals) and s.cells >= 2 and s.ids < 0.2 and not cert_taken
        if short and (ambiguous or any(shape(o).ids >= ID_SHARE for o in rivals)):
            out.append(_with(c, "cert_no", "shape:short-numbers"))
            cert_taken = True
            continue
        if ambiguous and s.cells < 2 and others and not has_type and not cert_taken:
            out.append(_with(c, "cert_no", "context:id-column"))
            cert_taken = True
            continue
        out.append(c)
    return out


def _claims(columns: list[Column]) -> list[Column]:
    """One column per field: the user's first, then by meaning (a fallback yields),
    then the first; the rest are clashes, kept and named, never dropped silently."""
    taken: dict[str, Column] = {}
    for c in columns:
        if c.how == "user":
            taken.setdefault(c.field, c)
    order = sorted(
        (c for c in columns if c.how == "alias" and c.field),
        key=lambda c: ("rule:fallback" in c.basis, c.index),
    )
    verdict: dict[int, Column] = {}
    for c in order:
        kept = taken.get(c.field)
        if kept is None:
            taken[c.field] = c
            continue
        if kept.how == "user":
            verdict[c.index] = _state(c, "duplicate", f"{kept.letter} {kept.header}, by hand")
        elif "rule:fallback" in c.basis and "rule:fallback" not in kept.basis:
            verdict[c.index] = _state(c, "superseded", f"{kept.letter} {kept.header}")
        else:
            verdict[c.index] = _state(c, "clash", f"{kept.letter} {kept.header}")
    return [verdict.get(c.index, c) for c in columns]


def _state(c: Column, how: str, note: str) -> Column:
    return Column(
        c.index, c.letter, c.header, c.field, how, c.basis, c.unit, c.period, c.scale, c.slot, note
    )
