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
from functools import cache
from pathlib import Path
from typing import Any

from rich.table import Table

from commonfund.core.funds import FUNDS
from commonfund.core.money import format_cny
from commonfund.district.rank import CRITERIA, LIST_SIZE, rank_compounds
from commonfund.district.summary import CompoundSummary, YearFigures
from commonfund.io.atomic import write_bytes
from commonfund.io.cellsafe import defuse_workbook

MONEY = "#,##0.00"
SUMMARY_HEADER = (
    "小区", "路径", "状态", "年度", "户数", "交易笔数", "维修资金余额（元）", "共有收益余额（元）",
    "工作经费余额（元）", "本年收入（元）", "本年支出（元）", "审计发现·严重", "审计发现·警告", "审计发现·提示",
    "应公示", "按时公示", "逾期", "缺失", "低于30%户数", "错误或说明",
)


def summary_row(s: CompoundSummary) -> list[Any]:
    findings = s.findings or {}
    d = s.disclosures
    return [
        s.name or Path(s.path).name, s.path, s.status, s.year, *((s.households, s.transactions) if s.error is None
                                                                 else (None, None)),
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
        elif cell.column in (5, 6):
            cell.number_format = "#,##0"
    _rows(book.create_sheet("收入来源"), ("小区", "基金", "来源", "金额（元）"),
          [[s.name, FUNDS[f].name_zh, leaf_label("Income", f, leaf), v] for s in good
           for (f, leaf), v in by_fund_and_amount(s.income)],
          money=[4], widths={1: 18, 2: 18, 3: 28})
    _rows(book.create_sheet("支出"), ("小区", "基金", "科目", "金额（元）"),
          [[s.name, FUNDS[f].name_zh, leaf_label("Expenses", f, leaf), v] for s in good
           for (f, leaf), v in by_fund_and_amount(s.spending)],
          money=[4], widths={1: 18, 2: 18, 3: 28})
    _rows(book.create_sheet("公示"), ("小区", "年度", "情况", "公示"),
          [[s.name, s.year, what, disclosure_zh(item)] for s in good if s.disclosures
           for what, items in (("逾期", s.disclosures.late), ("缺失", s.disclosures.missing)) for item in items],
          widths={1: 16, 4: 40})
    _rows(book.create_sheet("趋势"), TREND_HEADER,
          [[s.name, Path(s.path).name, *trend_row(y)] for s in good for y in s.years],
          money=range(4, 9), widths={1: 18, 2: 10, 3: 8}, percent=[TREND_HEADER.index("按时率") + 1])
    _district_trend(book.create_sheet("全区趋势"), good)
    ranked, apart = rank_compounds(summaries)
    board = book.create_sheet("红黑榜")
    _rows(board, RANKING_HEADER,
          [[r.rank, r.board, r.summary.name, Path(r.summary.path).name, r.summary.year, r.errors, r.bank,
            f"{r.on_time}/{r.due}", r.sweep_missed, r.explanation] for r in ranked]
          + [[None, "未排名", s.name, Path(s.path).name, s.year, None, None, None, None,
              "未能汇总或审计未能运行，见“失败”表"] for s in apart],
          widths={1: 6, 2: 8, 3: 18, 4: 12, 5: 8, 6: 12, 7: 12, 8: 14, 9: 14, 10: 90}, center=(1, 2, 5, 6, 7, 8, 9))
    board.append([])
    for line in ranking_rules():
        board.append([None, None, line])
    _rows(book.create_sheet("排名规则"), ("顺序", "标准", "比较方法"),
          [[i, name, rule] for i, (name, rule) in enumerate(CRITERIA, 1)]
          + [[None, name, rule] for name, rule in LISTS], widths={1: 6, 2: 14, 3: 110})
    _rows(book.create_sheet("失败"), ("路径", "状态", "错误"),
          [[s.path, s.status, s.error or s.first_error] for s in summaries if not s.ok], widths={1: 40, 3: 90})
    defuse_workbook(book)  # compound names and error texts come from users' files: never formulas
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


RANKING_HEADER = ("名次", "榜单", "小区", "文件夹", "年度", "严重审计发现（项）", "银行对账问题（项）",
                  "公示按时（期，按时/应公示）", "共有收益未按政策归集（期）", "说明（各项标准的数字）")
LISTS = (
    ("同名次", "以上四项完全相同的小区名次相同（如 1、2、2、4）。"),
    ("红榜", f"四项标准全部达到（无严重审计发现、无银行对账问题、应公示的全部按时公示、按政策归集）的小区中，"
             f"名次在第{LIST_SIZE}名以内的（同名次的一并列入）。"),
    ("黑榜", f"至少一项未达到的小区中，名次最后的{LIST_SIZE}个（与第{LIST_SIZE}个同名次的一并列入）。"),
    ("未排名", "未能汇总（配置、户册或账簿无法读取）或审计未能运行的小区，见“失败”表。"),
)
"""How the red and black lists are drawn from the ranking (:func:`commonfund.district.rank.rank_compounds`)."""


def ranking_rules() -> list[str]:
    """The criteria and the lists in a few lines, written under the 红黑榜 table (the 排名规则 sheet has them too)."""
    marks = "①②③④⑤⑥"
    return ["排名标准（依次比较，前一项相同才比较后一项）：",
            *(f"{marks[i]} {name}：{rule}" for i, (name, rule) in enumerate(CRITERIA)),
            *(f"{name}：{rule}" for name, rule in LISTS)]


def by_fund_and_amount(values: dict[tuple[str, str], Decimal]) -> list[tuple[tuple[str, str], Decimal]]:
    """A compound's income or spending lines: by fund (维修资金, 共有收益, 工作经费), largest first."""
    order = {fund: i for i, fund in enumerate(FUNDS)}
    return sorted(values.items(), key=lambda item: (order.get(item[0][0], len(order)), -item[1], item[0][1]))


@cache
def leaf_label(root: str, fund: str, leaf: str) -> str:
    """The Chinese label of a summary's (fund, account leaf) key (:func:`commonfund.core.labels.account_label`
    of the chart's account with that leaf, under *root* if there is one), else the leaf's Chinese part."""
    from commonfund.core.accounts import chart_by_account
    from commonfund.core.labels import account_label

    found = sorted((not account.startswith(root + ":"), account) for account in chart_by_account()
                   if account.split(":")[1:2] == [fund] and account.rsplit(":", 1)[-1] == leaf)
    if found:
        return account_label(found[0][1])
    return leaf.split("-", 1)[1] if "-" in leaf else leaf


TREND_HEADER = ("小区", "文件夹", "年度", "维修资金余额（元）", "共有收益余额（元）", "工作经费余额（元）",
                "本年收入（元）", "本年支出（元）", "审计发现·严重", "审计发现·警告", "审计发现·提示", "应公示",
                "按时公示", "按时率", "低于30%户数")
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
        *((d.due, d.on_time, d.on_time / d.due if d.due else None) if d else (None,) * 3),
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


DISTRICT_HEADER = ("年度", "小区数", *(f"{FUNDS[f].name_zh}余额合计（元）" for f in FUNDS), "收入合计（元）",
                   "支出合计（元）", "严重审计发现", "应公示", "按时公示", "公示按时率", "低于30%户数")
"""The 全区趋势 table (amounts in 元); to its right, the same amounts in 万元 that the money chart plots."""
WAN = Decimal(10000)


def _district_trend(sheet: Any, summaries: Sequence[CompoundSummary]) -> None:
    """The district's totals by year, and four charts: fund balances, income and spending (万元); the share of
    disclosures made on time (%); severe findings (项); households below 30% of their first deposit (户)."""
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.chart.data_source import AxDataSource, StrRef
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import quote_sheetname

    funds = len(FUNDS)
    rows = [[*r[:-1], r[-2] / r[-3] if r[-3] else None, r[-1]] for r in district_by_year(summaries)]
    rate = DISTRICT_HEADER.index("公示按时率") + 1
    _rows(sheet, DISTRICT_HEADER, rows, money=range(3, 5 + funds), widths={1: 8, 2: 8}, percent=[rate])
    if not rows:
        return
    last = len(rows) + 1
    # the charts' data beside the table: each year with the number of compounds whose books cover it (a
    # district total grows when more compounds' books begin, not only when funds grow), the amounts in 万元
    first_wan = len(DISTRICT_HEADER) + 2
    wan_header = ["年度（小区数）", *(f"{FUNDS[f].name_zh}余额（万元）" for f in FUNDS), "收入（万元）", "支出（万元）"]
    for offset, title in enumerate(wan_header):
        column = first_wan + offset
        head = sheet.cell(1, column, title)
        head.font, head.alignment = Font(bold=True), Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[_letter(column)].width = 16
        for index, row in enumerate(rows, 2):
            if offset == 0:
                sheet.cell(index, column, f"{row[0]}年（{row[1]}个）")
                continue
            cell = sheet.cell(index, column, (row[1 + offset] / WAN).quantize(Decimal("0.01")))
            cell.number_format = "#,##0.00"
    years = f"{quote_sheetname(sheet.title)}!${_letter(first_wan)}$2:${_letter(first_wan)}${last}"
    anchor = last + 3

    def place(chart: Any, title: str, y_title: str) -> None:
        nonlocal anchor
        chart.title = title
        chart.y_axis.title = _horizontal(y_title)
        chart.x_axis.title = "年度（账簿覆盖该年度的小区数）"
        chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl 3.1 leaves the axes out unless told
        for series in chart.series:  # the labels are text: a string reference (set_categories makes a numeric one)
            series.cat = AxDataSource(strRef=StrRef(f=years))
        chart.width, chart.height = 24, 11
        sheet.add_chart(chart, f"A{anchor}")
        anchor += 23

    money = LineChart()
    for column in range(first_wan + 1, first_wan + len(wan_header)):
        money.add_data(Reference(sheet, min_col=column, min_row=1, max_row=last), titles_from_data=True)
    for series in money.series:
        series.smooth = False  # a smoothed line overshoots: straight segments between the year-end figures
    money.legend.position = "b"
    money.y_axis.number_format = "#,##0"
    place(money, "全区各项资金年末余额与本年收支", "万元")
    on_time = BarChart()
    on_time.add_data(Reference(sheet, min_col=rate, min_row=1, max_row=last), titles_from_data=True)
    on_time.y_axis.numFmt = "0%"
    on_time.y_axis.scaling.min, on_time.y_axis.scaling.max = 0, 1
    on_time.legend = None
    place(on_time, "全区公示按时率（按时公示期数 ÷ 应公示期数）", "按时率")
    severe = BarChart()
    severe.add_data(Reference(sheet, min_col=rate - 3, min_row=1, max_row=last), titles_from_data=True)
    severe.legend = None
    place(severe, "全区“严重”级审计发现", "项")
    below = BarChart()
    below.add_data(Reference(sheet, min_col=rate + 1, min_row=1, max_row=last), titles_from_data=True)
    below.legend = None
    place(below, "年末低于首期交存额30%、应续交的户数", "户")


def _horizontal(text: str) -> Any:
    """An axis title written across, not turned 90° (a unit such as 万元 or 户 reads better so)."""
    from openpyxl.chart.text import RichText, Text
    from openpyxl.chart.title import Title
    from openpyxl.drawing.text import (
        CharacterProperties,
        Paragraph,
        ParagraphProperties,
        RegularTextRun,
        RichTextProperties,
    )

    paragraph = Paragraph(pPr=ParagraphProperties(defRPr=CharacterProperties()), r=[RegularTextRun(t=text)])
    return Title(tx=Text(rich=RichText(bodyPr=RichTextProperties(rot=0, vert="horz"), p=[paragraph])),
                 overlay=False)


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(column))


def _rows(sheet: Any, header: Sequence[str], rows: list[list[Any]], money: Any = (),
          widths: dict[int, int] | None = None, percent: Any = (), center: Any = ()) -> None:
    """Write *header* and *rows*: amounts (columns *money*, 16 wide) as ``#,##0.00``, rates (*percent*) as
    ``0.0%``, other whole numbers as ``#,##0`` (a 年度 column stays 2025); the header bold and wrapped, aligned
    like its column (numbers to the right, columns *center* centred), frozen and printed on every page; pages
    landscape, as wide as the page."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    numeric = {c for c in range(1, len(header) + 1)
               if any(isinstance(r[c - 1], int | float | Decimal) and not isinstance(r[c - 1], bool)
                      for r in rows if len(r) >= c)}
    for column in range(1, len(header) + 1):
        fmt = (MONEY if column in money else "0.0%" if column in percent
               else None if "年度" in header[column - 1] else "#,##0")
        if column in numeric and fmt:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                if isinstance(cell.value, int | float | Decimal):
                    cell.number_format = fmt
        head = sheet.cell(1, column)
        head.font = Font(bold=True)
        side = "center" if column in center else "right" if column in numeric else "left"
        head.alignment = Alignment(wrap_text=True, vertical="center", horizontal=side)
        if column in center:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                cell.alignment = Alignment(horizontal="center")
        sheet.column_dimensions[get_column_letter(column)].width = (widths or {}).get(
            column, 16 if column in money else 14)
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"  # printed: the header on every page, landscape, as wide as the page
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0


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
