"""``commonfund migrate``: a committee's existing cash book into its books, and statements linked to it.

Migrating (:func:`migrate_cashbooks`), all-or-nothing under the compound's import lock, like ``import``:

* every file is read first (:mod:`.cashbook`); a row that cannot be read, or a running balance that does
  not add up, stops everything, naming file, sheet and row;
* each sheet goes to one account of one fund: ``--account`` (a ``[[bank_accounts]]`` entry of
  compound.toml, or an Assets account the books open, such as ``Assets:Committee:Cash-现金``), else the
  single bank account of ``--fund``, of the fund the sheet is named after (``维修资金``, ``公共收益``,
  ``工作经费``), or of compound.toml; a sheet named after another fund than the one asked for is refused —
  money never crosses funds here;
* a row's account is its 类别/科目 looked up in ``[migrate.categories]`` of compound.toml (accounts of the
  same fund only), else the ``[[rules]]`` (摘要 as the summary, 类别 and 备注 as the purpose), else the fund's
  bank-charge and interest accounts for 手续费/利息, else the fund's 待分类 (flag ``!``, counted);
* a balance brought forward (上年结转, 期初余额…, or the balance before a sheet's first row) must be what the
  books hold for the account that day (everything dated before it, and entries of that day that are no
  import), with the rows of this run's cash books dated before it (each row once);
* the entries go to ``imports/<account folder>/migrated.beancount`` (included by the imports index), the
  books are checked with them, and only then written; a row whose ``import_id`` the books hold is skipped.

Linking (:func:`match_movements`, called by ``commonfund import`` and Fava's import page): a statement line
that the books do not hold yet is *the same money* as a migrated entry not yet linked when it moves the same
account by the same amount (same direction) within :data:`LINK_DAYS` days of the entry's date. Pairs are
made one to one, nearest date first (then the earlier line, then the earlier entry). ``import`` then books
no new transaction for the line: it rewrites the migrated entry with the line's date, ``bank_import_id``
(the line's ``import_id``) and ``cashbook_date`` (the date the cash book gave), so the bank's balance
assertions hold and a second import finds the line as already booked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from beancount.core import data
from beancount.core.amount import Amount

from commonfund.compound.config import CONFIG_NAME, BankAccount, CompoundConfig, load_config
from commonfund.compound.model import locate
from commonfund.core.accounts import uncategorized_account
from commonfund.core.errors import InputError
from commonfund.core.funds import FUNDS, fund_of
from commonfund.core.money import CURRENCY, format_cny
from commonfund.core.program import command_line
from commonfund.importers.cashbook import CashBook, CashRow, Layout, Sheet, load_layouts, read_cashbook
from commonfund.importers.categorise import Categoriser, Category
from commonfund.importers.extract import BANK_IMPORT_ID, IMPORT_ID, SERIAL
from commonfund.importers.ledger import (
    INDEX,
    Books,
    Plan,
    account_folder,
    added_errors,
    describe,
    merge_index,
    read_books,
    write_files,
)
from commonfund.importers.lock import import_lock
from commonfund.importers.normalise import StatementLine
from commonfund.io.gcfreeze import long_lived_heap_frozen

MIGRATED_FILE = "migrated.beancount"
MIGRATED = "migrated"
"""Metadata of a migrated entry: where it came from (``收支明细账.xlsx 2021年 第12行``)."""
CASHBOOK_DATE = "cashbook_date"
LINK_DAYS = 5
"""A statement line and a migrated entry are the same money only within this many days of each other."""
SHEET_FUNDS = (
    ("MaintenanceFund", ("维修资金", "维修基金", "专项维修")),
    ("CommonRevenue", ("共有收益", "公共收益", "公共收入", "共有收入", "经营收益")),
    ("Committee", ("工作经费", "业委会经费", "办公经费", "业委会费用")),
)


@dataclass
class SheetReport:
    """What one sheet gave: its account, movements new and already booked, rows skipped by kind."""

    path: Path
    sheet: str
    layout: str
    account: str
    rows: int = 0
    new: int = 0
    duplicates: int = 0
    uncategorised: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    unmapped: Counter[str] = field(default_factory=Counter)
    """The 类别 (or, without one, the 摘要) of the rows left on 待分类, counted."""


@dataclass
class MigrateReport:
    """The result of one migration: per sheet, sheets passed over, the new entries, the files written."""

    sheets: list[SheetReport]
    passed_over: list[tuple[Path, str]]
    entries: list[data.Transaction]
    written: list[Path]
    dry_run: bool

    def text(self) -> str:
        return "\n\n".join(render_migrated(e) for e in sorted(self.entries, key=data.entry_sortkey))


def migrate_cashbooks(compound: str | Path, files: Sequence[str | Path], fund: str | None = None,
                      account: str | None = None, layout: str | None = None, dry_run: bool = False,
                      progress: Callable[[str], None] | None = None) -> MigrateReport:
    """Migrate cash-book *files* into the compound at *compound*; see the module docstring."""
    say = progress or (lambda _message: None)
    if fund is not None and fund not in FUNDS:
        raise InputError("--fund", f"{fund!r} is not a fund (one of {', '.join(FUNDS)})")
    with long_lived_heap_frozen():
        root, main = locate(compound)
        config = load_config(root / CONFIG_NAME)
        layouts = load_layouts(root)
        books_read: list[CashBook] = []
        for file in files:
            say(f"reading {file}")
            books_read.append(read_cashbook(Path(file), layouts, layout))
        if dry_run:
            return _run(root, main, config, books_read, fund, account, dry_run, say, Path(compound))
        with import_lock(root):
            return _run(root, main, config, books_read, fund, account, dry_run, say, Path(compound))


def _sheet_fund(name: str) -> str | None:
    for fund, words in SHEET_FUNDS:
        if any(word in name for word in words):
            return fund
    return None


def _target(sheet: Sheet, config: CompoundConfig, books: Books, fund: str | None, account: str | None) -> str:
    """The account a sheet is booked to (module docstring)."""
    named = _sheet_fund(sheet.name) or _sheet_fund(sheet.title)
    where = f"{sheet.path}: sheet {sheet.name!r}" if sheet.name else str(sheet.path)
    if account:
        wanted = account.strip()
        chosen = next((b.account for b in config.bank_accounts
                       if wanted in (b.account, b.name) or (b.last_digits and wanted == b.last_digits)), None)
        if chosen is None and wanted.startswith("Assets:") and fund_of(wanted) and wanted in books.open_accounts:
            chosen = wanted
        if chosen is None:
            known = ", ".join(b.account for b in config.bank_accounts) or "none"
            raise InputError("--account", f"{wanted!r} is neither a bank account of {CONFIG_NAME} (known: {known}) "
                                          "nor an Assets account of a fund opened in the books")
        if fund and fund_of(chosen) != fund:
            raise InputError("--account", f"{chosen} belongs to {fund_of(chosen)}, not to --fund {fund}")
    else:
        wanted_fund = fund or named
        banks: list[BankAccount] = [b for b in config.bank_accounts if wanted_fund in (None, b.fund)]
        if len(banks) != 1:
            why = (f"{CONFIG_NAME} has {len(banks)} bank accounts of {wanted_fund}" if wanted_fund else
                   f"neither the sheet nor its title names a fund, and {CONFIG_NAME} has {len(banks)} bank accounts")
            raise InputError(where, f"cannot tell which account this cash book is for: {why}; pass --fund or --account "
                                    "(a bank account of compound.toml, or e.g. Assets:Committee:Cash-现金)")
        chosen = banks[0].account
    if named and fund_of(chosen) != named:
        raise InputError(where, f"the sheet (or its title) names {named}, but its rows would be booked to {chosen} "
                                f"({fund_of(chosen)}); money does not cross funds — migrate it with --fund {named}")
    return chosen


def categoriser(config: CompoundConfig, fund: str, open_accounts: set[str] | None) -> Callable[[CashRow], Category]:
    """Where a row of *fund* goes: ``[migrate.categories]``, the ``[[rules]]``, the fund's 手续费/利息, else 待分类."""
    table = {key: value for key, value in config.migrate.categories.items() if fund_of(value) == fund}
    rules = Categoriser(fund, config.rules, open_accounts)

    def categorise(row: CashRow) -> Category:
        if row.category and row.category in table:
            return Category(table[row.category])
        line = StatementLine(row.row, row.date, "", row.amount, Decimal(0), row.balance, "", "", "", "",
                             row.summary, " ".join(t for t in (row.category, row.remark) if t), "", "normal", ())
        category = rules(line)
        if category.uncategorised:
            return Category(uncategorized_account(fund, "in" if row.amount > 0 else "out"), uncategorised=True)
        return category

    return categorise


def cashbook_entries(path: Path, config: CompoundConfig, account: str,
                     layouts: dict[str, Layout] | None = None) -> list[data.Transaction]:
    """The entries of every sheet of one cash-book file for *account*, as migrating books them into books that
    open every account of the chart (no books read, no balance brought forward compared): the golden files'
    view of a layout."""
    book = read_cashbook(path, layouts if layouts is not None else load_layouts())
    categorise = categoriser(config, fund_of(account) or "", None)
    return [entry(row, account, categorise(row)) for sheet in book.sheets for row in sheet.rows]


def entry(row: CashRow, account: str, category: Category) -> data.Transaction:
    meta = data.new_metadata(str(row.path), row.row)
    meta[IMPORT_ID] = row.import_id
    meta[MIGRATED] = f"{row.path.name} {row.sheet} 第{row.row}行".replace("  ", " ")
    for key, value in (("voucher", row.voucher), ("category", row.category), ("handler", row.handler),
                       ("remark", row.remark)):
        if value:
            meta[key] = value
    if category.resolution:
        meta["resolution"] = category.resolution
    other = data.new_metadata(str(row.path), row.row)  # postings as parsed: a source each (rules may read it)
    if category.apportion:
        other["apportion"] = category.apportion
    postings = [
        data.Posting(account, Amount(row.amount, CURRENCY), None, None, None,
                     data.new_metadata(str(row.path), row.row)),
        data.Posting(category.account, Amount(-row.amount, CURRENCY), None, None, None, other),
    ]
    narration = category.narration or row.summary or row.category or "旧账迁入"
    return data.Transaction(meta, row.date, "!" if category.uncategorised else "*", None, narration, frozenset(),
                            frozenset(), postings)


class _Held:
    """What the books hold for one account on a day, leaving out the rows of this run's cash books."""

    def __init__(self, books: Books, account: str, own: set[str]) -> None:
        self.moves: list[tuple[date, bool, Decimal]] = []
        for entry in books.entries:
            if not isinstance(entry, data.Transaction) or str(entry.meta.get(IMPORT_ID, "")) in own:
                continue
            for posting in entry.postings:
                if posting.account == account and posting.units is not None \
                        and isinstance(posting.units.number, Decimal):
                    self.moves.append((entry.date, IMPORT_ID in entry.meta, posting.units.number))

    def on(self, day: date) -> Decimal:
        """Everything dated before *day*, and the entries of *day* that are no import (an opening balance)."""
        return sum((n for d, imported, n in self.moves if d < day or (d == day and not imported)), Decimal(0))


def _run(root: Path, main: Path, config: CompoundConfig, cashbooks: list[CashBook], fund: str | None,
         account: str | None, dry_run: bool, say: Callable[[str], None], typed: Path) -> MigrateReport:
    say(f"reading the books {main}")
    books = read_books(main)
    opened = {e.account: e.date for e in books.entries if isinstance(e, data.Open)}
    sheets = sorted((s for book in cashbooks for s in book.sheets), key=lambda s: s.first_date)  # stable
    targets = [_target(sheet, config, books, fund, account) for sheet in sheets]
    own: dict[str, set[str]] = {}
    for sheet, target in zip(sheets, targets, strict=True):
        own.setdefault(target, set()).update(row.import_id for row in sheet.rows)
    held = {target: _Held(books, target, ids) for target, ids in own.items()}
    for sheet, target in zip(sheets, targets, strict=True):
        _refuse_after_statements(books, sheet, target, own[target])
    rows_of: dict[str, dict[str, tuple[date, Decimal]]] = {target: {} for target in own}
    for sheet, target in zip(sheets, targets, strict=True):
        rows_of[target].update((row.import_id, (row.date, row.amount)) for row in sheet.rows)
    reports: list[SheetReport] = []
    new: list[data.Transaction] = []
    for sheet, target in zip(sheets, targets, strict=True):
        report = SheetReport(sheet.path, sheet.name, sheet.layout.title, target, len(sheet.rows),
                             skipped=Counter(sheet.skipped))
        if sheet.rows:  # the account first: a balance brought forward before it is opened says nothing
            _refuse_unopened(min(sheet.rows, key=lambda r: r.date), target, opened)
        _check_brought_forward(typed, sheet, target, held[target], rows_of[target])
        categorise = categoriser(config, fund_of(target) or "", books.open_accounts)
        for row in sheet.rows:
            if (target, row.import_id) in books.ids:
                report.duplicates += 1
                continue
            category = categorise(row)
            for needed in (target, category.account):
                _refuse_unopened(row, needed, opened)
            made = entry(row, target, category)
            books.add(target, row.import_id, made, made.postings[0])
            new.append(made)
            report.new += 1
            report.uncategorised += category.uncategorised
            if category.uncategorised:
                report.unmapped[row.category or row.summary] += 1
        reports.append(report)
    passed = [(book.path, name) for book in cashbooks for name in book.passed_over]
    written: list[Path] = []
    if new:
        plan = _plan(books, new)
        say("checking the books with the migrated entries")
        errors = added_errors(books, list(new))  # the entries as rendered: see render_migrated
        if errors:
            raise InputError(cashbooks[0].path if len(cashbooks) == 1 else root,
                             f"migrating would make the books fail their checks, so nothing was written: "
                             f"{describe(errors)}")
        if not dry_run:
            write_files(plan)
            written = sorted(plan.files)
    return MigrateReport(reports, passed, new, written, dry_run)


def _refuse_unopened(row: CashRow, account: str, opened: dict[str, date]) -> None:
    if account not in opened:
        raise InputError(row.where, f"this row would be booked to {account}, which is not opened in the books; open "
                                    f"it in accounts.beancount, or correct [migrate.categories] or the [[rules]] of "
                                    f"{CONFIG_NAME}")
    if row.date < opened[account]:
        raise InputError(row.where, f"this row is dated {row.date}, before {account} is opened in the books "
                                    f"({opened[account]}); create the books with an earlier --start (commonfund "
                                    "init), or leave the earlier rows out of the file")


def _refuse_after_statements(books: Books, sheet: Sheet, account: str, own: set[str]) -> None:
    """A new row in the months the books already hold from a statement would be the same money twice: refuse."""
    imported = [e.date for e in books.entries if isinstance(e, data.Transaction) and IMPORT_ID in e.meta
                and MIGRATED not in e.meta and str(e.meta[IMPORT_ID]) not in own
                and any(p.account == account for p in e.postings)]
    if not imported:
        return
    first = min(imported)
    late = next((row for row in sheet.rows if row.date >= first - timedelta(days=LINK_DAYS)
                 and (account, row.import_id) not in books.ids), None)
    if late is not None:
        raise InputError(late.where, f"this row is dated {late.date}, but the books already hold {account} from a "
                                     f"bank statement from {first} on, and the same money would be booked twice; "
                                     "migrate the cash book before importing the statements that overlap it, or "
                                     f"only its rows before {first - timedelta(days=LINK_DAYS)} — nothing was written")


def _check_brought_forward(root: Path, sheet: Sheet, account: str, held: _Held,
                           rows: dict[str, tuple[date, Decimal]]) -> None:
    """A sheet's balance brought forward (or the balance before its first row) must be what the books hold that
    day with the rows of this run's cash books (*rows*: import id → date and amount, each row once) dated before."""
    if sheet.opening is not None and not sheet.opening.carried:
        day = sheet.opening.date or (sheet.rows[0].date if sheet.rows else None)
        stated, where, what = sheet.opening.balance, sheet.opening.where, "brings forward"
    elif sheet.rows and sheet.rows[0].balance is not None and sheet.opening is None:
        first = sheet.rows[0]
        assert first.balance is not None
        day, stated, where, what = first.date, first.balance - first.amount, first.where, "starts from"
    else:
        return
    if day is None:
        return
    earlier = [amount for when, amount in rows.values() if when < day]
    holds = held.on(day) + sum(earlier, Decimal(0))
    if holds == stated:
        return
    hint = ("record the balances at the cut-over first "
            f"(`{command_line('opening', root, '--date', day.isoformat(), 'FILE')}`), "
            "or correct the row") if not earlier else "a row is missing or wrong in the sheets before it"
    raise InputError(where, f"the cash book {what} {format_cny(stated)} on {day}, but the books hold "
                            f"{format_cny(holds)} for {account} at that date; {hint} — nothing was written")


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _value(value: object) -> str:
    if isinstance(value, (date, Decimal, bool)):
        return str(value).upper() if isinstance(value, bool) else str(value)
    return _quote(str(value))


def render_migrated(entry: data.Transaction) -> str:
    """A migrated entry as written in ``migrated.beancount`` (what Beancount's printer writes, unaligned — a
    few times faster for years of rows; parsing it gives the entry back: ``tests/importers``)."""
    head = f"{entry.date.isoformat()} {entry.flag} "
    head += (f"{_quote(entry.payee)} " if entry.payee else "") + _quote(entry.narration or "")
    head += "".join(f" ^{link}" for link in sorted(entry.links)) + "".join(f" #{tag}" for tag in sorted(entry.tags))
    lines = [head]
    lines += [f"  {key}: {_value(value)}" for key, value in entry.meta.items() if key not in ("filename", "lineno")
              and not key.startswith("__")]
    for posting in entry.postings:
        units = posting.units
        assert units is not None and isinstance(units.number, Decimal)
        lines.append(f"  {posting.account}  {units.number} {units.currency}")
        lines += [f"    {key}: {_value(value)}" for key, value in (posting.meta or {}).items()
                  if key not in ("filename", "lineno") and not key.startswith("__")]
    return "\n".join(lines)


TITLE = ";; {folder} 旧账迁入 — the committee's cash book, migrated by `commonfund migrate` (ordered by date)"


def migrated_text(entries: Iterable[data.Transaction], title: str) -> str:
    """The text of a ``migrated.beancount``: its title, then every entry by date (ties: by cash-book order)."""
    ordered = sorted(entries, key=lambda e: (e.date, e.meta.get("lineno", 0)))
    return title + "\n\n" + "\n\n".join(render_migrated(e) for e in ordered) + "\n"


def _plan(books: Books, new: list[data.Transaction]) -> Plan:
    by_account: dict[str, list[data.Transaction]] = {}
    for entry in new:
        by_account.setdefault(entry.postings[0].account, []).append(entry)
    included = {str(Path(p).resolve()) for p in books.options_map.get("include", [])}
    files: dict[Path, str] = {}
    includes: list[str] = []
    for target, entries in sorted(by_account.items()):
        folder = account_folder(target)
        path = books.imports_dir / folder / MIGRATED_FILE
        # a file the books do not include is no part of them (left by a migration killed before the index); one
        # they include is written again whole, with the entries it holds as the books parse them
        name = str(path.resolve())
        existing = [e for e in books.entries if isinstance(e, data.Transaction)
                    and str(Path(e.meta.get("filename", "")).resolve()) == name] if name in included else []
        files[path] = migrated_text([*existing, *entries], TITLE.format(folder=folder))
        includes.append(f"{folder}/{MIGRATED_FILE}")
    index = books.imports_dir / INDEX
    files[index] = merge_index(index.read_text("utf-8") if index.is_file() else "", includes)
    return Plan(files)


# ---------------------------------------------------------------------------------------------- linking

def unlinked(entries: Iterable[data.Directive], account: str) -> list[data.Transaction]:
    """The migrated entries of *account* that no statement line is linked to yet, in date order."""
    out = [e for e in entries if isinstance(e, data.Transaction) and MIGRATED in e.meta
           and BANK_IMPORT_ID not in e.meta and e.postings and e.postings[0].account == account]
    return sorted(out, key=lambda e: (e.date, e.meta.get("lineno", 0)))


def _amount(entry: data.Transaction) -> Decimal | None:
    units = entry.postings[0].units
    number = units.number if units is not None else None
    return number if isinstance(number, Decimal) else None


def match_movements(lines: Sequence[data.Transaction], migrated: Sequence[data.Transaction],
                    days: int = LINK_DAYS) -> dict[int, int]:
    """Pair statement *lines* (their first posting is the bank's) with *migrated* entries of the same account:
    same amount and direction, dates at most *days* apart, one to one, nearest date first, then the earlier
    line, then the earlier entry. Returns line index → entry index."""
    by_amount: dict[Decimal, list[int]] = {}
    for j, entry in enumerate(migrated):
        number = _amount(entry)
        if number is not None:
            by_amount.setdefault(number, []).append(j)
    candidates: list[tuple[int, date, int, date, int]] = []
    for i, line in enumerate(lines):
        number = _amount(line)
        for j in by_amount.get(number, []) if number is not None else []:
            gap = abs((line.date - migrated[j].date).days)
            if gap <= days:
                candidates.append((gap, line.date, i, migrated[j].date, j))
    candidates.sort()
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for _gap, _day, i, _other, j in candidates:
        if i not in pairs and j not in taken:
            pairs[i] = j
            taken.add(j)
    return pairs


def linked_entry(entry: data.Transaction, line: data.Transaction) -> data.Transaction:
    """*entry* linked to statement *line*: the line's date, ``bank_import_id`` and payee, the cash book's date kept."""
    meta: dict[str, Any] = dict(entry.meta)
    meta[BANK_IMPORT_ID] = str(line.meta[IMPORT_ID])
    if line.meta.get(SERIAL):
        meta[SERIAL] = line.meta[SERIAL]  # a serial that was no identity: how the line is found again
    if line.date != entry.date:
        meta[CASHBOOK_DATE] = entry.date
    # the bank's counterparty as payee (the cash book names none): a re-import recognises the line by it too
    return entry._replace(meta=meta, date=line.date, payee=entry.payee or line.payee)


def relink_files(books: Books, links: Sequence[tuple[data.Transaction, data.Transaction]]) -> dict[Path, str]:
    """The new text of each migrated file holding an entry of *links* (``(migrated entry, statement line)``)."""
    replaced = {id(entry): linked_entry(entry, line) for entry, line in links}
    names = {str(entry.meta["filename"]) for entry, _ in links}
    files: dict[Path, str] = {}
    for name in sorted(names):
        path = Path(name)
        kept = [replaced.get(id(e), e) for e in books.entries if e.meta.get("filename") == name]
        text = path.read_text("utf-8")
        header = []
        for line in text.splitlines():
            if line[:4].isdigit():
                break
            header.append(line)
        title = "\n".join(header).rstrip("\n") or TITLE.format(folder=path.parent.name)
        files[path] = migrated_text([e for e in kept if isinstance(e, data.Transaction)], title)
    return files
