"""The roster month of each file, and where it came from: never silently today.

A roster is a snapshot of one month, and every rule about time (ages, phase-out
periods, deaths on or before the roster date) depends on which. The month is taken,
in order, from ``--as-of`` (or the library's ``as_of``), the policy's ``as_of``, the
month in the sheet titles (``××县2019年10月农村低保花名册``), a sheet name that is a
month (``2019年10月``), the file name (``…上房子村201910.xlsx``) and the folder names
(``2019年第四季度/``), nearest first. Each file of a batch has its own month: a
county folder may hold rosters of different months.

Spellings read: ``201910``, ``20191001``, ``2019年10月``, ``2019-10``, ``2019.10``,
``2019_10``, ``2019/10``, and quarters (``2019年第四季度``, ``2019年4季度``,
``2019Q4``) as their last month. A text naming two different months names none.

Sources that name different months are a conflict: the first source in the order
wins, and the report says which other source disagreed, so a user can tell a stale
title from a wrong option. A file no source dates has no month (``none``): the
assessment and the rules treat its households as of no month, and the rules that
need one are not run on them (``civaudit.engine``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath

import numpy as np
import pandas as pd

from civaudit.errors import UsageError
from civaudit.series import find_series, latest_month

SOURCES: tuple[str, ...] = (
    "option",
    "policy",
    "title",
    "sheet-name",
    "file-name",
    "folder",
    "none",
)
"""Where a file's month came from, in the order they are tried (``none``: nowhere)."""

FOUND_COLUMNS: tuple[str, ...] = ("title", "sheet_name", "file_name", "folder")
"""The months each source of the file itself names (``YYYY-MM`` or None)."""

MONTH_COLUMNS: tuple[str, ...] = (
    "file",
    "as_of",
    "source",
    *FOUND_COLUMNS,
    "conflict",
    "disagree",
)
"""``RosterMonths.files``: ``findings.AS_OF_COLUMNS``, what each source said, whether
they disagree with the month chosen and which (``FOUND_COLUMNS`` names, comma-joined;
a quarter agrees with its three months)."""

_YEAR = r"(?P<y>(?:19|20)\d{2})"
_CN_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_PATTERNS = (
    # 2019年10月, 2019 年 10 月份
    re.compile(rf"(?<!\d){_YEAR}\s*年\s*(?P<m>1[0-2]|0?[1-9])\s*月"),
    # 2019年第四季度, 2019年4季度, 2019年第4季
    re.compile(rf"(?<!\d){_YEAR}\s*年\s*(?:度\s*)?第?\s*(?P<q>[一二三四1-4])\s*季"),
    # 2019Q4, 2019-Q4
    re.compile(rf"(?<!\d){_YEAR}\s*[-_.]?\s*[Qq](?P<q>[1-4])(?!\d)"),
    # 2019-10, 2019.10, 2019_10, 2019/10 (not 2019-10-01's day read as a month)
    re.compile(rf"(?<!\d){_YEAR}\s*[-./_]\s*(?P<m>1[0-2]|0?[1-9])(?!\d)"),
    # 201910, 20191001
    re.compile(rf"(?<!\d){_YEAR}(?P<m>0[1-9]|1[0-2])(?:[0-3]\d)?(?!\d)"),
)
_OPTION = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")


def month_in(text: str | None) -> str | None:
    """The month (``YYYY-MM``) a text names; None when it names none or two different
    ones. ``2019年第四季度`` names its last month, ``2019-12``."""
    period = period_in(text)
    return None if period is None else period[1]


def period_in(text: str | None) -> tuple[str, str] | None:
    """The first and last month (``YYYY-MM``) a text names: one month, or a quarter's
    three; None when it names none or two different periods."""
    if not text:
        return None
    text = unicodedata.normalize("NFKC", str(text))
    found: set[tuple[str, str]] = set()
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue  # part of a spelling already read (2019年10月 is not 2019-1)
            taken.append(span)
            year = int(match["y"])
            groups = match.groupdict()
            if groups.get("q"):
                last = 3 * _CN_QUARTER[groups["q"]]
                found.add((f"{year:04d}-{last - 2:02d}", f"{year:04d}-{last:02d}"))
            else:
                month = f"{year:04d}-{int(groups['m']):02d}"
                found.add((month, month))
    return found.pop() if len(found) == 1 else None


def parse_as_of(given: str | date | datetime | None, *, option: str = "--as-of") -> date | None:
    """A user's ``YYYY-MM`` or ``YYYY-MM-DD`` (or a date) as a date; None for None."""
    if given is None:
        return None
    if isinstance(given, pd.Timestamp):
        return given.date()
    if isinstance(given, datetime):
        return given.date()
    if isinstance(given, date):
        return given
    match = _OPTION.fullmatch(str(given).strip())
    try:
        if not match:
            raise ValueError
        return date(int(match[1]), int(match[2]), int(match[3] or 1))
    except ValueError:
        raise UsageError(
            f"{option} {given!r} is not a date", "write YYYY-MM or YYYY-MM-DD"
        ) from None


@dataclass(frozen=True, eq=False)
class RosterMonths:
    """Each file's month (``files``: ``MONTH_COLUMNS``, sorted by file) and the run's
    main month: the one most files share (the latest on a tie), None when no file
    has one. ``main_source`` is where the main month came from."""

    files: pd.DataFrame
    main: date | None
    main_source: str

    def of(self, frame: pd.DataFrame) -> pd.Series:
        """Each row's month (``datetime64[ns]``, NaT for none), by its ``file``."""
        index = frame.index
        if self.main_source in ("option", "policy"):
            return pd.Series(pd.Timestamp(self.main), index=index, dtype="datetime64[ns]")
        if not len(frame) or "file" not in frame or not len(self.files):
            return pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
        by_file = pd.Series(
            pd.to_datetime(self.files["as_of"]).to_numpy(), index=self.files["file"].to_numpy()
        )
        files = frame["file"].astype("object")
        return pd.Series(files.map(by_file).to_numpy(), index=index, dtype="datetime64[ns]")

    @property
    def conflicts(self) -> pd.DataFrame:
        """The files whose sources name different months."""
        return self.files[self.files["conflict"].to_numpy(dtype=bool)]

    @property
    def undated(self) -> list[str]:
        """The files no source gives a month for."""
        return self.files.loc[self.files["source"] == "none", "file"].tolist()


def given_month(policy=None, given=None, *, option: str = "--as-of") -> tuple[date | None, str]:
    """The month every file takes, and from where: ``given`` ('option'), else the
    policy's ``as_of`` ('policy'); (None, 'option') when neither gives one."""
    fixed = parse_as_of(given, option=option)
    if fixed is None and policy is not None and getattr(policy, "as_of", None) is not None:
        return parse_as_of(policy.as_of), "policy"
    return fixed, "option"


def resolve_months(
    roster, policy=None, given: str | date | None = None, *, option: str = "--as-of"
) -> RosterMonths:
    """Each file's roster month: ``given`` (``--as-of``), else the policy's ``as_of``,
    else the month its sheet titles, a month-named sheet, its name or its folders
    give. Files that could not be read are left out."""
    fixed, source = given_month(policy, given, option=option)
    titles: dict[str, list[str]] = {}
    names: dict[str, list[str]] = {}
    for sheet in getattr(roster, "sheets", ()):
        month = next((m for m in map(month_in, sheet.title) if m), None)
        if month:
            titles.setdefault(sheet.file, []).append(month)
        named = _sheet_month(sheet.sheet)
        if named:
            names.setdefault(sheet.file, []).append(named)
    for series in find_series(roster) if hasattr(roster, "households") else ():  # a monthly
        # workbook: its latest month
        latest = latest_month([series])  # (a sheet named 10月 takes the title's year)
        if latest:
            names[series.file] = [latest]
    paths = sorted(
        {f.path for f in getattr(roster, "files", ()) if not f.error}
        | {s.file for s in getattr(roster, "sheets", ())}
    )
    records = []
    for path in paths:
        folder = next((p for p in map(period_in, _folders(path)) if p), None)
        named = period_in(PurePath(path).stem)
        found = {
            "title": _most_common(titles.get(path, [])),
            "sheet_name": _most_common(names.get(path, [])),
            "file_name": None if named is None else named[1],
            "folder": None if folder is None else folder[1],
        }
        periods = {k: (v, v) for k, v in found.items() if v}
        if named is not None:
            periods["file_name"] = named
        if folder is not None:
            periods["folder"] = folder
        if fixed is not None:
            when, src = fixed, source
        else:
            src, month = next(
                ((k.replace("_", "-"), v) for k, v in found.items() if v), ("none", None)
            )
            when = _first_day(month) if month else None
        chosen = None if when is None else f"{when.year:04d}-{when.month:02d}"
        disagree = [
            k for k, (first, last) in periods.items() if chosen and not first <= chosen <= last
        ]
        records.append(
            {"file": path, "as_of": when, "source": src, **found, "conflict": bool(disagree),
             "disagree": ",".join(disagree) or None}
        )  # fmt: skip
    return run_months(records, fixed, source)


def run_months(records: list[dict], fixed: date | None = None, source: str = "option"):
    """The RosterMonths of files whose months are known (``records``: a dict per file
    with ``MONTH_COLUMNS``, of one run or of its parts put together): the main month
    ``fixed`` (from ``source``), else the one most files share."""
    records = sorted(records, key=lambda r: r["file"])
    files = pd.DataFrame.from_records(records, columns=list(MONTH_COLUMNS))
    files = files.astype({c: "object" for c in MONTH_COLUMNS if c != "conflict"})
    files["conflict"] = files["conflict"].astype(bool)
    if fixed is not None:
        return RosterMonths(files=files, main=fixed, main_source=source)
    dated = files[files["as_of"].notna()]
    if not len(dated):
        return RosterMonths(files=files, main=None, main_source="none")
    counts = Counter(zip(dated["as_of"], dated["source"], strict=True))
    by_month = Counter(dated["as_of"])
    top = max(by_month.values())
    main = max(m for m, n in by_month.items() if n == top)
    main_source = max(((n, s) for (m, s), n in counts.items() if m == main))[1]
    return RosterMonths(files=files, main=main, main_source=main_source)


def fixed_months(roster, when: date | None, source: str = "option") -> RosterMonths:
    """Every file at ``when`` (the library's ``as_of=date``), with what the files say."""
    if when is None:
        return resolve_months(roster)
    months = resolve_months(roster, None, when)
    if source != "option":
        files = months.files.assign(source=source)
        return RosterMonths(files=files, main=when, main_source=source)
    return months


def _sheet_month(name: str) -> str | None:
    """A sheet name that is a month and little else (``2019年10月``, ``201910``)."""
    month = month_in(name)
    if month is None:
        return None
    rest = re.sub(r"[\d\s年月份第季度Qq._/\-]+", "", unicodedata.normalize("NFKC", name))
    return month if len(rest) <= 4 else None


def _folders(path: str) -> list[str]:
    """The folder names above a file, nearest first."""
    return [p.name for p in PurePath(path).parents if p.name]


def _most_common(months: list[str]) -> str | None:
    """The month most sheets of a file name; the latest on a tie."""
    if not months:
        return None
    counts = Counter(months)
    top = max(counts.values())
    return max(m for m, n in counts.items() if n == top)


def _first_day(month: str) -> date:
    year, mon = map(int, month.split("-"))
    return date(year, mon, 1)


def as_month(value) -> str | None:
    """``YYYY-MM`` of a date (None for None/NaT)."""
    if value is None or (not isinstance(value, date) and pd.isna(value)):
        return None
    value = pd.Timestamp(value)
    return f"{value.year:04d}-{value.month:02d}"


def distinct_months(months: pd.Series) -> list[pd.Timestamp | None]:
    """The distinct months of a per-row series, NaT last, in date order."""
    values = pd.unique(months.dropna().to_numpy(dtype="datetime64[ns]"))
    out: list[pd.Timestamp | None] = [pd.Timestamp(v) for v in np.sort(values)]
    if months.isna().any():
        out.append(None)
    return out


__all__ = [
    "FOUND_COLUMNS",
    "MONTH_COLUMNS",
    "SOURCES",
    "RosterMonths",
    "as_month",
    "distinct_months",
    "fixed_months",
    "given_month",
    "month_in",
    "parse_as_of",
    "period_in",
    "resolve_months",
    "run_months",
]
