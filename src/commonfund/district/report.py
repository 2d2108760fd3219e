"""The district roll-up as one workbook (openpyxl, written atomically) and as a terminal table (rich).

Sheets: 汇总 (one row per compound, with a total row over the compounds summarised), 收入来源 (income by
source), 支出 (spending by account), 公示 (late or missing disclosures), 趋势 (every compound, every year of
its books), 全区趋势 (the district's totals by year, with two charts), 红黑榜 (the ranking, each rank with its
figures) and 排名规则 (the criteria), 失败 (compounds that could not be summarised or have ledger errors, with
the error). Amounts are exact (Decimal) in yuan; the charts are openpyxl charts inside the workbook.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from rich.table import Table

from commonfund.core.funds import FUNDS
from commonfund.core.money import format_cny
from commonfund.district.rank import CRITERIA, rank_compounds
from commonfund.district.summary import CompoundSummary, YearFigures
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
          [[s.name, s.year, what, disclosure_zh(item)] for s in good if s.disclosures
           for what, items in (("逾期", s.disclosures.late), ("缺失", s.disclosures.missing)) for item in items],
          widths={1: 16, 4: 40})
    _rows(book.create_sheet("趋势"), TREND_HEADER,
          [[s.name, Path(s.path).name, *trend_row(y)] for s in good for y in s.years],
          money=range(4, 9), widths={1: 16, 2: 16})
    _district_trend(book.create_sheet("全区趋势"), good)
    ranked, apart = rank_compounds(summaries)
    _rows(book.create_sheet("红黑榜"),
          ("名次", "榜单", "小区", "文件夹", "年度", *(name for name, _ in CRITERIA), "说明"),
          [[r.rank, r.board, r.summary.name, Path(r.summary.path).name, r.summary.year, r.errors, r.bank,
            f"{r.on_time}/{r.due}", r.sweep_missed, r.explanation] for r in ranked]
          + [[None, "未排名", s.name, Path(s.path).name, s.year, None, None, None, None,
              "未能汇总或审计未能运行，见“失败”表"] for s in apart],
          widths={1: 6, 2: 8, 3: 16, 4: 16, 10: 90})
    _rows(book.create_sheet("排名规则"), ("顺序", "标准", "比较方法"),
          [[i, name, rule] for i, (name, rule) in enumerate(CRITERIA, 1)]
          + [[None, "同名次", "以上各项完全相同的小区名次相同"],
             [None, "红榜", "各项标准全部达到（无严重发现、无对账问题、全部按时公示、按政策归集）的小区中"
                            "名次最前的至多10个"],
             [None, "黑榜", "至少一项未达到的小区中名次最后的至多10个"],
             [None, "未排名", "未能汇总（配置、户册或账簿无法读取）或审计未能运行的小区"]],
          widths={2: 14, 3: 100})
    _rows(book.create_sheet("失败"), ("路径", "状态", "错误"),
          [[s.path, s.status, s.error or s.first_error] for s in summaries if not s.ok], widths={1: 40, 3: 90})
    defuse_workbook(book)  # compound names and error texts come from users' files: never formulas
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


TREND_HEADER = ("小区", "文件夹", "年度", "维修资金余额", "共有收益余额", "工作经费余额", "本年收入", "本年支出",
                "审计发现·严重", "审计发现·警告", "审计发现·提示", "应公示", "按时公示", "按时率", "低于30%户数")
KIND_ZH = {"common-revenue": "共有收益", "maintenance-fund": "维修资金"}
_DISCLOSURE = re.compile(r"^(?P<kind>[a-z-]+) (?P<period>\S+)(?: \((?P<days>\d+) days late\))?$")


def period_zh(label: str) -> str:
    """``2025Q1`` → ``2025年第1季度``, ``2025-03`` → ``2025年3月``, ``2025H1`` → ``2025年上半年``, ``2025`` →
    ``2025年度``."""
    if m := re.fullmatch(r"(\d{4})Q([1-4])", label):
        return f"{m[1]}年第{m[2]}季度"
    if m := re.fullmatch(r"(\d{4})-(\d{2})", label):
        return f"{m[1]}年{int(m[2])}月"
    if m := re.fullmatch(r"(\d{4})H([12])", label):
        return f"{m[1]}年{'上' if m[2] == '1' else '下'}半年"
    return f"{label}年度" if re.fullmatch(r"\d{4}", label) else label


def disclosure_zh(item: str) -> str:
    """A late or missing disclosure of :class:`~commonfund.disclosure.status.DisclosureStatus` in Chinese."""
    m = _DISCLOSURE.match(item)
    if m is None or m["kind"] not in KIND_ZH:
        return item
    text = f"{KIND_ZH[m['kind']]}公示（{period_zh(m['period'])}）"
    return text + (f"，逾期 {m['days']} 天" if m["days"] else "")


def trend_row(y: YearFigures) -> list[Any]:
    """A row of the 趋势 sheet after the compound's name."""
    f = y.findings
    d = y.disclosures
    return [
        y.year, *(y.fund_balances.get(fund) for fund in FUNDS), y.total("income"), y.total("spending"),
        *((f.get(k) for k in ("error", "warning", "info")) if f is not None else (None,) * 3),
        *((d.due, d.on_time, (f"{d.on_time / d.due * 100:.1f}%" if d.due else "—")) if d else (None,) * 3),
        y.below_30pct,
    ]


def district_by_year(summaries: Sequence[CompoundSummary]) -> list[list[Any]]:
    """The district's totals per year over the compounds whose books cover that year: 年度, 小区数, the
    three fund balances, income, spending, severe findings, disclosures due and on time, households below 30%."""
    years: dict[int, list[Any]] = {}
    for s in summaries:
        for y in s.years:
            row = years.setdefault(y.year, [y.year, 0, *[Decimal(0)] * (len(FUNDS) + 2), 0, 0, 0, 0])
            row[1] += 1
            for i, fund in enumerate(FUNDS):
                row[2 + i] += y.fund_balances.get(fund, Decimal(0))
            n = 2 + len(FUNDS)
            row[n] += y.total("income")
            row[n + 1] += y.total("spending")
            row[n + 2] += (y.findings or {}).get("error", 0)
            row[n + 3] += y.disclosures.due if y.disclosures else 0
            row[n + 4] += y.disclosures.on_time if y.disclosures else 0
            row[n + 5] += y.below_30pct or 0
    return [years[y] for y in sorted(years)]


def _district_trend(sheet: Any, summaries: Sequence[CompoundSummary]) -> None:
    from openpyxl.chart import BarChart, LineChart, Reference

    header = ("年度", "小区数", *(f"{FUNDS[f].name_zh}余额合计" for f in FUNDS), "收入合计", "支出合计",
              "严重审计发现", "应公示", "按时公示", "低于30%户数")
    rows = district_by_year(summaries)
    _rows(sheet, header, rows, money=range(3, 5 + len(FUNDS)), widths={1: 8})
    if not rows:
        return
    last = len(rows) + 1
    n = 2 + len(FUNDS)
    years = Reference(sheet, min_col=1, min_row=2, max_row=last)
    money = LineChart()
    money.title = "全区基金余额与收支（元）"
    money.y_axis.title = "元"
    money.x_axis.title = "年度"
    for column in [*range(3, 3 + len(FUNDS)), n + 1, n + 2]:
        money.add_data(Reference(sheet, min_col=column, min_row=1, max_row=last), titles_from_data=True)
    money.set_categories(years)
    money.width, money.height = 24, 12
    sheet.add_chart(money, f"A{last + 3}")
    counts = BarChart()
    counts.title = "全区严重审计发现、公示与低于30%户数"
    counts.x_axis.title = "年度"
    for column in range(n + 3, n + 7):
        counts.add_data(Reference(sheet, min_col=column, min_row=1, max_row=last), titles_from_data=True)
    counts.set_categories(years)
    counts.width, counts.height = 24, 12
    sheet.add_chart(counts, f"A{last + 28}")


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
