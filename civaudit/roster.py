"""The Roster: households and members of one or many files, every row traceable.

``load_roster`` runs the loading pipeline in one direction: read cells -> find the
header -> map columns -> split data rows from titles, totals and footers ->
normalise values -> household and member tables. Each row carries ``file``,
``sheet`` and ``row`` (the Excel row a user sees); the ``columns`` table gives the
column letter of every field, so any value's cell is ``letter + row``.

Files are read, and their headers and rows found, one by one (in worker processes
with ``jobs``); the sheets of a batch of files are then parsed together
(``io.tables`` stacks them). The steps across files run on the combined tables
afterwards: the information system's export pairs (a household file and a person
file) are joined there (``io.pairs``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import multiprocessing
import re
import signal
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from civaudit.errors import CivauditError, LoadError, MappingError
from civaudit.io.cache import PLACEHOLDER, Store, cache_key
from civaudit.io.grid import SkippedSheet, Workbook
from civaudit.io.header import Clash, Column, clashes_of, detect_header
from civaudit.io.layout import SheetCapture, capture_sheet
from civaudit.io.members import numbered_aliases, numbered_columns, spread_members
from civaudit.io.memory import release_freed_memory
from civaudit.io.months import sheet_month
from civaudit.io.pairs import Pairing, pair_exports
from civaudit.io.read import read_workbook, scan_inputs
from civaudit.io.rows import SKIP_REASONS, split_rows
from civaudit.io.tables import ISSUE_COLUMNS, SheetRows, build_tables
from civaudit.limits import Limits
from civaudit.place import place_roster

# Workers pay off only when the load they take off the main process exceeds what
# they cost (spawn, imports, pickling the tables back): about 2.5 s, the time to load
# 16 MB of workbooks. Measured: an export pair of 2 x 6 MB loads in 2.1 s in one
# process and in 3.6 s in two workers on two cores.
PARALLEL_MIN_BYTES = 16_000_000
PARALLEL_MIN_SECONDS = 2.5
BYTES_PER_SECOND = PARALLEL_MIN_BYTES / PARALLEL_MIN_SECONDS
SECONDS_PER_FILE = 0.025  # reading, header, row split, its share of a stack: per small file
CHUNKS_PER_WORKER = 8  # enough chunks to balance the workers, few enough to be cheap
STACK_FILES = 50  # files whose sheets are parsed together (see _load_batches)
STACK_ROWS = 100_000

_MONTH_IN_TITLE = re.compile(r"(19\d{2}|20\d{2})\s*年\s*(1[0-2]|0?[1-9])\s*月")


@dataclass(frozen=True)
class SheetReport:
    """What was found in one roster sheet: the answer to "what did you read?"."""

    file: str
    sheet: str
    header_rows: tuple[int, ...]
    columns: tuple[Column, ...]
    title: tuple[str, ...]
    layout: str
    rows_read: int
    rows_kept: int
    skipped: dict[str, int]
    households: int
    members: int
    month: str | None = None  # the sheet's month from its name or title (io.months)

    @property
    def clashes(self) -> tuple[Clash, ...]:
        """Columns claiming one field that nothing decided between (the first is read)."""
        return clashes_of(self.columns)

    capture: SheetCapture | None = field(default=None, repr=False, compare=False)
    """The first rows of the sheet as a faithful copy needs them (``load_roster(...,
    keep_rows=N)``; None otherwise)."""

    @property
    def title_month(self) -> str | None:
        """The roster month named in the title ("2019年10月" -> "2019-10"), if any."""
        for text in self.title:
            match = _MONTH_IN_TITLE.search(text)
            if match:
                return f"{match.group(1)}-{int(match.group(2)):02d}"
        return None


@dataclass(frozen=True)
class FileReport:
    path: str
    kind: str | None
    sha256: str | None
    size: int | None
    encoding: str | None = None
    skipped_sheets: tuple[SkippedSheet, ...] = ()
    error: str | None = None  # set when the file could not be loaded (on_error="skip")


@dataclass
class Roster:
    households: pd.DataFrame
    members: pd.DataFrame
    totals: pd.DataFrame  # totals rows kept aside for the cross-check
    issues: pd.DataFrame  # cells that could not be read, or were ambiguous
    sheets: list[SheetReport] = field(default_factory=list)
    files: list[FileReport] = field(default_factory=list)
    pairing: Pairing | None = None  # export pairs joined across files (io.pairs)
    places: pd.DataFrame | None = None  # per sheet: county/town/village and their sources

    @property
    def columns(self) -> pd.DataFrame:
        """One row per source column: file, sheet, letter, header, field, how mapped."""
        return pd.DataFrame(
            [
                {
                    "file": s.file,
                    "sheet": s.sheet,
                    "column": c.letter,
                    "header": c.header,
                    "field": c.field,
                    "how": c.how,
                }
                for s in self.sheets
                for c in s.columns
            ],
            columns=["file", "sheet", "column", "header", "field", "how"],
        )


def load_roster(
    paths: str | Path | Iterable[str | Path],
    *,
    sheet: str | None = None,
    columns: Mapping[str, str] | None = None,
    on_error: str = "raise",
    progress: Callable[[Path, int, int], None] | None = None,
    jobs: int = 1,
    cache: str | Path | None = None,
    keep_rows: int = 0,
    limits: Limits | None = None,
) -> Roster:
    """Load roster files (or folders, searched recursively) into one Roster.

    ``columns`` maps fields to header texts or column letters when the automatic
    mapping gets one wrong (``{"id_number": "公民身份号码"}``). With
    ``on_error="skip"`` a file that cannot be loaded is listed in ``Roster.files``
    with its error instead of stopping the load; so is a link in a folder that
    cannot be followed (broken, or in a loop), which otherwise stops it too.
    ``progress(path, done, total)`` is called after each file (the CLI draws its
    progress bar with it).

    ``jobs`` > 1 loads files in that many worker processes (spawn-safe, so it works on
    Windows). Files are combined in path order, so the result depends neither on
    the order the paths were given in nor on ``jobs``. Export pairs (a household
    file and a person file of the information system) are then joined into one
    roster (``io.pairs``; ``Roster.pairing`` says what joined).

    ``cache`` (a folder) keeps each file's loaded tables as Parquet keyed by the
    file's sha256 and the options, so loading the same files again skips parsing.

    ``keep_rows`` > 0 keeps, in each ``SheetReport.capture``, the first rows of every
    roster sheet with their cell types, number formats, merged ranges and column
    widths (``io.layout``): what the xlsx report copies. Files served from the cache
    have none.

    ``limits`` bound what one file may cost (``civaudit.limits``; the defaults when
    None): a file past one is refused with a LoadError naming the limit.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files, unread = scan_inputs([Path(p) for p in paths])
    if unread and (on_error != "skip" or not files):  # a link that cannot be followed
        raise unread[0][1]
    if not files:
        raise LoadError(
            f"{', '.join(str(p) for p in paths)}: no spreadsheet files found",
            "give .xlsx .xlsm .xls .xlsb .ods or .csv files, or a folder holding them",
        )
    files = sorted(set(files), key=lambda p: p.as_posix())
    cache = Path(cache) if cache is not None else None
    parts: dict[int, Roster] = {}
    done = 0
    # closed here when an error stops the loop, not by the garbage collector in whatever
    # thread it runs (the pool's own thread cannot join itself)
    with contextlib.closing(
        _load_all(files, sheet, columns, jobs, cache, keep_rows, limits or Limits())
    ) as load:
        for number, chunk, part, errors in load:
            if errors and on_error != "skip":
                raise errors[0]
            parts[number] = part
            done += len(chunk)
            if progress is not None:
                progress(chunk[-1], done, len(files))
    roster = combine([parts[n] for n in sorted(parts)])
    release_freed_memory()  # the grids the files were read into are gone by now
    # links a folder held that could not be followed: listed as not read, with why
    roster.files += [FileReport(str(p), None, None, None, error=str(e)) for p, e in unread]
    return place_roster(join_pairs(roster))


def join_pairs(roster: Roster) -> Roster:
    """The roster with its export pairs joined (a cross-file step over the combined
    tables; a roster without a pair comes back as it was)."""
    households, members, pairing = pair_exports(roster.households, roster.members, roster.sheets)
    if pairing is None:
        return roster
    _household_keys(households)
    roster.households, roster.members, roster.pairing = households, members, pairing
    return roster


def _load_all(
    files: list[Path], sheet, columns, jobs: int, cache: Path | None, keep_rows: int, limits
):
    """(chunk number, its paths, their combined Roster, their errors), as chunks finish.

    Workers load chunks of files, not single files: with thousands of village files
    the cost per task (pickling a result, combining it) matters as much as the load.
    """
    workers = min(jobs, len(files))
    # a file costs ~0.025 s of fixed work plus ~2.5 s per 16 MB of workbook
    work = len(files) * SECONDS_PER_FILE + sum(p.stat().st_size for p in files) / BYTES_PER_SECOND
    if workers < 2 or work * (1 - 1 / workers) < PARALLEL_MIN_SECONDS:
        batches = _load_batches(files, sheet, columns, cache, keep_rows, limits)
        for number, batch in enumerate(batches):
            yield (number, *batch)
        return
    size = max(1, math.ceil(len(files) / (workers * CHUNKS_PER_WORKER)))
    chunks = [files[i : i + size] for i in range(0, len(files), size)]
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_ignore_interrupts
    )
    try:
        futures = {
            pool.submit(_load_chunk, chunk, sheet, columns, cache, keep_rows, limits): (
                number,
                chunk,
            )
            for number, chunk in enumerate(chunks)
        }
        for future in as_completed(futures):
            number, chunk = futures[future]
            yield (number, chunk, *future.result())
    finally:  # a run stopped by an error does not load the chunks not yet started
        pool.shutdown(wait=True, cancel_futures=True)


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the main process (which stops the run and exits 130):
    a terminal sends SIGINT to the whole process group, and a worker's traceback per
    CPU would bury the one line that matters."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _load_chunk(
    paths: list[Path], sheet, columns, cache: Path | None, keep_rows: int = 0, limits=None
) -> tuple[Roster, list[CivauditError]]:
    """Worker entry point: the files combined in path order, and the errors as values
    (they pickle; tracebacks don't)."""
    batches = list(_load_batches(paths, sheet, columns, cache, keep_rows, limits))
    return combine([b[1] for b in batches]), [e for b in batches for e in b[2]]


def _load_batches(
    paths: list[Path], sheet, columns, cache: Path | None, keep_rows: int = 0, limits=None
) -> Iterator[tuple[list[Path], Roster, list[CivauditError]]]:
    """(paths, their Roster, their errors) for batches of consecutive files.

    The sheets of a batch are parsed together (``io.tables`` stacks sheets that map
    the same fields), which is what makes a folder of small village files fast. A
    batch ends after STACK_FILES files or STACK_ROWS data rows, so big files are
    let go soon and a progress bar still moves.
    """
    batch: list[Path] = []
    items: list[_Prepared | Roster | CivauditError] = []
    rows = 0
    for number, path in enumerate(paths):
        try:
            item = _prepare_or_cached(path, sheet, columns, cache, keep_rows, limits)
        except CivauditError as exc:
            item = exc
        if isinstance(item, _Prepared):
            rows += sum(len(s.rows.data) for s in item.sheets)
        batch.append(path)
        items.append(item)
        if len(batch) >= STACK_FILES or rows >= STACK_ROWS or number == len(paths) - 1:
            errors = [i for i in items if isinstance(i, CivauditError)]
            yield batch, _build(batch, items), errors
            batch, items, rows = [], [], 0


def _prepare_or_cached(
    path: Path,
    sheet: str | None,
    columns: Mapping[str, str] | None,
    cache: Path | Store | None,
    keep_rows: int = 0,
    limits: Limits | None = None,
) -> _Prepared | Roster:
    """The file read and split for a batch, or (with a cache) its whole Roster, from the
    cache or loaded alone and stored there."""
    if cache is None:
        return _prepare(path, sheet, columns, keep_rows, limits)
    store = cache if isinstance(cache, Store) else Store(cache)
    key = cache_key(path.read_bytes(), sheet, columns)
    found = store.read_entry(key, _CACHED_TABLES, str(path))
    if found is not None:
        with contextlib.suppress(TypeError, KeyError):
            return _from_entry(*found, name=str(path))
    roster = load_file(path, sheet=sheet, columns=columns, limits=limits)
    meta = {
        "sheets": [{**dataclasses.asdict(s), "file": PLACEHOLDER} for s in roster.sheets],
        "files": [{**dataclasses.asdict(f), "path": PLACEHOLDER} for f in roster.files],
    }
    frames = {table: getattr(roster, table) for table in _CACHED_TABLES}
    store.write_entry(key, frames, meta, str(path))
    return roster


_CACHED_TABLES = ("households", "members", "totals", "issues")


def _from_entry(frames: dict, meta: dict, *, name: str) -> Roster:
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
    return Roster(**frames, sheets=sheets, files=files)


@dataclass
class _PreparedSheet:
    rows: SheetRows
    header_rows: tuple[int, ...]
    columns: tuple[Column, ...]
    title: tuple[str, ...]
    rows_read: int
    skipped: dict[str, int]
    rows_kept: int  # data rows (a wide or list sheet spreads each over its members)
    capture: SheetCapture | None = None


@dataclass
class _Prepared:
    """A file read, and its roster sheets' headers found and rows split."""

    report: FileReport
    sheets: list[_PreparedSheet]


def load_file(
    path: Path,
    *,
    sheet: str | None = None,
    columns: Mapping[str, str] | None = None,
    limits: Limits | None = None,
) -> Roster:
    """Load every roster sheet of one file. Sheets with no roster header are skipped
    and listed; a file with no roster sheet at all is a MappingError."""
    return place_roster(_build([path], [_prepare(path, sheet, columns, limits=limits)]))


def _prepare(
    path: Path,
    sheet: str | None,
    columns: Mapping[str, str] | None,
    keep_rows: int = 0,
    limits: Limits | None = None,
) -> _Prepared:
    book = read_workbook(path, sheet=sheet, limits=limits)
    name = str(path)
    skipped = list(book.skipped)
    sheets: list[_PreparedSheet] = []
    first_error: MappingError | None = None
    n_sheets = len(book.sheets)
    while book.sheets:  # each grid is let go as soon as its rows are split
        grid = book.sheets.pop(0)
        sheet_name, numeric, cells = grid.name, grid.numeric, grid.cells
        del grid
        where = f"{name}: sheet '{sheet_name}'" if book.kind != "csv" else name
        try:
            header = _header(cells, where, columns)
        except MappingError as exc:
            first_error = first_error or exc
            skipped.append(SkippedSheet(sheet_name, "no-roster-header", exc.message))
            continue
        header, numbered = numbered_columns(header)
        split = split_rows(cells, header)
        rows_read = int(cells.index.max())
        capture = None
        if keep_rows > 0:
            capture = capture_sheet(
                path, book.kind, sheet_name, cells, numeric=numeric, rows=keep_rows
            )
        del cells
        counts = split.skipped.value_counts()
        rows, shown = spread_members(
            SheetRows(split.data, split.totals, header, name, sheet_name, numeric), numbered
        )
        sheets.append(
            _PreparedSheet(
                rows,
                header_rows=header.rows,
                columns=shown,
                title=header.title,
                rows_read=rows_read,
                skipped={r: int(counts.get(r, 0)) for r in SKIP_REASONS if counts.get(r, 0)},
                rows_kept=len(split.data),
                capture=capture,
            )
        )
    if not sheets:
        if first_error is not None and n_sheets == 1:
            raise first_error
        raise MappingError(
            f"{name}: no sheet holds a roster"
            + (f" ({first_error.message.split(': ', 1)[-1]})" if first_error else ""),
            first_error.hint if first_error else "check the file holds the roster",
        )
    return _Prepared(_report(book, skipped), sheets)


def _header(cells: pd.DataFrame, where: str, columns: Mapping[str, str] | None):
    """The sheet's header; a wide ledger whose only people are numbered members
    (成员一姓名 …, no 户主 columns) is found with those headers as aliases."""
    try:
        return detect_header(cells, where=where, columns=columns)
    except MappingError:
        extra = numbered_aliases(cells)
        if not extra:
            raise
        return detect_header(cells, where=where, columns=columns, aliases=extra)


def _build(paths: list[Path], items: list[_Prepared | Roster | CivauditError]) -> Roster:
    """One Roster of prepared files (their sheets parsed together), cached Rosters and
    failed files, in the order given."""
    parts = [item for item in items if isinstance(item, Roster)]  # from the cache
    sheets = [s for p in items if isinstance(p, _Prepared) for s in p.sheets]
    if sheets:
        tables = build_tables([s.rows for s in sheets])
        reports = [
            SheetReport(
                file=s.rows.file,
                sheet=s.rows.sheet,
                header_rows=s.header_rows,
                columns=s.columns,
                title=s.title,
                layout=tables.layouts[i],
                rows_read=s.rows_read,
                rows_kept=s.rows_kept,
                skipped=s.skipped,
                households=int(tables.household_counts[i]),
                members=int(tables.member_counts[i]),
                month=sheet_month(s.rows.sheet, s.title, s.rows.file),
                capture=s.capture,
            )
            for i, s in enumerate(sheets)
        ]
        _set_scheme(tables.households, tables.members)
        parts.append(
            Roster(tables.households, tables.members, tables.totals, tables.issues, reports)
        )
    roster = combine(parts)
    roster.files = [
        file
        for path, item in zip(paths, items, strict=True)
        for file in (
            [item.report]
            if isinstance(item, _Prepared)
            else item.files
            if isinstance(item, Roster)
            else [FileReport(str(path), None, None, None, error=str(item))]
        )
    ]
    return roster


_URBAN = re.compile(r"城市|城镇|城保")
_RURAL = re.compile(r"农村|农保|乡村")


def scheme_of(path: Path) -> str | None:
    """'urban' (城市低保, 城保) or 'rural' (农村低保, 农保) as the file name, or the
    nearest folder name that says, names it; else None."""
    for part in (path.name, *(p.name for p in path.parents)):
        if _RURAL.search(part):
            return "rural"
        if _URBAN.search(part):
            return "urban"
    return None


def _set_scheme(households: pd.DataFrame, members: pd.DataFrame) -> None:
    """Urban or rural dibao for each household: its 城乡类别 cell, else the file or
    folder name (城市低保…/农村低保…), else unknown. Duplicates across the two
    schemes are the ones the rectification looks for."""
    files = households["file"].astype("category")
    by_file = np.array([scheme_of(Path(f)) for f in files.cat.categories] + [None], dtype=object)
    from_name = pd.Series(
        by_file[files.cat.codes.to_numpy()], index=households.index, dtype="string"
    )
    if "scheme" in households:
        text = households["scheme"].astype("string")
        cell = text.str.contains(_RURAL).fillna(False)
        urban = text.str.contains(_URBAN).fillna(False) & ~cell
        scheme = pd.Series(pd.NA, index=households.index, dtype="string")
        scheme[cell.astype(bool)] = "rural"
        scheme[urban.astype(bool)] = "urban"
        households["scheme"] = scheme.fillna(from_name)
    else:
        households["scheme"] = from_name
    members["scheme"] = members["hh"].map(households.set_index("hh")["scheme"]).astype("string")


def _report(book: Workbook, skipped: list[SkippedSheet]) -> FileReport:
    return FileReport(
        str(book.path), book.kind, book.sha256, book.size, book.encoding, tuple(skipped)
    )


def combine(parts: list[Roster]) -> Roster:
    """One Roster from many, renumbering households so ``hh`` stays unique."""
    households, members, offset = [], [], 0
    for part in parts:
        if len(part.households):
            households.append(part.households.assign(hh=part.households["hh"] + offset))
            members.append(part.members.assign(hh=part.members["hh"] + offset))
            offset += int(part.households["hh"].max()) + 1
    issues = [p.issues for p in parts if len(p.issues)]
    totals = [p.totals for p in parts if len(p.totals)]
    roster = Roster(
        households=_concat(households, ["file", "sheet", "row", "hh"]),
        members=_concat(members, ["file", "sheet", "row", "hh"]),
        totals=_concat(totals, ["file", "sheet", "row", "label"]),
        issues=_concat(issues, ISSUE_COLUMNS),
        sheets=[s for p in parts for s in p.sheets],
        files=[f for p in parts for f in p.files],
    )
    _household_keys(roster.households)
    return roster


def _household_keys(households: pd.DataFrame) -> None:
    """The ``household`` column: certificate number, else the head's ID, else sheet!row.
    A roster with no households still has the column (empty), so every step after the
    loader can rely on it: a header-only roster is a roster, not a special case."""
    if not len(households):
        households["household"] = pd.Series(dtype="object", index=households.index)
    else:
        key = households.get("cert_no")
        fallback = households.get("head_id_number")
        display = key if key is not None else fallback
        if display is not None and fallback is not None and key is not None:
            display = key.fillna(fallback)
        place = households["sheet"].astype(str) + "!" + households["row"].astype(str)
        households["household"] = display.fillna(place) if display is not None else place


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    return pd.concat(frames, ignore_index=True)
