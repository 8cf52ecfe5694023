"""The template and the policy in force both parse back."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from civaudit.policy import (
    EXAMPLE_POLICY,
    Addon,
    DeductionRules,
    FrozenMap,
    PhaseoutRules,
    Policy,
    RuleSettings,
    Standard,
    parse_policy,
    policy_template,
    policy_to_toml,
)


def test_template_parses_to_the_defaults():
    parsed = parse_policy(policy_template(), "template.toml")
    assert parsed == Policy(standards=(Standard("13", 4800.0, date(2019, 1, 1)),))


def test_template_documents_every_key_in_both_languages():
    text = policy_template()
    for key in (
        "name", "as_of", "region", "yearly", "from", "near_multiplier", "rounding",
        "tolerance", "medical_cap", "education_cap", "care_cap", "other_cap",
        "employment_rate", "employment_cap", "total_ratio_cap", "expenditure_type_only",
        "months", "max_months", "until", "ceiling_multiplier", "registered_poor_only",
        "step_down", "categories", "benefit", "fixed_amount", "category",
        "percent_of_standard", "stack", "ignore", "severity",
    ):  # fmt: skip
        assert f"{key} =" in text or f"# {key} =" in text, key
    assert "示例" in text and "EXAMPLE" in text


def test_policy_in_force_round_trips():
    for p in (EXAMPLE_POLICY, parse_policy(policy_template())):
        assert parse_policy(policy_to_toml(p)) == p


def test_everything_set_round_trips():
    p = Policy(
        name='Kangbao "test" 县\nsecond line',
        as_of=date(2019, 10, 1),
        standards=(
            Standard("13", 4800.0, None),
            Standard("130723", 5016.5, date(2019, 7, 1)),
        ),
        deduction=DeductionRules(medical_cap=3000.25, employment_rate=0.1, employment_cap=1e7),
        phaseout=PhaseoutRules(months=3, until=date(2020, 12, 31), step_down=0.125),
        addons=(
            Addon("elderly", percent_of_standard=12.5),
            Addon("severe-disability", amount=60.0, stack=True),
        ),
        rules=RuleSettings(("village",), FrozenMap({"id.masked": "warning"})),
        columns=FrozenMap({"id_number": "公民身份号码", "name": 'a "quoted" header'}),
    )
    text = policy_to_toml(p)
    assert parse_policy(text) == p
    assert "medical_cap = 3000.25" in text and "care_cap = inf" in text


def test_example_is_shown_as_an_example():
    text = policy_to_toml(EXAMPLE_POLICY)
    assert text.startswith("# 内置示例政策")
    assert "illustrative numbers" in text
    shown = policy_to_toml(replace(parse_policy(policy_template(), "mine.toml")))
    assert "mine.toml" in shown and "# sha256: " in shown
