"""GB 11643-1999 checks: statuses, derived birth date / sex / region."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from civaudit.idcard import ID_STATUSES, check_ids, checksum_char, id15_to_18, region_info

STANDARD = "11010519491231002X"


def _check(values, **kwargs) -> pd.DataFrame:
    return check_ids(pd.Series(values, dtype="string"), **kwargs)


def _with_check(first17: str) -> str:
    return first17 + checksum_char(pd.Series([first17], dtype="string")).iloc[0]


def test_standard_example_is_valid():
    row = _check([STANDARD]).iloc[0]
    assert row["id_status"] == "valid"
    assert row["birth_date"] == pd.Timestamp("1949-12-31")
    assert row["sex"] == "F"  # 17th digit 2
    assert row["region"] == "110105"
    assert row["region_known"]
    assert row["region_name"] == "北京市朝阳区"


def test_lowercase_x_is_accepted():
    assert _check([STANDARD.lower()])["id_status"].iloc[0] == "valid"


def test_kangbao_code_before_it_existed_is_known():
    """130723 dates from 1993; an ID of someone born in 1960 is still fine."""
    kangbao = _with_check("13072319600622123")
    row = _check([kangbao]).iloc[0]
    assert row["id_status"] == "valid"
    assert row["region_known"]
    assert row["region_name"] == "河北省康保县"
    assert row["birth_date"] == pd.Timestamp("1960-06-22")
    assert row["sex"] == "M"


@pytest.mark.parametrize(
    ("value", "numeric", "status"),
    [
        (None, False, "blank"),
        ("130102********123X", False, "masked"),
        ("1301**19900307123*", True, "masked"),  # masked wins over numeric
        ("1.30102E+17", False, "precision-lost"),  # scientific notation alone is enough
        ("130723197206220992", True, "precision-lost"),
        ("1307231972062209", True, "precision-lost"),  # 16 digits from a number cell
        ("130723197206220992", False, "checksum"),
        ("13072319720622123", False, "invalid"),  # 17 characters
        ("1307231972062212345", False, "invalid"),  # 19
        ("13072319720622123A", False, "invalid"),
        ("X30723197206221234", False, "invalid"),
        ("130723197213221234", False, "invalid"),  # month 13
        ("130723197202301234", False, "invalid"),  # 2月30日
        ("130723188901011234", False, "invalid"),  # before 1890
        ("130723197206001234", False, "invalid"),  # day 0
        ("11010519491231002Y", False, "invalid"),
        ("110105194912310021", False, "checksum"),
        (STANDARD, False, "valid"),
    ],
)
def test_statuses(value, numeric, status):
    frame = _check([value], numeric=pd.Series([numeric]))
    assert frame["id_status"].iloc[0] == status


def test_status_categories():
    status = _check([STANDARD, None])["id_status"]
    assert isinstance(status.dtype, pd.CategoricalDtype)
    assert list(status.cat.categories) == list(ID_STATUSES)
    assert list(ID_STATUSES) == [
        "valid",
        "blank",
        "masked",
        "precision-lost",
        "invalid",
        "checksum",
    ]


def test_birth_after_as_of_is_invalid():
    later = _with_check("13072320200115123")
    frame = _check([later, later], as_of=date(2019, 10, 1))
    assert frame["id_status"].tolist() == ["invalid", "invalid"]
    assert _check([later], as_of=date(2020, 1, 15))["id_status"].iloc[0] == "valid"


def test_leap_day_birth():
    assert _check([_with_check("13072319600229123")])["id_status"].iloc[0] == "valid"
    assert _check([_with_check("13072319610229123")])["id_status"].iloc[0] == "invalid"


def test_derived_columns_only_where_trustworthy():
    frame = _check(
        [
            "130102********123X",  # masked: region and 17th digit visible
            "130102199003071000",  # numeric: birth kept, sex and check digit lost
            "1.30102E+17",
            "13072319720622123A",  # invalid: nothing derived but the prefix
            _with_check("99999919900307123"),  # unknown region
        ],
        numeric=pd.Series([False, True, True, False, False]),
    )
    assert frame["id_status"].tolist() == [
        "masked",
        "precision-lost",
        "precision-lost",
        "invalid",
        "valid",
    ]
    assert frame["birth_date"].isna().tolist() == [True, False, True, True, False]
    assert frame["birth_date"].iloc[1] == pd.Timestamp("1990-03-07")
    assert frame["sex"].tolist()[0] == "M"
    assert frame["sex"].isna().tolist() == [False, True, True, True, False]
    assert frame["region"].tolist()[:2] == ["130102", "130102"]
    assert pd.isna(frame["region"].iloc[2])
    # region_known is only judged where the ID is checkable
    assert frame["region_known"].isna().tolist() == [True, True, True, True, False]
    assert not frame["region_known"].iloc[4]
    assert frame["region_name"].iloc[0] == "河北省长安区"
    assert pd.isna(frame["region_name"].iloc[4])


def test_columns_dtypes_and_index():
    frame = check_ids(pd.Series([STANDARD, None], index=[10, 5], dtype="string"))
    assert list(frame.columns) == [
        "id_status",
        "birth_date",
        "sex",
        "region",
        "region_known",
        "region_name",
    ]
    assert frame["birth_date"].dtype == "datetime64[ns]"
    assert frame["sex"].dtype == "string"
    assert frame["region"].dtype == "string"
    assert frame["region_known"].dtype == "boolean"
    assert frame["region_name"].dtype == "string"
    assert list(frame.index) == [10, 5]


def test_numeric_mask_aligned_on_index():
    ids = pd.Series(["130723197206220992", STANDARD], index=["a", "b"], dtype="string")
    numeric = pd.Series([False, True], index=["b", "a"])
    assert check_ids(ids, numeric=numeric)["id_status"].tolist() == ["precision-lost", "valid"]


def test_empty():
    frame = check_ids(pd.Series([], dtype="string"))
    assert frame.empty and "id_status" in frame


def test_checksum_char():
    out = checksum_char(pd.Series(["11010519491231002", "1101051949123100", "abc", None]))
    assert out.iloc[0] == "X"
    assert out.iloc[1:].isna().all()


def test_id15_to_18():
    assert id15_to_18("130723600622123") == "130723196006221234"
    with pytest.raises(ValueError, match="15-digit"):
        id15_to_18("13072360062212X")


def test_region_info():
    assert region_info("130723") == (True, "河北省康保县")
    assert region_info("130000") == (True, "河北省")
    assert region_info("130502") == (True, "河北省襄都区")  # latest of two names
    assert region_info("999999") == (False, None)
    assert region_info("139999") == (False, None)


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_any_17_digits_plus_check_char_pass_the_checksum(first17):
    status = _check([_with_check(first17)])["id_status"].iloc[0]
    # the 17 digits may still spell an impossible birth date
    assert status in ("valid", "invalid")


@given(
    st.sampled_from(["130723", "110105", "130102", "999999"]),
    st.dates(min_value=date(1890, 1, 1), max_value=date(2100, 12, 31)),
    st.text(alphabet="0123456789", min_size=3, max_size=3),
)
def test_well_formed_ids_are_valid(region, born, sequence):
    row = _check([_with_check(region + born.strftime("%Y%m%d") + sequence)]).iloc[0]
    assert row["id_status"] == "valid"
    assert row["birth_date"] == pd.Timestamp(born)
    assert row["sex"] == ("M" if int(sequence[-1]) % 2 else "F")
