"""The 异议 (objections) page: residents' objections and the committee's answers, open ones first.

Plain data from :mod:`commonfund.books.objections` (the same register and :func:`~commonfund.books.objections.status`
the audit uses); the Fava extension only renders it. Read-only: answers are written in the books.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from commonfund.books.objections import (
    DISCLOSURE_KINDS,
    OBJECTION,
    REPLY,
    STATUS_ZH,
    Objection,
    Reply,
    deadline,
    objection_days,
    read_register,
    status,
)
from commonfund.books.payments import last_transaction_day
from commonfund.compound.model import Compound


@dataclass(frozen=True)
class ObjectionRow:
    """One objection on the page.

    Attributes:
      objection: The objection.
      reply: Its answer, or None.
      status: ``answered``, ``late``, ``open`` or ``overdue`` (as of the page's date).
      status_zh: The status in Chinese.
      due: The last day to answer.
      about: What it is about, in Chinese (the disclosure's title and period, or the entries' links).
    """

    objection: Objection
    reply: Reply | None
    status: str
    status_zh: str
    due: date
    about: str

    @property
    def days(self) -> int | None:
        return (self.reply.date - self.objection.date).days if self.reply else None

    @property
    def waiting(self) -> bool:
        return self.status in ("open", "overdue")


@dataclass(frozen=True)
class ObjectionsPage:
    """The 异议 page.

    Attributes:
      as_of: The day statuses are judged on (end of Fava's time filter, else the books' last transaction).
      days: The days the policy gives for an answer.
      rows: Every objection, those still waiting for an answer first, then by date.
      counts: Number of objections per status.
    """

    as_of: date | None
    days: int
    rows: tuple[ObjectionRow, ...]
    counts: dict[str, int]

    status_zh = STATUS_ZH


def about(objection: Objection) -> str:
    """``共有收益收支情况公示 2025Q3``, or ``分录`` for entries (the page links each of them)."""
    parts = []
    if objection.disclosure is not None:
        kind, period = objection.disclosure
        parts.append(f"{DISCLOSURE_KINDS[kind]} {period}")
    if objection.entries:
        parts.append("分录")
    return "；".join(parts)


def objections_page(compound: Compound, as_of: date | None = None) -> ObjectionsPage:
    """The objections of the books with their answers and statuses as of *as_of*."""
    day = as_of or last_transaction_day(compound) or date.today()
    days = objection_days(compound.config.policy)
    register = read_register([*compound.customs(OBJECTION), *compound.customs(REPLY)])
    rows = []
    for objection, reply in register.rows():
        if objection.date > day:
            continue
        verdict = status(objection, reply if reply is not None and reply.date <= day else None, day, days)
        rows.append(ObjectionRow(objection, reply if reply is not None and reply.date <= day else None, verdict,
                                 STATUS_ZH[verdict], deadline(objection, days), about(objection)))
    rows.sort(key=lambda r: (not r.waiting, r.objection.date, r.objection.id))
    counts = {key: sum(1 for r in rows if r.status == key) for key in STATUS_ZH}
    return ObjectionsPage(day, days, tuple(rows), counts)
