"""The 分户账 (household sub-ledgers) page: totals at a date, the units below the top-up line
(165号令 第17条), and one unit's sub-ledger with its history.

Plain data from :mod:`commonfund.books.subledger`; owner names are masked (张**). The Fava extension only
renders it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from commonfund.books.subledger import HistoryRow, compute_subledgers, unit_history
from commonfund.compound.model import Compound
from commonfund.core.money import from_fen
from commonfund.disclosure.privacy import mask_name
from commonfund.resolutions.model import percent


@dataclass(frozen=True)
class UnitView:
    """One unit's sub-ledger.

    Attributes:
      unit: The door number.
      owner: The owner's name, masked (张**).
      area: Exclusive area (㎡).
      developer: Held by the developer (unsold or undelivered).
      first_deposit, deposits, top_ups, uses, income, balance: Decimal yuan at the page's date.
      ratio: Balance over first deposit (None without a first deposit).
      below: Below the top-up threshold of first deposit (165号令 第17条).
      top_up: What the unit must pay to reach the threshold (Decimal yuan, 0 if not below).
      history: Its lines (date, text, category, its share, running balance).
    """

    unit: str
    owner: str
    area: Decimal
    developer: bool
    first_deposit: Decimal
    deposits: Decimal
    top_ups: Decimal
    uses: Decimal
    income: Decimal
    balance: Decimal
    ratio: Fraction | None
    below: bool
    top_up: Decimal
    history: tuple[HistoryRow, ...]
    threshold: Fraction = Fraction(3, 10)

    @property
    def percent(self) -> str:
        """The balance over the first deposit, with the digits that keep it on its side of the top-up line."""
        return "" if self.ratio is None else percent(self.ratio, self.threshold)


@dataclass(frozen=True)
class HouseholdsPage:
    """The 分户账 page: totals of all sub-ledgers at a date, the units below the 30% line, one unit.

    Attributes:
      as_of: The date (end of Fava's time filter), or None for the whole ledger.
      threshold: The top-up line as a fraction of the first deposit (config ``policy.top_up_threshold``).
      units: Every door number (the search box asks for its suggestions from :func:`units_matching`).
      count: Number of households.
      total: Sum of all sub-ledger balances (Decimal yuan).
      fund_balance: The maintenance fund's balance in the ledger (Decimal yuan).
      reconciles: total == fund_balance, to the fen.
      below: (unit, balance, first deposit, top-up needed) for each unit below the line.
      unit: The unit searched for, or None.
      unknown: The searched text if it names no unit.
    """

    as_of: date | None
    threshold: Fraction
    units: tuple[str, ...]
    count: int
    total: Decimal
    fund_balance: Decimal
    reconciles: bool
    below: tuple[tuple[str, Decimal, Decimal, Decimal], ...]
    unit: UnitView | None
    unknown: str = ""

    @property
    def threshold_percent(self) -> str:
        return f"{float(self.threshold) * 100:g}%"


def subledger_summary(compound: Compound, as_of: date | None) -> HouseholdsPage:
    """The totals and the units below the top-up line at *as_of* (no unit selected)."""
    ledgers = compute_subledgers(compound, as_of)
    threshold = compound.config.policy.top_up_fraction
    needed = ledgers.top_up_needed(threshold)
    below = tuple(
        (ledgers.units[i], from_fen(int(ledgers.balance[i])), from_fen(int(ledgers.first_deposit[i])),
         from_fen(int(needed[i])))
        for i in ledgers.below(threshold).tolist()
    )
    return HouseholdsPage(as_of, threshold, ledgers.units, len(ledgers.units), from_fen(ledgers.total),
                          from_fen(ledgers.fund_balance), ledgers.reconciles, below, None)


def unit_view(compound: Compound, unit: str, as_of: date | None) -> UnitView | None:
    """One unit's sub-ledger at *as_of*, or None if the register has no such unit."""
    register = compound.register
    household = register.get(unit)
    if household is None:
        return None
    i = register.index[unit]
    ledgers = compute_subledgers(compound, as_of)
    threshold = compound.config.policy.top_up_fraction
    first = int(ledgers.first_deposit[i])
    balance = int(ledgers.balance[i])
    return UnitView(
        unit=unit, owner=mask_name(household.owner_name), area=household.area,
        developer=bool(ledgers.developer[i]), first_deposit=from_fen(first),
        deposits=from_fen(int(ledgers.deposits[i])), top_ups=from_fen(int(ledgers.top_ups[i])),
        uses=from_fen(int(ledgers.uses[i])), income=from_fen(int(ledgers.income[i])), balance=from_fen(balance),
        ratio=Fraction(balance, first) if first else None,
        below=bool(first) and balance * threshold.denominator < first * threshold.numerator,
        top_up=from_fen(int(ledgers.top_up_needed(threshold)[i])),
        history=tuple(unit_history(compound, unit, as_of)), threshold=threshold,
    )


UNITS_SHOWN = 30
"""Suggestions the 房号 search box shows at a time (the page itself lists no door numbers)."""


def units_matching(units: tuple[str, ...], text: str, limit: int = UNITS_SHOWN) -> tuple[list[str], bool]:
    """``(door numbers, more)``: up to *limit* door numbers for what was typed in the search box — those that
    start with *text* first, then those that contain it, each in register order; *more* when others match too.
    An empty *text* gives the register's first units."""
    text = text.strip()
    starts = [u for u in units if u.startswith(text)]
    found = starts[:limit + 1]
    if len(found) <= limit:
        found += [u for u in units if text in u and not u.startswith(text)][:limit + 1 - len(found)]
    return found[:limit], len(found) > limit
