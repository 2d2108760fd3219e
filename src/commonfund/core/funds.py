"""The three funds (DOMAIN §2) and the fund of an account (its second component)."""

from __future__ import annotations

from typing import NamedTuple


class Fund(NamedTuple):
    """A fund: its account component, Chinese name, and whether its net assets are restricted.

    Attributes:
      key: The account component, e.g. ``MaintenanceFund``.
      name_zh: The Chinese name used in reports.
      restricted: True if its net assets are restricted (限定性) in 民非 statements.
    """

    key: str
    name_zh: str
    restricted: bool


FUNDS: dict[str, Fund] = {
    "MaintenanceFund": Fund("MaintenanceFund", "住宅专项维修资金", True),
    "CommonRevenue": Fund("CommonRevenue", "共有收益", False),
    "Committee": Fund("Committee", "业委会工作经费", False),
}

ROOTS = ("Assets", "Liabilities", "Equity", "Income", "Expenses")


def fund_of(account: str) -> str | None:
    """The fund key of *account* (its second component), or None if it names no known fund.

    >>> fund_of("Assets:MaintenanceFund:Bank-建行专户")
    'MaintenanceFund'
    """
    parts = account.split(":", 2)
    if len(parts) < 2:
        return None
    return parts[1] if parts[1] in FUNDS else None
