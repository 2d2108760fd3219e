"""``commonfund opening``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from commonfund.cli.common import user_errors
from commonfund.core.funds import FUNDS
from commonfund.core.money import format_cny
from commonfund.core.program import command_line


@click.command("opening")
@click.argument("ledger", type=click.Path(path_type=Path))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), required=True,
              help="The cut-over date: the balances are those at the end of this day.")
@click.option("--dry-run", is_flag=True, help="Check and show the entries; write nothing.")
def command(ledger: Path, file: Path, day: dt.datetime, dry_run: bool) -> None:
    """Book every account's balance at a cut-over date (期初余额), one entry per fund (建账切换).

    FILE is a trial balance (科目余额表) or a list of bank balances, CSV (GBK or UTF-8 with BOM) or XLSX, with a
    header row: the account (科目 / 科目名称 / 账户 / 银行账户: a Beancount account or a Chinese account name of
    the chart; or 账号 / 户名 of a bank account of compound.toml) and the balance (金额 / 余额 / 期末余额; or 借方
    and 贷方; or 方向 借/贷). Each fund's entry books its accounts from Equity:<Fund>:Opening-期初; a trial balance
    with net assets must balance per fund.

    A committee arriving with books: `init --start D`, then `opening DIR --date D FILE`. The first deposits
    init books are part of the cut-over balance: the opening books the rest, never twice; any other entry on
    or before D for an account of FILE is refused. Re-running with the same file adds nothing; another opening
    is refused (one cut-over per compound). Written atomically under the import lock.
    """
    from commonfund.importers.cutover import book_opening
    from commonfund.importers.ledger import render

    with user_errors():
        report = book_opening(ledger, file, day.date(), dry_run=dry_run)
    if report.already:
        click.echo(f"nothing to add: the opening balances of {file.name} at {report.day} are in the books already")
        return
    if dry_run:
        click.echo("\n\n".join(render(entry) for entry in report.entries))
    for fund, assets in report.totals().items():
        click.echo(f"{FUNDS[fund].name_zh}: assets {format_cny(assets)} at the end of {report.day}")
    for account, amount in report.less_init.items():
        click.echo(f"{account}: {format_cny(amount)} of first deposits booked by init, not booked again")
    if report.skipped:
        click.echo(f"{report.skipped} row(s) with a zero balance skipped")
    if dry_run:
        click.echo("dry run: nothing written")
        return
    if not report.entries:
        click.echo("nothing to book: the balances are the first deposits init booked already")
        return
    target = next(p for p in report.written if p.name.startswith("cutover-"))
    click.echo(f"wrote {len(report.entries)} opening entr{'y' if len(report.entries) == 1 else 'ies'} to "
               f"{target}; check with: {command_line('check', ledger)}")
