"""The vocabularies of the assess table's coded columns.

Each tuple is the category list of one categorical column (or, for the reason
tuples, the bit order of a reason code), so a step can return small integer codes
and the table turns them into labels in one place.
"""

from __future__ import annotations

BANDS = ("dibao", "near-dibao", "above")
COVERAGES = ("whole", "single")
INCOME_SOURCES = ("gross", "parts", "per-capita-year", "per-capita-month")
SIZE_SOURCES = ("household_size", "member-rows")
COVERED_SOURCES = ("covered_count", "members", "household_size", "single")
PHASEOUT_REASONS = ("not-registered-poor", "above-ceiling", "below-standard")
SINGLE_REASONS = ("not-registered-poor", "above-ceiling", "no-qualifying-member")
MEMBER_FLAGS = ("elderly", "minor", "severe-disability", "serious-illness")
