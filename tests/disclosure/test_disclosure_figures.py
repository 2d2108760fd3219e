"""The disclosure figures (commonfund.disclosure.figures) on books written in the test: every amount is
worked out by hand in tests/disclosure_books.py and must match to the fen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from tests.disclosure_books import BOOKS, ONE_HOUSEHOLD, RESOLUTIONS

from commonfund.compound.model import Compound
from commonfund.core.errors import InputError
from commonfund.disclosure import common_revenue_statement, figures_json, maintenance_fund_disclosure

D = Decimal


@pytest.fixture
def books(load: Callable[..., Compound]) -> Compound:
    compound = load(BOOKS, files={"resolutions.beancount": RESOLUTIONS})
    assert compound.errors == []
    return compound


def test_common_revenue_first_quarter(books: Compound) -> None:
    s = common_revenue_statement(books, "2024Q1")
    assert (s.opening, s.carried_in, s.income_total, s.costs_total, s.distributions_total, s.closing) == (
        D("0.00"), D("1000.00"), D("3600.00"), D("450.00"), D("500.00"), D("3650.00"))
    assert [(line.label, line.amount, line.entries) for line in s.income] == [
        ("停车", D("3000.00"), 1), ("电梯及公告栏广告", D("600.00"), 1)]
    assert [(line.label, line.amount) for line in s.costs] == [("共有部分经营成本", D("450.00"))]
    (working,) = s.distributions
    assert (working.kind, working.amount, working.date) == ("working-fund", D("500.00"), date(2024, 1, 6))
    assert [(r.id, r.verdict, r.title) for r in working.resolutions] == [("R-1", "通过", "共有收益管理办法")]
    assert s.previous is None  # the books start 2024-01-01


def test_common_revenue_second_quarter_with_comparison(books: Compound) -> None:
    s = common_revenue_statement(books, "2024Q2")
    assert (s.opening, s.income_total, s.costs_total, s.distributions_total, s.closing) == (
        D("3650.00"), D("2000.00"), D("10.00"), D("2300.00"), D("3340.00"))
    assert {line.key: line.amount for line in s.distribution_totals} == {
        "sweep": D("1500.00"), "subsidy": D("0.00"), "dividend": D("800.00"), "working-fund": D("0.00")}
    dividend = next(d for d in s.distributions if d.kind == "dividend")
    assert [(r.id, r.budget, r.matter) for r in dividend.resolutions] == [("R-2", D("800.00"), 9)]
    assert s.previous is not None
    assert (s.previous.period.label, s.previous.income, s.previous.closing) == ("2024Q1", D("3600.00"), D("3650.00"))


def test_common_revenue_period_without_activity(books: Compound) -> None:
    s = common_revenue_statement(books, "2024Q3")
    assert s.opening == s.closing == D("3340.00")
    assert s.income == s.costs == s.distributions == ()
    assert s.income_total == s.costs_total == s.distributions_total == D("0.00")


@pytest.mark.parametrize("period", ["2024", "2024H1", "2024-02"])
def test_common_revenue_other_period_kinds_balance(books: Compound, period: str) -> None:
    s = common_revenue_statement(books, period)
    assert s.opening + s.carried_in + s.income_total - s.costs_total - s.distributions_total == s.closing
    if period == "2024":
        assert s.closing == D("3340.00")
    if period == "2024-02":
        assert (s.income_total, s.costs_total) == (D("3000.00"), D("450.00"))


def test_maintenance_fund_totals(books: Compound) -> None:
    d = maintenance_fund_disclosure(books, 2024)
    t = d.totals
    assert (t.opening, t.deposits, t.top_ups, t.income, t.uses, t.closing) == (
        D("0.00"), D("50000.00"), D("5000.00"), D("1600.00"), D("42050.00"), D("14550.00"))
    assert {line.label: line.amount for line in t.income_lines} == {
        "维修资金利息": D("100.00"), "共有收益转入维修资金": D("1500.00")}
    assert [(b.account, b.date, b.amount, b.agrees) for b in d.bank_checks] == [
        ("维修资金专户", date(2024, 12, 31), D("14550.00"), True)]


def test_maintenance_fund_items_and_apportionment(books: Compound) -> None:
    items = maintenance_fund_disclosure(books, "2024").items
    assert [(i.title, i.basis, i.cost, i.scope_zh, i.households) for i in items] == [
        ("1号楼屋面防水翻修", "resolution", D("40000.00"), "1号楼", 3),
        ("2-1单元给水立管爆裂应急抢修", "emergency", D("2000.00"), "2号楼1单元", 2),
        ("王*垫付1-2-101门锁维修 电话***********", "none", D("50.00"), "房号 1-2-101", 1),
    ]
    roof, riser, lock = items
    assert (roof.area, roof.largest_share, roof.smallest_share, roof.developer_share) == (
        D("300.00"), D("16000.00"), D("10666.67"), D("0.00"))
    assert roof.resolution is not None and roof.resolution.passed
    assert riser.developer_share == D("1100.00")  # 2-1-102 is unsold: the developer's share (第20/21条)
    assert lock.payments[0].payee == "王*"


def test_maintenance_fund_household_table(books: Compound) -> None:
    table = maintenance_fund_disclosure(books, "2024").households
    rows = {r.unit: r for r in table.rows}
    assert (rows["1-1-101"].deposits, rows["1-1-101"].income, rows["1-1-101"].uses, rows["1-1-101"].balance) == (
        D("15000.00"), D("320.00"), D("13333.33"), D("1986.67"))
    assert rows["1-2-101"].balance == D("-3666.00")
    assert [u for u, r in rows.items() if r.below] == ["1-1-101", "1-1-102", "1-2-101"]
    assert table.below_count == 3
    assert rows["1-1-101"].ratio == D("19.9")
    assert rows["2-1-102"].developer and not rows["2-1-101"].developer
    assert table.balance == table.fund_balance == D("14550.00") and table.reconciles
    assert sum(r.balance for r in table.rows) == table.balance


def test_maintenance_fund_other_matters(books: Compound) -> None:
    d = maintenance_fund_disclosure(books, "2024")
    (emergency,) = d.emergencies
    assert (emergency.amount, emergency.disclosed_on, emergency.days_after) == (D("2000.00"), date(2024, 7, 20), 12)
    assert [r.resolution.id for r in d.resolutions] == ["R-3", "R-2"]  # decided in 2024, by date
    assert (d.resolutions[0].turnout_area, d.resolutions[0].approval_heads) == (D("100.0"), D("75.0"))


def test_a_period_before_the_books_start_is_refused(books: Compound) -> None:
    with pytest.raises(InputError, match=r"早于账簿起始日 2024-01-01，最早可公示的期间是 2024Q1"):
        common_revenue_statement(books, "2023Q4")
    with pytest.raises(InputError, match=r"最早可公示的期间是 2024"):
        maintenance_fund_disclosure(books, 2023)
    with pytest.raises(InputError, match="is not a period"):
        maintenance_fund_disclosure(books, "2024Q5")


def test_a_later_year_without_activity(books: Compound) -> None:
    d = maintenance_fund_disclosure(books, 2025)
    assert d.totals.opening == d.totals.closing == D("14550.00")
    assert d.items == d.emergencies == d.resolutions == ()
    assert d.households.reconciles and d.households.below_count == 3


def test_one_household_compound(load: Callable[..., Compound]) -> None:
    compound = load("""\
        2024-01-01 * "首期维修资金" "首期维修资金划入"
          Assets:MaintenanceFund:Bank-维修资金专户  8800.00 CNY
          Income:MaintenanceFund:Deposit-首期交存  -8800.00 CNY
            apportion: "first-deposit"
        """, register=ONE_HOUSEHOLD, config=_one_config())
    assert compound.errors == []
    d = maintenance_fund_disclosure(compound, 2024)
    assert [(r.unit, r.balance, r.below) for r in d.households.rows] == [("1-1-101", D("8800.00"), False)]
    s = common_revenue_statement(compound, "2024Q1")
    assert s.closing == D("0.00") and s.income == ()


def test_figures_json_is_plain_and_masked(books: Compound) -> None:
    data = figures_json(maintenance_fund_disclosure(books, 2024))
    assert data["kind"] == "maintenance-fund" and data["totals"]["closing"] == "14550.00"
    assert data["households"]["columns"][:2] == ["unit", "area"]
    assert data["households"]["rows"][0][:3] == ["1-1-101", "100.00", "10000.00"]
    text = str(data)
    for name in ("张伟", "李娜", "王芳", "13800000002"):
        assert name not in text


def _one_config() -> str:
    from tests.conftest import SMALL_CONFIG

    return (SMALL_CONFIG.replace('name = "李娜"\nunit = "1-1-102"', 'name = "欧阳娜娜"\nunit = "1-1-101"')
            .replace('name = "王芳"\nunit = "1-2-101"', 'name = "欧阳娜娜"\nunit = "1-1-101"'))
