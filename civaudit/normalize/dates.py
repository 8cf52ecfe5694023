"""Dates as rosters hold them: Excel serials, datetimes, and a dozen hand-typed forms.

Month-only forms (``2019年10月``, ``201910``) are common for 最初享受月 and 渐退起始月,
so the precision is kept. A number cell holding 2019.10 displays as ``2019.1``,
which cannot be told from January: that value is January with ``ambiguous`` set,
never silently October.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from civaudit.normalize.base import BAD, bad_mask, broadcast, categorical, parse_distinct

MIN_YEAR = 1890
MAX_YEAR = 2100
PRECISIONS: tuple[str, ...] = ("day", "month")
EXCEL_SERIAL_MAX = 80000
"""Largest Excel serial read as a date (2119-01-10); longer numbers are YYYYMM(DD)."""

_EXCEL_EPOCH = date(1899, 12, 30)  # 1900 system, after Excel's fictitious 1900-02-29

_SERIAL = re.compile(r"(?P<n>\d{1,5})(?P<frac>\.\d*)?", re.ASCII)
_TIME = re.compile(r"(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$", re.ASCII)
_SPACES = re.compile(r"\s+")
_DAY = re.compile(r"(?P<y>\d{4})[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})[日号]?", re.ASCII)
_MONTH = re.compile(r"(?P<y>\d{4})(?:[-/年](?P<m>\d{1,2})月?|年?(?P<m2>\d{2}))", re.ASCII)
_DOTTED_MONTH = re.compile(r"(?P<y>\d{4})\.(?P<m>\d{1,2})", re.ASCII)
_COMPACT_DAY = re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})", re.ASCII)


@dataclass(frozen=True)
class DateParsed:
    """Parsed dates and how much of each date the cell really said.

    ``values`` is the first of the month where only the month is known;
    ``precision`` says which ('day'/'month', NA where no date); ``ambiguous``
    marks ``2019.1`` (January, or October typed into a number cell);
    ``bad`` marks non-blank text that is not a date.
    """

    values: pd.Series
    precision: pd.Series
    ambiguous: pd.Series
    bad: pd.Series


def parse_dates(raw: pd.Series) -> DateParsed:
    """Dates from roster cells; NA + ``bad`` for impossible or unreadable dates."""
    codes, results = parse_distinct(raw, _parse_date, squeeze_spaces=False)
    index = raw.index
    per_value = np.array(
        [r[0] if isinstance(r, tuple) else np.datetime64("NaT") for r in results],
        dtype="datetime64[ns]",
    )
    per_precision = np.array(
        [PRECISIONS.index(r[1]) if isinstance(r, tuple) else -1 for r in results], np.int8
    )
    per_ambiguous = np.array([isinstance(r, tuple) and r[2] for r in results], dtype=bool)
    return DateParsed(
        values=pd.Series(broadcast(per_value, codes, np.datetime64("NaT", "ns")), index=index),
        precision=categorical(broadcast(per_precision, codes, -1), PRECISIONS, index),
        ambiguous=pd.Series(broadcast(per_ambiguous, codes, False), index=index),
        bad=bad_mask(results, codes, index),
    )


def _parse_date(text: str) -> tuple[np.datetime64, str, bool]:
    text, timed = _TIME.subn("", text)  # the reader's '2019-10-01 00:00:00'
    text = _SPACES.sub("", text)  # '2019 年 10 月'
    if timed:
        m = _DAY.fullmatch(text) or _COMPACT_DAY.fullmatch(text)
        return _day(int(m["y"]), int(m["m"]), int(m["d"])) if m else BAD
    if m := _DOTTED_MONTH.fullmatch(text):
        # Before serials: 2019.10 is a month, not day 2019 of Excel's calendar.
        # A number cell holding 2019.10 shows as 2019.1; '2019.01' was typed as text.
        return _month(int(m["y"]), int(m["m"]), ambiguous=m["m"] == "1")
    if m := _SERIAL.fullmatch(text):
        return _from_serial(int(m["n"]), bool(m["frac"]))
    if m := _DAY.fullmatch(text):
        return _day(int(m["y"]), int(m["m"]), int(m["d"]))
    if m := _COMPACT_DAY.fullmatch(text):
        return _day(int(m["y"]), int(m["m"]), int(m["d"]))
    if m := _MONTH.fullmatch(text):
        return _month(int(m["y"]), int(m["m"] or m["m2"]))
    return BAD


def _from_serial(serial: int, has_fraction: bool) -> tuple[np.datetime64, str, bool]:
    if MIN_YEAR <= serial <= MAX_YEAR and not has_fraction:
        # A bare year: as a serial it would be a day in 1905; the month is unknown.
        return BAD
    if not 1 <= serial <= EXCEL_SERIAL_MAX or serial == 60:  # 60 = 1900-02-29, no such day
        return BAD
    day = _EXCEL_EPOCH + timedelta(days=serial + (1 if serial < 60 else 0))
    return _day(day.year, day.month, day.day)


def _day(year: int, month: int, day: int) -> tuple[np.datetime64, str, bool]:
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
        return BAD
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return BAD
    return np.datetime64(date(year, month, day), "ns"), "day", False


def _month(year: int, month: int, *, ambiguous: bool = False) -> tuple[np.datetime64, str, bool]:
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
        return BAD
    return np.datetime64(date(year, month, 1), "ns"), "month", ambiguous
