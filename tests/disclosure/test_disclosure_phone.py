"""Disclosures for phones: the long PNG image (长图) and the self-contained HTML page.

Both are typeset from the same templates and figures as the A4 PDF: the HTML's text ties to the PDF's
figures to the fen, neither carries an owner name or phone number, both carry the fingerprint that
``commonfund fingerprint --verify`` reads back, and the HTML makes no network request in chromium.
What the PNG draws is read as text from a PDF of the same phone layout (Typst draws both from one layout).
"""

from __future__ import annotations

import re
import shutil
import textwrap
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tests.conftest import REPO, SMALL_CONFIG
from tests.disclosure.test_disclosure_pdf import AMOUNT, PHONE, substrings, text_of
from tests.disclosure_books import BOOKS, RESOLUTIONS

from commonfund.cli import main
from commonfund.compound.fingerprint import fingerprint
from commonfund.compound.model import Compound, load_compound
from commonfund.compound.verify import html_text, png_texts, qr_texts, read_fingerprint
from commonfund.disclosure.figures import disclosure_figures
from commonfund.disclosure.phone import png_text
from commonfund.disclosure.publish import publish
from commonfund.disclosure.render import document_input, typeset

MADE = date(2026, 1, 15)
URL = "https://gongshi.example.org/ceshi"


def html_rows(page: str) -> list[str]:
    """Each table row of an HTML page as one line of its cells' text (like a line of ``pdftotext -layout``)."""
    rows = re.findall(r"<tr\b.*?</tr>", page, flags=re.DOTALL)
    return [" ".join(html_text(cell).strip() for cell in re.findall(r"<t[dh]\b.*?</t[dh]>", row,
                                                                                 flags=re.DOTALL)) for row in rows]


def amounts_in(text: str) -> Counter[str]:
    return Counter(AMOUNT.findall(re.sub(r"[ \t]+(?=\d)", "", text)))


def first_amounts(lines: list[str], label: str) -> list[str]:
    for line in lines:
        if line.strip().startswith(label):
            return AMOUNT.findall(line)
    raise AssertionError(f"no line starts with {label!r}")


def check_private(compound: Compound, texts: list[str], where: str) -> None:
    names = {h.owner_name for h in compound.register if h.owner_name}
    names |= {m.name for m in (*compound.config.committee, *compound.config.supervisors)}
    lengths = {len(name) for name in names}
    phones = {h.phone for h in compound.register if h.phone}
    for text in texts:
        flat = re.sub(r"\s+", "", text)
        leaked = sorted(names & (substrings(text, lengths) | substrings(flat, lengths)))
        assert leaked == [], f"owner names in {where}: {leaked[:10]}"
        assert PHONE.findall(flat) == [], where
        assert not [p for p in phones if p in flat], where


def phone_pdf_text(compound: Compound, kind: str, period: str, tmp_path: Path) -> str:
    """The text of what the PNG draws: the phone layout typeset as a PDF."""
    document = document_input(disclosure_figures(compound, kind, period), compound, fingerprint(compound.root), MADE)
    path = tmp_path / f"phone-{kind}.pdf"
    path.write_bytes(typeset(document, fmt="pdf", layout="phone"))
    return text_of(path)


def publish_all(compound: Compound, kind: str, period: str, folder: Path) -> dict[str, Path]:
    return {fmt: publish(compound, kind, period, folder / f"{kind}.{fmt}", MADE, fmt).path
            for fmt in ("pdf", "png", "html")}


def check_ties(compound: Compound, kind: str, files: dict[str, Path], tmp_path: Path, period: str) -> None:
    pdf = text_of(files["pdf"])
    page = files["html"].read_text("utf-8")
    rows = html_rows(page)
    pdf_lines = pdf.splitlines()
    labels = (("期初余额", "加：本期收入", "减：合理成本", "减：分配及划转", "期末余额") if kind == "common-revenue"
              else ("期初余额", "首期交存", "续交（第", "增值收益", "使用（维修支出及手续费）", "期末结存"))
    for label in labels:
        assert first_amounts(rows, label) == first_amounts(pdf_lines, label), label
    # every amount the HTML prints is printed in the PDF, as often (the PDF adds only its chart's labels)
    assert amounts_in(html_text(page)) <= amounts_in(pdf)
    if kind == "maintenance-fund":
        assert amounts_in(html_text(page)) == amounts_in(pdf)  # no chart: the very same amounts, household rows too
        households = [r for r in rows if re.match(r"^\d+-\d+-\d+ [\d.]+ ¥", r)]
        assert len(households) == len(compound.register)
    # the long image draws the same figures as the PDF, without the household rows
    phone = phone_pdf_text(compound, kind, period, tmp_path)
    for label in labels:
        assert first_amounts(phone.splitlines(), label) == first_amounts(pdf_lines, label), label
    assert amounts_in(phone) <= amounts_in(pdf)
    if kind == "maintenance-fund":
        assert "本长图不列逐户明细" in re.sub(r"\s+", "", phone) and not re.search(r"^\s*\d+-\d+-\d+\s+[\d.]+\s+¥",
                                                                               phone, re.MULTILINE)
    check_private(compound, [pdf, phone, html_text(page), page.split("<style>")[0]], files["html"].name)
    check_private(compound, list(png_texts(files["png"].read_bytes()).values()), files["png"].name)


@pytest.fixture
def small(load: Callable[..., Compound]) -> Compound:
    config = SMALL_CONFIG.replace('start = "2024-01-01"', f'start = "2024-01-01"\ndisclosure_url = "{URL}"')
    register = """\
        2024-07-10 custom "objection" "O-1" "1-1-101"
          disclosure: "common-revenue 2024Q2"
          question: "二季度分红为何只有 800 元？"

        2024-07-18 custom "objection-reply" "O-1"
          text: "依 R-2 决议，2024 年分红总额 800 元，按专有面积分配（张伟 13800000001 已当面说明）。"
        """
    return load(BOOKS, files={"resolutions.beancount": RESOLUTIONS + "\n" + textwrap.dedent(register)}, config=config)


def test_small_compound_phone_formats(small: Compound, tmp_path: Path) -> None:
    for kind, period in (("common-revenue", "2024Q3"), ("maintenance-fund", "2024")):
        files = publish_all(small, kind, period, tmp_path)
        check_ties(small, kind, files, tmp_path, period)
        digest = fingerprint(small.root)
        png = files["png"].read_bytes()
        from PIL import Image

        with Image.open(files["png"]) as image:
            assert image.size[0] == 1080 and image.size[1] > 1500  # one long page, 1,080 px wide
        (code,) = qr_texts(png)
        assert code.startswith(URL + "?") and f"ledger-sha256={digest}" in code and f"period={period}" in code
        assert f"ledger-sha256={digest}" in png_texts(png)["Keywords"]
        page = files["html"].read_text("utf-8")
        assert f'<meta name="ledger-sha256" content="{digest}">' in page and URL in html_text(page)
        assert re.search(r"@font-face\{[^}]*src:url\(data:font/woff;base64,", page)
        assert not re.search(r"""(src|href)\s*=\s*["'](?!data:|#)""", page)  # nothing to fetch
        for fmt in ("png", "html"):
            assert read_fingerprint(files[fmt])[0] == digest
    # the objection of 2024Q2 and its answer appear in the next common-revenue disclosure, masked
    text = html_text((tmp_path / "common-revenue.html").read_text("utf-8"))
    assert "上期（2024年第二季度）公示共收到业主异议 1 件，已答复 1 件，平均 8.0 日内答复" in re.sub(r"\s+", "", text) \
        or "平均 8.0 日内答复" in text
    assert "1-1-101" in text and "张*" in text and "13800000001" not in text


def test_example_compound_phone_formats(tmp_path: Path) -> None:
    compound = load_compound(REPO / "ledgers" / "example")
    for kind, period in (("common-revenue", "2025Q3"), ("maintenance-fund", "2025")):
        check_ties(compound, kind, publish_all(compound, kind, period, tmp_path), tmp_path, period)


def test_verify_phone_formats_against_changed_books(tmp_path: Path) -> None:
    root = tmp_path / "example"
    shutil.copytree(REPO / "ledgers" / "example", root)
    runner = CliRunner()
    for fmt in ("png", "html"):
        out = tmp_path / f"notice.{fmt}"
        result = runner.invoke(main, ["disclose", str(root), "--kind", "maintenance-fund", "--period", "2025",
                                      "--format", fmt, "-o", str(out), "--made", "2026-01-15"])
        assert result.exit_code == 0, result.stderr
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith("notice")].count(out.name) == 1
        result = runner.invoke(main, ["fingerprint", str(root), "--verify", str(out)])
        assert result.exit_code == 0 and "一致" in result.stdout, result.output
    with (root / "books" / "2025.beancount").open("a", encoding="utf-8") as books:
        books.write("\n; a comment added after the disclosure was made\n")
    for fmt in ("png", "html"):
        result = runner.invoke(main, ["fingerprint", str(root), "--verify", str(tmp_path / f"notice.{fmt}")])
        assert result.exit_code == 1 and "不一致" in result.stderr, result.output
    # a PNG whose text chunk was rewritten no longer agrees with its QR code: no single fingerprint
    png = (tmp_path / "notice.png").read_bytes()
    forged = tmp_path / "forged.png"
    start = png.index(b"tEXtKeywords\0") - 4
    end = start + 12 + int.from_bytes(png[start:start + 4], "big")
    forged.write_bytes(png[:start] + png_text("Keywords", "ledger-sha256=" + "0" * 64) + png[end:])
    assert png_texts(forged.read_bytes())["Keywords"] == "ledger-sha256=" + "0" * 64
    result = runner.invoke(main, ["fingerprint", str(root), "--verify", str(forged)])
    assert result.exit_code == 2 and "different fingerprints" in result.stderr


def test_disclose_png_and_html_default_names(tmp_path: Path) -> None:
    root = tmp_path / "example"
    shutil.copytree(REPO / "ledgers" / "example", root)
    (tmp_path / "example-out").mkdir()
    for fmt in ("png", "html"):
        result = CliRunner().invoke(main, ["disclose", str(root), "--kind", "common-revenue", "--period", "2025Q3",
                                           "--format", fmt])
        assert result.exit_code == 0, result.stderr
        assert (tmp_path / "example-out" / f"example-common-revenue-2025Q3.{fmt}").is_file()


@pytest.mark.browser
def test_html_on_a_phone_makes_no_request_and_finds_a_unit(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    from fava_server import ARTIFACTS, chromium_missing, launch_chromium

    if (why := chromium_missing()) is not None:
        pytest.skip(why)
    compound = load_compound(REPO / "ledgers" / "example")
    page_file = publish(compound, "maintenance-fund", "2025", tmp_path / "mf.html", MADE, "html").path
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
        page: Any = context.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.route("**/*", lambda route: route.continue_() if route.request.url == page_file.as_uri()
                   else route.abort())
        page.goto(page_file.as_uri())
        page.wait_for_load_state("load")
        assert page.evaluate("document.fonts.check('15px \"CF Noto Sans SC\"')")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "phone-maintenance-fund.png"), full_page=True)
        unit = compound.register.households[3].unit
        page.fill("#unit-search", unit)
        visible = page.locator("#households tbody tr:visible")
        assert [visible.nth(i).locator("td").first.inner_text() for i in range(visible.count())] == [unit, "合计"]
        assert page.inner_text("#unit-count") == "找到 1 户"
        page.locator("#households").screenshot(path=str(ARTIFACTS / "phone-search.png"))
        browser.close()
    assert requests == [page_file.as_uri()]  # the page itself, and nothing else


@pytest.mark.slow
def test_demo_size_phone_formats(tmp_path: Path) -> None:
    from commonfund.demo.context import DEMO_HOUSEHOLDS, DEMO_NAME, DEMO_SEED
    from commonfund.synth.generator import synth_compound

    root = synth_compound(tmp_path / "demo", DEMO_HOUSEHOLDS, 2, DEMO_SEED, plant=True, name=DEMO_NAME, slug="demo")
    compound = load_compound(root)
    for kind, period in (("common-revenue", "2025Q4"), ("maintenance-fund", "2025")):
        files = publish_all(compound, kind, period, tmp_path)
        check_ties(compound, kind, files, tmp_path, period)
        assert files["html"].stat().st_size < 1_500_000  # 3,237 households with the font: well under 1.5 MB
    text = re.sub(r"\s+", "", html_text((tmp_path / "common-revenue.html").read_text("utf-8")))
    assert "上期（2025年第三季度）公示共收到业主异议5件，已答复4件" in text
