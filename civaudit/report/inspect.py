"""What each file holds, as plain data: the answer to "what did civaudit read?".

Each file says its real kind (``xls`` BIFF, ``xlsx``, ``ods``, ``html`` table,
``spreadsheetml``, ``csv`` ...) and, for a file of an export pair, how many of its
households or members joined the other file and how many did not. Each column says
the field it feeds and how that meaning was decided (alias, parent header, unit, the
values' shape, the other columns, by hand); the columns no field could be placed on
and the fields two columns claim with nothing to decide between them are listed.

The same dictionary feeds ``civaudit inspect -f json`` and the terminal tables, so
the two can never disagree.
"""

from __future__ import annotations

import pandas as pd

from civaudit.io.header import Column
from civaudit.io.months import month_columns
from civaudit.roster import Roster, SheetReport
from civaudit.series import find_series
from civaudit.version import __version__

ID_HEALTH = ("valid", "checksum", "precision-lost", "masked", "invalid", "blank")


def describe(roster: Roster) -> dict:
    """A JSON-ready description of every file and sheet of ``roster``: with each file's
    roster month and where it came from, each sheet's place and where that came from."""
    from civaudit.asof import resolve_months

    months = resolve_months(roster).files.set_index("file") if roster.sheets else None
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
                "pair": _pair(roster, report.path),
                "months": [
                    {"month": month, "sheets": list(held)}
                    for series in find_series(roster)
                    if series.file == report.path
                    for month, held in zip(series.months, series.sheets, strict=True)
                ],
                "as_of": _month(months, report.path),
            }
        )
    out = {"civaudit": {"version": __version__, "command": "inspect"}, "files": files}
    pairing = roster.pairing
    out["pairs"] = (
        None
        if pairing is None
        else {
            "links": [
                {
                    "household_file": k.household_file,
                    "household_sheet": k.household_sheet,
                    "member_file": k.member_file,
                    "member_sheet": k.member_sheet,
                    "households": k.households,
                    "members": k.members,
                }
                for k in pairing.links
            ],
            "head_mismatches": pairing.head_mismatches,
        }
    )
    return out


def _month(months: pd.DataFrame | None, path: str) -> dict | None:
    """The file's roster month and its source (``civaudit.asof``), as ``YYYY-MM``."""
    if months is None or path not in months.index:
        return None
    row = months.loc[path]
    when = row["as_of"]
    return {"month": None if when is None else f"{when.year:04d}-{when.month:02d}",
            "source": row["source"]}  # fmt: skip


def _place(roster: Roster, sheet: SheetReport) -> dict[str, list[dict]]:
    """Per level, the names the sheet's households got and where each came from
    (``civaudit.place``), with how many households; the sheet's own evidence for a
    sheet without households."""
    h = roster.households
    out: dict[str, list[dict]] = {}
    mine = h[(h["file"] == sheet.file) & (h["sheet"] == sheet.sheet)] if len(h) else h
    for level in ("county", "town", "village"):
        if len(mine) and level + "_from" in mine:
            pairs = mine[[level, level + "_from"]].astype("object").dropna()
            counts = pairs.value_counts(sort=False).sort_index()
            out[level] = [
                {"name": name, "from": source, "households": int(n)}
                for (name, source), n in counts.items()
            ]
        elif roster.places is not None and len(roster.places):
            row = roster.places[
                (roster.places["file"] == sheet.file) & (roster.places["sheet"] == sheet.sheet)
            ]
            if len(row) and row.iloc[0][level]:
                out[level] = [{"name": row.iloc[0][level], "from": row.iloc[0]["from_" + level],
                               "households": 0}]  # fmt: skip
    return out


def _pair(roster: Roster, path: str) -> list[dict]:
    """For a file of an export pair: per sheet, how many rows joined the other file."""
    pairing = roster.pairing
    if pairing is None:
        return []
    out = []
    for side in pairing.for_file(path):
        links = pairing.links_of(side)
        others = [k.member_file if side.role == "households" else k.household_file for k in links]
        out.append(
            {
                "sheet": side.sheet,
                "role": side.role,
                "total": side.total,
                "joined": side.joined,
                "unjoined": side.unjoined,
                "with": sorted(set(others)),
            }
        )
    return out


def _sheet(roster: Roster, sheet: SheetReport) -> dict:
    issues = roster.issues
    here = issues[(issues["file"] == sheet.file) & (issues["sheet"] == sheet.sheet)]
    unplaced = [c for c in sheet.columns if c.how == "unmapped"]
    # among them, a year's payment ledger's month columns (1月 … 12月): none is read as
    # the benefit, since which month to check is the user's choice
    return {
        "name": sheet.sheet,
        "header_rows": list(sheet.header_rows),
        "title": list(sheet.title),
        "title_month": sheet.title_month,
        "layout": sheet.layout,
        "month": sheet.month,
        "rows_read": sheet.rows_read,
        "rows_kept": sheet.rows_kept,
        "skipped": sheet.skipped,
        "households": sheet.households,
        "members": sheet.members,
        "columns": [_column(c) for c in sheet.columns],
        "unplaced": [{"column": c.letter, "header": c.header} for c in unplaced],
        "month_columns": [
            {"column": unplaced[i].letter, "header": unplaced[i].header}
            for i in month_columns([c.header for c in unplaced])
        ],
        "clashes": [
            {
                "field": k.field,
                "kept": {"column": k.kept.letter, "header": k.kept.header},
                "others": [{"column": o.letter, "header": o.header} for o in k.others],
            }
            for k in sheet.clashes
        ],
        "unparsed": _counts(here.loc[here["issue"] == "unparsed", "field"]),
        "ambiguous": _counts(here.loc[here["issue"] == "ambiguous-date", "field"]),
        "ids": _id_health(*_id_source(roster, sheet), sheet),
        "place": _place(roster, sheet),
    }


def _column(c: Column) -> dict:
    """A source column, its field, its state (``how``) and how its meaning was decided:
    ``basis`` lists the steps (alias and its source, parent header, unit, period words,
    the values' shape, the other columns, by hand); ``scale`` is the factor its values
    are multiplied by (万元, a period the field has no twin for)."""
    out = {"column": c.letter, "header": c.header, "field": c.field, "how": c.how}
    out["basis"] = [dict(zip(("by", "detail"), _split(b), strict=True)) for b in c.basis]
    out.update(unit=c.unit, period=c.period, scale=c.scale, slot=c.slot, note=c.note)
    return out


def _split(step: str) -> tuple[str, str]:
    by, _, detail = step.partition(":")
    return by, detail


def _counts(values: pd.Series) -> dict[str, int]:
    return {str(k): int(v) for k, v in values.value_counts().sort_index().items()}


def _id_source(roster: Roster, sheet: SheetReport) -> tuple[pd.DataFrame, str]:
    """Where a sheet's ID numbers are: its member rows, or, for the household file of
    an export pair (whose members come from the person file), its heads' IDs."""
    pairing = roster.pairing
    if pairing is not None and "head_id_status" in roster.households:
        for side in pairing.for_file(sheet.file):
            if side.sheet == sheet.sheet and side.role == "households":
                return roster.households, "head_"
    return roster.members, ""


def _id_health(frame: pd.DataFrame, prefix: str, sheet: SheetReport) -> dict[str, int]:
    if prefix + "id_status" not in frame:
        return {}
    mine = frame[(frame["file"] == sheet.file) & (frame["sheet"] == sheet.sheet)]
    counts = mine[prefix + "id_status"].value_counts()
    health = {k: int(counts.get(k, 0)) for k in ID_HEALTH}
    health["legacy-15"] = int(mine[prefix + "id_legacy"].fillna(False).astype(bool).sum())
    known = mine[prefix + "id_region_known"]
    health["region-unknown"] = int((known == False).sum())  # noqa: E712 - NA stays out
    return health
