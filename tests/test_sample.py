"""The inspection sample: reproducible from its seed whatever the order of files and
households, every household with an error finding in a chosen village taken, the
--villages / --within choices honoured, and a visit workbook fit to carry out."""

from __future__ import annotations

import functools
import itertools
import json
import math
import random
import re
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from civaudit import EXAMPLE_POLICY, load_roster
from civaudit.auditing import audit
from civaudit.cli import cli, main
from civaudit.errors import UsageError
from civaudit.generator import RosterSpec, generate_county
from civaudit.sample import draw_sample, parse_villages

AS_OF = date(2019, 10, 1)
SAMPLE_DATA = Path(__file__).resolve().parents[1] / "sample_data"
FULL_ID = re.compile(r"\d{17}[\dX]")


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """Two towns, six villages (乡镇 and 村 columns), one CSV per town, with planted
    problems; plus a copy with the households of each file in another order."""
    root = tmp_path_factory.mktemp("county")
    spec = RosterSpec(
        seed=7, members=500, villages=6, towns=2, split="town", fmt="csv-utf8",
        layout="member", title_rows=False, totals=False, footers=False, problems=0.08,
    )  # fmt: skip
    files, _ = generate_county(spec, root / "a")
    shuffled = []
    for number, path in enumerate(files):
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        # One block per household (its member rows carry the head's ID in column 6).
        blocks = [list(b) for _, b in itertools.groupby(lines[1:], key=lambda x: x.split(",")[5])]
        random.Random(number).shuffle(blocks)
        target = root / "b" / path.relative_to(root / "a")
        target.parent.mkdir(parents=True, exist_ok=True)
        body = [lines[0], *(line for block in blocks for line in block)]
        target.write_text("\ufeff" + "\n".join(body) + "\n", encoding="utf-8")
        shuffled.append(target)
    return files, shuffled


@functools.cache
def _audited(files: tuple[str, ...]):
    roster = load_roster(list(files))
    return roster, audit(roster, EXAMPLE_POLICY, as_of=AS_OF, mask=False)


def _draw(files, **options):
    """Draw from the files' audit (loaded and audited once per set of files, in the
    order given)."""
    files = (files,) if isinstance(files, str | Path) else files
    roster, report = _audited(tuple(map(str, files)))
    return draw_sample(roster, report, **options), report


def _picked(sample) -> list[tuple]:
    h = sample.households
    return sorted(zip(h["town"], h["village"], h["household"], h["reason"], strict=True))


def run(args):
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def code(args) -> int:
    with pytest.raises(SystemExit) as exc:
        main(args)
    return exc.value.code


# --- reproducible ---------------------------------------------------------------------------


@pytest.mark.parametrize("options", [{}, {"villages": 2}, {"villages": 1, "within": "town"}])
def test_same_seed_same_sample_whatever_the_order(county, options):
    files, shuffled = county
    first, _ = _draw(files, seed=11, **options)
    again, _ = _draw(list(reversed(files)), seed=11, **options)
    moved, _ = _draw(shuffled, seed=11, **options)
    assert _picked(first) == _picked(again) == _picked(moved)
    assert first.households["row"].tolist() != moved.households["row"].tolist()  # really moved
    assert (first.villages["selected"] == moved.villages["selected"]).all()
    assert len(first.households) > 0


def test_a_different_seed_gives_a_different_sample(county):
    files, _ = county
    one, _ = _draw(files, seed=1, villages=2)
    two, _ = _draw(files, seed=2, villages=2)
    assert _picked(one) != _picked(two)
    assert one.seed == one.method["seed"] == 1


def test_a_village_draw_does_not_depend_on_the_other_villages(county):
    files, _ = county
    both, _ = _draw(files, seed=5)
    alone, _ = _draw(files[:1], seed=5)
    town = alone.households["town"].iloc[0]
    assert _picked(alone) == [p for p in _picked(both) if p[0] == town]


def test_without_a_seed_one_is_drawn_and_recorded(county):
    files, _ = county
    sample, _ = _draw(files)
    assert isinstance(sample.seed, int) and sample.method["seed"] == sample.seed


# --- what is chosen -------------------------------------------------------------------------


@pytest.mark.parametrize("villages", ["all", 2])
def test_every_household_with_an_error_finding_is_chosen(county, villages):
    files, _ = county
    sample, report = _draw(files, seed=3, villages=villages)
    errors = report.findings[report.findings["severity"] == "error"].dropna(subset=["household"])
    chosen = set(sample.chosen_villages["village"])
    expected = {(v, h) for v, h in zip(errors["village"], errors["household"], strict=True)}
    expected = {p for p in expected if p[0] in chosen}
    keyed = sample.households[sample.households["reason"] == "error"]
    assert expected and set(zip(keyed["village"], keyed["household"], strict=True)) == expected
    assert all(keyed["why"].str.startswith("error finding: "))
    assert all(sample.households.loc[sample.households["reason"] == "random", "why"] == "random")


def test_share_and_minimum_per_village(county):
    files, _ = county
    sample, _ = _draw(files, seed=4, share=0.1, min_per_village=3)
    for v in sample.villages.itertuples():
        mine = sample.households[sample.households["village_no"] == v.village_no]
        errors = int((mine["reason"] == "error").sum())
        rest = v.households - errors
        expected = min(rest, max(math.ceil(0.1 * rest), 3 - errors))
        assert (mine["reason"] == "random").sum() == expected
    only_errors, _ = _draw(files, seed=4, share=0, min_per_village=0)
    assert set(only_errors.households["reason"]) == {"error"}
    everyone, _ = _draw(files, seed=4, share=1)
    assert len(everyone.households) == everyone.villages["households"].sum()


def test_villages_all_count_rate_and_within_town(county):
    files, _ = county
    counts = {}
    for spec in ("all", 2, 0.5, "0.2", "34%"):
        sample, _ = _draw(files, seed=9, villages=spec)
        counts[spec] = int(sample.villages["selected"].sum())
        assert set(sample.households["village"]) == set(sample.chosen_villages["village"])
    assert counts == {"all": 6, 2: 2, 0.5: 3, "0.2": 2, "34%": 3}  # rates round up
    sample, _ = _draw(files, seed=9, villages=1, within="town")
    chosen = sample.chosen_villages
    assert len(chosen) == 2 and chosen["town"].nunique() == 2
    assert set(chosen["group"]) == set(sample.villages["town"])
    assert set(sample.villages["source"]) == {"column"}


def test_weighting_by_findings_prefers_villages_with_findings(county):
    files, _ = county
    roster, _ = _audited(tuple(map(str, files)))
    h = roster.households
    target = h["village"].iloc[0]
    flagged = h[h["village"] == target].head(2)  # errors in one village only
    findings = pd.DataFrame(
        {
            "rule": "benefit.mismatch",
            "severity": "error",
            "message": "planted",
            "file": flagged["file"],
            "sheet": flagged["sheet"],
            "row": flagged["row"],
        }
    )
    for seed in range(3):
        sample = draw_sample(roster, findings, seed=seed, villages=1, weight="findings")
        assert list(sample.chosen_villages["village"]) == [target]
    drawn = {
        draw_sample(roster, findings, seed=s, villages=1, weight="random")
        .chosen_villages["village"]
        .iloc[0]
        for s in range(6)
    }
    assert len(drawn) > 1


def test_bad_choices_are_refused():
    for value in ("0", "1.5", "-2", "some", "0.0"):
        with pytest.raises(UsageError):
            parse_villages(value)
    assert parse_villages("ALL") == "all" and parse_villages("3") == 3
    assert parse_villages("0.25") == 0.25 and parse_villages("1.0") == 1.0


def test_villages_named_by_their_evidence_never_after_file_stems():
    sample, _ = _draw(SAMPLE_DATA, seed=1)
    by_name = dict(zip(sample.villages["village"], sample.villages["source"], strict=True))
    assert by_name == {
        "上房子村": "column",  # the export's 所属社区 column
        "四号地村": "file-name",  # 四号地村低保花名册.csv: no title, no column
        "大梁村": "title",
        "朱家营子村": "title",
        "老湾村": "title",  # one sheet per village, each titled
        "高家窑村": "title",
    }
    towns = dict(zip(sample.villages["village"], sample.villages["town"], strict=True))
    assert towns["大梁村"] == "邓油坊镇"  # from the title row
    assert towns["四号地村"] == "照阳河镇"  # a CSV without a title: from its folder
    assert set(sample.villages["county"]) == {"康保县"}


def test_villages_from_a_folder_tree_and_sheet_names(tmp_path):
    from tests.conftest import make_id, write_xlsx

    folder = tmp_path / "康保县" / "张纪镇"
    folder.mkdir(parents=True)
    header = ["户主姓名", "户主身份证号", "家庭人口", "家庭年总收入", "月保障金"]
    rows = [[header, ["甲", make_id(seq="131"), 1, 2400, 200]]] * 2
    write_xlsx(folder / "花名册.xlsx", rows[0], sheet="一号村", extra_sheets={"Sheet2": rows[1]})
    sample, _ = _draw(folder, seed=1)
    records = sample.villages[["county", "town", "village", "source"]].values.tolist()
    assert records == [  # in the order of their names
        ["康保县", "张纪镇", "Sheet2", "sheet"],  # nothing names it: the sheet stands for it
        ["康保县", "张纪镇", "一号村", "sheet-name"],
    ]


# --- the command ----------------------------------------------------------------------------


def test_cli_json_records_the_seed_and_repeats(county, tmp_path):
    files, _ = county
    args = ["sample", *map(str, files), "--villages", "3", "--as-of", "2019-10", "-f", "json"]
    first = run(args)
    assert first.exit_code == 0
    seed = int(re.search(r"--seed (\d+)", first.stderr).group(1))
    data = json.loads(first.stdout)
    assert data["civaudit"]["seed"] == data["method"]["seed"] == seed
    assert data["civaudit"]["command"] == "sample"
    assert {"villages", "households", "method"} <= set(data)
    again = json.loads(run([*args, "--seed", str(seed)]).stdout)
    assert again["households"] == data["households"]
    assert not any(FULL_ID.search(h["household"]) for h in data["households"])


def test_cli_exit_codes(county, tmp_path):
    files = list(map(str, county[0]))
    assert code(["sample", *files, "--seed", "1", "-o", str(tmp_path / "s.json")]) == 0
    assert code(["sample", *files, "--villages", "0"]) == 2
    assert code(["sample", *files, "--villages", "lots"]) == 2
    assert code(["sample", *files, "-f", "xlsx"]) == 2  # not to the terminal
    assert code(["sample", str(tmp_path / "missing.xlsx")]) == 2
    assert code(["sample", *files, "-o", files[0]]) == 2  # never over an input
    outs = [tmp_path / f"s.{suffix}" for suffix in ("jsonl", "csv", "md")]
    assert code(["sample", *files, "--seed", "1", *(f"-o{out}" for out in outs)]) == 0
    assert all(out.stat().st_size > 0 for out in outs)
    assert not list(tmp_path.glob(".*.tmp"))


def test_external_lists_make_key_items(county, tmp_path):
    files, _ = county
    roster, _ = _audited(tuple(map(str, files)))
    person = roster.members[roster.members["role"] != "head"].iloc[0]
    deaths = tmp_path / "死亡名单.csv"
    deaths.write_text(
        f"姓名,身份证号,死亡日期\n{person['name']},{person['id_number']},2019-03-01\n"
    )
    args = ["sample", *map(str, files), "--seed", "1", "--as-of", "2019-10", "-f", "json"]
    result = run([*args, "--against", f"deaths={deaths}"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    hit = [h for h in data["households"] if "ext.deceased" in h["rules"]]
    assert len(hit) == 1 and hit[0]["reason"] == "error"
    assert [a["kind"] for a in data["civaudit"]["against"]] == ["deaths"]


def test_visit_workbook_reads_back(county, tmp_path):
    files, _ = county
    out = tmp_path / "入户核查.xlsx"
    args = [
        "--lang",
        "zh",
        "sample",
        *map(str, files),
        "--villages",
        "2",
        "--seed",
        "5",
        "--as-of",
        "2019-10",
    ]
    result = run([*args, "-o", str(out), "-o", str(tmp_path / "s.json")])
    assert result.exit_code == 0, result.stderr
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "抽样说明"
    assert len(book.sheetnames) == 1 + 2, "one sheet per chosen village"
    method = [c.value for c in book["抽样说明"]["A"] if c.value]
    assert any("随机种子: 5" in line for line in method)
    for name in book.sheetnames[1:]:
        ws = book[name]
        header = [c.value for c in ws[2]]
        verdict = [header.index(h) + 1 for h in ("入户核查结果", "是否属实", "核查人", "核查日期")]
        assert ws.freeze_panes == "A3" and ws.print_title_rows == "$1:$2"
        assert ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        rows = range(3, ws.max_row + 1)
        assert all(ws.cell(r, c).value is None for r in rows for c in verdict)
        lists = [v for v in ws.data_validations.dataValidation if v.type == "list"]
        assert lists and lists[0].formula1 == '"是,否"'
        mine = [h for h in data["households"] if h["village"] == name]
        assert ws.max_row - 2 == len(mine)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells), "no formula cells, ever"
    assert not any(FULL_ID.search(str(c.value)) for c in cells if c.value), "IDs masked"
    assert any("********" in str(c.value) for c in cells if c.value)


def test_no_mask_shows_full_ids(county, tmp_path):
    files, _ = county
    out = tmp_path / "v.xlsx"
    result = run(["sample", *map(str, files), "--seed", "5", "--no-mask", "-o", str(out)])
    assert result.exit_code == 0
    book = openpyxl.load_workbook(out)
    cells = [c.value for ws in book.worksheets[1:] for row in ws.iter_rows() for c in row]
    assert any(FULL_ID.search(str(v)) for v in cells if v)
