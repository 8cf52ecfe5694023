"""Units written in headers: the period and scale of a money column.

Rosters state a column's unit in its header (``月保障金（元/月）``, ``家庭年总收入（元）``,
``金融资产（万元）``, ``保障标准（元/人月）``), in a parent header over several columns
(``保障金（元）``, ``单位：元/月``), or once for the sheet in a note above the header
(``单位：万元``). The period picks the field of the right period (``刚性支出（元/月）``
is ``rigid_expense_month``) or, where the field has no twin for it, a factor that
converts the values (``医疗支出（元/月）`` x 12); the scale turns 万元 into yuan. The
tables step multiplies the parsed values by ``Column.scale``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from civaudit.schema import FIELD_BY_NAME, twin

MONTHS = {"month": 1, "quarter": 3, "year": 12}

_PERIOD_NOISE = re.compile(r"[/每人户全按度·]")
_NOTE = re.compile(r"单位[:：]\s*([^\s,，;；、()（）\[\]【】]+)")
_BRACKETED = re.compile(r"[(\[【〔（]([^()\[\]【】〔〕（）]*)[)\]】〕）]")


@dataclass(frozen=True)
class Unit:
    """A unit as written (``元/月``) and what it says."""

    text: str
    period: str | None  # "month", "quarter", "year", or None when it names none
    scale: float  # yuan per unit written: 万元 -> 10000
    per_person: bool  # 元/人月, 每人每月: an amount per person
    money: bool  # names a currency (元); a bare period (（月）) applies to money columns only


def parse_unit(text: str) -> Unit | None:
    """What a unit text says, or None when it is no money unit nor period (人, 户, 亩).

    ``元/月``, ``元/人月``, ``元/月/人``, ``元/人·月``, ``（元/年）``, ``元/季度``,
    ``万元``, ``/月``, ``每人每月``, ``单位：元/月``.
    """
    raw = re.sub(r"^(?:金额)?单位[:：]\s*", "", unicodedata.normalize("NFKC", text).strip())
    body = re.sub(r"\s+", "", raw)
    if not body:
        return None
    money = "元" in body or body in ("万", "千") or "¥" in body or "人民币" in body
    if not money and _PERIOD_NOISE.sub("", body) not in ("月", "年", "季"):
        return None
    scale = 10_000.0 if "万" in body else 1_000.0 if body.startswith("千") else 1.0
    return Unit(raw, _period(body), scale, "人" in body or "救助对象" in body, money)


def _period(body: str) -> str | None:
    if "季" in body:
        return "quarter"
    month, year = "月" in body, "年" in body
    if month and not year:
        return "month"
    if year and not month:
        return "year"
    return None


def units_in(text: str) -> list[Unit]:
    """The units a header text states: bracketed (``（元/月）``) or noted (``单位：元``)."""
    folded = unicodedata.normalize("NFKC", text)
    found = [parse_unit(t) for t in _BRACKETED.findall(folded)]
    found += [parse_unit(t) for t in _NOTE.findall(folded)]
    return [u for u in found if u is not None]


def sheet_unit(texts: tuple[str, ...]) -> Unit | None:
    """The money unit a note above the header gives the whole sheet (``单位：元/月``)."""
    for text in texts:
        for found in _NOTE.findall(unicodedata.normalize("NFKC", text)):
            unit = parse_unit(found)
            if unit is not None and unit.money:
                return unit
    return None


def words_period(key: str) -> str | None:
    """The period a normalised header's own words state (月保障金: month, 年收入: year)."""
    if "季" in key:
        return "quarter"
    month, year = "月" in key, "年" in key
    if month and not year:
        return "month"
    if year and not month:
        return "year"
    return None


@dataclass(frozen=True)
class Interpretation:
    field: str
    scale: float
    period: str | None  # the period the column's values cover, as stated
    becomes: str  # what the stated period changed: the twin field, or the field's period


def interpret(field: str, unit: Unit | None, stated: str | None) -> Interpretation:
    """The field and value scale of a column of ``field`` whose header states ``unit``
    and, in its words or unit, the period ``stated``."""
    spec = FIELD_BY_NAME[field]
    if spec.kind != "money":
        return Interpretation(field, 1.0, None, "")
    scale = unit.scale if unit is not None else 1.0
    period = stated or spec.period
    if stated and spec.period and stated != spec.period:
        other = twin(field, stated)
        if other is not None:
            return Interpretation(other, scale, period, other)
        return Interpretation(
            field, scale * MONTHS[spec.period] / MONTHS[stated], period, spec.period
        )
    return Interpretation(field, scale, period, "")
