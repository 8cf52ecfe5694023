"""--cache: loaded tables stored as Parquet by sha256 and read back identical."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from civaudit import load_roster

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"


def test_cache_round_trip_is_identical_and_follows_the_path(tmp_path):
    cache = tmp_path / "cache"
    fresh = load_roster(SAMPLE, cache=cache)
    assert len(list(cache.iterdir())) == len(fresh.files)  # one entry per file
    again = load_roster(SAMPLE, cache=cache)
    for table in ("households", "members", "totals", "issues"):
        pd.testing.assert_frame_equal(
            getattr(fresh, table), getattr(again, table), check_dtype=False
        )
    assert again.sheets == fresh.sheets and again.files == fresh.files
    moved = tmp_path / "moved"
    shutil.copytree(SAMPLE, moved)
    copy = load_roster(moved, cache=cache)
    assert len(list(cache.iterdir())) == len(fresh.files)  # same content: from the cache
    assert set(copy.households["file"]).isdisjoint(set(fresh.households["file"]))
    assert all(f.path.startswith(str(moved)) for f in copy.files)


def test_a_changed_file_is_loaded_again(tmp_path, xlsx):
    from tests.conftest import make_id

    path = xlsx([["姓名", "身份证号"], ["张三", make_id()]])
    cache = tmp_path / "cache"
    assert list(load_roster(path, cache=cache).households["head_name"]) == ["张三"]
    xlsx([["姓名", "身份证号"], ["李四", make_id()]])
    assert list(load_roster(path, cache=cache).households["head_name"]) == ["李四"]


def test_a_stored_file_is_whole_and_readable_by_the_other_workers(tmp_path):
    import os
    import stat

    from civaudit.io.cache import Store

    store = Store(str(tmp_path / "work"))
    store.put("run/a/part.pkl", b"x" * 1000)
    target = tmp_path / "work" / "run" / "a" / "part.pkl"
    assert target.read_bytes() == b"x" * 1000
    assert store.names("run/a") == ["part.pkl"]  # no temporary file left beside it
    if os.name == "posix":  # mkstemp's private 0600 would shut out a worker of another user
        mask = os.umask(0)
        os.umask(mask)
        assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
