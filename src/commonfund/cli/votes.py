"""``commonfund votes``."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import click
from rich.table import Table

from commonfund.books.spending import spent_by_resolution
from commonfund.cli.common import console, fail, user_errors
from commonfund.compound.model import load_compound
from commonfund.resolutions.model import QUORUM, Resolution
from commonfund.resolutions.parse import resolutions_of


def _share(part: int, whole: int, area: bool) -> str:
    text = f"{part / 100:,.2f} / {whole / 100:,.2f} ㎡" if area else f"{part} / {whole} 人"
    return f"{text} = {Fraction(part, whole or 1)} ≈ {float(Fraction(part, whole or 1)):.2%}"


def _mark(ok: bool) -> str:
    return "[green]✓ 达到 met[/green]" if ok else "[bold red]✗ 未达到 not met[/bold red]"


def show(resolution: Resolution, spent: object) -> None:
    """Print one resolution's tally, each threshold with its exact fraction, and the verdict."""
    console.print(f"[bold]{resolution.id}[/bold] {resolution.title}")
    console.print(f"  表决事项 matter: {resolution.matter_label}（民法典 第278条）  决议日 date: {resolution.date}")
    if resolution.budget is not None:
        console.print(f"  预算 budget: ¥{resolution.budget:,.2f}   已支出 spent: ¥{spent:,.2f}")  # type: ignore[str-format]
    if resolution.valid_until:
        console.print(f"  有效期至 valid until: {resolution.valid_until}")
    tally, verdict = resolution.tally, resolution.verdict
    if tally is None or verdict is None:
        console.print("  [bold red]无法计票 (could not be tallied): run `commonfund check` for the reason[/bold red]")
        return
    source = f"表决票 ballot file {resolution.ballots}（{tally.ballot_count} 户）" if tally.source == "ballots" \
        else "录入的计票结果 typed tallies"
    console.print(f"  计票来源 source: {source}")
    word = "≥ 3/4（以上，含本数）" if verdict.approval_inclusive else "> 1/2（过半数，不含本数）"
    table = Table(title="表决结果 tally (民法典 第278条、第1259条; 司法解释 第8/9条)")
    for column in ("条件 condition", "实际 actual", "要求 required", "结果 result"):
        table.add_column(column)
    table.add_row("参与表决专有面积 turnout by area", _share(tally.voted_area, tally.total_area, True),
                  f"≥ {QUORUM}（以上，含本数）", _mark(verdict.quorum_area))
    table.add_row("参与表决人数 turnout by headcount", _share(tally.voted_heads, tally.total_heads, False),
                  f"≥ {QUORUM}（以上，含本数）", _mark(verdict.quorum_heads))
    table.add_row("同意专有面积 approval by area", _share(tally.agree_area, tally.voted_area, True), word,
                  _mark(verdict.approval_area))
    table.add_row("同意人数 approval by headcount", _share(tally.agree_heads, tally.voted_heads, False), word,
                  _mark(verdict.approval_heads))
    console.print(table)
    if tally.source == "ballots":
        console.print(f"  反对 against: {tally.against_area / 100:,.2f} ㎡, {tally.against_heads} 人;  "
                      f"弃权 abstain: {tally.abstain_area / 100:,.2f} ㎡, {tally.abstain_heads} 人")
    verdict_text = "[bold green]通过 PASSED[/bold green]" if verdict.passed else "[bold red]未通过 FAILED[/bold red]"
    console.print(f"  结论 verdict: {verdict_text}")


@click.command("votes")
@click.argument("ledger", type=click.Path(path_type=Path))
@click.argument("resolution_id", required=False)
def command(ledger: Path, resolution_id: str | None) -> None:
    """Show a resolution's vote tally, each statutory threshold with its exact fraction, and the verdict.

    Without RESOLUTION_ID, list every resolution with its verdict. Quorum: ≥ 2/3 of area AND headcount;
    approval: ≥ 3/4 for matters ⑥⑦⑧, more than half otherwise (民法典 第278条, 第1259条).
    """
    with user_errors():
        compound = load_compound(ledger)
        resolutions = resolutions_of(compound)
        spent = spent_by_resolution(compound)
    if resolution_id is None:
        table = Table(title="业主大会决议 resolutions")
        for column in ("id", "date", "matter", "title", "verdict"):
            table.add_column(column)
        for r in sorted(resolutions.values(), key=lambda r: (r.date, r.id)):
            verdict = "—" if r.verdict is None else ("通过 passed" if r.passes() else "未通过 failed")
            table.add_row(r.id, r.date.isoformat(), str(r.matter), r.title, verdict)
        console.print(table)
        return
    resolution = resolutions.get(resolution_id)
    if resolution is None:
        known = ", ".join(sorted(resolutions)) or "none"
        fail(f"{compound.root}: no resolution {resolution_id!r} (known: {known})")
    show(resolution, spent.get(resolution.id, 0))
