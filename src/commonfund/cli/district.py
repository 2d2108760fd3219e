"""``commonfund district``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from commonfund.cli.common import console, err_console, fail, user_errors


@click.command("district")
@click.argument("root", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--scheduler", metavar="ADDRESS", help="An existing Dask scheduler (tcp://host:8786); default: a "
              "LocalCluster on this machine.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 256),
              help="Worker processes of the LocalCluster (ignored with --scheduler).")
@click.option("--year", type=click.IntRange(1990, 2100), help="Year to summarise (default: each compound's last).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the workbook here.")
@click.option("--recompute", is_flag=True, help="Recompute every compound, ignoring (and refreshing) the cached "
              "summaries of unchanged books.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: each compound's figures as JSON on stdout (amounts as \"1234.56\" strings).")
def command(root: Path, scheduler: str | None, workers: int, year: int | None, output: Path | None,
            recompute: bool, fmt: str = "text") -> None:
    """Roll up every compound under ROOT (街道汇总): fund balances, income by source, spending, findings,
    disclosures on time and households below 30%, each compound an independent task on Dask distributed.

    Each compound's summary is cached by its books' fingerprint in the user's cache folder: a re-run
    recomputes only the compounds whose files changed (the cache is safe to delete). The workbook adds the
    trends of every year and a ranking (红黑榜) by stated criteria, with charts.

    A compound that cannot be summarised is listed with its error; the others are not affected. Exit 0 when
    every compound is clean, 1 when some failed or have ledger errors, 2 when ROOT holds no compound.
    """
    from rich.progress import Progress

    from commonfund.district.report import terminal_table, write_workbook
    from commonfund.district.rollup import incremental_rollup
    from commonfund.district.summary import find_compounds

    paths = find_compounds(root)
    if not paths:
        fail(f"{root}: no compound here (a compound folder holds compound.toml and main.beancount)")
    with Progress(console=err_console, transient=True) as progress:
        task = progress.add_task(f"指纹与缓存 {len(paths)} 个小区 (fingerprints)", total=len(paths))

        def computing(count: int) -> None:
            where = "Dask" if count > 1 or scheduler else "本进程"
            progress.update(task, description=f"重新计算 {count} 个小区 ({where})")

        run = incremental_rollup(paths, year, scheduler=scheduler, workers=workers, use_cache=not recompute,
                                 on_done=lambda _: progress.advance(task), on_cluster=computing)
    summaries = run.summaries
    if fmt == "json":
        click.echo(json.dumps([_json(s) for s in summaries], ensure_ascii=False, indent=2))
    else:
        console.print(terminal_table(summaries))
    failed = [s for s in summaries if not s.ok]
    for summary in failed:
        click.echo(f"{summary.path}: {summary.error or summary.first_error}", err=True)
    if output is not None:
        with user_errors():
            write_workbook(summaries, output)
        click.echo(f"wrote {output}", err=True)
    click.echo(run.line, err=True)
    click.echo(f"{len(summaries)} compounds, {len(failed)} with problems", err=True)
    if failed:
        raise SystemExit(1)


def _json(summary: Any) -> dict[str, Any]:
    """A compound's summary as plain JSON: Decimal → ``"1234.56"``, (fund, leaf) keys → ``"fund:leaf"``."""
    from commonfund.disclosure.base import jsonable

    out: dict[str, Any] = jsonable(summary)
    for key in ("income", "spending"):
        out[key] = {f"{fund}:{leaf}": f"{value:.2f}" for (fund, leaf), value in getattr(summary, key).items()}
    return out
