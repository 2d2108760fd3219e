"""The 业主大会决议 (resolutions) page: each resolution's tally against every statutory threshold, its
verdict, its budget against spending to date, and the payments citing it.

Plain data from :mod:`commonfund.resolutions.model` (民法典 第278条, 第1259条; exact fractions; the money
figures from :func:`commonfund.books.spending.resolution_figures`); the Fava extension only renders it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from commonfund.audit.findings import EntryRef
from commonfund.books.payout import is_distribution
from commonfund.books.spending import resolution_figures
from commonfund.compound.model import Compound
from commonfund.core.money import from_fen
from commonfund.resolutions.model import Condition, Resolution, area_text, conditions_of
from commonfund.resolutions.parse import resolutions_of
from commonfund.resolutions.report import notes

__all__ = ["Condition", "Payment", "ResolutionRow", "conditions_of", "resolutions_page"]


class Payment(NamedTuple):
    """A transaction citing a resolution, with the amount it pays and what of it is spent under it.

    Attributes:
      ref: The entry (file, line, date, text).
      amount: Decimal yuan it pays out (its positive ``Expenses`` postings).
      counted: Decimal yuan counted as spent under the resolution.
      funded: Paid out of the money a transfer under the same resolution granted (already counted there).
    """

    ref: EntryRef
    amount: Decimal
    counted: Decimal
    funded: bool = False


@dataclass(frozen=True)
class ResolutionRow:
    """One resolution on the 业主大会决议 page.

    Attributes:
      resolution: The library's record (id, matter, title, budget, tally, verdict…).
      conditions: Quorum by area and headcount, approval by area and headcount.
      spent: Spent under it to date (Decimal yuan, ``resolution_figures(compound)[id].spent``).
      remaining: Budget minus spent, or None without a budget.
      over_budget: Spent exceeds the budget.
      payments: The transactions citing it, in date order.
      ref: The resolution directive.
      distributes: Some payment citing it is a dividend or subsidy (a payout list can be downloaded).
      positions: For a ballot file, each position's area and persons in words (agree, against, abstain, spoiled).
      notes: How the tally was counted (:func:`commonfund.resolutions.report.notes`): abstentions and spoiled
        ballots, partial owners, ballots not counted.
    """

    resolution: Resolution
    conditions: tuple[Condition, ...]
    spent: Decimal
    remaining: Decimal | None
    over_budget: bool
    payments: tuple[Payment, ...]
    ref: EntryRef
    distributes: bool = False
    positions: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def _positions(resolution: Resolution) -> dict[str, str]:
    tally = resolution.tally
    if tally is None:
        return {}
    return {name: f"{area_text(getattr(tally, f'{name}_area'))}，{getattr(tally, f'{name}_heads')} 人"
            for name in ("agree", "against", "abstain", "spoiled")}


def resolutions_page(compound: Compound) -> tuple[ResolutionRow, ...]:
    """Every resolution with its tally, verdict, budget against spending, and the payments citing it."""
    resolutions = resolutions_of(compound)
    figures = resolution_figures(compound)
    rows = []
    for rid, resolution in sorted(resolutions.items(), key=lambda item: (item[1].date, item[0])):
        money = figures[rid]
        payments = tuple(Payment(EntryRef.of(p.entry), from_fen(p.amount), from_fen(p.counted), p.funded)
                         for p in money.payments)
        conditions = (conditions_of(resolution.tally, resolution.verdict)
                      if resolution.tally is not None and resolution.verdict is not None else ())
        rows.append(ResolutionRow(
            resolution, conditions, money.spent, money.remaining, money.over_budget, payments,
            EntryRef.of(resolution.entry), any(is_distribution(p.entry) for p in money.payments),
            _positions(resolution), tuple(notes(resolution)),
        ))
    return tuple(rows)
