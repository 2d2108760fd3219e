"""Movements of the owners' common money that need a resolution: inter-fund transfers, distributions
(dividends 分红, property-fee subsidies 物业费补贴), the committee's working fund and allowances (津贴)
— 民法典 第278条 ⑨, 第282条, 第283条; DOMAIN §3.3/§3.4."""

from __future__ import annotations

from collections.abc import Iterator

from beancount.core import data

from commonfund.audit.checks.base import citations, cites_any, finding, touching, transactions
from commonfund.audit.findings import AuditContext, Finding, audit_check
from commonfund.books.payments import number_of
from commonfund.core.money import cny, to_fen

KINDS = {  # account prefix → (中文, English)
    "Expenses:CommonRevenue:Dividend-": ("业主分红", "a dividend"),
    "Expenses:CommonRevenue:Subsidy-": ("物业费补贴", "a property-fee subsidy"),
    "Expenses:CommonRevenue:WorkingFund-": ("拨付业委会工作经费", "a working-fund transfer"),
    "Expenses:CommonRevenue:Sweep-": ("共有收益转入维修资金", "a transfer into the maintenance fund"),
    "Expenses:Committee:Allowance-": ("委员津贴", "a committee allowance"),
}
DISTRIBUTION_ACCOUNTS = ("Expenses:CommonRevenue:Dividend-", "Expenses:CommonRevenue:Subsidy-")


def kind_of(txn: data.Transaction) -> tuple[str, str, int] | None:
    """What needs a resolution in *txn*: ``(中文, English, fen)``, or None."""
    for posting in txn.postings:
        for prefix, (zh, en) in KINDS.items():
            if posting.account.startswith(prefix) and number_of(posting) > 0:
                return zh, en, to_fen(number_of(posting))
    if "distribution" in txn.meta or txn.meta.get("interfund") is not None:
        fen = sum(to_fen(number_of(p)) for p in txn.postings if p.account.startswith("Expenses:")
                  and number_of(p) > 0)
        if "distribution" in txn.meta:
            return "共有收益分配", "a distribution", fen
        return "跨基金划转", "an inter-fund transfer", fen
    return None


@audit_check
def transfer_without_resolution(ctx: AuditContext) -> Iterator[Finding]:
    """An inter-fund transfer (``interfund: "unapproved"`` or no resolution), a distribution of common
    revenue, a working-fund transfer or a committee allowance cites no resolution: the owners decide how
    common revenue is used (民法典 第278条 ⑨, 第282条, 第283条) and the allowances paid (民法典 第278条 ⑨)."""
    citing_any = cites_any(ctx)
    on_kind_accounts = {id(txn) for txn in touching(ctx, tuple(KINDS))}
    for txn in transactions(ctx):
        if not ctx.in_period(txn.date) or id(txn) in citing_any:
            continue
        if id(txn) not in on_kind_accounts and "distribution" not in txn.meta and txn.meta.get("interfund") is None:
            continue  # kind_of(txn) is None: no posting on a KINDS account, no distribution or interfund key
        kind = kind_of(txn)
        if kind is None:
            continue
        zh, en, fen = kind
        yield finding(
            "transfer_without_resolution", "error", "共有资金的划转与分配须经业主大会决定",
            "民法典 第278条、第282条、第283条",
            f"{zh} {cny(fen)} 未引用业主大会决议",
            f"{en} of {cny(fen)} cites no resolution of the owners' assembly",
            (txn,), fen,
        )


@audit_check
def distribution_key(ctx: AuditContext) -> Iterator[Finding]:
    """A dividend or property-fee subsidy is shared by the key its resolution agreed (the resolution's
    ``apportion``), by exclusive-area share over all units when none was agreed (民法典 第283条); the
    posting's ``apportion`` scope must be that key, so the derived payout list follows it."""
    for txn in transactions(ctx):
        if not ctx.in_period(txn.date):
            continue
        postings = [p for p in txn.postings if p.account.startswith(DISTRIBUTION_ACCOUNTS) and number_of(p)]
        if not postings and "distribution" not in txn.meta:
            continue
        agreed = [r for r in citations(txn, ctx)]
        key = agreed[0].apportion if agreed else "all"
        for posting in postings or [p for p in txn.postings if p.account.startswith("Expenses:")]:
            scope = str((posting.meta or {}).get("apportion") or "all")
            if scope.replace(" ", "") != key.replace(" ", ""):
                fen = to_fen(number_of(posting))
                source = f"决议 {agreed[0].id} 约定" if agreed else "未另行约定，依法"
                yield finding(
                    "distribution_key", "error", "分配须按约定或专有面积比例", "民法典 第283条",
                    f"分配 {cny(fen)} 按 “{scope}” 分摊，而{source}应按 “{key}”",
                    f"distribution of {cny(fen)} is apportioned by {scope!r}, but "
                    + (f"resolution {agreed[0].id} agreed {key!r}" if agreed else f"the law's default is {key!r}"),
                    (txn, *(r.entry for r in agreed[:1])), fen,
                )
