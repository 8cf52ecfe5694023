"""Hostile files built at run time: zip bombs and files whose declared size runs far
ahead of their content. Every builder streams to disk (a 4 GiB bomb is written in
chunks, never held in memory) and takes its size as a parameter: the tests build them
small against small limits, ``benchmarks/bench_hostile.py`` at full size.

The workbooks are minimal SpreadsheetML packages (ECMA-376 Part 1: a content-types
part, the package and workbook relationships, workbook.xml and the worksheet), which
is all calamine needs to read them.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from civaudit.io.grid import column_letter

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_OOXML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OOXML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_OOXML}.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_OOXML}.sharedStrings+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{_NS}" '
    f'xmlns:r="{_REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>'
    "</workbook>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)

CHUNK = 1 << 20

HEADER = ["姓名", "公民身份号码", "与户主关系", "家庭人口", "月保障金额"]
ROW = ["张三", "130722198001011234", "户主", "1", "300"]


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _row(number: int, values: Iterable[str]) -> str:
    cells = "".join(_cell(f"{chr(65 + i)}{number}", v) for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


ROSTER_ROWS = _row(1, HEADER) + _row(2, ROW)


def _noise(size: int = CHUNK) -> bytes:
    """Letters that deflate hardly at all (a cell that is long, not a bomb)."""
    import random

    rng = random.Random(14)
    return bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(size))


def _repeat(piece: bytes, total: int) -> Iterator[bytes]:
    """``piece`` repeated to ``total`` bytes (about), in 1 MiB chunks."""
    block = piece * max(1, CHUNK // len(piece))
    written = 0
    while written < total:
        part = block[: total - written]
        yield part
        written += len(part)


def write_xlsx(
    path: Path, sheet: Iterable[bytes], shared: Iterable[bytes] = (), *, zip64: bool = True
) -> Path:
    """A minimal .xlsx whose worksheet and shared-strings parts are the given byte
    streams, deflated as they come (zip64 so a member may pass 4 GiB)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        for name, parts in (("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", shared)):
            with archive.open(name, "w", force_zip64=zip64) as member:
                for part in parts:
                    member.write(part)
    return path


def _sheet(*middle: Iterable[bytes], dimension: str = "A1:E2") -> Iterator[bytes]:
    yield (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{_NS}">'
        f'<dimension ref="{dimension}"/><sheetData>'
    ).encode()
    for part in middle:
        yield from part
    yield b"</sheetData></worksheet>"


def _shared(*strings: Iterable[bytes]) -> Iterator[bytes]:
    yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_NS}">'.encode()
    for parts in strings:
        yield b"<si><t>"
        yield from parts
        yield b"</t></si>"
    yield b"</sst>"


def normal(path: Path) -> Path:
    """A tiny roster built the same way: what every limit must let through."""
    return write_xlsx(path, _sheet([ROSTER_ROWS.encode()]), _shared())


def shared_string_bomb(path: Path, size: int) -> Path:
    """One shared string of ``size`` bytes of one letter (the sheet points at it)."""
    cell = '<row r="3"><c r="A3" t="s"><v>0</v></c></row>'
    return write_xlsx(
        path,
        _sheet([ROSTER_ROWS.encode(), cell.encode()]),
        _shared(_repeat(b"A", size)),
    )


def whitespace_bomb(path: Path, size: int) -> Path:
    """``size`` bytes of blanks between the rows of the sheet XML."""
    return write_xlsx(path, _sheet([ROSTER_ROWS.encode()], _repeat(b" ", size)), _shared())


def empty_row_bomb(path: Path, size: int) -> Path:
    """``size`` bytes of ``<row/>`` elements after the roster rows."""
    return write_xlsx(path, _sheet([ROSTER_ROWS.encode()], _repeat(b"<row/>", size)), _shared())


def far_cell(path: Path, ref: str) -> Path:
    """The roster plus one cell at ``ref``: a used range of millions of empty cells."""
    row = int("".join(ch for ch in ref if ch.isdigit()))
    extra = f'<row r="{row}">{_cell(ref, "x")}</row>'
    return write_xlsx(
        path, _sheet([ROSTER_ROWS.encode(), extra.encode()], dimension=f"A1:{ref}"), _shared()
    )


def declared_dimension(path: Path, empty_cells: int = 0) -> Path:
    """The roster declaring the whole sheet, A1:XFD1048576, as Gnumeric does, and
    ``empty_cells`` styled empty cells on its last row: nothing the reader allocates."""
    empty = "".join(f'<c r="{column_letter(i)}1048576" s="0"/>' for i in range(empty_cells))
    tail = f'<row r="1048576">{empty}</row>' if empty_cells else ""
    return write_xlsx(
        path,
        _sheet([ROSTER_ROWS.encode(), tail.encode()], dimension="A1:XFD1048576"),
        _shared(),
    )


def huge_cell(path: Path, size: int) -> Path:
    """The roster plus one inline-string cell of ``size`` characters."""
    return write_xlsx(
        path,
        _sheet(
            [ROSTER_ROWS.encode(), b'<row r="3"><c r="A3" t="inlineStr"><is><t>'],
            _repeat(_noise(min(size, CHUNK)), size),
            [b"</t></is></c></row>"],
        ),
        _shared(),
    )


def wide_csv(path: Path, fields: int) -> Path:
    """A CSV roster plus a line of ``fields`` empty fields."""
    with path.open("w", encoding="utf-8") as out:
        out.write(",".join(HEADER) + "\n" + ",".join(ROW) + "\n")
        written = 0
        while written < fields:
            step = min(CHUNK, fields - written)
            out.write("," * step)
            written += step
        out.write("\n")
    return path


def huge_csv_field(path: Path, size: int) -> Path:
    """A CSV roster plus one field of ``size`` characters."""
    with path.open("w", encoding="utf-8") as out:
        out.write(",".join(HEADER) + "\n" + ",".join(ROW) + "\n")
        for part in _repeat(b"x", size):
            out.write(part.decode())
        out.write("\n")
    return path


def normal_csv(path: Path) -> Path:
    path.write_text(",".join(HEADER) + "\n" + ",".join(ROW) + "\n", encoding="utf-8")
    return path


def forged_sizes(path: Path, size: int, declared: int = 1000) -> Path:
    """A roster whose worksheet part holds ``size`` bytes but declares ``declared``
    in both its local header and the central directory (zip APPNOTE 4.3.7 and 4.3.12:
    the uncompressed size at offsets 22 and 24), as a forger dodging the size checks
    would write it."""
    write_xlsx(path, _sheet([ROSTER_ROWS.encode()], _repeat(b" ", size)), _shared(), zip64=False)
    import struct

    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, info.header_offset + 22, declared)
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(info.filename.encode()))
    struct.pack_into("<I", data, central + 24, declared)
    path.write_bytes(bytes(data))
    return path


def far_xls(source: Path, path: Path) -> Path:
    """A copy of a small BIFF8 .xls whose first NUMBER cell is moved to IV65536 and
    whose DIMENSIONS say so ([MS-XLS] 2.4.90, 2.4.180): a used range of 65,536 x 256
    in a file of a few KB. The stream keeps its size, so olefile rewrites it in place."""
    import shutil
    import struct

    import olefile

    from civaudit.io.guard import _boundsheets, _records

    shutil.copy(source, path)
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        data = bytearray(ole.openstream("Workbook").read())
        start = _boundsheets(bytes(data))[0][1]
        for kind, at, _length in _records(bytes(data), start):
            if kind == 0x000A:
                break
            if kind == 0x0203:
                struct.pack_into("<HH", data, at, 65535, 255)
            if kind == 0x0200:
                struct.pack_into("<IIHH", data, at, 0, 65536, 0, 256)
        ole.write_stream("Workbook", bytes(data))
    return path
