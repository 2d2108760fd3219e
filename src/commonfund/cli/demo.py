"""``commonfund demo``."""

from __future__ import annotations

from pathlib import Path

import click

from commonfund.cli.common import user_errors
from commonfund.demo.context import DEFAULT_OUT


@click.command("demo")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="Where to build the demo compound (git-ignored).")
@click.option("--serve/--no-serve", default=True, show_default=True, help="Serve Fava read-only at the end.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def command(out: Path, serve: bool, host: str, port: int) -> None:
    """Build the demo compound (锦绣花园, 3,237 households, 2 years) and run every step on it."""
    from commonfund.demo.runner import run_demo  # the steps import every feature: only when run

    with user_errors():
        ctx = run_demo(out, say=lambda m: click.echo(m, err=True), serve=serve, host=host, port=port)
    for key, value in ctx.results.items():
        click.echo(f"{key}: {value}")
