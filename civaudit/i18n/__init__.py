"""Messages and labels in Chinese and English.

Every text a user reads is a key here with both languages; ``t(key, **values)``
formats it in the language in force. The CLI sets the language once from
``--lang`` or the locale; the library defaults to English.
"""

from __future__ import annotations

import locale
import os

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


def t(key: str, /, **values: object) -> str:
    """The message ``key`` in the current language, formatted with ``values``."""
    entry = MESSAGES[key]
    text = entry.get(_current) or entry["en"]
    return text.format(**values) if values else text
