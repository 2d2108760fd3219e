"""Real disclosure PDFs (Typst, embedded Noto SC): fonts embedded, Chinese text extractable, the figures
read back from the text tie to the ledger to the fen, no owner name or phone number anywhere, the fingerprint
in text and metadata, the household table's header on every page — for a small compound, the example
compound and a demo-size compound (3,237 households)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from beancount.core import data
from tests.conftest import REPO
from tests.disclosure_books import BOOKS, ONE_HOUSEHOLD, RESOLUTIONS

from commonfund.books.subledger import compute_subledgers
from commonfund.compound.fingerprint import fingerprint
from commonfund.compound.model import Compound, load_compound
from commonfund.disclosure.periods import parse_period
from commonfund.disclosure.publish import publish
from commonfund.disclosure.render import fingerprint_of_pdf

MADE = date(2026, 1, 15)
AMOUNT = re.compile(r"-?¥[\d,]+\.\d\d")
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_CARD = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


def text_of(pdf: Path, *, layout: bool = True, page: int | None = None) -> str:
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else [])
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, check=True, text=True).stdout


def pages_of(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]


def yuan(text: str) -> Decimal:
    return Decimal(text.replace("¥", "").replace(",", ""))


def amounts_after(text: str, label: str) -> list[Decimal]:
    """The ¥ amounts on the first line of *text* that starts with *label*."""
    for line in text.splitlines():
        if line.strip().startswith(label):
            return [yuan(a) for a in AMOUNT.findall(line)]
    raise AssertionError(f"no line starts with {label!r}")


# ── independent ledger arithmetic (plain sums over postings, not the disclosure code) ───────────────────
def ledger_sum(compound: Compound, prefixes: tuple[str, ...], start: date | None, end: date) -> Decimal:
    total = Decimal(0)
    for entry in compound.entries:
        if isinstance(entry, data.Transaction) and (start is None or entry.date >= start) and entry.date < end:
            total += sum((p.units.number for p in entry.postings if p.account.startswith(prefixes)), Decimal(0))
    return total


def check_common_revenue(compound: Compound, pdf: Path, label: str) -> None:
    period = parse_period(label)
    text = text_of(pdf)
    sheet = ("Assets:CommonRevenue:", "Liabilities:CommonRevenue:")
    opening = ledger_sum(compound, sheet, None, period.start)
    closing = ledger_sum(compound, sheet, None, period.end)
    income = -ledger_sum(compound, ("Income:CommonRevenue:",), period.start, period.end)
    spent = ledger_sum(compound, ("Expenses:CommonRevenue:",), period.start, period.end)
    distributions = ledger_sum(compound, tuple(f"Expenses:CommonRevenue:{k}-" for k in (
        "Sweep", "Subsidy", "Dividend", "WorkingFund")), period.start, period.end)
    assert amounts_after(text, "期初余额")[0] == opening
    assert amounts_after(text, "加：本期收入")[0] == income
    unclassified = ledger_sum(compound, ("Expenses:CommonRevenue:Uncategorized-",), period.start, period.end)
    assert amounts_after(text, "减：合理成本")[0] == spent - distributions - unclassified
    if unclassified:
        assert amounts_after(text, "减：待分类支出（待核实）")[0] == unclassified
    assert amounts_after(text, "减：分配及划转")[0] == distributions
    assert amounts_after(text, "期末余额")[0] == closing
    for account in {p.account for e in compound.transactions for p in e.postings
                    if p.account.startswith("Income:CommonRevenue:") and period.contains(e.date)}:
        amount = -ledger_sum(compound, (account,), period.start, period.end)
        label_zh = {"Parking": "停车", "Advertising": "电梯及公告栏广告", "BaseStation": "通信基站租金",
                    "Lockers": "快递柜", "Charging": "充电桩", "Interest": "利息",
                    "Uncategorized": "待分类收入（待核实）"}[account.split(":")[2].split("-")[0]]
        assert amounts_after(text, label_zh)[0] == amount, account


def check_maintenance_fund(compound: Compound, pdf: Path, label: str) -> None:
    period = parse_period(label)
    text = text_of(pdf)
    sheet = ("Assets:MaintenanceFund:", "Liabilities:MaintenanceFund:")
    assert amounts_after(text, "期初余额")[0] == ledger_sum(compound, sheet, None, period.start)
    closing = ledger_sum(compound, sheet, None, period.end)
    assert amounts_after(text, "期末结存") == [closing, closing]
    assert amounts_after(text, "使用（维修支出及手续费）")[0] == ledger_sum(
        compound, ("Expenses:MaintenanceFund:",), period.start, period.end)
    assert amounts_after(text, "续交（第 17 条）")[0] == -ledger_sum(
        compound, ("Income:MaintenanceFund:TopUp",), period.start, period.end)
    # every household row, read back from the text, is the sub-ledger to the fen
    ledgers = compute_subledgers(compound, as_of=period.last_day)
    index = {unit: i for i, unit in enumerate(ledgers.units)}
    row = re.compile(r"^\s*(\d+-\d+-\d+)\s+([\d.]+)\s+((?:-?¥[\d,]+\.\d\d\s+){5})(-?[\d.]+%|—)\s*(.*)$")
    seen: set[str] = set()
    total = Decimal(0)
    for line in text.splitlines():
        match = row.match(line)
        if not match or match.group(1) not in index:
            continue
        unit, i = match.group(1), index[match.group(1)]
        first, deposits, uses, income, balance = (yuan(a) for a in AMOUNT.findall(match.group(3)))
        fen = [int(x * 100) for x in (first, deposits, uses, income, balance)]
        assert fen == [int(ledgers.first_deposit[i]), int(ledgers.deposits[i] + ledgers.top_ups[i]),
                       int(ledgers.uses[i]), int(ledgers.income[i]), int(ledgers.balance[i])], unit
        assert deposits - uses + income == balance
        assert ("需续交" in match.group(5)) == (i in set(ledgers.below(compound.config.policy.top_up_fraction)))
        seen.add(unit)
        total += balance
    assert seen == set(ledgers.units)
    assert total == closing  # the households' balances add up to the fund's bank-side balance


def substrings(text: str, lengths: set[int]) -> set[str]:
    return {text[i:i + n] for n in lengths for i in range(len(text) - n + 1)}


def check_private(compound: Compound, pdf: Path) -> None:
    names = {h.owner_name for h in compound.register if h.owner_name}
    names |= {m.name for m in (*compound.config.committee, *compound.config.supervisors)}
    lengths = {len(name) for name in names}
    for text in (text_of(pdf), text_of(pdf, layout=False)):
        flat = re.sub(r"\s+", "", text)
        leaked = sorted(names & (substrings(text, lengths) | substrings(flat, lengths)))
        assert leaked == [], f"owner names in {pdf.name}: {leaked[:10]}"
        assert PHONE.findall(flat) == [] and ID_CARD.findall(flat) == []
        for phone in (h.phone for h in compound.register if h.phone):
            assert phone not in flat


def check_document(compound: Compound, pdf: Path) -> None:
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert any("NotoSansSC" in r for r in rows)
    assert all(r.split()[-5] == "yes" for r in rows), fonts  # emb column: every font embedded
    digest = fingerprint(compound.root)
    assert fingerprint_of_pdf(pdf.read_bytes()) == digest
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert f"ledger-sha256={digest}" in info and "Page size:       595.276 x 841.89 pts (A4)" in info
    text = text_of(pdf)
    assert digest in text and "commonfund fingerprint" in text
    pages, flat = pages_of(pdf), re.sub(r"\s+", "", text)
    assert f"第{pages}页共{pages}页" in flat and f"第1页共{pages}页" in flat
    assert "业主监督委员会（盖章）" in flat and "负责人签字" in flat


# ── compounds ─────────────────────────────────────────────────────────────────────────────────────────
@pytest.fixture
def small(load: Callable[..., Compound]) -> Compound:
    return load(BOOKS, files={"resolutions.beancount": RESOLUTIONS})


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Compound, dict[str, Path]]:
    from commonfund.demo.context import DEMO_HOUSEHOLDS, DEMO_NAME, DEMO_SEED
    from commonfund.synth.generator import synth_compound

    root = synth_compound(tmp_path_factory.mktemp("demo") / "demo", DEMO_HOUSEHOLDS, 2, DEMO_SEED, plant=True,
                          name=DEMO_NAME, slug="demo")
    compound = load_compound(root)
    out = root.parent / "out"
    pdfs = {kind: publish(compound, kind, period, out / f"{kind}.pdf", MADE).path
            for kind, period in (("common-revenue", "2025Q4"), ("maintenance-fund", "2025"))}
    return compound, pdfs


def test_small_compound_pdfs(small: Compound, tmp_path: Path) -> None:
    cr = publish(small, "common-revenue", "2024Q2", tmp_path / "cr.pdf", MADE).path
    mf = publish(small, "maintenance-fund", "2024", tmp_path / "mf.pdf", MADE).path
    for pdf in (cr, mf):
        check_document(small, pdf)
        check_private(small, pdf)
    check_common_revenue(small, cr, "2024Q2")
    check_maintenance_fund(small, mf, "2024")
    text = text_of(mf)
    assert "王*" in text and "需续交" in text and "未注明决议" in text
    assert "本期收入构成" in text_of(cr)  # the chart's caption


def test_example_compound_pdfs(tmp_path: Path) -> None:
    compound = load_compound(REPO / "ledgers" / "example")
    for label in ("2025Q1", "2025Q3", "2025"):
        pdf = publish(compound, "common-revenue", label, tmp_path / f"cr-{label}.pdf", MADE).path
        check_document(compound, pdf)
        check_private(compound, pdf)
        check_common_revenue(compound, pdf, label)
    mf = publish(compound, "maintenance-fund", "2025", tmp_path / "mf.pdf", MADE).path
    check_document(compound, mf)
    check_private(compound, mf)
    check_maintenance_fund(compound, mf, "2025")


@pytest.mark.slow
def test_demo_size_pdfs(demo: tuple[Compound, dict[str, Path]]) -> None:
    compound, pdfs = demo
    for pdf in pdfs.values():
        check_document(compound, pdf)
        check_private(compound, pdf)
    check_common_revenue(compound, pdfs["common-revenue"], "2025Q4")
    check_maintenance_fund(compound, pdfs["maintenance-fund"], "2025")


@pytest.mark.slow
def test_verify_reads_a_demo_size_pdf_without_pdfplumber(demo: tuple[Compound, dict[str, Path]]) -> None:
    """``fingerprint --verify`` on the 3,237-household PDF (70 pages): every page's text is read (a document
    carrying two different fingerprints is refused), with PDFium, which ships with commonfund — pdfplumber
    is a test tool only, and its layout analysis took half a minute here (speed is the benchmarks' business, not
    a unit test's: measured 68 s → 0.6 s under cProfile when PDFium came in)."""
    import os
    import sys

    compound, pdfs = demo
    program = ("import sys; sys.modules['pdfplumber'] = sys.modules['pdfminer'] = None; "
               "from commonfund.cli import main; main()")
    result = subprocess.run([sys.executable, "-c", program, "fingerprint", str(compound.root), "--verify",
                             str(pdfs["maintenance-fund"])], capture_output=True, text=True,
                            env={**os.environ, "COLUMNS": "200"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "一致" in result.stdout and fingerprint(compound.root) in result.stdout


@pytest.mark.slow
def test_household_table_header_repeats_on_every_page(demo: tuple[Compound, dict[str, Path]]) -> None:
    _, pdfs = demo
    pdf = pdfs["maintenance-fund"]
    pages = pages_of(pdf)
    assert pages > 40
    with_rows = [p for p in range(1, pages + 1) if re.search(r"^\s*\d+-\d+-\d+\s+[\d.]+\s+¥", text_of(pdf, page=p),
                                                            re.MULTILINE)]
    assert len(with_rows) > 40
    header = re.compile(r"房号\s+面积\(㎡\)\s+首期交存\s+累计交存\s+累计使用\s+累计收益\s+结存")
    for page in with_rows:
        assert header.search(text_of(pdf, page=page)), page


def test_sensible_documents_without_activity_and_for_one_household(load: Callable[..., Compound],
                                                                   tmp_path: Path) -> None:
    from tests.disclosure.test_disclosure_figures import _one_config

    one = load("""\
        2024-01-01 * "首期维修资金" "首期维修资金划入"
          Assets:MaintenanceFund:Bank-维修资金专户  8800.00 CNY
          Income:MaintenanceFund:Deposit-首期交存  -8800.00 CNY
            apportion: "first-deposit"
        """, register=ONE_HOUSEHOLD, config=_one_config(), name="one")
    cr = publish(one, "common-revenue", "2024Q3", tmp_path / "cr.pdf", MADE).path
    mf = publish(one, "maintenance-fund", "2025", tmp_path / "mf.pdf", MADE).path
    for pdf in (cr, mf):
        check_document(one, pdf)
        check_private(one, pdf)
    assert "本期无共有收益收入" in text_of(cr) and "本期无成本支出" in text_of(cr)
    text = text_of(mf)
    assert "本期未使用维修资金" in text and "本期无应急使用" in text and "共 1 户" in text
    check_maintenance_fund(one, mf, "2025")


def test_the_privacy_scan_catches_an_unmasked_name(small: Compound, tmp_path: Path) -> None:
    """Without the scrubber the payee's name stays in a narration, and the scan must say so."""
    from commonfund.disclosure.maintenance_fund import maintenance_fund_disclosure
    from commonfund.disclosure.privacy import Scrubber
    from commonfund.disclosure.render import render

    figures = maintenance_fund_disclosure(small, 2024, scrub=Scrubber.of([]))
    pdf = tmp_path / "leaky.pdf"
    pdf.write_bytes(render(figures, small, MADE).pdf)
    with pytest.raises(AssertionError, match="王芳"):
        check_private(small, pdf)
