"""Read a small table (CSV in UTF-8/GBK, or XLSX/XLS) into rows of strings, with 1-based row numbers.

Used for the household register and ballot files; statements have their own engine (importers).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from commonfund.core.errors import InputError

ENCODINGS = ("utf-8-sig", "gb18030")


def read_rows(path: str | Path) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(row_number, cells)`` for every non-empty row of a CSV or Excel file.

    Row numbers are what a spreadsheet shows (1 = the first line), so error messages can point there.
    """
    path = Path(path)
    yield from rows_of(path, read_source(path))


def read_source(path: Path) -> bytes:
    """The bytes of a user's table file; raises :class:`InputError` if it cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror}") from None


def rows_of(path: Path, data: bytes) -> Iterator[tuple[int, list[str]]]:
    """The rows of *data*, the bytes of the file *path* (its suffix or magic bytes say CSV or Excel)."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods") or data[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"):
        yield from _excel_rows(path, data)
    else:
        yield from _csv_rows(path, data)


def _csv_rows(path: Path, data: bytes) -> Iterator[tuple[int, list[str]]]:
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes almost anything
        raise InputError(path, "is neither UTF-8 nor GBK/GB18030 text")
    if "\x00" in text:
        raise InputError(path, "is not a text CSV (it contains NUL bytes; UTF-16 or binary?)")
    for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        cells = [cell.strip() for cell in row]
        if any(cells):
            yield number, cells


def _excel_rows(path: Path, data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine raises several types for broken files, and panics (a BaseException)
        detail = " ".join(str(exc).split())[:200]  # one line: a panic's message spans several
        raise InputError(path, f"is not a readable Excel workbook ({type(exc).__name__}: {detail})") from None
    for number, row in enumerate(sheet, start=1):
        cells = [_cell_text(cell) for cell in row]
        if any(cells):
            yield number, cells


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        # Excel stores numbers as binary floats; repr gives the shortest exact decimal form.
        return format(Decimal(repr(value)).normalize(), "f") if value != int(value) else str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()
