"""External lists (``--against KIND=FILE``): loading each kind, the ext.* rules, the CLI."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest
from click.testing import CliRunner

from civaudit.cli import cli, main
from civaudit.engine import AuditData, run_rules
from civaudit.errors import LoadError, MappingError, UsageError
from civaudit.external import KIND_FIELDS, KINDS, load_against, load_list, parse_against
from civaudit.idcard import check_ids
from civaudit.io.header import detect_header
from civaudit.normalize import parse_ids
from civaudit.policy import parse_policy, policy_template, policy_to_toml
from civaudit.rules import get_rule
from tests.conftest import make_id, write_xlsx
from tests.rules.rulekit import audit_data, households, members, policy, run

AS_OF = date(2019, 10, 1)
ZHANG = make_id(birth="19600101", seq="131")
WIFE = make_id(birth="19620202", seq="142")
LI = make_id(birth="19550505", seq="171")
SON = make_id(birth="19900303", seq="151")
STRANGER = make_id(birth="19700707", seq="222")
CADRE = make_id(birth="19650606", seq="313")
OTHER_CADRE = make_id(birth="19660606", seq="315")


def legacy(id18: str) -> str:
    """The 15-digit form of an 18-digit ID born in the 1900s."""
    return id18[:6] + id18[8:17]


# --- loading ------------------------------------------------------------------------

# kind -> (header, a data row, expected values of the loaded row)
LISTS = {
    "deaths": (
        ["序号", "姓名", "公民身份号码", "死亡日期"],
        [1, "张三", legacy(ZHANG), "2019年3月2日"],
        {"name": "张三", "death_date": pd.Timestamp("2019-03-02")},
    ),
    "tekun": (["姓名", "身份证号", "供养方式"], ["张三", ZHANG, "分散"], {"name": "张三"}),
    "payroll": (
        ["姓名", "身份证号码", "工作单位"],
        ["张三", ZHANG, "县教育局"],
        {"employer": "县教育局"},
    ),
    "cadres": (
        ["姓名", "身份证号", "职务", "亲属姓名", "亲属身份证号", "与干部关系"],
        ["王干部", ZHANG, "村主任", "李五", legacy(SON), "子"],
        {"name": "王干部", "position": "村主任", "relative_id": SON, "relation": "子"},
    ),
    "filings": (
        ["干部姓名", "干部身份证号", "亲属姓名", "亲属身份证号", "备案日期"],
        ["王干部", CADRE, "张三", ZHANG, "2019-01-15"],
        {"cadre_id": CADRE, "name": "张三", "filing_date": pd.Timestamp("2019-01-15")},
    ),
    "vehicles": (
        ["所有人", "身份证号", "号牌号码", "车辆类型"],
        ["张三", ZHANG, "冀G12345", "小型普通客车"],
        {"plate": "冀G12345", "vehicle_type": "小型普通客车"},
    ),
    "business": (
        ["企业名称", "统一社会信用代码", "法定代表人", "法定代表人身份证号"],
        ["康保县某商店", "92130723MA0A1B2C3D", "张三", ZHANG],
        {"business_name": "康保县某商店", "credit_code": "92130723MA0A1B2C3D", "name": "张三"},
    ),
    "housing": (
        ["权利人", "权利人证件号码", "房屋坐落", "不动产权证号", "建筑面积"],
        ["张三", ZHANG, "县城幸福小区3-2-501", "冀(2018)康保县不动产权第001号", "89.5"],
        {"housing_address": "县城幸福小区3-2-501", "floor_area": 89.5},
    ),
    "low-income": (
        ["户主身份证号", "姓名", "身份证号", "与户主关系", "残疾等级", "患病病种", "家庭人口"],
        [ZHANG, "张三", ZHANG, "户主", "肢体二级", "无", 2],
        {"head_id": ZHANG, "disability_grade": 2, "disability_type": "physical", "illness": "无"},
    ),
}


@pytest.mark.parametrize("kind", sorted(LISTS))
def test_each_kind_loads_from_xlsx_with_ids_in_18_digits(tmp_path, kind):
    header, row, expected = LISTS[kind]
    path = write_xlsx(tmp_path / f"{kind}.xlsx", [[f"{kind} 名单（2019年）"], header, row])
    frame = load_list(kind, path)
    assert len(frame) == 1
    assert list(frame.columns[:3]) == ["list_file", "list_sheet", "list_row"]
    assert set(KIND_FIELDS[kind]) <= set(frame.columns)
    first = frame.iloc[0]
    assert (first["list_file"], first["list_sheet"], first["list_row"]) == (str(path), "Sheet1", 3)
    assert first["id_number"] == ZHANG  # filings: the relative's ID
    assert first["id_status"] == "valid"
    for name, value in expected.items():
        assert first[name] == value, name


def test_the_15_digit_form_is_kept_as_the_original(tmp_path):
    header, row, _ = LISTS["deaths"]
    frame = load_list("deaths", write_xlsx(tmp_path / "d.xlsx", [header, row]))
    assert frame.loc[0, "id_number"] == ZHANG
    assert frame.loc[0, "id_original"] == legacy(ZHANG)


def test_population_list_by_village(tmp_path):
    path = write_xlsx(
        tmp_path / "人口.xlsx",
        [
            ["康保县各村户籍人口"],
            ["乡镇", "村", "人口数"],  # 人口数 is a roster header (household size)
            ["甲镇", "一村", 1000],
            ["甲镇", "二村", "800"],
            ["合计", None, 1800],
        ],
    )
    frame = load_list("population", path)
    assert frame[["town", "village", "population", "list_row"]].values.tolist() == [
        ["甲镇", "一村", 1000, 3],
        ["甲镇", "二村", 800, 4],
    ]


def test_gbk_csv_with_title_totals_and_footer(tmp_path):
    text = (
        "康保县2019年死亡人员名单\n"
        "姓名,身份证号,死亡时间\n"
        f"张三,{legacy(ZHANG)},2019-03-02\n"
        f"李四,{LI},2019.11\n"
        "合计,2人,\n"
        "制表人：王某,,\n"
    )
    path = tmp_path / "死亡.csv"
    path.write_bytes(text.encode("gbk"))
    frame = load_list("deaths", path)
    assert frame["id_number"].tolist() == [ZHANG, LI]
    assert frame["list_row"].tolist() == [3, 4]
    assert frame["list_sheet"].tolist() == ["死亡", "死亡"]
    assert frame["death_date"].tolist() == [pd.Timestamp("2019-03-02"), pd.Timestamp("2019-11-01")]


def test_every_sheet_is_read_and_a_sheet_without_a_list_is_skipped(tmp_path):
    path = write_xlsx(
        tmp_path / "tekun.xlsx",
        [["姓名", "身份证号"], ["张三", ZHANG]],
        sheet="甲镇",
        extra_sheets={"乙镇": [["姓名", "身份证号"], ["李四", LI]], "说明": [["本表由民政局提供"]]},
    )
    frame = load_list("tekun", path)
    assert frame[["list_sheet", "id_number"]].values.tolist() == [["甲镇", ZHANG], ["乙镇", LI]]


def test_two_row_merged_header(tmp_path):
    path = write_xlsx(
        tmp_path / "车辆.xlsx",
        [
            ["姓名", "车辆信息", None, "身份证号"],
            [None, "号牌号码", "车辆类型", None],
            ["张三", "冀G12345", "普通二轮摩托车", ZHANG],
        ],
        merges=["A1:A2", "B1:C1", "D1:D2"],
    )
    frame = load_list("vehicles", path)
    assert frame.loc[0, "plate"] == "冀G12345"
    assert frame.loc[0, "vehicle_type"] == "普通二轮摩托车"
    assert frame.loc[0, "list_row"] == 3


def test_a_list_without_an_id_column_is_refused(tmp_path):
    path = write_xlsx(
        tmp_path / "死亡.xlsx", [["姓名", "死亡日期", "村"], ["张三", "2019-01-01", "一村"]]
    )
    with pytest.raises(MappingError) as exc:
        load_list("deaths", path)
    assert str(path) in exc.value.message and "no ID-number column" in exc.value.message
    assert "身份证号" in exc.value.hint


def test_a_population_list_needs_village_and_population(tmp_path):
    path = write_xlsx(tmp_path / "人口.xlsx", [["乡镇", "户籍人口"], ["甲镇", 1000]])
    with pytest.raises(MappingError, match="no village column"):
        load_list("population", path)


def test_a_file_with_no_list_header_is_refused_and_an_unreadable_one_too(tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", [["这不是名单"], ["只有一行字"]])
    with pytest.raises(MappingError, match="no sheet holds a deaths list"):
        load_list("deaths", path)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(LoadError):
        load_list("deaths", broken)
    with pytest.raises(LoadError):
        load_list("deaths", tmp_path / "missing.xlsx")


def test_extra_aliases_come_after_the_roster_aliases():
    cells = pd.DataFrame([["姓名", "身份证号", "人口数", "号牌号码"]], index=[1], dtype="str")
    plain = detect_header(cells, where="x").mapped()
    assert "plate" not in plain and plain["household_size"].header == "人口数"
    extended = detect_header(cells, where="x", aliases={"号牌号码": "plate", "人口数": "x"})
    assert extended.mapped()["plate"].letter == "D"
    assert extended.mapped()["household_size"].header == "人口数"  # the roster alias wins


def test_parse_against():
    assert parse_against(["deaths=a.xlsx", " Low-Income = b.csv "]) == [
        ("deaths", __import__("pathlib").Path("a.xlsx")),
        ("low-income", __import__("pathlib").Path("b.csv")),
    ]
    with pytest.raises(UsageError, match="is not KIND=FILE"):
        parse_against(["deaths"])
    with pytest.raises(UsageError, match="unknown list kind 'death'") as exc:
        parse_against(["death=a.xlsx"])
    assert "did you mean 'deaths'" in exc.value.hint


def test_several_files_of_one_kind_are_concatenated(tmp_path):
    header, row, _ = LISTS["tekun"]
    one = write_xlsx(tmp_path / "a.xlsx", [header, row])
    folder = tmp_path / "more"
    folder.mkdir()
    write_xlsx(folder / "b.xlsx", [header, ["李四", LI, "集中"]])
    against, records = load_against([f"tekun={one}", f"tekun={folder}"])
    assert against["tekun"]["id_number"].tolist() == [ZHANG, LI]
    assert [(r["kind"], r["rows"]) for r in records] == [("tekun", 1), ("tekun", 1)]
    assert all(len(r["sha256"]) == 64 for r in records)


def test_kinds_are_the_contract_ones():
    assert KINDS == (
        "deaths", "tekun", "payroll", "cadres", "filings", "vehicles", "business", "housing",
        "low-income", "population",
    )  # fmt: skip


# --- the rules on small inline tables -----------------------------------------------


def listed(kind: str, **columns) -> pd.DataFrame:
    """An external list as load_list gives it: ID columns normalised and checked."""
    n = max((len(v) for v in columns.values() if isinstance(v, list)), default=1)
    frame = pd.DataFrame(
        {"list_file": "名单.xlsx", "list_sheet": "Sheet1", "list_row": range(2, n + 2)}
    )
    for name, values in columns.items():
        values = values if isinstance(values, list) else [values] * n
        if name in ("id_number", "relative_id", "cadre_id", "head_id"):
            ids = parse_ids(pd.Series(values, dtype="object"))
            status = "id_status" if name == "id_number" else f"{name}_status"
            frame[name] = ids["id_number"].to_numpy()
            frame[status] = check_ids(ids["id_number"])["id_status"].astype(str).to_numpy()
        elif name.endswith("_date"):
            frame[name] = pd.to_datetime(pd.Series(values, dtype="object"))
        else:
            frame[name] = values
    return frame


@pytest.fixture
def roster():
    """Two households: 张三 and his wife (一村); 李四 and his son (二村)."""
    m = members(
        id_number=[ZHANG, WIFE, LI, SON],
        name=["张三", "赵芳", "李四", "李五"],
        hh=[0, 0, 1, 1],
        row=[3, 4, 5, 6],
    )
    h = households(
        hh=[0, 1], row=[3, 5], village=["一村", "二村"], household_size=2, covered_count=2
    )
    return audit_data(h, m)


def against(data: AuditData, **lists) -> AuditData:
    return replace(data, against={k.replace("_", "-"): v for k, v in lists.items()})


def flat(report, *fields):
    return report.flatten(["rule", *fields])


def test_deceased_on_or_before_as_of_only(roster):
    deaths = listed(
        "deaths",
        id_number=[legacy(ZHANG), WIFE, LI, STRANGER],
        death_date=["2019-10-01", "2019-10-02", None, "2019-01-01"],
    )
    report = run(against(roster, deaths=deaths), "ext.deceased")
    assert flat(report, "row", "cell", "person") == [
        ("ext.deceased", 3, None, ZHANG),
        ("ext.deceased", 5, None, LI),
    ]
    first, undated = report.findings["evidence"]
    assert first["list_file"] == "名单.xlsx" and first["list_row"] == 2
    assert first["death_date"] == "2019-10-01" and first["as_of"] == "2019-10-01"
    assert report.findings["message"][0] == (
        "On the deaths list (名单.xlsx, sheet Sheet1, row 2): died 2019-10-01, on or before "
        "2019-10-01"
    )
    assert "no readable death date" in report.findings["message"][1]
    assert undated["list_row"] == 4


def test_damaged_ids_take_no_part_in_a_match(roster):
    masked = ZHANG[:6] + "********" + ZHANG[-4:]
    deaths = listed("deaths", id_number=[masked, "", "1.30723E+17"], death_date="2019-01-01")
    assert len(run(against(roster, deaths=deaths), "ext.deceased")) == 0


@pytest.mark.parametrize(
    ("rule_id", "kind", "extra"),
    [
        ("ext.tekun", "tekun", {}),
        ("ext.public-employee", "payroll", {"employer": "县教育局"}),
        ("ext.cadre", "cadres", {"position": "村主任"}),
        ("ext.business", "business", {"business_name": "某商店", "credit_code": "92130723X"}),
        ("ext.housing", "housing", {"housing_address": "幸福小区", "floor_area": 89.5}),
    ],
)
def test_a_member_on_the_list_is_reported_once_and_a_stranger_not(roster, rule_id, kind, extra):
    lst = listed(kind, id_number=[STRANGER, legacy(WIFE), WIFE], **extra)
    report = run(against(roster, **{kind: lst}), rule_id)
    assert flat(report, "row", "person", "name") == [(rule_id, 4, WIFE, "赵芳")]
    evidence = report.findings["evidence"][0]
    assert (evidence["list_file"], evidence["list_sheet"], evidence["list_row"]) == (
        "名单.xlsx",
        "Sheet1",
        3,
    )
    for key, value in extra.items():
        assert evidence[key] == value
    assert "名单.xlsx" in report.findings["message"][0]
    clean = listed(kind, id_number=[STRANGER], **extra)
    assert len(run(against(roster, **{kind: clean}), rule_id)) == 0


def test_a_relative_of_a_cadre_is_not_the_cadre(roster):
    cadres = listed("cadres", id_number=CADRE, relative_id=SON, name="王干部", relation="子")
    assert len(run(against(roster, cadres=cadres), "ext.cadre")) == 0


def test_cadre_relative_unfiled(roster):
    cadres = listed(
        "cadres",
        id_number=[CADRE, OTHER_CADRE],
        name=["王干部", "赵干部"],
        relative_id=[legacy(SON), STRANGER],
        relation=["子", "女"],
    )
    data = against(roster, cadres=cadres, filings=listed("filings", id_number=[STRANGER]))
    report = run(data, "ext.cadre-relative-unfiled")
    assert flat(report, "row", "person") == [("ext.cadre-relative-unfiled", 6, SON)]
    evidence = report.findings["evidence"][0]
    assert evidence["cadre_name"] == "王干部" and evidence["cadre_id"] == CADRE
    assert evidence["list_row"] == 2 and evidence["relation"] == "子"
    assert report.findings["message"][0] == (
        "Relative (子) of cadre 王干部 on the cadres list (名单.xlsx, sheet Sheet1, row 2), "
        "with no filing record"
    )
    # filed: by the relative's ID alone, or naming this cadre too
    for filing in (
        listed("filings", id_number=[SON]),
        listed("filings", id_number=[SON], cadre_id=[CADRE], filing_date=["2019-03-01"]),
    ):
        assert (
            len(run(against(roster, cadres=cadres, filings=filing), "ext.cadre-relative-unfiled"))
            == 0
        )
    # a filing for another cadre, or one made after the roster month, does not count
    for filing in (
        listed("filings", id_number=[SON], cadre_id=[OTHER_CADRE]),
        listed("filings", id_number=[SON], filing_date=["2019-12-01"]),
    ):
        assert (
            len(run(against(roster, cadres=cadres, filings=filing), "ext.cadre-relative-unfiled"))
            == 1
        )


def test_cadre_relative_rule_is_skipped_without_relative_ids(roster):
    data = against(
        roster,
        cadres=listed("cadres", id_number=[CADRE]),
        filings=listed("filings", id_number=[SON]),
    )
    report = run(data, "ext.cadre-relative-unfiled")
    assert "亲属身份证号" in report.rules_skipped["ext.cadre-relative-unfiled"]


def test_vehicle_exempt_types_come_from_the_policy(roster):
    vehicles = listed(
        "vehicles",
        id_number=[ZHANG, ZHANG, WIFE, LI],
        vehicle_type=["普通二轮摩托车", "小型普通客车", "残疾人机动轮椅车", "摩托车"],
        plate=["冀G1", "冀G2", "冀G3", "冀G4"],
    )
    report = run(against(roster, vehicles=vehicles), "ext.vehicle")
    assert flat(report, "row", "person") == [("ext.vehicle", 3, ZHANG)]
    evidence = report.findings["evidence"][0]
    assert evidence["vehicle_type"] == "小型普通客车" and evidence["plate"] == "冀G2"
    assert evidence["vehicles"] == 1 and evidence["list_row"] == 3
    strict = replace(roster, policy=policy("[external]\nexempt_vehicles = []"))
    report = run(against(strict, vehicles=vehicles), "ext.vehicle")
    assert flat(report, "row") == [("ext.vehicle", 3), ("ext.vehicle", 4), ("ext.vehicle", 5)]
    assert report.findings["evidence"][0]["vehicles"] == 2


def test_missed_eligible_points_at_the_list(roster):
    poor = make_id(birth="19580808", seq="411")
    poor_son = make_id(birth="19880808", seq="413")
    rich = make_id(birth="19580909", seq="421")
    low_income = listed(
        "low-income",
        id_number=[poor, poor_son, rich, ZHANG, STRANGER],
        name=["赵一", "赵二", "钱一", "张三", "孙一"],
        head_id=[poor, None, rich, ZHANG, STRANGER],
        role=["head", "child", "head", "head", "head"],
        disability_grade=[None, 1, None, 1, None],
        per_capita_income_month=[600.0, None, 600.0, 100.0, 300.0],
        village=["三村", None, "三村", "一村", "四村"],
    )
    report = run(against(roster, low_income=low_income), "ext.missed-eligible")
    assert flat(report, "file", "sheet", "row", "person", "name", "village") == [
        ("ext.missed-eligible", "名单.xlsx", "Sheet1", 2, poor, "赵一", "三村"),
        ("ext.missed-eligible", "名单.xlsx", "Sheet1", 6, STRANGER, "孙一", "四村"),
    ]
    first, second = report.findings["evidence"]
    assert first["severe_disability"] is True and first["serious_illness"] is False
    assert second["pc_income_month"] == 300 and second["standard_month"] == 400
    assert report.findings["household"].tolist() == [poor, STRANGER]
    assert report.findings["message"][0] == (
        "On the low-income list (名单.xlsx, sheet Sheet1, row 2) with a severely disabled "
        "member, but on no roster given"
    )
    assert "income 300 a month, below the standard 400" in report.findings["message"][1]
    zh = run(against(roster, low_income=low_income), "ext.missed-eligible", lang="zh")
    assert "月人均收入 300 元，低于标准 400 元" in zh.findings["message"][1]
    masked = run_rules(
        against(roster, low_income=low_income), select=["ext.missed-eligible"], lang="en"
    )
    assert masked.findings["person"][0] == poor[:6] + "********" + poor[-4:]


def test_coverage_outlier(roster):
    h = households(
        hh=list(range(8)),
        village=["一村"] * 5 + ["二村", "三村", "四村"],
        covered_count=2,
        household_size=2,
    )
    data = audit_data(h, members(id_number=ZHANG, hh=0))
    population = listed(
        "population", village=["一村", "二村", "三村村委会", "四村"], population=[50, 100, 100, 80]
    )
    report = run(against(data, population=population), "village.coverage-outlier")
    assert flat(report, "village", "row", "person") == [
        ("village.coverage-outlier", "一村", None, None)
    ]
    evidence = report.findings["evidence"][0]
    assert evidence["recipients"] == 10 and evidence["population"] == 50
    assert evidence["rate"] == 0.2 and evidence["median_rate"] == 0.0225
    assert evidence["list_row"] == 2
    assert report.findings["message"][0] == (
        "一村: 10 recipients for a population of 50 (20%), above 2 x the median of the "
        "villages (2.2%)"
    )
    two = listed("population", village=["一村", "二村"], population=[50, 100])
    assert len(run(against(data, population=two), "village.coverage-outlier")) == 0


def test_every_external_rule_on_the_clean_roster_with_unrelated_lists(roster):
    lists = {
        kind: listed(
            kind, id_number=[STRANGER], relative_id=[CADRE], village=["五村"], population=[1]
        )
        for kind in KINDS
    }
    data = replace(roster, against=lists)
    before = {k: v.copy(deep=True) for k, v in lists.items()}
    report = run_rules(data, select=["ext", "village.coverage-outlier"], lang="en")
    assert report.findings.empty
    assert set(report.rules_run) >= {"ext.deceased", "ext.missed-eligible", "ext.vehicle"}
    for kind, frame in before.items():
        pd.testing.assert_frame_equal(data.against[kind], frame)


def test_rule_needs_are_the_lists_and_the_roster():
    assert get_rule("village.coverage-outlier").needs == (
        "against.population",
        "households.village",
    )
    assert get_rule("ext.cadre-relative-unfiled").against == ("cadres", "filings")


# --- policy -------------------------------------------------------------------------


def test_exempt_vehicles_in_the_policy():
    assert parse_policy(policy_template()).external.exempt_vehicles == (
        "残疾人机动轮椅车",
        "摩托车",
        "农用车",
    )
    custom = policy('[external]\nexempt_vehicles = ["摩托车", "拖拉机"]')
    assert custom.external.exempt_vehicles == ("摩托车", "拖拉机")
    assert parse_policy(policy_to_toml(custom)) == custom
    assert 'exempt_vehicles = ["摩托车", "拖拉机"]' in policy_to_toml(custom)
    from civaudit.errors import PolicyError

    with pytest.raises(PolicyError, match=r"external\.exempt_vehicles: must be a list"):
        policy('[external]\nexempt_vehicles = "摩托车"')
    with pytest.raises(PolicyError, match="holds an empty text"):
        policy('[external]\nexempt_vehicles = [""]')
    with pytest.raises(PolicyError, match="unknown key"):
        policy("[external]\nexempt = []")


# --- the command line ---------------------------------------------------------------


@pytest.fixture
def files(tmp_path):
    roster_path = write_xlsx(
        tmp_path / "花名册.xlsx",
        [
            ["某村2019年10月农村低保花名册"],
            ["户主姓名", "户主身份证号", "家庭人口", "保障人口", "家庭年总收入（元）", "月保障金"],
            ["张三", ZHANG, 3, 3, 9000, 450],
        ],
    )
    deaths = write_xlsx(
        tmp_path / "死亡名单.xlsx",
        [["姓名", "身份证号", "死亡日期"], ["张三", legacy(ZHANG), "2019-05-01"]],
    )
    return roster_path, deaths


def codes(args):
    with pytest.raises(SystemExit) as exc:
        main(args)
    return exc.value.code


def test_cli_against_end_to_end(files):
    roster_path, deaths = files
    args = ["--lang", "en", "audit", str(roster_path), "-f", "json", "--as-of", "2019-10"]
    assert (
        codes([*args, "--against", f"deaths={deaths}", "-o", str(deaths.with_suffix(".json"))]) == 1
    )
    result = CliRunner().invoke(cli, [*args, "--against", f"deaths={deaths}"])
    assert result.exit_code == 0, result.output  # the command's own code comes through main()
    report = json.loads(result.stdout)
    found = [f for f in report["findings"] if f["rule"] == "ext.deceased"]
    assert len(found) == 1 and found[0]["row"] == 3 and found[0]["cell"] == "B3"
    assert found[0]["evidence"]["list_file"] == str(deaths)
    (record,) = report["civaudit"]["against"]
    assert record["kind"] == "deaths" and record["path"] == str(deaths) and record["rows"] == 1
    assert len(record["sha256"]) == 64
    assert "external list deaths" in result.stderr
    assert "ext.deceased" in report["civaudit"]["rules_run"]
    without = json.loads(CliRunner().invoke(cli, args).stdout)
    assert without["civaudit"]["against"] == []
    assert "ext.deceased" in without["civaudit"]["rules_skipped"]


def test_cli_against_usage_errors_exit_2(files, tmp_path, capsys):
    roster_path, deaths = files
    base = ["audit", str(roster_path), "-q"]
    assert codes([*base, "--against", f"death={deaths}"]) == 2
    assert "unknown list kind 'death'" in capsys.readouterr().err
    assert codes([*base, "--against", str(deaths)]) == 2
    assert "is not KIND=FILE" in capsys.readouterr().err
    assert codes([*base, "--against", f"deaths={tmp_path / 'missing.xlsx'}"]) == 2
    no_id = write_xlsx(tmp_path / "no-id.xlsx", [["姓名", "死亡日期"], ["张三", "2019-05-01"]])
    assert codes([*base, "--against", f"deaths={no_id}"]) == 2
    assert "no ID-number column" in capsys.readouterr().err
    assert codes([*base, "--against", f"deaths={deaths}", "-o", str(deaths)]) == 2
    assert "never writes to an input" in capsys.readouterr().err
    assert codes([*base, "--against", f"deaths={deaths}", "--as-of", "2019-10"]) == 1
