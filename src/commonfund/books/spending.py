"""Spending under each resolution (按决议支出): the one definition every view uses.

:func:`resolution_figures` gives each resolution's budget, spent, remaining and the payments citing it; the
audit's budget checks, the Fava resolution page, ``commonfund votes``, the maintenance-fund disclosure and the
auditor's workbook all read them from here, so they cannot disagree. What "spent under a resolution" means is
written in ``docs/ledger-conventions.md``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from beancount.core import data

from commonfund.books.payments import number_of
from commonfund.compound.model import Compound
from commonfund.core.funds import fund_of
from commonfund.core.money import from_fen, to_fen
from commonfund.resolutions.parse import cited, resolutions_of


class CitingPayment(NamedTuple):
    """A transaction citing a resolution, and what of it counts as spent under the resolution.

    Attributes:
      entry: The transaction (``resolution`` or ``interfund`` metadata names the resolution).
      amount: What it pays out, in fen: the sum of its positive ``Expenses`` postings.
      counted: The fen counted as spent under the resolution (see :func:`spending`).
      funded: True when it is paid out of a fund that a transfer under the same resolution funded
        (a member's allowance paid from the working fund the resolution granted): it is the use of
        money already counted with the transfer, so ``counted`` is 0.
    """

    entry: data.Transaction
    amount: int
    counted: int
    funded: bool


class ResolutionFigures(NamedTuple):
    """The money figures of one resolution (决议的预算与支出), as every view shows them.

    Attributes:
      id: The resolution id.
      budget: The approved budget (Decimal yuan), or None.
      spent: Spent under it (Decimal yuan): the sum of ``counted`` over ``payments``.
      remaining: ``budget - spent``, or None without a budget.
      over_budget: ``spent > budget``.
      payments: The transactions citing it, in date order.
    """

    id: str
    budget: Decimal | None
    spent: Decimal
    remaining: Decimal | None
    over_budget: bool
    payments: tuple[CitingPayment, ...]


def citing_payments(compound: Compound) -> dict[str, list[CitingPayment]]:
    """Per resolution id, every transaction citing it in date order, with what counts as spent under it.

    The one definition of "spent under a resolution" (``docs/ledger-conventions.md``): the positive
    ``Expenses`` postings of every transaction that cites it (``resolution`` or ``interfund``), that is
    direct payments and the paying side of an inter-fund transfer; except in a fund that a transfer citing
    the same resolution funded, whose spending (the Committee's allowances out of the working fund the
    resolution granted) is the use of money already counted with the transfer.
    """

    def compute() -> dict[str, list[CitingPayment]]:
        citing: dict[str, list[data.Transaction]] = defaultdict(list)
        funded: dict[str, set[str]] = defaultdict(set)
        for entry in compound.entries:
            if isinstance(entry, data.Transaction):
                ids = cited(entry)
                for rid in ids:
                    citing[rid].append(entry)
                interfund = entry.meta.get("interfund")
                if isinstance(interfund, str) and interfund in ids:
                    for posting in entry.postings:
                        if posting.account.startswith("Income:") and number_of(posting) < 0:
                            funded[interfund].add(fund_of(posting.account) or "")
        out: dict[str, list[CitingPayment]] = {}
        for rid, txns in citing.items():
            rows = []
            for txn in sorted(txns, key=lambda t: t.date):
                amount = counted = 0
                inside = False
                for p in txn.postings:
                    if p.account.startswith("Expenses:") and number_of(p) > 0:
                        fen = to_fen(number_of(p))
                        amount += fen
                        if fund_of(p.account) in funded[rid]:
                            inside = True
                        else:
                            counted += fen
                rows.append(CitingPayment(txn, amount, counted, inside and counted == 0))
            out[rid] = rows
        return out

    return compound.memo("citing_payments", compute)


def spending(compound: Compound) -> dict[str, list[tuple[data.Transaction, int]]]:
    """Per resolution id, the transactions citing it in date order with the fen they spend under it
    (``counted`` of :func:`citing_payments`)."""
    return {rid: [(row.entry, row.counted) for row in rows] for rid, rows in citing_payments(compound).items()}


def resolution_figures(compound: Compound, until: date | None = None) -> dict[str, ResolutionFigures]:
    """Budget, spent, remaining and the citing payments of every resolution (those no transaction cites
    included), counting the payments dated on or before *until* (all if None).

    The 业主大会决议 page, ``commonfund votes``, the over-budget check, the maintenance-fund disclosure and
    the auditor workbook's 决议 sheet all show these figures.
    """
    citing = citing_payments(compound)
    out: dict[str, ResolutionFigures] = {}
    for rid in sorted({*resolutions_of(compound), *citing}):
        rows = tuple(row for row in citing.get(rid, ()) if until is None or row.entry.date <= until)
        resolution = resolutions_of(compound).get(rid)
        budget = None if resolution is None else resolution.budget
        spent = from_fen(sum(row.counted for row in rows))
        out[rid] = ResolutionFigures(
            rid, budget, spent, None if budget is None else budget - spent,
            budget is not None and spent > budget, rows)
    return out


def spent_by_resolution(compound: Compound) -> dict[str, Decimal]:
    """Total spent under each cited resolution id (Decimal yuan)."""
    return {rid: figures.spent for rid, figures in resolution_figures(compound).items() if figures.payments}


def payments_citing(compound: Compound, rid: str) -> list[data.Transaction]:
    """The transactions that cite resolution *rid* (``resolution`` or ``interfund``), in date order."""
    return [txn for txn, _ in spending(compound).get(rid, [])]
