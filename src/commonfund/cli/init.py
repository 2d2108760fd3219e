"""``commonfund init``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from commonfund.cli.common import user_errors
from commonfund.compound.scaffold import default_start, init_compound
from commonfund.core.program import command_line


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", required=True, help="Compound name in Chinese, e.g. 锦绣花园.")
@click.option("--households", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Household register, CSV or XLSX (unit, building, entrance, area, owner…).")
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]),
              help="First day of the books (建账日), on or before the first line of the oldest statement you will "
                   "import (default: 1 January of this year).")
def command(directory: Path, name: str, households: Path, start: object) -> None:
    """Create the books of a compound from its household register (建账).

    Writes compound.toml, the register, main.beancount, the chart of accounts by fund, an opening entry
    with the first deposits, and documents/. Refuses to overwrite an existing compound.
    """
    with user_errors():
        opened = start.date() if start is not None else None  # type: ignore[attr-defined]
        folder = init_compound(directory, name, households, start=opened if isinstance(opened, date) else None)
    first_day = opened if isinstance(opened, date) else default_start()
    click.echo(f"created {folder}: the books start on {first_day} (建账日)"
               + ("" if start is not None else
                  " — the default, 1 January of this year; statement lines dated earlier cannot be imported "
                  "into them. To keep older history, delete the folder and create it again with "
                  "--start YYYY-MM-DD"))
    click.echo(f"next: edit {folder / 'compound.toml'} (bank accounts, committee), then run: "
               f"{command_line('check', folder)}")
