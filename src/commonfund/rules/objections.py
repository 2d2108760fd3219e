"""The objection register's integrity (异议登记): well-formed ``objection`` and ``objection-reply``
directives, at file:line. Whether an objection was answered in time is conduct, reported by the audit
(:mod:`commonfund.audit.checks.objections`)."""

from __future__ import annotations

from collections.abc import Iterator

from commonfund.books.objections import OBJECTION, REPLY, parse_register, transaction_links
from commonfund.core.errors import LedgerError
from commonfund.rules import RuleContext, integrity_rule


@integrity_rule
def objections_wellformed(ctx: RuleContext) -> Iterator[LedgerError]:
    """An objection (异议) has a unique id, a unit of the register, the disclosure (``"<kind> <period>"``) or
    the entries (``^links``) it is about, and a question or a document; it never records a resident's name
    or phone. A reply names a known objection, is dated on or after it, has a text or a document, and its
    ``corrections`` are links of transactions of the books (with ``corrected: TRUE``); one reply each."""
    customs = ctx.customs
    if OBJECTION not in customs and REPLY not in customs:
        return
    directives = [*customs.get(OBJECTION, []), *customs.get(REPLY, [])]
    _, errors = parse_register(directives, ctx.register.has_unit, transaction_links(ctx.transactions), ctx.root)
    yield from errors
