"""``commonfund check``."""

from __future__ import annotations

from pathlib import Path

import click

from commonfund.cli.common import EXIT_LEDGER, user_errors
from commonfund.compound.model import load_compound
from commonfund.core.errors import format_error
from commonfund.io.gcfreeze import long_lived_heap_frozen


@click.command("check")
@click.argument("ledger", type=click.Path(path_type=Path))
def command(ledger: Path) -> None:
    """Load a compound's ledger with all integrity rules and print its errors as file:line: message.

    LEDGER is the compound folder or its main.beancount. Exit 0 clean, 1 ledger errors, 2 bad input.
    """
    with user_errors(), long_lived_heap_frozen():
        compound = load_compound(ledger)
    for error in compound.errors:
        click.echo(format_error(error))
    count = len(compound.errors)
    transactions = len(compound.transactions)
    if count:
        click.echo(f"{count} error{'s' if count > 1 else ''} in {compound.main}", err=True)
        raise SystemExit(EXIT_LEDGER)
    click.echo(f"ok: {compound.main} — {transactions} transactions, {len(compound.register)} households, no errors",
               err=True)
