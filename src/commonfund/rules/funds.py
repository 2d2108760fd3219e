"""Fund integrity (DOMAIN §2, §4): every account belongs to a fund; cross-fund transactions say so."""

from __future__ import annotations

from collections.abc import Iterator

from beancount.core import data

from commonfund.core.errors import LedgerError
from commonfund.core.funds import FUNDS, fund_of
from commonfund.rules import RuleContext, integrity_rule

UNAPPROVED = "unapproved"


@integrity_rule
def account_in_fund(ctx: RuleContext) -> Iterator[LedgerError]:
    """Every account names its fund as its second component (MaintenanceFund, CommonRevenue, Committee)."""
    for entry in ctx.entries:
        if isinstance(entry, data.Open) and fund_of(entry.account) is None:
            yield LedgerError(
                entry.meta,
                f"account {entry.account} belongs to no fund: its second component must be one of "
                f"{', '.join(FUNDS)} (e.g. Assets:MaintenanceFund:Bank-建行专户)",
                entry,
            )


@integrity_rule
def interfund_marked(ctx: RuleContext) -> Iterator[LedgerError]:
    """A transaction touching more than one fund carries ``interfund`` metadata: the resolution id that
    allows the movement, or ``"unapproved"`` to record honestly a movement nobody decided (the audit
    reports it). Unmarked mixing of funds is an integrity error (DOMAIN §2)."""
    for entry, funds in ctx.scan.mixed:
        marker = entry.meta.get("interfund")
        if marker is None:
            names = ", ".join(sorted(f or "?" for f in funds))
            yield LedgerError(
                entry.meta,
                f"transaction moves money between funds ({names}) without `interfund` metadata: add "
                f'interfund: "<resolution id>" or interfund: "{UNAPPROVED}"',
                entry,
            )
        elif not isinstance(marker, str) or not marker.strip():
            yield LedgerError(
                entry.meta, "`interfund` must be a resolution id string or \"unapproved\"", entry
            )


@integrity_rule
def register_readable(ctx: RuleContext) -> Iterator[LedgerError]:
    """The compound config and household register load and validate (errors point at the key or row)."""
    _ = ctx.register  # a broken config or register is reported once by the context
    return iter(())
