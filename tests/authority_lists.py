"""Helpers for the 分户账核对 tests: a small compound's books and the authority's list of it, written as CSV."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from commonfund.books.subledger import compute_subledgers
from commonfund.compound.model import Compound
from commonfund.core.money import ledger_number

BOOKS = """\
2024-01-05 * "首期维修资金" "首期维修资金划入业委会专户"
  Assets:MaintenanceFund:Bank-维修资金专户  50000.00 CNY
  Income:MaintenanceFund:Deposit-首期交存  -50000.00 CNY
    apportion: "first-deposit"

2024-03-10 * "上海申安电梯工程有限公司" "1号楼电梯维修"
  Expenses:MaintenanceFund:Repair-维修:Elevator-电梯  3000.00 CNY
    apportion: "building:1"
  Assets:MaintenanceFund:Bank-维修资金专户  -3000.00 CNY

2024-06-21 * "银行" "结息"
  Assets:MaintenanceFund:Bank-维修资金专户  100.00 CNY
  Income:MaintenanceFund:Interest-利息  -100.00 CNY
    apportion: "by-balance"

2024-07-01 * "1-1-102" "1-1-102 维修资金续交"
  Assets:MaintenanceFund:Bank-维修资金专户  500.00 CNY
  Income:MaintenanceFund:TopUp-续交  -500.00 CNY
    apportion: "units:1-1-102"
"""
SPELLINGS = {"1-1-101": "1栋1单元101室", "1-1-102": "01-01-102", "1-2-101": "1号楼2单元101",
             "2-1-101": "上海市浦东新区锦绣路123弄2号楼1单元101室", "2-1-102": "2-1-102"}
AREAS = {"1-1-101": "100.00", "1-1-102": "80.00", "1-2-101": "120.00", "2-1-101": "90.00", "2-1-102": "110.00"}
Lines = dict[str, list[str]]


def figures(compound: Compound, day: date) -> Lines:
    """The books' figures per unit as the list writes them: area, 交存 (with top-ups), 使用, 收益, 余额."""
    ledgers = compute_subledgers(compound, day)
    out = {}
    for i, unit in enumerate(ledgers.units):
        values = (int(ledgers.deposits[i] + ledgers.top_ups[i]), int(ledgers.uses[i]), int(ledgers.income[i]),
                  int(ledgers.balance[i]))
        out[unit] = [AREAS[unit], *(ledger_number(v) for v in values)]
    return out


def shift(line: list[str], column: int, fen: int, balance: bool = True) -> None:
    """Add *fen* to a figure of *line* (1 交存, 2 使用, 3 收益), and to the balance as the figure moves it."""
    def add(at: int, value: int) -> None:
        whole = int(line[at].replace(".", ""))
        line[at] = ledger_number(whole + value)
    add(column, fen)
    if balance:
        add(4, -fen if column == 2 else fen)


def csv_list(lines: Lines, dated: str = "截至2024年12月31日", extra: Sequence[str] = ()) -> str:
    rows = ["测试小区住宅专项维修资金分户账,,,,,,", f"{dated},,,,,,单位：元",
            "序号,房屋坐落,业主姓名,建筑面积（㎡）,交存金额（元）,使用/分摊金额（元）,利息/增值收益（元）,余额（元）"]
    for n, (unit, line) in enumerate(lines.items(), start=1):
        rows.append(f"{n},{SPELLINGS.get(unit, unit)},张三,{','.join(line)}")
    rows += list(extra)
    rows.append("合计,,,500.00,,,,")
    return "\r\n".join(rows) + "\r\n"
