"""The roster month of each file: option, policy, title, sheet name, file name, folders;
never today. And what the rules do with it (run per month, not without one)."""

from __future__ import annotations

from datetime import date

import pytest

from civaudit import EXAMPLE_POLICY, audit, load_roster
from civaudit.asof import month_in, resolve_months
from civaudit.engine import MONTH_RULES
from civaudit.policy import parse_policy
from tests.conftest import make_id, write_xlsx

HEADER = ["户主姓名", "户主身份证号", "家庭人口", "保障人口", "家庭年总收入", "月保障金", "年龄"]
CHILD = make_id(birth="20210101", seq="131")  # born after 2019-10: implausible then


def roster(path, title=None, *, rows=None):
    rows = rows or [["张三", CHILD, 1, 1, 2400, 300, 3]]
    write_xlsx(path, ([[title]] if title else []) + [HEADER, *rows])
    return path


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("农村低保家庭查询_上房子村201910", "2019-10"),
        ("20191001花名册", "2019-10"),
        ("2019年10月农村低保花名册", "2019-10"),
        ("2019-10", "2019-10"),
        ("2019.10", "2019-10"),
        ("2019_10", "2019-10"),
        ("2019年第四季度", "2019-12"),
        ("2019年4季度", "2019-12"),
        ("2019Q3", "2019-09"),
        ("130723198501011234", None),  # an ID number names no month
        ("2019年10月至2019年12月", None),  # two months name none
        ("2019年低保花名册", None),  # a year alone names none
        ("花名册", None),
    ],
)
def test_month_spellings(text, month):
    assert month_in(text) == month


def test_order_option_policy_title_file_name_folder(tmp_path):
    folder = tmp_path / "2019年第三季度" / "康保县"
    folder.mkdir(parents=True)
    titled = roster(folder / "a_201908.xlsx", "某村2019年10月农村低保花名册")
    named = roster(folder / "b_201908.xlsx")
    plain = roster(folder / "c.xlsx")
    r = load_roster([titled, named, plain])
    files = resolve_months(r, EXAMPLE_POLICY).files.set_index("file")
    assert files.loc[str(titled), ["as_of", "source"]].tolist() == [date(2019, 10, 1), "title"]
    assert files.loc[str(named), ["as_of", "source"]].tolist() == [date(2019, 8, 1), "file-name"]
    assert files.loc[str(plain), ["as_of", "source"]].tolist() == [date(2019, 9, 1), "folder"]
    assert files.loc[str(titled), "conflict"]  # the title and the file name disagree
    assert not files.loc[str(named), "conflict"]  # August is in the third quarter
    policy = parse_policy(
        '[policy]\nas_of = "2019-07-01"\n[[standard]]\nregion = "13"\nyearly = 4800'
    )
    by_policy = resolve_months(r, policy)
    assert set(by_policy.files["source"]) == {"policy"} and by_policy.main == date(2019, 7, 1)
    by_option = resolve_months(r, policy, "2019-06")
    assert set(by_option.files["source"]) == {"option"} and by_option.main == date(2019, 6, 1)


def test_a_file_named_201910_without_a_month_in_its_title_is_audited_as_of_2019_10(tmp_path):
    path = tmp_path / "农村低保花名册201910.csv"
    path.write_text(
        "户主姓名,户主身份证号,家庭人口,保障人口,家庭年总收入,月保障金,年龄\n"
        f"张三,{CHILD},1,1,2400,300,3\n",
        encoding="utf-8",
    )
    report = audit(load_roster(path), EXAMPLE_POLICY, lang="en")
    assert report.as_of[["as_of", "source"]].values.tolist() == [[date(2019, 10, 1), "file-name"]]
    # born 2021, after the roster month: found because the month is 2019-10, not today
    assert "person.age-implausible" in set(report.findings["rule"])
    assert report.coverage["assessed"].all()


def test_a_file_with_no_month_anywhere_runs_no_time_rule_and_says_so(tmp_path):
    path = roster(tmp_path / "花名册.xlsx", "某村农村低保花名册")
    report = audit(load_roster(path), EXAMPLE_POLICY, lang="en")
    assert report.as_of["source"].tolist() == ["none"]
    assert report.as_of["as_of"].tolist() == [None]
    assert "person.age-implausible" not in set(report.findings["rule"])
    statuses = report.rules.set_index("rule")
    assert (statuses.loc[list(MONTH_RULES), "status"] == "skipped").all()
    status = statuses.loc["person.age-implausible"]  # the one this roster has the data for
    assert status["reason"] == "no-month"
    assert "--as-of" in status["en"] and "--as-of" in status["zh"]
    assert report.rules_skipped["person.age-implausible"].startswith("needs the roster month")
    assert report.warnings["code"].tolist() == ["as-of-missing"]
    # the household is still assessed: the example policy's standard is the same every month
    assert report.coverage["assessed"].all()


def test_each_file_of_a_batch_has_its_own_month(tmp_path):
    born = make_id(birth="20191115", seq="171")  # born after October 2019, before 2020
    rows = [["李四", born, 1, 1, 2400, 300, None]]
    october = roster(tmp_path / "一村201910.xlsx", rows=rows)
    january = roster(tmp_path / "二村202001.xlsx", rows=rows)
    undated = roster(tmp_path / "三村.xlsx", rows=rows)
    report = audit(load_roster([october, january, undated]), EXAMPLE_POLICY, lang="en")
    hits = report.findings[report.findings["rule"] == "person.age-implausible"]
    assert hits["file"].tolist() == [str(october)]  # unborn in October; a baby in January
    assert hits["evidence"].iloc[0]["as_of"] == "2019-10-01"
    status = report.rules.set_index("rule").loc["person.age-implausible"]
    assert status["status"] == "run" and status["reason"] == "run-partly"
    assert str(undated) in status["en"]
    as_of = report.as_of.set_index("file")["as_of"].to_dict()
    assert as_of == {
        str(october): date(2019, 10, 1),
        str(january): date(2020, 1, 1),
        str(undated): None,
    }


def test_a_month_given_to_the_library_dates_every_file_and_names_disagreement(tmp_path):
    path = roster(tmp_path / "花名册201909.xlsx")
    report = audit(load_roster(path), EXAMPLE_POLICY, as_of=date(2019, 10, 1), lang="en")
    assert report.as_of[["as_of", "source", "file_name"]].values.tolist() == [
        [date(2019, 10, 1), "option", "2019-09"]
    ]
    (warning,) = report.warnings.to_dict("records")
    assert warning["code"] == "as-of-conflict"
    assert "--as-of says 2019-10" in warning["en"] and "the file name says 2019-09" in warning["en"]
