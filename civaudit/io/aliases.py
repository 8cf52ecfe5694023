"""The column headers that mean each canonical field (``schema.FIELDS``), with their sources.

This is the one place where raw Chinese headers appear. Each row of ``TABLE`` says
which field some header texts mean and where those texts were seen (``SOURCES``): the
national social-assistance system's query exports as a county office's importer reads
them, a provincial vendor platform's exports and ledgers, county templates. Aliases
are matched after ``normalize_header`` (NFKC, traditional characters folded to
simplified, no spaces or line breaks, bracketed units and ``*`` markers removed), so
"家庭年总收入（元）", "家庭年\\n总收入" and "家庭年總收入" all find ``gross_income_year``.

Some words mean a field only under a parent header (``合计`` under 家庭收入情况 is the
household's annual income, under 领取金额 the month's payment): those are in
``GROUPS`` and ``CHILDREN``. Some mean one of two fields depending on the sheet: a
row's ``rule`` names how ``io.header`` decides (see ``RULES``).

English headers count only as the canonical field names themselves (``head_id``,
``household_size``); the fields' English labels are for reports, not for matching.
"""

from __future__ import annotations

from dataclasses import dataclass

from civaudit.normalize.text import normalize_header
from civaudit.schema import FIELD_BY_NAME, FIELDS

SOURCES: dict[str, str] = {
    "spec": "the project's domain spec (shared/spec/domain.md §7): headers of the national "
    "dibao system's exports (农村低保家庭查询 / 农村低保人员查询) and of village rosters",
    "roster": "village roster wording kept from earlier civaudit releases (usual variants; "
    "no public file cited)",
    "NC": "the national social-assistance system's query exports (低保, 特困, 低保边缘, "
    "刚性支出 household and person files) as a county office's importer reads them: "
    "github.com/xingjianya-86/NewCosmos Services/Import/*/…ImportService.cs",
    "NC-forms": "the same county tool's review and change forms and publicity list: "
    "NewCosmos Templates_NEW/档案_定期复核审批表, 档案_增员减员调整表, "
    "Services/Domain/ArchiveManagement/PublicityOutputService.cs, Constants/FieldKeys.cs",
    "CAM": "Inspur (浪潮) civil-affairs platform (Shandong), 城乡低保 exports, grids and "
    "ledgers (台账): github.com/A1500/cam cam/WebContent/jsp/cams/drel/…",
    "IDAP": "防返贫监测 person lists as a rural bank receives them: "
    "github.com/xiaoxinllleee/idap-service …/sgtzgl/ytprkmd/entity/SgtzglYtprkmd.java",
    "GOV": "a Jiangsu 低收入农户 system's import templates: github.com/wallellen/gov2014 "
    "WebRoot/down/低收入农户家庭信息导入模板.xls, excelTemplate/income.xls",
    "XF": "a sub-district population database's 低保 items: github.com/copperfield013/"
    "xfjddata …/constant/family/FamilyItem.java",
    "VUE": "a mobile social-assistance app's forms (城乡低保, 特困, 低保边缘, 支出型困难), "
    "in a public code index that does not name its repository (file ids 10963021269, "
    "11094743567, 31321427706)",
    "QT": "a village 城保/农保名册 (七田村, 2024 低保补贴汇总表) read by a spreadsheet agent, "
    "in a public code index that does not name its repository (file ids 66218545325, "
    "20673709061, 20539445668, 49006693271)",
    "YH": "a district office's monthly 低保名册 readers: github.com/JohnWall2016/Yhsb.Net "
    "src/Yhsb/Jb/Database/Jzfp2019.cs",
    "index": "a 民政 application form in a public code index that does not name its "
    "repository (file id 268157836: 当地低保标准 ____ 元/人·月)",
    "inferred": "not seen in a source: the usual wording, so that the field can be named",
}
"""Where the header texts were seen. The keys are cited by ``Alias.source``."""


@dataclass(frozen=True)
class Alias:
    """Header texts that mean ``field``, and where they were seen."""

    field: str
    texts: tuple[str, ...]
    source: str
    rule: str = ""  # how a text that can mean two fields is decided (see RULES)


RULES: dict[str, str] = {
    "cert-or-id": "证件号码 is the ID number, unless another column holds the ID numbers "
    "and no 证件类型 column says which document: then it is the certificate number "
    "(the values' shape decides first: 18-character IDs or short certificate numbers)",
    "member-or-household": "a bare 月收入 / 年收入 is a member's income on sheets with member "
    "rows, the household's on sheets with one row per household",
    "fallback": "used only when no other column gives the field (申报 declared figures "
    "yield to 核对 verified ones)",
}


def _a(field: str, texts: str, source: str, rule: str = "") -> Alias:
    return Alias(field, tuple(texts.split()), source, rule)


TABLE: tuple[Alias, ...] = (
    # place
    _a("province", "省 所属省 省份", "spec"),
    _a("province", "所属省级", "NC"),
    _a("city", "市 所属市", "spec"),
    _a("city", "地市 市州", "roster"),
    _a("city", "所属市级", "NC"),
    _a("county", "县 县(区) 所属区县", "spec"),
    _a("county", "区县 县区 县市区 所属县区 县市", "roster"),
    _a("county", "所属区 所属区划", "NC"),
    _a("county", "县(市、区、旗)", "IDAP"),
    _a("county", "区县名称 所属行政区划 行政区划", "CAM"),
    _a("town", "乡镇 街道 所属街道 乡镇(街道)", "spec"),
    _a("town", "乡 镇 所属乡镇 乡镇街道 街道(乡镇) 乡镇街", "roster"),
    _a("town", "所属街", "NC"),
    _a("town", "乡(镇) 乡镇名称", "IDAP"),
    _a("town", "街道（乡镇）", "CAM"),
    _a("town", "所在镇", "NC-forms"),
    _a("village", "村 社区 所属社区 村(社区)", "spec"),
    _a("village", "村委会 行政村 村居 村社区 村(居) 村居委会 社区(村) 村名", "roster"),
    _a("village", "所属社", "NC"),
    _a("village", "社区（村）", "CAM"),
    _a("village", "救助人所在村屯 所在村屯 村屯", "NC-forms"),
    _a("group", "组", "spec"),
    _a("group", "村民小组 小组 社 组别", "roster"),
    _a("group", "自然村", "IDAP"),
    # household key and head
    _a("seq", "序号", "spec"),
    _a("seq", "编号 户序号 户号", "roster"),
    _a("cert_no", "低保证号 低保（特困）证号", "spec"),
    _a("cert_no", "证号 保障证号 低保证编号 低保证书号 救助证号", "roster"),
    _a("cert_no", "五保证号", "CAM"),
    _a("cert_no", "救助证编号", "XF"),
    _a("cert_no", "特困证号 特困供养证号 低保边缘证号", "inferred"),
    _a("household_no", "户编号", "IDAP"),
    _a("household_no", "户码", "GOV"),
    _a("household_no", "家庭编号 户主编号", "inferred"),
    _a("head_name", "户主姓名", "spec"),
    _a("head_name", "户主 户主名称", "roster"),
    _a("head_name", "主申请人姓名 申请人姓名", "CAM"),
    _a("head_name", "救助姓名", "NC-forms"),
    _a("head_id", "户主身份证号", "spec"),
    _a("head_id", "户主身份证号码 户主公民身份号码 户主证件号码 户主身份证", "roster"),
    _a("head_id", "户主身份证件号码 主申请人证件号码 主申请人身份证号码", "CAM"),
    # household size and coverage
    _a("household_size", "家庭人口 家庭人口数 家庭人数 家庭成员数", "spec"),
    _a("household_size", "户人口 家庭总人口 人口 人口数 户内人口", "roster"),
    _a("household_size", "人口数量", "CAM"),
    _a("household_size", "人数", "IDAP"),
    _a("covered_count", "保障人口 保障人数 享受人数", "spec"),
    _a("covered_count", "享受人口 保障人口数 低保人数 享受低保人数", "roster"),
    _a("covered_count", "享受保障人数", "CAM"),
    _a("covered_count", "保障总人口", "XF"),
    _a("covered_count", "救助人数", "NC-forms"),
    _a("covered_count", "在保人数", "VUE"),
    _a("covered_count", "特困人员数", "NC"),
    _a("member_list", "家庭成员 家庭成员名单 成员名单 家庭成员情况", "CAM"),
    _a("member_list", "家庭成员姓名", "NC"),
    _a("member_id_list", "家庭成员身份证号", "NC"),
    _a("member_id_list", "家庭成员身份证号码", "inferred"),
    _a(
        "member_list",
        "家庭成员信息 家庭成员及身份证号 家庭成员姓名及身份证号 家庭成员姓名及身份证号码 "
        "家庭成员及身份证号码 共同生活家庭成员 共同生活的家庭成员 保障对象名单 享受对象名单 "
        "家庭成员姓名身份证号",
        "inferred",
    ),
    # income
    _a("gross_income_year", "家庭年总收入 家庭年收入 家庭年纯收入", "spec"),
    _a("gross_income_year", "家庭总收入 年总收入 家庭收入 家庭年度总收入", "roster"),
    _a("gross_income_year", "核对家庭年总收入", "CAM"),
    _a("gross_income_year", "申报家庭年总收入", "CAM", "fallback"),
    _a("gross_income_year", "全年家庭纯收入 家庭纯收入", "GOV"),
    _a("gross_income_year", "家庭年", "CAM"),
    _a("household_income_month", "家庭月总收入", "NC"),
    _a("household_income_month", "核对家庭月总收入 家庭月", "CAM"),
    _a("household_income_month", "申报家庭月总收入", "CAM", "fallback"),
    _a("household_income_month", "家庭月平均收入", "VUE"),
    _a("household_income_month", "家庭月收入 家庭月纯收入 户月收入", "inferred"),
    _a("per_capita_income_year", "家庭年均收入", "spec"),
    _a("per_capita_income_year", "年人均收入 人均年收入", "roster"),
    _a("per_capita_income_year", "家庭年人均收入 核对家庭年人均收入 家庭年人均", "CAM"),
    _a("per_capita_income_year", "家庭人均纯收入", "GOV"),
    _a("per_capita_income_year", "人均纯收入", "IDAP"),
    _a("per_capita_income_year", "家庭人均收入", "NC-forms"),
    _a("per_capita_income_month", "月人均收入", "spec"),
    _a("per_capita_income_month", "人均月收入", "roster"),
    _a("per_capita_income_month", "家庭月均收入", "NC"),
    _a("per_capita_income_month", "家庭月人均收入 核对家庭月人均收入 家庭月人均", "CAM"),
    _a("per_capita_income_month", "享受低保家庭人口月收入 人均收入", "CAM"),
    _a("wage_income", "工资性收入 工资收入", "roster"),
    _a("wage_income", "务工收入", "GOV"),
    _a("wage_income", "工薪收入", "VUE"),
    _a("business_income", "经营净收入", "spec"),
    _a("business_income", "经营性收入 家庭经营收入 家庭经营净收入 生产经营收入", "roster"),
    _a("property_income", "财产性收入 财产净收入 财产收入", "roster"),
    _a("transfer_income", "转移性收入 转移净收入 转移收入", "roster"),
    _a("transfer_income", "补贴性收入", "GOV"),
    # rigid expenditure
    _a("medical_expense", "医疗支出 自付医疗费用", "spec"),
    _a("medical_expense", "医疗费用 自付医疗费 医疗自付费用 自付医疗支出", "roster"),
    _a("education_expense", "教育支出", "spec"),
    _a("education_expense", "教育费用 就学支出", "roster"),
    _a("care_expense", "残疾康复护理支出", "spec"),
    _a("care_expense", "康复护理支出 护理支出 残疾人康复护理支出", "roster"),
    _a("employment_cost", "就业成本", "spec"),
    _a("employment_cost", "必要就业成本", "roster"),
    _a("rigid_expense_year", "刚性支出 年刚性支出", "spec"),
    _a("rigid_expense_year", "刚性支出合计 家庭刚性支出", "roster"),
    _a("rigid_expense_month", "月刚性支出", "spec"),
    _a("expenditure_type", "支出型困难", "spec"),
    _a("expenditure_type", "是否支出型困难 支出型困难家庭 是否支出型困难家庭", "roster"),
    # the standard (never the benefit)
    _a("standard_month", "最低生活标准", "CAM"),
    _a("standard_month", "最低保障救济标准 保障标准 核对参考标准", "CAM"),
    _a("standard_month", "低保标准", "VUE"),
    _a("standard_month", "纳入救助标准", "XF"),
    _a("standard_month", "基本生活标准", "NC"),
    _a("standard_month", "补贴标准", "NC-forms"),
    _a("standard_month", "当地低保标准", "index"),
    _a("standard_month", "月保障标准 月低保标准", "inferred"),
    _a("standard_year", "年均供养标准 五保对象供养标准", "CAM"),
    _a("standard_year", "年保障标准 年低保标准", "inferred"),
    # benefit
    _a("benefit_month", "户月保障金额 月保障金 保障金额 低保金额 家庭补差", "spec"),
    _a(
        "benefit_month",
        "月保障金额 月低保金 补差金额 月补助金额 低保金 保障金 补助金额 月发放金额 户月保障金 "
        "月补差",
        "roster",
    ),
    _a("benefit_month", "基本生活总费用", "NC"),
    _a("benefit_month", "家庭月保障金额", "VUE"),
    _a("benefit_month", "生活补助金", "XF"),
    _a("benefit_quarter", "季度保障金 季度保障金额 季度发放金额 季保障金", "inferred"),
    _a("benefit_year", "年保障金 年保障金额 全年保障金 年低保金 全年低保金", "inferred"),
    _a("addon_month", "分类施保金 家庭分类施保总额", "spec"),
    _a("addon_month", "分类施保金额 分类施保 分类施保总额 重点救助", "roster"),
    _a("addon_month", "低保金加发金额", "CAM"),
    _a("addon_month", "家庭分类施保金额", "NC"),
    _a("addon_members_month", "人员分类施保总额", "NC"),
    _a("addon_member_month", "合计分类施保金额", "NC"),
    _a("addon_type", "分类施保类别 低保金加发类别", "CAM"),
    _a("total_month", "合计", "spec"),
    _a("total_month", "合计金额 月发放合计 发放合计 月领取合计", "roster"),
    _a("total_month", "总发放金额", "XF"),
    _a("total_month", "实际发放金额", "NC-forms"),
    # a publicity list's one amount, what the household is paid a month with any add-ons;
    # seen as a parent only (CAM: 发放金额 over 合计 | 家庭补差 | 重点救助)
    _a("total_month", "发放金额 月发放总额", "inferred"),
    _a("total_month", "领取金额", "QT"),
    _a("care_allowance_month", "照料护理总费用 照料护理费用", "NC"),
    _a("care_allowance_month", "护理费", "VUE"),
    # status, category and dates
    _a("category", "保障类别 低保类别 救助类别 救助类型", "spec"),
    _a("category", "类别 户类别 保障类型 低保类型", "roster"),
    _a("category", "享受保障类别 救助对象类别", "CAM"),
    _a("category", "分档类型", "NC"),
    _a("coverage_mode", "施保方式", "spec"),
    _a("coverage_mode", "保障方式", "roster"),
    _a("registered_poor", "是否建档立卡 是否建档立卡扶贫对象", "spec"),
    _a("registered_poor", "建档立卡 是否建档立卡贫困户 是否贫困户 建档立卡贫困户", "roster"),
    _a("poverty_exited", "是否脱贫", "spec"),
    _a("poverty_exited", "脱贫状态 脱贫情况 是否已脱贫", "roster"),
    _a("poverty_exited", "是否属脱贫享受政策人口", "NC"),
    _a("start_month", "最初享受月 最初享受月份 起始保障年月 纳入时间 认定日期 审批日期", "spec"),
    _a(
        "start_month",
        "享受起始时间 纳入低保时间 保障起始年月 享受时间 批准时间",
        "roster",
    ),
    _a("start_month", "纳入月份", "NC"),
    _a("start_month", "登记时间 低保证发证时间", "CAM"),
    _a("start_month", "审批时间 计发年月", "NC-forms"),
    _a("start_month", "开始享受日期 保障起始时间 救助开始时间", "inferred"),
    _a("end_month", "截止保障年月", "CAM"),
    _a("phaseout_start", "渐退起始月", "spec"),
    _a("phaseout_start", "渐退开始时间 渐退起始时间 渐退期起始月 渐退起始年月", "roster"),
    _a("review_date", "上次复查时间", "CAM"),
    _a("review_date", "复核时间", "NC-forms"),
    _a("review_date", "复核日期 复查时间 复查日期 年审时间", "inferred"),
    _a("review_cycle", "复核周期 复查周期 核查周期", "inferred"),
    _a("review_result", "复查结果", "CAM"),
    _a("review_result", "待遇变化分类", "NC-forms"),
    _a("review_result", "复核结果 复核情况", "inferred"),
    _a("stop_reason", "结束原因", "CAM"),
    _a("stop_reason", "停发原因", "NC-forms"),
    _a("stop_reason", "停保原因 退出原因 注销原因", "inferred"),
    _a("stop_date", "结束时间", "CAM"),
    _a("stop_date", "实停发时间", "NC-forms"),
    _a("stop_date", "停保时间 停保月份 停发时间 退出时间 注销时间", "inferred"),
    _a("pay_month", "发放年月", "CAM"),
    _a("pay_month", "数据月份", "YH"),
    _a("pay_month", "发放月份 发放时间 所属月份 保障月份 资金所属月份", "inferred"),
    _a("status", "保障状态", "spec"),
    _a("status", "状态 享受状态", "roster"),
    _a("apply_reason", "申请原因", "NC"),
    _a("apply_reason", "主要致贫原因 致贫原因", "CAM"),
    _a("hukou_type", "户籍类型", "NC"),
    _a("hukou_type", "居民类型", "QT"),
    # bank and contact
    _a("bank_name", "开户银行", "spec"),
    _a("bank_name", "开户行 银行名称 代发银行", "roster"),
    _a("account_name", "银行账户名称", "spec"),
    _a("account_name", "账户名称 户名 开户名 开户人 账户名", "roster"),
    _a("account_name", "开户人姓名", "CAM"),
    _a("bank_account", "银行帐号 银行账号 一卡通账号", "spec"),
    _a("bank_account", "一卡通帐号 账号 帐号 银行卡号 存折账号 社保卡账号", "roster"),
    _a("bank_account", "一卡通账户", "NC"),
    _a("bank_account", "开户行账号 银行账户", "CAM"),
    _a("address", "家庭住址", "spec"),
    _a("address", "住址 家庭地址 居住地址", "roster"),
    _a("address", "户籍住址 户籍地址", "NC"),
    _a("phone", "联系电话", "spec"),
    _a("phone", "电话 手机号码 联系方式 手机号", "roster"),
    _a("phone", "家庭电话 手机", "CAM"),
    _a("phone", "户联系电话", "IDAP"),
    _a("housing_count", "拥有产权住房套数", "spec"),
    _a("housing_count", "住房套数 产权住房套数", "roster"),
    _a("financial_assets", "金融资产总额", "spec"),
    _a("financial_assets", "金融资产", "roster"),
    _a("remarks", "备注", "spec"),
    _a("remarks", "说明", "roster"),
    _a("scheme", "城乡类别", "roster"),
    _a("scheme", "城乡属性 城乡 城乡类型", "roster"),
    # member
    _a("name", "姓名", "spec"),
    _a("name", "成员姓名 保障对象姓名", "roster"),
    _a("id_number", "身份证号 身份证号码 公民身份号码", "spec"),
    _a(
        "id_number",
        "公民身份证号 身份证 成员身份证号 身份证件号码 公民身份证号码 成员身份证号码",
        "roster",
    ),
    _a("id_number", "证件号码", "CAM", "cert-or-id"),
    _a("id_type", "证件类型 主申请人证件类型", "CAM"),
    _a("relation", "与户主关系", "spec"),
    _a("relation", "与户主的关系 关系 家庭关系", "roster"),
    _a("relation", "与主申请人关系", "CAM"),
    _a("sex", "性别", "spec"),
    _a("birth_date", "出生日期", "spec"),
    _a("birth_date", "出生年月 出生年月日 生日", "roster"),
    _a("age", "年龄", "spec"),
    _a("age", "年龄岁", "roster"),
    _a("disability_grade", "残疾等级", "spec"),
    _a("disability_grade", "残疾级别 残疾程度 残疾情况", "roster"),
    _a("disability_type", "残疾类别", "spec"),
    _a("disability_type", "残疾类型 残疾种类", "roster"),
    _a("disability_cert", "残疾证号", "NC"),
    _a("disability_cert", "残疾证编号 残疾人证号", "inferred"),
    _a("illness", "患病病种 重病", "spec"),
    _a("illness", "患病情况 病种 重特大疾病 健康状况 患病名称", "roster"),
    _a("work_ability", "劳动能力", "spec"),
    _a("work_ability", "劳动能力状况", "roster"),
    _a("income_year", "年收入", "spec", "member-or-household"),
    _a("income_year", "个人年收入 成员年收入", "roster"),
    _a("income_month", "月收入", "NC", "member-or-household"),
    _a("income_month", "个人月收入 成员月收入", "inferred"),
    _a("income_month", "月收入共计", "VUE"),
    _a("is_covered", "是否保障对象", "spec"),
    _a("is_covered", "是否享受 是否保障 是否享受低保", "roster"),
    _a("is_covered", "户主是否享受", "CAM"),
)
"""Each row: a field, header texts that mean it, their source (the first row of a field
holds its usual header)."""


@dataclass(frozen=True)
class Group:
    """A parent header whose meaning flows to the columns under it."""

    name: str
    parents: tuple[str, ...]
    source: str


GROUPS: tuple[Group, ...] = (
    Group("income", ("家庭收入情况", "家庭收支情况", "收入情况", "家庭年收入情况"), "CAM"),
    Group("income", ("家庭收入", "家庭经济状况", "家庭经济情况", "收入", "年收入情况"), "inferred"),
    Group("rigid", ("刚性支出", "刚性支出情况", "家庭刚性支出", "刚性支出扣除"), "inferred"),
    Group("rigid", ("支出情况", "家庭支出情况", "家庭支出", "支出型困难"), "inferred"),
    Group("payment", ("保障金", "领取金额", "低保金额", "发放金额", "低保金"), "CAM"),
    Group("payment", ("月保障金", "保障金额", "发放情况", "补助金额", "救助金额"), "inferred"),
    Group("covered", ("保障人数", "享受人数", "保障人口"), "QT"),
    Group("size", ("家庭人口", "家庭人数", "家庭成员数"), "inferred"),
    Group("head", ("户主", "户主情况", "户主信息", "主申请人", "申请人"), "CAM"),
    Group("member", ("家庭成员情况", "成员情况", "家庭成员", "共同生活家庭成员"), "CAM"),
    Group("standard", ("保障标准", "低保标准", "最低生活标准"), "CAM"),
)
"""Parent headers that give their children a meaning (matched after normalisation)."""


@dataclass(frozen=True)
class Child:
    """A child header word and the field it means under a group's parent."""

    group: str
    field: str | None  # None: a part that is no field (保障人数.残疾人数)
    texts: tuple[str, ...]
    source: str


def _c(group: str, field: str | None, texts: str, source: str) -> Child:
    return Child(group, field, tuple(texts.split()), source)


_TOTAL = "合计 小计 总计 金额 总额 合计金额"

CHILDREN: tuple[Child, ...] = (
    _c("income", "gross_income_year", _TOTAL + " 总收入 年收入 家庭年收入 年总收入", "CAM"),
    _c("income", "gross_income_year", "家庭年 全年家庭纯收入 全年 年 纯收入", "GOV"),
    _c("income", "household_income_month", "月收入 家庭月 月总收入 月 月合计", "CAM"),
    _c("income", "per_capita_income_year", "家庭年人均 年人均 人均 人均收入 家庭人均纯收入", "CAM"),
    _c("income", "per_capita_income_month", "家庭月人均 月人均 人均月收入 月人均收入", "CAM"),
    _c("income", "wage_income", "工资 工资性 工资性收入 务工收入 工资收入", "GOV"),
    _c("income", "business_income", "经营 经营性 经营性收入 经营净收入 生产经营", "inferred"),
    _c("income", "property_income", "财产 财产性 财产性收入 财产净收入", "inferred"),
    _c("income", "transfer_income", "转移 转移性 转移性收入 转移净收入 补贴性收入", "GOV"),
    _c("rigid", "rigid_expense_year", _TOTAL + " 年 全年 刚性支出", "inferred"),
    _c("rigid", "rigid_expense_month", "月 月合计", "inferred"),
    _c("rigid", "medical_expense", "医疗 医疗费 医疗费用 医疗支出 自付医疗费用 就医", "inferred"),
    _c("rigid", "education_expense", "教育 就学 上学 教育支出 就学支出 教育费用 学费", "inferred"),
    _c("rigid", "care_expense", "康复 护理 康复护理 残疾康复护理 残疾康复 护理支出", "inferred"),
    _c("rigid", "employment_cost", "就业 就业成本 必要就业成本", "inferred"),
    _c("payment", "total_month", _TOTAL + " 发放合计 实发 实发金额", "CAM"),
    _c("payment", "benefit_month", "户月保障金 家庭补差 补差 低保金 保障金 基本保障金", "CAM"),
    _c("payment", "benefit_month", "月保障金 月保障金额 差额 基本生活费", "inferred"),
    _c("payment", "addon_month", "分类施保金 分类施保 重点救助 分类施保金额 加发", "CAM"),
    _c("covered", "covered_count", _TOTAL + " 人数 总人数 保障人数", "QT"),
    _c("covered", None, "重点保障人数 残疾人数 其中分类施保 女性人数 老年人", "QT"),
    _c("size", "household_size", _TOTAL + " 人数 总人数 总人口", "inferred"),
    _c("head", "head_name", "姓名 名字", "CAM"),
    _c("head", "head_id", "身份证号 身份证号码 公民身份号码 证件号码 身份证件号码", "CAM"),
    _c("member", "name", "姓名", "CAM"),
    _c("member", "id_number", "身份证号 身份证号码 公民身份号码 证件号码", "CAM"),
    _c("standard", "standard_month", "月 月标准 每月 元/月 月保障标准", "inferred"),
    _c("standard", "standard_year", "年 年标准 每年 元/年 年保障标准", "inferred"),
)
"""Child header words that mean a field only under a group's parent."""

ROSTER_EVIDENCE = frozenset(
    {
        "id_number",
        "head_id",
        "cert_no",
        "household_no",
        "member_list",
        "member_id_list",
        "household_size",
        "covered_count",
        "gross_income_year",
        "household_income_month",
        "per_capita_income_year",
        "per_capita_income_month",
        "benefit_month",
        "benefit_quarter",
        "benefit_year",
        "addon_month",
        "standard_month",
        "standard_year",
        "registered_poor",
    }
)
"""Fields a welfare roster carries and a list of people or a financial table does not:
an ID number or household key, household counts, income, benefit or standard. A
sheet is a roster only when its header holds one of them (beside a person)."""


@dataclass(frozen=True)
class Meaning:
    """What a normalised header text means: its field, the table row that says so."""

    field: str
    alias: Alias


def _index() -> dict[str, Meaning]:
    out: dict[str, Meaning] = {}
    for row in TABLE:
        for text in row.texts:
            out.setdefault(normalize_header(text), Meaning(row.field, row))
    for field in FIELDS:  # the canonical names themselves (head_id, household_size)
        own = Alias(field.name, (field.name,), "canonical")
        out.setdefault(normalize_header(field.name), Meaning(field.name, own))
    return out


MEANINGS: dict[str, Meaning] = _index()
ALIASES: dict[str, str] = {k: m.field for k, m in MEANINGS.items()}
"""Normalised header text -> field."""

GROUP_OF: dict[str, Group] = {normalize_header(p): g for g in GROUPS for p in g.parents}
CHILD_OF: dict[tuple[str, str], Child] = {
    (c.group, normalize_header(t)): c for c in CHILDREN for t in c.texts
}


def lookup(header: str) -> str | None:
    """The canonical field a (normalised) header text means, if any."""
    return ALIASES.get(header)


def meaning(header: str) -> Meaning | None:
    """The field a normalised header text means and the table row that says so."""
    return MEANINGS.get(header)


def _check() -> None:
    unknown = {r.field for r in TABLE} | {c.field for c in CHILDREN if c.field}
    unknown -= set(FIELD_BY_NAME)
    bad_sources = {r.source for r in (*TABLE, *GROUPS, *CHILDREN)} - set(SOURCES)
    bad_rules = {r.rule for r in TABLE if r.rule} - set(RULES)
    if unknown or bad_sources or bad_rules:  # pragma: no cover - a table typo
        raise RuntimeError(f"alias table: {unknown or ''} {bad_sources or ''} {bad_rules or ''}")


_check()


_MARKS = "¹²³⁴⁵⁶⁷⁸⁹"


def markdown() -> str:
    """The field table, the parent words and the sources, as the README shows them
    (``tests/test_docs.py`` keeps the README equal to this)."""
    lines = ["| field | level | what it holds | headers (source) |", "|---|---|---|---|"]
    for spec in FIELDS:
        rows = [r for r in TABLE if r.field == spec.name]
        by_source: dict[str, list[str]] = {}
        for row in rows:
            mark = _MARKS[list(RULES).index(row.rule)] if row.rule else ""
            texts = [f"{t}{mark}" for t in row.texts]
            by_source.setdefault(row.source, []).extend(texts)
        headers = "; ".join(f"{', '.join(t)} ({s})" for s, t in by_source.items())
        what = spec.zh + (f": {spec.doc}" if spec.doc else f" ({spec.en})")
        lines.append(f"| `{spec.name}` | {spec.level} | {what} | {headers or '—'} |")
    lines += [""] + [f"{_MARKS[i]} {text}.  " for i, text in enumerate(RULES.values())]
    lines += ["", "| parent words | children -> field (source) |", "|---|---|"]
    for name in dict.fromkeys(g.name for g in GROUPS):
        parents = ", ".join(
            f"{', '.join(g.parents)} ({g.source})" for g in GROUPS if g.name == name
        )
        kids = "; ".join(
            f"{', '.join(c.texts)} -> {f'`{c.field}`' if c.field else 'no field'} ({c.source})"
            for c in CHILDREN
            if c.group == name
        )
        lines.append(f"| {parents} | {kids} |")
    lines += ["", "| source | where the headers were seen |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in SOURCES.items()]
    return "\n".join(lines) + "\n"
