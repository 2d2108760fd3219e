"""The generator's objection register (异议登记): residents' objections to the posted disclosures and the
committee's replies, for :mod:`commonfund.synth`.

Every generated compound gets a few well-kept cases — answered in time, one answered by correcting the
books (a reclassification linked from the reply), one whose long question is a document, and one still
open (its deadline lies after the books' end) — so the audit finds nothing in clean books. With planting,
:data:`OBJECTION_CASES` adds one late answer and one unanswered objection (``objection_unanswered``) and one
answer that says "corrected" without linking a correcting entry (``objection_correction_unlinked``), each
recorded in ``synth.json``'s ``planted`` list. Everything is derived from the seed.
"""

from __future__ import annotations

import random
from datetime import date

from commonfund.core.holidays import working_day_near
from commonfund.synth.audit_trail import _state, pdf_document
from commonfund.synth.common import LAST_YEAR, LOCKERS, Books, Txn, q

OBJECTION_CASES = ("objection_unanswered", "objection_correction_unlinked")


def _objection(day: date, oid: str, unit: str, about: str, question: str, document: str = "") -> tuple[date, str]:
    key = "entries" if about.startswith("^") else "disclosure"
    lines = [f'{day.isoformat()} custom "objection" "{oid}" "{unit}"', f"  {key}: {q(about)}"]
    lines.append(f"  document: {q(document)}" if document else f"  question: {q(question)}")
    return day, "\n".join(lines)


def _reply(day: date, oid: str, text: str, corrected: bool = False, corrections: str = "") -> tuple[date, str]:
    lines = [f'{day.isoformat()} custom "objection-reply" "{oid}"', f"  text: {q(text)}"]
    if corrected:
        lines.append("  corrected: TRUE")
    if corrections:
        lines.append(f"  corrections: {q(corrections)}")
    return day, "\n".join(lines)


def add_objections(gen: Books) -> None:
    """The objections of the last year (see the module docstring); planted cases if ``gen.plant``."""
    year = LAST_YEAR
    rng = random.Random(gen.seed * 104729 + 20)
    owners = [u for u in gen.units if u.sold and u.delivered]
    units = [u.unit for u in rng.sample(owners, min(len(owners), 8))]
    units += [units[-1]] * (8 - len(units))  # a tiny compound: one resident asks several times
    quarter = f"common-revenue {year}Q3"  # posted 15 days after 28 September
    cases: list[tuple[date, str]] = []
    if gen.years >= 2:
        cases += [
            _objection(date(year, 3, 26), f"O-{year}-01", units[0], f"maintenance-fund {year - 1}",
                       "电梯更换费用为什么由本楼全体业主分摊，一楼住户也要分摊吗？"),
            _reply(date(year, 4, 3), f"O-{year}-01", "依据《住宅专项维修资金管理办法》第二十条，电梯更新费用由该幢楼"
                   "全体业主按专有部分面积比例分摊，一楼住户亦在其列；分摊明细见公示第二、三项。"),
        ]
    fix = f"fix-O-{year}-02"
    day = working_day_near(date(year, 10, 27))
    gen.book(Txn(day, LOCKERS, f"更正：{year}年9月快递柜场地费误记为充电桩分成", [
        ("Income:CommonRevenue:Charging-充电桩", 30000, {}), ("Income:CommonRevenue:Lockers-快递柜", -30000, {})],
        {"objection": f'"O-{year}-02"'}, links=(fix,)))
    document = f"documents/objections/O-{year}-03.pdf"
    _state(gen)["documents"][document] = pdf_document((f"objection O-{year}-03", f"unit {units[2]}",
                                                      "question: parking income Q3 vs Q2, see attached sheet"))
    emergency = next((f"^{link}" for t in gen.txns if t.day.year == year for link in t.links
                      if link.startswith("em-")), f"^{fix}")
    cases += [
        _objection(date(year, 10, 17), f"O-{year}-02", units[1], quarter, "九月快递柜场地费是否少计？"),
        _reply(day, f"O-{year}-02", "经核对，九月有一笔快递柜场地费 300.00 元误记为充电桩分成，已作更正分录。",
               corrected=True, corrections=f"^{fix}"),
        _objection(date(year, 10, 20), f"O-{year}-03", units[2], quarter, "", document=document),
        _reply(date(year, 10, 30), f"O-{year}-03", "三季度临时停车收入减少系7—8月停车场划线施工，部分车位停用所致。"),
        _objection(date(year, 12, 22), f"O-{year}-04", units[3], emergency,
                   "应急抢修的费用为什么没有经过业主大会表决？"),
    ]
    if gen.plant:
        cases += plant_objection_cases(gen, units[4:], quarter)
    gen.directives.extend(cases)


def plant_objection_cases(gen: Books, units: list[str], quarter: str) -> list[tuple[date, str]]:
    """One late answer, one objection never answered, one "corrected" answer without a correcting entry."""
    year = LAST_YEAR
    late, unlinked, overdue = date(year, 11, 20), date(year, 11, 12), date(year, 11, 24)
    gen.planted += [
        {"check": "objection_unanswered", "date": late.isoformat(), "objection": f"O-{year}-05"},
        {"check": "objection_correction_unlinked", "date": unlinked.isoformat(), "objection": f"O-{year}-06"},
        {"check": "objection_unanswered", "date": date(year, 12, 9).isoformat(), "objection": f"O-{year}-07"},
    ]
    return [
        _objection(date(year, 10, 22), f"O-{year}-05", units[0], quarter, "广告收入为何与合同约定不符？"),
        _reply(late, f"O-{year}-05", "五月电梯广告费广告公司未按期支付，已发函催缴。"),
        _objection(date(year, 11, 3), f"O-{year}-06", units[1], quarter, "三季度银行手续费是否重复扣收？"),
        _reply(unlinked, f"O-{year}-06", "经核对确有重复扣收，已更正。", corrected=True),
        _objection(overdue, f"O-{year}-07", units[2], quarter, "共有收益转入维修资金的比例是多少？"),
    ]
