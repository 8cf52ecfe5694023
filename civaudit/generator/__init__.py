"""Deterministic generator of realistic village dibao rosters, with an answer key.

Tests and benchmarks need rosters that look like the ones inspectors receive
(title rows, merged household blocks, totals rows, IDs typed every which way)
and that hide known problems at known cells. Same spec, same bytes::

    from civaudit.generator import RosterSpec, generate_county

    spec = RosterSpec(seed=2019, members=100_000, layout="member", villages=20, towns=2,
                      quirks=0.02, problems=0.01)
    files, key = generate_county(spec, "out")  # also writes out/answer_key.tsv

``layout="export"`` writes the information system's export pair (a household file
and a person file); ``fmt="html-xls"`` / ``"xml-xls"`` the HTML table and the
SpreadsheetML that web systems save as ".xls". ``layout="wide"`` / ``"list"``, ``months``,
``masked`` and ``repeat_household`` write the shapes of issue 12: a ledger with
numbered member columns, member lists in one cell, a monthly workbook, a publicity list
with masked IDs, member rows repeating the household's cells.

``generate_frames(spec)`` gives the same roster as DataFrames without writing
files; ``build_model(spec)`` the clean model. ``python -m civaudit.generator
--help`` is the command line.
"""

from civaudit.generator.columns import layout_columns, layout_headers
from civaudit.generator.core import KEY_COLUMNS, generate_county, generate_frames
from civaudit.generator.model import Model, build_model, formula_benefit
from civaudit.generator.spec import (
    ALL_LAYOUTS,
    EXPORT_RULES,
    FORMATS,
    LAYOUT_RULES,
    LAYOUTS,
    MASK_STYLES,
    PLANTABLE_RULES,
    FileSpec,
    RosterSpec,
)

__all__ = [
    "ALL_LAYOUTS",
    "EXPORT_RULES",
    "FORMATS",
    "KEY_COLUMNS",
    "LAYOUTS",
    "LAYOUT_RULES",
    "MASK_STYLES",
    "PLANTABLE_RULES",
    "FileSpec",
    "Model",
    "RosterSpec",
    "build_model",
    "formula_benefit",
    "generate_county",
    "generate_frames",
    "layout_columns",
    "layout_headers",
]
