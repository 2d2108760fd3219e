"""The auditor's package: ledger views, the non-profit statements, and the Excel workbook (DOMAIN §7)."""

from __future__ import annotations

from commonfund.export.workbook import SHEETS, export_findings, export_statements, export_workbook

__all__ = ["SHEETS", "export_findings", "export_statements", "export_workbook"]
