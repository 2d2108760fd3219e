"""What both disclosures share: account labels, a one-pass scan of a fund's movements, cited
resolutions, the books' first day, and turning figure records into JSON.

All sums are integer fen; records carry :class:`~decimal.Decimal` yuan (two decimals).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

from beancount.core import data

from commonfund.compound.model import Compound
from commonfund.core.errors import InputError
from commonfund.core.funds import fund_of
from commonfund.core.money import CURRENCY, to_fen

from .periods import Period, period_containing


class Line(NamedTuple):
    """One labelled amount of a statement.

    Attributes:
      key: What is summed (an account name or a category key).
      label: The Chinese label residents read.
      amount: Decimal yuan.
      entries: How many ledger transactions make it up.
    """

    key: str
    label: str
    amount: Decimal
    entries: int = 0


class CitedResolution(NamedTuple):
    """A resolution (业主大会决议) a figure relies on, as a disclosure cites it.

    Attributes:
      id: The resolution id (``R-2025-02``).
      date: The date of the resolution (None if the books do not hold it).
      matter: 民法典 第278条 matter number 1–9 (0 if unknown).
      matter_label: The matter in Chinese (``⑤使用建筑物及其附属设施的维修资金``).
      title: Its title (privacy-scrubbed).
      verdict: ``通过`` / ``未通过`` / ``账簿中无此决议``.
      passed: Whether it passed under 第278条 (None if it is not in the books).
      budget: Its budget, if any.
    """

    id: str
    date: date | None
    matter: int
    matter_label: str
    title: str
    verdict: str
    passed: bool | None
    budget: Decimal | None


def leaf_key(account: str) -> str:
    """The ASCII key of an account's third component (``Expenses:CommonRevenue:Sweep-…`` → ``Sweep``)."""
    parts = account.split(":")
    return parts[2].split("-", 1)[0] if len(parts) > 2 else ""


def fen_of(posting: data.Posting, txn: data.Transaction) -> int:
    """A posting's amount in fen; a sub-fen amount is the user's file's error, reported at its line."""
    number = posting.units.number if posting.units is not None else None
    try:
        if number is None:
            raise ValueError("no amount")
        return to_fen(number)
    except ValueError:
        meta = txn.meta or {}
        raise InputError(f"{meta.get('filename', '?')}:{meta.get('lineno', 0)}",
                         f"amount {number} of {posting.account} is not a whole number of fen") from None


def fund_postings(compound: Compound, fund: str, until: date) -> Iterable[tuple[data.Transaction, data.Posting, int]]:
    """Every CNY posting of *fund* dated before *until*, with its amount in fen, in ledger order."""
    for txn in compound.transactions:
        if txn.date >= until:
            break
        for posting in txn.postings:
            if posting.units is None or posting.units.currency != CURRENCY or fund_of(posting.account) != fund:
                continue
            yield txn, posting, fen_of(posting, txn)


def balance_before(compound: Compound, fund: str, day: date) -> int:
    """The fund's net assets (its Assets and Liabilities accounts) at the start of *day*, in fen."""
    return sum(fen for _, p, fen in fund_postings(compound, fund, day)
               if p.account.startswith(("Assets:", "Liabilities:")))


def by_account(rows: Iterable[tuple[data.Transaction, data.Posting, int]]) -> dict[str, tuple[int, int]]:
    """Sum fen and count distinct transactions per account."""
    sums: dict[str, int] = defaultdict(int)
    txns: dict[str, set[int]] = defaultdict(set)
    for txn, posting, fen in rows:
        sums[posting.account] += fen
        txns[posting.account].add(id(txn))
    return {account: (sums[account], len(txns[account])) for account in sums}


def books_start(compound: Compound) -> date | None:
    """The first day of the books: ``compound.toml`` ``start``, else the first transaction's date."""
    if compound.config.start:
        try:
            return date.fromisoformat(compound.config.start)
        except ValueError:
            raise InputError(f"{compound.root / 'compound.toml'}: start",
                             f"{compound.config.start!r} is not a date YYYY-MM-DD") from None
    return compound.transactions[0].date if compound.transactions else None


def books_end(compound: Compound) -> date | None:
    """The last day the books record (latest transaction or balance assertion)."""
    days = [e.date for e in compound.entries if isinstance(e, (data.Transaction, data.Balance))]
    return max(days) if days else None


def check_period(compound: Compound, period: Period) -> None:
    """Refuse a period that ends before the books start, with the first period that can be disclosed."""
    start = books_start(compound)
    if start is not None and period.end <= start:
        first = period_containing(start, period.kind)
        raise InputError("--period", f"期间 {period.label}（{period.label_zh}）早于账簿起始日 {start.isoformat()}，"
                                     f"最早可公示的期间是 {first.label}")


def cite(resolutions: Mapping[str, Any], rid: str, scrub: Any) -> CitedResolution:
    """The citation of resolution *rid* (``resolutions`` is ``resolutions_of(compound)``)."""
    resolution = resolutions.get(rid)
    if resolution is None:
        return CitedResolution(rid, None, 0, "", "", "账簿中无此决议", None, None)
    passed = bool(resolution.passes())
    budget = resolution.budget
    return CitedResolution(
        rid, resolution.date, int(resolution.matter), resolution.matter_label, scrub(str(resolution.title)),
        "通过" if passed else "未通过",
        passed, None if budget is None else Decimal(budget).quantize(Decimal("0.01")),
    )


def cited_ids(txn: data.Transaction) -> tuple[str, ...]:
    """The resolution ids a transaction relies on (``resolution`` and ``interfund`` metadata)."""
    out: list[str] = []
    for key in ("resolution", "interfund"):
        value = (txn.meta or {}).get(key)
        if isinstance(value, str) and value and value != "unapproved" and value not in out:
            out.append(value)
    return tuple(out)


def jsonable(value: Any) -> Any:
    """A figure record as plain JSON values: Decimal → ``"1234.56"`` (as many decimals as it has), dates ISO,
    records → objects."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Period):
        return {"label": value.label, "label_zh": value.label_zh, "range_zh": value.range_zh,
                "start": value.start.isoformat(), "last_day": value.last_day.isoformat()}
    if hasattr(value, "_asdict"):
        return {k: jsonable(v) for k, v in value._asdict().items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value
