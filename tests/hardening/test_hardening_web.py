"""Read-only web (issue 9 §5): Fava with the commonfund extension, served over HTTP on a loopback port.

Every write path is enumerated from the running app's URL map (every rule that accepts PUT, POST, DELETE
or PATCH, the generic extension endpoint expanded over every extension and endpoint name) and each is
sent a request: all must be refused in read-only mode. Every GET page is then crawled — the URL map's
GET rules with their arguments filled in (reports, accounts, the extension's tabs and downloads, Fava's
JSON API) plus every same-origin link found on the pages — and not one file of the compound may change,
and not one answer may be a server error (5xx): each is printed with its URL and fails the test.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hardening_kit import tally, tree_digest
from tests.conftest import REPO

from commonfund.web.serve import fava_app, ledger_slug

WRITE_METHODS = ("PUT", "POST", "DELETE", "PATCH")
PAGE_LIMIT = 600
_HREF = re.compile(r'(?:href|src)="([^"#]+)"')
_CHINESE = re.compile(r"[\u4e00-\u9fff]")
pytestmark = pytest.mark.slow


class Site:
    """A compound served read-only by cheroot in a thread, as ``commonfund serve`` does."""

    def __init__(self, root: Path) -> None:
        from cheroot.wsgi import Server

        self.root = root
        self.app = fava_app(root, edit=False)
        self.slug = ledger_slug(self.app)
        self.server = Server(("127.0.0.1", 0), self.app, numthreads=4)
        self.server.prepare()
        self.base = f"http://127.0.0.1:{self.server.bind_addr[1]}"
        self.thread = threading.Thread(target=self.server.serve, daemon=True)
        self.thread.start()

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes, str]:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=120) as response:
                return response.status, response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read(), exc.headers.get("Content-Type", "")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, monkeypatch_module: Any) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("web")
    root = folder / "example"
    shutil.copytree(REPO / "ledgers" / "example", root)
    monkeypatch_module.setenv("COMMONFUND_CACHE", str(folder / "cache"))
    served = Site(root)
    yield served
    served.server.stop()


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def fill(rule: Any, site: Site, extra: dict[str, str] | None = None) -> list[str]:
    """URLs for a rule: its arguments filled with real values (every report, account, extension...)."""
    with site.app.app_context():
        ledger = site.app.config["LEDGERS"][site.slug]
        accounts = sorted(ledger.accounts)[:40]
        extensions = {type(e).__name__: e for e in ledger.extensions._instances.values()}
    from fava.application import CLIENT_SIDE_REPORTS

    choices: dict[str, list[str]] = {
        "bfile": [site.slug], "report_name": [*CLIENT_SIDE_REPORTS, "nonexistent"], "name": accounts,
        "extension_name": sorted(extensions), "aggregation_key": ["account", "currency", "cost_currency"],
        "result_format": ["csv", "xlsx", "ods"], "page_slug": ["_index", "features", "beancount_syntax"],
        "filename": ["app.js"], "endpoint": sorted({name for e in extensions.values() for name, _ in e.endpoints}),
        **(extra or {}),
    }
    urls = [""]
    for argument in rule.arguments:
        urls = [u + "\0" + argument + "=" + value for u in urls for value in choices.get(argument, ["x"])]
    out = []
    for encoded in urls:
        values = dict(part.split("=", 1) for part in encoded.split("\0")[1:])
        path = rule.rule
        for key, value in values.items():
            path = re.sub(r"<(?:[^:<>]+:)?" + key + r"(?:\([^)]*\))?>", urllib.parse.quote(value), path)
        out.append(path)
    return out


def write_paths(site: Site) -> list[tuple[str, str]]:
    """(method, url) for every rule of the URL map that accepts a write method."""
    out = []
    for rule in site.app.url_map.iter_rules():
        methods = set(rule.methods or ()) & set(WRITE_METHODS)
        if rule.endpoint == "extension_endpoint":
            methods |= set(WRITE_METHODS) - {"PATCH"} & set(rule.methods or ())
        for method in sorted(methods):
            out.extend((method, url) for url in fill(rule, site))
    return out


def test_every_write_path_is_refused(site: Site) -> None:
    before = tree_digest(site.root)
    paths = write_paths(site)
    rules = {r.rule for r in site.app.url_map.iter_rules() if set(r.methods or ()) & set(WRITE_METHODS)}
    assert len(rules) >= 10, rules  # Fava's editor, entry, document and import endpoints and the extension's
    bodies = [b'{"file_path": "main.beancount", "source": "", "sha256sum": "", "entries": []}', b""]
    for method, url in paths:
        for body in bodies:
            status, content, _ = site.request(method, url, body)
            assert status in (401, 403, 405), f"{method} {url} answered {status}: {content[:200]!r}"
            tally("web: write request (read-only)", f"refused {status}")
    # every write method on every GET page too (the read-only guard is not per route)
    for rule in site.app.url_map.iter_rules():
        for url in fill(rule, site)[:3]:
            for method in WRITE_METHODS:
                status, _, _ = site.request(method, url, b"{}")
                assert status in (401, 403, 405), f"{method} {url} answered {status}"
                tally("web: write method on a read route", f"refused {status}")
    assert tree_digest(site.root) == before
    tally("web: write paths from the URL map", f"{len(paths)} (method, url) pairs over {len(rules)} rules refused")


def test_crawling_every_page_changes_no_file(site: Site) -> None:
    before = tree_digest(site.root)
    seeds: list[str] = []
    for rule in site.app.url_map.iter_rules():
        if "GET" in (rule.methods or ()) and rule.endpoint != "static":
            seeds.extend(fill(rule, site))
    seen: set[str] = set()
    queue = list(dict.fromkeys(seeds))
    statuses: dict[int, int] = {}
    failures = []
    unexplained = []  # a page refused for its parameters must say why in Chinese (Fava's JSON API is not a page)
    while queue and len(seen) < PAGE_LIMIT:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        status, content, kind = site.request("GET", url)
        statuses[status] = statuses.get(status, 0) + 1
        if status >= 500:
            failures.append((url, status, content[:300]))
        if 400 <= status < 500 and "/api/" not in url and not _CHINESE.search(content.decode("utf-8", "replace")):
            unexplained.append((url, status, content[:200]))
        if "html" in kind:
            for link in _HREF.findall(content.decode("utf-8", "replace")):
                target = urllib.parse.urljoin(url, html.unescape(link))
                parsed = urllib.parse.urlsplit(target)
                if parsed.netloc or not urllib.parse.unquote(parsed.path).startswith(f"/{site.slug}/"):
                    continue
                queue.append(parsed.path + (f"?{parsed.query}" if parsed.query else ""))
    extension_pages = [u for u in seen if "/extension/" in u]
    assert len(seen) > 80 and len(extension_pages) > 10, (len(seen), extension_pages)
    for url, status, content in failures:
        print(f"server error on GET {urllib.parse.unquote(url)}: {status} {content!r}")
    assert not unexplained, unexplained
    assert not failures, "server errors (5xx) on GET:\n" + "\n".join(
        f"  {status} {urllib.parse.unquote(url)}" for url, status, _ in failures)
    downloads = {u.split("/extension/CommonFund/")[1].split("?")[0] for u in extension_pages if "?" in u}
    assert {"disclosure.pdf", "workbook.xlsx", "payout.xlsx"} <= downloads, downloads
    if os.environ.get("HARDENING_SHOW_PAGES"):
        print("\n".join(sorted(urllib.parse.unquote(u) for u in extension_pages)))
    assert tree_digest(site.root) == before, "a GET changed a file of the compound"
    tally("web: GET pages crawled", f"{len(seen)} pages, 0 files changed; statuses {sorted(statuses.items())}")
