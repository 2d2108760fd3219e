"""The plugin's fund rules, on ledgers written in the test; errors point at file:line."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.conftest import CompoundFactory

from commonfund.compound.model import Compound

CROSS_FUND = """\
2024-03-01 * "共有收益" "转入维修资金"
  {meta}
  Expenses:CommonRevenue:Sweep-转入维修资金          100.00 CNY
  Assets:CommonRevenue:Bank-共有收益户              -100.00 CNY
  Assets:MaintenanceFund:Bank-维修资金专户           100.00 CNY
  Income:MaintenanceFund:TransferIn-共有收益转入     -100.00 CNY
"""


def test_clean_books(load: Callable[..., Compound]) -> None:
    compound = load("""\
        2024-01-05 * "测试物业有限公司" "停车费上缴"
          Assets:CommonRevenue:Bank-共有收益户  500.00 CNY
          Income:CommonRevenue:Parking-停车  -500.00 CNY
    """)
    assert compound.errors == []
    assert len(compound.transactions) == 1


def test_account_outside_funds(load: Callable[..., Compound]) -> None:
    compound = load("""\
        2024-01-01 open Assets:Cash
        2024-01-01 open Income:Parking:Ground-地面 CNY
    """)
    messages = [(e.source["filename"].rsplit("/", 1)[-1], e.source["lineno"], e.message) for e in compound.errors]
    assert [(f, n) for f, n, _ in messages] == [("books.beancount", 1), ("books.beancount", 2)]
    assert "Assets:Cash belongs to no fund" in messages[0][2]


def test_unmarked_cross_fund(load: Callable[..., Compound]) -> None:
    compound = load(CROSS_FUND.format(meta='narration_note: "no marker"'))
    assert len(compound.errors) == 1
    error = compound.errors[0]
    assert error.source["lineno"] == 1 and error.source["filename"].endswith("books.beancount")
    assert "CommonRevenue, MaintenanceFund" in error.message and "interfund" in error.message


R_2024_01 = """
2024-01-10 custom "resolution" "R-2024-01" "9" "共有收益转入维修资金"
  voted_area: 400.00
  voted_count: 3
  agree_area: 300.00
  agree_count: 2
"""


def test_marked_cross_fund(load: Callable[..., Compound]) -> None:
    assert load(CROSS_FUND.format(meta='interfund: "R-2024-01"') + R_2024_01).errors == []
    unknown = load(CROSS_FUND.format(meta='interfund: "R-2024-01"'), name="u").errors
    assert [e.message for e in unknown] == ["`interfund: 'R-2024-01'` names no resolution of these books "
                                            '(add its custom "resolution" directive, or fix the id)']
    assert load(CROSS_FUND.format(meta='interfund: "unapproved"'), name="d").errors == []


def test_broken_register_reported_at_row(load: Callable[..., Compound], make_compound: CompoundFactory) -> None:
    from commonfund.compound.model import load_ledger

    root = make_compound("", register="unit,building,area,owner_id,owner_name,first_deposit\n1-1-101,1,abc,O1,张,1\n")
    _, errors, _ = load_ledger(root / "main.beancount")
    assert any(e.source["filename"].endswith("households.csv") and e.source["lineno"] == 2 for e in errors)


def test_bean_check_runs_the_plugin(make_compound: CompoundFactory) -> None:
    root = make_compound(CROSS_FUND.format(meta='note: "x"'))
    bean_check = Path(sys.executable).with_name("bean-check")
    result = subprocess.run([bean_check, root / "main.beancount"], capture_output=True, text=True)
    assert result.returncode == 1
    assert "books.beancount:1:" in result.stderr + result.stdout
    assert "without `interfund` metadata" in result.stderr + result.stdout


def test_register_and_config_are_tracked_sources(load: Callable[..., Compound]) -> None:
    compound = load("")
    names = {Path(p).name for p in compound.options_map["include"]}
    assert {"compound.toml", "households.csv", "books.beancount"} <= names
