"""Cell values to typed columns: IDs, money, counts, dates, yes/no, people.

Every parser takes a Series of raw cell text (any index, kept on the output),
cleans it the same way (``clean_text``), and reports unreadable non-blank cells
as ``bad`` instead of raising, so one odd cell never stops an audit.
"""

from civaudit.normalize.base import Parsed
from civaudit.normalize.dates import DateParsed, parse_dates
from civaudit.normalize.flags import parse_bool
from civaudit.normalize.ids import parse_ids
from civaudit.normalize.money import parse_money
from civaudit.normalize.numbers import parse_count, parse_number
from civaudit.normalize.people import (
    DISABILITY_TYPES,
    ROLES,
    parse_disability,
    parse_disability_type,
    parse_relation,
    parse_sex,
)
from civaudit.normalize.text import clean_text, header_unit, normalize_header

__all__ = [
    "DISABILITY_TYPES",
    "ROLES",
    "DateParsed",
    "Parsed",
    "clean_text",
    "header_unit",
    "normalize_header",
    "parse_bool",
    "parse_count",
    "parse_dates",
    "parse_disability",
    "parse_disability_type",
    "parse_ids",
    "parse_money",
    "parse_number",
    "parse_relation",
    "parse_sex",
]
