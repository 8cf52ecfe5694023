"""The cross-file stage in shards (``pipeline.shards``) gives the whole run's answers:
the same findings (rows, order, evidence), coverage, rule statuses, months, warnings
and change findings, however many buckets the keys are hashed into. Run here in one
process (``run_here``); ``test_engines`` runs the same stage on a LocalCluster."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from civaudit.external import load_against
from civaudit.generator import FileSpec, RosterSpec, generate_county
from civaudit.idcard import checksum_char
from civaudit.io.cache import Store
from civaudit.pipeline import run_audit
from civaudit.pipeline.shards import (
    BLOCKED,
    GROUP_MEMBERS,
    KEYED,
    SUBSETS,
    check_sharded,
    file_groups,
)
from civaudit.pipeline.stages import check_unit, input_files
from civaudit.roster import load_roster
from civaudit.rules.inputs import AuditData, Facts

FRAMES = ("findings", "coverage", "rules", "as_of", "warnings")
SAMPLE = Path(__file__).parents[2] / "sample_data"


def assert_same(one, other) -> None:
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(one, name), getattr(other, name), obj=name)
    assert one.rules_run == other.rules_run
    assert dict(one.rules_skipped) == dict(other.rules_skipped)


def sharded(folder, policy, work, buckets, pack=1, **options):
    """The sharded stage, by default a file per group (``pack=1``): the most cuts."""
    units = [check_unit(f, work_dir=work) for f in input_files(folder)]
    assert all(u.error is None for u in units)
    return check_sharded(units, policy, work_dir=work, buckets=buckets, pack=pack, **options)


def person_id(region: str, birth: str, seq: int) -> str:
    body = f"{region}{birth}{seq:03d}"
    return body + str(checksum_char(pd.Series([body])).iloc[0])


@pytest.fixture(scope="module")
def varied(tmp_path_factory) -> tuple[Path, dict]:
    """A county of eight files in six layouts (a monthly workbook, a wide ledger, a
    publicity list with masked IDs, a one-row-per-household list...), problems planted
    across them, and five external lists."""
    root = tmp_path_factory.mktemp("varied")
    folder = root / "county"
    files = (
        FileSpec("县/一村.xlsx", (0,), {"layout": "member"}),
        FileSpec("县/二村.xlsx", (1,), {"layout": "block"}),
        FileSpec("县/三村.xlsx", (2,), {"layout": "household"}),
        FileSpec("县/四村月报.xlsx", (3,), {"layout": "member", "months": 3}),
        FileSpec("县/五村台账.xlsx", (4,), {"layout": "wide"}),
        FileSpec("县/公示/六村.xlsx", (5,), {"layout": "household", "masked": "ends"}),
        FileSpec("县/七村.xlsx", (6,), {"layout": "list"}),
        FileSpec("县/八九村.xlsx", (7, 8), {"layout": "member", "sheet_per_village": True}),
    )
    problems = {
        "dup.person": 8, "dup.bank-account": 4, "id.checksum": 3, "id.invalid": 2,
        "benefit.mismatch": 3, "single.not-one": 2, "single.above-ceiling": 1,
        "phaseout.expired": 2, "household.head": 2, "person.age-implausible": 1,
        "change.benefit-rise": 2,
    }  # fmt: skip
    generate_county(
        RosterSpec(seed=5, members=1800, villages=9, towns=2, problems=problems,
                   single_rate=0.15, files=files),
        folder,
    )  # fmt: skip
    (folder / "answer_key.tsv").unlink(missing_ok=True)
    roster = load_roster(folder)
    ids = roster.members["id_number"].dropna().astype(str)
    picked = ids[ids.str.fullmatch(r"\d{17}[\dX]")].drop_duplicates().iloc[::97].head(6).tolist()
    lists = root / "lists"
    lists.mkdir()
    strangers = [person_id("130723", f"19{60 + i}0303", 400 + i) for i in range(4)]
    frames = {
        "deaths": pd.DataFrame({"姓名": "某人", "身份证号码": picked, "死亡日期": "2019-03-01"}),
        "tekun": pd.DataFrame({"姓名": "某人", "身份证号码": picked[1:4]}),
        "low-income": pd.DataFrame(
            {
                "姓名": "某人",
                "身份证号码": picked[:3] + strangers,
                "户主身份证号": picked[:3] + strangers,
                "残疾等级": 1,
                "家庭人均月收入": 100,
            }
        ),
    }
    villages = roster.households[["town", "village"]].dropna().drop_duplicates()
    population = [900 + 37 * i if i != 2 else 40 for i in range(len(villages))]
    frames["population"] = pd.DataFrame(
        {"乡镇": villages["town"].to_numpy(), "村": villages["village"].to_numpy(),
         "户籍人口": population}
    )  # fmt: skip
    specs = []
    for kind, frame in frames.items():
        frame.to_csv(lists / f"{kind}.csv", index=False, encoding="utf-8-sig")
        specs.append(f"{kind}={lists / f'{kind}.csv'}")
    return folder, load_against(specs)[0]


@pytest.fixture(scope="module")
def neighbours(tmp_path_factory) -> Path:
    """Three small files whose problems are only seen together: one village paid one
    amount throughout, an ID a digit away from another file's, one name and birth date
    under two IDs in two counties, one account paid to households in two files."""
    folder = tmp_path_factory.mktemp("neighbours") / "county"
    folder.mkdir()
    columns = ["县", "乡镇", "村", "户主姓名", "户主身份证号", "家庭人口", "保障人口",
               "户月保障金额（元）", "银行帐号"]  # fmt: skip
    names = ["王一", "李二", "张三", "赵四", "钱五", "孙六", "周七", "吴八", "郑九", "冯十", "陈甲"]
    first = [
        ["康保县", "张纪镇", "甲村", n, person_id("130723", f"19{50 + i}0101", 10 + i), 1, 1, 300,
         f"6217 0000 {i:04d}"]
        for i, n in enumerate(names)
    ]  # fmt: skip
    real = person_id("130723", "19500101", 10)
    typo = real[:15] + ("7" if real[15] != "7" else "8") + real[16:]
    second = [
        ["康保县", "屯垦镇", "乙村", "王一", typo, 1, 1, 280, "6217 0000 0003"],
        ["康保县", "屯垦镇", "乙村", "黄丙", person_id("130723", "19700505", 88), 2, 2, 500, None],
    ]
    third = [["沽源县", "平定堡镇", "丙村", "李二", person_id("130724", "19510101", 33), 1, 1, 310,
              None]]  # fmt: skip
    for name, rows in (("甲村.csv", first), ("乙村.csv", second), ("丙村.csv", third)):
        pd.DataFrame(rows, columns=columns).to_csv(folder / name, index=False, encoding="utf-8-sig")
    return folder


@pytest.fixture(scope="module")
def pairs(tmp_path_factory) -> Path:
    """Five files whose people pair only across files, by keys that cross each other:
    张三 and 章三 (one sound, one birth date) under two IDs, the group's first row in
    the first file and a third row, with the first ID again, in the third; an ID typed
    one digit wrong (李四 in the third file) whose true ID is first listed under another
    name (刘七) and then as 李四 too, so the row pairs both by name and by typo; a
    publicity list whose masked IDs show only the last four digits (赵*) or the first
    twelve (王*), and two masked rows (孙*) that match each other; and 王五's ID
    mistyped under another name (黄丙)."""
    folder = tmp_path_factory.mktemp("pairs") / "county"
    folder.mkdir()
    columns = ["县", "乡镇", "村", "户主姓名", "户主身份证号", "家庭人口", "保障人口",
               "户月保障金额（元）"]  # fmt: skip
    one, two = person_id("130723", "19600101", 11), person_id("130724", "19600101", 55)
    x = person_id("130723", "19650505", 22)
    typo = x[:15] + ("7" if x[15] != "7" else "8") + x[16:]
    w, z = person_id("130723", "19700707", 33), person_id("130723", "19800808", 44)
    place = {"甲村": ("康保县", "张纪镇"), "乙村": ("沽源县", "平定堡镇"),
             "丙村": ("康保县", "屯垦镇"), "公示": ("康保县", "屯垦镇"),
             "公示二": ("康保县", "屯垦镇")}  # fmt: skip
    people = {
        "甲村": [("张三", one), ("刘七", x), ("王五", w), ("赵六", z)],
        "乙村": [("章三", two), ("李四", x), ("黄丙", w[:15] + str(9 - int(w[15])) + w[16:])],
        "丙村": [("张三", one), ("李四", typo)],
        "公示": [("赵*", "130723********" + z[-4:]), ("王*", w[:12] + "******"),
                 ("孙*", "130723********1234")],
        "公示二": [("孙*", "130723********1234")],
    }  # fmt: skip
    for village, rows in people.items():
        county, town = place[village]
        frame = pd.DataFrame(
            [[county, town, village, n, i, 1, 1, 300 + k] for k, (n, i) in enumerate(rows)],
            columns=columns,
        )
        frame.to_csv(folder / f"{village}.csv", index=False, encoding="utf-8-sig")
    return folder


@pytest.mark.parametrize("buckets", [1, 2, 5])
def test_pairs_across_files_by_crossing_keys(pairs, policy, tmp_path, buckets):
    whole = run_audit(pairs, policy, lang="en").report
    found = whole.findings
    similar = found[found["rule"] == "dup.similar-person"]
    masked = found[found["rule"] == "dup.masked-match"]
    assert len(similar) == 3 and len(masked) == 3, found[["rule", "file", "row", "message"]]
    assert similar["message"].str.contains("pinyin").sum() == 2
    assert similar["message"].str.contains("wrong check character").sum() == 1
    assert_same(whole, sharded(pairs, policy, tmp_path, buckets, lang="en").report)


@pytest.mark.parametrize(("buckets", "pack"), [(1, 1), (4, 1), (3, 40), (4, GROUP_MEMBERS)])
def test_a_varied_county_in_shards_is_the_whole_run(varied, policy, tmp_path, buckets, pack):
    folder, against = varied
    whole = run_audit(folder, policy, against=against, lang="en")
    rules = set(whole.report.findings["rule"])
    assert {"dup.person", "dup.bank-account", "ext.deceased", "ext.missed-eligible",
            "change.benefit-rise", "single.not-qualifying"} <= rules  # fmt: skip
    outcome = sharded(folder, policy, tmp_path, buckets, pack, against=against, lang="en")
    assert_same(whole.report, outcome.report)
    assert outcome.series == whole.series
    assert outcome.months.main == whole.months.main
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("run-")] == []


@pytest.mark.parametrize("buckets", [1, 3])
def test_rows_that_meet_only_across_files(neighbours, policy, tmp_path, buckets):
    whole = run_audit(neighbours, policy, lang="en").report
    found = whole.findings
    assert sorted(found["rule"]) == [
        "dup.bank-account", "dup.similar-person", "dup.similar-person", "id.checksum",
        "village.uniform-amounts",
    ]  # fmt: skip
    assert_same(whole, sharded(neighbours, policy, tmp_path, buckets, lang="en").report)
    unmasked = run_audit(neighbours, policy, lang="zh", mask=False).report
    assert_same(unmasked, sharded(neighbours, policy, tmp_path, 2, lang="zh", mask=False).report)


def test_a_larger_run_has_more_buckets(neighbours, policy, tmp_path, monkeypatch):
    """Buckets follow the run's size (``BUCKET_MEMBERS`` per bucket at most), so a
    bucket's task holds as much in a country as in a county."""
    from civaudit.pipeline import shards

    monkeypatch.setattr(shards, "BUCKET_MEMBERS", 4)
    tasks = []

    def run(fn, items, **shared):
        items = list(items)
        tasks.extend((fn.__name__, item) for item in items)
        return shards.run_here(fn, items, **shared)

    units = [check_unit(f, work_dir=tmp_path) for f in input_files(neighbours)]
    outcome = check_sharded(units, policy, run=run, work_dir=tmp_path, buckets=1, pack=1, lang="en")
    buckets = {item[1] for name, item in tasks if name == "check_bucket"}
    assert buckets == set(range(4))  # 14 members, 4 per bucket
    assert_same(run_audit(neighbours, policy, lang="en").report, outcome.report)


def test_the_sample_with_its_export_pair(policy, tmp_path):
    whole = run_audit(SAMPLE, policy, lang="en")
    assert_same(whole.report, sharded(SAMPLE, policy, tmp_path, 2, lang="en").report)
    units = [check_unit(f, work_dir=tmp_path) for f in input_files(SAMPLE)]
    groups = file_groups(units, pack=1)
    exports = [g for g in groups if len(g) > 1]
    # the system's household and person exports (and any sheet that could be a half of
    # one) are joined together, before any rule
    assert len(exports) == 1
    assert {"农村低保家庭查询", "农村低保人员查询"} <= {Path(u.path).name[:8] for u in exports[0]}
    assert sum(map(len, groups)) == len(units)
    packed = file_groups(units)  # all in one group: the sample is small
    assert len(packed) == 1 and len(packed[0]) == len(units)


def test_facts_merged_from_files_are_the_whole_runs(policy):
    files = input_files(SAMPLE)
    whole = Facts.of(AuditData.from_roster(load_roster(files), policy))
    exports = [f for f in files if f.name.startswith("农村低保")]  # joined, as halves
    groups = [exports, *([f] for f in files if f not in exports)]
    parts = Facts.merge(Facts.of(AuditData.from_roster(load_roster(g), policy)) for g in groups)
    assert parts.columns["members"] == whole.columns["members"]
    assert parts.id_statuses == whole.id_statuses and parts.heads == whole.heads
    key = ["file", "as_of"]
    pd.testing.assert_frame_equal(
        parts.months.sort_values(key).reset_index(drop=True),
        whole.months.sort_values(key).reset_index(drop=True),
    )


def test_every_cross_file_rule_has_one_home():
    homes = [rule for family in (*KEYED, *BLOCKED, *SUBSETS) for rule in family.rules]
    assert len(homes) == len(set(homes))
    from civaudit.rules import all_rules

    assert set(homes) <= {r.id for r in all_rules()}


def test_a_work_folder_given_as_an_fsspec_url(neighbours, policy):
    """The per-file tables, the groups' tables and the shuffle files all go through
    fsspec when the work folder is a URL (here fsspec's in-memory file system)."""
    fsspec = pytest.importorskip("fsspec")
    whole = run_audit(neighbours, policy, lang="en").report
    url = "memory://civaudit-test/work"
    Store(url).make()
    outcome = sharded(neighbours, policy, url, 2, lang="en")
    assert_same(whole, outcome.report)
    fs = fsspec.filesystem("memory")
    entries = fs.ls("/civaudit-test/work", detail=False)
    assert len(entries) == 3  # one entry per file; the run's own folder is gone
    assert all(fs.exists(f"{e}/meta.json") for e in entries)
    fs.rm("/civaudit-test", recursive=True)


def test_a_member_spread_across_a_wide_row_keeps_its_own_cell(policy, tmp_path):
    """A keyed bucket carries few columns (``KEYED``'s lists and ``WHERE_COLUMNS``):
    among them ``member_cells``, where a member of a wide ledger (成员2身份证号...) has
    its own cells, so a duplicate found in a bucket names that member's ID cell."""
    folder = tmp_path / "county"
    folder.mkdir()
    twice = person_id("130723", "19620202", 21)
    pd.DataFrame(
        [["一村", "王一", person_id("130723", "19500101", 10), 1, 300],
         ["一村", "李二", twice, 1, 300]],
        columns=["村", "户主姓名", "户主身份证号", "家庭人口", "户月保障金额（元）"],
    ).to_csv(folder / "一村.csv", index=False, encoding="utf-8-sig")  # fmt: skip
    pd.DataFrame(
        [[1, "二村", "赵四", person_id("130723", "19550303", 30), 3, 600, "钱五",
          person_id("130723", "19800404", 40), "李二", twice]],
        columns=["序号", "村", "户主姓名", "户主身份证号", "家庭人口", "户月保障金额（元）",
                 "成员1姓名", "成员1身份证号", "成员2姓名", "成员2身份证号"],
    ).to_csv(folder / "二村台账.csv", index=False, encoding="utf-8-sig")  # fmt: skip
    whole = run_audit(folder, policy, lang="en").report
    dup = whole.findings[whole.findings["rule"] == "dup.person"]
    assert list(zip(dup["file"].str.rsplit("/").str[-1], dup["cell"], strict=True)) == [
        ("二村台账.csv", "J2")
    ]
    work = tmp_path / "work"
    work.mkdir()
    assert_same(whole, sharded(folder, policy, work, 2, lang="en").report)
