"""What each commonfund page in Fava shows, as plain data built from the library's pure functions.

The Fava extension (:mod:`commonfund.fava_ext`) only picks the page, reads the request and renders
these records; every figure here comes from the functions the CLI and the reports use (run_audit,
resolutions_of, compute_subledgers, the disclosure figures). Nothing here imports Fava or Flask, so the
pages' content is tested without a server.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from commonfund.compound import Compound
from commonfund.findings import SEVERITIES, SEVERITY_ZH, Finding, count_by_severity, load_checks, run_audit


class Tab(NamedTuple):
    """One page of the extension.

    Attributes:
      key: The ``tab`` URL parameter.
      title: The Chinese title shown on the tab.
    """

    key: str
    title: str


TABS = (
    Tab("findings", "审计发现"),
    Tab("resolutions", "业主大会决议"),
    Tab("households", "分户账"),
    Tab("disclosures", "公示"),
)
TAB_KEYS = tuple(tab.key for tab in TABS)


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
    """The findings of :func:`~commonfund.findings.run_audit` over ``[start, end]``."""
    findings = tuple(run_audit(compound, start, end))
    checks = load_checks()
    return FindingsPage(start, end, findings, count_by_severity(findings),
                        {name: check.help for name, check in checks.items()})
