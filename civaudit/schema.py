"""The roster schema: every canonical field, with its level, kind and zh/en labels.

Every stage reads it: the reader maps headers onto these names (its header aliases
live with it, in ``io.aliases``), the assessment and the rules read the columns by
these names, and the reports label them in the user's language. Canonical names are
snake_case English; ``zh`` and ``en`` are what a user sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["place", "household", "member"]
Period = Literal["month", "quarter", "year"]
Kind = Literal[
    "text",
    "name",
    "id",
    "money",
    "count",
    "number",
    "date",
    "bool",
    "disability",
    "disability_type",
    "sex",
    "relation",
    "account",
]


@dataclass(frozen=True)
class Field:
    """One canonical roster field."""

    name: str
    level: Level
    kind: Kind
    zh: str
    en: str
    period: Period | None = None  # the period a money field's values cover
    family: str | None = None  # fields that are one quantity over different periods
    doc: str = ""  # what the column holds, where the name alone could mislead


def _money(name, level, zh, en, period=None, family=None, doc=""):
    return Field(name, level, "money", zh, en, period, family, doc)


FIELDS: tuple[Field, ...] = (
    # place
    Field("province", "place", "text", "省", "province"),
    Field("city", "place", "text", "市", "city"),
    Field("county", "place", "text", "县(区)", "county"),
    Field("town", "place", "text", "乡镇(街道)", "town"),
    Field("village", "place", "text", "村(社区)", "village"),
    Field("group", "place", "text", "组", "group"),
    # household
    Field("seq", "household", "text", "序号", "row number"),
    Field("cert_no", "household", "text", "低保证号", "certificate number"),
    Field(
        "household_no",
        "household",
        "text",
        "户编号",
        "household number",
        doc="a registry's household number (户编号, 户码), not the dibao certificate",
    ),
    Field("head_name", "household", "name", "户主姓名", "head's name"),
    Field("head_id", "household", "id", "户主身份证号", "head's ID number"),
    Field("household_size", "household", "count", "家庭人口", "household size"),
    Field("covered_count", "household", "count", "保障人口", "covered persons"),
    Field(
        "member_list",
        "household",
        "text",
        "家庭成员",
        "member list",
        doc="every member's name (and often ID number) in one cell of a household row, "
        "separated by 、,，;；/ or line breaks",
    ),
    Field(
        "member_id_list",
        "household",
        "text",
        "家庭成员身份证号",
        "member ID list",
        doc="every member's ID number in one cell, in the order of member_list",
    ),
    _money(
        "gross_income_year",
        "household",
        "家庭年总收入",
        "gross annual income",
        "year",
        "household_income",
    ),
    _money(
        "household_income_month",
        "household",
        "家庭月总收入",
        "household monthly income",
        "month",
        "household_income",
        "the whole household's income in a month (家庭月总收入, 家庭月平均收入), not per capita",
    ),
    _money(
        "per_capita_income_year",
        "household",
        "家庭年均收入",
        "per-capita annual income",
        "year",
        "per_capita_income",
        "家庭年均收入 in the system's export is per capita, despite the name",
    ),
    _money(
        "per_capita_income_month",
        "household",
        "月人均收入",
        "per-capita monthly income",
        "month",
        "per_capita_income",
    ),
    _money("wage_income", "household", "工资性收入", "wage income", "year"),
    _money("business_income", "household", "经营净收入", "net business income", "year"),
    _money("property_income", "household", "财产性收入", "property income", "year"),
    _money("transfer_income", "household", "转移性收入", "transfer income", "year"),
    _money("medical_expense", "household", "自付医疗费用", "medical out-of-pocket", "year"),
    _money("education_expense", "household", "教育支出", "education expense", "year"),
    _money("care_expense", "household", "残疾康复护理支出", "disability care expense", "year"),
    _money("employment_cost", "household", "就业成本", "employment cost", "year"),
    _money(
        "rigid_expense_year",
        "household",
        "刚性支出",
        "rigid expense (yearly)",
        "year",
        "rigid_expense",
    ),
    _money(
        "rigid_expense_month",
        "household",
        "月刚性支出",
        "rigid expense (monthly)",
        "month",
        "rigid_expense",
    ),
    Field("expenditure_type", "household", "bool", "支出型困难", "expenditure-type hardship"),
    _money(
        "standard_month",
        "household",
        "保障标准（月）",
        "standard (monthly)",
        "month",
        "standard",
        "the local standard per person per month as the roster records it (保障标准, "
        "低保标准, 最低生活标准): what income is compared with, never the benefit paid",
    ),
    _money(
        "standard_year",
        "household",
        "保障标准（年）",
        "standard (yearly)",
        "year",
        "standard",
        "the local standard per person per year as recorded (年均供养标准), not the benefit",
    ),
    _money("benefit_month", "household", "户月保障金额", "monthly benefit", "month", "benefit"),
    _money(
        "benefit_quarter",
        "household",
        "季度保障金",
        "quarterly benefit",
        "quarter",
        "benefit",
        "the household's benefit for a quarter (元/季度)",
    ),
    _money(
        "benefit_year",
        "household",
        "年保障金",
        "yearly benefit",
        "year",
        "benefit",
        "the household's benefit for a year (元/年)",
    ),
    _money("addon_month", "household", "分类施保金", "classified add-on", "month"),
    _money(
        "addon_members_month",
        "household",
        "人员分类施保总额",
        "members' add-ons (monthly)",
        "month",
        doc="the add-ons paid for individual members, on top of the household's own "
        "addon_month (the system's household file: 人员分类施保总额)",
    ),
    Field(
        "addon_type",
        "household",
        "text",
        "分类施保类别",
        "add-on category",
        doc="who the classified add-on is for (分类施保类别, 低保金加发类别)",
    ),
    _money(
        "total_month",
        "household",
        "合计（元）",
        "monthly total",
        "month",
        doc="the benefit and add-ons paid in a month (合计, 发放合计)",
    ),
    _money(
        "care_allowance_month",
        "household",
        "照料护理费",
        "care allowance (monthly)",
        "month",
        doc="特困 care allowance paid (照料护理费用): not the rigid care expense",
    ),
    Field("category", "household", "text", "保障类别", "category"),
    Field("coverage_mode", "household", "text", "施保方式", "coverage mode"),
    Field("registered_poor", "household", "bool", "是否建档立卡", "registered poor"),
    Field("poverty_exited", "household", "bool", "是否脱贫", "out of poverty"),
    Field("start_month", "household", "date", "最初享受月", "first month"),
    Field(
        "end_month",
        "household",
        "date",
        "截止保障年月",
        "last month",
        doc="the last month the household is covered (截止保障年月)",
    ),
    Field("phaseout_start", "household", "date", "渐退起始月", "phase-out start"),
    Field(
        "review_date",
        "household",
        "date",
        "复核时间",
        "review date",
        doc="the last periodic review (复核时间, 上次复查时间)",
    ),
    Field(
        "review_cycle",
        "household",
        "text",
        "复核周期",
        "review cycle",
        doc="how often the household is reviewed (复核周期: 每月, 每季度, 每半年, 每年)",
    ),
    Field("review_result", "household", "text", "复核结果", "review result"),
    Field("stop_reason", "household", "text", "停保原因", "stop reason"),
    Field(
        "stop_date",
        "household",
        "date",
        "停保时间",
        "stop date",
        doc="when the benefit stopped (结束时间, 停发时间)",
    ),
    Field(
        "pay_month",
        "household",
        "date",
        "发放年月",
        "payment month",
        doc="the month a payment row is for (发放年月, 数据月份): one sheet per month",
    ),
    Field("status", "household", "text", "保障状态", "status"),
    Field("apply_reason", "household", "text", "申请原因", "reason for applying"),
    Field("hukou_type", "household", "text", "户籍类型", "household registration type"),
    Field("bank_name", "household", "text", "开户银行", "bank"),
    Field("account_name", "household", "name", "银行账户名称", "account holder"),
    Field("bank_account", "household", "account", "银行账号", "bank account"),
    Field("address", "household", "text", "家庭住址", "address"),
    Field("phone", "household", "text", "联系电话", "phone"),
    Field("housing_count", "household", "count", "拥有产权住房套数", "owned dwellings"),
    _money("financial_assets", "household", "金融资产总额", "financial assets"),
    Field("remarks", "household", "text", "备注", "remarks"),
    Field("scheme", "household", "text", "城乡类别", "urban or rural"),
    # member
    Field("name", "member", "name", "姓名", "name"),
    Field("id_number", "member", "id", "身份证号", "ID number"),
    Field(
        "id_type",
        "member",
        "text",
        "证件类型",
        "ID document type",
        doc="the kind of document in the ID column (证件类型: 居民身份证, 户口簿 ...)",
    ),
    Field("relation", "member", "relation", "与户主关系", "relation"),
    Field("sex", "member", "sex", "性别", "sex"),
    Field("birth_date", "member", "date", "出生日期", "birth date"),
    Field("age", "member", "number", "年龄", "age"),
    Field("disability_grade", "member", "disability", "残疾等级", "disability grade"),
    Field("disability_type", "member", "disability_type", "残疾类别", "disability type"),
    Field(
        "disability_cert",
        "member",
        "text",
        "残疾证号",
        "disability certificate number",
        doc="the ID number plus two digits: never read as the ID",
    ),
    Field("illness", "member", "text", "患病病种", "illness"),
    Field("work_ability", "member", "text", "劳动能力", "work ability"),
    _money("income_year", "member", "年收入", "annual income", "year", "member_income"),
    _money(
        "income_month",
        "member",
        "月收入",
        "monthly income",
        "month",
        "member_income",
        "a member's own income in a month (person files: 月收入（元）)",
    ),
    _money(
        "addon_member_month",
        "member",
        "合计分类施保金额",
        "member's add-on (monthly)",
        "month",
        doc="one member's add-on as the system's person file gives it (合计分类施保金额)",
    ),
    Field("is_covered", "member", "bool", "是否保障对象", "covered person"),
)

FIELD_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}


def twin(field: str, period: str) -> str | None:
    """The field of the same family that covers ``period`` (``benefit_month``, "year" ->
    ``benefit_year``), or None when the family has none."""
    family = FIELD_BY_NAME[field].family
    if family is None:
        return field if FIELD_BY_NAME[field].period == period else None
    return next((f.name for f in FIELDS if f.family == family and f.period == period), None)


PERSON_FIELDS = frozenset({"name", "id_number", "head_name", "head_id"})
"""Fields that identify people: a sheet without one of them is no roster."""
