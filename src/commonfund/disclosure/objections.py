"""What the previous disclosure heard back (上期公示异议及答复): the objections residents raised about the
previous period's disclosure of the same kind, how many were answered and in how many days, and the answers,
by unit number only. Printed in the next disclosure so residents see their questions answered on the record.

An objection counts for a disclosure when its ``disclosure`` names it, or when it names entries of the
disclosure's fund dated in its period (:mod:`commonfund.books.objections`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from beancount.core import data

from commonfund.books.objections import Objection, ObjectionRegister, Reply, objection_days, read_register
from commonfund.compound.model import Compound
from commonfund.core.funds import fund_of

from .periods import Period
from .privacy import Scrubber

FUND_OF_KIND = {"common-revenue": "CommonRevenue", "maintenance-fund": "MaintenanceFund"}


@dataclass(frozen=True)
class AnsweredObjection:
    """One objection to the previous disclosure, as the next disclosure lists it.

    Attributes:
      id: The objection's id.
      unit: The unit it came from (never a name).
      asked: The day it was received.
      question: The question, masked ("见书面材料" if it is in a document).
      replied: The day of the answer, or None if not answered.
      days: Days from objection to answer, or None.
      answer: The answer, masked ("" if none).
      corrected: Whether the answer corrected the books.
    """

    id: str
    unit: str
    asked: date
    question: str
    replied: date | None
    days: int | None
    answer: str
    corrected: bool


@dataclass(frozen=True)
class ObjectionSummary:
    """The objections to the previous disclosure of a kind.

    Attributes:
      period: The previous period (whose disclosure they concern).
      received: How many objections it received.
      answered: How many have an answer.
      corrected: How many answers corrected the books.
      average_days: Average days to answer (one decimal), or None if none was answered.
      allowed_days: The days the policy gives for an answer (an answer that took longer is marked late).
      items: The objections with their answers, by date received.
    """

    period: Period
    received: int
    answered: int
    corrected: int
    average_days: Decimal | None
    allowed_days: int
    items: tuple[AnsweredObjection, ...]


def concerns(objection: Objection, kind: str, period: Period,
             entries_by_link: dict[str, list[data.Transaction]]) -> bool:
    """Whether *objection* is about the disclosure of *kind* for *period*."""
    if objection.disclosure is not None:
        return objection.disclosure == (kind, period.label)
    fund = FUND_OF_KIND[kind]
    return any(period.contains(txn.date) and any(fund_of(p.account) == fund for p in txn.postings)
               for link in objection.entries for txn in entries_by_link.get(link, ()))


def objection_summary(compound: Compound, kind: str, period: Period, scrub: Scrubber | None = None,
                      register: ObjectionRegister | None = None) -> ObjectionSummary | None:
    """The objections to the disclosure of *kind* for the period before *period*, with their answers; None
    when the books keep no objection register at all (no ``objection`` directive)."""
    register = register or read_register([*compound.customs("objection"), *compound.customs("objection-reply")])
    if not len(register):
        return None
    scrub = scrub or Scrubber.for_compound(compound.register, compound.config)
    previous = period.previous()
    by_link: dict[str, list[data.Transaction]] = {}
    if any(o.entries for o in register.objections.values()):
        for txn in compound.transactions:
            for link in txn.links or ():
                by_link.setdefault(link, []).append(txn)
    items = [_item(o, r, scrub) for o, r in register.rows() if concerns(o, kind, previous, by_link)]
    days = [i.days for i in items if i.days is not None]
    average = (Decimal(sum(days)) / len(days)).quantize(Decimal("0.1"), ROUND_HALF_UP) if days else None
    return ObjectionSummary(previous, len(items), len(days), sum(1 for i in items if i.corrected), average,
                            objection_days(compound.config.policy), tuple(items))


def _item(objection: Objection, reply: Reply | None, scrub: Scrubber) -> AnsweredObjection:
    question = scrub(objection.question) if objection.question else "（见书面材料）"
    if reply is None:
        return AnsweredObjection(objection.id, objection.unit, objection.date, question, None, None, "", False)
    answer = scrub(reply.text) if reply.text else "（见书面答复）"
    return AnsweredObjection(objection.id, objection.unit, objection.date, question, reply.date,
                             (reply.date - objection.date).days, answer, reply.corrected)
