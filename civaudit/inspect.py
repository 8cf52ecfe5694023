"""What each file holds, as plain data: the answer to "what did civaudit read?".

The same dictionary feeds ``civaudit inspect -f json`` and the terminal tables, so
the two can never disagree.
"""

from __future__ import annotations

import pandas as pd

from civaudit import __version__
from civaudit.roster import Roster, SheetReport

ID_HEALTH = ("valid", "checksum", "precision-lost", "masked", "invalid", "blank")


def describe(roster: Roster) -> dict:
    """A JSON-ready description of every file and sheet of ``roster``."""
    files = []
    for report in roster.files:
        sheets = [s for s in roster.sheets if s.file == report.path]
        files.append(
            {
                "path": report.path,
                "kind": report.kind,
                "sha256": report.sha256,
                "bytes": report.size,
                "encoding": report.encoding,
                "error": report.error,
                "skipped_sheets": [
                    {"name": s.name, "reason": s.reason, "detail": s.detail}
                    for s in report.skipped_sheets
                ],
                "sheets": [_sheet(roster, s) for s in sheets],
            }
        )
    return {"civaudit": {"version": __version__, "command": "inspect"}, "files": files}


def _sheet(roster: Roster, sheet: SheetReport) -> dict:
    issues = roster.issues
    here = issues[(issues["file"] == sheet.file) & (issues["sheet"] == sheet.sheet)]
    return {
        "name": sheet.sheet,
        "header_rows": list(sheet.header_rows),
        "title": list(sheet.title),
        "title_month": sheet.title_month,
        "layout": sheet.layout,
        "rows_read": sheet.rows_read,
        "rows_kept": sheet.rows_kept,
        "skipped": sheet.skipped,
        "households": sheet.households,
        "members": sheet.members,
        "columns": [
            {"column": c.letter, "header": c.header, "field": c.field, "how": c.how}
            for c in sheet.columns
        ],
        "unparsed": _counts(here.loc[here["issue"] == "unparsed", "field"]),
        "ambiguous": _counts(here.loc[here["issue"] == "ambiguous-date", "field"]),
        "ids": _id_health(roster.members, sheet),
    }


def _counts(values: pd.Series) -> dict[str, int]:
    return {str(k): int(v) for k, v in values.value_counts().sort_index().items()}


def _id_health(members: pd.DataFrame, sheet: SheetReport) -> dict[str, int]:
    if "id_status" not in members:
        return {}
    mine = members[(members["file"] == sheet.file) & (members["sheet"] == sheet.sheet)]
    counts = mine["id_status"].value_counts()
    health = {k: int(counts.get(k, 0)) for k in ID_HEALTH}
    health["legacy-15"] = int(mine["id_legacy"].fillna(False).astype(bool).sum())
    known = mine["id_region_known"]
    health["region-unknown"] = int((known == False).sum())  # noqa: E712 - NA stays out
    return health
