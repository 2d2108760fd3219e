"""第30条 (2) and (4): each charged item of the maintenance fund with its apportionment, and the
emergency uses of the period with their later disclosure (《住宅专项维修资金管理办法》第20–24条).

An item is one decided use: the payments citing the same resolution (an advance and a final payment are
one item), or one emergency repair, or a lone payment. Its apportionment is recomputed with the same
engine the sub-ledgers use (:func:`commonfund.books.allocation.apportion`), payment by payment, so the item's
shares are exactly what the households' sub-ledgers were charged.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

import numpy as np
from beancount.core import data

from commonfund.books.allocation import apportion, scope_mask
from commonfund.books.spending import resolution_figures
from commonfund.books.subledger import compute_subledgers
from commonfund.compound.model import Compound
from commonfund.core.accounts import is_uncategorized
from commonfund.core.funds import fund_of
from commonfund.core.labels import account_label, scope_zh
from commonfund.core.money import from_fen
from commonfund.resolutions.parse import resolutions_of

from .base import CitedResolution, cite, fen_of, leaf_key
from .periods import Period
from .privacy import Scrubber, mask_name

FUND = "MaintenanceFund"
BASIS_ZH = {"resolution": "业主大会决议", "emergency": "应急使用（《住宅专项维修资金管理办法》第22–24条）",
            "bank": "银行按结算规定扣收", "unclassified": "待分类支出（待核实），未注明决议", "none": "未注明决议"}
"""Why the fund paid an item, in Chinese."""
__all__ = ["BASIS_ZH", "ChargedItem", "EmergencyUse", "Payment", "charged_items", "emergency_uses", "scope_zh"]
Date = date  # the type, for records that also have a field named ``date``


class Payment(NamedTuple):
    """One payment of an item.

    Attributes:
      date: The day paid.
      payee: The payee (a personal name is masked).
      description: The narration (scrubbed).
      account: The expense account's Chinese label.
      amount: Decimal yuan.
    """

    date: date
    payee: str
    description: str
    account: str
    amount: Decimal


class ChargedItem(NamedTuple):
    """One charged item (第30条 (2)) and its apportionment (第20/21条).

    Attributes:
      title: What was done (the resolution's title, else the account or the first payment's narration).
      basis: Why the fund paid: ``resolution`` (业主大会决议, 第22条), ``emergency`` (应急, 第22–24条),
        ``bank`` (bank charges debited by the bank), ``unclassified`` (still on ``Uncategorized-待分类``: money
        that left the fund for a purpose not yet stated) or ``none`` (no basis recorded).
      resolution: The resolution relied on, or None.
      emergency: The emergency reason (第22–24条 fast path), or "".
      payments: The payments of the period.
      cost: Their sum, Decimal yuan.
      scope: The ``apportion`` scope(s) (``building:3``…); ``all`` where the ledger names none.
      scope_zh: The scope in Chinese (``3号楼``, ``全体业主``…).
      households: How many units the scope names.
      area: Their exclusive area in ㎡.
      per_m2: Cost per ㎡ of that area (rounded to the fen; shares themselves are exact).
      developer_share: The part on units the developer holds (unsold or undelivered).
      largest_share, smallest_share: The largest and smallest share of a unit in the scope.
      spent_to_date: For an item under a resolution, everything spent under it up to the period's last day
        (:func:`commonfund.resolutions.resolution_figures`), else None.
      over_budget: That exceeds the resolution's budget (超出预算).
    """

    title: str
    basis: str
    resolution: CitedResolution | None
    emergency: str
    payments: tuple[Payment, ...]
    cost: Decimal
    scope: str
    scope_zh: str
    households: int
    area: Decimal
    per_m2: Decimal | None
    developer_share: Decimal
    largest_share: Decimal
    smallest_share: Decimal
    spent_to_date: Decimal | None = None
    over_budget: bool = False

    @property
    def basis_zh(self) -> str:
        """The basis in Chinese (业主大会决议 / 应急使用 / 银行扣收 / 未注明决议)."""
        return BASIS_ZH.get(self.basis, self.basis)


class EmergencyUse(NamedTuple):
    """An emergency use (应急使用, 第22–24条) and its later disclosure.

    Attributes:
      date: The day paid.
      description: The narration (scrubbed).
      reason: The ``emergency`` metadata (scrubbed).
      amount: Decimal yuan.
      scope_zh: Who bears it.
      disclosed_on: The date of the ``custom "disclosure" "emergency"`` that names it, or None.
      days_after: Days between payment and disclosure, or None.
    """

    date: date
    description: str
    reason: str
    amount: Decimal
    scope_zh: str
    disclosed_on: Date | None
    days_after: int | None


def _public_payee(payee: str, owners: frozenset[str], scrub: Scrubber) -> str:
    return mask_name(payee) if payee in owners else scrub(payee)


def _scope(txn: data.Transaction, posting: data.Posting) -> str:
    """The apportion scope the sub-ledgers use: the posting's, else the transaction's, else ``all``."""
    return str((posting.meta or {}).get("apportion") or (txn.meta or {}).get("apportion") or "all")


def _use_postings(txn: data.Transaction) -> list[data.Posting]:
    return [p for p in txn.postings if p.account.startswith("Expenses:") and fund_of(p.account) == FUND
            and p.units is not None]


def _group_key(txn: data.Transaction, posting: data.Posting) -> str:
    """Payments citing one resolution are one item; so is an emergency repair; the rest group by account
    and scope (e.g. the year's bank fees are one item)."""
    meta = txn.meta or {}
    if meta.get("resolution"):
        return f"R:{meta['resolution']}"
    if meta.get("emergency"):
        return f"E:{id(txn)}"
    return f"A:{posting.account}|{_scope(txn, posting)}"


def _basis(key: str, account: str) -> str:
    if key.startswith("R:"):
        return "resolution"
    if key.startswith("E:"):
        return "emergency"
    if leaf_key(account) == "BankFee":
        return "bank"
    return "unclassified" if is_uncategorized(account) else "none"


def charged_items(compound: Compound, period: Period, scrub: Scrubber) -> tuple[ChargedItem, ...]:
    """The period's uses of the fund, one item per resolution / emergency / account, in date order."""
    register = compound.register
    owners = frozenset(h.owner_name for h in register if h.owner_name)
    groups: dict[str, list[tuple[data.Transaction, data.Posting]]] = {}
    for txn in compound.transactions:
        if period.contains(txn.date):
            for posting in _use_postings(txn):
                groups.setdefault(_group_key(txn, posting), []).append((txn, posting))
    resolutions = resolutions_of(compound)
    money = resolution_figures(compound, until=period.last_day)
    items = []
    for key, rows in groups.items():
        first, first_posting = rows[0]
        shares = np.zeros(len(register), dtype=np.int64)
        inside = np.zeros(len(register), dtype=np.bool_)
        scopes: list[str] = []
        payments = []
        cost = 0
        for txn, posting in rows:
            fen = fen_of(posting, txn)
            cost += fen
            scope = _scope(txn, posting)
            if scope not in scopes:
                scopes.append(scope)
            balances = None
            if scope == "by-balance":
                balances = compute_subledgers(compound, as_of=txn.date - timedelta(days=1)).balance
            try:
                shares += apportion(register, fen, scope, balances)
                inside |= scope_mask(register, scope)
            except ValueError:  # the sub-ledgers split a bad scope over all; an integrity error reports it
                shares += apportion(register, fen, "all")
                inside[:] = True
            payments.append(Payment(txn.date, _public_payee(txn.payee or "", owners, scrub),
                                    scrub(txn.narration or ""), account_label(posting.account), from_fen(fen)))
        area = int(register.area_centi[inside].sum())
        basis = _basis(key, first_posting.account)
        resolution = cite(resolutions, key[2:], scrub) if basis == "resolution" else None
        if resolution is not None and resolution.title:
            title = resolution.title
        elif key.startswith("A:") and len(rows) > 1:
            title = account_label(first_posting.account)
        else:
            title = scrub(first.narration or "") or account_label(first_posting.account)
        items.append(ChargedItem(
            title=title, basis=basis, resolution=resolution,
            emergency=scrub(str((first.meta or {}).get("emergency", "") or "")),
            payments=tuple(payments), cost=from_fen(cost), scope="; ".join(scopes),
            scope_zh="、".join(scope_zh(s) for s in scopes), households=int(inside.sum()),
            area=Decimal(area).scaleb(-2), per_m2=(Decimal(cost) / area).quantize(Decimal("0.01")) if area else None,
            developer_share=from_fen(int(shares[register.developer_mask].sum())),
            largest_share=from_fen(int(shares[inside].max())) if inside.any() else Decimal("0.00"),
            smallest_share=from_fen(int(shares[inside].min())) if inside.any() else Decimal("0.00"),
            spent_to_date=money[key[2:]].spent if basis == "resolution" and key[2:] in money else None,
            over_budget=basis == "resolution" and key[2:] in money and money[key[2:]].over_budget,
        ))
    return tuple(sorted(items, key=lambda item: (item.payments[0].date, item.title)))


def emergency_uses(compound: Compound, period: Period, scrub: Scrubber) -> tuple[EmergencyUse, ...]:
    """Emergency uses paid in the period, each with the first later ``disclosure "emergency"`` naming it."""
    disclosed: dict[str, date] = {}
    for entry in compound.customs("disclosure"):
        values = [str(v.value) for v in entry.values]
        if values and values[0] == "emergency":
            for value in values[1:]:
                link = value.lstrip("^")
                if link not in disclosed or entry.date < disclosed[link]:
                    disclosed[link] = entry.date
    out = []
    for txn in compound.transactions:
        reason = (txn.meta or {}).get("emergency")
        uses = _use_postings(txn)
        if not reason or not uses or not period.contains(txn.date):
            continue
        days = [disclosed[link] for link in sorted(txn.links or ()) if link in disclosed]
        on = min(days) if days else None
        scopes = [_scope(txn, p) for p in uses]
        out.append(EmergencyUse(
            txn.date, scrub(txn.narration or ""), scrub(str(reason)),
            from_fen(sum(fen_of(p, txn) for p in uses)), "、".join(dict.fromkeys(scope_zh(s) for s in scopes)),
            on, (on - txn.date).days if on else None))
    return tuple(out)
