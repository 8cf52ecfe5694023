"""The local engine (the default): the files loaded in a process pool on this machine
(``roster.load_roster``), then the cross-file stage in this process. No Dask here:
``run_audit`` imports the Dask engine only when it is asked for."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from civaudit.errors import UsageError
from civaudit.pipeline.stages import Outcome, check_roster
from civaudit.policy.model import Policy
from civaudit.roster import load_roster


def run_audit(
    paths: str | Path | Iterable[str | Path],
    policy: Policy,
    *,
    engine: str = "local",
    client=None,
    scheduler: str | None = None,
    work_dir: str | Path | None = None,
    jobs: int = 1,
    sheet: str | None = None,
    columns: Mapping[str, str] | None = None,
    on_error: str = "raise",
    cache: str | Path | None = None,
    keep_rows: int = 0,
    progress: Callable | None = None,
    check: Callable | None = None,
    limits=None,
    **options,
) -> Outcome:
    """Load and audit ``paths`` with ``engine``: 'local' (a process pool of ``jobs``)
    or 'dask' (``client``, a ``distributed.Client``; else one joined at ``scheduler``
    or ``DASK_SCHEDULER_ADDRESS``; else a LocalCluster of ``jobs`` workers; the tables
    go to ``work_dir``, a folder or an fsspec URL; ``limits`` (``civaudit.limits``)
    bound each file's read, locally or on the workers). Both give the same Outcome; ``options`` are
    ``stages.check_roster``'s (as_of, against, select, ignore, lang, mask)."""
    if engine == "dask" or client is not None:
        from civaudit.pipeline.cluster import run_dask

        return run_dask(
            paths, policy, client=client, scheduler=scheduler, work_dir=work_dir, jobs=jobs,
            sheet=sheet, columns=columns, on_error=on_error, progress=progress, check=check,
            limits=limits, **options,
        )  # fmt: skip
    if engine != "local":
        raise UsageError(f"unknown engine {engine!r}", "use --engine local or --engine dask")
    roster = load_roster(
        paths, sheet=sheet, columns=columns, on_error=on_error, progress=progress, jobs=jobs,
        cache=cache, keep_rows=keep_rows, limits=limits,
    )  # fmt: skip
    return check_roster(roster, policy, check=check, **options)


__all__ = ["run_audit"]
