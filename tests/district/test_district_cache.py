"""The district cache: a changed byte recomputes that compound only, a deleted cache rebuilds, a corrupt entry
is ignored, a broken compound's error is cached too; the code's version is a digest of modules by name."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dask.distributed import Client

from commonfund.district import cache as district_cache
from commonfund.district.rollup import RollupRun, incremental_rollup
from commonfund.district.summary import find_compounds
from commonfund.synth.generator import synth_compound


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated")
    for index, (households, years) in enumerate(((20, 1), (25, 2), (30, 1))):
        synth_compound(root / f"c{index}", households, years, seed=30 + index)
    shutil.copytree(root / "c0", root / "c3-broken")
    (root / "c3-broken" / "households.csv").write_text("unit,building\n1-1-101,1\n", "utf-8")
    return root


@pytest.fixture
def tree(generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the compounds (tests change them) and an empty user cache."""
    monkeypatch.setenv("COMMONFUND_CACHE", str(tmp_path / "cache"))
    shutil.copytree(generated, tmp_path / "ledgers")
    return tmp_path / "ledgers"


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """A real Dask client, its one worker in this process (the cache is the client's business)."""
    with Client(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=None) as c:
        yield c


def roll(tree: Path, client: Client, **options: Any) -> RollupRun:
    return incremental_rollup(find_compounds(tree), client=client, **options)


def plain(run: RollupRun) -> list[dict[str, Any]]:
    return [{k: v for k, v in district_cache.to_plain(s).items() if k != "seconds"} for s in run.summaries]


def computed(run: RollupRun) -> list[str]:
    return [Path(s.path).name for s in run.summaries if not s.from_cache]


def entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / district_cache.SUBDIR).glob("*.bin"))


def test_a_changed_byte_recomputes_that_compound_only(tree: Path, client: Client, tmp_path: Path) -> None:
    first = roll(tree, client)
    assert (first.recomputed, first.reused, first.uncached) == (4, 0, 0) and len(entries(tmp_path)) == 4
    assert "重新计算 4 个，沿用缓存 0 个" in first.line
    again = roll(tree, client)
    assert (again.recomputed, again.reused) == (0, 4) and computed(again) == []
    assert plain(again) == plain(first)  # the same summaries, the broken one's error included
    assert again.summaries[3].error is not None and "the header lacks column(s)" in again.summaries[3].error
    books = sorted((tree / "c1" / "books").glob("*.beancount"))[0]
    books.write_bytes(books.read_bytes() + b"\n; one more byte of comment\n")
    third = roll(tree, client)
    assert (third.recomputed, third.reused) == (1, 3) and computed(third) == ["c1"]
    assert plain(third) == plain(first)  # a comment changes the key, not the figures
    (tree / "c2" / "documents").mkdir(exist_ok=True)
    (tree / "c2" / "documents" / "invoice.pdf").write_bytes(b"%PDF-1.4\n")  # the audit looks for documents
    assert computed(roll(tree, client)) == ["c2"]


def test_a_changed_figure_is_recomputed_not_served_stale(tree: Path, client: Client) -> None:
    first = roll(tree, client)
    books = sorted((tree / "c0" / "books").glob("*.beancount"))[-1]
    year = first.summaries[0].year
    books.write_text(books.read_text("utf-8") + f'\n{year}-06-30 * "停车场" "临时停车费"\n'
                     "  Assets:CommonRevenue:Bank-共有收益户  100.00 CNY\n  Income:CommonRevenue:Parking-停车\n",
                     "utf-8")
    after = roll(tree, client)
    assert computed(after) == ["c0"]
    assert after.summaries[0].total("income") == first.summaries[0].total("income") + 100


def test_a_deleted_cache_rebuilds(tree: Path, client: Client, tmp_path: Path) -> None:
    first = roll(tree, client)
    shutil.rmtree(tmp_path / "cache")
    rebuilt = roll(tree, client)
    assert (rebuilt.recomputed, rebuilt.reused) == (4, 0) and plain(rebuilt) == plain(first)
    assert roll(tree, client).reused == 4


def test_a_corrupt_entry_is_ignored(tree: Path, client: Client, tmp_path: Path) -> None:
    first = roll(tree, client)
    flipped, truncated, *_ = entries(tmp_path)
    data = bytearray(flipped.read_bytes())
    data[len(data) // 2] ^= 0xFF
    flipped.write_bytes(bytes(data))
    truncated.write_bytes(truncated.read_bytes()[:40])
    again = roll(tree, client)
    assert (again.recomputed, again.reused) == (2, 2) and plain(again) == plain(first)
    assert roll(tree, client).reused == 4  # the damaged entries were rewritten


def test_recompute_ignores_and_refreshes_the_cache(tree: Path, client: Client) -> None:
    roll(tree, client)
    assert roll(tree, client, use_cache=False).recomputed == 4
    assert roll(tree, client).reused == 4


def test_the_key_follows_year_and_code(tree: Path) -> None:
    key = district_cache.summary_key(tree / "c1", None)
    assert key is not None and key != district_cache.summary_key(tree / "c1", 2024)
    assert key == district_cache.summary_key(tree / "c1", None)
    assert district_cache.summary_key(tree / "nowhere", None) is None  # no key: summarised (and reported) each run
    sources = district_cache.module_sources(district_cache.SEEDS)
    # what computes a summary, found through imports by module name (lazy imports and the check registry too)
    for name in ("commonfund.district.summary", "commonfund.plugin", "commonfund.audit.checks.bank",
                 "commonfund.books.subledger", "commonfund.audit.findings", "commonfund.disclosure.status",
                 "commonfund.compound.model", "commonfund.register.model", "commonfund.rules.scan",
                 "commonfund.books.evidence"):
        assert name in sources, name
    assert not any(name.startswith(("commonfund.web", "commonfund.disclosure.render", "commonfund.cli"))
                   for name in sources)
