"""Household sub-ledgers (分户账): each unit's share of the maintenance fund, derived, never booked.

住宅专项维修资金管理办法 (令第165号) 第10条 asks for a sub-ledger per door number; 第30条 asks that every
household's deposits, uses, income and balance be disclosed. The ledger keeps one transaction per real
event; each posting of the fund's income, expenses or equity carries an ``apportion`` scope
(:mod:`commonfund.books.allocation`) and is split over the register in integer fen — one vectorised operation per
aggregate posting. A posting without ``apportion`` is split over ``all`` units by area.

Because every split sums exactly to its posting, the sub-ledgers sum to the fund's net balance (its assets
less liabilities) at every date — unless a transaction moves the fund's money without a fund income or
expense posting, which the integrity rule :func:`commonfund.rules.subledger.subledgers_reconcile` reports.

``by-balance`` postings (interest) are split by the balances at the start of their date, i.e. after every
earlier day's events and before any event of the same day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import numpy.typing as npt
from beancount.core import convert, data

from commonfund.books.allocation import Weights, scope_weights
from commonfund.core.errors import LedgerError
from commonfund.core.money import from_fen, to_fen

if TYPE_CHECKING:
    import pandas as pd

    from commonfund.compound.model import Compound
    from commonfund.register.model import HouseholdRegister

FUND = "MaintenanceFund"
CATEGORIES = ("deposits", "top_ups", "uses", "income")
_IN_FUND = f":{FUND}:"
Fen = npt.NDArray[np.int64]


def category_of(account: str) -> str | None:
    """Which sub-ledger column a fund posting feeds, or None for a balance-sheet account."""
    root, _, rest = account.partition(":")
    if not rest.startswith(FUND + ":"):
        return None
    leaf = rest[len(FUND) + 1:]
    if root == "Equity" or (root == "Income" and leaf.startswith("Deposit")):
        return "deposits"
    if root == "Income" and leaf.startswith("TopUp"):
        return "top_ups"
    if root == "Income":
        return "income"
    if root == "Expenses":
        return "uses"
    return None


class Event(NamedTuple):
    """One fund posting to split: *fen* is the change of the fund's net assets (income +, use −).

    Attributes:
      date, fen, scope, category: When, how much, over whom, into which column.
      entry: The transaction; ``posting_meta`` the posting's metadata (for error locations).
    """

    date: date
    fen: int
    scope: str
    category: str
    entry: data.Transaction
    posting_meta: dict[str, Any]


class HistoryRow(NamedTuple):
    """One line of a unit's sub-ledger.

    Attributes:
      date: The transaction date.
      text: Payee and narration.
      category: deposits / top_ups / uses / income.
      amount: The unit's share in Decimal yuan (negative for uses).
      balance: The unit's running balance after it (Decimal yuan).
      scope: The apportion scope used.
    """

    date: date
    text: str
    category: str
    amount: Any
    balance: Any
    scope: str


@dataclass(frozen=True)
class SubLedgers:
    """All households' sub-ledgers at a date, as int64 fen arrays aligned with ``units``.

    Attributes:
      units: Door numbers in register order.
      deposits, top_ups, uses, income, balance: Fen per unit; ``uses`` is positive money spent,
        ``balance = deposits + top_ups + income − uses``.
      first_deposit: The register's first deposit per unit (fen) — the 30% rule's base (第17条).
      developer: True for units the developer holds (their charges are the developer's, 第20/21条).
      fund_balance: The fund's net balance in the ledger (assets − liabilities), fen.
      as_of: The date (inclusive), or None for the whole ledger.
    """

    units: tuple[str, ...]
    deposits: Fen
    top_ups: Fen
    uses: Fen
    income: Fen
    balance: Fen
    first_deposit: Fen
    developer: npt.NDArray[np.bool_]
    fund_balance: int
    as_of: date | None
    errors: tuple[LedgerError, ...] = field(default=(), repr=False)

    @property
    def total(self) -> int:
        return int(self.balance.sum())

    @property
    def reconciles(self) -> bool:
        """The sub-ledgers sum to the fund's ledger balance to the fen."""
        return self.total == self.fund_balance

    def below(self, fraction: Fraction | str = Fraction(3, 10)) -> npt.NDArray[np.intp]:
        """Indexes of units whose balance is below *fraction* of their first deposit (165号令 第17条)."""
        share = Fraction(fraction)
        mask = self.balance * share.denominator < self.first_deposit * share.numerator
        return np.flatnonzero(mask & (self.first_deposit > 0))

    def top_up_needed(self, fraction: Fraction | str = Fraction(3, 10)) -> Fen:
        """Fen each unit needs to pay to reach *fraction* of its first deposit (0 if it is not below)."""
        share = Fraction(fraction)
        floor = -((-self.first_deposit * share.numerator) // share.denominator)  # ceiling
        needed: Fen = np.maximum(floor - self.balance, 0).astype(np.int64)  # numpy types ufuncs as Any
        return needed

    def table(self) -> pd.DataFrame:
        """A DataFrame (one row per unit, amounts in Decimal yuan) for reports and exports."""
        import pandas as pd

        frame = pd.DataFrame({"unit": list(self.units)})
        for name in ("first_deposit", *CATEGORIES, "balance"):
            yuan = [from_fen(v) for v in getattr(self, name).tolist()]
            frame[name] = pd.Series(yuan, index=frame.index, dtype=object)
        frame["developer"] = self.developer
        return frame


class FundChange(NamedTuple):
    """A transaction touching the fund: its balance-sheet change and its split change (fen, equal if
    the transaction balances within the fund)."""

    entry: data.Transaction
    sheet: int
    split: int


def fund_postings(entries: Iterable[data.Directive], as_of: date | None = None) -> tuple[list[Event], list[FundChange]]:
    """The fund's events to split and every transaction touching the fund with its changes (fen)."""
    events: list[Event] = []
    changes: list[FundChange] = []
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        if as_of is not None and entry.date > as_of:
            break
        sheet = split = 0
        touched = False
        for posting in entry.postings:
            if _IN_FUND not in posting.account:
                continue
            touched = True
            fen = to_fen(convert.get_weight(posting).number)  # type: ignore[no-untyped-call]
            category = category_of(posting.account)
            if category is None:
                if posting.account.startswith(("Assets:", "Liabilities:")):
                    sheet += fen
                continue
            scope = (posting.meta or {}).get("apportion") or entry.meta.get("apportion") or "all"
            split -= fen
            events.append(Event(entry.date, -fen, str(scope), category, entry, posting.meta or entry.meta))
        if touched:
            changes.append(FundChange(entry, sheet, split))
    return events, changes


def replay(
    entries: Iterable[data.Directive], register: HouseholdRegister, as_of: date | None = None,
    watch: int | None = None, postings: tuple[list[Event], list[FundChange]] | None = None,
) -> tuple[dict[str, Fen], int, list[LedgerError], list[HistoryRow]]:
    """Split every fund event in date order: ``(columns, fund_balance, errors, history of unit *watch*)``.

    A scope that names no unit is an error and falls back to ``all`` so the totals still reconcile.
    """
    events, changes = postings or fund_postings(entries, as_of)
    n = len(register)
    columns = {name: np.zeros(n, dtype=np.int64) for name in CATEGORIES}
    errors: list[LedgerError] = []
    history: list[HistoryRow] = []
    weights_by_scope: dict[str, Weights] = {}
    by_balance_days = {e.date for e in events if e.scope == "by-balance"}
    day: date | None = None
    day_weights: Weights | None = None  # by-balance weights of the day: the balances at its start
    watched = 0  # the running balance of unit *watch*
    for event in events:
        if event.date != day:
            day = event.date
            if day in by_balance_days:
                day_weights = Weights(scope_weights(register, "by-balance", _balance(columns)))
        if event.scope == "by-balance":
            assert day_weights is not None
            weights = day_weights
        else:
            found = weights_by_scope.get(event.scope)
            if found is None:
                try:
                    found = Weights.of_scope(register, event.scope)
                except ValueError as exc:
                    errors.append(LedgerError(_where(event), f"{exc} (《住宅专项维修资金管理办法》第20/21条: the "
                                              "owners concerned share a cost); the sub-ledgers split it over all "
                                              "units", event.entry))
                    found = Weights.of_scope(register, "all")
                weights_by_scope[event.scope] = found
            weights = found
        parts = weights.split(event.fen)
        column = columns[event.category]
        if event.category == "uses":
            column -= parts
        else:
            column += parts
        if watch is not None and parts[watch]:
            watched += int(parts[watch])
            text = " ".join(p for p in (event.entry.payee, event.entry.narration) if p)
            history.append(HistoryRow(event.date, text, event.category, from_fen(int(parts[watch])),
                                      from_fen(watched), event.scope))
    return columns, sum(c.sheet for c in changes), errors, history


def _balance(columns: dict[str, Fen]) -> Fen:
    """Each unit's balance from its columns: ``deposits + top_ups + income − uses``."""
    balance: Fen = columns["deposits"] + columns["top_ups"]
    balance += columns["income"]
    balance -= columns["uses"]
    return balance


def _where(event: Event) -> dict[str, Any]:
    meta = event.posting_meta if "lineno" in (event.posting_meta or {}) else event.entry.meta
    return meta


def compute_subledgers(compound: Compound, as_of: date | None = None) -> SubLedgers:
    """Every household's sub-ledger at *as_of* (inclusive; None = the whole ledger), cached per compound."""

    def compute() -> SubLedgers:
        register = compound.register
        columns, fund_balance, errors, _ = replay(compound.entries, register, as_of)
        balance = _balance(columns)
        return SubLedgers(
            units=register.units, balance=balance, first_deposit=register.deposit_fen,
            developer=register.developer_mask, fund_balance=fund_balance, as_of=as_of, errors=tuple(errors),
            **columns,
        )

    return compound.memo(f"subledgers:{as_of}", compute)


def unit_history(compound: Compound, unit: str, as_of: date | None = None) -> list[HistoryRow]:
    """One unit's sub-ledger lines (date, text, its share, running balance). Raises KeyError if unknown."""
    register: HouseholdRegister = compound.register
    index = register.index.get(unit)
    if index is None:
        raise KeyError(unit)
    return replay(compound.entries, register, as_of, watch=index)[3]
