"""The run manifest: what was run, on what, under which policy, as of when.

Every machine-readable report starts with it, so a result can be traced and
repeated: civaudit version, command line, policy (name, path, sha256), as-of
date and where it came from, every input with its sha256 and row counts.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from datetime import date, datetime

from civaudit.errors import UsageError
from civaudit.policy import Policy
from civaudit.roster import Roster
from civaudit.series import latest_month
from civaudit.version import __version__

_AS_OF = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")


def resolve_as_of(given: str | None, policy: Policy, roster: Roster) -> tuple[date, str]:
    """The roster month: --as-of, else the policy's as_of, else the latest month of a
    monthly workbook (``civaudit.series``), else the month in the sheet titles (the most
    common one), else today. Returns the date and where it came from."""
    if given:
        match = _AS_OF.fullmatch(given.strip())
        try:
            if not match:
                raise ValueError
            year, month, day = int(match[1]), int(match[2]), int(match[3] or 1)
            return date(year, month, day), "--as-of"
        except ValueError:
            raise UsageError(
                f"--as-of {given!r} is not a date", "write YYYY-MM or YYYY-MM-DD"
            ) from None
    if policy.as_of is not None:
        return policy.as_of, "policy"
    latest = latest_month(roster.series)
    if latest is not None:  # a monthly workbook: its latest month
        return date(int(latest[:4]), int(latest[5:]), 1), "month series"
    months = Counter(s.title_month for s in roster.sheets if s.title_month)
    if months:
        year, month = map(int, months.most_common(1)[0][0].split("-"))
        return date(year, month, 1), "sheet title"
    return date.today(), "today"


def build_manifest(
    command: str,
    *,
    policy: Policy,
    as_of: date,
    as_of_source: str,
    roster: Roster,
    started: datetime,
) -> dict:
    return {
        "version": __version__,
        "command": command,
        "argv": ["civaudit", *sys.argv[1:]],
        "policy": {
            "name": policy.title,
            "path": None if policy.is_example else policy.source,
            "sha256": policy.sha256,
            "example": policy.is_example,
        },
        "as_of": as_of.isoformat(),
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
