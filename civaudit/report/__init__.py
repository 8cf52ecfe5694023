"""Writing tables out: terminal, JSON, JSON lines, CSV, Markdown and Excel.

Every file output is written to a temporary file beside its target and renamed,
so a failed run leaves no half-written file; text that looks like a formula
(``=``, ``+``, ``-``, ``@``) is always written as text.
"""

from civaudit.report.output import FORMATS, format_for, render

__all__ = ["FORMATS", "format_for", "render"]
