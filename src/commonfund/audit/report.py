"""The supervisory audit as a report: run every check over a compound and render the findings.

:func:`audit_report` returns plain data (JSON-ready, stable keys and order); :func:`render_text` prints it
with rich. ``commonfund audit``, the demo and the auditor package use these; the Fava page uses
:func:`commonfund.audit.findings.run_audit` directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console

from commonfund.audit.findings import SEVERITIES, SEVERITY_ZH, Finding, count_by_severity, run_audit
from commonfund.compound.model import Compound
from commonfund.core.program import command_line

FAIL_LEVELS = ("error", "warning", "never")
STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


@dataclass(frozen=True)
class AuditReport:
    """The findings of one audit run.

    Attributes:
      compound: The compound's name; ``root`` its folder.
      start, end: The audited period (inclusive), None for open ends.
      findings: Sorted by date, severity, check.
      ledger_errors: Number of integrity errors in the books (the audit still runs; fix them first).
    """

    compound: str
    root: Path
    start: date | None
    end: date | None
    findings: tuple[Finding, ...]
    ledger_errors: int

    @property
    def counts(self) -> dict[str, int]:
        return count_by_severity(self.findings)

    def fails(self, level: str) -> bool:
        """True if a finding reaches *level* (``error``, ``warning``; ``never`` never fails)."""
        if level == "never":
            return False
        worst = SEVERITIES[: SEVERITIES.index(level) + 1]  # type: ignore[arg-type]
        return any(f.severity in worst for f in self.findings)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, with stable keys; paths relative to the compound folder."""
        findings = []
        for finding in self.findings:
            item = finding.as_dict()
            for entry in item["entries"]:
                entry["filename"] = _relative(entry["filename"], self.root)
            findings.append(item)
        return {
            "compound": self.compound,
            "period": {"from": _iso(self.start), "to": _iso(self.end)},
            "ledger_errors": self.ledger_errors,
            "counts": self.counts,
            "findings": findings,
        }


def audit_report(compound: Compound, start: date | None = None, end: date | None = None) -> AuditReport:
    """Run every registered check over *compound* for ``[start, end]``."""
    findings = tuple(run_audit(compound, start, end))
    return AuditReport(compound.config.name, compound.root, start, end, findings, len(compound.errors))


def render_text(report: AuditReport, console: Console) -> None:
    """Print the findings as a table grouped by severity, then the counts (Chinese with English)."""
    period = f"{_iso(report.start) or '…'} – {_iso(report.end) or '…'}"
    console.print(f"[bold]{report.compound} 审计发现 (audit findings)[/bold]  期间 period: {period}")
    if report.ledger_errors:
        console.print(f"[bold red]账簿有 {report.ledger_errors} 个完整性错误 (integrity errors): run "
                      f"`{command_line('check', report.root)}` and fix them first[/bold red]")
    for finding in report.findings:
        style = STYLE[finding.severity]
        console.print(
            f"\n[{style}]{SEVERITY_ZH[finding.severity]} {finding.severity}[/]  {_iso(finding.date) or ''}  "
            f"[bold]{finding.rule}[/bold]  [dim]{finding.article} · {finding.id}[/dim]"
        )
        console.print(f"  {finding.message_zh}")
        console.print(f"  [dim]{finding.message_en}[/dim]")
        for entry in finding.entries:
            console.print(f"  → {_relative(entry.filename, report.root)}:{entry.lineno}  {entry.date}  {entry.text}")
    console.print()
    counts = report.counts
    console.print("合计 total: " + ", ".join(f"{SEVERITY_ZH[s]} {s} {counts[s]}" for s in SEVERITIES))


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _relative(filename: str, root: Path) -> str:
    try:
        return Path(filename).resolve().relative_to(root).as_posix()
    except ValueError:
        return filename

