"""Small inline tables in the loader's types, for the rule tests.

``households(...)`` and ``members(...)`` take one list per column (a scalar is
repeated); ``members(id_number=[...])`` runs the real ID normaliser and checks so
the id_* columns are what the loader would give. ``audit_data(...)`` assesses
them under a policy; ``run(data, "id.checksum")`` runs one rule, unmasked, in
English.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from civaudit.engine import AuditData, run_rules
from civaudit.idcard import check_ids
from civaudit.normalize import parse_ids
from civaudit.policy import EXAMPLE_POLICY, parse_policy

AS_OF = date(2019, 10, 1)
STRING = pd.StringDtype("pyarrow")
FILE = "村.xlsx"
SHEET = "Sheet1"

_INTS = ("household_size", "covered_count", "member_rows", "heads", "row", "hh")
_BOOLS = ("registered_poor", "poverty_exited", "expenditure_type", "is_covered", "id_numeric")
_DATES = ("phaseout_start", "start_month", "birth_date", "id_birth")
_TEXT = (
    "file",
    "sheet",
    "household",
    "head_name",
    "head_id_number",
    "cert_no",
    "category",
    "coverage_mode",
    "status",
    "stop_reason",
    "county",
    "town",
    "village",
    "bank_account",
    "name",
    "relation",
    "sex",
    "illness",
    "label",
    "birth_date_precision",
)


def policy(extra: str = "", yearly: float = 4800):
    return parse_policy(f'[[standard]]\nregion = "13"\nyearly = {yearly}\n{extra}')


def _frame(n: int, columns: dict) -> pd.DataFrame:
    frame = pd.DataFrame(index=pd.RangeIndex(n))
    for name, values in columns.items():
        values = list(values) if isinstance(values, list | tuple) else [values] * n
        if name in _INTS:
            frame[name] = pd.array(values, dtype="Int64")
        elif name in _BOOLS:
            frame[name] = pd.array(values, dtype="boolean")
        elif name in _DATES:
            frame[name] = pd.to_datetime(pd.Series(values, dtype="object"))
        elif name == "role":
            frame[name] = pd.Categorical(
                values,
                categories=[
                    "head",
                    "spouse",
                    "child",
                    "child_in_law",
                    "grandchild",
                    "parent",
                    "sibling",
                    "other",
                ],
            )
        elif name == "disability_grade":
            frame[name] = pd.array(values, dtype="Int8")
        elif name in _TEXT or name.startswith(("id_", "head_id_")):
            frame[name] = pd.array(values, dtype=STRING)
        else:
            frame[name] = pd.array(values, dtype="float64")
    return frame


def _length(columns: dict) -> int:
    lengths = [len(v) for v in columns.values() if isinstance(v, list | tuple)]
    return max(lengths) if lengths else 1


def households(**columns) -> pd.DataFrame:
    """A household table; file, sheet, row (2, 3, ...), hh and household filled in."""
    n = _length(columns)
    columns.setdefault("file", FILE)
    columns.setdefault("sheet", SHEET)
    columns.setdefault("row", list(range(2, n + 2)))
    columns.setdefault("hh", list(range(n)))
    columns.setdefault("household", [f"C{i:03d}" for i in range(n)])
    columns.setdefault("head_id_region", "130723")
    return _frame(n, columns)


def members(**columns) -> pd.DataFrame:
    """A member table; ``id_number`` (and ``numeric``) expand to the loader's id_* columns."""
    n = _length(columns)
    ids = columns.pop("id_number", None)
    numeric = columns.pop("numeric", None)
    columns.setdefault("file", FILE)
    columns.setdefault("sheet", SHEET)
    columns.setdefault("row", list(range(2, n + 2)))
    columns.setdefault("hh", list(range(n)))
    frame = _frame(n, columns)
    if ids is not None:
        raw = pd.Series(list(ids) if isinstance(ids, list | tuple) else [ids] * n, dtype="object")
        mask = None if numeric is None else pd.Series(numeric, dtype="boolean")
        parsed = parse_ids(raw, numeric=mask, numeric_known=mask is not None)
        checked = check_ids(parsed["id_number"], numeric=parsed["id_numeric"])
        for col in ("id_number", "id_original", "id_numeric", "id_legacy"):
            frame[col] = parsed[col].to_numpy()
        renames = {
            "id_status": "id_status",
            "birth_date": "id_birth",
            "sex": "id_sex",
            "region": "id_region",
            "region_known": "id_region_known",
            "region_name": "id_region_name",
        }
        for col, new in renames.items():
            frame[new] = checked[col].to_numpy()
    return frame


def audit_data(
    households_: pd.DataFrame | None = None,
    members_: pd.DataFrame | None = None,
    *,
    issues: pd.DataFrame | None = None,
    totals: pd.DataFrame | None = None,
    columns: pd.DataFrame | None = None,
    policy_=None,
    as_of: date = AS_OF,
) -> AuditData:
    """AuditData over inline tables, assessed under ``policy_`` (the example policy)."""
    from civaudit.assess import assess

    policy_ = policy_ or EXAMPLE_POLICY
    m = members_ if members_ is not None else pd.DataFrame()
    if households_ is not None:
        h = households_
    elif "hh" in m and len(m):  # one household per member household number
        hh = sorted(int(x) for x in m["hh"].dropna().unique())
        h = households(hh=hh, row=[int(m.loc[m["hh"] == x, "row"].min()) for x in hh])
    else:
        h = households().iloc[:0]
    return AuditData(
        households=h,
        members=m,
        assessed=assess(h, m, policy_, as_of=as_of),
        issues=issues if issues is not None else pd.DataFrame(),
        totals=totals if totals is not None else pd.DataFrame(),
        columns=columns if columns is not None else pd.DataFrame(),
        policy=policy_,
        as_of=as_of,
    )


def run(data: AuditData, rule_id: str, **kw):
    kw.setdefault("mask", False)
    kw.setdefault("lang", "en")
    return run_rules(data, select=[rule_id], **kw)


_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])


def make_id(region: str = "130723", birth: str = "19600101", seq: str = "123") -> str:
    """A valid 18-character resident ID (GB 11643)."""
    body = region + birth + seq
    total = int(np.dot([int(d) for d in body], _WEIGHTS))
    return body + "10X98765432"[total % 11]
