"""JSON reports are written table by table, a chunk of rows at a time, and are byte for
byte what ``json.dumps(..., indent=1)`` of the whole document would give."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civaudit.report.output import json_document, records

FRAME = pd.DataFrame(
    {
        "n": [1, 2, None, 4, 5],
        "text": ["张三", "two\nlines", None, "=1+1", '引号"和\\'],
        "when": pd.to_datetime(
            ["2019-01-01", None, "2019-03-04 05:06", "2020-02-02", "2021-01-01"], format="ISO8601"
        ),
        "nested": [[1, 2], [], ["a"], {"k": [1, {"z": None}]}, {}],
        "x": [1.5, np.nan, np.inf, 2.0, 3.0],
    }
)


def whole(parts: dict) -> bytes:
    body = {k: records(v) if isinstance(v, pd.DataFrame) else v for k, v in parts.items()}
    return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")


@pytest.mark.parametrize("chunk", [1, 2, 3, 100])
@pytest.mark.parametrize(
    "parts",
    [
        {"civaudit": {"version": "1", "inputs": []}, "findings": FRAME, "tail": {"a": [1, {}]}},
        {"summary": {}, "changes": FRAME.iloc[:0], "findings": FRAME.iloc[:1]},
        {"only": FRAME},
        {"scalar": 1, "empty": []},
        {},
    ],
)
def test_same_bytes_as_one_dumps(parts, chunk):
    assert json_document(parts, chunk=chunk) == whole(parts)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.one_of(st.none(), st.text(max_size=8)),
            st.one_of(st.none(), st.integers(-(10**6), 10**6)),
            st.lists(st.text(max_size=3), max_size=3),
        ),
        max_size=12,
    ),
    chunk=st.integers(1, 5),
)
def test_any_table_any_chunk(rows, chunk):
    frame = pd.DataFrame(rows, columns=["t", "i", "l"], dtype="object")
    parts = {"civaudit": {"k": "v"}, "rows": frame}
    assert json_document(parts, chunk=chunk) == whole(parts)
    assert json.loads(json_document(parts, chunk=chunk)) == json.loads(whole(parts))
