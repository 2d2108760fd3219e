"""Each fund month by month (资金月度变动): opening, first deposits and opening balances, income by source,
spending by purpose, transfers between funds, closing — the figures of the 总览 (overview) page.

A fund's balance is its net assets (its ``Assets`` and ``Liabilities`` accounts). Every transaction
changes it by the sum of its asset and liability postings in that fund; that change is classified once:

* a transaction that touches two or more funds is a **transfer** (基金间划转: a sweep of common revenue
  into the maintenance fund, the committee's working fund…): its whole change of the fund is a transfer
  in or out, never income or spending, so the transfer shows in both funds and cancels in their sum;
* otherwise an ``Equity`` posting (期初结转) or a first deposit (``Income:MaintenanceFund:Deposit-…``,
  首期交存) is an **initial** amount: one large amount at the start of the books, kept apart so it does not
  dwarf the months that follow (the same split as :func:`commonfund.books.subledger.category_of`);
* other ``Income`` postings are **income** by source account, ``Expenses`` postings **spending** by
  purpose account (both positive numbers).

So for every fund and month ``closing = opening + initial + income − spending + transfers in − transfers
out``, to the fen. Sums are integer fen; one pass over the transactions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from beancount.core import data

from commonfund.core.funds import FUNDS, fund_of
from commonfund.core.money import CURRENCY, to_fen


@dataclass(frozen=True)
class Transfer:
    """A movement of money between two funds (基金间划转).

    Attributes:
      date: The transaction's date.
      source, target: The fund keys money left and reached.
      fen: The amount (positive).
      resolution: The resolution the transaction cites (``interfund`` or ``resolution``), or "".
      narration: The transaction's narration.
      filename, lineno: Where it is written.
    """

    date: date
    source: str
    target: str
    fen: int
    resolution: str
    narration: str
    filename: str
    lineno: int


@dataclass(frozen=True)
class FundMonth:
    """One fund's movements over one calendar month (all amounts integer fen).

    Attributes:
      month: The month's first day.
      opening: Net assets at the start of the month.
      initial: First deposits and opening balances booked in the month (首期交存、期初结转).
      income: Income by source account (positive).
      spending: Spending by purpose account (positive).
      transfers_in, transfers_out: Received from / paid to the other funds (positive).
      closing: Net assets at the end of the month.
    """

    month: date
    opening: int
    initial: int
    income: Mapping[str, int]
    spending: Mapping[str, int]
    transfers_in: int
    transfers_out: int
    closing: int

    @property
    def income_total(self) -> int:
        return sum(self.income.values())

    @property
    def spending_total(self) -> int:
        return sum(self.spending.values())


@dataclass(frozen=True)
class FundSeries:
    """Every fund month by month, and the transfers between funds.

    Attributes:
      months: The first day of each month, from the books' first transaction to their last.
      funds: Fund key → its :class:`FundMonth` for each of ``months``.
      transfers: Every transfer between funds, in date order.
    """

    months: tuple[date, ...]
    funds: Mapping[str, tuple[FundMonth, ...]]
    transfers: tuple[Transfer, ...]

    def span(self, fund: str, start: date, end: date) -> FundMonth:
        """The fund's movements over the whole months from *start*'s month to *end*'s (inclusive), summed into
        one record (``month`` is the first month); opening is the first month's, closing the last's."""
        first, last = _month(start), _month(end)
        rows = [row for row in self.funds[fund] if first <= row.month <= last]
        if not rows:
            before = [row for row in self.funds[fund] if row.month < first]
            level = before[-1].closing if before else 0
            return FundMonth(first, level, 0, {}, {}, 0, 0, level)
        income: dict[str, int] = defaultdict(int)
        spending: dict[str, int] = defaultdict(int)
        for row in rows:
            for account, fen in row.income.items():
                income[account] += fen
            for account, fen in row.spending.items():
                spending[account] += fen
        return FundMonth(rows[0].month, rows[0].opening, sum(r.initial for r in rows), dict(income), dict(spending),
                         sum(r.transfers_in for r in rows), sum(r.transfers_out for r in rows), rows[-1].closing)


KEYS = ("income", "spending", "flow")


def _month(day: date) -> date:
    return day.replace(day=1)


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def is_initial(account: str) -> bool:
    """An opening balance (``Equity``) or a first deposit (``Income:MaintenanceFund:Deposit-…``)."""
    root, _, rest = account.partition(":")
    return root == "Equity" or (root == "Income" and rest.split(":", 1)[-1].startswith("Deposit"))


def fund_series(transactions: Iterable[data.Transaction], until: date | None = None) -> FundSeries:
    """Each fund's months from the first transaction's month through *until*'s month (default: the last
    transaction's), and every transfer between funds; CNY postings only."""
    per_month: dict[tuple[str, date], dict[str, defaultdict[str, int]]] = {}
    change: dict[tuple[str, date], int] = defaultdict(int)
    transfers: list[Transfer] = []
    first: date | None = None
    last: date | None = None
    for txn in transactions:
        if until is not None and txn.date > until:
            break
        first = first or txn.date
        last = txn.date
        month = _month(txn.date)
        funds: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for posting in txn.postings:
            fund = fund_of(posting.account)
            if (fund is None or posting.units is None or posting.units.number is None
                    or posting.units.currency != CURRENCY):
                continue
            funds[fund].append((posting.account, to_fen(posting.units.number)))
        if not funds:
            continue
        moved = {fund: sum(fen for account, fen in postings if account.startswith(("Assets:", "Liabilities:")))
                 for fund, postings in funds.items()}
        for fund, postings in funds.items():
            cell = per_month.setdefault((fund, month), {key: defaultdict(int) for key in KEYS})
            change[fund, month] += moved[fund]
            if len(funds) > 1:
                cell["flow"]["in" if moved[fund] > 0 else "out"] += abs(moved[fund])
                continue
            for account, fen in postings:
                root = account.split(":", 1)[0]
                if is_initial(account):
                    cell["flow"]["initial"] -= fen
                elif root == "Income":
                    cell["income"][account] -= fen
                elif root == "Expenses":
                    cell["spending"][account] += fen
        if len(funds) > 1:
            transfers.extend(_transfers(txn, moved))
    months: list[date] = []
    if first is not None and last is not None:
        month, end = _month(first), _month(until or last)
        while month <= end:
            months.append(month)
            month = _next_month(month)
    series: dict[str, tuple[FundMonth, ...]] = {}
    for fund in FUNDS:
        level = 0
        rows: list[FundMonth] = []
        for month in months:
            found = per_month.get((fund, month))
            closing = level + change.get((fund, month), 0)
            if found is None:
                rows.append(FundMonth(month, level, 0, {}, {}, 0, 0, closing))
            else:
                rows.append(FundMonth(month, level, found["flow"]["initial"], dict(found["income"]),
                                      dict(found["spending"]), found["flow"]["in"], found["flow"]["out"], closing))
            level = closing
        series[fund] = tuple(rows)
    return FundSeries(tuple(months), series, tuple(transfers))


def _transfers(txn: data.Transaction, moved: Mapping[str, int]) -> Iterable[Transfer]:
    """The transfers of a transaction touching several funds: each paying fund to each receiving one, in
    order, so a transaction over three funds is split without losing a fen."""
    meta = txn.meta or {}
    resolution = str(meta.get("interfund") or meta.get("resolution") or "")
    resolution = "" if resolution == "unapproved" else resolution
    paying = [(fund, -fen) for fund, fen in moved.items() if fen < 0]
    receiving = [(fund, fen) for fund, fen in moved.items() if fen > 0]
    i = j = 0
    left_paying = paying[0][1] if paying else 0
    left_receiving = receiving[0][1] if receiving else 0
    while i < len(paying) and j < len(receiving):
        fen = min(left_paying, left_receiving)
        yield Transfer(txn.date, paying[i][0], receiving[j][0], fen, resolution, txn.narration or "",
                       str(meta.get("filename", "")), int(meta.get("lineno", 0)))
        left_paying -= fen
        left_receiving -= fen
        if left_paying == 0:
            i += 1
            left_paying = paying[i][1] if i < len(paying) else 0
        if left_receiving == 0:
            j += 1
            left_receiving = receiving[j][1] if j < len(receiving) else 0
