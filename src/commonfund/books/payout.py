"""Payout lists of distributions (民法典 第282条/第283条): the per-household amounts of a dividend or a
property-fee subsidy, for the bank (代发) or the property company (抵扣物业费).

A distribution is one ledger entry citing its resolution; its expense posting's ``apportion`` scope splits
it over the register by exclusive area (largest remainder, summing exactly). The list is derived, never
booked. It holds owner names (the bank needs them): it is not for public posting.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from beancount.core import data

from commonfund.books.allocation import apportion
from commonfund.books.payments import number_of
from commonfund.compound.model import Compound
from commonfund.core.errors import InputError
from commonfund.core.money import from_fen, to_fen
from commonfund.io.atomic import write_bytes
from commonfund.io.cellsafe import csv_row, defuse_workbook

DISTRIBUTION_ACCOUNTS = ("Expenses:CommonRevenue:Dividend-", "Expenses:CommonRevenue:Subsidy-")
COLUMNS = ("房号 unit", "楼栋 building", "单元 entrance", "专有面积 area", "业主 owner", "开发商持有 developer",
           "金额 amount")


@dataclass(frozen=True)
class Payout:
    """Per-household amounts of one or more distribution entries.

    Attributes:
      target: What was asked for (resolution id, ``^link`` or ``file:line``).
      entries: The distribution transactions included.
      amounts: Fen per unit, aligned with the register.
      register: The household register.
    """

    target: str
    entries: tuple[data.Transaction, ...]
    amounts: Any
    register: Any

    @property
    def total(self) -> int:
        return int(self.amounts.sum())

    def rows(self) -> list[list[Any]]:
        """One row per unit with a non-zero amount (Decimal yuan), register order."""
        out = []
        for i in np.flatnonzero(self.amounts).tolist():
            h = self.register.households[i]
            out.append([h.unit, h.building, h.entrance, h.area, h.owner_name, "是" if h.developer_held else "",
                        from_fen(int(self.amounts[i]))])
        return out


def is_distribution(txn: data.Transaction) -> bool:
    return "distribution" in txn.meta or any(p.account.startswith(DISTRIBUTION_ACCOUNTS) for p in txn.postings)


def select(compound: Compound, target: str) -> list[data.Transaction]:
    """The distribution entries a target names: a resolution id, a ``^link`` or ``file:line``."""
    txns = [t for t in compound.transactions if is_distribution(t)]
    if target.startswith("^"):
        chosen = [t for t in txns if target[1:] in t.links]
    elif ":" in target and target.rsplit(":", 1)[1].isdigit():
        name, line = target.rsplit(":", 1)
        chosen = [t for t in txns if int(t.meta.get("lineno", -1)) == int(line)
                  and str(t.meta.get("filename", "")).endswith(name)]
    else:
        chosen = [t for t in txns if target in (t.meta.get("resolution"), t.meta.get("interfund"))]
    if not chosen:
        raise InputError(compound.root, f"no distribution entry (dividend or subsidy) matches {target!r}: give a "
                         "resolution id, a ^link or file:line")
    return chosen


def payout_list(compound: Compound, target: str) -> Payout:
    """Split every distribution entry *target* names over the register by its ``apportion`` scope."""
    register = compound.register
    amounts = np.zeros(len(register), dtype=np.int64)
    entries = select(compound, target)
    for txn in entries:
        for posting in txn.postings:
            if posting.account.startswith("Expenses:") and number_of(posting) > 0:
                scope = str((posting.meta or {}).get("apportion") or "all")
                try:
                    amounts += apportion(register, to_fen(number_of(posting)), scope)
                except ValueError as exc:
                    where = f"{txn.meta.get('filename')}:{txn.meta.get('lineno')}"
                    raise InputError(where, str(exc)) from None
    return Payout(target, tuple(entries), amounts, register)


def write_payout(payout: Payout, path: str | Path) -> Path:
    """Write the payout list atomically as ``.xlsx`` (openpyxl) or ``.csv`` (UTF-8 with BOM, for Excel)."""
    path = Path(path)
    rows = payout.rows()
    total = ["合计 total", "", "", "", "", "", from_fen(payout.total)]
    suffix = path.suffix.lower()
    if suffix == ".csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(csv_row(COLUMNS))
        writer.writerows([csv_row([*r[:-1], f"{r[-1]:.2f}"]) for r in rows])
        writer.writerow(csv_row([*total[:-1], f"{total[-1]:.2f}"]))
        write_bytes(path, out.getvalue().encode("utf-8-sig"))
    elif suffix == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        book = Workbook()
        sheet = book.active
        sheet.title = "发放清单"
        sheet.append(list(COLUMNS))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([*row[:3], float(row[3]), *row[4:6], row[6]])
            sheet.cell(sheet.max_row, 7).number_format = "#,##0.00"
        sheet.append(total)
        sheet.cell(sheet.max_row, 7).number_format = "#,##0.00"
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for column, width in zip("ABCDEFG", (14, 8, 8, 12, 14, 10, 14), strict=True):
            sheet.column_dimensions[column].width = width
        defuse_workbook(book)  # an owner name like =HYPERLINK(…) stays text
        buffer = io.BytesIO()
        book.save(buffer)
        write_bytes(path, buffer.getvalue())
    else:
        raise InputError(path, "the payout file must end in .xlsx or .csv")
    return path
