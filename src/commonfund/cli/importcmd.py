"""``commonfund import``."""

from __future__ import annotations

from pathlib import Path

import click

from commonfund.cli.common import console, err_console, user_errors
from commonfund.importers.importing import ImportReport, import_statements


@click.command("import")
@click.argument("directory", type=click.Path(path_type=Path))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--profile", default=None, help="Statement profile to use (default: recognised from the file).")
@click.option("--account", default=None, help="Bank account (from compound.toml) the statements belong to.")
@click.option("--dry-run", is_flag=True, help="Print the new entries and write nothing.")
def command(directory: Path, files: tuple[Path, ...], profile: str | None, account: str | None, dry_run: bool) -> None:
    """Import bank/WeChat/Alipay statements (导入银行流水) into a compound's books.

    Each line becomes a transaction in imports/<account>/<YYYY-MM>.beancount with a stable import_id, so
    importing the same file (or an overlapping period) again adds nothing; known counterparties are
    categorised by the [[rules]] in compound.toml, the rest go to Uncategorized-待分类; the running balance
    becomes balance assertions. Nothing is written if any file or row cannot be read, or if the books would
    fail their checks. Exit 0 on success, 2 for unusable input.
    """
    with user_errors(), err_console.status("importing…") as status:
        report = import_statements(directory, files, profile=profile, account=account, dry_run=dry_run,
                                   progress=lambda message: status.update(message))
    if dry_run and report.entries:
        console.print(report.text(), markup=False)
        console.print()
    summarise(report)


def summarise(report: ImportReport) -> None:
    """One line per file and a total: new, duplicates skipped, uncategorised, balances checked."""
    for item in report.files:
        skipped = ", ".join(f"{count} {why}" for why, count in sorted(item.skipped.items()))
        click.echo(
            f"{item.path.name}: {item.profile} → {item.account}: {item.lines} lines, {item.new} new, "
            f"{item.duplicates} duplicates skipped, {item.uncategorised} uncategorised, "
            f"{item.balances_new} balances asserted ({item.balances_known} already present)"
            + (f", {item.paired} reversals/refunds paired" if item.paired else "")
            + (f", not imported: {skipped}" if skipped else ""), err=True)
        for note in item.notes:
            click.echo(f"  {item.path.name}: {note}", err=True)
    new = sum(f.new for f in report.files)
    duplicates = sum(f.duplicates for f in report.files)
    uncategorised = sum(f.uncategorised for f in report.files)
    balances = sum(f.balances_new for f in report.files)
    if report.dry_run:
        verdict = "dry run: nothing written"
    elif report.written:
        verdict = f"wrote {len(report.written)} file(s)"
    else:
        verdict = "nothing new: books unchanged"
    click.echo(f"total: {new} new, {duplicates} duplicates skipped, {uncategorised} uncategorised (待分类), "
               f"{balances} balances checked — {verdict}", err=True)
