"""Public disclosures (公示): the figures residents see, and their printable Chinese PDFs.

* :func:`common_revenue_statement` — the periodic common-revenue statement (民法典 第282/283条).
* :func:`maintenance_fund_disclosure` — the yearly maintenance-fund disclosure (165号令 第30条).

Both are pure functions of a loaded :class:`~commonfund.compound.model.Compound` and a period; they return
immutable records (Decimal yuan) that the PDFs (:mod:`commonfund.disclosure.render`), the Fava pages and
the auditor package all read. Personal names never leave them unmasked (:mod:`.privacy`).
"""

from __future__ import annotations

from .figures import (
    CommonRevenueStatement,
    MaintenanceFundDisclosure,
    common_revenue_statement,
    figures_json,
    maintenance_fund_disclosure,
)
from .periods import Period, parse_period

__all__ = [
    "CommonRevenueStatement", "MaintenanceFundDisclosure", "Period", "common_revenue_statement", "figures_json",
    "maintenance_fund_disclosure", "parse_period",
]
