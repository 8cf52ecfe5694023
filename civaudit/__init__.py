"""civaudit: audit rural minimum-subsistence (农村低保) rosters."""

from __future__ import annotations

__version__ = "0.1.0"

from civaudit.assess import assess
from civaudit.errors import CivauditError, LoadError, MappingError, PolicyError
from civaudit.policy import EXAMPLE_POLICY, Policy, load_policy
from civaudit.roster import Roster, load_roster

__all__ = [
    "EXAMPLE_POLICY",
    "CivauditError",
    "LoadError",
    "MappingError",
    "Policy",
    "PolicyError",
    "Roster",
    "__version__",
    "assess",
    "load_policy",
    "load_roster",
]
