"""Audit checks of the fund rules (DOMAIN §5): each module registers its checks with
:func:`commonfund.findings.audit_check`; importing this package imports them all, in this order."""

from __future__ import annotations

import importlib

MODULES = (
    "commonfund.checks.resolutions",
    "commonfund.checks.maintenance",
    "commonfund.checks.distribution",
    "commonfund.checks.sweep",
    "commonfund.checks.topup",
    "commonfund.checks.bank",
    "commonfund.checks.revenue",
    "commonfund.checks.payments",
    "commonfund.checks.invoices",
    "commonfund.checks.budget",
    "commonfund.checks.disclosure",
    "commonfund.checks.calendar",
)

for _module in MODULES:
    importlib.import_module(_module)
