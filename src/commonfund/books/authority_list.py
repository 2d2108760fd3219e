"""Reading the authority's per-household list (维修资金管理中心分户账清单): xlsx, xls or CSV (UTF-8, UTF-8 with
BOM, GBK), as a city's 维修资金管理中心 hands it to the committee.

Columns are found by their header names (``src/commonfund/data/authority.toml``): 房屋坐落/房号, 建筑面积,
交存金额, 续筹金额, 使用/分摊金额, 利息/增值收益, 余额, 业主姓名. The header is the first row, among the first
twenty, that names a unit column and a balance column; rows above it are title rows (a merged title, the
date, 单位：元), where the list's date is looked for (``截至2025年12月31日``). A total row (合计) and note rows
(no number among the amounts, and no unit or no amount at all: 制表人：…, 打印日期：…) are skipped and
counted; a cell that is not an amount stops the reading with its file, row and column. Owner names are
never kept: the list only says whether it carried them.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable
from datetime import date
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from commonfund.core.errors import InputError
from commonfund.core.money import parse_amount, to_fen
from commonfund.io.tables import rows_of
from commonfund.register.spelling import unit_key

FIGURES = ("deposits", "top_ups", "uses", "income", "balance")
HEADER_ROWS = 20
_UNIT_WORDS = re.compile(r"[（(][^）)]*[)）]|累计|合计|\s")
_DATE = re.compile(r"(\d{4})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})")


@functools.cache
def layout() -> dict[str, dict[str, list[str]]]:
    """The header names and row words of ``data/authority.toml``."""
    text = resources.files("commonfund.data").joinpath("authority.toml").read_text("utf-8")
    return tomllib.loads(text)


class AuthorityRow(NamedTuple):
    """One household of the list, amounts in fen (None where the list has no such column).

    Attributes:
      row: The row number in the file (as a spreadsheet shows it).
      written: The unit as the list writes it (房屋坐落 or 房号).
      area_centi: 建筑面积 in 0.01 ㎡.
      deposits: 交存金额 (with 续筹 added when the list gives it apart).
      uses: 使用/分摊金额, as a positive amount.
      income: 利息/增值收益.
      balance: 余额.
    """

    row: int
    written: str
    area_centi: int | None
    deposits: int | None
    uses: int | None
    income: int | None
    balance: int | None


class AuthorityList(NamedTuple):
    """The list as read.

    Attributes:
      name: The file's name (as the user gave it).
      as_of: The date the list is at.
      rows: The households, in file order.
      columns: Which figures it gives (of ``area``, ``deposits``, ``uses``, ``income``, ``balance``).
      skipped: ``(row, why)`` of the rows that are not households (a total, a note).
      named: Whether it carried owner names (never kept).
    """

    name: str
    as_of: date
    rows: tuple[AuthorityRow, ...]
    columns: tuple[str, ...]
    skipped: tuple[tuple[int, str], ...]
    named: bool


def header_key(text: str) -> str:
    """A header as it is compared: no spaces, no bracketed units, no 累计/合计."""
    return _UNIT_WORDS.sub("", text).replace("／", "/")


def _columns(cells: list[str]) -> dict[str, int]:
    names = {header_key(n): figure for figure, words in layout()["columns"].items() for n in words}
    found: dict[str, int] = {}
    for position, cell in enumerate(cells):
        figure = names.get(header_key(cell))
        if figure is not None and figure not in found:
            found[figure] = position
    return found


def find_date(texts: Iterable[str]) -> date | None:
    """The date the list is at: the first written after 截至/统计日期…, else the first other date, else the
    first after 打印日期/制表日期… (when it was printed); None if *texts* write no date."""
    words, later = layout()["date"]["words"], layout()["date"]["later"]
    found: dict[int, date] = {}
    for text in texts:
        for match in _DATE.finditer(text):
            try:
                day = date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                continue
            before = text[max(0, match.start() - 8):match.start()]
            rank = 0 if any(w in before for w in words) else 2 if any(w in before for w in later) else 1
            found.setdefault(rank, day)
    return found[min(found)] if found else None


def read_authority_list(path: Path, data: bytes, as_of: date | None = None, name: str | None = None) -> AuthorityList:
    """Read the list in *data* (the bytes of *path*); *as_of* overrides the date written in it.

    Raises :class:`InputError` (file and row) for a list without the columns needed, without a date, or
    with a cell that is not an amount or an area.
    """
    shown = name or str(path)
    rows = list(rows_of(path, data))
    header_at = None
    columns: dict[str, int] = {}
    for index, (_, cells) in enumerate(rows[:HEADER_ROWS]):
        columns = _columns(cells)
        if "unit" in columns and "balance" in columns:
            header_at = index
            break
    if header_at is None:
        raise InputError(shown, "no header row naming the unit (房屋坐落 or 房号) and the balance (余额) in its first "
                                f"{HEADER_ROWS} rows: is this the 维修资金管理中心's per-household list?")
    titles = [c for _, cells in rows[:header_at] for c in cells if c]
    totals = layout()["rows"]["totals"]
    households: list[AuthorityRow] = []
    skipped: list[tuple[int, str]] = []
    notes: list[str] = []
    header_row = rows[header_at][0]
    for number, cells in rows[header_at + 1:]:
        def cell(figure: str, cells: list[str] = cells) -> str:
            at = columns.get(figure)
            return cells[at].strip() if at is not None and at < len(cells) else ""
        written = cell("unit")
        first = next((c for c in cells if c), "")
        joined = "".join(cells)
        if any(w in written or w in first for w in totals) or (not written and any(w in joined for w in totals)):
            skipped.append((number, "合计行"))
            continue
        texts = [cell(f) for f in ("area", *FIGURES)]
        if not any(map(_numeric, texts)) and (unit_key(written) is None or not any(texts)):
            skipped.append((number, "说明行（无金额）"))
            notes.append(" ".join(cells))
            continue
        if not written:
            raise InputError(f"{shown}:{number}", f"the unit (column {rows[header_at][1][columns['unit']]!r}) is "
                                                  "empty on a row with amounts")
        amounts = {f: _fen(shown, number, rows[header_at][1], columns, f, cell(f)) for f in FIGURES}
        deposits = amounts["deposits"]
        if amounts["top_ups"] is not None:
            deposits = (deposits or 0) + amounts["top_ups"]
        uses = amounts["uses"]
        households.append(AuthorityRow(number, written, _area(shown, number, cell("area")), deposits,
                                       None if uses is None else abs(uses), amounts["income"], amounts["balance"]))
    day = as_of or find_date([*titles, *notes])
    if day is None:
        raise InputError(shown, "says no date (such as 截至2025年12月31日 above the header): give the list's date "
                                "with --date YYYY-MM-DD")
    if not households:
        raise InputError(f"{shown}:{header_row}", "the list has a header but no household rows")
    given = tuple(f for f in ("area", "deposits", "uses", "income", "balance")
                  if f in columns or (f == "deposits" and "top_ups" in columns))
    return AuthorityList(shown, day, tuple(households), given, tuple(skipped), "owner" in columns)


def _numeric(text: str) -> bool:
    try:
        parse_amount(text)
    except ValueError:
        return False
    return bool(text)


def _fen(shown: str, number: int, header: list[str], columns: dict[str, int], figure: str, text: str) -> int | None:
    if figure not in columns or text in ("", "-", "—", "/"):
        return None if figure not in columns else 0
    try:
        return to_fen(parse_amount(text))
    except ValueError:
        raise InputError(f"{shown}:{number}", f"{header[columns[figure]]} {text!r} is not an amount in yuan "
                                              "(two decimals at most)") from None


def _area(shown: str, number: int, text: str) -> int | None:
    if not text:
        return None
    cleaned = text.replace("㎡", "").replace("m²", "").replace("平方米", "").replace(",", "").strip()
    try:
        value = parse_amount(cleaned)
        centi = value * 100
        if centi != centi.to_integral_value() or value < 0:
            raise ValueError(text)
    except ValueError:
        raise InputError(f"{shown}:{number}",
                         f"建筑面积 {text!r} is not an area in ㎡ (two decimals at most)") from None
    return int(centi)
