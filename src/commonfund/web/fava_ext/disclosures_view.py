"""The 公示 (disclosures) page: choose a kind and a period, preview the figures, download the PDF.

The figures are :func:`commonfund.disclosure.figures.disclosure_figures` — exactly what the PDF prints
(the PDF is typeset from the same record, see :mod:`commonfund.web.fava_ext.downloads`). The page also lists
the disclosures the books record as posted (``custom "disclosure"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from commonfund.compound.model import Compound
from commonfund.core.errors import InputError
from commonfund.disclosure.base import books_end, books_start
from commonfund.disclosure.figures import KINDS, Figures, disclosure_figures
from commonfund.disclosure.periods import FREQUENCY_KIND, Period, parse_period, period_containing
from commonfund.disclosure.publish import default_period


@dataclass(frozen=True)
class Posted:
    """A disclosure the books record as posted to the notice board.

    Attributes:
      date: The day it was posted.
      kind: ``common-revenue``, ``maintenance-fund``, ``emergency``…
      period: The period (or the link of an emergency use) it covers, as the ledger writes it.
      kind_zh: The kind in Chinese.
      period_zh: What it covers in Chinese (``2025年第3季度``; an emergency use's date and narration).
    """

    date: date
    kind: str
    period: str
    kind_zh: str = ""
    period_zh: str = ""


@dataclass(frozen=True)
class DisclosuresPage:
    """The 公示 page.

    Attributes:
      kinds: Kind → document title.
      kind: The chosen kind.
      period: The chosen period (the last complete one of the policy's frequency by default), or None.
      periods: The periods of the chosen kind's frequency the books cover, newest first.
      figures: The figures of that disclosure, or None if it cannot be made.
      error: Why it cannot be made (one sentence), or "".
      ledger_errors: Integrity errors in the books (a disclosure is refused while there are any).
      posted: The disclosures recorded as posted, newest first.
    """

    kinds: dict[str, str]
    kind: str
    period: Period | None
    periods: tuple[Period, ...]
    figures: Figures | None
    error: str
    ledger_errors: int
    posted: tuple[Posted, ...]


def periods_of(compound: Compound, kind: str) -> tuple[Period, ...]:
    """Every period of *kind*'s disclosure frequency from the books' start to their end, newest first."""
    policy = compound.config.policy
    frequency = policy.common_revenue_disclosure if kind == "common-revenue" else policy.maintenance_fund_disclosure
    start, end = books_start(compound), books_end(compound)
    if start is None or end is None:
        return ()
    period = period_containing(end, FREQUENCY_KIND[frequency])
    out: list[Period] = []
    while period.end > start and len(out) < 200:
        out.append(period)
        period = period.previous()
    return tuple(out)


POSTED_KINDS = {**KINDS, "emergency": "应急使用维修资金事后公示"}
"""Kinds of recorded disclosures and their Chinese names."""


def _covers_zh(compound: Compound, kind: str, period: str) -> str:
    if kind == "emergency" or period.startswith("^"):
        link = period.lstrip("^")
        for txn in compound.transactions:
            if link in (txn.links or ()):
                return f"{txn.date} {txn.narration or txn.payee or ''}".strip()
        return "账簿中未找到对应的应急使用"
    try:
        return parse_period(period).label_zh
    except InputError:
        return period


def posted_disclosures(compound: Compound) -> tuple[Posted, ...]:
    rows = []
    for entry in compound.customs("disclosure"):
        if not entry.values:
            continue
        kind = str(entry.values[0].value)
        period = str(entry.values[1].value) if len(entry.values) > 1 else ""
        rows.append(Posted(entry.date, kind, period, POSTED_KINDS.get(kind, kind), _covers_zh(compound, kind, period)))
    return tuple(sorted(rows, key=lambda p: p.date, reverse=True))


def disclosures_page(compound: Compound, kind: str = "", period: str = "") -> DisclosuresPage:
    """The page for *kind* (default common revenue) and *period* (default the last complete one)."""
    kind = kind if kind in KINDS else next(iter(KINDS))
    chosen: Period | None = None
    figures: Figures | None = None
    error = ""
    try:
        chosen = parse_period(period) if period else default_period(compound, kind)
        figures = disclosure_figures(compound, kind, chosen)
    except InputError as exc:
        error = exc.message
    return DisclosuresPage(KINDS, kind, chosen, periods_of(compound, kind), figures, error, len(compound.errors),
                           posted_disclosures(compound))
