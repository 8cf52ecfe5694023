"""Resident ID numbers (GB 11643-1999), checked for a whole column at once.

``AAAAAA YYYYMMDD SSS C``: region code (GB/T 2260 at issue time), birth date,
sequence (17th digit odd = male), check character. The checks are vectorised
over an (n, 18) byte matrix because a province's roster has 1.5 million IDs and
they are all distinct; only the region look-up loops, once per distinct 6-digit
prefix.

Region codes come from python-stdnum's historical GB/T 2260 table, but not via
``stdnum.cn.ric.is_valid`` / ``validate`` / ``get_birth_place``: those reject a
code that was not yet in force in the birth year, while codes are assigned at
issue time. Kangbao's 130723 dates from 1993, so every valid ID of a Kangbao
resident born before 1993 would be called invalid. Here a code that existed at
any time is known.

The check-character arithmetic itself lives in ``civaudit.normalize.ids``,
because normalising a legacy 15-digit ID already needs it; this module builds
on the normaliser, never the other way round.
"""

from __future__ import annotations

import functools
import re
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from civaudit.normalize.arrow import (
    digit_matrix,
    digits_of_length,
    string_series,
    strings_from_codes,
    to_arrow,
)
from civaudit.normalize.ids import CHECK_CHARS, check_bytes, masked_id_mask, scientific_mask

ID_STATUSES: tuple[str, ...] = ("valid", "blank", "masked", "precision-lost", "invalid", "checksum")
"""Categories of ``id_status``; the checks run in this precedence (blank first)."""

_VALID, _BLANK, _MASKED, _PRECISION_LOST, _INVALID, _CHECKSUM = range(6)

_CHECK_CHARS = np.frombuffer(CHECK_CHARS.encode("ascii"), dtype=np.uint8)
_DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)

MIN_BIRTH_YEAR = 1890
"""Nobody alive on a roster was born earlier; an earlier year is a typing error."""
MAX_BIRTH_YEAR = 2100
"""Upper bound when no ``as_of`` is given (matches the date parser's range)."""


def checksum_char(first17: pd.Series) -> pd.Series:
    """The GB 11643 check character for each 17-digit string (NA otherwise).

    Vectorised because legacy 15-digit IDs are converted a column at a time.
    """
    arr = pc.ascii_upper(to_arrow(first17))
    matrix, fits = digit_matrix(arr, 17)
    ok = fits & _all_digits(matrix)
    codes = np.where(ok, _check_code(check_bytes(matrix)), -1)
    return strings_from_codes(codes, CHECK_CHARS, first17.index)


def _check_code(checks: np.ndarray) -> np.ndarray:
    """Position of each check byte in ``CHECK_CHARS`` (for ``strings_from_codes``)."""
    lookup = np.zeros(256, dtype=np.int64)
    lookup[_CHECK_CHARS] = np.arange(11)
    return lookup[checks]


def _all_digits(matrix: np.ndarray) -> np.ndarray:
    return ((matrix >= 48) & (matrix <= 57)).all(axis=1)


def id15_to_18(s: str) -> str:
    """The 18-digit form of a legacy 15-digit ID (``AAAAAA YYMMDD SSS``).

    Duplicates are only found when everyone is compared on the 18-digit form.
    """
    if not re.fullmatch(r"[0-9]{15}", s):
        raise ValueError(f"not a 15-digit ID number: {s!r}")
    first17 = s[:6] + "19" + s[6:]
    digits = np.frombuffer(first17.encode("ascii"), dtype=np.uint8)[None, :]
    return first17 + chr(check_bytes(digits)[0])


@functools.cache
def region_info(code: str) -> tuple[bool, str | None]:
    """Whether a 6-digit region code existed at any time, and its name.

    The name joins the levels the table gives (province, county) and takes the
    latest name of a renamed unit (``[1983-2019]桥东区,[2020-]襄都区`` -> 襄都区);
    a code that names its own province (``130000``) is not repeated.
    """
    from stdnum import numdb  # imported lazily: loading the table takes ~0.1 s

    parts = numdb.get("cn/loc").info(code)
    known = bool(parts) and all(props for _, props in parts)
    if not known:
        return False, None
    names: list[str] = []
    for _, props in parts:
        for value in props.values():
            latest = re.sub(r"^\[[^\]]*\]", "", value.split(",")[-1]).strip()
            if latest and (not names or names[-1] != latest):
                names.append(latest)
    return True, "".join(names) or None


_PERIOD = re.compile(r"^\[(\d*)-(\d*)\]")
_NOT_A_COUNTY = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


@functools.cache
def _county_codes() -> dict[str, tuple[tuple[str, str], ...]]:
    """County-level name (any period's) -> its (last year, code) pairs, newest first
    ("9999" for a name still in use)."""
    from stdnum import numdb

    found: dict[str, list[tuple[str, str]]] = {}
    cities: set[str] = set()
    for _, province, _, _, counties in numdb.get("cn/loc").prefixes:
        for _, county, _, props, _ in counties:
            if county.endswith("00"):
                names = props.get("county", "").split(",")
                cities.update(_PERIOD.sub("", name.strip()) for name in names)
                continue
            for part in props.get("county", "").split(","):
                period = _PERIOD.match(part.strip())
                name = _PERIOD.sub("", part.strip()).strip()
                if name and name not in _NOT_A_COUNTY:
                    end = period.group(2) if period else ""
                    found.setdefault(name, []).append((end or "9999", province + county))
    return {
        name: tuple(sorted(codes, reverse=True))
        for name, codes in found.items()
        # a city's name, once also a county-level code (张家口市 132501), names the city
        if name not in cities or any(end == "9999" for end, _ in codes)
    }


def _one_code(candidates: tuple[tuple[str, str], ...]) -> str | None:
    """The code a county name means: the one in use (康保县 was 132522 before 1993), or
    the newest of a name no longer used, within one province; None if ambiguous."""
    current = [code for end, code in candidates if end == "9999"]
    if current:
        return current[0] if len(current) == 1 else None
    return candidates[0][1] if len({c[:2] for _, c in candidates}) == 1 else None


def region_named(*texts: str) -> str | None:
    """The 6-digit code of the one county a text names (a 县 cell, a sheet title, a file
    path), or None when none does or the name is ambiguous (朝阳区 is in two cities).

    For a publicity list whose masked IDs hide even the region code: the standard
    depends on the county paying the benefit, which its place columns name.
    """
    codes = _county_codes()
    found: set[str] = set()
    for text in texts:
        if not text:
            continue
        named = [n for n in codes if len(n) >= 2 and n in text]
        # a longer name inside the text wins over a name it contains (张北县 over 北县)
        named = [n for n in named if not any(n != o and n in o for o in named)]
        for name in named:
            code = _one_code(codes[name])
            if code is None:
                return None
            found.add(code)
        if found:
            break
    return found.pop() if len(found) == 1 else None


def check_ids(
    ids: pd.Series,
    *,
    numeric: pd.Series | None = None,
    as_of: date | None = None,
) -> pd.DataFrame:
    """Status and derived facts for each ID (the ``id_number`` column of ``parse_ids``).

    ``id_status`` is the first of: blank; masked (a publicity list's stars, x's or
    dropped digits: ``normalize.ids.masked_id_mask``); precision-lost (``numeric``
    and 16+ digits, or scientific notation: the last digits are gone and must never
    be "repaired"); invalid (not 18 characters of digits with a final digit or X, or
    an impossible birth date: before 1890, after ``as_of``, or after 2100 without
    ``as_of``); checksum (wrong check character); valid.

    Derived columns use only characters that can be trusted: ``birth_date`` for
    valid, checksum, masked and precision-lost IDs (15 significant digits keep
    the birth date, barring a rare carry into the day); ``sex`` for valid,
    checksum and masked IDs whose 17th character is visible; ``region`` wherever
    the first six characters are digits, with ``region_name`` where the code is
    known; ``region_known`` only where the ID is checkable (valid, checksum), so
    an already-invalid ID is not reported twice.
    """
    index = ids.index
    arr = pc.ascii_upper(to_arrow(ids))
    n = len(arr)

    blank = arr.is_null().to_numpy(zero_copy_only=False)
    masked = masked_id_mask(arr)
    long_number = digits_of_length(arr, 16, None)
    is_numeric = _aligned_mask(numeric, index)
    precision_lost = (is_numeric & long_number) | scientific_mask(arr)

    matrix, fits = digit_matrix(arr, 18)
    digit = (matrix >= 48) & (matrix <= 57)
    shape = fits & digit[:, :17].all(axis=1) & (digit[:, 17] | (matrix[:, 17] == ord("X")))
    year = _number(matrix, 6, 10)
    month = _number(matrix, 10, 12)
    day = _number(matrix, 12, 14)
    date_digits = fits & digit[:, 6:14].all(axis=1)
    max_year = MAX_BIRTH_YEAR if as_of is None else as_of.year
    month_ok = (month >= 1) & (month <= 12)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    days = _DAYS_IN_MONTH[np.clip(month, 1, 12) - 1] + ((month == 2) & leap)
    real_date = (
        date_digits
        & (year >= MIN_BIRTH_YEAR)
        & (year <= max_year)
        & month_ok
        & (day >= 1)
        & (day <= days)
    )
    birth = _to_datetime64(
        np.where(real_date, year, 1970), np.where(real_date, month, 1), np.where(real_date, day, 1)
    )
    if as_of is not None:
        limit = np.datetime64(date(as_of.year, as_of.month, as_of.day), "D")
        real_date &= birth <= limit

    wrong_check = check_bytes(matrix[:, :17]) != matrix[:, 17]

    status = np.full(n, _VALID, dtype=np.int8)
    status[wrong_check] = _CHECKSUM
    status[~shape | ~real_date] = _INVALID
    status[precision_lost] = _PRECISION_LOST
    status[masked] = _MASKED
    status[blank] = _BLANK

    checkable = (status == _VALID) | (status == _CHECKSUM)
    dated = real_date & (checkable | (status == _MASKED) | (status == _PRECISION_LOST))
    birth_date = np.where(dated, birth, np.datetime64("NaT")).astype("datetime64[ns]")
    sexed = fits & digit[:, 16] & (checkable | (status == _MASKED))
    sex_code = np.where(sexed, matrix[:, 16].astype(np.int8) % 2, -1)  # even = F, odd = M

    region, region_known, region_name = _regions(arr, checkable, index)
    return pd.DataFrame(
        {
            "id_status": pd.Categorical.from_codes(status, categories=list(ID_STATUSES)),
            "birth_date": birth_date,
            "sex": strings_from_codes(sex_code, ("F", "M"), index),
            "region": region,
            "region_known": region_known,
            "region_name": region_name,
        },
        index=index,
    )


def _number(matrix: np.ndarray, start: int, stop: int) -> np.ndarray:
    """The decimal number in columns ``start:stop`` (garbage where not digits)."""
    result = np.zeros(len(matrix), dtype=np.int64)
    for j in range(start, stop):
        result = result * 10 + (matrix[:, j].astype(np.int64) - 48)
    return result


def _aligned_mask(mask: pd.Series | None, index: pd.Index) -> np.ndarray:
    """A reader-supplied boolean mask as a numpy array in ``index`` order (NA = False)."""
    if mask is None:
        return np.zeros(len(index), dtype=bool)
    if not mask.index.equals(index):
        mask = mask.reindex(index)
    return mask.astype("boolean").fillna(False).to_numpy(dtype=bool)


def _to_datetime64(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    months = ((year - 1970) * 12 + (month - 1)).astype("datetime64[M]")
    return months.astype("datetime64[D]") + (day - 1).astype("timedelta64[D]")


def _regions(
    arr: pa.Array, checkable: np.ndarray, index: pd.Index
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """``region``, ``region_known`` and ``region_name``, looking each prefix up once."""
    head = pc.utf8_slice_codeunits(arr, 0, 6)
    has_region = pa.array(digits_of_length(head, 6, 6))
    prefix = pc.if_else(has_region, head, None)
    encoded = pc.dictionary_encode(prefix)
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    info = [region_info(code) for code in encoded.dictionary.to_pylist()]

    known_per = np.array([k for k, _ in info] + [False], dtype=bool)
    known = pd.arrays.BooleanArray(known_per[codes], ~checkable | (codes < 0))
    names = [name for _, name in info]
    name_index = {name: i for i, name in enumerate(dict.fromkeys(x for x in names if x))}
    name_per = np.array([name_index.get(x, -1) if x else -1 for x in names] + [-1])
    return (
        string_series(prefix, index),
        pd.Series(known, index=index),
        strings_from_codes(name_per[codes], list(name_index), index),
    )
