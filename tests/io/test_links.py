"""Folder scans and links (issue 14): a link that cannot be followed (its target gone,
a loop, a link back into a folder already searched) is listed as not read with the
reason, never dropped silently; a linked folder is followed; a file met twice is
read once."""

from __future__ import annotations

import io
import os
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from civaudit import load_roster
from civaudit.cli import main
from civaudit.errors import LoadError
from civaudit.io.read import find_inputs, scan_inputs
from tests.conftest import make_id, write_xlsx

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges")


@pytest.fixture
def folder(tmp_path) -> Path:
    """One roster, a dangling link, a file linked to itself, a folder linked to
    itself, a link back to the top folder, and a linked folder holding a roster."""
    top = tmp_path / "rosters"
    (top / "sub").mkdir(parents=True)
    write_xlsx(
        top / "东村.xlsx",
        [["户主姓名", "户主身份证号", "家庭人口"], ["张三", make_id(seq="131"), 1]],
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    write_xlsx(
        elsewhere / "西村.xlsx",
        [["户主姓名", "户主身份证号", "家庭人口"], ["李四", make_id(seq="171"), 1]],
    )
    os.symlink("gone.xlsx", top / "断链.xlsx")
    os.symlink("self.xlsx", top / "self.xlsx")
    os.symlink("loop", top / "loop")
    os.symlink("..", top / "sub" / "up")
    os.symlink(elsewhere, top / "linked")
    os.symlink(top / "东村.xlsx", top / "sub" / "again.xlsx")  # the same file twice
    os.symlink("gone", top / ".#editor-lock")  # an editor's lock link: not a roster
    return top


def test_scan_lists_what_it_cannot_follow(folder):
    found, unread = scan_inputs([folder])
    # 东村.xlsx once, at its own path (sub/again.xlsx, met first, links to it)
    assert sorted(p.relative_to(folder).as_posix() for p in found) == [
        "linked/西村.xlsx",
        "东村.xlsx",
    ]
    reasons = {p.relative_to(folder).as_posix(): str(e) for p, e in unread}
    assert sorted(reasons) == ["loop", "self.xlsx", "sub/up", "断链.xlsx"]
    assert "is a link to gone.xlsx, which does not exist" in reasons["断链.xlsx"]
    assert "is a link in a loop (it leads back to itself)" in reasons["self.xlsx"]
    assert "is a link in a loop" in reasons["loop"]
    assert "is a link back to the folder" in reasons["sub/up"] and "(a loop)" in reasons["sub/up"]
    assert find_inputs([folder]) == found


def test_audit_lists_them_as_not_audited(folder):
    roster = load_roster(folder, on_error="skip")
    assert len(roster.households) == 2
    failed = sorted(Path(f.path).name for f in roster.files if f.error)
    assert failed == ["loop", "self.xlsx", "up", "断链.xlsx"]
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err), pytest.raises(SystemExit) as e:
        main(["--lang", "zh", "audit", str(folder), "-f", "json"])
    assert e.value.code == 1  # not everything could be read
    lines = [line for line in err.getvalue().splitlines() if "未核查" in line]
    assert len(lines) == 4
    assert any("断链.xlsx：是指向 gone.xlsx 的链接，而该目标不存在" in line for line in lines)


def test_the_strict_commands_refuse_naming_the_link(folder):
    with pytest.raises(LoadError, match="is a link"):
        load_roster(folder)
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err), pytest.raises(SystemExit) as e:
        main(["assess", str(folder)])
    assert e.value.code == 2
    assert err.getvalue().count("\n") == 1 and "is a link" in err.getvalue()


def test_a_folder_of_broken_links_only_is_refused_with_the_first(tmp_path):
    os.symlink("gone.xlsx", tmp_path / "a.xlsx")
    with pytest.raises(LoadError, match=r"a\.xlsx: is a link to gone\.xlsx"):
        load_roster(tmp_path, on_error="skip")


def test_a_broken_link_given_by_name_is_listed_not_missing(tmp_path):
    os.symlink("gone.xlsx", tmp_path / "a.xlsx")
    found, unread = scan_inputs([tmp_path / "a.xlsx"])
    assert found == [] and "is a link to gone.xlsx" in str(unread[0][1])


def test_a_folder_tree_thousands_deep_is_searched_without_recursion(tmp_path):
    deep = tmp_path
    for _ in range(1100):  # deeper than Python's recursion limit, within PATH_MAX
        deep = deep / "d"
        deep.mkdir()  # one by one: mkdir(parents=True) recurses
    write_xlsx(deep / "村.xlsx", [["户主姓名", "户主身份证号"], ["张三", make_id(seq="131")]])
    try:
        found, unread = scan_inputs([tmp_path])
        assert found == [deep / "村.xlsx"] and unread == []
    finally:  # bottom up, one by one: pytest's recursive cleanup would hit the same limit
        (deep / "村.xlsx").unlink()
        while deep != tmp_path:
            deep.rmdir()
            deep = deep.parent


def test_links_between_sibling_folders_search_each_folder_once(tmp_path):
    """Every folder linking to every other: each real folder once, no blow-up."""
    names = [f"f{i}" for i in range(8)]
    for name in names:
        (tmp_path / name).mkdir()
        write_xlsx(tmp_path / name / "村.xlsx", [["户主姓名", "户主身份证号"], ["张三", "1"]])
    for name in names:
        for other in names:
            if other != name:
                os.symlink(tmp_path / other, tmp_path / name / f"to-{other}")
    found, _ = scan_inputs([tmp_path])
    assert sorted(p.parent.name for p in found) == names
