"""Statement lines → Beancount entries: one transaction per line, balance assertions, stable import ids.

* ``import_id`` is the bank's serial number where the statement has one, else ``h`` + a hash of the
  account, date, time, amount and balance; a repeated id within one file (true same-day twins, or a
  fee line sharing its payment's serial) gets ``-1``, ``-2``… in file order, so both twins are kept
  and a second import of the same file finds both.
* A reversal (冲正/冲账) is paired with the latest earlier line of the opposite amount, a refund (退款)
  with the latest earlier payment to the same counterparty: the pair share the original's category
  and a ``^rev-…`` link, so they cancel out in the same account.
* Beancount checks a ``balance`` at the *start* of its date, so the balance after the last line of a
  day is asserted on the next day.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from typing import NamedTuple

from beancount.core import data
from beancount.core.amount import Amount

from commonfund.compound.config import BankAccount, CompoundConfig
from commonfund.core.errors import InputError
from commonfund.core.money import CURRENCY
from commonfund.importers.categorise import Categoriser, Category
from commonfund.importers.normalise import Statement, StatementLine

IMPORT_ID = "import_id"


class Extracted(NamedTuple):
    """Entries made from one statement.

    Attributes:
      bank: The bank account the statement is for.
      transactions: One per line, in statement order.
      balances: Balance assertions from the running balance.
      uncategorised: How many transactions went to an Uncategorized account.
      paired: How many reversals/refunds were paired with their original.
    """

    bank: BankAccount
    transactions: list[data.Transaction]
    balances: list[data.Balance]
    uncategorised: int
    paired: int


def choose_bank_account(statement: Statement, config: CompoundConfig, forced: str | None = None) -> BankAccount:
    """The configured bank account a statement belongs to: ``--account``, the digits, or the profile."""
    banks = list(config.bank_accounts)
    where = statement.path
    if forced:
        wanted = forced.strip()
        for bank in banks:
            if wanted in (bank.account, bank.name) or (bank.last_digits and wanted == bank.last_digits):
                return bank
        known = ", ".join(b.account for b in banks) or "none"
        raise InputError(where, f"--account {wanted!r} is not a bank account in compound.toml (known: {known})")
    number = statement.account_number
    if number:
        matches = [b for b in banks if b.last_digits and _ends_with(number, b.last_digits)]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise InputError(where, f"account number {number} matches several bank_accounts "
                                    f"({', '.join(b.account for b in matches)}); use --account")
    profile = statement.layout.profile
    by_profile = [b for b in banks if b.profile == profile.name] or [b for b in banks if b.bank == profile.bank]
    if len(by_profile) == 1 and (not number or not by_profile[0].last_digits):
        return by_profile[0]
    stated = f"states account number {number}" if number else "does not state its account number"
    raise InputError(where, f"cannot tell which bank account this {profile.title} statement is for: it {stated}, "
                            "and no single bank_accounts entry in compound.toml matches (set last_digits there, "
                            "or pass --account)")


def _ends_with(number: str, last: str) -> bool:
    tail = number[-len(last):]
    return len(tail) == len(last) and all(a == b or a == "*" for a, b in zip(tail, last, strict=True))


def import_ids(account: str, lines: list[StatementLine]) -> list[str]:
    """Stable ids for the lines of one statement (see the module docstring)."""
    seen: Counter[str] = Counter()
    out = []
    for line in lines:
        if line.serial:
            base = re.sub(r"\s+", "", line.serial)
        else:
            key = f"{account}|{line.date}|{line.time}|{line.amount}|{line.balance}"
            base = "h" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
        count = seen[base]
        seen[base] += 1
        out.append(base if count == 0 else f"{base}-{count}")
    return out


def _link(import_id: str) -> str:
    return "rev-" + re.sub(r"[^A-Za-z0-9_.-]", "-", import_id)


def _pair(lines: list[StatementLine], categories: list[Category]) -> dict[int, int]:
    """Map each reversal/refund line index to the index of its original."""
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for i, line in enumerate(lines):
        if line.kind == "normal":
            continue
        for j in range(i - 1, -1, -1):
            earlier = lines[j]
            if j in taken or earlier.kind != "normal":
                continue
            same_party = not line.counterparty or not earlier.counterparty or line.counterparty == earlier.counterparty
            if (line.kind == "reversal" and earlier.amount == -line.amount and same_party) or (
                    line.kind == "refund" and earlier.amount < 0 and -earlier.amount >= line.amount
                    and line.counterparty and line.counterparty == earlier.counterparty):
                pairs[i] = j
                taken.add(j)
                break
    del categories
    return pairs


def extract(statement: Statement, bank: BankAccount, config: CompoundConfig,
            open_accounts: set[str] | None = None) -> Extracted:
    """Make the entries of one statement for *bank* (no de-duplication: see :mod:`.ledger`)."""
    categorise = Categoriser(bank.fund, config.rules, open_accounts)
    lines = statement.lines
    ids = import_ids(bank.account, lines)
    categories = [categorise(line) for line in lines]
    pairs = _pair(lines, categories)
    links: dict[int, str] = {}
    for i, j in pairs.items():
        categories[i] = categories[j]
        links[i] = links[j] = _link(ids[j])
    transactions = []
    for i, line in enumerate(lines):
        category = categories[i]
        meta = data.new_metadata(str(statement.path), line.row)
        meta[IMPORT_ID] = ids[i]
        if line.counterparty_account:
            meta["payee_account"] = line.counterparty_account
        if category.resolution:
            meta["resolution"] = category.resolution
        posting_meta = {"apportion": category.apportion} if category.apportion else None
        postings = [
            data.Posting(bank.account, Amount(line.amount - line.fee, CURRENCY), None, None, None, None),
            data.Posting(category.account, Amount(-line.amount, CURRENCY), None, None, None, posting_meta),
        ]
        if line.fee:
            postings.append(data.Posting(categorise.fee_account(), Amount(line.fee, CURRENCY), None, None, None,
                                         None))
        narration = category.narration or _narration(line)
        flag = "!" if category.uncategorised else "*"
        transactions.append(data.Transaction(
            meta, line.date, flag, line.counterparty or None, narration, frozenset(),
            frozenset({links[i]}) if i in links else frozenset(), postings))
    return Extracted(bank, transactions, balance_assertions(statement, bank.account),
                     sum(1 for c in categories if c.uncategorised), len(pairs))


def _narration(line: StatementLine) -> str:
    parts: list[str] = []
    for text in (line.summary, line.purpose, line.remark):
        if not text or any(text in p for p in parts):
            continue
        parts = [p for p in parts if p not in text]
        parts.append(text)
    return " ".join(parts) or "银行流水"


def balance_assertions(statement: Statement, account: str) -> list[data.Balance]:
    """``balance`` on the day after each day's last line that states a balance."""
    last_of_day: dict[object, tuple[StatementLine, Decimal]] = {}
    for line in statement.lines:
        if line.balance is not None:
            last_of_day[line.date] = (line, line.balance)
    out = []
    for line, balance in last_of_day.values():
        meta = data.new_metadata(str(statement.path), line.row)
        out.append(data.Balance(meta, line.date + timedelta(days=1), account, Amount(balance, CURRENCY), None,
                                None))
    return out
