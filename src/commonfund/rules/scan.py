"""One pass over every posting, shared by the rules that look at postings (funds, scopes, sub-ledgers).

The plugin runs on every load, so the posting rules do not each walk the ~2 postings of every transaction:
this pass classifies each account once (its fund; whether it is the maintenance fund's balance sheet or a
posting split over the households, as :func:`commonfund.books.subledger.category_of` decides) and keeps only what
a rule may report.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from beancount.core import convert, data

from commonfund.core.funds import fund_of
from commonfund.core.money import to_fen

FUND = "MaintenanceFund"
_SPLIT_ROOTS = ("Income", "Expenses", "Equity")
_SHEET_ROOTS = ("Assets", "Liabilities")
IGNORED, SPLIT, SHEET = 0, 1, 2


class Scan:
    """What the posting rules need, in entry order (a plain class: a NamedTuple costs more to define than
    this module's whole pass over a one-year ledger).

    Attributes:
      mixed: Transactions whose postings name more than one fund (None for an account of no fund), with
        the set of funds.
      unbalanced: Transactions whose change of the maintenance fund's balance sheet (``sheet``, fen) differs
        from the change of its income/expense/equity postings (``split``, fen).
      scoped: Every posting carrying ``apportion`` metadata, with its transaction and the raw value.
    """

    __slots__ = ("mixed", "scoped", "unbalanced")

    def __init__(self) -> None:
        self.mixed: list[tuple[data.Transaction, set[str | None]]] = []
        self.unbalanced: list[tuple[data.Transaction, int, int]] = []
        self.scoped: list[tuple[data.Transaction, data.Posting, Any]] = []


def classify(account: str) -> tuple[str | None, int]:
    """``(fund, role)`` of an account: role SPLIT for a maintenance-fund income/expense/equity account,
    SHEET for another account naming the fund under Assets/Liabilities, else IGNORED."""
    role = IGNORED
    if f":{FUND}:" in account:
        root, _, rest = account.partition(":")
        if root in _SPLIT_ROOTS and rest.startswith(f"{FUND}:"):
            role = SPLIT
        elif root in _SHEET_ROOTS:
            role = SHEET
    return fund_of(account), role


def scan_postings(transactions: Iterable[data.Transaction]) -> Scan:
    """Walk every posting once (see :class:`Scan`)."""
    out = Scan()
    known: dict[str, tuple[str | None, int]] = {}
    for entry in transactions:
        funds: set[str | None] = set()
        sheet = split = 0
        for posting in entry.postings:
            account = posting.account
            info = known.get(account)
            if info is None:
                info = known[account] = classify(account)
            funds.add(info[0])
            if info[1]:
                units = posting.units
                if posting.cost is None and posting.price is None and units is not None and units.number is not None:
                    fen = to_fen(units.number)  # its weight, without get_weight's call
                else:
                    fen = to_fen(convert.get_weight(posting).number)  # type: ignore[no-untyped-call]
                if info[1] == SPLIT:
                    split -= fen
                else:
                    sheet += fen
            meta = posting.meta
            if meta and meta.get("apportion") is not None:
                out.scoped.append((entry, posting, meta["apportion"]))
        if len(funds) > 1:
            out.mixed.append((entry, funds))
        if sheet != split:
            out.unbalanced.append((entry, sheet, split))
    return out
