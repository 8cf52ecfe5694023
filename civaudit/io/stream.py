"""Read a large ``.xlsx`` sheet row by row, in bounded memory, into the same text grid
as the whole-sheet reader.

calamine (under fastexcel and python-calamine) builds the whole sheet in memory before
it hands a cell over: 2.5 GB for a sheet of a million members, even when asked for a
thousand rows (python-calamine issue #42, "Lazy/streaming reading"). The
python-calamine-plus fork streams an xlsx sheet's rows from the file instead
(``CalamineWorkbook.stream_sheet_by_index``); the same file then reads in 14 MB.
A sheet of ``SPLIT_COLUMNS`` or more is read by two processes, half its columns each
(``_stream_sheet``).
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
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from civaudit.io.grid import NumericProbe
from civaudit.io.memory import release_freed_memory

#: rows turned into Arrow columns at a time: few enough that a batch's cells stay in
#: the processor's cache while its columns are read one by one
BATCH_ROWS = 4_096
# the text columns' type: pandas' Arrow strings hold their offsets in 64 bits
_TEXT = pa.large_string()
#: the rows that tell a sheet's declared width from its cells' (``_widths``)
PADDED_SAMPLE_ROWS = 256
#: a sheet this wide is streamed by two processes, each reading half its columns
SPLIT_COLUMNS = 8

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

        self._path = path
        self._book = guard(CalamineWorkbook.from_path, str(path))
        self._sheets = list(self._book.sheets_metadata)
        self.names = [m.name for m in self._sheets]

    def load(self, index: int, wanted: bool, guard) -> Loaded | None:
        """The sheet streamed; None when it is better read whole (``_widths``)."""
        from python_calamine_plus import SheetVisibleEnum

        state = self._sheets[index].visible
        if state == SheetVisibleEnum.Visible:
            visible = "visible"
        else:
            visible = "hidden" if state == SheetVisibleEnum.Hidden else "very-hidden"
        if visible != "visible" and not wanted:
            return Loaded(visible)
        width, used = guard(_widths, self._book, index)
        if width > 4 * used + 64:  # padded far past its cells (``_widths``): read whole
            return None
        table, numbers = guard(_stream_sheet, self._book, self._path, index, width)
        release_freed_memory()
        return Loaded(
            visible, table, list(range(table.num_columns)), lambda rows: _probe(numbers, rows)
        )

    def close(self) -> None:
        self._book.close()


def _widths(book, index: int) -> tuple[int, int]:
    """The width the stream gives the sheet's rows, and the width its first rows' cells
    reach. The stream pads every row to the width of ``<dimension>``, which Gnumeric
    declares A1:XFD1048576 for any sheet (16,384 cells a row); a sheet whose cells reach
    less than a quarter of that (and 64 columns short of it) is read whole, which
    follows the cells. One whose later rows reach further is only read whole for
    nothing, never read short."""
    rows = list(islice(book.stream_sheet_by_index(index), PADDED_SAMPLE_ROWS))
    width = max(map(len, rows), default=0)
    return width, max((len(row) - _blank_tail(row) for row in rows), default=0)


def _blank_tail(row: list) -> int:
    """How many cells at the end of the row are empty."""
    return next((i for i, value in enumerate(reversed(row)) if value != ""), len(row))


def _stream_sheet(book, path: Path, index: int, width: int):
    """The sheet as an Arrow table of text (column i = sheet column i, row 0 = row 1)
    and, per column that holds any, a boolean array marking its number cells.

    Parsing the sheet's XML holds the interpreter's lock, and so does turning its
    cells into text; a sheet at least ``SPLIT_COLUMNS`` wide is read by two processes,
    this one streaming the left half of its columns and a helper the right half (each
    parses the whole XML, which costs less than the cells), in 0.6 of the time."""
    if width < SPLIT_COLUMNS:
        return _stream_columns(book, index)
    split = width // 2
    with _Helper(path, index, split) as helper:
        left = _stream_columns(book, index, max_col=split - 1)
        right = helper.result()
    if right is None:  # the helper could not run: the right half is read here
        right = _stream_columns(book, index, min_col=split)
    return _side_by_side(left, right, split)


def _stream_columns(book, index: int, min_col: int = 0, max_col: int | None = None):
    """``_stream_sheet`` for the sheet's columns ``min_col`` to ``max_col`` (numbered
    from ``min_col``)."""
    epoch_1904 = book.epoch_1904
    parts: list[list] = []  # per column, its text arrays batch by batch
    numbers: dict[int, list[np.ndarray]] = {}
    rows = 0
    stream = iter(book.stream_sheet_by_index(index, min_col=min_col, max_col=max_col))
    while batch := list(islice(stream, BATCH_ROWS)):
        columns = _columns(batch, epoch_1904)
        for col, (texts, marks) in enumerate(columns):
            if col == len(parts):
                parts.append([pa.nulls(rows, _TEXT)])
            parts[col].append(texts)
            if marks is not None:
                numbers.setdefault(col, [np.zeros(rows, bool)]).append(marks)
        rows += len(batch)
        for column in parts[len(columns) :]:  # a batch narrower than the sheet so far
            column.append(pa.nulls(len(batch), _TEXT))
        for col, marks in numbers.items():  # a batch without numbers in this column
            if col >= len(columns) or columns[col][1] is None:
                marks.append(np.zeros(len(batch), bool))
    arrays = []
    for col, column in enumerate(parts):
        arrays.append(_blank_as_null(pa.chunked_array(column, _TEXT)))
        parts[col] = None  # each column's batches go as it is joined
    table = pa.table(arrays, names=[str(i) for i in range(len(arrays))]) if arrays else pa.table({})
    return table, {col: np.concatenate(marks) for col, marks in numbers.items()}


def _side_by_side(left, right, split: int):
    """The two halves' tables and number marks as the sheet's, the shorter padded."""
    (left, left_numbers), (right, right_numbers) = left, right
    rows = max(left.num_rows, right.num_rows)
    columns = []
    for table in (left, right):
        for column in table.columns:
            if (missing := rows - len(column)) > 0:
                column = pa.chunked_array([*column.chunks, pa.nulls(missing, _TEXT)])
            columns.append(column)
    numbers = {**left_numbers, **{split + col: m for col, m in right_numbers.items()}}
    for col, marks in numbers.items():
        numbers[col] = np.concatenate([marks, np.zeros(rows - len(marks), bool)])
    table = pa.table(columns, names=[str(i) for i in range(len(columns))])
    return table, numbers


class _Helper:
    """A process that streams a sheet's columns from ``split`` on and hands them
    back as an Arrow file (``python -m civaudit.io.stream_half``). Its result is
    None when it could not run or failed: the caller reads those columns itself, and
    a file that cannot be read is then reported as every other."""

    MODULE = "civaudit.io.stream_half"

    def __init__(self, path: Path, index: int, split: int) -> None:
        self._folder = tempfile.TemporaryDirectory(
            prefix="civaudit-stream-", ignore_cleanup_errors=True
        )
        self._out = Path(self._folder.name) / "columns.arrow"
        command = [sys.executable, "-m", self.MODULE]
        command += [str(path), str(index), str(split), str(self._out)]
        try:
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            self._process = None

    def __enter__(self) -> _Helper:
        return self

    def result(self):
        if self._process is None or self._process.wait() != 0:
            return None
        try:
            with pa.OSFile(str(self._out)) as source:
                table = pa.ipc.open_file(source).read_all()
        except (OSError, pa.ArrowInvalid):  # its file missing or cut short
            return None
        texts = [name for name in table.column_names if not name.startswith("m")]
        numbers = {
            int(name[1:]): table.column(name).to_numpy()
            for name in table.column_names
            if name.startswith("m")
        }
        return table.select(texts), numbers

    def __exit__(self, *exc) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()  # an error or Ctrl-C here: its work is not wanted
            self._process.wait()
        self._folder.cleanup()


def write_half(path: Path, index: int, split: int, out: Path) -> None:
    """The helper's work: the sheet's columns from ``split`` on, with their number
    marks (columns ``m<i>``), written to ``out`` as an Arrow file."""
    from python_calamine_plus import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    try:
        table, numbers = _stream_columns(book, index, min_col=split)
    finally:
        book.close()
    for col, marks in numbers.items():
        table = table.append_column(f"m{col}", pa.array(marks))
    with pa.OSFile(str(out), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def _columns(batch: list[list], epoch_1904: bool) -> list[tuple]:
    """A batch of rows as, per column, its text (an Arrow string array, empty cells
    missing) and the marks of its number cells (None when it holds none)."""
    width = max(map(len, batch))
    if not width:
        return []
    if min(map(len, batch)) < width:  # the stream pads rows to the sheet's width
        batch = [row + [""] * (width - len(row)) for row in batch]
    flat = np.fromiter(chain.from_iterable(batch), dtype=object, count=len(batch) * width)
    out = []
    for values in flat.reshape(len(batch), width).T.copy():
        texts = _joined(values)
        out.append((texts, None) if texts is not None else _render(values, epoch_1904))
    return out


def _joined(values: np.ndarray):
    """A column of str cells as an Arrow string array, empty ones missing: joined into
    one string, encoded, and cut at the separators by their positions, a quarter of
    the time of ``pa.array`` over the objects, which encodes them one by one. None
    when a cell is not text."""
    try:
        joined = _SEP.join(values)
    except TypeError:
        return None
    data = np.frombuffer(joined.encode(), np.uint8)  # no other character's UTF-8 has 0x1F
    ends = np.flatnonzero(data == _SEP_BYTE)
    n = len(values)
    if len(ends) != n - 1:  # a cell holds the separator itself: one by one
        column = pa.array(values, type=_TEXT)
        return pc.if_else(pc.equal(column, ""), pa.scalar(None, _TEXT), column)
    offsets = np.empty(n + 1, np.int64)  # value i ends at separator i, less the i before it
    offsets[0] = 0
    offsets[1:n] = ends - np.arange(n - 1)
    offsets[n] = len(data) - (n - 1)
    valid = offsets[1:] > offsets[:-1]
    missing = n - int(np.count_nonzero(valid))
    return pa.LargeStringArray.from_buffers(
        n,
        pa.py_buffer(offsets),
        pa.py_buffer(data[data != _SEP_BYTE] if n > 1 else data),
        pa.py_buffer(np.packbits(valid, bitorder="little")) if missing else None,
        missing,
    )


def _blank_as_null(column):
    """Whitespace-only and Excel-error cells as missing too, as fastexcel reads them
    (the column in one piece, as fastexcel's are)."""
    column = column.combine_chunks()
    blank = pc.or_kleene(pc.equal(column, ""), pc.utf8_is_space(column))
    if pc.any(pc.starts_with(column, "#")).as_py():
        blank = pc.or_kleene(blank, pc.is_in(column, value_set=pa.array(_ERRORS)))
    if not pc.any(blank).as_py():
        return column
    return pc.if_else(blank, pa.scalar(None, _TEXT), column)


def _render(values: np.ndarray, epoch_1904: bool):
    """Mixed cells as fastexcel's text (an Arrow string array), with the marks of the
    cells that hold a number (as fastexcel's boolean dtype reads them: a non-zero
    number or a true boolean; None when the column holds none). Each kind of value is
    rendered at once, by Arrow where its text is fastexcel's; fractions outside
    Arrow's agreement with Rust's nine decimals, datetimes, times and durations go
    one by one."""
    n = len(values)
    kinds = np.fromiter(map(_KINDS.__getitem__, map(type, values)), np.int8, n)
    marks = np.zeros(n, bool)
    at_parts: list[np.ndarray] = []
    text_parts: list = []

    def put(at: np.ndarray, texts) -> None:
        at_parts.append(at)
        text_parts.append(pa.array(texts, _TEXT) if isinstance(texts, list) else texts)

    at = np.flatnonzero(kinds == _INT)
    if len(at):
        numbers = np.array(values[at].tolist(), dtype=np.int64)
        put(at, pc.cast(pa.array(numbers), _TEXT))
        marks[at] = numbers != 0
    at = np.flatnonzero(kinds == _FLOAT)
    if len(at):
        numbers = np.array(values[at].tolist(), dtype=np.float64)
        marks[at] = numbers != 0
        whole = (numbers == np.round(numbers)) & (np.abs(numbers) < 2.0**63)
        whole &= ~((numbers == 0) & np.signbit(numbers))  # -0.0 is written -0
        put(at[whole], pc.cast(pa.array(numbers[whole].astype(np.int64)), _TEXT))
        # Arrow's shortest text is Rust's {:.9} where the value has at most nine
        # decimals and its ulp is far below 1e-9
        size = np.abs(numbers)
        short = ~whole & (size >= 1e-3) & (size < 1e6)
        short[short] = np.round(numbers[short], 9) == numbers[short]
        put(at[short], pc.cast(pa.array(numbers[short]), _TEXT))
        rest = ~whole & ~short
        put(at[rest], [_float_text(v) for v in numbers[rest].tolist()])
    at = np.flatnonzero(kinds == _BOOL)
    if len(at):
        flags = values[at].astype(bool)
        put(at, np.where(flags, "true", "false").tolist())
        marks[at] = flags
    at = np.flatnonzero(kinds == _DATE)
    if len(at):  # a whole day: python-calamine gives a date
        days = pc.cast(pa.array(values[at].tolist(), pa.date32()), _TEXT)
        put(
            at,
            pc.binary_join_element_wise(days, pa.scalar(" 00:00:00", _TEXT), pa.scalar("", _TEXT)),
        )
    at = np.flatnonzero(kinds == _OTHER)
    if len(at):
        put(at, [_moment_text(v, epoch_1904) for v in values[at].tolist()])
    rendered = kinds != _STR
    texts = values.copy()
    texts[rendered] = ""
    column = _joined(texts)
    if rendered.any():
        at = np.concatenate(at_parts)
        order = np.argsort(at, kind="stable")
        column = pc.replace_with_mask(column, rendered, pa.concat_arrays(text_parts).take(order))
    return column, (marks if marks.any() else None)


# the unit separator: XML cannot hold it, so a cell has it only written as _x001F_
_SEP = "\x1f"
_SEP_BYTE = 0x1F


_STR, _INT, _FLOAT, _BOOL, _DATE, _OTHER = range(6)
_KINDS = defaultdict(
    lambda: _OTHER, {str: _STR, int: _INT, float: _FLOAT, bool: _BOOL, dt.date: _DATE}
)


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
