"""Findings (审计发现): conduct that breaks a rule, recorded in books that are themselves well-formed.

Findings never block loading (DOMAIN §4, second tier). A check is a function
``(ctx: AuditContext) -> Iterable[Finding]`` registered with :func:`audit_check`; its docstring is its
help (``commonfund audit --list`` and the Fava findings page show it). :func:`run_audit` runs them all
over a loaded :class:`~commonfund.compound.model.Compound` and returns findings sorted by date, severity, check.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal, TypeVar, cast

from beancount.core import data

from commonfund.compound.model import Compound

T = TypeVar("T")

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_ZH = {"error": "严重", "warning": "警告", "info": "提示"}


@dataclass(frozen=True)
class EntryRef:
    """Where a finding points: an entry's file and line, date and text.

    Attributes:
      filename: The ledger file (absolute path).
      lineno: The line of the entry.
      date: The entry's date.
      text: A short description (payee and narration, or the directive).
    """

    filename: str
    lineno: int
    date: date
    text: str

    @classmethod
    def of(cls, entry: data.Directive) -> EntryRef:
        meta = entry.meta or {}
        if isinstance(entry, data.Transaction):
            text = " ".join(part for part in (entry.payee, entry.narration) if part)
        elif isinstance(entry, data.Custom):
            from commonfund.core.labels import custom_text

            text = custom_text(entry.type, [v.value for v in entry.values])
        else:
            from commonfund.core.labels import DIRECTIVE_ZH, account_label

            kind = type(entry).__name__.lower()
            account = getattr(entry, "account", None)
            text = " ".join([DIRECTIVE_ZH.get(kind, kind), *([account_label(account)] if account else [])])
        return cls(str(meta.get("filename", "<unknown>")), int(meta.get("lineno", 0)), entry.date, text)

    @property
    def location(self) -> str:
        return f"{self.filename}:{self.lineno}"


@dataclass(frozen=True)
class Finding:
    """One audit finding.

    Attributes:
      check: The registered check's name (e.g. ``maintenance_use_without_resolution``).
      severity: ``error`` (breaks the law), ``warning`` (needs an explanation) or ``info``.
      rule: A short rule label in Chinese (e.g. ``维修资金使用须经业主大会表决``).
      article: The legal basis (e.g. ``民法典 第278条; 165号令 第22条``).
      message_zh, message_en: What happened, in Chinese and English.
      entries: The entries concerned, first the main one.
      amount: The amount concerned (Decimal yuan), if any.
      date: The date the finding is about (the main entry's date by default).
    """

    check: str
    severity: Severity
    rule: str
    article: str
    message_zh: str
    message_en: str
    entries: tuple[EntryRef, ...] = ()
    amount: Decimal | None = None
    date: date | None = None

    @property
    def id(self) -> str:
        """A stable id: the same finding gets the same id on every run over the same books."""
        key = "|".join([self.check, self.message_en, *(f"{e.filename}:{e.lineno}" for e in self.entries)])
        return f"{self.check[:24]}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:8]}"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (stable keys) for ``--format json`` and the Fava pages."""
        day = self.date or (self.entries[0].date if self.entries else None)
        return {
            "id": self.id,
            "check": self.check,
            "severity": self.severity,
            "rule": self.rule,
            "article": self.article,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "date": day.isoformat() if day is not None else None,
            "amount": None if self.amount is None else f"{self.amount:.2f}",
            "entries": [
                {"filename": e.filename, "lineno": e.lineno, "date": e.date.isoformat(), "text": e.text}
                for e in self.entries
            ],
        }


@dataclass
class AuditContext:
    """What a check sees: the loaded compound and the period under audit (inclusive dates, or None).

    Checks should report findings whose date lies in the period; they may look at the whole ledger
    (e.g. a resolution dated before the period) to decide.
    """

    compound: Compound
    start: date | None = None
    end: date | None = None
    cache: dict[str, object] = field(default_factory=dict)

    def in_period(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """Compute something once per audit run and share it between checks."""
        if key not in self.cache:
            self.cache[key] = compute()
        return cast(T, self.cache[key])


Check = Callable[[AuditContext], Iterable[Finding]]


@dataclass(frozen=True)
class RegisteredCheck:
    """A check in the registry: its name, function and help text (the docstring)."""

    name: str
    func: Check
    help: str


CHECKS: dict[str, RegisteredCheck] = {}

# Modules that register checks; importing them fills CHECKS (order = report order within a date).
CHECK_MODULES: list[str] = ["commonfund.audit.checks"]


def audit_check(func: Check) -> Check:
    """Register *func* as an audit check; its docstring is its help."""
    CHECKS[func.__name__] = RegisteredCheck(func.__name__, func, (func.__doc__ or "").strip())
    return func


def load_checks() -> dict[str, RegisteredCheck]:
    for module in CHECK_MODULES:
        importlib.import_module(module)
    return CHECKS


def run_audit(
    compound: Compound, start: date | None = None, end: date | None = None,
    only: Sequence[str] | None = None,
) -> list[Finding]:
    """Run every registered check (or those named in *only*) and return the findings, sorted."""
    checks = load_checks()
    ctx = AuditContext(compound, start, end)
    findings: list[Finding] = []
    for name, registered in checks.items():
        if only and name not in only:
            continue
        findings.extend(registered.func(ctx))
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(
        findings,
        key=lambda f: (f.date or (f.entries[0].date if f.entries else date.min), rank[f.severity], f.check, f.id),
    )


def count_by_severity(findings: Iterable[Finding]) -> dict[str, int]:
    counts: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
    for finding in findings:
        counts[finding.severity] += 1
    return counts
