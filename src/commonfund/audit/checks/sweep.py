"""The local sweep policy (DOMAIN §3.3): a share of each period's net common revenue goes into the
maintenance fund — Shanghai: more than 50% each quarter; Beijing: at least 50% while the fund is below 30%
(物业管理条例 第54条: common revenue mainly tops up the maintenance fund). The numbers are settings
(``[policy]`` in compound.toml), never code."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from fractions import Fraction
from itertools import accumulate

from beancount.core import data

from commonfund.audit.checks.base import finding, touching, transactions
from commonfund.audit.findings import AuditContext, Finding, audit_check
from commonfund.books.payments import number_of
from commonfund.core.law import cite, region_of
from commonfund.core.money import cny, to_fen
from commonfund.resolutions.model import percent

INCOME = "Income:CommonRevenue:"
COSTS = ("Expenses:CommonRevenue:OperatingCost-", "Expenses:CommonRevenue:Tax-")
SWEEP = "Expenses:CommonRevenue:Sweep-"
NET = (INCOME, *COSTS)
FUND_SHEET = ("Assets:MaintenanceFund:", "Liabilities:MaintenanceFund:")
PERIOD_ZH = {"month": "月", "quarter": "季度", "year": "年度"}


def period_of(day: date, kind: str) -> str:
    """``2025-03`` / ``2025Q1`` / ``2025`` for *day*."""
    if kind == "month":
        return f"{day.year}-{day.month:02d}"
    if kind == "quarter":
        return f"{day.year}Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def period_bounds(label: str, kind: str) -> tuple[date, date]:
    """First and last day of a period label."""
    if kind == "month":
        year, month = int(label[:4]), int(label[5:7])
        first = date(year, month, 1)
        span = 1
    elif kind == "quarter":
        year, quarter = int(label[:4]), int(label[5])
        first, span = date(year, 3 * quarter - 2, 1), 3
    else:
        first, span = date(int(label), 1, 1), 12
    month = first.month - 1 + span
    return first, date(first.year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _period_meta(txn: data.Transaction, kind: str) -> str | None:
    value = txn.meta.get("period")
    if not isinstance(value, str):
        return None
    try:
        start, _ = period_bounds(value, kind)
    except (ValueError, IndexError):
        return None
    return value if period_of(start, kind) == value else None


@audit_check
def sweep_policy(ctx: AuditContext) -> Iterator[Finding]:
    """Each complete period, the common revenue swept into the maintenance fund (``Expenses:CommonRevenue:
    Sweep-*``, assigned by its ``period`` metadata or else its date) must be more than / at least the policy
    share of the period's net common revenue (CommonRevenue income less operating costs and taxes in the
    period, 民法典 第282条 "扣除合理成本之后"). With ``sweep_condition = "below-30pct"`` the rule applies
    only while the fund is below 30% of the first deposits (the top-up threshold) at the period's start."""
    policy = ctx.compound.config.policy
    if not policy.sweep:
        return
    kind, share = policy.sweep_period, policy.sweep_fraction
    net: dict[str, int] = defaultdict(int)
    swept: dict[str, int] = defaultdict(int)
    sweeps: dict[str, list[data.Transaction]] = defaultdict(list)
    fund_changes: list[tuple[date, int]] = []
    txns = transactions(ctx)
    for txn in touching(ctx, (*NET, SWEEP, *FUND_SHEET)):  # the others add nothing below
        label = period_of(txn.date, kind)
        mf = 0
        for posting in txn.postings:
            account = posting.account
            if account.startswith(NET):
                net[label] -= to_fen(number_of(posting))
            elif account.startswith(SWEEP):
                target = _period_meta(txn, kind) or label
                swept[target] += to_fen(number_of(posting))
                if txn not in sweeps[target]:
                    sweeps[target].append(txn)
            elif account.startswith(FUND_SHEET):
                mf += to_fen(number_of(posting))
        if mf:
            fund_changes.append((txn.date, mf))
    if not txns:
        return
    last = max(e.date for e in ctx.compound.entries)
    deposits = int(ctx.compound.register.deposit_fen.sum())
    threshold = policy.top_up_fraction
    change_days = [day for day, _ in fund_changes]  # in date order, as the transactions
    running = list(accumulate(fen for _, fen in fund_changes))
    for label in sorted(set(net) | set(swept)):
        first, end = period_bounds(label, kind)
        if end > last or not ctx.in_period(end) or net[label] <= 0:
            continue
        if policy.sweep_condition == "below-30pct":
            before = bisect_left(change_days, first)  # the fund's balance at the period's start
            balance = running[before - 1] if before else 0
            if Fraction(balance) >= threshold * deposits:
                continue
        required = share * net[label]
        ok = swept[label] > required if policy.sweep_comparison == "more-than" else swept[label] >= required
        if ok:
            continue
        word_zh = "超过" if policy.sweep_comparison == "more-than" else "不低于"
        word_en = "more than" if policy.sweep_comparison == "more-than" else "at least"
        ratio = Fraction(swept[label], net[label])
        yield finding(
            "sweep_policy", "error", f"共有收益须按{word_zh}{share}的比例转入维修资金",
            f"民法典 第282条; {cite('common_revenue', region_of(ctx.compound.config))}",
            f"{label}{PERIOD_ZH[kind]}共有收益净额 {cny(net[label])}，转入维修资金 {cny(swept[label])}"
            f"（{percent(ratio, share)}），未达到{word_zh}{share}的要求",
            f"{label}: net common revenue {cny(net[label])}, swept {cny(swept[label])} "
            f"({percent(ratio, share)}), not {word_en} {share}",
            sweeps[label], max(0, int(required) + 1 - swept[label]), end,
        )

