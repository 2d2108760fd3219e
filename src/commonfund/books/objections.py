"""The objection register (异议登记): what residents asked about a disclosure or about entries of the books,
and how the committee answered, kept in the books as data.

An objection and its reply are two Beancount ``custom`` directives (docs/ledger-conventions.md)::

    2025-10-17 custom "objection" "O-2025-02" "2-1-502"
      disclosure: "common-revenue 2025Q3"        ; which disclosure: kind and period, and/or
      entries: "^sweep-2025Q3"                   ; which entries: their links, separated by spaces
      question: "快递柜场地费是否少计？"            ; the question, or a file for a long one:
      document: "documents/objections/O-2025-02.pdf"

    2025-10-27 custom "objection-reply" "O-2025-02"
      text: "经核对，9月快递柜场地费误记为充电桩分成，已更正。"   ; or document:
      corrected: TRUE                            ; the answer changed the books …
      corrections: "^fix-O-2025-02"              ; … by the entries with these links

Only the unit number identifies the resident: the register never holds a name or a phone number
(:data:`PERSONAL_KEYS` are refused), and whatever is disclosed is masked again on the way out.

This module is plain Python (no numpy, pandas or pydantic): the plugin validates the register on every
load (:mod:`commonfund.rules.objections`); the audit (:mod:`commonfund.audit.checks.objections`), the next
disclosure's summary (:mod:`commonfund.disclosure.objections`) and the Fava 异议 page read it through
:func:`read_register` and judge it with :func:`status`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal, NamedTuple

from beancount.core import data

from commonfund.core.errors import LedgerError

OBJECTION = "objection"
REPLY = "objection-reply"
DEFAULT_DAYS = 15
"""Days the committee has to answer, unless ``[policy] objection_days`` says otherwise."""
DISCLOSURE_KINDS = {"common-revenue": "共有收益收支情况公示", "maintenance-fund": "住宅专项维修资金使用管理情况公示"}
PERSONAL_KEYS = frozenset({"name", "owner", "owner_name", "resident", "phone", "mobile", "contact", "id_card"})
# The period spellings of commonfund.disclosure.periods (kept here so the plugin does not import the
# disclosure package, which loads the figures and their dependencies).
_PERIOD = re.compile(r"^\d{4}(?:-(?:0?[1-9]|1[0-2])|[Qq][1-4]|[Hh][12])?$")

Status = Literal["answered", "late", "open", "overdue"]
STATUS_ZH: dict[str, str] = {"answered": "已答复", "late": "逾期答复", "open": "待答复", "overdue": "逾期未答复"}


class Objection(NamedTuple):
    """A resident's objection (异议), identified by unit number only.

    Attributes:
      id: The objection's id (``O-2025-02``).
      date: The day it was received.
      unit: The unit (房号) it came from.
      disclosure: ``(kind, period)`` of the disclosure it is about, or None.
      entries: The links (without ``^``) of the entries it is about.
      question: The question as written in the books ("" if it is in a document).
      document: The file holding a long question, relative to the compound folder ("" if none).
      entry: The directive (its meta gives file and line).
    """

    id: str
    date: date
    unit: str
    disclosure: tuple[str, str] | None
    entries: tuple[str, ...]
    question: str
    document: str
    entry: data.Custom


class Reply(NamedTuple):
    """The committee's reply (答复) to an objection.

    Attributes:
      id: The objection it answers.
      date: The day it was given.
      text: The answer ("" if it is in a document).
      document: The file holding a long answer ("" if none).
      corrected: Whether the answer changed the books (更正账目).
      corrections: The links (without ``^``) of the correcting entries.
      entry: The directive.
    """

    id: str
    date: date
    text: str
    document: str
    corrected: bool
    corrections: tuple[str, ...]
    entry: data.Custom


@dataclass(frozen=True)
class ObjectionRegister:
    """The objections of the books and their replies, by objection id (in the order of the books).

    Attributes:
      objections: Objection id → objection.
      replies: Objection id → its reply.
    """

    objections: dict[str, Objection]
    replies: dict[str, Reply]

    def __len__(self) -> int:
        return len(self.objections)

    def rows(self) -> list[tuple[Objection, Reply | None]]:
        """Every objection with its reply (or None), by date received, then id."""
        return [(o, self.replies.get(o.id)) for o in sorted(self.objections.values(), key=lambda o: (o.date, o.id))]


def deadline(objection: Objection, days: int = DEFAULT_DAYS) -> date:
    """The last day the committee may answer *objection* on."""
    return objection.date + timedelta(days=days)


def status(objection: Objection, reply: Reply | None, as_of: date, days: int = DEFAULT_DAYS) -> Status:
    """``answered`` (in time), ``late`` (answered after the deadline), ``open`` (no answer, deadline ahead
    of *as_of*) or ``overdue`` (no answer and the deadline has passed by *as_of*)."""
    due = deadline(objection, days)
    if reply is not None and reply.date <= as_of:
        return "answered" if reply.date <= due else "late"
    return "overdue" if as_of > due else "open"


def objection_days(policy: Any) -> int:
    """The days a reply may take under *policy* (``objection_days`` if it sets one, else 15)."""
    value = getattr(policy, "objection_days", None)
    return int(value) if isinstance(value, int) and value > 0 else DEFAULT_DAYS


def transaction_links(entries: Iterable[data.Directive]) -> frozenset[str]:
    """Every link carried by a transaction of *entries*."""
    found: set[str] = set()
    for entry in entries:
        if isinstance(entry, data.Transaction) and entry.links:
            found.update(entry.links)
    return frozenset(found)


def read_register(entries: Iterable[data.Directive]) -> ObjectionRegister:
    """The register of well-formed directives (the malformed ones are the plugin's errors, left out here)."""
    register, _ = parse_register(entries, None, None, None)
    return register


def parse_register(
    entries: Iterable[data.Directive], has_unit: Callable[[str], bool] | None,
    links: frozenset[str] | None, root: Path | None,
) -> tuple[ObjectionRegister, list[LedgerError]]:
    """Read and validate the ``objection`` and ``objection-reply`` directives of *entries*.

    *has_unit* (the household register), *links* (the transactions' links) and *root* (the compound folder,
    for documents) are checked when given. Returns the register of the well-formed directives and an error
    at file:line for every malformed one.
    """
    objections: dict[str, Objection] = {}
    replies: dict[str, Reply] = {}
    errors: list[LedgerError] = []
    pending: list[data.Custom] = []
    named: set[str] = set()  # ids of every objection directive, well-formed or not
    for entry in entries:
        if not isinstance(entry, data.Custom):
            continue
        if entry.type == OBJECTION:
            named.update(v for v in _strings(entry)[:1] if v)
            objection, problems = _objection(entry, has_unit, links, root)
            errors.extend(LedgerError(entry.meta, p, entry) for p in problems)
            if objection is not None:
                if objection.id in objections:
                    first = objections[objection.id].entry.meta
                    errors.append(LedgerError(entry.meta, f"objection id {objection.id!r} is used twice (first at "
                                              f"{first.get('filename', '?')}:{first.get('lineno', 0)})", entry))
                else:
                    objections[objection.id] = objection
        elif entry.type == REPLY:
            pending.append(entry)
    for entry in pending:
        if (_strings(entry) or [None])[0] in named - set(objections):
            continue  # its objection is malformed, and reported once
        reply, problems = _reply(entry, objections, links, root)
        errors.extend(LedgerError(entry.meta, p, entry) for p in problems)
        if reply is not None:
            if reply.id in replies:
                first = replies[reply.id].entry.meta
                errors.append(LedgerError(entry.meta, f"objection {reply.id!r} has a reply already (at "
                                          f"{first.get('filename', '?')}:{first.get('lineno', 0)}); "
                                          "write one reply per objection", entry))
            else:
                replies[reply.id] = reply
    return ObjectionRegister(objections, replies), errors


def _strings(entry: data.Custom) -> list[str | None]:
    return [v.value.strip() if isinstance(v.value, str) else None for v in entry.values]


def _meta_text(entry: data.Custom, key: str, problems: list[str]) -> str:
    value = (entry.meta or {}).get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.append(f"`{key}` must be a string in double quotes")
        return ""
    return value.strip()


def _links(entry: data.Custom, key: str, links: frozenset[str] | None, problems: list[str]) -> tuple[str, ...]:
    text = _meta_text(entry, key, problems)
    out: list[str] = []
    for token in text.split():
        if not token.startswith("^") or len(token) < 2:
            problems.append(f"`{key}: {text!r}` must list entry links such as \"^fix-2025-10\" (each starting with ^)")
            return ()
        link = token[1:]
        if links is not None and link not in links:
            problems.append(f"`{key}` names the link ^{link}, which no transaction of these books carries")
        out.append(link)
    return tuple(out)


def _document(entry: data.Custom, root: Path | None, problems: list[str]) -> str:
    path = _meta_text(entry, "document", problems)
    if path and root is not None and not (root / path).is_file():
        problems.append(f"document {path!r} does not exist (a path relative to the compound folder)")
    return path


def _objection(entry: data.Custom, has_unit: Callable[[str], bool] | None, links: frozenset[str] | None,
               root: Path | None) -> tuple[Objection | None, list[str]]:
    problems: list[str] = []
    values = _strings(entry)
    if len(values) < 2 or not values[0] or not values[1]:
        return None, ['an objection needs an id and the unit it came from: '
                      'custom "objection" "O-2025-01" "3-2-1502"']
    oid, unit = str(values[0]), str(values[1])
    if has_unit is not None and not has_unit(unit):
        problems.append(f"objection {oid!r} comes from unit {unit!r}, which is not in the register")
    personal = sorted(PERSONAL_KEYS & set(entry.meta or {}))
    if personal:
        problems.append(f"objection {oid!r} carries `{personal[0]}`: the register records the unit only, never a "
                        "resident's name or phone number (keep those in the committee's own records)")
    about = _meta_text(entry, "disclosure", problems)
    disclosure: tuple[str, str] | None = None
    if about:
        kind, _, period = about.partition(" ")
        if kind not in DISCLOSURE_KINDS or not _PERIOD.match(period.strip()):
            problems.append(f"`disclosure: {about!r}` must name a disclosure as \"<kind> <period>\", kind "
                            f"{' or '.join(DISCLOSURE_KINDS)}, e.g. \"common-revenue 2025Q3\"")
        else:
            disclosure = (kind, period.strip().upper())
    entries = _links(entry, "entries", links, problems)
    if disclosure is None and not entries and not problems:
        problems.append(f"objection {oid!r} names neither a disclosure (`disclosure: \"common-revenue 2025Q3\"`) "
                        "nor entries (`entries: \"^link\"`)")
    question = _meta_text(entry, "question", problems)
    document = _document(entry, root, problems)
    if not question and not document:
        problems.append(f"objection {oid!r} has no `question` (or a `document` holding it)")
    if problems:
        return None, problems
    return Objection(oid, entry.date, unit, disclosure, entries, question, document, entry), []


def _reply(entry: data.Custom, objections: dict[str, Objection], links: frozenset[str] | None,
           root: Path | None) -> tuple[Reply | None, list[str]]:
    problems: list[str] = []
    values = _strings(entry)
    if not values or not values[0]:
        return None, ['a reply names the objection it answers: custom "objection-reply" "O-2025-01"']
    oid = str(values[0])
    objection = objections.get(oid)
    if objection is None:
        problems.append(f"reply to objection {oid!r}, which is not in the books "
                        "(its custom \"objection\" is missing or malformed)")
    elif entry.date < objection.date:
        problems.append(f"reply to {oid!r} is dated {entry.date}, before the objection ({objection.date})")
    text = _meta_text(entry, "text", problems)
    document = _document(entry, root, problems)
    if not text and not document:
        problems.append(f"reply to {oid!r} has no `text` (or a `document` holding it)")
    corrected = (entry.meta or {}).get("corrected", False)
    if not isinstance(corrected, bool):
        problems.append("`corrected` must be TRUE or FALSE")
        corrected = False
    corrections = _links(entry, "corrections", links, problems)
    if corrections and not corrected:
        problems.append(f"reply to {oid!r} links correcting entries but says `corrected: FALSE`")
    if problems:
        return None, problems
    return Reply(oid, entry.date, text, document, bool(corrected), corrections, entry), []
