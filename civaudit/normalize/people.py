"""Person attributes: sex, relation to the head, disability grade and type.

Each column holds a few dozen distinct spellings across a county, so the
parsers map each distinct cleaned text once.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from civaudit.normalize.arrow import strings_from_codes
from civaudit.normalize.base import (
    BAD,
    Parsed,
    bad_mask,
    broadcast,
    categorical,
    category_codes,
    parse_distinct,
)
from civaudit.normalize.text import DASHES

# --- sex -------------------------------------------------------------------

_SEX = {"男": "M", "男性": "M", "m": "M", "male": "M", "1": "M"}
_SEX |= {"女": "F", "女性": "F", "f": "F", "female": "F", "2": "F"}
"""``1``/``2`` are the GB/T 2261.1 codes that system exports use."""


def parse_sex(raw: pd.Series) -> Parsed:
    """``'M'`` / ``'F'`` (string dtype), so recorded sex can be compared with the ID's."""
    codes, results = parse_distinct(raw, lambda t: _SEX.get(t.casefold(), BAD), squeeze_spaces=True)
    sexes = ("F", "M")
    return Parsed(
        strings_from_codes(category_codes(results, codes, sexes), sexes, raw.index),
        bad_mask(results, codes, raw.index),
    )


# --- relation to the household head ----------------------------------------

ROLES: tuple[str, ...] = (
    "head",
    "spouse",
    "child",
    "child_in_law",
    "grandchild",
    "parent",
    "sibling",
    "other",
)

_ORDINAL = "(?:长|次|大|二|三|四|五|六|七|八|九|十|小|幺|老|独)"
_ROLE_WORDS: dict[str, str] = {
    "head": "户主 本人 户主本人 本户户主 本户 自己 自身",
    "spouse": "配偶 妻 夫 妻子 丈夫 之妻 之夫 爱人 老伴 夫妻 老婆 老公",
    "child": "子女 儿女 孩子 小孩",
    "child_in_law": "儿媳 儿媳妇 女婿 子媳",
    # Grandparents are filed as parent: the roles serve household-structure
    # checks (who can be the head, who is a minor), where both are "elder".
    "parent": "父亲 母亲 父 母 父母 爸爸 妈妈 公公 婆婆 岳父 岳母 继父 继母 养父 养母 "
    "祖父 祖母 外祖父 外祖母 爷爷 奶奶 姥爷 姥姥 外公 外婆 曾祖父 曾祖母 祖父母 外祖父母",
    "sibling": "兄 弟 姐 妹 哥 哥哥 弟弟 姐姐 妹妹 兄弟 姐妹 兄妹 姐弟 兄弟姐妹 "
    "胞兄 胞弟 胞姐 胞妹",
    # Known relations with no role of their own: 'other', and not reported as
    # unreadable. 弟妹 is usually the younger brother's wife, so it is here.
    "other": "其他 其它 其他亲属 其它亲属 其他关系 亲属 亲戚 非亲属 侄 侄子 侄女 侄儿 外甥 "
    "外甥女 孙媳 孙媳妇 孙女婿 叔 叔叔 伯 伯父 伯母 婶 婶婶 姑 姑姑 姑妈 舅 舅舅 舅妈 姨 "
    "姨妈 嫂 嫂子 弟媳 弟妹 兄嫂 姐夫 妹夫 堂兄 堂弟 堂姐 堂妹 表兄 表弟 表姐 表妹 侄孙 "
    "侄孙子 侄孙女 朋友 保姆 寄养",
}
# 媳妇 is left out on purpose: in Hebei it often means the wife, so it is reported.
_ROLE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(f"{_ORDINAL}?(?:养|继|亲)?(?:子|儿|儿子|女|女儿)"), "child"),
    (re.compile(f"{_ORDINAL}?(?:儿媳|儿媳妇|女婿|媳)"), "child_in_law"),
    (re.compile(f"(?:外|曾|重|外曾|{_ORDINAL})?(?:孙|孙子|孙女|孙儿|孙女儿)"), "grandchild"),
    (re.compile("(?:长|次|大|二|三|四|五|小|老)(?:兄|哥|弟|姐|妹)"), "sibling"),
)
_ROLE_LOOKUP = {word: role for role, words in _ROLE_WORDS.items() for word in words.split()}
_ROLE_LOOKUP.update({role: role for role in ROLES})  # canonical names read back
_ROLE_LOOKUP.update({"child-in-law": "child_in_law", "self": "head"})
_NOTE = re.compile(r"\([^)]*\)$")
_HEAD_PREFIX = re.compile(r"^(?:户主|其)?(?:之|的)(?=.)|^户主(?=[^本])")


def parse_relation(raw: pd.Series) -> Parsed:
    """The member's role (Categorical of ``ROLES``).

    Unrecognised text becomes ``'other'`` *and* ``bad``: household checks still
    get a role, and the audit still reports the cell.
    """
    codes, results = parse_distinct(raw, _parse_role, squeeze_spaces=True)
    roles = [r if isinstance(r, str) else ("other" if r is BAD else None) for r in results]
    return Parsed(
        categorical(category_codes(roles, codes, ROLES), ROLES, raw.index),
        bad_mask(results, codes, raw.index),
    )


def _parse_role(text: str) -> str:
    text = text.casefold()
    for candidate in (text, _NOTE.sub("", text)):
        if role := _role(candidate) or _role(_HEAD_PREFIX.sub("", candidate)):
            return role
    return BAD


def _role(text: str) -> str | None:
    if not text:
        return None
    if text in _ROLE_LOOKUP:
        return _ROLE_LOOKUP[text]
    for pattern, role in _ROLE_PATTERNS:
        if pattern.fullmatch(text):
            return role
    return None


# --- disability --------------------------------------------------------------

DISABILITY_TYPES: tuple[str, ...] = (
    "physical",
    "visual",
    "hearing",
    "speech",
    "intellectual",
    "mental",
    "multiple",
)
NO_DISABILITY = frozenset({"无", "否", "没有", "0", "无残疾", "非残疾", "健全", "正常", "/"})
"""Cells that say "not disabled": NA, and not reported as unreadable."""

_TYPE_WORDS = {
    "肢体": "physical",
    "视力": "visual",
    "听力": "hearing",
    "言语": "speech",
    "语言": "speech",
    "智力": "intellectual",
    "精神": "mental",
    "多重": "multiple",
}
_TYPE_RE = re.compile("|".join(_TYPE_WORDS))
_FILLER = re.compile(r"残疾人|残疾|等级|级别|类别|类|[、,;/+&]|和|及|与")
_GRADE_TOKEN = r"(?:(IV|III|II|I)(?![IV])|([1-4])(?:\.0+)?(?![0-9])|([一二三四]))级?"
_GRADES = re.compile(f"(?:{_GRADE_TOKEN})+", re.ASCII)
_GRADE_ITEM = re.compile(_GRADE_TOKEN, re.ASCII)
_GRADE_VALUE = {"I": 1, "II": 2, "III": 3, "IV": 4, "一": 1, "二": 2, "三": 3, "四": 4}


def parse_disability(raw: pd.Series) -> pd.DataFrame:
    """Disability grade and type from one cell (``肢体二级``, ``Ⅰ级``, ``一级残疾``).

    Columns ``grade`` (Int8, 1 = most severe), ``type`` (Categorical of
    ``DISABILITY_TYPES``) and ``bad``. Several types in one cell make
    ``'multiple'`` with the most severe grade, as the certificate does.
    "None" cells (``无``, ``否``, a dash) are NA and not bad.
    """
    codes, results = parse_distinct(raw, _parse_disability, squeeze_spaces=True)
    index = raw.index
    missing = np.array([not isinstance(r, tuple) or r[0] is None for r in results], dtype=bool)
    grade = np.array([r[0] if isinstance(r, tuple) and r[0] else 0 for r in results], np.int8)
    kinds = [r[1] if isinstance(r, tuple) else None for r in results]
    return pd.DataFrame(
        {
            "grade": pd.arrays.IntegerArray(
                broadcast(grade, codes, 0), broadcast(missing, codes, True)
            ),
            "type": categorical(
                category_codes(kinds, codes, DISABILITY_TYPES), DISABILITY_TYPES, index
            ),
            "bad": bad_mask(results, codes, index),
        },
        index=index,
    )


def parse_disability_type(raw: pd.Series) -> Parsed:
    """The type alone, for a separate 残疾类别 column; a cell with no type word is bad."""
    codes, results = parse_distinct(raw, _parse_type_only, squeeze_spaces=True)
    kinds = [r if isinstance(r, str) else None for r in results]
    return Parsed(
        categorical(category_codes(kinds, codes, DISABILITY_TYPES), DISABILITY_TYPES, raw.index),
        bad_mask(results, codes, raw.index),
    )


def _parse_type_only(text: str) -> str | None:
    parsed = _parse_disability(text)
    if parsed is None or parsed is BAD:
        return parsed
    return parsed[1] if parsed[1] is not None else BAD


def _parse_disability(text: str) -> tuple[int | None, str | None] | None:
    text = text.upper()
    if text in NO_DISABILITY or DASHES.fullmatch(text):
        return None
    kinds = {_TYPE_WORDS[word] for word in _TYPE_RE.findall(text)}
    rest = _FILLER.sub("", _TYPE_RE.sub("", text))
    grades: list[int] = []
    if rest:
        if not _GRADES.fullmatch(rest):
            return BAD
        for roman, digit, chinese in _GRADE_ITEM.findall(rest):
            grades.append(int(digit) if digit else _GRADE_VALUE[roman or chinese])
    if not kinds and not grades:
        return BAD
    kind = None if not kinds else ("multiple" if len(kinds) > 1 else kinds.pop())
    return (min(grades) if grades else None), kind
