"""Sending a command's result to the terminal or to each -o file."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from civaudit.cli.console import say, write_stdout
from civaudit.errors import UsageError
from civaudit.i18n import t
from civaudit.report.output import atomic_write, format_for, refuse_inputs


def emit(
    outputs: tuple[Path, ...],
    fmt: str | None,
    *,
    inputs: list[Path],
    render: Callable[[str], bytes],
    show: Callable[[], None],
) -> None:
    """Write the result once per ``-o`` (the format from ``-f`` or the extension), or
    to stdout without one: ``show()`` draws the terminal table, ``render(format)``
    makes the bytes of any other format. An output that is an input is refused
    before anything is written."""
    for target in outputs:
        refuse_inputs(target, inputs)
    for target in list(outputs) or [None]:
        kind = format_for(target, fmt, terminal=sys.stdout.isatty())
        if target is None:
            if kind == "xlsx":
                raise UsageError("xlsx cannot be written to the terminal", "give -o FILE.xlsx")
            if kind == "table":
                show()
            else:
                data = render(kind)
                write_stdout(data if data.endswith(b"\n") else data + b"\n", fmt=kind)
        elif kind == "table":
            raise UsageError(
                f"{target}: the table format is for the terminal", "give -f or an extension"
            )
        else:
            atomic_write(target, render(kind))


def print_months(series) -> None:
    """Which sheet of each monthly workbook was audited, which was compared as the
    month before, and which were not audited (stderr)."""
    for info in series:

        def shown(part) -> str:
            return f"{part['month']} ({', '.join(part['sheets'])})"

        say(t("months.audited", file=info["file"], audited=shown(info["audited"])), err=True)
        if info["previous"] is not None:
            say(t("months.previous", previous=shown(info["previous"])), err=True)
        others = [*info["earlier"][:-1], *info["later"]]
        if others:
            say(t("months.others", others="; ".join(map(shown, others))), err=True)
