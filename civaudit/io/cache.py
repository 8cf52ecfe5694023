"""A cache of loaded tables, so re-auditing the same files skips the parsing.

``--cache DIR``: each input's normalised tables are stored as Parquet, with a JSON
document of what was read, under a key made of the file's sha256, the civaudit
version and the loading options (sheet, column mapping). An analyst who re-runs a
county under another policy or as-of date reads Parquet instead of parsing
spreadsheets again. A changed file has another sha256, so it is never served stale;
an entry is written to a temporary folder and renamed, so a crash leaves no half
entry. The store knows tables and JSON only; ``roster`` turns them into a Roster.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from civaudit.version import __version__

PLACEHOLDER = "\x00file\x00"
"""Stands for the file's path inside an entry: the same content found under another
path is served from the same entry, with that path put back."""


def cache_key(data: bytes, sheet: str | None, columns: Mapping[str, str] | None) -> str:
    options = json.dumps(
        [__version__, hashlib.sha256(data).hexdigest(), sheet, sorted((columns or {}).items())],
        ensure_ascii=False,
    )
    return hashlib.sha256(options.encode("utf-8")).hexdigest()


def read_entry(entry: Path, tables: tuple[str, ...], name: str) -> tuple[dict, dict] | None:
    """The tables and the JSON document of ``entry`` with the path ``name`` put back,
    or None when there is no usable entry (a damaged one is removed, to be rebuilt)."""
    if not (entry / "meta.json").exists():
        return None
    try:
        frames = {}
        for table in tables:
            frame = pd.read_parquet(entry / f"{table}.parquet")
            if "file" in frame:
                frame["file"] = frame["file"].replace(PLACEHOLDER, name)
            frames[table] = frame
        meta = json.loads((entry / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError):
        shutil.rmtree(entry, ignore_errors=True)
        return None
    return frames, meta


def write_entry(entry: Path, frames: Mapping[str, pd.DataFrame], meta: Any, name: str) -> None:
    """Store ``frames`` (the path ``name`` replaced by the placeholder) and ``meta``
    (already holding the placeholder) as one entry, whole or not at all."""
    entry.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{entry.name}.", dir=entry.parent))
    try:
        for table, frame in frames.items():
            if "file" in frame:
                frame = frame.assign(file=frame["file"].replace(name, PLACEHOLDER))
            frame.to_parquet(tmp / f"{table}.parquet", index=False)
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, entry)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)  # a full disk costs the cache, not the run
