"""Maintenance-fund use (住宅专项维修资金管理办法 令第165号 第22–24条; 民法典 第278条 ⑤, 第281条)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from beancount.core import data

from commonfund.audit.checks.base import (
    MF_EXPENSES,
    cites_any,
    finding,
    maintenance_use_fen,
    touching,
    transactions,
)
from commonfund.audit.findings import AuditContext, Finding, audit_check
from commonfund.core.money import cny


@audit_check
def maintenance_use_without_resolution(ctx: AuditContext) -> Iterator[Finding]:
    """The maintenance fund was used (a repair or other fund expense, not a bank charge) without citing a
    resolution (``resolution:``) and without the emergency procedure (``emergency:``): its use needs the
    owners' decision on matter ⑤ (民法典 第278条; 《住宅专项维修资金管理办法》第22条) or the emergency path
    (第23/24条)."""
    citing_any = cites_any(ctx)
    for txn in touching(ctx, (MF_EXPENSES,)):  # a use has a fund expense posting
        if not ctx.in_period(txn.date) or "emergency" in txn.meta or id(txn) in citing_any:
            continue
        fen = maintenance_use_fen(txn)
        if fen:
            yield finding(
                "maintenance_use_without_resolution", "error", "使用维修资金须经业主大会表决",
                "民法典 第278条; 《住宅专项维修资金管理办法》第22条",
                f"维修资金支出 {cny(fen)} 既未引用业主大会决议，也未按应急程序标注（emergency）",
                f"maintenance-fund use of {cny(fen)} cites no resolution and is not marked as an emergency",
                (txn,), fen,
            )


@audit_check
def emergency_not_disclosed(ctx: AuditContext) -> Iterator[Finding]:
    """An emergency use of the maintenance fund (``emergency:``) must be disclosed to the owners afterwards
    (《住宅专项维修资金管理办法》第24条): an emergency disclosure record (应急使用事后公示) naming one of the payment's
    links, dated on or after it and within the policy's ``disclosure_days``. Reported once that period has passed
    in the books."""
    disclosures: dict[str, list[data.Custom]] = {}
    for entry in ctx.compound.customs("disclosure"):
        values = [str(v.value) for v in entry.values]
        if len(values) >= 2 and values[0] == "emergency":
            disclosures.setdefault(values[1].lstrip("^"), []).append(entry)
    days = ctx.compound.config.policy.disclosure_days
    last = max((e.date for e in ctx.compound.entries), default=None)
    for txn in transactions(ctx):
        if "emergency" not in txn.meta or not ctx.in_period(txn.date):
            continue
        deadline = txn.date + timedelta(days=days)
        found = [d for link in sorted(txn.links) for d in disclosures.get(link, []) if d.date >= txn.date]
        if any(d.date <= deadline for d in found):
            continue
        if not found and (last is None or last < deadline):
            continue  # not yet due
        fen = maintenance_use_fen(txn)
        late = min((d.date for d in found), default=None)
        where_zh = f"迟至 {late} 才公示" if late else "至今未公示"
        where_en = f"was disclosed only on {late}" if late else "has not been disclosed"
        hint_zh = "" if txn.links else "（付款未带 ^链接，无法对应公示）"
        hint_en = "" if txn.links else " (the payment has no ^link a disclosure could name)"
        yield finding(
            "emergency_not_disclosed", "error", "应急使用维修资金须事后公示",
            "《住宅专项维修资金管理办法》第24条; 民法典 第281条",
            f"应急维修支出 {cny(fen)} {where_zh}，超过 {days} 天的公示期限{hint_zh}",
            f"emergency use of {cny(fen)} {where_en}, beyond the {days}-day disclosure period{hint_en}",
            (txn, *found[:1]), fen,
        )
