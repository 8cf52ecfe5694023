"""The information system's export pairs: a household file and a person file, joined
into one roster over the combined tables, by the keys and never by file order or name."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from civaudit import EXAMPLE_POLICY, load_roster
from civaudit.auditing import audit
from civaudit.generator import EXPORT_RULES, RosterSpec, generate_county
from civaudit.io.pairs import household_sheet, member_sheet
from tests.conftest import make_id, write_xlsx

AS_OF = date(2019, 10, 1)
HOUSEHOLD_HEADER = ["户主姓名", "户主身份证号", "家庭人口", "保障人口", "家庭年总收入（元）",
                    "户月保障金额（元）", "低保（特困）证号", "所属社区"]  # fmt: skip
PERSON_HEADER = ["姓名", "身份证号", "户主身份证号", "与户主关系", "性别", "出生日期",
                 "是否建档立卡扶贫对象"]  # fmt: skip


def _findings(roster):
    return audit(roster, EXAMPLE_POLICY, as_of=AS_OF, mask=False, lang="en").findings


def _content(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """A table without where it came from, in a stable order: what must not depend on
    file order or names (the scheme does: 农村低保… in a file name says rural)."""
    drop = [c for c in ("file", "hh", "pair_file", "scheme") if c in frame]
    out = frame.drop(columns=drop).astype("string")
    out = out[sorted(out.columns)]
    return out.sort_values([key, *[c for c in out.columns if c != key]]).reset_index(drop=True)


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """A clean export pair of three villages: one household file, one person file."""
    out = tmp_path_factory.mktemp("pair")
    spec = RosterSpec(seed=3, members=1200, villages=3, towns=1, layout="export", quirks=0.02)
    files, _ = generate_county(spec, out)
    return files


def test_the_generator_writes_the_system_headers(pair):
    names = [p.name for p in pair]
    assert names == ["农村低保家庭查询_康保县201910.xlsx", "农村低保人员查询_康保县201910.xlsx"]
    roster = load_roster(pair)
    by_file = {Path(s.file).name: s for s in roster.sheets}
    household, person = by_file[names[0]], by_file[names[1]]
    assert household.header_rows == (1,) and household.layout == "household"
    assert person.layout == "member"
    assert household_sheet(household) and member_sheet(person)
    fields = {c.header: c.field for c in household.columns}
    assert fields["家庭年均收入（元）"] == "per_capita_income_year"  # per capita, not total
    assert fields["家庭分类施保总额（元）"] == "addon_month"
    assert fields["低保（特困）证号"] == "cert_no"


def test_every_member_joins_its_household(pair):
    roster = load_roster(pair)
    h, m = roster.households, roster.members
    assert (m["pair"] == "joined").all()
    assert (h["pair"] == "joined").all()
    assert set(m["file"].map(lambda p: Path(p).name)) == {pair[1].name}  # no stand-in heads
    assert set(h["file"].map(lambda p: Path(p).name)) == {pair[0].name}
    # each member sits in the household whose head ID its row names
    heads = h.set_index("hh")["head_id_number"]
    assert (
        m.loc[m["role"] == "head", "hh"].map(heads) == m.loc[m["role"] == "head", "id_number"]
    ).all()
    assert (h["member_rows"] == h["household_size"]).all()
    assert (h["heads"] == 1).all()
    # household values the household file lacks come from the person file
    assert h["registered_poor"].notna().all()
    side = {s.role: s for s in roster.pairing.sides}
    assert side["members"].joined == side["members"].total == len(m)
    assert side["households"].joined == side["households"].total == len(h)
    assert roster.pairing.links[0].members == len(m)
    assert not _findings(roster)["rule"].str.startswith("roster.").any()


def test_households_and_members_keep_their_own_file_and_row(pair):
    roster = load_roster(pair)
    raw_h = pd.read_excel(pair[0], dtype=str, engine="openpyxl")
    raw_m = pd.read_excel(pair[1], dtype=str, engine="openpyxl")
    h = roster.households.iloc[5]
    assert raw_h.loc[h["row"] - 2, "户主身份证号"] == h["head_id_number"]
    m = roster.members.iloc[17]
    assert raw_m.loc[m["row"] - 2, "身份证号"].strip() == m["id_number"]


def test_the_join_depends_neither_on_file_order_nor_on_names(pair, tmp_path):
    first = load_roster(list(pair))
    # reversed order, and names that sort the other way round and say nothing
    a = tmp_path / "a" / "zz_导出1.xlsx"
    b = tmp_path / "b" / "aa_导出2.xlsx"
    for src, dst in ((pair[0], a), (pair[1], b)):
        dst.parent.mkdir()
        shutil.copy(src, dst)
    second = load_roster([b, a])
    for table, key in (("households", "head_id_number"), ("members", "id_number")):
        pd.testing.assert_frame_equal(
            _content(getattr(first, table), key), _content(getattr(second, table), key)
        )
    assert (second.members["pair"] == "joined").all()


def test_several_villages_pair_by_ids_not_by_file(tmp_path):
    spec = RosterSpec(seed=9, members=900, villages=3, towns=1, layout="export", split="village")
    files, _ = generate_county(spec, tmp_path)
    assert len(files) == 6
    # scramble the person files' names: 村 A's persons now carry 村 B's name
    persons = sorted(p for p in files if "人员" in p.name)
    moved = []
    for i, p in enumerate(persons):
        target = p.with_name(f"tmp{i}.xlsx")
        p.rename(target)
        moved.append(target)
    for i, p in enumerate(moved):
        p.rename(persons[(i + 1) % len(persons)])
    roster = load_roster(tmp_path)
    assert (roster.members["pair"] == "joined").all()
    assert len(roster.pairing.links) == 3
    for link in roster.pairing.links:
        hh = roster.households[roster.households["file"] == link.household_file]
        mm = roster.members[roster.members["hh"].isin(hh["hh"])]
        assert set(mm["file"]) == {link.member_file}
        assert link.households == len(hh) and link.members == len(mm)


@pytest.fixture(scope="module")
def gaps(tmp_path_factory):
    """A pair with a household missing from each file (planted by the generator)."""
    out = tmp_path_factory.mktemp("gaps")
    spec = RosterSpec(
        seed=4,
        members=600,
        villages=2,
        towns=1,
        layout="export",
        problems=dict.fromkeys(EXPORT_RULES, 1),
    )
    files, key = generate_county(spec, out)
    return out, files, key


def test_a_member_without_household_and_a_household_without_members_are_reported(gaps):
    out, files, key = gaps
    roster = load_roster(files)
    findings = _findings(roster)
    findings["file"] = findings["file"].map(lambda p: Path(p).relative_to(out).as_posix())
    for rule in EXPORT_RULES:
        want = key[key["rule"] == rule]
        assert len(want) >= 1
        got = findings[findings["rule"] == rule]
        assert set(zip(got["file"], got["row"], strict=True)) == set(
            zip(want["file"], want["row"], strict=True)
        ), rule
        assert (got["severity"] == "error").all()
    orphans = findings[findings["rule"] == "roster.member-without-household"]
    assert orphans["cell"].str.startswith("B").all()  # 身份证号
    assert "household export has no household" in orphans["message"].iloc[0]
    alone = findings[findings["rule"] == "roster.household-without-members"]
    assert alone["cell"].str.startswith("E").all()  # 户主身份证号
    side = {s.role: s for s in roster.pairing.sides}
    assert side["households"].unjoined == 1
    assert side["members"].unjoined == len(key[key["rule"] == "roster.member-without-household"])
    # the rest joined and are audited as one roster: no other errors
    others = findings[(findings["severity"] == "error") & ~findings["rule"].isin(EXPORT_RULES)]
    assert others.empty, others[["rule", "file", "row", "message"]]


def _pair_files(tmp_path, households, persons, names=("家庭.xlsx", "人员.xlsx")):
    h = write_xlsx(tmp_path / names[0], [HOUSEHOLD_HEADER, *households])
    m = write_xlsx(tmp_path / names[1], [PERSON_HEADER, *persons])
    return h, m


A, B, C = make_id(seq="131"), make_id(birth="19700101", seq="151"), make_id(seq="171")
KID = make_id(birth="20050101", seq="112")


def test_head_mismatch_for_the_same_certificate(tmp_path):
    header = [*PERSON_HEADER, "低保证号"]
    h = write_xlsx(
        tmp_path / "家庭.xlsx",
        [HOUSEHOLD_HEADER, ["张三", A, 2, 2, 0, 800, "130723-001", "东村"],
         ["王五", C, 1, 1, 0, 400, "130723-002", "东村"]],
    )  # fmt: skip
    m = write_xlsx(
        tmp_path / "人员.xlsx",
        [header, ["李四", B, B, "户主", "女", "1970-01-01", "是", "130723-001"],
         ["张小", KID, B, "子", "男", "2005-01-01", "是", "130723-001"],
         ["王五", C, C, "户主", "男", "1960-01-01", "否", "130723-002"]],
    )  # fmt: skip
    roster = load_roster([h, m])
    assert (roster.members["pair"] == "joined").all()  # joined by the certificate
    assert roster.pairing.head_mismatches == 1
    findings = _findings(roster)
    hit = findings[findings["rule"] == "household.head-mismatch"]
    assert len(hit) == 1
    row = hit.iloc[0]
    assert (Path(row["file"]).name, row["row"], row["cell"]) == ("家庭.xlsx", 2, "B2")
    assert row["evidence"]["head_id"] == A and row["evidence"]["listed_head_id"] == B
    assert "人员.xlsx: Sheet1!2" in row["message"]
    masked = audit(roster, EXAMPLE_POLICY, as_of=AS_OF, lang="en").findings
    assert B not in masked.loc[masked["rule"] == "household.head-mismatch", "message"].iloc[0]


def test_members_join_on_the_head_id_without_certificates(tmp_path):
    h, m = _pair_files(
        tmp_path,
        [["张三", A, 2, 2, 0, 800, None, "东村"], ["王五", C, 1, 1, 0, 400, None, "东村"]],
        [["张三", A, A, "户主", "男", "1960-01-01", "是"],
         ["张小", KID, A, "子", "男", "2005-01-01", "是"],
         ["王五", C, C, "户主", "男", "1960-01-01", "否"]],
    )  # fmt: skip
    roster = load_roster([h, m])
    households = roster.households.set_index("head_name")
    assert households.loc["张三", "member_rows"] == 2 and households.loc["王五", "member_rows"] == 1
    assert (
        households.loc["张三", "registered_poor"] is True
        or households.loc["张三", "registered_poor"]
    )
    assert len(roster.members) == 3 and (roster.members["pair"] == "joined").all()


def test_standalone_rosters_that_share_a_person_are_not_a_pair(tmp_path):
    """A household-level village roster and a complete member-level roster of another
    village (it has its own amounts) are no export pair, even sharing a head."""
    write_xlsx(tmp_path / "甲村.xlsx", [HOUSEHOLD_HEADER, ["张三", A, 1, 1, 0, 400, None, "甲村"]])
    write_xlsx(
        tmp_path / "乙村.xlsx",
        [["姓名", "身份证号", "户主身份证号", "与户主关系", "家庭人口", "月保障金"],
         ["张三", A, A, "户主", 2, 800], ["李四", B, A, "妻", None, None],
         ["王五", C, C, "户主", 1, 400]],
    )  # fmt: skip
    roster = load_roster(tmp_path)
    assert roster.pairing is None
    assert "pair" not in roster.members
    assert "dup.person" in set(_findings(roster)["rule"])


def test_a_person_list_sharing_one_head_with_a_big_household_file_is_not_linked(tmp_path):
    households = [["户" + str(i), make_id(seq=f"{i:03d}"), 1, 1, 0, 400, None, "甲村"]
                  for i in range(1, 21)]  # fmt: skip
    h, m = _pair_files(
        tmp_path,
        households,
        [["户1", households[0][1], households[0][1], "户主", "男", "1960-01-01", "否"],
         ["王五", C, C, "户主", "男", "1960-01-01", "否"],
         ["李四", B, B, "户主", "女", "1970-01-01", "否"],
         ["张小", KID, B, "子", "男", "2005-01-01", "否"]],
    )  # fmt: skip
    roster = load_roster([h, m])
    assert roster.pairing is None  # 1 of 20 households, 1 of 3 person-file households


def test_rules_are_skipped_without_a_pair(tmp_path):
    path = write_xlsx(
        tmp_path / "村.xlsx", [HOUSEHOLD_HEADER, ["张三", A, 1, 1, 0, 400, None, "村"]]
    )
    report = audit(load_roster(path), EXAMPLE_POLICY, as_of=AS_OF, lang="en")
    for rule in (*EXPORT_RULES, "household.head-mismatch"):
        assert rule in report.rules_skipped


def test_pair_rules_on_a_clean_pair_run_find_nothing_and_change_nothing(pair):
    from civaudit.engine import AuditData, run_rules

    data = AuditData.from_roster(load_roster(pair), EXAMPLE_POLICY, as_of=AS_OF)
    before = {name: data.table(name).copy(deep=True) for name in ("households", "members")}
    rules = [*EXPORT_RULES, "household.head-mismatch"]
    report = run_rules(data, select=rules, lang="en")
    assert sorted(report.rules_run) == sorted(rules)
    assert report.findings.empty
    for name, frame in before.items():
        pd.testing.assert_frame_equal(data.table(name), frame, check_exact=True)


def test_the_national_export_pair_as_it_is_exported(tmp_path):
    """The household file lists each family's members in two cells (家庭成员姓名,
    家庭成员身份证号) and the person file repeats the household's 户月保障金额 on every
    member row, as the system's 农村低保家庭查询 / 农村低保人员查询 exports carry them
    (github.com/xingjianya-86/NewCosmos, Services/Import/RuralSubsistence/
    RuralSubsistenceImportService.cs): still one pair, each person once."""
    heads = [make_id(seq=f"{i:03d}") for i in (1, 3)]
    wives = [make_id(birth="19620505", seq=f"{i:03d}") for i in (2, 4)]
    names = [("张建国", "王秀英"), ("李志强", "刘玉梅")]
    h_rows = [["户主姓名", "户主身份证号", "家庭人口", "保障人口", "家庭年总收入（元）",
               "户月保障金额（元）", "低保（特困）证号", "所属社", "家庭成员姓名",
               "家庭成员身份证号"]]  # fmt: skip
    p_rows = [["姓名", "身份证号", "户主身份证号", "与户主关系", "户月保障金额（元）",
               "低保（特困）证号"]]  # fmt: skip
    for k in range(2):
        cert = f"130723-{k:04d}"
        h_rows.append([names[k][0], heads[k], 2, 2, 6000, 300, cert, "上房子村",
                       "、".join(names[k]), f"{heads[k]}、{wives[k]}"])  # fmt: skip
        p_rows.append([names[k][0], heads[k], heads[k], "户主", 300, cert])
        p_rows.append([names[k][1], wives[k], heads[k], "配偶", 300, cert])
    write_xlsx(tmp_path / "农村低保家庭查询_201910.xlsx", h_rows)
    write_xlsx(tmp_path / "农村低保人员查询_201910.xlsx", p_rows)
    roster = load_roster(tmp_path)
    assert roster.pairing is not None
    assert len(roster.households) == 2 and len(roster.members) == 4
    assert set(roster.members["pair"]) == {"joined"}
    assert "dup.person" not in set(_findings(roster)["rule"])
