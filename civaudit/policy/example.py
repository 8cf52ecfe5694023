"""The built-in example policy, used when the user gives none.

Its numbers are illustrative (Hebei's 2019 provincial figures were not available),
so its name says so and ``is_example`` lets every report say so too.
"""

from __future__ import annotations

from dataclasses import replace

from civaudit.policy.load import parse_policy

EXAMPLE_TOML = """\
[policy]
name = "Built-in example policy (illustrative numbers, not an official standard)"

[[standard]]
region = "13"
yearly = 4800
"""

EXAMPLE_POLICY = replace(
    parse_policy(EXAMPLE_TOML, source="<built-in example>"),
    sha256=None,
    is_example=True,
)
