"""Real header shapes, each from a cited source (the keys of ``io.aliases.SOURCES``).

The grids copy the header rows of the exports, ledgers and templates as their sources
lay them out (column order, merged parents, units, punctuation); the data rows are
made up. NC = the national system's query exports as a county office's importer reads
them (NewCosmos Services/Import/*), CAM = Inspur's civil-affairs platform
(A1500/cam cam/WebContent/jsp/cams/drel/...), IDAP / GOV / XF / VUE / QT / YH as in
``SOURCES``.
"""

from __future__ import annotations

import pandas as pd
import pytest

from civaudit.io.header import detect_header
from tests.conftest import make_id

ID1 = make_id(seq="131")
ID2 = make_id(birth="19650101", seq="142")
ID3 = make_id(birth="19900101", seq="153")


def grid(rows):
    width = max(len(r) for r in rows)
    frame = pd.DataFrame(
        [list(r) + [None] * (width - len(r)) for r in rows],
        index=pd.RangeIndex(1, len(rows) + 1),
    )
    return frame.astype("str").where(frame.notna())


def mapping(rows, **kw):
    header = detect_header(grid(rows), where="t.xlsx", **kw)
    return header, {c.header: c.field for c in header.columns}


def used(header):
    return {c.header: c.field for c in header.columns if c.used}


def test_nc_rural_household_file():
    # NC RuralSubsistenceImportService.cs: 农村低保家庭查询_*.xlsx, the household file
    head = ["户主姓名", "户主身份证号", "家庭人口", "保障人口", "家庭年总收入（元）"]
    head += ["家庭年均收入（元）", "户月保障金额（元）", "家庭分类施保总额（元）"]
    head += ["人员分类施保总额（元）", "合计（元）", "联系电话", "家庭住址", "所属省", "所属市"]
    head += ["所属区县", "所属街道", "所属社区", "低保（特困）证号", "最初享受月", "申请原因"]
    head += ["开户银行", "银行账户名称", "银行帐号", "一卡通账号", "拥有产权住房套数"]
    head += ["住房总面积（平方米）", "金融资产总额（元）", "家庭成员姓名", "家庭成员身份证号"]
    row = ["张三", ID1, "2", "2", "3000", "1500", "600", "0", "0", "600", "1", "x", "河北省"]
    row += ["张家口市", "康保县", "张纪镇", "上房子村", "130723001", "2019-01", "x", "农行"]
    row += ["张三", "622", None, "0", "60", "0", "张三、李四", f"{ID1}、{ID2}"]
    row2 = [*row[:-2], "王五,赵六", f"{ID3},{ID2}"]
    header, got = mapping([head, row, row2])
    assert (got["所属区县"], got["所属街道"], got["所属社区"]) == ("county", "town", "village")
    assert got["家庭年均收入（元）"] == "per_capita_income_year"  # per capita, despite the name
    assert got["人员分类施保总额（元）"] == "addon_members_month"
    assert got["家庭成员姓名"] == "member_list"  # every member in one cell
    assert got["家庭成员身份证号"] == "member_id_list"
    assert got["一卡通账号"] == "bank_account" and got["银行帐号"] == "bank_account"
    assert got["住房总面积（平方米）"] is None
    assert [k.field for k in header.clashes] == ["bank_account"]  # both kept, reported
    assert got["申请原因"] == "apply_reason"


def test_nc_urban_household_file_monthly_income():
    # NC UrbanSubsistenceImportService.cs: 城市低保家庭查询_*.xlsx; short place columns
    head = ["户主姓名", "户主身份证号", "家庭人口数", "保障人口数", "家庭月总收入（元）"]
    head += ["家庭月均收入（元）", "户月保障金额（元）", "所属区", "所属街", "所属社"]
    _header, got = mapping([head, ["张三", ID1, "2", "2", "800", "400", "500", "a", "b", "c"]])
    assert got["家庭月总收入（元）"] == "household_income_month"
    assert got["家庭月均收入（元）"] == "per_capita_income_month"  # 月均 = per capita
    assert (got["所属区"], got["所属街"], got["所属社"]) == ("county", "town", "village")


@pytest.mark.parametrize(
    ("income", "place"),
    [
        ("月收入（元）", "所属区"),  # NC urban 低保 and 刚性支出 person files
        ("月收入", "所属区划"),  # NC 低保边缘 person file: no unit, 所属区划
    ],
)
def test_nc_person_files_monthly_member_income(income, place):
    head = ["姓名", "身份证号", "户主身份证号", "与户主关系", "性别", income, place]
    head += ["户月保障金额（元）", "合计分类施保金额（元）", "是否属脱贫享受政策人口"]
    row = ["张三", ID1, ID1, "户主", "男", "300", "康保县", "600", "0", "否"]
    _header, got = mapping([head, row])
    assert got[income] == "income_month"  # a member's own, on member rows
    assert got[place] == "county"
    assert got["合计分类施保金额（元）"] == "addon_member_month"
    assert got["是否属脱贫享受政策人口"] == "poverty_exited"


def test_nc_tekun_files():
    # NC DestituteImportService.cs: 特困人员家庭查询 / 特困人员人员查询
    head = ["户主姓名", "户主身份证号", "家庭人口", "基本生活总费用（元）", "照料护理总费用（元）"]
    head += ["户籍类型", "户籍住址", "最初享受月份", "电表号"]
    _header, got = mapping([head, ["张三", ID1, "1", "800", "200", "农村", "x", "2019-1", "88"]])
    assert got["基本生活总费用（元）"] == "benefit_month"
    assert got["照料护理总费用（元）"] == "care_allowance_month"  # not the rigid care expense
    assert got["户籍类型"] == "hukou_type" and got["户籍住址"] == "address"
    assert got["电表号"] is None  # a long number that is no ID
    person = ["姓名", "身份证号", "户主身份证号", "基本生活标准（元）", "照料护理费用（元）"]
    _, got = mapping([person, ["张三", ID1, ID1, "700", "200"]])
    assert got["基本生活标准（元）"] == "standard_month"  # the standard, not the payment


def test_nc_edge_and_rigid_household_files():
    # NC LowIncomeEdgeImportService.cs / RigidExpenditureImportService.cs: no money columns,
    # no 家庭人口, 纳入月份 for the start
    head = ["户主姓名", "户主身份证号", "保障人口", "申请原因", "户籍类型", "纳入月份", "所属区划"]
    _, got = mapping([head, ["张三", ID1, "2", "x", "城镇", "2020-05", "x"]])
    assert got["保障人口"] == "covered_count" and got["纳入月份"] == "start_month"


def test_cam_ledger_certificate_column_and_member_slots():
    # CAM drel/report/standingBookExcel.jsp: the 台账统计明细 export (two title rows, a
    # two-row header, 证件号码 bound to the 低保 card number, 月收入 to the household,
    # 最低生活标准 to the standard, nine numbered member pairs)
    top = ["登记时间", "证件号码", "户主姓名", "身份证号码", "性别", "民族", "家庭住址"]
    top += ["享受保障类别", "享受保障人数", "成年人", None, "未成年人", None, "户月保障金"]
    top += ["月收入", "最低生活标准", "开户行", "开户行账号", "变动种类", "户主是否享受"]
    top += ["成员一姓名", "成员一身份证号", "成员二姓名", "成员二身份证号"]
    sub = [None] * 9 + ["在职人员", "灵活就业", "在校生", "其他"] + [None] * 11
    row = ["2019-01", "鲁001", "张三", ID1, "男", "汉", "x", "A", "2", "1", "0", "0", "1", "300"]
    row += ["200", "500", "农行", "6228", "新增", "是", "李四", ID2, None, None]
    row2 = [*row[:1], "鲁002", "王五", ID3, *row[4:]]
    header, got = mapping([["某县台账统计明细"], ["统计单位：某县民政局"], top, sub, row, row2])
    assert header.rows == (3, 4)
    assert got["证件号码"] == "cert_no" and got["身份证号码"] == "id_number"
    certificate = next(c for c in header.columns if c.header == "证件号码")
    assert "shape:short-numbers" in certificate.basis
    assert got["月收入"] == "household_income_month"  # one row per household
    assert got["最低生活标准"] == "standard_month" and got["户月保障金"] == "benefit_month"
    assert got["开户行账号"] == "bank_account" and got["登记时间"] == "start_month"
    assert got["成年人.在职人员"] is None
    slots = [(c.header, c.field, c.slot) for c in header.slots]
    assert slots == [
        ("成员一姓名", "name", 1),
        ("成员一身份证号", "id_number", 1),
        ("成员二姓名", "name", 2),
        ("成员二身份证号", "id_number", 2),
    ]
    assert "id_number" in header.mapped() and header.mapped()["id_number"].letter == "D"


def test_cam_certificate_column_without_values_decided_by_the_id_column():
    # the same ledger's header with no data rows yet: 身份证号码 is there, no 证件类型
    head = ["证件号码", "户主姓名", "身份证号码", "享受保障人数"]
    header, got = mapping([head])
    assert got["证件号码"] == "cert_no"
    assert "context:id-column" in header.columns[0].basis


def test_cam_export_with_document_type_keeps_the_id():
    # CAM drel/export/commExcel.jsp: 证件类型 beside 证件号码 (the ID document)
    head = ["主申请人姓名", "主申请人证件类型", "证件号码", "与主申请人关系", "保障人数"]
    _, got = mapping([head, ["张三", "居民身份证", ID1, "本人", "2"]])
    assert got["证件号码"] == "id_number" and got["主申请人证件类型"] == "id_type"
    assert got["主申请人姓名"] == "head_name" and got["与主申请人关系"] == "relation"


def test_cam_statistics_group_with_unit_in_the_parent():
    # CAM drel/report/exportCountryBaseCaseExcel.jsp: 保障金（元）[c3] over 合计, 户月保障金,
    # 分类施保金; 户数（户） over a blank child (the total) and 其中分类施保
    top = ["户主姓名", "身份证号", "户数（户）", None, "保障金（元）", None, None]
    sub = [None, None, None, "其中分类施保", "合计", "户月保障金", "分类施保金"]
    _, got = mapping([top, sub, ["张三", ID1, "1", "0", "600", "500", "100"]])
    assert got["保障金（元）.合计"] == "total_month"
    assert got["保障金（元）.户月保障金"] == "benefit_month"
    assert got["保障金（元）.分类施保金"] == "addon_month"
    assert got["户数（户）.其中分类施保"] is None  # a part, not the add-on amount


def test_cam_form_income_group_with_units_inside_the_cells():
    # CAM drel/esurey/internal/esureyInfoDetail.jsp: 收入情况 over 家庭年：<br/>(单位：元) ...
    top = ["户主姓名", "身份证号", "家庭人口", "收入情况", None, None, None]
    sub = [None, None, None, "家庭年：\n(单位：元)", "家庭月：\n(单位：元)"]
    sub += ["家庭年人均：\n(单位：元)", "家庭月人均：\n(单位：元)"]
    _, got = mapping([top, sub, ["张三", ID1, "2", "2400", "200", "1200", "100"]])
    assert list(got.values())[3:] == [
        "gross_income_year",
        "household_income_month",
        "per_capita_income_year",
        "per_capita_income_month",
    ]


def test_gov_three_row_income_header():
    # GOV WebRoot/excelTemplate/income.xls: 家庭年收入情况(元) over 1.全年家庭纯收入 | 其中 over
    # its parts | 2.家庭人均纯收入; stars mark required columns
    top = ["户主姓名*", "身份证号", "家庭年收入情况(元)", None, None, None]
    mid = [None, None, "1.全年家庭纯收入", "其中", None, "2.家庭人均纯收入"]
    low = [None, None, None, "务工收入", "补贴性收入", None]
    header, got = mapping([top, mid, low, ["张三", ID1, "9000", "5000", "4000", "3000"]])
    assert header.rows == (1, 2, 3)
    assert got["家庭年收入情况(元).1.全年家庭纯收入"] == "gross_income_year"
    assert got["家庭年收入情况(元).其中.务工收入"] == "wage_income"
    assert got["家庭年收入情况(元).其中.补贴性收入"] == "transfer_income"
    assert got["家庭年收入情况(元).2.家庭人均纯收入"] == "per_capita_income_year"
    assert got["户主姓名*"] == "head_name"


def test_qt_village_roster_parent_with_its_own_column():
    # QT 七田村 城保名册 / 农保名册: 保障人数 (value) over 重点保障人数 | 残疾人数 (parts);
    # 领取金额 over 家庭补差 | 重点救助60元 (an amount in the label, not a unit)
    top = ["序号", "户主姓名", "低保证号", "身份证号码", "保障人数", None, None, "领取金额", None]
    sub = [None, None, None, None, None, "重点保障人数", "残疾人数", "家庭补差", "重点救助60元"]
    row = ["1", "张三", "0001", ID1, "2", "1", "0", "450", "60"]
    _, got = mapping([["七田村2024年低保补贴汇总表"], top, sub, row])
    assert got["保障人数"] == "covered_count"
    assert got["保障人数.重点保障人数"] is None and got["保障人数.残疾人数"] is None
    assert got["领取金额.家庭补差"] == "benefit_month"
    assert got["领取金额.重点救助60元"] == "addon_month"
    assert got["低保证号"] == "cert_no" and got["身份证号码"] == "id_number"


def test_idap_monitoring_list():
    # IDAP SgtzglYtprkmd.java: 防返贫监测 lists, household fields repeated on person rows
    head = ["序号", "县(市、区、旗)", "乡(镇)", "行政村", "自然村", "户编号", "证件号码"]
    head += ["人数", "人均纯收入", "与户主关系", "户联系电话"]
    row = ["1", "康保县", "张纪镇", "上房子村", "一组", "H001", ID1, "3", "9000", "户主", "1"]
    _, got = mapping([head, row])
    assert (got["县(市、区、旗)"], got["乡(镇)"], got["行政村"]) == ("county", "town", "village")
    assert got["自然村"] == "group" and got["户编号"] == "household_no"
    assert got["证件号码"] == "id_number"  # the only ID column: the ID
    assert got["人数"] == "household_size"
    assert got["人均纯收入"] == "per_capita_income_year"


def test_vue_platform_form_fields():
    # VUE: a social-assistance app's 城乡低保 and 特困 forms
    head = ["户主姓名", "身份证号", "在保人数", "家庭月平均收入", "家庭月人均收入", "低保标准"]
    head += ["家庭月保障金额", "护理费(每人每月)", "月工薪收入(元)"]
    header, got = mapping([head, ["张三", ID1, "2", "800", "400", "600", "400", "100", "500"]])
    assert got["家庭月平均收入"] == "household_income_month"  # the household's, despite 平均
    assert got["家庭月人均收入"] == "per_capita_income_month"
    assert got["低保标准"] == "standard_month" and got["家庭月保障金额"] == "benefit_month"
    assert got["护理费(每人每月)"] == "care_allowance_month"
    wage = next(c for c in header.columns if c.header == "月工薪收入(元)")
    assert (wage.field, wage.scale, wage.period) == ("wage_income", 12, "month")


def test_nc_review_form_and_cam_end_list():
    # NC Templates_NEW/档案_定期复核审批表: period after the noun, 复核时间;
    # CAM application/city/apply/samCityJieShuList.jsp: 结束原因, 结束时间;
    # CAM query/queryFamilyAction.jsp: 截止保障年月, 上次复查时间
    head = ["户主姓名", "身份证号", "家庭总收入（年）", "家庭人均收入（年）", "复核时间"]
    head += ["结束原因", "结束时间", "截止保障年月", "上次复查时间", "复查结果"]
    _, got = mapping([head, ["张三", ID1, "1", "1", "2020-01", "x", "2020-02", "x", "x", "x"]])
    assert got["家庭总收入（年）"] == "gross_income_year"
    assert got["家庭人均收入（年）"] == "per_capita_income_year"
    assert got["复核时间"] == "review_date" and got["上次复查时间"] == "review_date"
    assert got["结束原因"] == "stop_reason" and got["结束时间"] == "stop_date"
    assert got["截止保障年月"] == "end_month" and got["复查结果"] == "review_result"


def test_cam_payment_roll_with_title_rows():
    # CAM drel/funds/release/samReleaseAllDetailExcel.jsp: 发放签字表, two note rows, a
    # household row per payee; CAM samReleaseSummaryExcel.jsp: 发放年月
    head = ["地区", "姓名", "身份证号", "低保证号", "保障人数", "保障金（元）", "分类施保金（元）"]
    head += ["发放合计（元）", "发放年月", "领取人"]
    rows = [["发放签字表"], ["制表单位：某街道", None, None, "日期：2019-10"], head]
    rows.append(["某街道", "张三", ID1, "0001", "2", "500", "60", "560", "2019-10", "张三"])
    header, got = mapping(rows)
    assert header.rows == (3,)
    assert got["保障金（元）"] == "benefit_month" and got["分类施保金（元）"] == "addon_month"
    assert got["发放合计（元）"] == "total_month" and got["发放年月"] == "pay_month"


def test_yh_monthly_roster_data_month():
    # YH Jzfp2019.cs: 数据月份 (yyyymm) on the district's monthly roster
    _, got = mapping([["姓名", "身份证号", "数据月份", "保障人数"], ["张三", ID1, "201902", "1"]])
    assert got["数据月份"] == "pay_month"


def test_xf_and_inferred_wording():
    # XF FamilyItem.java: 纳入救助标准, 救助证编号, 保障总人口, 生活补助金, 总发放金额;
    # inferred (not seen in a source): 复核周期, 停保原因
    head = ["户主姓名", "身份证号", "纳入救助标准", "救助证编号", "保障总人口", "生活补助金"]
    head += ["总发放金额", "复核周期", "停保原因"]
    _, got = mapping([head, ["张三", ID1, "600", "1", "2", "400", "400", "每年", "死亡"]])
    assert got["纳入救助标准"] == "standard_month" and got["救助证编号"] == "cert_no"
    assert got["保障总人口"] == "covered_count" and got["生活补助金"] == "benefit_month"
    assert got["总发放金额"] == "total_month"
    assert got["复核周期"] == "review_cycle" and got["停保原因"] == "stop_reason"


def test_publicity_list_amount_paid():
    # inferred: a 公示 list's one amount column, 发放金额（元）, is the month's total paid
    # (benefit and add-ons, as 实际发放金额 and 总发放金额); under a parent it stays the
    # parent of its children (test_header_context)
    head = ["序号", "乡镇（街道）", "村（社区）", "户主姓名", "身份证号码", "保障人数"]
    head += ["保障类别", "发放金额（元）"]
    masked = ID1[:6] + "*" * 8 + ID1[14:]
    _, got = mapping([head, ["1", "某镇", "某村", "王*明", masked, "3", "A类", "1260"]])
    assert got["发放金额（元）"] == "total_month" and got["保障人数"] == "covered_count"


def test_traditional_and_spaced_headers():
    # traditional characters (an HK/TW input method: 戶主姓名, 身份證號碼, code index) and
    # typographic spacing (户  主, 姓  名)
    head = ["戶主姓名", "身份證號碼", "家庭人數", "與戶主關係", "月保障金額", "户  主", "姓  名"]
    _, got = mapping([head, ["张三", ID1, "3", "户主", "400", "张三", "张三"]])
    assert got["戶主姓名"] == "head_name" and got["身份證號碼"] == "id_number"
    assert got["家庭人數"] == "household_size" and got["與戶主關係"] == "relation"
    assert got["月保障金額"] == "benefit_month" and got["姓  名"] == "name"


@pytest.mark.parametrize(
    ("header", "field", "scale", "period"),
    [
        ("月保障金（元/月）", "benefit_month", 1, "month"),
        ("月保障金（元/年）", "benefit_year", 1, "year"),  # the unit wins over the words
        ("保障金额（元/季度）", "benefit_quarter", 1, "quarter"),
        ("年保障金", "benefit_year", 1, "year"),
        ("刚性支出（元/月）", "rigid_expense_month", 1, "month"),
        ("医疗支出（元/月）", "medical_expense", 12, "month"),  # no monthly twin: x 12
        ("分类施保金（元/年）", "addon_month", 1 / 12, "year"),
        ("金融资产总额（万元）", "financial_assets", 10_000, None),  # CAM: （万元） columns
        ("保障标准（元/人月）", "standard_month", 1, "month"),
        ("保障标准（元/年）", "standard_year", 1, "year"),
        ("月人均收入（元/月/人）", "per_capita_income_month", 1, "month"),
        ("人均收入（元/年）", "per_capita_income_year", 1, "year"),
    ],
)
def test_units_set_period_and_scale(header, field, scale, period):
    h, _ = mapping([["户主姓名", "身份证号", "家庭人口", header], ["张三", ID1, "3", "1"]])
    column = h.columns[3]
    assert (column.field, column.period) == (field, period)
    assert column.scale == pytest.approx(scale)


def test_a_unit_note_above_the_header_applies_to_every_money_column():
    rows = [["某村低保花名册"], ["填报单位：某乡", None, "单位：万元"]]
    rows += [["户主姓名", "身份证号", "金融资产", "家庭年总收入（元）"], ["张三", ID1, "1.2", "1"]]
    header, _ = mapping(rows)
    assert header.unit == "万元"
    assets, income = header.columns[2], header.columns[3]
    assert assets.scale == 10_000 and "sheet-unit:万元" in assets.basis
    assert income.scale == 1  # its own unit wins
