"""Disclosure deadlines (公示期限, DOMAIN §5.16): every period the policy requires, posted in time.

Each posting is recorded as ``custom "disclosure" "<kind>" "<period>"`` (``common-revenue`` by
``policy.common_revenue_disclosure`` within ``policy.disclosure_days`` of the period's end;
``maintenance-fund`` by ``policy.maintenance_fund_disclosure`` within
``policy.maintenance_fund_disclosure_days``). A period whose deadline is after the last transaction is
not yet due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from commonfund.audit.findings import AuditContext, EntryRef, Finding, audit_check
from commonfund.books.contracts import period_label, periods_between
from commonfund.books.payments import last_transaction_day
from commonfund.compound.policy import effective_policy
from commonfund.disclosure.status import posted_disclosures, schedule
from commonfund.resolutions.parse import resolutions_of

KINDS = {
    "common-revenue": ("CommonRevenue", "共有收益", "民法典 第282条; 国务院物业管理条例 第54条"),
    "maintenance-fund": ("MaintenanceFund", "维修资金", "《住宅专项维修资金管理办法》第30条; 民法典 第281条"),
}


def required_periods(frequency: str, first: dt.date, until: dt.date) -> list[tuple[str, dt.date]]:
    """``(label, last day)`` of every period at *frequency* from the one holding *first* through *until*."""
    return [(label, last) for label, _, last in periods_between(first, None, frequency, until)]


@audit_check
def disclosure_deadlines(ctx: AuditContext) -> Iterator[Finding]:
    """公示期限：共有收益按 ``policy.common_revenue_disclosure``（上海：每季）、维修资金按
    ``policy.maintenance_fund_disclosure``（《住宅专项维修资金管理办法》第30条：每年至少一次）公示，期末后规定天数内须在
    账簿中登记公示记录；未公示为严重，逾期为警告。Every period the policy requires must have its
    disclosure posted within the configured days after it ends: a missing one is an error, a late one a
    warning. 《住宅专项维修资金管理办法》第30条; 民法典 第281条, 第282条."""
    compound = ctx.compound
    as_of = ctx.end or last_transaction_day(compound)
    if as_of is None:
        return
    policy = compound.config.policy
    posted = posted_disclosures(compound.customs("disclosure"), as_of)
    for kind, (fund, name_zh, article) in KINDS.items():
        frequency, allowed = schedule(policy, kind)
        marker = f":{fund}:"  # the first transaction touching the fund (transactions are in date order)
        first = next((t.date for t in compound.transactions if any(marker in p.account for p in t.postings)), None)
        if first is None:
            continue
        for label, last in required_periods(frequency, first, as_of):
            deadline = last + allowed
            if deadline > as_of or not ctx.in_period(deadline):
                continue
            entries = posted.get((kind, label), [])
            if not entries:
                yield Finding(
                    "disclosure_deadlines", "error", f"{name_zh}未按期公示", article,
                    f"{name_zh} {label} 应于 {deadline} 前公示，账中没有公示记录",
                    f"no {kind} disclosure for {label}; it was due by {deadline}", (), None, deadline)
            elif entries[0].date > deadline:
                late = (entries[0].date - deadline).days
                yield Finding(
                    "disclosure_deadlines", "warning", f"{name_zh}逾期公示", article,
                    f"{name_zh} {label} 于 {entries[0].date} 公示，晚于期限 {deadline}（{late} 天）",
                    f"{kind} disclosure for {label} posted on {entries[0].date}, {late} days after {deadline}",
                    (EntryRef.of(entries[0]),), None, entries[0].date)


__all__ = ["disclosure_deadlines", "period_label", "required_periods"]


ELECTION = 3
"""民法典 第278条 ③: electing the committee or changing its members."""


@audit_check
def committee_change_audit(ctx: AuditContext) -> Iterator[Finding]:
    """换届财务审计：地方规定要求（``policy.audit_on_committee_change``，如上海市住宅物业管理规定 第67条）
    业主委员会换届时委托审计维修资金、公共收益收支和工作经费，并公告审计结果。Where the policy requires
    it, every passed resolution of matter ③ (electing or changing the committee) needs its audit result
    posted: 账簿中须记录该审计结果的公示（公示记录，注明所依据的换届决议）。"""
    policy = ctx.compound.config.policy
    if not policy.audit_on_committee_change:
        return
    setting = next(s for s in effective_policy(policy) if s.key == "audit_on_committee_change")
    article = setting.citation if setting.citation and not setting.overridden \
        else "本小区规定（compound.toml [policy]）"
    as_of = ctx.end or last_transaction_day(ctx.compound)
    posted = posted_disclosures(ctx.compound.customs("disclosure"), as_of)
    for resolution in resolutions_of(ctx.compound).values():
        if resolution.matter != ELECTION or not resolution.passes() or not ctx.in_period(resolution.date):
            continue
        if posted.get(("audit", resolution.id)):
            continue
        yield Finding(
            "committee_change_audit", "warning", "业主委员会换届须进行财务审计并公告结果", article,
            f"{resolution.id}《{resolution.title}》选举或更换了业主委员会成员，账中没有换届财务审计结果的公告记录"
            f"（custom \"disclosure\" \"audit\" \"{resolution.id}\"；审计结果应公告{policy.audit_notice_days}日）",
            f"{resolution.id} changed the committee; no posting of its change-of-committee audit is recorded",
            (EntryRef.of(resolution.entry),), None, resolution.date)
