"""civaudit: audit rural minimum-subsistence (农村低保) rosters."""

from __future__ import annotations

__version__ = "0.1.0"

from civaudit.errors import CivauditError, LoadError, MappingError
from civaudit.roster import Roster, load_roster

__all__ = ["CivauditError", "LoadError", "MappingError", "Roster", "__version__", "load_roster"]
