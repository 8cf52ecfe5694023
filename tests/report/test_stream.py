"""Findings written partition by partition (``report.stream``): the same bytes as the
whole-frame formats for any cut into partitions, Parquet read back as the JSON lines,
and a file whole or not at all."""

from __future__ import annotations

import io
import itertools
import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civaudit import EXAMPLE_POLICY, load_roster
from civaudit.auditing import audit
from civaudit.findings import FINDING_COLUMNS
from civaudit.report.findings import render_findings
from civaudit.report.output import defuse, records, render
from civaudit.report.stream import open_writer, table_bytes, write_partitions

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
TEXTS = ["张三", "=SUM(A1)", "+86 123", "-5", "@cmd", "\tTAB", "a,b", 'say "hi"', "two\nlines", ""]


# What the whole-frame formats wrote before they went through the writer: the bytes
# every partitioning must reproduce.
def old_jsonl(frame: pd.DataFrame) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records(frame)).encode()


def old_findings_csv(frame: pd.DataFrame) -> bytes:
    def evidence_text(evidence) -> str:
        return json.dumps(evidence, ensure_ascii=False, sort_keys=True) if evidence else ""

    flat = frame.assign(evidence=frame["evidence"].map(evidence_text))
    return defuse(flat).to_csv(index=False).encode("utf-8-sig")


OLD = {"jsonl": old_jsonl, "csv": old_findings_csv}


def findings_frame(rows) -> pd.DataFrame:
    frame = pd.DataFrame(
        [
            {
                "rule": "id.checksum",
                "severity": ("error", "warning", "info")[i % 3],
                "message": text,
                "clause": "GB 11643-1999",
                "file": "花名册.xlsx",
                "sheet": "2019年10月",
                "row": row,
                "cell": None if row is None else f"C{row}",
                "county": county,
                "town": None,
                "village": "上房子村",
                "household": text,
                "person": "130723********8256",
                "name": text,
                "evidence": evidence,
            }
            for i, (text, row, county, evidence) in enumerate(rows)
        ],
        columns=list(FINDING_COLUMNS),
    )
    return frame


def cut(frame: pd.DataFrame, cuts: list[int]) -> list[pd.DataFrame]:
    """``frame`` in pieces at ``cuts`` (repeated cuts: empty pieces)."""
    edges = [0, *sorted(min(c, len(frame)) for c in cuts), len(frame)]
    return [frame.iloc[a:b] for a, b in itertools.pairwise(edges)]


def streamed(pieces, fmt: str, **kw) -> bytes:
    buffer = io.BytesIO()
    write_partitions(buffer, fmt, pieces, **kw)
    return buffer.getvalue()


ROW = st.tuples(
    st.one_of(st.none(), st.sampled_from(TEXTS), st.text(max_size=6)),
    st.one_of(st.none(), st.integers(1, 1_048_576)),
    st.one_of(st.none(), st.sampled_from(["康保县", "沽源县", " "])),
    st.one_of(
        st.none(),
        st.just({}),
        st.dictionaries(
            st.sampled_from(["field", "计算", "z"]), st.integers() | st.text(max_size=4)
        ),
    ),
)


@settings(max_examples=80, deadline=None)
@given(rows=st.lists(ROW, max_size=15), cuts=st.lists(st.integers(0, 16), max_size=6))
@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_any_partitioning_gives_the_whole_frame_bytes(fmt, rows, cuts):
    frame = findings_frame(rows)
    expected = OLD[fmt](frame)
    assert streamed(cut(frame, cuts), fmt) == expected
    assert render_findings(frame, fmt, manifest={}, summary={}) == expected


@pytest.fixture(scope="module")
def sample_findings() -> pd.DataFrame:
    return audit(load_roster(SAMPLE), EXAMPLE_POLICY).findings


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_real_findings_by_file_give_the_whole_report(sample_findings, fmt):
    by_file = [part for _, part in sample_findings.groupby("file", sort=False)]
    assert len(by_file) > 3
    ordered = pd.concat(by_file)
    assert streamed(by_file, fmt) == OLD[fmt](ordered)
    one_by_one = [sample_findings.iloc[i : i + 1] for i in range(len(sample_findings))]
    assert streamed(one_by_one, fmt) == OLD[fmt](sample_findings)


def test_a_plain_table_in_csv_is_as_before():
    table = pd.DataFrame(
        {
            "household": ["A-1", "=HYPERLINK()", None],
            "income": [1200.5, None, 3.0],
            "size": pd.array([1, None, 3], dtype="Int64"),
            "as_of": pd.to_datetime(["2019-10-01", None, "2019-10-31"]),
            "evidence": ["{not: json}", None, "x"],  # a plain table's column, left as is
        }
    )
    assert render(table, "csv", key="households", manifest={}) == (
        defuse(table).to_csv(index=False).encode("utf-8-sig")
    )
    assert render(table, "jsonl", key="households", manifest={}) == old_jsonl(table)


def test_no_partition_at_all_is_a_header_or_nothing():
    assert streamed([], "csv", columns=FINDING_COLUMNS) == old_findings_csv(findings_frame([]))
    assert streamed([], "jsonl", columns=FINDING_COLUMNS) == b""
    empty = findings_frame([])
    assert streamed([empty, empty], "csv") == old_findings_csv(empty)


def test_parquet_reads_back_as_the_json_lines(tmp_path, sample_findings):
    pieces = [sample_findings.iloc[:0], *cut(sample_findings, [5, 5, 11])]
    target = tmp_path / "findings.parquet"
    assert write_partitions(target, "parquet", pieces) == len(sample_findings)

    meta = pq.ParquetFile(target).metadata
    assert meta.num_row_groups == sum(1 for p in pieces if len(p))  # one per partition
    back = pd.read_parquet(target)
    assert list(back.columns) == list(FINDING_COLUMNS)
    got = records(back)
    for row in got:
        row["evidence"] = None if row["evidence"] is None else json.loads(row["evidence"])
    assert got == records(sample_findings)
    assert table_bytes(sample_findings, "parquet")[:4] == b"PAR1"


def test_parquet_schema_does_not_follow_a_partitions_values(tmp_path):
    # the first partition has no row number and no evidence; the next has both
    first = findings_frame([("a", None, None, None)])
    second = findings_frame([("b", 7, "康保县", {"field": "id_number"})])
    target = tmp_path / "f.parquet"
    write_partitions(target, "parquet", [first, second])
    schema = pq.read_schema(target)
    assert str(schema.field("row").type) == "int64"
    assert {str(schema.field(c).type) for c in FINDING_COLUMNS if c != "row"} == {"string"}
    back = pd.read_parquet(target)
    assert back["row"].tolist()[1] == 7
    assert json.loads(back["evidence"].tolist()[1]) == {"field": "id_number"}
    assert pd.isna(back["evidence"].iloc[0]) and pd.isna(back["row"].iloc[0])


def test_parquet_without_rows_keeps_its_columns(tmp_path):
    target = tmp_path / "none.parquet"
    write_partitions(target, "parquet", [findings_frame([])], columns=FINDING_COLUMNS)
    back = pd.read_parquet(target)
    assert list(back.columns) == list(FINDING_COLUMNS) and len(back) == 0


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_a_failure_mid_stream_leaves_no_file(tmp_path, fmt, error):
    frame = findings_frame([("张三", 3, "康保县", {"a": 1})] * 4)

    def partitions():
        yield frame.iloc[:2]
        yield frame.iloc[2:]
        raise error("stop")

    target = tmp_path / f"out.{fmt}"
    with pytest.raises(error):
        write_partitions(target, fmt, partitions())
    assert list(tmp_path.iterdir()) == []

    target.write_bytes(b"an earlier report")
    with pytest.raises(error), open_writer(target, fmt) as writer:
        writer.write(frame)
        raise error("stop")
    assert target.read_bytes() == b"an earlier report"
    assert list(tmp_path.iterdir()) == [target]


def test_a_partition_with_other_columns_is_refused(tmp_path):
    frame = findings_frame([("a", 1, None, None)])
    with pytest.raises(ValueError, match="columns"):
        write_partitions(tmp_path / "x.csv", "csv", [frame, frame.drop(columns="name")])
    assert list(tmp_path.iterdir()) == []


def test_the_file_appears_only_when_closed(tmp_path):
    target = tmp_path / "f.jsonl"
    writer = open_writer(target, "jsonl")
    writer.write(findings_frame([("a", 1, None, None)]))
    assert not target.exists()
    assert writer.close() == target
    assert [p.name for p in tmp_path.iterdir()] == ["f.jsonl"]
    assert target.read_bytes().count(b"\n") == 1


def test_a_plain_table_keeps_its_types_in_parquet():
    table = pd.DataFrame(
        {
            "when": pd.to_datetime(["2019-10-01", None]).tz_localize("Asia/Shanghai"),
            "income": [1200.5, None],
            "poor": [True, False],
            "size": [1, 2],
            "note": ["=1+1", None],
        }
    )
    back = pd.read_parquet(io.BytesIO(render(table, "parquet", key="households", manifest={})))
    assert [str(t) for t in back.dtypes] == [
        "datetime64[us, Asia/Shanghai]", "float64", "bool", "int64", "str",
    ]  # fmt: skip
    assert back["note"].iloc[0] == "=1+1"  # Parquet is data, not a spreadsheet: as it is
    assert back["when"].iloc[0] == table["when"].iloc[0]
