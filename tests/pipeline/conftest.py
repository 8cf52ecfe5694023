"""A generated county of many village files, with problems planted across files and
external lists naming some of its people, and a Dask cluster on the loopback
interface (two worker processes) shared by the engine tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from civaudit.external import load_against
from civaudit.generator import RosterSpec, generate_county
from civaudit.policy import EXAMPLE_POLICY
from civaudit.roster import load_roster

PROBLEMS = {
    "dup.person": 6,
    "dup.bank-account": 3,
    "id.checksum": 2,
    "benefit.mismatch": 3,
    "household.size-mismatch": 2,
    "phaseout.expired": 2,
    "single.not-one": 1,
    "roster.totals-mismatch": 1,
}


@pytest.fixture(scope="session")
def county(tmp_path_factory) -> tuple[Path, list[str]]:
    """The county's folder (one .xlsx per village, 12 villages) and ``--against`` specs
    for a deaths list and a 特困 list naming people of several villages."""
    root = tmp_path_factory.mktemp("county")
    folder = root / "county"
    generate_county(
        RosterSpec(seed=17, members=1500, villages=12, towns=2, split="village",
                   problems=PROBLEMS),
        folder,
    )  # fmt: skip
    (folder / "answer_key.tsv").unlink(missing_ok=True)
    ids = load_roster(folder).members["id_number"].dropna().astype(str)
    ids = ids[ids.str.len() == 18].drop_duplicates()
    picked = ids.iloc[:: max(1, len(ids) // 7)].head(7).tolist()
    lists = root / "lists"
    lists.mkdir()
    deaths = pd.DataFrame({"姓名": "某人", "身份证号码": picked, "死亡日期": "2019-03-01"})
    deaths.to_csv(lists / "deaths.csv", index=False, encoding="utf-8-sig")
    tekun = pd.DataFrame({"姓名": "某人", "身份证号码": picked[1:4]})
    tekun.to_csv(lists / "tekun.csv", index=False, encoding="utf-8-sig")
    return folder, [f"deaths={lists / 'deaths.csv'}", f"tekun={lists / 'tekun.csv'}"]


@pytest.fixture(scope="session")
def against(county):
    return load_against(county[1])[0]


@pytest.fixture(scope="session")
def broken_county(county, tmp_path_factory) -> Path:
    """The county with one file that cannot be read (not a workbook at all)."""
    folder = tmp_path_factory.mktemp("broken") / "county"
    shutil.copytree(county[0], folder)
    (folder / "坏文件.xlsx").write_bytes(b"this is not a workbook\x00\x01")
    return folder


@pytest.fixture(scope="session")
def cluster():
    """A LocalCluster of two single-threaded worker processes on 127.0.0.1."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None, silence_logs=50,
    ) as local:  # fmt: skip
        yield local


@pytest.fixture
def client(cluster):
    distributed = pytest.importorskip("distributed")
    with distributed.Client(cluster, timeout="30s") as connected:
        yield connected


@pytest.fixture(scope="session")
def policy():
    return EXAMPLE_POLICY
