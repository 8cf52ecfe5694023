"""Duplicates: one finding per extra occurrence, naming every other place."""

from __future__ import annotations

from tests.rules.rulekit import audit_data, households, make_id, members, run

A = make_id(seq="123")
B = make_id(birth="19700505", seq="246")


def people(ids, **extra):
    n = len(ids)
    extra.setdefault("name", [f"人{i}" for i in range(n)])
    return audit_data(members_=members(id_number=ids, **extra))


def test_same_id_twice_gives_one_finding_on_the_second():
    f = run(people([A, B, A]), "dup.person").findings
    assert list(f["row"]) == [4]
    evidence = f["evidence"].iloc[0]
    assert evidence["count"] == 2
    assert evidence["others"] == [
        {"file": "村.xlsx", "sheet": "Sheet1", "row": 2, "name": "人0", "scheme": None}
    ]
    assert f["message"].iloc[0] == f"ID number {A} appears 2 times; also at Sheet1!2"


def test_three_occurrences_across_files_give_two_findings():
    data = people([A, A, A], file=["b.xlsx", "a.xlsx", "a.xlsx"], row=[2, 9, 5])
    f = run(data, "dup.person").findings
    # the first in file, sheet, row order is a.xlsx row 5; the others are findings
    assert [(fi, r) for fi, r in zip(f["file"], f["row"], strict=True)] == [
        ("a.xlsx", 9),
        ("b.xlsx", 2),
    ]
    assert all(len(e["others"]) == 2 for e in f["evidence"])
    assert f["message"].iloc[1].endswith("also at a.xlsx: Sheet1!9; a.xlsx: Sheet1!5")
    assert f["message"].iloc[0].endswith("also at b.xlsx: Sheet1!2; Sheet1!5")


def test_a_legacy_id_matches_its_18_digit_form():
    old = A[:6] + A[8:17]
    assert len(run(people([A, old]), "dup.person")) == 1


def test_distinct_blank_masked_invalid_and_damaged_ids_are_not_duplicates():
    masked = A[:6] + "********" + A[14:]
    damaged = A[:15] + "000"
    data = people(
        [A, B, None, None, masked, masked, A[:-1], A[:-1], damaged, damaged],
        numeric=[False] * 8 + [True, True],
    )
    assert len(run(data, "dup.person")) == 0


def test_shared_account_is_reported_on_the_second_household():
    h = households(
        bank_account=["6228 4800 0000 0001", "6228480000000001", "6228480000000002"],
        head_name=["张三", "李四", "王五"],
    )
    f = run(audit_data(h), "dup.bank-account").findings
    assert list(f["row"]) == [3]
    assert f["cell"].iloc[0] is None  # no column mapping given
    assert f["evidence"].iloc[0]["households"] == 2
    assert f["evidence"].iloc[0]["others"][0]["head_name"] == "张三"


def test_account_is_masked_to_its_last_four_digits():
    h = households(bank_account=["6228480000000001", "6228480000000001"])
    f = run(audit_data(h), "dup.bank-account", mask=True).findings
    assert f["evidence"].iloc[0]["bank_account"] == "************0001"
    assert "6228480000000001" not in f["message"].iloc[0]


def test_same_household_listed_twice_or_placeholder_accounts_are_not_shared():
    h = households(
        bank_account=["6228480000000001", "6228480000000001", "无", "无", "—", None, None],
        household=["C1", "C1", "C2", "C3", "C4", "C5", "C6"],
    )
    assert len(run(audit_data(h), "dup.bank-account")) == 0


def test_dup_rules_skipped_without_their_columns():
    report = run(audit_data(households()), "dup")
    assert set(report.rules_skipped) == {
        "dup.person",
        "dup.bank-account",
        "dup.similar-person",
        "dup.masked-match",
    }


def _typo(good: str) -> str:
    """``good`` with one digit of its birth date changed (the check char now wrong)."""
    digit = "1" if good[12] != "1" else "2"
    return good[:12] + digit + good[13:]


def test_similar_person_same_pinyin_and_birth_date():
    other = make_id(birth="19600101", seq="555")
    data = people([A, other], name=["张三", "章三"])
    f = run(data, "dup.similar-person").findings
    assert list(f["row"]) == [3]
    assert "share the name's pinyin" in f["message"].iloc[0]
    assert f["evidence"].iloc[0]["others"][0]["row"] == 2


def test_similar_person_typo_of_a_listed_id_once_per_pair():
    typo = _typo(B)
    data = people([B, typo], name=["王五", "王伍"])
    f = run(data, "dup.similar-person").findings
    assert list(f["row"]) == [3]
    assert "one digit or one swap" in f["message"].iloc[0]


def test_similar_person_swapped_neighbours():
    swapped = A[:10] + A[11] + A[10] + A[12:]
    assert swapped != A
    f = run(people([A, swapped], name=["甲", "乙"]), "dup.similar-person").findings
    assert len(f) == 1 and f["row"].iloc[0] == 3


def test_similar_person_not_for_different_people():
    other = make_id(birth="19600102", seq="555")
    data = people([A, other, B], name=["张三", "张三", "李四"])
    assert run(data, "dup.similar-person").findings.empty
