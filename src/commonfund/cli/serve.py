"""``commonfund serve``."""

from __future__ import annotations

from pathlib import Path

import click

from commonfund.cli.common import user_errors
from commonfund.web.serve import serve


@click.command("serve")
@click.argument("ledger", type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 to share on the LAN).")
@click.option("--port", default=5000, show_default=True, type=int, help="Port (0 picks a free one).")
@click.option("--edit", is_flag=True,
              help="Allow writes (Fava's editor and import page): only for the treasurer's own machine.")
def command(ledger: Path, host: str, port: int, edit: bool) -> None:
    """Browse a compound's books in Fava with commonfund's pages (审计发现, 决议, 分户账, 公示).

    LEDGER is the compound folder or its main.beancount. Read-only unless --edit: every write is refused.
    Prints the URL; Ctrl-C stops.
    """
    with user_errors():
        serve(ledger, host=host, port=port, edit=edit, say=lambda m: click.echo(m, err=False))
