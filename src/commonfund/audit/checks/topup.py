"""The 30% rule (住宅专项维修资金管理办法 令第165号 第17条): a household whose sub-ledger balance falls below
30% of its first deposit must top up (续交)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Any

from beancount.core import data

from commonfund.audit.checks.base import NOT_A_USE, finding
from commonfund.audit.findings import AuditContext, Finding, audit_check
from commonfund.books.subledger import compute_subledgers, fund_postings
from commonfund.core.money import cny


def charges_by_unit(compound: Any, units: list[int], as_of: date | None) -> dict[int, list[data.Transaction]]:
    """For each unit index in *units*, the transactions that charged it a share of a maintenance-fund use
    (its ``uses`` in the sub-ledger), in date order: the entries that brought it below the line."""
    import numpy as np

    from commonfund.books.allocation import scope_mask

    wanted = np.array(sorted(set(units)), dtype=np.intp)
    out: dict[int, list[data.Transaction]] = defaultdict(list)
    masks: dict[str, Any] = {}
    events, _ = fund_postings(compound.entries, as_of)
    for event in events:
        if event.category != "uses" or event.fen >= 0 or _charges_only(event.entry):
            continue
        mask = masks.get(event.scope)
        if mask is None:
            try:
                mask = scope_mask(compound.register, event.scope)
            except ValueError:
                mask = scope_mask(compound.register, "all")  # the sub-ledgers split it over all units
            masks[event.scope] = mask
        for index in wanted[mask[wanted]].tolist():
            if not out[index] or out[index][-1] is not event.entry:
                out[index].append(event.entry)
    return out


def _charges_only(entry: data.Transaction) -> bool:
    """Whether every expense of *entry* is a bank charge: a cost of holding the fund, not a use the owners
    decided, and so not what a household below the line is shown (monthly fees would crowd out the repairs)."""
    expenses = [p.account for p in entry.postings if p.account.startswith("Expenses:")]
    return bool(expenses) and all(any(name in account for name in NOT_A_USE) for account in expenses)


MAX_CHARGES = 10
"""Charges listed with a finding: the latest ones, which brought the household below the line. In books of ten
years every household carries dozens of compound-wide repairs; listing them all on hundreds of findings says
nothing more and makes the findings page and its JSON slow."""


@audit_check
def household_below_threshold(ctx: AuditContext) -> Iterator[Finding]:
    """Households whose sub-ledger balance (分户账) is below the policy's share (30%) of their first deposit at
    the end of the audited period, with the top-up needed to reach it (《住宅专项维修资金管理办法》第17条 续交), and the
    entries that charged the household its shares of the fund's uses. Units the developer holds are the developer's
    to top up (第20/21条)."""
    compound = ctx.compound
    ledgers = compute_subledgers(compound, ctx.end)
    fraction = compound.config.policy.top_up_fraction
    needed = ledgers.top_up_needed(fraction)
    day = ctx.end or max((e.date for e in compound.entries), default=None)
    below = ledgers.below(fraction).tolist()
    charges = charges_by_unit(compound, below, ctx.end) if below else {}
    for index in below:
        unit = ledgers.units[index]
        who_zh = "（开发建设单位持有，由其续交）" if ledgers.developer[index] else ""
        who_en = " (held by the developer, who must top it up)" if ledgers.developer[index] else ""
        balance, first, need = (int(a[index]) for a in (ledgers.balance, ledgers.first_deposit, needed))
        charged = charges.get(index, [])
        shown = charged[-MAX_CHARGES:]
        more_zh = f"（共 {len(charged)} 笔分摊，列出最近 {len(shown)} 笔）" if len(charged) > len(shown) else ""
        more_en = f" ({len(charged)} charges, the latest {len(shown)} listed)" if len(charged) > len(shown) else ""
        yield finding(
            "household_below_threshold", "warning", f"分户账余额不足首期交存额的{fraction}须续交",
            "《住宅专项维修资金管理办法》第17条",
            f"{unit} 分户账余额 {cny(balance)}，低于首期交存额 {cny(first)} 的{fraction}，"
            f"至少需续交 {cny(need)}{who_zh}{more_zh}",
            f"{unit}: sub-ledger balance {cny(balance)} is below {fraction} of its first deposit {cny(first)}; "
            f"a top-up of at least {cny(need)} is needed{who_en}{more_en}",
            shown, need, day,
        )
