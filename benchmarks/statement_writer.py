"""Statements in ICBC's corporate export layout C (FORMATS.md: 账号:/户名:/网点号:/币种: rows, then
日期,交易类型,对方户名,对方账号,摘要,借方发生额,贷方发生额,余额), GB18030 CSV as ICBC gives it.

The month continues the compound's common-revenue account (ICBC in ``commonfund synth``'s config): it opens
at the account's balance in the books and covers the month after the last posting to it, so the import
adds real new lines and its balance assertions hold.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from benchmarks.workload import Prepared

COUNTERPARTIES = (
    ("城市梯媒广告传播有限公司", "电梯广告费", 1), ("丰巢网络技术有限公司", "快递柜场地费", 1),
    ("星联充电科技有限公司", "充电桩分成", 1), ("上海锦华物业服务有限公司", "停车费共有收益上缴", 1),
    ("微信支付", "微信商户余额提现", 1), ("银行", "账户管理费", -1), ("得力办公用品商行", "办公用品", -1),
)


def bank_account(prepared: Prepared) -> tuple[str, str]:
    """The Beancount account and the last digits of the compound's ICBC account."""
    from commonfund.compound.config import load_config

    config = load_config(prepared.root / "compound.toml")
    for bank in config.bank_accounts:
        if bank.bank == "ICBC":
            return bank.account, bank.last_digits
    raise LookupError("the compound has no ICBC account to write a statement for")


def opening(prepared: Prepared, account: str) -> tuple[Decimal, date]:
    """The account's balance in the books and the date of its last posting."""
    from beancount import loader
    from beancount.core import data

    entries, _, _ = loader._load([(str(prepared.bare), True)], None, None, None)
    total, last = Decimal(0), date.min
    for entry in entries:
        if isinstance(entry, data.Transaction):
            for posting in entry.postings:
                if posting.account == account and posting.units is not None and posting.units.number is not None:
                    total += posting.units.number
                    last = max(last, entry.date)
    return total, last


def write(path: Path, digits: str, balance: Decimal, first: date, rows: int, days: int, seed: int) -> Path:
    rng = random.Random(seed)
    lines = [f"账号:,1001 2345 6789 {digits}", "户名:,锦绣花园业主委员会", "网点号:,1001", "币种:,人民币",
             "日期,交易类型,对方户名,对方账号,摘要,借方发生额,贷方发生额,余额"]
    for index in range(rows):
        name, summary, sign = COUNTERPARTIES[index % len(COUNTERPARTIES)]
        cents = rng.randint(1_000, 2_000_000) if sign > 0 else rng.randint(500, 50_000)
        amount = Decimal(cents) / 100
        if sign < 0 and amount > balance:
            sign, amount = 1, amount
        balance += amount * sign
        day = first + timedelta(days=index * days // rows)
        debit, credit = (f"{amount:.2f}", "") if sign < 0 else ("", f"{amount:.2f}")
        lines.append(f"{day.isoformat()},转账,{name},62{rng.randint(10**14, 10**15):d},{summary},{debit},{credit},"
                     f"{balance:.2f}")
    path.write_bytes(("\n".join(lines) + "\n").encode("gb18030"))
    return path


def write_month(prepared: Prepared, scratch: Path, rows: int = 60) -> tuple[Path, int]:
    """One month (*rows* lines) for the compound's ICBC account, right after its books."""
    account, digits = bank_account(prepared)
    balance, last = opening(prepared, account)
    first = date(last.year + last.month // 12, last.month % 12 + 1, 1)
    path = write(scratch / f"icbc-{prepared.size.label}-{first:%Y-%m}.csv", digits, balance, first, rows, 28, seed=7)
    return path, rows


def write_big(prepared: Prepared, scratch: Path, rows: int) -> Path:
    """A *rows*-line statement for the importer's parsing speed (spread over a year)."""
    _, digits = bank_account(prepared)
    return write(scratch / f"icbc-{rows}-rows.csv", digits, Decimal("100000.00"), date(2030, 1, 1), rows, 365,
                 seed=8)
