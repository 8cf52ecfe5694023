"""Checks a file against the resource limits (``civaudit.limits``) before and while it
is read, so a hostile or broken file is refused with one line instead of costing
gigabytes and minutes.

- Workbook archives (.xlsx .xlsm .xlsb .ods): each part's declared size and ratio are
  checked in the zip central directory, then each part is inflated once, in 1 MiB
  pieces that are thrown away, to prove it holds no more than it declares (the reader
  underneath trusts the deflate stream, not the declared size). A worksheet's used
  range (its last valued cells) is checked on the way.
- BIFF .xls: the records of each sheet are walked for the used range the reader will
  allocate and the cells that hold a value.
- After reading: the longest cell (``check_cell_chars``); CSV lines' field count and
  field size before pandas sees them (``check_csv``).
"""

from __future__ import annotations

import csv
import math
import re
import string
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from civaudit.errors import LoadError
from civaudit.io.grid import column_letter
from civaudit.limits import RANGE_FLOOR, RATIO_FLOOR, Limits, raise_hint, show

_PIECE = 1 << 20
# The smallest cell element a worksheet part can hold, <c r="A1"/>: 11 bytes. A part of
# N bytes holds at most N / 11 cells (ECMA-376 Part 1, 18.3.1.4 c (Cell)).
_MIN_CELL_BYTES = 11
_WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml\Z", re.IGNORECASE)
# zip APPNOTE 4.3.7: the local file header is 30 bytes, then the file name and extra field
_LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")
_LOCAL_SIGNATURE = 0x04034B50

try:  # ISA-L inflates a workbook's parts in less than half of zlib's time
    from isal import isal_zlib as _inflate

    _INFLATE_ERRORS: tuple[type[Exception], ...] = (zlib.error, _inflate.error)
except ImportError:  # a platform without its wheel
    _inflate = zlib
    _INFLATE_ERRORS = (zlib.error,)


def refuse(path: Path, what: str, name: str) -> LoadError:
    return LoadError(f"{path}: {what}", raise_hint(name))


def check_archive(path: Path, limits: Limits) -> None:
    """Refuse a workbook archive whose parts unpack past the limits (zip bombs)."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [i for i in archive.infolist() if not i.is_dir()]
            for info in infos:
                _check_declared(path, info, limits)
            if math.isinf(limits.member_bytes) and math.isinf(limits.ratio):
                return
            names = _sheet_names(archive)
            with path.open("rb") as handle:
                for info in infos:
                    _check_real(path, archive, handle, info, limits, names)
    except (zipfile.BadZipFile, OSError, EOFError, *_INFLATE_ERRORS, NotImplementedError):
        raise LoadError(
            f"{path}: the workbook is damaged or truncated",
            "export or copy it again, or open it in Excel/WPS and save a repaired copy",
        ) from None


def _check_declared(path: Path, info: zipfile.ZipInfo, limits: Limits) -> None:
    if info.file_size > limits.member_bytes:
        raise refuse(
            path,
            f"part {info.filename} unpacks to {info.file_size:,} bytes, past the limit of "
            f"{show('member-bytes', limits.member_bytes)} for one part of a workbook",
            "member-bytes",
        )
    packed = max(info.compress_size, 1)
    if info.file_size > RATIO_FLOOR and info.file_size > limits.ratio * packed:
        raise refuse(
            path,
            f"part {info.filename} unpacks {info.file_size / packed:,.0f} times its packed "
            f"size, past the limit of {show('ratio', limits.ratio)} (a zip bomb?)",
            "ratio",
        )


_INFLATABLE = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part -> the sheet's name, from xl/workbook.xml and its relationships
    (ECMA-376 Part 1, 18.2.19 sheet: name and r:id; Part 2, 9.3: the relationship's
    Target, relative to xl/), so a refusal names the sheet a user sees. Only their
    first 4 MiB are read (their declared sizes have passed the limits); anything
    unexpected gives no names."""
    from defusedxml import ElementTree

    try:
        book = ElementTree.fromstring(archive.open("xl/workbook.xml").read(4 * _PIECE))
        rels = ElementTree.fromstring(archive.open("xl/_rels/workbook.xml.rels").read(4 * _PIECE))
    except Exception:
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter() if r.get("Id")}
    names = {}
    for sheet in book.iter():
        rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
        if sheet.tag.endswith("}sheet") and rid in targets:
            target = targets[rid].lstrip("/")
            names[target if target.startswith("xl/") else f"xl/{target}"] = sheet.get("name")
    return names


def _check_real(
    path: Path, archive, handle, info: zipfile.ZipInfo, limits: Limits, names: dict[str, str]
) -> None:
    """Inflate one part, keeping nothing, to count what it really holds; a worksheet's
    used range is taken on the way (from its last two pieces)."""
    if info.compress_type not in _INFLATABLE or info.flag_bits & 1:
        # Deflate64 and the like, or a part encrypted in the zip itself (APPNOTE 4.4.4,
        # bit 0): Python cannot unpack them; the declared sizes stand
        return
    sheet = _WORKSHEET.match(info.filename) is not None
    before = last = b""  # the last two pieces: the last row may straddle them
    real = 0
    for piece in _pieces(archive, handle, info):
        real += len(piece)
        if real > info.file_size:
            raise LoadError(
                f"{path}: part {info.filename} holds more than the {info.file_size:,} bytes "
                "it declares (a forged or damaged archive)",
                "export or copy it again, or open it in Excel/WPS and save a repaired copy",
            )
        if sheet:
            before, last = last, piece
    if real < info.file_size:
        raise LoadError(
            f"{path}: part {info.filename} holds fewer bytes than it declares (a damaged archive)",
            "export or copy it again, or open it in Excel/WPS and save a repaired copy",
        )
    if sheet:
        name = names.get(info.filename)
        where = f"sheet '{name}' ({info.filename})" if name else f"sheet part {info.filename}"
        _check_xml_range(path, where, before + last, real, limits)


def _pieces(archive, handle, info: zipfile.ZipInfo):
    """The part's unpacked bytes in pieces of at most 1 MiB (no more than one piece
    in memory), read from the raw deflate stream (RFC 1951) so that data past the
    declared size is seen, not cut off as Python's zipfile would."""
    if info.compress_type != zipfile.ZIP_DEFLATED:
        # stored parts and the rarer methods: zipfile bounds them by the declared
        # size and checks their CRC-32
        with archive.open(info) as member:
            while piece := member.read(_PIECE):
                yield piece
        return
    handle.seek(info.header_offset)
    header = handle.read(_LOCAL_HEADER.size)
    fields = _LOCAL_HEADER.unpack(header)
    if fields[0] != _LOCAL_SIGNATURE:
        raise zipfile.BadZipFile("bad local header")
    handle.seek(info.header_offset + _LOCAL_HEADER.size + fields[9] + fields[10])
    inflater = _inflate.decompressobj(-zlib.MAX_WBITS)
    left = info.compress_size
    while left > 0 and not inflater.eof:
        packed = handle.read(min(_PIECE, left))
        if not packed:
            raise EOFError
        left -= len(packed)
        while packed and not inflater.eof:
            piece = inflater.decompress(packed, _PIECE)
            packed = inflater.unconsumed_tail
            if piece:
                yield piece
    while not inflater.eof:  # what the stream still holds past its packed size
        piece = inflater.decompress(b"", _PIECE)
        if not piece:
            break
        yield piece


def _check_xml_range(path: Path, where: str, tail: bytes, size: int, limits: Limits) -> None:
    """The used range the reader will allocate for a worksheet part. It follows the
    cells that hold a value (ECMA-376 Part 1, 18.3.1.4: a ``<c .../>`` with no ``<v>``
    or ``<is>`` holds none), not the declared ``<dimension>`` (Gnumeric declares
    A1:XFD1048576 for any sheet and pads it with empty styled cells). Rows come in
    order (18.3.1.73), so the last valued cells give the last row; the widest among
    them stands for the sheet's width. Checked against the cells limit and the cells
    the part's bytes can hold."""
    rows, cols = valued_extent(tail)
    if not rows:
        return  # no valued cell near the end: nothing to go on before reading
    held = size // _MIN_CELL_BYTES
    _check_range(path, where, rows, cols, rows * cols, held, limits)


def _byte_class(chars: bytes) -> np.ndarray:
    table = np.zeros(256, dtype=bool)
    table[list(chars)] = True
    return table


_UPPER = _byte_class(string.ascii_uppercase.encode())
_DIGIT = _byte_class(string.digits.encode())
_WORD = _byte_class((string.ascii_letters + string.digits + "_").encode())
_REF_DIGITS = 15  # a longer row number is past any sheet: counted as _FAR_ROW
_FAR_ROW = 10**_REF_DIGITS


def valued_extent(xml: bytes) -> tuple[int, int]:
    """(last row, widest column) of the cells in ``xml`` that hold a value, (0, 0) when
    there is none.

    A cell is an attribute ``r="<1-3 letters><digits>"`` (``\\br="([A-Z]{1,3})(\\d+)"``)
    whose tag does not end ``/>`` (the empty ``<c r="AB12" s="3"/>``). Only ``<c>`` has
    an ``r`` of letters and digits (``<row r>`` has digits only); an ``r`` of another
    element could only widen the range checked, never narrow it. Found with numpy over
    the bytes, every reference at once, each step a gather over the references: a
    regex's loop over the matches took five times as long on a village sheet. A row
    number longer than 15 digits counts as 10**15 (past any sheet)."""
    data = np.frombuffer(xml, dtype=np.uint8)
    size = len(data)
    eq = np.flatnonzero(data == ord("="))
    eq = eq[(eq >= 1) & (eq + 2 < size)]
    eq = eq[(data[eq - 1] == ord("r")) & (data[eq + 1] == ord('"'))]
    eq = eq[(eq == 1) | ~_WORD[data[np.maximum(eq - 2, 0)]]]  # \b before the r
    quotes = np.flatnonzero(data == ord('"'))
    start = eq + 2  # the reference's first byte
    end = np.append(quotes, size)[np.searchsorted(quotes, start)]  # its closing quote
    letters = np.zeros(len(start), dtype=np.int64)
    col = np.zeros(len(start), dtype=np.int64)
    for j in range(4):  # leading capitals: 1 to 3 of them
        more = (letters == j) & _UPPER[data[np.minimum(start + j, size - 1)]] & (start + j < end)
        letters += more
        col = np.where(more, col * 26 + data[np.minimum(start + j, size - 1)] - 64, col)
    digits = end - start - letters
    ref = (letters >= 1) & (letters <= 3) & (digits >= 1) & (end < size)
    row = np.zeros(len(start), dtype=np.int64)
    for j in range(min(int(digits.max(initial=0)), _REF_DIGITS)):
        at = np.minimum(start + letters + j, size - 1)
        inside = j < digits
        ref &= ~inside | _DIGIT[data[at]]
        row = np.where(inside, row * 10 + data[at] - 48, row)
    row = np.where(digits > _REF_DIGITS, _FAR_ROW, row)
    # the tag's end: the first > past the quote; a tag ending "/>" holds no value
    closes = np.flatnonzero(data == ord(">"))
    nxt = np.searchsorted(closes, end)
    close = np.append(closes, 0)[nxt]
    valued = ref & (nxt < len(closes)) & (data[np.maximum(close - 1, 0)] != ord("/"))
    if not valued.any():
        return 0, 0
    return int(row[valued].max()), int(col[valued].max())


def _check_range(
    path: Path, where: str, rows: int, cols: int, cells: int, holding: int, limits: Limits
) -> None:
    if cells > limits.cells:
        raise refuse(
            path,
            f"{where} spans {rows:,} rows x {cols:,} columns ({cells:,} cells), past the "
            f"limit of {show('cells', limits.cells)} cells in one sheet",
            "cells",
        )
    if cells > RANGE_FLOOR and cells > limits.range_ratio * max(holding, 1):
        raise refuse(
            path,
            f"{where} spans {rows:,} rows x {cols:,} columns but holds at most "
            f"{holding:,} cells, past the limit of {show('range-ratio', limits.range_ratio)} "
            "range cells per cell it holds",
            "range-ratio",
        )


# BIFF8 record types ([MS-XLS] 2.3: record enumeration)
_BOF, _EOF, _FILEPASS = 0x0809, 0x000A, 0x002F
_BOUNDSHEET = 0x0085
# a value at (row, col): FORMULA, LABELSST, NUMBER, RK, BOOLERR, LABEL, RSTRING
_CELLS = {0x0006, 0x00FD, 0x0203, 0x027E, 0x0205, 0x0204, 0x00D6}
_MULRK = 0x00BD
_RECORD = struct.Struct("<HH")


def check_xls(path: Path, limits: Limits) -> None:
    """Refuse a BIFF .xls sheet whose used range (the cells the reader allocates, from
    its cell records) is past the limits."""
    if math.isinf(limits.cells) and math.isinf(limits.range_ratio):
        return
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
            if name is None:
                return  # not a workbook stream: the reader says what it is
            data = ole.openstream(name).read()
        ranges = [(sheet, _sheet_range(data, start)) for sheet, start in _boundsheets(data)]
    except Exception:  # a damaged container or stream: the reader's error names it
        return
    for sheet, (rows, cols, cells, held) in ranges:
        _check_range(path, f"sheet '{sheet}'", rows, cols, cells, held, limits)


def _records(data: bytes, offset: int):
    end = len(data)
    while offset + 4 <= end:
        kind, length = _RECORD.unpack_from(data, offset)
        yield kind, offset + 4, length
        offset += 4 + length


def _boundsheets(data: bytes) -> list[tuple[str, int]]:
    """(name, stream offset of its BOF) of each sheet ([MS-XLS] 2.4.28 BoundSheet8)."""
    sheets = []
    biff8 = True
    for kind, at, length in _records(data, 0):
        if kind in (_EOF, _FILEPASS):  # past FILEPASS the records are encrypted
            break
        if kind == _BOF and length >= 2:  # [MS-XLS] 2.4.21: vers 0x0600 is BIFF8
            biff8 = struct.unpack_from("<H", data, at)[0] == 0x0600
        if kind == _BOUNDSHEET and length >= 8:
            (start,) = struct.unpack_from("<I", data, at)
            count = data[at + 6]
            if biff8:  # a ShortXLUnicodeString: cch, fHighByte, characters
                raw = data[at + 8 : at + length]
                wide = data[at + 7] & 1
                name = raw[: count * (2 if wide else 1)].decode("utf-16-le" if wide else "latin-1")
            else:  # BIFF5: cch and bytes in the workbook's code page
                name = data[at + 7 : at + 7 + count].decode("gbk", "replace")
            sheets.append((name, start))
    return sheets


def _sheet_range(data: bytes, start: int) -> tuple[int, int, int, int]:
    """(rows, columns, cells) of the range the reader allocates for a sheet, and the
    cells holding a value. The reader sizes the range by its cells holding a value,
    not by the DIMENSIONS record ([MS-XLS] 2.4.90), which it ignores, nor by blank
    cells (BLANK, MULBLANK), which cost little: measured, a declared 65,536 x 256
    range read at 16 MB and a blank cell at IV65536 at 114 MB, a number there at
    1 GB."""
    rows = cols = held = 0
    unpack = struct.unpack_from
    for kind, at, length in _records(data, start):
        if kind == _EOF:
            break
        if kind in _CELLS and length >= 4:
            row, col = unpack("<HH", data, at)
            rows, cols, held = max(rows, row + 1), max(cols, col + 1), held + 1
        elif kind == _MULRK and length >= 6:  # [MS-XLS] 2.4.175: row, colFirst, ..., colLast
            row, _ = unpack("<HH", data, at)
            (last,) = unpack("<H", data, at + length - 2)
            rows, cols = max(rows, row + 1), max(cols, last + 1)
            held += (length - 6) // 6
    return rows, cols, rows * cols, held


def check_cell_chars(path: Path, sheet: str, frame: pd.DataFrame, limits: Limits) -> None:
    """Refuse a sheet with a cell longer than the cell-chars limit (after reading: the
    reader holds such a cell fine; what follows it, header search and parsing, would
    not)."""
    if math.isinf(limits.cell_chars) or frame.empty:
        return
    for col in frame.columns:
        lengths = frame[col].str.len()
        longest = lengths.max()
        if pd.notna(longest) and longest > limits.cell_chars:
            row = lengths.idxmax()
            where = f"sheet '{sheet}': " if sheet else ""
            raise refuse(
                path,
                f"{where}cell {column_letter(int(col))}{row} holds {int(longest):,} characters, "
                f"past the limit of {show('cell-chars', limits.cell_chars)} in one cell",
                "cell-chars",
            )


def check_arrow_cells(path: Path, sheet: str, batch, columns: list[int], limits: Limits) -> None:
    """``check_cell_chars`` on the reader's Arrow columns, before they become pandas:
    byte lengths first (offsets only), characters only where bytes pass the limit."""
    if math.isinf(limits.cell_chars):
        return
    import pyarrow.compute as pc

    for i in range(batch.num_columns):
        column = batch.column(i)
        if column.null_count == len(column):
            continue
        longest = pc.max(pc.binary_length(column)).as_py()
        if longest is None or longest <= limits.cell_chars:
            continue
        chars = pc.utf8_length(column)
        if pc.max(chars).as_py() <= limits.cell_chars:
            continue
        row = pc.index(chars, pc.max(chars)).as_py()
        raise refuse(
            path,
            f"sheet '{sheet}': cell {column_letter(columns[i])}{row + 1} holds "
            f"{pc.max(chars).as_py():,} characters, past the limit of "
            f"{show('cell-chars', limits.cell_chars)} in one cell",
            "cell-chars",
        )


def check_csv(path: Path, lines: list[str], delimiter: str, limits: Limits) -> int:
    """The CSV's width (fields in its widest line), refused past csv-fields; a field
    past csv-field-chars is refused too. Runs before pandas, which allocates a column
    per field of the widest line."""
    width = max((line.count(delimiter) for line in lines), default=0) + 1
    if width > limits.csv_fields:
        number = next(n for n, line in enumerate(lines, 1) if line.count(delimiter) + 1 == width)
        raise refuse(
            path,
            f"line {number} has {width:,} fields, past the limit of "
            f"{show('csv-fields', limits.csv_fields)} fields in one CSV line",
            "csv-fields",
        )
    if math.isinf(limits.csv_field_chars):
        return width
    if max(map(len, lines), default=0) <= limits.csv_field_chars:
        return width
    # a line this long may hold one field that long: the csv module knows for sure
    # (quoted fields may span lines)
    previous = csv.field_size_limit()
    csv.field_size_limit(int(min(limits.csv_field_chars, 2**62)))
    try:
        reader = csv.reader(lines, delimiter=delimiter)
        for _ in reader:
            pass
    except csv.Error:
        raise refuse(
            path,
            f"line {reader.line_num} has a field past the limit of "
            f"{show('csv-field-chars', limits.csv_field_chars)} characters in one CSV field",
            "csv-field-chars",
        ) from None
    finally:
        csv.field_size_limit(previous)
    return width
