"""Every message exists in both languages, with the same placeholders."""

from __future__ import annotations

import string

from civaudit.i18n import plurals, set_language, t
from civaudit.i18n.catalog import MESSAGES


def _fields(text: str) -> set[str]:
    text = plurals(text, {})  # {n|one|many} markers choose a word, not a field
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_english_plurals_follow_the_count():
    set_language("en")
    try:
        one = t("audit.summary", total=1, errors=1, warnings=0, infos=0)
        many = t("audit.summary", total=2, errors=2, warnings=1, infos=0)
    finally:
        set_language("en")
    assert one == "1 finding: 1 error, 0 warnings, 0 info."
    assert many == "2 findings: 2 errors, 1 warning, 0 info."


def test_every_message_has_both_languages_and_the_same_placeholders():
    for key, entry in MESSAGES.items():
        assert "zh" in entry and "en" in entry, key
        assert bool(entry["zh"]) == bool(entry["en"]), key  # empty only on purpose, in both
        assert _fields(entry["zh"]) == _fields(entry["en"]), key
