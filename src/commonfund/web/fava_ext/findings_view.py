"""The 审计发现 (findings) page: the audit over the period of Fava's time filter.

Plain data from :func:`commonfund.audit.findings.run_audit`; the Fava extension only renders it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from commonfund.audit.findings import SEVERITIES, SEVERITY_ZH, Finding, count_by_severity, load_checks, run_audit
from commonfund.compound.model import Compound
from commonfund.core.labels import plain_help

PAGE_SIZE = 100
"""Findings on one page: ten-year books of thousands of units can hold hundreds (every household below the
top-up line is one); a page of them all, each with its entries, took 80× Fava's own report to render."""


@dataclass(frozen=True)
class FindingsPage:
    """The 审计发现 page: the findings of the audit over the period of Fava's time filter.

    Attributes:
      start, end: The period (inclusive), or None for the whole ledger.
      findings: The findings, sorted by date, severity, check.
      counts: Number of findings per severity.
      help: Each check's help text (its docstring) by check name.
    """

    start: date | None
    end: date | None
    findings: tuple[Finding, ...]
    counts: dict[str, int]
    help: dict[str, str]

    severities = SEVERITIES
    severity_zh = SEVERITY_ZH

    @property
    def page_size(self) -> int:
        return PAGE_SIZE

    def shown(self, severity: str = "", page: int = 1) -> tuple[tuple[Finding, ...], int, int]:
        """The findings of page *page* (from 1) of those of *severity* (all if ""): ``(findings, page, pages)``,
        the page number clamped to ``1..pages``."""
        chosen = [f for f in self.findings if not severity or f.severity == severity]
        pages = max(1, -(-len(chosen) // PAGE_SIZE))
        page = min(max(page, 1), pages)
        return tuple(chosen[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]), page, pages


def findings_page(compound: Compound, start: date | None = None, end: date | None = None) -> FindingsPage:
    """The findings of :func:`~commonfund.audit.findings.run_audit` over ``[start, end]``."""
    findings = tuple(run_audit(compound, start, end))
    checks = load_checks()
    return FindingsPage(start, end, findings, count_by_severity(findings),
                        {name: plain_help(check.help) for name, check in checks.items()})
