"""A committee's existing cash book (现金日记账 / 银行存款日记账 / 收支明细账) read into rows, layouts as data.

A layout (``importers/cashbooks/*.toml``, shipped in the package as ``cashbook_layouts``; a compound may add
its own in ``<compound>/cashbooks/``) lists the header names of each column, as statement profiles do. A
sheet is read when one layout finds its header in the first rows (a two-row header such as 「2022年」 above
「月 | 日」, or 「金额」 above 「借方 | 贷方」, is merged); sheets where no layout finds one are passed over and
reported. The date is one column, or 月 and 日 columns with the year in a title row (``2022年``), the sheet
name (``2021年``) or a 年 column; a blank 月 (or 日) repeats the row above.

Rows that are no movement are skipped and counted: blank rows, subtotals (本月合计, 本年累计, 过次页,
结转下年…), notes (text without date or amount), page carries (承前页, whose balance must be the running
one) and brought-forward balances (上年结转, 期初余额…, compared with the books by :mod:`.migrating`).
Anything else must be a movement: a date, and an amount in exactly one of 收入/借方 and 支出/贷方 — or the
row is refused, naming file, sheet, row and column. Where the sheet has a 余额 column the running balance
must add up row by row (a blank 余额 is allowed: many books write it on a day's last row only), or the first
row where it does not is named.

Each movement gets a stable ``import_id``: ``cb`` + a hash of the row's voucher number, date, amount and texts
(its cells as read, so a workbook saved again by Excel or WPS, a CSV saved as GBK, or one sheet saved as CSV,
gives the same ids — the sheet name is left out on purpose: saving a sheet as CSV loses it); identical twins in
one file get ``-1``, ``-2``… in order.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from commonfund.core.errors import InputError
from commonfund.core.money import format_cny
from commonfund.importers.cells import clean, header_name, parse_amount, parse_datetime
from commonfund.importers.read import Grid, read_grids

SHIPPED = "cashbook_layouts"
"""The package folder of the shipped cash-book layouts (a link to the top-level ``importers/cashbooks/``)."""
LAYOUT_DIR = "cashbooks"
"""A compound's own layouts: ``<compound>/cashbooks/*.toml``."""
HEADER_ROWS = 20
FIELDS = ("date", "year", "month", "day", "voucher", "summary", "category", "income", "expense", "amount", "flag",
          "direction", "balance", "handler", "remark")
TEXT_FIELDS = ("voucher", "summary", "category", "handler", "remark")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Columns(_Model):
    """Header names (any of them, exact after removing spaces) for each column of a cash book."""

    date: tuple[str, ...] = ()
    year: tuple[str, ...] = ()
    month: tuple[str, ...] = ()
    day: tuple[str, ...] = ()
    voucher: tuple[str, ...] = ()
    summary: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    income: tuple[str, ...] = Field(default=(), description="money into the account: 收入 / 借方")
    expense: tuple[str, ...] = Field(default=(), description="money out of the account: 支出 / 贷方")
    amount: tuple[str, ...] = Field(default=(), description="one 金额 column instead: signed, or with a 收/支 flag")
    flag: tuple[str, ...] = Field(default=(), description="收/支 beside a 金额 column (see Layout.outflow)")
    direction: tuple[str, ...] = Field(default=(), description="借或贷 beside the balance (贷: below zero)")
    balance: tuple[str, ...] = ()
    handler: tuple[str, ...] = ()
    remark: tuple[str, ...] = ()


class Layout(_Model):
    """A cash-book layout: how to find its header and read its rows.

    Attributes:
      name: The file name without ``.toml``.
      title: Shown in the summary.
      markers: Texts above the header (a title row) that make this layout win over another that fits.
      require: Fields whose column must be found for the layout to fit.
      ignore: Header names the layout knows but does not read.
      columns: Header names per field.
      subtotal: Row texts of subtotals and closing rows, skipped.
      carried: Row texts of a page carried forward (承前页), skipped; its balance must be the running one.
      brought_forward: Row texts of a balance brought forward from before the sheet, compared with the books.
      outflow: Values of the 收/支 flag column that mean money out.
    """

    name: str
    title: str
    markers: tuple[str, ...] = ()
    require: tuple[str, ...] = ("summary",)
    ignore: tuple[str, ...] = ()
    columns: Columns
    subtotal: tuple[str, ...] = ("本月合计", "本月小计", "本月累计", "本季合计", "本季累计", "本年合计", "本年累计",
                                 "本期合计", "本期发生额", "合计", "小计", "总计", "累计", "过次页", "转次页",
                                 "结转下年", "结转下期", "年末余额", "期末余额", "本月结余")
    carried: tuple[str, ...] = ("承前页", "承上页")
    outflow: tuple[str, ...] = ("支", "支出", "付", "付出", "付款", "出", "转出", "费用")
    """Values of the ``flag`` column that mean money out (any other non-empty value: money in)."""
    brought_forward: tuple[str, ...] = ("上年结转", "上年结余", "结转上年", "承上年", "期初余额", "年初余额",
                                        "上期结转", "上月结转", "上期结余", "上月结余", "期初结余", "年初结余")


@dataclass(frozen=True)
class CashRow:
    """One movement of a cash book.

    Attributes:
      path, sheet, row: Where it is (``row`` 1-based, as the spreadsheet numbers it).
      date: Its date.
      amount: Signed: money in > 0 (收入/借方), out < 0 (支出/贷方).
      balance: The balance after it, when the sheet has one.
      voucher, summary, category, handler, remark: Its texts.
      import_id: Its stable id (module docstring).
    """

    path: Path
    sheet: str
    row: int
    date: date
    amount: Decimal
    balance: Decimal | None
    voucher: str
    summary: str
    category: str
    handler: str
    remark: str
    import_id: str

    @property
    def where(self) -> str:
        return f"{self.path}: sheet {self.sheet!r} row {self.row}" if self.sheet else f"{self.path}:{self.row}"


@dataclass(frozen=True)
class BroughtForward:
    """A balance brought forward (上年结转, 期初余额…) or carried from the page before (承前页)."""

    path: Path
    sheet: str
    row: int
    date: date | None
    balance: Decimal
    carried: bool

    @property
    def where(self) -> str:
        return f"{self.path}: sheet {self.sheet!r} row {self.row}" if self.sheet else f"{self.path}:{self.row}"


@dataclass
class Sheet:
    """One sheet of a cash book, read.

    Attributes:
      path, name: The file and the sheet (``""`` for a CSV).
      layout: The layout that read it.
      rows: Its movements, in sheet order.
      opening: The balance brought forward at its top (上年结转…), if any.
      has_balance: Whether it has a 余额 column.
      skipped: Rows skipped, by kind (blank, subtotal, note, brought forward).
      title: The text above the header (the title rows), which may name the fund.
    """

    path: Path
    name: str
    layout: Layout
    rows: list[CashRow]
    opening: BroughtForward | None
    has_balance: bool
    skipped: Counter[str] = field(default_factory=Counter)
    title: str = ""

    @property
    def first_date(self) -> date:
        return self.rows[0].date if self.rows else date.max


@dataclass
class CashBook:
    """A cash-book file: the sheets read and the sheets passed over (no header any layout knows)."""

    path: Path
    sheets: list[Sheet]
    passed_over: list[str]


def shipped_layouts() -> Path:
    """The folder of the shipped layouts."""
    folder = resources.files("commonfund.importers").joinpath(SHIPPED)
    return Path(str(folder))


def load_layouts(compound_root: Path | None = None) -> dict[str, Layout]:
    """The shipped layouts and the compound's own (a compound layout of the same name wins)."""
    folders = [shipped_layouts()]
    if compound_root is not None:
        folders.append(compound_root / LAYOUT_DIR)
    out: dict[str, Layout] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            layout = _load_cached(str(path), path.stat().st_mtime)
            out[layout.name] = layout
    return out


@cache
def _load_cached(path: str, _mtime: float) -> Layout:
    return load_layout(Path(path))


def load_layout(path: Path) -> Layout:
    """Read and validate one layout file; :class:`InputError` naming the file and key."""
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(path, f"is not a valid TOML cash-book layout ({exc})") from None
    try:
        layout = Layout.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"])
        raise InputError(f"{path}: {key}", first["msg"]) from None
    if layout.name != path.stem:
        raise InputError(f"{path}: name", f"is {layout.name!r}, but must be the file name {path.stem!r}")
    money = layout.columns
    if not ((money.income and money.expense) or money.amount):
        raise InputError(f"{path}: columns", "needs income and expense (收入/支出, 借方/贷方), or amount (金额)")
    unknown = [f for f in layout.require if f not in FIELDS]
    if unknown:
        raise InputError(f"{path}: require", f"{unknown[0]!r} is not a column field ({', '.join(FIELDS)})")
    return layout


# ----------------------------------------------------------------------------------------------- header

_MONTH_DAY = re.compile(r"^(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?$")
_YEAR_CELL = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_YEAR_NAME = re.compile(r"^\s*((?:19|20)\d{2})(?:\s*年度?)?(?!\d)")


@dataclass(frozen=True)
class Header:
    """Where a layout found its header in a grid: the rows it spans and the column of each field."""

    layout: Layout
    first: int
    last: int
    columns: dict[str, int]
    score: int


@cache
def _header_name(text: str) -> str:
    return header_name(text)


@cache
def _wanted(layout: Layout) -> tuple[tuple[str, frozenset[str]], ...]:
    return tuple((name, frozenset(getattr(layout.columns, name))) for name in FIELDS if getattr(layout.columns, name))


def _resolve(layout: Layout, rows: list[list[str]]) -> dict[str, int]:
    """The column of each field of *layout* among the header *rows* (one or two), first match wins."""
    width = max((len(r) for r in rows), default=0)
    names = [{_header_name(r[c]) for r in rows if c < len(r)} - {""} for c in range(width)]
    named = [c for c in range(width) if names[c]]
    out: dict[str, int] = {}
    taken: set[int] = set()
    for name, wanted in _wanted(layout):
        for c in named:
            if c not in taken and not names[c].isdisjoint(wanted):
                out[name] = c
                taken.add(c)
                break
    return out


def _fits(layout: Layout, columns: dict[str, int]) -> bool:
    has_date = "date" in columns or ("month" in columns and "day" in columns)
    money = ("income" in columns and "expense" in columns) or "amount" in columns
    return has_date and money and all(f in columns for f in layout.require)


def find_header(layout: Layout, grid: Grid) -> Header | None:
    """The first header of *layout* in the top rows of *grid* (one row, or two merged), or None."""
    rows = grid.rows
    for i in range(min(HEADER_ROWS, len(rows))):
        one = _resolve(layout, [rows[i]])
        two = _resolve(layout, rows[i:i + 2]) if i + 1 < len(rows) else one
        if len(one) >= 2 and len(two) > len(one) and not _looks_like_data(rows[i + 1]):
            columns, last = two, i + 1
        else:
            columns, last = one, i
        if _fits(layout, columns):
            above = " ".join(" ".join(r) for r in rows[:i])
            bonus = 10 if any(m in above or m in grid.sheet for m in layout.markers) else 0
            return Header(layout, i, last, columns, len(columns) + bonus)
    return None


def _looks_like_data(row: list[str]) -> bool:
    """Whether a row below a header holds data (an amount with decimals, or a full date) rather than names."""
    for cell in row:
        text = clean(cell)
        if re.fullmatch(r"-?[\d,]+\.\d{1,2}", text) or re.match(r"^\d{4}[-/.年]\d{1,2}", text):
            return True
    return False


def sheet_year(grid: Grid, header: Header) -> int | None:
    """The year of a sheet whose dates are 月/日: from a title or header cell (``2022年``), else the sheet name."""
    for row in grid.rows[:header.last + 1]:
        for cell in row:
            match = _YEAR_CELL.search(clean(cell))
            if match:
                return int(match.group(1))
    match = _YEAR_NAME.match(grid.sheet)
    return int(match.group(1)) if match else None


# ------------------------------------------------------------------------------------------------ rows

def _cell(cells: list[str], columns: dict[str, int], name: str) -> str:
    """The (cleaned) cell of field *name* in a row of cleaned *cells*, or ``""``."""
    c = columns.get(name)
    return cells[c] if c is not None and c < len(cells) else ""


def _whole(text: str, what: str, where: str) -> int:
    try:
        value = Decimal(text)
    except ArithmeticError:
        value = Decimal("NaN")
    if not value.is_finite() or value != value.to_integral_value():
        raise InputError(where, f"{what} {text!r} is not a number")
    return int(value)


def _amount(text: str, where: str, column: str) -> Decimal | None:
    try:
        return parse_amount(text)
    except (ValueError, ArithmeticError):  # ArithmeticError: too many digits for a cent (1e999)
        raise InputError(where, f"{column} {text!r} is not an amount") from None


@cache
def _kinds(layout: Layout) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """One pattern per kind of skipped row: a cell that starts with one of its words, spaces ignored."""
    def pattern(words: tuple[str, ...]) -> re.Pattern[str]:
        if not words:
            return re.compile(r"(?!)")  # a layout without such rows: never
        spaced = ("\\s*".join(re.escape(ch) for ch in word) for word in words)
        return re.compile(r"\x00\s*(?:" + "|".join(spaced) + ")")  # at the start of a cell (cells joined by NUL)

    return (("brought forward", pattern(layout.brought_forward)), ("carried", pattern(layout.carried)),
            ("subtotal", pattern(layout.subtotal)))


def _amounts_in(cells: list[str], columns: dict[str, int], names: tuple[str, ...]) -> bool:
    """Whether any of the row's cells *names* holds something that reads as an amount."""
    for name in names:
        try:
            if parse_amount(_cell(cells, columns, name)) is not None:
                return True
        except (ValueError, ArithmeticError):
            continue
    return False


class _Reader:
    """Reads the rows of one sheet below its header (see the module docstring)."""

    def __init__(self, path: Path, grid: Grid, header: Header, twins: Counter[str]) -> None:
        self.path, self.grid, self.header = path, grid, header
        self.twins = twins
        self.layout = header.layout
        self.columns = header.columns
        self.year = sheet_year(grid, header)
        self.month: int | None = None
        self.day: int | None = None
        self.names = {name: header_name(grid.rows[header.last][c]) or header_name(grid.rows[header.first][c])
                      for name, c in self.columns.items()}

    def where(self, row: int) -> str:
        return f"{self.path}: sheet {self.grid.sheet!r} row {row}" if self.grid.sheet else f"{self.path}:{row}"

    def kind(self, cells: list[str]) -> str:
        """``subtotal``, ``carried``, ``brought forward`` or ``""`` for a row: a cell starts with one of the
        layout's words (``本月合计``, ``上年结转``…; spaces ignored)."""
        joined = "\x00" + "\x00".join(cells)
        for kind, pattern in _kinds(self.layout):
            if pattern.search(joined):
                return kind
        return ""

    def date_of(self, cells: list[str], where: str, required: bool) -> date | None:
        if "date" in self.columns:
            text = _cell(cells, self.columns, "date")
            if not text:
                if required:
                    raise InputError(where, f"this row has an amount but no date in {self.names['date']}")
                return None
            try:
                return parse_datetime(text)[0]
            except (ValueError, OverflowError):
                short = _MONTH_DAY.match(text)  # 「3月5日」 or 「3-5」 under a title giving the year
                if short and self.year is not None:
                    try:
                        return date(self.year, int(short.group(1)), int(short.group(2)))
                    except ValueError:
                        pass
                raise InputError(where, f"{self.names['date']} {text!r} is not a date") from None
        month_text, day_text = _cell(cells, self.columns, "month"), _cell(cells, self.columns, "day")
        year_text = _cell(cells, self.columns, "year")
        if not month_text and not day_text:
            if required:
                raise InputError(where, "this row has an amount but no 月/日")
            return None
        month = _whole(month_text, "月", where) if month_text else self.month
        day = _whole(day_text, "日", where) if day_text else self.day
        year = _whole(year_text, "年", where) if year_text else self.year
        if year is None:
            raise InputError(where, "the sheet gives 月 and 日 but no year: write the year in a title row "
                                    "(e.g. 2022年) or name the sheet after it")
        if month is None or day is None:
            raise InputError(where, "this row has an amount but no 月/日, and no row above gives them")
        try:
            value = date(year, month, day)
        except (ValueError, OverflowError):
            raise InputError(where, f"{year}年{month}月{day}日 is not a date") from None
        self.month, self.day = month, day
        return value

    def amount_of(self, cells: list[str], where: str) -> Decimal:
        """The row's signed amount: 收入/借方 less 支出/贷方, or the 金额 column (signed, or by its 收/支 flag)."""
        if "amount" in self.columns and not ("income" in self.columns and "expense" in self.columns):
            value = _amount(_cell(cells, self.columns, "amount"), where, self.names["amount"])
            if value is None:
                raise InputError(where, f"this row has no amount in {self.names['amount']}")
            if "flag" not in self.columns:
                return value
            flag = _cell(cells, self.columns, "flag")
            if not flag:
                raise InputError(where, f"this row does not say in {self.names['flag']} whether the money came in "
                                        "or went out")
            return -value if flag in self.layout.outflow else value
        income = _amount(_cell(cells, self.columns, "income"), where, self.names["income"])
        expense = _amount(_cell(cells, self.columns, "expense"), where, self.names["expense"])
        if income is None and expense is None:
            raise InputError(where, f"this row has no amount in {self.names['income']} or {self.names['expense']}")
        if income and expense:
            raise InputError(where, f"this row has an amount in both {self.names['income']} and "
                                    f"{self.names['expense']}; write one row for each")
        return (income or Decimal(0)) - (expense or Decimal(0))

    def balance_of(self, cells: list[str], where: str) -> Decimal | None:
        text = _cell(cells, self.columns, "balance")
        value = _amount(text, where, self.names.get("balance", "余额"))
        if value is not None and _cell(cells, self.columns, "direction") == "贷":
            value = -value
        return value

    def read(self) -> Sheet:
        rows: list[CashRow] = []
        skipped: Counter[str] = Counter()
        opening: BroughtForward | None = None
        twins = self.twins
        running: Decimal | None = None
        has_balance = "balance" in self.columns
        for index in range(self.header.last + 1, len(self.grid.rows)):
            row = self.grid.rows[index]
            number = index + 1
            where = self.where(number)
            cells = [clean(c) for c in row]
            if not any(cells):
                skipped["blank"] += 1
                continue
            texts = {name: _cell(cells, self.columns, name) for name in TEXT_FIELDS}
            kind = self.kind(cells)
            dated = any(_cell(cells, self.columns, n) for n in ("date", "month", "day"))
            if not kind and not dated and not _amounts_in(cells, self.columns,
                                                          ("income", "expense", "amount", "balance")):
                skipped["note"] += 1  # text only: a note, or the 会计/出纳/审核 signature line
                continue
            balance = self.balance_of(cells, where) if has_balance else None
            if kind in ("brought forward", "carried"):
                day = self.date_of(cells, where, required=False)
                skipped[kind] += 1
                if balance is None:
                    continue
                if kind == "carried" and running is not None and balance != running:
                    raise InputError(where, f"this row carries {format_cny(balance)} from the page before, but the "
                                            f"rows above add up to {format_cny(running)}")
                if opening is None and not rows:
                    opening = BroughtForward(self.path, self.grid.sheet, number, day, balance, kind == "carried")
                running = balance
                continue
            if kind == "subtotal":
                skipped["subtotal"] += 1
                continue
            amount = self.amount_of(cells, where)
            day = self.date_of(cells, where, required=True)
            assert day is not None
            if balance is not None:
                if running is not None and running + amount != balance:
                    raise InputError(where, f"the balance does not add up: {format_cny(running)} "
                                            f"{'+' if amount >= 0 else '−'} {format_cny(abs(amount))} is "
                                            f"{format_cny(running + amount)}, the sheet says {format_cny(balance)}")
                running = balance
            elif running is not None:
                running += amount  # a 余额 left blank (many books write it on a day's last row only)
            if amount == 0:
                skipped["zero amount"] += 1  # 0.00 on both sides (a voided row): no movement
                continue
            key = "|".join([texts["voucher"], day.isoformat(), str(amount), texts["summary"],
                            texts["category"], texts["handler"], texts["remark"]])
            base = "cb" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
            count = twins[base]
            twins[base] += 1
            rows.append(CashRow(self.path, self.grid.sheet, number, day, amount, balance, texts["voucher"],
                                texts["summary"], texts["category"], texts["handler"], texts["remark"],
                                base if count == 0 else f"{base}-{count}"))
        title = " ".join(clean(c) for r in self.grid.rows[:self.header.first] for c in r if clean(c))
        return Sheet(self.path, self.grid.sheet, self.layout, rows, opening, has_balance, skipped, title)


def recognise_sheet(grid: Grid, layouts: dict[str, Layout], forced: str | None = None) -> Header | None:
    """The best header any layout (or the *forced* one) finds in *grid*, or None."""
    chosen = [layouts[forced]] if forced else list(layouts.values())
    found = [h for h in (find_header(layout, grid) for layout in chosen) if h is not None]
    if not found:
        return None
    return max(found, key=lambda h: (h.score, -h.first))


def read_cashbook(path: Path, layouts: dict[str, Layout], forced: str | None = None) -> CashBook:
    """Read every sheet of a cash-book file (xlsx, xls, csv, an HTML table saved as .xls…)."""
    if forced and forced not in layouts:
        raise InputError(path, f"--layout {forced!r} is not a cash-book layout (known: {', '.join(sorted(layouts))})")
    grids = read_grids(path)
    sheets: list[Sheet] = []
    passed: list[str] = []
    twins: Counter[str] = Counter()
    for grid in grids:
        header = recognise_sheet(grid, layouts, forced)
        if header is None:
            if any(any(clean(c) for c in row) for row in grid.rows):
                passed.append(grid.sheet or path.name)
            continue
        sheets.append(_Reader(path, grid, header, twins).read())
    if not sheets:
        known = "、".join(sorted({n for layout in layouts.values() for n in (*layout.columns.summary[:1],
                                                                           *layout.columns.income[:2],
                                                                           *layout.columns.expense[:2],
                                                                           *layout.columns.amount[:1])}))
        raise InputError(path, f"no sheet has a cash-book header (a row naming the date, 摘要 and the amount "
                               f"columns, such as {known}); is this a cash book?")
    return CashBook(path, sheets, passed)
