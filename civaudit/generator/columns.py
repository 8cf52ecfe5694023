"""The columns each layout writes, with the header names real rosters use.

Every header name comes from domain.md section 7. A column lists its synonyms
with the canonical one first; ``headers="varied"`` picks one per file.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Col:
    field: str  # model field, override key, canonical roster field
    level: str  # "h": one value per household; "m": per member row; "r": household, on every row
    names: tuple[str, ...]  # header synonyms, canonical first
    kind: str  # how values are written (see render.py)
    total: bool = False  # summed in 本页小计 / 合计 rows
    width: float = 10
    parent: str | None = None  # two-row header: the name above
    slot: int = 0  # a wide ledger's numbered member (1, 2 …); 0 for every other column

    @property
    def name(self) -> str:
        return self.names[0]


def _c(field, level, names, kind, total=False, width=10, parent=None) -> Col:
    return Col(field, level, tuple(names.split("|")), kind, total, width, parent)


SEQ_H = _c("seq", "h", "序号", "int", width=6)
SEQ_M = _c("seq", "m", "序号", "int", width=6)
TOWN = _c("town", "h", "乡镇(街道)", "text", width=10)
VILLAGE = _c("village", "h", "村(社区)", "text", width=10)
GROUP = _c("group", "h", "组", "group", width=5)
HEAD_NAME_R = _c("head_name", "r", "户主姓名", "text", width=8)
HEAD_ID_R = _c("head_id", "r", "户主身份证号", "id", width=21)
HEAD_NAME_H = _c("head_name", "h", "户主姓名", "text", width=8)
CERT = _c("cert_no", "h", "低保证号|低保（特困）证号", "text", width=17)
SIZE = _c("household_size", "h", "家庭人口|家庭人口数|家庭人数|家庭成员数", "int", True, 6)
COVERED = _c("covered_count", "h", "保障人口|保障人数|享受人数", "int", True, 6)
COVERED_2 = _c("covered_count", "h", "保障人口|享受人数", "int", True, 6)
KEY_COUNT = _c("key_covered_count", "h", "重点保障人数", "int", True, 6, "保障人数")
DISABLED_COUNT = _c("disabled_count", "h", "残疾人数", "int", True, 6, "保障人数")
CATEGORY = _c("category", "h", "保障类别|低保类别|救助类别|救助类型", "text", width=8)
MODE = _c("coverage_mode", "h", "施保方式", "text", width=6)
REGISTERED = _c("registered_poor", "h", "是否建档立卡(扶贫对象)", "yesno", width=10)
EXITED = _c("poverty_exited", "h", "是否脱贫", "yesno", width=6)
GROSS = _c(
    "gross_income_year", "h", "家庭年总收入（元）|家庭年收入|家庭年总收入", "money", True, 10
)
MEDICAL = _c("medical_expense", "h", "自付医疗费用|医疗支出", "money", width=9)
EDUCATION = _c("education_expense", "h", "教育支出", "money", width=9)
CARE = _c("care_expense", "h", "残疾康复护理支出", "money", width=9)
PC = _c("per_capita_income_month", "h", "月人均收入|月人均收入（元/月）", "money", width=9)
BENEFIT = _c(
    "benefit_month",
    "h",
    "月保障金|户月保障金额（元）|保障金额|低保金额|月保障金（元/月）",
    "money",
    True,
    9,
)
BENEFIT_2 = _c("benefit_month", "h", "家庭补差", "money", True, 9, "领取金额")
ADDON_2 = _c("addon_month", "h", "重点救助", "money", True, 9, "领取金额")
TOTAL_2 = _c("total_month", "h", "合计（元）", "money", True, 9)
START = _c("start_month", "h", "最初享受月|最初享受月份|起始保障年月|纳入时间", "month", width=10)
STATUS = _c("status", "h", "保障状态", "text", width=8)
PHASEOUT = _c("phaseout_start", "h", "渐退起始月", "month", width=10)
BANK = _c("bank_name", "h", "开户银行", "text", width=18)
ACCOUNT = _c("bank_account", "h", "银行账号|银行帐号|一卡通账号", "account", width=21)
ADDRESS = _c("address", "h", "家庭住址", "text", width=24)
PHONE = _c("phone", "h", "联系电话", "text", width=12)

NAME = _c("name", "m", "姓名", "text", width=8)
RELATION = _c("relation", "m", "与户主关系", "relation", width=8)
ID = _c("id_number", "m", "身份证号|身份证号码|公民身份号码", "id", width=21)
SEX = _c("sex", "m", "性别", "text", width=5)
BIRTH = _c("birth_date", "m", "出生日期", "date", width=11)
AGE = _c("age", "m", "年龄", "int", width=5)
GRADE = _c("disability_grade", "m", "残疾等级", "grade", width=8)
DTYPE = _c("disability_type", "m", "残疾类别", "text", width=8)
ILLNESS = _c("illness", "m", "患病病种", "text", width=10)
WORK = _c("work_ability", "m", "劳动能力", "text", width=12)
INCOME = _c("income_year", "m", "年收入（元）", "money", True, 9)
IS_COVERED = _c("is_covered", "m", "是否保障对象", "yesno", width=8)

# household layout: the head is the one person; its name and ID are member
# fields of the head's row
HH_NAME = _c("name", "m", "户主姓名", "text", width=8)
HH_ID = _c("id_number", "m", "户主身份证号|身份证号", "id", width=21)

MEMBER_COLS = (NAME, RELATION, ID, SEX, BIRTH, AGE, GRADE, DTYPE, ILLNESS, WORK, INCOME, IS_COVERED)


# the information system's export pair: fixed headers, as the system writes them
EXPORT_HOUSEHOLD_COLS = (
    _c("county", "h", "所属区县", "text", width=10),
    _c("town", "h", "所属街道", "text", width=10),
    _c("village", "h", "所属社区", "text", width=10),
    _c("head_name", "h", "户主姓名", "text", width=8),
    _c("head_id", "h", "户主身份证号", "id", width=21),
    _c("cert_no", "h", "低保（特困）证号", "text", width=17),
    _c("household_size", "h", "家庭人口", "int", width=6),
    _c("covered_count", "h", "保障人口", "int", width=6),
    _c("category", "h", "保障类别", "text", width=8),
    _c("coverage_mode", "h", "施保方式", "text", width=6),
    _c("gross_income_year", "h", "家庭年总收入（元）", "money", width=10),
    _c("per_capita_income_year", "h", "家庭年均收入（元）", "money", width=10),
    _c("medical_expense", "h", "自付医疗费用（元）", "money", width=9),
    _c("education_expense", "h", "教育支出（元）", "money", width=9),
    _c("care_expense", "h", "残疾康复护理支出（元）", "money", width=9),
    _c("benefit_month", "h", "户月保障金额（元）", "money", width=9),
    _c("addon_month", "h", "家庭分类施保总额（元）", "money", width=9),
    _c("start_month", "h", "最初享受月", "month", width=10),
    _c("status", "h", "保障状态", "text", width=8),
    _c("phaseout_start", "h", "渐退起始月", "month", width=10),
    _c("poverty_exited", "h", "是否脱贫", "yesno", width=6),
    _c("bank_name", "h", "开户银行", "text", width=18),
    _c("bank_account", "h", "银行帐号", "account", width=21),
    _c("address", "h", "家庭住址", "text", width=24),
    _c("phone", "h", "联系电话", "text", width=12),
)
EXPORT_PERSON_COLS = (
    _c("name", "m", "姓名", "text", width=8),
    _c("id_number", "m", "身份证号", "id", width=21),
    _c("head_id", "r", "户主身份证号", "id", width=21),
    _c("relation", "m", "与户主关系", "relation", width=8),
    _c("sex", "m", "性别", "text", width=5),
    _c("birth_date", "m", "出生日期", "date", width=11),
    _c("disability_type", "m", "残疾类别", "text", width=8),
    _c("disability_grade", "m", "残疾等级", "grade", width=8),
    _c("illness", "m", "患病病种", "text", width=10),
    _c("work_ability", "m", "劳动能力", "text", width=12),
    _c("income_year", "m", "年收入（元）", "money", width=9),
    _c("registered_poor", "r", "是否建档立卡扶贫对象", "yesno", width=10),
    _c("is_covered", "m", "是否保障对象", "yesno", width=8),
)


# --- shapes of issue 12 -----------------------------------------------------------------

_CN = "一二三四五六七八九十"
SLOT_STYLES = 6
"""Numbering styles of a wide ledger's member columns (``slot_columns``)."""


def slot_columns(k: int, style: int) -> tuple[Col, ...]:
    """The columns of a wide ledger's member ``k`` (1 = the first after the head) in a
    numbering style: 成员一姓名, 成员1姓名, 家庭成员1姓名, 第一成员姓名, 姓名1, or a
    two-row header 成员1 over 姓名 | 身份证号 | 与户主关系."""
    cn = _CN[k - 1] if k <= 10 else str(k)
    names = {
        0: (f"成员{cn}姓名", f"成员{cn}身份证号码", f"成员{cn}与户主关系"),
        1: (f"成员{k}姓名", f"成员{k}身份证号", f"成员{k}关系"),
        2: (f"家庭成员{k}姓名", f"家庭成员{k}身份证号", f"家庭成员{k}与户主关系"),
        3: (f"第{cn}成员姓名", f"第{cn}成员身份证号", f"第{cn}成员与户主关系"),
        4: (f"姓名{k}", f"身份证号码{k}", f"与户主关系{k}"),
        5: ("姓名", "身份证号", "与户主关系"),
    }[style]
    parent = f"成员{k}" if style == 5 else None
    fields = (("name", "text", 8), ("id_number", "id", 21), ("relation", "relation", 8))
    return tuple(
        Col(field, "m", (name,), kind, width=width, parent=parent, slot=k)
        for (field, kind, width), name in zip(fields, names, strict=True)
    )


MEMBER_LIST = _c(
    "member_list", "h", "家庭成员|家庭成员及身份证号|家庭成员姓名及身份证号", "list", width=40
)
LIST_NAMES = _c("list_names", "h", "家庭成员姓名", "list-names", width=20)
LIST_IDS = _c("list_ids", "h", "家庭成员身份证号|家庭成员身份证号码", "list-ids", width=40)
LIST_STYLES = 3
"""0: 张三（130723…）、李四（…）; 1: a line per member 张三 户主 130723…; 2: names and IDs
in two cells."""


def _counts(two_row: bool) -> tuple[Col, ...]:
    return (SIZE, COVERED_2, KEY_COUNT, DISABLED_COUNT) if two_row else (SIZE, COVERED)


def _money(two_row: bool) -> tuple[Col, ...]:
    return (BENEFIT_2, ADDON_2, TOTAL_2) if two_row else (BENEFIT,)


def layout_columns(
    layout: str,
    *,
    two_row_header: bool = False,
    places: bool = False,
    slots: int = 0,
    style: int = 0,
) -> tuple[Col, ...]:
    """The columns of a layout, in sheet order.

    ``places`` adds 乡镇(街道) and 村(社区) (a sheet holding several villages).
    ``export-household`` and ``export-person`` are the two files of the system's
    export pair (layout ``export``), which always carry their place columns. A
    ``wide`` ledger has ``slots`` numbered members in numbering ``style``; a
    ``list`` roster lists them in one cell (or two) in list ``style``.
    """
    if layout == "export-household":
        return EXPORT_HOUSEHOLD_COLS
    if layout == "export-person":
        return EXPORT_PERSON_COLS
    place = (TOWN, VILLAGE) if places else ()
    status = (
        CATEGORY,
        MODE,
        REGISTERED,
        EXITED,
        GROSS,
        MEDICAL,
        EDUCATION,
        CARE,
        PC,
        *_money(two_row_header),
        START,
        STATUS,
        PHASEOUT,
        BANK,
        ACCOUNT,
        ADDRESS,
        PHONE,
    )
    if layout == "household":
        return (SEQ_H, *place, GROUP, HH_NAME, HH_ID, CERT, *_counts(two_row_header), *status)
    if layout == "wide":
        members = tuple(c for k in range(1, slots + 1) for c in slot_columns(k, style))
        head = (SEQ_H, *place, GROUP, HH_NAME, HH_ID, CERT, *_counts(two_row_header))
        return (*head, *members, *status)
    if layout == "list":
        listed = (LIST_NAMES, LIST_IDS) if style == 2 else (MEMBER_LIST,)
        return (SEQ_H, *place, GROUP, HH_NAME, CERT, *_counts(two_row_header), *listed, *status)
    if layout == "member":
        return (
            SEQ_M,
            *place,
            GROUP,
            HEAD_NAME_R,
            HEAD_ID_R,
            CERT,
            *MEMBER_COLS,
            *_counts(two_row_header),
            *status,
        )
    if layout == "block":
        return (
            SEQ_H,
            *place,
            GROUP,
            HEAD_NAME_H,
            CERT,
            *_counts(two_row_header),
            *MEMBER_COLS,
            *status,
        )
    raise ValueError(f"unknown layout {layout!r}")


def layout_headers(layout: str, *, two_row_header: bool = False, places: bool = False) -> list[str]:
    """Canonical header texts of a layout (two-row headers as parent.child)."""
    return [
        f"{c.parent}.{c.name}" if c.parent else c.name
        for c in layout_columns(layout, two_row_header=two_row_header, places=places)
    ]
