"""The crashes of issue 14, each run or refused without a traceback: households named
-, + and = (a row paired twice by the similar-person rule), a header with no data
rows through every command, a policy nested past Python's stack; and the rule
outputs that caused the first (a Series naming a row twice) at the engine's door."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from civaudit.cli import main
from civaudit.rules.registry import hits
from tests.conftest import make_id

HEADER = ["户主姓名", "身份证号", "家庭人口", "月保障金额", "村"]


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err), pytest.raises(SystemExit) as done:
        main(["--debug", *args])  # an internal error raises here, failing the test
    return done.value.code, out.getvalue(), err.getvalue()


@pytest.fixture
def placeholders(xlsx):
    """Three households named -, + and =, one of them an ID a digit away from another
    and the same spoken name and birth date as a third: one row, two partners."""
    valid = make_id(seq="100")
    typo = valid[:16] + str((int(valid[16]) + 1) % 10) + valid[17]
    return xlsx(
        [
            HEADER,
            ["-", make_id(seq="300"), 1, 300, "东村"],
            ["+", valid, 1, 300, "东村"],
            ["-", typo, 1, 300, "东村"],
            ["=", make_id(seq="301"), 1, 300, "东村"],
        ],
        name="placeholders.xlsx",
    )


@pytest.mark.parametrize("command", ["audit", "sample", "assess", "inspect"])
def test_placeholder_names_run(placeholders, command):
    code, _, err = run(command, str(placeholders))
    assert code in (0, 1), err
    assert "Traceback" not in err


def test_a_row_paired_twice_is_one_similar_person_finding(placeholders):
    code, out, _ = run("audit", str(placeholders), "-f", "json", "--select", "dup")
    assert code == 0  # a warning

    findings = json.loads(out)["findings"]
    similar = [f for f in findings if f["rule"] == "dup.similar-person"]
    assert [f["row"] for f in similar] == [4]  # the typo row, once


@pytest.fixture
def header_only(xlsx):
    return xlsx([HEADER], name="header-only.xlsx")


@pytest.mark.parametrize(
    "args",
    [
        ["inspect"],
        ["assess"],
        ["assess", "-f", "json"],
        ["audit"],
        ["audit", "-f", "csv"],
        ["sample", "--seed", "1"],
        ["sample", "--seed", "1", "-f", "json"],
    ],
)
def test_a_header_with_no_rows_runs_through_every_command(header_only, args):
    code, _, err = run(args[0], str(header_only), *args[1:])
    assert code == 0, err


def test_a_header_with_no_rows_diffs_and_writes_every_report(header_only, tmp_path):
    code, _, err = run(
        "diff", str(header_only), str(header_only), "--as-of", "2019-10", "-f", "json"
    )
    assert code == 0, err
    for command in ("audit", "assess", "sample"):
        target = tmp_path / f"{command}.xlsx"
        code, _, err = run(command, str(header_only), "-o", str(target))
        assert code == 0 and target.stat().st_size > 0, err


@pytest.mark.parametrize("depth", [50, 5_000, 100_000])
def test_a_deeply_nested_policy_is_refused_in_one_line(tmp_path, header_only, depth):
    policy = tmp_path / "nested.toml"
    policy.write_text(
        f'[[standard]]\nregion = "13"\nyearly = {"[" * depth}{"]" * depth}\n', encoding="utf-8"
    )
    for args in (
        ["policy", "check", str(policy)],
        ["audit", str(header_only), "--policy", str(policy)],
    ):
        code, _, err = run(*args)
        assert code == 2
        assert err.count("\n") == 1 and err.startswith(f"civaudit: {policy}"), err


def test_a_nested_inline_table_policy_is_refused_in_zh(tmp_path):
    policy = tmp_path / "nested.toml"
    depth = 5_000
    policy.write_text(
        '[[standard]]\nregion = "13"\nyearly = 4800\n[rules]\nseverity = '
        + "{a = " * depth
        + "1"
        + "}" * depth
        + "\n",
        encoding="utf-8",
    )
    code, _, err = run("--lang", "zh", "policy", "check", str(policy))
    assert code == 2 and "嵌套层数过深" in err


# -- the engine's door: a rule's Series that names a row twice ------------------------


@given(
    labels=st.lists(st.integers(0, 5), min_size=1, max_size=12),
    chosen=st.lists(st.integers(0, 5), max_size=6),
)
def test_hits_take_one_value_per_row_whatever_the_labels(labels, chosen):
    """A rule pairing one row with several others hands ``hits`` a Series with that
    row's label more than once: one hit per row of the mask, the first value."""
    index = pd.RangeIndex(6)
    mask = pd.Series(index.isin(chosen), index=index)
    value = pd.Series([f"v{i}" for i in range(len(labels))], index=labels)
    found = hits("members", mask, other=value, scalar=1, array=np.arange(6))
    assert list(found["ref"]) == sorted(set(chosen))
    first = {}
    for position, label in enumerate(labels):
        first.setdefault(label, f"v{position}")
    assert [None if v is None or v != v else v for v in found["other"]] == [
        first.get(r) for r in found["ref"]
    ]


def test_a_baseline_nested_past_the_stack_is_refused_in_one_line(placeholders, tmp_path):
    baseline = tmp_path / "deep.json"
    baseline.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    code, _, err = run("audit", str(placeholders), "--baseline", str(baseline))
    assert code == 2
    assert err.endswith(
        f"civaudit: {baseline}: is not a civaudit JSON report; give a file written with -f json\n"
    )


def test_a_wide_sheet_with_ids_and_no_names_loads(xlsx):
    """Found by the property test: two ID columns (one read as a member slot) and no
    name column: the member rows are compared by ID, with no name to compare."""
    path = xlsx(
        [
            ["施保方式", "身份证号\n(18位)", "身份证号"],
            [None, "1,200", None],
            [None, -2043, None],
            [None, "130723198505051013", None],
            [None, None, None],
        ],
        name="2019年10月花名册.xlsx",
    )
    for command in ("inspect", "assess", "audit", "sample"):
        code, _, err = run(command, str(path))
        assert code in (0, 1), err
