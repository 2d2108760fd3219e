"""The ranking (红黑榜): stated criteria in order, equal figures share a rank, each rank explained by its
figures; a planted compound lands on the black list, a compound that could not be summarised is not ranked."""

from __future__ import annotations

from pathlib import Path

from commonfund.disclosure.status import DisclosureStatus
from commonfund.district.rank import rank_compounds
from commonfund.district.summary import CompoundSummary, YearFigures, summarise_compound
from commonfund.synth.generator import synth_compound


def summary(name: str, errors: int = 0, bank: int = 0, on_time: int = 4, due: int = 4, sweep: int = 0,
            sweep_policy: bool = True) -> CompoundSummary:
    checks = {k: v for k, v in (("bank_reconciliation", bank), ("sweep_policy", sweep)) if v}
    year = YearFigures(2025, findings={"error": errors, "warning": bank, "info": 0}, by_check=checks,
                       disclosures=DisclosureStatus(due, on_time, (), (), 0))
    return CompoundSummary(f"/d/{name}", name=name, year=2025, sweep_policy=sweep_policy, years=(year,))


def test_criteria_in_order_ties_share_a_rank() -> None:
    compounds = [summary("丁", errors=1), summary("甲"), summary("乙", on_time=3), summary("丙", bank=2),
                 summary("戊", sweep=1), summary("己"), CompoundSummary("/d/坏", error="household register not found")]
    ranked, apart = rank_compounds(compounds, size=2)
    assert [(r.rank, r.summary.name) for r in ranked] == [
        (1, "己"), (1, "甲"), (3, "戊"), (4, "乙"), (5, "丙"), (6, "丁")]
    assert [r.board for r in ranked] == ["红榜", "红榜", "", "", "黑榜", "黑榜"]
    assert [s.path for s in apart] == ["/d/坏"]
    assert ranked[3].explanation == ("严重审计发现 0 项；银行对账问题 0 项；公示按时 3/4（75.0%）；"
                                     "共有收益归集：按政策归集")
    assert "1 期未按政策归集" in ranked[2].explanation and "银行对账问题 2 项" in ranked[4].explanation
    no_policy = rank_compounds([summary("庚", sweep_policy=False, due=0, on_time=0)])[0][0]
    assert no_policy.explanation.endswith("公示按时 0/0（无到期公示）；共有收益归集：无归集政策")


def test_a_tie_at_the_edge_of_a_list_is_never_split_by_name() -> None:
    """Three compounds share the last rank: a black list of 2 takes all three (and the red list takes every
    compound tied within its places), rather than dropping one of the tied by its name."""
    compounds = [summary("甲"), summary("乙"), summary("丙"), summary("丁", bank=1), summary("戊", errors=1),
                 summary("己", errors=1), summary("庚", errors=1)]
    ranked, _ = rank_compounds(compounds, size=2)
    boards = {r.summary.name: (r.rank, r.board) for r in ranked}
    assert boards == {"丙": (1, "红榜"), "乙": (1, "红榜"), "甲": (1, "红榜"), "丁": (4, ""),
                      "己": (5, "黑榜"), "庚": (5, "黑榜"), "戊": (5, "黑榜")}


def test_a_planted_compound_ranks_below_clean_ones(tmp_path: Path) -> None:
    synth_compound(tmp_path / "clean", 30, 1, seed=5)
    planted = tmp_path / "planted"
    synth_compound(planted, 30, 1, seed=6, plant=True)
    ranked, apart = rank_compounds([summarise_compound(planted), summarise_compound(tmp_path / "clean")])
    assert apart == [] and [Path(r.summary.path).name for r in ranked] == ["clean", "planted"]
    worst = ranked[-1]
    assert worst.errors > 0 and worst.board == "黑榜" and not worst.meets_all
    assert f"严重审计发现 {worst.errors} 项" in worst.explanation
    assert ranked[0].meets_all and ranked[0].board == "红榜" and ranked[0].rank == 1
