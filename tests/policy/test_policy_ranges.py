"""Absurd policies are refused (issue 14): every number, date, text and list has a
range, and a value outside it is refused in one line naming the file, the key and
the allowed range, in English and in Chinese. ``[columns]`` is checked by ``policy
check`` as ``--column`` is at audit time."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civaudit.cli import main
from civaudit.errors import PolicyError
from civaudit.policy.load import parse_policy

BASE = '[[standard]]\nregion = "13"\nyearly = 4800\n'


def refusal(text: str) -> str:
    with pytest.raises(PolicyError) as exc:
        parse_policy(text, "policy.toml")
    return str(exc.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[[standard]]\nregion = "13"\nyearly = 1e308\n',
            "policy.toml, line 3: key standard[1].yearly = 1e+308 is out of range "
            "(0 < value ≤ 1,000,000); yuan per person per year",
        ),
        (
            '[[standard]]\nregion = "13"\nyearly = 9223372036854775807\n',
            "policy.toml, line 3: key standard[1].yearly = 9223372036854775807 is out of "
            "range (0 < value ≤ 1,000,000); yuan per person per year",
        ),
        (
            BASE + "[phaseout]\nmonths = 99_999_999_999_999_999\nmax_months = 12\n",
            "policy.toml, line 5: key phaseout.months = 99999999999999999 is out of range "
            "(1 ≤ value ≤ 120); months",
        ),
        (
            BASE + "[phaseout]\nmax_months = 121\n",
            "policy.toml, line 5: key phaseout.max_months = 121 is out of range "
            "(1 ≤ value ≤ 120); months",
        ),
        (
            BASE + '[policy]\nas_of = "9999-12"\n',
            "policy.toml, line 5: key policy.as_of = '9999-12' is out of range "
            "(1950-01-01 ≤ date ≤ 2099-12-31)",
        ),
        (
            BASE + "[policy]\nas_of = 1900-01-01\n",
            "policy.toml, line 5: key policy.as_of = 1900-01-01 is out of range "
            "(1950-01-01 ≤ date ≤ 2099-12-31)",
        ),
        (
            BASE + "[deduction]\nmedical_cap = 1e308\n",
            "policy.toml, line 5: key deduction.medical_cap = 1e+308 is out of range "
            "(0 ≤ value ≤ 10,000,000, or inf); yuan per year, inf for no cap",
        ),
        (
            BASE + "[income]\ntolerance = 100001\n",
            "policy.toml, line 5: key income.tolerance = 100001 is out of range "
            "(0 ≤ value ≤ 100,000); yuan per month",
        ),
        (
            BASE + "[income]\nnear_multiplier = 1e300\n",
            "policy.toml, line 5: key income.near_multiplier = 1e+300 is out of range "
            "(1 ≤ value ≤ 100); 1.5 means one and a half times the standard",
        ),
        (
            BASE + '[[addon]]\ncategory = "elderly"\npercent_of_standard = 5000\n',
            "policy.toml, line 6: key addon[1].percent_of_standard = 5000 is out of range "
            "(0 ≤ value ≤ 1,000); percent of the monthly standard",
        ),
        (
            BASE + "[single_person]\nfixed_amount = 1e10\n",
            "policy.toml, line 5: key single_person.fixed_amount = 10000000000 is out of "
            "range (0 ≤ value ≤ 100,000); yuan per month",
        ),
        (
            BASE + "[phaseout]\nmonths = " + "9" * 400 + "\n",
            "policy.toml, line 5: key phaseout.months = " + "9" * 400 + " is out of range "
            "(1 ≤ value ≤ 120); months",
        ),
    ],
)
def test_an_absurd_number_or_date_is_refused_with_its_range(text, expected):
    assert refusal(text) == expected


def test_a_long_text_and_a_long_list_are_refused_with_the_limit():
    name = refusal('[policy]\nname = "' + "名" * 1_000_000 + '"\n' + BASE)
    assert name == (
        "policy.toml, line 2: key policy.name is 1,000,000 characters long "
        "(at most 200 characters); shorten it"
    )
    ignore = ", ".join(['"id"'] * 1001)
    assert refusal(BASE + f"[rules]\nignore = [{ignore}]\n").startswith(
        "policy.toml, line 5: key rules.ignore lists 1,001 entries (at most 1,000 entries)"
    )
    standards = "".join(f'[[standard]]\nregion = "{i}"\nyearly = 4800\n' for i in range(10_001))
    assert "lists 10,001 entries (at most 10,000 entries)" in refusal(standards)


@pytest.mark.parametrize(
    "text",
    [
        '[[standard]]\nregion = "13"\nyearly = 1_000_000\n',
        '[[standard]]\nregion = "13"\nyearly = 0.01\n',
        BASE + "[phaseout]\nmonths = 120\nmax_months = 120\n",
        BASE + '[policy]\nas_of = "2099-12"\nname = "' + "名" * 200 + '"\n',
        BASE + "[deduction]\nmedical_cap = inf\nother_cap = 10_000_000\n",
        BASE + "[income]\nnear_multiplier = 100\ntolerance = 0\n",
    ],
)
def test_values_at_the_edges_of_their_ranges_are_accepted(text):
    parse_policy(text, "policy.toml")


def cli(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err), pytest.raises(SystemExit) as e:
        main(["--debug", *args])
    return e.value.code, err.getvalue()


def test_refusals_are_one_line_in_chinese(tmp_path):
    path = tmp_path / "政策.toml"
    path.write_text('[[standard]]\nregion = "13"\nyearly = 1e308\n', encoding="utf-8")
    code, err = cli("--lang", "zh", "policy", "check", str(path))
    assert code == 2
    assert err == (
        f"civaudit: {path}，第 3 行：键 standard[1].yearly = 1e+308 超出范围"
        "（0 < 值 ≤ 1,000,000）；元/人·年\n"
    )
    path.write_text(BASE + '[policy]\nname = "' + "x" * 300 + '"\n', encoding="utf-8")
    code, err = cli("--lang", "zh", "policy", "check", str(path))
    assert err == (
        f"civaudit: {path}，第 5 行：键 policy.name 长 300 个字符（最多 200 个字符）；请缩短\n"
    )


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ('no_such_field = "x"', "columns.no_such_field: unknown field"),
        ('id_numbr = "身份证"', "columns.id_numbr: unknown field; did you mean 'id_number'?"),
        ('id_number = "  "', "columns.id_number: is blank"),
        ("id_number = 3", "columns.id_number: must be a header text in quotes"),
    ],
)
def test_columns_are_checked_by_policy_check_as_audit_checks_them(tmp_path, columns, message):
    """What ``policy check`` refuses, audit refuses with the same line; no message about
    --column at audit time for a policy that passed the check."""
    path = tmp_path / "policy.toml"
    path.write_text(BASE + "[columns]\n" + columns + "\n", encoding="utf-8")
    roster = tmp_path / "roster.csv"
    roster.write_text("户主姓名,身份证号,家庭人口\n张三,1,1\n", encoding="utf-8")
    checked = cli("policy", "check", str(path))
    audited = cli("audit", str(roster), "--policy", str(path))
    assert checked[0] == audited[0] == 2
    assert checked[1] == audited[1]
    assert message in checked[1] and "--column" not in checked[1]
    assert checked[1].count("\n") == 1


@given(st.integers(min_value=-(2**80), max_value=2**80) | st.floats(allow_nan=False))
def test_any_yearly_standard_is_accepted_in_range_or_refused_in_one_line(value):
    text = f'[[standard]]\nregion = "13"\nyearly = {value!r}\n'
    try:
        policy = parse_policy(text, "policy.toml")
    except PolicyError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("policy.toml, line 3: ")
        return
    assert 0 < policy.standards[0].yearly <= 1_000_000
