"""Shared helpers: small real workbooks written to tmp_path."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, settings

# Hypothesis profiles. "default": what CI runs, each property test with its own
# bounded example count and no deadline (a file written and read per example is
# slow, not wrong). "long": the hunt for tracebacks, e.g.
#   pytest --hypothesis-profile=long tests/property
# runs each property test of tests/property 100,000 times (the roster test most of a
# day on one CPU, the policy test under an hour; stop it when you like: every example
# that ran passed).
settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "long",
    max_examples=100_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

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


def is_valid_id(text: str) -> bool:
    return make_id(text[:6], text[6:14], text[14:17]) == text


def digit_ids() -> Iterator[str]:
    """Valid digit-only IDs over many birth dates and sequence numbers near 000."""
    for year in range(1940, 2000):
        for day in range(1, 29):
            for seq in ("998", "999", "000", "001"):
                i = make_id(birth=f"{year}03{day:02d}", seq=seq)
                if i.isdigit():
                    yield i


def as_number_cell(i: str) -> float:
    """What a number cell keeps of an ID typed into it: 15 significant digits."""
    return float(f"{int(i):.15g}")


# An ID in a number cell whose damaged digits still pass the checksum, one whose
# damage shows, and a genuine text ID whose digits equal the exact value of a double.
LOOKALIKE = next(n for n in map(as_number_cell, digit_ids()) if is_valid_id(str(int(n))))
DAMAGED = next(n for n in map(as_number_cell, digit_ids()) if not is_valid_id(str(int(n))))
GENUINE_DOUBLE = next(
    i for i in digit_ids() if int(float(i)) == int(i) and float(f"{float(i):.15g}") == float(i)
)
