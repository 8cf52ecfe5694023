"""Hand memory the process has freed back to the system.

Both allocators under a large read keep what is freed for reuse that does not come:
glibc's heap after the stream's million transient rows (a quarter gigabyte past the
text they produced), and Arrow's pool after a million-member sheet's grid (0.5 GB)
is let go. Left there, it counts again when the next step peaks.
"""

from __future__ import annotations

import contextlib
import sys


def release_freed_memory() -> None:
    """Return freed pages: Arrow's pool, and glibc's heap (``malloc_trim``; Dask's guide
    to worker memory gives the same call, "Memory not released back to the OS",
    https://distributed.dask.org/en/stable/worker-memory.html). Other C libraries
    have nothing to trim here."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import ctypes.util

    with contextlib.suppress(OSError, AttributeError):  # musl and others have none
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
