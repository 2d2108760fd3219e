"""Helpers shared by the fund-rule checks: what counts as a use of the maintenance fund, and findings.

Several checks look at the same few transactions (those citing a resolution, those on an account); the
indexes below are built in one pass per audit run and shared through :meth:`AuditContext.memo`, so a check
walks the transactions it is about instead of every transaction of the books.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from itertools import chain

from beancount.core import data

from commonfund.audit.findings import AuditContext, EntryRef, Finding, Severity
from commonfund.books.payments import number_of
from commonfund.core.money import from_fen, to_fen
from commonfund.resolutions.model import Resolution
from commonfund.resolutions.parse import cited, resolutions_of

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
    return ctx.compound.transactions


def resolutions(ctx: AuditContext) -> dict[str, Resolution]:
    return resolutions_of(ctx.compound)


def citations(txn: data.Transaction, ctx: AuditContext) -> list[Resolution]:
    """The known resolutions *txn* cites, in id order."""
    known = resolutions(ctx)
    return [known[rid] for rid in sorted(cited(txn)) if rid in known]


def citing(ctx: AuditContext) -> list[tuple[data.Transaction, list[Resolution]]]:
    """Every transaction citing a known resolution, with :func:`citations` (ledger order); one pass per audit."""
    return _citations(ctx)[0]


def cites_any(ctx: AuditContext) -> frozenset[int]:
    """``id()`` of every transaction that :func:`~commonfund.resolutions.parse.cited` is not empty for."""
    return _citations(ctx)[1]


def _citations(ctx: AuditContext) -> tuple[list[tuple[data.Transaction, list[Resolution]]], frozenset[int]]:
    def build() -> tuple[list[tuple[data.Transaction, list[Resolution]]], frozenset[int]]:
        known = resolutions(ctx)
        found: list[tuple[data.Transaction, list[Resolution]]] = []
        any_ids = []
        for txn in transactions(ctx):
            ids = cited(txn)
            if not ids:
                continue
            any_ids.append(id(txn))
            if cites := [known[rid] for rid in sorted(ids) if rid in known]:
                found.append((txn, cites))
        return found, frozenset(any_ids)
    return ctx.memo("citations", build)


def touching(ctx: AuditContext, prefixes: tuple[str, ...] = (), contains: str | None = None) -> list[data.Transaction]:
    """The transactions (ledger order) with a posting on an account starting with one of *prefixes* or
    containing *contains*, from an account → transactions index built once per audit."""
    def index() -> tuple[list[data.Transaction], dict[str, list[int]]]:
        txns = transactions(ctx)
        by_account: dict[str, list[int]] = {}
        for position, txn in enumerate(txns):
            for posting in txn.postings:
                rows = by_account.setdefault(posting.account, [])
                if not rows or rows[-1] != position:
                    rows.append(position)
        return txns, by_account

    def build() -> list[data.Transaction]:
        txns, by_account = ctx.memo("txns_by_account", index)
        lists = [rows for account, rows in by_account.items()
                 if account.startswith(prefixes) or (contains is not None and contains in account)]
        return [txns[i] for i in sorted(set(chain.from_iterable(lists)))]

    return ctx.memo(f"touching:{prefixes}:{contains}", build)


def finding(
    check: str, severity: Severity, rule: str, article: str, zh: str, en: str,
    entries: Iterable[data.Directive] = (), amount: Decimal | int | None = None, day: date | None = None,
) -> Finding:
    """Build a :class:`Finding`; *amount* in fen if int."""
    refs = tuple(EntryRef.of(e) for e in entries)
    value = from_fen(amount) if isinstance(amount, int) else amount
    return Finding(check, severity, rule, article, zh, en, refs, value, day or (refs[0].date if refs else None))
