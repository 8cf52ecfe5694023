"""`civaudit diff`: matching two snapshots, the change.* rules, the CLI.

The snapshots are one generated roster (civaudit.generator, member layout) written
twice with known edits: OLD marks two households as in phase-out since 2019-03;
NEW changes, removes, re-adds and adds households as listed in ``EDITS``.
"""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import date, datetime

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from civaudit import EXAMPLE_POLICY, load_roster
from civaudit.auditing import audit
from civaudit.cli import cli, main
from civaudit.diff import diff_rosters, household_keys, match_households
from civaudit.engine import AuditData, run_rules
from civaudit.errors import UsageError
from civaudit.generator import RosterSpec, generate_county
from civaudit.report.diff import DIFF_FORMATS, counts_table, render_diff
from civaudit.rules import all_rules
from tests.conftest import make_id, write_xlsx

OLD_AS_OF, NEW_AS_OF = date(2019, 4, 1), date(2019, 10, 1)
CHANGE_RULES = {r.id for r in all_rules() if r.family == "change"}
NEW_CERT = "130723-0101-0999"  # household F, re-entered under a new certificate number
STRANGER = make_id(birth="19700101", seq="551")
STRANGER_WIFE = make_id(birth="19720202", seq="562")
LATECOMER = make_id(birth="19500303", seq="573")

# --- the two snapshots ----------------------------------------------------------------


def _read(path):
    sheet = openpyxl.load_workbook(path).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    return rows[0], rows[1:]


def _households(header, rows):
    """Rows grouped by household (a household starts at its 户主 row), in sheet order."""
    rel = header.index("与户主关系")
    groups = []
    for row in rows:
        if row[rel] == "户主":
            groups.append([])
        groups[-1].append(row)
    return groups


def _set(header, row, name, value):
    row[header.index(name)] = value


def _get(header, row, name):
    return row[header.index(name)]


def _new_household(header, template, cert, people, start):
    """A household of ``people`` (name, relation, id) shaped like ``template``."""
    out = []
    for i, (name, relation, pid) in enumerate(people):
        row = list(template[0] if i == 0 else template[-1])
        _set(header, row, "姓名", name)
        _set(header, row, "与户主关系", relation)
        _set(header, row, "身份证号", pid)
        _set(header, row, "户主姓名", people[0][0])
        _set(header, row, "户主身份证号", people[0][2])
        if i == 0:
            _set(header, row, "低保证号", cert)
            _set(header, row, "家庭人口", len(people))
            _set(header, row, "保障人口", len(people))
            _set(header, row, "最初享受月", start)
        out.append(row)
    return out


@pytest.fixture(scope="module")
def snapshots(tmp_path_factory):
    """(old path, new path, the households of the base roster as row lists)."""
    folder = tmp_path_factory.mktemp("diff")
    spec = RosterSpec(
        seed=7, members=60, layout="member", villages=2, towns=1, title_rows=False,
        totals=False, footers=False, headers="canonical",
    )  # fmt: skip
    files, _ = generate_county(spec, folder / "base")
    header, rows = _read(files[0])
    base = _households(header, rows)
    assert len(base) >= 12

    old = copy.deepcopy(base)
    for g in (6, 7):  # G and H: in phase-out since 2019-03 in OLD
        _set(header, old[g][0], "保障状态", "渐退")
        _set(header, old[g][0], "渐退起始月", datetime(2019, 3, 1))

    new = copy.deepcopy(old)
    a, b, c, d = new[0][0], new[1][0], new[2][0], new[3][0]
    _set(header, a, "月保障金", _get(header, a, "月保障金") + 150)  # A: benefit up, no reason
    _set(header, b, "月保障金", _get(header, b, "月保障金") + 150)  # B: up, income down
    _set(header, b, "家庭年总收入（元）", _get(header, b, "家庭年总收入（元）") - 3000)
    _set(header, c, "家庭人口", _get(header, c, "家庭人口") + 1)  # C: size up, same members
    _set(header, d, "家庭人口", _get(header, d, "家庭人口") + 1)  # D: size up, a baby
    _set(header, d, "保障人口", _get(header, d, "保障人口") + 1)
    baby = list(new[3][-1])
    _set(header, baby, "姓名", "新生儿")
    _set(header, baby, "与户主关系", "子")
    _set(header, baby, "身份证号", make_id(birth="20190801", seq="011"))
    new[3].append(baby)
    _set(header, new[6][0], "渐退起始月", datetime(2019, 9, 1))  # G: phase-out restarted
    readded = copy.deepcopy(new[5])  # F: removed, back under a new certificate number
    _set(header, readded[0], "低保证号", NEW_CERT)
    kept = [g for i, g in enumerate(new) if i not in (4, 5)]  # E and F leave
    stranger = _new_household(
        header, base[8], "130723-0101-0901",
        [("陌生人", "户主", STRANGER), ("陌生妻", "配偶", STRANGER_WIFE)], datetime(2019, 8, 1),
    )  # fmt: skip
    latecomer = _new_household(
        header, base[9], "130723-0101-0902", [("老来人", "户主", LATECOMER)], datetime(2015, 1, 1)
    )
    new = [*kept, readded, stranger, latecomer]

    old_path = write_xlsx(folder / "old.xlsx", [header, *[r for g in old for r in g]])
    new_path = write_xlsx(folder / "new.xlsx", [header, *[r for g in new for r in g]])
    return old_path, new_path, header, base


@pytest.fixture(scope="module")
def result(snapshots):
    old_path, new_path, _, _ = snapshots
    return diff_rosters(
        load_roster(old_path), load_roster(new_path), EXAMPLE_POLICY,
        as_of_old=OLD_AS_OF, as_of_new=NEW_AS_OF, lang="en", mask=False,
    )  # fmt: skip


def _cert(header, household):
    return _get(header, household[0], "低保证号")


def _status(result, key):
    rows = result.changes[result.changes["key"] == key]
    assert len(rows) == 1, (key, rows)
    return rows.iloc[0]


# --- statuses and the changes table ---------------------------------------------------


def test_statuses_of_the_known_changes(result, snapshots):
    _, _, header, base = snapshots
    status = lambda g: _status(result, _cert(header, base[g]))["status"]  # noqa: E731
    assert [status(g) for g in (0, 1, 2, 3)] == ["changed"] * 4
    assert status(4) == status(5) == "removed"
    assert status(6) == "changed" and status(7) == "unchanged"
    assert _status(result, NEW_CERT)["status"] == "added"
    assert _status(result, "130723-0101-0901")["status"] == "added"
    counts = result.changes["status"].value_counts().to_dict()
    assert counts == {"unchanged": len(base) - 7, "changed": 5, "added": 3, "removed": 2}
    assert result.changes["matched_on"][result.changes["status"] == "changed"].eq("cert_no").all()


def test_changed_fields_and_values(result, snapshots):
    _, _, header, base = snapshots
    a = _status(result, _cert(header, base[0]))
    assert a["changed"] == ["benefit"]
    assert a["new_benefit"] - a["old_benefit"] == 150
    b = _status(result, _cert(header, base[1]))
    assert b["changed"] == ["gross_income", "benefit"]
    c = _status(result, _cert(header, base[2]))
    assert c["changed"] == ["household_size"] and c["members_added"] == []
    d = _status(result, _cert(header, base[3]))
    assert d["changed"] == ["household_size", "covered", "members"]
    assert d["members_added"] == [make_id(birth="20190801", seq="011")]
    assert d["members_removed"] == []
    assert d["new_members"] == d["old_members"] + 1
    g = _status(result, _cert(header, base[6]))
    assert g["changed"] == ["phaseout_start"]
    assert (g["old_phaseout_start"], g["new_phaseout_start"]) == ("2019-03", "2019-09")
    assert g["old_phaseout"] is True and g["new_phaseout"] is True


def test_counts_per_village_add_up(result):
    counts = result.counts
    assert counts["village"].notna().all() and counts["town"].notna().all()
    assert int(counts["added"].sum()) == 3 and int(counts["removed"].sum()) == 2
    assert (counts["old"] == counts["removed"] + counts["changed"] + counts["unchanged"]).all()
    assert (counts["new"] == counts["added"] + counts["changed"] + counts["unchanged"]).all()
    summary = result.summary()
    assert summary["old"] == int(counts["old"].sum()) and summary["new"] == summary["old"] + 1


# --- the change.* rules ---------------------------------------------------------------


def _hits(result, rule):
    f = result.findings
    return f[f["rule"] == rule]


def test_benefit_rise_fires_without_a_reason_only(result, snapshots):
    _, _, header, base = snapshots
    hits = _hits(result, "change.benefit-rise")
    assert hits["household"].tolist() == [_cert(header, base[0])]  # not B: its income fell
    finding = hits.iloc[0]
    assert finding["severity"] == "warning"
    assert finding["evidence"]["new_benefit"] - finding["evidence"]["old_benefit"] == 150
    assert finding["evidence"]["old_file"].endswith("old.xlsx")
    assert finding["file"].endswith("new.xlsx") and finding["cell"].startswith(
        openpyxl.utils.get_column_letter(header.index("月保障金") + 1)
    )
    assert "OLD: " in finding["message"] and "old.xlsx" in finding["message"]


def test_benefit_rise_explained_by_a_higher_standard(snapshots):
    old_path, new_path, _, _ = snapshots
    raised = replace(
        EXAMPLE_POLICY,
        standards=(*EXAMPLE_POLICY.standards, replace(EXAMPLE_POLICY.standards[0], yearly=6000,
                                                      from_=date(2019, 7, 1))),
    )  # fmt: skip
    out = diff_rosters(
        load_roster(old_path), load_roster(new_path), raised,
        as_of_old=OLD_AS_OF, as_of_new=NEW_AS_OF,
    )  # fmt: skip
    assert _hits(out, "change.benefit-rise").empty
    assert not _hits(out, "change.phaseout-restart").empty  # the others still run


def test_size_change_without_members_fires_but_not_with_a_baby(result, snapshots):
    _, _, header, base = snapshots
    hits = _hits(result, "change.size-no-members")
    assert hits["household"].tolist() == [_cert(header, base[2])]
    evidence = hits.iloc[0]["evidence"]
    assert evidence["new_household_size"] == evidence["old_household_size"] + 1


def test_readded_by_head_and_by_start_month_not_a_stranger(result, snapshots):
    _, _, header, base = snapshots
    hits = _hits(result, "change.readded")
    by_key = {h: e for h, e in zip(hits["household"], hits["evidence"], strict=True)}
    assert set(by_key) == {NEW_CERT, "130723-0101-0902"}
    assert by_key[NEW_CERT]["how"] == "head"
    assert by_key[NEW_CERT]["old_household"] == _cert(header, base[5])
    assert by_key[NEW_CERT]["shared"] == len(base[5])
    assert by_key["130723-0101-0902"]["how"] == "start"
    assert by_key["130723-0101-0902"]["start_month"] == "2015-01"


def test_phaseout_restart_is_an_error_and_an_unchanged_start_is_not(result, snapshots):
    _, _, header, base = snapshots
    hits = _hits(result, "change.phaseout-restart")
    assert hits["household"].tolist() == [_cert(header, base[6])]
    finding = hits.iloc[0]
    assert finding["severity"] == "error"
    assert finding["evidence"]["months_later"] == 6
    assert "2019-03" in finding["message"] and "2019-09" in finding["message"]


def test_findings_point_at_new_with_old_in_the_evidence(result):
    f = result.findings
    assert set(f["rule"]) == {
        "change.benefit-rise", "change.size-no-members", "change.readded",
        "change.phaseout-restart",
    }  # fmt: skip
    assert f["file"].str.endswith("new.xlsx").all()
    paired = f[f["rule"] != "change.readded"]
    assert paired["evidence"].map(lambda e: e["old_row"] > 1).all()
    assert set(result.report.rules_run) == CHANGE_RULES


def test_no_findings_between_a_roster_and_itself(snapshots):
    old_path, _, _, _ = snapshots
    roster = load_roster(old_path)
    out = diff_rosters(roster, roster, EXAMPLE_POLICY, as_of_old=OLD_AS_OF, as_of_new=OLD_AS_OF)
    assert out.findings.empty
    assert set(out.changes["status"]) == {"unchanged"}


def test_masked_by_default(snapshots):
    old_path, new_path, _, _ = snapshots
    out = diff_rosters(
        load_roster(old_path), load_roster(new_path), EXAMPLE_POLICY,
        as_of_old=OLD_AS_OF, as_of_new=NEW_AS_OF,
    )  # fmt: skip
    added = out.changes["members_added"].dropna()
    ids = [i for ids in added for i in ids]
    assert ids and all("*" in i for i in ids)


# --- order does not matter ------------------------------------------------------------


def _comparable(out):
    changes = out.changes.drop(columns=["old_index", "new_index"])
    findings = out.findings.drop(columns=["evidence"]).assign(
        evidence=out.findings["evidence"].map(lambda e: json.dumps(e, sort_keys=True))
    )
    return changes, findings.sort_values(["rule", "household"]).reset_index(drop=True)


def test_the_diff_does_not_depend_on_row_or_file_order(snapshots, result):
    old_path, new_path, _, _ = snapshots
    old, new = load_roster(old_path), load_roster(new_path)

    def shuffled(roster):
        h = roster.households.sample(frac=1, random_state=3).reset_index(drop=True)
        m = roster.members.sample(frac=1, random_state=4).reset_index(drop=True)
        return replace(roster, households=h, members=m)

    out = diff_rosters(
        shuffled(old), shuffled(new), EXAMPLE_POLICY, as_of_old=OLD_AS_OF,
        as_of_new=NEW_AS_OF, lang="en", mask=False,
    )  # fmt: skip
    got, want = _comparable(out), _comparable(result)
    pd.testing.assert_frame_equal(got[0], want[0])
    pd.testing.assert_frame_equal(got[1], want[1])


def test_swapping_old_and_new_swaps_added_and_removed(snapshots, result):
    old_path, new_path, _, _ = snapshots
    back = diff_rosters(
        load_roster(new_path), load_roster(old_path), EXAMPLE_POLICY,
        as_of_old=OLD_AS_OF, as_of_new=OLD_AS_OF,
    )  # fmt: skip
    forward = result.changes["status"].value_counts()
    backward = back.changes["status"].value_counts()
    assert backward["removed"] == forward["added"] and backward["added"] == forward["removed"]
    assert backward["changed"] == forward["changed"]


# --- matching -------------------------------------------------------------------------


def _keys(rows):
    return household_keys(pd.DataFrame(rows, columns=["cert_no", "head_id_number", "head_name",
                                                      "village"]))  # fmt: skip


def test_matching_tiers_and_ambiguous_keys():
    h1, h2, h3, h4 = (make_id(seq=s) for s in ("101", "111", "121", "131"))
    old = _keys(
        [
            ["C1", h1, "甲", "一村"],  # cert repeated in NEW: matched on the head's ID
            [None, h2, "乙", "一村"],  # no cert in OLD: matched on the head's ID
            [None, None, "丙", "一村"],  # no cert, no ID: matched on name + village
            ["C4", h4, "丁", "一村"],  # a new certificate in NEW: removed, not matched
        ]
    )
    new = _keys(
        [
            ["C1", h1, "甲", "一村"],
            ["C1", h3, "戊", "一村"],  # the repeat: left ambiguous, never guessed
            ["C2", h2, "乙", "一村"],
            [None, None, "丙", "一村"],
            ["C5", h4, "丁", "一村"],
        ]
    )
    m = match_households(old, new)
    pairs = m[m["status"] == "matched"].set_index("old_index")["matched_on"].to_dict()
    assert pairs == {0: "head_id", 1: "head_id", 2: "head_name+village"}
    rest = m[m["status"] != "matched"][["old_index", "new_index", "status", "matched_on", "key"]]
    assert rest.astype(object).where(rest.notna(), None).values.tolist() == [
        [3, None, "removed", None, "C4"],
        [None, 4, "added", None, "C5"],
        [None, 1, "ambiguous", "cert_no", "C1"],
    ]


def test_ambiguous_households_are_reported_on_both_sides(tmp_path):
    header = ["村", "户主姓名", "户主身份证号", "低保证号", "家庭人口", "户月保障金额"]
    one, two = make_id(seq="201"), make_id(seq="211")
    old = write_xlsx(tmp_path / "old.xlsx", [header, ["一村", "甲", one, "C1", 1, 100],
                                              ["一村", "甲", one, "C1", 1, 100]])  # fmt: skip
    new = write_xlsx(tmp_path / "new.xlsx", [header, ["一村", "甲", one, "C1", 1, 100],
                                              ["一村", "乙", two, "C2", 1, 100]])  # fmt: skip
    out = diff_rosters(
        load_roster(old), load_roster(new), EXAMPLE_POLICY, as_of_old=NEW_AS_OF,
        as_of_new=NEW_AS_OF, lang="en",
    )  # fmt: skip
    assert out.changes["status"].value_counts().to_dict() == {"ambiguous": 3, "added": 1}
    hits = _hits(out, "change.ambiguous-key")
    assert sorted(zip(hits["file"].str[-8:], hits["row"], strict=True)) == [
        ("new.xlsx", 2),
        ("old.xlsx", 2),
        ("old.xlsx", 3),
    ]
    assert hits["evidence"].map(lambda e: (e["old_rows"], e["new_rows"])).tolist() == [(2, 1)] * 3
    assert hits["message"].str.contains("certificate number C1 is on 2 row").all()
    assert hits["cell"].str.startswith("D").all()


def test_an_empty_snapshot_gives_all_removed(snapshots, tmp_path):
    old_path, _, header, _ = snapshots
    empty = write_xlsx(tmp_path / "empty.xlsx", [header])
    out = diff_rosters(
        load_roster(old_path), load_roster(empty), EXAMPLE_POLICY, as_of_old=OLD_AS_OF,
        as_of_new=NEW_AS_OF,
    )  # fmt: skip
    assert set(out.changes["status"]) == {"removed"} and out.findings.empty


# --- a single roster: the change rules are skipped ------------------------------------


def test_a_single_roster_audit_skips_the_change_rules(snapshots):
    old_path, _, _, _ = snapshots
    report = audit(load_roster(old_path), EXAMPLE_POLICY, as_of=OLD_AS_OF, lang="en")
    skipped = {k: v for k, v in report.rules_skipped.items() if k.startswith("change.")}
    assert skipped == dict.fromkeys(CHANGE_RULES, "needs two snapshots (civaudit diff)")
    zh = run_rules(AuditData.empty(), lang="zh").rules_skipped["change.readded"]
    assert "civaudit diff" in zh


def test_a_missing_column_in_one_snapshot_is_a_skip_reason(snapshots, tmp_path):
    old_path, _, header, base = snapshots
    cut = header.index("渐退起始月")
    rows = [[v for i, v in enumerate(r) if i != cut] for g in base for r in g]
    new = write_xlsx(tmp_path / "no-phaseout.xlsx", [[h for i, h in enumerate(header) if i != cut],
                                                     *rows])  # fmt: skip
    out = diff_rosters(
        load_roster(old_path), load_roster(new), EXAMPLE_POLICY, as_of_old=OLD_AS_OF,
        as_of_new=NEW_AS_OF, lang="en",
    )  # fmt: skip
    reason = out.report.rules_skipped["change.phaseout-restart"]
    assert reason == "the NEW roster has no column for phase-out start"


def test_select_and_ignore_take_change_rules_only(snapshots):
    old_path, new_path, _, _ = snapshots
    old, new = load_roster(old_path), load_roster(new_path)
    out = diff_rosters(
        old, new, EXAMPLE_POLICY, as_of_old=OLD_AS_OF, as_of_new=NEW_AS_OF,
        select=["change.readded"],
    )  # fmt: skip
    assert set(out.findings["rule"]) == {"change.readded"}
    with pytest.raises(UsageError, match="not a change rule"):
        diff_rosters(old, new, EXAMPLE_POLICY, as_of_old=OLD_AS_OF, as_of_new=NEW_AS_OF,
                     ignore=["id"])  # fmt: skip


# --- the reports ------------------------------------------------------------------------

MANIFEST = {
    "version": "test",
    "policy": {"name": "example", "example": True},
    "as_of": "2019-10-01",
    "as_of_source": "--as-of",
    "old_as_of": "2019-04-01",
    "old_as_of_source": "--old-as-of",
}


@pytest.mark.parametrize("fmt", DIFF_FORMATS)
def test_every_diff_format_renders(result, fmt):
    assert render_diff(result, fmt, manifest=MANIFEST)


def test_an_unknown_diff_format_is_a_usage_error(result):
    with pytest.raises(UsageError, match="unknown format 'table'"):
        render_diff(result, "table", manifest=MANIFEST)


def test_counts_table_has_a_row_per_village_and_a_column_per_status(result, monkeypatch):
    monkeypatch.setattr("civaudit.i18n._current", "en")
    headers, rows = counts_table(result)
    assert headers[:3] == ["place", "OLD", "NEW"] and len(headers) == 3 + 5
    assert len(rows) == len(result.counts) == 2
    assert sum(row[1] for row in rows) == result.summary()["old"]


# --- the CLI ----------------------------------------------------------------------------


def run(args):
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def codes(args):
    with pytest.raises(SystemExit) as exc:
        main(args)
    return exc.value.code


def _args(snapshots, *more):
    old_path, new_path, _, _ = snapshots
    return ["diff", str(old_path), str(new_path), "--old-as-of", "2019-04", "--as-of", "2019-10",
            *more]  # fmt: skip


def test_cli_exit_codes(snapshots, tmp_path):
    assert codes(_args(snapshots, "-q")) == 1  # change.phaseout-restart is an error
    assert codes(_args(snapshots, "-q", "--fail-on", "never")) == 0
    assert codes(_args(snapshots, "-q", "--ignore", "change.phaseout-restart")) == 0
    assert codes(_args(snapshots, "-q", "--ignore", "change.phaseout-restart",
                       "--fail-on", "warning")) == 1  # fmt: skip
    assert codes(_args(snapshots, "-q", "--select", "id")) == 2
    assert codes(["diff", str(tmp_path / "nothing"), str(snapshots[1])]) == 2
    old_path, new_path, _, _ = snapshots
    assert codes(["diff", str(new_path), str(old_path), "--old-as-of", "2019-10",
                  "--as-of", "2019-04"]) == 2  # fmt: skip
    assert codes(_args(snapshots, "-o", str(old_path))) == 2  # never writes an input


def test_cli_json_shape(snapshots, result):
    out = run(["--lang", "en", *_args(snapshots, "-f", "json", "--no-mask")])
    assert out.exit_code == 0, out.output  # (codes() checks the exit codes)
    data = json.loads(out.stdout)
    assert list(data) == ["civaudit", "summary", "changes", "findings"]
    manifest = data["civaudit"]
    assert manifest["command"] == "diff"
    assert (manifest["old_as_of"], manifest["as_of"]) == ("2019-04-01", "2019-10-01")
    assert manifest["old_inputs"][0]["path"].endswith("old.xlsx")
    assert manifest["inputs"][0]["path"].endswith("new.xlsx")
    assert set(manifest["rules_run"]) == CHANGE_RULES
    summary = data["summary"]
    assert (summary["added"], summary["removed"], summary["changed"]) == (3, 2, 5)
    assert summary["by_severity"] == {"error": 1, "warning": 4, "info": 0}
    assert len(summary["by_village"]) == 2 and summary["by_village"][0]["village"]
    assert len(data["changes"]) == len(result.changes)
    assert "old_index" not in data["changes"][0]
    assert {f["rule"] for f in data["findings"]} == set(result.findings["rule"])
    assert "3 added, 2 removed" in out.stderr and "{" not in out.stderr


def test_cli_table_md_and_csv(snapshots, tmp_path):
    out = run(["--lang", "en", *_args(snapshots, "-f", "table")])
    assert "Households by village" in out.stdout and "change.readded" in out.stdout
    md = run(["--lang", "en", *_args(snapshots, "-f", "md")]).stdout
    assert md.startswith("## civaudit: changes between two rosters")
    assert "| change.phaseout-restart" in md and "OLD 2019-04-01 → NEW 2019-10-01" in md
    target = tmp_path / "diff.csv"
    assert codes(_args(snapshots, "-o", str(target), "--fail-on", "never")) == 0
    csv = pd.read_csv(target, encoding="utf-8-sig")
    assert list(csv.columns)[:2] == ["rule", "severity"] and len(csv) == 5


def test_cli_xlsx_has_counts_changes_and_findings(snapshots, tmp_path):
    target = tmp_path / "变动.xlsx"
    assert codes(["--lang", "zh", *_args(snapshots, "-o", str(target))]) == 1
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["按村统计", "变动明细", "问题清单"]
    changes = book["变动明细"]
    header = [c.value for c in changes[1]]
    assert header[:3] == ["状态", "比对依据", "户标识"]
    statuses = {row[0] for row in changes.iter_rows(min_row=2, values_only=True)}
    assert statuses == {"新增", "退出", "变更", "未变"}
    cells = [c for row in book["变动明细"].iter_rows(min_row=2) for c in row]
    added = header.index("新增成员")
    masked = [row[added] for row in changes.iter_rows(min_row=2, values_only=True) if row[added]]
    assert masked and all("*" in v for v in masked)  # IDs masked without --no-mask
    assert not any(c.data_type == "f" for c in cells)
    findings = book["问题清单"]
    assert findings.max_row == 6 and "核查结论" in [c.value for c in findings[1]]
