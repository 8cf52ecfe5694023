"""Messages and labels in Chinese and English.

Every text a user reads is a key here with both languages; ``t(key, **values)``
formats it in the language in force. The CLI sets the language once from
``--lang`` or the locale; the library defaults to English.
"""

from __future__ import annotations

import locale
import os
import re

from civaudit.i18n.catalog import MESSAGES

LANGUAGES = ("zh", "en")
_current = "en"


def default_language() -> str:
    """zh when the locale says Chinese (zh_CN, zh_TW, Chinese_China on Windows), else en."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    try:
        name = locale.getlocale()[0] or ""
    except ValueError:
        name = ""
    return "zh" if name.lower().startswith(("zh", "chinese")) else "en"


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    _current = lang


def language() -> str:
    return _current


_PLURAL = re.compile(r"\{(\w+)\|([^|{}]*)\|([^|{}]*)\}")
"""``{n|error|errors}``: the singular when ``n`` is 1, else the plural (English texts)."""


def plurals(text: str, values: dict[str, object]) -> str:
    """``text`` with its ``{n|one|many}`` markers chosen by ``values``."""

    def choose(match: re.Match) -> str:
        value = values.get(match.group(1))
        try:
            one = float(str(value).replace(",", "")) == 1
        except ValueError:
            one = False
        return match.group(2) if one else match.group(3)

    return _PLURAL.sub(choose, text)


def t(key: str, /, **values: object) -> str:
    """The message ``key`` in the current language, formatted with ``values``;
    ``{n|error|errors}`` picks the singular or plural by ``n``."""
    entry = MESSAGES[key]
    text = entry.get(_current) or entry["en"]
    if "|" in text:
        text = plurals(text, values)
    return text.format(**values) if values else text
