"""``commonfund fingerprint``: print the books' fingerprint, or check a document against it."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from commonfund.cli.common import user_errors
from commonfund.compound.fingerprint import fingerprint, source_files

EXIT_MISMATCH = 1


@click.command("fingerprint")
@click.argument("ledger", type=click.Path(path_type=Path), default=Path("."))
@click.option("--files", "show_files", is_flag=True, help="Also list the files covered, in hashing order.")
@click.option("--verify", "document", type=click.Path(path_type=Path),
              help="A disclosure (PDF, PNG long image or HTML page) or auditor workbook (xlsx): was it made from "
                   "the current books? "
                   "Exit 0 if yes, 1 if not, 2 if the document carries no readable fingerprint.")
def command(ledger: Path, show_files: bool, document: Path | None) -> None:
    """Print the SHA-256 fingerprint of a compound's books (every included ledger file, config, register,
    ballots). Disclosures and the auditor package print the same value; --verify checks one of them."""
    with user_errors():
        if document is not None:
            from commonfund.compound.verify import verify_document

            verdict = verify_document(document, ledger)
        else:
            digest = fingerprint(ledger)
        if show_files:
            root, files = source_files(ledger)
            for file in files:
                click.echo(f"  {file.relative_to(root) if file.is_relative_to(root) else file}", err=True)
    if document is None:
        click.echo(digest)
        return
    click.echo(f"文件指纹 (document, {verdict.where}): {verdict.carried}")
    click.echo(f"账簿指纹 (books now):        {verdict.current}")
    if verdict.matches:
        click.echo(f"一致：{document} 由当前账簿生成。 (matches the current books)")
        return
    click.echo(f"不一致：{document} 不是由当前账簿生成的，账簿在文件生成后已改动或文件已被改动。"
               " (does not match the current books)", err=True)
    sys.exit(EXIT_MISMATCH)
