"""分户账核对 (住宅专项维修资金管理办法 令第165号 第10条 分户账, 第30条 核对): each household whose sub-ledger differs
from the 维修资金管理中心's per-household list on file (``commonfund reconcile``) by more than the policy's
tolerance (``[policy] authority_tolerance``, 0 by default: to the fen), or whose area differs."""

from __future__ import annotations

from collections.abc import Iterator

from commonfund.audit.checks.base import finding
from commonfund.audit.findings import AuditContext, Finding, audit_check
from commonfund.books.authority import describe, reconciliation_on_file
from commonfund.core.money import from_fen


@audit_check
def authority_subledger_difference(ctx: AuditContext) -> Iterator[Finding]:
    """Households whose sub-ledger (分户账) differs from the 维修资金管理中心's list on file at the list's date by
    more than the policy setting ``authority_tolerance`` (0: to the fen) in deposits, uses, income or balance, or whose
    area differs from the register, each with its likely cause (area, a missed apportionment, interest split
    differently, a top-up not recorded). Only when ``commonfund reconcile`` has put a list on file and its date
    lies in the audited period."""
    result = reconciliation_on_file(ctx.compound)
    if result is None or not ctx.in_period(result.as_of):
        return
    tolerance = ctx.compound.config.policy.authority_tolerance_fen
    for household in result.beyond(tolerance):
        causes = "；".join(f"{c.title}：{c.text}" for c in household.causes) or "原因不明"
        balance = household.differences.balance
        yield finding(
            "authority_subledger_difference", "warning", "分户账须与维修资金管理中心的分户清单一致",
            "《住宅专项维修资金管理办法》第10条、第30条",
            f"{household.unit}（清单第{household.row}行）截至 {result.as_of} 与维修资金管理中心清单不符，"
            f"{describe(household.differences) if household.largest else '金额一致'}。可能原因：{causes}",
            f"{household.unit} (list row {household.row}) differs from the authority's list at {result.as_of}: "
            + (", ".join(f"{f} {from_fen(d):+.2f}" for f, d in household.differences._asdict().items() if d)
               or "area only") + f"; likely cause: {', '.join(c.kind for c in household.causes) or 'unexplained'}",
            tuple(e for c in household.causes for e in c.entries), abs(balance) if balance else None, result.as_of,
        )
