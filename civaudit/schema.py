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
    monthly_twin: str | None = None  # the field a "（元/月）" unit turns this one into


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
    Field("head_name", "household", "name", "户主姓名", "head's name"),
    Field("head_id", "household", "id", "户主身份证号", "head's ID number"),
    Field("household_size", "household", "count", "家庭人口", "household size"),
    Field("covered_count", "household", "count", "保障人口", "covered persons"),
    Field("gross_income_year", "household", "money", "家庭年总收入", "gross annual income"),
    Field(
        "per_capita_income_year",
        "household",
        "money",
        "家庭年均收入",
        "per-capita annual income",
        "per_capita_income_month",
    ),
    Field(
        "per_capita_income_month", "household", "money", "月人均收入", "per-capita monthly income"
    ),
    Field("wage_income", "household", "money", "工资性收入", "wage income"),
    Field("business_income", "household", "money", "经营净收入", "net business income"),
    Field("property_income", "household", "money", "财产性收入", "property income"),
    Field("transfer_income", "household", "money", "转移性收入", "transfer income"),
    Field("medical_expense", "household", "money", "自付医疗费用", "medical out-of-pocket"),
    Field("education_expense", "household", "money", "教育支出", "education expense"),
    Field("care_expense", "household", "money", "残疾康复护理支出", "disability care expense"),
    Field("employment_cost", "household", "money", "就业成本", "employment cost"),
    Field(
        "rigid_expense_year",
        "household",
        "money",
        "刚性支出",
        "rigid expense (yearly)",
        "rigid_expense_month",
    ),
    Field("rigid_expense_month", "household", "money", "月刚性支出", "rigid expense (monthly)"),
    Field("expenditure_type", "household", "bool", "支出型困难", "expenditure-type hardship"),
    Field("benefit_month", "household", "money", "户月保障金额", "monthly benefit"),
    Field("addon_month", "household", "money", "分类施保金", "classified add-on"),
    Field("total_month", "household", "money", "合计（元）", "monthly total"),
    Field("category", "household", "text", "保障类别", "category"),
    Field("coverage_mode", "household", "text", "施保方式", "coverage mode"),
    Field("registered_poor", "household", "bool", "是否建档立卡", "registered poor"),
    Field("poverty_exited", "household", "bool", "是否脱贫", "out of poverty"),
    Field("start_month", "household", "date", "最初享受月", "first month"),
    Field("phaseout_start", "household", "date", "渐退起始月", "phase-out start"),
    Field("status", "household", "text", "保障状态", "status"),
    Field("bank_name", "household", "text", "开户银行", "bank"),
    Field("account_name", "household", "name", "银行账户名称", "account holder"),
    Field("bank_account", "household", "account", "银行账号", "bank account"),
    Field("address", "household", "text", "家庭住址", "address"),
    Field("phone", "household", "text", "联系电话", "phone"),
    Field("housing_count", "household", "count", "拥有产权住房套数", "owned dwellings"),
    Field("financial_assets", "household", "money", "金融资产总额", "financial assets"),
    Field("remarks", "household", "text", "备注", "remarks"),
    Field("scheme", "household", "text", "城乡类别", "urban or rural"),
    # member
    Field("name", "member", "name", "姓名", "name"),
    Field("id_number", "member", "id", "身份证号", "ID number"),
    Field("relation", "member", "relation", "与户主关系", "relation"),
    Field("sex", "member", "sex", "性别", "sex"),
    Field("birth_date", "member", "date", "出生日期", "birth date"),
    Field("age", "member", "number", "年龄", "age"),
    Field("disability_grade", "member", "disability", "残疾等级", "disability grade"),
    Field("disability_type", "member", "disability_type", "残疾类别", "disability type"),
    Field("illness", "member", "text", "患病病种", "illness"),
    Field("work_ability", "member", "text", "劳动能力", "work ability"),
    Field("income_year", "member", "money", "年收入", "annual income"),
    Field("is_covered", "member", "bool", "是否保障对象", "covered person"),
    # --- layouts (issue 12, items 4 and 5): a member list in one cell, a payment month
    Field("member_list", "household", "text", "家庭成员", "member list"),
    Field("pay_month", "household", "date", "发放月份", "payment month"),
)

FIELD_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}

PERSON_FIELDS = frozenset({"name", "id_number", "head_name", "head_id"})
"""Fields that identify people: a sheet without one of them is no roster."""
