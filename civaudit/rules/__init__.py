"""The rule catalogue: one module per family of the contract, all registered on import.

``all_rules()`` lists them in catalogue order; ``civaudit.engine.run_rules`` runs
them. Each rule is a ``Rule`` (id, family, default severity, needs, zh/en texts,
clause, message template and a pure vectorised ``check``), see ``registry``.
"""

from civaudit.rules.registry import (
    RULES,
    Rule,
    add_rule,
    all_rules,
    concat_hits,
    get_rule,
    hits,
    matches,
    no_hits,
    rule,
)

# The family modules register their rules on import, in catalogue order (registration
# order is listing order), so this block keeps its order.
# isort: off
from civaudit.rules import (  # noqa: F401
    identity,
    duplicates,
    household,
    pairs,
    data,
    benefit,
    phaseout,
    single,
    village,
    external,
    change,
)

# isort: on

FAMILY_MODULES = (
    "identity",
    "duplicates",
    "household",
    "pairs",
    "data",
    "benefit",
    "phaseout",
    "single",
    "village",
    "external",
    "change",
)
"""The rule modules, in catalogue order."""

__all__ = [
    "FAMILY_MODULES",
    "RULES",
    "Rule",
    "add_rule",
    "all_rules",
    "concat_hits",
    "get_rule",
    "hits",
    "matches",
    "no_hits",
    "rule",
]
