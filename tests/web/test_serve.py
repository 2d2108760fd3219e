"""``commonfund serve`` without a browser: Fava's app through Flask's test client, and the command itself."""

from __future__ import annotations

import re
import shutil
import signal
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from commonfund.audit.findings import run_audit
from commonfund.cli import main
from commonfund.compound.model import load_compound
from commonfund.core.program import command_line
from commonfund.demo.browse import serve_books
from commonfund.demo.context import DemoContext
from commonfund.web.fava_ext import findings_view as findings_module
from commonfund.web.fava_ext.importing import import_config_text
from commonfund.web.serve import fava_app, ledger_slug
from fava_server import running

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "ledgers" / "example"
STATEMENT = """\
账号：6227000000000088
交易日期,摘要,收入,支出,余额,对方户名,流水号
2025-12-05,利息,100.00,,1000.00,建设银行,T-1
"""


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return Path(shutil.copytree(EXAMPLE, tmp_path / "example"))


def base_of(app: object) -> str:
    return "/" + quote(ledger_slug(app))  # type: ignore[arg-type]


def test_read_only_refuses_every_write(example: Path) -> None:
    app = fava_app(example)
    client = app.test_client()
    base = base_of(app)
    books = str(example / "books" / "2025.beancount")
    before = Path(books).read_bytes()
    for method in ("post", "put", "delete", "patch"):
        for path in ("/api/source", "/api/add_entries", "/api/upload_import_file", "/api/document",
                     "/extension/CommonFund/findings.json", "/extension/CommonFund/"):
            response = getattr(client, method)(base + path, json={"file_path": books, "source": "x"})
            assert response.status_code == 401, (method, path)
    assert Path(books).read_bytes() == before
    assert client.get(base + "/extension/CommonFund/").status_code == 200


def test_edit_mode_allows_writes_through_fava(example: Path) -> None:
    app = fava_app(example, edit=True)
    client = app.test_client()
    base = base_of(app)
    books = example / "books" / "2025.beancount"
    source = client.get(base + "/api/source", query_string={"filename": str(books)}).get_json()["data"]
    response = client.put(base + "/api/source", json={
        "file_path": str(books), "source": source["source"] + "\n; 财务备注\n", "sha256sum": source["sha256sum"]})
    assert response.status_code == 200
    assert books.read_text("utf-8").endswith("; 财务备注\n")


def test_import_page_uses_the_compound_importers_only_when_editing(example: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("COMMONFUND_CACHE", str(cache))
    (example / "inbox").mkdir()
    (example / "inbox" / "statement.csv").write_text(STATEMENT, "utf-8")

    read_only = fava_app(example)
    assert read_only.test_client().get(base_of(read_only) + "/api/imports").get_json()["data"] == []

    app = fava_app(example, edit=True)
    client = app.test_client()
    base = base_of(app)
    files = client.get(base + "/api/imports").get_json()["data"]
    assert [(Path(f["name"]).name, [i["importer_name"] for i in f["importers"]]) for f in files] == \
        [("statement.csv", ["commonfund.generic"])]
    extracted = client.get(base + "/api/extract", query_string={
        "filename": files[0]["name"], "importer": "commonfund.generic"}).get_json()["data"]
    assert any(e.get("t") == "Transaction" for e in extracted)
    assert not list(example.rglob("import_config.py"))  # the config lives in the cache, not the ledger
    assert list(cache.rglob("import_config.py"))


def test_import_config_gives_the_compound_importers(example: Path) -> None:
    import beangulp

    namespace: dict[str, object] = {}
    exec(compile(import_config_text(example), "import_config.py", "exec"), namespace)  # as Fava's runpy does
    importers = namespace["CONFIG"]
    assert isinstance(importers, list) and importers
    assert all(isinstance(i, beangulp.Importer) for i in importers)


def test_findings_are_computed_once_per_load(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    original = findings_module.run_audit

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(findings_module, "run_audit", counting)
    app = fava_app(example)
    client = app.test_client()
    url = base_of(app) + "/extension/CommonFund/findings.json"
    first = client.get(url).get_json()
    assert client.get(url).get_json() == first
    assert len(calls) == 1
    # a change to a ledger file is picked up by Fava's watcher (a background thread: when it reports is up to
    # the machine's load), and the reload recomputes the findings once — not on every request after it
    books = example / "books" / "2025.beancount"
    books.write_text(books.read_text("utf-8") + "\n", "utf-8")
    deadline = time.monotonic() + 30
    while len(calls) < 2 and time.monotonic() < deadline:
        client.get(url)
        time.sleep(0.2)
    assert len(calls) == 2
    time.sleep(1.0)
    for _ in range(3):
        client.get(url)
    assert len(calls) == 2


def test_findings_json_matches_the_library(example: Path) -> None:
    app = fava_app(example)
    data = app.test_client().get(base_of(app) + "/extension/CommonFund/findings.json?time=2025").get_json()
    from datetime import date

    expected = run_audit(load_compound(example), date(2025, 1, 1), date(2025, 12, 31))
    assert data["start"] == "2025-01-01" and data["end"] == "2025-12-31"
    assert data["findings"] == [f.as_dict() for f in expected]


def test_a_folder_without_the_extension_line_is_refused(example: Path) -> None:
    main_file = example / "main.beancount"
    main_file.write_text(main_file.read_text("utf-8").replace("commonfund.fava_ext", "other"), "utf-8")
    result = CliRunner().invoke(main, ["serve", str(example)])
    assert result.exit_code == 2
    assert "fava-extension" in result.output and "Traceback" not in result.output


def test_serve_of_a_non_compound_is_one_sentence(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and len(result.output.strip().splitlines()) == 1


def test_busy_port_is_one_sentence(example: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", str(example), "--port", str(port)])
    assert result.exit_code == 2
    assert "--port" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_serve_prints_the_url_and_stops_cleanly(example: Path, sig: int) -> None:
    with running(example) as server:
        assert server.output[0].startswith("Fava: http://127.0.0.1:")
        assert any("/extension/CommonFund/" in line for line in server.output)
        assert any(line.startswith("只读") for line in server.output)
        code = server.stop(sig)
    assert code == 0
    assert "stopping Fava" in "\n".join(server.output)
    assert "Traceback" not in "\n".join(server.output)


def test_serving_on_the_lan_prints_the_address_others_open(example: Path) -> None:
    """--host 0.0.0.0 listens on every interface; 0.0.0.0 is no address another computer can open, so serve
    also prints this machine's LAN address, and that URL answers."""
    import urllib.request

    from commonfund.web.serve import lan_address

    address = lan_address()
    if address is None:
        pytest.skip("this machine has no network interface besides loopback")
    with running(example, "--host", "0.0.0.0") as server:
        lines = [line for line in server.output if line.startswith("局域网内其他电脑打开")]
        assert len(lines) == 1, server.output
        url = lines[0].split(": ", 1)[1]
        assert url.startswith(f"http://{address}:") and url.endswith("/extension/CommonFund/")
        with urllib.request.urlopen(quote(url, safe=":/"), timeout=60) as response:
            assert response.status == 200


def test_demo_step_without_serving_says_how(tmp_path: Path) -> None:
    said: list[str] = []
    ctx = DemoContext(root=tmp_path / "demo", outputs=tmp_path / "out", say=said.append, serve=False)
    serve_books(ctx)
    assert said == [f"to browse the books: {command_line('serve', ctx.root)} (read-only; add --edit to allow writes)"]


def test_a_config_broken_while_serving_is_one_sentence_on_the_page(example: Path) -> None:
    app = fava_app(example)
    client = app.test_client()
    url = base_of(app) + "/extension/CommonFund/?partial=true"
    config = example / "compound.toml"
    config.write_text(config.read_text("utf-8") + "\nunknown_key = 1\n", "utf-8")
    page = client.get(url)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'id="problem"' in text and "unknown_key" in text


def test_households_page_follows_the_time_filter(example: Path) -> None:
    from datetime import date

    from commonfund.books.subledger import compute_subledgers
    from commonfund.core.money import from_fen

    app = fava_app(example)
    client = app.test_client()
    text = client.get(base_of(app) + "/extension/CommonFund/?tab=households&time=2025-06&partial=true")
    html = text.get_data(as_text=True)
    expected = compute_subledgers(load_compound(example), date(2025, 6, 30))
    assert "截至 2025-06-30" in html
    assert f'id="subledger-total">{from_fen(expected.total):,.2f}<' in html


def test_households_page_lists_no_units_and_the_search_box_asks_units_json(example: Path) -> None:
    """The page carries no door numbers (a 10,000-unit register made it 10,000 <option>s on every GET): the
    search box asks ``units.json?q=`` for a few as one types."""
    app = fava_app(example)
    client = app.test_client()
    units = load_compound(example).register.units
    html = client.get(base_of(app) + "/extension/CommonFund/?tab=households&partial=true").get_data(as_text=True)
    assert '<datalist id="cf-units"></datalist>' in html
    answer = client.get(base_of(app) + "/extension/CommonFund/units.json?q=" + quote(units[-1])).get_json()
    assert answer["units"][0] == units[-1]
    everything = client.get(base_of(app) + "/extension/CommonFund/units.json").get_json()
    assert everything["units"] == list(units[:30]) and everything["more"] == (len(units) > 30)
    assert client.get(base_of(app) + "/extension/CommonFund/units.json?q=no-such").get_json() == {
        "units": [], "more": False}


def test_root_lands_on_the_overview_and_income_shows_positive(example: Path) -> None:
    app = fava_app(example)
    client = app.test_client()
    base = base_of(app)
    assert client.get("/").headers["Location"].endswith(base + "/extension/CommonFund/")
    assert client.get(base + "/").headers["Location"].endswith(base + "/extension/CommonFund/")
    with app.app_context():
        options = app.config["LEDGERS"].ledgers[0].fava_options
        assert options.invert_income_liabilities_equity is True
    html = client.get(base + "/extension/CommonFund/?partial=true").get_data(as_text=True)
    assert 'data-tab="overview"' in html and "总览" in html


def test_supervisor_options_apply_only_where_the_ledger_is_silent(example: Path) -> None:
    """An older ledger without the options gets them from the extension; a ledger that sets one keeps its own."""
    main_file = example / "main.beancount"
    lines = [line for line in main_file.read_text("utf-8").splitlines()
             if '"default-page"' not in line and "invert-income" not in line]
    lines.append('1970-01-01 custom "fava-option" "default-page" "journal/"')
    main_file.write_text("\n".join(lines) + "\n", "utf-8")
    app = fava_app(example)
    with app.app_context():
        options = app.config["LEDGERS"].ledgers[0].fava_options
        assert options.default_page == "journal/"  # the ledger's own choice
        assert options.invert_income_liabilities_equity is True  # the default it did not set


def test_a_refused_write_says_why_in_chinese(example: Path) -> None:
    app = fava_app(example)
    client = app.test_client()
    base = base_of(app)
    api = client.put(base + "/api/source", json={"file_path": "main.beancount", "source": ""})
    assert api.status_code == 401
    assert "只读" in api.get_json()["error"] and "commonfund serve --edit" in api.get_json()["error"]
    page = client.post(base + "/extension/CommonFund/")
    assert page.status_code == 401 and "业委会财务" in page.get_data(as_text=True)
    mode = client.get(base + "/extension/CommonFund/mode").get_json()
    assert mode["read_only"] is True and "commonfund serve --edit" in mode["message"]
    assert fava_app(example, edit=True).test_client().get(base + "/extension/CommonFund/mode").get_json()[
        "read_only"] is False


def test_a_fava_link_without_its_parameters_is_a_400_in_chinese(example: Path) -> None:
    app = fava_app(example)
    client = app.test_client()
    base = base_of(app)
    for path in ("/statement/", "/statement/?entry_hash=x&key=document", "/download-query/query_result.csv",
                 "/extension/CommonFund/?time=xyz", "/extension/CommonFund/?filter=%22"):
        response = client.get(base + path)
        assert response.status_code == 400, path
        text = response.get_data(as_text=True)
        assert "无法完成这个请求" in text and 'id="ledger-data"' in text  # inside Fava's layout, sidebar and all
    assert "筛选条件无法识别" in client.get(base + "/extension/CommonFund/?time=xyz").get_data(as_text=True)
    missing = client.get(base + "/nonexistent-report/")
    assert missing.status_code == 404 and "没有这个页面" in missing.get_data(as_text=True)


def test_a_long_findings_list_is_paged(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hundreds of findings (every household below the top-up line is one) come a page at a time, with a pager
    that keeps the severity filter; every finding is on exactly one page."""
    monkeypatch.setattr(findings_module, "PAGE_SIZE", 5)
    books = example / "books" / "2025.beancount"
    books.write_text(books.read_text("utf-8") + """
2025-12-20 * "施工队" "全体屋面防水维修"
  Expenses:MaintenanceFund:Repair-维修:Roof-屋面防水  100000.00 CNY
    apportion: "all"
  Assets:MaintenanceFund:Bank-维修资金专户  -100000.00 CNY
""", "utf-8")
    expected = [f.id for f in run_audit(load_compound(example))]
    assert len(expected) > 10, "every household below the line, and the use without a resolution"
    app = fava_app(example)
    client = app.test_client()
    seen: list[str] = []
    pages = -(-len(expected) // 5)
    for number in range(1, pages + 1):
        html = client.get(base_of(app) + f"/extension/CommonFund/?tab=findings&page={number}").get_data(as_text=True)
        rows = re.findall(r'data-finding="([^"]+)"', html)
        assert len(rows) == min(5, len(expected) - 5 * (number - 1))
        assert f"第 {number} / {pages} 页" in html
        assert ('id="findings-next"' in html) == (number < pages)
        assert ('id="findings-prev"' in html) == (number > 1)
        seen += rows
    assert sorted(seen) == sorted(expected) and len(set(seen)) == len(seen)
    last = client.get(base_of(app) + "/extension/CommonFund/?tab=findings&page=999").get_data(as_text=True)
    assert f"第 {pages} / {pages} 页" in last  # beyond the end: the last page
    warnings = client.get(base_of(app) + "/extension/CommonFund/?tab=findings&severity=warning&page=2")
    assert "severity=warning" in warnings.get_data(as_text=True).split('id="findings-pager"')[1]
