"""commonfund — the books of a residential owners' committee (业主委员会), kept honest and visible.

The package turns a compound's household register and its bank statements into a double-entry
Beancount ledger per fund (住宅专项维修资金, 共有收益, 业委会工作经费) and checks the law's rules on
every load.
"""

from __future__ import annotations

__version__ = "0.1.0"
