"""Resolution integrity (DOMAIN §4): well-formed resolutions and ballot files, known references, scopes.

These make the books *malformed* (integrity errors at file:line); whether a resolution passed or money was
spent within it is conduct, reported by the audit (:mod:`commonfund.audit.checks`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from commonfund.core.errors import LedgerError
from commonfund.io import cache
from commonfund.resolutions.parse import CITATION_KEYS, parse_resolutions
from commonfund.rules import RuleContext, integrity_rule

if TYPE_CHECKING:
    from commonfund.register.model import HouseholdRegister

UNAPPROVED = "unapproved"


@integrity_rule
def resolutions_wellformed(ctx: RuleContext) -> Iterator[LedgerError]:
    """A resolution has an id, a matter 1–9 (民法典 第278条 ①–⑨), a unique id, and either typed tallies
    or a readable ballot file whose every row is a register unit voting once, agree/against/abstain
    (司法解释 建筑物区分所有权 第8条/第9条); a rejected ballot is reported at its file row."""
    _, errors = parse_resolutions(ctx.customs.get("resolution", []), ctx.register, ctx.root)
    yield from errors


@integrity_rule
def resolution_references_known(ctx: RuleContext) -> Iterator[LedgerError]:
    """A ``resolution`` or ``interfund`` value names a resolution of the books (``interfund`` may also be
    ``"unapproved"``, which the audit reports)."""
    known = set()
    for custom in ctx.customs.get("resolution", []):
        if custom.values and str(custom.values[0].value).strip():
            known.add(str(custom.values[0].value).strip())
    for entry in ctx.transactions:
        for key in CITATION_KEYS:
            value = entry.meta.get(key)
            if value is None or (key == "interfund" and value == UNAPPROVED):
                continue
            if not isinstance(value, str) or value.strip() not in known:
                yield LedgerError(entry.meta, f"`{key}: {value!r}` names no resolution of these books "
                                  '(add its custom "resolution" directive, or fix the id)', entry)


def scope_problem(register: HouseholdRegister, scope: str) -> str | None:
    """Why *scope* names no unit of the register, or None if it names some (plain Python, no arrays).

    The same verdict and message as :func:`commonfund.books.allocation.scope_mask`, which the sub-ledgers use;
    the plugin runs on every load and must not pay for importing numpy.
    """
    kind, _, arg = scope.strip().partition(":")
    arg = arg.strip()
    if kind in ("all", "by-balance", "first-deposit") and not arg:
        named = len(register) > 0
    elif kind == "building" and arg:
        named = arg in register.summary.buildings
    elif kind == "entrance" and arg:
        named = arg in register.summary.entrances
    elif kind == "units" and arg:
        for unit in (u.strip() for u in arg.split(",")):
            if not register.has_unit(unit):
                return f"apportion scope {scope!r} names unit {unit!r}, which is not in the register"
        named = True
    else:
        return (f"apportion scope {scope!r} is not one of all, building:N, entrance:N-M, units:a,b,c, "
                "by-balance, first-deposit")
    return None if named else f"apportion scope {scope!r} names no unit of the register"


@integrity_rule
def apportion_scope_valid(ctx: RuleContext) -> Iterator[LedgerError]:
    """Every ``apportion`` scope is well-formed and names at least one unit of the register
    (住宅专项维修资金管理办法 第20/21条: a cost is shared by the owners concerned)."""
    if not ctx.scan.scoped:
        return
    verdicts = scope_verdicts(ctx.register, {str(scope) for _, _, scope in ctx.scan.scoped})
    for entry, posting, scope in ctx.scan.scoped:
        problem = verdicts[str(scope)]
        if problem:
            meta = posting.meta if posting.meta is not None and "lineno" in posting.meta else entry.meta
            yield LedgerError(meta, problem, entry)


def scope_verdicts(register: HouseholdRegister, scopes: set[str]) -> dict[str, str | None]:
    """:func:`scope_problem` of each scope, kept in the parse cache by the register's content and the set of
    scopes (a load then never reads the register's door numbers)."""
    ordered = sorted(scopes)
    key = None
    if register.key is not None:
        key = cache.content_key("scopes", "\x00".join(ordered).encode("utf-8"), register.key)
        found = cache.read_blobs("scopes", key)
        if found and len(found) == 1 and isinstance(found[0], list) and len(found[0]) == len(ordered) \
                and all(v is None or isinstance(v, str) for v in found[0]):
            return dict(zip(ordered, found[0], strict=True))
    verdicts = [scope_problem(register, scope) for scope in ordered]
    if key is not None:
        cache.write_blobs("scopes", key, [verdicts])
    return dict(zip(ordered, verdicts, strict=True))
