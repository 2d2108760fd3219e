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
@click.option("--authority-list", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the 维修资金管理中心's per-household list (.xlsx or .csv) with planted differences, "
                   "for `commonfund reconcile`.")
@click.option("--history-excel", is_flag=True,
              help="Generate an existing committee instead (旧账): books with the maintenance fund's repairs and a "
                   "dividend, and under history/ its Excel cash book of the past --years, the bank statements "
                   "overlapping its last months and the 维修资金管理中心's 分户清单.xlsx.")
@click.option("--name-variants", is_flag=True,
              help="Money received from the regular payers shows noisy names and summaries (锦华物业 / "
                   "上海锦华物业管理有限公司第二分公司, 临停收入 / 7月停车收益), as real statements do.")
def command(directory: Path, households: int, years: int, seed: int, plant: bool, name: str,
            statements_months: int, authority_list: Path | None, history_excel: bool, name_variants: bool) -> None:
    """Generate a realistic compound deterministically (same seed, same bytes)."""
    if history_excel:
        from commonfund.synth.history import write_history

        if plant or statements_months:
            raise click.UsageError("--history-excel generates an existing committee of its own; it takes no --plant "
                                   "or --statements-months")

        with user_errors():
            folder = write_history(directory, years, seed, households, name,
                                   progress=lambda m: click.echo(m, err=True))
        click.echo(f"wrote {folder} (the cash book, statements, 分户清单 and history.json under history/)")
        return
    with user_errors():
        folder = synth_compound(directory, households, years, seed, plant=plant, name=name,
                                progress=lambda m: click.echo(m, err=True), statements_months=statements_months,
                                variants=name_variants)
        click.echo(f"wrote {folder}")
        if authority_list is not None:
            from commonfund.synth.authority import write_authority_list

            planted = write_authority_list(folder, authority_list, seed=seed)
            click.echo(f"wrote {authority_list} (planted: {'; '.join(p['unit'] + ' ' + p['cause'] for p in planted)})")
