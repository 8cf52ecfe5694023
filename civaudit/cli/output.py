"""Sending a command's result to the terminal or to each -o file."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from civaudit.cli.console import say, write_stdout
from civaudit.errors import UsageError
from civaudit.i18n import t
from civaudit.report.output import atomic_write, format_for, refuse_inputs
from civaudit.report.stream import STREAM_FORMATS


def emit(
    outputs: tuple[Path, ...],
    fmt: str | None,
    *,
    inputs: list[Path],
    render: Callable[[str], bytes],
    show: Callable[[], None],
    split: Callable[[Path], list[Path]] | None = None,
    stream: Callable[[Path, str], None] | None = None,
) -> None:
    """Write the result once per ``-o`` (the format from ``-f`` or the extension), or
    to stdout without one (or with ``-o -``): ``show()`` draws the terminal table,
    ``render(format)`` makes the bytes of any other format. ``split(target)``, when
    given, writes an xlsx report as several workbooks beside ``target`` and returns
    their paths, which are listed on stderr. ``stream(target, format)``, when given,
    writes a JSON Lines, CSV or Parquet file itself, partition by partition. An output
    that is an input is refused before anything is written."""
    targets = [None if _is_stdout(o) else o for o in outputs]
    for target in targets:
        if target is not None:
            refuse_inputs(target, inputs)
    for target in targets or [None]:
        kind = format_for(target, fmt, terminal=stdout_is_terminal())
        if target is None:
            if kind == "xlsx":
                raise UsageError("xlsx cannot be written to the terminal", "give -o FILE.xlsx")
            if kind == "table":
                show()
            elif kind == "parquet":  # binary: as it is, to a file or a pipe only
                if not stdout_takes_bytes():
                    raise UsageError(
                        "parquet cannot be written to the terminal",
                        "give -o FILE.parquet, or send stdout to a file or a pipe",
                    )
                write_stdout(render(kind), fmt=kind)
            else:
                data = render(kind)
                write_stdout(data if data.endswith(b"\n") else data + b"\n", fmt=kind)
        elif kind == "table":
            raise UsageError(
                f"{target}: the table format is for the terminal", "give -f or an extension"
            )
        elif kind == "xlsx" and split is not None:
            for path in split(target):
                say(t("split.written", path=str(path)), err=True)
        elif stream is not None and kind in STREAM_FORMATS:
            stream(target, kind)
        else:
            atomic_write(target, render(kind))


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def stdout_takes_bytes() -> bool:
    """Whether binary output (Parquet) may go to stdout: a file or a pipe, not a
    terminal and not a text-only stream (an IDE's console)."""
    return not stdout_is_terminal() and getattr(sys.stdout, "buffer", None) is not None


def _is_stdout(target: Path) -> bool:
    return str(target) == "-"


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
