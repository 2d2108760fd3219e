"""The 总览 (overview) page: where ``commonfund serve`` lands.

Per fund: the balance now and month by month, this year's income by source and spending by purpose,
with first deposits and opening balances kept apart and transfers between funds shown as transfers
(:func:`commonfund.books.fund_series.fund_series`); the latest disclosure of each kind and whether it was on
time (:func:`commonfund.disclosure.status.latest_disclosures`); the findings by severity
(:func:`commonfund.audit.findings.count_by_severity`, the findings page's own records) and the households
below the top-up line (the 分户账 page's summary). Plain data and inline SVG charts; the Fava extension
only renders it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from markupsafe import Markup

from commonfund.books.fund_series import FundMonth, FundSeries, Transfer, fund_series
from commonfund.compound.model import Compound
from commonfund.core.funds import FUNDS
from commonfund.core.labels import account_label
from commonfund.disclosure.figures import KINDS as DISCLOSURE_TITLES
from commonfund.disclosure.status import DisclosureStatus, LatestDisclosure, disclosure_status, latest_disclosures
from commonfund.web.fava_ext import charts

RECENT_MONTHS = 24


@dataclass(frozen=True)
class FundCard:
    """One fund on the overview (amounts integer fen).

    Attributes:
      key, name: The fund's key and Chinese name.
      balance: Net assets at the end of the last month shown.
      year: This year's movements (opening, initial, income, spending, transfers, closing).
      initial: First deposits and opening balances over all the books, and the month of the first.
      income, spending: This year's lines as ``(Chinese label, fen)``, largest first.
      balance_svg, monthly_svg, income_svg, spending_svg: The charts.
    """

    key: str
    name: str
    balance: int
    year: FundMonth
    initial: int
    initial_month: date | None
    income: tuple[tuple[str, int], ...]
    spending: tuple[tuple[str, int], ...]
    balance_svg: Markup
    monthly_svg: Markup
    income_svg: Markup
    spending_svg: Markup


@dataclass(frozen=True)
class OverviewPage:
    """The 总览 page.

    Attributes:
      as_of: The last day the figures cover (the end of Fava's time filter, else the books' last month).
      year: The calendar year of "this year".
      months: The months of the monthly charts (the last 24 at most).
      funds: One card per fund.
      transfers: This year's transfers between funds.
      disclosures: Kind → (document title, the latest posting or None).
      disclosure_year: This year's disclosures due, on time, late, missing.
    """

    as_of: date | None
    year: int
    months: tuple[date, ...]
    funds: tuple[FundCard, ...]
    transfers: tuple[Transfer, ...]
    disclosures: tuple[tuple[str, str, LatestDisclosure | None], ...]
    disclosure_year: DisclosureStatus | None

    fund_names: ClassVar[dict[str, str]] = {key: fund.name_zh for key, fund in FUNDS.items()}


def _lines(amounts: dict[str, int]) -> tuple[tuple[str, int], ...]:
    merged: dict[str, int] = {}
    for account, fen in amounts.items():
        label = account_label(account)
        merged[label] = merged.get(label, 0) + fen
    return tuple(sorted(((label, fen) for label, fen in merged.items() if fen), key=lambda line: -line[1]))


def fund_card(series: FundSeries, key: str, year: int) -> FundCard:
    """The card of fund *key* from the series (this year = *year*)."""
    rows = series.funds[key]
    recent = rows[-RECENT_MONTHS:]
    span = series.span(key, date(year, 1, 1), date(year, 12, 1))
    initial_rows = [row for row in rows if row.initial]
    name = FUNDS[key].name_zh
    income, spending = _lines(dict(span.income)), _lines(dict(span.spending))
    months = [row.month for row in recent]
    monthly = charts.monthly_chart(months, [
        ("收入", charts.RED, [row.income_total for row in recent], 1),
        ("其他基金转入", charts.RED_LIGHT, [row.transfers_in for row in recent], 1),
        ("支出", charts.GREEN, [row.spending_total for row in recent], -1),
        ("转出至其他基金", charts.GREEN_LIGHT, [row.transfers_out for row in recent], -1),
    ], f"{name}每月收支")
    return FundCard(
        key, name, rows[-1].closing if rows else 0, span, sum(row.initial for row in rows),
        initial_rows[0].month if initial_rows else None, income, spending,
        charts.balance_chart([row.month for row in rows], [row.closing for row in rows], f"{name}月末余额"),
        monthly, charts.bar_list(income, charts.RED, f"{name}{year}年收入来源"),
        charts.bar_list(spending, charts.GREEN, f"{name}{year}年支出用途"))


def overview_page(compound: Compound, as_of: date | None = None) -> OverviewPage:
    """The overview of the books through *as_of* (default: all of them)."""
    series = fund_series(compound.transactions, as_of)
    last = series.months[-1] if series.months else None
    year = as_of.year if as_of else (last.year if last else date.today().year)
    funds = tuple(fund_card(series, key, year) for key in FUNDS) if series.months else ()
    transfers = tuple(t for t in series.transfers if t.date.year == year)
    entries = compound.entries if as_of is None else [e for e in compound.entries if e.date <= as_of]
    latest = latest_disclosures(entries, compound.config.policy)
    status = disclosure_status(entries, compound.config.policy, year) if entries else None
    return OverviewPage(
        as_of, year, series.months[-RECENT_MONTHS:], funds, transfers,
        tuple((kind, DISCLOSURE_TITLES.get(kind, kind), latest.get(kind)) for kind in latest), status)
