"""The two stages of an audit, each a function over DataFrames, used by both engines.

**Per-file stage** (``check_unit``): one input file read, its header found, its
columns mapped, its rows split and its values normalised; its tables (households,
members, totals, issues) are stored as Parquet in a work folder, in the format of
the loading cache (``civaudit.io.cache``: an entry per file, keyed by its sha256 and
the loading options). The file's own failure is a value (``Unit.error``), never a
traceback, so a file that cannot be read is reported as the local engine reports it.

**Cross-file stage** (``check_roster``): the units' tables combined in path order,
the export pairs joined (``io.pairs``), places found, each household assessed at its
file's month and the rules run (``auditing.audit_months``). The rules that need other
files run here: ``dup.*``, ``ext.*`` (the external lists), ``village.*``, ``change.*``
of monthly workbooks and ``single.multiple``, besides those that look at one
household or one file.

Interface, as both engines call it::

    unit = check_unit(path, sheet=..., columns=..., work_dir=...)     # per file
    roster = read_units(units, sheet=..., columns=..., work_dir=...)  # tables back
    outcome = check_roster(roster, policy, as_of=..., against=..., select=..., ...)

The local engine loads the files with ``roster.load_roster`` (its process pool stacks
the sheets of many small files, which is faster than one file at a time) and calls
``check_roster`` on the whole roster; the Dask engine runs ``check_unit`` as a task per
file on the workers and the cross-file stage in shards (``pipeline.shards``): the
decisions global to a run (the main month, each rule run or skipped) made once from
facts merged over the files, then the rules run per file group and per bucket of their
key (ID number, bank account, village), so no worker holds the whole roster.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from civaudit.asof import RosterMonths, resolve_months
from civaudit.auditing import audit_months
from civaudit.errors import CivauditError, LoadError
from civaudit.findings import Report
from civaudit.io.cache import Store, cache_key
from civaudit.io.read import find_inputs
from civaudit.limits import Limits
from civaudit.place import place_roster
from civaudit.policy.model import Policy
from civaudit.roster import FileReport, Roster, _prepare_or_cached, combine, join_pairs


@dataclass(frozen=True)
class Unit:
    """One input file after the per-file stage: where its tables are (``entry``, a
    folder of the work dir; None when it failed), its error as a value, and its size."""

    path: str
    entry: str | None
    error: CivauditError | None = None
    households: int = 0
    members: int = 0
    sheets: tuple = ()
    """The file's sheet reports (``io.read``): which sheets are halves of an export."""
    columns: Mapping[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    """Each table's columns: the run's tables have every file's (``pipeline.shards``)."""


@dataclass(frozen=True)
class Outcome:
    """What the cross-file stage gives back: the Report, the monthly workbooks' split
    (``series``), each file's month and the roster (``thin`` when it came from a worker:
    its sheets, files and pairing, the households' keys and head names only)."""

    report: Report
    series: list
    months: RosterMonths
    roster: Roster


def input_files(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    """The files of a run, in the order the local engine combines them (by path)."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    paths = [Path(p) for p in paths]
    files = find_inputs(paths)
    if not files:
        raise LoadError(
            f"{', '.join(str(p) for p in paths)}: no spreadsheet files found",
            "give .xlsx .xlsm .xls .xlsb .ods or .csv files, or a folder holding them",
        )
    return sorted(set(files), key=lambda p: p.as_posix())


def check_unit(
    path: str | Path,
    *,
    sheet: str | None = None,
    columns: Mapping[str, str] | None = None,
    work_dir: str | Path | Store,
    limits: Limits | None = None,
) -> Unit:
    """The per-file stage: ``path`` loaded alone and its tables stored as Parquet under
    ``work_dir`` (an entry of the loading cache; a file loaded before is not parsed
    again), read within ``limits`` (``civaudit.limits``, the defaults when None). A
    file that cannot be loaded gives its error as a value."""
    path = Path(path)
    store = work_dir if isinstance(work_dir, Store) else Store(work_dir)
    if not store.exists():  # the run was cancelled and its work folder removed
        return Unit(
            str(path), None, LoadError(f"{work_dir}: no such file or folder", "check the path")
        )
    try:
        roster = _prepare_or_cached(path, sheet, columns, store, limits=limits or Limits())
        entry = store.path(cache_key(path.read_bytes(), sheet, columns))
    except CivauditError as exc:
        return Unit(str(path), None, exc)
    tables = {"households": roster.households, "members": roster.members,
              "issues": roster.issues, "totals": roster.totals}  # fmt: skip
    return Unit(
        str(path), str(entry), None, len(roster.households), len(roster.members),
        tuple(roster.sheets), {name: tuple(map(str, t.columns)) for name, t in tables.items()},
    )  # fmt: skip


def read_units(
    units: Iterable[Unit],
    *,
    sheet: str | None = None,
    columns: Mapping[str, str] | None = None,
    work_dir: str | Path | Store,
) -> Roster:
    """The units' tables read back from the work dir and combined in path order, the
    export pairs joined and the places found: the Roster ``load_roster`` gives. Failed
    units are listed in ``Roster.files`` with their error."""
    parts = []
    for unit in sorted(units, key=lambda u: Path(u.path).as_posix()):
        if unit.error is not None:
            failed = Roster(*(pd.DataFrame() for _ in range(4)))
            failed.files = [FileReport(unit.path, None, None, None, error=str(unit.error))]
            parts.append(failed)
            continue
        store = work_dir if isinstance(work_dir, Store) else Store(work_dir)
        parts.append(_prepare_or_cached(Path(unit.path), sheet, columns, store))
    return place_roster(join_pairs(combine(parts)))


def check_roster(
    roster: Roster,
    policy: Policy,
    *,
    as_of: date | str | None = None,
    against: Mapping[str, pd.DataFrame] | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    lang: str | None = None,
    mask: bool = True,
    check: Callable[[Roster], None] | None = None,
) -> Outcome:
    """The cross-file stage: each file's month resolved, the roster assessed and every
    selected rule run, the monthly workbooks' change findings added. ``check(roster)``
    may refuse the roster first (the CLI's checks of its options), by raising."""
    if roster.files and all(f.error for f in roster.files):
        raise LoadError(roster.files[0].error, "no input could be read: nothing was audited")
    if check is not None:
        check(roster)
    months = resolve_months(roster, policy, as_of)
    report, split = audit_months(
        roster, policy, months=months, against=against, select=select, ignore=ignore,
        lang=lang, mask=mask,
    )  # fmt: skip
    return Outcome(report, list(split.series), months, roster)


def thin(roster: Roster) -> Roster:
    """The roster without its tables' bulk: what the reports need besides the findings
    (sheets, files, pairing, places, household keys and head names, the member count).
    The table the cross-file stage sends back to the client stays small."""
    h = roster.households
    keep = [c for c in ("file", "sheet", "row", "household", "head_name") if c in h]
    members = roster.members.iloc[:, :0]  # the count, no values
    members.index = pd.RangeIndex(len(members))
    return dataclasses.replace(
        roster,
        households=h[keep].reset_index(drop=True),
        members=members,
        totals=roster.totals.iloc[:0],
        issues=roster.issues.iloc[:0],
    )


__all__ = [
    "Outcome",
    "Unit",
    "check_roster",
    "check_unit",
    "input_files",
    "read_units",
    "thin",
]
