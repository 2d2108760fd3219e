"""Demo step: audit the demo compound and write the findings as JSON and text into the outputs folder."""

from __future__ import annotations

import io
import json

from rich.console import Console

from commonfund.audit.findings import SEVERITIES
from commonfund.audit.report import audit_report, render_text
from commonfund.compound.model import load_compound
from commonfund.demo.context import DemoContext
from commonfund.io.atomic import write_text


def audit_books(ctx: DemoContext) -> None:
    """Run the audit on the demo compound; write audit.json and audit.txt into the outputs."""
    report = audit_report(load_compound(ctx.root))
    write_text(ctx.outputs / "audit.json", json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n")
    buffer = io.StringIO()
    render_text(report, Console(file=buffer, width=120, no_color=True, highlight=False))
    write_text(ctx.outputs / "audit.txt", buffer.getvalue())
    counts = report.counts
    ctx.say(f"{len(report.findings)} findings: " + ", ".join(f"{counts[s]} {s}" for s in SEVERITIES)
            + f" → {ctx.outputs / 'audit.txt'}")
    ctx.results["audit"] = str(ctx.outputs / "audit.json")
