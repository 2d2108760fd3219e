"""Spending no rule categorised (``Expenses:<Fund>:Uncategorized-待分类``) is never shown as a 合理成本 or a
维修支出: it has its own row, 待分类支出（待核实）, from the one figure
(:func:`commonfund.disclosure.figures.disclosure_figures`), in the PDF, the phone/HTML version, the Fava
公示 page, and ``commonfund funds``."""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from tests.disclosure.test_disclosure_pdf import amounts_after, check_common_revenue, text_of
from tests.disclosure_books import BOOKS, RESOLUTIONS
from tests.fava_server import running

from commonfund.cli import main
from commonfund.compound.model import Compound, load_compound
from commonfund.compound.verify import html_text
from commonfund.disclosure import common_revenue_statement, maintenance_fund_disclosure
from commonfund.disclosure.publish import publish

D = Decimal
MADE = date(2026, 1, 15)
UNCLASSIFIED = """
2024-05-12 ! "上海某某商贸有限公司" "来源不明支出"
  Expenses:CommonRevenue:Uncategorized-待分类  120.00 CNY
  Assets:CommonRevenue:Bank-共有收益户  -120.00 CNY

2024-05-13 ! "某某" "维修资金户不明支出"
  Expenses:MaintenanceFund:Uncategorized-待分类  30.00 CNY
  Assets:MaintenanceFund:Bank-维修资金专户  -30.00 CNY
"""
LABEL = "待分类支出（待核实）"


@pytest.fixture
def root(make_compound: Callable[..., Path]) -> Path:
    books = BOOKS.replace("14550.00 CNY", "14520.00 CNY") + UNCLASSIFIED
    return make_compound(books, files={"resolutions.beancount": RESOLUTIONS})


@pytest.fixture
def books(root: Path) -> Compound:
    compound = load_compound(root)
    assert compound.errors == []
    return compound


def test_common_revenue_states_unclassified_spending_apart_from_costs(books: Compound) -> None:
    s = common_revenue_statement(books, "2024Q2")
    assert [(line.label, line.amount) for line in s.costs] == [("银行手续费", D("10.00"))]
    assert s.costs_total == D("10.00")
    assert [(line.label, line.amount, line.entries) for line in s.unclassified] == [(LABEL, D("120.00"), 1)]
    assert s.unclassified_total == D("120.00")
    assert s.closing == D("3220.00")
    assert s.opening + s.carried_in + s.income_total - s.costs_total - s.unclassified_total \
        - s.distributions_total == s.closing
    assert s.previous is not None and s.previous.unclassified == D("0.00")
    following = common_revenue_statement(books, "2024Q3")
    assert following.unclassified == () and following.previous is not None
    assert following.previous.unclassified == D("120.00")


def test_maintenance_fund_states_unclassified_spending_as_its_own_line(books: Compound) -> None:
    t = maintenance_fund_disclosure(books, 2024).totals
    assert (t.uses, t.unclassified_out, t.total_unclassified_out, t.unclassified_in) == (
        D("42080.00"), D("30.00"), D("30.00"), D("0.00"))
    assert {line.label: line.amount for line in t.use_lines}[LABEL] == D("30.00")
    assert t.closing == D("14520.00")
    (item,) = [i for i in maintenance_fund_disclosure(books, 2024).items if i.title == "维修资金户不明支出"]
    assert (item.basis, item.basis_zh, item.cost) == ("unclassified", f"{LABEL}，未注明决议", D("30.00"))


def test_the_pdfs_show_the_row(books: Compound, tmp_path: Path) -> None:
    cr = publish(books, "common-revenue", "2024Q2", tmp_path / "cr.pdf", MADE).path
    check_common_revenue(books, cr, "2024Q2")
    text = text_of(cr)
    assert amounts_after(text, "减：合理成本")[0] == D("10.00")
    assert amounts_after(text, f"减：{LABEL}")[:2] == [D("120.00"), D("0.00")]
    mf = publish(books, "maintenance-fund", "2024", tmp_path / "mf.pdf", MADE).path
    assert amounts_after(text_of(mf), f"其中：{LABEL}") == [D("30.00"), D("30.00")]
    assert f"{LABEL}，未注明决议" in re.sub(r"\s+", "", text_of(mf, layout=False))


def test_the_phone_page_shows_the_row(books: Compound, tmp_path: Path) -> None:
    page = publish(books, "common-revenue", "2024Q2", tmp_path / "cr.html", MADE, "html").path
    text = re.sub(r"\s+", "", html_text(page.read_text("utf-8")))
    assert f"减：{LABEL}¥120.00" in text and "减：合理成本¥10.00" in text


def test_funds_labels_the_line(root: Path) -> None:
    result = CliRunner().invoke(main, ["funds", str(root), "--period", "2024", "--format", "json"])
    assert result.exit_code == 0, result.output
    funds = json.loads(result.stdout)["funds"]
    assert {line["label"] for line in funds["CommonRevenue"]["spending"]} >= {LABEL}
    text = CliRunner().invoke(main, ["funds", str(root), "--period", "2024"], terminal_width=200).stdout
    assert LABEL in text and "  待分类 " not in text


def test_the_fava_page_shows_the_row(root: Path) -> None:
    with running(root) as server:
        url = f"{server.pages_url}?tab=disclosures&kind=common-revenue&period=2024Q2"
        with urllib.request.urlopen(urllib.parse.quote(url, safe=":/?&="), timeout=120) as response:
            page = BeautifulSoup(response.read().decode("utf-8"), "lxml")
        url = f"{server.pages_url}?tab=disclosures&kind=maintenance-fund&period=2024"
        with urllib.request.urlopen(urllib.parse.quote(url, safe=":/?&="), timeout=120) as response:
            mf = BeautifulSoup(response.read().decode("utf-8"), "lxml")
    row = page.select_one('#cr-summary tr[data-figure="unclassified"]')
    assert row is not None and [td.get_text(strip=True) for td in row.select("td")][:2] == [LABEL, "120.00"]
    costs = page.select_one('#cr-summary tr[data-figure="costs"]')
    assert costs is not None and costs.select("td")[1].get_text(strip=True) == "10.00"
    assert LABEL not in page.select_one("#cr-costs").get_text()
    row = mf.select_one('#mf-totals tr[data-figure="unclassified_out"]')
    assert row is not None and "30.00" in row.get_text()
