"""Categorising statement lines: the compound's ``[[rules]]`` first, then built-in bank rules.

A rule (:class:`commonfund.compound.config.CategoryRule`) matches when every pattern it gives is found (regular
expression search) — ``counterparty`` in the counterparty's name and account, ``summary`` in the
摘要, ``purpose`` in 用途/附言/备注 — and the direction fits. Rules whose account belongs to another fund
than the bank account are not applied: moving money between funds needs a resolution (DOMAIN §2).

Built-in rules book bank charges (手续费, 管理费) and interest (结息, 利息) to the fund's own accounts
when the chart has them. Everything else lands on ``Income|Expenses:<Fund>:Uncategorized-待分类``,
which the audit lists (DOMAIN §5 item 14).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from typing import NamedTuple

from commonfund.compound.config import CategoryRule
from commonfund.core.accounts import chart_by_account, uncategorized_account
from commonfund.core.funds import fund_of
from commonfund.importers.normalise import StatementLine

BUILTIN = (
    (r"手续费|服务费|管理费|工本费|年费|汇划费|邮电费", "out", "Expenses:{fund}:BankFee-手续费"),
    (r"结息|利息|存息|收益发放", "in", "Income:{fund}:Interest-利息"),
)
TRANSFER = (r"(财付通|微信|零钱|支付宝|余额宝).{0,20}(提现|充值|转入|转出)|(提现|充值).{0,20}(财付通|微信|零钱|支付宝)",
            "Assets:{fund}:InTransit-在途资金")
"""A bank line of money to or from a wallet (零钱提现 arriving, 充值 leaving): booked against 在途资金, where
the wallet bill books the other side (see :mod:`.wallet`) — when the books open that account."""


class Category(NamedTuple):
    """Where a line goes.

    Attributes:
      account: The other posting's account.
      narration: A narration from the rule, or ``""`` (then the line's texts are used).
      resolution: Resolution id to add as metadata, or ``""``.
      apportion: Apportion scope for the posting, or ``""``.
      uncategorised: True when no rule matched.
      confidence: For a suggestion learned from the books (:mod:`.suggest`), its confidence (0–1); the line is
        then booked flagged ``!`` with ``suggested`` metadata. None for a rule's category.
    """

    account: str
    narration: str = ""
    resolution: str = ""
    apportion: str = ""
    uncategorised: bool = False
    confidence: Decimal | None = None


def line_narration(line: StatementLine) -> str:
    """A line's narration when no rule gives one: its summary, purpose and remark, each once."""
    parts: list[str] = []
    for text in (line.summary, line.purpose, line.remark):
        if not text or any(text in p for p in parts):
            continue
        parts = [p for p in parts if p not in text]
        parts.append(text)
    return " ".join(parts) or "银行流水"


@cache
def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text)


def rule_matches(rule: CategoryRule, line: StatementLine) -> bool:
    """Whether *rule* matches *line* (all given patterns found, direction fits)."""
    if (rule.direction == "in" and line.amount <= 0) or (rule.direction == "out" and line.amount >= 0):
        return False
    checks = (
        (rule.counterparty, f"{line.counterparty} {line.counterparty_account}"),
        (rule.summary, line.summary),
        (rule.purpose, f"{line.purpose} {line.remark}"),
    )
    given = [(pattern, text) for pattern, text in checks if pattern]
    return bool(given) and all(_pattern(pattern).search(text) for pattern, text in given)


class Categoriser:
    """Categorises the lines of one bank account of one fund."""

    def __init__(self, fund: str, rules: Iterable[CategoryRule], open_accounts: set[str] | None = None,
                 wallet: bool = False) -> None:
        self.fund = fund
        self.rules = [r for r in rules if fund_of(r.account) == fund]
        self.open_accounts = open_accounts
        self.transfer = None if wallet else TRANSFER[1].format(fund=fund)

    def __call__(self, line: StatementLine) -> Category:
        for rule in self.rules:
            if rule_matches(rule, line):
                return Category(rule.account, rule.narration, rule.resolution, rule.apportion)
        direction = "in" if line.amount > 0 else "out"
        if self.transfer and self.open_accounts and self.transfer in self.open_accounts and _pattern(
                TRANSFER[0]).search(f"{line.counterparty} {line.text}"):
            return Category(self.transfer)
        for pattern, wanted, template in BUILTIN:
            account = template.format(fund=self.fund)
            if wanted == direction and _pattern(pattern).search(line.text) and self._exists(account):
                return Category(account)
        return Category(uncategorized_account(self.fund, direction), uncategorised=True)

    def fee_account(self) -> str:
        account = f"Expenses:{self.fund}:BankFee-手续费"
        return account if self._exists(account) else uncategorized_account(self.fund, "out")

    def _exists(self, account: str) -> bool:
        if self.open_accounts is not None:
            return account in self.open_accounts

        return account in chart_by_account()
