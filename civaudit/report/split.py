"""The Excel report one county at a time, and Excel's row cap.

An Excel sheet holds at most 1,048,576 rows (``EXCEL_MAX_ROWS``), the header
included. The inspectors' workbook puts every finding on one sheet, and the
households that could not be assessed on another, so a run past the cap cannot be
one workbook: ``check_fits`` refuses it (exit 2) before anything is written, naming
``--split-by county`` and the formats without a cap (jsonl, csv, parquet). The
workbook does not continue on a second sheet: a findings sheet is the list an
inspection team works through and returns (``--reviewed``), so it stays one sheet.

``split_report`` cuts a run into one part per county: the findings, the coverage rows
(households) and the roster sheets of that county, by the place the report already
shows, the findings' and households' ``county`` (from a 县 column, the sheet title,
the file or folder names: ``civaudit.place``), and for the sheets ``Roster.places``.
Findings and households with no county form one part labelled "unknown county" in the
report's language. ``part_paths`` names each part's file beside the ``-o`` path
(``核查报告.xlsx`` -> ``核查报告-康保县.xlsx``) with a name every file system accepts.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from civaudit.errors import UsageError
from civaudit.i18n import t
from civaudit.report import xlsx
from civaudit.report.output import refuse_inputs
from civaudit.report.present import ReportContext, unassessed
from civaudit.report.stream import AtomicFile

SPLIT_LEVELS: tuple[str, ...] = ("county",)
"""What ``--split-by`` takes. Town is left out: a town's name is unique only within its
county, and one county's findings fit a sheet many times over."""

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
_NAME_CHARS = 80


@dataclass(frozen=True)
class Part:
    """One county's share of a run."""

    name: str | None  # the county as the findings name it; None: no county known
    findings: pd.DataFrame
    coverage: pd.DataFrame
    sheets: frozenset[tuple[str, str]]  # (file, sheet) of the roster sheets it covers
    members: int | None = None

    @property
    def files(self) -> set[str]:
        return {file for file, _ in self.sheets}

    @property
    def label(self) -> str:
        return self.name if self.name is not None else t("split.unknown_county")


def split_report(
    findings: pd.DataFrame,
    *,
    coverage: pd.DataFrame | None = None,
    places: pd.DataFrame | None = None,
    members: pd.DataFrame | None = None,
    level: str = "county",
) -> list[Part]:
    """One ``Part`` per county (sorted by name; the part without a county last), from
    the findings, the coverage (one row per household), the roster's per-sheet
    ``places`` and its ``members`` (counted per county through their sheet's place).
    Every finding is in exactly one part."""
    if level not in SPLIT_LEVELS:
        raise UsageError(f"--split-by {level}: unknown", f"use one of {', '.join(SPLIT_LEVELS)}")
    coverage = coverage if coverage is not None else pd.DataFrame(columns=["file", level])
    found = _names(findings, level)
    covered = _names(coverage, level) if level in coverage else _none(coverage)
    sheet_names = pd.Series(dtype="object")
    if _has(places, "file", "sheet", level) and len(places):
        sheet_names = _names(places, level)
    names = {*found.dropna(), *covered.dropna(), *sheet_names.dropna()}
    member_counts: dict[str | None, int] | None = None
    if _has(members, "file", "sheet") and _has(places, "file", "sheet", level):
        keyed = places[["file", "sheet"]].assign(_name=sheet_names.to_numpy())
        joined = members[["file", "sheet"]].merge(keyed, on=["file", "sheet"], how="left")
        member_counts = {k: len(v) for k, v in _groups(joined["_name"]).items()}
    ordered: list[str | None] = sorted(names)
    if found.isna().any() or covered.isna().any():
        ordered.append(None)
    if not ordered:  # nothing at all: one (empty) report still says so
        ordered = [None]
    by_finding, by_household = _groups(found), _groups(covered)
    by_sheet = _groups(sheet_names) if len(sheet_names) else {}
    nothing = np.array([], dtype=np.intp)
    parts = []
    for name in ordered:
        part_findings = findings.iloc[by_finding.get(name, nothing)]
        part_coverage = coverage.iloc[by_household.get(name, nothing)]
        sheets = set(_pairs(part_findings)) | set(_pairs(part_coverage))
        if name in by_sheet:
            sheets |= set(_pairs(places.iloc[by_sheet[name]]))
        parts.append(
            Part(
                name, part_findings, part_coverage, frozenset(sheets),
                None if member_counts is None else member_counts.get(name, 0),
            )
        )  # fmt: skip
    return parts


def write_parts(
    target: Path,
    parts: Sequence[Part],
    *,
    build: Callable[[Part], bytes],
    inputs: Iterable[Path] = (),
) -> list[Path]:
    """Write ``build(part)`` for each part at its ``part_paths`` name and return the
    paths. Each is written to a temporary file first and all are renamed into place
    at the end: an error or Ctrl-C part-way leaves none of them (and no temporary
    file). A name that is one of ``inputs`` is refused before anything is written."""
    paths = part_paths(target, [p.label for p in parts])
    inputs = list(inputs)
    for path in paths:
        refuse_inputs(path, inputs)
    pending: list[AtomicFile] = []
    try:
        for part, path in zip(parts, paths, strict=True):
            handle = AtomicFile(path)
            pending.append(handle)
            handle.write(build(part))
            handle.handle.close()  # one open file at a time, however many counties
    except BaseException:
        for handle in pending:
            handle.abort()
        raise
    return [handle.commit() for handle in pending]


def _has(frame: pd.DataFrame | None, *columns: str) -> bool:
    """Whether ``frame`` is there with ``columns`` (a Dask run's roster is thin)."""
    return frame is not None and all(c in frame.columns for c in columns)


def _groups(names: pd.Series) -> dict[str | None, np.ndarray]:
    """Name -> the positions holding it (None: the positions without a name), in one
    pass however many counties there are."""
    present = names.notna().to_numpy()
    positions = np.arange(len(names))
    named = pd.Series(positions[present], index=names.to_numpy()[present])
    groups = {k: v.to_numpy() for k, v in named.groupby(level=0, sort=False)}
    if not present.all():
        groups[None] = positions[~present]
    return groups


def _names(frame: pd.DataFrame, level: str) -> pd.Series:
    """The place names of a column, stripped; None where blank or missing."""
    values = frame[level].astype("object")
    text = values.where(values.notna(), None).map(
        lambda v: v.strip() or None if isinstance(v, str) else (None if v is None else str(v))
    )
    return pd.Series(text.to_numpy(), dtype="object")


def _none(frame: pd.DataFrame) -> pd.Series:
    return pd.Series([None] * len(frame), dtype="object")


def _pairs(frame: pd.DataFrame) -> Iterable[tuple[str, str]]:
    if not len(frame) or "file" not in frame or "sheet" not in frame:
        return []
    return zip(frame["file"].astype(str), frame["sheet"].astype(str), strict=True)


def part_context(context: ReportContext, part: Part) -> ReportContext:
    """The report context of one part: its households, members, coverage and the months
    of its files."""
    as_of = context.as_of
    if as_of is not None and len(as_of) and "file" in as_of:
        as_of = as_of[as_of["file"].astype(str).isin(part.files)]
    return dataclasses.replace(
        context,
        households=len(part.coverage),
        members=part.members,
        coverage=part.coverage,
        as_of=as_of,
    )


def part_manifest(manifest: dict, part: Part) -> dict:
    """The run manifest as one part's cover shows it: only the inputs of its files."""
    inputs = [i for i in manifest.get("inputs", []) if str(i.get("path")) in part.files]
    return {**manifest, "inputs": inputs}


def safe_file_part(text: str) -> str:
    """``text`` as part of a file name on Windows, macOS and Linux: no ``\\/:*?"<>|``
    or control characters, no leading or trailing spaces or dots, not a reserved
    device name (CON, NUL, COM1 ...), at most 80 characters."""
    name = _UNSAFE.sub("_", text).strip(" .")[:_NAME_CHARS].strip(" .")
    if not name:
        return "_"
    return f"_{name}" if _RESERVED.match(name) else name


def part_paths(target: Path, labels: Sequence[str]) -> list[Path]:
    """The file of each part beside ``target``: ``<stem>-<label><suffix>``, distinct even
    where two labels become one file name (compared ignoring case, as Windows does)."""
    used: set[str] = set()
    out = []
    for label in labels:
        base = f"{target.stem}-{safe_file_part(label)}"
        name, n = base, 1
        while f"{name}{target.suffix}".lower() in used:
            n += 1
            name = f"{base}~{n}"
        used.add(f"{name}{target.suffix}".lower())
        out.append(target.with_name(f"{name}{target.suffix}"))
    return out


def sheet_rows(findings: pd.DataFrame, coverage: pd.DataFrame | None) -> int:
    """The rows of the workbook's longest list sheet, the header included: the findings
    or the households that could not be assessed."""
    left = len(unassessed(coverage)) if coverage is not None and len(coverage) else 0
    return max(len(findings), left) + 1


def check_fits(
    findings: pd.DataFrame, coverage: pd.DataFrame | None, *, part: str | None = None
) -> None:
    """Refuse (exit 2) a workbook whose list sheet would pass Excel's row cap."""
    rows = sheet_rows(findings, coverage)
    cap = xlsx.EXCEL_MAX_ROWS
    if rows <= cap:
        return
    if part is None:
        raise UsageError(
            f"the xlsx report needs a sheet of {rows} rows, past Excel's {cap} rows a sheet",
            "use --split-by county (one workbook per county) or a jsonl, csv or parquet output",
        )
    raise UsageError(
        f"{part}: the xlsx report needs a sheet of {rows} rows, past Excel's {cap} rows a sheet",
        "use a jsonl, csv or parquet output",
    )


__all__ = [
    "SPLIT_LEVELS",
    "Part",
    "check_fits",
    "part_context",
    "part_manifest",
    "part_paths",
    "safe_file_part",
    "sheet_rows",
    "split_report",
    "write_parts",
]
