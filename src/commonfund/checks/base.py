"""Helpers shared by the fund-rule checks: what counts as a use of the maintenance fund, and findings."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from beancount.core import data

from commonfund.findings import AuditContext, EntryRef, Finding, Severity
from commonfund.money import from_fen, to_fen
from commonfund.payments import number_of
from commonfund.resolution_parse import cited, resolutions_of
from commonfund.resolutions import Resolution

MF_EXPENSES = "Expenses:MaintenanceFund:"
NOT_A_USE = ("BankFee-",)  # bank charges are not a use the owners decide (165号令 第22条)


def maintenance_use_fen(txn: data.Transaction) -> int:
    """Fen of the maintenance fund used by *txn* (its positive fund expenses other than bank charges)."""
    return sum(
        to_fen(number_of(p)) for p in txn.postings
        if p.account.startswith(MF_EXPENSES) and number_of(p) > 0
        and not p.account[len(MF_EXPENSES):].startswith(NOT_A_USE)
    )


def transactions(ctx: AuditContext) -> list[data.Transaction]:
    return ctx.compound.transactions  # type: ignore[no-any-return]


def resolutions(ctx: AuditContext) -> dict[str, Resolution]:
    return resolutions_of(ctx.compound)


def citations(txn: data.Transaction, ctx: AuditContext) -> list[Resolution]:
    """The known resolutions *txn* cites, in id order."""
    known = resolutions(ctx)
    return [known[rid] for rid in sorted(cited(txn)) if rid in known]


def finding(
    check: str, severity: Severity, rule: str, article: str, zh: str, en: str,
    entries: Iterable[data.Directive] = (), amount: Decimal | int | None = None, day: date | None = None,
) -> Finding:
    """Build a :class:`Finding`; *amount* in fen if int."""
    refs = tuple(EntryRef.of(e) for e in entries)
    value = from_fen(amount) if isinstance(amount, int) else amount
    return Finding(check, severity, rule, article, zh, en, refs, value, day or (refs[0].date if refs else None))


def yuan(fen: int) -> str:
    return f"¥{from_fen(fen):,.2f}"
