"""The grid every reader produces: sheets of cell text indexed by the Excel row.

``io.read`` (workbooks, CSV) and ``io.markup`` (HTML and SpreadsheetML ".xls") both
turn a file into a ``Workbook`` of ``Sheet`` grids; the header finder and the row
splitter read nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

TEXT = "str"  # pandas' Arrow-backed string dtype with NaN for missing


NumericProbe = Callable[[list[int]], pd.DataFrame]


@dataclass(frozen=True)
class Sheet:
    """One sheet as text cells: index = Excel row (1-based), columns = column number (0-based).

    ``numeric`` (workbooks only) says which cells of the given columns were stored
    as numbers: text rendering cannot tell the number 1.30723197206221E+17 from
    the text "130723197206220992", and an ID in a number cell has lost digits.
    """

    name: str
    cells: pd.DataFrame
    numeric: NumericProbe | None = None


@dataclass(frozen=True)
class SkippedSheet:
    name: str
    reason: str  # "hidden", "very-hidden", "empty", "unreadable"
    detail: str = ""


@dataclass(frozen=True)
class Workbook:
    path: Path
    kind: str  # xlsx, xlsm, xlsb, xls, ods, csv, html, spreadsheetml
    sha256: str
    size: int
    sheets: list[Sheet]
    skipped: list[SkippedSheet] = field(default_factory=list)
    encoding: str | None = None  # CSV and HTML only


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column name a user sees in Excel."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def drop_empty_edges(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop columns and trailing rows with no value at all (formatting-only range)."""
    if frame.empty:
        return frame
    filled = frame.notna()
    frame = frame.loc[:, filled.any(axis=0)]
    rows_with_data = filled.any(axis=1)
    if rows_with_data.any():
        last = rows_with_data[rows_with_data].index[-1]
        frame = frame.loc[:last]
    return frame


def cells_as_objects(frame: pd.DataFrame) -> np.ndarray:
    """The frame's cells as an array of objects (None where empty), each text column
    straight from Arrow: a quarter of the time of ``frame.to_numpy(dtype=object)``
    on a village sheet's grid."""
    out = np.empty(frame.shape, dtype=object)
    for j, (_, column) in enumerate(frame.items()):  # half the cost of iloc[:, j]
        if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow":
            array = pa.array(column.array)
            if isinstance(array, pa.ChunkedArray):
                array = array.combine_chunks()
            out[:, j] = array.to_numpy(zero_copy_only=False)
        else:
            out[:, j] = column.to_numpy(dtype=object)
    return out


def arrow_to_grid(batch, columns: list[int]) -> pd.DataFrame:
    """The batch as a text grid without its empty columns and trailing empty rows
    (found from Arrow's null counts: no pass over a million-row frame)."""
    import pyarrow.compute as pc

    keep = [i for i in range(batch.num_columns) if batch.column(i).null_count < batch.num_rows]
    rows = 0
    for i in keep:
        column = batch.column(i)
        if column.null_count == 0:
            rows = batch.num_rows
            break
        valid = np.flatnonzero(pc.is_valid(column).to_numpy(zero_copy_only=False))
        rows = max(rows, int(valid[-1]) + 1)
    # each column wrapped as pandas' Arrow-backed strings, without ``to_pandas``'s
    # general machinery (a third of the time on a village sheet)
    data = {columns[i]: pd.array(batch.column(i).slice(0, rows), dtype=_ARROW_TEXT) for i in keep}
    frame = pd.DataFrame(data, copy=False)
    frame.index = pd.RangeIndex(1, rows + 1, name="row")
    return frame


# ``TEXT`` spelled out (what "str" is under pandas 3): every cell arrives as text
_ARROW_TEXT = pd.StringDtype("pyarrow", na_value=float("nan"))
