"""Every command on rosters and policies a fuzzer builds: exit 0, 1 or 2, never a
traceback (issue 14).

The rosters are the odd ones hand-kept files hold (``odd_rosters``): a header and no
rows, one column, the same name on every row, households named -, + and =, blank
columns, the whole sheet merged into one cell. Each is written as a real .xlsx or
.csv and run through ``civaudit`` in-process with ``--debug``, so an internal error
fails the test with its traceback (and Hypothesis shrinks it) instead of exit 3:
inspect, assess, audit, sample and diff on the rosters (in every output format);
policy check, audit --policy, policy show and rules on the policies.

The example count is bounded in an ordinary run (CI); for a long hunt:

    pytest --hypothesis-profile=long tests/property
"""

from __future__ import annotations

import io
import re
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from civaudit.cli import main
from tests.property.odd_rosters import odd_policies, odd_rosters, write_roster


def examples(bounded: int) -> int:
    """``bounded`` examples in an ordinary run; the profile's count under ``long``."""
    if settings.get_current_profile_name() == "long":
        return settings().max_examples
    return bounded


def run(args: list[str]) -> tuple[int, str, str]:
    """``civaudit --debug ARGS`` in-process: (exit code, stdout, stderr). An internal
    error is raised (``--debug``), so it fails the test with its traceback."""
    out, err = io.StringIO(), io.StringIO()
    code: object = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main(["--debug", *args])
        except SystemExit as exc:
            code = exc.code
    return (code if isinstance(code, int) else 1 if code else 0), out.getvalue(), err.getvalue()


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def check(args: list[str], *, table: bool = False) -> int:
    code, out, err = run(args)
    if table:  # the rich table too
        assert not _CONTROL.search(out.replace("\n", "")), repr(out)
    assert code in (0, 1, 2), f"civaudit {' '.join(args)} exited {code}:\n{err}"
    assert "Traceback" not in err, err
    if code == 2:
        last = err.rstrip("\n").splitlines()[-1]
        assert last.startswith("civaudit: "), err
        assert "internal error" not in last and "内部错误" not in last, err
    # what reaches the terminal holds no control characters from the cells
    assert not _CONTROL.search(err), repr(err)
    return code


FORMATS = ("table", "json", "jsonl", "csv", "parquet", "md", "xlsx")


@settings(max_examples=examples(60))
@given(
    roster=odd_rosters(),
    other=odd_rosters(),
    fmt=st.sampled_from(FORMATS),
    lang=st.sampled_from(("en", "zh")),
    as_of=st.sampled_from((None, "2019-10", "2019-10-31")),
)
def test_every_command_runs_or_refuses_on_odd_rosters(roster, other, fmt, lang, as_of):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = str(write_roster(folder / "new", roster))
        old = str(write_roster(folder / "old", other))
        month = ["--as-of", as_of] if as_of else []

        def output(name: str) -> list[str]:
            if fmt in ("xlsx", "parquet"):  # binary: to a file
                return ["-o", str(folder / f"{name}.{fmt}")]
            return ["-f", fmt]

        common = ["-j", "1", *month]
        table = fmt == "table"
        inspect_format = ["-f", "json"] if fmt == "json" else []
        check(["--lang", lang, "inspect", path, *inspect_format], table=not inspect_format)
        check(["--lang", lang, "assess", path, *common, *output("assess")], table=table)
        check(["--lang", lang, "audit", path, *common, *output("audit")], table=table)
        sample = ["sample", path, "--seed", "7", *common, *output("sample")]
        check(["--lang", lang, *sample], table=table)
        check(["--lang", lang, "diff", old, path, *common, *output("diff")], table=table)
        check(["--lang", lang, "audit", old, path, *common, "-f", "json"])


@settings(max_examples=examples(300))
@given(text=odd_policies(), lang=st.sampled_from(("en", "zh")))
def test_policy_check_and_audit_agree_on_odd_policies(text, lang):
    """``policy check`` refuses in one line what audit would refuse, and a policy it
    accepts is one audit runs with (no policy error only at audit time)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        policy = folder / "policy.toml"
        policy.write_text(text, encoding="utf-8")
        roster = folder / "roster.csv"
        roster.write_text("户主姓名,身份证号,家庭人口,月保障金额\n张三,-,1,300\n", encoding="utf-8")
        checked = check(["--lang", lang, "policy", "check", str(policy)])
        audited = run(["--lang", lang, "audit", str(roster), "--policy", str(policy), "-j", "1"])
        assert audited[0] in (0, 1, 2), audited[2]
        if checked == 0:
            assert audited[0] in (0, 1), f"policy check passed but audit refused:\n{audited[2]}"
            assert check(["--lang", lang, "policy", "show", "--policy", str(policy)]) == 0
            assert check(["--lang", lang, "rules"]) == 0
        else:
            assert audited[0] == 2, f"policy check refused but audit ran:\n{audited[2]}"
