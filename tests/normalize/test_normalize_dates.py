"""parse_dates: serials, datetimes and hand-typed forms, with precision and ambiguity."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from civaudit.normalize import DateParsed, parse_dates


def _one(text):
    parsed = parse_dates(pd.Series([text], dtype="string"))
    return (
        parsed.values.iloc[0],
        parsed.precision.iloc[0],
        bool(parsed.ambiguous.iloc[0]),
        bool(parsed.bad.iloc[0]),
    )


OCT_1 = pd.Timestamp("2019-10-01")


@pytest.mark.parametrize(
    "raw",
    [
        "43739",  # Excel serial
        "43739.0",
        "43739.75",  # a serial with a time of day
        "2019-10-01 00:00:00",  # the reader's datetime
        "2019-10-01",
        "2019/10/1",
        "2019.10.1",
        "2019年10月1日",
        "2019年10月01日",
        "2019年10月1号",
        "20191001",
        "2019-10-01T08:30:00",
        "２０１９年１０月１日",
        "2019 年 10 月 1 日",
        "2019-10-01 12:30",
    ],
)
def test_day_forms(raw):
    assert _one(raw) == (OCT_1, "day", False, False)


@pytest.mark.parametrize(
    "raw",
    [
        "2019年10月",
        "2019-10",
        "2019/10",
        "2019.10",
        "201910",
        "2019年10",
        "２０１９．１０",
        "2019 年 10 月",
    ],
)
def test_month_forms(raw):
    assert _one(raw) == (OCT_1, "month", False, False)


def test_number_cell_2019_10_is_ambiguous_january():
    assert _one("2019.1") == (pd.Timestamp("2019-01-01"), "month", True, False)


@pytest.mark.parametrize(
    ("raw", "month"), [("2019.01", 1), ("2019.2", 2), ("2019.11", 11), ("2019.12", 12)]
)
def test_other_dotted_months_are_not_ambiguous(raw, month):
    assert _one(raw) == (pd.Timestamp(2019, month, 1), "month", False, False)


@pytest.mark.parametrize(
    ("serial", "day"),
    [("1", "1900-01-01"), ("59", "1900-02-28"), ("61", "1900-03-01"), ("80000", None)],
)
def test_excel_1900_system(serial, day):
    value, precision, _, bad = _one(serial)
    if day is None:  # 80000 is 2119: outside the year range
        assert bad
    else:
        assert (value, precision, bad) == (pd.Timestamp(day), "day", False)


@pytest.mark.parametrize(
    "raw",
    [
        "60",  # Excel's fictitious 1900-02-29
        "0",
        "80001",
        "2019",  # a bare year: no month
        "1889-12-31",
        "2101-01",
        "2019-13",
        "201913",
        "2019-10-32",
        "2019-02-29",
        "2019.13",
        "abc",
        "19/10/1",
        "true",
        "2019-10 00:00:00",  # a time needs a day
        "12:30",
    ],
)
def test_bad_dates(raw):
    value, precision, ambiguous, bad = _one(raw)
    assert pd.isna(value) and pd.isna(precision) and not ambiguous and bad


def test_leap_day():
    assert _one("2020-02-29")[0] == pd.Timestamp("2020-02-29")


def test_blank_and_dtypes():
    parsed = parse_dates(pd.Series([None, "", "2019-10"], index=[5, 6, 7], dtype="string"))
    assert isinstance(parsed, DateParsed)
    assert parsed.values.dtype == "datetime64[ns]"
    assert list(parsed.precision.cat.categories) == ["day", "month"]
    assert parsed.ambiguous.dtype == bool and parsed.bad.dtype == bool
    assert parsed.bad.tolist() == [False, False, False]
    assert parsed.values.isna().tolist() == [True, True, False]
    for column in (parsed.values, parsed.precision, parsed.ambiguous, parsed.bad):
        assert list(column.index) == [5, 6, 7]


@given(
    st.dates(
        min_value=pd.Timestamp("1890-01-01").date(), max_value=pd.Timestamp("2100-12-31").date()
    )
)
def test_written_dates_round_trip(day):
    texts = [day.isoformat(), f"{day.year}年{day.month}月{day.day}日", day.strftime("%Y%m%d")]
    parsed = parse_dates(pd.Series(texts, dtype="string"))
    assert (parsed.values == pd.Timestamp(day)).all()
    assert not parsed.bad.any()
