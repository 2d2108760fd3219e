"""Opening balances (期初余额) and the accounts an import needs: the entries, and where they are written.

A compound's books begin empty for an account the treasurer has just added to ``compound.toml``; its
first statement opens with whatever the account held that morning. That amount is booked once, from the
fund's ``Equity:<Fund>:Opening-期初`` account, the day before the statement's first line, in the account's
own file ``imports/<account folder>/opening.beancount`` (included by the imports index like the month files,
so it is written in the same all-or-nothing import). ``commonfund import --opening`` builds it with
:func:`opening_entry`; ``commonfund opening`` (every account at a cut-over date, :mod:`.cutover`) builds one
entry per fund with :func:`fund_opening_entry`, which :func:`opening_entry` is the one-account case of, so every
opening entry of the books has the same form.

Accounts that are not opened yet (a ``[[bank_accounts]]`` account, the fund's opening account) are opened
with :func:`open_entry` in the books' ``accounts.beancount``, with their 民非 code (from the chart data when
the chart has the account, else 1002 银行存款 for a bank account, 1009 其他货币资金 for a wallet).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path

from beancount.core import data
from beancount.core.amount import Amount

from commonfund.compound.config import BankAccount
from commonfund.core.accounts import chart_by_account
from commonfund.core.errors import InputError
from commonfund.core.money import CURRENCY

OPENING_FILE = "opening.beancount"
OPENING_NARRATION = "期初余额"
OPENING_META = "opening"
WALLET_BANKS = frozenset({"WECHAT", "ALIPAY"})


def opening_account(fund: str) -> str:
    """The equity account an opening balance of *fund* comes from."""
    return f"Equity:{fund}:Opening-期初"


def opening_entry(account: str, fund: str, amount: Decimal, day: date, *, what: str = "",
                  filename: str = "<opening>", lineno: int = 0) -> data.Transaction:
    """The opening balance (期初余额) of *account* on *day*: *account* +amount, ``Equity:<fund>:Opening-期初`` −amount.

    *what* says where the amount comes from (shown in the narration, e.g. the statement and row);
    *filename*/*lineno* are the entry's source for error messages before it is written.
    """
    return fund_opening_entry(fund, {account: amount}, day, what=what, filename=filename, lineno=lineno)


def fund_opening_entry(fund: str, balances: Mapping[str, Decimal], day: date, *, what: str = "",
                       filename: str = "<opening>", lineno: int = 0,
                       extra: Mapping[str, str] | None = None) -> data.Transaction:
    """The opening balances (期初余额) of several accounts of *fund* on *day*, as one entry of the same form as
    :func:`opening_entry`: each account its signed balance (assets positive, liabilities and net assets
    negative, as Beancount holds them), ``Equity:<fund>:Opening-期初`` the remainder. *extra*: more metadata
    (``commonfund opening`` records the file it read)."""
    meta = data.new_metadata(filename, lineno)
    meta[OPENING_META] = "TRUE"
    meta.update(extra or {})
    narration = f"{OPENING_NARRATION}（{what}）" if what else OPENING_NARRATION
    equity = opening_account(fund)
    amounts = dict(balances)
    rest = -sum(amounts.values(), Decimal(0))
    if equity in amounts:
        amounts[equity] += rest  # the net assets given, less what other entries already hold for them
    elif rest:
        amounts[equity] = rest
    postings = [data.Posting(account, Amount(amount, CURRENCY), None, None, None, None)
                for account, amount in amounts.items() if amount or account != equity]
    return data.Transaction(meta, day, "*", None, narration, frozenset(), frozenset(), postings)


def account_code(account: str, bank: BankAccount | None = None) -> tuple[str, str]:
    """The 民非 code and Chinese name an account is opened with."""
    known = chart_by_account().get(account)
    if known is not None:
        return known.code, known.name
    leaf = account.rsplit(":", 1)[-1]
    label = (bank.name if bank is not None and bank.name else "") or leaf.split("-", 1)[-1]
    wallet = (bank is not None and bank.bank.upper() in WALLET_BANKS) or leaf.startswith(("WeChat", "Alipay"))
    return ("1009", f"其他货币资金-{label}") if wallet else ("1002", f"银行存款-{label}")


def open_entry(account: str, day: date, bank: BankAccount | None = None) -> data.Open:
    """An ``open`` directive for *account* on *day*, with its 民非 ``code`` and ``name_zh``."""
    code, name = account_code(account, bank)
    meta = data.new_metadata("<import>", 0)
    meta["code"] = code
    meta["name_zh"] = name
    return data.Open(meta, day, account, [CURRENCY], None)


def render_open(entry: data.Open) -> str:
    """An ``open`` directive as written in ``accounts.beancount`` (the same form ``commonfund init`` writes)."""
    return (f"{entry.date.isoformat()} open {entry.account} {CURRENCY}\n"
            f'  code: "{entry.meta["code"]}"\n  name_zh: "{entry.meta["name_zh"]}"')


def accounts_file(includes: list[str]) -> Path | None:
    """The books' ``accounts.beancount`` (among the files the main file includes), or None."""
    return next((Path(name) for name in includes if Path(name).name == "accounts.beancount"), None)


def cannot_open(account: str, why: str) -> InputError:
    return InputError("compound.toml", f"bank account {account} is not opened in the books and {why}; add a line "
                                       f"`YYYY-MM-DD open {account} CNY` to the books first")
