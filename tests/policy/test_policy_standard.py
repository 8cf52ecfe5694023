"""Policy.standard_for: longest prefix among entries in force, latest first."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from civaudit.policy import EXAMPLE_POLICY, parse_policy

POLICY = parse_policy(
    """
    [[standard]]
    region = "13"
    yearly = 4800
    [[standard]]
    region = "1307"
    yearly = 5000
    from = "2019-07-01"
    [[standard]]
    region = "1307"
    yearly = 4900
    from = "2019-01-01"
    [[standard]]
    region = "130723"
    yearly = 6000
    from = "2020-01-01"
    """
)
CODES = pd.Series(["130723", "130102", "130724", None, "1", "110101"], index=list("abcdef"))


def test_longest_prefix_then_latest_entry():
    got = POLICY.standard_for(CODES, date(2019, 10, 1))
    assert list(got.index) == list("abcdef")
    assert got.tolist()[:3] == [5000, 4800, 5000]
    assert got.isna().tolist()[3:] == [True, True, True]


def test_entries_not_yet_in_force_leave_the_shorter_prefix():
    assert POLICY.standard_for(CODES, date(2019, 3, 1)).tolist()[:3] == [4900, 4800, 4900]
    assert POLICY.standard_for(CODES, date(2018, 12, 31)).tolist()[:3] == [4800, 4800, 4800]
    assert POLICY.standard_for(CODES, date(2020, 1, 1)).tolist()[:3] == [6000, 4800, 5000]


def test_accepts_timestamps_and_string_dtypes():
    codes = CODES.astype(pd.StringDtype("pyarrow"))
    got = POLICY.standard_for(codes, pd.Timestamp("2019-10-01"))
    assert got.tolist()[:3] == [5000, 4800, 5000]


def test_many_rows_and_empty():
    codes = pd.Series(np.repeat(["130723", "110101"], 50_000))
    got = EXAMPLE_POLICY.standard_for(codes, date(2019, 10, 1))
    assert got.iloc[0] == 4800 and np.isnan(got.iloc[-1]) and len(got) == 100_000
    assert len(EXAMPLE_POLICY.standard_for(pd.Series([], dtype="string"), date(2019, 1, 1))) == 0
