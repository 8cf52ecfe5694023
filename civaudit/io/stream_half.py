"""The helper process of ``io.stream``: streams a sheet's columns from a given one on
and writes them as an Arrow file.

    python -m civaudit.io.stream_half WORKBOOK SHEET_INDEX FIRST_COLUMN OUT.arrow
"""

import sys
from pathlib import Path

from civaudit.io.stream import write_half

if __name__ == "__main__":
    path, index, split, out = sys.argv[1:]
    write_half(Path(path), int(index), int(split), Path(out))
