"""``commonfund synth``."""

from __future__ import annotations

from pathlib import Path

import click

from commonfund.cli.common import user_errors
from commonfund.synth.generator import synth_compound


@click.command("synth")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--households", default=300, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--years", default=2, show_default=True, type=click.IntRange(1, 30))
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--plant/--no-plant", default=False, show_default=True,
              help="Plant conduct problems for the audit to find (listed in synth.json).")
@click.option("--name", default="锦绣花园", show_default=True, help="Compound name.")
@click.option("--statements-months", default=0, show_default=True, type=click.IntRange(0, 24),
              help="Write the bank lines of the last N months as statement files (statements/) instead of "
                   "booking them, for `commonfund import`.")
@click.option("--name-variants", is_flag=True,
              help="Money received from the regular payers shows noisy names and summaries (锦华物业 / "
                   "上海锦华物业管理有限公司第二分公司, 临停收入 / 7月停车收益), as real statements do.")
def command(directory: Path, households: int, years: int, seed: int, plant: bool, name: str,
            statements_months: int, name_variants: bool) -> None:
    """Generate a realistic compound deterministically (same seed, same bytes)."""
    with user_errors():
        folder = synth_compound(directory, households, years, seed, plant=plant, name=name,
                                progress=lambda m: click.echo(m, err=True), statements_months=statements_months,
                                variants=name_variants)
    click.echo(f"wrote {folder}")
