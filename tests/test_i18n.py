"""Every message exists in both languages, with the same placeholders."""

from __future__ import annotations

import string

from civaudit.i18n.catalog import MESSAGES


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_both_languages_and_the_same_placeholders():
    for key, entry in MESSAGES.items():
        assert "zh" in entry and "en" in entry, key
        assert bool(entry["zh"]) == bool(entry["en"]), key  # empty only on purpose, in both
        assert _fields(entry["zh"]) == _fields(entry["en"]), key
