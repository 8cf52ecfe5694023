"""Tables written partition by partition: JSON lines, CSV and Parquet.

A run over a whole country produces its findings a partition at a time (one per
file, county or Dask partition) and need never hold them all. ``open_writer``
gives a writer for a path (or a binary stream) and a format; ``write(frame)`` takes
the partitions in order, ``close()`` finishes the file. ``write_partitions`` does
all three for any iterable of DataFrames::

    from civaudit.report.stream import write_partitions

    write_partitions(Path("findings.parquet"), "parquet", frames)  # frames: an iterable

    with open_writer(Path("findings.jsonl"), "jsonl") as writer:
        for frame in frames:
            writer.write(frame)

What every partition must be: a DataFrame with the same columns in the same order
(the findings' ``FINDING_COLUMNS``, and any others the run adds, such as a reviewed
report's ``verdict``); an empty partition is allowed anywhere and adds nothing. The
bytes do not depend on how the rows are cut into partitions: JSON lines and CSV are
byte for byte what ``report.output.render`` and ``report.findings.render_findings``
give for the same rows (which go through this module too).

- ``jsonl``: one ``json.dumps(record, ensure_ascii=False)`` line per row, with
  ``records``' values (NA as null, dates as ISO text, ``evidence`` an object).
- ``csv``: UTF-8 with a BOM (once, for Excel and WPS on Chinese Windows), the header
  once, text that a spreadsheet would run as a formula defused by ``defuse``, the
  ``json_columns`` (``evidence`` for findings) as sorted JSON text.
- ``parquet``: one row group per non-empty partition, a schema fixed by the first
  partition (or ``columns`` when none has rows): ``row`` int64, each ``json_columns``
  column JSON text (null where the JSON report has null), each boolean, integer,
  float or datetime column as that type, every other column as text.

A file is written to a temporary file in its destination folder and renamed into
place by ``close()``: it appears whole or not at all. An exception (Ctrl-C
included) inside ``with open_writer(...)`` or ``write_partitions`` removes the
temporary file and leaves any earlier file of that name as it was.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd

from civaudit.errors import UsageError
from civaudit.io.atomic import AtomicFile
from civaudit.report.cells import defuse, json_value, records

STREAM_FORMATS: tuple[str, ...] = ("jsonl", "csv", "parquet")
"""The formats a table can be written in partition by partition."""

FINDING_JSON_COLUMNS: tuple[str, ...] = ("evidence",)
"""Findings columns holding an object: JSON text in CSV and Parquet."""

_BOM = "\ufeff".encode()


class TableWriter:
    """Writes the partitions of one table in one format (see the module docstring)."""

    def __init__(
        self,
        target: Path | BinaryIO,
        fmt: str,
        *,
        columns: Sequence[str] | None = None,
        json_columns: Sequence[str] = (),
    ) -> None:
        if fmt not in STREAM_FORMATS:
            raise UsageError(f"unknown format {fmt!r}", f"use one of {', '.join(STREAM_FORMATS)}")
        self.fmt = fmt
        self.columns: list[str] | None = list(columns) if columns is not None else None
        self.json_columns = tuple(json_columns)
        self.rows = 0
        self._file = AtomicFile(target) if isinstance(target, str | os.PathLike) else None
        self._out: BinaryIO = self._file.handle if self._file is not None else target
        self._started = False
        self._parquet = None  # pyarrow.parquet.ParquetWriter, made on the first rows
        self._schema = None
        self._closed = False

    @property
    def path(self) -> Path | None:
        return self._file.path if self._file is not None else None

    def write(self, frame: pd.DataFrame) -> None:
        """Append one partition (rows in order; an empty one adds nothing)."""
        if self._closed:
            raise ValueError("write to a closed TableWriter")
        if self.columns is None:
            self.columns = [str(c) for c in frame.columns]
        elif [str(c) for c in frame.columns] != self.columns:
            raise ValueError(
                f"a partition's columns {list(frame.columns)} differ from {self.columns}"
            )
        if self.fmt == "jsonl":
            self._jsonl(frame)
        elif self.fmt == "csv":
            self._csv(frame)
        else:
            self._parquet_part(frame)
        self.rows += len(frame)

    def close(self) -> Path | None:
        """Finish the table (a CSV header or a Parquet schema even without rows) and, for
        a file, rename it into place. Returns its path."""
        if self._closed:
            return self.path
        try:
            if self.fmt == "csv" and not self._started:
                self._csv(pd.DataFrame(columns=self.columns or []))
            if self.fmt == "parquet":
                if self._parquet is None:
                    self._open_parquet(pd.DataFrame(columns=self.columns or []))
                self._parquet.close()
            self._closed = True
        except BaseException:
            self.abort()
            raise
        if self._file is not None:
            return self._file.commit()
        self._out.flush()
        return None

    def abort(self) -> None:
        """Give up: a file target leaves no file and no temporary file behind."""
        self._closed = True
        if self._parquet is not None:
            with contextlib.suppress(Exception):  # the file is removed anyway
                self._parquet.close()
        if self._file is not None:
            self._file.abort()

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, kind, error, trace) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()

    # --- the formats ------------------------------------------------------------------

    def _jsonl(self, frame: pd.DataFrame) -> None:
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records(frame))
        self._out.write(lines.encode("utf-8"))

    def _csv(self, frame: pd.DataFrame) -> None:
        flat = frame.assign(
            **{c: frame[c].map(json_text) for c in self.json_columns if c in frame.columns}
        )
        text = defuse(flat).to_csv(index=False, header=not self._started)
        self._out.write((b"" if self._started else _BOM) + text.encode("utf-8"))
        self._started = True

    def _parquet_part(self, frame: pd.DataFrame) -> None:
        if self._parquet is None:
            if not len(frame):
                return  # the schema comes from the first partition with rows
            self._open_parquet(frame)
        if len(frame):
            table = self._arrow(frame)
            self._parquet.write_table(table, row_group_size=len(table))

    def _open_parquet(self, frame: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        fields = [pa.field(c, self._arrow_type(c, frame[c])) for c in frame.columns]
        self._schema = pa.schema(fields)
        self._parquet = pq.ParquetWriter(self._out, self._schema)

    def _arrow_type(self, name: str, series: pd.Series):
        import pyarrow as pa

        if name in self.json_columns:
            return pa.string()
        if name == "row":
            return pa.int64()
        dtype = series.dtype
        if pd.api.types.is_bool_dtype(dtype):
            return pa.bool_()
        if pd.api.types.is_integer_dtype(dtype):
            return pa.int64()
        if pd.api.types.is_float_dtype(dtype):
            return pa.float64()
        if pd.api.types.is_datetime64_any_dtype(dtype):
            tz = getattr(dtype, "tz", None)
            return pa.timestamp("us", tz=None if tz is None else str(tz))
        return pa.string()

    def _arrow(self, frame: pd.DataFrame):
        import pyarrow as pa

        arrays = []
        for field in self._schema:
            series = frame[field.name]
            if field.name in self.json_columns:
                values = [None if (v := json_value(x)) is None else _json_dumps(v) for x in series]
                arrays.append(pa.array(values, type=pa.string()))
            elif pa.types.is_string(field.type):
                arrays.append(_strings(series))
            elif pa.types.is_integer(field.type):
                numbers = pd.to_numeric(series, errors="coerce").astype("Int64")
                arrays.append(pa.array(numbers, type=field.type, from_pandas=True))
            else:
                arrays.append(pa.array(series, type=field.type, from_pandas=True))
        return pa.Table.from_arrays(arrays, schema=self._schema)


def json_text(value: Any) -> str:
    """An object cell (a finding's evidence) as one CSV cell: sorted JSON text, "" for
    none."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""


def _json_dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _strings(series: pd.Series):
    """A text column as Arrow strings: at C speed when it holds only text and blanks,
    else value by value (numbers and dates as their JSON text)."""
    import pyarrow as pa

    try:
        return pa.array(series, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([_text(x) for x in series], type=pa.string())


def _text(value: Any) -> str | None:
    value = json_value(value)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict | list):
        return _json_dumps(value)
    return str(value)


def open_writer(
    target: Path | BinaryIO,
    fmt: str,
    *,
    columns: Sequence[str] | None = None,
    json_columns: Sequence[str] = FINDING_JSON_COLUMNS,
) -> TableWriter:
    """A writer of ``fmt`` to ``target``: a path (written whole or not at all) or a
    binary stream (stdout, a ``BytesIO``). ``columns`` are the header and schema of a
    table that gets no partition at all."""
    return TableWriter(target, fmt, columns=columns, json_columns=json_columns)


def write_partitions(
    target: Path | BinaryIO,
    fmt: str,
    frames: Iterable[pd.DataFrame],
    *,
    columns: Sequence[str] | None = None,
    json_columns: Sequence[str] = FINDING_JSON_COLUMNS,
) -> int:
    """Write every frame of ``frames`` in order; returns the number of rows."""
    with open_writer(target, fmt, columns=columns, json_columns=json_columns) as writer:
        for frame in frames:
            writer.write(frame)
    return writer.rows


def table_bytes(
    frame: pd.DataFrame, fmt: str, *, json_columns: Sequence[str] = FINDING_JSON_COLUMNS
) -> bytes:
    """One whole table in ``fmt`` as bytes (the report of a command that has it all)."""
    buffer = io.BytesIO()
    write_partitions(buffer, fmt, [frame], columns=list(frame.columns), json_columns=json_columns)
    return buffer.getvalue()


__all__ = [
    "FINDING_JSON_COLUMNS",
    "STREAM_FORMATS",
    "AtomicFile",
    "TableWriter",
    "json_text",
    "open_writer",
    "table_bytes",
    "write_partitions",
]
