"""Files written whole or not at all: the reports and the loading cache's entries."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import BinaryIO


class AtomicFile:
    """A binary file that appears at ``path`` only on ``commit()``: it is written to a
    temporary file beside it, which ``abort()`` (or an exception in a ``with`` block)
    removes."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
        )
        self.tmp = Path(tmp)
        self.handle: BinaryIO = os.fdopen(fd, "wb")

    def write(self, data: bytes) -> int:
        return self.handle.write(data)

    def commit(self) -> Path:
        try:
            self.handle.close()
            os.chmod(self.tmp, 0o666 & ~_umask())  # mkstemp made it private; a normal mode
            os.replace(self.tmp, self.path)
        except BaseException:
            self.abort()
            raise
        return self.path

    def abort(self) -> None:
        self.handle.close()
        self.tmp.unlink(missing_ok=True)

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, kind, error, trace) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


__all__ = ["AtomicFile"]
