"""``commonfund opening``: every account's balance at a cut-over date (期初余额), from a trial balance or a list of
bank balances, booked as one opening entry per fund.

A committee that arrives with books of its own starts commonfund at a cut-over date D: ``commonfund init
--start D`` and then ``commonfund opening DIR --date D FILE``. The file (CSV in GBK or UTF-8 with BOM, or
XLSX) has a header row naming the columns: the account (科目, 科目名称, 账户, 银行账户 — a Beancount account,
or a Chinese account name of the chart such as ``银行存款-维修资金专户`` — or 账号 / 户名 of a
``[[bank_accounts]]`` entry of compound.toml) and the balance (金额, 余额, 期末余额, positive in the account's
normal direction; or 借方 and 贷方; or an amount with 方向 借/贷). Each fund gets one entry, of the same form as
``import --opening`` writes (:func:`commonfund.importers.opening.fund_opening_entry`): every account its
balance, ``Equity:<Fund>:Opening-期初`` the rest. A trial balance that gives net assets (净资产, Equity rows)
must balance per fund (assets = liabilities + net assets), or the fund and the difference are named.

No double counting with ``init``: ``init`` books the register's first deposits (首期维修资金) into the
maintenance fund's bank account on the books' start. A cut-over balance already contains them, so the opening
entry books, for that account, the balance *less* what ``init`` booked (the narration says so), and the
account holds exactly the file's balance at the end of D. Any other entry on or before D for an account of the
file is refused in one sentence naming it, as is an account that already has an opening balance (``import
--opening``) and a date before the books' start.

Written like the importer's files: ``imports/opening/cutover-<D>.beancount``, included by
``imports/index.beancount``, the books checked with it in place first, all-or-nothing, under the import lock.
Re-running with the same file adds nothing; any other opening (another file, another date) is refused: a
compound has one cut-over.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from beancount.core import data

from commonfund.compound.config import CONFIG_NAME, CompoundConfig, load_config
from commonfund.compound.model import locate
from commonfund.core.accounts import chart_by_account
from commonfund.core.errors import InputError
from commonfund.core.funds import FUNDS, fund_of
from commonfund.core.money import format_cny
from commonfund.importers.ledger import (
    INDEX,
    Books,
    Plan,
    describe,
    merge_index,
    merge_month,
    new_errors,
    read_books,
    write_files,
)
from commonfund.importers.lock import import_lock
from commonfund.importers.opening import (
    OPENING_META,
    account_code,
    accounts_file,
    fund_opening_entry,
    open_entry,
    render_open,
)
from commonfund.io.tables import read_source, rows_of

FOLDER = "opening"
SOURCE_META = "cutover_file"
DIGEST_META = "cutover_sha256"
FIRST_DEPOSIT = "first-deposit"
"""The ``apportion`` key of ``init``'s first-deposit entry: the one entry allowed before the cut-over."""

ACCOUNT_HEADERS = ("科目", "科目名称", "会计科目", "账户", "账户名称", "银行账户", "account")
NUMBER_HEADERS = ("账号", "银行账号", "帐号")
HOLDER_HEADERS = ("户名", "账户名")
AMOUNT_HEADERS = ("金额", "余额", "期末余额", "账户余额", "amount", "balance")
DEBIT_HEADERS = ("借方", "期末借方", "借方余额", "期末借方余额")
CREDIT_HEADERS = ("贷方", "期末贷方", "贷方余额", "期末贷方余额")
SIDE_HEADERS = ("方向", "余额方向", "借贷方向")
TOTALS = ("合计", "总计", "小计", "本页合计")
HEADER_ROWS = 10
"""A header is looked for in the first rows (title rows above it are skipped)."""
_ACCOUNT = re.compile(r"^(Assets|Liabilities|Equity|Income|Expenses)(:[^\s:]+)+$")


@dataclass(frozen=True)
class Balance:
    """One row of the file: the account it names and its balance as Beancount holds it (debit positive)."""

    account: str
    amount: Decimal
    row: int


@dataclass
class OpeningReport:
    """What ``commonfund opening`` did.

    Attributes:
      entries: The opening entries, one per fund with balances.
      written: Files written (empty on a dry run or when nothing was new).
      already: True when the same file's opening is in the books already (nothing added).
      less_init: Per account, the first deposits ``init`` booked that the opening does not book again.
      skipped: Rows with a zero balance.
    """

    file: Path
    day: date
    entries: list[data.Transaction] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    already: bool = False
    less_init: dict[str, Decimal] = field(default_factory=dict)
    skipped: int = 0

    def totals(self) -> dict[str, Decimal]:
        """Per fund, the assets booked (the balance of its asset accounts at the cut-over)."""
        out: dict[str, Decimal] = {}
        for entry in self.entries:
            for posting in entry.postings:
                if posting.account.startswith("Assets:") and posting.units is not None:
                    fund = fund_of(posting.account) or ""
                    out[fund] = out.get(fund, Decimal(0)) + Decimal(posting.units.number or 0)
        for account, amount in self.less_init.items():
            fund = fund_of(account) or ""
            out[fund] = out.get(fund, Decimal(0)) + amount
        return out


def book_opening(compound: str | Path, file: str | Path, day: date, *, dry_run: bool = False) -> OpeningReport:
    """Book the cut-over balances of *file* on *day* (see the module); all-or-nothing, under the import lock."""
    root, main = locate(compound)
    config = load_config(root / CONFIG_NAME)
    path = Path(file)
    raw = read_source(path)
    if dry_run:
        return _book(root, main, config, path, raw, day, dry_run)
    with import_lock(root):
        return _book(root, main, config, path, raw, day, dry_run)


def _book(root: Path, main: Path, config: CompoundConfig, path: Path, raw: bytes, day: date,
          dry_run: bool) -> OpeningReport:
    start = _start(config)
    if start is not None and day < start:
        raise InputError(path, f"the cut-over date {day} is before the books start on {start} (start in "
                               f"{CONFIG_NAME}); create the books with init --start {day}, or give a later date")
    books = read_books(main)
    balances = read_balances(path, raw, config, books)
    digest = hashlib.sha256(raw).hexdigest()
    report = OpeningReport(path, day)
    if _already_booked(books, path, day, digest):
        report.already = True
        return report
    report.skipped = sum(1 for b in balances if b.amount == 0)
    held = _held_by_init(books, [b for b in balances if b.amount != 0], day, path)
    by_fund: dict[str, dict[str, Decimal]] = {}
    given_equity: set[str] = set()
    for balance in balances:
        if balance.amount == 0:
            continue
        fund = fund_of(balance.account) or ""
        rest = balance.amount - held.get(balance.account, Decimal(0))
        if rest or balance.account.startswith("Equity:"):
            by_fund.setdefault(fund, {})[balance.account] = rest
        if balance.account.startswith("Equity:"):
            given_equity.add(fund)
    for fund in given_equity:
        signed = [b for b in balances if fund_of(b.account) == fund]
        difference = sum((b.amount for b in signed), Decimal(0))
        if difference:
            assets = sum((b.amount for b in signed if b.account.startswith("Assets:")), Decimal(0))
            liabilities = -sum((b.amount for b in signed if b.account.startswith("Liabilities:")), Decimal(0))
            equity = -sum((b.amount for b in signed if b.account.startswith("Equity:")), Decimal(0))
            raise InputError(path, f"the trial balance of {FUNDS[fund].name_zh} does not balance: assets "
                                   f"{format_cny(assets)} ≠ liabilities {format_cny(liabilities)} + net assets "
                                   f"{format_cny(equity)} (difference {format_cny(difference)})")
    report.less_init = {a: v for a, v in held.items() if v}
    extra = {SOURCE_META: path.name, DIGEST_META: digest}
    for fund in FUNDS:
        if fund not in by_fund:
            continue
        what = f"{path.name} 截至{day.isoformat()}的余额"
        less = [f"{account_code(a)[1]}已扣除 init 记入的首期维修资金{format_cny(v, symbol=False)}"
                for a, v in report.less_init.items() if fund_of(a) == fund]
        if less:
            what += "；" + "，".join(less)
        report.entries.append(fund_opening_entry(fund, by_fund[fund], day, what=what, filename=str(path),
                                                 lineno=min(b.row for b in balances if fund_of(b.account) == fund),
                                                 extra=extra))
    if not report.entries and not report.less_init:
        raise InputError(path, "every balance in the file is zero: nothing to book")
    if not report.entries:
        return report  # the balances are exactly the first deposits init booked: nothing more to book
    plan = _plan(books, config, report.entries, day, start)
    errors = new_errors(books, plan)
    if errors:
        raise InputError(path, f"booking these opening balances would make the books fail their checks, so "
                               f"nothing was written: {describe(errors)}")
    if not dry_run:
        write_files(plan)
        report.written = sorted(plan.files)
    return report


def opening_file(books: Books, day: date) -> Path:
    return books.imports_dir / FOLDER / f"cutover-{day.isoformat()}.beancount"


def _plan(books: Books, config: CompoundConfig, entries: list[data.Transaction], day: date,
          start: date | None) -> Plan:
    """The opening file, any ``open`` directives the entries need, and the index including the file."""
    target = opening_file(books, day)
    title = (f";; {FOLDER} 期初余额 opening balances at the cut-over {day.isoformat()}, recorded by "
             "`commonfund opening` (one entry per fund)")
    files: dict[Path, str] = {target: merge_month(None, entries, title)}
    banks = {b.account: b for b in config.bank_accounts}
    opens: list[str] = []
    for entry in entries:
        for posting in entry.postings:
            account = posting.account
            if account in books.open_accounts:
                continue
            books.open_accounts.add(account)
            opens.append(render_open(open_entry(account, start or day, banks.get(account))))
    if opens:
        accounts = accounts_file(books.options_map.get("include", []))
        if accounts is None:
            raise InputError(books.main, "includes no accounts.beancount to open the new accounts in")
        text = accounts.read_text("utf-8").rstrip("\n")
        files[accounts] = text + "\n\n;; opened by `commonfund opening`\n" + "\n".join(opens) + "\n"
    index = books.imports_dir / INDEX
    include = f"{FOLDER}/{target.name}"
    files[index] = merge_index(index.read_text("utf-8") if index.is_file() else "", [include])
    return Plan(files)


def _start(config: CompoundConfig) -> date | None:
    try:
        return date.fromisoformat(config.start) if config.start else None
    except ValueError:
        raise InputError(CONFIG_NAME, f"start {config.start!r} is not a date (YYYY-MM-DD)") from None


def _already_booked(books: Books, path: Path, day: date, digest: str) -> bool:
    """True if this very file's opening at *day* is in the books; refuse any other cut-over opening."""
    for entry in books.entries:
        if isinstance(entry, data.Transaction) and entry.meta.get(DIGEST_META) is not None:
            if entry.meta[DIGEST_META] == digest and entry.date == day:
                return True
            where = f"{entry.meta.get('filename')}:{entry.meta.get('lineno')}"
            raise InputError(path, f"the books already hold the opening balances at {entry.date} from "
                                   f"{entry.meta.get(SOURCE_META)} ({where}); a compound has one cut-over, so "
                                   "correct that entry by hand rather than booking a second opening")
    return False


def _held_by_init(books: Books, balances: list[Balance], day: date, path: Path) -> dict[str, Decimal]:
    """Per account of the file, what ``init``'s first-deposit entry booked on or before *day*.

    Any other entry on or before *day* for an account of the file, and any opening balance of one (whatever
    its date), is refused: the cut-over balance would count it twice.
    """
    wanted = {b.account: b for b in balances}
    held: dict[str, Decimal] = {}
    for entry in books.entries:
        if isinstance(entry, data.Transaction):
            touched = [p for p in entry.postings if p.account in wanted]
            if not touched:
                continue
            is_init = any((p.meta or {}).get("apportion") == FIRST_DEPOSIT for p in entry.postings)
            where = f"{entry.meta.get('filename')}:{entry.meta.get('lineno')}"
            account = touched[0].account
            if entry.meta.get(OPENING_META) is not None:
                raise InputError(f"{path}:{wanted[account].row}", f"{account} already has an opening balance "
                                 f"({where}); booking another would count its money twice")
            if entry.date > day:
                continue
            if not is_init:
                raise InputError(f"{path}:{wanted[account].row}", f"the books already hold an entry for {account} "
                                 f"on {entry.date} ({where}), on or before the cut-over {day}; the cut-over "
                                 "balance would count it twice — give a cut-over date before it, or remove it")
            for posting in touched:
                if posting.units is not None and posting.units.number is not None:
                    held[posting.account] = held.get(posting.account, Decimal(0)) + posting.units.number
        elif isinstance(entry, (data.Balance, data.Pad)) and entry.account in wanted and entry.date <= day:
            where = f"{entry.meta.get('filename')}:{entry.meta.get('lineno')}"
            raise InputError(f"{path}:{wanted[entry.account].row}", f"the books already assert {entry.account} on "
                             f"{entry.date} ({where}), on or before the cut-over {day}")
    return held


# ── reading the file ──────────────────────────────────────────────────────────────────────────────────


def read_balances(path: Path, raw: bytes, config: CompoundConfig, books: Books | None = None) -> list[Balance]:
    """The rows of a trial balance or list of bank balances, each naming a known account (see the module)."""
    lookup = _Lookup(config, books)
    rows = iter(rows_of(path, raw))
    header: dict[str, int] | None = None
    out: list[Balance] = []
    seen: dict[str, int] = {}
    for number, cells in rows:
        if header is None:
            header = _header(cells)
            if header is None and number > HEADER_ROWS:
                raise InputError(f"{path}:{number}", "no header row in the first rows: the file needs a row naming "
                                 "an account column (科目, 科目名称, 账户, 银行账户, 账号 or 户名) and a balance "
                                 "column (金额, 余额, 期末余额, or 借方 and 贷方)")
            continue
        cells = cells + [""] * (max(header.values()) + 1 - len(cells))
        texts = {key: cells[at].strip() for key, at in header.items()}
        name = texts.get("account") or texts.get("number") or texts.get("holder") or ""
        if any(text.replace(" ", "").startswith(TOTALS) for text in cells[:3] if text):
            continue
        if not name and not any(texts.get(k) for k in ("amount", "debit", "credit")):
            continue
        here = f"{path}:{number}"
        if not name:
            raise InputError(here, "this row has a balance but names no account")
        account = lookup.resolve(texts, here)
        if account.startswith(("Income:", "Expenses:")):
            raise InputError(here, f"{name} is an income or expense account ({account}); give the balances after "
                                   "the year is closed into net assets (净资产), or book the year's movements")
        amount = _amount(texts, account, here)
        if account in seen:
            raise InputError(here, f"{account} is listed twice (first at row {seen[account]})")
        seen[account] = number
        out.append(Balance(account, amount, number))
    if header is None:
        raise InputError(path, "no header row: the file needs a row naming an account column (科目, 科目名称, "
                               "账户, 银行账户, 账号 or 户名) and a balance column (金额, 余额, 期末余额, or 借方 "
                               "and 贷方)")
    if not out:
        raise InputError(path, "the file lists no balances")
    return out


def _header(cells: list[str]) -> dict[str, int] | None:
    """The columns of a header row, or None if *cells* is no header (a title row above it)."""
    found: dict[str, int] = {}
    groups = (("account", ACCOUNT_HEADERS), ("number", NUMBER_HEADERS), ("holder", HOLDER_HEADERS),
              ("amount", AMOUNT_HEADERS), ("debit", DEBIT_HEADERS), ("credit", CREDIT_HEADERS), ("side", SIDE_HEADERS))
    for at, cell in enumerate(cells):
        name = cell.replace(" ", "").replace("\u3000", "").lower()
        for key, names in groups:
            if key not in found and name in {n.lower() for n in names}:
                found[key] = at
    has_account = any(k in found for k in ("account", "number", "holder"))
    has_amount = "amount" in found or ("debit" in found and "credit" in found)
    return found if has_account and has_amount else None


def _number(text: str, here: str, what: str) -> Decimal:
    cleaned = text.replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").replace(" ", "")
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    try:
        value = Decimal(cleaned.strip("()") or "0")
    except InvalidOperation:
        raise InputError(here, f"{what} {text!r} is not an amount") from None
    if not value.is_finite() or value != value.quantize(Decimal("0.01")):
        raise InputError(here, f"{what} {text!r} must be an amount in yuan with at most two decimals")
    value = value.quantize(Decimal("0.01"))  # 1200 → 1200.00, as the books write amounts
    return -value if negative else value


def _amount(texts: dict[str, str], account: str, here: str) -> Decimal:
    """The balance as Beancount holds it: debit positive, credit negative."""
    if "debit" in texts and "credit" in texts and not texts.get("amount"):
        return _number(texts["debit"], here, "借方") - _number(texts["credit"], here, "贷方")
    amount = _number(texts.get("amount", ""), here, "amount")
    side = texts.get("side", "")
    if side:
        if side in ("借", "借方", "debit", "Dr"):
            return amount
        if side in ("贷", "贷方", "credit", "Cr"):
            return -amount
        if side in ("平",):
            return Decimal(0)
        raise InputError(here, f"方向 {side!r} must be 借 or 贷")
    return amount if account.startswith("Assets:") else -amount


class _Lookup:
    """Account names a row may use: a Beancount account, a chart name, a bank account's number or name."""

    def __init__(self, config: CompoundConfig, books: Books | None) -> None:
        self.banks = config.bank_accounts
        names: dict[str, set[str]] = {}
        for account, known in chart_by_account().items():
            names.setdefault(_key(known.name), set()).add(account)
        if books is not None:
            for entry in books.entries:
                if isinstance(entry, data.Open) and entry.meta.get("name_zh"):
                    names.setdefault(_key(str(entry.meta["name_zh"])), set()).add(entry.account)
        for bank in config.bank_accounts:
            leaf = bank.account.rsplit(":", 1)[-1]
            for name in (bank.name, leaf, leaf.split("-", 1)[-1]):
                if name:  # 维修资金专户, Bank-维修资金专户, and as a trial balance names it: 银行存款-维修资金专户
                    for spelled in (name, f"{account_code(bank.account, bank)[1].split('-', 1)[0]}-{name}"):
                        names.setdefault(_key(spelled), set()).add(bank.account)
        self.names = names
        self.known = set(chart_by_account()) | {b.account for b in config.bank_accounts}
        if books is not None:
            self.known |= books.open_accounts

    def resolve(self, texts: dict[str, str], here: str) -> str:
        for key in ("account", "number", "holder"):
            text = texts.get(key, "")
            if not text:
                continue
            found = self._one(key, text, here)
            if found is not None:
                return found
        shown = " / ".join(texts[k] for k in ("account", "number", "holder") if texts.get(k))
        raise InputError(here, f"{shown!r} is no account of these books: name a Beancount account "
                               "(Assets:…), a Chinese account name of the chart (银行存款-维修资金专户), or a "
                               f"[[bank_accounts]] account of {CONFIG_NAME} by its number or name")

    def _one(self, key: str, text: str, here: str) -> str | None:
        if key == "number":
            digits = "".join(text.split())
            matches = {b.account for b in self.banks if b.last_digits and digits.endswith(b.last_digits)}
        elif _ACCOUNT.match(text.strip()):
            account = text.strip()
            if fund_of(account) is None:
                raise InputError(here, f"{account} names no fund (MaintenanceFund, CommonRevenue, Committee)")
            if account not in self.known:
                raise InputError(here, f"{account} is not an account of these books: open it in "
                                       "accounts.beancount or add it to [[bank_accounts]] first")
            return account
        else:
            matches = self.names.get(_key(text), set())
        if len(matches) > 1:
            raise InputError(here, f"{text!r} could be {' or '.join(sorted(matches))}: name the account itself")
        return next(iter(matches), None)


def _key(name: str) -> str:
    return "".join(name.split()).replace("－", "-").replace("—", "-").lower()

