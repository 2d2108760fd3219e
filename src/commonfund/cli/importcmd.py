"""``commonfund import``."""

from __future__ import annotations

from pathlib import Path

import click

from commonfund.cli.common import console, err_console, user_errors, write_verdict
from commonfund.core.errors import InputError
from commonfund.core.money import format_cny
from commonfund.core.program import command_line
from commonfund.importers.importing import ImportReport, OpeningNeeded, import_statements
from commonfund.importers.ledger import account_folder
from commonfund.importers.opening import OPENING_FILE


@click.command("import")
@click.argument("directory", type=click.Path(path_type=Path))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--profile", default=None, help="Statement profile to use (default: recognised from the file).")
@click.option("--account", default=None, help="Bank account (from compound.toml) the statements belong to.")
@click.option("--dry-run", is_flag=True, help="Print the new entries and write nothing.")
@click.option("--opening", is_flag=True,
              help="First import of an account: record the balance the statement opens with as its opening "
                   "balance (期初余额), the day before its first line.")
@click.option("--suggest/--no-suggest", default=None,
              help="Book a line no rule categorises to the account learned from the books' own lines, flagged ! "
                   "with its confidence, for you to confirm (建议分类). Default: on when the books hold at least 50 "
                   "categorised lines.")
def command(directory: Path, files: tuple[Path, ...], profile: str | None, account: str | None, dry_run: bool,
            opening: bool, suggest: bool | None) -> None:
    """Import bank/WeChat/Alipay statements (导入银行流水) into a compound's books.

    Each line becomes a transaction in imports/<account>/<YYYY-MM>.beancount with a stable import_id, so
    importing the same file (or an overlapping period) again adds nothing; known counterparties are
    categorised by the [[rules]] in compound.toml; for the rest, the account that similar lines were booked to
    is suggested (flagged !, with `suggested` and `confidence` metadata: confirm by changing ! to *), else they
    go to Uncategorized-待分类; the running balance
    becomes balance assertions. Nothing is written if any file or row cannot be read, or if the books would
    fail their checks. A bank account of compound.toml not yet opened in the books is opened in
    accounts.beancount. The first statement of an account whose books hold nothing before it is refused
    unless --opening records the balance it opens with (期初余额) in imports/<account>/opening.beancount.
    Exit 0 on success, 2 for unusable input.
    """
    with user_errors(), err_console.status("importing…") as status:
        try:
            report = import_statements(directory, files, profile=profile, account=account, dry_run=dry_run,
                                       progress=lambda message: status.update(message), opening=opening,
                                       suggest=suggest)
        except OpeningNeeded as exc:
            again = command_line("import", directory, *files, *(["--profile", profile] if profile else []),
                                 *(["--account", account] if account else []), *(["--dry-run"] if dry_run else []),
                                 *([] if suggest is None else ["--suggest" if suggest else "--no-suggest"]),
                                 "--opening")
            raise InputError(exc.where, f"{exc.message} — with --opening: {again}") from None
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
            + (f"{item.suggested} suggested, " if report.suggesting else "") +
            f"{item.balances_new} balances asserted ({item.balances_known} already present)"
            + (f", {item.paired} reversals/refunds paired" if item.paired else "")
            + (f", {item.linked} linked to migrated cash-book entries" if item.linked else "")
            + (f", not imported: {skipped}" if skipped else ""), err=True)
        for opened in item.opened:
            click.echo(f"  {'would open' if report.dry_run else 'opened'} {opened} in accounts.beancount", err=True)
        if item.opening is not None:
            units = item.opening.postings[0].units
            amount = units.number if units is not None else None
            done = "would be recorded" if report.dry_run else "recorded"
            click.echo(f"  opening balance (期初余额) {format_cny(amount or 0)} on {item.opening.date} {done} in "
                       f"imports/{account_folder(item.account)}/{OPENING_FILE}", err=True)
        for note in item.notes:
            click.echo(f"  {item.path.name}: {note}", err=True)
    new = sum(f.new for f in report.files)
    duplicates = sum(f.duplicates for f in report.files)
    uncategorised = sum(f.uncategorised for f in report.files)
    suggested = sum(f.suggested for f in report.files)
    balances = sum(f.balances_new for f in report.files)
    verdict = write_verdict(report.dry_run, report.written)
    linked = sum(f.linked for f in report.files)
    learned = f"{suggested} suggested (建议分类, flagged ! to confirm), " if report.suggesting else ""
    click.echo(f"total: {new} new, {duplicates} duplicates skipped, {uncategorised} uncategorised (待分类), "
               f"{learned}{balances} balances checked"
               + (f", {linked} linked to the migrated cash book" if linked else "")
               + f" — {verdict}", err=True)
