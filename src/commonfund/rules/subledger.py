"""Sub-ledger integrity (住宅专项维修资金管理办法 第10条, 第30条): the household sub-ledgers (分户账) sum to
the maintenance fund's ledger balance to the fen at every date."""

from __future__ import annotations

from collections.abc import Iterator

from commonfund.core.errors import LedgerError
from commonfund.core.money import format_cny
from commonfund.rules import RuleContext, integrity_rule


@integrity_rule
def subledgers_reconcile(ctx: RuleContext) -> Iterator[LedgerError]:
    """The household sub-ledgers sum to the maintenance fund's net balance (assets − liabilities) at every
    date (165号令 第10条/第30条). A transaction that changes the fund's bank or other balance-sheet accounts
    without a matching MaintenanceFund income, expense or equity posting breaks this: nobody's sub-ledger
    would carry the money.

    Why checking each transaction suffices (and keeps the plugin fast): the sub-ledgers at a date are the
    sum of the splits of every fund income/expense/equity posting up to it; each split sums exactly to its
    posting (largest remainder, :func:`commonfund.books.allocation.largest_remainder`); so the sub-ledgers equal
    the fund's balance at every date exactly when every transaction's balance-sheet change equals its
    income/expense change. (A scope naming no unit is reported by ``apportion_scope_valid``.)

    The sums come from the shared posting scan (:mod:`commonfund.rules.scan`), in integer fen, without the
    sub-ledgers' arrays.
    """
    for entry, sheet, split in ctx.scan.unbalanced:
        yield LedgerError(
            entry.meta,
            f"the maintenance fund's balance changes by {format_cny(sheet, fen=True)} but its income/"
            f"expense postings by {format_cny(split, fen=True)}: the household sub-ledgers (分户账, "
            "《住宅专项维修资金管理办法》第10条) would not reconcile; post the difference to an "
            "Income/Expenses:MaintenanceFund account",
            entry,
        )
