"""The review round trip: inspectors' verdicts from a returned xlsx report.

Inspectors fill the 核查结论 column of the findings sheet (属实 confirmed,
不属实 not true, 已整改 rectified) and the 备注 note, and send the workbook back.
``civaudit audit --reviewed returned.xlsx`` reads those verdicts and carries them
into the new report by the finding's identity (rule, file, sheet, household,
person, field: never the row), so a finding an inspector found not true is not
raised as new again.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from civaudit.engine import finding_key
from civaudit.errors import UsageError
from civaudit.report.xlsx import NOT_TRUE, REVIEW_COLUMNS, VERDICTS, column_label, column_labels

_KEY_COLUMNS = ("rule", "file", "sheet", "household", "person", "evidence")
"""The findings sheet columns that name a finding (``finding_key``)."""


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
    wanted = (*_KEY_COLUMNS, *REVIEW_COLUMNS)
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
    table["evidence"] = table.get("evidence", pd.Series(dtype=object)).map(_evidence)
    for column in _KEY_COLUMNS:
        if column not in table:
            table[column] = None
    out = pd.DataFrame(
        {
            "key": finding_key(table).to_numpy(),
            "verdict": table["verdict"].astype(str).str.strip().to_numpy(),
            "note": table.get("note", pd.Series(None, index=table.index)).to_numpy(),
        }
    )
    return out.drop_duplicates("key", keep="last")


def _evidence(text) -> dict:
    if isinstance(text, dict):
        return text
    try:
        return json.loads(text) if text else {}
    except (TypeError, ValueError):
        return {}


def apply_reviews(findings: pd.DataFrame, reviews: pd.DataFrame) -> pd.DataFrame:
    """``findings`` with ``verdict`` and ``review_note`` from the matching reviews."""
    keys = finding_key(findings)
    by_key = reviews.set_index("key")
    out = findings.copy()
    out["verdict"] = keys.map(by_key["verdict"]).astype("object").where(lambda v: v.notna(), None)
    out["review_note"] = keys.map(by_key["note"]).astype("object").where(lambda v: v.notna(), None)
    return out


def dismissed(findings: pd.DataFrame) -> pd.Series:
    """Findings an inspector found not true (不属实): they no longer fail a run."""
    if "verdict" not in findings:
        return pd.Series(False, index=findings.index)
    return findings["verdict"].isin([NOT_TRUE, VERDICTS[NOT_TRUE]]).fillna(False).astype(bool)
