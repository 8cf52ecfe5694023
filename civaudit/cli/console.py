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
import sys
import unicodedata

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


__all__ = ["prepare_streams", "write_stdout"]
