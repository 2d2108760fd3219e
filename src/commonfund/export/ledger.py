"""Ledger views for the auditor: account names and codes, the trial balance, the journal's postings.

Everything is computed in one pass over the loaded entries, in integer fen, and ties to Beancount's
own sums (a test compares them with ``bean-query``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from beancount.core import data
from beancount.core.compare import hash_entry

from commonfund.books.payments import number_of
from commonfund.compound.model import Compound
from commonfund.core.accounts import chart_by_account
from commonfund.core.funds import FUNDS, fund_of
from commonfund.core.money import to_fen


class AccountInfo(NamedTuple):
    """An account as the auditor sees it.

    Attributes:
      account: The Beancount name.
      code: The 民非 code (``code`` on its open directive, else the standard chart's; ``""`` if none).
      name: The Chinese name (``name_zh``, else the chart's, else the account's Chinese parts).
      fund: The fund key.
      opened: The open date.
    """

    account: str
    code: str
    name: str
    fund: str
    opened: dt.date | None


def accounts_of(compound: Compound) -> dict[str, AccountInfo]:
    """Every opened account with its code and Chinese name, sorted by code then account."""
    chart = chart_by_account()
    out: dict[str, AccountInfo] = {}
    for entry in compound.entries:
        if isinstance(entry, data.Open):
            meta, known = entry.meta or {}, chart.get(entry.account)
            code = str(meta.get("code") or (known.code if known else ""))
            name = str(meta.get("name_zh") or (known.name if known else chinese_name(entry.account)))
            out[entry.account] = AccountInfo(entry.account, code, name, fund_of(entry.account) or "", entry.date)
    return dict(sorted(out.items(), key=lambda item: (item[1].code or "9999", item[0])))


def chinese_name(account: str) -> str:
    """``Expenses:Committee:Office-办公费`` → ``业委会工作经费-办公费`` (the Chinese parts of the name)."""
    parts = [FUNDS[p].name_zh if p in FUNDS else p.split("-", 1)[1] for p in account.split(":")[1:]
             if p in FUNDS or "-" in p]
    return "-".join(parts) or account


@dataclass
class TrialRow:
    """One account of the trial balance, in fen (debits positive, as Beancount signs them).

    Attributes:
      account: The account; ``opening`` its balance before the period; ``debit`` and ``credit`` the
        period's positive and (absolute) negative postings; ``closing = opening + debit − credit``.
    """

    account: str
    opening: int = 0
    debit: int = 0
    credit: int = 0

    @property
    def closing(self) -> int:
        return self.opening + self.debit - self.credit


def trial_balance(compound: Compound, start: dt.date, end: dt.date) -> dict[str, TrialRow]:
    """Opening, debit, credit and closing per account for ``[start, end]`` (every opened account)."""
    rows = {account: TrialRow(account) for account in accounts_of(compound)}
    for txn in compound.transactions:
        if txn.date > end:
            continue
        for posting in txn.postings:
            row = rows.setdefault(posting.account, TrialRow(posting.account))
            fen = to_fen(number_of(posting))
            if txn.date < start:
                row.opening += fen
            elif fen >= 0:
                row.debit += fen
            else:
                row.credit -= fen
    return rows


class JournalLine(NamedTuple):
    """One posting of the journal (序时账).

    Attributes:
      entry_id: The entry's hash (the same id Fava uses to link to it), first 12 hex digits.
      date, location, payee, narration: Of the transaction; ``location`` is ``file:line`` relative to
        the compound folder.
      account: The posting's account; ``fen`` its amount (debit positive).
      entry: The transaction.
    """

    entry_id: str
    date: dt.date
    location: str
    payee: str
    narration: str
    account: str
    fen: int
    entry: data.Transaction


def journal(compound: Compound, start: dt.date, end: dt.date) -> Iterator[JournalLine]:
    """Every posting of the period, entry by entry in date order (a generator: rows are not kept)."""
    places: dict[str, str] = {}
    for txn in compound.transactions:
        if not start <= txn.date <= end:
            continue
        meta = txn.meta or {}
        filename = str(meta.get("filename", ""))
        if filename not in places:
            places[filename] = relative(filename, compound.root)
        location = f"{places[filename]}:{meta.get('lineno', 0)}"
        entry_id = hash_entry(txn)[:12]
        for posting in txn.postings:
            yield JournalLine(entry_id, txn.date, location, txn.payee or "", txn.narration or "",
                              posting.account, to_fen(number_of(posting)), txn)


def relative(filename: str, root: Path) -> str:
    """*filename* relative to the compound folder (POSIX), or as given if outside it."""
    try:
        return Path(filename).resolve().relative_to(root).as_posix()
    except (ValueError, OSError):
        return filename
