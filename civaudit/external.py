"""External lists for the audit (``--against KIND=FILE``): deaths, 特困, payroll, cadres...

An inspection checks the roster against lists other offices keep: the civil
registry's deaths, the 特困 roster, the public payroll, village cadres and their
relatives, relatives' filings, vehicle, business and housing registries, the
low-income list and the population per village. They arrive as the same kind of
spreadsheet as the rosters, so they go through the same reader, header detection
and row split; only their own columns (死亡日期, 号牌号码, 亲属身份证号...) come from
an extra alias table kept here, so the roster's column mapping is unchanged.

``load_list`` gives one flat frame per list: ``list_file``, ``list_sheet``,
``list_row`` (the Excel row), ``id_number`` (the 18-digit form every match uses: a
15-digit ID becomes its 18-digit form) with ``id_original`` and ``id_status``, and
the kind's fields, every one of them present (NA where the list has no such
column). The rules in ``civaudit.rules.external`` match these on ``id_number``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from civaudit.errors import LoadError, MappingError, UsageError
from civaudit.idcard import check_ids
from civaudit.io.grid import NumericProbe
from civaudit.io.header import Column, detect_header
from civaudit.io.read import find_inputs, read_workbook
from civaudit.io.rows import split_rows
from civaudit.normalize import (
    clean_text,
    normalize_header,
    parse_count,
    parse_dates,
    parse_disability,
    parse_disability_type,
    parse_ids,
    parse_money,
    parse_number,
    parse_relation,
)
from civaudit.schema import FIELD_BY_NAME, PERSON_FIELDS

KINDS: tuple[str, ...] = (
    "deaths",
    "tekun",
    "payroll",
    "cadres",
    "filings",
    "vehicles",
    "business",
    "housing",
    "low-income",
    "population",
)
"""The list kinds ``--against KIND=FILE`` takes."""

MATCHABLE: tuple[str, ...] = ("valid", "checksum")
"""ID statuses that take part in a match. A blank, masked or number-damaged ID
(precision-lost) or one that is not an ID at all would match by accident or not
at all, so such rows are kept in the list but never matched."""

PLACE_COLUMNS: tuple[str, ...] = ("list_file", "list_sheet", "list_row")


@dataclass(frozen=True)
class ListField:
    """A column only external lists have (or an extra header for a roster field)."""

    name: str
    kind: str  # how its cells are parsed: id, name, text, date, number, count
    zh: str
    en: str
    aliases: tuple[str, ...]


def _f(name: str, kind: str, zh: str, en: str, aliases: str) -> ListField:
    return ListField(name, kind, zh, en, tuple(aliases.split()))


LIST_FIELDS: tuple[ListField, ...] = (
    # extra headers for roster fields: the owner, operator or holder of a record
    _f(
        "id_number",
        "id",
        "身份证号",
        "ID number",
        "所有人身份证号 车主身份证号 机动车所有人身份证号 所有人证件号码 法定代表人身份证号 "
        "经营者身份证号 投资人身份证号 负责人身份证号 权利人身份证号 产权人身份证号 "
        "权利人证件号码 死者身份证号 死亡人员身份证号 人员身份证号 证件号 身份证件号",
    ),
    _f(
        "name",
        "name",
        "姓名",
        "name",
        "所有人 车主 机动车所有人 法定代表人 经营者 投资人 权利人 产权人 死者姓名 "
        "死亡人员姓名 人员姓名",
    ),
    _f("village", "text", "村", "village", "村名 村庄名称 行政村名称 村名称 村委会名称"),
    _f("town", "text", "乡镇", "town", "乡镇名称 乡镇名 乡镇街道名称"),
    # deaths
    _f(
        "death_date",
        "date",
        "死亡日期",
        "death date",
        "死亡日期 死亡时间 死亡年月 注销日期 注销时间 户口注销日期 户籍注销日期 销户日期",
    ),
    # payroll
    _f("employer", "text", "工作单位", "employer", "工作单位 供职单位 所在单位 单位名称 发放单位"),
    # cadres and filings
    _f(
        "cadre_id",
        "id",
        "干部身份证号",
        "cadre's ID number",
        "干部身份证号 干部身份证号码 干部公民身份号码 村干部身份证号 干部证件号码 经办人身份证号",
    ),
    _f("cadre_name", "name", "干部姓名", "cadre's name", "干部姓名 村干部姓名 经办人姓名"),
    _f("position", "text", "职务", "post", "职务 担任职务 现任职务 岗位 干部职务"),
    _f(
        "relative_id",
        "id",
        "亲属身份证号",
        "relative's ID number",
        "亲属身份证号 亲属身份证号码 近亲属身份证号 近亲属身份证号码 亲属公民身份号码 亲属证件号码",
    ),
    _f("relative_name", "name", "亲属姓名", "relative's name", "亲属姓名 近亲属姓名"),
    _f(
        "relation",
        "text",
        "与干部关系",
        "relation",
        "与干部关系 与村干部关系 亲属关系 与本人关系 与干部的关系",
    ),
    _f("filing_date", "date", "备案日期", "filing date", "备案日期 备案时间 备案年月"),
    # vehicles
    _f(
        "vehicle_type",
        "text",
        "车辆类型",
        "vehicle type",
        "车辆类型 车型 号牌种类 车辆种类 机动车类型",
    ),
    _f("plate", "text", "号牌号码", "plate", "号牌号码 车牌号码 车牌号 号牌"),
    # business
    _f(
        "business_name",
        "text",
        "企业名称",
        "business name",
        "企业名称 字号名称 个体工商户名称 市场主体名称 商户名称 经营主体名称",
    ),
    _f(
        "credit_code",
        "text",
        "统一社会信用代码",
        "credit code",
        "统一社会信用代码 信用代码 注册号",
    ),
    # housing
    _f(
        "housing_address",
        "text",
        "房屋坐落",
        "address of the dwelling",
        "房屋坐落 坐落 房屋地址 房产坐落 不动产坐落 坐落位置",
    ),
    _f(
        "housing_cert",
        "text",
        "房产证号",
        "title number",
        "房产证号 不动产权证号 房屋所有权证号 产权证号 不动产证号 不动产权证书号",
    ),
    _f("floor_area", "number", "建筑面积", "floor area", "建筑面积 房屋面积 面积"),
    # population
    _f(
        "population",
        "count",
        "户籍人口",
        "population",
        "户籍人口 总人口 人口数 户籍人口数 人口总数 总人口数 农业人口 农村人口 乡村人口",
    ),
)

LIST_FIELD_BY_NAME: dict[str, ListField] = {
    f.name: f for f in LIST_FIELDS if f.name not in FIELD_BY_NAME
}

LIST_ALIASES: dict[str, str] = {}
"""Normalised header text -> field, consulted after the roster's alias table."""
for _field in LIST_FIELDS:
    for _alias in _field.aliases:
        LIST_ALIASES.setdefault(normalize_header(_alias), _field.name)

_INCOME = ("gross_income_year", "per_capita_income_year", "per_capita_income_month", "income_year")

KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "deaths": ("name", "death_date"),
    "tekun": ("name",),
    "payroll": ("name", "employer"),
    "cadres": ("name", "position", "relative_id", "relative_name", "relation"),
    "filings": ("name", "cadre_id", "cadre_name", "relation", "filing_date"),
    "vehicles": ("name", "vehicle_type", "plate"),
    "business": ("name", "business_name", "credit_code"),
    "housing": ("name", "housing_address", "housing_cert", "floor_area"),
    "low-income": (
        "name",
        "head_id",
        "head_name",
        "relation",
        "household_size",
        "disability_grade",
        "disability_type",
        "illness",
        *_INCOME,
        "county",
        "town",
        "village",
    ),
    "population": ("county", "town", "village", "population"),
}
"""The fields each kind's frame carries besides the place and the ID columns."""

_ID_FIELDS = ("id_number", "cadre_id", "relative_id", "head_id")

_ANCHORS = frozenset({*PERSON_FIELDS, "cadre_id", "cadre_name", "relative_id", "relative_name"})
_POPULATION_ANCHORS = frozenset({"population", "household_size"})

_WHAT_TO_DO = {
    "deaths": "身份证号 and 死亡日期",
    "tekun": "身份证号",
    "payroll": "身份证号",
    "cadres": "身份证号 (the cadre's own) and/or 亲属身份证号 with 与干部关系",
    "filings": "亲属身份证号 (or 身份证号) and 备案日期",
    "vehicles": "身份证号 and 车辆类型",
    "business": "身份证号 and 企业名称",
    "housing": "身份证号 and 房屋坐落",
    "low-income": "身份证号, 户主身份证号, 残疾等级, 患病病种 and an income column",
    "population": "村 and 户籍人口",
}


# --- loading ---------------------------------------------------------------------------


def load_list(kind: str, path: Path) -> pd.DataFrame:
    """One external list as a flat frame (every sheet that holds the list).

    Raises the reader's LoadError for a file that cannot be read, and MappingError
    for one with no sheet holding the list, or a list without the column its
    matches need (an ID number; village and population for ``population``).
    """
    return _load(kind, Path(path))[0]


def _load(kind: str, path: Path) -> tuple[pd.DataFrame, str]:
    if kind not in KINDS:
        raise UsageError(f"unknown list kind {kind!r}", f"one of: {', '.join(KINDS)}")
    book = read_workbook(path)
    anchors = _POPULATION_ANCHORS if kind == "population" else _ANCHORS
    parts: list[pd.DataFrame] = []
    first_error: MappingError | None = None
    for grid in book.sheets:
        where = f"{path}: sheet '{grid.name}'" if book.kind != "csv" else str(path)
        try:
            header = detect_header(grid.cells, where=where, aliases=LIST_ALIASES, anchors=anchors)
        except MappingError as exc:
            first_error = first_error or exc
            continue
        sources = _sources(kind, header.mapped())
        _require(kind, sources, header, where)
        split = split_rows(grid.cells, header)
        parts.append(_frame(kind, split.data, sources, str(path), grid.name, grid.numeric))
    if not parts:
        found = ""
        if first_error is not None and "(" in first_error.message:
            found = " (" + first_error.message.split("(", 1)[1]
        raise MappingError(
            f"{path}: no sheet holds a {kind} list: no header row with its columns{found}",
            f"the {kind} list needs a header row naming {_WHAT_TO_DO[kind]}",
        )
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    return frame, book.sha256


def _sources(kind: str, mapped: Mapping[str, Column]) -> dict[str, Column]:
    """Output field -> source column, resolving whose ID a plain 身份证号 is.

    In a cadres list a plain 身份证号 is the cadre's own ID, unless a 干部身份证号
    column says whose it is, in which case it is the relative's. In a filings list
    it is the relative's (the person filed), unless an 亲属身份证号 column is there:
    then it is the cadre's. A population list's 人口数 (a roster header for
    household size) is the village's population.
    """
    m = dict(mapped)
    out = dict(m)
    if kind == "cadres":
        own_id = m.get("cadre_id") or m.get("id_number")
        relative_id = m.get("relative_id") or (m.get("id_number") if "cadre_id" in m else None)
        own_name = m.get("cadre_name") or m.get("name")
        relative_name = m.get("relative_name") or (m.get("name") if "cadre_name" in m else None)
        out.update(
            id_number=own_id, relative_id=relative_id, name=own_name, relative_name=relative_name
        )
    elif kind == "filings":
        relative_id = m.get("relative_id") or m.get("id_number")
        cadre_id = m.get("cadre_id") or (m.get("id_number") if "relative_id" in m else None)
        relative_name = m.get("relative_name") or m.get("name")
        cadre_name = m.get("cadre_name") or (m.get("name") if "relative_name" in m else None)
        out.update(id_number=relative_id, cadre_id=cadre_id, name=relative_name)
        out["cadre_name"] = cadre_name
    elif kind == "population" and "population" not in m and "household_size" in m:
        out["population"] = m["household_size"]
    return {k: v for k, v in out.items() if v is not None}


def _require(kind: str, sources: Mapping[str, Column], header, where: str) -> None:
    found = ", ".join(c.header for c in header.columns if c.header)[:200]
    if kind == "population":
        missing = [f for f in ("village", "population") if f not in sources]
        if missing:
            raise MappingError(
                f"{where}: the population list has no {' or '.join(missing)} column; found {found}",
                "name its columns 村 (the village) and 户籍人口 (its population)",
            )
        return
    if "id_number" in sources or (kind == "cadres" and "relative_id" in sources):
        return
    raise MappingError(
        f"{where}: the {kind} list has no ID-number column; found {found}",
        f"lists are matched on ID numbers: name the column 身份证号 (the list needs "
        f"{_WHAT_TO_DO[kind]})",
    )


def _frame(
    kind: str,
    data: pd.DataFrame,
    sources: Mapping[str, Column],
    file: str,
    sheet: str,
    numeric: NumericProbe | None,
) -> pd.DataFrame:
    index = data.index
    out: dict[str, pd.Series | object] = {
        "list_file": pd.Series(file, index=index, dtype="string"),
        "list_sheet": pd.Series(sheet, index=index, dtype="string"),
        "list_row": pd.Series(index.to_numpy(dtype="int64"), index=index, dtype="Int64"),
    }
    id_fields = [f for f in _ID_FIELDS if f == "id_number" or f in KIND_FIELDS[kind]]
    for name in id_fields:
        status = "id_status" if name == "id_number" else f"{name}_status"
        column = sources.get(name)
        if column is None:
            out[name] = pd.Series(pd.NA, index=index, dtype="string")
            out[status] = pd.Series(pd.NA, index=index, dtype="string")
            if name == "id_number":
                out["id_original"] = out[name]
            continue
        ids = _ids(data[column.index], numeric, column.index)
        out[name] = ids["id_number"]
        out[status] = ids["id_status"]
        if name == "id_number":
            out["id_original"] = ids["id_original"]
    for name in KIND_FIELDS[kind]:
        column = sources.get(name)
        if name in id_fields or (column is None and name in out):
            continue  # an ID, or a type already read from the 残疾等级 cell (肢体二级)
        raw = data[column.index] if column is not None else pd.Series(pd.NA, index=index)
        out.update(_parse(name, raw.astype("string"), present=column is not None))
    frame = pd.DataFrame(out, index=index)
    return frame.reset_index(drop=True)


def _ids(raw: pd.Series, numeric: NumericProbe | None, column: int) -> pd.DataFrame:
    """18-digit IDs and their status, number cells told apart as the roster loader does."""
    ids = parse_ids(raw)
    if ids["id_numeric"].any():
        if numeric is not None:
            mask = numeric([column])[column].reindex(raw.index, fill_value=False)
            ids = parse_ids(raw, numeric=mask, numeric_known=True)
        else:  # CSV: a number-looking text ID with a right check character is text
            right = check_ids(ids["id_number"])["id_status"].astype("string").eq("valid")
            ids["id_numeric"] = ids["id_numeric"] & ~right.fillna(False).to_numpy(dtype=bool)
    status = check_ids(ids["id_number"], numeric=ids["id_numeric"])["id_status"]
    return pd.DataFrame(
        {
            "id_number": ids["id_number"].astype("string"),
            "id_original": ids["id_original"].astype("string"),
            "id_status": status.astype("string"),
        },
        index=raw.index,
    )


def _kind_of(name: str) -> str:
    if name in FIELD_BY_NAME:
        return FIELD_BY_NAME[name].kind
    return LIST_FIELD_BY_NAME[name].kind


def _parse(name: str, raw: pd.Series, *, present: bool) -> dict[str, pd.Series]:
    """One list column parsed by its field's kind (relations stay text, with a role)."""
    kind = _kind_of(name)
    if kind == "date":
        return {name: pd.to_datetime(parse_dates(raw).values)}
    if kind == "money":
        return {name: parse_money(raw).values.astype("float64")}
    if kind == "count":
        return {name: parse_count(raw).values.astype("Float64").astype("float64")}
    if kind == "number":
        return {name: parse_number(raw).values.astype("float64")}
    if kind == "disability":
        parsed = parse_disability(raw)
        return {name: parsed["grade"], "disability_type": parsed["type"]}
    if kind == "disability_type":
        return {name: parse_disability_type(raw).values}
    if kind == "relation":
        out = {name: clean_text(raw, squeeze_spaces=True)}
        if present:
            out["role"] = parse_relation(raw).values.astype("string")
        else:
            out["role"] = pd.Series(pd.NA, index=raw.index, dtype="string")
        return out
    return {name: clean_text(raw, squeeze_spaces=kind in ("name", "id"))}


# --- the command line's --against ------------------------------------------------------


def parse_against(values: Iterable[str]) -> list[tuple[str, Path]]:
    """``["deaths=死亡.xlsx"]`` -> ``[("deaths", Path("死亡.xlsx"))]``, or UsageError."""
    specs: list[tuple[str, Path]] = []
    for value in values:
        kind, sep, file = value.partition("=")
        kind, file = kind.strip().lower(), file.strip()
        if not sep or not kind or not file:
            raise UsageError(
                f"--against {value!r} is not KIND=FILE",
                f"e.g. --against deaths=死亡名单.xlsx; kinds: {', '.join(KINDS)}",
            )
        if kind not in KINDS:
            near = difflib.get_close_matches(kind, KINDS, n=1, cutoff=0.6)
            hint = f"did you mean '{near[0]}'? " if near else ""
            raise UsageError(
                f"--against {value!r}: unknown list kind {kind!r}",
                hint + f"the kinds are: {', '.join(KINDS)}",
            )
        specs.append((kind, Path(file)))
    return specs


def load_against(values: Iterable[str]) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    """Parse ``--against`` values and load every list: the frames by kind (several
    files of one kind concatenated; a folder stands for the spreadsheets in it) and
    one manifest record per file: kind, path, sha256 and rows."""
    specs = parse_against(values)
    frames: dict[str, list[pd.DataFrame]] = {}
    records: list[dict] = []
    seen: set[tuple[str, Path]] = set()
    for kind, path in specs:
        files = find_inputs([path]) if path.is_dir() else [path]
        if not files:
            raise LoadError(
                f"{path}: no spreadsheet files found for --against {kind}",
                "give .xlsx .xlsm .xls .xlsb .ods or .csv files, or a folder holding them",
            )
        for file in files:
            key = (kind, file.resolve())
            if key in seen:
                continue
            seen.add(key)
            frame, sha256 = _load(kind, file)
            frames.setdefault(kind, []).append(frame)
            records.append({"kind": kind, "path": str(file), "sha256": sha256, "rows": len(frame)})
    against = {
        kind: parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
        for kind, parts in frames.items()
    }
    return against, records


__all__ = [
    "KINDS",
    "KIND_FIELDS",
    "LIST_ALIASES",
    "LIST_FIELDS",
    "MATCHABLE",
    "load_against",
    "load_list",
    "parse_against",
]
