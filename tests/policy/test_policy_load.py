"""Policy loading: defaults, and every refusal naming the file, line and key."""

from __future__ import annotations

import hashlib
import math
from datetime import date
from textwrap import dedent

import pytest

from civaudit.errors import PolicyError
from civaudit.policy import (
    EXAMPLE_POLICY,
    Addon,
    DeductionRules,
    IncomeRules,
    PhaseoutRules,
    Policy,
    RuleSettings,
    SinglePersonRules,
    Standard,
    load_policy,
    parse_policy,
)

MINIMAL = '[[standard]]\nregion = "13"\nyearly = 4800\n'


def refuse(text: str, **kw) -> PolicyError:
    with pytest.raises(PolicyError) as info:
        parse_policy(dedent(text), source="county.toml", **kw)
    return info.value


# --- defaults -------------------------------------------------------------------------


def test_defaults_are_the_contract_defaults():
    p = parse_policy(MINIMAL)
    assert p.standards == (Standard("13", 4800.0, None),)
    assert p.name == "" and p.as_of is None
    assert p.income == IncomeRules(1.5, "ceil-yuan", 1.0)
    assert p.deduction == DeductionRules(
        medical_cap=math.inf,
        education_cap=math.inf,
        care_cap=math.inf,
        other_cap=math.inf,
        employment_rate=0.0,
        employment_cap=0.0,
        total_ratio_cap=1.0,
        expenditure_type_only=False,
    )
    assert p.phaseout == PhaseoutRules(6, 12, None, 1.5, True, 0.0)
    assert p.single_person == SinglePersonRules(
        1.5, ("severe-disability", "serious-illness"), "full-standard", 0.0, True
    )
    assert p.addons == ()
    assert p.rules == RuleSettings((), {})
    assert dict(p.columns) == {}


def test_the_contract_example_parses():
    text = dedent(
        """
        [policy]
        name = "Example county, 2019 (illustrative numbers)"
        as_of = "2019-10"

        [[standard]]
        region = "13"
        yearly = 4800
        from = "2019-01-01"

        [income]
        near_multiplier = 1.5
        rounding = "ceil-yuan"
        tolerance = 1.0

        [deduction]
        medical_cap = inf
        education_cap = inf
        care_cap = inf
        other_cap = inf
        employment_rate = 0.0
        employment_cap = 0.0
        total_ratio_cap = 1.0

        [phaseout]
        months = 6
        max_months = 12
        until = ""
        ceiling_multiplier = 1.5
        registered_poor_only = true

        [single_person]
        ceiling_multiplier = 1.5
        categories = ["severe-disability", "serious-illness"]
        benefit = "full-standard"
        fixed_amount = 0.0
        registered_poor_only = true

        [[addon]]
        category = "elderly"
        percent_of_standard = 10

        [rules]
        ignore = []
        severity = { "id.region-unknown" = "info" }
        """
    )
    p = parse_policy(text, known_rules={"id.region-unknown", "id.checksum"})
    assert p.as_of == date(2019, 10, 1)
    assert p.standards[0].from_ == date(2019, 1, 1)
    assert p.addons == (Addon("elderly", percent_of_standard=10.0),)
    assert p.rules.severity == {"id.region-unknown": "info"}


def test_extensions_parse():
    p = parse_policy(
        MINIMAL
        + dedent(
            """
            [deduction]
            expenditure_type_only = true
            employment_rate = 0.05
            employment_cap = inf
            [phaseout]
            until = "2020-12"
            step_down = 0.1
            [[addon]]
            category = "minor"
            amount = 50
            stack = true
            [columns]
            id_number = "公民身份号码"
            household_size = "家庭人口"
            [rules]
            ignore = ["village", "id.masked"]
            """
        )
    )
    assert p.deduction.expenditure_type_only and p.deduction.employment_cap == math.inf
    assert p.phaseout.until == date(2020, 12, 31)  # a month means its last day
    assert p.addons == (Addon("minor", amount=50.0, stack=True),)
    assert p.columns == {"id_number": "公民身份号码", "household_size": "家庭人口"}
    assert p.rules.ignore == ("village", "id.masked")


def test_example_policy_is_labelled():
    assert EXAMPLE_POLICY.is_example and EXAMPLE_POLICY.sha256 is None
    assert "illustrative" in EXAMPLE_POLICY.name and "not an official" in EXAMPLE_POLICY.name
    assert EXAMPLE_POLICY.standards == (Standard("13", 4800.0),)
    assert not parse_policy(MINIMAL).is_example


def test_load_policy_hashes_the_file_bytes(tmp_path):
    path = tmp_path / "county.toml"
    data = ("\ufeff" + MINIMAL).encode("utf-8")  # Notepad's BOM is fine
    path.write_bytes(data)
    p = load_policy(path)
    assert p.sha256 == hashlib.sha256(data).hexdigest()
    assert p.source == str(path) and p.title == str(path)
    assert parse_policy(MINIMAL).sha256 == hashlib.sha256(MINIMAL.encode()).hexdigest()


def test_policy_equality_ignores_where_it_came_from():
    assert parse_policy(MINIMAL, "a.toml") == parse_policy(MINIMAL + "# note\n", "b.toml")
    assert hash(parse_policy(MINIMAL)) == hash(parse_policy(MINIMAL))
    assert isinstance(parse_policy(MINIMAL), Policy)


# --- refusals ---------------------------------------------------------------------------


def test_syntax_error_names_file_and_line(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(MINIMAL + "[income]\nrounding = ceil-yuan\n", encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load_policy(path)
    assert info.value.message.startswith(f"{path}, line 5: TOML syntax error")
    assert "quotes" in info.value.hint


def test_missing_file_and_non_utf8(tmp_path):
    with pytest.raises(PolicyError, match="cannot read"):
        load_policy(tmp_path / "none.toml")
    path = tmp_path / "gbk.toml"
    path.write_bytes(MINIMAL.encode() + '[policy]\nname = "县"\n'.encode("gbk"))
    with pytest.raises(PolicyError, match="not UTF-8"):
        load_policy(path)


def test_unknown_key_suggests_the_nearest():
    error = refuse(MINIMAL + "\n[deduction]\nmedcal_cap = 100\n")
    assert error.message == "county.toml, line 6: deduction.medcal_cap: unknown key"
    assert error.hint.startswith("did you mean 'medical_cap'?")


def test_unknown_section_suggests_the_nearest():
    error = refuse(MINIMAL + "\n[phase_out]\nmonths = 3\n")
    assert error.message == "county.toml, line 5: unknown section [phase_out]"
    assert "did you mean 'phaseout'?" in error.hint


def test_unknown_key_in_an_array_entry_points_at_its_line():
    error = refuse(MINIMAL + '\n[[standard]]\nregion = "1307"\nyerly = 5000\n')
    assert error.message == "county.toml, line 7: standard[2].yerly: unknown key"
    assert "'yearly'" in error.hint


@pytest.mark.parametrize(
    ("text", "line", "key", "problem"),
    [
        ('[income]\ntolerance = "1"', 5, "income.tolerance", "must be an amount"),
        (
            "[phaseout]\nregistered_poor_only = 1",
            5,
            "phaseout.registered_poor_only",
            "true or false",
        ),
        ("[phaseout]\nmonths = 6.5", 5, "phaseout.months", "whole number"),
        ("[phaseout]\nmonths = true", 5, "phaseout.months", "whole number"),
        ('[single_person]\ncategories = "elderly"', 5, "single_person.categories", "list"),
        ("[policy]\nname = 3", 5, "policy.name", "text"),
        ("[columns]\nid_number = 3", 5, "columns.id_number", "header text"),
        ('[rules]\nignore = "id"', 5, "rules.ignore", "list of rule ids"),
    ],
)
def test_wrong_types(text, line, key, problem):
    error = refuse(MINIMAL + text)
    assert error.message.startswith(f"county.toml, line {line}: {key}: ")
    assert problem in error.message


def test_standard_written_as_a_single_table():
    error = refuse('[policy]\nname = "x"\n[standard]\nregion = "13"\nyearly = 4800\n')
    assert error.message.startswith("county.toml, line 3: standard: must be a list of tables")
    assert "[[standard]]" in error.hint


def test_region_must_be_quoted_digits():
    error = refuse("[[standard]]\nregion = 13\nyearly = 4800\n")
    assert error.message.startswith("county.toml, line 2: standard[1].region: must be 1 to 6")


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        ("[deduction]\nmedical_cap = -1", 5, "deduction.medical_cap"),
        ("[income]\ntolerance = -0.5", 5, "income.tolerance"),
        ("[single_person]\nfixed_amount = -10", 5, "single_person.fixed_amount"),
        ('[[addon]]\ncategory = "elderly"\namount = -60', 6, "addon[1].amount"),
    ],
)
def test_negative_amounts(text, line, key):
    error = refuse(MINIMAL + text)
    assert error.message.startswith(f"county.toml, line {line}: {key}: must not be negative")


def test_zero_or_negative_standard():
    error = refuse('[[standard]]\nregion = "13"\nyearly = 0\n')
    assert error.message.startswith("county.toml, line 3: standard[1].yearly: must be more than 0")
    error = refuse('[[standard]]\nregion = "13"\nyearly = -4800\n')
    assert "must not be negative" in error.message


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[deduction]\nemployment_rate = 1.5", "deduction.employment_rate"),
        ("[deduction]\ntotal_ratio_cap = -0.1", "deduction.total_ratio_cap"),
        ("[phaseout]\nstep_down = 2", "phaseout.step_down"),
    ],
)
def test_rates_outside_zero_one(text, key):
    error = refuse(MINIMAL + text)
    assert error.message.startswith(f"county.toml, line 5: {key}: must be a rate between 0 and 1")


@pytest.mark.parametrize(
    ("text", "line", "key", "near"),
    [
        ('[income]\nrounding = "ceil_yuan"', 5, "income.rounding", "ceil-yuan"),
        ('[single_person]\nbenefit = "full"', 5, "single_person.benefit", "full-standard"),
        ('[single_person]\ncategories = ["eldery"]', 5, "single_person.categories", "elderly"),
        ('[[addon]]\ncategory = "disability"\namount = 5', 5, "addon[1].category", None),
    ],
)
def test_unknown_modes_and_categories(text, line, key, near):
    error = refuse(MINIMAL + text)
    assert error.message.startswith(f"county.toml, line {line}: {key}: unknown value")
    if near:
        assert f"did you mean '{near}'?" in error.hint


def test_no_standard():
    error = refuse('[policy]\nname = "x"\n')
    assert error.message.startswith("county.toml: no [[standard]]")


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        ('[policy]\nas_of = "2019-13"', 5, "policy.as_of"),
        ('[phaseout]\nuntil = "end of 2020"', 5, "phaseout.until"),
        ("[policy]\nas_of = 2019-10-01T10:00:00", 5, "policy.as_of"),
    ],
)
def test_bad_dates(text, line, key):
    error = refuse(MINIMAL + text)
    assert error.message.startswith(f"county.toml, line {line}: {key}: ")


def test_bad_date_in_a_standard_entry():
    error = refuse(MINIMAL + '[[standard]]\nregion = "1307"\nyearly = 5000\nfrom = "2019-02-30"\n')
    assert error.message.startswith("county.toml, line 7: standard[2].from: is not a date")


def test_contradictions_are_refused():
    error = refuse(MINIMAL + "[deduction]\nemployment_rate = 0.1\n")
    assert error.message.startswith("county.toml, line 5: deduction.employment_rate: ")
    assert "employment_cap" in error.hint
    error = refuse(MINIMAL + "[phaseout]\nmonths = 18\n")
    assert "max_months" in error.message
    error = refuse(MINIMAL + '[[addon]]\ncategory = "elderly"\n')
    assert "exactly one of percent_of_standard and amount" in error.message
    error = refuse(
        MINIMAL + '[[addon]]\ncategory = "elderly"\namount = 1\npercent_of_standard = 5\n'
    )
    assert error.message.startswith("county.toml, line 6: addon[1].amount: needs exactly one")
    error = refuse(MINIMAL + '[[standard]]\nregion = "13"\nyearly = 5000\n')
    assert error.message.startswith("county.toml, line 5: standard[2].region: ")
    assert "twice" in error.message


def test_rule_ids_checked_against_the_catalogue():
    known = {"id.checksum", "id.masked", "phaseout.expired"}
    error = refuse(MINIMAL + '[rules]\nignore = ["id.chksum"]', known_rules=known)
    assert error.message == "county.toml, line 5: rules.ignore: unknown rule 'id.chksum'"
    assert "did you mean 'id.checksum'?" in error.hint
    ok = parse_policy(MINIMAL + '[rules]\nignore = ["phaseout", "id.masked"]', known_rules=known)
    assert ok.rules.ignore == ("phaseout", "id.masked")
    error = refuse(MINIMAL + '[rules]\nseverity = { "id.maskd" = "info" }', known_rules=known)
    assert error.message.startswith('county.toml, line 5: rules.severity."id.maskd": unknown rule')


def test_rule_ids_checked_for_shape_without_a_catalogue():
    error = refuse(MINIMAL + '[rules]\nignore = ["ID Checksum"]')
    assert "is not a rule id" in error.message
    error = refuse(MINIMAL + '[rules]\nseverity = { "id.masked" = "fatal" }')
    assert error.message.startswith(
        'county.toml, line 5: rules.severity."id.masked": unknown severity'
    )
    assert parse_policy(MINIMAL + '[rules]\nignore = ["anything.goes-here"]').rules.ignore


def test_severity_subtable_points_at_its_line():
    error = refuse(MINIMAL + '[rules.severity]\n"id.masked" = "loud"\n')
    assert error.message.startswith("county.toml, line 5: ")
    assert "unknown severity" in error.message
