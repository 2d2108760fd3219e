"""Statement files → grids of text cells, whatever the bank exported.

* CSV/TXT in UTF-8 (with or without BOM), UTF-16 (with BOM, or without one when NUL bytes give it
  away) or GBK/GB18030 — tried in that order; a file none of them decode is reported with the byte
  offset.
* ``.xlsx`` (and ``.xls``/``.ods``) through python-calamine, chosen by the file's magic bytes, not its
  name: ICBC's ``.csv`` downloads are sometimes OLE ``.xls`` workbooks (``d0cf11e0``), and many bank
  portals save CSV, TSV or an HTML table under an ``.xls`` name — those are read as what they are.
* An HTML export (``<table>``…) becomes one grid: the rows of all its tables in order (a preamble table
  above the data table stays above it).
* Every sheet of a workbook is returned; recognising which one holds the statement is the caller's job.

Cells are kept as raw text (Excel numbers as their shortest exact decimal, Excel dates as ISO text);
cleaning (tabs, backticks, padding) happens in :mod:`commonfund.importers.normalise`.
"""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple

from commonfund.core.errors import InputError
from commonfund.io.tables import cell_text, decode_text

__all__ = ["Grid", "cell_text", "decode_text", "read_grids"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0"
ZIP_MAGIC = b"PK\x03\x04"


class Grid(NamedTuple):
    """One sheet (or a CSV) as rows of text.

    Attributes:
      sheet: The sheet name (``""`` for CSV).
      rows: The rows; ``rows[i]`` is spreadsheet row ``i + 1``.
      encoding: The text encoding that decoded a CSV (``""`` for workbooks).
    """

    sheet: str
    rows: list[list[str]]
    encoding: str


def read_grids(path: Path, data: bytes | None = None) -> list[Grid]:
    """Read *path* (or *data*, its bytes) into one grid per sheet. Raises :class:`InputError`."""
    if data is None:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise InputError(path, "file not found") from None
        except IsADirectoryError:
            raise InputError(path, "is a folder, not a statement file") from None
        except OSError as exc:
            raise InputError(path, f"cannot read: {exc.strerror}") from None
    if not data.strip():
        raise InputError(path, "is empty")
    if data[:4] in (OLE_MAGIC, ZIP_MAGIC):
        return _workbook(path, data)
    try:
        text, encoding = decode_text(path, data)
    except InputError:
        if path.suffix.lower() in WORKBOOK_SUFFIXES:
            raise InputError(path, f"is named {path.suffix} but is neither an Excel workbook nor a text or HTML "
                                   "export; download it again") from None
        raise
    if _HTML_START.match(text):
        return [Grid("", html_rows(text), encoding)]
    return [Grid("", _csv_rows(text), encoding)]


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".et")
_HTML_START = re.compile(r"^\ufeff?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|meta|body|table|style)\b",
                         re.IGNORECASE | re.DOTALL)


class _TableParser(HTMLParser):
    """Rows of text of every ``<table>`` in a document (``colspan`` repeated as empty cells)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._span = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self._end_row()
            self._row = []
        elif tag in ("td", "th"):
            self._end_cell()
            if self._row is None:
                self._row = []
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if span.isdigit() and 0 < int(span) < 100 else 1
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._end_cell()
        elif tag in ("tr", "table"):
            self._end_row()

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def _end_cell(self) -> None:
        if self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._row.extend([""] * (self._span - 1))
        self._cell = None

    def _end_row(self) -> None:
        self._end_cell()
        if self._row is not None:
            self.rows.append(self._row)
        self._row = None

    def close(self) -> None:
        super().close()
        self._end_row()


def html_rows(text: str) -> list[list[str]]:
    """The table rows of an HTML export, as text cells."""
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    return parser.rows


def _csv_rows(text: str) -> list[list[str]]:
    sample = text[:20000]
    delimiter = "\t" if sample.count("\t") > 3 * sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [row for row in reader]
    except csv.Error:  # a stray quote: fall back to a plain split, still one row per line
        return [line.split(delimiter) for line in text.splitlines()]


def _workbook(path: Path, data: bytes) -> list[Grid]:
    try:
        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        grids = []
        for index, name in enumerate(workbook.sheet_names):
            sheet = workbook.get_sheet_by_index(index).to_python(skip_empty_area=False)
            grids.append(Grid(name, [[cell_text(cell) for cell in row] for row in sheet], ""))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine raises several types for broken files, and panics (a BaseException)
        kind = "truncated or damaged" if data[:4] in (OLE_MAGIC, ZIP_MAGIC) else "not a workbook"
        raise InputError(path, f"is not a readable Excel workbook ({kind}: {type(exc).__name__}); "
                               "download it again") from None
    return grids
