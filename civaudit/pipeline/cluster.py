"""The Dask engine (``--engine dask``; ``pip install civaudit[dask]``).

The per-file stage (``stages.check_unit``) runs as one task per file on the cluster's
workers; each task stores its file's tables as Parquet in the work folder (the loading
cache's format, an entry per file keyed by its sha256) and sends back only a small
``Unit``. The cross-file stage runs in shards (``pipeline.shards``): a task per file
group, then a task per bucket of each key (ID number, bank account, village); tables
go between them through the work folder, and the client gets back the findings,
coverage and a thin roster (``stages.thin``), never the tables.

The cluster: ``client`` (a ``distributed.Client``), else the scheduler at
``scheduler`` or ``DASK_SCHEDULER_ADDRESS``, else a LocalCluster of ``jobs`` worker
processes on the loopback interface. The work folder must be one path every worker
and the client see (a shared mount) when the workers run on other machines.

Faults: tasks are retried (``RETRIES``) and a killed worker's tasks are run again by
the scheduler on the others, so the findings do not change. A file that cannot be
read is a value, reported as the local engine reports it. Ctrl-C cancels the run's
tasks on the cluster; nothing has been written by then but the work folder's entries
(each whole or absent), and a work folder made for the run is removed.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from civaudit.errors import UsageError
from civaudit.i18n import language
from civaudit.io.cache import Store
from civaudit.limits import Limits
from civaudit.pipeline.shards import check_sharded
from civaudit.pipeline.stages import Outcome, check_unit, input_files
from civaudit.policy.model import Policy

RETRIES = 3
"""Times a task is tried again after an error on its worker (a killed worker's tasks
are rescheduled by Dask besides, up to its ``allowed-failures``)."""

SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"


def _distributed():
    """The ``distributed`` module, or a usage error saying how to install it."""
    try:
        import distributed
    except ImportError:
        raise UsageError(
            "the Dask engine needs dask and distributed",
            "pip install civaudit[dask], or use --engine local",
        ) from None
    return distributed


@contextlib.contextmanager
def open_client(client=None, scheduler: str | None = None, jobs: int = 1) -> Iterator:
    """The client to run on: ``client`` as given, else one joined to ``scheduler`` (or
    ``DASK_SCHEDULER_ADDRESS``), else a LocalCluster of ``jobs`` single-threaded worker
    processes on 127.0.0.1, closed afterwards."""
    if client is not None:
        yield client
        return
    distributed = _distributed()
    address = scheduler or os.environ.get(SCHEDULER_ENV)
    if address:
        try:
            joined = distributed.Client(address, timeout="30s")
        except (OSError, TimeoutError) as exc:
            raise UsageError(
                f"cannot reach the Dask scheduler at {address}: {exc}",
                "start one with `dask scheduler` and `dask worker ADDRESS`, or check --scheduler",
            ) from None
        with joined:
            yield joined
        return
    cluster = distributed.LocalCluster(
        n_workers=max(1, jobs), threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None,
    )  # fmt: skip
    with cluster, distributed.Client(cluster) as local:
        yield local


def run_dask(
    paths: str | Path | Iterable[str | Path],
    policy: Policy,
    *,
    client=None,
    scheduler: str | None = None,
    work_dir: str | Path | None = None,
    jobs: int = 1,
    sheet: str | None = None,
    columns: Mapping[str, str] | None = None,
    on_error: str = "raise",
    progress: Callable | None = None,
    check: Callable | None = None,
    lang: str | None = None,
    limits: Limits | None = None,
    **options,
) -> Outcome:
    """Audit ``paths`` on a Dask cluster: the same Outcome as the local engine's, its
    roster thin (``stages.thin``). ``work_dir``: a folder or an fsspec URL every worker
    and the client reach (a temporary folder, removed after, when None: enough for a
    cluster on this machine). ``limits`` bound each file's read on the workers as
    locally. ``options``: ``stages.check_roster``'s."""
    files = input_files(paths)
    made = work_dir is None
    work = Store(tempfile.mkdtemp(prefix="civaudit-work-") if made else work_dir)
    work.make()
    lang = lang or language()  # the client's language, not the workers'
    try:
        with open_client(client, scheduler, jobs) as active:
            return _run(
                active, files, policy, work=work, sheet=sheet, columns=columns,
                on_error=on_error, progress=progress, check=check, lang=lang, limits=limits,
                **options,
            )  # fmt: skip
    finally:
        if made:
            work.remove()


def _run(
    client, files, policy, *, work, sheet, columns, on_error, progress, check, limits, **options
):
    distributed = _distributed()
    futures = client.map(
        check_unit, [str(f) for f in files], sheet=sheet, columns=columns,
        work_dir=work.location, limits=limits, retries=RETRIES, pure=False,
    )  # fmt: skip
    pending = list(futures)
    try:
        units = []
        for done, future in enumerate(distributed.as_completed(futures), start=1):
            unit = future.result()
            units.append(unit)
            if progress is not None:
                progress(Path(unit.path), done, len(files))
        units.sort(key=lambda u: Path(u.path).as_posix())
        failed = [u for u in units if u.error is not None]
        if failed and on_error != "skip":
            raise failed[0].error
        return check_sharded(
            units, policy, run=_runner(client, pending), work_dir=work, buckets=_buckets(client),
            sheet=sheet, columns=columns, check=check, **options,
        )  # fmt: skip
    except BaseException:
        client.cancel(pending, force=True)  # Ctrl-C or a failure: nothing left running
        _settle(client, pending)
        raise
    finally:
        futures.clear()


def _runner(client, pending: list):
    """``shards.Runner`` on the cluster: a task per item, retried; ``shared`` values
    sent to every worker once. On an error or Ctrl-C the run's tasks are cancelled and
    waited for before it goes on (the run's folder is removed after them)."""

    def run(fn, items, **shared):
        items = list(items)
        if not items:
            return []
        sent = {k: client.scatter(v, broadcast=True, hash=False) for k, v in shared.items()}
        futures = client.map(fn, items, **sent, retries=RETRIES, pure=False)
        pending.extend(futures)
        try:
            return client.gather(futures)
        except BaseException:
            client.cancel(pending, force=True)
            _settle(client, pending)
            raise

    return run


def _buckets(client) -> int:
    """Shuffle buckets per key: two per worker, so a slow bucket does not hold the run."""
    with contextlib.suppress(Exception):
        return max(2, 2 * len(client.scheduler_info()["workers"]))
    return 2


def _settle(client, futures, seconds: float = 20.0) -> None:
    """Wait (a while) until none of ``futures``' tasks still runs on a worker: a
    cancelled task that had started finishes its file first (Dask cannot stop a
    running function), so the work folder is removed only after it."""
    keys = {f.key for f in futures}
    deadline = time.monotonic() + seconds
    with contextlib.suppress(Exception):  # a cluster going away has nothing running
        while time.monotonic() < deadline:
            running = client.run(_running, keys)
            if not any(running.values()):
                return
            time.sleep(0.05)


def _running(keys, dask_worker=None) -> int:
    """Worker side: how many of ``keys`` it is running now."""
    return sum(1 for task in dask_worker.state.executing if task.key in keys)


__all__ = ["RETRIES", "SCHEDULER_ENV", "open_client", "run_dask"]
