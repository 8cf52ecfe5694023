"""The resource limits every reader works under: what a hostile or broken file may
cost before it is refused (exit 2, one line naming the file and the limit).

A zip bomb (a few MB that unpack to GBs), a sheet whose used range runs far past its
content, a cell of millions of characters or a CSV line of a million fields would
otherwise drive memory and time without bound. Each limit's default lets a real
province-sized roster through with room to spare (measured: the generator's
1,000,000-member sheet of 38 columns is a 1.29 GB part deflated 9:1, 38 million cells;
its 1,500,000-member workbook, 20 sheets and 1.7 GB unpacked, audits with exit 0), and
each can be raised with ``--limit NAME=VALUE`` or the policy's ``[limits]`` table.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from civaudit.errors import UsageError

GIB = 1 << 30
MIB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """Limits on one input file. ``math.inf`` turns a limit off."""

    member_bytes: float = 3 * GIB
    """Unpacked size of one part of a workbook archive (.xlsx .xlsm .xlsb .ods). A
    full sheet (1,048,576 rows) of a 38-column roster is about 1.4 GB."""
    ratio: float = 100
    """Unpacked to packed size of one archive part (parts past 1 MiB unpacked).
    Spreadsheet XML deflates 5-20:1; a zip bomb 1000:1 (deflate's ceiling is 1032:1)."""
    cells: float = 200_000_000
    """Cells in one sheet's used range (rows x columns), which the reader allocates
    whether or not they hold anything: a full sheet of 40 columns is 42 million."""
    range_ratio: float = 20
    """Cells of a sheet's used range per cell the file describes (ranges past 4
    million cells; in .xlsx, the cells its bytes could hold): a 40 KB sheet cannot
    fill a range of 65,536 x 256, which cost 1.7 GB to read."""
    cell_chars: float = 32_767
    """Characters in one cell: Excel's own ceiling (Excel specifications and limits,
    "total number of characters that a cell can contain: 32,767")."""
    csv_fields: float = 16_384
    """Fields in one CSV line: Excel's ceiling of 16,384 columns (XFD)."""
    csv_field_chars: float = 32_767
    """Characters in one CSV field (Excel's cell ceiling)."""
    stream_bytes: float = 512 * MIB
    """Not a refusal: an .xlsx sheet whose XML unpacks past this is read row by row in
    bounded memory (``io.stream``, by two processes for a sheet of 8 columns or more)
    instead of whole. The whole-sheet reader holds about twice the sheet's XML in
    memory. Measured on member-level rosters of 38 columns (``benchmarks/``): 200,000
    members (245 MiB of XML) audit in 6.4 s at 637 MB read whole, 7.0 s at 525 MB
    streamed; 1,000,000 members (1.29 GB) in 27.2 s at 2.6 GB whole, 26.9 s at 1.7 GB
    streamed. Past 512 MiB (about 400,000 members) streaming costs no time and saves
    a gigabyte and more."""

    def with_values(self, values: Mapping[str, float]) -> Limits:
        return dataclasses.replace(self, **values)


NAMES: tuple[str, ...] = tuple(f.name.replace("_", "-") for f in dataclasses.fields(Limits))
"""The limits as the command line and the policy's ``[limits]`` table name them."""

SIZES = ("member-bytes", "stream-bytes")  # values in bytes: 2GiB, 500MB, 3000000000
COUNTS = ("cells", "cell-chars", "csv-fields", "csv-field-chars")  # whole numbers
RANGE_FLOOR = 4_000_000  # range_ratio applies only past this many cells (~400 MB read)
RATIO_FLOOR = MIB  # ratio applies only to parts past this many unpacked bytes

_UNITS = {"": 1, "b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12}
_UNITS |= {"kib": 1 << 10, "mib": MIB, "gib": GIB, "tib": 1 << 40}
_VALUE = re.compile(r"\s*([0-9][0-9_,]*(?:\.[0-9]+)?)\s*([a-zA-Z]*)\s*")
_OFF = ("none", "off", "inf")


def option_name(name: str) -> str:
    """``member_bytes`` or ``member-bytes`` -> ``member-bytes``."""
    return name.strip().lower().replace("_", "-")


def parse_value(name: str, value: object) -> float:
    """A limit's value from text (``2GiB``, ``1e6``, ``none``) or a TOML number;
    ValueError (with the reason) when it is not one."""
    if isinstance(value, bool):
        raise ValueError("must be a number")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value).strip().lower()
        if text in _OFF:
            return math.inf
        match = _VALUE.fullmatch(text)
        unit = match.group(2) if match else ""
        if not match or unit not in _UNITS or (unit and name not in SIZES):
            if name in SIZES:
                raise ValueError("must be a number of bytes, e.g. 4GiB")
            raise ValueError("must be a number")
        number = float(match.group(1).replace("_", "").replace(",", "")) * _UNITS[unit]
    if math.isnan(number) or number <= 0:
        raise ValueError("must be more than 0")
    return number


def parse_limits(specs: Iterable[str], base: Limits | None = None) -> Limits:
    """``("member-bytes=4GiB", "cells=3e8")`` over ``base``; UsageError naming the
    option when a name or value is wrong."""
    values: dict[str, float] = {}
    for spec in specs:
        name, sep, value = spec.partition("=")
        name = option_name(name)
        if not sep or not value.strip():
            raise UsageError(f"--limit {spec} is not NAME=VALUE", f"the limits: {', '.join(NAMES)}")
        if name not in NAMES:
            raise UsageError(
                f"--limit {spec}: unknown limit {name}", f"the limits: {', '.join(NAMES)}"
            )
        try:
            values[name.replace("-", "_")] = parse_value(name, value)
        except ValueError as exc:
            raise UsageError(
                f"--limit {spec}: {exc}", "give a number, or none to turn the limit off"
            ) from None
    return (base or Limits()).with_values(values)


def show(name: str, value: float) -> str:
    """A limit's value as a user writes it back: ``3GiB``, ``200000000``, ``none``."""
    if math.isinf(value):
        return "none"
    if name in SIZES:
        for unit, size in (("GiB", GIB), ("MiB", MIB)):
            if value >= size and value % size == 0:
                return f"{int(value // size)}{unit}"
    return f"{value:g}" if value != int(value) else str(int(value))


def raise_hint(name: str) -> str:
    """How to raise a limit, for the hint of a refusal."""
    key = name.replace("-", "_")
    return f"if the file is genuine, raise it with --limit {name}=N or [limits] {key} in the policy"
