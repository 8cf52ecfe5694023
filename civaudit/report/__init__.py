"""Writing tables out: terminal, JSON, JSON lines, CSV, Markdown and Excel.

Every file output is written to a temporary file beside its target and renamed,
so a failed run leaves no half-written file; text that looks like a formula
(``=``, ``+``, ``-``, ``@``) is always written as text.

``output``: the formats, JSON documents, atomic writes, any table in any format.
``findings``: an audit's findings. ``xlsx``: what every workbook is built from (cell
formats, the safe cell writer, sheet names, the findings sheet and its labels).
``workbook``: the inspectors' workbook of ``audit``. ``diff``: the ``diff`` report.
``visit``: the ``sample`` report and its visit workbook.
"""

from civaudit.report.output import FORMATS, format_for, render

__all__ = ["FORMATS", "format_for", "render"]
