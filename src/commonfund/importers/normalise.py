"""Rows of a recognised statement → :class:`StatementLine` records, from the committee's side.

Money in is positive and money out negative whatever the layout: 贷方/收入/转入/来账 = in,
借方/支出/转出/往账 = out (the bank's perspective is the account holder's). Lines come out in
chronological order (newest-first files are turned round) and the running balance is checked line by
line: a statement that does not add up is refused, naming the row.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from datetime import date
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

from commonfund.core.errors import InputError
from commonfund.core.money import format_cny
from commonfund.importers.cells import clean, parse_amount, parse_datetime, parse_time
from commonfund.importers.recognise import Layout, account_number

TEXT_FIELDS = ("serial", "counterparty", "counterparty_account", "counterparty_bank", "summary", "purpose",
               "remark", "currency", "status", "payer", "payer_account", "payee", "payee_account",
               "reversal_flag", "flag")


class StatementLine(NamedTuple):
    """One line of a bank or wallet statement, normalised.

    Attributes:
      row: The spreadsheet row number (1-based) in the file.
      date: The booking date.
      time: ``HH:MM:SS`` or ``""``.
      amount: Signed, from the committee's side (in > 0, out < 0), before any fee.
      fee: A fee charged with the line (手续费 column), ≥ 0.
      balance: The balance after the line, if the statement has one.
      serial: The bank's serial number (流水号), or ``""``.
      counterparty: The other party's name.
      counterparty_account: Its account number.
      counterparty_bank: Its bank.
      summary: 摘要 / 交易类型 / 业务名称.
      purpose: 用途 / 商品.
      remark: 附言 / 备注.
      kind: ``normal``, ``reversal`` (冲正/冲账) or ``refund`` (退款); in a wallet bill also ``neutral``
        (中性交易 / 不计收支: *amount* is the amount shown, unsigned) and ``closed`` (a payment whose status is
        交易关闭 or the like), which :mod:`.wallet` resolves.
      raw: The row's cells as read.
      method: What paid (wallet bills: 支付方式, 收/付款方式), or ``""``.
      order: The merchant's order number (商户单号, 商家订单号), or ``""``.
      status: The line's status (当前状态, 交易状态), or ``""``.
    """

    row: int
    date: date
    time: str
    amount: Decimal
    fee: Decimal
    balance: Decimal | None
    serial: str
    counterparty: str
    counterparty_account: str
    counterparty_bank: str
    summary: str
    purpose: str
    remark: str
    kind: str
    raw: tuple[str, ...]
    method: str = ""
    order: str = ""
    status: str = ""

    @property
    def text(self) -> str:
        return " ".join(t for t in (self.summary, self.purpose, self.remark) if t)


class Statement(NamedTuple):
    """A statement file read with its profile.

    Attributes:
      path: The file.
      layout: Profile, sheet and header found.
      account_number: The account number stated in the file (``*`` masks kept), or ``""``.
      lines: The lines, oldest first.
      skipped: Lines left out and why (``zero``, ``neutral``, ``status``), counted.
    """

    path: Path
    layout: Layout
    account_number: str
    lines: list[StatementLine]
    skipped: Counter[str]

    @property
    def profile_name(self) -> str:
        return self.layout.profile.name


def normalise(path: Path, layout: Layout) -> Statement:
    """Turn the data rows under the header into statement lines; raise :class:`InputError` at a bad row."""
    profile, columns = layout.profile, layout.columns
    if profile.refuse:
        raise InputError(path, profile.refuse)
    rows = layout.grid.rows
    stop_words = tuple(profile.footer.stop)
    direction = profile.direction
    flag_out = {v.lower() for v in direction.out}
    flag_in = {v.lower() for v in direction.in_}
    flag_neutral = {v.lower() for v in direction.neutral}
    skip_status = tuple(profile.skip_status)
    wallet = profile.wallet is not None
    skipped: Counter[str] = Counter()
    lines: list[StatementLine] = []
    pending_footer: list[tuple[int, str]] = []
    date_col = columns["date"]
    items = [(f, c) for f, c in columns.items() if f not in ("voucher", "currency", "own_account")]
    skip_words = tuple(profile.footer.skip)
    reversal = _words(profile.reversal_words)
    refund = _words(profile.refund_words)
    dates: dict[str, tuple[date, str] | None] = {}
    fallbacks = layout.fallbacks

    for index in range(layout.header_row + 1, len(rows)):
        number = index + 1
        raw = rows[index]
        first = next((c for c in raw if c and not c.isspace()), None)
        if first is None:
            continue
        first = clean(first)
        if first.startswith(stop_words):
            break
        if skip_words and first.startswith(skip_words):
            continue
        width = len(raw)
        get = {field: clean(raw[col]) if col < width else "" for field, col in items}
        for field, alternatives in fallbacks:
            if not get[field]:
                get[field] = next((text for col in alternatives[1:] if col < width and (text := clean(raw[col]))), "")
        date_text = get["date"]
        if date_text in dates:
            parsed = dates[date_text]
        else:
            try:
                parsed = dates[date_text] = parse_datetime(date_text)
            except ValueError:
                parsed = dates[date_text] = None
        if parsed is None:
            pending_footer.append((number, date_text))
            continue
        day, clock = parsed
        if pending_footer:
            bad_row, bad_text = pending_footer[0]
            raise InputError(f"{path}:{bad_row}", f"cannot read the date {bad_text!r} in column "
                                                  f"{layout.names[date_col]!r}")
        where = f"{path}:{number}"
        if "time" in get:
            try:
                clock = parse_time(get["time"]) or clock
            except ValueError:
                raise InputError(where, f"cannot read the time {get['time']!r}") from None
        status = get.get("status", "")
        closed = bool(status and status.startswith(skip_status))
        if closed and not wallet:
            skipped["status"] += 1
            continue
        if "flag" in columns:
            get["flag"] = rows[index][columns["flag"]].strip().strip("`\t\u3000 ") if columns["flag"] < len(
                rows[index]) else ""
        amount = _amount(where, get, layout, flag_out, flag_in, flag_neutral)
        kind = "normal"
        if closed and (amount is None or amount >= 0):
            skipped["status"] += 1  # closed before any money moved (a closed payment stays: see .wallet)
            continue
        if closed:
            kind = "closed"
        elif amount is None and wallet:
            amount, kind = abs(_money(where, get, "amount", layout) or Decimal(0)), "neutral"
        elif amount is None:
            skipped["neutral"] += 1
            continue
        assert amount is not None
        fee = _money(where, get, "fee", layout) or Decimal(0)
        balance = _money(where, get, "balance", layout)
        if amount == 0 and fee == 0 and profile.zero_lines == "skip":
            skipped["zero"] += 1
            continue
        counterparty, counterparty_account = get.get("counterparty", ""), get.get("counterparty_account", "")
        if not counterparty and ("payer" in get or "payee" in get):
            side = "payer" if amount > 0 else "payee"
            counterparty, counterparty_account = get.get(side, ""), get.get(f"{side}_account", "")
        summary, purpose, remark = get.get("summary", ""), get.get("purpose", ""), get.get("remark", "")
        text = f"{summary} {purpose} {remark}"
        if kind != "normal":
            pass
        elif get.get("reversal_flag", "").upper() in REVERSAL_FLAGS or (reversal and reversal.search(text)):
            kind = "reversal"
        elif amount > 0 and refund and refund.search(text):
            kind = "refund"
        lines.append(StatementLine(
            number, day, clock, amount, fee, balance, get.get("serial", ""), counterparty, counterparty_account,
            get.get("counterparty_bank", ""), summary, purpose, remark, kind, tuple(raw), get.get("method", ""),
            get.get("order", ""), status))
    if not lines:
        raise InputError(path, f"has no statement lines under its header (row {layout.header_row + 1}, "
                               f"profile {profile.name})")
    if "time" not in columns:
        lines = _midnight(lines)
    lines = chronological(lines, profile.fee_in_balance, path)
    check_running_balance(path, lines, profile.fee_in_balance)
    return Statement(path, layout, account_number(layout), lines, skipped)


def _midnight(lines: list[StatementLine]) -> list[StatementLine]:
    """Lines without a time in a file whose other lines have one in the same (date and time) cell were at 00:00:00.

    A spreadsheet that re-saves a statement stores ``2024-01-20 00:00:00`` as a date cell, read back without
    its time; the line must keep the identity (hash) it had in the file as exported.
    """
    if all(line.time for line in lines) or not any(line.time for line in lines):
        return lines
    return [line if line.time else line._replace(time="00:00:00") for line in lines]


REVERSAL_FLAGS = frozenset({"Y", "YES", "是", "1", "冲", "冲账", "冲正", "TRUE"})


def _words(words: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(re.escape(w) for w in words)) if words else None


def _money(where: str, get: dict[str, str], field: str, layout: Layout) -> Decimal | None:
    text = get.get(field, "")
    try:
        return parse_amount(text)
    except ValueError:
        name = layout.names[layout.columns[field]]
        raise InputError(where, f"cannot read the amount {text!r} in column {name!r}") from None


def _amount(where: str, get: dict[str, str], layout: Layout, flag_out: set[str], flag_in: set[str],
            flag_neutral: set[str]) -> Decimal | None:
    """The signed amount, or None for a line that does not move this account (中性交易, 不计收支)."""
    columns = layout.columns
    if "debit" in columns and "credit" in columns:
        debit = _money(where, get, "debit", layout)
        credit = _money(where, get, "credit", layout)
        if debit is None and credit is None:
            if "amount" not in columns:
                return Decimal(0)  # both sides empty: a zero line (利息税 0.00); the balance check still applies
        else:
            if layout.profile.direction.debit_values == "negative":
                return (credit or Decimal(0)) + (debit or Decimal(0))
            return (credit or Decimal(0)) - (debit or Decimal(0))
    value = _money(where, get, "amount", layout)
    if "flag" in columns:
        flag = get["flag"].strip().lower()
        if flag in flag_neutral or (not flag and value is None):
            return None
        if not flag:
            raise InputError(where, f"has no direction in column {layout.names[columns['flag']]!r}")
        if value is None:
            raise InputError(where, f"has no amount in {layout.names[columns['amount']]!r}")
        if flag in flag_out or flag[:1] in flag_out:
            return -abs(value) if layout.profile.direction.amount_sign == "unsigned" else value
        if flag in flag_in or flag[:1] in flag_in:
            return abs(value) if layout.profile.direction.amount_sign == "unsigned" else value
        raise InputError(where, f"cannot tell the direction {get['flag']!r} in column "
                                f"{layout.names[columns['flag']]!r} (add it to [direction] out/in/neutral "
                                f"in profile {layout.profile.name})")
    if value is None:
        raise InputError(where, f"has no amount in {layout.names[columns['amount']]!r}")
    return value


def _adds_up(lines: list[StatementLine], fee_in_balance: bool) -> bool:
    for previous, line in pairwise(lines):
        if previous.balance is None or line.balance is None:
            continue
        if previous.balance + line.amount - (line.fee if fee_in_balance else 0) != line.balance:
            return False
    return True


def chronological(lines: list[StatementLine], fee_in_balance: bool = True,
                  path: Path | None = None) -> list[StatementLine]:
    """Oldest first: a newest-first file is reversed (by its dates, or by its balances within one day).

    Without a balance column the order carries no meaning and lines are sorted by date and time. With one,
    a line whose date breaks the file's order is refused, naming that line (see :func:`out_of_order`).
    """
    if all(line.balance is None for line in lines):
        return sorted(lines, key=lambda line: (line.date, line.time))
    if path is not None:
        out_of_order(path, lines)
    if lines[0].date > lines[-1].date:
        return lines[::-1]
    if lines[0].date == lines[-1].date and len(lines) > 1 and not _adds_up(lines, fee_in_balance) \
            and _adds_up(lines[::-1], fee_in_balance):
        return lines[::-1]
    return lines


def _longest_ordered(days: list[date]) -> set[int]:
    """Indices of a longest non-decreasing subsequence of *days* (patience sorting, O(n log n))."""
    tails: list[date] = []
    tail_index: list[int] = []
    parent = [-1] * len(days)
    for i, day in enumerate(days):
        k = bisect_right(tails, day)
        if k == len(tails):
            tails.append(day)
            tail_index.append(i)
        else:
            tails[k] = day
            tail_index[k] = i
        parent[i] = tail_index[k - 1] if k else -1
    keep: set[int] = set()
    i = tail_index[-1] if tail_index else -1
    while i >= 0:
        keep.add(i)
        i = parent[i]
    return keep


def out_of_order(path: Path, lines: list[StatementLine]) -> None:
    """Refuse a file whose dates are neither oldest-first nor newest-first, naming the first line out of order.

    The file's order is the one (oldest- or newest-first) that the most lines follow; the line named is the
    first one (in file order) outside the longest run of lines in that order.
    """
    days = [line.date for line in lines]
    if all(a <= b for a, b in pairwise(days)) or all(a >= b for a, b in pairwise(days)):
        return
    rising = _longest_ordered(days)
    falling = {len(days) - 1 - i for i in _longest_ordered(days[::-1])}
    keep, order = (rising, "oldest first") if len(rising) >= len(falling) else (falling, "newest first")
    bad = next(i for i in range(len(lines)) if i not in keep)
    line = lines[bad]
    before = next((lines[i] for i in range(bad - 1, -1, -1) if i in keep), None)
    after = next((lines[i] for i in range(bad + 1, len(lines)) if i in keep), None)
    around = " and ".join(f"row {x.row} is dated {x.date}" for x in (before, after) if x is not None)
    raise InputError(f"{path}:{line.row}", f"this line (dated {line.date}) is out of order: the file runs {order} "
                                           f"and {around}; export the statement again or put the line back in "
                                           "its place")


def check_running_balance(path: Path, lines: list[StatementLine], fee_in_balance: bool) -> None:
    """Refuse a statement whose balance column does not follow from its amounts."""
    for previous, line in pairwise(lines):
        if line.date < previous.date:
            raise InputError(f"{path}:{line.row}", f"dates go backwards ({line.date} after {previous.date}): "
                                                   "the file is neither oldest-first nor newest-first")
        if previous.balance is None or line.balance is None:
            continue
        fee = line.fee if fee_in_balance else Decimal(0)
        expected = previous.balance + line.amount - fee
        if expected != line.balance:
            raise InputError(f"{path}:{line.row}", f"the running balance does not add up: {format_cny(line.balance)} "
                                                   f"stated, but {format_cny(previous.balance)} (row {previous.row}) "
                                                   f"{'+' if line.amount >= 0 else '-'} {format_cny(abs(line.amount))}"
                                                   f"{f' - fee {format_cny(fee)}' if fee else ''} = "
                                                   f"{format_cny(expected)}; is a line missing?")
