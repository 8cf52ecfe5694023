"""From the model to sheet rows: layouts, styles, quirks, totals, locations.

A file gets its own style (how its clerk writes dates, yes/no, grades, zero
amounts, relations) and its own random stream, so files are independent and a
run is reproducible. Values are formatted a column at a time over chunks of
rows (look-up tables for dates and words); only the final write is per cell.
Each sheet reports where every household and member landed, which is what
turns planted problems into exact answer-key cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from civaudit.generator import data
from civaudit.generator.columns import LIST_STYLES, SLOT_STYLES, Col, layout_columns
from civaudit.generator.ids import excel_serial, month_start, ymd
from civaudit.generator.model import (
    CHILD,
    HEAD,
    MODE_SINGLE,
    SPOUSE,
    STATUS_PHASEOUT,
    Model,
    ages,
    group_cumcount,
    relation_text,
)
from civaudit.generator.problems import Override, Plant
from civaudit.generator.spec import EXTENSIONS, RosterSpec
from civaudit.generator.writers import ExcelDate

CHUNK_ROWS = 50_000
MAX_ROWS = 1_048_576
MONTH_STYLES = (
    "xl:yyyy-mm",
    "xl:yyyy年m月",
    "xl:yyyy/m/d",
    "-",
    ".",
    "/",
    "年月",
    "compact",
    "年月日",
)
DATE_STYLES = ("xl:yyyy-mm-dd", "xl:yyyy/m/d", "-", "年月日", "compact", ".")
YESNO_STYLES = (("是", "否"), ("√", "×"), ("Y", "N"), (1, 0))
GRADE_STYLES = ("w", "n", "wc", "roman")
ZERO_STYLES = (0, "—", None)
FULLWIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
ORDINALS = "长次三四五六"


@dataclass
class SheetPlan:
    name: str
    villages: list[int]
    households: np.ndarray
    title: str
    note: str
    last: bool = True  # False for the months before the last of a monthly workbook


@dataclass
class FilePlan:
    path: str
    spec: RosterSpec
    sheets: list[SheetPlan]
    part: str = ""  # an export pair's "household" or "person" file


# The information system writes its exports plainly: the header on row 1, its own
# header names, no totals, no footers.
EXPORT_OPTIONS = {
    "title_rows": False,
    "two_row_header": False,
    "subtotals": False,
    "totals": False,
    "footers": False,
    "blank_rows": 0.0,
    "trailing_columns": 0,
    "repeat_household": False,
    "hidden_sheet": False,
    "headers": "canonical",
}
HOUSEHOLD_QUERY, PERSON_QUERY = "农村低保家庭查询", "农村低保人员查询"


def person_path(path: str) -> str:
    """The person file that goes with an export's household file."""
    if HOUSEHOLD_QUERY in path:
        return path.replace(HOUSEHOLD_QUERY, PERSON_QUERY)
    stem, dot, ext = path.rpartition(".")
    return f"{stem}_人员{dot}{ext}" if dot else f"{path}_人员"


@dataclass
class SheetLoc:
    """Where things landed in one sheet (0-based rows and columns)."""

    file: str
    sheet: str
    columns: dict[str, int]
    totals: list[dict] = field(default_factory=list)  # planted totals problems
    # a wide ledger: field -> {member number: column} (0: the head's columns)
    slots: dict[str, dict[int, int]] = field(default_factory=dict)


@dataclass
class FileStyle:
    """One clerk's habits: how this file writes dates, yes/no, grades..."""

    quirks: float
    month: str = "xl:yyyy-mm"
    date: str = "xl:yyyy-mm-dd"
    yesno: int = 0
    grade: str = "w"
    relation_variant: bool = False
    zero: int = 0
    group_text: bool = True
    headers: str = "canonical"
    header_names: dict = field(default_factory=dict)
    slot_style: int = 0  # a wide ledger's member numbering (columns.slot_columns)
    list_style: int = 0  # a member list's shape (columns.LIST_STYLES)

    @classmethod
    def draw(cls, rng: np.random.Generator, spec: RosterSpec) -> FileStyle:
        s = cls(quirks=spec.quirks, headers=spec.headers)
        if spec.quirks > 0:
            s.month = str(rng.choice(MONTH_STYLES))
            s.date = str(rng.choice(DATE_STYLES))
            s.yesno = int(rng.integers(0, len(YESNO_STYLES)))
            s.grade = str(rng.choice(GRADE_STYLES))
            s.relation_variant = bool(rng.random() < 0.5)
            s.zero = int(rng.integers(0, len(ZERO_STYLES)))
            s.group_text = bool(rng.random() < 0.7)
        if spec.layout == "wide":  # drawn last, so the other layouts' files stay the same
            s.slot_style = int(rng.integers(0, SLOT_STYLES))
        if spec.layout == "list":
            s.list_style = int(rng.integers(0, LIST_STYLES))
        return s

    def header(self, rng: np.random.Generator, col: Col) -> str:
        key = (col.field, col.names)
        name = self.header_names.get(key)
        if name is None:
            name = col.names[0]
            if self.headers == "varied":
                name = col.names[int(rng.integers(0, len(col.names)))]
                if self.quirks > 0 and rng.random() < 0.3:
                    name = _header_cosmetic(rng, name)
            self.header_names[key] = name
        return name


def _header_cosmetic(rng: np.random.Generator, name: str) -> str:
    """Line breaks before units, spaces in short names, other brackets."""
    if "（" in name:
        return name.replace("（", "\n（", 1)
    if "(" in name:
        return name.replace("(", "（").replace(")", "）")
    if len(name) <= 3:
        return "  ".join(name) if rng.random() < 0.5 else " ".join(name)
    return name + " "


# ---------------------------------------------------------------- planning


def plan_files(model: Model) -> list[FilePlan]:
    """Which villages go to which file and sheet, with titles."""
    spec = model.spec
    places = model.places
    groups: list[tuple[str, RosterSpec, list[int]]] = []
    year, month = divmod(spec.as_of_month, 12)
    stamp = f"{year}年{month + 1}月"
    county = model.county_name
    if spec.files:
        seen: set[int] = set()
        for f in spec.files:
            vs = [int(v) for v in f.villages]
            if not vs or not all(0 <= v < len(places) for v in vs):
                raise ValueError(f"{f.path}: villages must be indices 0..{len(places) - 1}")
            if seen & set(vs):
                raise ValueError(f"{f.path}: village {sorted(seen & set(vs))} is in two files")
            seen |= set(vs)
            groups.append((f.path, spec.with_options(f.options), vs))
    else:
        ext = EXTENSIONS[spec.fmt]
        compact = f"{year}{month + 1:02d}"

        def name(folder: str, where: str, village: bool = False) -> str:
            if spec.layout == "export":
                return f"{folder}/{HOUSEHOLD_QUERY}_{where}{compact}.{ext}"
            if village:
                return f"{folder}/{where}低保花名册.{ext}"
            return f"{folder}/{where}{stamp}农村低保花名册.{ext}"

        if spec.split == "county":
            groups.append((name(county, county), spec, list(places.index)))
        elif spec.split == "town":
            for _, sub in places.groupby("town_index", sort=True):
                town = sub["town"].iloc[0]
                groups.append((name(f"{county}/{town}", town), spec, list(sub.index)))
        else:
            for v, row in places.iterrows():
                groups.append(
                    (name(f"{county}/{row.town}", row.village, village=True), spec, [int(v)])
                )

    hh_village = model.hh["village"]
    starts = np.searchsorted(hh_village, np.arange(len(places)))
    ends = np.searchsorted(hh_village, np.arange(len(places)), side="right")

    def households(villages):
        return np.concatenate([np.arange(starts[v], ends[v]) for v in sorted(villages)])

    plans: list[FilePlan] = []
    for path, fspec, villages in groups:
        if fspec.layout == "export":
            fspec = fspec.with_options(EXPORT_OPTIONS)
            for part, where in (("household", path), ("person", person_path(path))):
                plans += _file_plans(model, where, fspec, villages, stamp, part)
        else:
            plans += _file_plans(model, path, fspec, villages, stamp, "")
    for plan in plans:
        for sheet in plan.sheets:
            sheet.households = households(sheet.villages)
    return plans


def _file_plans(
    model: Model, path: str, fspec: RosterSpec, villages: list[int], stamp: str, part: str
) -> list[FilePlan]:
    places = model.places
    year, month = divmod(fspec.as_of_month, 12)
    per_village = fspec.sheet_per_village and len(villages) > 1
    if per_village and fspec.fmt.startswith("csv"):
        # a CSV holds one sheet: one file per village
        stem, _, ext = path.rpartition(".")
        return [
            FilePlan(
                f"{stem}_{places.loc[v, 'village']}.{ext}",
                fspec,
                [_sheet(model, [v], places.loc[v, "village"], stamp)],
                part,
            )
            for v in sorted(villages)
        ]
    if fspec.months > 1:
        return [FilePlan(path, fspec, _month_sheets(model, fspec, villages, path), part)]
    if per_village:
        sheets = [_sheet(model, [v], places.loc[v, "village"], stamp) for v in sorted(villages)]
    else:
        sheets = [_sheet(model, villages, f"{year}年{month + 1}月", stamp)]
    return [FilePlan(path, fspec, sheets, part)]


MONTH_SHEET_STYLES = 4
_CN_MONTHS = "一二三四五六七八九十"


def _month_sheets(model: Model, fspec: RosterSpec, villages: list[int], path: str):
    """A monthly workbook: one sheet per month, the last being ``as_of``, named in one
    style per file (1月, 2019年1月, 201901, 一月份)."""
    rng = np.random.default_rng([fspec.seed, 3, sum(map(ord, path))])
    named = int(rng.integers(0, MONTH_SHEET_STYLES))
    sheets = []
    for index in range(fspec.as_of_month - fspec.months + 1, fspec.as_of_month + 1):
        year, month = divmod(index, 12)
        month += 1
        cn = _CN_MONTHS[month - 1] if month <= 10 else "十" + _CN_MONTHS[month - 11]
        name = (f"{month}月", f"{year}年{month}月", f"{year}{month:02d}", f"{cn}月份")[named]
        sheet = _sheet(model, villages, name, f"{year}年{month}月")
        sheet.last = index == fspec.as_of_month
        sheets.append(sheet)
    return sheets


def _sheet(model: Model, villages: list[int], name: str, stamp: str) -> SheetPlan:
    places = model.places.loc[sorted(villages)]
    county = model.county_name
    towns = list(dict.fromkeys(places["town"]))
    if len(villages) == 1:
        where = f"{county}{towns[0]}{places['village'].iloc[0]}"
        unit = f"{towns[0]}人民政府"
    elif len(towns) == 1:
        where, unit = f"{county}{towns[0]}", f"{towns[0]}人民政府"
    else:
        where, unit = county, f"{county}民政局"
    return SheetPlan(
        name=name,
        villages=sorted(villages),
        households=np.empty(0, dtype=np.int64),
        title=f"{where}{stamp}农村低保对象花名册",
        note=f"填报单位：{unit}    单位：元",
    )


# ---------------------------------------------------------------- values


class Values:
    """Raw model values of a field for given rows, and their written form."""

    def __init__(self, model: Model):
        self.m = model
        hh, mem = model.hh, model.mem
        self.town = model.places["town"].to_numpy().astype(object)
        self.village = model.places["village"].to_numpy().astype(object)
        self.types = np.array([*data.DISABILITY_TYPES, ""], dtype=object)
        self.work = np.array(data.WORK_ABILITY, dtype=object)
        is_son = (mem["rel"] == CHILD) & mem["male"]
        is_daughter = (mem["rel"] == CHILD) & ~mem["male"]
        self.ordinal = np.where(
            is_son,
            group_cumcount(is_son, mem["hh"], hh["first"]),
            np.where(is_daughter, group_cumcount(is_daughter, mem["hh"], hh["first"]), 0),
        )

    def raw(self, fld: str, rm: np.ndarray, rh: np.ndarray):
        hh, mem, spec = self.m.hh, self.m.mem, self.m.spec
        if fld == "county":
            return np.full(len(rh), self.m.county_name, dtype=object)
        if fld == "town":
            return self.town[hh["village"][rh]]
        if fld == "village":
            return self.village[hh["village"][rh]]
        if fld == "group":
            return hh["group"][rh]
        if fld == "head_name":
            return mem["name"][hh["first"][rh]]
        if fld == "head_id":
            return mem["id"][hh["first"][rh]]
        if fld == "cert_no":
            return hh["cert"][rh]
        simple_h = {
            "household_size": "size",
            "covered_count": "covered",
            "key_covered_count": "key_count",
            "disabled_count": "disabled_count",
            "gross_income_year": "gross",
            "medical_expense": "medical",
            "education_expense": "education",
            "care_expense": "care",
            "per_capita_income_month": "pc_month",
            "benefit_month": "benefit",
            "total_month": "benefit",
            "start_month": "start_month",
            "phaseout_start": "phaseout_start",
            "bank_name": "bank",
            "bank_account": "account",
            "address": "address",
            "phone": "phone",
        }
        if fld in simple_h:
            return hh[simple_h[fld]][rh]
        if fld == "per_capita_income_year":  # 家庭年均收入: per capita, despite its name
            return np.round(hh["pc_month"][rh] * 12, 2)
        if fld == "addon_month":
            return np.zeros(len(rh))
        if fld == "category":
            return hh["scheme"][hh["category_level"][rh]]
        if fld == "coverage_mode":
            return np.where(hh["mode"][rh] == MODE_SINGLE, "单人", "整户").astype(object)
        if fld == "status":
            return np.where(hh["status"][rh] == STATUS_PHASEOUT, "渐退", "正常").astype(object)
        if fld == "registered_poor":
            return hh["registered"][rh].astype(np.int64)
        if fld == "poverty_exited":
            return np.where(hh["registered"][rh], hh["exited"][rh].astype(np.int64), -1)
        if fld == "name":
            return mem["name"][rm]
        if fld == "relation":
            return (mem["rel"][rm], mem["male"][rm], self.ordinal[rm])
        if fld == "id_number":
            return mem["id"][rm]
        if fld == "sex":
            return np.where(mem["male"][rm], "男", "女").astype(object)
        if fld == "birth_date":
            return mem["birth"][rm]
        if fld == "age":
            return ages(mem["birth"][rm], spec.as_of_month)
        if fld == "disability_grade":
            return (mem["grade"][rm], mem["dtype"][rm])
        if fld == "disability_type":
            return self.types[mem["dtype"][rm]]
        if fld == "illness":
            return mem["illness"][rm]
        if fld == "work_ability":
            return self.work[mem["work"][rm]]
        if fld == "income_year":
            return mem["income"][rm]
        if fld == "is_covered":
            return mem["covered"][rm].astype(np.int64)
        raise KeyError(fld)


def fmt_values(
    kind: str, raw, style: FileStyle, rng: np.random.Generator, quirk: bool
) -> np.ndarray:
    """Written cell values (object array) for raw values of one column kind."""
    n = len(raw[0]) if isinstance(raw, tuple) else len(raw)
    q = rng.random(n) < style.quirks if (quirk and style.quirks > 0) else None
    if q is not None and not q.any():
        q = None
    if kind == "text":
        out = np.asarray(raw, dtype=object).copy()
        out[out == ""] = None
        return out
    if kind in ("int", "seq"):
        return objects(np.asarray(raw).tolist())
    if kind == "group":
        g = np.asarray(raw)
        if style.group_text:
            return np.char.add(g.astype(str), "组").astype(object)
        return objects(g.tolist())
    if kind == "account":
        return np.asarray(raw, dtype=object).copy()
    if kind == "id":
        out = np.asarray(raw, dtype=object).copy()
        if q is not None:
            for i in np.flatnonzero(q):
                out[i] = _id_quirk(rng, out[i])
        return out
    if kind == "money":
        return _money(np.asarray(raw, dtype=np.float64), style, rng, q)
    if kind == "month":
        return _months(np.asarray(raw, dtype=np.int64), style, rng, q)
    if kind == "date":
        return _dates(np.asarray(raw, dtype="datetime64[D]"), style, rng, q)
    if kind == "yesno":
        return _yesno(np.asarray(raw, dtype=np.int64), style, rng, q)
    if kind == "grade":
        return _grades(raw, style, rng, q)
    if kind == "relation":
        return _relations(raw, style, rng, q)
    raise KeyError(kind)


def objects(items: list) -> np.ndarray:
    """A 1-D object array holding the Python values themselves."""
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def _id_quirk(rng: np.random.Generator, s: str) -> str:
    kinds = ["edge", "inner", "tab", "apostrophe", "zero-width", "fullwidth"]
    if s.endswith("X"):
        kinds.append("lower-x")
    k = kinds[int(rng.integers(0, len(kinds)))]
    if k == "edge":
        return " " + s + " "
    if k == "inner":
        return f"{s[:6]} {s[6:14]} {s[14:]}"
    if k == "tab":
        return s + "\t"
    if k == "apostrophe":
        return "'" + s
    if k == "zero-width":
        return "\u200b" + s if rng.random() < 0.5 else s + "\u200b"
    if k == "fullwidth":
        return s.translate(FULLWIDTH)
    return s[:-1] + "x"


def _number(v: float):
    return int(v) if v == int(v) else v


def _money(x: np.ndarray, style: FileStyle, rng, q) -> np.ndarray:
    integral = np.all(x == np.round(x))
    out = objects((x.astype(np.int64) if integral else x).tolist())
    zero = x == 0
    if zero.any():
        out[zero] = ZERO_STYLES[style.zero]
    if q is not None:
        for i in np.flatnonzero(q):
            v = float(x[i])
            k = int(rng.integers(0, 3))
            if v == 0:
                out[i] = ["—", None, 0][k]
            elif k == 0:
                text = f"{v:,.2f}".rstrip("0").rstrip(".")
                out[i] = text + "元"
            elif k == 1:
                out[i] = f"{_number(v)}".translate(FULLWIDTH)
            else:
                out[i] = f"{v:,.2f}".rstrip("0").rstrip(".")
    return out


def _month_value(m: int, st: str):
    y, mo = divmod(int(m), 12)
    mo += 1
    if st.startswith("xl:"):
        serial = int(excel_serial(month_start(np.array([m])))[0])
        return ExcelDate(serial, st[3:])
    return {
        "-": f"{y}-{mo:02d}",
        ".": f"{y}.{mo:02d}",
        "/": f"{y}/{mo}",
        "年月": f"{y}年{mo}月",
        "compact": f"{y}{mo:02d}",
        "年月日": f"{y}年{mo}月1日",
        "num": float(f"{y}.{mo}"),
    }[st]


def _months(m: np.ndarray, style: FileStyle, rng, q) -> np.ndarray:
    out = np.full(len(m), None, dtype=object)
    valid = m >= 0
    if valid.any():
        uniq, inv = np.unique(m[valid], return_inverse=True)
        lut = objects([_month_value(u, style.month) for u in uniq])
        out[valid] = lut[inv]
    if q is not None:
        for i in np.flatnonzero(q & valid):
            mo = int(m[i]) % 12 + 1
            choices = [s for s in (*MONTH_STYLES, "num") if s != style.month]
            if mo in (1, 10):  # a number 2019.1 would be ambiguous: that is a problem
                choices.remove("num")
            out[i] = _month_value(int(m[i]), str(rng.choice(choices)))
    return out


def _date_value(d: np.datetime64, st: str):
    y, mo, dd = (int(a[0]) for a in ymd(np.array([d])))
    if st.startswith("xl:"):
        return ExcelDate(int(excel_serial(np.array([d]))[0]), st[3:])
    return {
        "-": f"{y}-{mo:02d}-{dd:02d}",
        "年月日": f"{y}年{mo}月{dd}日",
        "compact": f"{y}{mo:02d}{dd:02d}",
        ".": f"{y}.{mo:02d}.{dd:02d}",
    }[st]


def _dates(d: np.ndarray, style: FileStyle, rng, q) -> np.ndarray:
    uniq, inv = np.unique(d, return_inverse=True)
    if style.date.startswith("xl:"):
        serial = excel_serial(uniq).tolist()
        fmt = style.date[3:]
        lut = objects([ExcelDate(s, fmt) for s in serial])
    else:
        y, mo, dd = ymd(uniq)
        text = {
            "-": lambda a, b, c: f"{a}-{b:02d}-{c:02d}",
            "年月日": lambda a, b, c: f"{a}年{b}月{c}日",
            "compact": lambda a, b, c: f"{a}{b:02d}{c:02d}",
            ".": lambda a, b, c: f"{a}.{b:02d}.{c:02d}",
        }[style.date]
        lut = objects(
            [text(a, b, c) for a, b, c in zip(y.tolist(), mo.tolist(), dd.tolist(), strict=True)]
        )
    out = lut[inv]
    if q is not None:
        for i in np.flatnonzero(q):
            choices = [s for s in DATE_STYLES if s != style.date]
            out[i] = _date_value(d[i], str(rng.choice(choices)))
    return out


def _yesno(v: np.ndarray, style: FileStyle, rng, q) -> np.ndarray:
    yes, no = YESNO_STYLES[style.yesno]
    out = np.where(v == 1, yes, no).astype(object) if not isinstance(yes, int) else None
    if out is None:
        out = objects(np.where(v == 1, 1, 0).tolist())
    out[v < 0] = None
    if q is not None:
        for i in np.flatnonzero(q & (v >= 0)):
            yes, no = YESNO_STYLES[int(rng.integers(0, len(YESNO_STYLES)))]
            out[i] = yes if v[i] == 1 else no
    return out


def _grade_text(g: int, t: int, st: str) -> str | None:
    if g <= 0:
        return None
    if st == "w":
        return f"{data.GRADE_WORDS[g - 1]}级"
    if st == "n":
        return f"{g}级"
    if st == "wc":
        return f"{data.GRADE_WORDS[g - 1]}级残疾"
    if st == "roman":
        return f"{data.GRADE_ROMAN[g - 1]}级"
    return f"{data.DISABILITY_TYPES[t]}{data.GRADE_WORDS[g - 1]}级"  # "type": 肢体二级


def _grades(raw, style: FileStyle, rng, q) -> np.ndarray:
    grade, dtype = raw
    lut = np.array([None] + [_grade_text(g, 0, style.grade) for g in (1, 2, 3, 4)], dtype=object)
    out = lut[np.asarray(grade)]
    if q is not None:
        for i in np.flatnonzero(q & (np.asarray(grade) > 0)):
            st = str(rng.choice([*GRADE_STYLES, "type"]))
            out[i] = _grade_text(int(grade[i]), int(dtype[i]), st)
    return out


def _relation_variant(rel: int, male: bool, ordinal: int) -> str:
    if rel == HEAD:
        return "本人"
    if rel == SPOUSE:
        return "夫" if male else "妻"
    if rel == CHILD and ordinal >= 1:
        return ORDINALS[min(ordinal, len(ORDINALS)) - 1] + ("子" if male else "女")
    return relation_text(np.array([rel]), np.array([male]))[0]


def _relations(raw, style: FileStyle, rng, q) -> np.ndarray:
    rel, male, ordinal = raw
    if style.relation_variant:
        triples = zip(rel.tolist(), male.tolist(), ordinal.tolist(), strict=True)
        out = objects([_relation_variant(r, m, o) for r, m, o in triples])
    else:
        out = relation_text(rel, male)
    if q is not None:
        for i in np.flatnonzero(q):
            out[i] = _relation_variant(int(rel[i]), bool(male[i]), int(ordinal[i]))
    return out


# ---------------------------------------------------------------- sheets


def render_sheet(
    model: Model,
    values: Values,
    fplan: FilePlan,
    splan: SheetPlan,
    style: FileStyle,
    writer,
    rng: np.random.Generator,
    overrides: dict[str, dict[int, Override]],
    totals_plants: list[Plant],
    hh_row: np.ndarray,
    mem_row: np.ndarray,
    mem_slot: np.ndarray | None = None,
) -> SheetLoc:
    """Write one sheet; fill ``hh_row``/``mem_row`` with 0-based rows (and, for a wide
    ledger, ``mem_slot`` with each member's number: 0 for the head)."""
    spec = fplan.spec
    hh, mem = model.hh, model.mem
    layout = f"export-{fplan.part}" if fplan.part else spec.layout
    hs = _shown(model, splan.households, fplan.part, splan.last)
    spread = layout in ("wide", "list")
    slot_table = _slot_table(model, hs) if spread else np.zeros((len(hs), 0), dtype=np.int64)
    # a wide ledger numbering its members in parent headers (成员1 over 姓名) has two rows
    two_row = spec.two_row_header or (layout == "wide" and style.slot_style == 5)
    cols = layout_columns(
        layout,
        two_row_header=two_row,
        places=len(splan.villages) > 1,
        slots=slot_table.shape[1],
        style=style.slot_style if layout == "wide" else style.list_style,
    )
    levels = [
        "r"
        if (
            layout == "member"
            and (c.field in ("town", "village", "group") or spec.repeat_household)
            and c.level == "h"
        )
        else c.level
        for c in cols
    ]
    nc, nt = len(cols), spec.trailing_columns
    width = nc + nt
    colmap = {c.field: i for i, c in enumerate(cols) if not c.slot}
    loc = SheetLoc(fplan.path, "" if spec.fmt.startswith("csv") else splan.name, colmap)
    if layout == "wide":  # each member's own columns; the head's are 户主姓名 / 户主身份证号
        for i, c in enumerate(cols):
            loc.slots.setdefault(c.field, {0: colmap.get(c.field, i)})[c.slot] = i
    if layout == "list":  # every member's cells are the list's
        for i, c in enumerate(cols):
            if c.kind == "list":
                colmap.update(dict.fromkeys(("name", "id_number", "relation"), i))
            elif c.kind == "list-names":
                colmap["name"] = i
            elif c.kind == "list-ids":
                colmap["id_number"] = i
    writer.add_sheet(splan.name, [c.width for c in cols] + [4.0] * nt)
    trail = [None] * nt

    # title and header
    r = 0
    if spec.title_rows:
        writer.merge([(0, 0, 0, width - 1)])
        writer.row(0, [splan.title] + [None] * (width - 1), ["title"] * width)
        writer.row(1, [splan.note] + [None] * (width - 1), ["note"] * width)
        r = 2
    names = [style.header(rng, c) for c in cols]
    hstyles = ["header"] * nc + ["tcell"] * nt
    if two_row:
        top, bottom, merges = [], [], []
        i = 0
        while i < nc:
            c = cols[i]
            if c.parent:
                j = i
                while j + 1 < nc and cols[j + 1].parent == c.parent:
                    j += 1
                top += [c.parent] + [None] * (j - i)
                bottom += names[i : j + 1]
                if j > i:
                    merges.append((r, i, r, j))
                i = j + 1
            else:
                top.append(names[i])
                bottom.append(None)
                merges.append((r, i, r + 1, i))
                i += 1
        writer.merge(merges)
        writer.row(r, top + trail, hstyles)
        writer.row(r + 1, bottom + trail, hstyles)
        r += 2
    else:
        writer.row(r, names + trail, hstyles)
        r += 1

    # body plan
    n_h = len(hs)
    one_row = layout in ("household", "export-household", "wide", "list")
    if one_row:
        nrows = np.ones(n_h, dtype=np.int64)
        rm_all = hh["first"][hs]
        row_hpos = np.arange(n_h)
    else:
        present_count = np.bincount(mem["hh"][mem["present"]], minlength=model.n_households)
        nrows = present_count[hs]
        sizes = hh["size"][hs]
        offs = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        rm_all = np.repeat(hh["first"][hs], sizes) + offs
        rm_all = rm_all[mem["present"][rm_all]]
        row_hpos = np.repeat(np.arange(n_h), nrows)
    k = np.arange(n_h)
    last_in_page = ((k + 1) % spec.page_households == 0) | (k == n_h - 1)
    sub_after = last_in_page & spec.subtotals
    blank_after = (rng.random(n_h) < spec.blank_rows) & (k < n_h - 1)
    block = nrows + sub_after + blank_after
    start = r + np.cumsum(block) - block
    body_end = int(start[-1] + block[-1]) if n_h else r
    rank = np.arange(len(rm_all)) - np.repeat(np.cumsum(nrows) - nrows, nrows)
    row_no = start[row_hpos] + rank
    rh_all = hs[row_hpos]
    top = rank == 0
    end_row = body_end + (1 if spec.totals else 0) + (2 if spec.footers else 0)
    if end_row > MAX_ROWS:
        raise ValueError(
            f"{fplan.path}: {end_row} rows do not fit one sheet (Excel's limit is {MAX_ROWS}); "
            "use sheet_per_village or split"
        )
    if fplan.part != "person":
        hh_row[hs] = start
    if fplan.part != "household":
        mem_row[rm_all] = row_no
    if layout == "household":
        # the head's person-level cells sit on the household row
        mem_row[rm_all] = start
    if spread:  # every member's cells sit on the household row
        listed = slot_table >= 0
        mem_row[slot_table[listed]] = np.repeat(start, listed.sum(axis=1))
        mem_row[rm_all] = start
        if mem_slot is not None:
            mem_slot[slot_table[listed]] = np.nonzero(listed)[1] + 1
            mem_slot[rm_all] = 0

    # totals
    total_cols = [
        i for i, c in enumerate(cols) if c.total and not (levels[i] == "r" and c.level == "h")
    ]
    page_of_row = (np.arange(n_h) // spec.page_households)[row_hpos]
    n_pages = int(page_of_row.max()) + 1 if n_h else 0
    shown = {
        i: (top if levels[i] in ("h",) else np.ones(len(rm_all), dtype=bool)) for i in total_cols
    }
    page_sums = {}
    grand = {}
    for i in total_cols:
        v = np.asarray(values.raw(cols[i].field, rm_all, rh_all), dtype=np.float64)
        v = np.where(shown[i], v, 0.0)
        page_sums[i] = np.bincount(page_of_row, weights=v, minlength=n_pages)
        grand[i] = float(v.sum())
    specials: list[tuple[int, list, list]] = []
    if spec.subtotals:
        for p, hpos in enumerate(np.flatnonzero(sub_after)):
            rr = int(start[hpos] + nrows[hpos])
            vals = [None] * width
            vals[0] = "本页小计"
            for i in total_cols:
                vals[i] = _number(round(page_sums[i][p], 2))
            specials.append((rr, vals, ["total"] * nc + ["tcell"] * nt))
    if spec.totals:
        vals = [None] * width
        vals[0] = "合计"
        for i in total_cols:
            vals[i] = _number(round(grand[i], 2))
        specials.append((body_end, vals, ["total"] * nc + ["tcell"] * nt))
    _plant_totals(rng, loc, specials, total_cols, cols, names, totals_plants)

    # merges (block layout: household cells over the member rows)
    hcols = [i for i in range(nc) if levels[i] == "h"]
    if layout == "block":
        multi = np.flatnonzero(nrows >= 2)
        writer.merge(
            [
                (int(start[h]), c, int(start[h] + nrows[h] - 1), c)
                for h in multi.tolist()
                for c in hcols
            ]
        )
        row_multi = (nrows >= 2)[row_hpos]
    else:
        row_multi = np.zeros(len(rm_all), dtype=bool)
    styles_plain = ["cell"] * nc + ["tcell"] * nt
    styles_merged = ["mcell" if levels[i] == "h" else "cell" for i in range(nc)] + ["tcell"] * nt

    # body, chunk by chunk
    seq_h = np.arange(1, n_h + 1)[row_hpos]
    seq_m = np.arange(1, len(rm_all) + 1)
    sp = 0
    specials.sort(key=lambda s: s[0])
    for a in range(0, len(rm_all), CHUNK_ROWS):
        b = min(a + CHUNK_ROWS, len(rm_all))
        rm, rh, tp = rm_all[a:b], rh_all[a:b], top[a:b]
        arrays = []
        for i, c in enumerate(cols):
            if c.field == "seq":
                seq = seq_m[a:b] if c.level == "m" else seq_h[a:b]
                vals = fmt_values("int", seq, style, rng, False)
                if c.level == "h":
                    vals[~tp] = None
                arrays.append(vals)
                continue
            if c.slot:  # a wide ledger's numbered member (None where the household has none)
                who = slot_table[a:b, c.slot - 1]
                vals = _column(values, c, "m", np.maximum(who, 0), rh, tp, style, rng, overrides)
                vals[who < 0] = None
                arrays.append(vals)
                continue
            if c.kind.startswith("list"):
                lines = style.list_style == 1
                arrays.append(_member_lists(values, c.kind, slot_table[a:b], rm, overrides, lines))
                continue
            arrays.append(_column(values, c, levels[i], rm, rh, tp, style, rng, overrides))
        if spec.masked:
            _mask(arrays, cols, spec.masked)
        arrays += [np.full(b - a, None, dtype=object)] * nt
        rows = zip(*arrays, strict=True)
        rn = row_no[a:b].tolist()
        mm = row_multi[a:b].tolist()
        for j, vals in enumerate(rows):
            rr = rn[j]
            while sp < len(specials) and specials[sp][0] < rr:
                writer.row(*specials[sp])
                sp += 1
            writer.row(rr, vals, styles_merged if mm[j] else styles_plain)
    while sp < len(specials):
        writer.row(*specials[sp])
        sp += 1

    if spec.footers:
        fr = body_end + (1 if spec.totals else 0) + 1
        vals = [None] * width
        year, month = divmod(spec.as_of_month, 12)
        last = (np.datetime64(f"{year:04d}-{month + 1:02d}", "M") + 1).astype("datetime64[D]") - 1
        _, _, day = ymd(np.array([last]))
        names_ = data.CADRE_NAMES
        vals[0] = f"制表人：{names_[int(rng.integers(0, len(names_)))]}"
        vals[max(1, nc // 3)] = f"审核人：{names_[int(rng.integers(0, len(names_)))]}"
        vals[max(2, 2 * nc // 3)] = f"填报日期：{year}年{month + 1}月{int(day[0])}日"
        writer.row(fr, vals, ["note"] * width)
    return loc


def _shown(model: Model, households: np.ndarray, part: str, last: bool = True) -> np.ndarray:
    """The households a sheet writes: an export pair leaves out the ones planted as
    missing from one of its two files (``Model.gaps``); a monthly workbook the one added
    in the last month from the months before, and the one removed from the last."""
    if model.changes:
        gone = [
            h for h, change in model.changes.items() if change == ("removed" if last else "added")
        ]
        households = households[~np.isin(households, gone)]
    if not part or not model.gaps:
        return households
    skip = "no-household-row" if part == "household" else "no-member-rows"
    gone = [h for h, gap in model.gaps.items() if gap == skip]
    return households[~np.isin(households, gone)]


def _column(values: Values, c: Col, level: str, rm, rh, top, style, rng, overrides) -> np.ndarray:
    n = len(rm)
    if level == "h":
        idx = np.flatnonzero(top)
        out = np.full(n, None, dtype=object)
        out[idx] = fmt_values(c.kind, values.raw(c.field, rm[idx], rh[idx]), style, rng, True)
        ent, rows = rh[idx], idx
    else:
        out = fmt_values(c.kind, values.raw(c.field, rm, rh), style, rng, True)
        ent, rows = (rm if level == "m" else rh), np.arange(n)
        if level == "r":
            # a household cell repeated on every member row: a planted value goes on all
            # of them (the key cell is the head's), and a "repeat:" one on one member's
            _overrides(values, c, out, rh, np.arange(n), rm, rh, style, rng, overrides.get(c.field))
            ent, rows = rm, np.arange(n)
            overrides = {c.field: overrides.get("repeat:" + c.field, {})}
    _overrides(values, c, out, ent, rows, rm, rh, style, rng, overrides.get(c.field))
    return out


def _overrides(values: Values, c: Col, out, ent, rows, rm, rh, style, rng, ov) -> None:
    """Write the planted cells ``ov`` (entity -> Override) where ``ent`` names one."""
    if ov and ent is not None:
        keys = np.fromiter(ov.keys(), dtype=np.int64)
        hit = np.flatnonzero(np.isin(ent, keys))
        for j in hit.tolist():
            o = ov[int(ent[j])]
            r = rows[j]
            if o.raw:
                out[r] = o.value
            elif o.value is None:
                one = values.raw(c.field, rm[r : r + 1], rh[r : r + 1])
                out[r] = fmt_values(c.kind, one, style, rng, False)[0]
            else:
                out[r] = fmt_values(c.kind, np.array([o.value]), style, rng, False)[0]


def _slot_table(model: Model, hs: np.ndarray) -> np.ndarray:
    """Per household row, its listed members after the head (member indexes, -1 past
    the last): a wide ledger's numbered members, a member list's entries after the
    first."""
    hh, mem = model.hh, model.mem
    sizes = hh["size"][hs]
    if not len(hs):
        return np.zeros((0, 0), dtype=np.int64)
    offs = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    members = np.repeat(hh["first"][hs], sizes) + offs
    where = np.repeat(np.arange(len(hs)), sizes)
    keep = mem["present"][members] & (offs > 0)
    members, where = members[keep], where[keep]
    rank = np.arange(len(members)) - np.searchsorted(where, where)
    width = int(rank.max()) + 1 if len(rank) else 0
    table = np.full((len(hs), width), -1, dtype=np.int64)
    table[where, rank] = members
    return table


def _member_lists(
    values: Values, kind: str, slots: np.ndarray, heads: np.ndarray, overrides, lines: bool
) -> np.ndarray:
    """Each household row's member list text: 张三（130723…）、李四（…） (list style 0),
    one line per member 张三 户主 130723… (1), or the names or the IDs alone (2)."""
    people = np.concatenate([heads[:, None], slots], axis=1)
    flat = people[people >= 0]
    names = values.raw("name", flat, flat)
    ids = np.asarray(values.raw("id_number", flat, flat), dtype=object).copy()
    planted = overrides.get("id_number", {})
    for j, m in enumerate(flat.tolist()):
        o = planted.get(m)
        if o is not None and o.value is not None:
            ids[j] = str(o.value)
    rel, male, ordinal = values.raw("relation", flat, flat)
    relation = _relations((rel, male, ordinal), FileStyle(quirks=0), None, None)
    planted = overrides.get("relation", {})
    for j, m in enumerate(flat.tolist()):
        if m in planted and planted[m].value is not None:
            relation[j] = planted[m].value
    if kind == "list" and lines:
        text = [f"{n} {r} {i}" for n, r, i in zip(names, relation, ids, strict=True)]
    elif kind == "list":
        text = [f"{n}（{i}）" for n, i in zip(names, ids, strict=True)]
    elif kind == "list-names":
        text = list(names)
    else:
        text = list(ids)
    joined = "\n" if lines else "、"
    counts = (people >= 0).sum(axis=1)
    out = np.empty(len(people), dtype=object)
    at = 0
    for row, count in enumerate(counts.tolist()):
        parts = text[at : at + count]
        out[row] = joined.join(parts) if parts else None
        at += count
    return out


MASKS = {
    "stars": lambda s: s[:6] + "*" * (len(s) - 10) + s[-4:],
    "year": lambda s: s[:10] + "*" * (len(s) - 14) + s[-4:],
    "x": lambda s: s[:6] + "x" * (len(s) - 10) + s[-4:],
    "dropped": lambda s: s[:6] + "…" + s[-4:],
    "ends": lambda s: s[:1] + "*" * (len(s) - 2) + s[-1:],
}
"""A publicity list's ID masks (``RosterSpec.masked``)."""


def _mask(arrays: list[np.ndarray], cols, how: str) -> None:
    """Mask a publicity list's IDs (and, in the x and ends styles, given names: 张*)."""
    hide = MASKS[how]
    for values, c in zip(arrays, cols, strict=False):
        if c.kind == "id":
            for j, v in enumerate(values.tolist()):
                if isinstance(v, str) and len(v) >= 15:
                    values[j] = hide(v.strip())
        elif c.field == "name" and how in ("x", "ends"):
            for j, v in enumerate(values.tolist()):
                if isinstance(v, str) and len(v) >= 2:
                    values[j] = v[0] + "*" * (len(v) - 1)


def _plant_totals(
    rng, loc: SheetLoc, specials, total_cols, cols, names, plants: list[Plant]
) -> None:
    """Make planted totals cells wrong: the sum written differs from the rows."""
    if not plants or not specials or not total_cols:
        return
    free = [(s, c) for s in range(len(specials)) for c in total_cols]
    for p in plants:
        if not free:
            return  # more planted totals than totals cells: the rest are dropped
        s, c = free.pop(int(rng.integers(0, len(free))))
        rr, vals, _ = specials[s]
        right = vals[c]
        delta = int(rng.integers(1, 4)) if cols[c].kind == "int" else int(rng.integers(1, 50)) * 10
        if right - delta >= 0 and rng.random() < 0.5:
            delta = -delta
        vals[c] = _number(round(right + delta, 2))
        loc.totals.append(
            {
                "plant": p,
                "row": rr,
                "col": c,
                "detail": f"{vals[0]} {' '.join(names[c].split())} {vals[c]}, rows sum to {right}",
            }
        )
