"""Payments (付款): the transactions through which money leaves a fund, as the audit checks see them.

A payment is a transaction that credits an asset or liability (a bank account, cash) and debits one or
more ``Expenses`` accounts. Transfers between the committee's own funds (``interfund`` metadata) and
bank charges (``BankFee-*`` accounts only) are not payments: the first are decisions checked against
their resolution, the second are debited by the bank, not paid by anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from beancount.core import data

from commonfund.compound.model import Compound
from commonfund.core.funds import fund_of
from commonfund.core.money import to_fen

ALLOWANCE_MARK = ":Allowance-"
BANK_FEE_MARK = ":BankFee-"


@dataclass(frozen=True)
class Payment:
    """One payment.

    Attributes:
      entry: The transaction.
      payee: Its payee (empty if none).
      amount: The amount spent: the sum of its positive ``Expenses`` postings (Decimal yuan).
      source: The account the money left (the first credited asset or liability account).
      expenses: The ``Expenses`` accounts debited.
      resolution: The ``resolution`` metadata, if any.
    """

    entry: data.Transaction
    payee: str
    amount: Decimal
    source: str
    expenses: tuple[str, ...]
    resolution: str | None

    @property
    def day(self) -> date:
        return self.entry.date

    @property
    def fen(self) -> int:
        return to_fen(self.amount)

    @property
    def fund(self) -> str | None:
        return fund_of(self.source)

    @property
    def is_allowance(self) -> bool:
        """Paid to a committee member's allowance account (津贴)."""
        return any(ALLOWANCE_MARK in account for account in self.expenses)

    def meta(self, key: str) -> object:
        return (self.entry.meta or {}).get(key)


def number_of(posting: data.Posting) -> Decimal:
    """A posting's amount (0 if it has none, which booked ledgers never leave)."""
    units = posting.units
    return units.number if units is not None and units.number is not None else Decimal(0)


def payment_of(entry: data.Directive) -> Payment | None:
    """The payment *entry* records, or None if it is not one (see the module docstring)."""
    if not isinstance(entry, data.Transaction) or "interfund" in (entry.meta or {}):
        return None
    source = None
    spent = Decimal(0)
    expenses: list[str] = []
    for posting in entry.postings:
        units = posting.units
        if units is None or units.number is None:
            continue
        root = posting.account.split(":", 1)[0]
        if root in ("Assets", "Liabilities") and units.number < 0 and source is None:
            source = posting.account
        elif root == "Expenses" and units.number > 0:
            spent += units.number
            expenses.append(posting.account)
    if source is None or spent <= 0 or all(BANK_FEE_MARK in account for account in expenses):
        return None
    resolution = (entry.meta or {}).get("resolution")
    return Payment(entry, entry.payee or "", spent, source, tuple(expenses),
                   str(resolution) if resolution else None)


def payments_of(compound: Compound) -> list[Payment]:
    """Every payment in the books, in date order."""
    out = [payment for entry in compound.transactions if (payment := payment_of(entry)) is not None]
    out.sort(key=lambda p: (p.day, p.entry.meta.get("lineno", 0)))
    return out


def last_transaction_day(compound: Compound) -> date | None:
    """The date of the last transaction: how far the books go (later directives may be future-dated)."""
    days = [entry.date for entry in compound.transactions]
    return max(days) if days else None
