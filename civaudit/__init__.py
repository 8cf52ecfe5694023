"""civaudit: audit rural minimum-subsistence (农村低保) rosters."""

from __future__ import annotations

from civaudit.assess import assess
from civaudit.auditing import audit
from civaudit.engine import AuditData, run_rules
from civaudit.errors import CivauditError, LoadError, MappingError, PolicyError
from civaudit.findings import Finding, Report, Severity
from civaudit.limits import Limits
from civaudit.pipeline import run_audit
from civaudit.policy import EXAMPLE_POLICY, Policy, load_policy
from civaudit.roster import Roster, load_roster
from civaudit.version import __version__

__all__ = [
    "EXAMPLE_POLICY",
    "AuditData",
    "CivauditError",
    "Finding",
    "Limits",
    "LoadError",
    "MappingError",
    "Policy",
    "PolicyError",
    "Report",
    "Roster",
    "Severity",
    "__version__",
    "assess",
    "audit",
    "load_policy",
    "load_roster",
    "run_audit",
    "run_rules",
]
