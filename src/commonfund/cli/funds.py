"""``commonfund funds`` and ``commonfund contracts``: per-fund and per-contract figures of a period."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from commonfund.cli.common import console, user_errors
from commonfund.compound.model import load_compound

PERIOD_HELP = "2025Q3, 2025, 2025-07 or 2025H1 (default: the year of the books' last transaction)."


def _period(compound: Any, period: str | None) -> Any:
    from commonfund.disclosure.base import books_end
    from commonfund.disclosure.periods import parse_period

    if period:
        return parse_period(period)
    end = books_end(compound)
    return parse_period(str(end.year if end else 2000))


@click.command("funds")
@click.argument("ledger", type=click.Path(path_type=Path))
@click.option("--period", default=None, help=PERIOD_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def command(ledger: Path, period: str | None, fmt: str) -> None:
    """Each fund's opening balance, income by source, spending by purpose, transfers between funds and
    closing balance for a period (各项资金收支): the figures the disclosures, the Fava pages and the district
    roll-up show."""
    from commonfund.books.fund_figures import all_fund_figures
    from commonfund.disclosure.base import jsonable

    with user_errors():
        compound = load_compound(ledger)
        chosen = _period(compound, period)
        figures = all_fund_figures(compound, chosen.start, chosen.last_day)
    if fmt == "json":
        click.echo(json.dumps({"period": chosen.label, "funds": jsonable(figures)}, ensure_ascii=False, indent=2))
        return
    for f in figures.values():
        table = Table(title=f"{f.fund_zh} {chosen.label_zh}（{f.start} 至 {f.end}）", title_justify="left")
        table.add_column("项目")
        table.add_column("金额（元）", justify="right")
        table.add_row("期初余额", f"{f.opening:,.2f}")
        if f.carried_in:
            table.add_row("期初结转", f"{f.carried_in:,.2f}")
        for head, lines, total in (("收入", f.income, f.income_total), ("支出", f.spending, f.spending_total),
                                   ("转入", f.transfers_in, f.transfers_in_total),
                                   ("转出", f.transfers_out, f.transfers_out_total)):
            table.add_row(f"[bold]{head}合计[/bold]", f"{total:,.2f}")
            for line in lines:
                table.add_row(f"  {line.label}", f"{line.amount:,.2f}")
        table.add_row("[bold]期末余额[/bold]", f"[bold]{f.closing:,.2f}[/bold]")
        console.print(table)


@click.command("contracts")
@click.argument("ledger", type=click.Path(path_type=Path))
@click.option("--period", default=None, help=PERIOD_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def contracts_command(ledger: Path, period: str | None, fmt: str) -> None:
    """Common-revenue contracts (共有部分经营合同): what the periods ending in the period owe, what was
    received for them, and the shortfall."""
    from commonfund.books.contracts import contract_figures
    from commonfund.core.labels import CONTRACT_PERIOD_ZH

    with user_errors():
        compound = load_compound(ledger)
        chosen = _period(compound, period)
        rows = contract_figures(compound, chosen.start, chosen.last_day)
    if fmt == "json":
        click.echo(json.dumps({"period": chosen.label, "contracts": [
            {"id": r.contract.id, "counterparty": r.contract.counterparty, "source": r.contract.source,
             "account": r.contract.account, "period": r.contract.period, "amount": f"{r.contract.amount:.2f}",
             "periods": r.periods, "due": f"{r.due:.2f}", "received": f"{r.received:.2f}",
             "short": f"{r.short:.2f}"} for r in rows]}, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"共有部分经营合同 {chosen.label_zh}", title_justify="left")
    for column in ("合同编号", "对方", "经营项目", "周期", "每期金额", "期数", "应收", "实收", "少收"):
        table.add_column(column, justify="right" if column in ("每期金额", "期数", "应收", "实收", "少收") else "left")
    for r in rows:
        c = r.contract
        table.add_row(c.id, c.counterparty, c.source, CONTRACT_PERIOD_ZH.get(c.period, c.period), f"{c.amount:,.2f}",
                      str(r.periods), f"{r.due:,.2f}", f"{r.received:,.2f}", f"{r.short:,.2f}")
    console.print(table)
