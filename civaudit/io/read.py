"""Read a spreadsheet file into grids of cell text, one per sheet.

Every workbook kind goes through fastexcel (calamine underneath) from bytes held in
memory: the input file is opened once, read-only, and never locked while we work.
An ".xls" that is really an HTML table or SpreadsheetML 2003 XML is read by
``io.markup`` into the same grids; CSV by pandas.
Cells arrive as text exactly as the reader renders them (numbers as their shortest
decimal, large floats as their exact integer value, datetimes as ISO text), which is
what the normalisers expect. The grid keeps the sheet's geometry: the index is the
1-based Excel row a user sees, the columns are 0-based sheet column numbers.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import hashlib
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd

from civaudit.errors import LoadError
from civaudit.io.grid import (
    TEXT,
    NumericProbe,
    Sheet,
    SkippedSheet,
    Workbook,
    arrow_to_grid,
    drop_empty_edges,
)
from civaudit.io.guard import (
    check_archive,
    check_arrow_cells,
    check_cell_chars,
    check_csv,
    check_xls,
)
from civaudit.io.markup import looks_like, read_html, read_spreadsheetml
from civaudit.io.stream import Loaded, StreamedBook, streamable
from civaudit.limits import Limits

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv")

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"


def find_inputs(paths: list[Path]) -> list[Path]:
    """Expand folders recursively into spreadsheet files, in a stable order.

    Office lock files (``~$名单.xlsx``) are left out: they are not workbooks.
    A path that does not exist is an error naming it. (``scan_inputs`` also says
    which links in the folders could not be followed.)
    """
    return scan_inputs(paths)[0]


def scan_inputs(paths: list[Path]) -> tuple[list[Path], list[tuple[Path, LoadError]]]:
    """The spreadsheet files under ``paths`` (folders searched recursively, linked
    folders followed), and what a folder held that could not be read: a link whose
    target is gone, a link in a loop, a link back into a folder above it, a folder
    that cannot be listed. Those come back as (path, error naming it), so a run lists
    them as not read instead of dropping them silently.

    Each real folder is searched once, and a file reached twice (a link to it, a
    linked folder) is read once, at its own path where it was met there.
    """
    found: list[Path] = []
    unread: list[tuple[Path, LoadError]] = []
    searched: set[str] = set()
    for path in paths:
        if path.is_dir():
            _walk(path, found, unread, searched)
        elif path.exists():
            found.append(path)
        elif path.is_symlink():
            unread.append((path, _broken_link(path)))
        else:
            raise LoadError(f"{path}: no such file or folder", "check the path")
    return _once(found), unread


def _walk(
    top: Path, found: list[Path], unread: list[tuple[Path, LoadError]], searched: set[str]
) -> None:
    """``top``'s spreadsheets into ``found``, depth first in name order, with a stack
    rather than recursion (a folder tree thousands deep is a path, not a crash).
    Linked folders wait until the real ones are searched, so a file is met at its
    own path first. Each entry carries the real paths of the folders above it: a
    link to one of them is a loop; a link to a folder searched already adds nothing."""
    stack: list[tuple[Path, frozenset[str]]] = [(top, frozenset())]
    linked: list[tuple[Path, frozenset[str]]] = []
    while stack or linked:
        if not stack:
            stack.append(linked.pop(0))
        folder, above = stack.pop()
        real = os.path.realpath(folder)
        if real in above:
            unread.append(
                (
                    folder,
                    LoadError(
                        f"{folder}: is a link back to the folder {real}, already searched (a loop)",
                        "the files there are read once; remove the link to silence this",
                    ),
                )
            )
            continue
        if real in searched:  # reached again through a link: its files are read already
            continue
        searched.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            error = LoadError(f"{folder}: cannot be read ({reason})", "check its permissions")
            unread.append((folder, error))
            continue
        below = above | {real}
        folders = []
        for entry in entries:
            path = Path(entry.path)
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir()  # follows a link
                is_file = entry.is_file()
            except OSError:
                is_link, is_dir, is_file = True, False, False
            if is_link and not (is_dir or is_file):
                if _listed(path):
                    unread.append((path, _broken_link(path)))
            elif is_dir and is_link:
                linked.append((path, below))
            elif is_dir:
                folders.append(path)
            elif (
                is_file
                and path.suffix.lower() in SPREADSHEET_SUFFIXES
                and not path.name.startswith("~$")
            ):
                found.append(path)
        stack.extend((f, below) for f in reversed(folders))


def _listed(path: Path) -> bool:
    """A link worth naming when it cannot be followed: one named like a spreadsheet,
    or with no extension (it may have led to a folder of them); not an editor's lock
    link (``.#名单.xlsx``)."""
    if path.name.startswith((".", "~$")):
        return False
    return path.suffix.lower() in SPREADSHEET_SUFFIXES or not path.suffix


def _broken_link(path: Path) -> LoadError:
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return LoadError(
                f"{path}: is a link in a loop (it leads back to itself)",
                "point the link at the file or remove it",
            )
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    return LoadError(
        f"{path}: is a link to {target}, which does not exist",
        "point the link at the file or remove it",
    )


def _once(paths: list[Path]) -> list[Path]:
    """``paths`` without a file met again under another path (a link to it, a linked
    folder): the file keeps its own path where it was met there, else its first."""
    chosen: dict[tuple[int, int], int] = {}
    out: list[Path] = []
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            out.append(path)
            continue
        key = (info.st_dev, info.st_ino)
        if key not in chosen:
            chosen[key] = len(out)
            out.append(path)
        elif out[chosen[key]].is_symlink() and not path.is_symlink():
            out[chosen[key]] = path
    return out


def read_workbook(
    path: Path, *, sheet: str | None = None, limits: Limits | None = None
) -> Workbook:
    """Read every sheet of ``path`` (or only ``sheet``) as text grids.

    Hidden sheets are skipped and listed in ``Workbook.skipped``. Raises LoadError
    with a one-line message and a hint for anything that is not a readable workbook,
    or that passes one of the resource ``limits`` (``civaudit.limits``; the defaults
    when None), which are checked before and while the file is read.
    """
    limits = limits or Limits()
    if path.is_dir():
        raise LoadError(f"{path}: is a folder", "pass the folder itself, not a file in it")
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except FileNotFoundError:
        raise LoadError(f"{path}: no such file", "check the path") from None
    except OSError as exc:
        raise LoadError(
            f"{path}: cannot be read ({exc.strerror})", "check its permissions"
        ) from None
    if not size:
        raise LoadError(f"{path}: the file is empty (0 bytes)", "export the roster again")
    kind = sniff(path, head)
    if kind in ("xlsx", "xlsm", "xlsb", "ods"):
        check_archive(path, limits)
    elif kind == "xls":
        check_xls(path, limits)
    if kind not in ("csv", "html", "spreadsheetml"):
        # Workbooks are handed to the reader by path (it opens them read-only, sharing
        # them with Excel/WPS): holding the bytes too cost 10% more memory and time.
        # A large file is hashed meanwhile (the reader and hashlib both release the
        # GIL); a small one here, cheaper than starting a thread for it.
        if size < HASH_THREAD_BYTES:
            digest = _sha256(path)
            sheets, skipped = _read_excel(path, kind, only=sheet, limits=limits)
            return Workbook(path, kind, digest, size, sheets, skipped)
        with ThreadPoolExecutor(max_workers=1) as hasher:
            future = hasher.submit(_sha256, path)
            sheets, skipped = _read_excel(path, kind, only=sheet, limits=limits)
            return Workbook(path, kind, future.result(), size, sheets, skipped)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if kind == "csv":
        grid, encoding = _read_csv(path, data, limits)
        sheets = [Sheet(path.stem, grid)]
        if sheet is not None and sheet != path.stem:
            raise LoadError(
                f"{path}: has no sheet '{sheet}'", f"a CSV file has one sheet, '{path.stem}'"
            )
        return Workbook(path, kind, digest, len(data), sheets, [], encoding)
    if kind == "html":
        sheets, skipped, encoding = read_html(path, data, only=sheet)
        _check_grids(path, sheets, limits)
        return Workbook(path, kind, digest, len(data), sheets, skipped, encoding)
    if kind == "spreadsheetml":
        sheets, skipped = read_spreadsheetml(path, data, only=sheet)
        _check_grids(path, sheets, limits)
        return Workbook(path, kind, digest, len(data), sheets, skipped)
    raise AssertionError(kind)  # pragma: no cover - every kind returned above


_HEAD_BYTES = 65536
HASH_THREAD_BYTES = 4 << 20  # files from this size are hashed on a thread while read
_SUFFIXES_OF = {
    "xlsx": (".xlsx",),
    "xlsm": (".xlsm",),
    "xlsb": (".xlsb",),
    "xls": (".xls",),
    "ods": (".ods",),
}


def _check_grids(path: Path, sheets: list[Sheet], limits: Limits) -> None:
    for grid in sheets:
        check_cell_chars(path, grid.name, grid.cells, limits)


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def sniff(path: Path, data: bytes) -> str:
    """The file's real kind from its bytes; the extension only decides for plain text.

    An HTML table or SpreadsheetML saved as ``.xls`` is 'html' or 'spreadsheetml'
    whatever its name says."""
    suffix = path.suffix.lower()
    if data.startswith(_ZIP):
        return _sniff_zip(path)
    if data.startswith(_OLE):
        _refuse_if_encrypted(path)
        return "xls"
    markup = looks_like(data)
    if markup is not None:
        return markup
    if suffix in (".csv", ".txt", ".tsv"):
        return "csv"
    if suffix in SPREADSHEET_SUFFIXES:
        raise LoadError(
            f"{path}: is not a spreadsheet (unrecognised content)",
            "check the file was exported completely, or open and save it as .xlsx",
        )
    raise LoadError(
        f"{path}: is not a spreadsheet civaudit reads",
        "give .xlsx .xlsm .xls .xlsb .ods or .csv files",
    )


def _sniff_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
            manifest = (
                archive.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
            )
    except (zipfile.BadZipFile, OSError, EOFError):
        raise LoadError(
            f"{path}: the workbook is damaged or truncated",
            "export or copy it again, or open it in Excel/WPS and save a repaired copy",
        ) from None
    if b"spreadsheet" in mimetype:
        if b"encryption-data" in manifest:
            raise LoadError(
                f"{path}: the workbook is password-protected",
                "open it with its password and save an unprotected copy",
            )
        return "ods"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if any(n.lower() == "xl/workbook.xml" for n in names) or "[Content_Types].xml" in names:
        return "xlsm" if path.suffix.lower() == ".xlsm" else "xlsx"
    raise LoadError(
        f"{path}: is a zip archive, not a workbook", "unpack it and give the spreadsheets inside"
    )


def _refuse_if_encrypted(path: Path) -> None:
    import msoffcrypto

    try:
        with path.open("rb") as handle:
            encrypted = msoffcrypto.OfficeFile(handle).is_encrypted()
    except Exception:  # not a file msoffcrypto understands: let the reader decide
        return
    if encrypted:
        raise LoadError(
            f"{path}: the workbook is password-protected",
            "open it in Excel or WPS with its password and save an unprotected copy",
        )


def _read_excel(
    path: Path, kind: str, *, only: str | None, limits: Limits
) -> tuple[list[Sheet], list[SkippedSheet]]:
    # calamine picks its parser by extension; a workbook under another name (an .xlsx
    # saved as .xls) is handed over as bytes, which it recognises by content
    named_right = path.suffix.lower() in _SUFFIXES_OF.get(kind, ())
    whole = _WholeBook(path, named_right)
    xlsx = named_right and kind in ("xlsx", "xlsm")
    if xlsx and _largest_sheet_xml(path) > limits.stream_bytes and streamable():
        with _rust_guard(path) as guard:
            book = StreamedBook(path, guard)

        def load(index: int, wanted: bool, guard) -> Loaded:
            # a sheet the stream would pad to a declared width far past its cells: whole
            return book.load(index, wanted, guard) or whole.load(index, wanted, guard)

        try:
            return _read_sheets(path, book.names, load, only=only, limits=limits)
        finally:
            book.close()
    return _read_sheets(path, whole.names(), whole.load, only=only, limits=limits)


class _WholeBook:
    """A workbook read a whole sheet at a time by fastexcel, opened when first asked."""

    def __init__(self, path: Path, named_right: bool) -> None:
        self._path = path
        self._named_right = named_right
        self._reader = None

    def _open(self):
        import fastexcel

        if self._reader is None:
            source = str(self._path) if self._named_right else self._path.read_bytes()
            with _rust_guard(self._path) as guard:
                self._reader = guard(fastexcel.read_excel, source)
        return self._reader

    def names(self) -> list[str]:
        return list(self._open().sheet_names)

    def load(self, index: int, wanted: bool, guard) -> Loaded:
        reader = self._open()
        loaded = guard(
            reader.load_sheet,
            index,
            header_row=None,
            dtypes="string",
            skip_rows=0,
            whitespace_as_null=True,
        )
        visible = str(loaded.visible)
        if visible != "visible" and not wanted:
            return Loaded(visible)
        columns = [c.absolute_index for c in loaded.selected_columns]
        # the reader's own copy of the sheet (a million-row sheet: 1.5 GB) goes with
        # ``loaded``, when this returns
        return Loaded(
            visible,
            guard(loaded.to_arrow),
            columns,
            lambda rows: _numeric_probe(self._path, reader, index, rows),
        )


def _read_sheets(
    path: Path, names: list[str], load, *, only: str | None, limits: Limits
) -> tuple[list[Sheet], list[SkippedSheet]]:
    """The sheets ``load(index, wanted, guard)`` gives (a ``Loaded``; ``wanted`` when a
    hidden sheet is to be read too) as grids, hidden, empty and unreadable ones listed."""
    if only is not None and only not in names:
        raise LoadError(f"{path}: has no sheet '{only}'", f"its sheets are: {', '.join(names)}")
    sheets: list[Sheet] = []
    skipped: list[SkippedSheet] = []
    for index, name in enumerate(names):
        if only is not None and name != only:
            continue
        try:
            with _rust_guard(path) as guard:
                loaded = load(index, only is not None, guard)
        except LoadError as exc:
            skipped.append(SkippedSheet(name, "unreadable", exc.message.split(": ", 1)[-1]))
            continue
        if loaded.visible != "visible" and only is None:
            reason = "very-hidden" if "very" in loaded.visible.lower() else "hidden"
            skipped.append(SkippedSheet(name, reason))
            continue
        check_arrow_cells(path, name, loaded.table, loaded.columns, limits)
        frame = arrow_to_grid(loaded.table, loaded.columns)
        probe = loaded.probe
        loaded = None
        if frame.empty:
            skipped.append(SkippedSheet(name, "empty"))
            continue
        sheets.append(Sheet(name, frame, probe(frame.index)))
    if not sheets and only is None and skipped and all(s.reason == "unreadable" for s in skipped):
        raise LoadError(
            f"{path}: no sheet could be read ({skipped[0].detail})",
            "open it in Excel or WPS and save it as .xlsx",
        )
    return sheets, skipped


def _largest_sheet_xml(path: Path) -> int:
    """The unpacked size of the workbook's largest sheet part (``check_archive`` has
    already proved the sizes the archive declares)."""
    with zipfile.ZipFile(path) as archive:
        return max(
            (
                i.file_size
                for i in archive.infolist()
                if i.filename.lower().startswith("xl/worksheets/")
            ),
            default=0,
        )


def _numeric_probe(path: Path, reader, sheet: int, rows: pd.Index) -> NumericProbe:
    """Read columns again as booleans: calamine turns a number cell into True and
    leaves a text cell empty, which tells the cell types apart exactly."""

    def probe(columns: list[int]) -> pd.DataFrame:
        with _rust_guard(path) as guard:
            loaded = guard(
                reader.load_sheet,
                sheet,
                header_row=None,
                skip_rows=0,
                use_columns=columns,
                dtypes=dict.fromkeys(columns, "boolean"),
            )
            batch, _ = guard(loaded.to_arrow_with_errors)
        frame = pd.DataFrame(
            {
                col: batch.column(i).fill_null(False).to_numpy(zero_copy_only=False)
                for i, col in enumerate(columns)
            }
        )
        frame.index = pd.RangeIndex(1, batch.num_rows + 1, name="row")
        return frame.reindex(rows, fill_value=False)

    return probe


_PANIC_LINE = re.compile(r"panicked at [^\n]*\n([^\n]+)")


@contextlib.contextmanager
def _rust_guard(path: Path) -> Iterator:
    """Run reader calls with the Rust layer's stderr chatter captured.

    calamine can panic on malformed files; pyo3 turns that into a BaseException and
    Rust prints a backtrace on file descriptor 2. We hold fd 2 in a temporary file
    while the call runs, so a user sees one line naming the file, never a backtrace.
    """
    captured = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
    try:
        saved = os.dup(2)
    except OSError:  # no stderr (e.g. a GUI launcher): nothing to guard
        saved = None

    def call(fn, *args, **kwargs):
        if saved is not None:
            os.dup2(captured.fileno(), 2)
        try:
            return fn(*args, **kwargs)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # calamine errors and pyo3 panics alike
            reason, hint = _reader_reason(exc, captured)
            raise LoadError(f"{path}: {reason}", hint) from None
        finally:
            if saved is not None:
                os.dup2(saved, 2)

    try:
        yield call
    finally:
        if saved is not None:
            os.close(saved)
        captured.close()


def _reader_reason(exc: BaseException, captured) -> tuple[str, str]:
    text = str(exc).strip().splitlines()
    reason = text[0] if text else type(exc).__name__
    reason = reason.removeprefix("calamine error: ")
    if "password" in reason.lower():
        return (
            "the workbook is password-protected",
            "open it in Excel or WPS with its password and save an unprotected copy",
        )
    if type(exc).__name__ == "PanicException":
        captured.seek(0)
        match = _PANIC_LINE.search(captured.read().decode("utf-8", "replace"))
        reason = f"the reader crashed: {match.group(1) if match else reason}"
    return (
        f"cannot be read as a workbook ({reason[:160]})",
        "open it in Excel or WPS and save it as .xlsx",
    )


def _read_csv(path: Path, data: bytes, limits: Limits) -> tuple[pd.DataFrame, str]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes nearly anything
        raise LoadError(f"{path}: text encoding not recognised", "save it as UTF-8 or GBK CSV")
    if "\x00" in text[:4096]:
        raise LoadError(
            f"{path}: looks like UTF-16 or binary data, not CSV text", "save it as UTF-8 CSV"
        )
    sample = text[:65536]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
    except csv.Error:
        delimiter = ","
    width = check_csv(path, text.splitlines(), delimiter, limits)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            names=range(width),
            dtype=TEXT,
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=False,
            engine="c",
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise LoadError(
            f"{path}: CSV cannot be parsed ({str(exc).splitlines()[0][:120]})",
            "open it in Excel or WPS and save it as .xlsx",
        ) from None
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    frame = frame.apply(lambda col: col.str.strip().replace("", None).astype(TEXT))
    grid = drop_empty_edges(frame)
    if grid.empty:
        raise LoadError(f"{path}: the CSV file has no values", "export the roster again")
    return grid, "utf-8" if encoding == "utf-8-sig" else "gb18030"
