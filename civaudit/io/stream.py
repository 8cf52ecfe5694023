"""Read a large ``.xlsx`` sheet row by row, in bounded memory, into the same text grid
as the whole-sheet reader.

calamine (under fastexcel and python-calamine) builds the whole sheet in memory before
it hands a cell over: 2.5 GB for a sheet of a million members, even when asked for a
thousand rows (python-calamine issue #42, "Lazy/streaming reading"). The
python-calamine-plus fork streams an xlsx sheet's rows from the file instead
(``CalamineWorkbook.stream_sheet_by_name``); the same file then reads in 14 MB.
Its rows hold Python values, which are rendered here exactly as fastexcel renders
them with ``dtypes="string"`` (``tests/io/test_streamed_read.py`` holds the two readers equal
cell by cell): integers as they are, floats rounded to nine decimals without trailing zeros,
datetimes as ``YYYY-MM-DD HH:MM:SS[.mmm]``, times and durations as the datetime of
their serial number (in a 1904-epoch workbook from 1904-01-01), booleans as
``true``/``false``; empty, blank and error cells as missing. Two cells differ, neither
met in a roster: a date stored as ISO text (``<c t="d">``, written by openpyxl, not by
Excel), which fastexcel keeps as that text and the stream gives as the date, and -0.0,
which the stream gives as 0.

The stream also says which cells hold numbers, so the numeric probe (an ID stored as
a number has lost digits) needs no second pass over the sheet.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import numpy as np
import pandas as pd

from civaudit.io.grid import NumericProbe

#: rows turned into Arrow columns at a time (fewer hold less of Python's heap at once)
BATCH_ROWS = 16_384

# what Excel shows for a cell holding an error value; fastexcel gives such cells no value
_ERRORS = ("#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA")
# calamine's serial-number epoch for times and durations: in Excel's 1900 system serial
# 1 is 1900-01-01, and from serial 61 on one day less for the leap day 1900 never had;
# in the 1904 system (old Mac workbooks) serial 0 is 1904-01-01
_EPOCH = dt.datetime(1899, 12, 31)
_EPOCH_AFTER_LEAP = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)


def streamable() -> bool:
    """python-calamine-plus is installed (it is a dependency; a trimmed install may lack it)."""
    try:
        import python_calamine_plus  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass
class Loaded:
    """One sheet as a reader hands it over: its visibility (``visible``, ``hidden``,
    ``very-hidden``), its text columns (an Arrow table or batch; none for a hidden sheet
    not asked for), their sheet column numbers, and ``probe(rows)``, the numeric probe
    of its rows."""

    visible: str
    table: object = None
    columns: list[int] = field(default_factory=list)
    probe: Callable[[pd.Index], NumericProbe] | None = None


class StreamedBook:
    """An xlsx workbook read a sheet at a time by streaming its rows; the calls that
    reach the reader run under ``guard`` (``io.read._rust_guard``)."""

    def __init__(self, path: Path, guard) -> None:
        from python_calamine_plus import CalamineWorkbook

        self._book = guard(CalamineWorkbook.from_path, str(path))
        self._sheets = list(self._book.sheets_metadata)
        self.names = [m.name for m in self._sheets]

    def load(self, index: int, wanted: bool, guard) -> Loaded:
        from python_calamine_plus import SheetVisibleEnum

        state = self._sheets[index].visible
        if state == SheetVisibleEnum.Visible:
            visible = "visible"
        else:
            visible = "hidden" if state == SheetVisibleEnum.Hidden else "very-hidden"
        if visible != "visible" and not wanted:
            return Loaded(visible)
        table, numbers = guard(_stream_sheet, self._book, self.names[index], self._book.epoch_1904)
        return Loaded(
            visible, table, list(range(table.num_columns)), lambda rows: _probe(numbers, rows)
        )

    def close(self) -> None:
        self._book.close()


def _stream_sheet(book, name: str, epoch_1904: bool):
    """The sheet as an Arrow table of text (column i = sheet column i, row 0 = row 1)
    and, per column that holds any, a boolean array marking its number cells."""
    import pyarrow as pa

    chunks: list[tuple[int, list]] = []  # (rows, a text array per column)
    numbers: dict[int, list[np.ndarray]] = {}
    rows = 0
    batch: list[list] = []
    for row in book.stream_sheet_by_name(name):
        batch.append(row)
        if len(batch) == BATCH_ROWS:
            chunks.append((len(batch), _columns(batch, rows, numbers, epoch_1904)))
            rows += len(batch)
            batch = []
    if batch:
        chunks.append((len(batch), _columns(batch, rows, numbers, epoch_1904)))
        rows += len(batch)
    width = max((len(c) for _, c in chunks), default=0)
    arrays = []
    for i in range(width):
        parts = [c[i] if i < len(c) else pa.nulls(n, pa.string()) for n, c in chunks]
        arrays.append(pa.chunked_array(parts, pa.string()))
    table = pa.table(arrays, names=[str(i) for i in range(width)]) if width else pa.table({})
    masks = {
        col: np.concatenate([*parts, np.zeros(rows - sum(len(p) for p in parts), bool)])
        for col, parts in numbers.items()
    }
    return table, masks


def _columns(
    batch: list[list], start: int, numbers: dict[int, list[np.ndarray]], epoch_1904: bool
) -> list:
    """A batch of rows as one Arrow string array per column; the number cells' marks
    are added to ``numbers`` (rows before ``start`` padded with False)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    width = max(map(len, batch))
    if not width:
        return []
    if any(len(row) < width for row in batch):  # the stream pads rows to the sheet's width
        batch = [row + [""] * (width - len(row)) for row in batch]
    flat = np.fromiter(chain.from_iterable(batch), dtype=object, count=len(batch) * width)
    out = []
    for col, values in enumerate(flat.reshape(len(batch), width).T.copy()):
        try:
            arr = pa.array(values, type=pa.string())
        except (pa.ArrowTypeError, pa.ArrowInvalid):
            texts, marks = _render(values.tolist(), epoch_1904)
            arr = pa.array(texts, type=pa.string())
            if marks.any():
                parts = numbers.setdefault(col, [])
                done = sum(len(p) for p in parts)
                if done < start:
                    parts.append(np.zeros(start - done, bool))
                parts.append(marks)
        blank = pc.or_kleene(pc.equal(arr, ""), pc.utf8_is_space(arr))
        blank = pc.or_kleene(blank, pc.is_in(arr, value_set=pa.array(_ERRORS)))
        out.append(pc.if_else(blank, pa.scalar(None, pa.string()), arr))
    return out


def _render(values, epoch_1904: bool) -> tuple[np.ndarray, np.ndarray]:
    """Mixed cells as fastexcel's text, with the marks of the cells that hold a number
    (as fastexcel's boolean dtype reads them: a non-zero number or a true boolean).
    Each kind of value is rendered at once, by Arrow where its text is fastexcel's;
    fractions (Rust's nine decimals have no Arrow twin), datetimes, times and durations
    go one by one."""
    import pyarrow as pa
    import pyarrow.compute as pc

    texts = np.fromiter(values, dtype=object, count=len(values))
    kinds = np.fromiter(map(_KINDS.__getitem__, map(type, values)), np.int8, len(values))
    marks = np.zeros(len(texts), bool)
    at = np.flatnonzero(kinds == _INT)
    if len(at):
        numbers = np.array(texts[at].tolist(), dtype=np.int64)
        texts[at] = _arrow_texts(pa.array(numbers))
        marks[at] = numbers != 0
    at = np.flatnonzero(kinds == _FLOAT)
    if len(at):
        numbers = np.array(texts[at].tolist(), dtype=np.float64)
        marks[at] = numbers != 0
        whole = (numbers == np.round(numbers)) & (np.abs(numbers) < 2.0**63)
        whole &= ~((numbers == 0) & np.signbit(numbers))  # -0.0 is written -0
        rendered = np.empty(len(numbers), dtype=object)
        rendered[whole] = _arrow_texts(pa.array(numbers[whole].astype(np.int64)))
        rendered[~whole] = [_float_text(v) for v in numbers[~whole].tolist()]
        texts[at] = rendered
    at = np.flatnonzero(kinds == _BOOL)
    if len(at):
        flags = texts[at].astype(bool)
        texts[at] = np.where(flags, "true", "false").astype(object)
        marks[at] = flags
    at = np.flatnonzero(kinds == _DATE)
    if len(at):  # a whole day: python-calamine gives a date
        days = pc.cast(pa.array(texts[at].tolist(), pa.date32()), pa.string())
        texts[at] = _arrow_texts(pc.binary_join_element_wise(days, " 00:00:00", ""))
    at = np.flatnonzero(kinds == _OTHER)
    if len(at):
        texts[at] = [_moment_text(v, epoch_1904) for v in texts[at].tolist()]
    return texts, marks


_STR, _INT, _FLOAT, _BOOL, _DATE, _OTHER = range(6)
_KINDS = defaultdict(
    lambda: _OTHER, {str: _STR, int: _INT, float: _FLOAT, bool: _BOOL, dt.date: _DATE}
)


def _arrow_texts(array) -> np.ndarray:
    import pyarrow as pa
    import pyarrow.compute as pc

    return np.array(pc.cast(array, pa.string()).to_pylist(), dtype=object)


def _float_text(v: float) -> str:
    """A float as fastexcel writes it: rounded to nine decimals, its trailing zeros
    dropped (Rust's ``{:.9}``: 1e-10 is ``0``, -0.0 is ``-0``, 1/3 is ``0.333333333``)."""
    return f"{v:.9f}".rstrip("0").rstrip(".")


def _moment_text(v, epoch_1904: bool) -> str | None:
    if isinstance(v, dt.datetime):
        moment = v
    elif isinstance(v, dt.time):
        moment = dt.datetime.combine((_EPOCH_1904 if epoch_1904 else _EPOCH).date(), v)
    elif isinstance(v, dt.timedelta):
        if epoch_1904:
            moment = _EPOCH_1904 + v
        else:
            moment = (_EPOCH_AFTER_LEAP if v >= dt.timedelta(days=61) else _EPOCH) + v
    else:
        return str(v)
    if moment.microsecond:
        return moment.isoformat(sep=" ", timespec="milliseconds")
    return moment.isoformat(sep=" ")


def _probe(numbers: dict[int, np.ndarray], rows):
    """The sheet's numeric probe from the marks the stream gave."""

    def probe(columns: list[int]) -> pd.DataFrame:
        index = pd.Index(rows, name="row")
        positions = index.to_numpy() - 1
        return pd.DataFrame(
            {
                col: numbers[col][positions] if col in numbers else np.zeros(len(index), bool)
                for col in columns
            },
            index=index,
        )

    return probe
