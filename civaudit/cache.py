"""A cache of loaded rosters, so re-auditing the same files skips the parsing.

``--cache DIR``: each input's normalised tables are stored as Parquet under a key
made of the file's sha256, the civaudit version and the loading options (sheet,
column mapping). An analyst who re-runs a county under another policy or as-of
date reads Parquet instead of parsing spreadsheets again. A changed file has
another sha256, so it is never served stale; an entry is written to a temporary
folder and renamed, so a crash leaves no half entry.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from civaudit import __version__
from civaudit.io.header import Column
from civaudit.io.read import SkippedSheet

TABLES = ("households", "members", "totals", "issues")
_PLACEHOLDER = "\x00file\x00"


def cache_key(data: bytes, sheet: str | None, columns: Mapping[str, str] | None) -> str:
    options = json.dumps(
        [__version__, hashlib.sha256(data).hexdigest(), sheet, sorted((columns or {}).items())],
        ensure_ascii=False,
    )
    return hashlib.sha256(options.encode("utf-8")).hexdigest()


def cached(
    path: Path,
    cache_dir: Path,
    *,
    sheet: str | None,
    columns: Mapping[str, str] | None,
    load: Callable[[], object],
):
    """The Roster of ``path`` from the cache, else ``load()`` stored in it."""
    from civaudit.roster import Roster

    key = cache_key(path.read_bytes(), sheet, columns)
    entry = cache_dir / key
    if (entry / "meta.json").exists():
        try:
            return _read(entry, str(path))
        except (OSError, ValueError, KeyError):
            shutil.rmtree(entry, ignore_errors=True)  # a damaged entry is rebuilt
    roster: Roster = load()
    _write(entry, roster, str(path))
    return roster


def _write(entry: Path, roster, name: str) -> None:
    entry.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{entry.name}.", dir=entry.parent))
    try:
        for table in TABLES:
            frame = getattr(roster, table)
            if "file" in frame:
                frame = frame.assign(file=frame["file"].replace(name, _PLACEHOLDER))
            frame.to_parquet(tmp / f"{table}.parquet", index=False)
        meta = {
            "sheets": [{**dataclasses.asdict(s), "file": _PLACEHOLDER} for s in roster.sheets],
            "files": [{**dataclasses.asdict(f), "path": _PLACEHOLDER} for f in roster.files],
        }
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, entry)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)  # a full disk costs the cache, not the run


def _read(entry: Path, name: str):
    from civaudit.roster import FileReport, Roster, SheetReport

    tables = {}
    for table in TABLES:
        frame = pd.read_parquet(entry / f"{table}.parquet")
        if "file" in frame:
            frame["file"] = frame["file"].replace(_PLACEHOLDER, name)
        tables[table] = frame
    meta = json.loads((entry / "meta.json").read_text(encoding="utf-8"))
    sheets = [
        SheetReport(
            **{
                **s,
                "file": name,
                "header_rows": tuple(s["header_rows"]),
                "columns": tuple(Column(**c) for c in s["columns"]),
                "title": tuple(s["title"]),
            }
        )
        for s in meta["sheets"]
    ]
    files = [
        FileReport(
            **{
                **f,
                "path": name,
                "skipped_sheets": tuple(SkippedSheet(**k) for k in f["skipped_sheets"]),
            }
        )
        for f in meta["files"]
    ]
    return Roster(**tables, sheets=sheets, files=files)
