"""The command line in the user's language: help, click's own texts, ``--lang`` anywhere.

- Every command's and option's help is written in English in the code and shown in
  the ``--lang`` language: the commands and options get a ``help`` that looks their
  text up in ``i18n.cli.HELP`` when the language is Chinese.
- click's own texts (``Usage:``, ``Options``, ``Error: ...``, ``No such option``)
  go through gettext; its modules' translation functions are pointed at
  ``i18n.cli.CLICK``.
- ``--lang`` is accepted before the command and after it (``civaudit audit --lang zh
  …``), as users type it; ``main`` reads it from the command line before click runs,
  so even ``civaudit -h --lang zh`` is in Chinese.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator, Sequence

import click

from civaudit.i18n import LANGUAGES, language, set_language
from civaudit.i18n.cli import CLICK, HELP

_CLICK_MODULES = ("core", "exceptions", "formatting", "decorators", "types", "parser", "termui")


def help_text(text: str | None) -> str | None:
    """``text`` (an English help) in the current language."""
    if text is None or language() != "zh":
        return text
    return HELP.get(inspect.cleandoc(text), text)


def _gettext(message: str) -> str:
    return CLICK.get(message, message) if language() == "zh" else message


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


def _in_language(obj, method: str) -> None:
    """Make ``obj.method`` run with ``obj.help`` in the current language (the English
    text stays the attribute's value, and the key to the catalogue)."""
    original = getattr(type(obj), method)
    if getattr(obj, method, None) is not getattr(obj, "_localized_" + method, object()):

        def call(*args, **kwargs):
            english = obj.help
            obj.help = help_text(english)
            try:
                return original(obj, *args, **kwargs)
            finally:
                obj.help = english

        setattr(obj, method, call)
        setattr(obj, "_localized_" + method, call)


def _short_help(command: click.Command):
    """The command list's one-line help: click cuts English at a word; Chinese has
    no spaces, so it is cut at the first 。 instead."""
    original = type(command).get_short_help_str

    def call(limit: int = 45) -> str:
        text = help_text(command.help)
        if language() != "zh" or not text:
            return original(command, limit)
        first = inspect.cleandoc(text).split("\n\n")[0].replace("\n", "")
        first = re.split("[。：；]", first)[0]
        most = limit // 2  # a Chinese character takes two columns
        return first if len(first) <= most else first[: most - 1] + "…"

    command.get_short_help_str = call


def _localized(obj) -> None:
    if isinstance(obj, click.Command):
        _in_language(obj, "format_help_text")
        _short_help(obj)
        original = type(obj).get_help_option

        def help_option(ctx, _obj=obj, _original=original):
            option = _original(_obj, ctx)
            if option is not None and not hasattr(option, "_localized_get_help_record"):
                _in_language(option, "get_help_record")
            return option

        obj.get_help_option = help_option
    else:
        _in_language(obj, "get_help_record")
        if isinstance(getattr(obj, "show_default", None), str):
            english = obj.show_default
            original = obj.get_help_record

            def record(ctx, _english=english, _original=original, _obj=obj):
                _obj.show_default = help_text(_english)
                try:
                    return _original(ctx)
                finally:
                    _obj.show_default = _english

            obj.get_help_record = record


def _set_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        set_language(value)


def lang_option() -> click.Option:
    return click.Option(
        ["--lang"],
        type=click.Choice(LANGUAGES),
        default=None,
        expose_value=False,
        is_eager=True,
        callback=_set_lang,
        help="Language of messages and reports (default: from the locale).",
    )


def commands(group: click.Command) -> Iterator[click.Command]:
    """``group`` and every command under it."""
    yield group
    if isinstance(group, click.Group):
        for command in group.commands.values():
            yield from commands(command)


def localize(root: click.Group) -> None:
    """Localized help on every command and option under ``root``, and ``--lang`` on
    every subcommand; click's own texts translated."""
    for command in commands(root):
        if command is not root and not any(p.name == "lang" for p in command.params):
            command.params.append(lang_option())
        _localized(command)
        for param in command.params:
            _localized(param)
    for name in _CLICK_MODULES:
        module = getattr(click, name, None)
        if module is None:
            continue
        if hasattr(module, "_"):
            module._ = _gettext
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext


def language_in(argv: Sequence[str]) -> str | None:
    """The ``--lang`` value given anywhere before ``--`` (the last one wins)."""
    found = None
    args = list(argv)
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args) and args[i + 1] in LANGUAGES:
            found = args[i + 1]
        elif arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGUAGES:
            found = arg.split("=", 1)[1]
    return found


__all__ = ["commands", "help_text", "lang_option", "language_in", "localize"]
