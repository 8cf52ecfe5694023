"""The audit as a pipeline of two named stages, run by one of two engines.

``stages``: the per-file stage (``check_unit``: read, map, normalise, store the
tables as Parquet) and the cross-file stage (``check_roster``: pairs, places, months,
assessment and every rule), each a function over DataFrames. ``local``: the default
engine, today's process pool on one machine; it imports no Dask. ``cluster``: the
Dask engine (``pip install civaudit[dask]``), the per-file stage as tasks on a
cluster's workers, the tables in a work folder the workers share. ``shards``: the
cross-file stage cut into tasks (file groups, buckets of a key) that give exactly the
whole run's answers.

``run_audit(paths, policy, engine="local" | "dask", client=...)`` runs either and
returns the same ``stages.Outcome`` (its ``report`` is the run's ``Report``).
"""

from __future__ import annotations

from civaudit.pipeline.local import run_audit

ENGINES = ("local", "dask")

__all__ = ["ENGINES", "run_audit"]
