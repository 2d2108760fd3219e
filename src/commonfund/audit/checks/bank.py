"""Bank reconciliation (银行对账, DOMAIN §5.2 and §5.14): statement coverage, failed assertions,
uncategorised postings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from beancount.core import data

from commonfund.audit.findings import AuditContext, EntryRef, Finding, audit_check
from commonfund.books.payments import last_transaction_day, number_of
from commonfund.core.funds import fund_of
from commonfund.core.labels import FUND_ZH, account_label

RECONCILE_ARTICLE = "《住宅专项维修资金管理办法》第30条; 会计法 第17条"


def _month_last(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def _months(first: dt.date, until: dt.date) -> list[tuple[int, int]]:
    out, year, month = [], first.year, first.month
    while _month_last(year, month) <= until:
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _failed_balances(ctx: AuditContext) -> list[data.Balance]:
    """Balance assertions that failed (Beancount marks them with ``diff_amount``)."""
    return [e for e in ctx.compound.entries if isinstance(e, data.Balance) and e.diff_amount is not None]


@audit_check
def bank_reconciliation(ctx: AuditContext) -> Iterator[Finding]:
    """银行对账：每个银行账户每个月都须以对账单余额核对（``balance`` 断言，记在次月1日或当月内）；
    缺月（无核对）为警告，核对不符为严重。Every configured bank account needs, for every month from its
    first posting, a passing balance assertion dated within the month or on the 1st of the next one
    (the statement's closing balance); months without one are coverage gaps, failed assertions are errors.
    《住宅专项维修资金管理办法》第30条 (reconcile with the bank); 会计法 第17条 (账实相符)."""
    compound = ctx.compound
    as_of = ctx.end or last_transaction_day(compound)
    if as_of is None:
        return
    failed = _failed_balances(ctx)
    for balance in failed:
        if ctx.in_period(balance.date):
            yield Finding(
                "bank_reconciliation", "error", "银行余额核对不符", RECONCILE_ARTICLE,
                f"{balance.account} 于 {balance.date} 的余额核对不符（对账单 {balance.amount}）",
                f"balance assertion for {balance.account} on {balance.date} failed (statement {balance.amount})",
                (EntryRef.of(balance),), balance.amount.number, balance.date)
    opens = {e.account: e for e in compound.entries if isinstance(e, data.Open)}
    banks = {bank.account: bank for bank in compound.config.bank_accounts}
    first_posting: dict[str, dt.date] = {}
    for txn in compound.transactions:
        for posting in txn.postings:
            if posting.account in banks and posting.account not in first_posting:
                first_posting[posting.account] = txn.date
    covered: dict[str, set[tuple[int, int]]] = {account: set() for account in banks}
    for entry in compound.entries:
        if isinstance(entry, data.Balance) and entry.account in banks and entry.diff_amount is None:
            month_of = entry.date - dt.timedelta(days=1)
            covered[entry.account].add((month_of.year, month_of.month))
    for account, bank in banks.items():
        if account not in first_posting:
            continue
        gaps = [m for m in _months(first_posting[account], as_of)
                if m not in covered[account] and ctx.in_period(_month_last(*m))]
        for run in _runs(gaps):
            first, last = run[0], run[-1]
            label = f"{first[0]}-{first[1]:02d}" + (f" 至 {last[0]}-{last[1]:02d}" if len(run) > 1 else "")
            label_en = f"{first[0]}-{first[1]:02d}" + (f" to {last[0]}-{last[1]:02d}" if len(run) > 1 else "")
            refs = (EntryRef.of(opens[account]),) if account in opens else ()
            yield Finding(
                "bank_reconciliation", "warning", "银行对账单覆盖缺月", RECONCILE_ARTICLE,
                f"{bank.name or account} {label} 共 {len(run)} 个月没有对账单余额核对",
                f"{account}: no statement balance assertion for {len(run)} month(s), {label_en}",
                refs, None, _month_last(*first))


def _runs(months: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    runs: list[list[tuple[int, int]]] = []
    for month in months:
        if runs and _next(runs[-1][-1]) == month:
            runs[-1].append(month)
        else:
            runs.append([month])
    return runs


def _next(month: tuple[int, int]) -> tuple[int, int]:
    return (month[0] + 1, 1) if month[1] == 12 else (month[0], month[1] + 1)


@audit_check
def uncategorized_postings(ctx: AuditContext) -> Iterator[Finding]:
    """待分类：导入时无规则匹配、记入 ``*:Uncategorized-待分类`` 的分录须由财务确认归类。Postings still on an
    ``Uncategorized-待分类`` account (an imported bank line no rule matched) must be classified by the
    treasurer before the books can be relied on. 会计法 第17条."""
    for txn in ctx.compound.transactions:
        if not ctx.in_period(txn.date):
            continue
        for posting in txn.postings:
            if ":Uncategorized-" in posting.account:
                amount = abs(number_of(posting))
                yield Finding(
                    "uncategorized_postings", "warning", "待分类分录未归类", "会计法 第17条",
                    f"{txn.date} {txn.payee or ''} {amount} 元仍记在{FUND_ZH.get(fund_of(posting.account) or '', '')}"
                    f"“{account_label(posting.account)}”科目，须确认归类",
                    f"{amount} CNY on {posting.account} on {txn.date} is not classified yet",
                    (EntryRef.of(txn),), amount, txn.date)
                break


@audit_check
def suggested_unconfirmed(ctx: AuditContext) -> Iterator[Finding]:
    """待确认的建议分类：导入时无规则匹配、按账簿中同类流水建议归类的分录（标记 ``!``，带 ``suggested`` 建议科目和
    ``confidence`` 置信度）须由财务逐笔确认（改为 ``*``）或改正。One finding with their count: imported lines booked
    to an account suggested from the books' own lines, not yet confirmed by the treasurer. 会计法 第17条."""
    pending = [txn for txn in ctx.compound.transactions
               if txn.flag == "!" and "suggested" in txn.meta and ctx.in_period(txn.date)]
    if not pending:
        return
    total = sum((abs(number_of(p)) for txn in pending for p in txn.postings if p.account == txn.meta["suggested"]),
                Decimal(0))
    first, last = pending[0].date, pending[-1].date
    yield Finding(
        "suggested_unconfirmed", "warning", "待确认的建议分类", "会计法 第17条",
        f"{first} 至 {last} 有 {len(pending)} 笔导入流水按账簿中同类流水建议归类（标记 !），合计 {total} 元，"
        "尚待财务逐笔确认",
        f"{len(pending)} imported lines from {first} to {last} ({total} CNY) are booked to suggested accounts "
        "(flagged !), not yet confirmed by the treasurer",
        tuple(EntryRef.of(txn) for txn in pending), total, last)
