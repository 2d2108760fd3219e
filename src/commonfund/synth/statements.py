"""Statements for generated compounds: the last months of the bank accounts as files to import.

``commonfund synth … statements_months=N`` (used by the demo) calls :func:`split_for_statements`: for
the last *N* months every bank line is written to a statement file in its bank's layout (CCB for the
maintenance fund, ICBC for common revenue, ABC for the committee, WeChat Pay merchant for the parking
takings) instead of being booked — so the demo imports them. A transaction the rules could not
rebuild (it carries metadata, or touches two bank accounts, or has more than two postings) stays booked,
and each of its bank postings gets the ``import_id`` the importer will compute for its statement line,
so the import recognises it as already booked.
"""

from __future__ import annotations

import tomllib
import zlib
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from commonfund.compound.config import BankAccount, CompoundConfig
from commonfund.core.money import from_fen
from commonfund.importers.extract import import_ids
from commonfund.importers.normalise import StatementLine
from commonfund.synth.common import LAST_YEAR, Books
from commonfund.synth.writers import SynthLine, abc_xlsx, ccb_xlsx, icbc_csv, wechat_merchant_csv


class BookedTxn(Protocol):
    day: date
    payee: str
    narration: str
    postings: list[tuple[str, int, dict[str, str]]]
    meta: dict[str, str]
    tags: tuple[str, ...]
    links: tuple[str, ...]


def _writer(bank: BankAccount, holder: str) -> tuple[str, Callable[[Sequence[SynthLine], str], bytes]] | None:
    if bank.bank == "ICBC":
        return "csv", icbc_csv
    if bank.bank == "CCB":
        return "xlsx", lambda lines, number: ccb_xlsx(lines, number, holder)
    if bank.bank == "ABC":
        return "xlsx", lambda lines, number: abc_xlsx(lines, number, holder)
    if bank.bank == "WECHAT":
        return "csv", lambda lines, number: wechat_merchant_csv(lines)
    return None


def _importable(txn: BookedTxn, banks: set[str]) -> bool:
    touched = [account for account, _, _ in txn.postings if account in banks]
    return (len(txn.postings) == 2 and len(touched) == 1 and not txn.meta and not txn.tags and not txn.links
            and not any(meta for _, _, meta in txn.postings))


def _line(txn: BookedTxn, fen: int, balance: int, index: int, serial: str, wallet: bool) -> SynthLine:
    clock = f"{9 + index // 60:02d}:{index % 60:02d}:00"
    party = "" if txn.payee in ("银行", "微信支付") else txn.payee
    account = f"62{zlib.crc32(party.encode('utf-8')) % 10**14:014d}" if party else ""
    if wallet:
        kind = "交易" if fen > 0 else "提现"
        return SynthLine(txn.day, clock, from_fen(fen), from_fen(balance), serial, txn.narration, "", kind, kind)
    return SynthLine(txn.day, clock, from_fen(fen), from_fen(balance), serial, party, account, txn.narration,
                     txn.narration)


def split_for_statements(txns: list[Any], banks: Sequence[BankAccount], cutoff: date, holder: str,
                         account_numbers: dict[str, str]) -> tuple[list[Any], dict[str, bytes]]:
    """Books without the importable bank lines from *cutoff* on, and the statement files by path.

    *txns* are the generator's transactions (date order); *account_numbers* maps a bank account to the
    full account number printed in its statements.
    """
    bank_accounts = {b.account for b in banks}
    kept = [t for t in txns if t.day < cutoff or not _importable(t, bank_accounts)]
    kept_ids = {id(t) for t in kept}
    files: dict[str, bytes] = {}
    for bank in banks:
        made = _writer(bank, holder)
        if made is None:
            continue
        ext, write = made
        balance = sum(fen for t in txns if t.day < cutoff for acc, fen, _ in t.postings if acc == bank.account)
        months: dict[tuple[int, int], list[tuple[Any, int]]] = {}
        for txn in (t for t in txns if t.day >= cutoff):
            for account, fen, _ in txn.postings:
                if account == bank.account:
                    months.setdefault((txn.day.year, txn.day.month), []).append((txn, fen))
        for (year, month), items in sorted(months.items()):
            lines: list[SynthLine] = []
            per_day: dict[date, int] = {}
            for txn, fen in items:
                balance += fen
                index = per_day.get(txn.day, 0)
                per_day[txn.day] = index + 1
                serial = f"{bank.bank}{txn.day:%Y%m%d}{index:04d}{bank.last_digits}"
                lines.append(_line(txn, fen, balance, index, serial, bank.bank == "WECHAT"))
            number = account_numbers[bank.account]
            files[f"statements/{year:04d}-{month:02d}-{bank.bank.lower()}-{bank.last_digits}.{ext}"] = write(
                lines, number)
            ids = import_ids(bank.account, [_as_statement_line(x, bank.bank) for x in lines])
            for (txn, _), import_id in zip(items, ids, strict=True):
                if id(txn) in kept_ids:
                    for posting_index, (account, fen, meta) in enumerate(txn.postings):
                        if account == bank.account:
                            txn.postings[posting_index] = (account, fen, {**meta, "import_id": f'"{import_id}"'})
    return kept, files


def _as_statement_line(line: SynthLine, bank: str) -> StatementLine:
    """The statement line the importer will read back (only the fields that make its import id)."""
    serial = "" if bank == "ICBC" else line.serial  # ICBC's export has no serial number
    return StatementLine(0, line.date, line.time, line.amount, Decimal(0), line.balance, serial, "", "", "", "",
                         "", "", "normal", ())


DEMO_RULES = """
# Rules for the lines `commonfund import` brings in from the generated statements (statements/).
[[rules]]
counterparty = "办公用品"
account = "Expenses:Committee:Office-办公费"

[[rules]]
purpose = "停车"
direction = "in"
account = "Income:CommonRevenue:Parking-停车"
"""


def statements_for(gen: Books, config_text: str) -> tuple[str, dict[str, bytes], list[Any]]:
    """For a :class:`commonfund.synth.generator.Generator`: write the last ``gen.statements_months`` months of bank
    lines as statement files; return the config with the extra rules, the files, and the transactions
    still to book (``gen.txns`` stays complete, so the books' balance assertions include the statements)."""
    config = CompoundConfig.model_validate(tomllib.loads(config_text))
    months = max(1, min(int(gen.statements_months), 12 * gen.years))
    index = LAST_YEAR * 12 + 12 - months
    cutoff = date(index // 12, index % 12 + 1, 1)
    numbers = {b.account: f"3100{zlib.crc32(b.account.encode('utf-8')) % 10**10:010d}{b.last_digits}"
               for b in config.bank_accounts}
    txns = sorted(gen.txns, key=lambda t: t.day)
    kept, files = split_for_statements(txns, config.bank_accounts, cutoff, config.display_committee, numbers)
    return config_text + DEMO_RULES, files, kept
