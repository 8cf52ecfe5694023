"""Turn sheets' data rows into typed household and member tables.

Three layouts are recognised from the mapped fields:

- ``household``: one row per household; a 姓名/身份证号 column there is the head's.
- ``member``: one row per member, the head's ID repeated on every row.
- ``block``: household fields merged vertically over the member rows below them;
  a block starts at 户主/本人, at a new 序号, or where the head's ID changes.

Every value is parsed on the row it sits in, so a cell that cannot be read is
reported with its own cell reference; household values are then taken per block,
the head's row first (a total on the head row wins over per-member amounts).

Sheets that map the same fields are stacked and parsed as one table (``_Stack``):
a county of 2,000 village sheets then pays each parser's fixed cost once per stack,
not once per sheet. A block never spans two sheets, and every parser works cell by
cell, so the result is the same as parsing each sheet alone.
"""

from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from civaudit.idcard import check_ids, region_named
from civaudit.io.grid import NumericProbe
from civaudit.io.header import Column, Header
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
from civaudit.normalize.arrow import to_arrow
from civaudit.schema import FIELD_BY_NAME

PROBE_ALWAYS_ROWS = 20_000  # sheets up to this size always get exact ID cell types
BATCH_MAX_ROWS = 50_000  # fields of one kind are parsed in one call up to this many rows
THREAD_MIN_ROWS = 100_000  # from this many rows the parsers run on two threads

ISSUE_COLUMNS = ["file", "sheet", "row", "cell", "field", "header", "raw", "issue"]


@dataclass(frozen=True)
class SheetRows:
    """One sheet's data rows (index = Excel row), as ``io.rows.split_rows`` left them."""

    data: pd.DataFrame
    totals: pd.DataFrame
    header: Header
    file: str
    sheet: str
    numeric: NumericProbe | None = None  # which ID cells are numbers (see io.read.Sheet)
    # A wide or list sheet spread to one row per member (io.members): its layout, the
    # source Column of each member field per row, and each row's "field=letter" text.
    layout: str | None = None
    sources: dict[str, np.ndarray] | None = None
    cells: np.ndarray | None = None


@dataclass(frozen=True)
class Tables:
    """The typed tables of several sheets, in sheet order, ``hh`` unique across them."""

    households: pd.DataFrame
    members: pd.DataFrame
    totals: pd.DataFrame
    issues: pd.DataFrame
    layouts: list[str]  # per sheet
    household_counts: np.ndarray  # per sheet
    member_counts: np.ndarray  # per sheet


class _Stack:
    """The data rows of sheets that map the same fields, stacked and parsed together.

    A village sheet of a hundred rows costs more in the fixed work of each pandas call
    than in its rows; stacking a county's sheets makes that cost once per stack.
    Columns are named by field; ``part`` (the sheet's number in the stack) and
    ``row`` (its Excel row) say where each row came from.
    """

    def __init__(self, sheets: list[SheetRows]) -> None:
        self.sheets = sheets
        self.columns: dict[str, list[Column]] = {
            f: [s.header.mapped()[f] for s in sheets] for f in sheets[0].header.mapped()
        }
        fields = list(self.columns)
        frames = [
            s.data.set_axis(range(len(s.data)))[
                [c.index for c in s.header.mapped().values()]
            ].set_axis(fields, axis=1)
            for s in sheets
        ]
        self.data = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        self.lengths = np.array([len(s.data) for s in sheets], dtype="int64")
        self.part = np.repeat(np.arange(len(sheets), dtype="int64"), self.lengths)
        self.row = np.concatenate([s.data.index.to_numpy(dtype="int64") for s in sheets])
        self.issues: list[pd.DataFrame] = []
        # per field, the Column each row's value came from, where a sheet was spread
        self.sources: dict[str, np.ndarray] = {}
        for field in fields:
            if any(s.sources and field in s.sources for s in sheets):
                self.sources[field] = np.concatenate(
                    [
                        s.sources[field]
                        if s.sources and field in s.sources
                        else np.full(len(s.data), self.columns[field][p], dtype=object)
                        for p, s in enumerate(sheets)
                    ]
                )

    def has(self, field: str) -> bool:
        return field in self.columns

    def raw(self, field: str) -> pd.Series:
        return self.data[field]

    def locate(self, frame: pd.DataFrame) -> None:
        """Put ``file`` and ``sheet`` columns in front, from the ``_part`` column."""
        part = frame["_part"].to_numpy()
        for column in ("sheet", "file"):
            names = [getattr(s, column) for s in self.sheets]
            frame.insert(0, column, pd.Series(_repeat_names(names, part), index=frame.index))

    def starts(self) -> np.ndarray:
        """True on the first row of each sheet."""
        first = np.zeros(len(self.data), dtype=bool)
        first[np.cumsum(self.lengths)[self.lengths > 0] - self.lengths[self.lengths > 0]] = True
        return first

    def per_sheet_any(self, mask: np.ndarray) -> np.ndarray:
        """Per row: does any row of its sheet have ``mask``."""
        return (np.bincount(self.part, weights=mask, minlength=len(self.sheets)) > 0)[self.part]

    def note(self, field: str, mask: pd.Series, issue: str) -> list[pd.DataFrame]:
        """The cells of ``field`` where ``mask`` holds, as issue rows (none: [])."""
        mask = mask.fillna(False).to_numpy(dtype=bool)
        if not mask.any():
            return []
        at = np.flatnonzero(mask)
        parts, rows = self.part[at], self.row[at]
        if field in self.sources:  # a spread sheet: each row's own source column
            columns = self.sources[field][at]
        else:
            columns = np.array(self.columns[field], dtype=object)[parts]
        return [
            pd.DataFrame(
                {
                    "file": [self.sheets[p].file for p in parts],
                    "sheet": [self.sheets[p].sheet for p in parts],
                    "row": rows,
                    "cell": [f"{c.letter}{r}" for c, r in zip(columns, rows, strict=True)],
                    "field": field,
                    "header": [c.header for c in columns],
                    "raw": self.raw(field).iloc[at].astype("object").to_numpy(),
                    "issue": issue,
                    "_part": parts,
                }
            )
        ]

    def parse_all(self, fields: list[str]) -> dict[str, dict[str, pd.Series]]:
        """Every field parsed, as {field: {column: values}}; the unreadable cells are
        noted in a fixed order. Fields of one simple kind are parsed together on a
        short stack (one call instead of one per field). On a long stack the parsers
        run on two threads, as pyarrow and the reader release the GIL; ID fields stay
        on this one, since their number-cell probe calls the reader."""
        n = len(self.data)
        groups: dict[str, list[str]] = {}
        for field in fields:
            kind = FIELD_BY_NAME[field].kind
            if kind in _BATCHED:  # a long column is parsed alone: it pays no fixed cost
                groups.setdefault(kind if n <= BATCH_MAX_ROWS else field, []).append(field)
        jobs = [(functools.partial(self._parse_group, g), False) for g in groups.values()]
        jobs += [
            (functools.partial(self._parse_one, f), FIELD_BY_NAME[f].kind == "id")
            for f in fields
            if FIELD_BY_NAME[f].kind not in _BATCHED
        ]
        if n >= THREAD_MIN_ROWS:
            with ThreadPoolExecutor(max_workers=2) as pool:
                futures = [None if here else pool.submit(job) for job, here in jobs]
                results = [
                    job() if future is None else future.result()
                    for (job, _), future in zip(jobs, futures, strict=True)
                ]
        else:
            results = [job() for job, _ in jobs]
        parsed: dict[str, dict[str, pd.Series]] = {}
        for outputs, notes in results:
            parsed.update(outputs)
            self.issues.extend(notes)
        for field in fields:  # a header's unit: 万元, or a period the field has no twin for
            if FIELD_BY_NAME[field].kind == "money" and (scale := self.scale(field)) is not None:
                parsed[field][field] = (parsed[field][field] * scale).round(6)
        return parsed

    def scale(self, field: str) -> np.ndarray | None:
        """Per row, the factor of the header's unit (Column.scale), or None when all are 1."""
        factors = np.array([c.scale for c in self.columns[field]], dtype="float64")
        return None if (factors == 1).all() else factors[self.part]

    def _parse_one(self, field: str) -> tuple[dict[str, dict[str, pd.Series]], list[pd.DataFrame]]:
        """One field's columns (several for IDs, dates and grades) and its issue rows."""
        out: dict[str, pd.Series] = {}
        notes = self._parse_into(field, out)
        return {field: out}, notes

    def _parse_into(self, field: str, out: dict[str, pd.Series]) -> list[pd.DataFrame]:
        raw = self.raw(field)
        kind = FIELD_BY_NAME[field].kind
        name = field
        if kind == "id":
            stem = "head_" if field == "head_id" else ""
            ids = self._ids(field, raw)
            checked = check_ids(ids["id_number"], numeric=ids["id_numeric"])
            self._hidden_regions(checked)
            for col in ("id_number", "id_original", "id_numeric", "id_legacy"):
                out[stem + col] = ids[col]
            for col, new in _ID_CHECKS.items():
                out[stem + new] = checked[col]
            return []
        if kind == "date":
            parsed = parse_dates(raw)
            out[name] = parsed.values
            out[f"{name}_precision"] = parsed.precision
            return self.note(field, parsed.bad, "unparsed") + self.note(
                field, parsed.ambiguous, "ambiguous-date"
            )
        if kind == "disability":
            frame = parse_disability(raw)
            out[name] = frame["grade"]
            if not self.has("disability_type"):
                out["disability_type"] = frame["type"]
            return self.note(field, frame["bad"], "unparsed")
        if kind in ("text", "account"):
            out[name] = clean_text(raw, squeeze_spaces=kind == "account")
            return []
        if kind == "name":
            out[name] = clean_text(raw, squeeze_spaces=True)
            return []
        parser = _PARSERS[kind]
        parsed = parser(raw)
        out[name] = parsed.values
        if kind == "relation":
            out["role"] = parsed.values
            out[name] = clean_text(raw, squeeze_spaces=True)
        return self.note(field, parsed.bad, "unparsed")

    def _parse_group(
        self, group: list[str]
    ) -> tuple[dict[str, dict[str, pd.Series]], list[pd.DataFrame]]:
        """Fields of one simple kind: their columns stacked into one Series and parsed
        in one call (on a short stack, the same saving as stacking the sheets)."""
        n = len(self.data)
        columns = [self.raw(f) for f in group]
        stacked = pd.concat(columns, ignore_index=True) if len(group) > 1 else columns[0]
        values, bad = _BATCHED[FIELD_BY_NAME[group[0]].kind](stacked)
        out: dict[str, dict[str, pd.Series]] = {}
        notes: list[pd.DataFrame] = []
        for i, field in enumerate(group):
            part = slice(i * n, (i + 1) * n)
            out[field] = {field: values.iloc[part].set_axis(self.data.index)}
            if bad is not None:
                notes += self.note(field, bad.iloc[part].set_axis(self.data.index), "unparsed")
        return out, notes

    def _ids(self, field: str, raw: pd.Series) -> pd.DataFrame:
        """Parsed IDs, with number cells told apart from text exactly when it matters.

        From text alone, an ID in a number cell shows as the exact value of a double
        ('130723197206220992'); about one genuine text ID in 1,000 looks the same.
        Such a look-alike with a wrong check character is damage either way. One with
        a right check character is ambiguous: then we ask the reader for the sheet's
        cell types (one more pass over the sheet) when the sheet is small enough for
        that to be cheap or the column shows real damage; otherwise (a large sheet
        with no damaged ID) we take it as the text it almost surely is.
        """
        ids = parse_ids(raw)
        numeric = ids["id_numeric"].to_numpy(dtype=bool)
        if not numeric.any():
            return ids
        valid = check_ids(ids.loc[numeric, "id_number"])["id_status"].eq("valid").to_numpy()
        suspect = np.zeros(len(raw), dtype=bool)
        suspect[np.flatnonzero(numeric)[valid]] = True
        if not suspect.any():
            return ids
        damaged = numeric & ~suspect
        small = (self.lengths <= PROBE_ALWAYS_ROWS)[self.part]
        ask = self.per_sheet_any(suspect) & (small | self.per_sheet_any(damaged))
        probed = np.zeros(len(raw), dtype=bool)
        asked = np.zeros(len(raw), dtype=bool)
        for p in np.unique(self.part[ask]):
            sheet = self.sheets[p]
            if sheet.numeric is None:
                continue
            column = self.columns[field][p].index
            cells = sheet.numeric([column])[column]
            if not cells.index.equals(sheet.data.index):  # a spread sheet answers per row
                cells = cells.reindex(sheet.data.index, fill_value=False)
            rows = self.part == p
            probed[rows] = cells.astype("boolean").fillna(False).to_numpy(dtype=bool)
            asked[rows] = True
        ids["id_numeric"] = numeric & ~(suspect & ~asked)
        if asked.any():
            known = parse_ids(raw, numeric=pd.Series(probed, index=raw.index), numeric_known=True)
            ids["id_numeric"] = np.where(asked, known["id_numeric"], ids["id_numeric"])
        return ids

    def _hidden_regions(self, checked: pd.DataFrame) -> None:
        """A region for masked IDs that hide it (``1****************4``): the region most
        IDs of the same sheet show, else the county its 县 column, title, sheet or file
        name names (``idcard.region_named``). The standard depends on where the benefit
        is paid, which is what the sheet says; without either the region stays unknown
        and the household cannot be assessed, as before."""
        masked = (checked["id_status"] == "masked").to_numpy(dtype=bool)
        hidden = masked & checked["region"].isna().to_numpy(dtype=bool)
        if not hidden.any():
            return
        region = checked["region"]
        shown = region.notna().to_numpy(dtype=bool)
        counts = (
            pd.DataFrame({"part": self.part[shown], "region": region[shown].to_numpy()})
            .value_counts()
            .reset_index(name="n")
            .sort_values(["part", "n", "region"], ascending=[True, False, True])
            .drop_duplicates("part")
        )
        best = dict(zip(counts["part"], counts["region"], strict=True))
        for p in np.unique(self.part[hidden]).tolist():
            if p not in best:
                sheet = self.sheets[p]
                county = []
                if self.has("county"):
                    county = self.raw("county")[self.part == p].dropna().unique()[:5].tolist()
                best[p] = region_named(
                    *map(str, county), *sheet.header.title, sheet.sheet, sheet.file
                )
        fill = pd.Series(self.part[hidden]).map(best).to_numpy(dtype=object)
        checked.loc[hidden, "region"] = fill

    def frame_issues(self) -> pd.DataFrame:
        """The unreadable cells, sheet by sheet (``_part`` says which)."""
        if not self.issues:
            empty = {c: pd.Series(dtype="object") for c in ISSUE_COLUMNS}
            return pd.DataFrame({**empty, "_part": pd.Series(dtype="int64")})
        issues = pd.concat(self.issues, ignore_index=True)
        order = np.argsort(issues["_part"].to_numpy(), kind="stable")
        return issues.iloc[order].reset_index(drop=True)


def _repeat_names(names: list[str], part: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``names[part]`` as a text array. Rows come sheet by sheet, so the names repeat
    in runs, each written as one repeated byte string instead of a million-row take."""
    if len(part) and np.all(part[1:] >= part[:-1]):
        encoded = [n.encode("utf-8") for n in names]
        starts = np.flatnonzero(np.r_[True, part[1:] != part[:-1]])
        counts = np.diff(np.r_[starts, len(part)])
        runs = zip(part[starts].tolist(), counts.tolist(), strict=True)
        data = b"".join(encoded[p] * c for p, c in runs)
        sizes = np.array([len(e) for e in encoded], dtype="int64")[part[starts]]
        offsets = np.zeros(len(part) + 1, dtype="int64")
        np.cumsum(np.repeat(sizes, counts), out=offsets[1:])
        array = pa.LargeStringArray.from_buffers(
            len(part), pa.py_buffer(offsets), pa.py_buffer(data)
        )
        return pd.arrays.ArrowStringArray(array, dtype=pd.StringDtype("pyarrow", na_value=np.nan))
    return pd.array(names, dtype=str).take(part)


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


def build_tables(sheets: list[SheetRows]) -> Tables:
    """Typed household and member tables for sheets of data rows, in their order.

    Sheets that map the same fields are stacked and parsed together; the result is
    the same as parsing each alone (each row is parsed on its own, and households
    never span two sheets).
    """
    groups: dict[tuple, list[int]] = {}
    for i, sheet in enumerate(sheets):
        groups.setdefault((tuple(sheet.header.mapped()), sheet.layout), []).append(i)
    built = [(order, _build_stack(_Stack([sheets[i] for i in order]))) for order in groups.values()]
    layouts: list[str] = [""] * len(sheets)
    hh_counts = np.zeros(len(sheets), dtype="int64")
    member_counts = np.zeros(len(sheets), dtype="int64")
    offset = 0
    for order, (tables, stack_layouts) in built:
        for k, i in enumerate(order):
            layouts[i] = stack_layouts[k]
        hh_counts[order] = np.bincount(tables["households"]["_part"], minlength=len(order))
        member_counts[order] = np.bincount(tables["members"]["_part"], minlength=len(order))
        for table in tables.values():  # stack positions -> positions in ``sheets``
            table["_part"] = np.asarray(order, dtype="int64")[table["_part"].to_numpy()]
        tables["households"]["hh"] += offset
        tables["members"]["hh"] += offset
        offset += len(tables["households"])
    frames = {
        name: _in_sheet_order([tables[name] for _, (tables, _) in built])
        for name in ("households", "members", "totals", "issues")
    }
    households, members = frames["households"], frames["members"]
    if len(built) > 1:  # renumber households in sheet order
        renumber = np.empty(len(households), dtype="int64")
        renumber[households["hh"].to_numpy()] = np.arange(len(households))
        households["hh"] = np.arange(len(households))
        members["hh"] = renumber[members["hh"].to_numpy()]
    return Tables(
        households.drop(columns="_part"),
        members.drop(columns="_part"),
        frames["totals"].drop(columns="_part"),
        frames["issues"].drop(columns="_part"),
        layouts,
        hh_counts,
        member_counts,
    )


def _in_sheet_order(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)] or frames[:1]  # empty ones carry no dtypes
    if len(frames) == 1:
        return frames[0]
    frame = pd.concat(frames, ignore_index=True)
    order = np.argsort(frame["_part"].to_numpy(), kind="stable")
    return frame.iloc[order].reset_index(drop=True)


def _build_stack(parse: _Stack) -> tuple[dict[str, pd.DataFrame], list[str]]:
    fields = list(parse.columns)
    member_level = (
        parse.sheets[0].layout is not None  # spread to a row per member (io.members)
        or parse.has("relation")
        or (parse.has("name") and (parse.has("head_name") or parse.has("head_id")))
        or (parse.has("id_number") and parse.has("head_id"))
    )
    rows = pd.Series(parse.row, index=parse.data.index, name="row")

    person: dict[str, pd.Series] = {}
    household: dict[str, pd.Series] = {}
    parsed = parse.parse_all(fields)
    for field in fields:
        (person if FIELD_BY_NAME[field].level == "member" else household).update(parsed[field])

    if member_level:
        layouts, block = _blocks(parse, person, household)
        parse.issues[:] = _once_per_household(parse, block, layouts)
        parse.issues.extend(_repeat_conflicts(parse, household, person, block, layouts))
    else:
        layouts = ["household"] * len(parse.sheets)
        block = pd.Series(np.arange(len(parse.data)), index=parse.data.index)
    household["_part"] = pd.Series(parse.part, index=parse.data.index)
    if any(s.cells is not None for s in parse.sheets):  # the cells each member came from
        person["member_cells"] = pd.Series(
            np.concatenate(
                [
                    s.cells if s.cells is not None else np.full(len(s.data), None, dtype=object)
                    for s in parse.sheets
                ]
            ),
            index=parse.data.index,
            dtype="category",
        )
    households = _households(household, person, rows, block, member_level)
    members = _members(person, household, rows, block, member_level)
    members["_part"] = parse.part
    for frame in (households, members):
        parse.locate(frame)
    totals = _totals(parse)
    return {
        "households": households,
        "members": members,
        "totals": totals,
        "issues": parse.frame_issues(),
    }, layouts


def _blocks(
    parse: _Stack, person: dict[str, pd.Series], household: dict[str, pd.Series]
) -> tuple[list[str], pd.Series]:
    """Block number per member row, and per sheet whether household cells were merged
    (``block``) or repeated (``member``)."""
    index = parse.data.index
    start = parse.starts()
    spread = parse.sheets[0].layout
    if spread is not None:  # one household per Excel row, its members spread below it
        start |= np.r_[True, parse.row[1:] != parse.row[:-1]]
        block = pd.Series(np.cumsum(start) - 1, index=index)
        return [spread] * len(parse.sheets), block
    if "role" in person:
        start |= person["role"].eq("head").fillna(False).to_numpy(dtype=bool)
    if parse.has("seq"):
        seq = household["seq"]
        gaps = seq.isna().to_numpy()
        start |= parse.per_sheet_any(gaps) & ~gaps
    key = household.get("head_id_number")
    if key is None:
        key = household.get("head_name")
    repeated = np.zeros(len(parse.sheets), dtype=bool)
    if key is not None:
        filled = key.groupby(parse.part).ffill() if len(parse.sheets) > 1 else key.ffill()
        changed = filled.ne(filled.shift()).fillna(True).to_numpy(dtype=bool)
        present = key.notna().to_numpy(dtype=bool)
        start |= present & changed
        gaps = np.bincount(parse.part, weights=~present, minlength=len(parse.sheets))
        repeated = gaps == 0  # the household cells are on every row: repeated, not merged
    block = pd.Series(np.cumsum(start) - 1, index=index)
    return ["member" if r else "block" for r in repeated], block


REPEAT_KINDS = ("money", "count", "number", "bool", "date")
REPEAT_TEXT = ("category", "coverage_mode", "status", "bank_account")
"""Household fields whose copies on a household's member rows must agree (free text,
places and the household keys are left out: the keys start a new household)."""


def _once_per_household(parse: _Stack, block: pd.Series, layouts: list[str]) -> list:
    """The issue rows with the copies of one household cell reported once: a sheet that
    repeats its household cells on every member row repeats an unreadable or ambiguous
    value too, and that is one finding (at the household's first row), not one per
    member."""
    repeating = [i for i, layout in enumerate(layouts) if layout == "member"]
    if not parse.issues or not repeating:
        return parse.issues
    issues = pd.concat(parse.issues, ignore_index=True)
    household = issues["field"].map(lambda f: FIELD_BY_NAME[f].level != "member")
    candidates = household.to_numpy(dtype=bool) & issues["_part"].isin(repeating).to_numpy()
    if not candidates.any():
        return parse.issues
    where = pd.DataFrame({"_part": parse.part, "row": parse.row, "_block": block.to_numpy()})
    keyed = issues[candidates].merge(where, on=["_part", "row"], how="left")
    repeated = {f: _repeated_in(parse, f, block) for f in keyed["field"].unique()}
    copies = np.array(
        [repeated[f][p] for f, p in zip(keyed["field"], keyed["_part"], strict=True)], dtype=bool
    )
    again = keyed.duplicated(["_block", "field", "raw", "issue"]).to_numpy() & copies
    keep = np.ones(len(issues), dtype=bool)
    keep[np.flatnonzero(candidates)[again]] = False
    return [issues[keep].reset_index(drop=True)]


def _repeated_in(parse: _Stack, field: str, block: pd.Series) -> np.ndarray:
    """Per sheet of the stack: whether ``field`` is a household cell copied onto its
    member rows (the copies agree in most households that have two), not each member's
    own value (按人发放). It takes two households with copies to tell."""
    raw = parse.raw(field).astype("string").str.strip()
    frame = pd.DataFrame({"part": parse.part, "block": block.to_numpy(), "raw": raw.to_numpy()})
    frame = frame[frame["raw"].notna()]
    per = frame.groupby(["part", "block"], sort=False)["raw"].agg(["size", "nunique"])
    per = per[per["size"] >= 2]
    agree = (per["nunique"] == 1).groupby(level="part").agg(["mean", "size"])
    agree = agree[agree["size"] >= 2]  # one household's copies say nothing either way
    out = np.zeros(len(parse.sheets), dtype=bool)
    out[agree.index.to_numpy(dtype=np.int64)] = agree["mean"].to_numpy() > 0.5
    return out


def _repeat_conflicts(
    parse: _Stack,
    household: dict[str, pd.Series],
    person: dict[str, pd.Series],
    block: pd.Series,
    layouts: list[str],
) -> list[pd.DataFrame]:
    """Issue rows ("inconsistent-repeat") for household cells repeated on member rows
    that disagree with the value the household is read with (its head row's, else its
    first row's: what ``_households`` takes).

    Only sheets that repeat the household's cells on every member row (layout
    ``member``) are compared: in a block sheet the household cells are merged, and a
    column filled on every row there is each member's own. Nor is a column whose
    copies disagree in most of a sheet's households: that is each member's own amount
    (按人发放), not a repeated household field. A money column holding the
    household total on the head row and each member's share below (the shares add up
    to the total) is not a conflict either.

    Consecutive copies are compared (numpy, or pyarrow for text), so a sheet whose
    copies agree costs one pass per field; only the households that disagree are
    looked at again.
    """
    blocks = block.to_numpy()
    repeating = np.array([layout == "member" for layout in layouts], dtype=bool)[parse.part]
    later = np.r_[False, blocks[1:] == blocks[:-1]]  # rows after their household's first
    if not repeating.any() or not later.any():
        return []
    notes: list[pd.DataFrame] = []
    role = person.get("role")
    is_head = (
        role.eq("head").fillna(False).to_numpy(dtype=bool)
        if role is not None
        else np.zeros(len(blocks), dtype=bool)
    )
    for field in parse.columns:
        spec = FIELD_BY_NAME[field]
        if spec.level != "household" or not (spec.kind in REPEAT_KINDS or field in REPEAT_TEXT):
            continue
        values = household.get(field)
        if values is None:
            continue
        known = values.notna().to_numpy(dtype=bool) & repeating
        if not (known & later).any():  # filled on its households' first rows only
            continue
        at = np.flatnonzero(known)
        b = blocks[at]
        same_block = b[1:] == b[:-1]
        if not same_block.any():  # one copy per household: nothing repeated
            continue
        differ = same_block & _changed(values.array[at])
        if not differ.any():
            continue
        # per sheet: households with two or more copies, and those whose copies differ
        parts = parse.part[at[1:]]
        n = len(parse.sheets)
        _, once = np.unique(b[1:][same_block], return_index=True)
        copied = np.bincount(parts[same_block][once], minlength=n)
        _, once = np.unique(b[1:][differ], return_index=True)
        disagree = np.bincount(parts[differ][once], minlength=n)
        own = 2 * disagree > copied  # each member's own amount, not a repeat
        differ &= ~own[parts]
        if not differ.any():
            continue
        bad = np.isin(blocks, np.unique(b[1:][differ])) & values.notna().to_numpy(dtype=bool)
        rows = np.flatnonzero(bad)
        sub = pd.DataFrame(
            {"block": blocks[rows], "head": is_head[rows], "at": rows},
        ).sort_values(["block", "head", "at"], ascending=[True, False, True], kind="stable")
        picked = values.iloc[sub["at"].to_numpy()].reset_index(drop=True)
        first = sub["block"].ne(sub["block"].shift()).to_numpy()
        read = picked[first].reindex(range(len(sub))).ffill() if len(sub) else picked
        off = _changed_from(picked, read)
        if spec.kind == "money":  # a total on the head row over each member's share
            amounts = pd.to_numeric(picked, errors="coerce").to_numpy(dtype="float64")
            shares = pd.Series(np.where(first, 0.0, amounts)).groupby(sub["block"].to_numpy())
            total = pd.Series(np.where(first, amounts, 0.0)).groupby(sub["block"].to_numpy())
            parts = (total.transform("sum") - shares.transform("sum")).abs() < 0.005
            off &= ~(
                parts.to_numpy()
                & sub["head"].groupby(sub["block"].to_numpy()).transform("any").to_numpy()
            )
        if off.any():
            mask = np.zeros(len(blocks), dtype=bool)
            mask[sub["at"].to_numpy()[off]] = True
            notes += parse.note(field, pd.Series(mask, index=values.index), "inconsistent-repeat")
    return notes


def _changed(values) -> np.ndarray:
    """values[i] != values[i - 1] for i >= 1 (an array with no NA)."""
    if isinstance(values.dtype, pd.StringDtype) or values.dtype == object:
        arr = to_arrow(pd.Series(values))
        return pc.not_equal(arr.slice(1), arr.slice(0, len(arr) - 1)).to_numpy(zero_copy_only=False)
    arr = np.asarray(values)
    return arr[1:] != arr[:-1]


def _changed_from(values: pd.Series, read: pd.Series) -> np.ndarray:
    """values != read, elementwise (neither has NA)."""
    if isinstance(values.dtype, pd.StringDtype) or values.dtype == object:
        return (values.astype("string") != read.astype("string")).to_numpy(dtype=bool)
    return values.to_numpy() != read.to_numpy()


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
                frame[col] = person[src].array  # keeps its dtype when all empty
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
    if np.array_equal(order, np.arange(len(order))):  # heads first already: no copy
        ordered, keys = frame, block.to_numpy()
    else:
        ordered, keys = frame.iloc[order], block.to_numpy()[order]
    grouped = ordered.groupby(keys, sort=True)
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


def _totals(parse: _Stack) -> pd.DataFrame:
    """Totals rows with their money and count cells parsed, for the cross-check."""
    sheets = [s.totals for s in parse.sheets]
    out = pd.DataFrame(
        {
            "row": np.concatenate([t.index.to_numpy(dtype="int64") for t in sheets]),
            "label": np.concatenate([t["label"].to_numpy(dtype=object) for t in sheets]),
            "_part": np.repeat(np.arange(len(sheets)), [len(t) for t in sheets]),
        }
    )
    parse.locate(out)
    if out.empty:
        return out
    for kind in ("money", "count"):
        fields = [f for f in parse.columns if FIELD_BY_NAME[f].kind == kind]
        if not fields:
            continue
        stacked = pd.concat(
            [t[parse.columns[f][p].index] for f in fields for p, t in enumerate(sheets)],
            ignore_index=True,
        )
        values = _BATCHED[kind](stacked)[0].to_numpy()
        for k, field in enumerate(fields):
            out[field] = values[k * len(out) : (k + 1) * len(out)]
            if kind == "money" and parse.scale(field) is not None:
                parts = out["_part"].to_numpy()
                factors = np.array([c.scale for c in parse.columns[field]])[parts]
                out[field] = (pd.Series(out[field], dtype="Float64") * factors).round(6)
    return out
