"""The vocabularies of the assess table's coded columns.

Each tuple is the category list of one categorical column (or, for the reason
tuples, the bit order of a reason code), so a step can return small integer codes
and the table turns them into labels in one place.
"""

from __future__ import annotations

BANDS = ("dibao", "near-dibao", "above")
COVERAGES = ("whole", "single")
INCOME_SOURCES = (
    "gross",
    "parts",
    "members",
    "household-month",
    "per-capita-year",
    "per-capita-month",
)
"""Where gross income came from, in the order the sources are tried."""
BENEFIT_SOURCES = ("month", "year", "quarter")
"""Where the recorded monthly benefit came from: the monthly column, or a yearly
(/12) or quarterly (/3) one."""
STATE_REASONS = (
    "size-missing",
    "size-below-one",
    "income-missing",
    "region-unknown",
    "no-standard",
    "month-missing",
    "phaseout-amount-missing",
)
"""Why a household could not be assessed (bit order of the ``reason`` column): no
household size, a size below 1, no income, no usable ID number for the region, no
standard for the region, no roster month where the standard depends on it, no
recorded amount for a phase-out to continue."""
SIZE_SOURCES = ("household_size", "member-rows", "covered_count")
COVERED_SOURCES = ("covered_count", "members", "household_size", "single")
PHASEOUT_REASONS = ("not-registered-poor", "above-ceiling", "below-standard")
SINGLE_REASONS = ("not-registered-poor", "above-ceiling", "no-qualifying-member")
MEMBER_FLAGS = ("elderly", "minor", "severe-disability", "serious-illness")
