"""parse_ids: cleaning, legacy conversion and the traces of number cells."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from civaudit.idcard import check_ids, checksum_char, id15_to_18
from civaudit.normalize import parse_ids

STANDARD = "11010519491231002X"  # GB 11643-1999's own example


def _one(text, **kwargs) -> dict:
    return parse_ids(pd.Series([text], dtype="string"), **kwargs).iloc[0].to_dict()


@pytest.mark.parametrize(
    "raw",
    [
        STANDARD,
        "11010519491231002x",
        " 110105 19491231 002X ",
        "110105\u300019491231\u3000002X",
        "\t11010519491231002X\n",
        "'11010519491231002X",
        "\u200b11010519491231002X\ufeff",
        "１１０１０５１９４９１２３１００２Ｘ",
        "１１０１０５１９４９１２３１００２ｘ",
    ],
)
def test_cleaned_forms(raw):
    row = _one(raw)
    assert row["id_number"] == STANDARD
    assert row["id_original"] == STANDARD
    assert not row["id_numeric"] and not row["id_legacy"]


def test_legacy_15_digit_converted():
    row = _one("130723600622123")
    assert row["id_number"] == id15_to_18("130723600622123") == "130723196006221234"
    assert row["id_original"] == "130723600622123"
    assert row["id_legacy"] and not row["id_numeric"]


def test_legacy_from_a_number_cell_lost_nothing():
    row = _one("130723600622123.0")
    assert row["id_number"] == "130723196006221234"
    assert row["id_legacy"] and not row["id_numeric"]


def test_blank():
    frame = parse_ids(pd.Series([None, "", " \u3000"], dtype="string"))
    assert frame["id_number"].isna().all() and frame["id_original"].isna().all()
    assert not frame["id_numeric"].any() and not frame["id_legacy"].any()


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("1.30102E+17", "1.30102E+17"),
        ("1.30102e17", "1.30102E17"),
        ("130723197206221234.0", "130723197206221234"),  # trailing .0 stripped
        # The exact value of the double 1.30723197206221E+17, as a reader prints it:
        ("130723197206220992", "130723197206220992"),
        # The 15-digit display saved to CSV: ends in 000 with a wrong check digit.
        ("130102199003071000", "130102199003071000"),
    ],
)
def test_numeric_traces(raw, number):
    row = _one(raw)
    assert row["id_number"] == number
    assert row["id_numeric"]


def test_genuine_text_id_is_not_numeric():
    assert not _one("130723197206221234")["id_numeric"]


def test_id_numeric_and_status_for_the_double_value():
    frame = parse_ids(pd.Series(["130723197206220992", "130723197206221234"], dtype="string"))
    assert frame["id_numeric"].tolist() == [True, False]
    status = check_ids(frame["id_number"], numeric=frame["id_numeric"])["id_status"]
    assert status.tolist() == ["precision-lost", "checksum"]


def test_reader_mask_is_or_ed_in():
    raw = pd.Series(["11010519491231002X", "11010519491231002X"], index=[4, 2], dtype="string")
    numeric = pd.Series([False, True], index=[4, 2])
    assert parse_ids(raw, numeric=numeric)["id_numeric"].tolist() == [False, True]
    # a mask in another order is aligned on the index
    assert parse_ids(raw, numeric=numeric.iloc[::-1])["id_numeric"].tolist() == [False, True]


def test_columns_dtypes_and_index():
    raw = pd.Series([STANDARD, None], index=["x", "y"], dtype="string")
    frame = parse_ids(raw)
    assert list(frame.columns) == ["id_number", "id_original", "id_numeric", "id_legacy"]
    assert frame["id_number"].dtype == "string" and frame["id_original"].dtype == "string"
    assert frame["id_numeric"].dtype == bool and frame["id_legacy"].dtype == bool
    assert list(frame.index) == ["x", "y"]


def test_object_and_str_input():
    for dtype in (object, "str"):
        frame = parse_ids(pd.Series([STANDARD.lower(), None], dtype=dtype))
        assert frame["id_number"].iloc[0] == STANDARD


digits = st.text(alphabet="0123456789", min_size=17, max_size=17)


def _with_check(first17: str) -> str:
    return first17 + checksum_char(pd.Series([first17], dtype="string")).iloc[0]


@given(digits)
def test_parse_is_idempotent(first17):
    raw = pd.Series([_with_check(first17), first17[:15], first17 + "0.0", " " + first17[:9]])
    once = parse_ids(raw)["id_number"]
    assert parse_ids(once)["id_number"].equals(once)


_FULL = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


@given(digits, st.sampled_from([" ", "\u3000", "\t", "\u200b", "\n"]), st.integers(0, 17))
def test_full_width_and_padded_parse_alike(first17, space, cut):
    plain = _with_check(first17)
    variants = [
        plain,
        plain.translate(_FULL),
        space + plain + space,
        plain[:cut] + space + plain[cut:],
        "'" + plain.lower(),
    ]
    numbers = parse_ids(pd.Series(variants, dtype="string"))["id_number"]
    assert (numbers == plain).all()


@given(
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.dates(
        min_value=pd.Timestamp("1900-01-01").date(), max_value=pd.Timestamp("1999-12-31").date()
    ),
    st.text(alphabet="0123456789", min_size=3, max_size=3),
)
def test_legacy_id_converts_to_a_valid_id_with_the_same_birth(region, born, sequence):
    legacy = region + born.strftime("%y%m%d") + sequence
    parsed = parse_ids(pd.Series([legacy], dtype="string"))
    assert parsed["id_legacy"].iloc[0]
    checked = check_ids(parsed["id_number"], numeric=parsed["id_numeric"]).iloc[0]
    assert checked["id_status"] == "valid"
    assert checked["birth_date"] == pd.Timestamp(born)
