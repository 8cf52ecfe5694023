"""A cache of loaded tables, so re-auditing the same files skips the parsing.

``--cache DIR``: each input's normalised tables are stored as Parquet, with a JSON
document of what was read, under a key made of the file's sha256, the civaudit
version and the loading options (sheet, column mapping). An analyst who re-runs a
county under another policy or as-of date reads Parquet instead of parsing
spreadsheets again. A changed file has another sha256, so it is never served stale;
an entry is written to a temporary folder and renamed, so a crash leaves no half
entry. The store knows tables and JSON only; ``roster`` turns them into a Roster.

``Store``: the folder the entries live in, a local path or, for a cluster's workers
(``pipeline.cluster``), an fsspec URL they all reach (``s3://bucket/work``,
``file:///shared/work``; needs fsspec, which ``civaudit[dask]`` installs). On a URL an
entry's ``meta.json`` is written last and an entry without it is not read, so a crash
leaves no entry that is used.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from civaudit.io.atomic import AtomicFile
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


class Store:
    """A folder of entries and files: a local path (pathlib, renames for atomicity) or
    an fsspec URL (objects written whole; an entry's ``meta.json`` last)."""

    def __init__(self, location: str | Path) -> None:
        self.location = str(location)
        self.remote = "://" in self.location
        self._fs = None

    def __reduce__(self):  # sent to workers as its location only
        return (Store, (self.location,))

    def __repr__(self) -> str:
        return f"Store({self.location!r})"

    @property
    def fs(self):
        if self._fs is None:
            import fsspec

            self._fs, self._root = fsspec.core.url_to_fs(self.location)
        return self._fs

    def path(self, *parts: str) -> str:
        if not self.remote:
            return str(Path(self.location, *parts))
        self.fs  # noqa: B018 (sets the root)
        return "/".join([self._root.rstrip("/"), *parts])

    def child(self, *parts: str) -> Store:
        if not self.remote:
            return Store(Path(self.location, *parts))
        return Store("/".join([self.location.rstrip("/"), *parts]))

    def exists(self) -> bool:
        return self.fs.isdir(self.path()) if self.remote else Path(self.location).is_dir()

    def make(self) -> None:
        if self.remote:
            self.fs.makedirs(self.path(), exist_ok=True)
        else:
            Path(self.location).mkdir(parents=True, exist_ok=True)

    def put(self, name: str, data: bytes) -> None:
        """File ``name`` (``a/b/c``) written whole or not at all."""
        if self.remote:
            target = self.path(name)
            self.fs.makedirs(target.rsplit("/", 1)[0], exist_ok=True)  # object stores: no-op
            self.fs.pipe_file(target, data)
            return
        with AtomicFile(Path(self.location, name)) as out:
            out.write(data)

    def get(self, name: str) -> bytes:
        if self.remote:
            return self.fs.cat_file(self.path(name))
        return Path(self.location, name).read_bytes()

    def names(self, folder: str = "") -> list[str]:
        """The files directly in ``folder``, sorted (none when it does not exist)."""
        if self.remote:
            try:
                found = self.fs.ls(self.path(folder) if folder else self.path(), detail=False)
            except FileNotFoundError:
                return []
            return sorted(p.rstrip("/").rsplit("/", 1)[-1] for p in found)
        where = Path(self.location, folder)
        return sorted(p.name for p in where.iterdir() if p.is_file()) if where.is_dir() else []

    def remove(self) -> None:
        if self.remote:
            with contextlib.suppress(FileNotFoundError):
                self.fs.rm(self.path(), recursive=True)
        else:
            shutil.rmtree(self.location, ignore_errors=True)

    def read_entry(self, key: str, tables: tuple[str, ...], name: str):
        """``read_entry`` of entry ``key`` of this store."""
        if not self.remote:
            return read_entry(Path(self.location, key), tables, name)
        fs = self.fs
        if not fs.exists(self.path(key, "meta.json")):
            return None
        try:
            frames = {}
            for table in tables:
                with fs.open(self.path(key, f"{table}.parquet"), "rb") as source:
                    frame = pd.read_parquet(source)
                if "file" in frame:
                    frame["file"] = frame["file"].replace(PLACEHOLDER, name)
                frames[table] = frame
            meta = json.loads(fs.cat_file(self.path(key, "meta.json")).decode("utf-8"))
        except (OSError, ValueError, KeyError):
            return None
        return frames, meta

    def write_entry(self, key: str, frames: Mapping[str, pd.DataFrame], meta: Any, name: str):
        """``write_entry`` of entry ``key`` of this store."""
        if not self.remote:
            write_entry(Path(self.location, key), frames, meta, name)
            return
        for table, frame in frames.items():
            if "file" in frame:
                frame = frame.assign(file=frame["file"].replace(name, PLACEHOLDER))
            buffer = io.BytesIO()
            frame.to_parquet(buffer, index=False)
            self.put(f"{key}/{table}.parquet", buffer.getvalue())
        self.put(f"{key}/meta.json", json.dumps(meta, ensure_ascii=False).encode("utf-8"))
