"""Text in exported spreadsheets can never run as a formula (CSV/formula injection, OWASP).

Owner names, payees, narrations and compound names come from users' files; a value such as
``=HYPERLINK("http://x","y")`` or ``@SUM(A1)`` would run when the file is opened in Excel or WPS. Every
writer of an ``.xlsx`` or ``.csv`` file uses this module:

* :func:`defuse_workbook` — for an openpyxl workbook built in normal mode, just before saving: every cell
  openpyxl took for a formula (text starting with ``=``; commonfund writes no formulas) becomes a text
  cell with Excel's quote prefix, so it shows exactly as typed.
* :func:`csv_cell` / :func:`csv_row` — for CSV: text starting with ``= + - @``, a tab or a carriage return
  gets a leading apostrophe (Excel's convention for "this is text"); plain numbers (``-12.50``) are kept.
* :data:`FORMULA_STARTS` and :func:`formula_like` — for writers that build their own cells
  (:mod:`commonfund.export.sheets` in write-only mode).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would read *text* as a formula (a plain signed number is not)."""
    return text.startswith(FORMULA_STARTS) and not _NUMBER.match(text.strip())


def csv_cell(value: Any) -> Any:
    """*value* for a CSV cell: formula-like text gets a leading apostrophe; anything else is unchanged."""
    return "'" + value if isinstance(value, str) and formula_like(value) else value


def csv_row(values: Iterable[Any]) -> list[Any]:
    """:func:`csv_cell` over a row."""
    return [csv_cell(value) for value in values]


def defuse_workbook(workbook: Any) -> int:
    """Turn every formula cell of a (normal-mode) openpyxl *workbook* into quoted text; return how many."""
    count = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
                    cell.quotePrefix = True
                    count += 1
                elif cell.data_type == "s" and isinstance(cell.value, str) and formula_like(cell.value):
                    cell.quotePrefix = True  # stays text even if someone edits the cell in Excel
    return count
