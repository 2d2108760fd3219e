"""``commonfund init``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from commonfund.cli.common import user_errors
from commonfund.compound.scaffold import init_compound
from commonfund.core.program import command_line


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", required=True, help="Compound name in Chinese, e.g. 锦绣花园.")
@click.option("--households", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Household register, CSV or XLSX (unit, building, entrance, area, owner…).")
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), help="First day of the books (default: 1 January).")
def command(directory: Path, name: str, households: Path, start: object) -> None:
    """Create the books of a compound from its household register (建账).

    Writes compound.toml, the register, main.beancount, the chart of accounts by fund, an opening entry
    with the first deposits, and documents/. Refuses to overwrite an existing compound.
    """
    with user_errors():
        opened = start.date() if start is not None else None  # type: ignore[attr-defined]
        folder = init_compound(directory, name, households, start=opened if isinstance(opened, date) else None)
    click.echo(f"created {folder} — edit {folder / 'compound.toml'}, then run: {command_line('check', folder)}")
