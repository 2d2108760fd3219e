"""An existing committee, generated: years of a cash book in Excel, and bank statements overlapping it.

``commonfund synth DIR --history-excel`` (:func:`write_history`) writes a fresh compound (as ``commonfund init``
does, the books starting on 1 January of the cash book's first year) and, under ``history/``:

* ``收支明细账.xlsx`` — the common revenue's cash book (layout ``ledger-detail``: 日期 | 凭证号 | 摘要 | 类别 |
  收入 | 支出 | 余额 | 经手人 | 备注), one sheet per year, each with a merged title row, a 上年结转 row, a
  本月合计 row after every month, a 本年累计 row and a 结转下年 row; 类别 such as 停车费, 广告费, 基站租金,
  利息, 手续费, 工作经费, and now and then one compound.toml does not map (其他);
* ``opening-balances.csv`` — the balance brought forward into the first year, for ``commonfund opening``;
* ``statements/*.csv`` — the bank's statements (ICBC 企业网银, the profile ``icbc-corporate``) of the cash
  book's last months and one month beyond it, the bank booking each movement on the cash book's day or up
  to two days later;
* ``分户清单.xlsx`` — the 维修资金管理中心's per-household list of the maintenance fund at 31 December of the last
  year (:func:`commonfund.synth.authority.write_authority_list`), with an area, a missed apportionment and an
  interest split planted;
* ``history.json`` — what a migration and an import of these files must give (rows, linked, new, the statement's
  last balance), the planted differences, and the dividend (resolution, amount, households paid by bank and in
  cash).

The books hold what the committee recorded of its maintenance fund since the first deposits that ``init``
books (:func:`maintenance_history`, by :class:`~commonfund.synth.generator.Generator`: repairs with their
resolutions, ballots and ``apportion`` scopes, an emergency repair a year, interest by balance, top-ups) and the
owners' year-end dividend of the common revenue (resolution and distribution entry, for ``commonfund payout``).
The register has the payout columns 收款账号, 收款户名, 开户行, 联行号 for about 85% of the owned units.

compound.toml gets a ``[migrate.categories]`` table for the categories. Everything is a function of the seed.
The writers of each shipped layout (:func:`cash_journal_xlsx`, :func:`bank_journal_xlsx`,
:func:`ledger_detail_xlsx`, :func:`ledger_detail_csv`) also write the fixtures of ``importers/fixtures/cashbooks``.

Further parts of an existing committee are added to :data:`HISTORY_PARTS`: each gets the :class:`History` and
returns files to write under the compound.
"""

from __future__ import annotations

import io
import json
import random
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from commonfund.compound.config import CONFIG_NAME
from commonfund.compound.scaffold import init_compound
from commonfund.core.money import from_fen, to_fen
from commonfund.synth.common import CR_BANK, LAST_YEAR, PROPERTY_COMPANY
from commonfund.synth.writers import SynthLine, _deterministic_zip, csv_bytes, icbc_csv, money

if TYPE_CHECKING:
    from commonfund.synth.generator import Generator

CATEGORIES = {
    "停车费": "Income:CommonRevenue:Parking-停车",
    "临时停车费": "Income:CommonRevenue:Parking-停车",
    "广告费": "Income:CommonRevenue:Advertising-广告",
    "基站租金": "Income:CommonRevenue:BaseStation-基站",
    "快递柜": "Income:CommonRevenue:Lockers-快递柜",
    "场地租金": "Income:CommonRevenue:Venue-场地",
    "利息": "Income:CommonRevenue:Interest-利息",
    "手续费": "Expenses:CommonRevenue:BankFee-手续费",
    "税费": "Expenses:CommonRevenue:Tax-税费",
    "经营成本": "Expenses:CommonRevenue:OperatingCost-经营成本",
    "工作经费": "Expenses:CommonRevenue:WorkingFund-拨付工作经费",
}
STATEMENT_RULES = ((f'counterparty = "{PROPERTY_COMPANY}"\nsummary = "停车"\n', "停车费"),
                   ('summary = "快递柜"\n', "快递柜"),
                   ('summary = "结息|利息"\ndirection = "in"\n', "利息"),
                   ('summary = "管理费|手续费"\ndirection = "out"\n', "手续费"))
"""compound.toml's ``[[rules]]`` for the statements' lines (TOML text before ``account``, the category)."""
HANDLERS = ("周晓梅", "陈建国", "林海波")
ACCOUNT_NO = "1001234509876543210"


@dataclass(frozen=True)
class Movement:
    """One row of a cash book: signed fen (money in > 0)."""

    day: date
    summary: str
    category: str
    fen: int
    handler: str = ""
    remark: str = ""
    voucher: str = ""


def _fen(rng: random.Random, low: int, high: int) -> int:
    return rng.randint(low * 100, high * 100)


def history_movements(first_year: int, last_year: int, seed: int, end: date | None = None,
                      daily: int = 0) -> list[Movement]:
    """Realistic common-revenue movements from *first_year* to *last_year* (up to *end*), in date order.

    *daily*: extra 临时停车费 takings per month (a busy cash book: the benchmark's ten years of ~6,000 rows).
    """
    rng = random.Random(seed)
    rows: list[tuple[date, int, str, str, int, str]] = []
    for year in range(first_year, last_year + 1):
        for month in range(1, 13):
            def on(day: int, order: int, summary: str, category: str, fen: int, remark: str = "",
                   year: int = year, month: int = month) -> None:
                rows.append((date(year, month, day), order, summary, category, fen, remark))

            on(10, 1, f"{PROPERTY_COMPANY}代收{month}月停车费", "停车费", _fen(rng, 6000, 14000))
            if rng.random() < 0.8:
                on(15, 2, f"快递柜场地使用费（{month}月）", "快递柜", _fen(rng, 300, 600))
            on(25, 8, "银行账户管理费", "手续费", -rng.randint(500, 3000))
            for n in range(daily):
                on(1 + (n * 27) // max(daily, 1), 3, "临时停车收入", "临时停车费", _fen(rng, 20, 400))
            if month % 3 == 0:
                on(28, 4, f"电梯广告费（{year}年第{month // 3}季度）", "广告费", _fen(rng, 4500, 9000))
                on(21, 5, "结息", "利息", rng.randint(2000, 8000))
                on(5, 6, f"拨付业委会工作经费（第{month // 3}季度）", "工作经费", -300000,
                   "业主大会决议同意")
            if month == 3:
                on(18, 7, "通信基站场地租金", "基站租金", _fen(rng, 12000, 24000))
            if month == 4:
                on(20, 7, "代缴经营收入税费", "税费", -_fen(rng, 800, 2400))
            if month in (6, 11) and rng.random() < 0.7:
                on(12, 7, "广告屏电费", "经营成本", -_fen(rng, 200, 800))
            if month == 9 and rng.random() < 0.6:
                on(8, 7, "垃圾分类宣传物料", "其他", -_fen(rng, 150, 600), "无发票，收据一张")
            if month == 7 and rng.random() < 0.5:
                on(16, 7, "篮球场地租用", "场地租金", _fen(rng, 500, 1500))
    rows.sort(key=lambda r: (r[0], r[1]))
    out: list[Movement] = []
    numbers: dict[int, int] = {}
    for day, _order, summary, category, fen, remark in rows:
        if end is not None and day > end:
            break
        numbers[day.year] = numbers.get(day.year, 0) + 1
        out.append(Movement(day, summary, category, fen, HANDLERS[rng.randrange(len(HANDLERS))], remark,
                            f"记-{numbers[day.year]:03d}"))
    return out


def _years(movements: Sequence[Movement]) -> dict[int, list[Movement]]:
    out: dict[int, list[Movement]] = {}
    for m in movements:
        out.setdefault(m.day.year, []).append(m)
    return out


def _yuan(fen: int) -> Decimal:
    return from_fen(fen)


# ------------------------------------------------------------------------------------------------ layouts

Row = list[object]


def ledger_detail_rows(year: int, movements: Sequence[Movement], opening_fen: int, title: str) -> list[Row]:
    """One year of a 收支明细账: title, header, 上年结转, movements with 本月合计, 本年累计, 结转下年."""
    header: Row = ["日期", "凭证号", "摘要", "类别", "收入", "支出", "余额", "经手人", "备注"]
    rows: list[Row] = [[f"{title}（{year}年）"], header,
                       [f"{year}-01-01", "", "上年结转", "", None, None, _yuan(opening_fen), "", ""]]
    balance = opening_fen
    year_in = year_out = 0
    month_in = month_out = 0
    for i, m in enumerate(movements):
        balance += m.fen
        income, expense = (m.fen, 0) if m.fen > 0 else (0, -m.fen)
        month_in, month_out = month_in + income, month_out + expense
        rows.append([m.day, m.voucher, m.summary, m.category, _yuan(income) if income else None,
                     _yuan(expense) if expense else None, _yuan(balance), m.handler, m.remark])
        if i + 1 == len(movements) or movements[i + 1].day.month != m.day.month:
            year_in, year_out = year_in + month_in, year_out + month_out
            rows.append(["", "", "本月合计", "", _yuan(month_in), _yuan(month_out), _yuan(balance), "", ""])
            month_in = month_out = 0
    rows.append(["", "", "本年累计", "", _yuan(year_in), _yuan(year_out), _yuan(balance), "", ""])
    rows.append([f"{year}-12-31", "", "结转下年", "", None, None, _yuan(balance), "", ""])
    rows.append([])
    rows.append(["", "", "会计：", "", "", "出纳：", "", "审核：", ""])
    return rows


def cash_journal_rows(year: int, movements: Sequence[Movement], opening_fen: int, title: str) -> list[Row]:
    """One year of a 现金日记账 (Excel/WPS template): title, 「2023年」 over 月 | 日, 借方/贷方, 借或贷, 余额."""
    rows: list[Row] = [[title], [f"{year}年", "", "凭证字号", "摘要", "对方科目", "借方", "贷方", "借或贷", "余额"],
                       ["月", "日", "", "", "", "", "", "", ""],
                       [1, 1, "", "上年结转", "", None, None, "借", _yuan(opening_fen)]]
    balance = opening_fen
    month = 0
    month_in = month_out = 0
    for i, m in enumerate(movements):
        balance += m.fen
        income, expense = (m.fen, 0) if m.fen > 0 else (0, -m.fen)
        month_in, month_out = month_in + income, month_out + expense
        shown_month = m.day.month if m.day.month != month else None  # the template leaves a repeated 月 blank
        month = m.day.month
        rows.append([shown_month, m.day.day, m.voucher, m.summary, m.category, _yuan(income) if income else None,
                     _yuan(expense) if expense else None, "借" if balance >= 0 else "贷", _yuan(abs(balance))])
        if i + 1 == len(movements) or movements[i + 1].day.month != m.day.month:
            rows.append(["", "", "", "本月合计", "", _yuan(month_in), _yuan(month_out), "借", _yuan(balance)])
            month_in = month_out = 0
    return rows


def bank_journal_rows(movements: Sequence[Movement], opening_fen: int, title: str, bank: str,
                      page: int = 30) -> list[Row]:
    """A 银行存款日记账 on one sheet: 期初余额, then pages of *page* rows closed by 过次页 and opened by 承前页."""
    rows: list[Row] = [[title], [f"开户银行：{bank}", "", "", "", f"账号：{ACCOUNT_NO}"],
                       ["日期", "凭证号", "结算方式", "票据号", "摘要", "对方科目", "借方", "贷方", "余额"]]
    first = movements[0].day if movements else date(LAST_YEAR, 1, 1)
    rows.append([first.replace(day=1), "", "", "", "期初余额", "", None, None, _yuan(opening_fen)])
    balance = opening_fen
    for i, m in enumerate(movements):
        if i and i % page == 0:
            rows.append(["", "", "", "", "过次页", "", None, None, _yuan(balance)])
            rows.append(["", "", "", "", "承前页", "", None, None, _yuan(balance)])
        balance += m.fen
        income, expense = (m.fen, 0) if m.fen > 0 else (0, -m.fen)
        way = "转账" if abs(m.fen) >= 100000 else "网银"
        rows.append([m.day, m.voucher, way, f"{i + 1:06d}" if way == "转账" else "", m.summary, m.category,
                     _yuan(income) if income else None, _yuan(expense) if expense else None, _yuan(balance)])
    return rows


def ledger_amount_rows(movements: Sequence[Movement], opening_fen: int, title: str) -> list[Row]:
    """A 收支流水 with one 金额 column and a 收/支 column: 期初余额, the movements, a 合计 row."""
    first = movements[0].day if movements else date(LAST_YEAR, 1, 1)
    rows: list[Row] = [[title], ["日期", "收/支", "项目", "摘要", "金额", "余额", "经手人", "备注"],
                       [first.replace(day=1), "", "", "期初余额", None, _yuan(opening_fen), "", ""]]
    balance = opening_fen
    for m in movements:
        balance += m.fen
        rows.append([m.day, "收" if m.fen > 0 else "支", m.category, m.summary, _yuan(abs(m.fen)), _yuan(balance),
                     m.handler, m.remark])
    rows.append(["", "", "", "合计", None, _yuan(balance), "", ""])
    return rows


def workbook_bytes(sheets: Sequence[tuple[str, list[Row]]], merge_title: bool = True) -> bytes:
    """Sheets as an .xlsx written by openpyxl: the title row merged across the table, amounts as numbers with
    two decimals, dates as dates; byte-identical for the same rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets:
        ws = book.create_sheet(name)
        width = max(len(r) for r in rows)
        for row in rows:
            ws.append(row)
        if merge_title:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
            ws.cell(1, 1).font = Font(bold=True, size=14)
            ws.cell(1, 1).alignment = Alignment(horizontal="center")
        if rows[1][:1] and isinstance(rows[1][0], str) and rows[1][0].endswith("年") and rows[2][:2] == ["月", "日"]:
            ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=2)  # 「2023年」 over 月 | 日
            for column in range(3, width + 1):
                ws.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, Decimal):
                    cell.number_format = "#,##0.00"
                elif isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
    raw = io.BytesIO()
    book.save(raw)
    return _deterministic_zip(raw.getvalue())


def _by_year(movements: Sequence[Movement], opening_fen: int, title: str,
             make: Callable[[int, Sequence[Movement], int, str], list[Row]]) -> list[tuple[str, list[Row]]]:
    sheets = []
    balance = opening_fen
    for year, items in sorted(_years(movements).items()):
        sheets.append((f"{year}年", make(year, items, balance, title)))
        balance += sum(m.fen for m in items)
    return sheets


def ledger_detail_xlsx(movements: Sequence[Movement], opening_fen: int, title: str) -> bytes:
    """A 收支明细账 workbook, one sheet per year, and a 说明 sheet (no table) in front."""
    notes: list[Row] = [["说明"], ["本账簿由业委会出纳按月登记，每年一页。"], ["类别按业主大会通过的财务制度填写。"]]
    return workbook_bytes([("说明", notes), *_by_year(movements, opening_fen, title, ledger_detail_rows)])


def ledger_detail_csv(movements: Sequence[Movement], opening_fen: int, title: str) -> bytes:
    """One year of a 收支明细账 as WPS/Excel saves a sheet as CSV: GBK, CRLF, amounts with two decimals."""
    year = movements[0].day.year if movements else LAST_YEAR
    rows = ledger_detail_rows(year, movements, opening_fen, title)

    def text(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, Decimal):
            return money(value)
        if isinstance(value, date):
            return f"{value.year}/{value.month}/{value.day}"
        return str(value)

    return csv_bytes([[text(v) for v in row] for row in rows], "gbk")


def cash_journal_xlsx(movements: Sequence[Movement], opening_fen: int, title: str) -> bytes:
    """A 现金日记账 workbook in the Excel/WPS template, one sheet per year."""
    return workbook_bytes(_by_year(movements, opening_fen, title, cash_journal_rows))


def bank_journal_xlsx(movements: Sequence[Movement], opening_fen: int, title: str, bank: str,
                      page: int = 30) -> bytes:
    """A 银行存款日记账 workbook (one sheet, pages of *page* rows carried with 过次页/承前页)."""
    return workbook_bytes([("银行日记账", bank_journal_rows(movements, opening_fen, title, bank, page))])


# ------------------------------------------------------------------------------------------------ history

@dataclass
class History:
    """An existing committee as generated: its cash book, the statements overlapping it, and what they give.

    Attributes:
      root: The compound folder.
      start: The books' first day (1 January of the cash book's first year).
      opening_fen: The balance the cash book brings forward into its first year.
      movements: The cash book's rows.
      cutover: The first day the statements cover.
      files: Files written under the compound (relative path → bytes).
      expected: What migrating and importing them must give (history.json).
    """

    root: Path
    start: date
    opening_fen: int
    movements: list[Movement]
    cutover: date
    files: dict[str, bytes] = field(default_factory=dict)
    expected: dict[str, object] = field(default_factory=dict)


HISTORY_PARTS: list[Callable[[History], dict[str, bytes]]] = []
"""Further parts of an existing committee, each ``History -> {relative path: bytes}``, written with the others
(the authority's list is written after them: it is read from the books)."""


def statement_lines(movements: Sequence[Movement], opening_fen: int, cutover: date, seed: int,
                    after: int = 4) -> tuple[list[SynthLine], int, int]:
    """The bank's lines from *cutover* on: each cash-book movement, booked by the bank on its day or up to two
    days later, and *after* lines beyond the cash book. Returns the lines, how many are cash-book rows, and
    how many are beyond it."""
    rng = random.Random(seed * 7919 + 17)
    balance = opening_fen + sum(m.fen for m in movements if m.day < cutover)
    dated: list[tuple[date, int, Movement]] = []
    for n, m in enumerate(m for m in movements if m.day >= cutover):
        dated.append((m.day + timedelta(days=rng.choice((0, 0, 0, 1, 2))), n, m))
    last = movements[-1].day if movements else cutover
    beyond = [Movement(last + timedelta(days=3 + 5 * k), summary, category, fen)
              for k, (summary, category, fen) in enumerate([
                  (f"{PROPERTY_COMPANY}代收停车费", "停车费", 1086420), ("快递柜场地使用费", "快递柜", 45000),
                  ("银行账户管理费", "手续费", -1500), ("结息", "利息", 3217)][:after])]
    dated += [(m.day, len(dated) + k, m) for k, m in enumerate(beyond)]
    dated.sort(key=lambda item: (item[0], item[1]))
    lines: list[SynthLine] = []
    per_day: dict[date, int] = {}
    for day, _n, m in dated:
        balance += m.fen
        index = per_day.get(day, 0)
        per_day[day] = index + 1
        party = PROPERTY_COMPANY if m.category == "停车费" else ""
        lines.append(SynthLine(day, f"{9 + index // 60:02d}:{index % 60:02d}:00", from_fen(m.fen), from_fen(balance),
                               "", party, "", m.summary, m.summary))
    return lines, len(dated) - len(beyond), len(beyond)


PAYEE_BANKS = (("中国工商银行上海浦东分行", "102290002131"), ("中国建设银行上海张江支行", "105290036017"),
               ("中国农业银行上海金桥支行", "103290040028"), ("招商银行上海陆家嘴支行", "308290003652"),
               ("上海浦东发展银行张江科技支行", "310290000211"))
"""Branches (开户行) and their 联行号 the generated households bank with."""


def register_with_bank_columns(register_csv: str, seed: int, share: float = 0.85) -> str:
    """The register with the optional payout columns 收款账号, 收款户名, 开户行, 联行号 filled for about *share* of
    the owned units (the others, and the developer's unsold units, are paid in cash)."""
    from commonfund.register.model import DEVELOPER

    rng = random.Random(seed * 104729 + 3)  # its own stream: the register's other columns stay as they were
    lines = register_csv.splitlines()
    header = lines[0].split(",")
    owner_at = header.index("owner_id")
    out = [lines[0] + ",收款账号,收款户名,开户行,联行号"]
    for line in lines[1:]:
        cells = line.split(",")
        if cells[owner_at] == DEVELOPER or rng.random() >= share:
            out.append(line + ",,,,")
            continue
        bank, code = PAYEE_BANKS[rng.randrange(len(PAYEE_BANKS))]
        account = "62" + "".join(str(rng.randrange(10)) for _ in range(17))
        out.append(f"{line},{account},,{bank},{code}")  # 收款户名 empty: the owner's name
    return "\n".join(out) + "\n"


def maintenance_history(generator: Generator, common_revenue_fen: int) -> dict[str, str]:
    """The maintenance fund as the committee recorded it since the first deposits that ``init`` books, and the
    year-end dividend of the common revenue, by :class:`~commonfund.synth.generator.Generator` (the same
    repairs with their resolutions, votes and ``apportion`` scopes, interest by balance, top-ups): the files
    ``books/<year>.beancount``, the resolutions and the ballots. *common_revenue_fen* is the common revenue's
    bank balance before the dividend."""
    from commonfund.compound.scaffold import RESOLUTIONS_HEADER
    from commonfund.synth.common import CR_BANK, MF_BANK

    generator.balances[MF_BANK] = sum(u.deposit_fen for u in generator.units)
    for year in range(generator.first_year, LAST_YEAR + 1):
        for month in (3, 6, 9, 12):
            generator.interest(date(year, month, 21))
        generator.repairs(year)
        generator.top_ups(year)
        if year < LAST_YEAR:  # the committee posted its yearly 公示 of both funds
            generator.directives.append(
                (date(year + 1, 1, 20), f'{year + 1}-01-20 custom "disclosure" "common-revenue" "{year}"'))
            generator.directives.append(
                (date(year + 1, 3, 20), f'{year + 1}-03-20 custom "disclosure" "maintenance-fund" "{year}"'))
    generator.balances[CR_BANK] = common_revenue_fen
    generator.distribution(LAST_YEAR)
    files: dict[str, str] = {}
    by_year: dict[int, list[str]] = {}
    for txn in sorted(generator.txns, key=lambda t: t.day):
        by_year.setdefault(txn.day.year, []).append(txn.render())
    for year, texts in sorted(by_year.items()):
        files[f"books/{year}.beancount"] = (f";; {year} 年度账簿 — 维修资金及分红（业委会原有记录）\n\n"
                                            + "\n\n".join(texts) + "\n")
    directives = sorted(generator.directives, key=lambda item: item[0])
    files["resolutions.beancount"] = RESOLUTIONS_HEADER + "\n" + "\n\n".join(text for _, text in directives) + "\n"
    files.update(generator.ballots)
    return files


def write_history(target: str | Path, years: int = 3, seed: int = 1, households: int = 60,
                  name: str = "锦绣花园", months: int = 3, daily: int = 0,
                  progress: Callable[[str], None] | None = None) -> Path:
    """Generate an existing committee into *target* (module docstring); return the folder."""
    from commonfund.compound.model import load_compound
    from commonfund.synth.authority import write_authority_list
    from commonfund.synth.generator import Generator

    say = progress or (lambda _message: None)
    root = Path(target)
    last_year = LAST_YEAR
    first_year = last_year - years + 1
    start = date(first_year, 1, 1)
    end = date(last_year, 10, 31)  # the cash book stops where the committee moves to commonfund
    rng = random.Random(seed)
    opening_fen = rng.randint(3_000_000, 12_000_000)
    say(f"generating {years} years of a cash book (seed {seed})")
    movements = history_movements(first_year, last_year, seed, end, daily)
    month = end.month - months + 1
    cutover = date(end.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    generator = Generator(households, years, seed, False, name, "history")
    register = register_with_bank_columns(generator.register_csv(), seed)
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "households.csv"
        source.write_text(register, "utf-8")
        init_compound(root, name, source, start)
    config_path = root / CONFIG_NAME
    unnumbered = f'account = "{CR_BANK}"\nbank = "ICBC"\nlast_digits = ""\n'
    config_text = config_path.read_text("utf-8")
    if unnumbered in config_text:  # the committee knows its account: the statements' and the bank file's
        config_path.write_text(config_text.replace(unnumbered, unnumbered.replace('""', f'"{ACCOUNT_NO[-4:]}"')),
                               "utf-8")
    with config_path.open("a", encoding="utf-8") as config:
        config.write("\n# 旧账迁入: the cash book's 类别 → accounts (`commonfund migrate`)\n[migrate.categories]\n"
                     + "".join(f'"{key}" = "{value}"\n' for key, value in CATEGORIES.items())
                     + "\n# the bank's lines beyond the cash book (`commonfund import`)\n"
                     + "".join(f'\n[[rules]]\n{rule}account = "{CATEGORIES[category]}"\n'
                               for rule, category in STATEMENT_RULES))
    history = History(root, start, opening_fen, movements, cutover)
    title = f"{name}业主委员会共有收益收支明细账"
    history.files["history/收支明细账.xlsx"] = ledger_detail_xlsx(movements, opening_fen, title)
    history.files["history/opening-balances.csv"] = csv_bytes(
        [["账户", "余额"], [CR_BANK, money(from_fen(opening_fen))]], "utf-8-sig")
    lines, linked, beyond = statement_lines(movements, opening_fen, cutover, seed)
    by_month: dict[tuple[int, int], list[SynthLine]] = {}
    for line in lines:
        by_month.setdefault((line.date.year, line.date.month), []).append(line)
    statements = []
    for (year, month_no), items in sorted(by_month.items()):
        path = f"history/statements/{year:04d}-{month_no:02d}-icbc.csv"
        history.files[path] = icbc_csv(items, ACCOUNT_NO)
        statements.append(path)
    say("generating the maintenance fund's repairs, interest and the dividend")
    last_balance = to_fen(lines[-1].balance) if lines else opening_fen + sum(m.fen for m in movements)
    for relative, text in maintenance_history(generator, last_balance).items():
        history.files[relative] = text.encode("utf-8")
    dividend = next((t for t in generator.txns if "distribution" in t.meta), None)  # none if nothing to share
    history.expected = {
        "account": CR_BANK, "start": start.isoformat(), "cutover": cutover.isoformat(),
        "cashbook": "history/收支明细账.xlsx", "statements": statements,
        "rows": len(movements), "uncategorised": sum(1 for m in movements if m.category not in CATEGORIES),
        "years": sorted({m.day.year for m in movements}), "linked": linked, "new_after": beyond,
        "opening": {"date": start.isoformat(), "account": CR_BANK, "amount": money(from_fen(opening_fen))},
        "statement_balance": money(lines[-1].balance) if lines else None,
        "statement_last": lines[-1].date.isoformat() if lines else None,
    }
    for part in HISTORY_PARTS:
        history.files.update(part(history))
    for relative, content in history.files.items():
        written = root / relative
        written.parent.mkdir(parents=True, exist_ok=True)
        written.write_bytes(content)
    as_of = date(last_year, 12, 31)
    say("writing the 维修资金管理中心's per-household list (分户清单) with planted differences")
    authority = "history/分户清单.xlsx"
    planted = write_authority_list(root, root / authority, as_of=as_of, seed=seed)
    compound = load_compound(root)
    paid_by_bank = sum(1 for h in compound.register.households if h.payee_account)
    history.expected["authority_list"] = {"file": authority, "date": as_of.isoformat(), "planted": planted}
    if dividend is not None:
        history.expected["dividend"] = {"resolution": dividend.meta["resolution"].strip('"'),
                                        "date": dividend.day.isoformat(),
                                        "amount": money(from_fen(dividend.postings[0][1])),
                                        "bank_households": paid_by_bank,
                                        "cash_households": len(compound.register.households) - paid_by_bank}
    (root / "history" / "history.json").write_bytes(
        (json.dumps(history.expected, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return root
