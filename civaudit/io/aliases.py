"""The column headers that mean each canonical field (``schema.FIELDS``).

This is the one place where raw Chinese headers appear. Aliases are matched after
`normalize_header` (NFKC, no spaces or line breaks, bracketed units removed), so
"家庭年总收入（元）" and "家庭年\\n总收入" both find ``gross_income_year``.
"""

from __future__ import annotations

from civaudit.normalize.text import normalize_header
from civaudit.schema import FIELDS


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


HEADERS: dict[str, tuple[str, ...]] = {
    "province": _words("省 所属省 省份"),
    "city": _words("市 所属市 地市 市州"),
    "county": _words("县 区县 县区 所属区县 县市区 所属县区 县市"),
    "town": _words("乡镇 街道 所属街道 乡 镇 所属乡镇 乡镇街道"),
    "village": _words("村 社区 所属社区 村委会 行政村 村居 村社区"),
    "group": _words("组 村民小组 小组 社"),
    "seq": _words("序号 编号 户序号 户号"),
    "cert_no": _words("低保证号 证号 保障证号 低保证编号 低保证书号 救助证号"),
    "head_name": _words("户主姓名 户主 户主名称"),
    "head_id": _words("户主身份证号 户主身份证号码 户主公民身份号码 户主证件号码 户主身份证"),
    "household_size": _words(
        "家庭人口 家庭人口数 家庭人数 家庭成员数 户人口 家庭总人口 人口 人口数 户内人口"
    ),
    "covered_count": _words("保障人口 保障人数 享受人数 享受人口 保障人口数 低保人数 享受低保人数"),
    "gross_income_year": _words(
        "家庭年总收入 家庭年收入 家庭年纯收入 家庭总收入 年总收入 家庭收入 家庭年度总收入"
    ),
    "per_capita_income_year": _words("家庭年均收入 年人均收入 人均年收入 家庭年人均收入"),
    "per_capita_income_month": _words("月人均收入 人均月收入 家庭月人均收入"),
    "wage_income": _words("工资性收入 工资收入"),
    "business_income": _words("经营净收入 经营性收入 家庭经营收入 家庭经营净收入 生产经营收入"),
    "property_income": _words("财产性收入 财产净收入 财产收入"),
    "transfer_income": _words("转移性收入 转移净收入 转移收入"),
    "medical_expense": _words(
        "医疗支出 自付医疗费用 医疗费用 自付医疗费 医疗自付费用 自付医疗支出"
    ),
    "education_expense": _words("教育支出 教育费用 就学支出"),
    "care_expense": _words("残疾康复护理支出 康复护理支出 护理支出 残疾人康复护理支出"),
    "employment_cost": _words("就业成本 必要就业成本"),
    "rigid_expense_year": _words("刚性支出 年刚性支出 刚性支出合计 家庭刚性支出"),
    "rigid_expense_month": _words("月刚性支出"),
    "expenditure_type": _words("支出型困难 是否支出型困难 支出型困难家庭 是否支出型困难家庭"),
    "benefit_month": _words(
        "户月保障金额 月保障金 保障金额 低保金额 家庭补差 月保障金额 月低保金 "
        "补差金额 月补助金额 低保金 保障金 补助金额 月发放金额 户月保障金 月补差"
    ),
    "addon_month": _words(
        "分类施保金 家庭分类施保总额 分类施保金额 分类施保 分类施保总额 重点救助"
    ),
    "total_month": _words("合计 合计金额 月发放合计 发放合计 月领取合计"),
    "category": _words("保障类别 低保类别 救助类别 救助类型 类别 户类别 保障类型 低保类型"),
    "coverage_mode": _words("施保方式 保障方式"),
    "registered_poor": _words(
        "是否建档立卡 是否建档立卡扶贫对象 建档立卡 是否建档立卡贫困户 是否贫困户 建档立卡贫困户"
    ),
    "poverty_exited": _words("是否脱贫 脱贫状态 脱贫情况 是否已脱贫"),
    "start_month": _words(
        "最初享受月 最初享受月份 起始保障年月 纳入时间 认定日期 审批日期 享受起始时间 "
        "纳入低保时间 保障起始年月 享受时间 批准时间"
    ),
    "phaseout_start": _words("渐退起始月 渐退开始时间 渐退起始时间 渐退期起始月 渐退起始年月"),
    "status": _words("保障状态 状态 享受状态"),
    "bank_name": _words("开户银行 开户行 银行名称 代发银行"),
    "account_name": _words("银行账户名称 账户名称 户名 开户名 开户人 账户名"),
    "bank_account": _words(
        "银行帐号 银行账号 一卡通账号 一卡通帐号 账号 帐号 银行卡号 存折账号 社保卡账号"
    ),
    "address": _words("家庭住址 住址 家庭地址 居住地址"),
    "phone": _words("联系电话 电话 手机号码 联系方式 手机号"),
    "housing_count": _words("拥有产权住房套数 住房套数 产权住房套数"),
    "financial_assets": _words("金融资产总额 金融资产"),
    "remarks": _words("备注 说明"),
    "scheme": _words("城乡类别 城乡属性 城乡 城乡类型"),
    "name": _words("姓名 成员姓名 家庭成员姓名 保障对象姓名"),
    "id_number": _words(
        "身份证号 身份证号码 公民身份号码 公民身份证号 身份证 证件号码 成员身份证号 身份证件号码 "
        "公民身份证号码 成员身份证号码"
    ),
    "relation": _words("与户主关系 与户主的关系 关系 家庭关系"),
    "sex": _words("性别"),
    "birth_date": _words("出生日期 出生年月 出生年月日 生日"),
    "age": _words("年龄 年龄岁"),
    "disability_grade": _words("残疾等级 残疾级别 残疾程度 残疾情况"),
    "disability_type": _words("残疾类别 残疾类型 残疾种类"),
    "illness": _words("患病病种 重病 患病情况 病种 重特大疾病 健康状况 患病名称"),
    "work_ability": _words("劳动能力 劳动能力状况"),
    "income_year": _words("年收入 个人年收入 成员年收入"),
    "is_covered": _words("是否保障对象 是否享受 是否保障 是否享受低保"),
    # --- layouts (issue 12, items 4 and 5) ---
    # a household row listing its members in one cell: "张三（130723…）、李四（…）"
    # (county ledgers and 公示 lists); a column that holds one name per row is read as
    # the name column instead (io.members)
    "member_list": _words(
        "家庭成员 家庭成员名单 成员名单 家庭成员情况 家庭成员信息 家庭成员及身份证号 "
        "家庭成员姓名及身份证号 家庭成员姓名及身份证号码 家庭成员及身份证号码 共同生活家庭成员 "
        "共同生活的家庭成员 保障对象名单 享受对象名单 家庭成员姓名身份证号"
    ),
    # the month of a monthly payment sheet (发放花名册): one value per sheet or per row
    "pay_month": _words("发放月份 发放年月 所属月份 保障月份 资金所属月份"),
}
"""Each field's header texts, in the order they are tried (the first is the usual one)."""

# --- layouts (issue 12, item 4): a household row's member IDs in one cell beside a
# cell of their names ("张三、李四" | "130723…、130723…"); io.members tells a list
# from one ID per row by the cells
HEADERS["id_number"] = (*HEADERS["id_number"], *_words("家庭成员身份证号 家庭成员身份证号码"))

ALIASES: dict[str, str] = {}
for _field in FIELDS:
    for _alias in (*HEADERS.get(_field.name, ()), _field.name, _field.en):
        ALIASES.setdefault(normalize_header(_alias), _field.name)


def lookup(header: str) -> str | None:
    """The canonical field a (normalised) header text means, if any."""
    return ALIASES.get(header)
