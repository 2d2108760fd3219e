"""``commonfund payout``."""

from __future__ import annotations

from pathlib import Path

import click

from commonfund.books.payout import payout_list, write_payout
from commonfund.cli.common import user_errors
from commonfund.compound.model import load_compound
from commonfund.core.money import format_cny


@click.command("payout")
@click.argument("ledger", type=click.Path(path_type=Path))
@click.argument("target")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The payout list to write: FILE.xlsx or FILE.csv (written atomically).")
def command(ledger: Path, target: str, output: Path) -> None:
    """Write the per-household payout list of a dividend or property-fee subsidy (民法典 第282/283条).

    TARGET is the resolution id the distribution cites, the entry's ^link, or its file:line. Amounts follow
    the entry's apportion key (area share by default), rounded by largest remainder to sum exactly. The list
    names owners for the bank: do not post it publicly.
    """
    with user_errors():
        compound = load_compound(ledger)
        payout = payout_list(compound, target)
        write_payout(payout, output)
    click.echo(f"wrote {output}: {int((payout.amounts != 0).sum())} households, total "
               f"{format_cny(payout.total, fen=True)} from {len(payout.entries)} entr"
               f"{'y' if len(payout.entries) == 1 else 'ies'}")
