"""``commonfund votes``."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from commonfund.books.spending import spent_by_resolution
from commonfund.cli.common import console, fail, user_errors
from commonfund.compound.model import load_compound
from commonfund.core.program import command_line
from commonfund.resolutions.model import Resolution, area_text, conditions_of
from commonfund.resolutions.parse import resolutions_of
from commonfund.resolutions.report import AREA_SOURCES_ZH, area_sources, notes, tally_document

EXIT_PASSED, EXIT_FAILED = 0, 1


def _mark(ok: bool) -> str:
    return "[green]✓ 达到[/green]" if ok else "[bold red]✗ 未达到[/bold red]"


def show(resolution: Resolution, spent: Decimal, sources: dict[str, int], ledger: Path) -> None:
    """Print one resolution's tally, each threshold with its exact fraction, how it was counted, the verdict."""
    console.print(f"[bold]{resolution.id}[/bold] {escape(resolution.title)}")
    console.print(f"  表决事项：{resolution.matter_label}（民法典 第278条）  决议日：{resolution.date}")
    if resolution.budget is not None:
        console.print(f"  预算：¥{resolution.budget:,.2f}   已支出：¥{spent:,.2f}")
    if resolution.valid_until:
        console.print(f"  有效期至：{resolution.valid_until}")
    tally, verdict = resolution.tally, resolution.verdict
    if tally is None or verdict is None:
        console.print(f"  [bold red]无法计票：运行 {escape(command_line('check', ledger))} 查看原因[/bold red]")
        return
    source = f"表决票文件 {resolution.ballots}（计入 {tally.ballot_count} 张）" if tally.source == "ballots" \
        else "录入的计票结果"
    console.print(f"  计票来源：{escape(source)}")
    counted = "，".join(f"{AREA_SOURCES_ZH[k]} {n} 户" for k, n in sources.items() if n)
    console.print(f"  专有面积来源（司法解释 第8条：登记 → 测绘 → 合同）：{counted}")
    console.print("  表决结果（民法典 第278条、第1259条；司法解释 第8条、第9条）：")
    for condition in conditions_of(tally, verdict):
        console.print(f"    {_mark(condition.met)}  {condition.label}：{condition.shown}；要求 {condition.rule_zh}")
    if tally.source == "ballots":
        console.print(
            f"  同意 {area_text(tally.agree_area)}，{tally.agree_heads} 人；反对 {area_text(tally.against_area)}，"
            f"{tally.against_heads} 人；弃权 {area_text(tally.abstain_area)}，{tally.abstain_heads} 人；"
            f"废票/空白票 {area_text(tally.spoiled_area)}，{tally.spoiled_heads} 人")
    for note in notes(resolution):
        console.print(f"  · {escape(note)}")
    text = "[bold green]通过[/bold green]" if verdict.passed else "[bold red]未通过[/bold red]"
    why = "；".join(zh for zh, _ in verdict.reasons)
    console.print(f"  结论：{text}" + (f"（{why}）" if why else ""))


@click.command("votes")
@click.argument("ledger", type=click.Path(path_type=Path))
@click.argument("resolution_id", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: every threshold with its exact fraction (numerator/denominator), the verdict and the "
                   "rule version (schema: commonfund/data/votes.schema.json).")
def command(ledger: Path, resolution_id: str | None, fmt: str) -> None:
    """Show a resolution's vote tally, each statutory threshold with its exact fraction, and the verdict.

    Quorum: ≥ 2/3 of area AND headcount take part; approval: ≥ 3/4 for matters ⑥⑦⑧, more than half
    otherwise, of those taking part (民法典 第278条, 第1259条). Abstentions and spoiled ballots take part
    and do not agree. Without RESOLUTION_ID, list every resolution with its verdict.

    Exit code: 0 when the resolution passed (every listed one, without RESOLUTION_ID), 1 when it failed or
    could not be tallied, 2 for unusable input.
    """
    with user_errors():
        compound = load_compound(ledger)
        resolutions = resolutions_of(compound)
        spent = spent_by_resolution(compound)
        sources = area_sources(compound.register)
    ordered = sorted(resolutions.values(), key=lambda r: (r.date, r.id))
    if resolution_id is not None:
        resolution = resolutions.get(resolution_id)
        if resolution is None:
            known = ", ".join(sorted(resolutions)) or "none"
            fail(f"{compound.root}: no resolution {resolution_id!r} (known: {known})")
        ordered = [resolution]
    if fmt == "json":
        documents = [tally_document(r, spent.get(r.id, Decimal("0.00")), sources) for r in ordered]
        click.echo(json.dumps(documents[0] if resolution_id else documents, ensure_ascii=False, indent=2))
    elif resolution_id is not None:
        show(ordered[0], spent.get(ordered[0].id, Decimal("0.00")), sources, ledger)
    else:
        table = Table(title="业主大会决议")
        for column in ("编号", "日期", "事项", "标题", "结论"):
            table.add_column(column)
        for r in ordered:
            verdict = "无法计票" if r.verdict is None else ("通过" if r.passes() else "未通过")
            table.add_row(r.id, r.date.isoformat(), r.matter_label, escape(r.title), verdict)
        console.print(table)
    raise SystemExit(EXIT_PASSED if all(r.passes() for r in ordered) else EXIT_FAILED)
