"""The cross-file stage cut into shards, so no process holds the whole run.

The stage is three passes, each a set of independent tasks that an engine runs where
it likes (``run``: in this process, or as Dask tasks on a cluster's workers); tables
go between passes through the work folder, never through the caller:

1. **prepare**, one task per *file group* (a file; the halves of the information
   system's export, ``io.pairs``, together): the group's tables read back, its
   months found, each household assessed at its file's month, the monthly
   workbooks' change findings; the assessed tables stored. It returns only what is
   small: the group's ``Facts`` (``rules.inputs``), months, coverage, thin roster.
2. The caller merges the facts and chooses the run's main month (``asof.run_months``)
   and decides every rule's status once (``engine.plan_rules``): the global parts of
   a run (a rule run or skipped by the columns of all files, the main month) are
   decided before any rule runs, so each shard runs exactly the rules the whole
   run would.
3. **check**, one task per group: the rules that look at one household or one file
   run on the group's tables; the rows the cross-file rules need are written out,
   hash-partitioned by their key (``KEYED``: ID number, bank account, village) into
   ``buckets`` shuffle files per key; then one task per bucket runs that key's rules
   on every group's rows of the bucket. A rule that compares its rows with each other
   only through its key (a duplicate ID, a shared account, one village's amounts)
   finds on a bucket exactly what it finds on the whole run. The rules that pair
   people by one of two keys (``BLOCKED``: similar persons, by a spoken name and birth
   date or by a county; masked matches, by an ID's last or first digits) shuffle a few
   columns by each key, mark in each bucket the rows that take part in a pair, and run
   once on the marked rows only. The rules whose groups no key bounds (``SUBSETS``: the
   villages' median coverage, single-person households repeated, the low-income
   list's unmatched rows) run once, on only the rows that can matter to them.

The findings of every task are put in the whole run's order (``engine.sort_findings``)
and the Report is built as ``engine.run_rules`` builds it: the same findings, coverage,
rule statuses, months and warnings as the local engine's, which ``tests/pipeline``
holds them to.
"""

from __future__ import annotations

import dataclasses
import pickle
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from civaudit.asof import RosterMonths, given_month, resolve_months, run_months
from civaudit.auditing import month_changes, with_changes
from civaudit.engine import Plan, coverage_of, find, plan_rules, report_of, sort_findings
from civaudit.errors import LoadError
from civaudit.findings import FINDING_COLUMNS
from civaudit.io.cache import Store
from civaudit.io.pairs import household_sheet, member_sheet
from civaudit.pipeline.stages import Outcome, Unit, read_units, thin
from civaudit.policy.model import Policy
from civaudit.roster import Roster
from civaudit.rules._common import text
from civaudit.rules.duplicates import (
    COMPARABLE_IDS,
    _accounts,
    masked_match_keys,
    masked_match_rows,
    similar_person_keys,
    similar_person_rows,
)
from civaudit.rules.inputs import AuditData, Facts
from civaudit.series import split_months

SHIFT = 32
"""Row labels of group ``g`` in a shard: ``g << SHIFT`` plus the group's own label,
unique across groups and in the roster's order."""

ROW_TABLES = ("households", "members", "assessed", "issues", "totals")

BUCKET_MEMBERS = 200_000
"""At most about this many members per bucket of a key: a run has at least
``members / BUCKET_MEMBERS`` buckets, so a bucket's task holds as much at any size of
run."""

Runner = Callable[..., list]
"""``run(fn, items, **shared)``: ``[fn(item, **shared) for item in items]``, wherever
the engine runs tasks; ``shared`` is sent to each worker once."""


def run_here(fn: Callable, items: Iterable, **shared) -> list:
    """The runner of one process: each task in turn."""
    return [fn(item, **shared) for item in items]


# --- the cross-file rules and the rows each needs ------------------------------------


def _person_key(data: AuditData) -> pd.Series:
    m = data.members
    if "id_status" not in m:
        return pd.Series(pd.NA, index=m.index, dtype="object")
    comparable = m["id_status"].isin(COMPARABLE_IDS).to_numpy(dtype=bool)
    return text(m, "id_number").where(comparable)


def _account_key(data: AuditData) -> pd.Series:
    return _accounts(data.households)


def _village_key(data: AuditData) -> pd.Series:
    h = data.households
    village = text(h, "village")
    key = text(h, "county").fillna("") + "\x1f" + text(h, "town").fillna("") + "\x1f" + village
    return key.where(village.notna())


WHERE_COLUMNS = {
    "households": ("file", "sheet", "row", "county", "town", "village", "household",
                   "head_name", "hh"),
    "members": ("file", "sheet", "row", "id_number", "name", "hh", "member_cells"),
    "assessed": ("as_of",),
}  # fmt: skip
"""The columns ``engine.find`` reads a finding's place and month from (``_Locations``,
``_MonthGroups``): what a keyed bucket's rows carry besides their rules' own."""


@dataclass(frozen=True)
class Keyed:
    """Rules whose rows meet only through ``key`` (NA: a row the rules ignore): run
    per bucket of the key's hash. ``table``'s rows are bucketed; a member's household
    goes with it (its place), a household goes without its members. The rows carry
    only ``WHERE_COLUMNS`` and ``columns``, the columns the rules read (a bucket of the
    whole run's IDs would otherwise pass every column of the roster through the work
    folder once more); ``tests/pipeline`` holds the lists to the local engine."""

    name: str
    rules: tuple[str, ...]
    table: str
    key: Callable[[AuditData], pd.Series]
    columns: Mapping[str, tuple[str, ...]]


KEYED = (
    Keyed("person", ("dup.person",), "members", _person_key,
          {"members": ("id_status", "scheme")}),
    Keyed("account", ("dup.bank-account",), "households", _account_key,
          {"households": ("bank_account",)}),
    Keyed("village", ("village.uniform-amounts",), "households", _village_key,
          {"households": ("benefit_month",)}),
)  # fmt: skip


@dataclass(frozen=True)
class Blocked:
    """Rules that pair members by keys no one of which bounds every pair (a similar
    person shares a spoken name and birth date, or, mistyped, a county; a masked match
    shares an ID's last or first digits). Each key's rows (a few columns) go to
    buckets of the key's hash, where ``mark`` marks the rows that take part in a pair
    the key bounds (given the key's kind: a bucket of one key looks for its pairs only);
    the rules then run once, on every group's marked rows: the pairs' rows, not all
    members. ``status``: the ID status without which the rules find nothing."""

    name: str
    rules: tuple[str, ...]
    kinds: tuple[str, ...]
    keys: Callable[[pd.DataFrame], dict[str, pd.Series]]
    mark: Callable[[pd.DataFrame, str], pd.Series]
    status: str | None = None

    def wanted(self, running: set[str], facts: Facts) -> bool:
        return bool(running & set(self.rules)) and (
            self.status is None or self.status in facts.id_statuses
        )


BLOCKED = (
    Blocked("similar", ("dup.similar-person",), ("spoken", "region"), similar_person_keys,
            similar_person_rows),
    Blocked("masked", ("dup.masked-match",), ("tail", "head"), masked_match_keys,
            masked_match_rows, status="masked"),
)  # fmt: skip
BLOCK_COLUMNS = ("id_number", "id_status", "name", "id_birth", "birth_date")
"""The members' columns the blocked families' keys and marks read."""


def _village_households(data: AuditData) -> tuple[pd.Series, pd.Series]:
    h = data.households
    return text(h, "village").notna(), pd.Series(False, index=data.members.index)


def _single_households(data: AuditData) -> tuple[pd.Series, pd.Series]:
    from civaudit.rules.single import _single

    single = (
        _single(data)
        if "single" in data.assessed
        else pd.Series(False, index=data.households.index)
    )
    return single.reindex(data.households.index, fill_value=False), pd.Series(
        False, index=data.members.index
    )


def _listed_people(data: AuditData) -> tuple[pd.Series, pd.Series]:
    lst = data.against.get("low-income")
    ids = (
        pd.concat([text(lst, "id_number"), text(lst, "head_id")]).dropna()
        if lst is not None
        else []
    )
    return (
        text(data.households, "head_id_number").isin(ids).fillna(False).astype(bool),
        text(data.members, "id_number").isin(ids).fillna(False).astype(bool),
    )


@dataclass(frozen=True)
class Subset:
    """Rules no one key bounds: run once, on the rows ``rows`` marks in each group
    (households, members) with, as ``members_too`` says, the marked households'
    members; marked members always take their households (their place)."""

    name: str
    rules: tuple[str, ...]
    rows: Callable[[AuditData], tuple[pd.Series, pd.Series]]
    members_too: bool = False


SUBSETS = (
    Subset("villages", ("village.coverage-outlier",), _village_households),
    Subset("single", ("single.multiple",), _single_households, members_too=True),
    Subset("listed", ("ext.missed-eligible",), _listed_people),
)


def cross_file_rules() -> set[str]:
    """The rule ids the shards or subsets run; every other rule runs per file group."""
    return {r for family in (*KEYED, *BLOCKED, *SUBSETS) for r in family.rules}


# --- file groups ---------------------------------------------------------------------


GROUP_MEMBERS = 50_000
"""A task of the sharded stage takes files, in path order, until they hold about this
many members: a village file of a hundred rows costs a fixed part of a second of table
and rule work, so a task per file would spend most of its time on that."""


def file_groups(units: Sequence[Unit], pack: int = GROUP_MEMBERS) -> list[tuple[Unit, ...]]:
    """The files audited together, in path order: files packed up to ``pack`` members
    (one file alone when it holds more), and the two halves of the system's export
    (household and member sheets, ``io.pairs``) always in one group, since they are
    joined into one table before any rule runs."""
    ordered = sorted(units, key=_path)
    halves = [u for u in ordered if any(household_sheet(s) or member_sheet(s) for s in u.sheets)]
    kinds = {
        member_sheet(s) for u in halves for s in u.sheets if household_sheet(s) or member_sheet(s)
    }
    if kinds != {True, False}:  # no pair to join: every file alone
        groups = [(u,) for u in ordered]
    else:
        paired = set(map(id, halves))
        groups = [tuple(halves)] + [(u,) for u in ordered if id(u) not in paired]
        groups.sort(key=lambda g: _path(g[0]))
    packed: list[list[Unit]] = []
    size = 0
    for group in groups:
        members = sum(u.members for u in group)
        if not packed or size + members > pack:
            packed.append([])
            size = 0
        packed[-1].extend(group)
        size += members
    return [tuple(sorted(g, key=_path)) for g in packed]


def _path(unit: Unit) -> str:
    return Path(unit.path).as_posix()


# --- pass 1: prepare -----------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """What a group's first pass gives back: all of it small beside its tables."""

    months: pd.DataFrame
    facts: Facts
    coverage: pd.DataFrame
    changes: list | None
    series: tuple
    roster: Roster
    columns: pd.DataFrame


@dataclass(frozen=True)
class Setting:
    """The run's options, the same for every task."""

    policy: Policy
    folder: str
    units: str
    sheet: str | None = None
    columns: Mapping[str, str] | None = None
    as_of: object = None
    against: Mapping[str, pd.DataFrame] = dataclasses.field(default_factory=dict)
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    lang: str = "en"
    mask: bool = True
    tables: Mapping[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    """The columns of each table in any file (``Unit.columns``)."""

    @property
    def rule_options(self) -> dict:
        return {"select": self.select, "ignore": self.ignore, "lang": self.lang, "mask": self.mask}


def prepare(item: tuple[int, tuple[Unit, ...]], *, setting: Setting) -> Prepared:
    """Pass 1 for one file group: read, assess, store; the small parts returned."""
    group, units = item
    roster = read_units(units, sheet=setting.sheet, columns=setting.columns, work_dir=setting.units)
    for name, names in setting.tables.items():  # every file's columns, as in the whole run
        setattr(roster, name, _with_columns(getattr(roster, name), names))
    months = resolve_months(roster, setting.policy, setting.as_of)
    fixed = months.main if months.main_source in ("option", "policy") else None
    split = split_months(roster, fixed)
    data = AuditData.from_roster(split.current, setting.policy, against=setting.against,
                                 months=months)  # fmt: skip
    changes = month_changes(split, setting.policy, as_of=fixed, **setting.rule_options)
    tables = {name: data.table(name) for name in ROW_TABLES}
    _write(Store(setting.folder), _table_name(group), tables)
    return Prepared(
        months=months.files,
        facts=Facts.of(data),
        coverage=coverage_of(data, mask=setting.mask),
        changes=changes,
        series=split.series,
        roster=thin(roster),
        columns=data.columns,
    )


# --- pass 3: check -------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What every check task reads besides its own rows: the run's decisions."""

    setting: Setting
    plan: Plan
    months: RosterMonths
    facts: Facts
    columns: pd.DataFrame
    places: pd.DataFrame | None
    file_rank: Mapping[str, int]
    buckets: int

    def data(self, tables: Mapping[str, pd.DataFrame], *, fill: bool = True) -> AuditData:
        """A shard's AuditData: its rows, with every column the run has (a column that
        other files have is blank here, as in the whole run's combined tables), or
        (not ``fill``: a keyed bucket's few columns) with the columns they have."""
        if fill:
            tables = {n: _with_columns(tables[n], self.facts.columns[n]) for n in ROW_TABLES}
        return AuditData(
            **{name: tables[name] for name in ROW_TABLES},
            columns=self.columns,
            policy=self.setting.policy,
            as_of=self.months.main,
            against=dict(self.setting.against),
            months=self.months.files,
            as_of_source=self.months.main_source,
            places=self.places,
            shared=self.facts,
        )


def check_group(group: int, *, context: Context) -> pd.DataFrame:
    """Pass 3 for one group: its own rules' findings; the cross-file rules' rows
    written to their buckets and subsets."""
    folder = Store(context.setting.folder)
    tables = _relabel(_read(folder, _table_name(group)), group)
    data = context.data(tables)
    running = set(context.plan.rules_run)
    own = running - cross_file_rules()
    findings = find(data, context.plan.only(own), order=True, **_find_options(context))
    for family in KEYED:
        if running & set(family.rules):
            _bucket_rows(data, family, group, context)
    for family in BLOCKED:
        if family.wanted(running, context.facts):
            _block_rows(tables["members"], family, group, context)
    for family in SUBSETS:
        if running & set(family.rules):
            h, m = family.rows(data)
            if family.members_too:
                m = m | data.members["hh"].isin(data.households.loc[h.to_numpy(bool), "hh"])
            part = _rows(_tables(data), h, m)
            _write(folder, f"subset/{family.name}/{group:06d}.pkl", part)
    return findings


def check_bucket(item: tuple[str, int], *, context: Context) -> pd.DataFrame:
    """Pass 3 for one bucket of one key: that key's rules on every group's rows."""
    name, bucket = item
    family = next(f for f in KEYED if f.name == name)
    parts = _parts(Store(context.setting.folder), f"shuffle/{name}/{bucket:05d}")
    return _check_parts(parts, family, context)


def check_subset(name: str, *, context: Context) -> pd.DataFrame:
    """Pass 3 for rules no key bounds: once, on the rows each group marked for them."""
    family = next(f for f in SUBSETS if f.name == name)
    return _check_parts(_parts(Store(context.setting.folder), f"subset/{name}"), family, context)


def mark_bucket(item: tuple[str, str, int], *, context: Context) -> np.ndarray:
    """Pass 3 for one bucket of one key of a blocked family: the labels of the rows
    that take part in a pair."""
    name, kind, bucket = item
    family = next(f for f in BLOCKED if f.name == name)
    parts = _parts(Store(context.setting.folder), f"blocks/{name}/{kind}/{bucket:05d}")
    if not parts:
        return np.empty(0, dtype="int64")
    rows = pd.concat(parts)
    return rows.index[family.mark(rows, kind).to_numpy(dtype=bool)].to_numpy(dtype="int64")


def check_marked(item: tuple[str, np.ndarray], *, context: Context) -> pd.DataFrame:
    """Pass 3 for a blocked family: its rules once, on the rows its buckets marked
    (read back from each group's tables, one group at a time)."""
    name, labels = item
    family = next(f for f in BLOCKED if f.name == name)
    store = Store(context.setting.folder)
    parts = []
    for group in np.unique(labels >> SHIFT).tolist():
        tables = _relabel(_read(store, _table_name(group)), group)
        m = tables["members"]
        marked = pd.Series(m.index.isin(labels), index=m.index)
        parts.append(_rows(tables, pd.Series(False, index=tables["households"].index), marked))
    return _check_parts(parts, family, context)


def _parts(store: Store, where: str) -> list:
    """The pickles every group wrote to folder ``where``, in the groups' order."""
    names = [n for n in store.names(where) if n.endswith(".pkl") and not n.startswith(".")]
    return [_read(store, f"{where}/{n}") for n in sorted(names)]


def _check_parts(parts: list, family, context: Context) -> pd.DataFrame:
    """``family``'s rules on the rows of ``parts`` (each a group's tables)."""
    if not parts:
        return _no_findings()
    tables = {}
    for name in ROW_TABLES:
        frame = pd.concat([p[name] for p in parts])
        if "file" in frame and len(frame):  # the roster's order: files in path order
            rank = frame["file"].astype("object").map(context.file_rank).fillna(-1)
            frame = frame.iloc[np.argsort(rank.to_numpy(dtype="int64"), kind="stable")]
        tables[name] = frame
    tables["assessed"] = tables["assessed"].reindex(tables["households"].index)
    running = set(context.plan.rules_run) & set(family.rules)
    data = context.data(tables, fill=not isinstance(family, Keyed))
    return find(data, context.plan.only(running), order=True, **_find_options(context))


def _buckets(key: pd.Series, buckets: int) -> dict:
    """The labels of ``key``'s rows (NA: none) in each bucket of the key's hash."""
    key = key[key.notna()]
    if not len(key):
        return {}
    hashed = pd.util.hash_pandas_object(key.astype(str), index=False).to_numpy()
    bucket = pd.Series(hashed % np.uint64(buckets), index=key.index).astype("int64")
    return bucket.groupby(bucket, sort=True).groups


def _block_rows(members: pd.DataFrame, family: Blocked, group: int, context: Context) -> None:
    rows = members[[c for c in BLOCK_COLUMNS if c in members]]
    rows = _with_columns(rows, [c for c in ("id_status", "name") if c not in rows])
    folder = Store(context.setting.folder)
    for kind, key in family.keys(rows).items():
        for bucket, labels in _buckets(key, context.buckets).items():
            name = f"blocks/{family.name}/{kind}/{int(bucket):05d}/{group:06d}.pkl"
            _write(folder, name, rows.loc[labels])


def _bucket_rows(data: AuditData, family: Keyed, group: int, context: Context) -> None:
    folder = Store(context.setting.folder)
    tables = {}
    for name, frame in _tables(data).items():
        wanted = {*WHERE_COLUMNS.get(name, ()), *family.columns.get(name, ())}
        tables[name] = frame[[c for c in frame.columns if c in wanted]]
    for bucket, labels in _buckets(family.key(data), context.buckets).items():
        if family.table == "members":
            m = pd.Series(data.members.index.isin(labels), index=data.members.index)
            h = pd.Series(False, index=data.households.index)
        else:
            h = pd.Series(data.households.index.isin(labels), index=data.households.index)
            m = pd.Series(False, index=data.members.index)
        name = f"shuffle/{family.name}/{int(bucket):05d}/{group:06d}.pkl"
        _write(folder, name, _rows(tables, h, m))


def _tables(data: AuditData) -> dict:
    return {name: data.table(name) for name in ROW_TABLES}


def _rows(tables: Mapping[str, pd.DataFrame], households: pd.Series, members: pd.Series) -> dict:
    """The marked rows, with the households of the marked members (their places)."""
    h, m = tables["households"], tables["members"]
    keep_h = households.to_numpy(dtype=bool)
    if "hh" in m and "hh" in h and members.any():
        keep_h = keep_h | h["hh"].isin(m.loc[members.to_numpy(bool), "hh"]).to_numpy(dtype=bool)
    kept = h[keep_h]
    return {
        "households": kept,
        "members": m[members.to_numpy(dtype=bool)],
        "assessed": tables["assessed"].reindex(kept.index),
        "issues": tables["issues"].iloc[:0],
        "totals": tables["totals"].iloc[:0],
    }


def _relabel(tables: dict, group: int) -> dict:
    """The group's rows labelled ``group << SHIFT`` on (labels and household numbers
    unique across groups)."""
    offset = group << SHIFT
    out = {}
    for name, frame in tables.items():
        frame = frame.copy(deep=False)
        if len(frame):
            frame.index = frame.index + offset
            if "hh" in frame and name in ("households", "members"):
                frame["hh"] = frame["hh"] + offset
        out[name] = frame
    return out


def _with_columns(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    missing = [c for c in columns if c not in frame]
    if not missing:
        return frame
    blank = pd.DataFrame(np.nan, index=frame.index, columns=missing, dtype="object")
    return pd.concat([frame, blank], axis=1)


def _find_options(context: Context) -> dict:
    return {"lang": context.setting.lang, "mask": context.setting.mask}


def _no_findings() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in (*FINDING_COLUMNS, "_ref")})


# --- the stage -----------------------------------------------------------------------


def check_sharded(
    units: Sequence[Unit],
    policy: Policy,
    *,
    run: Runner = run_here,
    work_dir: str | Path | Store,
    buckets: int = 8,
    pack: int = GROUP_MEMBERS,
    sheet: str | None = None,
    columns: Mapping[str, str] | None = None,
    check: Callable[[Roster], None] | None = None,
    as_of=None,
    against: Mapping[str, pd.DataFrame] | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    lang: str | None = None,
    mask: bool = True,
) -> Outcome:
    """The cross-file stage over the units' tables, in shards run by ``run``: the same
    Outcome as ``stages.check_roster`` over the whole roster. The run's shuffle and
    table files live in a folder of ``work_dir`` (where the units' tables are) removed at
    the end. Each key is hashed into ``buckets`` buckets, or more when the run has over
    ``BUCKET_MEMBERS`` members per bucket; the files are read and checked in groups of
    about ``pack`` members (``file_groups``)."""
    from civaudit.i18n import language

    work = work_dir if isinstance(work_dir, Store) else Store(work_dir)
    folder = work.child(f"run-{uuid.uuid4().hex[:12]}")
    folder.make()
    setting = Setting(
        policy, folder.location, work.location, sheet=sheet, columns=columns, as_of=as_of,
        against=dict(against or {}), select=tuple(select), ignore=tuple(ignore),
        lang=lang or language(), mask=mask, tables=_all_columns(units),
    )  # fmt: skip
    try:
        return _check(units, setting, run=run, buckets=buckets, pack=pack, check=check)
    finally:
        folder.remove()


def _check(units, setting: Setting, *, run: Runner, buckets: int, pack: int, check) -> Outcome:
    groups = list(enumerate(file_groups(units, pack)))
    prepared: list[Prepared] = run(prepare, groups, setting=setting)
    roster = _roster(prepared)
    if roster.files and all(f.error for f in roster.files):
        raise LoadError(roster.files[0].error, "no input could be read: nothing was audited")
    if check is not None:
        check(roster)
    records = [r for p in prepared for r in p.months.to_dict("records")]
    months = run_months(records, *given_month(setting.policy, setting.as_of))
    facts = Facts.merge(p.facts for p in prepared)
    columns = pd.concat([p.columns for p in prepared], ignore_index=True)
    overall = AuditData(
        **{name: pd.DataFrame() for name in ROW_TABLES},
        columns=columns, policy=setting.policy, as_of=months.main, against=dict(setting.against),
        months=months.files, as_of_source=months.main_source, sheets=tuple(roster.sheets),
        pairing=roster.pairing, places=roster.places, shared=facts,
    )  # fmt: skip
    plan = plan_rules(overall, select=setting.select, ignore=setting.ignore, lang=setting.lang)
    ranks = {f.path: i for i, f in enumerate(roster.files)}  # _roster sorts them by path
    buckets = max(1, buckets, -(-len(roster.members) // BUCKET_MEMBERS))
    context = Context(setting, plan, months, facts, columns, roster.places, ranks, buckets)
    found = run(check_group, [g for g, _ in groups], context=context)
    running = set(plan.rules_run)
    keyed = [(f.name, b) for f in KEYED if running & set(f.rules) for b in range(context.buckets)]
    found += run(check_bucket, keyed, context=context)
    subsets = [f.name for f in SUBSETS if running & set(f.rules)]
    found += run(check_subset, subsets, context=context)
    blocked = [f for f in BLOCKED if f.wanted(running, facts)]
    items = [(f.name, kind, b) for f in blocked for kind in f.kinds for b in range(context.buckets)]
    marks = run(mark_bucket, items, context=context)
    labels = {f.name: [] for f in blocked}
    for (name, _, _), rows in zip(items, marks, strict=True):
        labels[name].append(rows)
    marked = [(name, np.unique(np.concatenate(rows))) for name, rows in labels.items()]
    found += run(check_marked, [item for item in marked if len(item[1])], context=context)
    frames = [f for f in found if len(f)]
    findings = sort_findings(pd.concat(frames, ignore_index=True)) if frames else _no_findings()
    findings = findings.drop(columns="_ref")
    coverage = pd.concat([p.coverage for p in prepared], ignore_index=True)
    coverage = coverage.sort_values(["file", "sheet", "row"], kind="stable", na_position="last")
    report = report_of(
        overall, plan, findings.reset_index(drop=True), coverage.reset_index(drop=True)
    )
    changes = [c for p in prepared for c in (p.changes or [])]
    report = with_changes(report, changes or None)
    series = [s for p in prepared for s in p.series]
    return Outcome(report, series, months, roster)


def _all_columns(units: Sequence[Unit]) -> dict[str, tuple[str, ...]]:
    """Each table's columns over all units, in first-met order (as ``pd.concat``)."""
    out: dict[str, dict[str, None]] = {}
    for unit in sorted(units, key=lambda u: Path(u.path).as_posix()):
        for name, names in unit.columns.items():
            out.setdefault(name, {}).update(dict.fromkeys(names))
    return {name: tuple(names) for name, names in out.items()}


def _roster(prepared: list[Prepared]) -> Roster:
    """The thin rosters of the groups as one (``stages.thin``'s shape)."""
    rosters = [p.roster for p in prepared]
    households = [r.households for r in rosters if len(r.households)]
    places = [r.places for r in rosters if r.places is not None and len(r.places)]
    members = sum(len(r.members) for r in rosters)
    return Roster(
        households=pd.concat(households, ignore_index=True)
        if households
        else rosters[0].households,
        members=pd.DataFrame(index=pd.RangeIndex(members)),
        totals=rosters[0].totals.iloc[:0] if rosters else pd.DataFrame(),
        issues=rosters[0].issues.iloc[:0] if rosters else pd.DataFrame(),
        sheets=[s for r in rosters for s in r.sheets],
        files=sorted((f for r in rosters for f in r.files), key=lambda f: Path(f.path).as_posix()),
        pairing=next((r.pairing for r in rosters if r.pairing is not None), None),
        places=pd.concat(places, ignore_index=True) if places else None,
    )


# --- files of the work folder --------------------------------------------------------


def _table_name(group: int) -> str:
    return f"tables/{group:06d}.pkl"


def _write(store: Store, name: str, value) -> None:
    """Whole or not at all: a task run again (a worker lost) writes the same file."""
    store.put(name, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def _read(store: Store, name: str):
    return pickle.loads(store.get(name))


__all__ = [
    "BLOCKED",
    "BUCKET_MEMBERS",
    "GROUP_MEMBERS",
    "KEYED",
    "SUBSETS",
    "WHERE_COLUMNS",
    "Blocked",
    "Context",
    "Keyed",
    "Prepared",
    "Setting",
    "Subset",
    "check_bucket",
    "check_group",
    "check_marked",
    "check_sharded",
    "check_subset",
    "cross_file_rules",
    "file_groups",
    "mark_bucket",
    "prepare",
    "run_here",
]
