"""Find a roster's header below its title rows and map each column to a field.

Village rosters put a title ("××县××乡2019年10月农村低保对象花名册") and notes
("填报单位：…  单位：元") above the header, and often use a two-row header where a
merged parent spans its children (保障人数 over 重点保障人数 | 残疾人数). We score
the first rows against the known column names, take the best one, and widen it to a
parent row above or a child row below when the layout says so. Merged cells are not
needed for that: a merged parent leaves blank cells beside it, and a header merged
down over two rows leaves a blank cell under it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

import pandas as pd

from civaudit.errors import MappingError
from civaudit.io.aliases import lookup
from civaudit.io.grid import column_letter
from civaudit.normalize.text import header_unit, normalize_header
from civaudit.schema import FIELD_BY_NAME, PERSON_FIELDS

SCAN_ROWS = 40
_NUMBERISH = re.compile(r"[\d\s.,，、+\-%()（）元¥￥]+|.*\d{6,}.*")
_LETTERS = re.compile(r"[A-Za-z]{1,3}")


@dataclass(frozen=True)
class Column:
    """One source column and the field it feeds (None when unmapped)."""

    index: int
    letter: str
    header: str  # as the user sees it; two-row headers flattened as "parent.child"
    field: str | None
    how: str  # "alias", "user", "unmapped", "duplicate"


@dataclass(frozen=True)
class Header:
    rows: tuple[int, ...]  # Excel rows of the header band
    columns: tuple[Column, ...]
    title: tuple[str, ...]  # texts above the header (titles and notes)

    @property
    def last_row(self) -> int:
        return self.rows[-1]

    def mapped(self) -> dict[str, Column]:
        return {c.field: c for c in self.columns if c.field and c.how in ("alias", "user")}


def detect_header(
    cells: pd.DataFrame,
    *,
    where: str,
    columns: Mapping[str, str] | None = None,
    scan_rows: int = SCAN_ROWS,
    aliases: Mapping[str, str] | None = None,
    anchors: Collection[str] = PERSON_FIELDS,
) -> Header:
    """The header of a sheet grid, or MappingError naming ``where`` and what was found.

    ``columns`` maps a field to a header text or a column letter chosen by the user
    (``{"id_number": "公民身份号码"}``), and wins over the alias table.

    ``aliases`` (normalised header text -> field) extends the roster's alias table for
    sheets that are not rosters (the external lists: 死亡日期, 号牌号码...); it is
    consulted after the roster aliases, so a roster header keeps its meaning.
    ``anchors`` are the fields a header row must hold one of (a person, for a roster).
    """
    extra = aliases or {}
    top = cells.iloc[:scan_rows]
    texts = [[_text(v) for v in row] for row in top.itertuples(index=False)]
    wanted = {normalize_header(v): k for k, v in (columns or {}).items() if not _is_letter(v)}
    scores = [_score(row, wanted, extra) for row in texts]
    best = max(range(len(scores)), key=lambda i: (len(scores[i]), -i), default=None)
    if best is None or len(scores[best]) < 2 or not (scores[best] & set(anchors)):
        found = [" ".join(t.split())[:20] for row in texts[:12] for t in row if t][:8]
        raise MappingError(
            f"{where}: no roster header found"
            + (f" (first cells: {', '.join(found)})" if found else ""),
            "map the columns with --column id_number=<header> (and name=, household_size=, ...)",
        )
    parent_pos, child_pos = _band(texts, best)
    band = sorted({parent_pos, child_pos})
    parent, child = texts[parent_pos], texts[child_pos] if child_pos != parent_pos else None
    names = _flatten(parent, child)
    mapped = _map(names, list(cells.columns), columns or {}, extra)
    rows = tuple(int(top.index[p]) for p in band)
    title = tuple(t for row in texts[: band[0]] for t in row if t)
    return Header(rows, mapped, title)


def _text(value) -> str:
    return (
        "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()
    )


def _is_letter(value: str) -> bool:
    return bool(_LETTERS.fullmatch(value.strip()))


def _score(row: list[str], wanted: Mapping[str, str], extra: Mapping[str, str]) -> set[str]:
    found = set()
    for text in row:
        if text:
            key = normalize_header(text)
            field = wanted.get(key) or lookup(key) or extra.get(key)
            if field:
                found.add(field)
    return found


def _band(texts: list[list[str]], best: int) -> tuple[int, int]:
    """(parent row, child row) positions; equal when the header is one row."""
    head = texts[best]
    filled = [i for i, t in enumerate(head) if t]
    span = range(filled[0], len(head))  # a merged parent may end the header: look right of it
    if best + 1 < len(texts) and _is_child_row(texts[best + 1], head, span):
        return best, best + 1
    if best > 0 and _is_parent_row(texts[best - 1], head, span):
        return best - 1, best
    return best, best


def _under_gap(row: list[str], head: list[str], span: range) -> bool:
    return any(row[i] and not head[i] for i in span)


def _is_child_row(row: list[str], head: list[str], span: range) -> bool:
    values = [t for t in row if t]
    return (
        bool(values)
        and not any(_NUMBERISH.fullmatch(t) for t in values)
        and _under_gap(row, head, span)
    )


def _is_parent_row(row: list[str], head: list[str], span: range) -> bool:
    """Group labels above the header: a label merged across, or merged down over a gap."""
    values = [t for t in row if t]
    if len(values) < 2 or any(
        ":" in t or "：" in t or any(ch.isdigit() for ch in t) for t in values
    ):
        return False
    merged_down = any(row[i] and not head[i] for i in span)
    merged_across = any(
        row[i] and i + 1 < len(row) and not row[i + 1] and head[i + 1] for i in span
    )
    return merged_down or merged_across


def _flatten(parent: list[str], child: list[str] | None) -> list[tuple[str, str]]:
    """(parent, child) per column: a merged parent spreads right over its children."""
    if child is None:
        return [(t, "") for t in parent]
    out: list[tuple[str, str]] = []
    group = ""
    for p, c in zip(parent, child, strict=True):
        if p:
            group = p if c else ""
            out.append((p, c))
        elif c:
            out.append((group, c))
        else:
            group = ""
            out.append(("", ""))
    return out


def _candidates(parent: str, child: str) -> list[str]:
    if child:
        return [normalize_header(parent + child), normalize_header(child)]
    return [normalize_header(parent)]


def _map(
    names: list[tuple[str, str]],
    positions: list[int],
    overrides: Mapping[str, str],
    extra: Mapping[str, str],
) -> tuple[Column, ...]:
    by_letter = {v.strip().upper(): k for k, v in overrides.items() if _is_letter(v)}
    by_text = {normalize_header(v): k for k, v in overrides.items() if not _is_letter(v)}
    unknown = set(overrides) - set(FIELD_BY_NAME)
    if unknown:
        raise MappingError(
            f"--column names unknown field(s): {', '.join(sorted(unknown))}",
            "run 'civaudit inspect' to see the field names",
        )
    found: list[tuple[int, str, str, str | None, str | None]] = []
    for (parent, child), index in zip(names, positions, strict=True):
        shown = f"{parent}.{child}" if parent and child and parent != child else parent or child
        if not shown:
            continue
        letter = column_letter(int(index))
        keys = [normalize_header(shown), *_candidates(parent, child)]
        user = by_letter.get(letter) or next((by_text[k] for k in keys if k in by_text), None)
        alias = next((f for f in (lookup(k) or extra.get(k) for k in keys[1:]) if f), None)
        if alias is not None and alias in FIELD_BY_NAME:
            twin = FIELD_BY_NAME[alias].monthly_twin
            if twin and "月" in header_unit(child or parent):
                alias = twin
        found.append((int(index), letter, shown, user, alias))
    taken = {user for *_, user, _ in found if user}
    columns: list[Column] = []
    for index, letter, shown, user, alias in found:
        if user:
            columns.append(Column(index, letter, shown, user, "user"))
        elif alias is None:
            columns.append(Column(index, letter, shown, None, "unmapped"))
        elif alias in taken:
            columns.append(Column(index, letter, shown, alias, "duplicate"))
        else:
            taken.add(alias)
            columns.append(Column(index, letter, shown, alias, "alias"))
    return tuple(columns)
