"""The district roll-up on a real Dask LocalCluster (worker processes), with a broken compound among them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from commonfund.cli import main
from commonfund.district.rollup import dask_client, rollup
from commonfund.district.summary import find_compounds, summarise_compound
from commonfund.synth.generator import synth_compound

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("district")
    for index in range(3):
        synth_compound(root / f"c{index}", 20 + 10 * index, 1, seed=10 + index)
    shutil.copytree(root / "c0", root / "c3-broken")
    (root / "c3-broken" / "households.csv").write_text("unit,building\n1-1-101,1\n", "utf-8")
    return root


def test_rollup_on_a_local_cluster(district: Path) -> None:
    paths = find_compounds(district)
    seen: list[str] = []
    with dask_client(n_workers=2) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        summaries = rollup(paths, client, on_done=lambda s: seen.append(s.path))
    assert [Path(s.path).name for s in summaries] == ["c0", "c1", "c2", "c3-broken"]
    assert sorted(seen) == sorted(s.path for s in summaries)
    broken = summaries[-1]
    assert broken.error is not None and "the header lacks column(s)" in broken.error
    for summary in summaries[:3]:
        assert summary.ok
        direct = summarise_compound(summary.path)
        assert (summary.fund_balances, summary.income, summary.spending, summary.findings, summary.below_30pct) == (
            direct.fund_balances, direct.income, direct.spending, direct.findings, direct.below_30pct)


def test_cli_writes_workbook_and_reports_the_broken_one(district: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "district.xlsx"
    result = CliRunner().invoke(main, ["district", str(district), "--workers", "1", "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert "c3-broken" in result.stderr and "the header lacks column(s)" in result.stderr
    assert "4 compounds, 1 with problems" in result.stderr
    book = load_workbook(out)
    names = [row[1] for row in book["汇总"].iter_rows(min_row=2, values_only=True)]
    assert sum(1 for n in names if n and Path(n).name.startswith("c")) == 4
    assert [Path(row[0]).name for row in book["失败"].iter_rows(min_row=2, values_only=True)] == ["c3-broken"]


def test_cli_empty_root(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["district", str(tmp_path)])
    assert result.exit_code == 2 and "no compound here" in result.stderr
