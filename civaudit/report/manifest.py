"""The run manifest: what was run, on what, under which policy, as of when.

Every machine-readable report starts with it, so a result can be traced and
repeated: civaudit version, command line, policy (name, path, sha256), as-of
date and where it came from, every input with its sha256 and row counts.
"""

from __future__ import annotations

import sys
from datetime import date, datetime

from civaudit.asof import RosterMonths, resolve_months
from civaudit.policy import Policy
from civaudit.roster import Roster
from civaudit.version import __version__


def resolve_as_of(
    given: str | None, policy: Policy, roster: Roster, *, option: str = "--as-of"
) -> tuple[date | None, str]:
    """The run's main roster month and where it came from: --as-of, else the policy's
    as_of, else the month most files give in their titles, sheet names, names or
    folders (``civaudit.asof``); (None, "none") when nothing gives one. Never today."""
    months = resolve_months(roster, policy, given, option=option)
    return months.main, months.main_source


def build_manifest(
    command: str,
    *,
    policy: Policy,
    as_of: date | None,
    as_of_source: str,
    roster: Roster,
    started: datetime,
    months: RosterMonths | None = None,
) -> dict:
    """The manifest: ``as_of`` is the run's main month (None when no file has one);
    with ``months``, ``as_of_files`` gives each file's month and its source."""
    manifest = {
        "version": __version__,
        "command": command,
        "argv": ["civaudit", *sys.argv[1:]],
        "policy": {
            "name": policy.title,
            "path": None if policy.is_example else policy.source,
            "sha256": policy.sha256,
            "example": policy.is_example,
        },
        "as_of": None if as_of is None else as_of.isoformat(),
        "as_of_source": as_of_source,
        "inputs": [
            {
                "path": f.path,
                "kind": f.kind,
                "sha256": f.sha256,
                "bytes": f.size,
                "error": f.error,
                "sheets": [
                    {
                        "name": s.sheet,
                        "rows_read": s.rows_read,
                        "rows_kept": s.rows_kept,
                        "rows_skipped": s.skipped,
                    }
                    for s in roster.sheets
                    if s.file == f.path
                ],
                "sheets_skipped": [{"name": s.name, "reason": s.reason} for s in f.skipped_sheets],
            }
            for f in roster.files
        ],
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    if months is not None:
        manifest["as_of_files"] = [
            {
                "file": r["file"],
                "as_of": None if r["as_of"] is None else r["as_of"].isoformat(),
                "source": r["source"],
            }
            for r in months.files.to_dict("records")
        ]
    return manifest
