"""``commonfund migrate``."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from commonfund.cli.common import console, err_console, user_errors, write_verdict
from commonfund.core.funds import FUNDS

_SKIPPED = {"blank": "blank", "subtotal": "subtotal", "note": "text only", "brought forward": "brought forward",
            "carried": "carried from the page before"}


@click.command("migrate")
@click.argument("directory", type=click.Path(path_type=Path))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--fund", type=click.Choice(list(FUNDS)), default=None,
              help="The fund the cash book belongs to (its single bank account in compound.toml).")
@click.option("--account", default=None,
              help="The account the cash book keeps: a bank account of compound.toml, or an Assets account of a "
                   "fund opened in the books (e.g. Assets:Committee:Cash-现金).")
@click.option("--layout", default=None, help="Cash-book layout to use (default: recognised from the header).")
@click.option("--dry-run", is_flag=True, help="Print the entries and write nothing.")
def command(directory: Path, files: tuple[Path, ...], fund: str | None, account: str | None, layout: str | None,
            dry_run: bool) -> None:
    """Migrate the committee's existing cash book (旧账迁入：现金日记账 / 银行存款日记账 / 收支明细账).

    Reads xlsx, xls or csv (one sheet per year or per fund is fine); columns are recognised by their header
    names (importers/cashbooks/). Subtotal, brought-forward and blank rows are skipped and counted; the
    running balance must add up; a balance brought forward must be what the books hold. Each row's 类别 is
    booked by [migrate.categories] and [[rules]] of compound.toml, the rest to 待分类. Writes
    imports/<account>/migrated.beancount, all or nothing; running it again adds nothing. A later
    `commonfund import` links the statement lines that are the same money instead of booking them twice.
    Exit 0 on success, 2 for unusable input.
    """
    from commonfund.importers.migrating import migrate_cashbooks

    with user_errors(), err_console.status("migrating…") as status:
        report = migrate_cashbooks(directory, files, fund=fund, account=account, layout=layout, dry_run=dry_run,
                                   progress=lambda message: status.update(message))
    if dry_run and report.entries:
        console.print(report.text(), markup=False)
        console.print()
    for item in report.sheets:
        skipped = ", ".join(f"{count} {_SKIPPED.get(kind, kind)}" for kind, count in sorted(item.skipped.items()))
        sheet = f" [{item.sheet}]" if item.sheet else ""
        click.echo(f"{item.path.name}{sheet}: {item.layout} → {item.account}: {item.rows} rows, {item.new} new, "
                   f"{item.duplicates} already migrated, {item.uncategorised} uncategorised (待分类)"
                   + (f"; skipped: {skipped}" if skipped else ""), err=True)
    unmapped = sum((s.unmapped for s in report.sheets), Counter[str]())
    if unmapped:
        listed = "、".join(f"{name} ×{count}" for name, count in unmapped.most_common(10))
        click.echo(f"  left on 待分类: {listed} — map them in [migrate.categories] of compound.toml (try with "
                   "--dry-run first), or recategorise them in the books", err=True)
    for path, sheet in report.passed_over:
        click.echo(f"{path.name} [{sheet}]: no cash-book header, passed over", err=True)
    new = sum(s.new for s in report.sheets)
    duplicates = sum(s.duplicates for s in report.sheets)
    uncategorised = sum(s.uncategorised for s in report.sheets)
    verdict = write_verdict(report.dry_run, report.written)
    click.echo(f"total: {new} new, {duplicates} already migrated, {uncategorised} uncategorised (待分类) — {verdict}",
               err=True)
