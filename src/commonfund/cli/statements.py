"""``commonfund statements``: the 民间非营利组织会计制度 statements for one year."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.table import Table

from commonfund.cli.common import console, user_errors
from commonfund.compound.model import load_compound
from commonfund.core.money import from_fen


@click.command("statements")
@click.argument("ledger", type=click.Path(path_type=Path))
@click.option("--year", type=int, required=True, help="The calendar year.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "xlsx"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="File for --format xlsx.")
def command(ledger: Path, year: int, fmt: str, output: Path | None) -> None:
    """Print (or write) the 资产负债表, 业务活动表 (unrestricted / restricted / total) and 现金流量表, from
    the mapping in data/nonprofit.toml. The maintenance fund is restricted net assets."""
    from commonfund.export import export_statements
    from commonfund.export.statements import statements

    with user_errors():
        compound = load_compound(ledger)
        if fmt == "xlsx":
            target = output or Path(f"{compound.config.slug}-{year}-报表.xlsx")
            console.print(f"written: {export_statements(compound, year, target)}")
            return
        reports = statements(compound, year)
    if fmt == "json":
        click.echo(json.dumps([{
            "title": r.title, "form": r.form, "columns": list(r.columns),
            "rows": [{"label": label, "values": None if values is None else [f"{from_fen(v)}" for v in values]}
                     for label, values, _ in r.rows]} for r in reports], ensure_ascii=False, indent=2))
        return
    for report in reports:
        table = Table(title=f"{report.title}（{report.form}） {year}", title_justify="left")
        table.add_column("项目")
        for column in report.columns:
            table.add_column(column, justify="right")
        for label, values, level in report.rows:
            cells = [f"{from_fen(v):,.2f}" for v in values] if values is not None else [""] * len(report.columns)
            table.add_row(f"[bold]{label}[/bold]" if level == 0 else f"  {label}", *cells)
        console.print(table)
