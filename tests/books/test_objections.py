"""The objection register (异议登记): the directives validated on load at file:line, the audit checks firing
and not, and the summary the next disclosure prints (unit numbers only)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from tests.conftest import SMALL_CONFIG

from commonfund.audit.findings import run_audit
from commonfund.books.objections import read_register, status
from commonfund.compound.model import Compound
from commonfund.disclosure.objections import objection_summary
from commonfund.disclosure.periods import parse_period

Loader = Callable[..., Compound]

BOOKS = """\
2024-04-05 * "测试物业有限公司" "2024年3月停车费共有收益上缴"
  Assets:CommonRevenue:Bank-共有收益户  900.00 CNY
  Income:CommonRevenue:Parking-停车  -900.00 CNY

2024-04-20 * "丰巢" "更正：快递柜场地费误记为停车收入" ^fix-1
  Income:CommonRevenue:Parking-停车  100.00 CNY
  Income:CommonRevenue:Lockers-快递柜  -100.00 CNY

2024-06-30 * "银行" "结息"
  Assets:CommonRevenue:Bank-共有收益户  1.00 CNY
  Income:CommonRevenue:Interest-利息  -1.00 CNY
"""


def objection(oid: str = "O-1", unit: str = "1-1-101", day: str = "2024-04-10", **meta: str) -> str:
    fields = {"disclosure": '"common-revenue 2024Q1"', "question": '"三月停车收入为何少了？"', **meta}
    lines = [f'{day} custom "objection" "{oid}" "{unit}"'] + [f"  {k}: {v}" for k, v in fields.items() if v]
    return "\n".join(lines) + "\n\n"


def reply(oid: str = "O-1", day: str = "2024-04-20", **meta: str) -> str:
    fields = {"text": '"张伟 13800000001 来电，经核对，一笔快递柜场地费误记为停车收入，已更正。"', **meta}
    lines = [f'{day} custom "objection-reply" "{oid}"'] + [f"  {k}: {v}" for k, v in fields.items() if v]
    return "\n".join(lines) + "\n\n"


def errors_of(compound: Compound) -> list[str]:
    return [f"{e.source['filename'].rsplit('/', 1)[-1]}:{e.source['lineno']}: {e.message}" for e in compound.errors]


def with_register(load: Loader, text: str, config: str = SMALL_CONFIG, name: str = "c") -> Compound:
    return load(BOOKS, files={"resolutions.beancount": text}, config=config, name=name)


def test_a_well_formed_register_loads_clean(load: Loader) -> None:
    compound = with_register(load, objection() + reply(corrected="TRUE", corrections='"^fix-1"')
                             + objection("O-2", "1-2-101", entries='"^fix-1"', disclosure=""))
    assert errors_of(compound) == []
    register = read_register(compound.entries)
    assert list(register.objections) == ["O-1", "O-2"]
    assert register.replies["O-1"].corrections == ("fix-1",) and register.replies["O-1"].corrected
    assert register.objections["O-2"].entries == ("fix-1",)


@pytest.mark.parametrize(("text", "message"), [
    ('2024-04-10 custom "objection" "O-1"\n  question: "?"\n', "needs an id and the unit it came from"),
    (objection(unit="9-9-999"), "comes from unit '9-9-999', which is not in the register"),
    (objection(disclosure='"budget 2024"'), 'must name a disclosure as "<kind> <period>"'),
    (objection(disclosure='"common-revenue 2024Q5"'), 'must name a disclosure as "<kind> <period>"'),
    (objection(disclosure="", entries='"^nowhere"'), "names the link ^nowhere, which no transaction"),
    (objection(disclosure="", entries='"fix-1"'), "must list entry links"),
    (objection(disclosure=""), "names neither a disclosure"),
    (objection(question=""), "has no `question`"),
    (objection(document='"documents/missing.pdf"', question=""), "document 'documents/missing.pdf' does not exist"),
    (objection(name='"张伟"'), "carries `name`: the register records the unit only"),
    (objection(phone='"13800000001"'), "carries `phone`"),
    (objection() + objection(), "objection id 'O-1' is used twice"),
    (reply(oid="O-9"), "reply to objection 'O-9', which is not in the books"),
    (objection() + reply(day="2024-04-01"), "is dated 2024-04-01, before the objection"),
    (objection() + reply(text=""), "has no `text`"),
    (objection() + reply(corrected='"yes"'), "`corrected` must be TRUE or FALSE"),
    (objection() + reply(corrected="TRUE", corrections='"^nowhere"'), "names the link ^nowhere"),
    (objection() + reply(corrections='"^fix-1"'), "links correcting entries but says `corrected: FALSE`"),
    (objection() + reply() + reply(day="2024-04-21"), "has a reply already"),
])
def test_malformed_directives_are_errors_at_their_line(load: Loader, text: str, message: str) -> None:
    compound = with_register(load, text)
    errors = errors_of(compound)
    assert len(errors) == 1, errors
    assert message in errors[0]
    assert errors[0].startswith("resolutions.beancount:")
    line = int(errors[0].split(":")[1])
    assert "custom" in text.splitlines()[line - 1]


def test_a_reply_to_a_malformed_objection_is_not_reported_twice(load: Loader) -> None:
    errors = errors_of(with_register(load, objection(unit="9-9-999") + reply()))
    assert len(errors) == 1 and "not in the register" in errors[0]


def findings(compound: Compound, check: str) -> list[tuple[str, str, str]]:
    return [(f.severity, str(f.date), f.message_zh) for f in run_audit(compound, only=[check])]


def test_answered_in_time_raises_nothing(load: Loader) -> None:
    compound = with_register(load, objection() + reply(day="2024-04-25", corrected="TRUE", corrections='"^fix-1"'))
    assert findings(compound, "objection_unanswered") == []
    assert findings(compound, "objection_correction_unlinked") == []


def test_unanswered_after_the_days_is_an_error_and_open_before_is_not(load: Loader) -> None:
    # The books end on 2024-06-30: an objection of 06-20 is still open (due 07-05), one of 05-01 is overdue.
    compound = with_register(load, objection("O-1", day="2024-05-01") + objection("O-2", day="2024-06-20"))
    assert findings(compound, "objection_unanswered") == [
        ("error", "2024-05-16", "1-1-101 于 2024-05-01 提出的异议 O-1 应于 2024-05-16 前答复，账中没有答复记录")]


def test_a_late_answer_is_a_warning_and_the_policy_sets_the_days(load: Loader) -> None:
    text = objection(day="2024-04-01") + reply(day="2024-04-20")
    assert findings(with_register(load, text), "objection_unanswered") == [
        ("warning", "2024-04-20",
         "1-1-101 于 2024-04-01 提出的异议 O-1 于 2024-04-20 答复，晚于期限 2024-04-16（4 天）")]
    roomy = SMALL_CONFIG + "\n[policy]\nobjection_days = 30\n"
    assert findings(with_register(load, text, roomy, "roomy"), "objection_unanswered") == []


def test_corrected_without_a_linked_entry_is_a_finding(load: Loader) -> None:
    compound = with_register(load, objection() + reply(corrected="TRUE"))
    (found,) = run_audit(compound, only=["objection_correction_unlinked"])
    assert found.severity == "error" and found.date == date(2024, 4, 20)
    assert "称已更正账目，但未链接更正分录" in found.message_zh
    assert [e.lineno for e in found.entries] == [5, 1]  # the reply, then the objection


def test_status_of_an_objection() -> None:
    from types import SimpleNamespace

    o = SimpleNamespace(date=date(2024, 4, 1))
    r = SimpleNamespace(date=date(2024, 4, 16))
    assert status(o, r, date(2024, 5, 1)) == "answered"  # type: ignore[arg-type]
    assert status(o, SimpleNamespace(date=date(2024, 4, 17)), date(2024, 5, 1)) == "late"  # type: ignore[arg-type]
    assert status(o, None, date(2024, 4, 16)) == "open"  # type: ignore[arg-type]
    assert status(o, None, date(2024, 4, 17)) == "overdue"  # type: ignore[arg-type]
    assert status(o, r, date(2024, 4, 10)) == "open"  # type: ignore[arg-type]  # the reply is after as_of


def test_the_next_disclosure_summarises_the_previous_ones_objections(load: Loader) -> None:
    compound = with_register(load, (
        objection() + reply(corrected="TRUE", corrections='"^fix-1"')                    # 10 days
        + objection("O-2", "1-2-101", day="2024-04-12") + reply("O-2", day="2024-04-15")  # 3 days
        + objection("O-3", "2-1-101", day="2024-04-14")                                   # unanswered
        + objection("O-4", "1-1-102", disclosure="", entries='"^fix-1"', day="2024-07-02")  # about Q2 entries
        + objection("O-5", "1-1-102", disclosure='"maintenance-fund 2023"')))
    summary = objection_summary(compound, "common-revenue", parse_period("2024Q2"))
    assert summary is not None
    assert (summary.period.label, summary.received, summary.answered, summary.corrected) == ("2024Q1", 3, 2, 1)
    assert summary.average_days == Decimal("6.5")
    assert [(i.unit, i.days, i.corrected) for i in summary.items] == [
        ("1-1-101", 10, True), ("1-2-101", 3, False), ("2-1-101", None, False)]
    # names and phone numbers in an answer are masked before they reach a disclosure
    assert summary.items[0].answer.startswith("张* *********** 来电")
    q3 = objection_summary(compound, "common-revenue", parse_period("2024Q3"))
    assert q3 is not None and [i.id for i in q3.items] == ["O-4"]  # its linked entry is dated in 2024Q2
    assert objection_summary(compound, "maintenance-fund", parse_period("2024")).received == 1  # type: ignore[union-attr]


def test_books_without_a_register_print_no_summary(load: Loader) -> None:
    assert objection_summary(load(BOOKS), "common-revenue", parse_period("2024Q2")) is None
