"""Imported entries into the books: ``imports/<account>/<YYYY-MM>.beancount`` and ``imports/index.beancount``.

* What is already there is read once (parsed, not booked) to know every ``import_id`` per bank
  account — on a transaction, or on a bank posting for a hand-booked transfer between two accounts —
  and every balance assertion.
* New entries are merged into their month file (existing text kept as written, entries ordered by
  date), and the index gets an ``include`` line per month file (Beancount treats a glob that matches
  nothing as an error, hence one explicit line each).
* Before anything is written the ledger is booked and checked with the new files in place; if that
  shows errors, it is checked as it is too, and the import is refused if the new files add any.
* The index is the single commit point. A month file the books already include is never rewritten in
  place: its merged text goes to the month's other slot (``YYYY-MM.beancount`` ↔ ``YYYY-MM.1.beancount``),
  which the books do not include; the index is then replaced atomically to include the new slot instead
  of the old one, and only after that is the old slot removed. A process killed at any point leaves the
  books (what the index includes) either exactly as before or fully imported; a leftover slot or temp
  file that the books do not include is removed by the next import.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from beancount import loader
from beancount.core import data
from beancount.ops import validation
from beancount.parser import booking, parser, printer

from commonfund.core.errors import InputError
from commonfund.importers.extract import BANK_IMPORT_ID, IMPORT_ID, SERIAL
from commonfund.importers.opening import OPENING_FILE, accounts_file
from commonfund.io.atomic import atomic_open

IMPORTS = "imports"
INDEX = "index.beancount"
_CHUNK = re.compile(r"^\d{4}-\d{2}-\d{2}\s")
_INCLUDE = re.compile(r'^include\s+"([^"]+)"\s*$')
_MONTH_FILE = re.compile(r"^\d{4}-\d{2}(\.1)?\.beancount$")
_TEMP_FILE = re.compile(r"^\..+\.tmp$")


def account_folder(account: str) -> str:
    """An account's imports folder: ``Assets:CommonRevenue:Bank-共有收益户`` → ``CommonRevenue-Bank-共有收益户``."""
    return "-".join(account.split(":")[1:])


@dataclass
class Books:
    """The books as parsed (unbooked), with what an import needs to know about them.

    Attributes:
      main: ``main.beancount``.
      entries: All parsed directives (before booking and plugins).
      parse_errors: Parser errors.
      options_map: Beancount options.
      ids: ``(account, import_id)`` pairs already booked.
      booked: ``(account, import_id)`` → the ``(date, amount)`` of each movement booked with it.
      movements: ``(account, date, amount)`` → ``(import_id, payee, serial)`` of each movement booked so
        (*serial*: the ``serial`` metadata of a line whose serial was no identity, else ``""``) — how a line
        whose serial was garbled is found again: see :mod:`.importing`.
      balances: ``(account, date)`` of existing balance assertions.
      open_accounts: Accounts opened in the books.
    """

    main: Path
    entries: list[data.Directive]
    parse_errors: list[Any]
    options_map: dict[str, Any]
    ids: set[tuple[str, str]] = field(default_factory=set)
    booked: dict[tuple[str, str], list[tuple[date, Decimal]]] = field(default_factory=dict)
    movements: dict[tuple[str, date, Decimal], list[tuple[str, str, str]]] = field(default_factory=dict)
    balances: set[tuple[str, Any]] = field(default_factory=set)
    open_accounts: set[str] = field(default_factory=set)

    @property
    def imports_dir(self) -> Path:
        return self.main.parent / IMPORTS

    def add(self, account: str, import_id: str, txn: data.Transaction, posting: data.Posting) -> None:
        """Index a movement of *account* booked with *import_id* (by *posting* of *txn*)."""
        self.ids.add((account, import_id))
        units = posting.units
        number = units.number if units is not None and not isinstance(units, type) else None
        if not isinstance(number, Decimal):
            return
        self.booked.setdefault((account, import_id), []).append((txn.date, number))
        serial = str(txn.meta.get(SERIAL, "")) if txn.meta else ""
        self.movements.setdefault((account, txn.date, number), []).append((import_id, txn.payee or "", serial))


def read_books(main: Path) -> Books:
    """Parse the ledger (no booking) and index its import ids and balance assertions."""
    entries, parse_errors, options_map = loader._parse_recursive([(str(main), True)], None, None)
    entries.sort(key=data.entry_sortkey)
    books = Books(main, entries, parse_errors, options_map)
    index = str((main.parent / IMPORTS / INDEX).resolve())
    if index not in {str(Path(p).resolve()) for p in options_map.get("include", [])}:
        raise InputError(main, f'does not include {IMPORTS}/{INDEX}; add the line include "{IMPORTS}/{INDEX}"')
    for entry in entries:
        if isinstance(entry, data.Transaction):
            txn_id = entry.meta.get(IMPORT_ID)
            for posting in entry.postings:
                if txn_id is not None:
                    books.add(posting.account, str(txn_id), entry, posting)
                if posting.meta and posting.meta.get(IMPORT_ID) is not None:
                    books.add(posting.account, str(posting.meta[IMPORT_ID]), entry, posting)
            linked = entry.meta.get(BANK_IMPORT_ID)
            if linked is not None and entry.postings:  # a migrated entry a statement line was linked to
                books.add(entry.postings[0].account, str(linked), entry, entry.postings[0])
        elif isinstance(entry, data.Balance):
            books.balances.add((entry.account, entry.date))
        elif isinstance(entry, data.Open):
            books.open_accounts.add(entry.account)
    return books


def month_of(entry: data.Directive) -> str:
    """The month file an entry goes to (a balance: the month of the day it closes)."""
    day = entry.date - timedelta(days=1) if isinstance(entry, data.Balance) else entry.date
    return f"{day.year:04d}-{day.month:02d}"


def render(entry: data.Directive) -> str:
    return printer.format_entry(entry).rstrip("\n")


def _chunks(text: str) -> tuple[str, list[str]]:
    """Split a month file into its header and one chunk of text per directive."""
    header: list[str] = []
    chunks: list[list[str]] = []
    for line in text.splitlines():
        if _CHUNK.match(line):
            chunks.append([line])
        elif chunks:
            chunks[-1].append(line)
        else:
            header.append(line)
    return "\n".join(header).rstrip("\n"), ["\n".join(c).rstrip("\n") for c in chunks]


def merge_month(existing: str | None, new: Iterable[data.Directive], title: str) -> str:
    """The text of a month file: its existing directives and the new ones, ordered by date."""
    header, chunks = _chunks(existing) if existing else (title, [])
    items = [(c[:10], 0 if " balance " in c.split("\n", 1)[0] else 1, n, c) for n, c in enumerate(chunks)]
    items += [(e.date.isoformat(), 0 if isinstance(e, data.Balance) else 1, len(items) + n, render(e))
              for n, e in enumerate(new)]
    items.sort(key=lambda item: item[:3])
    return header + "\n\n" + "\n\n".join(item[3] for item in items) + "\n"


def merge_index(existing: str, includes: Iterable[str], removed: Iterable[str] = ()) -> str:
    """The index text with an include line for each month file (without *removed*), sorted and unique."""
    header: list[str] = []
    found: set[str] = set()
    for line in existing.splitlines():
        match = _INCLUDE.match(line.strip())
        if match:
            found.add(match.group(1))
        elif line.strip() or header:
            header.append(line)
    lines = "\n".join(header).rstrip("\n")
    body = "\n".join(f'include "{name}"' for name in sorted((found - set(removed)) | set(includes)))
    return (lines + "\n" if lines else "") + body + "\n"


@dataclass(frozen=True)
class Plan:
    """What an import writes.

    Attributes:
      files: New contents by path: month files (each in a slot the books do not include), the index last.
      superseded: Month files the books include now and the new index no longer does (removed after it).
    """

    files: dict[Path, str]
    superseded: frozenset[Path] = frozenset()


def plan_files(books: Books, new: list[data.Directive], openings: Iterable[data.Transaction] = (),
               opens: Iterable[str] = ()) -> Plan:
    """New contents of every file the import changes (month files in their free slot, and the index).

    *openings*: opening-balance entries (see :mod:`.opening`), each written to its account's own
    ``opening.beancount`` (refused by the caller when the books already include one); *opens*: ``open``
    directives (text) appended to the books' ``accounts.beancount``, written before the index.
    """
    by_file: dict[tuple[str, str], list[data.Directive]] = {}
    for entry in new:
        account = entry.account if isinstance(entry, data.Balance) else _bank_account(entry)
        by_file.setdefault((account_folder(account), month_of(entry)), []).append(entry)
    files: dict[Path, str] = {}
    includes: list[str] = []
    removed: list[str] = []
    superseded: set[Path] = set()
    included = {str(Path(p).resolve()) for p in books.options_map.get("include", [])}
    for (folder, month), entries in sorted(by_file.items()):
        slots = (f"{month}.beancount", f"{month}.1.beancount")
        paths = [books.imports_dir / folder / name for name in slots]
        current = next((i for i, path in enumerate(paths) if str(path.resolve()) in included), None)
        # A slot the books do not include is no part of them (e.g. left by an import killed before it
        # wrote the index): it is overwritten, never merged, or its entries would be booked twice.
        existing = paths[current].read_text("utf-8") if current is not None else None
        target = 0 if current is None else 1 - current
        title = f";; {folder} {month} — 导入的银行流水 imported by `commonfund import` (ordered by date)"
        files[paths[target]] = merge_month(existing, entries, title)
        includes.append(f"{folder}/{slots[target]}")
        if current is not None:
            removed.append(f"{folder}/{slots[current]}")
            superseded.add(paths[current])
    for entry in openings:
        folder = account_folder(_bank_account(entry))
        title = f";; {folder} 期初余额 opening balance, recorded by `commonfund import --opening`"
        files[books.imports_dir / folder / OPENING_FILE] = merge_month(None, [entry], title)
        includes.append(f"{folder}/{OPENING_FILE}")
    opened = list(opens)
    if opened:
        accounts = accounts_file(books.options_map.get("include", []))
        if accounts is None:
            raise InputError(books.main, "includes no accounts.beancount to open the new accounts in")
        text = accounts.read_text("utf-8").rstrip("\n")
        files[accounts] = (text + "\n\n;; opened by `commonfund import` (bank_accounts of compound.toml)\n"
                           + "\n".join(opened) + "\n")
    if files:
        index = books.imports_dir / INDEX
        files[index] = merge_index(index.read_text("utf-8") if index.is_file() else "", includes, removed)
    return Plan(files, frozenset(superseded))


def remove_leftovers(books: Books) -> list[Path]:
    """Remove month-file slots and temp files under ``imports/`` that the books do not include.

    They can only be left by an import that was killed before (or just after) its commit point; run under
    the import lock, before planning. Returns what was removed.
    """
    included = {str(Path(p).resolve()) for p in books.options_map.get("include", [])}
    removed: list[Path] = []
    if not books.imports_dir.is_dir():
        return removed
    for path in sorted(books.imports_dir.rglob("*")):
        if not path.is_file() or str(path.resolve()) in included:
            continue
        if _TEMP_FILE.match(path.name) or (path.parent != books.imports_dir and _MONTH_FILE.match(path.name)):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _bank_account(entry: data.Directive) -> str:
    assert isinstance(entry, data.Transaction)
    return entry.postings[0].account  # extract() puts the bank posting first


def _check(entries: list[data.Directive], parse_errors: list[Any], options_map: dict[str, Any]) -> list[Any]:
    options = dict(options_map)
    options["include"] = list(options_map.get("include", []))
    entries = sorted(entries, key=data.entry_sortkey)
    booked, errors = booking.book(entries, options)  # type: ignore[no-untyped-call]
    errors = list(parse_errors) + list(errors)
    booked, errors = loader.run_transformations(booked, errors, options, None)
    errors.extend(validation.validate(booked, options, None, None))  # type: ignore[no-untyped-call]
    return errors


def new_errors(books: Books, plan: Plan) -> list[Any]:
    """Errors the ledger would have with the *plan* written that it does not have now."""
    files = plan.files
    replaced = {str(path.resolve()) for path in (*files, *plan.superseded)}
    kept_file: dict[str, bool] = {}  # per distinct filename (a few dozen), not per entry: resolve() is a syscall
    for entry in books.entries:
        name = entry.meta.get("filename", "")
        if name not in kept_file:
            kept_file[name] = str(Path(name).resolve()) not in replaced
    kept = [e for e in books.entries if kept_file[e.meta.get("filename", "")]]
    added: list[data.Directive] = []
    parse_errors: list[Any] = []
    for path, text in files.items():
        entries, errors, _ = parser.parse_string(text, report_filename=str(path.resolve()))
        added += entries
        parse_errors += errors
    after = _check(kept + added, books.parse_errors + parse_errors, books.options_map)
    if not after:
        return []  # clean books stay clean: no need to check the books as they are
    before = _check(books.entries, books.parse_errors, books.options_map)
    seen = Counter((type(e).__name__, e.message) for e in before)
    out = []
    for error in after:
        key = (type(error).__name__, error.message)
        if seen[key] > 0:
            seen[key] -= 1
        else:
            out.append(error)
    return out


def added_errors(books: Books, added: list[data.Directive]) -> list[Any]:
    """Errors the ledger would have with the entries *added* (in memory, their source as they were read, e.g. a
    cash-book row) that it does not have now — :func:`new_errors` without writing and parsing the text."""
    after = _check(books.entries + added, books.parse_errors, books.options_map)
    if not after:
        return []
    before = Counter((type(e).__name__, e.message) for e in _check(books.entries, books.parse_errors,
                                                                    books.options_map))
    out = []
    for error in after:
        key = (type(error).__name__, error.message)
        if before[key] > 0:
            before[key] -= 1
        else:
            out.append(error)
    return out


def describe(errors: list[Any], limit: int = 3) -> str:
    shown = "; ".join(_format(e) for e in errors[:limit])
    more = f" (and {len(errors) - limit} more)" if len(errors) > limit else ""
    return shown + more


def _format(error: Any) -> str:
    source = getattr(error, "source", None) or {}
    return f"{source.get('filename', '<unknown>')}:{source.get('lineno', 0)}: {error.message}"


def write_files(plan: Plan) -> None:
    """Write the month files (into slots the books do not include), then the index — the commit point —
    then remove the superseded slots. Each write is atomic."""
    files = plan.files
    ordered = sorted(files, key=lambda p: p.name == INDEX, reverse=True)  # index entered first, exits last
    with contextlib.ExitStack() as stack:
        for path in ordered:
            handle = stack.enter_context(atomic_open(path))
            handle.write(files[path])
    for path in sorted(plan.superseded):
        path.unlink(missing_ok=True)
