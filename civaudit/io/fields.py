"""The canonical roster fields and the column headers that mean them.

This is the one place where raw Chinese headers appear. Aliases are matched after
`normalize_header` (NFKC, no spaces or line breaks, bracketed units removed), so
"家庭年总收入（元）" and "家庭年\\n总收入" both find ``gross_income_year``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from civaudit.normalize.text import normalize_header

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
    name: str
    level: Level
    kind: Kind
    zh: str
    en: str
    aliases: tuple[str, ...]
    monthly_twin: str | None = None  # the field a "（元/月）" unit turns this one into


def _f(name, level, kind, zh, en, aliases, monthly_twin=None) -> Field:
    return Field(name, level, kind, zh, en, tuple(aliases.split()), monthly_twin)


FIELDS: tuple[Field, ...] = (
    # place
    _f("province", "place", "text", "省", "province", "省 所属省 省份"),
    _f("city", "place", "text", "市", "city", "市 所属市 地市 市州"),
    _f("county", "place", "text", "县(区)", "county", "县 区县 县区 所属区县 县市区 所属县区 县市"),
    _f("town", "place", "text", "乡镇(街道)", "town", "乡镇 街道 所属街道 乡 镇 所属乡镇 乡镇街道"),
    _f(
        "village",
        "place",
        "text",
        "村(社区)",
        "village",
        "村 社区 所属社区 村委会 行政村 村居 村社区",
    ),
    _f("group", "place", "text", "组", "group", "组 村民小组 小组 社"),
    # household
    _f("seq", "household", "text", "序号", "row number", "序号 编号 户序号 户号"),
    _f(
        "cert_no",
        "household",
        "text",
        "低保证号",
        "certificate number",
        "低保证号 证号 保障证号 低保证编号 低保证书号 救助证号",
    ),
    _f("head_name", "household", "name", "户主姓名", "head's name", "户主姓名 户主 户主名称"),
    _f(
        "head_id",
        "household",
        "id",
        "户主身份证号",
        "head's ID number",
        "户主身份证号 户主身份证号码 户主公民身份号码 户主证件号码 户主身份证",
    ),
    _f(
        "household_size",
        "household",
        "count",
        "家庭人口",
        "household size",
        "家庭人口 家庭人口数 家庭人数 家庭成员数 户人口 家庭总人口 人口 人口数 户内人口",
    ),
    _f(
        "covered_count",
        "household",
        "count",
        "保障人口",
        "covered persons",
        "保障人口 保障人数 享受人数 享受人口 保障人口数 低保人数 享受低保人数",
    ),
    _f(
        "gross_income_year",
        "household",
        "money",
        "家庭年总收入",
        "gross annual income",
        "家庭年总收入 家庭年收入 家庭年纯收入 家庭总收入 年总收入 家庭收入 家庭年度总收入",
    ),
    _f(
        "per_capita_income_year",
        "household",
        "money",
        "家庭年均收入",
        "per-capita annual income",
        "家庭年均收入 年人均收入 人均年收入 家庭年人均收入",
        monthly_twin="per_capita_income_month",
    ),
    _f(
        "per_capita_income_month",
        "household",
        "money",
        "月人均收入",
        "per-capita monthly income",
        "月人均收入 人均月收入 家庭月人均收入",
    ),
    _f("wage_income", "household", "money", "工资性收入", "wage income", "工资性收入 工资收入"),
    _f(
        "business_income",
        "household",
        "money",
        "经营净收入",
        "net business income",
        "经营净收入 经营性收入 家庭经营收入 家庭经营净收入 生产经营收入",
    ),
    _f(
        "property_income",
        "household",
        "money",
        "财产性收入",
        "property income",
        "财产性收入 财产净收入 财产收入",
    ),
    _f(
        "transfer_income",
        "household",
        "money",
        "转移性收入",
        "transfer income",
        "转移性收入 转移净收入 转移收入",
    ),
    _f(
        "medical_expense",
        "household",
        "money",
        "自付医疗费用",
        "medical out-of-pocket",
        "医疗支出 自付医疗费用 医疗费用 自付医疗费 医疗自付费用 自付医疗支出",
    ),
    _f(
        "education_expense",
        "household",
        "money",
        "教育支出",
        "education expense",
        "教育支出 教育费用 就学支出",
    ),
    _f(
        "care_expense",
        "household",
        "money",
        "残疾康复护理支出",
        "disability care expense",
        "残疾康复护理支出 康复护理支出 护理支出 残疾人康复护理支出",
    ),
    _f(
        "employment_cost",
        "household",
        "money",
        "就业成本",
        "employment cost",
        "就业成本 必要就业成本",
    ),
    _f(
        "rigid_expense_year",
        "household",
        "money",
        "刚性支出",
        "rigid expense (yearly)",
        "刚性支出 年刚性支出 刚性支出合计 家庭刚性支出",
        monthly_twin="rigid_expense_month",
    ),
    _f(
        "rigid_expense_month",
        "household",
        "money",
        "月刚性支出",
        "rigid expense (monthly)",
        "月刚性支出",
    ),
    _f(
        "expenditure_type",
        "household",
        "bool",
        "支出型困难",
        "expenditure-type hardship",
        "支出型困难 是否支出型困难 支出型困难家庭 是否支出型困难家庭",
    ),
    _f(
        "benefit_month",
        "household",
        "money",
        "户月保障金额",
        "monthly benefit",
        "户月保障金额 月保障金 保障金额 低保金额 家庭补差 月保障金额 月低保金 补差金额 "
        "月补助金额 低保金 保障金 补助金额 月发放金额 户月保障金 月补差",
    ),
    _f(
        "addon_month",
        "household",
        "money",
        "分类施保金",
        "classified add-on",
        "分类施保金 家庭分类施保总额 分类施保金额 分类施保 分类施保总额 重点救助",
    ),
    _f(
        "total_month",
        "household",
        "money",
        "合计（元）",
        "monthly total",
        "合计 合计金额 月发放合计 发放合计 月领取合计",
    ),
    _f(
        "category",
        "household",
        "text",
        "保障类别",
        "category",
        "保障类别 低保类别 救助类别 救助类型 类别 户类别 保障类型 低保类型",
    ),
    _f("coverage_mode", "household", "text", "施保方式", "coverage mode", "施保方式 保障方式"),
    _f(
        "registered_poor",
        "household",
        "bool",
        "是否建档立卡",
        "registered poor",
        "是否建档立卡 是否建档立卡扶贫对象 建档立卡 是否建档立卡贫困户 是否贫困户 建档立卡贫困户",
    ),
    _f(
        "poverty_exited",
        "household",
        "bool",
        "是否脱贫",
        "out of poverty",
        "是否脱贫 脱贫状态 脱贫情况 是否已脱贫",
    ),
    _f(
        "start_month",
        "household",
        "date",
        "最初享受月",
        "first month",
        "最初享受月 最初享受月份 起始保障年月 纳入时间 认定日期 审批日期 享受起始时间 "
        "纳入低保时间 保障起始年月 享受时间 批准时间",
    ),
    _f(
        "phaseout_start",
        "household",
        "date",
        "渐退起始月",
        "phase-out start",
        "渐退起始月 渐退开始时间 渐退起始时间 渐退期起始月 渐退起始年月",
    ),
    _f("status", "household", "text", "保障状态", "status", "保障状态 状态 享受状态"),
    _f("bank_name", "household", "text", "开户银行", "bank", "开户银行 开户行 银行名称 代发银行"),
    _f(
        "account_name",
        "household",
        "name",
        "银行账户名称",
        "account holder",
        "银行账户名称 账户名称 户名 开户名 开户人 账户名",
    ),
    _f(
        "bank_account",
        "household",
        "account",
        "银行账号",
        "bank account",
        "银行帐号 银行账号 一卡通账号 一卡通帐号 账号 帐号 银行卡号 存折账号 社保卡账号",
    ),
    _f("address", "household", "text", "家庭住址", "address", "家庭住址 住址 家庭地址 居住地址"),
    _f("phone", "household", "text", "联系电话", "phone", "联系电话 电话 手机号码 联系方式 手机号"),
    _f(
        "housing_count",
        "household",
        "count",
        "拥有产权住房套数",
        "owned dwellings",
        "拥有产权住房套数 住房套数 产权住房套数",
    ),
    _f(
        "financial_assets",
        "household",
        "money",
        "金融资产总额",
        "financial assets",
        "金融资产总额 金融资产",
    ),
    _f("remarks", "household", "text", "备注", "remarks", "备注 说明"),
    _f(
        "scheme",
        "household",
        "text",
        "城乡类别",
        "urban or rural",
        "城乡类别 城乡属性 城乡 城乡类型",
    ),
    # member
    _f("name", "member", "name", "姓名", "name", "姓名 成员姓名 家庭成员姓名 保障对象姓名"),
    _f(
        "id_number",
        "member",
        "id",
        "身份证号",
        "ID number",
        "身份证号 身份证号码 公民身份号码 公民身份证号 身份证 证件号码 成员身份证号 "
        "身份证件号码 公民身份证号码 成员身份证号码",
    ),
    _f(
        "relation",
        "member",
        "relation",
        "与户主关系",
        "relation",
        "与户主关系 与户主的关系 关系 家庭关系",
    ),
    _f("sex", "member", "sex", "性别", "sex", "性别"),
    _f(
        "birth_date",
        "member",
        "date",
        "出生日期",
        "birth date",
        "出生日期 出生年月 出生年月日 生日",
    ),
    _f("age", "member", "number", "年龄", "age", "年龄 年龄岁"),
    _f(
        "disability_grade",
        "member",
        "disability",
        "残疾等级",
        "disability grade",
        "残疾等级 残疾级别 残疾程度 残疾情况",
    ),
    _f(
        "disability_type",
        "member",
        "disability_type",
        "残疾类别",
        "disability type",
        "残疾类别 残疾类型 残疾种类",
    ),
    _f(
        "illness",
        "member",
        "text",
        "患病病种",
        "illness",
        "患病病种 重病 患病情况 病种 重特大疾病 健康状况 患病名称",
    ),
    _f("work_ability", "member", "text", "劳动能力", "work ability", "劳动能力 劳动能力状况"),
    _f(
        "income_year",
        "member",
        "money",
        "年收入",
        "annual income",
        "年收入 个人年收入 成员年收入",
    ),
    _f(
        "is_covered",
        "member",
        "bool",
        "是否保障对象",
        "covered person",
        "是否保障对象 是否享受 是否保障 是否享受低保",
    ),
)

FIELD_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}

ALIASES: dict[str, str] = {}
for _field in FIELDS:
    for _alias in (*_field.aliases, _field.name, _field.en):
        ALIASES.setdefault(normalize_header(_alias), _field.name)

# Header texts that identify people: a sheet without one of these is no roster.
PERSON_FIELDS = frozenset({"name", "id_number", "head_name", "head_id"})


def lookup(header: str) -> str | None:
    """The canonical field a (normalised) header text means, if any."""
    return ALIASES.get(header)
