"""A progress bar on stderr for long runs (only when stderr is a terminal)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Column

from civaudit.cli.console import SafeConsole
from civaudit.i18n import t


class _Steps:
    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.task = None

    def file(self, path: Path, done: int, total: int) -> None:
        if self.progress is None:
            return
        if self.task is None:
            self.task = self.progress.add_task(t("progress.load"), total=total)
        self.progress.update(
            self.task, completed=done, description=f"{t('progress.load')} {path.name}"
        )

    def stage(self, label: str) -> None:
        if self.progress is not None and self.task is not None:
            self.progress.update(self.task, description=label)


@contextlib.contextmanager
def stage_progress(*, enabled: bool) -> Iterator[_Steps]:
    if not (enabled and sys.stderr.isatty()):
        yield _Steps(None)
        return
    # One line whatever the terminal's width: the description is cut with an ellipsis
    # rather than wrapped (a wrapped line is redrawn as a new line at each refresh).
    columns = (
        TextColumn(
            "{task.description}",
            table_column=Column(no_wrap=True, overflow="ellipsis", ratio=1, min_width=8),
        ),
        BarColumn(bar_width=20),
        TextColumn("{task.completed}/{task.total}", table_column=Column(no_wrap=True)),
        TimeElapsedColumn(),
    )
    console = SafeConsole(stderr=True)
    with Progress(*columns, console=console, transient=True, expand=True) as progress:
        yield _Steps(progress)
