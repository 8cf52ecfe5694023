"""The roster generator: deterministic, realistic, and its answer key is exact."""

from __future__ import annotations

import runpy
import subprocess
import sys
import zipfile
from fractions import Fraction
from math import ceil
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from stdnum import numdb

from civaudit.generator import (
    LAYOUTS,
    PLANTABLE_RULES,
    FileSpec,
    RosterSpec,
    generate_county,
    generate_frames,
    layout_headers,
)
from civaudit.generator import writers as gen_writers

ROOT = Path(__file__).resolve().parents[1]
SMALL = {"seed": 7, "members": 700, "villages": 3, "towns": 2}
STD = 4800
_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def gb11643_ok(s: str) -> bool:
    if len(s) != 18 or not s[:17].isdigit():
        return False
    return "10X98765432"[sum(int(d) * w for d, w in zip(s, _W, strict=False)) % 11] == s[17]


def formula(size: int, covered: int, net: int) -> int:
    pc = Fraction(net, 12 * size)
    exact = (Fraction(STD, 12) - pc) * covered
    return min(ceil(exact), int(Fraction(STD * covered, 12)))


def money(v) -> float:
    """Read a money cell the way an inspector would (quirks included)."""
    if v is None or v == "—":
        return 0.0
    if isinstance(v, int | float):
        return float(v)
    text = str(v).translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    return float(text.replace(",", "").replace("元", ""))


def sheet_rows(path, sheet=None):
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    return wb, ws, [list(r) for r in ws.iter_rows(values_only=True)]


def header_index(rows, name: str, header_row: int = 3) -> int:
    return rows[header_row - 1].index(name)


@pytest.fixture(scope="module")
def rosters(tmp_path_factory):
    """One small county per layout, with quirks, problems, subtotals and extras."""
    out = {}
    for layout in LAYOUTS:
        d = tmp_path_factory.mktemp(layout)
        # openpyxl reads merged cells slowly: a smaller county for blocks
        size = {"members": 400} if layout == "block" else {}
        spec = RosterSpec(
            **{**SMALL, **size},
            layout=layout,
            headers="canonical",
            subtotals=True,
            page_households=15,
            quirks=0.03,
            problems=0.1,
            hidden_sheet=True,
            trailing_columns=1,
            blank_rows=0.1 if layout == "block" else 0.0,
        )
        files, key = generate_county(spec, d)
        out[layout] = (spec, d, files, key, sheet_rows(files[0]))
    return out


def test_same_spec_same_bytes(tmp_path):
    spec = RosterSpec(
        **SMALL,
        layout="block",
        two_row_header=True,
        subtotals=True,
        quirks=0.05,
        problems=0.1,
        split="town",
        hidden_sheet=True,
    )
    runs = []
    for name in ("a", "b"):
        generate_county(spec, tmp_path / name)
        runs.append(
            {
                p.relative_to(tmp_path / name): p.read_bytes()
                for p in (tmp_path / name).rglob("*")
                if p.is_file()
            }
        )
    assert runs[0].keys() == runs[1].keys()
    assert len(runs[0]) == 3  # two towns + the key
    for k in runs[0]:
        assert runs[0][k] == runs[1][k], k
    csv_spec = RosterSpec(**SMALL, fmt="csv-gbk", quirks=0.05, problems=0.05)
    a = generate_county(csv_spec, tmp_path / "c1")[0][0].read_bytes()
    b = generate_county(csv_spec, tmp_path / "c2")[0][0].read_bytes()
    assert a == b


def test_other_seed_other_roster(tmp_path):
    a = generate_frames(RosterSpec(**SMALL))[1]
    b = generate_frames(RosterSpec(**{**SMALL, "seed": 8}))[1]
    assert set(a["id_number"]) != set(b["id_number"])


@pytest.mark.parametrize("layout", LAYOUTS)
def test_layout_header_totals_footer(rosters, layout):
    *_, key, (wb, ws, rows) = rosters[layout]
    assert rows[0][0] == "康保县2019年10月农村低保对象花名册"
    assert rows[1][0].startswith("填报单位：")
    assert ws.merged_cells.ranges and "A1" in str(sorted(map(str, ws.merged_cells.ranges)))
    header = rows[2]
    assert header[: len(header) - 1] == layout_headers(layout, places=True)
    assert header[-1] is None  # the trailing empty column
    assert wb.sheetnames[-1] == "代码表" and wb["代码表"].sheet_state == "hidden"
    labels = [r[0] for r in rows]
    assert "本页小计" in labels
    total_row = labels.index("合计")
    assert labels[total_row + 1 :].count(None) == 1  # one blank row before the footer
    assert rows[-1][0].startswith("制表人：")
    assert any(isinstance(c, str) and c.startswith("填报日期：2019年10月31日") for c in rows[-1])
    # 本页小计 and 合计 rows sum the data rows, except where the key says not
    wrong = set(key.loc[key.rule.eq("roster.totals-mismatch"), "cell"])
    unparsed_cols = {c.rstrip("0123456789") for c in key.loc[key.rule.eq("data.unparsed"), "cell"]}
    names = ["家庭人口", "保障人口", "家庭年总收入（元）", "月保障金"]
    if layout != "household":
        names.append("年收入（元）")
    checked = 0
    for name in names:
        c = header.index(name)
        letter = openpyxl.utils.get_column_letter(c + 1)
        if letter in unparsed_cols:
            continue
        page = total = 0.0
        for i, r in enumerate(rows[3 : total_row + 1], start=4):
            if r[0] in ("本页小计", "合计"):
                written = money(r[c])
                expected = page if r[0] == "本页小计" else total
                if f"{letter}{i}" in wrong:
                    assert written != expected
                else:
                    assert written == pytest.approx(expected), (name, i)
                    checked += 1
                page = 0.0
                continue
            page += money(r[c])
            total += money(r[c])
    assert checked > 10


def test_block_merges_cover_member_rows(rosters):
    *_, (_, ws, rows) = rosters["block"]
    header = rows[2]
    head_col = header.index("户主姓名") + 1
    name_col = header.index("姓名")
    merged = [r for r in ws.merged_cells.ranges if r.min_col == head_col and r.max_col == head_col]
    assert len(merged) > 20
    for r in merged:
        assert r.max_row > r.min_row
        top = rows[r.min_row - 1]
        assert top[head_col - 1] is not None
        assert all(rows[i - 1][head_col - 1] is None for i in range(r.min_row + 1, r.max_row + 1))
        assert all(rows[i - 1][name_col] for i in range(r.min_row, r.max_row + 1))


def test_two_row_header(tmp_path):
    files, _ = generate_county(
        RosterSpec(**SMALL, layout="household", two_row_header=True, headers="canonical"), tmp_path
    )
    _, ws, rows = sheet_rows(files[0])
    top, bottom = rows[2], rows[3]
    flat, parent = [], None
    for t, b in zip(top, bottom, strict=True):
        parent = t if t is not None else parent
        flat.append(f"{parent}.{b}" if b is not None else t)
    assert flat == layout_headers("household", two_row_header=True, places=True)
    ranges = {str(r) for r in ws.merged_cells.ranges}
    assert "A3:A4" in ranges  # 序号 spans both header rows


def test_clean_benefits_follow_the_formula(tmp_path):
    files, key = generate_county(
        RosterSpec(
            **{**SMALL, "members": 3000}, layout="household", headers="canonical", problems=0.05
        ),
        tmp_path,
    )
    _, _, rows = sheet_rows(files[0])
    h = rows[2]
    col = {name: h.index(name) for name in h if name}
    bad = set(key["household"])
    kinds = {"ordinary": 0, "single": 0, "phaseout": 0}
    for r in rows[3:]:
        if not isinstance(r[0], int) or r[col["低保证号"]] in bad:
            continue
        size, covered = r[col["家庭人口"]], r[col["保障人口"]]
        gross = money(r[col["家庭年总收入（元）"]])
        deduction = sum(money(r[col[c]]) for c in ("自付医疗费用", "教育支出", "残疾康复护理支出"))
        net = int(max(gross - deduction, 0))
        benefit = money(r[col["月保障金"]])
        assert net / 12 / size == pytest.approx(money(r[col["月人均收入"]]), abs=0.00501)
        if r[col["施保方式"]] == "单人":
            kinds["single"] += 1
            assert covered == 1 < size
            assert benefit == STD / 12
            assert STD * size <= net < 1.5 * STD * size
        elif r[col["保障状态"]] == "渐退":
            kinds["phaseout"] += 1
            assert 0 < benefit <= STD / 12 * covered
            assert STD * size <= net < 1.5 * STD * size
            assert r[col["是否建档立卡(扶贫对象)"]] == "是"
        else:
            kinds["ordinary"] += 1
            assert covered == size
            assert net < STD * size
            assert benefit == formula(size, covered, net)
    assert all(kinds.values()), kinds


def test_clean_people_are_consistent():
    households, members, key = generate_frames(
        RosterSpec(**{**SMALL, "members": 5000}, problems=0.05)
    )
    bad = set(key["household"])
    hh = households[~households["cert_no"].isin(bad)]
    mm = members[~members["cert_no"].isin(bad)]
    assert len(hh) > 1500
    ids = mm["id_number"]
    assert ids.map(gb11643_ok).all()
    assert ids.is_unique
    assert (ids.str[:6] == "130723").all()
    assert numdb.get("cn/loc").info("130723")[1][1]
    odd = ids.str[16].astype(int) % 2 == 1
    assert ((mm["sex"] == "男") == odd).all()
    assert (ids.str[6:14] == mm["birth_date"].dt.strftime("%Y%m%d")).all()
    rows = mm.groupby("cert_no").size()
    assert (hh.set_index("cert_no")["household_size"] == rows.reindex(hh["cert_no"])).all()
    heads = mm[mm["relation"] == "户主"]
    assert heads["cert_no"].is_unique and set(heads["cert_no"]) == set(hh["cert_no"])
    assert (heads["age"] >= 18).all()
    assert mm["age"].between(0, 100).all()
    assert (hh["covered_count"].between(1, hh["household_size"])).all()
    assert hh["bank_account"].is_unique
    assert hh["bank_account"].str.len().isin([18, 19]).all()
    assert (hh["benefit_month"] == hh["benefit_expected"]).all()


def _ffill_cert(rows, cert_col, start=3):
    """The household (certificate) of each data row, filled down as a loader does."""
    certs, last = {}, None
    for i, r in enumerate(rows[start:], start=start + 1):
        if r[cert_col]:
            last = r[cert_col]
        certs[i] = last
    return certs


@pytest.mark.parametrize("layout", LAYOUTS)
def test_answer_key_points_at_the_cells(rosters, layout):
    _, d, _, key, (_, ws, rows) = rosters[layout]
    assert len(key) > 10
    assert (d / "answer_key.tsv").exists()
    header = rows[2]
    cert_col = header.index("低保证号")
    id_col = header.index("户主身份证号" if layout == "household" else "身份证号")
    certs = _ffill_cert(rows, cert_col)
    for k in key.itertuples():
        row = rows[k.row - 1]
        value = ws[k.cell].value if k.cell else None
        if k.rule == "roster.totals-mismatch":
            assert row[0] in ("本页小计", "合计")
            continue
        assert certs[k.row] == k.household, k
        ident = row[id_col]
        if k.rule in ("dup.person", "household.head-minor", "person.age-implausible"):
            assert value == k.person
        elif k.rule == "id.precision-lost":
            assert isinstance(value, float)
            assert f"{value:.15g}" == f"{int(k.person):.15g}" and int(value) != int(k.person)
        elif k.rule == "id.masked":
            assert value == k.person[:6] + "*" * 8 + k.person[14:]
        elif k.rule == "id.legacy-15":
            assert value == k.person[:6] + k.person[8:17]
        elif k.rule == "id.checksum":
            assert (
                value[:17] == k.person[:17] and value[17] != k.person[17] and not gb11643_ok(value)
            )
        elif k.rule == "id.region-unknown":
            assert value[6:17] == k.person[6:17] and gb11643_ok(value)
            assert not numdb.get("cn/loc").info(value[:6])[1][1]
        elif k.rule == "id.invalid":
            assert value != k.person and isinstance(value, str)
        elif k.rule in ("household.head", "id.mismatch", "single.not-qualifying"):
            assert ident == k.person
            if k.rule == "household.head":
                assert value in ("户主", "其他")
        elif k.rule == "date.ambiguous":
            assert isinstance(value, float) and f"{value}".endswith(".1")
        elif k.rule == "data.unparsed":
            assert isinstance(value, str)
            with pytest.raises(ValueError):
                money(value)
        elif k.rule in ("benefit.mismatch", "benefit.over-cap"):
            assert money(value) == float(k.detail.split()[1].rstrip(","))
        elif k.rule == "household.size-mismatch":
            assert value == int(k.detail.split()[1].rstrip(","))
        if k.cell:
            assert int("".join(ch for ch in k.cell if ch.isdigit())) == k.row


def test_every_rule_can_be_planted(tmp_path):
    counts = dict.fromkeys(PLANTABLE_RULES, 1)
    _, key = generate_county(RosterSpec(**SMALL, layout="member", problems=counts), tmp_path)
    got = key["rule"].value_counts()
    for rule in PLANTABLE_RULES:
        assert got.get(rule, 0) == (2 if rule.startswith("dup.") else 1), rule
    assert key["person"].fillna("").str.len().isin([0, 18]).all()


def test_rules_the_layout_cannot_show_are_refused(tmp_path):
    with pytest.raises(ValueError, match=r"household\.head"):
        generate_county(
            RosterSpec(**SMALL, layout="household", problems={"household.head": 1}), tmp_path
        )


def test_csv_encodings(tmp_path):
    gbk = generate_county(RosterSpec(**SMALL, fmt="csv-gbk", quirks=0.05), tmp_path / "g")[0][0]
    raw = gbk.read_bytes()
    text = raw.decode("gb18030")
    assert "身份证号" in text and "合计" in text
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    utf8 = generate_county(RosterSpec(**SMALL, fmt="csv-utf8"), tmp_path / "u")[0][0]
    assert utf8.read_bytes().startswith(b"\xef\xbb\xbf")
    assert utf8.read_bytes().decode("utf-8-sig").splitlines()[2].startswith("序号,")


def test_fast_xml_path_matches_xlsxwriter_api(tmp_path, monkeypatch):
    spec = RosterSpec(
        **{**SMALL, "members": 150},
        layout="block",
        two_row_header=True,
        subtotals=True,
        quirks=0.2,
        problems=0.1,
    )
    fast = generate_county(spec, tmp_path / "fast")[0][0]
    monkeypatch.setattr(gen_writers, "FAST", False)
    slow = generate_county(spec, tmp_path / "slow")[0][0]
    a, b = openpyxl.load_workbook(fast), openpyxl.load_workbook(slow)
    for wa, wb in zip(a.worksheets, b.worksheets, strict=True):
        assert list(wa.iter_rows(values_only=True)) == list(wb.iter_rows(values_only=True))
        assert sorted(map(str, wa.merged_cells.ranges)) == sorted(map(str, wb.merged_cells.ranges))
        assert wa.dimensions == wb.dimensions
        for r in (5, 6, 7):
            for c in range(1, 20):
                fa, fb = wa.cell(r, c), wb.cell(r, c)
                assert (fa.number_format, fa.border.left.style) == (
                    fb.number_format,
                    fb.border.left.style,
                )


def test_file_specs_and_sheet_per_village(tmp_path):
    spec = RosterSpec(
        **SMALL,
        files=(
            FileSpec("康保县/甲/户.xlsx", (0,), {"layout": "household"}),
            FileSpec("康保县/乙/人.xlsx", (1, 2), {"layout": "member", "sheet_per_village": True}),
        ),
        problems={"dup.person": 2},
    )
    files, key = generate_county(spec, tmp_path)
    assert [f.name for f in files] == ["户.xlsx", "人.xlsx"]
    assert len(openpyxl.load_workbook(files[1]).sheetnames) == 2
    assert len(key) == 4 and set(key["sheet"]) <= set(
        openpyxl.load_workbook(files[1]).sheetnames
    ) | {"2019年10月"}


def test_command_line(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "civaudit.generator", "--out", str(tmp_path), "--members", "300",
         "--villages", "2", "--layout", "block", "--problems", "0.05", "--quirks", "0.02"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().endswith(".xlsx")
    assert (tmp_path / "answer_key.tsv").exists()
    bad = subprocess.run(
        [sys.executable, "-m", "civaudit.generator", "--out", str(tmp_path), "--county", "999999"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert bad.returncode == 2 and "county" in bad.stderr


def test_model_ids_vectorised_checksum_matches_reference():
    _, members, _ = generate_frames(RosterSpec(seed=3, members=2000))
    sample = members["id_number"].to_numpy()[::7]
    assert all(gb11643_ok(s) for s in sample)
    assert np.unique(members["id_number"]).size == len(members)


def test_sample_data_is_what_the_script_makes(tmp_path):
    # run_path compiles without leaving a __pycache__ in sample_data/
    make = runpy.run_path(str(ROOT / "sample_data" / "make_sample_data.py"))
    files, _ = make["write_samples"](tmp_path)
    for path in [*files, tmp_path / "answer_key.tsv"]:
        rel = path.relative_to(tmp_path)
        # xlsx: compare the zip members (deflate output may differ between zlib builds)
        assert _content(ROOT / "sample_data" / rel) == _content(path), (
            f"{rel} is stale: run python sample_data/make_sample_data.py"
        )
    committed = {p.relative_to(ROOT / "sample_data") for p in (ROOT / "sample_data").rglob("*.*")}
    assert (
        sum(p.stat().st_size for p in (ROOT / "sample_data").rglob("*") if p.is_file()) < 1_000_000
    )
    assert {p.relative_to(tmp_path) for p in files} <= committed


def _content(path: Path):
    if path.suffix != ".xlsx":
        return path.read_bytes()
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_command_line_export_pair_as_html_xls(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "civaudit.generator", "--out", str(tmp_path), "--members", "200",
         "--villages", "2", "--layout", "export", "--fmt", "html-xls", "--split", "village"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    names = sorted(Path(p).name for p in run.stdout.split())
    assert len(names) == 4 and all(n.endswith(".xls") for n in names)
    assert sum("农村低保家庭查询_" in n for n in names) == 2
    assert sum("农村低保人员查询_" in n for n in names) == 2
