"""``commonfund disclose`` through click's CliRunner, the demo step, and snapshots of the figures JSON.

Snapshots live in tests/snapshots/disclosure/; the fingerprint and the date made are masked. Regenerate
them with ``COMMONFUND_UPDATE_SNAPSHOTS=1 pytest tests/disclosure/test_disclosure_cli.py``.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import REPO, SMALL_CONFIG, CompoundFactory
from tests.disclosure_books import BOOKS, RESOLUTIONS

from commonfund.cli import main
from commonfund.compound.fingerprint import fingerprint
from commonfund.compound.model import load_compound
from commonfund.disclosure.figures import disclosure_figures
from commonfund.disclosure.render import document_input

SNAPSHOTS = Path(__file__).parents[1] / "snapshots" / "disclosure"


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def example(tmp_path: Path) -> Path:
    root = tmp_path / "example"
    shutil.copytree(REPO / "ledgers" / "example", root)
    return root


def test_disclose_writes_the_pdf(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "notice" / "公示.pdf"
    code, stdout, stderr = run("disclose", example, "--kind", "common-revenue", "--period", "2025Q3", "-o", out,
                               "--made", "2025-10-15", "--json", tmp_path / "figures.json")
    assert code == 0, stderr
    assert out.read_bytes().startswith(b"%PDF")
    assert f"wrote {out}" in stdout and fingerprint(example) in stdout and "2025年第三季度" in stdout
    assert [p.name for p in out.parent.iterdir()] == ["公示.pdf"]  # atomic: no temp file left behind
    document = json.loads((tmp_path / "figures.json").read_text("utf-8"))
    assert document["meta"]["made"] == "2025-10-15" and document["figures"]["period"]["label"] == "2025Q3"


def test_disclose_default_period_and_output(example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without -o the file goes into <compound>-out/ beside the compound (made if missing), as the demo's and
    export's do — never into the current folder — and the path printed is the one written."""
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    outputs = example.parent / "example-out"
    assert not outputs.exists()
    code, stdout, stderr = run("disclose", example, "--kind", "maintenance-fund")
    assert code == 0, stderr
    assert "the last complete one" in stderr
    assert (outputs / "example-maintenance-fund-2025.pdf").is_file()
    assert list(here.iterdir()) == []
    assert stdout.startswith(f"wrote {outputs / 'example-maintenance-fund-2025.pdf'} (")
    monkeypatch.chdir(example.parent)  # from the compound's parent folder the path is printed relative
    code, stdout, stderr = run("disclose", "example", "--kind", "maintenance-fund", "--format", "html")
    assert code == 0, stderr
    assert stdout.startswith("wrote example-out/example-maintenance-fund-2025.html (")


def test_disclose_without_a_complete_period_says_which_period_to_give(make_compound: CompoundFactory) -> None:
    """Books started mid-year hold no complete year yet: without --period the sentence names the period to give,
    not a period "before the books start" that the user never asked for."""
    root = make_compound("""\
        2024-07-10 * "银行" "结息"
          Assets:MaintenanceFund:Bank-维修资金专户  10.00 CNY
          Income:MaintenanceFund:Interest-利息  -10.00 CNY
            apportion: "by-balance"
        """, config=SMALL_CONFIG.replace('start = "2024-01-01"', 'start = "2024-07-01"'))
    code, _, stderr = run("disclose", root, "--kind", "maintenance-fund")
    assert code == 2
    assert stderr.strip() == (f"error: {root}: 账簿自 2024-07-01 起、最后一笔记录在 2024-07-10，还没有已结束的公示期间"
                              "（每年公示）；请用 --period 指定，例如 --period 2024（2024年度，至今）")
    code, stdout, stderr = run("disclose", root, "--kind", "maintenance-fund", "--period", "2024")
    assert "wrote " in stdout
    assert code == 0, stderr


@pytest.mark.parametrize(("args", "message"), [
    (("--period", "2024Q4"), "期间 2024Q4（2024年第四季度）早于账簿起始日 2025-01-01，最早可公示的期间是 2025Q1"),
    (("--period", "2025Q7"), "'2025Q7' is not a period such as 2025Q3, 2025, 2025-07 or 2025H1"),
])
def test_disclose_refuses_bad_periods(example: Path, tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    out = tmp_path / "x.pdf"
    code, _, stderr = run("disclose", example, "--kind", "common-revenue", *args, "-o", out)
    assert code == 2
    assert stderr.strip() == f"error: --period: {message}"
    assert not out.exists()


def test_disclose_refuses_books_with_errors(make_compound: CompoundFactory, tmp_path: Path) -> None:
    root = make_compound("2024-01-01 open Assets:Cash\n")
    code, _, stderr = run("disclose", root, "--kind", "maintenance-fund", "--period", "2024", "-o", tmp_path / "x.pdf")
    assert code == 2 and "个错误，请先修正后再公示" in stderr and "commonfund check" in stderr
    assert "books.beancount:1: account Assets:Cash belongs to no fund" in stderr
    assert not (tmp_path / "x.pdf").exists()


def test_disclose_unknown_kind_and_missing_compound(tmp_path: Path) -> None:
    code, _, stderr = run("disclose", tmp_path, "--kind", "budget")
    assert code == 2 and "Invalid value for '--kind'" in stderr
    code, _, stderr = run("disclose", tmp_path / "nowhere", "--kind", "maintenance-fund")
    assert code == 2 and "no such compound folder" in stderr


def test_demo_step_writes_both_disclosures(tmp_path: Path,
                                           make_compound: CompoundFactory) -> None:
    from commonfund.demo.context import DemoContext
    from commonfund.demo.disclosure import write_disclosures

    quarterly = SMALL_CONFIG + '\n[policy]\ncommon_revenue_disclosure = "quarterly"\n'  # generic: yearly
    root = make_compound(BOOKS, files={"resolutions.beancount": RESOLUTIONS}, name="books", config=quarterly)
    ctx = DemoContext(root=root, outputs=tmp_path / "out", say=lambda _: None, serve=False)
    write_disclosures(ctx)
    assert Path(ctx.results["disclosure common-revenue"]).name == "test-common-revenue-2024Q4.pdf"
    assert Path(ctx.results["disclosure maintenance-fund"]).name == "test-maintenance-fund-2024.pdf"
    assert Path(ctx.results["disclosure maintenance-fund png"]).name == "test-maintenance-fund-2024.png"
    assert Path(ctx.results["disclosure common-revenue html"]).name == "test-common-revenue-2024Q4.html"
    starts = {"pdf": b"%PDF", "png": b"\x89PNG", "html": b"<!DOCTYPE html>"}
    assert all(Path(p).read_bytes().startswith(starts[Path(p).suffix[1:]]) for p in ctx.results.values())


@pytest.mark.parametrize(("kind", "period"), [("common-revenue", "2025Q3"), ("common-revenue", "2025"),
                                              ("maintenance-fund", "2025")])
def test_figures_snapshot(kind: str, period: str) -> None:
    compound = load_compound(REPO / "ledgers" / "example")
    document = document_input(disclosure_figures(compound, kind, period), compound, "<fingerprint>", date(2000, 1, 1))
    document["meta"]["made"] = "<made>"
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    path = SNAPSHOTS / f"example-{kind}-{period}.json"
    if os.environ.get("COMMONFUND_UPDATE_SNAPSHOTS") or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        created = not path.exists()
        path.write_text(text, "utf-8")
        if created:
            pytest.fail(f"{path.name} did not exist and was written; check and commit it")
    assert text == path.read_text("utf-8"), f"{path.name} changed; COMMONFUND_UPDATE_SNAPSHOTS=1 to accept"
    for name in ("陈建华", "林秀英", "黄志强", "周丽", "郑明", "13912340001"):
        assert name not in text
