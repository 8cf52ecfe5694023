"""Cells the loader could not read, or read with a doubt: reported with their A1 cell.

A value that cannot be read is never guessed: the household's assessment says
"cannot assess", and this is the finding that tells the user which cell to fix.
"""

from __future__ import annotations

import pandas as pd

from civaudit.rules._common import column, text
from civaudit.rules.registry import hits, rule
from civaudit.schema import FIELD_BY_NAME

QUALITY = "花名册数据质量 / roster data quality"


def _labels(fields: pd.Series, lang: str) -> pd.Series:
    names = {k: (f.zh if lang == "zh" else f.en) for k, f in FIELD_BY_NAME.items()}
    return fields.astype("object").map(names).fillna(fields.astype("object"))


@rule(
    id="data.unparsed",
    severity="warning",
    needs=("issues.issue", "issues.cell"),
    title={"zh": "无法读取的单元格", "en": "Cell that cannot be read"},
    description={
        "zh": "单元格的内容无法按该列的类型读取（如“三口人?”“待核实”），该值未参与核算。",
        "en": 'A cell\'s content cannot be read as its column\'s type ("三口人?", "待核实"); '
        "the value was left out of the assessment.",
    },
    clause=QUALITY,
    message={
        "zh": "单元格 {cell}（{header}）的内容“{raw}”无法读取为{what}",
        "en": "Cell {cell} ({header}) holds '{raw}', which cannot be read as {what}",
    },
)
def unparsed_cell(data) -> pd.DataFrame:
    i = data.issues
    fields = text(i, "field")
    return hits(
        "issues",
        text(i, "issue").eq("unparsed"),
        cell=column(i, "cell"),
        field=fields,
        header=column(i, "header"),
        raw=column(i, "raw").astype("object").map(str, na_action="ignore"),
        _what_zh=_labels(fields, "zh"),
        _what_en=_labels(fields, "en"),
    )


@rule(
    id="date.ambiguous",
    severity="warning",
    needs=("issues.issue", "issues.cell"),
    title={"zh": "有歧义的日期", "en": "Ambiguous date"},
    description={
        "zh": "数字单元格中的“2019.1”可能是2019年1月，也可能是输入“2019.10”后被 Excel 截去末尾0的"
        "2019年10月；已按1月读取，须核实。",
        "en": "'2019.1' in a number cell may be January 2019, or 2019.10 (October) whose "
        "trailing zero Excel dropped; it was read as January and must be checked.",
    },
    clause=QUALITY,
    message={
        "zh": "单元格 {cell}（{header}）的“{raw}”可能是 {year} 年1月或10月，已按1月读取",
        "en": "Cell {cell} ({header}) holds '{raw}': January or October {year}? Read as January",
    },
)
def ambiguous_date(data) -> pd.DataFrame:
    i = data.issues
    hit = text(i, "issue").eq("ambiguous-date")
    # the texts of the hit cells only: a large roster has many issues of other kinds
    raw = column(i, "raw")[hit.fillna(False).to_numpy(dtype=bool)]
    raw = raw.astype("object").map(str, na_action="ignore")
    year = raw.astype("string").str.extract(r"((?:19|20)\d{2})", expand=False)
    return hits(
        "issues",
        hit,
        cell=column(i, "cell"),
        field=text(i, "field"),
        header=column(i, "header"),
        raw=raw,
        year=year,
    )
