"""The demo step that writes the audit report (xlsx) and the auditor's workbook into the outputs folder."""

from __future__ import annotations

from commonfund.audit.findings import run_audit
from commonfund.books.payments import last_transaction_day
from commonfund.compound.model import load_compound
from commonfund.demo.context import DemoContext
from commonfund.export.workbook import export_findings, export_workbook


def write_auditor_package(ctx: DemoContext) -> None:
    """The audit report workbook and the auditor's workbook for the last year of the demo books."""
    compound = load_compound(ctx.root)
    last = last_transaction_day(compound)
    assert last is not None
    year = last.year
    report = export_findings(compound, run_audit(compound), None, None, ctx.outputs / "audit.xlsx")
    ctx.say(f"audit report: {report}")
    workbook = export_workbook(compound, year, ctx.outputs / f"{compound.config.slug}-{year}-审计资料.xlsx")
    ctx.say(f"auditor workbook ({year}): {workbook}")
    ctx.results["audit xlsx"] = str(report)
    ctx.results["auditor workbook"] = str(workbook)
