"""Read a table (CSV in UTF-8/UTF-16/GBK, or XLSX/XLS) into rows of strings, with 1-based row numbers.

The one reading of a user's table: the household register and ballot files read rows here, and the bank
statement engine (:mod:`commonfund.importers.read`) decodes text and Excel cells with the same
:func:`decode_text` and :func:`cell_text` (booleans ``1``/``0``, numbers as their shortest exact decimal,
dates ISO), so a file means the same to every reader.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from commonfund.core.errors import InputError


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
    text, _ = decode_text(path, data)
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
        cells = [cell_text(cell).strip() for cell in row]
        if any(cells):
            yield number, cells


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """Decode a text export: BOMs first, then UTF-16 by NUL bytes, UTF-8, GB18030 (a superset of GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ("utf-16",)
    elif b"\x00" in data[:2000]:
        head = data[:4000]
        little = head[1::2].count(0) >= head[0::2].count(0)  # ASCII digits and commas: NUL after the byte
        candidates = ("utf-16-le", "utf-16-be") if little else ("utf-16-be", "utf-16-le")
    else:
        candidates = ("utf-8", "gb18030")
    error: UnicodeDecodeError | None = None
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            error = exc
            continue
        if "\x00" in text:
            continue
        return text, encoding
    offset = f" (undecodable bytes at offset {error.start})" if error else ""
    raise InputError(path, f"is not a text export in UTF-8, UTF-16 or GBK/GB18030{offset}; "
                           "save it again as CSV or as .xlsx")


def cell_text(value: object) -> str:
    """An Excel cell as text: numbers as their shortest exact decimal, dates as ISO text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value == int(value) and abs(value) < 1e15:
            return str(int(value))
        if abs(value) >= 1e15:
            return repr(value)  # beyond a spreadsheet's 15 digits (a long account number typed as a number): its
            # last digits are lost, so it is shown as the spreadsheet shows it (6.22202123456789e+18), never as
            # a plausible but wrong number
        return format(Decimal(repr(value)), "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat(" ") if value.time() != time() else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    return str(value)
