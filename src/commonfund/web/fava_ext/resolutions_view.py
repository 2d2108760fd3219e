"""The 业主大会决议 (resolutions) page: each resolution's tally against every statutory threshold, its
verdict, its budget against spending to date, and the payments citing it.

Plain data from :mod:`commonfund.resolutions.model` (民法典 第278条, 第1259条; exact fractions); the Fava extension
only renders it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from commonfund.audit.findings import EntryRef
from commonfund.books.payout import is_distribution
from commonfund.books.spending import spending, spent_by_resolution
from commonfund.compound.model import Compound
from commonfund.core.money import from_fen
from commonfund.resolutions.model import QUORUM, Resolution, Tally, Verdict
from commonfund.resolutions.parse import resolutions_of


class Condition(NamedTuple):
    """One statutory condition of a vote, with its exact fraction (民法典 第278条, 第1259条).

    Attributes:
      label: e.g. ``参与表决专有面积``.
      numerator, denominator: The counts, as text (㎡ with 2 decimals, or persons).
      value: numerator / denominator, exact.
      threshold: 2/3, 3/4 or 1/2.
      inclusive: True for 以上 (≥), False for 过半数 (>).
      met: Whether the condition holds.
    """

    label: str
    numerator: str
    denominator: str
    value: Fraction
    threshold: Fraction
    inclusive: bool
    met: bool

    @property
    def percent(self) -> str:
        """The value as a percentage with two decimals (display only; ``met`` is exact)."""
        return f"{float(self.value) * 100:.2f}%"

    @property
    def rule(self) -> str:
        """``≥ 2/3`` or ``> 1/2``."""
        return f"{'≥' if self.inclusive else '>'} {self.threshold.numerator}/{self.threshold.denominator}"


class Payment(NamedTuple):
    """A transaction citing a resolution, with the amount it spends under it.

    Attributes:
      ref: The entry (file, line, date, text).
      amount: Decimal yuan spent under the resolution (0 for a transfer that only funds it).
    """

    ref: EntryRef
    amount: Decimal


@dataclass(frozen=True)
class ResolutionRow:
    """One resolution on the 业主大会决议 page.

    Attributes:
      resolution: The library's record (id, matter, title, budget, tally, verdict…).
      conditions: Quorum by area and headcount, approval by area and headcount.
      spent: Spent under it to date (Decimal yuan, the same figure as ``spent_by_resolution``).
      remaining: Budget minus spent, or None without a budget.
      over_budget: Spent exceeds the budget.
      payments: The transactions citing it, in date order.
      ref: The resolution directive.
      distributes: Some payment citing it is a dividend or subsidy (a payout list can be downloaded).
    """

    resolution: Resolution
    conditions: tuple[Condition, ...]
    spent: Decimal
    remaining: Decimal | None
    over_budget: bool
    payments: tuple[Payment, ...]
    ref: EntryRef
    distributes: bool = False


def _area(centi: int) -> str:
    return f"{Decimal(centi) / 100:,.2f} ㎡"


def conditions_of(tally: Tally, verdict: Verdict) -> tuple[Condition, ...]:
    """The four conditions of a verdict with the tally's numbers."""
    threshold, inclusive = verdict.approval_threshold, verdict.approval_inclusive
    return (
        Condition("参与表决专有面积", _area(tally.voted_area), _area(tally.total_area), tally.turnout_area,
                  QUORUM, True, verdict.quorum_area),
        Condition("参与表决人数", f"{tally.voted_heads} 人", f"{tally.total_heads} 人", tally.turnout_heads,
                  QUORUM, True, verdict.quorum_heads),
        Condition("同意专有面积（占参与）", _area(tally.agree_area), _area(tally.voted_area), tally.approval_area,
                  threshold, inclusive, verdict.approval_area),
        Condition("同意人数（占参与）", f"{tally.agree_heads} 人", f"{tally.voted_heads} 人", tally.approval_heads,
                  threshold, inclusive, verdict.approval_heads),
    )


def resolutions_page(compound: Compound) -> tuple[ResolutionRow, ...]:
    """Every resolution with its tally, verdict, budget against spending, and the payments citing it."""
    resolutions = resolutions_of(compound)
    spent = spent_by_resolution(compound)
    rows = []
    for rid, resolution in sorted(resolutions.items(), key=lambda item: (item[1].date, item[0])):
        total = spent.get(rid, Decimal("0.00"))
        citing = spending(compound).get(rid, [])
        payments = tuple(Payment(EntryRef.of(txn), from_fen(fen)) for txn, fen in citing)
        conditions = (conditions_of(resolution.tally, resolution.verdict)
                      if resolution.tally is not None and resolution.verdict is not None else ())
        budget = resolution.budget
        rows.append(ResolutionRow(
            resolution, conditions, total, None if budget is None else budget - total,
            budget is not None and total > budget, payments, EntryRef.of(resolution.entry),
            any(is_distribution(txn) for txn, _ in citing),
        ))
    return tuple(rows)
