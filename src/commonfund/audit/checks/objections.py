"""Objections answered on the record (异议答复): every objection a resident raised about a disclosure or
the books is answered within the policy's days (``policy.objection_days``, default 15), and an answer
that says it corrected the books links the correcting entries."""

from __future__ import annotations

from collections.abc import Iterator

from commonfund.audit.findings import AuditContext, EntryRef, Finding, audit_check
from commonfund.books.objections import deadline, objection_days, read_register, status
from commonfund.books.payments import last_transaction_day

ARTICLE = "民法典 第281条; 建筑物区分所有权司法解释 第13条（业主知情权）"


@audit_check
def objection_unanswered(ctx: AuditContext) -> Iterator[Finding]:
    """异议答复期限：业主对公示或账目提出的异议（``custom "objection"``），业主委员会应在
    ``policy.objection_days``（默认 15 日）内答复（``custom "objection-reply"``）；逾期未答复为严重，逾期答复
    为警告。An objection must be answered within the policy's days: none by then is an error, a late
    answer a warning. 民法典 第281条; 建筑物区分所有权司法解释 第13条."""
    compound = ctx.compound
    as_of = ctx.end or last_transaction_day(compound)
    if as_of is None:
        return
    days = objection_days(compound.config.policy)
    for objection, reply in read_register(compound.customs("objection") + compound.customs("objection-reply")).rows():
        due = deadline(objection, days)
        verdict = status(objection, reply, as_of, days)
        if verdict == "overdue" and ctx.in_period(due):
            yield Finding(
                "objection_unanswered", "error", "异议逾期未答复", ARTICLE,
                f"{objection.unit} 于 {objection.date} 提出的异议 {objection.id} 应于 {due} 前答复，账中没有答复记录",
                f"objection {objection.id} from {objection.unit} of {objection.date} has no reply "
                f"(custom \"objection-reply\"); it was due by {due}",
                (EntryRef.of(objection.entry),), None, due)
        elif verdict == "late" and reply is not None and ctx.in_period(reply.date):
            late = (reply.date - due).days
            yield Finding(
                "objection_unanswered", "warning", "异议逾期答复", ARTICLE,
                f"{objection.unit} 于 {objection.date} 提出的异议 {objection.id} 于 {reply.date} 答复，晚于期限 {due}"
                f"（{late} 天）",
                f"objection {objection.id} answered on {reply.date}, {late} days after {due}",
                (EntryRef.of(reply.entry), EntryRef.of(objection.entry)), None, reply.date)


@audit_check
def objection_correction_unlinked(ctx: AuditContext) -> Iterator[Finding]:
    """异议更正须有分录：答复称已更正账目（``corrected: TRUE``）而未以 ``corrections: "^link"`` 链接更正分录，
    业主无从核对更正是否入账。A reply that says it corrected the books must link the correcting entries.
    民法典 第281条; 建筑物区分所有权司法解释 第13条."""
    compound = ctx.compound
    for objection, reply in read_register(compound.customs("objection") + compound.customs("objection-reply")).rows():
        if reply is None or not reply.corrected or reply.corrections or not ctx.in_period(reply.date):
            continue
        yield Finding(
            "objection_correction_unlinked", "error", "异议答复称已更正但无更正分录", ARTICLE,
            f"对 {objection.unit} 的异议 {objection.id} 的答复（{reply.date}）称已更正账目，但未链接更正分录",
            f"the reply to objection {objection.id} of {reply.date} says the books were corrected but links no "
            "correcting entry (corrections: \"^…\")", (EntryRef.of(reply.entry), EntryRef.of(objection.entry)), None,
            reply.date)
