"""The district roll-up as one workbook (openpyxl, written atomically) and as a terminal table (rich).

Sheets: 汇总 (one row per compound, with a total row over the compounds summarised), 收入来源 (income by
source), 支出 (spending by account), 公示 (late or missing disclosures), 失败 (compounds that could not be
summarised or have ledger errors, with the error). Amounts are exact (Decimal) in yuan.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from rich.table import Table

from commonfund.core.funds import FUNDS
from commonfund.core.money import format_cny
from commonfund.district.summary import CompoundSummary
from commonfund.io.atomic import write_bytes
from commonfund.io.cellsafe import defuse_workbook

MONEY = "#,##0.00"
SUMMARY_HEADER = (
    "小区", "路径", "状态", "年度", "户数", "交易笔数", "维修资金余额", "共有收益余额", "工作经费余额",
    "本年收入", "本年支出", "审计发现·严重", "审计发现·警告", "审计发现·提示", "应公示", "按时公示", "逾期",
    "缺失", "低于30%户数", "错误或说明",
)


def summary_row(s: CompoundSummary) -> list[Any]:
    findings = s.findings or {}
    d = s.disclosures
    return [
        s.name or Path(s.path).name, s.path, s.status, s.year, s.households, s.transactions,
        *(s.fund_balances.get(f) if s.error is None else None for f in FUNDS),
        s.total("income") if s.error is None else None, s.total("spending") if s.error is None else None,
        *((findings.get(k) for k in ("error", "warning", "info")) if s.findings is not None else (None,) * 3),
        *((d.due, d.on_time, len(d.late), len(d.missing)) if d else (None,) * 4),
        s.below_30pct, s.error or s.first_error or "; ".join(s.notes),
    ]


def build_workbook(summaries: Sequence[CompoundSummary]) -> bytes:
    """The roll-up workbook as bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "汇总"
    _rows(sheet, SUMMARY_HEADER, [summary_row(s) for s in summaries], money=range(7, 12), widths={1: 16, 2: 40, 20: 60})
    good = [s for s in summaries if s.error is None]
    total = ["合计", f"{len(good)} 个小区", "", "", sum(s.households for s in good),
             sum(s.transactions for s in good),
             *(sum((s.fund_balances.get(f, Decimal(0)) for s in good), Decimal(0)) for f in FUNDS),
             sum((s.total("income") for s in good), Decimal(0)), sum((s.total("spending") for s in good), Decimal(0))]
    sheet.append(total)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        if 7 <= cell.column <= 11:
            cell.number_format = MONEY
    _rows(book.create_sheet("收入来源"), ("小区", "基金", "来源", "金额"),
          [[s.name, FUNDS[f].name_zh, leaf, v] for s in good for (f, leaf), v in sorted(s.income.items())],
          money=[4], widths={1: 16, 3: 28})
    _rows(book.create_sheet("支出"), ("小区", "基金", "科目", "金额"),
          [[s.name, FUNDS[f].name_zh, leaf, v] for s in good for (f, leaf), v in sorted(s.spending.items())],
          money=[4], widths={1: 16, 3: 28})
    _rows(book.create_sheet("公示"), ("小区", "年度", "情况", "公示"),
          [[s.name, s.year, what, item] for s in good if s.disclosures
           for what, items in (("逾期", s.disclosures.late), ("缺失", s.disclosures.missing)) for item in items],
          widths={1: 16, 4: 40})
    _rows(book.create_sheet("失败"), ("路径", "状态", "错误"),
          [[s.path, s.status, s.error or s.first_error] for s in summaries if not s.ok], widths={1: 40, 3: 90})

    defuse_workbook(book)  # compound names and error texts come from users' files: never formulas
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rows(sheet: Any, header: Sequence[str], rows: list[list[Any]], money: Any = (),
          widths: dict[int, int] | None = None) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for column in money:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = MONEY
    for column in range(1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = (widths or {}).get(column, 14)
    sheet.freeze_panes = "A2"


def write_workbook(summaries: Sequence[CompoundSummary], path: str | Path) -> Path:
    """Write the roll-up workbook atomically; return its path."""
    write_bytes(path, build_workbook(summaries))
    return Path(path)


def terminal_table(summaries: Sequence[CompoundSummary]) -> Table:
    """A rich table with one row per compound (failed ones show their error)."""
    table = Table(title="街道汇总 District roll-up", show_lines=False)
    for name, justify in (("小区", "left"), ("状态", "left"), ("户数", "right"), ("维修资金", "right"),
                          ("共有收益", "right"), ("本年收入", "right"), ("本年支出", "right"),
                          ("发现 严/警/提", "right"), ("公示 按时/应", "right"), ("<30%户", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for s in summaries:
        if s.error is not None:
            table.add_row(f"{Path(s.path).name}", "[red]失败 failed[/red]", *[""] * 8)
            continue
        f = s.findings
        d = s.disclosures
        table.add_row(
            f"{s.name}\n[dim]{Path(s.path).name}[/dim]",
            "[green]正常[/green]" if s.ok else f"[red]{s.ledger_errors} 账簿错误[/red]", str(s.households),
            format_cny(s.fund_balances["MaintenanceFund"]), format_cny(s.fund_balances["CommonRevenue"]),
            format_cny(s.total("income")), format_cny(s.total("spending")),
            "—" if f is None else f"{f['error']}/{f['warning']}/{f['info']}",
            "—" if d is None else f"{d.on_time}/{d.due}", "—" if s.below_30pct is None else str(s.below_30pct),
        )
    return table
