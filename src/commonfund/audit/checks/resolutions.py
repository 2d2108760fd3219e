"""Checks on spending that cites a resolution: passed, right matter, in force, within budget.

民法典 第278条 (matters ①–⑨ and their thresholds), 第1259条 (以上 includes, 过半数 excludes);
住宅专项维修资金管理办法 (令第165号) 第22条 (a use plan approved by the owners).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from beancount.core import data

from commonfund.audit.checks.base import citing, finding, maintenance_use_fen, resolutions
from commonfund.audit.findings import AuditContext, Finding, audit_check
from commonfund.books.payments import number_of
from commonfund.books.spending import spending
from commonfund.core.money import cny, to_fen
from commonfund.resolutions.model import MAINTENANCE_USE, MATTERS, Resolution, Verdict, area_text, conditions_of
from commonfund.resolutions.parse import read_ballots
from commonfund.resolutions.report import REASONS_ZH, VOTES_ZH

MF_ARTICLE = "民法典 第278条; 《住宅专项维修资金管理办法》第22条"
"""A use of the maintenance fund needs the owners' decision (the matter and the use plan)."""


def describe(resolution: Resolution) -> tuple[str, str]:
    """The tally in words (Chinese, English): each condition with its exact fraction and its threshold
    (:func:`commonfund.resolutions.conditions_of`, the table ``votes`` and the Fava page show)."""
    tally, verdict = resolution.tally, resolution.verdict
    if tally is None or verdict is None:
        return "无法计票", "could not be tallied"
    conditions = conditions_of(tally, verdict)
    zh = "；".join(f"{c.label} {c.shown}（要求 {c.rule_zh}）" for c in conditions)
    en = "; ".join(f"{c.key} {c.part}/{c.whole} = {c.value.numerator}/{c.value.denominator} "
                   f"(needs {c.rule})" for c in conditions)
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
                f"{resolution.id}《{resolution.title}》未获通过（{why_zh}）：{tally_zh}。不能作为此笔款项的依据",
                f"{resolution.id} did not pass ({why_en}; {tally_en}) and cannot authorise this payment",
                (txn, resolution.entry), maintenance_use_fen(txn) or _total(txn),
            )


@audit_check
def resolution_wrong_matter(ctx: AuditContext) -> Iterator[Finding]:
    """A use of the maintenance fund must rest on a resolution of matter ⑤ (使用维修资金, 民法典 第278条
    第一款第五项; 《住宅专项维修资金管理办法》第22条); a resolution on another matter does not authorise it."""
    for txn, cites in citing(ctx):
        if not ctx.in_period(txn.date) or not (fen := maintenance_use_fen(txn)):
            continue
        for resolution in cites:
            if resolution.matter != MAINTENANCE_USE:
                yield finding(
                    "resolution_wrong_matter", "error", "使用维修资金须经第⑤项事项表决",
                    MF_ARTICLE,
                    f"此笔维修资金支出引用的 {resolution.id} 表决的是{MATTERS[resolution.matter]}，而非⑤使用维修资金",
                    f"this maintenance-fund use cites {resolution.id}, a decision on matter {resolution.matter}, "
                    "not matter 5 (using the maintenance fund)",
                    (txn, resolution.entry), fen,
                )


@audit_check
def resolution_not_in_force(ctx: AuditContext) -> Iterator[Finding]:
    """Money moved before the resolution it cites was decided, or after it expired (``valid_until``):
    a decision authorises only what follows it, within its period (民法典 第278条;
    《住宅专项维修资金管理办法》第22条)."""
    for txn, cites in citing(ctx):
        if not ctx.in_period(txn.date):
            continue
        for resolution in cites:
            if txn.date < resolution.date:
                yield finding(
                    "resolution_not_in_force", "error", "款项须在决议作出之后支付",
                    MF_ARTICLE,
                    f"付款日 {txn.date} 早于所引用决议 {resolution.id} 的表决日 {resolution.date}",
                    f"paid on {txn.date}, before the resolution it cites ({resolution.id}) was decided on "
                    f"{resolution.date}",
                    (txn, resolution.entry), maintenance_use_fen(txn) or _total(txn),
                )
            elif resolution.valid_until is not None and txn.date > resolution.valid_until:
                yield finding(
                    "resolution_not_in_force", "error", "决议已过有效期",
                    MF_ARTICLE,
                    f"付款日 {txn.date} 晚于所引用决议 {resolution.id} 的有效期（至 {resolution.valid_until}）",
                    f"paid on {txn.date}, after the resolution it cites ({resolution.id}) expired on "
                    f"{resolution.valid_until}",
                    (txn, resolution.entry), maintenance_use_fen(txn) or _total(txn),
                )


@audit_check
def resolution_over_budget(ctx: AuditContext) -> Iterator[Finding]:
    """Spending citing a resolution exceeds its approved budget, counted cumulatively over every payment
    citing it in date order; each payment beyond the budget is reported (民法典 第278条;
    《住宅专项维修资金管理办法》第22条: the owners approve the plan and its cost, not an open amount)."""
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
                "resolution_over_budget", "error", "支出超出决议批准的预算", MF_ARTICLE,
                f"引用 {rid}《{resolution.title}》的累计支出 {cny(cumulative)} 超出批准预算 {cny(budget)}，"
                f"此笔超出 {cny(over)}",
                f"spending citing {rid} reaches {cny(cumulative)}, over its approved budget of {cny(budget)}; "
                f"this payment exceeds it by {cny(over)}",
                (txn, resolution.entry), over,
            )


def _total(txn: data.Transaction) -> int:
    return sum(to_fen(number_of(p)) for p in txn.postings if p.account.startswith("Expenses:") and
               number_of(p) > 0)


@audit_check
def ballot_partial_owner(ctx: AuditContext) -> Iterator[Finding]:
    """A person of several units returned ballots for only some of them. 司法解释 第9条 counts them once; by
    the policy ``partial_ballot_area`` their vote carries all their exclusive area (``owner``, the default:
    民法典 第278条 counts the area of the owners who take part) or only the balloted units' (``ballot``). The
    finding says which was applied and whether the other reading would change the verdict (then a warning:
    the committee should confirm the owner's intent, or its rules of procedure)."""
    rule = ctx.compound.config.policy.partial_ballot_area
    other = "ballot" if rule == "owner" else "owner"
    for resolution in resolutions(ctx).values():
        tally, verdict = resolution.tally, resolution.verdict
        if tally is None or verdict is None or not tally.partial or not ctx.in_period(resolution.date):
            continue
        assert resolution.ballots is not None
        alternative = read_ballots(Path(ctx.compound.root) / resolution.ballots, ctx.compound.register,
                                   resolution.date, other)
        flips = Verdict.of(alternative, resolution.matter).passed != verdict.passed
        applied = "计入其全部专有部分面积" if rule == "owner" else "只计入已交票房屋的面积"
        other_zh = "只计已交票房屋面积" if rule == "owner" else "计入全部专有部分面积"
        for partial in tally.partial:
            who = "开发建设单位（未售及已售未交付房屋合计一人）" if partial.developer else "同一业主"
            outcome = (f"若{other_zh}，结论将由{'通过变为未通过' if verdict.passed else '未通过变为通过'}，请核实"
                       if flips else f"若{other_zh}，结论不变")
            yield finding(
                "ballot_partial_owner", "warning" if flips else "info", "多套房业主只交回部分房屋的表决票",
                "司法解释 建筑物区分所有权 第9条; 民法典 第278条",
                f"{resolution.id}：{who}交回 {'、'.join(partial.balloted)} 的表决票，{'、'.join(partial.missing)}"
                f"（{area_text(partial.missing_area)}）未交票；按一人计，{applied}。{outcome}",
                f"{resolution.id}: one person returned ballots for {', '.join(partial.balloted)} but not for "
                f"{', '.join(partial.missing)}; counted once, with {rule} area; the other reading "
                f"{'changes' if flips else 'keeps'} the verdict",
                (resolution.entry,), None, resolution.date,
            )


@audit_check
def ballot_not_counted(ctx: AuditContext) -> Iterator[Finding]:
    """A ballot read but not counted: a unit sold but not yet delivered votes with the developer's units as
    one person, and the developer casts that vote (司法解释 第9条; 第1条: the buyer is an owner from lawful
    possession on delivery), so a buyer's ballot that differs from the developer's is left out."""
    for resolution in resolutions(ctx).values():
        tally = resolution.tally
        if tally is None or not tally.not_counted or not ctx.in_period(resolution.date):
            continue
        for ballot in tally.not_counted:
            yield finding(
                "ballot_not_counted", "info", "表决票未计入", "司法解释 建筑物区分所有权 第1条、第9条",
                f"{resolution.id}：{resolution.ballots} 第 {ballot.row} 行 {ballot.unit} 的表决票"
                f"（{VOTES_ZH[ballot.vote]}）未计入：{REASONS_ZH.get(ballot.reason, ballot.reason)}",
                f"{resolution.id}: the ballot of {ballot.unit} (row {ballot.row}) is not counted ({ballot.reason})",
                (resolution.entry,), None, resolution.date,
            )
