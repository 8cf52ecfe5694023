"""Publicity lists (公示): masked IDs in every common style, never equal to each other
unless the name and the visible digits agree, and then only as a weak match."""

from __future__ import annotations

import pandas as pd
import pytest

from civaudit.idcard import check_ids, region_named
from civaudit.normalize import parse_ids
from civaudit.normalize.arrow import to_arrow
from civaudit.normalize.ids import HIDDEN, masked_id_mask, visible_id_chars
from tests.rules.rulekit import audit_data, households, make_id, members, run

FULL = make_id(birth="19720101", seq="567")  # 130723197201015675-ish, a valid ID


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("130723********1234", "130723????????1234"),
        ("1307231972****1234", "1307231972????1234"),
        ("130723****", "130723????????????"),
        ("1****************4", "1????????????????4"),
        ("130723xxxxxxxx1234", "130723????????1234"),
        ("130723XXXXXXXX123X", "130723????????123?"),  # x's mask: a final X is hidden too
        ("130723…1234", "130723????????1234"),
        ("130723——1234", "130723????????1234"),
        ("130723 1234", "130723????????1234"),  # the middle dropped: first 6, last 4
        ("１３０７２３＊＊＊＊＊＊＊＊１２３４", "130723????????1234"),
    ],
)
def test_every_common_mask_style_is_masked_and_keeps_what_it_shows(raw, shown):
    ids = parse_ids(pd.Series([raw]))["id_number"]
    assert check_ids(ids)["id_status"].iloc[0] == "masked"
    arr = to_arrow(ids)
    chars = visible_id_chars(arr, masked_id_mask(arr))[0]
    assert "".join(chr(c) if c != HIDDEN else "?" for c in chars) == shown


@pytest.mark.parametrize("raw", ["11010519491231002X", "11010519491231002x", "X30723197206221234"])
def test_a_lone_x_is_not_a_mask(raw):
    ids = parse_ids(pd.Series([raw]))["id_number"]
    assert check_ids(ids)["id_status"].iloc[0] != "masked"


def test_a_masked_id_keeps_its_region():
    ids = parse_ids(pd.Series(["130723********1234", "130723…1234"]))["id_number"]
    assert list(check_ids(ids)["region"]) == ["130723", "130723"]


def test_a_county_name_gives_its_region_unless_ambiguous():
    assert region_named("康保县张纪镇2019年10月农村低保公示") == "130723"  # 132522 before 1993
    assert region_named("", "公示/沽源县/名单.xlsx") == "130724"
    assert region_named("朝阳区") is None  # Beijing and Changchun
    assert region_named("河北省张家口市") is None  # a city, not a county


def names_and_ids(names, ids, **extra):
    return audit_data(members_=members(id_number=ids, name=names, **extra))


def test_masked_ids_are_never_duplicates_of_each_other():
    data = names_and_ids(["张*", "张*"], ["130723********1234", "130723********1234"])
    assert len(run(data, "dup.person")) == 0


def test_same_name_and_visible_digits_is_a_weak_match_once():
    data = names_and_ids(
        ["张*", "李四", "张*", "李四", "王五"],
        ["130723********1234", "1307231972****5678", "130723********1234", FULL, FULL],
    )
    f = run(data, "dup.masked-match").findings
    # 张* twice (reported on the later row); 李四 masked vs 李四 full only if the digits agree
    assert list(f["row"]) == [4]
    assert f["severity"].iloc[0] == "info"
    evidence = f["evidence"].iloc[0]
    assert evidence["shared_digits"] == 10
    assert evidence["others"] == [{"file": "村.xlsx", "sheet": "Sheet1", "row": 2}]
    assert f["message"].iloc[0].startswith("张* (130723********1234) and 张* (130723********1234)")


def test_a_masked_id_matches_a_full_one_with_the_same_name_and_digits():
    masked = FULL[:10] + "****" + FULL[14:]
    data = names_and_ids(["李四", "李四", "李*"], [FULL, masked, FULL[:6] + "********" + "9999"])
    f = run(data, "dup.masked-match").findings
    assert list(f["row"]) == [3]
    assert f["evidence"].iloc[0]["shared_digits"] == 14


@pytest.mark.parametrize(
    ("names", "ids"),
    [
        (["张*", "李*"], ["130723********1234", "130723********1234"]),  # names differ
        (["张三", "张四"], ["130723********1234", "130723********1234"]),
        (["张*", "张*"], ["130723********1234", "130723********1235"]),  # a digit differs
        (["张*", "张*"], ["130723****", "130723****"]),  # only the region: too little
        (["张*", "张*"], ["1****************4", "1****************4"]),
        (["张*", "张三丰"], ["130723********1234", "130723********1234"]),  # lengths differ
        (["*", "*"], ["130723********1234", "130723********1234"]),  # no name shown
    ],
)
def test_no_weak_match_without_enough_agreement(names, ids):
    assert len(run(names_and_ids(names, ids), "dup.masked-match")) == 0


def test_id_rules_that_cannot_apply_to_a_masked_list_say_so():
    data = names_and_ids(["张*", "李*"], ["130723********1234", "1****************4"])
    report = run(data, "id,dup.person,dup.similar-person")
    for rule in ("id.invalid", "id.checksum", "dup.person", "dup.similar-person"):
        assert "masked" in report.rules_skipped[rule]
    assert "id.masked" in report.rules_run
    # one readable ID is enough for the checks to run on it
    data = names_and_ids(["张*", "李四"], ["130723********1234", FULL])
    assert "id.checksum" in run(data, "id").rules_run


def test_benefit_over_the_cap_is_found_on_a_masked_list_without_income():
    h = households(
        household_size=[2, 1],
        covered_count=[2, 1],
        benefit_month=[900.0, 300.0],
        head_id_region="130723",
    )
    f = run(audit_data(h), "benefit").findings
    assert list(f["rule"]) == ["benefit.over-cap"] and list(f["row"]) == [2]
