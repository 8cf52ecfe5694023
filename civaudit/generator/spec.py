"""What to generate: the county model and how its files look.

One frozen `RosterSpec` says everything; the same spec always gives the same
bytes. `FileSpec` lets one run write files that look different (the sample set:
a household-level workbook, a block workbook and a GBK CSV of one county), each
overriding the spec's layout options for its own villages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

LAYOUTS = ("household", "member", "block")
EXPORT_LAYOUT = "export"  # the information system's pair: a household file and a person file
SPREAD_LAYOUTS = ("wide", "list")  # a household row carrying its members (io.members)
ALL_LAYOUTS = (*LAYOUTS, EXPORT_LAYOUT, *SPREAD_LAYOUTS)
LAYOUT_CODES = {"household": 0, "member": 1, "block": 2, EXPORT_LAYOUT: 3, "wide": 4, "list": 5}
"""Each household's layout as a number, for planting (``problems.Planter.layout``)."""
FORMATS = ("xlsx", "csv-gbk", "csv-utf8", "html-xls", "xml-xls")
EXTENSIONS = {
    "xlsx": "xlsx",
    "csv-gbk": "csv",
    "csv-utf8": "csv",
    "html-xls": "xls",
    "xml-xls": "xls",
}
SPLITS = ("county", "town", "village")
MASK_STYLES = ("stars", "year", "x", "dropped", "ends")
"""How a publicity list (``masked``) hides ID digits (see RosterSpec)."""
HEADER_STYLES = ("canonical", "varied")

# Rules the generator can plant, in the order they are listed in the key.
PLANTABLE_RULES = (
    "id.invalid",
    "id.checksum",
    "id.precision-lost",
    "id.masked",
    "id.legacy-15",
    "id.region-unknown",
    "id.mismatch",
    "dup.person",
    "dup.bank-account",
    "household.size-mismatch",
    "household.head",
    "household.head-minor",
    "person.age-implausible",
    "roster.totals-mismatch",
    "data.unparsed",
    "date.ambiguous",
    "income.above-standard",
    "benefit.mismatch",
    "benefit.over-cap",
    "deduction.excessive",
    "phaseout.expired",
    "phaseout.no-start",
    "phaseout.not-eligible",
    "phaseout.above-ceiling",
    "phaseout.below-standard",
    "single.not-one",
    "single.above-ceiling",
    "single.not-qualifying",
    "single.not-registered-poor",
)

# Rules only an export pair (layout "export": a household file and a person file)
# can show; plantable by name, and part of a problem rate where a file is an export.
EXPORT_RULES = ("roster.member-without-household", "roster.household-without-members")

# Rules only the layouts of issue 12 can show, plantable by name, and part of a problem
# rate where a file has that shape: copies of a household field that disagree (member
# rows with repeat_household), a masked ID listed twice (masked), a benefit that rose
# since the month before (months >= 2).
LAYOUT_RULES = ("household.inconsistent-repeat", "dup.masked-match", "change.benefit-rise")

# Rules that need member rows (sex and birth columns, relations, row counts).
MEMBER_ROW_RULES = frozenset({"id.mismatch", "household.size-mismatch", "household.head"})


@dataclass(frozen=True)
class FileSpec:
    """One output file: its path, the villages it holds, and option overrides.

    ``villages`` are indices into the model's village table (0-based, county
    order). ``options`` may set any of `RosterSpec`'s file options (layout, fmt,
    title_rows, two_row_header, subtotals, page_households, totals, footers,
    blank_rows, trailing_columns, repeat_household, sheet_per_village,
    hidden_sheet, headers, months, masked).
    """

    path: str
    villages: tuple[int, ...]
    options: Mapping[str, Any] = field(default_factory=dict)


FILE_OPTIONS = (
    "layout",
    "fmt",
    "title_rows",
    "two_row_header",
    "subtotals",
    "page_households",
    "totals",
    "footers",
    "blank_rows",
    "trailing_columns",
    "repeat_household",
    "sheet_per_village",
    "hidden_sheet",
    "headers",
    "months",
    "masked",
)


@dataclass(frozen=True)
class RosterSpec:
    """A county of dibao households and the files its rosters are written to.

    Model: ``members`` people in households of 1-6, spread over ``villages``
    villages of ``towns`` towns of the county with GB/T 2260 code ``county``;
    the roster month is ``as_of`` and the standard ``standard_year`` yuan per
    person per year (the domain's example, 4,800).

    Files: ``split`` makes one file per county, town or village; within a file,
    ``sheet_per_village`` gives each village its own sheet, else one sheet with
    乡镇/村 columns. ``layout`` is ``household`` (a row per household),
    ``member`` (a row per member, 户主身份证号 on each), ``block`` (household
    cells merged over the member rows) or ``export`` (the information system's
    export pair: a household file 农村低保家庭查询_* and a person file
    农村低保人员查询_*, in the system's headers, the header on row 1, no totals).
    ``fmt``: ``xlsx``, ``csv-gbk`` (GB18030), ``csv-utf8`` (UTF-8 with BOM),
    ``html-xls`` (an HTML table named .xls, GBK meta charset, merged cells as
    rowspan/colspan) or ``xml-xls`` (SpreadsheetML 2003 named .xls).
    ``headers="varied"`` picks one
    of the real synonyms per file (and, with quirks, line breaks and spaces in
    them); ``canonical`` always writes the first name.

    Shapes of issue 12: ``layout="wide"`` writes a ledger with the members in
    numbered columns (成员一姓名 | 成员一身份证号码 …, one numbering style per file);
    ``layout="list"`` lists each household's members in one cell (张三（130723…）、…,
    or names and IDs in two cells); ``repeat_household`` (member layout) repeats
    the household's cells on every member row; ``months`` > 1 writes a monthly
    workbook, one sheet per month up to ``as_of`` (a household added in the last
    month, one removed before it); ``masked`` (household layout) writes a publicity
    list (公示) whose IDs are masked in one of ``MASK_STYLES``: ``stars``
    (130723********1234), ``year`` (1307231972****1234), ``x`` (130723xxxxxxxx1234,
    names as 张*), ``dropped`` (130723…1234) or ``ends`` (1****************4, names
    as 张*: nothing left to match on, and the region only in the title).

    Dirt: ``quirks`` is the share of cells written in an odd but valid way (IDs
    with spaces, money as "1,234元", dates as "2019年10月"...); with quirks > 0
    each file also picks its own date, yes/no and grade style. ``problems`` is
    the share of households given one planted problem (spread evenly over the
    rules that the file layouts can show), or a mapping rule id -> count.
    """

    seed: int = 2019
    members: int = 1_000
    county: str = "130723"
    towns: int = 2
    villages: int = 6
    as_of: str = "2019-10"
    standard_year: int = 4800
    # file options
    layout: str = "member"
    fmt: str = "xlsx"
    split: str = "county"
    sheet_per_village: bool = False
    title_rows: bool = True
    two_row_header: bool = False
    subtotals: bool = False
    page_households: int = 20
    totals: bool = True
    footers: bool = True
    blank_rows: float = 0.0
    trailing_columns: int = 0
    repeat_household: bool = False
    hidden_sheet: bool = False
    headers: str = "varied"
    months: int = 1
    masked: str = ""
    # dirt
    quirks: float = 0.0
    problems: float | Mapping[str, int] = 0.0
    # population shares
    phaseout_rate: float = 0.04
    single_rate: float = 0.03
    files: tuple[FileSpec, ...] = ()

    def __post_init__(self) -> None:
        from civaudit.generator.data import COUNTIES

        if self.county not in COUNTIES:
            raise ValueError(f"county {self.county!r} unknown; use one of {sorted(COUNTIES)}")
        if self.members < 1:
            raise ValueError("members must be at least 1")
        if not 1 <= self.towns <= len(COUNTIES[self.county][1]):
            raise ValueError(f"towns must be 1..{len(COUNTIES[self.county][1])}")
        if self.villages < self.towns:
            raise ValueError("need at least one village per town")
        _check_file_options(self)
        if self.split not in SPLITS:
            raise ValueError(f"split must be one of {SPLITS}")
        if isinstance(self.problems, Mapping):
            known = (*PLANTABLE_RULES, *EXPORT_RULES, *LAYOUT_RULES)
            unknown = set(self.problems) - set(known)
            if unknown:
                raise ValueError(f"cannot plant {sorted(unknown)}; plantable: {known}")
        elif not 0 <= self.problems <= 0.5:
            raise ValueError("problems rate must be within 0..0.5")
        if not 0 <= self.quirks <= 1:
            raise ValueError("quirks must be within 0..1")
        year, _, month = self.as_of.partition("-")
        if not (year.isdigit() and month.isdigit() and 1 <= int(month) <= 12):
            raise ValueError("as_of must look like 2019-10")
        if not 2010 <= int(year) <= 2035:
            raise ValueError("as_of must be within 2010-01..2035-12")
        for f in self.files:
            bad = set(f.options) - set(FILE_OPTIONS)
            if bad:
                raise ValueError(f"{f.path}: unknown file options {sorted(bad)}")
            _check_file_options(self.with_options(f.options))

    @property
    def as_of_month(self) -> int:
        """The roster month as a month count (year * 12 + month - 1)."""
        year, month = self.as_of.split("-")
        return int(year) * 12 + int(month) - 1

    def with_options(self, options: Mapping[str, Any]) -> RosterSpec:
        """This spec with some file options replaced (no re-validation of files)."""
        return replace(self, files=(), **dict(options)) if options else self


def _check_file_options(spec: RosterSpec) -> None:
    if spec.layout not in ALL_LAYOUTS:
        raise ValueError(f"layout must be one of {ALL_LAYOUTS}")
    if spec.fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}")
    if spec.headers not in HEADER_STYLES:
        raise ValueError(f"headers must be one of {HEADER_STYLES}")
    if spec.page_households < 1:
        raise ValueError("page_households must be at least 1")
    if not 0 <= spec.blank_rows <= 1:
        raise ValueError("blank_rows must be within 0..1")
    if not 1 <= spec.months <= 12:
        raise ValueError("months must be within 1..12")
    if spec.masked and spec.masked not in MASK_STYLES:
        raise ValueError(f"masked must be one of {MASK_STYLES}")
    if spec.masked and spec.layout != "household":
        raise ValueError("masked (a publicity list) needs layout household")
    if spec.months > 1 and spec.layout in (EXPORT_LAYOUT, *SPREAD_LAYOUTS):
        raise ValueError("months > 1 needs layout household, member or block")


def spec_fields() -> tuple[str, ...]:
    """Names of all RosterSpec fields (for the command line)."""
    return tuple(f.name for f in fields(RosterSpec))
