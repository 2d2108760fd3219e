"""The 审计发现 (findings) page: the audit over the period of Fava's time filter.

Plain data from :func:`commonfund.audit.findings.run_audit`; the Fava extension only renders it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from commonfund.audit.findings import SEVERITIES, SEVERITY_ZH, Finding, count_by_severity, load_checks, run_audit
from commonfund.compound.model import Compound
from commonfund.core.labels import plain_help


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


def findings_page(compound: Compound, start: date | None = None, end: date | None = None) -> FindingsPage:
    """The findings of :func:`~commonfund.audit.findings.run_audit` over ``[start, end]``."""
    findings = tuple(run_audit(compound, start, end))
    checks = load_checks()
    return FindingsPage(start, end, findings, count_by_severity(findings),
                        {name: plain_help(check.help) for name, check in checks.items()})
