"""The 分户账核对 tab in a real browser: ``commonfund serve`` (read-only) over a generated compound whose
authority list (with planted differences) ``commonfund reconcile`` put on file; Debian chromium via Playwright.
What the tab shows is checked against :func:`commonfund.books.authority.reconciliation_on_file`."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from commonfund.books.authority import reconciliation_on_file
from commonfund.cli import main
from commonfund.compound.authority import FOLDER
from commonfund.compound.model import load_compound
from commonfund.synth.authority import write_authority_list
from commonfund.synth.generator import synth_compound
from fava_server import ARTIFACTS, Server, chromium_missing, launch_chromium, running

pytestmark = [pytest.mark.browser]
if (_why := chromium_missing()) is not None:
    pytestmark.append(pytest.mark.skip(reason=_why))


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, str]], Path]:
    root = synth_compound(tmp_path_factory.mktemp("fava-authority") / "garden", 60, 2, seed=7, slug="garden")
    out = tmp_path_factory.mktemp("list") / "维修资金分户账.xlsx"
    found = write_authority_list(root, out, seed=2)
    result = CliRunner().invoke(main, ["reconcile", str(root), str(out)])
    assert result.exit_code == 1, result.output  # the planted differences
    return root, found, out


@pytest.fixture(scope="module")
def server(planted: tuple[Path, list[dict[str, str]], Path],
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running(planted[0], env={"COMMONFUND_CACHE": str(tmp_path_factory.mktemp("cache"))}) as served:
        yield served


@pytest.fixture(scope="module")
def page(server: Server) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
        yield context.new_page()
        browser.close()


def test_tab_shows_the_planted_differences_with_their_causes(
        page: Any, server: Server, planted: tuple[Path, list[dict[str, str]], Path]) -> None:
    root, found, _ = planted
    compound = load_compound(root)
    expected = reconciliation_on_file(compound)
    assert expected is not None
    errors: list[str] = []
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    page.goto(f"{server.pages_url}?tab=households")
    page.click('a[data-tab-link="authority"]')
    page.wait_for_selector('.cf[data-tab="authority"]')
    assert page.inner_text('a[data-tab-link="authority"]') == "分户账核对"
    assert page.inner_text("#authority-compared") == "60"
    assert page.inner_text("#authority-agree") == str(expected.agreeing) == "56"
    assert page.inner_text("#authority-differ") == "4"
    assert page.inner_text("#authority-summary") == expected.summary()
    assert page.inner_text("#authority-date") == str(expected.as_of)
    rows = page.locator("#authority-differences tr[data-unit]")
    shown = {(rows.nth(i).get_attribute("data-unit"), rows.nth(i).get_attribute("data-causes"))
             for i in range(rows.count())}
    assert shown == {(p["unit"], p["cause"]) for p in found}
    missed = next(p for p in found if p["cause"] == "apportionment_missing_list")
    row = page.locator(f'#authority-differences tr[data-unit="{missed["unit"]}"]')
    assert "清单漏记一笔分摊" in row.inner_text() and "超出容差" in row.inner_text()
    assert "line=" in (row.locator('a:has-text("分录")').first.get_attribute("href") or "")
    text = page.inner_text("article")
    owners = {h.owner_name for h in compound.register.households}
    assert not [name for name in owners if name in text]  # no owner name on the page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "fava-authority.png"), full_page=True)
    for tab in ("overview", "findings", "resolutions", "households", "authority", "disclosures", "objections"):
        page.goto(f"{server.pages_url}?tab={tab}")
        page.wait_for_load_state("networkidle")
    assert not errors, errors


def test_tab_follows_the_list_on_file(page: Any, server: Server,
                                      planted: tuple[Path, list[dict[str, str]], Path]) -> None:
    root = planted[0]
    kept = root.parent / "kept-authority"
    shutil.move(root / FOLDER, kept)
    try:
        page.goto(f"{server.pages_url}?tab=authority")
        page.wait_for_selector('.cf[data-tab="authority"]')
        assert "还没有维修资金管理中心的分户清单" in page.inner_text("#no-authority-list")
        assert "reconcile" in page.inner_text("#no-authority-list code")
        page.goto(f"{server.pages_url}?tab=findings")
        assert page.locator('tr[data-check="authority_subledger_difference"]').count() == 0
    finally:
        shutil.move(kept, root / FOLDER)
    page.goto(f"{server.pages_url}?tab=authority")
    assert page.inner_text("#authority-differ") == "4"
    page.goto(f"{server.pages_url}?tab=findings")
    assert page.locator('tr[data-check="authority_subledger_difference"]').count() == 4  # one per household
