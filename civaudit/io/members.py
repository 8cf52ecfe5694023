"""Members held on their household's row: wide ledgers and member lists.

Two household-row layouts carry the members too:

- a wide ledger (台账) with numbered member columns: ``成员一姓名 | 成员一身份证号码 |
  成员一与户主关系 | 成员二姓名 …`` (also ``成员1``, ``家庭成员2``, ``第2成员``,
  ``姓名1``, and a two-row header whose parent ``家庭成员`` or ``成员1`` stands over
  the children, numbered or repeated);
- a member list in one cell: ``家庭成员`` holding ``张三（130723…）、李四（…）``, or two
  cells ``张三、李四`` and ``130723…、130723…`` side by side; entries are separated by
  ``、,，;；/`` or line breaks.

``numbered_columns`` relabels the numbered columns of a header (how ``numbered``).
``spread_members`` turns such a sheet's rows into one row per member, in the shape of
a block sheet: the household's cells on its first member row only, every member row
on its household's Excel row. Each member keeps the cells it came from (``sources``
per field and ``cells``, a ``field=letter`` text per member row), so a finding about
the second member points at ``成员二身份证号码`` on that row. The rest of the loader
(``io.tables``) then reads the sheet like any member-level sheet, layout ``wide`` or
``list``.

The head is the household's 户主姓名/户主身份证号 (or the unnumbered 姓名/身份证号 of a
wide ledger); a numbered member or list entry with the head's ID (or, without IDs,
the head's name) is the head, not a second person. With neither head columns nor
relations, the first member listed is taken as the head: that is how these ledgers
are filled (成员一 is the 户主).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata

import numpy as np
import pandas as pd

from civaudit.io.aliases import lookup
from civaudit.io.header import Column, Header
from civaudit.normalize.people import parse_relation
from civaudit.normalize.text import normalize_header
from civaudit.schema import FIELD_BY_NAME

_NUMBER = r"(?P<n>\d{1,2}|[一二三四五六七八九十]{1,3})"
_NUMBERED = (
    re.compile(rf"^(?:家庭)?成员{_NUMBER}(?P<rest>.*)$"),  # 成员一姓名, 家庭成员2身份证号
    re.compile(rf"^第{_NUMBER}(?:名|个|位)?(?:家庭)?成员(?P<rest>.*)$"),  # 第2成员姓名
    re.compile(rf"^(?P<rest>.+?){_NUMBER}$"),  # 姓名1, 身份证号码2
)
GROUPS = frozenset(
    normalize_header(t)
    for t in [
        "家庭成员",
        "家庭成员情况",
        "家庭成员信息",
        "家庭成员基本情况",
        "共同生活家庭成员",
        "共同生活的家庭成员",
        "其他家庭成员",
        "家庭其他成员",
        "成员",
        "成员信息",
        "成员情况",
    ]
)
"""Parent headers that say the columns below are members (repeated per member)."""

SEPARATORS = r"[、,，;；/／\n\r|]+"
"""What separates the entries of a member list."""
_ID = r"[0-9][0-9A-Za-z*×.…—\-]{9,21}"
"""An ID in a list entry (NFKC text): a digit, then digits, mask characters, or the
letters of a mistyped ID, which the ID checks then report."""
_ID_TOKEN = re.compile(_ID)
_PUNCT = r"[()（）\[\]【】<>《》:：=＝\s]+"
LIST_SHARE = 0.2
"""Share of a column's filled cells that must hold a list (two entries, or an ID beside
a name) for the column to be read as member lists."""
SAMPLE = 2_000

PERSON = ("name", "id_number")
WIDE, LIST = "wide", "list"


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    digits = "一二三四五六七八九"
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + digits.index(text[1]) + 1
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (digits.index(tens) + 1) * 10 + (digits.index(ones) + 1 if ones else 0)
    return digits.index(text) + 1


def _member_field(text: str) -> str | None:
    field = lookup(normalize_header(text)) if text else None
    return field if field and FIELD_BY_NAME[field].level == "member" else None


def numbered_aliases(cells: pd.DataFrame, scan_rows: int = 40) -> dict[str, str]:
    """{normalised header: field} for the numbered member headers in a sheet's first rows,
    so a wide ledger with no 户主 columns still has a header ``detect_header`` accepts."""
    found: dict[str, str] = {}
    for value in pd.unique(cells.iloc[:scan_rows].to_numpy(dtype=object).ravel()):
        if isinstance(value, str) and len(value) <= 30:
            key = normalize_header(value)
            match = next((m for p in _NUMBERED if (m := p.fullmatch(key))), None)
            field = _member_field(match["rest"]) if match else None
            if field:
                found[key] = field
    return found


def numbered_columns(header: Header) -> tuple[Header, dict[int, tuple[int, str]]]:
    """The header with its numbered member columns relabelled (field, how ``numbered``),
    and {column index: (member number, field)}; unchanged, with {}, when the sheet is
    no wide ledger (fewer than two numbered members with a name or ID, or one without
    the head's own columns beside it; or only 家庭成员 over children that do not
    repeat, the member columns of a household-block sheet)."""
    found: dict[int, tuple[int, str]] = {}
    group: list[tuple[int, str]] = []
    for c in header.columns:
        if c.how == "user":
            continue
        parent, _, child = c.header.partition(".") if "." in c.header else ("", "", c.header)
        texts = [child, parent + child] if parent else [child]
        for text in texts:
            key = normalize_header(text)
            match = next((m for p in _NUMBERED if (m := p.fullmatch(key))), None)
            field = _member_field(match["rest"]) if match else None
            if field:
                found[c.index] = (_number(match["n"]), field)
                break
        else:
            field = _member_field(child) if parent else None
            if field and normalize_header(parent) in GROUPS:
                group.append((c.index, field))
    if not found and group and len({f for _, f in group}) == len(group):
        # 家庭成员 over one set of children, none repeated: a household-block sheet's
        # member columns under a two-row header (户主 over 姓名 | 身份证号, 家庭成员 over
        # 姓名 | 与户主关系 | 身份证号; each member on its own row), not a ledger of one
        return header, {}
    slot, seen = 1 + max((n for n, _ in found.values()), default=0), set()
    for index, field in group:  # repeated children of 家庭成员: a repeat starts a member
        if field in seen:
            slot, seen = slot + 1, set()
        seen.add(field)
        found[index] = (slot, field)
    people = {n for n, field in found.values() if field in PERSON}
    heads = {c.field for c in header.columns if c.how in ("alias", "user")}
    if len(people) < 2 and not (people and heads & {"head_name", "head_id", *PERSON}):
        return header, {}
    columns = tuple(
        dataclasses.replace(c, field=found[c.index][1], how="numbered") if c.index in found else c
        for c in header.columns
    )
    return dataclasses.replace(header, columns=columns), found


def spread_members(rows, slots: dict[int, tuple[int, str]]):
    """A wide or list sheet's rows as one row per member (``SheetRows`` with ``layout``,
    ``sources`` and ``cells`` set), and the columns to report; any other sheet as it
    came. ``slots`` is ``numbered_columns``' second result."""
    header = rows.header
    if slots:
        members, used = _numbered(rows, slots), set()
        layout = WIDE
        report = header.columns
    else:
        found = _list_columns(rows)
        if found is None:
            return rows, header.columns
        if isinstance(found, Header):  # a 家庭成员 column of single names: the name column
            return dataclasses.replace(rows, header=found), found.columns
        members, used = found
        layout = LIST
        report = tuple(
            dataclasses.replace(c, how="list") if c.index in used else c for c in header.columns
        )
    return _assemble(rows, members, layout, used), report


# --- wide ledgers ----------------------------------------------------------------------


def _numbered(rows, slots: dict[int, tuple[int, str]]) -> pd.DataFrame:
    """One row per (household row, member number): ``pos`` (the household row's place),
    ``slot``, and per member field its raw value and its ``Column``."""
    by_index = {c.index: c for c in rows.header.columns}
    numbers = sorted({n for n, _ in slots.values()})
    frames = []
    for n in numbers:
        cols = {field: by_index[i] for i, (m, field) in slots.items() if m == n}
        frames.append(_slot_frame(rows.data, n, cols))
    return pd.concat(frames, ignore_index=True)


def _slot_frame(data: pd.DataFrame, slot: int, cols: dict[str, Column]) -> pd.DataFrame:
    frame = pd.DataFrame({"pos": np.arange(len(data)), "slot": slot})
    for field, col in cols.items():
        frame[field] = data[col.index].to_numpy(dtype=object)
        frame["@" + field] = col
    return frame


# --- member lists ----------------------------------------------------------------------


def _list_columns(rows):
    """(members, the list columns' indexes) when the sheet lists members in cells; a
    Header when its 家庭成员 column turns out to hold one name per row; else None."""
    mapped = rows.header.mapped()
    data = rows.data
    if "member_id_list" in mapped:  # names in one cell, their IDs in the next (io.header)
        listed = {"id_number": mapped["member_id_list"]}
        if "member_list" in mapped:
            listed = {"name": mapped["member_list"], **listed}
        return _paired(data, listed), {c.index for c in listed.values()}
    if "member_list" in mapped:
        col = mapped["member_list"]
        cells = data[col.index]
        if _share(cells, combined=True) >= LIST_SHARE:
            return _combined(data, col), {col.index}
        if "name" not in mapped:  # one name per row: it is the name column
            columns = tuple(
                dataclasses.replace(c, field="name") if c.index == col.index else c
                for c in rows.header.columns
            )
            return dataclasses.replace(rows.header, columns=columns)
        return None
    names, ids = mapped.get("name"), mapped.get("id_number")
    if "relation" in mapped or (names is None and ids is None):
        return None
    listed = {
        key: col
        for key, col in (("name", names), ("id_number", ids))
        if col is not None and _share(data[col.index], combined=False) >= LIST_SHARE
    }
    if not listed:
        return None
    if "name" in listed and _ID_TOKEN.search(  # names with their IDs: one list
        unicodedata.normalize(
            "NFKC", " ".join(map(str, data[listed["name"].index].dropna().head(50)))
        )
    ):
        return _combined(data, listed["name"]), {listed["name"].index}
    return _paired(data, listed), {c.index for c in listed.values()}


def _share(cells: pd.Series, *, combined: bool) -> float:
    """Share of the filled cells holding a list: two or more entries, or (``combined``)
    an ID beside a name."""
    text = cells.dropna().astype(str).head(SAMPLE)
    text = text[text.str.strip() != ""]
    if not len(text):
        return 0.0
    text = pd.Series(text, dtype="string").str.normalize("NFKC")
    inner = text.str.replace(f"^{SEPARATORS}|{SEPARATORS}$", "", regex=True).str.strip()
    listed = inner.str.contains(SEPARATORS, regex=True).fillna(False)  # two entries or more
    if combined:
        named = text.str.contains(r"[\u3400-\u9fff]", regex=True)
        listed |= (text.str.contains(_ID, regex=True) & named).fillna(False)
    return float(listed.astype(bool).mean())


def _entries(cells: pd.Series) -> pd.DataFrame:
    """Each cell's entries, in order: ``pos`` (the cell's row place), ``slot`` (1, 2, …)
    and ``text``."""
    text = cells.reset_index(drop=True).astype("object").where(cells.notna().to_numpy(), None)
    text = pd.Series(text, dtype="string").str.normalize("NFKC").str.split(SEPARATORS)
    parts = text.explode().str.strip()
    parts = parts[parts.notna() & (parts != "")]
    frame = pd.DataFrame({"pos": parts.index.to_numpy(), "text": parts.to_numpy(dtype=object)})
    frame["slot"] = frame.groupby("pos").cumcount() + 1
    return frame


def _combined(data: pd.DataFrame, col: Column) -> pd.DataFrame:
    """Members from cells like ``张三（130723…）、李四 妻 130723…``: per entry the ID (a
    run of digits, X and mask characters), the name (the first word that is not a
    relation) and the relation (the first that is)."""
    entries = _entries(data[col.index])
    text = pd.Series(entries["text"], dtype="string")
    ids = text.str.extract(f"({_ID})", expand=False)
    rest = text.str.replace(_ID, " ", regex=True).str.replace(_PUNCT, " ", regex=True)
    words = rest.str.split().explode()
    words = words[words.notna() & (words != "")]
    relation = parse_relation(pd.Series(words.to_numpy(dtype=object), dtype="object"))
    is_relation = relation.values.notna().to_numpy(dtype=bool) & ~relation.bad.to_numpy(dtype=bool)
    owner = words.index.to_numpy()
    first_name = pd.Series(words.to_numpy(dtype=object)[~is_relation], index=owner[~is_relation])
    first_relation = pd.Series(words.to_numpy(dtype=object)[is_relation], index=owner[is_relation])
    members = entries[["pos"]].copy()
    members["name"] = first_name.groupby(level=0).first().reindex(entries.index).to_numpy()
    members["id_number"] = ids.to_numpy(dtype=object)
    members["relation"] = first_relation.groupby(level=0).first().reindex(entries.index).to_numpy()
    # an entry with no name continues the one before it: 张三（户主，130723…） splits at
    # the comma into 张三（户主 and 130723…）
    starts = (
        members["name"].notna().to_numpy() | entries["pos"].ne(entries["pos"].shift()).to_numpy()
    )
    members["person"] = np.cumsum(starts)
    members = members.groupby("person", sort=True).first().reset_index(drop=True)
    members["slot"] = members.groupby("pos").cumcount() + 1
    for field in ("name", "id_number", "relation"):
        members["@" + field] = col
    return members


def _paired(data: pd.DataFrame, listed: dict[str, Column]) -> pd.DataFrame:
    """Members from a names cell and an IDs cell, paired by their place in the lists."""
    frames = []
    for field, col in listed.items():
        entries = _entries(data[col.index])
        if field == "id_number":
            entries["text"] = entries["text"].str.extract(f"({_ID})", expand=False)
        frames.append(entries.rename(columns={"text": field}).set_index(["pos", "slot"]))
    members = pd.concat(frames, axis=1).sort_index().reset_index()
    for field, col in listed.items():
        members["@" + field] = col
    return members


# --- one row per member ----------------------------------------------------------------


def _head_columns(header: Header, listed: set[int]) -> dict[str, Column]:
    """The head's own cells: the unnumbered member columns (姓名, 身份证号 …) that are not
    lists, else 户主姓名 / 户主身份证号 for the name and the ID."""
    mapped = header.mapped()
    cols = {
        f: c
        for f, c in mapped.items()
        if FIELD_BY_NAME[f].level == "member" and c.index not in listed
    }
    for field, head in (("name", "head_name"), ("id_number", "head_id")):
        if field not in cols and head in mapped:
            cols[field] = mapped[head]
    return cols


def _key(values: pd.Series) -> pd.Series:
    """Text compared for "the same person": no spaces, upper case, NA when blank."""
    text = (
        pd.Series(values, dtype="string").str.normalize("NFKC").str.replace(r"\s+", "", regex=True)
    )
    return text.str.upper().where(lambda t: t.str.len() > 0)


def _assemble(rows, members: pd.DataFrame, layout: str, listed: set[int]):
    """The sheet as one row per member: the household's cells on its first member row,
    each member's fields in columns of their own (negative keys, not grid columns)."""
    header, data = rows.header, rows.data
    head_cols = _head_columns(header, listed)
    head = _slot_frame(data, 0, head_cols)
    fields = [f for f in FIELD_BY_NAME if FIELD_BY_NAME[f].level == "member"]
    # the person fields always: a wide sheet whose member slots hold IDs and no names
    # still compares its members by name (all blank) and ID
    fields = [f for f in fields if f in members or f in head or f in ("relation", *PERSON)]
    frame = pd.concat([head, members], ignore_index=True)
    for field in fields:
        if field not in frame:
            frame[field] = None
        source = frame.get("@" + field)
        frame["@" + field] = None if source is None else source.where(source.notna(), None)
    values = {f: pd.Series(frame[f].to_numpy(dtype=object)) for f in fields}
    blank = {f: _key(values[f]).isna().to_numpy() for f in fields}
    empty = np.logical_and.reduce([blank[f] for f in fields if f != "relation"])
    frame = frame[~empty].reset_index(drop=True)
    keys = {f: _key(frame[f]) for f in PERSON}

    # the head listed again among the members is one person: keep the member row
    is_head = frame["slot"].eq(0).to_numpy()
    head_of = pd.DataFrame({"pos": frame["pos"][is_head]})
    for f in PERSON:
        head_of[f] = keys[f][is_head].to_numpy()
    head_of = head_of.drop_duplicates("pos").set_index("pos")
    theirs = {f: head_of[f].reindex(frame["pos"]).to_numpy() for f in PERSON}
    mine = {f: keys[f].to_numpy(dtype=object, na_value=None) for f in PERSON}
    same_id = _equal(mine["id_number"], theirs["id_number"])
    one_id = _missing(mine["id_number"]) | _missing(theirs["id_number"])
    repeat = ~is_head & (same_id | (one_id & _equal(mine["name"], theirs["name"])))
    relation = frame["relation"].astype("object")
    role = parse_relation(pd.Series(relation.to_numpy(), dtype="object")).values
    said_head = role.eq("head").fillna(False).to_numpy(dtype=bool)
    repeat |= ~is_head & said_head & _equal(mine["name"], theirs["name"])
    # one person is the head: a child named after the head (徐华飞 twice) stays a member
    first = pd.Series(repeat).groupby(frame["pos"].to_numpy()).cumsum().to_numpy() == 1
    repeat &= first
    dropped = pd.Series(repeat).groupby(frame["pos"].to_numpy()).transform("any").to_numpy()
    keep = ~(is_head & dropped)
    relation = relation.mask(repeat & relation.isna().to_numpy(), "户主")
    relation = relation.mask(is_head & relation.isna().to_numpy(), "户主")
    frame["relation"] = relation.to_numpy()
    frame = frame[keep].reset_index(drop=True)
    frame = frame.sort_values(["pos", "slot"], kind="stable").reset_index(drop=True)
    if frame["relation"].isna().all() or not (frame["slot"] == 0).any():
        # no head columns and no relations: the first member listed is the head
        known = parse_relation(pd.Series(frame["relation"].to_numpy(), dtype="object")).values
        has_head = known.eq("head").fillna(False).groupby(frame["pos"].to_numpy()).transform("any")
        first = frame["pos"].ne(frame["pos"].shift()).to_numpy()
        first_head = first & ~has_head.to_numpy(dtype=bool) & frame["relation"].isna().to_numpy()
        frame.loc[first_head, "relation"] = "户主"

    first = frame["pos"].ne(frame["pos"].shift()).to_numpy()
    household = [
        c
        for f, c in header.mapped().items()
        if FIELD_BY_NAME[f].level != "member" and f not in ("member_list", "member_id_list")
    ]
    out = {}
    at = frame["pos"].to_numpy()
    for c in household:
        column = data[c.index].to_numpy(dtype=object)[at]
        column[~first] = None
        out[c.index] = column
    keys_ = {f: -1 - i for i, f in enumerate(fields)}
    for f in fields:
        out[keys_[f]] = frame[f].to_numpy(dtype=object)
    long = pd.DataFrame(out, index=data.index[at])
    virtual = tuple(Column(keys_[f], "", f, f, "alias") for f in fields)
    new_header = dataclasses.replace(header, columns=(*household, *virtual))
    sources = {f: frame["@" + f].to_numpy(dtype=object) for f in fields}
    cells = _cells_text(frame, fields)
    numeric = None
    if rows.numeric is not None:  # number cells: each member's own ID cell is asked
        numeric = _SpreadProbe(
            rows.numeric, long.index, {keys_[f]: _grid_columns(frame, f) for f in fields}
        )
    return dataclasses.replace(
        rows,
        data=long,
        header=new_header,
        numeric=numeric,
        layout=layout,
        sources=sources,
        cells=cells,
    )


def _grid_columns(frame: pd.DataFrame, field: str) -> np.ndarray:
    """Per member row, the grid column its ``field`` came from (-1: none); a member's
    columns follow from its number, so this is looked up once per number."""
    slots = frame.drop_duplicates("slot").set_index("slot")["@" + field]
    index = {slot: c.index for slot, c in slots.items() if isinstance(c, Column)}
    return frame["slot"].map(index).fillna(-1).to_numpy(dtype=np.int64)


@dataclasses.dataclass(frozen=True)
class _SpreadProbe:
    """The reader's number-cell probe (``io.grid.NumericProbe``) for a spread sheet: a
    member field's answer is its own cell's; a household column's, its row's. Rows are
    the spread sheet's (one per member, Excel rows repeated)."""

    base: object
    index: pd.Index
    columns: dict[int, np.ndarray]

    def __call__(self, keys) -> pd.DataFrame:
        out = {}
        for key in keys:
            if key >= 0:
                out[key] = _asked(self.base, key, self.index)
                continue
            cols = self.columns.get(key, np.full(len(self.index), -1))
            result = np.zeros(len(self.index), dtype=bool)
            for col in np.unique(cols[cols >= 0]).tolist():
                pick = cols == col
                result[pick] = _asked(self.base, col, self.index)[pick]
            out[key] = result
        return pd.DataFrame(out, index=self.index)


def _asked(base, col: int, index: pd.Index) -> np.ndarray:
    got = base([col])[col]
    got = got.reindex(index, fill_value=False)  # one answer per Excel row, to every member
    return got.astype("boolean").fillna(False).to_numpy(dtype=bool)


def _equal(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    known = ~_missing(a) & ~_missing(b)
    out = np.zeros(len(a), dtype=bool)
    out[known] = a[known].astype(str) == b[known].astype(str)
    return out


def _missing(a: np.ndarray) -> np.ndarray:
    return pd.isna(pd.Series(a, dtype="object")).to_numpy()


def _cells_text(frame: pd.DataFrame, fields: list[str]) -> np.ndarray:
    """Per member row, ``field=letter`` for each field it came from, ``;``-joined. A
    member's columns follow from its number (``slot``), so the text is made once per
    number and spread by it."""
    slots = frame.drop_duplicates("slot").set_index("slot")
    texts = {}
    for slot, row in slots.iterrows():  # one per member number, not per row
        parts = [f"{f}={row['@' + f].letter}" for f in fields if isinstance(row["@" + f], Column)]
        texts[slot] = ";".join(parts) or None
    return frame["slot"].map(texts).to_numpy(dtype=object)
