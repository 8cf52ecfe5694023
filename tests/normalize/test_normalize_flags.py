"""parse_bool: the ways a yes/no column is marked."""

from __future__ import annotations

import pandas as pd
import pytest

from civaudit.normalize import parse_bool


def _one(text, **kwargs):
    parsed = parse_bool(pd.Series([text], dtype="string"), **kwargs)
    return parsed.values.iloc[0], bool(parsed.bad.iloc[0])


@pytest.mark.parametrize(
    "raw",
    ["是", "√", "✓", "✔", "Y", "y", "yes", "YES", "1", "true", "TRUE", "有", "对", "Ｙ", " 是 "],
)
def test_true(raw):
    assert _one(raw) == (True, False)


@pytest.mark.parametrize(
    "raw", ["否", "×", "✗", "✘", "N", "n", "no", "No", "0", "false", "无", "错", "0.0"]
)
def test_false(raw):
    assert _one(raw) == (False, False)


@pytest.mark.parametrize("raw", [None, "", "\u3000"])
def test_blank(raw):
    value, bad = _one(raw)
    assert value is pd.NA and not bad


@pytest.mark.parametrize("raw", ["maybe", "—", "2", "已脱贫"])
def test_unknown_is_bad(raw):
    value, bad = _one(raw)
    assert value is pd.NA and bad


def test_extra_tokens():
    raw = pd.Series(["已脱贫", "未脱贫", "是", "无"], dtype="string")
    parsed = parse_bool(raw, true=["已脱贫"], false=["未脱贫", "是"])  # 是 overridden
    assert parsed.values.tolist() == [True, False, False, False]
    assert not parsed.bad.any()


def test_extra_tokens_are_cleaned_like_cells():
    assert _one("ＯＫ", true=[" ok "]) == (True, False)


def test_token_both_ways_is_refused():
    with pytest.raises(ValueError, match="both"):
        parse_bool(pd.Series(["x"]), true=["x"], false=["X"])


def test_dtype_and_index():
    parsed = parse_bool(pd.Series(["是", None, "?"], index=["c", "b", "a"], dtype="string"))
    assert parsed.values.dtype == "boolean"
    assert list(parsed.values.index) == ["c", "b", "a"]
    assert parsed.bad.tolist() == [False, False, True]
