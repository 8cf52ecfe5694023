"""Writing to a Windows console, a GBK pipe or a UTF-8 terminal without damage.

Two kinds of output leave civaudit on stdout:

- machine formats (JSON, JSON lines, CSV, Markdown, HTML, policy TOML): always UTF-8
  bytes, written to the binary stream, whatever the console's code page, so a
  program reading the pipe gets exactly what a file would hold. CSV gets no BOM on
  stdout (a program would read ``\\ufeffrule`` as its first key); a ``.csv`` file keeps
  it, for Excel;
- text for people (the rich tables, messages on stderr): encoded for the console. A
  GBK console (code page 936, ``PYTHONIOENCODING=gbk``) is written as GB18030, its
  superset, so a rare character in a name survives instead of becoming ``?``; any
  other legacy code page gets look-alikes (``✓`` -> ``√`` or ``v``, full-width forms
  -> ASCII) and, for what has none, the code point written out (``<U+20BB7>``), never
  a bare ``?``.
"""

from __future__ import annotations

import codecs
import contextlib
import re
import sys
import unicodedata
from typing import IO, Any

import click
from rich.console import Console
from rich.segment import Segment

_GBK_FAMILY = {"gbk", "gb2312", "cp936", "ms936", "936", "euc-cn", "euccn", "gb18030"}
_LOOKALIKES = {
    "✓": "√", "✔": "√", "✗": "×", "✘": "×", "…": "...", "–": "-", "—": "-", "·": ".",
    "│": "|", "─": "-", "┃": "|", "━": "-", "┌": "+", "┐": "+", "└": "+", "┘": "+",
    "├": "+", "┤": "+", "┬": "+", "┴": "+", "┼": "+", "╭": "+", "╮": "+", "╰": "+",
    "╯": "+", "█": "#", "▏": "|", "━━": "--", "“": '"', "”": '"', "‘": "'", "’": "'",
}  # fmt: skip
_HANDLER = "civaudit-lookalike"


def _lookalike(error: UnicodeEncodeError) -> tuple[str, int]:
    """Codec error handler: a look-alike the target encoding has, else ``<U+XXXX>``."""
    out = []
    for ch in error.object[error.start : error.end]:
        candidates = [_LOOKALIKES.get(ch, ""), unicodedata.normalize("NFKC", ch)]
        for candidate in candidates:
            if candidate and candidate != ch:
                try:
                    candidate.encode(error.encoding)
                except (UnicodeEncodeError, LookupError):
                    continue
                out.append(candidate)
                break
        else:
            out.append(f"<U+{ord(ch):04X}>")
    return "".join(out), error.end


codecs.register_error(_HANDLER, _lookalike)


def _normal(encoding: str | None) -> str:
    try:
        return codecs.lookup(encoding or "utf-8").name
    except LookupError:
        return "utf-8"


def prepare_streams() -> None:
    """Set up stdout and stderr for the console's encoding (see the module docstring)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        name = _normal(getattr(stream, "encoding", None))
        with contextlib.suppress(ValueError, OSError, LookupError):
            if name.replace("_", "-") in _GBK_FAMILY or name in ("gbk", "gb2312"):
                reconfigure(encoding="gb18030", errors=_HANDLER)
            elif "utf" not in name:
                reconfigure(errors=_HANDLER)
            else:
                reconfigure(errors="replace")


def write_stdout(data: bytes, *, fmt: str | None = None) -> None:
    """Machine output to stdout as UTF-8 bytes: the binary stream when there is one, a
    CSV's BOM dropped (it is for Excel opening a file, not for a pipe)."""
    if data.startswith(codecs.BOM_UTF8) and fmt in (None, "csv"):
        data = data[len(codecs.BOM_UTF8) :]
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a text-only stream (an IDE, a test runner's capture)
        stream.write(data.decode("utf-8"))
        stream.flush()
        return
    stream.flush()
    buffer.write(data)
    buffer.flush()


# --- what a cell may not do to a terminal ----------------------------------------

_CONTROLS = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROLS_AND_NEWLINE = re.compile(_CONTROLS.pattern[:-1] + "\\n]")


def escape_controls(text: str, *, newlines: bool = True) -> str:
    """``text`` with every C0 and C1 control character (ESC, so every ANSI escape
    sequence, BEL, backspace, carriage return, tab), DEL and the bidirectional
    overrides written out as ``\\x1b``, ``\\u202e``: a cell of a roster that holds
    them is shown, not obeyed (no colours switched, no line overwritten, no title
    set). ``newlines=False`` escapes line breaks too, for a message that must stay
    one line."""
    pattern = _CONTROLS if newlines else _CONTROLS_AND_NEWLINE
    if not pattern.search(text):
        return text
    return pattern.sub(_escaped, text)


def _escaped(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def say(message: object = "", *, err: bool = True, nl: bool = True) -> None:
    """A message for people (stderr unless ``err=False``), control characters escaped.
    Every line civaudit writes to the terminal outside a rich table goes through here."""
    click.echo(escape_controls(str(message)), err=err, nl=nl)


class EscapingStream:
    """A text stream that escapes control characters on the way to ``stream`` (for
    click's own messages: a usage error that quotes a file name)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(escape_controls(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


class SafeConsole(Console):
    """A rich Console whose text cannot carry control characters from the data: a
    string is escaped before it is laid out (so widths stay right), and any text
    segment that still holds one (a ``Text`` built directly) is escaped on output.
    Rich's own control segments (cursor moves of a progress bar) pass untouched."""

    def render_str(self, text: str, **kwargs: Any):  # type: ignore[override]
        return super().render_str(escape_controls(text), **kwargs)

    def _render_buffer(self, buffer) -> str:  # type: ignore[override]
        safe = (
            segment
            if segment.control or not _CONTROLS.search(segment.text)
            else Segment(escape_controls(segment.text), segment.style, segment.control)
            for segment in buffer
        )
        return super()._render_buffer(safe)


__all__ = [
    "EscapingStream",
    "SafeConsole",
    "escape_controls",
    "prepare_streams",
    "say",
    "write_stdout",
]
