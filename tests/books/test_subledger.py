"""Household sub-ledgers: derived from apportion metadata, reconciling to the fund at every date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from tests.conftest import REPO

from commonfund.books.subledger import compute_subledgers, unit_history
from commonfund.compound.model import Compound, load_compound
from commonfund.core.money import to_fen

# SMALL_REGISTER: areas 100/80/120/90/110 ㎡, deposits 10000/8000/12000/9000/11000; 2-1-102 is the developer's.
BOOKS = """\
2024-01-01 * "首期维修资金" "划入"
  Assets:MaintenanceFund:Bank-维修资金专户   50000.00 CNY
  Income:MaintenanceFund:Deposit-首期交存  -50000.00 CNY
    apportion: "first-deposit"

2024-02-01 * "施工队" "2号楼维修"
  resolution: "R-1"
  Expenses:MaintenanceFund:Repair-维修:Other-其他  20000.01 CNY
    apportion: "building:2"
  Assets:MaintenanceFund:Bank-维修资金专户  -20000.01 CNY

2024-03-21 * "银行" "结息"
  Assets:MaintenanceFund:Bank-维修资金专户   300.00 CNY
  Income:MaintenanceFund:Interest-利息     -300.00 CNY
    apportion: "by-balance"

2024-03-21 * "1-1-101" "续交"
  Assets:MaintenanceFund:Bank-维修资金专户   1000.00 CNY
  Income:MaintenanceFund:TopUp-续交        -1000.00 CNY
    apportion: "units:1-1-101"

2024-04-25 * "银行" "账户管理费"
  Expenses:MaintenanceFund:BankFee-手续费     0.05 CNY
  Assets:MaintenanceFund:Bank-维修资金专户    -0.05 CNY

2024-01-15 custom "resolution" "R-1" "5" "2号楼维修"
  voted_area: 500.00
  voted_count: 4
  agree_area: 500.00
  agree_count: 4
"""


def ledger_fund_balance(compound: Compound, day: date) -> int:
    return sum(to_fen(p.units.number) for t in compound.transactions if t.date <= day for p in t.postings
               if p.account.startswith("Assets:MaintenanceFund:"))


def test_columns_and_developer_share(load: Callable[..., Compound]) -> None:
    compound = load(BOOKS)
    assert compound.errors == []
    ledgers = compute_subledgers(compound)
    assert ledgers.units == ("1-1-101", "1-1-102", "1-2-101", "2-1-101", "2-1-102")
    assert ledgers.deposits.tolist() == [1_000_000, 800_000, 1_200_000, 900_000, 1_100_000]
    # ¥20,000.01 over building 2 (90 ㎡ and the developer's 110 ㎡): the odd fen goes to the larger remainder.
    # repair: 900000.45 / 1100000.55 → the odd fen to the larger remainder (the developer's unit);
    # bank fee 5 fen over all by area: quotas 1, 0.8, 1.2, 0.9, 1.1 → one fen each.
    assert ledgers.uses.tolist() == [1, 1, 1, 900_001, 1_100_002]
    assert ledgers.top_ups.tolist() == [100_000, 0, 0, 0, 0]
    assert ledgers.reconciles and ledgers.total == ledger_fund_balance(compound, date(2024, 12, 31))
    developer = int(ledgers.uses[ledgers.developer].sum())
    assert developer >= 1_100_000  # the unsold unit's share of the repair is the developer's (第20/21条)


def test_interest_by_balance_uses_balances_before_its_date(load: Callable[..., Compound]) -> None:
    compound = load(BOOKS)
    before = compute_subledgers(compound, date(2024, 3, 20)).balance
    interest = compute_subledgers(compound, date(2024, 3, 21)).income
    expected = np.array([round(300_00 * b / before.sum()) for b in before.tolist()])
    assert int(interest.sum()) == 300_00
    assert np.abs(interest - expected).max() <= 1
    assert interest[0] == expected[0]  # the same-day top-up of 1-1-101 does not earn that day's interest


def test_reconciles_at_every_date(load: Callable[..., Compound]) -> None:
    compound = load(BOOKS)
    day = date(2023, 12, 31)
    while day <= date(2024, 5, 1):
        ledgers = compute_subledgers(compound, day)
        assert ledgers.total == ledgers.fund_balance == ledger_fund_balance(compound, day), day
        day += timedelta(days=1)


def test_example_reconciles_and_history() -> None:
    compound = load_compound(REPO / "ledgers" / "example")
    ledgers = compute_subledgers(compound)
    assert ledgers.reconciles and ledgers.total == to_fen(Decimal("118831.51"))
    rows = unit_history(compound, "1-1-101")
    assert [r.category for r in rows] == ["deposits", "income", "income", "uses", "top_ups"]
    assert rows[-1].balance == Decimal(int(ledgers.balance[0])) / 100
    assert sum(r.amount for r in rows) == rows[-1].balance
    table = ledgers.table()
    assert list(table.columns) == ["unit", "first_deposit", "deposits", "top_ups", "uses", "income", "balance",
                                   "developer"]
    assert sum(table["balance"]) == Decimal("118831.51")


def test_below_thirty_percent(load: Callable[..., Compound]) -> None:
    compound = load(BOOKS.replace("20000.01 CNY", "7200.00 CNY").replace('"building:2"', '"units:2-1-101"'))
    ledgers = compute_subledgers(compound)
    # 2-1-101: 9000 − 7200 − its share of the fee, + interest: below 30% (2700)?
    index = ledgers.units.index("2-1-101")
    assert ledgers.balance[index] < 270_000
    assert ledgers.below("3/10").tolist() == [index]
    need = ledgers.top_up_needed("3/10")
    assert need[index] == 270_000 - ledgers.balance[index] and int(need.sum()) == int(need[index])


def test_unreconcilable_transaction_is_an_integrity_error(load: Callable[..., Compound]) -> None:
    compound = load(BOOKS + """
2024-05-01 * "错误" "维修资金直接转出"
  interfund: "R-1"
  Assets:MaintenanceFund:Bank-维修资金专户  -100.00 CNY
  Assets:CommonRevenue:Bank-共有收益户       100.00 CNY
""")
    assert len(compound.errors) == 1
    error = compound.errors[0]
    text = (compound.root / "books" / "books.beancount").read_text("utf-8").splitlines()
    assert "would not reconcile" in error.message
    assert text[error.source["lineno"] - 1].startswith("2024-05-01 *")
