"""Per-fund figures (各项资金收支) for any period: the one place a fund's opening balance, income by
source, spending by purpose, transfers between funds and closing balance are summed.

:func:`fund_figures` is a pure function of the loaded books. The district roll-up, ``commonfund funds``
and the Fava overview call it; the disclosures present the same postings in the categories their rules
name (165号令 第30条; 民法典 第282条) and their balances agree with these to the fen.

For a fund and the range ``[start, end]`` (both inclusive):

* ``opening``: the fund's net assets (its Assets and Liabilities) at the start of ``start``;
* ``carried_in``: balances brought into the books (``Equity`` postings, 期初结转);
* ``income``: its ``Income`` postings by account, except transfers;
* ``spending``: its ``Expenses`` postings by account, except transfers;
* ``transfers_in`` / ``transfers_out``: the postings of a transaction that moves money between funds
  (``interfund`` metadata, or postings in two funds), by account; a transfer booked on bank accounts only
  shows under the pseudo-account ``其他资金转入`` / ``其他资金转出``;
* ``closing`` = ``opening + carried_in + income + transfers_in − spending − transfers_out``, which is
  also its net assets at the end of ``end`` (asserted).

All sums are integer fen; the records carry Decimal yuan.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from beancount.core import data

from commonfund.core.funds import FUNDS, fund_of
from commonfund.core.labels import account_label
from commonfund.core.money import CURRENCY, from_fen, to_fen

OTHER_IN, OTHER_OUT = "其他资金转入", "其他资金转出"


class FundLine(NamedTuple):
    """One account's sum.

    Attributes:
      account: The account (or a pseudo-account for balance-sheet-only transfers).
      label: Its Chinese label.
      amount: Decimal yuan (positive).
      entries: How many transactions make it up.
    """

    account: str
    label: str
    amount: Decimal
    entries: int


class FundFigures(NamedTuple):
    """A fund's figures for ``[start, end]``; see the module docstring.

    Attributes:
      fund, fund_zh: The fund's key and Chinese name.
      start, end: The range (inclusive).
      opening, carried_in, income_total, spending_total, transfers_in_total, transfers_out_total, closing:
        Decimal yuan.
      income, spending, transfers_in, transfers_out: The lines by account.
    """

    fund: str
    fund_zh: str
    start: date
    end: date
    opening: Decimal
    carried_in: Decimal
    income: tuple[FundLine, ...]
    income_total: Decimal
    spending: tuple[FundLine, ...]
    spending_total: Decimal
    transfers_in: tuple[FundLine, ...]
    transfers_in_total: Decimal
    transfers_out: tuple[FundLine, ...]
    transfers_out_total: Decimal
    closing: Decimal


def _label(account: str) -> str:
    return account if account in (OTHER_IN, OTHER_OUT) else account_label(account)


def _is_transfer(txn: data.Transaction) -> bool:
    if "interfund" in (txn.meta or {}):
        return True
    return len({fund_of(p.account) for p in txn.postings} - {None}) > 1


def fund_figures(compound: Any, fund: str, start: date, end: date) -> FundFigures:
    """The figures of *fund* (``MaintenanceFund``, ``CommonRevenue``, ``Committee``) for ``[start, end]``."""
    if fund not in FUNDS:
        raise ValueError(f"unknown fund {fund!r}; expected one of {', '.join(FUNDS)}")
    opening = closing_delta = carried = 0
    sums: dict[str, dict[str, list[Any]]] = {k: defaultdict(lambda: [0, set()]) for k in
                                              ("income", "spending", "in", "out")}
    for txn in compound.transactions:
        if txn.date > end:
            break
        residual = 0
        moved = False
        transfer = None
        for posting in txn.postings:
            units = posting.units
            if units is None or units.number is None or units.currency != CURRENCY:
                continue
            if fund_of(posting.account) != fund:
                continue
            fen = to_fen(units.number)
            root = posting.account.split(":", 1)[0]
            if txn.date < start:
                if root in ("Assets", "Liabilities"):
                    opening += fen
                continue
            if transfer is None:
                transfer = _is_transfer(txn)
            residual += fen
            if root in ("Assets", "Liabilities"):
                closing_delta += fen
                continue
            moved = True
            if root == "Equity":
                carried -= fen
                continue
            if root == "Income":
                key, amount = ("in" if transfer else "income"), -fen
            else:
                key, amount = ("out" if transfer else "spending"), fen
            if transfer and amount < 0:  # a refund within a transfer goes the other way
                key, amount = ("out" if key == "in" else "in"), -amount
            line = sums[key][posting.account]
            line[0] += amount
            line[1].add(id(txn))
        if txn.date >= start and residual and (transfer or not moved):
            line = sums["in" if residual > 0 else "out"][OTHER_IN if residual > 0 else OTHER_OUT]
            line[0] += abs(residual)
            line[1].add(id(txn))

    def lines(key: str) -> tuple[FundLine, ...]:
        return tuple(FundLine(a, _label(a), from_fen(v[0]), len(v[1])) for a, v in sorted(sums[key].items())
                     if v[0] or v[1])

    def total(key: str) -> int:
        return sum(int(v[0]) for v in sums[key].values())

    closing = opening + carried + total("income") + total("in") - total("spending") - total("out")
    assert closing == opening + closing_delta, f"{fund} {start}–{end}: the fund's figures do not tie"
    return FundFigures(
        fund, FUNDS[fund].name_zh, start, end, from_fen(opening), from_fen(carried), lines("income"),
        from_fen(total("income")), lines("spending"), from_fen(total("spending")), lines("in"),
        from_fen(total("in")), lines("out"), from_fen(total("out")), from_fen(closing),
    )


def all_fund_figures(compound: Any, start: date, end: date) -> dict[str, FundFigures]:
    """:func:`fund_figures` of every fund."""
    return {fund: fund_figures(compound, fund, start, end) for fund in FUNDS}
