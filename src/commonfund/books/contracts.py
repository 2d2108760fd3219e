"""Common-revenue contracts (共有部分经营合同): what the owners should receive, period by period.

Written in the ledger as (``docs/ledger-conventions.md``)::

    2024-01-01 custom "contract" "C-2024-01" "城市梯媒广告传播有限公司"
      Income:CommonRevenue:Advertising-广告 800.00 CNY "monthly"
      source: "电梯轿厢广告位 4 个"
      end: 2026-12-31
      due_days: 30

(one line in the ledger, wrapped here): id, counterparty, the income account receipts are booked to, the
amount per period (the gross income the owners are owed, before any documented cost deduction), and the period
(``monthly``, ``quarterly``, ``half-yearly``, ``yearly``). ``start`` (default the directive's date), ``end``
and ``due_days`` (days after a period's end by which its money is due; default 30) are optional metadata.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from beancount.core import data
from beancount.core.amount import Amount

from commonfund.books.parties import normalize_name
from commonfund.core.money import to_fen

PERIODS = {"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12}
PERIOD_ZH = {"monthly": "按月", "quarterly": "按季", "half-yearly": "按半年", "yearly": "按年"}
DEFAULT_DUE_DAYS = 30


@dataclass(frozen=True)
class Contract:
    """One contract.

    Attributes:
      id: The contract id.
      counterparty: Who pays (often the property company, or the lessee directly).
      account: The income account its receipts are booked to.
      amount: The amount per period (Decimal yuan).
      period: ``monthly``, ``quarterly``, ``half-yearly`` or ``yearly``.
      start, end: The term (end None = open-ended).
      due_days: Days after a period's end by which its money is due.
      source: What is let (停车位, 广告位, 基站…), free text.
      entry: The directive.
    """

    id: str
    counterparty: str
    account: str
    amount: Decimal
    period: str
    start: dt.date
    end: dt.date | None
    due_days: int
    source: str
    entry: data.Custom

    def periods(self, until: dt.date) -> list[tuple[str, dt.date, dt.date]]:
        """``(label, first day, last day)`` of every period of the term that starts on or before *until*."""
        return periods_between(self.start, self.end, self.period, until)


def periods_between(start: dt.date, end: dt.date | None, period: str,
                    until: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """``(label, first day, last day)`` of the calendar periods (``monthly``…) overlapping [start, end]
    that begin on or before *until*."""
    months = PERIODS[period]
    out = []
    year, month = start.year, (start.month - 1) // months * months + 1
    while True:
        first = dt.date(year, month, 1)
        next_month = month + months
        following = dt.date(year + (next_month - 1) // 12, (next_month - 1) % 12 + 1, 1)
        if first > until or (end is not None and first > end):
            break
        if following > start:
            out.append((period_label(first, period), first, following - dt.timedelta(days=1)))
        year, month = following.year, following.month
    return out


def period_label(first: dt.date, period: str) -> str:
    """The label a remittance's ``period`` metadata uses: ``2025-03``, ``2025Q1``, ``2025H1``, ``2025``."""
    if period == "monthly":
        return f"{first.year}-{first.month:02d}"
    if period == "quarterly":
        return f"{first.year}Q{(first.month - 1) // 3 + 1}"
    if period == "half-yearly":
        return f"{first.year}H{(first.month - 1) // 6 + 1}"
    return str(first.year)


def parse_contract(entry: data.Custom) -> Contract | str:
    """The contract a ``custom "contract"`` directive states, or a sentence saying what is wrong with it."""
    values = [v.value for v in entry.values]
    if len(values) != 5:
        return ('a contract needs 5 values: "<id>" "<counterparty>" <income account> <amount> CNY '
                '"<monthly|quarterly|half-yearly|yearly>"')
    cid, counterparty, account, amount, period = values
    if not isinstance(cid, str) or not isinstance(counterparty, str) or not isinstance(account, str):
        return "contract id, counterparty and account must be given"
    if not account.startswith("Income:"):
        return f"contract account {account} must be an Income account"
    if not isinstance(amount, Amount) or amount.number is None or amount.number <= 0:
        return "contract amount per period must be a positive amount such as 800.00 CNY"
    if period not in PERIODS:
        return f"contract period must be one of {', '.join(PERIODS)}"
    meta = entry.meta or {}
    start, end = meta.get("start", entry.date), meta.get("end")
    if not isinstance(start, dt.date) or (end is not None and not isinstance(end, dt.date)):
        return "contract start/end must be dates (YYYY-MM-DD)"
    due = meta.get("due_days", DEFAULT_DUE_DAYS)
    try:
        due_days = int(due)
    except (TypeError, ValueError):
        return "contract due_days must be a number of days"
    return Contract(cid, counterparty, account, amount.number, str(period), start, end, due_days,
                    str(meta.get("source", "")), entry)


def contracts_of(entries: list[data.Directive]) -> tuple[list[Contract], list[tuple[data.Custom, str]]]:
    """Every well-formed contract, and the malformed ones with what is wrong."""
    good: list[Contract] = []
    bad: list[tuple[data.Custom, str]] = []
    for entry in entries:
        if isinstance(entry, data.Custom) and entry.type == "contract":
            parsed = parse_contract(entry)
            if isinstance(parsed, str):
                bad.append((entry, parsed))
            else:
                good.append(parsed)
    return good, bad


Receipts = dict[str, list[tuple[data.Transaction, Decimal]]]


def receipts_by_period(contract: Contract, transactions: list[data.Transaction],
              by_payee: dict[str, list[data.Transaction]] | None = None) -> Receipts:
    """Receipts from the contract's counterparty on its account, by the period they cover.

    *by_payee*: the same transactions grouped by normalised payee (:func:`by_payee_name`), to look up instead
    of scanning them all for each contract.
    """
    who = normalize_name(contract.counterparty)
    out: Receipts = defaultdict(list)
    for txn in (by_payee.get(who, []) if by_payee is not None else transactions):
        if normalize_name(txn.payee or "") != who:
            continue
        amount = -sum((p.units.number for p in txn.postings
                       if p.account == contract.account and p.units is not None and p.units.number is not None),
                      Decimal(0))
        if amount == 0:
            continue
        period = (txn.meta or {}).get("period")
        label = str(period) if period else period_label(_period_start(txn.date, contract.period), contract.period)
        out[label].append((txn, amount))
    return out


def by_payee_name(transactions: list[data.Transaction]) -> dict[str, list[data.Transaction]]:
    """Transactions by normalised payee, each list in ledger order."""
    out: dict[str, list[data.Transaction]] = defaultdict(list)
    names: dict[str, str] = {}
    for txn in transactions:
        payee = txn.payee or ""
        name = names.get(payee)
        if name is None:
            name = names[payee] = normalize_name(payee)
        out[name].append(txn)
    return out


def _period_start(day: dt.date, period: str) -> dt.date:
    months = {"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12}[period]
    return dt.date(day.year, (day.month - 1) // months * months + 1, 1)


class ContractFigures(NamedTuple):
    """What a contract owed and brought in over ``[start, end]`` (合同应收、实收、差额).

    Attributes:
      contract: The contract.
      periods: How many of its periods end within the range.
      due: What those periods owe, Decimal yuan (amount × periods).
      received: What was received for those periods (matched as the audit matches receipts).
      short: ``due − received`` (negative when more was received).
    """

    contract: Contract
    periods: int
    due: Decimal
    received: Decimal
    short: Decimal


def contract_figures(compound: Any, start: dt.date, end: dt.date) -> list[ContractFigures]:
    """Due, received and short of every contract for the periods ending in ``[start, end]`` — the workbook's
    合同 sheet and ``commonfund contracts`` show these."""
    from commonfund.core.money import from_fen

    contracts, _ = contracts_of(compound.entries)
    transactions = compound.transactions
    by_payee = by_payee_name(transactions) if contracts else {}
    out = []
    for contract in contracts:
        periods = [p for p in contract.periods(end) if start <= p[2] <= end]
        receipts = receipts_by_period(contract, transactions, by_payee)
        due = to_fen(contract.amount) * len(periods)
        got = sum(to_fen(amount) for label, _, _ in periods for _, amount in receipts.get(label, []))
        out.append(ContractFigures(contract, len(periods), from_fen(due), from_fen(got), from_fen(due - got)))
    return out
