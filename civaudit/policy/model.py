"""The Policy: every local number the audit depends on, as frozen dataclasses.

Each TOML section has its dataclass, and every default is the contract's default,
so ``Policy(standards=(...,))`` is the policy a file with only a ``[[standard]]``
would give. ``source``, ``sha256`` and ``is_example`` say where a policy came from;
they are left out of equality so a policy shown with ``policy_to_toml`` and parsed
back compares equal to the original.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd

from civaudit.limits import Limits

Rounding = Literal["ceil-yuan", "half-up-yuan", "half-up-fen"]
SingleBenefit = Literal["full-standard", "fixed", "own-gap"]
Category = Literal["elderly", "minor", "severe-disability", "serious-illness"]
Severity = Literal["error", "warning", "info"]

ROUNDING_MODES: tuple[str, ...] = ("ceil-yuan", "half-up-yuan", "half-up-fen")
SINGLE_BENEFITS: tuple[str, ...] = ("full-standard", "fixed", "own-gap")
CATEGORIES: tuple[str, ...] = ("elderly", "minor", "severe-disability", "serious-illness")
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")


class FrozenMap(Mapping[str, str]):
    """A read-only, hashable ``dict[str, str]`` for the mapping-valued policy keys."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, str] | None = None) -> None:
        self._data = dict(data or {})

    def __getitem__(self, key: str) -> str:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._data.items())))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._data == dict(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"


@dataclass(frozen=True)
class Standard:
    """One ``[[standard]]``: the rural dibao standard for a region-code prefix."""

    region: str
    yearly: float  # yuan per person per year
    from_: date | None = None  # TOML key ``from``; None = since always


@dataclass(frozen=True)
class IncomeRules:
    near_multiplier: float = 1.5
    rounding: Rounding = "ceil-yuan"
    tolerance: float = 1.0  # yuan per month


@dataclass(frozen=True)
class DeductionRules:
    """Rigid-expenditure caps in yuan per year; ``math.inf`` is "no cap"."""

    medical_cap: float = math.inf
    education_cap: float = math.inf
    care_cap: float = math.inf
    other_cap: float = math.inf
    employment_rate: float = 0.0
    employment_cap: float = 0.0
    total_ratio_cap: float = 1.0
    expenditure_type_only: bool = False


@dataclass(frozen=True)
class PhaseoutRules:
    months: int = 6
    max_months: int = 12
    until: date | None = None  # a fixed last day instead of ``months``
    ceiling_multiplier: float = 1.5
    registered_poor_only: bool = True
    step_down: float = 0.0  # share of the pre-phase-out amount removed per month


@dataclass(frozen=True)
class SinglePersonRules:
    ceiling_multiplier: float = 1.5
    categories: tuple[Category, ...] = ("severe-disability", "serious-illness")
    benefit: SingleBenefit = "full-standard"
    fixed_amount: float = 0.0  # yuan per month, for benefit = "fixed"
    registered_poor_only: bool = True


@dataclass(frozen=True)
class Addon:
    """One ``[[addon]]`` (分类施保): a monthly extra per covered member of a category.

    Exactly one of ``percent_of_standard`` (of the monthly standard) and ``amount``
    (yuan per month) is set. ``stack = False`` add-ons compete: a person gets the
    highest of them. ``stack = True`` ones are paid on top.
    """

    category: Category
    percent_of_standard: float | None = None
    amount: float | None = None
    stack: bool = False


EXEMPT_VEHICLES: tuple[str, ...] = ("残疾人机动轮椅车", "摩托车", "农用车")
"""Vehicle types that do not count against a household (``[external] exempt_vehicles``)."""


@dataclass(frozen=True)
class ExternalRules:
    """Settings of the external-list rules (``--against``).

    ``exempt_vehicles``: a vehicle whose registered type contains one of these words
    is not reported by ``ext.vehicle`` (二轮摩托车 contains 摩托车).
    """

    exempt_vehicles: tuple[str, ...] = EXEMPT_VEHICLES


@dataclass(frozen=True)
class RuleSettings:
    ignore: tuple[str, ...] = ()
    severity: FrozenMap = field(default_factory=FrozenMap)


@dataclass(frozen=True)
class Policy:
    """The policy in force. ``name``/``as_of`` are the ``[policy]`` section."""

    standards: tuple[Standard, ...]
    name: str = ""
    as_of: date | None = None
    income: IncomeRules = field(default_factory=IncomeRules)
    deduction: DeductionRules = field(default_factory=DeductionRules)
    phaseout: PhaseoutRules = field(default_factory=PhaseoutRules)
    single_person: SinglePersonRules = field(default_factory=SinglePersonRules)
    addons: tuple[Addon, ...] = ()
    external: ExternalRules = field(default_factory=ExternalRules)
    rules: RuleSettings = field(default_factory=RuleSettings)
    columns: FrozenMap = field(default_factory=FrozenMap)  # field -> header text
    limits: Limits = field(default_factory=Limits)  # the [limits] table (civaudit.limits)
    source: str = field(default="<string>", compare=False)
    sha256: str | None = field(default=None, compare=False)
    is_example: bool = field(default=False, compare=False)

    @property
    def title(self) -> str:
        """What reports call this policy: its name, else where it came from."""
        return self.name or self.source

    def standard_for(self, regions: pd.Series, as_of: date) -> pd.Series:
        """Yearly standard (yuan per person) for each region code; NaN where none applies.

        Entries dated after ``as_of`` are dropped first; then the longest matching
        prefix wins, and among entries for that prefix the latest ``from``. So a
        county entry that starts next year leaves the provincial one in force.
        """
        as_of = _as_date(as_of)
        current: dict[str, tuple[date, float]] = {}
        for entry in self.standards:
            start = entry.from_ or date.min
            if start > as_of:
                continue
            best = current.get(entry.region)
            if best is None or start >= best[0]:
                current[entry.region] = (start, float(entry.yearly))
        index = regions.index
        out = np.full(len(regions), np.nan)
        if not current or not len(regions):
            return pd.Series(out, index=index, name="standard_year")
        codes, uniques = pd.factorize(regions.astype("string"), use_na_sentinel=True)
        values = np.full(len(uniques), np.nan)
        todo = np.ones(len(uniques), dtype=bool)
        text = pd.Series(np.asarray(uniques, dtype=object), dtype="string")
        for length in sorted({len(p) for p in current}, reverse=True):
            table = {p: v for p, (_, v) in current.items() if len(p) == length}
            heads = text.str.slice(0, length)
            found = heads.map(table).astype("float64").to_numpy()
            hit = todo & ~np.isnan(found) & (text.str.len().to_numpy(na_value=0) >= length)
            values[hit] = found[hit]
            todo &= ~hit
        known = codes >= 0
        out[known] = values[codes[known]]
        return pd.Series(out, index=index, name="standard_year")


def _as_date(value: date) -> date:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "date") and callable(value.date):  # datetime.datetime
        return value.date()
    return value
