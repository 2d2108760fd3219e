"""The maintenance-fund disclosure (住宅专项维修资金公示), the four items of 165号令 第30条.

(1) totals of deposits, uses, income and balance; (2) each charged item, its cost, its scope and how it
was apportioned (第20/21条: by exclusive area; the developer's share for unsold units); (3) every
household's deposits, uses, income and balance, with the units below the top-up threshold (第17条: 30%
of the first deposit) marked; (4) other matters: emergency uses (第22–24条 fast path) and their later
disclosure, the resolutions of the period, and the reconciliation with the bank.

Fund totals come from the ledger's accounts; per-household figures from the sub-ledgers
(:func:`commonfund.books.subledger.compute_subledgers`), and the disclosure states whether they tie to the fen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

from beancount.core import data

from commonfund.books.fund_figures import OTHER_IN, OTHER_OUT
from commonfund.compound.model import Compound
from commonfund.core.accounts import is_uncategorized
from commonfund.core.labels import account_label
from commonfund.resolutions.model import (
    QUORUM,
    SIMPLE_APPROVAL,
    SPECIAL_APPROVAL,
    SPECIAL_MATTERS,
    percent_digits,
    rounded_percent,
)
from commonfund.resolutions.parse import resolutions_of

from .base import CitedResolution, Line, check_period, cite, leaf_key
from .households import HouseholdTable, household_table
from .items import ChargedItem, EmergencyUse, charged_items, emergency_uses
from .periods import Period, parse_period
from .privacy import Scrubber

FUND = "MaintenanceFund"
DEPOSIT_LEAVES = {"Deposit": "deposits", "TopUp": "top_ups"}
TRANSFER_IN, TRANSFER_OUT = OTHER_IN, OTHER_OUT
"""Labels of movements booked on balance-sheet accounts only (no income or expense account)."""


class FundTotals(NamedTuple):
    """第30条 (1): the fund's totals, for the period and cumulatively since the books start.

    Attributes:
      opening: Net assets at the start of the period.
      carried_in: Balances carried into the books in the period (期初结转, Equity postings).
      deposits, top_ups, income, uses: The period's first deposits (首期交存), top-ups (续交), income
        (利息, 国债收益, 共有收益转入…) and uses (维修支出, 手续费…).
      closing: Net assets at the end of the period
        (``opening + carried_in + deposits + top_ups + income − uses``).
      total_carried_in, total_deposits, total_top_ups, total_income, total_uses: The same since the
        books start.
      income_lines, use_lines: The period's income and uses by account.
      unclassified_in, unclassified_out, total_unclassified_in, total_unclassified_out: Of the income and
        the uses, what is still on an ``Uncategorized-待分类`` account (待分类收入/支出（待核实）): money that
        moved but is not yet shown to be a 收益 or a 维修支出, stated apart as "其中" rows.
    """

    opening: Decimal
    carried_in: Decimal
    deposits: Decimal
    top_ups: Decimal
    income: Decimal
    uses: Decimal
    closing: Decimal
    total_carried_in: Decimal
    total_deposits: Decimal
    total_top_ups: Decimal
    total_income: Decimal
    total_uses: Decimal
    income_lines: tuple[Line, ...]
    use_lines: tuple[Line, ...]
    unclassified_in: Decimal
    unclassified_out: Decimal
    total_unclassified_in: Decimal
    total_unclassified_out: Decimal


class ResolutionRow(NamedTuple):
    """A resolution decided in the period, with its statutory tally in percent.

    Attributes:
      resolution: The citation (id, date, matter, title, verdict, budget).
      turnout_area, turnout_heads: Participation in % of the compound's area / headcount (1 decimal, more
        where a value near its threshold needs them not to look like it).
      approval_area, approval_heads: Agreement in % of the participants (likewise).
    """

    resolution: CitedResolution
    turnout_area: Decimal | None
    turnout_heads: Decimal | None
    approval_area: Decimal | None
    approval_heads: Decimal | None


class BankCheck(NamedTuple):
    """The bank reconciliation (第30条 与专户银行对账): the last balance assertion in the period.

    Attributes:
      account: The account's Chinese label.
      date: The day of the statement balance (the assertion's date minus one: balance at day's end).
      amount: The statement balance, Decimal yuan.
      agrees: Whether the books agree (no balance error on that assertion).
    """

    account: str
    date: date
    amount: Decimal
    agrees: bool


@dataclass(frozen=True)
class MaintenanceFundDisclosure:
    """The yearly (or per-period) maintenance-fund disclosure.

    Attributes:
      compound, committee: Names.
      period: The period disclosed.
      totals: Item (1).
      items: Item (2), one per decided use (grouped by resolution or emergency).
      households: Item (3), the per-household table (cumulative to the period's end).
      emergencies: Item (4), emergency uses of the period and their later disclosure.
      resolutions: Item (4), resolutions decided in the period.
      bank_checks: Item (4), bank reconciliation.
      threshold: The top-up threshold (``3/10``), 第17条.
    """

    compound: str
    committee: str
    period: Period
    totals: FundTotals
    items: tuple[ChargedItem, ...]
    households: HouseholdTable
    emergencies: tuple[EmergencyUse, ...]
    resolutions: tuple[ResolutionRow, ...]
    bank_checks: tuple[BankCheck, ...]
    threshold: Fraction


def _totals(compound: Compound, period: Period) -> FundTotals:
    """第30条 (1) from the fund's figures (:func:`commonfund.fund_figures.fund_figures`): deposits and top-ups
    are their income accounts, 收益 the other income and the transfers in, 使用 the spending and the
    transfers out; the cumulative column is the same over everything the books hold."""
    from commonfund.books.fund_figures import FundFigures, fund_figures

    now = fund_figures(compound, FUND, period.start, period.last_day)
    total = fund_figures(compound, FUND, date.min, period.last_day)

    def split(f: FundFigures) -> dict[str, Decimal]:
        kinds = {"deposits": Decimal(0), "top_ups": Decimal(0), "income": f.transfers_in_total}
        for line in f.income:
            kinds[DEPOSIT_LEAVES.get(leaf_key(line.account), "income")] += line.amount
        kinds["uses"] = f.spending_total + f.transfers_out_total
        kinds["carried"] = f.carried_in
        kinds["unclassified_in"] = sum((r.amount for r in f.income if is_uncategorized(r.account)), Decimal("0.00"))
        kinds["unclassified_out"] = sum((r.amount for r in f.spending if is_uncategorized(r.account)),
                                        Decimal("0.00"))
        return kinds

    here, ever = split(now), split(total)

    def lines(rows: tuple[Any, ...]) -> tuple[Line, ...]:
        return tuple(Line(r.account, r.label, r.amount, r.entries) for r in rows)

    return FundTotals(
        opening=now.opening, carried_in=here["carried"], deposits=here["deposits"], top_ups=here["top_ups"],
        income=here["income"], uses=here["uses"], closing=now.closing, total_carried_in=ever["carried"],
        total_deposits=ever["deposits"], total_top_ups=ever["top_ups"], total_income=ever["income"],
        total_uses=ever["uses"],
        income_lines=lines(tuple(r for r in now.income if leaf_key(r.account) not in DEPOSIT_LEAVES)
                           + now.transfers_in),
        use_lines=lines(now.spending + now.transfers_out),
        unclassified_in=here["unclassified_in"], unclassified_out=here["unclassified_out"],
        total_unclassified_in=ever["unclassified_in"], total_unclassified_out=ever["unclassified_out"],
    )


def _percent(part: int, whole: int, threshold: Fraction) -> Decimal | None:
    """part/whole in percent, one decimal or as many more as it takes never to show a value on the other
    side of *threshold* as the threshold itself (29999/40000 is 74.998, not 75.0, beside ≥ 3/4)."""
    if not whole:
        return None
    value = Fraction(part, whole)
    digits = percent_digits(value, threshold, least=1)
    return Decimal(rounded_percent(value, digits)).scaleb(-digits)


def _resolutions(compound: Compound, period: Period, scrub: Scrubber) -> tuple[ResolutionRow, ...]:
    resolutions = resolutions_of(compound)
    rows = []
    for rid, resolution in sorted(resolutions.items(), key=lambda item: (item[1].date, item[0])):
        if not period.contains(resolution.date):
            continue
        tally = resolution.tally
        if tally is None:
            rows.append(ResolutionRow(cite(resolutions, rid, scrub), None, None, None, None))
            continue
        approval = SPECIAL_APPROVAL if resolution.matter in SPECIAL_MATTERS else SIMPLE_APPROVAL
        rows.append(ResolutionRow(
            cite(resolutions, rid, scrub), _percent(tally.voted_area, tally.total_area, QUORUM),
            _percent(tally.voted_heads, tally.total_heads, QUORUM),
            _percent(tally.agree_area, tally.voted_area, approval),
            _percent(tally.agree_heads, tally.voted_heads, approval)))
    return tuple(rows)


def _bank_checks(compound: Compound, period: Period) -> tuple[BankCheck, ...]:
    failed = {id(getattr(e, "entry", None)) for e in compound.errors}
    latest: dict[str, data.Balance] = {}
    for entry in compound.entries:
        if (isinstance(entry, data.Balance) and entry.account.split(":")[1:2] == [FUND]
                and period.start < entry.date <= period.end):
            latest[entry.account] = entry
    return tuple(
        BankCheck(account_label(account), entry.date - timedelta(days=1),
                  Decimal(entry.amount.number or 0).quantize(Decimal("0.01")), id(entry) not in failed)
        for account, entry in sorted(latest.items()))


def maintenance_fund_disclosure(compound: Compound, year: str | int | Period, *,
                                scrub: Scrubber | None = None) -> MaintenanceFundDisclosure:
    """The 第30条 disclosure of the maintenance fund for *year* (or a period such as ``2025H1``).

    Raises :class:`~commonfund.core.errors.InputError` for a malformed period or one before the books start.
    """
    period = parse_period(year)
    check_period(compound, period)
    scrub = scrub or Scrubber.for_compound(compound.register, compound.config)
    threshold = compound.config.policy.top_up_fraction
    return MaintenanceFundDisclosure(
        compound=compound.config.name, committee=compound.config.display_committee, period=period,
        totals=_totals(compound, period), items=charged_items(compound, period, scrub),
        households=household_table(compound, period, threshold),
        emergencies=emergency_uses(compound, period, scrub), resolutions=_resolutions(compound, period, scrub),
        bank_checks=_bank_checks(compound, period), threshold=threshold,
    )
