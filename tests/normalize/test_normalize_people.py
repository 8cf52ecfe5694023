"""parse_sex, parse_relation, parse_disability and parse_disability_type."""

from __future__ import annotations

import pandas as pd
import pytest

from civaudit.normalize import (
    DISABILITY_TYPES,
    ROLES,
    parse_disability,
    parse_disability_type,
    parse_relation,
    parse_sex,
)


@pytest.mark.parametrize(
    ("raw", "sex"),
    [
        ("男", "M"),
        ("女", "F"),
        ("M", "M"),
        ("f", "F"),
        ("male", "M"),
        ("Female", "F"),
        ("男性", "M"),
        ("女性", "F"),
        (" 男 ", "M"),
        ("1", "M"),  # GB/T 2261.1 codes
        ("2", "F"),
    ],
)
def test_sex(raw, sex):
    parsed = parse_sex(pd.Series([raw], dtype="string"))
    assert parsed.values.iloc[0] == sex and not parsed.bad.iloc[0]


def test_sex_unknown_and_blank():
    parsed = parse_sex(pd.Series(["x", None, "0"], index=[3, 2, 1], dtype="string"))
    assert parsed.values.dtype == "string"
    assert parsed.values.isna().all()
    assert parsed.bad.tolist() == [True, False, True]
    assert list(parsed.values.index) == [3, 2, 1]


RELATIONS = {
    "head": ["户主", "本人", "户主本人", "户主(本人)", "HEAD"],
    "spouse": ["配偶", "妻", "夫", "妻子", "丈夫", "之妻", "之夫", "户主之妻", "爱人"],
    "child": [
        "子", "女", "儿子", "女儿", "长子", "次子", "三子", "四子", "长女", "次女", "三女",
        "二女儿", "小儿子", "养子", "养女", "继子", "继女", "户主之子", "户主的女儿",
    ],
    "child_in_law": ["儿媳", "女婿", "儿媳妇", "长媳", "二女婿"],
    "grandchild": ["孙子", "孙女", "外孙", "外孙子", "外孙女", "曾孙", "曾孙女", "长孙"],
    "parent": ["父亲", "母亲", "父", "母", "公公", "婆婆", "岳父", "岳母", "祖父", "祖母", "奶奶"],
    "sibling": ["兄", "弟", "姐", "妹", "哥哥", "弟弟", "姐姐", "妹妹", "兄弟", "姐妹", "大哥"],
    "other": ["其他", "其他亲属", "侄子", "侄女", "孙媳", "外甥", "嫂子"],
}  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "role"), [(raw, role) for role, words in RELATIONS.items() for raw in words]
)
def test_relation(raw, role):
    parsed = parse_relation(pd.Series([raw], dtype="string"))
    assert parsed.values.iloc[0] == role
    assert not parsed.bad.iloc[0]


@pytest.mark.parametrize("raw", ["邻居", "媳妇", "abc"])
def test_unrecognised_relation_is_other_and_bad(raw):
    parsed = parse_relation(pd.Series([raw], dtype="string"))
    assert parsed.values.iloc[0] == "other"
    assert parsed.bad.iloc[0]


def test_relation_dtype_blank_and_index():
    parsed = parse_relation(pd.Series(["户主", None, "妻"], index=[9, 8, 7], dtype="string"))
    assert list(parsed.values.cat.categories) == list(ROLES)
    assert pd.isna(parsed.values.iloc[1]) and not parsed.bad.iloc[1]
    assert list(parsed.values.index) == [9, 8, 7]


@pytest.mark.parametrize(
    ("raw", "grade", "kind"),
    [
        ("一级", 1, None),
        ("1级", 1, None),
        ("一级残疾", 1, None),
        ("Ⅰ级", 1, None),
        ("I级", 1, None),
        ("Ⅱ", 2, None),
        ("二级", 2, None),
        ("1", 1, None),
        ("Ⅳ级", 4, None),
        ("iii级", 3, None),
        ("肢体二级", 2, "physical"),
        ("肢体残疾二级", 2, "physical"),
        ("二级肢体", 2, "physical"),
        ("视力一级", 1, "visual"),
        ("听力三级", 3, "hearing"),
        ("言语四级", 4, "speech"),
        ("智力3级", 3, "intellectual"),
        ("精神二级", 2, "mental"),
        ("多重残疾一级", 1, "multiple"),
        ("肢体", None, "physical"),
        ("肢体二级、视力三级", 2, "multiple"),  # most severe grade
    ],
)
def test_disability(raw, grade, kind):
    frame = parse_disability(pd.Series([raw], dtype="string"))
    row = frame.iloc[0]
    assert (None if pd.isna(row["grade"]) else row["grade"]) == grade
    assert (None if pd.isna(row["type"]) else row["type"]) == kind
    assert not row["bad"]


@pytest.mark.parametrize("raw", ["无", "否", "—", "-", "/", "无残疾", None, ""])
def test_no_disability_is_na_not_bad(raw):
    row = parse_disability(pd.Series([raw], dtype="string")).iloc[0]
    assert pd.isna(row["grade"]) and pd.isna(row["type"]) and not row["bad"]


@pytest.mark.parametrize("raw", ["5级", "abc", "IIII", "重度"])
def test_bad_disability(raw):
    row = parse_disability(pd.Series([raw], dtype="string")).iloc[0]
    assert pd.isna(row["grade"]) and row["bad"]


def test_disability_frame_shape():
    frame = parse_disability(pd.Series(["一级", None], index=["b", "a"], dtype="string"))
    assert list(frame.columns) == ["grade", "type", "bad"]
    assert str(frame["grade"].dtype) == "Int8"
    assert list(frame["type"].cat.categories) == list(DISABILITY_TYPES)
    assert list(frame.index) == ["b", "a"]


@pytest.mark.parametrize(
    ("raw", "kind", "bad"),
    [
        ("肢体", "physical", False),
        ("视力残疾", "visual", False),
        ("听力", "hearing", False),
        ("言语", "speech", False),
        ("智力", "intellectual", False),
        ("精神", "mental", False),
        ("多重", "multiple", False),
        ("肢体二级", "physical", False),
        ("二级", None, True),
        ("无", None, False),
        ("x", None, True),
    ],
)
def test_disability_type(raw, kind, bad):
    parsed = parse_disability_type(pd.Series([raw], dtype="string"))
    assert (None if pd.isna(parsed.values.iloc[0]) else parsed.values.iloc[0]) == kind
    assert bool(parsed.bad.iloc[0]) is bad
