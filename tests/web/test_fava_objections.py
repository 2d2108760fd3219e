"""The 异议 page in a real browser: ``commonfund serve`` (read-only) over a generated compound with planted
objection cases, Debian chromium via Playwright. What the page shows is checked against the register and
the statuses of :mod:`commonfund.books.objections`; the page writes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from commonfund.compound.model import Compound, load_compound
from commonfund.synth.generator import synth_compound
from commonfund.web.fava_ext.objections_view import objections_page
from fava_server import ARTIFACTS, Server, chromium_missing, launch_chromium, running

pytestmark = [pytest.mark.browser]
if (_why := chromium_missing()) is not None:
    pytestmark.append(pytest.mark.skip(reason=_why))


@pytest.fixture(scope="module")
def compound_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synth_compound(tmp_path_factory.mktemp("fava-objections") / "garden", 60, 2, seed=11, plant=True,
                          slug="garden")


@pytest.fixture(scope="module")
def server(compound_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running(compound_root, env={"COMMONFUND_CACHE": str(tmp_path_factory.mktemp("cache"))}) as served:
        yield served


@pytest.fixture(scope="module")
def page(server: Server) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
        yield context.new_page()
        browser.close()


def test_objections_tab_lists_open_and_answered_with_links(page: Any, server: Server, compound_root: Path) -> None:
    before = sorted((p, p.stat().st_mtime_ns) for p in compound_root.rglob("*") if p.is_file())
    compound: Compound = load_compound(compound_root)
    expected = objections_page(compound)
    page.goto(f"{server.pages_url}?tab=findings")
    page.click('a[data-tab-link="objections"]')
    page.wait_for_selector('.cf[data-tab="objections"]')
    assert page.inner_text('a[data-tab-link="objections"]') == "异议"

    for status, count in expected.counts.items():
        assert page.inner_text(f'#objection-counts .card[data-status="{status}"] b') == str(count)
    assert expected.counts == {"answered": 4, "late": 1, "open": 1, "overdue": 1}
    waiting = [r.objection.id for r in expected.rows if r.waiting]
    answered = [r.objection.id for r in expected.rows if not r.waiting]
    shown_open = page.locator("#objections-open tr[data-objection]")
    shown_answered = page.locator("#objections-answered tr[data-objection]")
    assert [shown_open.nth(i).get_attribute("data-objection") for i in range(shown_open.count())] == waiting
    assert [shown_answered.nth(i).get_attribute("data-objection") for i in range(shown_answered.count())] == answered

    for row in expected.rows:
        tr = page.locator(f'tr[data-objection="{row.objection.id}"]')
        text = tr.inner_text()
        assert row.objection.unit in text and row.status_zh in text
        source = tr.locator("td").first.locator("a")
        assert f"line={row.objection.entry.meta['lineno']}" in (source.get_attribute("href") or "")
        if row.reply is not None and row.reply.corrections:
            link = tr.locator(f'a:has-text("{row.reply.corrections[0]}")')
            assert "journal" in (link.get_attribute("href") or "")
    unlinked = [r for r in expected.rows if r.reply is not None and r.reply.corrected and not r.reply.corrections]
    assert len(unlinked) == 1
    assert "称已更正，未链接分录" in page.inner_text(f'tr[data-objection="{unlinked[0].objection.id}"]')

    # following a correction link lands on Fava's journal showing the correcting entry
    corrected = next(r for r in expected.rows if r.reply is not None and r.reply.corrections)
    page.click(f'tr[data-objection="{corrected.objection.id}"] a:has-text("{corrected.reply.corrections[0]}")')  # type: ignore[union-attr]
    page.locator(".journal").get_by_text("更正：", exact=False).first.wait_for(timeout=30000)
    journal = "".join(page.locator(".journal").all_inner_texts())
    assert "更正：" in journal and "临时停车费日结" not in journal  # only the linked entry

    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{server.pages_url}?tab=objections")
    page.wait_for_selector('.cf[data-tab="objections"]')
    page.screenshot(path=str(ARTIFACTS / "fava-objections.png"), full_page=True)
    assert sorted((p, p.stat().st_mtime_ns) for p in compound_root.rglob("*") if p.is_file()) == before
