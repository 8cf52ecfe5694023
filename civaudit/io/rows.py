"""Tell data rows from the rows that are not data, and say why each was skipped.

Below the header a roster has blank rows, a row of column numbers (1 2 3 …), a
header repeated on each printed page, subtotal and totals rows (本页小计, 合计) and
footers (制表人：… 审核人：… 填报日期：…). Those are left out of the data, counted
by reason, and the totals rows are kept aside for the totals cross-check. Any other
row is data, however broken: a broken row is a finding, never a silent drop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from civaudit.io.header import Header

SKIP_REASONS = ("title", "blank", "column-numbers", "repeated-header", "totals", "footer")

TOTALS = re.compile(
    r"(本页|本村|全村|本乡|全乡|本镇|全镇|本组|全县|总|累)?(合计|总计|小计|共计)[:：]?.{0,12}"
)
FOOTER = re.compile(
    r"(制表人|制表|审核人|审核|审批人|填报日期|填表日期|制表日期|填表人|填报人|负责人|单位负责人|"
    r"经办人|复核人|领导签字|签字|盖章|注|说明|备注|填报单位)\s*[:：].*|(制表人|审核人|填表人|经办人)"
)
_COLUMN_NUMBER = re.compile(r"[(（]?\d{1,2}[)）]?")


@dataclass(frozen=True)
class RowSplit:
    data: pd.DataFrame  # the data rows, index = Excel row
    totals: pd.DataFrame  # totals rows (index = Excel row) with a "label" column
    skipped: pd.Series  # Excel row -> reason, for every row that is not data nor header


def split_rows(cells: pd.DataFrame, header: Header) -> RowSplit:
    """Classify every row of a sheet grid below and above the header band."""
    above = cells.loc[: header.rows[0] - 1]
    body = cells.loc[header.last_row + 1 :]
    reasons = pd.Series(pd.NA, index=body.index, dtype="object")

    blank = body.isna().all(axis=1)
    reasons[blank] = "blank"

    first = blank.idxmin() if (~blank).any() else None
    if first is not None and _is_column_numbers(body.loc[first]):
        reasons[first] = "column-numbers"

    mapped = [c for c in header.columns if c.field]
    id_columns = [c.index for c in mapped if c.field in ("id_number", "head_id")]
    candidates = reasons.isna()
    if id_columns:  # a row holding something like an ID number is data, whatever else it says
        has_id = body[id_columns].apply(lambda col: col.str.contains(r"\d{6}").fillna(False))
        candidates &= ~has_id.any(axis=1)
    if mapped and candidates.any():  # a header repeated on each printed page
        rows = candidates.index[candidates.to_numpy()]
        texts = np.array([c.header.split(".")[-1] for c in mapped], dtype=object)
        cells = body.loc[rows, [c.index for c in mapped]].to_numpy(dtype=object)
        repeated = (cells == texts).sum(axis=1) >= max(2, int(0.6 * len(mapped)))
        reasons[rows[repeated]] = "repeated-header"
        candidates[rows[repeated]] = False
    labels = pd.Series(pd.NA, index=body.index, dtype="object")
    if candidates.any():
        cand = body.loc[candidates]
        classify = _classify_few if len(cand) <= FEW_ROWS else _classify_many
        kinds, found = classify(cand)
        reasons[kinds.index[kinds.eq("totals")]] = "totals"
        reasons[kinds.index[kinds.eq("footer")]] = "footer"
        labels[found.index] = found

    title = above.notna().any(axis=1)
    skipped = pd.concat(
        [
            pd.Series("title", index=above.index[title], dtype="object"),
            pd.Series("blank", index=above.index[~title], dtype="object"),
            reasons.dropna(),
        ]
    )
    totals = body.loc[reasons.eq("totals").fillna(False).astype(bool)].copy()
    totals["label"] = labels[totals.index]
    return RowSplit(_rows_where(body, reasons.isna()), totals, skipped.astype("category"))


def _rows_where(frame: pd.DataFrame, keep: pd.Series) -> pd.DataFrame:
    """``frame.loc[keep]``; the data rows of a sheet are most often one run (the
    rows below them totals and footers), which a slice takes without copying every
    cell of a million-row sheet."""
    at = np.flatnonzero(keep.to_numpy(dtype=bool))
    if len(at) and at[-1] - at[0] + 1 == len(at):
        return frame.iloc[at[0] : at[-1] + 1]
    return frame.loc[keep]


FEW_ROWS = 5_000  # up to this many candidate rows, plain Python beats per-column regex calls
_SPACES = re.compile(r"\s+")


def _classify_few(cand: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Totals and footer rows among a few candidate rows: (kind per row, totals label)."""
    kinds: dict[int, str] = {}
    labels: dict[int, str] = {}
    for row, values in zip(cand.index, cand.itertuples(index=False), strict=True):
        texts = [_SPACES.sub("", str(v)) for v in values if v is not None and v == v]
        label = next((t for t in texts if TOTALS.fullmatch(t)), None)
        if label is not None:
            kinds[row], labels[row] = "totals", label
        elif len(texts) <= 4 and any(FOOTER.fullmatch(t) for t in texts):
            kinds[row] = "footer"
    return pd.Series(kinds, dtype="object"), pd.Series(labels, dtype="object")


def _classify_many(cand: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The same, one vectorised regex per column, for sheets with many candidates."""
    squeezed = cand.apply(lambda col: col.str.replace(r"\s+", "", regex=True))
    totals_cell = squeezed.apply(lambda col: col.str.fullmatch(TOTALS).fillna(False).astype(bool))
    is_totals = totals_cell.any(axis=1)
    footer = squeezed.apply(lambda col: col.str.fullmatch(FOOTER).fillna(False).astype(bool))
    is_footer = footer.any(axis=1) & ~is_totals & (cand.notna().sum(axis=1) <= 4)
    kinds = pd.Series("totals", index=is_totals.index[is_totals], dtype="object")
    kinds = pd.concat(
        [kinds, pd.Series("footer", index=is_footer.index[is_footer], dtype="object")]
    )
    first_label = totals_cell[is_totals].idxmax(axis=1)
    labels = pd.Series(
        [squeezed.at[row, col] for row, col in first_label.items()],
        index=first_label.index,
        dtype="object",
    )
    return kinds, labels


def _is_column_numbers(row: pd.Series) -> bool:
    values = [str(v) for v in row.dropna()]
    return len(values) >= 3 and all(_COLUMN_NUMBER.fullmatch(v) for v in values)
