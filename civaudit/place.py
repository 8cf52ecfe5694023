"""County, town and village of every household, from the evidence that names them.

Rosters say where they are in many ways: a 县/乡镇/村 column, a title row
(``康保县张纪镇上房子村2019年10月农村低保花名册``), the file name
(``农村低保家庭查询_上房子村201910.xlsx``), the folders (``康保县/张纪镇/``), the start
of the household's address, or a sheet named after its village (``老湾村``). This
step, run once after loading (``roster.load_roster``), fills ``county``, ``town`` and
``village`` of the households from the first source that names each, in that order:

1. the household's own column (``column``);
2. its sheet's title rows (``title``);
3. its file's name (``file-name``);
4. its folders, nearest first (``folder``);
5. the start of its address, for county and town (``address``);
6. its sheet's name, only when the name reads as a place and nothing else
   (``sheet-name``: ``老湾村`` yes, ``Sheet1``, ``花名册`` or ``2019年10月`` no).

``county_from``, ``town_from`` and ``village_from`` say which, per household, and
``Roster.places`` per sheet, so ``inspect`` can show it and a finding about a sheet
(a totals row) can carry its place too.

A text is read as places only when all of it is places: ``康保县张纪镇`` gives a county
and a town, ``康保县民政局`` gives nothing, and generic words (农村, 低保, 花名册, 家庭查询,
months and years) are cut out first, so ``农村`` is never a village. A place word is a
short run of Chinese characters ending in its level's suffix: 省/自治区, 市/州/盟,
县/区/旗/市, 镇/乡/街道/苏木, 村/社区/嘎查/居委会.

Work is per sheet (a loop over sheets, never over rows); the households take their
sheet's places by a merge, and the address by one vectorised ``str.extract``.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

LEVELS: tuple[str, ...] = ("county", "town", "village")
SOURCES: tuple[str, ...] = ("column", "title", "file-name", "folder", "address", "sheet-name")
"""Where a household's place came from, in the order they are tried."""

_EARLY = ["title", "file-name", "folder"]  # a sheet's sources tried before the address

PLACE_COLUMNS: tuple[str, ...] = (
    "file",
    "sheet",
    *(f"{part}{level}" for level in LEVELS for part in ("", "from_")),
)
"""``Roster.places``: per sheet, each level's name and source as the sheet's own
evidence gives it (title, file name, folders, sheet name; not columns or addresses,
which are per household)."""

_CJK = r"[\u3400-\u9fff]"
_NAME = _CJK + "{1,8}?"
_PROVINCE = rf"(?:{_CJK}{{1,8}}?(?:省|自治区))"
_CITY = rf"(?:{_CJK}{{1,8}}?(?:市|州|盟|地区))"
_COUNTY_SUFFIX = "县|区|旗|市"
_TOWN_SUFFIX = "街道办事处|街道|镇|乡|苏木"
_VILLAGE_SUFFIX = "村民委员会|居民委员会|村委会|居委会|社区|嘎查|村"
_PLACES = re.compile(
    rf"(?:{_PROVINCE})?"
    rf"(?:{_CITY}(?={_NAME}(?:{_COUNTY_SUFFIX})))?"
    rf"(?P<county>{_NAME}(?:{_COUNTY_SUFFIX}))?"
    rf"(?P<town>{_NAME}(?:{_TOWN_SUFFIX}))?"
    rf"(?P<village>{_NAME}(?:{_VILLAGE_SUFFIX}))?"
)
_GENERIC = re.compile(
    r"(?:19|20)\d{2}\s*年(?:度)?(?:\s*第?\s*[一二三四1-4]\s*季度?)?(?:\s*\d{1,2}\s*月份?)?"
    r"|\d+|[一二三四五六七八九十]+月份?"
    r"|农村|城市|城镇|城乡|最低生活保障|低保边缘|低保|特困供养|特困|五保|保障对象|对象"
    r"|花名册|名册|名单|公示|汇总表|汇总|统计表|发放表|台账|明细|家庭查询|人员查询|查询"
    r"|分村|全村|本村|各村|该村|全乡|本乡|全镇|本镇|全县|本县|各乡镇|乡镇|县区|县市区"
    r"|[\s_\-—.,，、。:：;；·()（）【】\[\]《》<>#&+]"
)
# The place an address starts with: [province][city]<county><town> (a town is required,
# so that 新区村3组 is not read as the county 新区).
_LEADING_CJK = r"^(?P<lead>[\x{3400}-\x{9fff}]*)"  # RE2 (Arrow) spelling of _CJK's run
_ADDRESS = re.compile(
    rf"^(?:{_PROVINCE})?(?:{_CITY}(?={_NAME}(?:{_COUNTY_SUFFIX})))?"
    rf"(?P<county>{_NAME}(?:{_COUNTY_SUFFIX}))?(?P<town>{_NAME}(?:{_TOWN_SUFFIX}))"
)


def places_in(text: str | None) -> dict[str, str]:
    """The county, town and village a text names (``康保县张纪镇上房子村2019年10月农村低保
    花名册`` -> all three); each piece between generic words must be places and only
    places. The first piece that names a level gives it."""
    if not text:
        return {}
    text = unicodedata.normalize("NFKC", str(text))
    found: dict[str, str] = {}
    for piece in _GENERIC.split(text):
        if not piece:
            continue
        match = _PLACES.fullmatch(piece)
        if match is None:
            continue
        for level in LEVELS:
            if match[level] and level not in found:
                found[level] = match[level]
    return found


def sheet_name_place(name: str | None) -> dict[str, str]:
    """The place a sheet's name is, when the name is a place and nothing else."""
    if not name:
        return {}
    match = _PLACES.fullmatch(unicodedata.normalize("NFKC", str(name)).strip())
    if match is None:
        return {}
    return {level: match[level] for level in LEVELS if match[level]}


def sheet_places(sheets) -> pd.DataFrame:
    """``PLACE_COLUMNS``: per sheet, each level from its title, its file's name, its
    folders (nearest first) or its own name, and which."""
    records = []
    by_file: dict[str, dict[str, tuple[str, str]]] = {}
    for sheet in sheets:
        if sheet.file not in by_file:
            path = PurePath(sheet.file)
            named: dict[str, tuple[str, str]] = {}
            for level, value in places_in(path.stem).items():
                named[level] = (value, "file-name")
            for folder in (p.name for p in path.parents if p.name):
                for level, value in places_in(folder).items():
                    named.setdefault(level, (value, "folder"))
            by_file[sheet.file] = named
        found: dict[str, tuple[str, str]] = {}
        for line in sheet.title:
            for level, value in places_in(line).items():
                found.setdefault(level, (value, "title"))
        for level, pair in by_file[sheet.file].items():
            found.setdefault(level, pair)
        for level, value in sheet_name_place(sheet.sheet).items():
            found.setdefault(level, (value, "sheet-name"))
        record = {"file": sheet.file, "sheet": sheet.sheet}
        for level in LEVELS:
            value, source = found.get(level, (None, None))
            record[level], record["from_" + level] = value, source
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=list(PLACE_COLUMNS))
    frame = frame.drop_duplicates(["file", "sheet"]).reset_index(drop=True)
    return frame.astype("object").where(frame.notna(), None)


def find_places(households: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """The households with ``county``, ``town`` and ``village`` filled from the first
    source naming each (``SOURCES``) and ``<level>_from`` saying which. A copy.

    Each household takes its sheet's row of ``places`` by position (sheets are few,
    households many), and the sources are filled in as object arrays, one pass each."""
    out = households.copy()
    n = len(out)
    if not n:
        for level in LEVELS:
            if level not in out:
                out[level] = pd.Series(dtype="string")
            out[level + "_from"] = pd.Series(dtype="string")
        return out
    at = _sheet_rows(out, places)
    address = _address_places(out["address"]) if "address" in out else None
    for level in LEVELS:
        own = _text(out, level)
        has_own = ~pd.isna(own)
        value = own.copy()
        source = np.where(has_own, "column", None).astype(object)
        if level + "_from" in out:  # placed before (a cached file): keep what it said
            before = _text(out, level + "_from")
            keep = ~pd.isna(before) & has_own
            source[keep] = before[keep]
        sheet_values = _at(places[level], at)
        sheet_sources = _at(places["from_" + level], at)
        early = np.append(places["from_" + level].isin(_EARLY).to_numpy(dtype=bool), False)[at]
        late = ~early
        candidates = [(sheet_values, sheet_sources, early)]
        if address is not None and level in address:
            found = address[level].to_numpy(dtype=object)
            candidates.append((found, np.full(n, "address", dtype=object), None))
        candidates.append((sheet_values, sheet_sources, late))
        for found, where, only in candidates:
            take = pd.isna(value) & ~pd.isna(found)
            if only is not None:
                take &= only
            value[take] = found[take]
            source[take] = where[take]
        out[level] = pd.Series(value, index=out.index, dtype="object").astype("string")
        out[level + "_from"] = pd.Series(source, index=out.index, dtype="object").astype("string")
    return out


def _sheet_rows(households: pd.DataFrame, places: pd.DataFrame) -> np.ndarray:
    """Per household, the row of ``places`` for its file and sheet (-1: none)."""
    file_codes, files = pd.factorize(households["file"], use_na_sentinel=False)
    sheet_codes, sheets = pd.factorize(households["sheet"], use_na_sentinel=False)
    width = len(sheets) + 1
    pairs, inverse = np.unique(
        file_codes.astype("int64") * width + sheet_codes, return_inverse=True
    )
    row_of = {
        key: i
        for i, key in enumerate(zip(places["file"].tolist(), places["sheet"].tolist(), strict=True))
    }
    rows = [row_of.get((files[p // width], sheets[p % width]), -1) for p in pairs.tolist()]
    return np.array(rows, dtype="int64")[inverse.reshape(-1)]


def _at(column: pd.Series, at: np.ndarray) -> np.ndarray:
    """``column``'s values at positions ``at`` as objects (None at -1)."""
    values = np.append(column.to_numpy(dtype=object), None)
    return values[at]


def _text(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame:
        return np.full(len(frame), None, dtype=object)
    values = frame[name].astype("string").str.strip().replace("", pd.NA)
    return values.to_numpy(dtype=object, na_value=None)


def _address_places(address: pd.Series) -> pd.DataFrame:
    """county, town at the start of each address (``康保县照阳河镇四号地村1组``).

    A match is made of CJK characters only, so it lies in the address's leading run of
    them (``康保县照阳河镇四号地村`` of ``康保县照阳河镇四号地村1组12号``): that run is cut
    out in Arrow, and the pattern runs once per distinct run, which a village's
    households share (a 400,000-household roster: 3.5 s to a fraction of a second)."""
    text = pa.array(address.astype("string"), type=pa.string(), from_pandas=True)
    text = pc.replace_substring_regex(
        text, pattern=r"[\s\p{Z}\x{1c}-\x{1f}\x{85}]+", replacement=""
    )
    lead = pc.struct_field(pc.extract_regex(text, pattern=_LEADING_CJK), [0])
    codes, distinct = pd.factorize(lead.to_pandas(), use_na_sentinel=True)
    found = pd.Series(distinct, dtype="object").str.extract(_ADDRESS)
    found = found.reindex(codes)  # -1 (a blank address) gives a row of NaN
    found = found.astype("object").where(found.notna(), None)
    return found.set_axis(address.index)


def place_roster(roster):
    """The roster with its households' places filled and ``roster.places`` set (the
    step after loading)."""
    places = sheet_places(roster.sheets)
    roster.households = find_places(roster.households, places)
    roster.places = places
    return roster


__all__ = [
    "LEVELS",
    "PLACE_COLUMNS",
    "SOURCES",
    "find_places",
    "place_roster",
    "places_in",
    "sheet_name_place",
    "sheet_places",
]
