"""The 分户账核对 page: the 维修资金管理中心's list on file against the household sub-ledgers.

Plain data from :func:`commonfund.books.authority.reconciliation_on_file` (the one comparison, also behind
``commonfund reconcile``, the workbook's sheet and the audit); the Fava extension only renders it. The
page shows unit numbers and the list's spelling of them, never owner names. Without a list on file it says
how to put one there.
"""

from __future__ import annotations

from dataclasses import dataclass

from commonfund.books.authority import FIGURE_ZH, Household, Reconciliation, reconciliation_on_file
from commonfund.compound.model import Compound
from commonfund.core.errors import InputError
from commonfund.core.program import command_line

FIGURES = ("deposits", "uses", "income", "balance")


@dataclass(frozen=True)
class AuthorityPage:
    """The page.

    Attributes:
      result: The reconciliation, or None when no list is on file.
      command: The command that puts a list on file (as it can be typed here).
      tolerance: The audit's tolerance in fen (``[policy] authority_tolerance``).
      problem: Why the list on file cannot be read (one sentence), or "".
      labels: The Chinese names of the compared figures, in column order.
    """

    result: Reconciliation | None
    command: str
    tolerance: int
    problem: str = ""
    labels: tuple[tuple[str, str], ...] = tuple((f, FIGURE_ZH[f]) for f in FIGURES)

    def beyond(self, household: Household) -> bool:
        """Whether the audit reports this household (beyond the tolerance, or area)."""
        return household.largest > self.tolerance or household.area_differs


def authority_page(compound: Compound) -> AuthorityPage:
    """The 分户账核对 page of *compound*."""
    command = command_line("reconcile", str(compound.root), "清单.xlsx")
    tolerance = compound.config.policy.authority_tolerance_fen
    try:
        return AuthorityPage(reconciliation_on_file(compound), command, tolerance)
    except InputError as exc:
        return AuthorityPage(None, command, tolerance, problem=str(exc))
