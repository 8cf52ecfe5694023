"""The review round trip: inspectors' verdicts from a returned xlsx report.

Inspectors fill the 核查结论 column of the findings sheet (属实 confirmed,
不属实 not true, 已整改 rectified), 核查人, 核查日期 and the 说明 note, and send the
workbook back.
``civaudit audit --reviewed returned.xlsx`` reads those verdicts and carries them
into the new report by the finding's identity (rule, file, sheet, household,
person, field: never the row), so a finding an inspector found not true is not
raised as new again. The identity is read from the sheet's hidden key column; a
report written before it had one gives it in its rule, file, sheet, household,
person and evidence (JSON) columns, and is read that way.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from civaudit.engine import finding_key
from civaudit.errors import UsageError
from civaudit.report.xlsx import (
    KEY_COLUMN,
    NOT_TRUE,
    REVIEW_COLUMNS,
    VERDICTS,
    column_label,
    column_labels,
)

_KEY_COLUMNS = ("rule", "file", "sheet", "household", "person", "evidence")
"""The columns that name a finding (``finding_key``) in reports without a key column."""
_KEY_PARTS = ("rule", "file", "sheet", "household", "person")


def read_reviews(path: Path) -> pd.DataFrame:
    """The reviewed findings of a returned report: key, verdict (as written), note."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a non-workbook
        raise UsageError(
            f"{path}: cannot be read as a civaudit xlsx report ({type(exc).__name__})",
            "give the report workbook written with -o report.xlsx",
        ) from None
    try:
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header = next(rows, None)
            if not header:
                continue
            names = _columns(header)
            if "verdict" in names and "rule" in names:
                return _reviews(pd.DataFrame(list(rows), columns=range(len(header))), names)
    finally:
        book.close()
    raise UsageError(
        f"{path}: has no findings sheet with a {column_label('verdict', 'zh')} column",
        "give the report workbook written with -o report.xlsx",
    )


def _columns(header) -> dict[str, int]:
    wanted = (KEY_COLUMN, *_KEY_COLUMNS, *REVIEW_COLUMNS)
    labels = {column: column_labels(column) for column in wanted}
    found: dict[str, int] = {}
    for index, label in enumerate(header):
        for column in wanted:
            if label is not None and str(label) in labels[column] and column not in found:
                found[column] = index
    return found


def _reviews(frame: pd.DataFrame, names: dict[str, int]) -> pd.DataFrame:
    table = pd.DataFrame({c: frame[i] for c, i in names.items()})
    table = table[table["verdict"].notna() & table["verdict"].astype(str).str.strip().ne("")]
    if KEY_COLUMN in table:
        parts = table[KEY_COLUMN].map(_key_parts)
        for i, column in enumerate(_KEY_PARTS):
            table[column] = parts.str[i]
        table["evidence"] = parts.map(lambda p: {"field": p[-1]} if p[-1] is not None else {})
    else:
        table["evidence"] = table.get("evidence", pd.Series(dtype=object)).map(_evidence)
    for column in _KEY_COLUMNS:
        if column not in table:
            table[column] = None
    nothing = pd.Series(None, index=table.index, dtype=object)
    out = pd.DataFrame(
        {
            "key": finding_key(table).to_numpy(),
            "verdict": table["verdict"].astype(str).str.strip().to_numpy(),
            "note": table.get("note", nothing).to_numpy(),
            "inspector": table.get("inspector", nothing).map(_text).to_numpy(),
            "checked_on": table.get("checked_on", nothing).map(_text).to_numpy(),
        }
    )
    return out.drop_duplicates("key", keep="last")


def _key_parts(text) -> list:
    """The hidden key column: a JSON list of rule, file, sheet, household, person, field."""
    try:
        parts = json.loads(text) if isinstance(text, str) else None
    except (ValueError, RecursionError):  # a cell nested past the stack is no key
        parts = None
    if not isinstance(parts, list) or len(parts) != len(_KEY_PARTS) + 1:
        return [None] * (len(_KEY_PARTS) + 1)
    return parts


def _text(value) -> str | None:
    """A cell as text: a date the inspector typed (a datetime cell) as ISO text."""
    if value is None or value != value:
        return None
    if hasattr(value, "date") and callable(value.date):
        return value.date().isoformat()
    return str(value).strip() or None


def _evidence(text) -> dict:
    if isinstance(text, dict):
        return text
    try:
        return json.loads(text) if text else {}
    except (TypeError, ValueError, RecursionError):
        return {}


def apply_reviews(findings: pd.DataFrame, reviews: pd.DataFrame) -> pd.DataFrame:
    """``findings`` with ``verdict``, ``review_note``, ``inspector`` and ``checked_on``
    from the matching reviews."""
    keys = finding_key(findings)
    by_key = reviews.set_index("key")
    out = findings.copy()
    for column, source in (("verdict", "verdict"), ("review_note", "note"),
                           ("inspector", "inspector"), ("checked_on", "checked_on")):  # fmt: skip
        if source in by_key:
            values = keys.map(by_key[source]).astype("object")
            out[column] = values.where(values.notna(), None)
    return out


def dismissed(findings: pd.DataFrame) -> pd.Series:
    """Findings an inspector found not true (不属实): they no longer fail a run."""
    if "verdict" not in findings:
        return pd.Series(False, index=findings.index)
    return findings["verdict"].isin([NOT_TRUE, VERDICTS[NOT_TRUE]]).fillna(False).astype(bool)
