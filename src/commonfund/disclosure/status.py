"""Were the year's disclosures (公示) posted on time? From ``custom "disclosure"`` entries vs the policy.

The policy (``compound.toml`` ``[policy]``) sets how often common revenue (民法典 第282条; local rules:
quarterly in Shanghai) and the maintenance fund (165号令 第30条: at least yearly) are disclosed, and within
how many days after a period ends (``disclosure_days``, ``maintenance_fund_disclosure_days``). A posting is recorded as
``YYYY-MM-DD custom "disclosure" "<kind>" "<period>"`` (docs/ledger-conventions.md). A period whose
deadline lies after the last date in the books is *pending*, not missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from beancount.core import data

# kind → (policy setting for the frequency, policy setting for the days allowed after a period ends);
# read by this roll-up and by the audit's disclosure_deadlines check alike.
KINDS = {
    "common-revenue": ("common_revenue_disclosure", "disclosure_days"),
    "maintenance-fund": ("maintenance_fund_disclosure", "maintenance_fund_disclosure_days"),
}


def schedule(policy: Any, kind: str) -> tuple[str, timedelta]:
    """``(frequency, days allowed after a period ends)`` that *policy* sets for disclosures of *kind*."""
    frequency, days = KINDS[kind]
    return str(getattr(policy, frequency)), timedelta(days=int(getattr(policy, days)))


def posted_disclosures(
    entries: Iterable[data.Directive], as_of: date | None = None,
) -> dict[tuple[str, str], list[data.Custom]]:
    """The ``custom "disclosure"`` entries by ``(kind, period)``, earliest first (those after *as_of* left out)."""
    posted: dict[tuple[str, str], list[data.Custom]] = {}
    for entry in entries:
        if (isinstance(entry, data.Custom) and entry.type == "disclosure" and len(entry.values) >= 2
                and (as_of is None or entry.date <= as_of)):
            posted.setdefault((str(entry.values[0].value), str(entry.values[1].value)), []).append(entry)
    for found in posted.values():
        found.sort(key=lambda e: e.date)
    return posted


@dataclass(frozen=True)
class DisclosureStatus:
    """The year's disclosures against the policy.

    Attributes:
      due: Periods whose deadline has passed by the last date of the books.
      on_time: Of those, posted on or before the deadline.
      late: Posted after the deadline, as ``kind period (days late)``.
      missing: Never posted, as ``kind period``.
      pending: Periods whose deadline is still ahead.
    """

    due: int
    on_time: int
    late: tuple[str, ...]
    missing: tuple[str, ...]
    pending: int


def periods(year: int, frequency: str) -> list[tuple[str, date]]:
    """The periods of *year* at *frequency*, as (label, last day): ``2025Q1``, ``2025-03``, ``2025H1``, ``2025``."""
    def month_end(month: int) -> date:
        return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)

    if frequency == "monthly":
        return [(f"{year}-{m:02d}", month_end(m)) for m in range(1, 13)]
    if frequency == "quarterly":
        return [(f"{year}Q{q}", month_end(3 * q)) for q in range(1, 5)]
    if frequency == "half-yearly":
        return [(f"{year}H1", date(year, 6, 30)), (f"{year}H2", date(year, 12, 31))]
    return [(str(year), date(year, 12, 31))]


def disclosure_status(entries: list[data.Directive], policy: Any, year: int) -> DisclosureStatus:
    """Compare the ``custom "disclosure"`` entries with the periods *policy* requires in *year*."""
    last = max((entry.date for entry in entries), default=date.min)
    posted = {key: found[0].date for key, found in posted_disclosures(entries).items()}
    due = on_time = pending = 0
    late: list[str] = []
    missing: list[str] = []
    for kind in KINDS:
        frequency, allowed = schedule(policy, kind)
        for label, end in periods(year, frequency):
            deadline = end + allowed
            made = posted.get((kind, label))
            if deadline > last and made is None:
                pending += 1
                continue
            due += 1
            if made is None:
                missing.append(f"{kind} {label}")
            elif made <= deadline:
                on_time += 1
            else:
                late.append(f"{kind} {label} ({(made - deadline).days} days late)")
    return DisclosureStatus(due, on_time, tuple(late), tuple(missing), pending)


@dataclass(frozen=True)
class LatestDisclosure:
    """The latest posting of one kind of disclosure, and whether it met its deadline.

    Attributes:
      kind: ``common-revenue`` or ``maintenance-fund``.
      period: The period it covers (``2025Q3``, ``2025``…).
      posted: The day it was posted (``custom "disclosure"``).
      deadline: The last day allowed (the period's last day plus the policy's days), or None if the period
        label cannot be read.
      on_time: Posted on or before the deadline.
    """

    kind: str
    period: str
    posted: date
    deadline: date | None
    on_time: bool

    @property
    def days_late(self) -> int:
        return 0 if self.deadline is None or self.on_time else (self.posted - self.deadline).days


def latest_disclosures(entries: Iterable[data.Directive], policy: Any) -> dict[str, LatestDisclosure | None]:
    """For each kind of :data:`KINDS`, the posting covering the latest period (its first posting), or None."""
    from commonfund.core.errors import InputError
    from commonfund.disclosure.periods import parse_period

    latest: dict[str, LatestDisclosure | None] = dict.fromkeys(KINDS)
    best: dict[str, date] = {}
    for (kind, label), found in posted_disclosures(entries).items():
        if kind not in KINDS:
            continue
        _, allowed = schedule(policy, kind)
        try:
            last_day: date | None = parse_period(label).last_day
        except InputError:
            last_day = None
        key = last_day or found[0].date
        if kind in best and key <= best[kind]:
            continue
        best[kind] = key
        deadline = None if last_day is None else last_day + allowed
        posted = found[0].date
        latest[kind] = LatestDisclosure(kind, label, posted, deadline, deadline is None or posted <= deadline)
    return latest
