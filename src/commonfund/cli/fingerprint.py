"""``commonfund fingerprint``."""

from __future__ import annotations

from pathlib import Path

import click

from commonfund.cli.common import user_errors
from commonfund.fingerprint import fingerprint, source_files


@click.command("fingerprint")
@click.argument("ledger", type=click.Path(path_type=Path))
@click.option("--files", "show_files", is_flag=True, help="Also list the files covered, in hashing order.")
def command(ledger: Path, show_files: bool) -> None:
    """Print the SHA-256 fingerprint of a compound's books (every included ledger file, config, register,
    ballots). Disclosures and the auditor package print the same value."""
    with user_errors():
        digest = fingerprint(ledger)
        if show_files:
            root, files = source_files(ledger)
            for file in files:
                click.echo(f"  {file.relative_to(root) if file.is_relative_to(root) else file}", err=True)
    click.echo(digest)
