"""Wallet bills (WeChat Pay 账单明细, Alipay 交易明细): which account did the money move in?

A wallet bill lists every trade of its holder whatever paid for it; 支付方式 / 收/付款方式 says what did.

* Money through the wallet's own balance (零钱, 零钱通, 余额, 余额宝; ``/`` or empty for money received)
  moves the wallet account: those lines are booked as usual.
* A trade paid (or refunded) through a bank card of the committee — a ``[[bank_accounts]]`` entry whose
  ``last_digits`` match the card's ``(9876)`` — is not booked from the wallet bill: it is on that
  account's own statement, which books it (with its balance checked). Counted in the summary.
* A trade paid with any other card (a member's own card, a credit card, 花呗…) did not move the
  committee's money: not booked, and listed in the summary with its row.
* 零钱提现 / 充值 (and 零钱通/余额宝 moves to or from a card) move money between the wallet and a bank
  account. With a card of the committee they are booked against ``Assets:<Fund>:InTransit-在途资金``; the
  bank statement's line of the same transfer is booked against it too (a built-in rule, see
  :mod:`.categorise`), so the money is counted once on each real account and 在途资金 returns to zero when
  both statements are in. The withdrawal's 服务费 is a bank fee. With another card the wallet side is
  booked to 待分类 and the row listed.
* Moves within the wallet (零钱 ↔ 零钱通, 余额 → 余额宝) book nothing; 余额宝 收益 is income of the wallet;
  an Alipay ``不计收支 … 退款成功`` line is a refund (money back to what paid).
* A closed trade (交易关闭) books nothing — unless a refund names it by order number: then it was paid
  and refunded, and both are booked, linked (see :mod:`.extract`).
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from commonfund.compound.config import BankAccount, CompoundConfig
from commonfund.core.accounts import uncategorized_account
from commonfund.core.money import format_cny
from commonfund.importers.normalise import Statement, StatementLine
from commonfund.importers.profiles import Wallet

CARD = re.compile(r"[(（]\s*(\d{3,8})\s*[)）]")
WALLET_BANKS = frozenset({"WECHAT", "ALIPAY"})
COMMITTEE_CARD = "paid by a card of the committee (booked from its statement)"
OTHER = "paid otherwise (listed)"
INTERNAL = "moved within the wallet"


def in_transit(fund: str) -> str:
    """The account money passes through between a wallet and a bank account of the same fund."""
    return f"Assets:{fund}:InTransit-在途资金"


class Resolved(NamedTuple):
    """A wallet bill's lines as they moved the wallet.

    Attributes:
      lines: The lines to book on the wallet (``closed`` ones only to be paired with a refund).
      counter: For a transfer (line index → the other account): 在途资金, or 待分类 for another card.
      skipped: Lines not booked, by reason.
      notes: Sentences for the summary (rows paid otherwise, transfers with cards not the committee's).
    """

    lines: list[StatementLine]
    counter: dict[int, str]
    skipped: Counter[str]
    notes: list[str]


def _words(words: tuple[str, ...], text: str) -> bool:
    return any(word in text for word in words)


def _payer(method: str, wallet: Wallet) -> tuple[str, str]:
    """``("wallet", "")``, ``("card", digits)`` or ``("other", "")`` for a 支付方式 value."""
    text = method.strip()
    if text in ("", "/") or text.startswith(wallet.own):
        return "wallet", ""
    card = CARD.search(text)
    if card:
        return "card", card.group(1)
    return "other", ""


def committee_card(digits: str, config: CompoundConfig) -> BankAccount | None:
    """The committee's bank account (not a wallet) whose last digits are the card's, if exactly one."""
    if not digits:
        return None
    found = [b for b in config.bank_accounts if b.bank not in WALLET_BANKS and b.last_digits
             and (b.last_digits.endswith(digits) or digits.endswith(b.last_digits))]
    return found[0] if len(found) == 1 else None


def _fee(line: StatementLine, wallet: Wallet) -> Decimal:
    match = re.search(wallet.fee, f"{line.remark} {line.purpose} {line.summary}")
    if not match:
        return Decimal(0)
    try:
        return Decimal(match.group(1).replace(",", ""))
    except InvalidOperation:
        return Decimal(0)


def _row(line: StatementLine, how: str) -> str:
    what = line.summary or line.purpose
    party = f" {line.counterparty}" if line.counterparty and line.counterparty != "/" else ""
    return f"row {line.row} ({line.date} {what}{party} {format_cny(abs(line.amount))}): {how}"


def resolve(statement: Statement, bank: BankAccount, config: CompoundConfig) -> Resolved:
    """Decide, line by line, whether and how a wallet bill's line moved the wallet (module docstring)."""
    wallet = statement.layout.profile.wallet
    assert wallet is not None
    lines: list[StatementLine] = []
    counter: dict[int, str] = {}
    skipped: Counter[str] = Counter()
    notes: list[str] = []
    for line in statement.lines:
        payer, digits = _payer(line.method, wallet)
        text = f"{line.summary} {line.purpose} {line.remark}"
        if line.kind == "neutral":
            if wallet.refund_status and line.status.startswith(wallet.refund_status):
                line = line._replace(kind="refund")
            elif _words(wallet.internal, text) and payer != "card":
                skipped[INTERNAL] += 1
                continue
            elif _words(wallet.withdraw, text) or _words(wallet.top_up, text) or _words(wallet.internal, text):
                out = _words(wallet.withdraw, text)  # 零钱提现's 支付方式 is the card it went to
                if not digits:
                    found = CARD.search(f"{text} {line.counterparty}")
                    digits = found.group(1) if found else ""
                card = committee_card(digits, config)
                fee = _fee(line, wallet) if out else Decimal(0)
                moved = line._replace(kind="transfer", amount=-(line.amount - fee) if out else line.amount, fee=fee)
                if card is not None and card.fund == bank.fund:
                    counter[len(lines)] = in_transit(bank.fund)
                else:
                    counter[len(lines)] = uncategorized_account(bank.fund, "out" if out else "in")
                    whose = line.method if payer == "card" else (digits and f"card …{digits}") or "a card"
                    notes.append(_row(line, f"{'to' if out else 'from'} {whose}, not a bank account of the "
                                            f"committee in compound.toml: booked to 待分类"))
                lines.append(moved)
                continue
            elif _words(wallet.income, text) and payer == "wallet":
                lines.append(line._replace(kind="normal"))
                continue
            elif payer == "wallet" and wallet.neutral_paid == "out":
                lines.append(line._replace(kind="normal", amount=-line.amount))
                continue
            else:
                skipped["neutral"] += 1
                continue
        if payer == "wallet":
            lines.append(line)
        elif line.kind == "closed":
            skipped["status"] += 1
        elif payer == "card" and committee_card(digits, config) is not None:
            skipped[COMMITTEE_CARD] += 1
        else:
            skipped[OTHER] += 1
            notes.append(_row(line, f"{line.method} is not the wallet nor a card of the committee: not booked"))
    return Resolved(lines, counter, skipped, notes)
