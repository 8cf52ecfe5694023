"""Village patterns: uniform amounts across a village."""

from __future__ import annotations

import pandas as pd

from civaudit.rules.village import UNIFORM_MIN_HOUSEHOLDS
from tests.rules.rulekit import audit_data, households, run


def village(amounts, name="一村"):
    return households(benefit_month=amounts, village=name, town="甲镇")


def test_most_of_a_village_on_one_amount_is_listed_once_for_the_village():
    h = village([300.0] * 8 + [250.0, 410.0])
    f = run(audit_data(h), "village.uniform-amounts").findings
    assert len(f) == 1
    row = f.iloc[0]
    assert row["severity"] == "info" and row["village"] == "一村" and row["town"] == "甲镇"
    assert pd.isna(row["row"])
    assert row["household"] is None and row["cell"] is None
    assert row["evidence"] == {
        "households": 10,
        "same": 8,
        "amount": 300,
        "share": 0.8,
    }
    assert row["message"] == "8 of 10 households in 一村 (80%) get the same 300 a month"


def test_small_or_varied_villages_are_quiet():
    small = village([300.0] * (UNIFORM_MIN_HOUSEHOLDS - 1))
    varied = village([300.0] * 7 + [250.0, 410.0, 120.0], name="二村")
    assert len(run(audit_data(small), "village.uniform-amounts")) == 0
    assert len(run(audit_data(varied), "village.uniform-amounts")) == 0
