"""``commonfund reconcile``."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.markup import escape
from rich.table import Table

from commonfund.cli.common import EXIT_LEDGER, console, user_errors

if TYPE_CHECKING:
    from commonfund.books.authority import Reconciliation


@click.command("reconcile")
@click.argument("ledger", type=click.Path(path_type=Path))
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--date", "as_of", type=click.DateTime(["%Y-%m-%d"]),
              help="The list's date, when the list does not say it (截至…).")
@click.option("--all", "show_all", is_flag=True, help="List every household, not only those that differ.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def command(ledger: Path, file: Path, as_of: datetime | None, show_all: bool, fmt: str) -> None:
    """分户账核对: compare the 维修资金管理中心's per-household list (xlsx/xls/csv) with the books.

    Matches the list's units to the register across spellings (3栋2单元1502室, 03-02-1502, full addresses),
    compares each household's 交存, 使用分摊, 利息/增值收益, 余额 and 建筑面积 with its sub-ledger at the list's
    date, and gives each difference a likely cause. The books are not changed; a copy of the list is kept in
    LEDGER/authority/ for the auditor's workbook, the Fava tab 分户账核对 and the audit. Exit 1 when the list
    and the books differ. Owner names on the list are never shown.
    """
    from commonfund.books.authority import reconcile
    from commonfund.books.authority_list import read_authority_list
    from commonfund.compound.authority import store_list
    from commonfund.compound.model import load_compound
    from commonfund.io.tables import read_source

    with user_errors():
        compound = load_compound(ledger)
        data = read_source(file)
        listing = read_authority_list(file, data, as_of.date() if as_of else None)
        result = reconcile(compound, listing)
        store_list(compound.root, data, file.name, listing.as_of)
    if fmt == "json":
        click.echo(json.dumps(as_json(result), ensure_ascii=False, indent=2))
    else:
        _print(result, show_all)
    if not result.clean:
        raise SystemExit(EXIT_LEDGER)


def as_json(result: Reconciliation) -> dict[str, object]:
    """The reconciliation as JSON-ready data (amounts as yuan strings, causes by kind)."""
    from commonfund.core.money import from_fen

    def yuan(fen: int | None) -> str | None:
        return None if fen is None else f"{from_fen(fen):.2f}"

    return {
        "list": result.name, "date": result.as_of.isoformat(), "summary": result.summary(),
        "households": len(result.households), "agree": result.agreeing, "differ": len(result.differing),
        "differences": [{
            "unit": h.unit, "row": h.row, "written": h.written,
            "area_books": yuan(h.area_books), "area_list": yuan(h.area_list),
            "books": {k: yuan(v) for k, v in h.books._asdict().items()},
            "list": {k: yuan(v) for k, v in h.authority._asdict().items()},
            "difference": {k: yuan(v) for k, v in h.differences._asdict().items()},
            "causes": [{"kind": c.kind, "title": c.title, "text": c.text} for c in h.causes],
        } for h in result.differing],
        "only_books": [s.unit for s in result.only_books],
        "only_list": [{"row": s.row, "written": s.unit} for s in result.only_list],
        "ambiguous": [{"row": s.row, "written": s.unit, "candidates": list(s.candidates)} for s in result.ambiguous],
        "skipped": [{"row": row, "why": why} for row, why in result.skipped],
    }


def _print(result: Reconciliation, show_all: bool) -> None:
    from commonfund.books.authority import FIGURE_ZH
    from commonfund.core.money import from_fen

    def yuan(fen: int | None) -> str:
        return "" if fen is None else f"{from_fen(fen):,.2f}"

    table = Table(title=f"分户账核对：{escape(result.name)}（截至 {result.as_of}；差额 = 清单 − 账簿）")
    table.add_column("房号", no_wrap=True)
    table.add_column("行", justify="right", no_wrap=True)
    table.add_column("清单写法", overflow="fold")
    for figure in ("deposits", "uses", "income", "balance"):
        table.add_column(FIGURE_ZH[figure], justify="right", no_wrap=True)
    table.add_column("可能原因", overflow="fold")
    rows = result.households if show_all else result.differing
    for h in rows:
        causes = "；".join(c.title for c in h.causes) or "一致"
        table.add_row(h.unit, str(h.row), escape(h.written), *(yuan(d) for d in h.differences), causes)
    if rows:
        console.print(table)
    for h in result.differing:
        for c in h.causes:
            console.print(f"{h.unit}（第{h.row}行）{c.title}：{escape(c.text)}")
    for side, title in ((result.only_books, "仅账簿有（清单中没有）"), (result.only_list, "仅清单有（名册中没有）")):
        if side:
            shown = "、".join(s.unit + (f"（第{s.row}行）" if s.row else "") for s in side[:40])
            more = f" 等 {len(side)} 个" if len(side) > 40 else ""
            console.print(f"{title}：{escape(shown)}{more}")
    for s in result.ambiguous:
        console.print(f"第{s.row}行 {escape(s.unit)}：{escape(s.why)}")
    skipped = [f"第{row}行{why}" for row, why in result.skipped]
    if skipped:
        console.print("已跳过：" + "，".join(skipped), style="dim")
    if result.hint():
        console.print(result.hint())
    console.print(result.summary(), style="bold" if result.clean else "bold red")
