"""Writing sheets that open ready to read in Excel and WPS: openpyxl write-only mode (rows stream to
disk, the workbook is never held in memory), a bold frozen header row, column widths, ``#,##0.00`` for
money, ISO dates — and text that can never run as a formula."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from commonfund.core.money import from_fen
from commonfund.io.cellsafe import FORMULA_STARTS as CELL_FORMULA_STARTS

MONEY = "#,##0.00"
DATE = "yyyy-mm-dd"
FORMULA_STARTS = CELL_FORMULA_STARTS  # one definition for every writer (commonfund.io.cellsafe)
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTAL_FONT = Font(bold=True)


class Fen(int):
    """An integer fen amount, written as yuan with the money format."""


class Sheet:
    """A write-only sheet with a header row; :meth:`row` appends one row."""

    def __init__(self, workbook: Workbook, title: str, headers: Sequence[str], widths: Sequence[float],
                 freeze: str | None = "A2") -> None:
        self.ws = workbook.create_sheet(title)
        for index, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = width
        if freeze:
            self.ws.freeze_panes = freeze
        if headers:
            self.ws.append([self._cell(h, font=HEADER_FONT, fill=HEADER_FILL) for h in headers])
        self.rows = 0

    def _cell(self, value: Any, *, font: Font | None = None, fill: PatternFill | None = None) -> WriteOnlyCell:
        if isinstance(value, Fen):
            cell = WriteOnlyCell(self.ws, value=from_fen(int(value)))
            cell.number_format = MONEY
        elif isinstance(value, Decimal):
            cell = WriteOnlyCell(self.ws, value=value)
            cell.number_format = MONEY
        elif isinstance(value, dt.datetime):
            cell = WriteOnlyCell(self.ws, value=value.replace(tzinfo=None))
            cell.number_format = "yyyy-mm-dd hh:mm:ss"
        elif isinstance(value, dt.date):
            cell = WriteOnlyCell(self.ws, value=value)
            cell.number_format = DATE
        elif isinstance(value, str):
            cell = safe_text(self.ws, value)
        else:
            cell = WriteOnlyCell(self.ws, value=value)
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        return cell

    def row(self, values: Iterable[Any], bold: bool = False) -> None:
        if bold:
            self.ws.append([self._cell(v, font=TOTAL_FONT) for v in values])
        else:  # plain text and numbers need no cell object (openpyxl writes them directly: faster)
            self.ws.append([v if _plain(v) else self._cell(v) for v in values])
        self.rows += 1


def _plain(value: Any) -> bool:
    if isinstance(value, str):
        return not value.startswith(FORMULA_STARTS) and "\n" not in value
    return value is None or (isinstance(value, int) and not isinstance(value, (Fen, bool)))


def safe_text(ws: Any, text: str) -> WriteOnlyCell:
    """A text cell; text starting with ``= + - @`` is stored as a string with Excel's quote prefix, so it
    shows as typed and never runs as a formula (CSV/formula injection)."""
    cell = WriteOnlyCell(ws, value=text)
    if text.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    if "\n" in text:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell
