"""The one exception family of civaudit.

Exceptions mean only "could not audit"; problems in the data are findings.
Every error carries a message saying what and where, and a hint saying what to do,
so the CLI can print one line and exit 2.
"""

from __future__ import annotations


class CivauditError(Exception):
    """Base class: a problem that stops civaudit from auditing an input."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message, hint)  # both in args, so the error pickles whole
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}; {self.hint}" if self.hint else self.message


class LoadError(CivauditError):
    """A file (or sheet) cannot be read as a roster."""


class MappingError(CivauditError):
    """A sheet's columns cannot be mapped to roster fields."""


class PolicyError(CivauditError):
    """A policy file is malformed or names something unknown."""


class UsageError(CivauditError):
    """The command line asks for something that cannot be done."""
