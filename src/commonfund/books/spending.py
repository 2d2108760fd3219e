"""Spending under each resolution (按决议支出): the one definition every view uses.

The audit's budget checks, the Fava resolution page, ``commonfund votes`` and the auditor's workbook all read
what was spent under a resolution from :func:`spending`, so they cannot disagree.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from beancount.core import data

from commonfund.books.payments import number_of
from commonfund.compound.model import Compound
from commonfund.core.funds import fund_of
from commonfund.core.money import from_fen, to_fen
from commonfund.resolutions.parse import cited


def spending(compound: Compound) -> dict[str, list[tuple[data.Transaction, int]]]:
    """Per resolution id, the transactions citing it in date order with the fen they spend under it.

    Spending is the positive ``Expenses`` postings of a citing transaction, except in a fund that an
    inter-fund transfer citing the same resolution funded (the Committee's allowances paid out of the
    working fund the resolution granted are not counted twice).
    """

    def compute() -> dict[str, list[tuple[data.Transaction, int]]]:
        citing: dict[str, list[data.Transaction]] = defaultdict(list)
        funded: dict[str, set[str]] = defaultdict(set)
        for entry in compound.entries:
            if isinstance(entry, data.Transaction):
                ids = cited(entry)
                for rid in ids:
                    citing[rid].append(entry)
                interfund = entry.meta.get("interfund")
                if isinstance(interfund, str) and interfund in ids:
                    for posting in entry.postings:
                        if posting.account.startswith("Income:") and number_of(posting) < 0:
                            funded[interfund].add(fund_of(posting.account) or "")
        out: dict[str, list[tuple[data.Transaction, int]]] = {}
        for rid, txns in citing.items():
            rows = []
            for txn in sorted(txns, key=lambda t: t.date):
                fen = sum(
                    to_fen(number_of(p)) for p in txn.postings
                    if p.account.startswith("Expenses:") and number_of(p) > 0
                    and fund_of(p.account) not in funded[rid]
                )
                rows.append((txn, fen))
            out[rid] = rows
        return out

    return compound.memo("spending", compute)


def spent_by_resolution(compound: Compound) -> dict[str, Decimal]:
    """Total spent under each cited resolution id (Decimal yuan)."""
    return {rid: from_fen(sum(fen for _, fen in rows)) for rid, rows in spending(compound).items()}


def payments_citing(compound: Compound, rid: str) -> list[data.Transaction]:
    """The transactions that cite resolution *rid* (``resolution`` or ``interfund``), in date order."""
    return [txn for txn, _ in spending(compound).get(rid, [])]
