"""Statement lines → Beancount entries: one transaction per line, balance assertions, stable import ids.

* ``import_id`` is the bank's serial number where the statement has one, else ``h`` + a hash of the
  account, date, time, amount and balance; a repeated id within one file (true same-day twins of the
  same date and amount) gets ``-1``, ``-2``… in file order, so both twins are kept and a second import
  of the same file finds both.
* A serial that cannot be an identity is not used as one: Excel's scientific notation (``4.20E+27``),
  a number Excel cut to 15 significant digits then zeros, a serial the file gives to lines of another
  date or amount, or one the books hold for another movement. Such a line's id is ``h`` + a hash of
  everything it says (:func:`content_hash`). Whether a line is already booked is decided by
  :func:`commonfund.importers.importing.already_booked` (the same movement: same account, date and
  amount, and the same id or serial).
* A reversal (冲正/冲账) is paired with the latest earlier line of the opposite amount, a refund (退款)
  with an earlier payment of at least its amount — by order number, else by the payment's status saying
  it was refunded, else the latest to the same counterparty (:func:`_original`): the pair share the
  original's category and a ``^rev-…`` link. A closed trade a refund names by order number is booked.
* Beancount checks a ``balance`` at the *start* of its date, so the balance after the last line of a
  day is asserted on the next day.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from beancount.core import data
from beancount.core.amount import Amount

from commonfund.compound.config import BankAccount, CompoundConfig
from commonfund.core.accounts import uncategorized_account
from commonfund.core.errors import InputError
from commonfund.core.money import CURRENCY
from commonfund.importers.categorise import Categoriser, Category, line_narration
from commonfund.importers.normalise import Statement, StatementLine

IMPORT_ID = "import_id"
BANK_IMPORT_ID = "bank_import_id"
"""Metadata of a migrated cash-book entry that a statement line was linked to: that line's ``import_id`` (see
:mod:`.migrating`); the books hold the movement under both ids."""
SUGGESTED = "suggested"
"""Metadata of a line booked to a suggested account (:mod:`.suggest`): the account, beside ``confidence``."""
CONFIDENCE = "confidence"
SERIAL = "serial"
"""Metadata keeping a serial that was no identity (garbled, shared…), to recognise the line by it later."""


class Extracted(NamedTuple):
    """Entries made from one statement.

    Attributes:
      bank: The bank account the statement is for.
      transactions: One per line, in statement order.
      balances: Balance assertions from the running balance.
      uncategorised: How many transactions went to an Uncategorized account.
      paired: How many reversals/refunds were paired with their original.
      identities: The :class:`Identity` of each transaction's line, in the same order.
      skipped: Lines of a wallet bill not booked, by reason (on top of the statement's own ``skipped``).
      notes: Sentences for the summary (rows paid otherwise…).
    """

    bank: BankAccount
    transactions: list[data.Transaction]
    balances: list[data.Balance]
    uncategorised: int
    paired: int
    identities: list[Identity]
    skipped: Counter[str]
    notes: list[str]


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


class Identity(NamedTuple):
    """How one statement line is recognised again.

    Attributes:
      id: Its ``import_id``.
      serial: The serial as read (spaces removed), or ``""``.
      trouble: ``""`` when the serial is the line's identity (or there is none); else why it is not:
        ``excel`` (scientific notation, or cut to 15 significant digits), ``shared`` (the same serial on
        lines of another date or amount in the file), ``taken`` (the books hold it for another movement).
      content: The content hash of the line (``h`` + 16 hex digits), whatever its serial.
    """

    id: str
    serial: str
    trouble: str
    content: str


_SCIENTIFIC = re.compile(r"^[+-]?(\d)(?:\.(\d+))?[eE]\+?(\d+)$")
_SHORTENED = re.compile(r"^\d{15}0+$")
_SUFFIX = re.compile(r"-\d+$")
Booked = Mapping[tuple[str, str], Sequence[tuple[date, Decimal]]]
"""``(account, import_id)`` → the ``(date, amount)`` of each booked movement that carries it."""


def _serial(line: StatementLine) -> str:
    return re.sub(r"\s+", "", line.serial)


def _shortened(serials: list[str]) -> bool:
    """Whether the file's long numeric serials were all cut by Excel to 15 significant digits and zeros."""
    long = [s for s in serials if len(s) >= 16 and s.isdigit()]
    cut = [s for s in long if _SHORTENED.match(s)]
    return len(cut) >= 2 and len(cut) == len(long)


def _cut(serial: str, whole_column: bool) -> bool:
    """Whether *serial* is a long number as a spreadsheet keeps it: 15 significant digits (Excel) or 17 (a
    binary float) then zeros. Surely so when 18 digits or more end in 3 zeros or more (a real serial ends so
    once in a thousand, and is then still found by its serial: see ``same_serial``), else when every long
    serial of the file is 15 digits then zeros."""
    return (len(serial) >= 18 and serial.isdigit() and serial.endswith("000") and len(serial.rstrip("0")) <= 17) \
        or (whole_column and bool(_SHORTENED.match(serial)))


def _legacy_hash(account: str, line: StatementLine) -> str:
    key = f"{account}|{line.date}|{line.time}|{line.amount}|{line.balance}"
    return "h" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def content_hash(account: str, line: StatementLine) -> str:
    """A line's identity from what it says, for a line whose serial cannot be trusted (the time to the minute:
    a bill saved again by Excel shows ``07:45`` for ``07:45:10``)."""
    key = (f"{account}|{line.date}|{line.time[:5]}|{line.amount}|{line.fee}|{line.balance}|{line.counterparty}|"
           f"{line.counterparty_account}|{line.summary}|{line.purpose}|{line.remark}")
    return "h" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def identities(account: str, lines: list[StatementLine], booked: Booked | None = None) -> list[Identity]:
    """The :class:`Identity` of each line of one statement (see the module docstring).

    *booked*: the books' import ids with their movements; a serial they hold for a movement of another
    date or amount is not this line's identity.
    """
    serials = [_serial(line) for line in lines]
    excel = _shortened(serials)
    movements: dict[str, set[tuple[date, Decimal]]] = {}
    for serial, line in zip(serials, lines, strict=True):
        if serial:
            movements.setdefault(serial, set()).add((line.date, line.amount))
    troubles: list[str] = []
    for serial in serials:
        if not serial:
            troubles.append("")
        elif _SCIENTIFIC.match(serial) or _cut(serial, excel):
            troubles.append("excel")
        elif len(movements[serial]) > 1:
            troubles.append("shared")
        else:
            troubles.append("")
    seen: Counter[str] = Counter()
    out = []
    for serial, trouble, line in zip(serials, troubles, lines, strict=True):
        content = content_hash(account, line)
        if serial and not trouble:
            count = seen[serial]
            candidate = serial if count == 0 else f"{serial}-{count}"
            held = booked.get((account, candidate)) if booked is not None else None
            if held and (line.date, line.amount - line.fee) not in held:
                trouble = "taken"
        if serial and not trouble:
            base = serial
        elif serial:
            base = content
        else:
            base = _legacy_hash(account, line)
        count = seen[base]
        seen[base] += 1
        out.append(Identity(base if count == 0 else f"{base}-{count}", serial, trouble, content))
    return out


def import_ids(account: str, lines: list[StatementLine]) -> list[str]:
    """Stable ids for the lines of one statement (see the module docstring)."""
    return [identity.id for identity in identities(account, lines)]


def garbled(serial: str) -> bool:
    """Whether *serial* is surely a spreadsheet's form of a longer number (``4.20E+27``, 18+ digits ending
    in 000 with at most 17 significant)."""
    return bool(_SCIENTIFIC.match(serial)) or _cut(serial, False)


def same_serial(a: str, b: str, a_garbled: bool = False) -> bool:
    """Whether serials *a* and *b* can be the same one, one of them as Excel shows or keeps it (*a_garbled*:
    *a* is known to be such a form, e.g. one of a column Excel cut to 15 digits)."""
    return a == b or ((a_garbled or garbled(a)) and _garbled_form_of(a, b)) or (garbled(b) and _garbled_form_of(b, a))


def _garbled_form_of(shown: str, full: str) -> bool:
    if not full.isdigit() or len(full) < 12:
        return False
    match = _SCIENTIFIC.match(shown)
    if match:
        first, rest, exponent = match.group(1), match.group(2) or "", int(match.group(3))
        if len(full) != exponent + 1:
            return False
        digits = len(rest) + 1
        rounded = round(Decimal(full).scaleb(-exponent), digits - 1)
        return rounded == Decimal(f"{first}.{rest}" if rest else first)
    if shown.isdigit() and len(shown) == len(full) and shown.endswith("0"):
        kept = max(len(shown.rstrip("0")), 15)
        return kept <= 17 and abs(int(full[:kept]) - int(shown[:kept])) <= 1
    return False


def base_id(import_id: str) -> str:
    """An import id without its twin suffix (``-1``, ``-2``…)."""
    return _SUFFIX.sub("", import_id)


def _link(import_id: str) -> str:
    return "rev-" + re.sub(r"[^A-Za-z0-9_.-]", "-", import_id)


def _pair(lines: list[StatementLine], refunded: re.Pattern[str] | None = None) -> dict[int, int]:
    """Map each reversal/refund line index to the index of its original (module docstring)."""
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    left: dict[int, Decimal] = {}
    for i, line in enumerate(lines):
        if line.kind == "reversal":
            for j in range(i - 1, -1, -1):
                earlier = lines[j]
                if j in taken or earlier.kind != "normal":
                    continue
                same_party = (not line.counterparty or not earlier.counterparty
                              or line.counterparty == earlier.counterparty)
                if earlier.amount == -line.amount and same_party:
                    pairs[i] = j
                    taken.add(j)
                    break
        elif line.kind == "refund" and line.amount > 0:
            original = _original(lines, i, left, refunded)
            if original is not None:
                pairs[i] = original
                left[original] = left.get(original, -lines[original].amount) - line.amount
    return pairs


def _original(lines: list[StatementLine], i: int, left: dict[int, Decimal],
              refunded: re.Pattern[str] | None) -> int | None:
    """The payment refund *i* gives money back for: an earlier payment of at least its amount (less what
    earlier refunds gave back) — by order number where the bill has one (the refund's 交易订单号 is the
    payment's plus ``_…``, or the same 商家订单号 with the same counterparty), else the payment whose status
    says it was refunded this amount (已退款(￥0.11), 已全额退款), else the latest to the same counterparty."""
    line = lines[i]
    candidates = [j for j in range(i - 1, -1, -1) if lines[j].kind in ("normal", "closed") and lines[j].amount < 0
                  and left.get(j, -lines[j].amount) >= line.amount]

    def by_order(j: int) -> bool:
        earlier = lines[j]
        serial, other = re.sub(r"\s+", "", line.serial), re.sub(r"\s+", "", earlier.serial)
        return bool(serial and other and serial.startswith(other + "_")) or bool(
            line.order and line.order == earlier.order and line.counterparty == earlier.counterparty)

    def by_status(j: int) -> bool:
        earlier = lines[j]
        match = refunded.search(earlier.status) if refunded and earlier.kind == "normal" else None
        if not match:
            return False
        stated = match.group(1) if match.groups() else None
        return Decimal(stated.replace(",", "")) == line.amount if stated else -earlier.amount == line.amount

    def by_party(j: int) -> bool:
        return bool(line.counterparty) and lines[j].kind == "normal" and line.counterparty == lines[j].counterparty

    for test in (by_order, by_status, by_party):
        for j in candidates:
            if test(j):
                return j
    return None


def extract(statement: Statement, bank: BankAccount, config: CompoundConfig,
            open_accounts: set[str] | None = None, booked: Booked | None = None,
            suggest: Callable[[StatementLine], Category | None] | None = None) -> Extracted:
    """Make the entries of one statement for *bank* (no de-duplication: see :mod:`.importing`).

    *booked*: the books' import ids (see :func:`identities`). A wallet bill's lines are first resolved by
    :func:`commonfund.importers.wallet.resolve` (what moved the wallet). *suggest*: for a line the rules leave
    on 待分类, a category learned from the books or None (:meth:`commonfund.importers.suggest.Suggester.categoriser`);
    the line is then booked to it, flagged ``!``, with ``suggested`` and ``confidence`` metadata.
    """
    from commonfund.importers.wallet import resolve

    profile = statement.layout.profile
    categorise = Categoriser(bank.fund, config.rules, open_accounts, wallet=profile.wallet is not None)
    skipped: Counter[str] = Counter()
    notes: list[str] = []
    lines = statement.lines
    counter: dict[int, str] = {}
    refunded = None
    if profile.wallet is not None:
        resolved = resolve(statement, bank, config)
        lines, counter, skipped, notes = resolved
        refunded = re.compile(profile.wallet.refunded_status)
    pairs = _pair(lines, refunded)
    revived = {j for j in pairs.values() if lines[j].kind == "closed"}
    keep = [i for i, line in enumerate(lines) if line.kind != "closed" or i in revived]
    if len(keep) < len(lines):
        skipped["status"] += len(lines) - len(keep)
        where = {old: new for new, old in enumerate(keep)}
        lines = [lines[i] for i in keep]
        pairs = {where[i]: where[j] for i, j in pairs.items()}
        counter = {where[i]: account for i, account in counter.items() if i in where}
    found = identities(bank.account, lines, booked)
    ids = [identity.id for identity in found]
    categories = []
    for i, line in enumerate(lines):
        if i in counter:
            categories.append(Category(counter[i], uncategorised=counter[i].endswith(":Uncategorized-待分类")))
        else:
            category = categorise(line)
            if category.uncategorised and suggest is not None and line.kind == "normal":
                category = suggest(line) or category
            categories.append(category)
    links: dict[int, str] = {}
    for i, j in pairs.items():
        categories[i] = categories[j]
        links[i] = links[j] = _link(ids[j])
    for i, line in enumerate(lines):
        if line.kind == "refund" and i not in pairs and categories[i].uncategorised:
            categories[i] = Category(uncategorized_account(bank.fund, "out"), uncategorised=True)  # money back
    transactions = []
    for i, line in enumerate(lines):
        category = categories[i]
        meta = data.new_metadata(str(statement.path), line.row)
        meta[IMPORT_ID] = ids[i]
        if found[i].trouble and found[i].serial:
            meta[SERIAL] = found[i].serial
        if line.counterparty_account:
            meta["payee_account"] = line.counterparty_account
        if category.confidence is not None:
            meta[SUGGESTED] = category.account
            meta[CONFIDENCE] = category.confidence
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
        narration = category.narration or line_narration(line)
        flag = "!" if category.uncategorised or category.confidence is not None else "*"
        transactions.append(data.Transaction(
            meta, line.date, flag, line.counterparty or None, narration, frozenset(),
            frozenset({links[i]}) if i in links else frozenset(), postings))
    return Extracted(bank, transactions, balance_assertions(statement, bank.account),
                     sum(1 for c in categories if c.uncategorised), len(pairs), found, skipped, notes)


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
