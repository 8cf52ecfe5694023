"""Identity rules: each fires on the ID it is about, and stays quiet on a valid one."""

from __future__ import annotations

from datetime import date

import pytest

from tests.rules.rulekit import audit_data, make_id, members, run

VALID = make_id(birth="19600101", seq="123")  # male (3 is odd)


def ids(*values, **extra):
    return audit_data(members_=members(id_number=list(values), **extra))


def only(report, rule_id):
    assert set(report.findings["rule"]) <= {rule_id}
    return report.findings


@pytest.mark.parametrize(
    ("bad", "variant_text"),
    [
        (VALID[:-1], "has 17 characters, not 18"),
        (VALID[:10] + "O" + VALID[11:], "characters other than digits"),
        (make_id(birth="19601301"), "birth date 19601301 is impossible"),
    ],
)
def test_invalid_id_fires_with_the_reason(bad, variant_text):
    f = only(run(ids(VALID, bad), "id.invalid"), "id.invalid")
    assert list(f["row"]) == [3]
    assert variant_text in f["message"].iloc[0]
    assert f["evidence"].iloc[0]["id_number"] == bad
    assert f["person"].iloc[0] == bad


def test_invalid_id_quiet_on_valid_and_blank():
    assert len(run(ids(VALID, None), "id.invalid")) == 0


def test_checksum_names_the_right_check_character():
    wrong = VALID[:17] + ("0" if VALID[17] != "0" else "1")
    f = only(run(ids(wrong), "id.checksum"), "id.checksum")
    assert f["message"].iloc[0] == f"ID number {wrong}: check character should be {VALID[17]}"
    assert f["evidence"].iloc[0]["expected"] == VALID[17]


def test_checksum_quiet_on_valid():
    assert len(run(ids(VALID, make_id(seq="456")), "id.checksum")) == 0


def test_checksum_message_in_chinese():
    wrong = VALID[:17] + ("0" if VALID[17] != "0" else "1")
    f = run(ids(wrong), "id.checksum", lang="zh").findings
    assert f["message"].iloc[0] == f"身份证号 {wrong} 校验码应为 {VALID[17]}"


def test_precision_lost_fires_on_a_number_cell():
    shown = VALID[:15] + "000"
    f = only(
        run(ids(shown, VALID, numeric=[True, False]), "id.precision-lost"), "id.precision-lost"
    )
    assert list(f["row"]) == [2]
    assert "stored as a number" in f["message"].iloc[0]


def test_precision_lost_quiet_on_text_ids():
    assert len(run(ids(VALID, numeric=[False]), "id.precision-lost")) == 0


def test_masked_id_is_info():
    f = only(run(ids(VALID[:6] + "********" + VALID[14:]), "id.masked"), "id.masked")
    assert list(f["severity"]) == ["info"]


def test_masked_quiet_on_valid():
    assert len(run(ids(VALID), "id.masked")) == 0


def test_legacy_id_gives_its_18_digit_form():
    old = VALID[:6] + VALID[8:17]
    f = only(run(ids(old), "id.legacy-15"), "id.legacy-15")
    assert f["evidence"].iloc[0] == {"field": "id_number", "id_original": old, "id_18": VALID}


def test_legacy_quiet_on_18_digits():
    assert len(run(ids(VALID), "id.legacy-15")) == 0


def test_unknown_region_fires():
    f = only(run(ids(make_id(region="139800")), "id.region-unknown"), "id.region-unknown")
    assert f["evidence"].iloc[0]["region"] == "139800"


def test_known_region_quiet_even_if_abolished_or_newer_than_birth():
    # Kangbao's 130723 dates from 1993; someone born in 1940 still has a valid code
    assert len(run(ids(make_id(birth="19400101")), "id.region-unknown")) == 0


def test_mismatch_reports_each_field_at_its_cell():
    data = ids(
        VALID,
        VALID,
        VALID,
        sex=["F", "M", "M"],
        birth_date=["1960-01-01", "1962-05-01", "1960-01-01"],
        age=[59.0, 59.0, 50.0],
    )
    f = only(run(data, "id.mismatch"), "id.mismatch")
    assert [(r, e["field"]) for r, e in zip(f["row"], f["evidence"], strict=True)] == [
        (2, "sex"),
        (3, "birth_date"),
        (4, "age"),
    ]
    assert f["message"].tolist() == [
        f"Sex recorded as female, ID number {VALID} says male",
        f"Birth date recorded as 1962-05-01, ID number {VALID} says 1960-01-01",
        f"Age recorded as 50, ID number {VALID} gives 59",
    ]


def test_mismatch_tolerates_one_year_of_age_and_month_only_birth_dates():
    data = ids(
        VALID,
        VALID,
        sex=["M", "M"],
        birth_date=["1960-01-01", "1960-01-01"],
        birth_date_precision=["day", "month"],
        age=[58.0, 60.0],
    )
    assert len(run(data, "id.mismatch")) == 0


def test_mismatch_skipped_without_sex_birth_or_age_columns():
    report = run(ids(VALID), "id.mismatch")
    assert "id.mismatch" in report.rules_skipped
    assert "sex" in report.rules_skipped["id.mismatch"]


def test_ids_are_masked_in_messages_evidence_and_person_by_default():
    wrong = VALID[:17] + ("0" if VALID[17] != "0" else "1")
    f = run(ids(wrong), "id.checksum", mask=True).findings
    masked = wrong[:6] + "********" + wrong[-4:]
    assert f["person"].iloc[0] == masked
    assert f["evidence"].iloc[0]["id_number"] == masked
    assert wrong not in f["message"].iloc[0] and masked in f["message"].iloc[0]


def test_an_invalid_id_is_masked_whatever_its_shape():
    short = VALID[:-1]
    f = run(ids(short), "id.invalid", mask=True).findings
    assert short not in f["message"].iloc[0]
    assert f["evidence"].iloc[0]["id_number"] == short[:6] + "*******" + short[-4:]


def test_as_of_moves_the_age_check():
    data = audit_data(
        members_=members(id_number=[VALID], sex=["M"], age=[59.0]), as_of=date(2025, 1, 1)
    )
    assert len(run(data, "id.mismatch")) == 1
