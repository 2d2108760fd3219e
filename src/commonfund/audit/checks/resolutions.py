"""Checks on spending that cites a resolution: passed, right matter, in force, within budget.

民法典 第278条 (matters ①–⑨ and their thresholds), 第1259条 (以上 includes, 过半数 excludes);
住宅专项维修资金管理办法 (令第165号) 第22条 (a use plan approved by the owners).
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from beancount.core import data

from commonfund.audit.checks.base import citing, finding, maintenance_use_fen, resolutions
from commonfund.audit.findings import AuditContext, Finding, audit_check
from commonfund.books.payments import number_of
from commonfund.books.spending import spending
from commonfund.core.money import cny, to_fen
from commonfund.resolutions.model import MAINTENANCE_USE, MATTERS, Resolution


def describe(resolution: Resolution) -> tuple[str, str]:
    """The tally in words (Chinese, English) with exact fractions, for messages."""
    tally = resolution.tally
    if tally is None:
        return "无法计票", "could not be tallied"

    def share(part: int, whole: int, area: bool) -> str:
        amount = (f"{part / 100:,.2f}/{whole / 100:,.2f} ㎡" if area else f"{part}/{whole}")
        return f"{amount} = {float(Fraction(part, whole or 1)):.2%}"

    t = tally
    turnout = share(t.voted_area, t.total_area, True) + ", " + share(t.voted_heads, t.total_heads, False)
    approval = share(t.agree_area, t.voted_area, True) + ", " + share(t.agree_heads, t.voted_heads, False)
    zh = f"参与表决 {turnout}；同意 {approval}"
    en = f"took part {turnout}; agreed {approval}"
    return zh, en


@audit_check
def resolution_failed(ctx: AuditContext) -> Iterator[Finding]:
    """Money moved citing a resolution that did not pass: owners holding ≥ 2/3 of the area AND ≥ 2/3 of the
    headcount must take part, and ⑥⑦⑧ need ≥ 3/4, other matters more than half, of the participating
    area AND headcount (民法典 第278条; 第1259条: exactly one half is not 过半数)."""
    for txn, cites in citing(ctx):
        if not ctx.in_period(txn.date):
            continue
        for resolution in cites:
            verdict = resolution.verdict
            if verdict is None or verdict.passed:
                continue
            why_zh = "；".join(zh for zh, _ in verdict.reasons)
            why_en = "; ".join(en for _, en in verdict.reasons)
            tally_zh, tally_en = describe(resolution)
            yield finding(
                "resolution_failed", "error", "依据的业主大会决议未通过", "民法典 第278条、第1259条",
                f"{resolution.id}《{resolution.title}》未获通过（{why_zh}；{tally_zh}），不能作为此笔款项的依据",
                f"{resolution.id} did not pass ({why_en}; {tally_en}) and cannot authorise this payment",
                (txn, resolution.entry), maintenance_use_fen(txn) or _total(txn),
            )


@audit_check
def resolution_wrong_matter(ctx: AuditContext) -> Iterator[Finding]:
    """A use of the maintenance fund must rest on a resolution of matter ⑤ (使用维修资金, 民法典 第278条
    第一款第五项; 165号令 第22条); a resolution on another matter does not authorise it."""
    for txn, cites in citing(ctx):
        if not ctx.in_period(txn.date) or not (fen := maintenance_use_fen(txn)):
            continue
        for resolution in cites:
            if resolution.matter != MAINTENANCE_USE:
                yield finding(
                    "resolution_wrong_matter", "error", "使用维修资金须经第⑤项事项表决",
                    "民法典 第278条; 165号令 第22条",
                    f"此笔维修资金支出引用的 {resolution.id} 表决的是{MATTERS[resolution.matter]}，而非⑤使用维修资金",
                    f"this maintenance-fund use cites {resolution.id}, a decision on matter {resolution.matter}, "
                    "not matter 5 (using the maintenance fund)",
                    (txn, resolution.entry), fen,
                )


@audit_check
def resolution_not_in_force(ctx: AuditContext) -> Iterator[Finding]:
    """Money moved before the resolution it cites was decided, or after it expired (``valid_until``):
    a decision authorises only what follows it, within its period (民法典 第278条; 165号令 第22条)."""
    for txn, cites in citing(ctx):
        if not ctx.in_period(txn.date):
            continue
        for resolution in cites:
            if txn.date < resolution.date:
                yield finding(
                    "resolution_not_in_force", "error", "款项须在决议作出之后支付", "民法典 第278条; 165号令 第22条",
                    f"付款日 {txn.date} 早于所引用决议 {resolution.id} 的表决日 {resolution.date}",
                    f"paid on {txn.date}, before the resolution it cites ({resolution.id}) was decided on "
                    f"{resolution.date}",
                    (txn, resolution.entry), maintenance_use_fen(txn) or _total(txn),
                )
            elif resolution.valid_until is not None and txn.date > resolution.valid_until:
                yield finding(
                    "resolution_not_in_force", "error", "决议已过有效期", "民法典 第278条; 165号令 第22条",
                    f"付款日 {txn.date} 晚于所引用决议 {resolution.id} 的有效期（至 {resolution.valid_until}）",
                    f"paid on {txn.date}, after the resolution it cites ({resolution.id}) expired on "
                    f"{resolution.valid_until}",
                    (txn, resolution.entry), maintenance_use_fen(txn) or _total(txn),
                )


@audit_check
def resolution_over_budget(ctx: AuditContext) -> Iterator[Finding]:
    """Spending citing a resolution exceeds its approved budget, counted cumulatively over every payment
    citing it in date order; each payment beyond the budget is reported (民法典 第278条; 165号令 第22条:
    the owners approve the plan and its cost, not an open amount)."""
    known = resolutions(ctx)
    for rid, rows in spending(ctx.compound).items():
        resolution = known.get(rid)
        if resolution is None or resolution.budget is None:
            continue
        budget = int(resolution.budget * 100)
        cumulative = 0
        for txn, fen in rows:
            before = cumulative
            cumulative += fen
            if fen <= 0 or cumulative <= budget or not ctx.in_period(txn.date):
                continue
            over = cumulative - max(budget, before)
            yield finding(
                "resolution_over_budget", "error", "支出超出决议批准的预算", "民法典 第278条; 165号令 第22条",
                f"引用 {rid}《{resolution.title}》的累计支出 {cny(cumulative)} 超出批准预算 {cny(budget)}，"
                f"此笔超出 {cny(over)}",
                f"spending citing {rid} reaches {cny(cumulative)}, over its approved budget of {cny(budget)}; "
                f"this payment exceeds it by {cny(over)}",
                (txn, resolution.entry), over,
            )


def _total(txn: data.Transaction) -> int:
    return sum(to_fen(number_of(p)) for p in txn.postings if p.account.startswith("Expenses:") and
               number_of(p) > 0)
