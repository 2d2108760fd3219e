"""第30条 (3): every household's deposits, uses, income and balance, with the units below the top-up
threshold marked (165号令 第17条: below 30% of the first deposit must top up).

The table is the sub-ledgers (:func:`commonfund.books.subledger.compute_subledgers`) cumulated to the period's
last day, one row per unit in register order, identified by the unit number only (no owner names).
Amounts are formatted once here, vectorised over the integer fen arrays, not per cell in a loop of
Decimal arithmetic: a 3,237-unit table is a few milliseconds.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from commonfund.books.subledger import compute_subledgers
from commonfund.compound.model import Compound
from commonfund.resolutions.model import percent_digits, rounded_percent

from .periods import Period


class HouseholdRow(NamedTuple):
    """One unit's sub-ledger to the period's end.

    Attributes:
      unit: The door number (房号).
      area: Exclusive area, ㎡.
      first_deposit: The register's first deposit (首期交存额), the 30% rule's base.
      deposits: Deposited in total (first deposit and carried-in balances plus top-ups 续交).
      uses: Charged for repairs in total.
      income: Its share of interest and other fund income in total.
      balance: ``deposits − uses + income``.
      ratio: Balance as a percentage of the first deposit (1 decimal; more when it would round onto the
        top-up line without being on it), None without a first deposit.
      below: True if below the threshold (第17条).
      developer: True if the developer holds the unit (unsold or undelivered).
    """

    unit: str
    area: Decimal
    first_deposit: Decimal
    deposits: Decimal
    uses: Decimal
    income: Decimal
    balance: Decimal
    ratio: Decimal | None
    below: bool
    developer: bool


class HouseholdTable(NamedTuple):
    """The per-household table and its totals.

    Attributes:
      rows: One row per unit, register order.
      deposits, uses, income, balance: Column totals, Decimal yuan.
      below_count: Units below the threshold.
      fund_balance: The fund's net assets in the ledger at the same date.
      reconciles: Whether the balances sum to the fund's net assets to the fen.
    """

    rows: tuple[HouseholdRow, ...]
    deposits: Decimal
    uses: Decimal
    income: Decimal
    balance: Decimal
    below_count: int
    fund_balance: Decimal
    reconciles: bool


def _decimals(fen: npt.NDArray[np.int64]) -> list[Decimal]:
    """int64 fen → Decimal yuan, through exact strings (``12345`` → ``Decimal("123.45")``)."""
    sign = np.where(fen < 0, "-", "")
    absolute = np.abs(fen)
    text = np.char.add(np.char.add(sign, (absolute // 100).astype(str)),
                       np.char.add(".", np.char.zfill((absolute % 100).astype(str), 2)))
    return [Decimal(t) for t in text.tolist()]


def household_table(compound: Compound, period: Period, threshold: Fraction) -> HouseholdTable:
    """The per-household table at the period's last day."""
    ledgers = compute_subledgers(compound, as_of=period.last_day)
    register = compound.register
    deposited = ledgers.deposits + ledgers.top_ups
    below = np.zeros(len(ledgers.units), dtype=np.bool_)
    below[ledgers.below(threshold)] = True
    base = ledgers.first_deposit
    with np.errstate(divide="ignore", invalid="ignore"):  # ratio in 0.1 %, rounded half up, integers only
        ratio_tenths = np.where(base > 0, (ledgers.balance * 2000 // np.where(base > 0, base, 1) + 1) // 2, 0)
    ratios = [None if b <= 0 else Decimal(int(r)).scaleb(-1)
              for b, r in zip(base.tolist(), ratio_tenths.tolist(), strict=True)]
    # a ratio that rounds onto the top-up line without being on it takes the digits that keep its side
    line = rounded_percent(threshold, 1)
    for i in np.flatnonzero((base > 0) & (ratio_tenths == line)).tolist():
        value = Fraction(int(ledgers.balance[i]), int(base[i]))
        digits = percent_digits(value, threshold, least=1)
        ratios[i] = Decimal(rounded_percent(value, digits)).scaleb(-digits)
    columns = [_decimals(a) for a in (register.area_centi, base, deposited, ledgers.uses, ledgers.income,
                                       ledgers.balance)]
    area, first, deposits, uses, income, balance = columns
    rows = tuple(
        HouseholdRow(ledgers.units[i], area[i], first[i], deposits[i], uses[i], income[i], balance[i], ratios[i],
                     bool(below[i]), bool(ledgers.developer[i]))
        for i in range(len(ledgers.units))
    )
    total = _decimals(np.array([deposited.sum(), ledgers.uses.sum(), ledgers.income.sum(), ledgers.balance.sum(),
                                ledgers.fund_balance], dtype=np.int64))
    return HouseholdTable(rows, deposits=total[0], uses=total[1], income=total[2], balance=total[3],
                          below_count=int(below.sum()), fund_balance=total[4], reconciles=ledgers.reconciles)
