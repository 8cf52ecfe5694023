"""The policy: local standards, caps, modes and rule settings, from a TOML file.

``load_policy(path)`` reads and validates a file; ``EXAMPLE_POLICY`` is the
built-in illustrative policy; ``policy_template()`` and ``policy_to_toml()`` turn
policies into commented TOML for ``civaudit policy init`` and ``policy show``.
"""

from __future__ import annotations

from civaudit.policy.example import EXAMPLE_POLICY
from civaudit.policy.load import load_policy, parse_policy
from civaudit.policy.model import (
    CATEGORIES,
    ROUNDING_MODES,
    SEVERITIES,
    SINGLE_BENEFITS,
    Addon,
    DeductionRules,
    ExternalRules,
    FrozenMap,
    IncomeRules,
    PhaseoutRules,
    Policy,
    RuleSettings,
    SinglePersonRules,
    Standard,
)
from civaudit.policy.render import policy_template, policy_to_toml

__all__ = [
    "CATEGORIES",
    "EXAMPLE_POLICY",
    "ROUNDING_MODES",
    "SEVERITIES",
    "SINGLE_BENEFITS",
    "Addon",
    "DeductionRules",
    "ExternalRules",
    "FrozenMap",
    "IncomeRules",
    "PhaseoutRules",
    "Policy",
    "RuleSettings",
    "SinglePersonRules",
    "Standard",
    "load_policy",
    "parse_policy",
    "policy_template",
    "policy_to_toml",
]
