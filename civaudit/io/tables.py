"""Turn one sheet's data rows into typed household and member tables.

Three layouts are recognised from the mapped fields:

- ``household``: one row per household; a 姓名/身份证号 column there is the head's.
- ``member``: one row per member, the head's ID repeated on every row.
- ``block``: household fields merged vertically over the member rows below them;
  a block starts at 户主/本人, at a new 序号, or where the head's ID changes.

Every value is parsed on the row it sits in, so a cell that cannot be read is
reported with its own cell reference; household values are then taken per block,
the head's row first (a total on the head row wins over per-member amounts).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from civaudit.idcard import check_ids
from civaudit.io.fields import FIELD_BY_NAME
from civaudit.io.header import Column, Header
from civaudit.io.read import NumericProbe
from civaudit.normalize import (
    clean_text,
    parse_bool,
    parse_count,
    parse_dates,
    parse_disability,
    parse_disability_type,
    parse_ids,
    parse_money,
    parse_number,
    parse_relation,
    parse_sex,
)

PROBE_ALWAYS_ROWS = 20_000  # sheets up to this size always get exact ID cell types

ISSUE_COLUMNS = ["file", "sheet", "row", "cell", "field", "header", "raw", "issue"]


@dataclass(frozen=True)
class SheetTables:
    layout: str
    households: pd.DataFrame
    members: pd.DataFrame
    totals: pd.DataFrame
    issues: pd.DataFrame


class _Collector:
    """Parses mapped columns and remembers the cells that could not be read."""

    def __init__(
        self,
        data: pd.DataFrame,
        header: Header,
        file: str,
        sheet: str,
        numeric: NumericProbe | None,
    ) -> None:
        self.data = data
        self.numeric = numeric
        self.columns: dict[str, Column] = header.mapped()
        self.file = file
        self.sheet = sheet
        self.issues: list[pd.DataFrame] = []

    def has(self, field: str) -> bool:
        return field in self.columns

    def raw(self, field: str) -> pd.Series:
        return self.data[self.columns[field].index]

    def note(self, field: str, mask: pd.Series, issue: str) -> None:
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            return
        column = self.columns[field]
        rows = mask.index[mask.to_numpy()]
        raw = self.raw(field).loc[rows]
        self.issues.append(
            pd.DataFrame(
                {
                    "file": self.file,
                    "sheet": self.sheet,
                    "row": rows.astype("int64"),
                    "cell": [f"{column.letter}{r}" for r in rows],
                    "field": field,
                    "header": column.header,
                    "raw": raw.astype("object").to_numpy(),
                    "issue": issue,
                }
            )
        )

    def parse(self, field: str, out: dict[str, pd.Series], prefix: str = "") -> None:
        """Parse ``field`` into ``out`` (several columns for IDs, dates and grades)."""
        raw = self.raw(field)
        kind = FIELD_BY_NAME[field].kind
        name = prefix + field
        if kind == "id":
            stem = "head_" if field == "head_id" else prefix
            ids = self._ids(field, raw)
            checked = check_ids(ids["id_number"], numeric=ids["id_numeric"])
            for col in ("id_number", "id_original", "id_numeric", "id_legacy"):
                out[stem + col] = ids[col]
            for col, new in _ID_CHECKS.items():
                out[stem + new] = checked[col]
            return
        if kind == "date":
            parsed = parse_dates(raw)
            out[name] = parsed.values
            out[f"{name}_precision"] = parsed.precision
            self.note(field, parsed.bad, "unparsed")
            self.note(field, parsed.ambiguous, "ambiguous-date")
            return
        if kind == "disability":
            frame = parse_disability(raw)
            out[name] = frame["grade"]
            if not self.has("disability_type"):
                out[prefix + "disability_type"] = frame["type"]
            self.note(field, frame["bad"], "unparsed")
            return
        if kind in ("text", "account"):
            out[name] = clean_text(raw, squeeze_spaces=kind == "account")
            return
        if kind == "name":
            out[name] = clean_text(raw, squeeze_spaces=True)
            return
        parser = _PARSERS[kind]
        parsed = parser(raw)
        out[name] = parsed.values
        if kind == "relation":
            out[prefix + "role"] = parsed.values
            out[name] = clean_text(raw, squeeze_spaces=True)
        self.note(field, parsed.bad, "unparsed")

    def parse_batches(self, fields: list[str]) -> dict[str, pd.Series]:
        """Fields of one simple kind parsed together: their columns stacked into one
        Series and parsed in one call, since on a small sheet (a village of a hundred
        rows) the fixed cost of each call, not the rows, is what takes the time."""
        by_kind: dict[str, list[str]] = {}
        for field in fields:
            kind = FIELD_BY_NAME[field].kind
            if kind in _BATCHED:
                by_kind.setdefault(kind, []).append(field)
        out: dict[str, pd.Series] = {}
        n = len(self.data)
        for kind, group in by_kind.items():
            stacked = pd.concat([self.raw(f) for f in group], ignore_index=True)
            values, bad = _BATCHED[kind](stacked)
            for i, field in enumerate(group):
                part = slice(i * n, (i + 1) * n)
                out[field] = values.iloc[part].set_axis(self.data.index)
                if bad is not None:
                    self.note(field, bad.iloc[part].set_axis(self.data.index), "unparsed")
        return out

    def _ids(self, field: str, raw: pd.Series) -> pd.DataFrame:
        """Parsed IDs, with number cells told apart from text exactly when it matters.

        From text alone, an ID in a number cell shows as the exact value of a double
        ('130723197206220992'); about one genuine text ID in 1,000 looks the same.
        Such a look-alike with a wrong check character is damage either way. One with
        a right check character is ambiguous: then we ask the reader for the cell
        types (one more pass over the sheet) when the sheet is small enough for that
        to be cheap or the column shows real damage; otherwise (a large sheet with
        no damaged ID) we take it as the text it almost surely is.
        """
        ids = parse_ids(raw)
        numeric = ids["id_numeric"]
        if not numeric.any():
            return ids
        suspects = check_ids(ids.loc[numeric, "id_number"])["id_status"].eq("valid")
        if not suspects.any():
            return ids
        worth_asking = len(raw) <= PROBE_ALWAYS_ROWS or bool((~suspects).any())
        if worth_asking and self.numeric is not None:
            column = self.columns[field].index
            mask = self.numeric([column])[column].reindex(raw.index, fill_value=False)
            return parse_ids(raw, numeric=mask, numeric_known=True)
        ids["id_numeric"] = numeric & ~suspects.reindex(raw.index, fill_value=False)
        return ids

    def frame_issues(self) -> pd.DataFrame:
        if not self.issues:
            return pd.DataFrame({c: pd.Series(dtype="object") for c in ISSUE_COLUMNS})
        return pd.concat(self.issues, ignore_index=True)


_PARSERS = {
    "money": parse_money,
    "count": parse_count,
    "number": parse_number,
    "bool": parse_bool,
    "sex": parse_sex,
    "relation": parse_relation,
    "disability_type": parse_disability_type,
}


def _parsed(parser):
    def run(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
        result = parser(raw)
        return result.values, result.bad

    return run


_BATCHED = {
    "money": _parsed(parse_money),
    "count": _parsed(parse_count),
    "number": _parsed(parse_number),
    "bool": _parsed(parse_bool),
    "sex": _parsed(parse_sex),
    "text": lambda raw: (clean_text(raw), None),
    "name": lambda raw: (clean_text(raw, squeeze_spaces=True), None),
    "account": lambda raw: (clean_text(raw, squeeze_spaces=True), None),
}

_ID_CHECKS = {
    "id_status": "id_status",
    "birth_date": "id_birth",
    "sex": "id_sex",
    "region": "id_region",
    "region_known": "id_region_known",
    "region_name": "id_region_name",
}


def build_tables(
    data: pd.DataFrame,
    totals: pd.DataFrame,
    header: Header,
    *,
    file: str,
    sheet: str,
    numeric: NumericProbe | None = None,
) -> SheetTables:
    """Typed household and member tables for one sheet's data rows.

    ``numeric`` tells which ID cells were stored as numbers (see ``io.read.Sheet``);
    without it (CSV) that is inferred from the text.
    """
    parse = _Collector(data, header, file, sheet, numeric)
    fields = list(parse.columns)
    member_level = (
        parse.has("relation")
        or (parse.has("name") and (parse.has("head_name") or parse.has("head_id")))
        or (parse.has("id_number") and parse.has("head_id"))
    )
    rows = pd.Series(data.index.to_numpy(dtype="int64"), index=data.index, name="row")

    person: dict[str, pd.Series] = {}
    household: dict[str, pd.Series] = {}
    batched = parse.parse_batches(fields)
    for field in fields:
        out = person if FIELD_BY_NAME[field].level == "member" else household
        if field in batched:
            out[field] = batched[field]
        else:
            parse.parse(field, out)

    if member_level:
        layout, block = _blocks(parse, person, household)
    else:
        layout, block = "household", pd.Series(np.arange(len(data)), index=data.index)

    households = _households(household, person, rows, block, member_level)
    members = _members(person, household, rows, block, member_level)
    for frame in (households, members):
        frame.insert(0, "sheet", sheet)
        frame.insert(0, "file", file)
    return SheetTables(layout, households, members, _totals(totals, header), parse.frame_issues())


def _blocks(
    parse: _Collector, person: dict[str, pd.Series], household: dict[str, pd.Series]
) -> tuple[str, pd.Series]:
    """Block number per member row, and whether household cells were merged or repeated."""
    index = parse.data.index
    start = pd.Series(False, index=index)
    if "role" in person:
        start |= person["role"].eq("head").fillna(False).astype(bool)
    if parse.has("seq"):
        seq = household["seq"]
        if seq.isna().any():
            start |= seq.notna()
    key = household.get("head_id_number")
    if key is None:
        key = household.get("head_name")
    if key is not None:
        filled = key.ffill()
        start |= key.notna() & filled.ne(filled.shift()).fillna(True).astype(bool)
    if len(start):
        start.iloc[0] = True
    block = start.cumsum() - 1
    repeated = key is not None and key.notna().all()
    return ("member" if repeated else "block"), block


def _households(
    household: dict[str, pd.Series],
    person: dict[str, pd.Series],
    rows: pd.Series,
    block: pd.Series,
    member_level: bool,
) -> pd.DataFrame:
    frame = pd.DataFrame(household, index=rows.index)
    frame["row"] = rows
    if not member_level:
        frame = frame.reset_index(drop=True)
        for col, src in (("head_name", "name"), ("head_id_number", "id_number")):
            if col not in frame and src in person:
                frame[col] = person[src].to_numpy()
        frame["member_rows"] = pd.array([pd.NA] * len(frame), dtype="Int64")
        frame["heads"] = pd.array([pd.NA] * len(frame), dtype="Int64")
        frame["hh"] = np.arange(len(frame))
        return frame
    role = person.get("role")
    is_head = (
        role.eq("head").fillna(False).astype(bool)
        if role is not None
        else pd.Series(False, index=rows.index)
    )
    if "name" in person and "head_name" not in frame:
        frame["head_name"] = person["name"].where(is_head)
    if "id_number" in person and "head_id_number" not in frame:
        frame["head_id_number"] = person["id_number"].where(is_head)
    order = np.lexsort((rows.to_numpy(), ~is_head.to_numpy(), block.to_numpy()))
    ordered = frame.iloc[order]
    grouped = ordered.groupby(block.to_numpy()[order], sort=True)
    out = grouped.first()
    out["row"] = grouped["row"].first()  # the head's row, else the block's first row
    counts = block.value_counts().sort_index()
    out["member_rows"] = counts.to_numpy()
    out["heads"] = is_head.groupby(block.to_numpy()).sum().to_numpy()
    out = out.reset_index(drop=True)
    out["hh"] = np.arange(len(out))
    return out


def _members(
    person: dict[str, pd.Series],
    household: dict[str, pd.Series],
    rows: pd.Series,
    block: pd.Series,
    member_level: bool,
) -> pd.DataFrame:
    frame = pd.DataFrame(person, index=rows.index)
    frame["row"] = rows
    frame["hh"] = block.to_numpy()
    if not member_level:
        # One row per household: the person columns there describe the head.
        for col, src in (("name", "head_name"), ("id_number", "head_id_number")):
            if col not in frame and src in household:
                frame[col] = household[src]
        if "head_id_number" in household and "id_number" not in person:
            for col in list(household):
                if col.startswith("head_id_") and col != "head_id_number":
                    frame[col.removeprefix("head_")] = household[col]
        frame["role"] = pd.Categorical(["head"] * len(frame), categories=ROLES)
    return frame.reset_index(drop=True)


ROLES = ["head", "spouse", "child", "child_in_law", "grandchild", "parent", "sibling", "other"]


def _totals(totals: pd.DataFrame, header: Header) -> pd.DataFrame:
    """Totals rows with their money and count cells parsed, for the cross-check."""
    out = pd.DataFrame(
        {"row": totals.index.to_numpy(dtype="int64"), "label": totals["label"].to_numpy()}
    )
    if totals.empty:
        return out
    for kind in ("money", "count"):
        fields = [
            (f, c.index)
            for f, c in header.mapped().items()
            if FIELD_BY_NAME[f].kind == kind and c.index in totals
        ]
        if not fields:
            continue
        stacked = pd.concat([totals[i] for _, i in fields], ignore_index=True)
        values = _BATCHED[kind](stacked)[0].to_numpy()
        for k, (field, _) in enumerate(fields):
            out[field] = values[k * len(totals) : (k + 1) * len(totals)]
    return out
