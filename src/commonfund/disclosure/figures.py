"""The figures of the public disclosures, as pure functions (no I/O beyond the loaded compound).

This is the one entry point the PDFs, the Fava pages and the auditor package call:

* :func:`common_revenue_statement(compound, period) <common_revenue_statement>` → :class:`CommonRevenueStatement`
* :func:`maintenance_fund_disclosure(compound, year) <maintenance_fund_disclosure>` →
  :class:`MaintenanceFundDisclosure`
* :func:`disclosure_figures(compound, kind, period) <disclosure_figures>` picks one by kind;
  :func:`figures_json` turns either into plain JSON (amounts as ``"1234.56"`` strings).

Periods are ``2025Q3``, ``2025``, ``2025-07`` or ``2025H1`` (:mod:`.periods`). Sums are integer fen inside;
the records carry Decimal yuan. A period that ends before the books start raises
:class:`~commonfund.core.errors.InputError` with a Chinese sentence naming the first period that can be disclosed.
"""

from __future__ import annotations

from typing import Any, Literal

from commonfund.compound.model import Compound

from .base import jsonable
from .common_revenue import CommonRevenueStatement, Distribution, PeriodSummary, common_revenue_statement
from .households import HouseholdRow, HouseholdTable
from .items import ChargedItem, EmergencyUse, Payment
from .maintenance_fund import (
    BankCheck,
    FundTotals,
    MaintenanceFundDisclosure,
    ResolutionRow,
    maintenance_fund_disclosure,
)
from .periods import Period

Kind = Literal["common-revenue", "maintenance-fund"]
KINDS: dict[str, str] = {
    "common-revenue": "共有收益收支情况公示",
    "maintenance-fund": "住宅专项维修资金使用管理情况公示",
}
"""Disclosure kinds and their document titles."""

Figures = CommonRevenueStatement | MaintenanceFundDisclosure

__all__ = [
    "KINDS", "BankCheck", "ChargedItem", "CommonRevenueStatement", "Distribution", "EmergencyUse", "Figures",
    "FundTotals", "HouseholdRow", "HouseholdTable", "MaintenanceFundDisclosure", "Payment", "PeriodSummary",
    "ResolutionRow", "common_revenue_statement", "disclosure_figures", "figures_json", "maintenance_fund_disclosure",
]


def disclosure_figures(compound: Compound, kind: str, period: str | Period) -> Figures:
    """The figures of disclosure *kind* (``common-revenue`` or ``maintenance-fund``) for *period*."""
    if kind == "common-revenue":
        return common_revenue_statement(compound, period)
    if kind == "maintenance-fund":
        return maintenance_fund_disclosure(compound, period)
    raise ValueError(f"unknown disclosure kind {kind!r}; expected one of {', '.join(KINDS)}")


def figures_json(figures: Figures) -> dict[str, Any]:
    """Plain JSON of a disclosure's figures: Decimal → ``"1234.56"``, dates ISO, records → objects.

    The per-household rows become compact arrays (``[unit, area, first_deposit, deposits, uses, income,
    balance, ratio, below, developer]``) with their column names under ``households.columns``, so the
    3,000-row table stays small.
    """
    out: dict[str, Any] = jsonable(figures)
    out["kind"] = "common-revenue" if isinstance(figures, CommonRevenueStatement) else "maintenance-fund"
    out["title"] = KINDS[out["kind"]]
    if isinstance(figures, MaintenanceFundDisclosure):
        out["households"]["columns"] = list(HouseholdRow._fields)
        out["households"]["rows"] = [list(row.values()) for row in out["households"]["rows"]]
    return out
