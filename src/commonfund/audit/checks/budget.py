"""Budget against actual (预算执行, DOMAIN §5.17).

Budgets are Fava's own directive, so Fava's budget views show them too::

    2025-01-01 custom "budget" Expenses:Committee:Office-办公费 "yearly" 6000.00 CNY

A budget applies from its date until the next one for the same account; ``monthly``, ``quarterly``,
``weekly`` and ``daily`` amounts are scaled to the year. The actual is the net of the account and its
sub-accounts over the calendar year.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import NamedTuple

from beancount.core import data
from beancount.core.amount import Amount

from commonfund.audit.findings import AuditContext, EntryRef, Finding, audit_check
from commonfund.books.payments import last_transaction_day, number_of
from commonfund.core.funds import fund_of
from commonfund.core.labels import FUND_ZH, account_label
from commonfund.core.law import cite

PER_YEAR = {"yearly": 1, "quarterly": 4, "monthly": 12, "weekly": 52, "daily": 365}


class Budget(NamedTuple):
    """One budget directive.

    Attributes:
      account: The budgeted account.
      yearly: The amount per year (Decimal yuan).
      entry: The directive.
    """

    account: str
    yearly: Decimal
    entry: data.Custom


def budgets_of(entries: list[data.Directive]) -> dict[str, list[Budget]]:
    """Well-formed budgets by account, in date order (malformed ones are ignored: Fava reports them)."""
    out: dict[str, list[Budget]] = defaultdict(list)
    for entry in entries:
        if not (isinstance(entry, data.Custom) and entry.type == "budget" and len(entry.values) == 3):
            continue
        account, period, amount = (v.value for v in entry.values)
        number = amount.number if isinstance(amount, Amount) else None
        if isinstance(account, str) and period in PER_YEAR and number:
            out[account].append(Budget(account, number * PER_YEAR[period], entry))
    for items in out.values():
        items.sort(key=lambda b: b.entry.date)
    return out


def budget_for_year(budgets: list[Budget], year: int) -> Budget | None:
    """The budget in force for *year*: the latest dated on or before its last day."""
    applicable = [b for b in budgets if b.entry.date <= dt.date(year, 12, 31)]
    return applicable[-1] if applicable else None


@audit_check
def budget_variance(ctx: AuditContext) -> Iterator[Finding]:
    """预算执行偏差：科目年度实际发生额超过 ``custom "budget"`` 预算的 ``approval.budget_variance``（如 10%）
    为警告；年度结束后低于预算同等比例为提示。A budgeted account whose actual for the year exceeds its budget by
    more than the configured variance (warning), or, once the year is over, falls short of it by as much
    (information). 民法典 第278条 (the owners' assembly approves the budget)."""
    compound = ctx.compound
    as_of = ctx.end or last_transaction_day(compound)
    if as_of is None:
        return
    variance = compound.config.approval.budget_variance
    budgets = budgets_of(compound.entries)
    if not budgets:
        return
    actual: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    budgeted: dict[str, list[str]] = {}  # posting account → the budget accounts it counts towards
    for txn in compound.transactions:
        if txn.date > as_of:
            continue
        for posting in txn.postings:
            if posting.units is None:
                continue
            counted = budgeted.get(posting.account)
            if counted is None:
                counted = budgeted[posting.account] = [
                    account for account in budgets
                    if posting.account == account or posting.account.startswith(account + ":")]
            for account in counted:
                actual[(account, txn.date.year)] += number_of(posting)
    first_year = min(b.entry.date.year for items in budgets.values() for b in items)
    for account, items in budgets.items():
        for year in range(first_year, as_of.year + 1):
            year_end = dt.date(year, 12, 31)
            budget = budget_for_year(items, year)
            if budget is None or not ctx.in_period(min(year_end, as_of)):
                continue
            spent = actual.get((account, year), Decimal(0))
            if spent > budget.yearly * (1 + variance):
                over = spent - budget.yearly
                yield Finding(
                    "budget_variance", "warning", "超预算", cite("budget", "generic"),
                    f"{_zh(account)} {year} 年实际 {spent} 元，超过预算 {budget.yearly} 元 {over} 元"
                    f"（{over / budget.yearly:.0%}，允许偏差 {variance:.0%}）",
                    f"{account} {year}: actual {spent} CNY exceeds the budget of {budget.yearly} CNY by {over} "
                    f"({over / budget.yearly:.0%}; allowed {variance:.0%})",
                    (EntryRef.of(budget.entry),), over, min(year_end, as_of))
            elif year_end <= as_of and spent < budget.yearly * (1 - variance):
                under = budget.yearly - spent
                yield Finding(
                    "budget_variance", "info", "预算执行不足", cite("budget", "generic"),
                    f"{_zh(account)} {year} 年实际 {spent} 元，低于预算 {budget.yearly} 元 {under} 元"
                    f"（{under / budget.yearly:.0%}）",
                    f"{account} {year}: actual {spent} CNY is {under} below the budget of {budget.yearly} CNY "
                    f"({under / budget.yearly:.0%})", (EntryRef.of(budget.entry),), under, year_end)


def _zh(account: str) -> str:
    """An account as people read it: ``业委会工作经费·办公费``."""
    return f"{FUND_ZH.get(fund_of(account) or '', '')}·{account_label(account)}".lstrip("·")
