"""District roll-up: the pure per-compound summary, disclosure deadlines, finding compounds, the workbook."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import beanquery
import pytest
from openpyxl.utils import get_column_letter
from tests.conftest import CompoundFactory

from commonfund.audit.findings import count_by_severity, run_audit
from commonfund.books.subledger import compute_subledgers
from commonfund.compound.config import Policy
from commonfund.compound.model import load_compound
from commonfund.disclosure.status import disclosure_status, periods
from commonfund.district.cache import from_plain, to_plain
from commonfund.district.report import build_workbook, disclosure_zh
from commonfund.district.summary import CompoundSummary, find_compounds, summarise_compound
from commonfund.synth.generator import synth_compound


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two small synthetic compounds and three broken ones (config, register, ledger)."""
    root = tmp_path_factory.mktemp("district")
    synth_compound(root / "east" / "a", 40, 3, seed=3)
    synth_compound(root / "west" / "b", 25, 1, seed=4)
    shutil.copytree(root / "west" / "b", root / "bad-config")
    with (root / "bad-config" / "compound.toml").open("a", encoding="utf-8") as handle:
        handle.write("\nnot_a_key = 1\n")
    shutil.copytree(root / "west" / "b", root / "bad-register")
    (root / "bad-register" / "households.csv").unlink()
    shutil.copytree(root / "west" / "b", root / "bad-ledger")
    with (root / "bad-ledger" / "books" / "2025.beancount").open("a", encoding="utf-8") as handle:
        handle.write('\n2025-06-01 * "x" "mixes funds"\n  Assets:MaintenanceFund:Bank-维修资金专户  -1.00 CNY\n'
                     "  Assets:CommonRevenue:Bank-共有收益户  1.00 CNY\n")
    (root / ".hidden" / "c").mkdir(parents=True)
    return root


def query(compound: Path, sql: str) -> dict[str, Decimal]:
    cursor = beanquery.connect(f"beancount:{compound / 'main.beancount'}").execute(sql)
    return {row[0]: row[1] for row in cursor.fetchall()}


def test_find_compounds(district: Path) -> None:
    found = [p.relative_to(district).as_posix() for p in find_compounds(district)]
    assert found == ["bad-config", "bad-ledger", "bad-register", "east/a", "west/b"]
    assert find_compounds(district / "east" / "a") == [district / "east" / "a"]


def test_summary_ties_to_the_ledger(district: Path) -> None:
    path = district / "east" / "a"
    summary = summarise_compound(path)
    assert summary.ok and summary.error is None and summary.year == 2025
    assert (summary.households, summary.name) == (40, "锦绣花园")
    # fund balances: what bean-query sums over the balance-sheet accounts up to the year end
    sheet = query(path, "SELECT account, sum(number) WHERE account ~ '^(Assets|Liabilities)' AND date <= 2025-12-31 "
                        "GROUP BY account")
    by_fund: dict[str, Decimal] = {}
    for account, number in sheet.items():
        by_fund[account.split(":")[1]] = by_fund.get(account.split(":")[1], Decimal(0)) + number
    assert summary.fund_balances == by_fund and by_fund["MaintenanceFund"] > 0
    income = query(path, "SELECT account, sum(number) WHERE account ~ '^Income' AND year = 2025 GROUP BY account")
    assert sum(summary.income.values()) == -sum(income.values())
    assert summary.income[("CommonRevenue", "Parking-停车")] == -income["Income:CommonRevenue:Parking-停车"]
    spending = query(path, "SELECT account, sum(number) WHERE account ~ '^Expenses' AND year = 2025 GROUP BY account")
    assert summary.total("spending") == sum(spending.values())
    assert summary.findings is not None and set(summary.findings) == {"error", "warning", "info"}
    assert summary.below_30pct == 0  # synth's books keep every household above 30%
    assert summary.disclosures is not None and summary.disclosures.due == 5  # 4 quarters + the yearly MF


def test_every_year_of_every_compound_equals_the_library(district: Path) -> None:
    """The roll-up's figures per compound and per year are the library's per-compound figures: bean-query's
    sums for balances, income and spending; run_audit's findings dated in the year; disclosure_status;
    compute_subledgers' households below the top-up threshold — and they survive the cache unchanged."""
    checked = 0
    for path in find_compounds(district):
        summary = summarise_compound(path)
        if summary.error is not None:
            continue
        compound = load_compound(path)
        audit = run_audit(compound)
        first = min(t.date.year for t in compound.transactions)
        assert [y.year for y in summary.years] == list(range(first, summary.year + 1))
        for y in summary.years:
            end = date(y.year, 12, 31)
            sheet = query(path, f"SELECT root(account, 2), sum(number) WHERE account ~ '^(Assets|Liabilities)' "
                                f"AND date <= {end} GROUP BY 1")
            by_fund: dict[str, Decimal] = {}
            for account, number in sheet.items():
                fund = account.split(":")[1]
                by_fund[fund] = by_fund.get(fund, Decimal(0)) + number
            assert {f: v for f, v in y.fund_balances.items() if f in by_fund} == by_fund
            income = query(path, f"SELECT account, sum(number) WHERE account ~ '^Income' AND year = {y.year} "
                                 "GROUP BY account")
            assert y.income == {(a.split(":")[1], a.rsplit(":", 1)[-1]): -v for a, v in income.items() if v}
            spending = query(path, f"SELECT account, sum(number) WHERE account ~ '^Expenses' AND year = {y.year} "
                                   "GROUP BY account")
            assert y.spending == {(a.split(":")[1], a.rsplit(":", 1)[-1]): v for a, v in spending.items() if v}
            dated = [f for f in audit if (f.date or f.entries[0].date).year == y.year]
            assert y.findings == count_by_severity(dated)
            assert sum(y.by_check.values()) == len(dated)
            assert y.disclosures == disclosure_status(compound.entries, compound.config.policy, y.year)
            below = compute_subledgers(compound, end).below(compound.config.policy.top_up_fraction)
            assert y.below_30pct == len(below)
            checked += 1
        now = summary.current
        assert now is summary.years[-1] and now.year == summary.year
        assert (summary.fund_balances, summary.income, summary.spending, summary.findings, summary.disclosures,
                summary.below_30pct) == (now.fund_balances, now.income, now.spending, now.findings,
                                         now.disclosures, now.below_30pct)
        cached = from_plain(to_plain(summary))
        assert cached.from_cache and cached.years == summary.years and cached.current == now
    assert checked == 3 + 1 + 1  # east/a: 3 years; west/b and bad-ledger: 1 year each


def test_explicit_year(district: Path) -> None:
    summary = summarise_compound(district / "east" / "a", year=2024)
    assert summary.year == 2024
    assert summary.fund_balances != summarise_compound(district / "east" / "a").fund_balances


@pytest.mark.parametrize(("name", "expected"), [
    ("bad-config", "not_a_key: unknown key"),
    ("bad-register", "household register not found"),
])
def test_broken_compound_is_a_summary_not_an_exception(district: Path, name: str, expected: str) -> None:
    summary = summarise_compound(district / name)
    assert summary.error is not None and expected in summary.error
    assert not summary.ok and summary.status.startswith("失败")


def test_ledger_errors_are_counted_with_the_first_one(district: Path) -> None:
    summary = summarise_compound(district / "bad-ledger")
    assert summary.error is None and summary.ledger_errors >= 1 and not summary.ok
    assert "2025.beancount" in summary.first_error and "interfund" in summary.first_error


def test_periods() -> None:
    assert [p for p, _ in periods(2025, "quarterly")] == ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]
    assert periods(2024, "monthly")[1] == ("2024-02", date(2024, 2, 29))
    assert periods(2025, "yearly") == [("2025", date(2025, 12, 31))]


QUARTERLY = Policy(disclosure_days=30, common_revenue_disclosure="quarterly")  # generic is yearly


def test_disclosure_status(make_compound: CompoundFactory) -> None:
    resolutions = """\
        2024-04-30 custom "disclosure" "common-revenue" "2024Q1"
        2024-08-15 custom "disclosure" "common-revenue" "2024Q2"
        2025-01-20 custom "disclosure" "maintenance-fund" "2024"
        2025-02-01 custom "disclosure" "common-revenue" "2024Q4"
        """
    compound = load_compound(make_compound(files={"resolutions.beancount": resolutions}))
    status = disclosure_status(compound.entries, QUARTERLY, 2024)
    # Q1 on the deadline day (30 days after 03-31); Q2 16 days late; Q3 missing; Q4 on 01-30 + 2 days late;
    # the yearly maintenance-fund disclosure on time.
    assert (status.due, status.on_time, status.pending) == (5, 2, 0)
    assert status.late == ("common-revenue 2024Q2 (16 days late)", "common-revenue 2024Q4 (2 days late)")
    assert status.missing == ("common-revenue 2024Q3",)
    pending = disclosure_status(compound.entries, QUARTERLY, 2025)
    assert pending.due == 0 and pending.pending == 5  # the books end before any 2025 deadline


def test_workbook(district: Path) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    summaries = [summarise_compound(p) for p in find_compounds(district)]
    book = load_workbook(BytesIO(build_workbook(summaries)))
    assert book.sheetnames == ["汇总", "收入来源", "支出", "公示", "趋势", "全区趋势", "红黑榜", "排名规则", "失败"]
    rows = list(book["汇总"].iter_rows(values_only=True))
    assert rows[0][0] == "小区" and len(rows) == 1 + len(summaries) + 1
    total = rows[-1]
    good = [s for s in summaries if s.error is None]
    assert total[0] == "合计" and Decimal(str(total[6])) == sum(s.fund_balances["MaintenanceFund"] for s in good)
    failed = {row[0]: row[2] for row in book["失败"].iter_rows(min_row=2, values_only=True)}
    assert {Path(p).name for p in failed} == {"bad-config", "bad-register", "bad-ledger"}
    assert any("household register not found" in text for text in failed.values())

    trend = list(book["趋势"].iter_rows(min_row=2, values_only=True))
    assert len(trend) == sum(len(s.years) for s in good) == 3 + 1 + 1
    assert [row[2] for row in trend if row[1] == "a"] == [2023, 2024, 2025]
    check_district_charts(book["全区趋势"], years=3)
    district_rows = list(book["全区趋势"].iter_rows(min_row=2, values_only=True))
    assert [row[:2] for row in district_rows] == [(2023, 1), (2024, 1), (2025, 3)]
    ranking = list(book["红黑榜"].iter_rows(min_row=2, values_only=True))
    assert ranking[len(summaries)] == (None,) * 10  # a blank row, then the criteria, stated where the ranks are
    rules = [row[2] for row in ranking[len(summaries) + 1:]]
    ranking = ranking[:len(summaries)]
    assert len(ranking) == len(summaries) and [r[1] for r in ranking].count("未排名") == 2
    assert rules[0].startswith("排名标准") and [r[:4] for r in rules[1:5]] == ["① 严重", "② 银行", "③ 公示", "④ 共有"]
    assert rules[5:] and all(r.split("：", 1)[0] in ("同名次", "红榜", "黑榜", "未排名") for r in rules[5:])
    explained = {r[2] or r[3]: r[9] for r in ranking}
    assert all(text for text in explained.values())  # every rank says why
    texts = [str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row
             if isinstance(v, str) and sheet.title != "失败" and ".beancount:" not in v]  # errors quote the books
    raw = ("common-revenue", "maintenance-fund", "bank_reconciliation", "sweep_policy", "days late",
           "MaintenanceFund", "CommonRevenue")
    assert not [t for t in texts if any(code in t for code in raw)]


def text_of(title: Any) -> str:
    """The text of a chart or axis title as openpyxl reads it back."""
    return "".join(run.t for paragraph in title.tx.rich.p for run in (paragraph.r or []))


def check_district_charts(sheet: Any, years: int) -> None:
    """The 全区趋势 charts: Chinese titles and axis titles with their units, axes shown, and every series
    pointing at its own column of the table (amounts in 万元 beside it, the rate as a share)."""
    header = [c.value for c in sheet[1]]
    last = years + 1
    charts = sheet._charts
    assert [text_of(c.title) for c in charts] == [
        "全区各项资金年末余额与本年收支", "全区公示按时率（按时公示期数 ÷ 应公示期数）", "全区“严重”级审计发现",
        "年末低于首期交存额30%、应续交的户数"]
    assert [text_of(c.y_axis.title) for c in charts] == ["万元", "按时率", "项", "户"]
    assert all(c.y_axis.title.tx.rich.bodyPr.rot == 0 for c in charts)  # units written across, not turned
    assert all(text_of(c.x_axis.title) == "年度（账簿覆盖该年度的小区数）" for c in charts)
    assert all(c.x_axis.delete is False and c.y_axis.delete is False for c in charts)

    def column(name: str) -> str:
        return get_column_letter(header.index(name) + 1)

    wan = ["住宅专项维修资金余额（万元）", "共有收益余额（万元）", "业委会工作经费余额（万元）", "收入（万元）",
           "支出（万元）"]
    expected = [wan, ["公示按时率"], ["严重审计发现"], ["低于30%户数"]]
    for chart, names in zip(charts, expected, strict=True):
        assert [s.tx.strRef.f for s in chart.series] == [f"'全区趋势'!{column(n)}1" for n in names]
        assert [s.val.numRef.f for s in chart.series] == [
            f"'全区趋势'!${column(n)}$2:${column(n)}${last}" for n in names]
        assert all(s.cat.strRef.f == f"'全区趋势'!${column('年度（小区数）')}$2:${column('年度（小区数）')}${last}"
                   for s in chart.series)
    assert all(s.smooth is False for s in charts[0].series)
    amounts = ["住宅专项维修资金余额合计（元）", "共有收益余额合计（元）", "业委会工作经费余额合计（元）",
               "收入合计（元）", "支出合计（元）"]
    for row in sheet.iter_rows(min_row=2, max_row=last, values_only=True):
        for yuan, in_wan in zip(amounts, wan, strict=True):
            value = Decimal(str(row[header.index(yuan)]))
            assert Decimal(str(row[header.index(in_wan)])) == (value / 10000).quantize(Decimal("0.01"))
        year, count = row[0], row[1]
        assert row[header.index("年度（小区数）")] == f"{year}年（{count}个）"
        due, on_time = row[header.index("应公示")], row[header.index("按时公示")]
        assert row[header.index("公示按时率")] == (on_time / due if due else None)


def test_disclosures_read_in_chinese() -> None:
    assert disclosure_zh("common-revenue 2024Q2 (16 days late)") == "共有收益公示（2024年第2季度），逾期 16 天"
    assert disclosure_zh("maintenance-fund 2024") == "维修资金公示（2024年度）"
    assert disclosure_zh("common-revenue 2024-03") == "共有收益公示（2024年3月）"
    assert disclosure_zh("common-revenue 2024H2") == "共有收益公示（2024年下半年）"


def test_headline_figures_come_from_the_years(district: Path) -> None:
    summary = summarise_compound(district / "east" / "a", year=2024)
    assert [y.year for y in summary.years] == [2023, 2024] and summary.current is summary.years[-1]
    assert isinstance(summary, CompoundSummary)
