"""Shared helpers: small real workbooks written to tmp_path."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import openpyxl
import pytest

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "calamine"


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[object]],
    *,
    sheet: str = "Sheet1",
    merges: Iterable[str] = (),
    extra_sheets: dict[str, Sequence[Sequence[object]]] | None = None,
    hidden: Iterable[str] = (),
    number_cells: dict[str, float] | None = None,
) -> Path:
    """Write ``rows`` (None = empty cell) to a real .xlsx; return its path."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    for rng in merges:
        ws.merge_cells(rng)
    for ref, value in (number_cells or {}).items():
        ws[ref] = value
    for name, extra in (extra_sheets or {}).items():
        other = book.create_sheet(name)
        for r, row in enumerate(extra, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    other.cell(row=r, column=c, value=value)
    for name in hidden:
        book[name].sheet_state = "hidden"
    book.save(path)
    return path


@pytest.fixture
def xlsx(tmp_path):
    """``xlsx(rows, name=..., **kw)`` writes a workbook into tmp_path."""

    def make(rows, name="roster.xlsx", **kw):
        return write_xlsx(tmp_path / name, rows, **kw)

    return make


_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id(region: str = "130723", birth: str = "19600101", seq: str = "123") -> str:
    """A valid 18-character resident ID (GB 11643) for tests."""
    body = region + birth + seq
    total = sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]
