"""Tell data rows from the rows that are not data, and say why each was skipped.

Below the header a roster has blank rows, a row of column numbers (1 2 3 …), a
header repeated on each printed page, subtotal and totals rows (本页小计, 累计, 合计) and
footers (制表人：… 审核人：… 填报日期：…). Those are left out of the data, counted
by reason, and the totals rows are kept aside for the totals cross-check. Any other
row is data, however broken: a broken row is a finding, never a silent drop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from civaudit.io.grid import cells_as_objects
from civaudit.io.header import Header
from civaudit.normalize.arrow import arrow_mask, to_arrow

SKIP_REASONS = ("title", "blank", "column-numbers", "repeated-header", "totals", "footer")

TOTALS = re.compile(
    r"(本页|本村|全村|本乡|全乡|本镇|全镇|本组|全县|总|累)?(合计|总计|小计|共计|累计)[:：]?.{0,12}"
)
FOOTER = re.compile(
    r"(制表人|制表|审核人|审核|审批人|填报日期|填表日期|制表日期|填表人|填报人|负责人|单位负责人|"
    r"经办人|复核人|领导签字|签字|盖章|注|说明|备注|填报单位)\s*[:：].*|(制表人|审核人|填表人|经办人)"
)
_COLUMN_NUMBER = re.compile(r"[(（]?\d{1,2}[)）]?")
SECTION = re.compile(
    r"(?:[一二三四五六七八九十]{1,3}[、.．]|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、．]"
    r"|第[一二三四五六七八九十\d]{1,3}(?:类|部分|批)).{0,30}"
    r"|.{0,20}(?:保障对象|救助对象|供养对象|类对象|类户|低保户|低保对象)(?:名单|花名册|情况)?"
    # a village's heading; not 镇 or 乡, which end people's names too (王新镇)
    r"|[^\d\s]{1,12}(?:村|社区|居委会|村委会|街道|[一二三四五六七八九十\d]{1,2}组)"
)
"""A heading that divides a sheet's rows into sections (``二、二类保障对象``, ``（一）
重点保障对象``, ``第二类``, a village's name over its households: ``李家村``,
``三组``), alone on its row: skipped as a title, never a household."""


@dataclass(frozen=True)
class RowSplit:
    data: pd.DataFrame  # the data rows, index = Excel row
    totals: pd.DataFrame  # totals rows (index = Excel row) with a "label" column
    skipped: pd.Series  # Excel row -> reason, for every row that is not data nor header


SMALL_CELLS = 200_000  # a grid up to this many cells is read as one object array


def split_rows(cells: pd.DataFrame, header: Header) -> RowSplit:
    """Classify every row of a sheet grid below and above the header band.

    Rows are found by position and the grid's null mask is taken once; a small grid
    (a village sheet of a hundred rows) is also read once as an array of objects, so
    a county of them pays pandas' fixed cost per call a few times per sheet, not once
    per column of each row picked out. Reasons are kept as codes into SKIP_REASONS
    until the end, and the frames are cut by position only (no copies)."""
    index = cells.index
    top = int(index.searchsorted(header.rows[0], side="left"))  # rows above the header
    start = int(index.searchsorted(header.last_row, side="right"))  # first body row
    rows = index[start:]
    grid = cells_as_objects(cells) if cells.size <= SMALL_CELLS else None
    filled = ~pd.isna(grid) if grid is not None else cells.notna().to_numpy()

    def values(at: np.ndarray | int, columns: list[int] | None = None) -> np.ndarray:
        """The body's cells at rows ``at`` (positions) as objects, NaN where empty."""
        if grid is not None:
            picked = grid[start:][at]
            return picked if columns is None else picked[..., columns]
        body = cells.iloc[start:]
        picked = body.iloc[at] if columns is None else body.iloc[at, columns]
        return np.asarray(picked.to_numpy(dtype=object) if np.ndim(at) else picked, dtype=object)

    reasons = np.full(len(rows), _DATA, dtype=np.int8)
    blank = ~filled[start:].any(axis=1)
    reasons[blank] = _CODE["blank"]

    if not blank.all():
        first = int(np.argmin(blank))
        if _is_column_numbers(values(first)):
            reasons[first] = _CODE["column-numbers"]

    mapped = [c for c in header.columns if c.field]
    candidates = reasons == _DATA
    for col in (c.index for c in mapped if c.field in ("id_number", "head_id")):
        # a row holding something like an ID number is data, whatever else it says
        probe = pc.match_substring_regex(to_arrow(cells[col]).slice(start), r"\d{6}")
        candidates &= ~arrow_mask(probe)
    if mapped and candidates.any():  # a header repeated on each printed page
        at = np.flatnonzero(candidates)
        texts = np.array([c.header.split(".")[-1] for c in mapped], dtype=object)
        where = [cells.columns.get_loc(c.index) for c in mapped]
        repeated = (values(at, where) == texts).sum(axis=1) >= max(2, int(0.6 * len(mapped)))
        reasons[at[repeated]] = _CODE["repeated-header"]
        candidates[at[repeated]] = False
    labels = pd.Series(dtype="object")
    if candidates.any():
        at = np.flatnonzero(candidates)
        if len(at) <= FEW_ROWS:
            kinds, labels = _classify_few(rows[at], values(at))
        else:
            kinds, labels = _classify_many(cells.iloc[start + at])
        for kind in ("totals", "footer", "title"):  # a title here: a section's heading
            reasons[rows.get_indexer(kinds.index[kinds.eq(kind)])] = _CODE[kind]

    title = filled[:top].any(axis=1)
    above = index[:top]
    skipped_body = reasons != _DATA
    skipped = pd.Series(
        pd.Categorical.from_codes(
            np.concatenate(
                [
                    np.full(title.sum(), _CODE["title"], dtype=np.int8),
                    np.full((~title).sum(), _CODE["blank"], dtype=np.int8),
                    reasons[skipped_body],
                ]
            ),
            categories=SKIP_REASONS,
        ),
        index=above[title].append([above[~title], rows[skipped_body]]),
    )
    totals = _rows_at(cells, start + np.flatnonzero(reasons == _CODE["totals"]))
    totals = totals.assign(label=labels.reindex(totals.index).to_numpy(dtype=object))
    return RowSplit(_rows_at(cells, start + np.flatnonzero(~skipped_body)), totals, skipped)


_CODE = {reason: code for code, reason in enumerate(SKIP_REASONS)}
_DATA = -1  # a row's code while it is data


def _rows_at(frame: pd.DataFrame, at: np.ndarray) -> pd.DataFrame:
    """``frame``'s rows at positions ``at``; the data rows of a sheet are most often
    one run (the rows below them totals and footers), and its totals one row, which a
    slice takes without copying every cell of a million-row sheet."""
    if not len(at) or at[-1] - at[0] + 1 == len(at):
        return frame.iloc[at[0] : at[-1] + 1] if len(at) else frame.iloc[:0]
    return frame.iloc[at]


FEW_ROWS = 5_000  # up to this many candidate rows, plain Python beats per-column regex calls
_SPACES = re.compile(r"\s+")


def _classify_few(rows: pd.Index, cells: np.ndarray) -> tuple[pd.Series, pd.Series]:
    """Totals and footer rows among a few candidate rows (Excel ``rows``, their
    ``cells`` as objects): (kind per row, totals label)."""
    kinds: dict[int, str] = {}
    labels: dict[int, str] = {}
    for row, values in zip(rows, cells, strict=True):
        texts = [_SPACES.sub("", str(v)) for v in values if v is not None and v == v]
        label = next((t for t in texts if TOTALS.fullmatch(t)), None)
        if label is not None:
            kinds[row], labels[row] = "totals", label
        elif len(texts) <= 4 and any(FOOTER.fullmatch(t) for t in texts):
            kinds[row] = "footer"
        elif len(texts) == 1 and SECTION.fullmatch(texts[0]):
            kinds[row] = "title"
    return pd.Series(kinds, dtype="object"), pd.Series(labels, dtype="object")


def _classify_many(cand: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The same, one vectorised regex per column, for sheets with many candidates."""
    squeezed = cand.apply(lambda col: col.str.replace(r"\s+", "", regex=True))
    totals_cell = squeezed.apply(lambda col: col.str.fullmatch(TOTALS).fillna(False).astype(bool))
    is_totals = totals_cell.any(axis=1)
    footer = squeezed.apply(lambda col: col.str.fullmatch(FOOTER).fillna(False).astype(bool))
    filled = cand.notna().sum(axis=1)
    is_footer = footer.any(axis=1) & ~is_totals & (filled <= 4)
    section = squeezed[filled == 1].apply(lambda col: col.str.fullmatch(SECTION).fillna(False))
    is_section = section.any(axis=1).reindex(cand.index, fill_value=False) & ~is_totals & ~is_footer
    kinds = pd.concat(
        [
            pd.Series(kind, index=mask.index[mask], dtype="object")
            for kind, mask in (("totals", is_totals), ("footer", is_footer), ("title", is_section))
        ]
    )
    first_label = totals_cell[is_totals].idxmax(axis=1)
    labels = pd.Series(
        [squeezed.at[row, col] for row, col in first_label.items()],
        index=first_label.index,
        dtype="object",
    )
    return kinds, labels


def _is_column_numbers(row: np.ndarray) -> bool:
    values = [str(v) for v in row if not pd.isna(v)]
    return len(values) >= 3 and all(_COLUMN_NUMBER.fullmatch(v) for v in values)
