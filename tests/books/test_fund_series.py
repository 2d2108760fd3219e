"""Each fund month by month (commonfund.books.fund_series): initial amounts apart, transfers as transfers, the
months adding up to the balance; and the latest disclosure of each kind (disclosure_status)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from commonfund.books.fund_series import fund_series
from commonfund.compound.config import Policy
from commonfund.compound.model import Compound
from commonfund.disclosure.status import latest_disclosures
from commonfund.district.summary import fund_figures

BOOKS = """\
2024-01-01 * "首期维修资金" "首期维修资金划入"
  Assets:MaintenanceFund:Bank-维修资金专户  100000.00 CNY
  Income:MaintenanceFund:Deposit-首期交存  -100000.00 CNY
    apportion: "first-deposit"

2024-01-01 * "期初" "共有收益期初余额"
  Assets:CommonRevenue:Bank-共有收益户  5000.00 CNY
  Equity:CommonRevenue:Opening-期初  -5000.00 CNY

2024-01-20 * "测试物业有限公司" "停车费"
  Assets:CommonRevenue:Bank-共有收益户  1200.00 CNY
  Income:CommonRevenue:Parking-停车  -1200.00 CNY

2024-01-25 * "建设银行" "利息"
  Assets:MaintenanceFund:Bank-维修资金专户  30.00 CNY
  Income:MaintenanceFund:Interest-利息  -30.00 CNY
    apportion: "by-balance"

2024-03-05 * "共有收益" "共有收益转入维修资金"
  interfund: "unapproved"
  Expenses:CommonRevenue:Sweep-转入维修资金  1000.00 CNY
  Assets:CommonRevenue:Bank-共有收益户  -1000.00 CNY
  Assets:MaintenanceFund:Bank-维修资金专户  1000.00 CNY
  Income:MaintenanceFund:TransferIn-共有收益转入  -1000.00 CNY

2024-03-09 * "宏达电梯" "电梯维修"
  Expenses:MaintenanceFund:Repair-维修:Elevator-电梯  400.00 CNY
    apportion: "all"
  Assets:MaintenanceFund:Bank-维修资金专户  -400.00 CNY

2025-02-01 * "测试物业有限公司" "广告费"
  Assets:CommonRevenue:Bank-共有收益户  800.00 CNY
  Income:CommonRevenue:Advertising-广告  -800.00 CNY
"""


def test_months_initial_amounts_and_transfers(load: Callable[..., Compound]) -> None:
    compound = load(BOOKS)
    series = fund_series(compound.transactions)
    assert series.months[0] == date(2024, 1, 1) and series.months[-1] == date(2025, 2, 1)
    assert len(series.months) == 14
    fund = series.funds["MaintenanceFund"]
    january, march = fund[0], fund[2]
    assert january.initial == 10_000_000  # the first deposit is kept apart …
    assert january.income == {"Income:MaintenanceFund:Interest-利息": 3000}  # … from income
    assert march.transfers_in == 100_000 and march.income == {}  # a transfer is not income
    assert march.spending == {"Expenses:MaintenanceFund:Repair-维修:Elevator-电梯": 40_000}
    revenue = series.funds["CommonRevenue"]
    assert revenue[0].initial == 500_000 and revenue[0].income_total == 120_000
    assert revenue[2].transfers_out == 100_000 and revenue[2].spending == {}  # nor spending
    [transfer] = series.transfers
    assert (transfer.source, transfer.target, transfer.fen, transfer.resolution) == \
        ("CommonRevenue", "MaintenanceFund", 100_000, "")
    assert transfer.lineno > 0 and transfer.filename.endswith("books.beancount")


def test_every_month_adds_up_and_ends_at_the_balance(load: Callable[..., Compound]) -> None:
    compound = load(BOOKS)
    series = fund_series(compound.transactions)
    balances, _, _ = fund_figures(compound.transactions, 2025)
    for key, months in series.funds.items():
        level = 0
        for row in months:
            assert row.opening == level
            assert row.closing == (row.opening + row.initial + row.income_total - row.spending_total
                                   + row.transfers_in - row.transfers_out)
            level = row.closing
        assert months[-1].closing == int(balances[key] * 100)


def test_span_sums_whole_months(load: Callable[..., Compound]) -> None:
    series = fund_series(load(BOOKS).transactions)
    year = series.span("MaintenanceFund", date(2024, 1, 1), date(2024, 12, 31))
    assert (year.opening, year.initial, year.income_total, year.spending_total, year.transfers_in, year.closing) == \
        (0, 10_000_000, 3000, 40_000, 100_000, 10_063_000)
    quiet = series.span("Committee", date(2024, 1, 1), date(2024, 12, 31))
    assert quiet.closing == 0 and quiet.income == {}
    later = series.span("CommonRevenue", date(2026, 1, 1), date(2026, 12, 31))  # after the books: the level stays
    assert later.opening == later.closing == series.funds["CommonRevenue"][-1].closing


def test_until_cuts_the_series(load: Callable[..., Compound]) -> None:
    series = fund_series(load(BOOKS).transactions, until=date(2024, 3, 6))
    assert series.months[-1] == date(2024, 3, 1)
    assert series.funds["MaintenanceFund"][-1].spending == {}  # the repair of 9 March is after
    assert len(series.transfers) == 1


def test_latest_disclosure_of_each_kind_and_its_deadline(load: Callable[..., Compound]) -> None:
    compound = load(BOOKS + """
2024-04-20 custom "disclosure" "common-revenue" "2024Q1"
2024-08-15 custom "disclosure" "common-revenue" "2024Q2"
2024-07-30 custom "disclosure" "common-revenue" "2023Q4"
""")
    latest = latest_disclosures(compound.entries, Policy(disclosure_days=30))
    revenue = latest["common-revenue"]
    assert revenue is not None and revenue.period == "2024Q2" and revenue.posted == date(2024, 8, 15)
    assert revenue.deadline == date(2024, 7, 30) and not revenue.on_time and revenue.days_late == 16
    assert latest["maintenance-fund"] is None
    on_time = latest_disclosures(compound.entries, Policy(disclosure_days=60))["common-revenue"]
    assert on_time is not None and on_time.on_time and on_time.days_late == 0


def _agree(compound: Compound, year: int) -> None:
    """The overview's year of each fund (fund_series) and the one definition of a fund's figures
    (books.fund_figures, used by `commonfund funds`, the disclosures and the district) tie to the fen."""
    from commonfund.books.fund_figures import all_fund_figures
    from commonfund.core.money import to_fen

    series = fund_series(compound.transactions)
    figures = all_fund_figures(compound, date(year, 1, 1), date(year, 12, 31))
    for fund, f in figures.items():
        span = series.span(fund, date(year, 1, 1), date(year, 12, 31))
        assert (span.opening, span.closing) == (to_fen(f.opening), to_fen(f.closing)), fund
        assert span.transfers_in == to_fen(f.transfers_in_total), fund
        assert span.transfers_out == to_fen(f.transfers_out_total), fund
        # first deposits are income in the fund's statement and an initial amount on the overview
        assert span.initial + sum(span.income.values()) == to_fen(f.carried_in + f.income_total), fund
        assert sum(span.spending.values()) == to_fen(f.spending_total), fund


def test_the_overview_year_ties_to_the_fund_figures(load: Callable[..., Compound]) -> None:
    _agree(load(BOOKS), 2024)


def test_the_overview_ties_to_the_fund_figures_on_generated_books(tmp_path: Path) -> None:
    from commonfund.compound.model import load_compound
    from commonfund.synth.generator import synth_compound

    compound = load_compound(synth_compound(tmp_path / "books", 80, 3, seed=5, plant=True))
    years = sorted({t.date.year for t in compound.transactions})
    for year in years:
        _agree(compound, year)
