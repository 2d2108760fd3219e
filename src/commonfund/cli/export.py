"""``commonfund export``: the third-party auditor's workbook."""

from __future__ import annotations

from pathlib import Path

import click
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from commonfund.cli.common import console, err_console, shown_path, user_errors
from commonfund.compound.model import load_compound
from commonfund.compound.paths import outputs_folder
from commonfund.core.errors import InputError
from commonfund.core.program import command_line

STEPS = 10  # progress messages export_workbook sends


@click.command("export")
@click.argument("ledger", type=click.Path(path_type=Path))
@click.option("--year", type=int, required=True, help="The calendar year audited.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="The workbook to write (default: <slug>-<year>-审计资料.xlsx in <compound>-out/ beside the "
                   "compound folder, made if missing).")
def command(ledger: Path, year: int, output: Path | None) -> None:
    """Write the auditor's package (审计资料包) for one year: journal, trial balance, general ledger,
    household sub-ledgers, resolutions, contracts, findings, documents index and the 民非 statements,
    with the ledger fingerprint on the cover. Written atomically."""
    from commonfund.export import export_workbook

    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with user_errors(), Progress(*columns, console=err_console, transient=True) as progress:
        task = progress.add_task("载入账簿 loading", total=STEPS + 1)
        compound = load_compound(ledger)
        if compound.errors:
            raise InputError(ledger, f"the books have {len(compound.errors)} integrity error(s); "
                             f"run `{command_line('check', ledger)}` and fix them before exporting")
        if not any(t.date.year == year for t in compound.transactions):
            raise InputError(ledger, f"no transactions in {year}")
        target = output or outputs_folder(compound.root) / f"{compound.config.slug}-{year}-审计资料.xlsx"

        def step(message: str) -> None:
            progress.update(task, advance=1, description=message)

        step("载入完成 loaded")
        path = export_workbook(compound, year, target, progress=step)
    console.print(f"审计资料包 written: {shown_path(path)}")
