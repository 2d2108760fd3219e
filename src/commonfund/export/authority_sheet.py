"""The auditor workbook's sheet 分户账核对: the 维修资金管理中心's list on file against the household sub-ledgers.

Written only when ``commonfund reconcile`` has put a list on file (``DIR/authority/``); every figure comes
from :func:`commonfund.books.authority.reconciliation_on_file`. One row per household of the list (books,
list and difference for 交存, 使用分摊, 利息/增值收益, 余额; both areas; the likely cause and the entries it
names), then the units on one side only and the summary line. No owner names.
"""

from __future__ import annotations

from decimal import Decimal

from openpyxl import Workbook

from commonfund.books.authority import FIGURE_ZH, Reconciliation, reconciliation_on_file
from commonfund.compound.model import Compound
from commonfund.export.ledger import relative
from commonfund.export.sheets import Fen, Sheet

TITLE = "分户账核对"
FIGURES = ("deposits", "uses", "income", "balance")


def authority_sheet(workbook: Workbook, compound: Compound) -> Reconciliation | None:
    """Add the sheet 分户账核对 if a list is on file; return the reconciliation it shows (None: no sheet)."""
    result = reconciliation_on_file(compound)
    if result is None:
        return None
    headers = ["房号 Unit", "清单行 Row", "清单写法 As written", "名册面积㎡", "清单面积㎡"]
    for figure in FIGURES:
        headers += [f"账簿{FIGURE_ZH[figure]}", f"清单{FIGURE_ZH[figure]}", f"{FIGURE_ZH[figure]}差额"]
    headers += ["结果 Result", "可能原因 Likely cause", "相关分录 Entries"]
    sheet = Sheet(workbook, TITLE, headers, (12, 8, 36, 11, 11, *([15] * 12), 8, 70, 40))
    for h in result.households:
        amounts = []
        for books, listed, diff in zip(h.books, h.authority, h.differences, strict=True):
            amounts += [Fen(books) if books is not None else None, Fen(listed) if listed is not None else None,
                        Fen(diff) if diff is not None else None]
        entries = "\n".join(f"{relative(str(e.meta.get('filename', '')), compound.root)}:{e.meta.get('lineno', 0)}"
                            for c in h.causes for e in c.entries)
        sheet.row((h.unit, h.row, h.written, _area(h.area_books), _area(h.area_list), *amounts,
                   "一致" if h.agrees else "不符", "；".join(f"{c.title}：{c.text}" for c in h.causes), entries))
    for side in result.only_books:
        sheet.row((side.unit, None, "", None, None, None, None, None, None, None, None, None, None, None,
                   Fen(side.balance or 0), None, None, "仅账簿有", "清单中没有这一户", ""))
    for side in (*result.only_list, *result.ambiguous):
        reason = side.why if side.candidates else "名册中没有这一户"
        sheet.row(("", side.row, side.unit, None, None, *([None] * 10),
                   Fen(side.balance) if side.balance is not None else None, None,
                   "仅清单有" if not side.candidates else "无法确定", reason, ""))
    sheet.row((f"清单 {result.name}，截至 {result.as_of}", None, result.summary()), bold=True)
    if result.hint():
        sheet.row(("说明", None, result.hint()))
    return result


def _area(centi: int | None) -> Decimal | None:
    return None if centi is None else Decimal(centi).scaleb(-2)
