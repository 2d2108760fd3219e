"""Audit checks of the fund rules (DOMAIN §5): each module registers its checks with
:func:`commonfund.audit.findings.audit_check`; importing this package imports them all, in this order."""

from __future__ import annotations

import importlib

MODULES = (
    "commonfund.audit.checks.resolutions",
    "commonfund.audit.checks.maintenance",
    "commonfund.audit.checks.distribution",
    "commonfund.audit.checks.sweep",
    "commonfund.audit.checks.topup",
    "commonfund.audit.checks.bank",
    "commonfund.audit.checks.revenue",
    "commonfund.audit.checks.payments",
    "commonfund.audit.checks.invoices",
    "commonfund.audit.checks.budget",
    "commonfund.audit.checks.disclosure",
    "commonfund.audit.checks.objections",
    "commonfund.audit.checks.calendar",
    "commonfund.audit.checks.authority",
)

for _module in MODULES:
    importlib.import_module(_module)
