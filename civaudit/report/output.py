"""Tables to bytes in each output format, and atomic file writes."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pandas as pd

from civaudit.errors import UsageError
from civaudit.report.cells import cell_text, defuse, json_value, records
from civaudit.report.stream import AtomicFile, table_bytes

FORMATS = ("table", "json", "jsonl", "csv", "parquet", "md", "xlsx", "html")
_SUFFIXES = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
    ".md": "md",
    ".xlsx": "xlsx",
    ".html": "html",
    ".htm": "html",
}


def format_for(path: Path | None, fmt: str | None, *, terminal: bool) -> str:
    """The output format: -f wins, else the file's extension, else table/json."""
    if fmt:
        return fmt
    if path is None:
        return "table" if terminal else "json"
    try:
        return _SUFFIXES[path.suffix.lower()]
    except KeyError:
        raise UsageError(
            f"{path}: cannot tell the output format from the extension",
            f"use one of {', '.join(_SUFFIXES)} or give -f",
        ) from None


def render(frame: pd.DataFrame, fmt: str, *, key: str, manifest: dict) -> bytes:
    if fmt == "json":
        return json_document({"civaudit": manifest, key: frame})
    if fmt in ("jsonl", "csv", "parquet"):  # report.stream's formats, written as one partition
        return table_bytes(frame, fmt, json_columns=())
    if fmt == "md":
        from tabulate import tabulate

        return tabulate(defuse(frame), headers="keys", tablefmt="github", showindex=False).encode()
    if fmt == "xlsx":
        return _xlsx(frame)
    if fmt == "html":
        from civaudit.report.html import frame_html

        return frame_html(frame, title=f"civaudit {manifest.get('command', '')}".strip(),
                          manifest=manifest)  # fmt: skip
    raise UsageError(f"unknown format {fmt!r}", f"use one of {', '.join(FORMATS)}")


def json_document(parts: dict[str, Any], *, chunk: int = 10_000) -> bytes:
    """``json.dumps(parts, ensure_ascii=False, indent=1)`` in UTF-8, with each
    DataFrame value written as its ``records``, ``chunk`` rows at a time: a table of
    a million rows never exists as a million dicts at once."""
    out: list[bytes] = []
    for i, (key, value) in enumerate(parts.items()):
        out.append(("{\n " if i == 0 else ",\n ").encode() + _dumps(key) + b": ")
        if not isinstance(value, pd.DataFrame):
            out.append(_dumps(value).replace(b"\n", b"\n "))
            continue
        if not len(value):
            out.append(b"[]")
            continue
        for start in range(0, len(value), chunk):
            for k, row in enumerate(records(value.iloc[start : start + chunk])):
                lead = b"[\n  " if start == k == 0 else b",\n  "
                out.append(lead + _dumps(row).replace(b"\n", b"\n  "))
        out.append(b"\n ]")
    out.append(b"\n}" if parts else b"{}")
    return b"".join(out)


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1, default=_plain).encode("utf-8")


def _plain(value: Any) -> Any:
    """``json.dumps``'s fallback: NA, numpy scalars and dates anywhere in a document
    (a summary, a manifest), not only in its tables, as ``json_value`` gives them."""
    plain = json_value(value)
    if plain is value:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
    return plain


def _xlsx(frame: pd.DataFrame) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet("civaudit")
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    for c, name in enumerate(frame.columns):
        sheet.write_string(0, c, str(name), bold)
    for c, col in enumerate(frame.columns):
        values = [json_value(v) for v in frame[col].tolist()]
        for r, value in enumerate(values, start=1):
            if value is None:
                continue
            if isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, str(value))
        width = max([len(str(col))] + [len(str(v)) for v in values[:200] if v is not None])
        sheet.set_column(c, c, min(max(8, width * 1.6), 50))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(frame), max(len(frame.columns) - 1, 0))
    book.close()
    return buffer.getvalue()


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (temp file + rename)."""
    with AtomicFile(path) as handle:
        handle.write(data)


def refuse_inputs(path: Path, inputs) -> None:
    target = path.resolve()
    for source in inputs:
        if Path(source).resolve() == target:
            raise UsageError(
                f"{path}: is one of the inputs; civaudit never writes to an input",
                "choose another output file name",
            )


__all__ = [
    "FORMATS",
    "AtomicFile",
    "atomic_write",
    "cell_text",
    "defuse",
    "format_for",
    "json_document",
    "json_value",
    "records",
    "refuse_inputs",
    "render",
]
