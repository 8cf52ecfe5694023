"""Properties every parser keeps on arbitrary text: no exceptions, bad xor value, index kept."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civaudit.idcard import check_ids
from civaudit.normalize import (
    clean_text,
    parse_bool,
    parse_count,
    parse_dates,
    parse_disability,
    parse_disability_type,
    parse_ids,
    parse_money,
    parse_number,
    parse_relation,
    parse_sex,
)
from civaudit.normalize.people import NO_DISABILITY

# Text that looks like roster cells, mixed with anything at all.
cell_text = st.one_of(
    st.none(),
    st.text(),
    st.text(alphabet="0123456789.,-/年月日元万人口级 Xx*E+\u3000", max_size=20),
    st.sampled_from(["—", "无", "2019.1", "1.2万", "肢体二级", "户主", "是", "三", "43739"]),
)
columns = st.lists(cell_text, max_size=12)
indexes = st.sampled_from(["range", "reversed", "labels"])


def _series(values: list, index_kind: str) -> pd.Series:
    n = len(values)
    index = {
        "range": pd.RangeIndex(n),
        "reversed": pd.Index(range(n, 0, -1)),
        "labels": pd.Index([f"r{i}" for i in range(n)]),
    }[index_kind]
    return pd.Series(values, index=index, dtype=object)


def _nonblank(raw: pd.Series) -> pd.Series:
    return clean_text(raw).notna().to_numpy()


SIMPLE = [parse_money, parse_count, parse_number, parse_bool, parse_sex, parse_disability_type]


@pytest.mark.parametrize("parse", SIMPLE, ids=lambda f: f.__name__)
@given(values=columns, index_kind=indexes)
@settings(max_examples=60, deadline=None)
def test_value_xor_bad(parse, values, index_kind):
    raw = _series(values, index_kind)
    parsed = parse(raw)
    assert parsed.values.index.equals(raw.index) and parsed.bad.index.equals(raw.index)
    has_value = parsed.values.notna().to_numpy()
    bad = parsed.bad.to_numpy()
    nonblank = _nonblank(raw)
    if parse is parse_disability_type:  # 无 / 否 / a dash say "no disability"
        nonblank = nonblank & ~_is_no_disability(raw)
    assert not (has_value & bad).any()
    assert ((has_value | bad) == nonblank).all()


@given(values=columns, index_kind=indexes)
@settings(max_examples=60, deadline=None)
def test_dates_value_xor_bad(values, index_kind):
    raw = _series(values, index_kind)
    parsed = parse_dates(raw)
    for column in (parsed.values, parsed.precision, parsed.ambiguous, parsed.bad):
        assert column.index.equals(raw.index)
    has_value = parsed.values.notna().to_numpy()
    assert (has_value == parsed.precision.notna().to_numpy()).all()
    assert not (parsed.ambiguous & ~parsed.values.notna()).any()
    assert not (has_value & parsed.bad.to_numpy()).any()
    assert ((has_value | parsed.bad.to_numpy()) == _nonblank(raw)).all()


@given(values=columns, index_kind=indexes)
@settings(max_examples=60, deadline=None)
def test_relation_always_has_a_role(values, index_kind):
    raw = _series(values, index_kind)
    parsed = parse_relation(raw)
    assert parsed.values.index.equals(raw.index)
    # unrecognised text is 'other' *and* bad, so every non-blank cell has a role
    assert (parsed.values.notna().to_numpy() == _nonblank(raw)).all()
    assert (parsed.values[parsed.bad] == "other").all()


@given(values=columns, index_kind=indexes)
@settings(max_examples=60, deadline=None)
def test_disability_grade_or_type_xor_bad(values, index_kind):
    raw = _series(values, index_kind)
    frame = parse_disability(raw)
    assert frame.index.equals(raw.index)
    has_value = (frame["grade"].notna() | frame["type"].notna()).to_numpy()
    bad = frame["bad"].to_numpy()
    assert not (has_value & bad).any()
    assert ((has_value | bad) == (_nonblank(raw) & ~_is_no_disability(raw))).all()
    assert frame["grade"].dropna().between(1, 4).all()


@given(values=columns, index_kind=indexes)
@settings(max_examples=60, deadline=None)
def test_ids_never_raise_and_keep_the_index(values, index_kind):
    raw = _series(values, index_kind)
    parsed = parse_ids(raw)
    checked = check_ids(parsed["id_number"], numeric=parsed["id_numeric"])
    assert parsed.index.equals(raw.index) and checked.index.equals(raw.index)
    assert (parsed["id_number"].notna().to_numpy() == _nonblank(raw)).all()
    assert ((checked["id_status"] == "blank").to_numpy() == ~_nonblank(raw)).all()


def _is_no_disability(raw: pd.Series) -> pd.Series:
    cleaned = clean_text(raw, squeeze_spaces=True).str.upper()
    dash = cleaned.str.fullmatch(r"[-‐‑‒–—―−]+")
    return (cleaned.isin(NO_DISABILITY) | dash).fillna(False).to_numpy(dtype=bool)
