"""The ``civaudit`` console script: Ctrl-C exits 130 from the first instant.

Importing the civaudit package takes most of a second (pandas, pyarrow); a SIGINT
in that time would otherwise kill Python by the signal (status -2 to a parent
process) before civaudit's own handling (``civaudit.cli.run``) is in place. This
module imports nothing heavy, so the interval it leaves is Python's own start-up.
"""

from __future__ import annotations

import contextlib
import os
import sys

EXIT_INTERRUPTED = 130  # the same as civaudit.cli.EXIT_INTERRUPTED


def run() -> None:
    try:
        from civaudit.cli import run as civaudit_run
    except KeyboardInterrupt:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(EXIT_INTERRUPTED)
    civaudit_run()


if __name__ == "__main__":
    run()
