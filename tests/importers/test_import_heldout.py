"""Held-out exports: the fixtures as treasurers' tools save them again — opened in a spreadsheet and saved as
.xlsx (numbers, dates and times become typed cells), re-encoded as GBK, given a BOM, CRLF or LF line ends —
must import into exactly the same entries as the originals (their goldens).
"""

from __future__ import annotations

import io
import re
from datetime import datetime, time
from pathlib import Path

import pytest
from tests.importers.test_import_golden import CASES, golden_text

from commonfund.importers.read import decode_text, read_grids

TEXT_CASES = [p for p in CASES if p.suffix == ".csv" and p.read_bytes()[:4] != b"\xd0\xcf\x11\xe0"]
_DECIMAL = re.compile(r"^[+-]?[¥￥]?\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^[+-]?[¥￥]?\d+\.\d+$")
_INTEGER = re.compile(r"^[1-9]\d{0,14}$")  # Excel keeps 15 digits; a leading zero would be lost (as Excel does)
_DATETIME = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}):(\d{2}))?$")
_TIME = re.compile(r"^(\d{2}):(\d{2}):(\d{2})$")


def typed(cell: str) -> object:
    """A cell as a spreadsheet types it when a CSV is opened: amounts and serials as numbers, dates as dates."""
    text = cell.strip(" \t")
    if text[:2] == '="' and text[-1:] == '"':  # an "Excel-safe" cell: the spreadsheet shows (and saves) the text
        return text[2:-1]
    if match := _DATETIME.match(text):
        year, month, day, hour, minute, second = match.groups()
        return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    if match := _TIME.match(text):
        return time(*(int(x) for x in match.groups()))
    if _INTEGER.match(text):
        return int(text)
    if _DECIMAL.match(text):
        return float(text.replace(",", "").replace("¥", "").replace("￥", ""))
    return cell


def resaved(path: Path) -> bytes:
    """*path* opened in a spreadsheet and saved as .xlsx by openpyxl (every sheet, typed cells)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for n, grid in enumerate(read_grids(path)):
        sheet = book.create_sheet(grid.sheet or f"Sheet{n + 1}")
        for row in grid.rows:
            sheet.append([typed(cell) if cell else None for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def entries_of(path: Path) -> str:
    return golden_text(path).split("\n", 1)[1]  # without the first line (it names the file)


NUMERIC_SAFE = [p for p in CASES if p.parent.name != "citic-credit"]  # a refused layout has no entries to compare


@pytest.mark.parametrize("path", NUMERIC_SAFE, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_resaved_through_a_spreadsheet_imports_identically(tmp_path: Path, path: Path) -> None:
    copy = tmp_path / path.parent.name / (path.stem + ".xlsx")
    copy.parent.mkdir()
    copy.write_bytes(resaved(path))
    assert entries_of(copy) == entries_of(path)


@pytest.mark.parametrize("variant", ["gbk", "bom", "crlf", "lf"])
@pytest.mark.parametrize("path", TEXT_CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_text_export_re_encoded_imports_identically(tmp_path: Path, path: Path, variant: str) -> None:
    text, _encoding = decode_text(path, path.read_bytes())
    lines = text.splitlines()
    if variant == "gbk":
        if "¥" in text:
            pytest.skip("GBK has no U+00A5: this bill cannot be a GBK export as it stands")
        data = "\r\n".join(lines).encode("gbk") + b"\r\n"
    elif variant == "bom":
        data = b"\xef\xbb\xbf" + "\n".join(lines).encode("utf-8") + b"\n"
    elif variant == "crlf":
        data = "\r\n".join(lines).encode("utf-8") + b"\r\n"
    else:
        data = "\n".join(lines).encode("utf-8") + b"\n"
    copy = tmp_path / path.parent.name / path.name
    copy.parent.mkdir()
    copy.write_bytes(data)
    assert entries_of(copy) == entries_of(path)
