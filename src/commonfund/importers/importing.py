"""``commonfund import``: statements into a compound's books — idempotent, categorised, reconciled.

One invocation is all-or-nothing: every file is read and checked first (an unreadable row stops the
whole import, naming file and row), the new entries are checked against the books as they would be,
and only then are the month files and the index written — under the compound's import lock.

The first import of an account (see :mod:`.opening`): a ``[[bank_accounts]]`` account not opened in the
books is opened in ``accounts.beancount``; a line dated before the books' ``start`` is refused, naming it;
when the books hold nothing for the account up to the statement's first line but the statement opens with
money, the import is refused with one sentence unless ``opening=True`` (``--opening``), which books that
opening balance (期初余额) in the account's own ``opening.beancount``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from beancount.core import data

from commonfund.compound.config import CONFIG_NAME, BankAccount, CompoundConfig, load_config
from commonfund.compound.model import locate
from commonfund.core.errors import InputError
from commonfund.core.funds import fund_of
from commonfund.core.money import format_cny
from commonfund.importers.categorise import Category
from commonfund.importers.extract import (
    IMPORT_ID,
    SUGGESTED,
    Identity,
    base_id,
    choose_bank_account,
    extract,
    same_serial,
)
from commonfund.importers.ledger import (
    Books,
    Plan,
    account_folder,
    describe,
    new_errors,
    plan_files,
    read_books,
    remove_leftovers,
    render,
    write_files,
)
from commonfund.importers.lock import import_lock
from commonfund.importers.migrating import match_movements, relink_files, unlinked
from commonfund.importers.normalise import Statement, StatementLine, normalise
from commonfund.importers.opening import (
    OPENING_FILE,
    accounts_file,
    cannot_open,
    open_entry,
    opening_account,
    opening_entry,
    render_open,
)
from commonfund.importers.profiles import Profile, load_profiles
from commonfund.importers.read import read_grids
from commonfund.importers.recognise import recognise
from commonfund.io.gcfreeze import long_lived_heap_frozen

if TYPE_CHECKING:
    from commonfund.importers.suggest import Suggester

IN_TRANSIT = ":InTransit-在途资金"


@dataclass
class FileReport:
    """What one statement file gave.

    Attributes:
      path: The statement.
      profile: The profile that read it.
      account: The bank account it was booked to.
      lines: Statement lines read.
      new: New transactions.
      duplicates: Lines already in the books (same import id).
      uncategorised: New transactions left on an Uncategorized account.
      suggested: New transactions booked to an account suggested from the books (flagged ``!``, to confirm).
      balances_new: New balance assertions.
      balances_known: Balance assertions already in the books.
      paired: Reversals/refunds paired with their original.
      skipped: Lines not imported (zero amount, neutral wallet lines, failed payments), counted.
      opening: The opening balance (期初余额) booked for the account before this statement, if any.
      opened: Accounts opened in the books' accounts file for this statement.
      notes: Sentences for the summary (serials not trusted, cards not the committee's…).
      linked: Lines linked to a migrated cash-book entry instead of booked (:mod:`.migrating`).
    """

    path: Path
    profile: str
    account: str
    lines: int = 0
    new: int = 0
    duplicates: int = 0
    uncategorised: int = 0
    suggested: int = 0
    balances_new: int = 0
    balances_known: int = 0
    paired: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    opening: data.Transaction | None = None
    opened: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    linked: int = 0
    links: list[tuple[data.Transaction, data.Transaction]] = field(default_factory=list, repr=False)


@dataclass
class ImportReport:
    """The result of one import.

    Attributes:
      files: One report per statement file.
      entries: The new entries (transactions and balance assertions).
      written: The files written (empty for a dry run or when nothing was new).
      dry_run: Whether nothing was written on purpose.
      suggesting: Whether lines no rule categorises got suggestions learned from the books (:mod:`.suggest`).
    """

    files: list[FileReport]
    entries: list[data.Directive]
    written: list[Path]
    dry_run: bool
    suggesting: bool = False

    def text(self) -> str:
        """The new entries as Beancount text (with any opening balance), for a dry run."""
        openings: list[data.Directive] = [f.opening for f in self.files if f.opening is not None]
        return "\n\n".join(render(e) for e in sorted([*openings, *self.entries], key=data.entry_sortkey))


def read_statement(path: Path, profiles: dict[str, Profile], forced: str | None = None) -> Statement:
    """Read, recognise and normalise one statement file."""
    grids = read_grids(path)
    layout = recognise(path, grids, profiles.values(), forced)
    return normalise(path, layout)


def import_statements(compound: str | Path, files: Sequence[str | Path], profile: str | None = None,
                      account: str | None = None, dry_run: bool = False,
                      progress: Callable[[str], None] | None = None, opening: bool = False,
                      suggest: bool | None = None) -> ImportReport:
    """Import statement *files* into the compound at *compound*; see the module docstring.

    *suggest*: whether a line no rule categorises gets an account learned from the books (:mod:`.suggest`);
    None (the default) suggests when the books hold at least :data:`.suggest.MIN_LINES` categorised lines.
    """
    with long_lived_heap_frozen():  # parsing and checking the books allocate a lot: see commonfund.io.gcfreeze
        return _import(compound, files, profile, account, dry_run, progress or (lambda _message: None), opening,
                       suggest)


def _import(compound: str | Path, files: Sequence[str | Path], profile: str | None, account: str | None,
            dry_run: bool, say: Callable[[str], None], opening: bool = False,
            suggest: bool | None = None) -> ImportReport:
    root, main = locate(compound)
    config = load_config(root / CONFIG_NAME)
    profiles = load_profiles(root)
    statements = []
    for file in files:
        say(f"reading {file}")
        statements.append(read_statement(Path(file), profiles, profile))
    if dry_run:
        return _run(root, main, config, statements, account, dry_run, say, opening, suggest)
    with import_lock(root):
        return _run(root, main, config, statements, account, dry_run, say, opening, suggest)


def _run(root: Path, main: Path, config: CompoundConfig, statements: list[Statement], account: str | None,
         dry_run: bool, say: Callable[[str], None], opening: bool = False,
         suggest: bool | None = None) -> ImportReport:
    say(f"reading the books {main}")
    books = read_books(main)
    suggester = _Suggestions(root, books, config, suggest, say) if suggest is not False else None
    if not dry_run:
        for leftover in remove_leftovers(books):
            say(f"removed {leftover} (left by an interrupted import; not part of the books)")
    banks = [choose_bank_account(statement, config, account) for statement in statements]
    opens = _first_import(books, config, statements, banks)
    reports, new = _new_entries(books, config, statements, account, suggester)
    _openings(books, config, statements, banks, reports, opening, opens)
    openings = [r.opening for r in reports if r.opening is not None]
    wallets = {report.account for report, statement in zip(reports, statements, strict=True)
               if statement.layout.profile.wallet is not None}
    if wallets and new:
        check_in_transit(books, new)  # before the general check: its sentence gives the `open` line to add
    _refuse_unopened(books, new)
    if wallets and new:
        check_wallets(books, [*openings, *new], wallets)
    plan = plan_files(books, new, openings, [render_open(o) for o in opens.values()])
    relinked = relink_files(books, [link for report in reports for link in report.links])
    if relinked:  # migrated entries the statement lines were linked to, rewritten in place (atomically)
        plan = Plan({**relinked, **plan.files}, plan.superseded)
    written: list[Path] = []
    if plan.files:
        say("checking the books with the new entries")
        errors = new_errors(books, plan)
        if errors:
            raise _balance_failure(errors, new) or InputError(
                statements[0].path if len(statements) == 1 else root,
                f"importing would make the books fail their checks, so nothing was written: {describe(errors)}")
        if not dry_run:
            write_files(plan)
            written = sorted(plan.files)
    return ImportReport(reports, new, written, dry_run, suggester is not None and suggester.on)


class _Suggestions:
    """The suggestion step of one import, learned from the books only when a line first needs it (a statement
    the rules categorise whole costs nothing): see :mod:`.suggest`."""

    def __init__(self, root: Path, books: Books, config: CompoundConfig, flag: bool | None,
                 say: Callable[[str], None]) -> None:
        self.root, self.books, self.config, self.flag, self.say = root, books, config, flag, say
        self.suggester: Suggester | None = None
        self.on = False
        self._loaded = False

    def categoriser(self, fund: str, open_accounts: set[str]) -> Callable[[StatementLine], Category | None]:
        made: list[Callable[[StatementLine], Category | None]] = []

        def suggest(line: StatementLine) -> Category | None:
            if not made:
                suggester = self._load()
                made.append(suggester.categoriser(fund, open_accounts) if suggester is not None else lambda _: None)
            return made[0](line)

        return suggest

    def _load(self) -> Suggester | None:
        if not self._loaded:
            from commonfund.importers.suggest import load_suggester, wanted  # only when needed: start-up stays light

            self._loaded = True
            self.say("learning categories from the books")
            suggester = load_suggester(self.root, self.books.entries, self.config)
            self.on = wanted(self.flag, suggester.lines)
            self.suggester = suggester if self.on else None
        return self.suggester


class OpeningNeeded(InputError):
    """The first statement of an account opens with money the books do not hold: ``--opening`` records it.
    The CLI adds the exact command line to run again."""


def _books_start(config: CompoundConfig) -> date | None:
    try:
        return date.fromisoformat(config.start) if config.start else None
    except ValueError:
        raise InputError(CONFIG_NAME, f"start {config.start!r} is not a date (YYYY-MM-DD)") from None


def _first_import(books: Books, config: CompoundConfig, statements: list[Statement],
                  banks: list[BankAccount]) -> dict[str, data.Open]:
    """Refuse lines before the books' start; the ``open`` directives of bank accounts the books lack."""
    start = _books_start(config)
    first_day: dict[str, date] = {}
    for statement, bank in zip(statements, banks, strict=True):
        first = statement.lines[0]
        if start is not None and first.date < start:
            earlier = (first.date - timedelta(days=1)).replace(day=1)
            raise InputError(f"{statement.path}:{first.row}",
                             f"this line is dated {first.date}, before the books start on {start} (start in "
                             f"{CONFIG_NAME}, set by init --start); import the statement's lines from {start} "
                             f"on, or, while the books hold nothing yet, create them again with "
                             f"init --start {earlier} or earlier")
        first_day[bank.account] = min(first.date, first_day.get(bank.account, first.date))
    opens: dict[str, data.Open] = {}
    for bank in banks:
        if bank.account in books.open_accounts or bank.account in opens:
            continue
        if not bank.account.startswith("Assets:"):
            raise cannot_open(bank.account, "only a bank or wallet account (Assets) is opened by an import")
        if accounts_file(books.options_map.get("include", [])) is None:
            raise cannot_open(bank.account, "the books include no accounts.beancount to open it in")
        opens[bank.account] = open_entry(bank.account, start or first_day[bank.account] - timedelta(days=1), bank)
    books.open_accounts.update(opens)
    return opens


def _held(books: Books, account: str, day: date) -> bool:
    """Whether the books move or assert *account* on or before *day*."""
    for entry in books.entries:
        if entry.date > day:
            break  # books.entries are sorted by date
        if isinstance(entry, data.Transaction) and any(p.account == account for p in entry.postings):
            return True
        if isinstance(entry, (data.Pad, data.Balance)) and entry.account == account:
            return True
    return False


def _openings(books: Books, config: CompoundConfig, statements: list[Statement], banks: list[BankAccount],
              reports: list[FileReport], wanted: bool, opens: dict[str, data.Open]) -> None:
    """Set ``report.opening`` for each account whose books hold nothing before its first statement line.

    Without *wanted* (``--opening``) a statement that opens with money on such an account is refused with
    one sentence. Accounts the entries need are added to *opens*.
    """
    start = _books_start(config)
    earliest: dict[str, int] = {}
    for i, (statement, bank) in enumerate(zip(statements, banks, strict=True)):
        j = earliest.get(bank.account)
        if j is None or statement.lines[0].date < statements[j].lines[0].date:
            earliest[bank.account] = i
    for account, i in earliest.items():
        statement, bank, first = statements[i], banks[i], statements[i].lines[0]
        if first.balance is None or _held(books, account, first.date):
            continue
        fee = first.fee if statement.layout.profile.fee_in_balance else Decimal(0)
        amount = first.balance - first.amount + fee
        if amount == 0:
            continue
        if not wanted:
            raise OpeningNeeded(statement.path, f"the statement opens with {format_cny(amount)} on {first.date}, the "
                                             f"books hold ¥0.00 for {account}; run again with --opening to record "
                                             "the opening balance (期初余额), or book the earlier history first")
        target = books.imports_dir / account_folder(account) / OPENING_FILE
        included = {str(Path(p).resolve()) for p in books.options_map.get("include", [])}
        if str(target.resolve()) in included:
            raise InputError(target, f"already holds an opening balance for {account}, dated after the statement's "
                                     f"first line ({statement.path.name} row {first.row}, {first.date}); book the "
                                     "earlier history by hand or correct the opening balance there")
        equity = opening_account(bank.fund)
        if equity not in books.open_accounts and equity not in opens:
            opens[equity] = open_entry(equity, start or first.date - timedelta(days=1))
            books.open_accounts.add(equity)
        day = first.date - timedelta(days=1)
        if start is not None and day < start:
            day = start  # the accounts open on the books' start; the first balance is asserted the day after
        reports[i].opening = opening_entry(account, bank.fund, amount, day,
                                           what=f"{statement.path.name} 第{first.row}行之前的余额",
                                           filename=str(statement.path), lineno=first.row)
    for report in reports:
        report.opened = [a for a in opens if a == report.account or (
            report.opening is not None and a == opening_account(fund_of(report.account) or ""))]


def _refuse_unopened(books: Books, new: list[data.Directive]) -> None:
    """A line booked to an account the books do not open (a rule's account): one sentence at its row."""
    for entry in new:
        if not isinstance(entry, data.Transaction):
            continue
        for posting in entry.postings:
            if posting.account not in books.open_accounts:
                raise InputError(f"{entry.meta['filename']}:{entry.meta['lineno']}",
                                 f"this line would be booked to {posting.account}, which is not opened in the books; "
                                 f"open it in accounts.beancount, or correct the [[rules]] of {CONFIG_NAME}")


def _balance_failure(errors: list[Any], new: list[data.Directive]) -> InputError | None:
    """A failed balance assertion of a statement, as one sentence at its row (None if no error is one)."""
    rows = {(e.account, e.date): e.meta for e in new if isinstance(e, data.Balance)}
    for error in errors:
        entry = getattr(error, "entry", None)
        if type(error).__name__ != "BalanceError" or not isinstance(entry, data.Balance):
            continue
        meta = rows.get((entry.account, entry.date))
        if meta is None:
            continue
        match = re.search(r"accumulated (-?[\d.]+)", error.message)
        held = f"the books would hold {format_cny(Decimal(match.group(1)))}" if match else "the books disagree"
        return InputError(f"{meta['filename']}:{meta['lineno']}",
                          f"the statement's balance after this line is {format_cny(entry.amount.number or Decimal(0))}"
                          f", but {held} for {entry.account} at the end of {entry.date - timedelta(days=1)}; a line "
                          "is missing from the books or the statement, or an opening balance is wrong — nothing "
                          "was written")
    return None


def _new_entries(books: Books, config: CompoundConfig, statements: list[Statement],
                 forced: str | None, suggester: _Suggestions | None = None
                 ) -> tuple[list[FileReport], list[data.Directive]]:
    reports: list[FileReport] = []
    new: list[data.Directive] = []
    migrated: dict[str, list[data.Transaction]] = {}
    for statement in statements:
        bank: BankAccount = choose_bank_account(statement, config, forced)
        suggest = suggester.categoriser(bank.fund, books.open_accounts) if suggester is not None else None
        extracted = extract(statement, bank, config, books.open_accounts, books.booked, suggest)
        report = FileReport(statement.path, statement.profile_name, bank.account, lines=len(statement.lines),
                            paired=extracted.paired, skipped=statement.skipped + extracted.skipped,
                            notes=list(extracted.notes))
        troubles = Counter(identity.trouble for identity in extracted.identities)
        known = already_booked(books, bank.account, extracted.transactions, extracted.identities)
        candidates = migrated.setdefault(bank.account, unlinked(books.entries, bank.account))
        fresh = [i for i, duplicate in enumerate(known) if not duplicate]
        pairs = match_movements([extracted.transactions[i] for i in fresh], candidates)
        linked = {fresh[i]: candidates[j] for i, j in pairs.items()}
        for j in sorted(pairs.values(), reverse=True):
            del candidates[j]  # one statement line per migrated entry, across the files of this import
        for index, (txn, duplicate) in enumerate(zip(extracted.transactions, known, strict=True)):
            if duplicate:
                report.duplicates += 1
                continue
            if index in linked:  # the same money as a migrated cash-book entry: linked, not booked again
                books.add(bank.account, str(txn.meta[IMPORT_ID]), txn, txn.postings[0])
                report.links.append((linked[index], txn))
                report.linked += 1
                continue
            books.add(bank.account, str(txn.meta[IMPORT_ID]), txn, txn.postings[0])
            new.append(txn)
            report.new += 1
            report.suggested += SUGGESTED in txn.meta
            report.uncategorised += txn.flag == "!" and SUGGESTED not in txn.meta
        report.notes += _serial_notes(statement, troubles)
        for balance in extracted.balances:
            key2 = (balance.account, balance.date)
            if key2 in books.balances:
                report.balances_known += 1
                continue
            books.balances.add(key2)
            new.append(balance)
            report.balances_new += 1
        reports.append(report)
    return reports, new


def check_in_transit(books: Books, new: list[data.Directive]) -> None:
    """A transfer between a wallet and the committee's bank account needs 在途资金 opened: say so once."""
    for entry in new:
        if not isinstance(entry, data.Transaction):
            continue
        for posting in entry.postings:
            if posting.account.startswith("Assets:") and posting.account.endswith(IN_TRANSIT) \
                    and posting.account not in books.open_accounts:
                start = min((e.date for e in books.entries if isinstance(e, data.Open)), default=entry.date)
                raise InputError(f"{entry.meta.get('filename')}:{entry.meta.get('lineno')}",
                                 f"{entry.narration} moves money between the wallet and the committee's bank "
                                 f"account through {posting.account} (在途资金), which the books do not open: add "
                                 f"`{start} open {posting.account} CNY` with `code: \"1009\"` to accounts.beancount "
                                 "and import again (the bank statement's line of the same transfer is booked "
                                 "against it too); nothing was written")


def check_wallets(books: Books, new: list[data.Directive], wallets: set[str]) -> None:
    """Refuse new entries that would leave a wallet holding less than nothing at the end of a day.

    A wallet bill has no running balance to check, so a bill that starts later than the books' wallet, or
    a line booked on the wallet that was paid otherwise, shows only as a wallet below zero.
    """
    moves: dict[str, dict[date, Decimal]] = {account: {} for account in wallets}
    last_new: dict[tuple[str, date], data.Transaction] = {}
    for entry, is_new in [*((e, False) for e in books.entries), *((e, True) for e in new)]:
        if not isinstance(entry, data.Transaction):
            continue
        for posting in entry.postings:
            if posting.account not in moves or posting.units is None:
                continue
            number = posting.units.number
            if not isinstance(number, Decimal):
                continue
            days = moves[posting.account]
            days[entry.date] = days.get(entry.date, Decimal(0)) + number
            if is_new:
                last_new[(posting.account, entry.date)] = entry
    for account, days in sorted(moves.items()):
        held = Decimal(0)
        for day in sorted(days):
            held += days[day]
            if held < 0:
                culprit = last_new.get((account, day)) or next(
                    (e for (a, _), e in sorted(last_new.items(), key=lambda item: item[0][1]) if a == account), None)
                where = (f"{culprit.meta.get('filename')}:{culprit.meta.get('lineno')}" if culprit is not None
                         else account)
                raise InputError(where, f"importing would leave {account} at {format_cny(held)} on {day}, and a "
                                        "wallet cannot hold less than nothing: the bill starts where the books hold "
                                        "too little for it (book the wallet's opening balance, 期初余额, on the day "
                                        "before its first line, or import the earlier bill first), so nothing was "
                                        "written")


def already_booked(books: Books, account: str, transactions: Sequence[data.Transaction],
                   found: Sequence[Identity]) -> list[bool]:
    """Which of one statement's *transactions* (with their identities) are movements the books hold.

    Only a movement of the same account, date and amount can be the same; each booked one stands for at
    most one line of the file. In turn, a line is that movement when it has the same id; the same serial
    with another twin suffix (twins split otherwise over files); for the same payee, a serial that is the
    other's garbled form (Excel's ``4.20E+27``, or 15 digits then zeros) or the same content hash; and, for
    a line whose serial is no identity (shared in the file, or booked for another movement), the same payee.
    A movement booked from a line whose serial was no identity keeps that serial as ``serial`` metadata.
    """
    keys = []
    for txn in transactions:
        units = txn.postings[0].units
        assert units is not None and isinstance(units.number, Decimal)
        keys.append((account, txn.date, units.number))
    used: dict[tuple[str, date, Decimal], set[int]] = {}
    out = [False] * len(transactions)

    def same_id(i: int, other: str, _payee: str, _serial: str) -> bool:
        return other == found[i].id

    def same_base(i: int, other: str, _payee: str, _serial: str) -> bool:
        return base_id(other) == base_id(found[i].id)

    def same_content(i: int, other: str, payee: str, serial: str) -> bool:
        identity, other = found[i], base_id(other)
        if payee != (transactions[i].payee or ""):
            return False
        if other == identity.content:
            return True
        if not identity.serial:
            return False
        garbled = identity.trouble == "excel"
        return same_serial(identity.serial, other, garbled) or bool(serial and same_serial(identity.serial, serial,
                                                                                             garbled))

    def same_payee(i: int, _other: str, payee: str, _serial: str) -> bool:
        return found[i].trouble in ("shared", "taken") and payee == (transactions[i].payee or "")

    for test in (same_id, same_base, same_content, same_payee):
        for i, key in enumerate(keys):
            if out[i]:
                continue
            booked = books.movements.get(key)
            if not booked:
                continue
            taken = used.setdefault(key, set())
            match = next((j for j, (other, payee, serial) in enumerate(booked)
                          if j not in taken and test(i, other, payee, serial)), None)
            if match is not None:
                taken.add(match)
                out[i] = True
    return out


_TROUBLE = {
    "excel": "unreadable (saved by Excel?)",
    "shared": "shared by lines of different dates or amounts",
    "taken": "already booked for another date or amount",
}


def _serial_notes(statement: Statement, troubles: Counter[str]) -> list[str]:
    column = statement.layout.columns.get("serial")
    name = statement.layout.names[column] if column is not None else "serial"
    return [f"{troubles[key]} line{'s' if troubles[key] > 1 else ''}: {name} {text}, recognised by content instead"
            for key, text in _TROUBLE.items() if troubles[key]]
