"""``commonfund payout``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from commonfund.books.payout import Payout, payout_list, write_payout
from commonfund.cli.common import user_errors
from commonfund.compound.model import Compound, load_compound
from commonfund.core.errors import InputError
from commonfund.core.money import format_cny
from commonfund.core.program import command_line

PRIVATE = "private: owner names and bank accounts — do not post or forward it (不得公示)"


@click.command("payout")
@click.argument("ledger", type=click.Path(path_type=Path))
@click.argument("target")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The file to write: FILE.xlsx or FILE.csv (written atomically); with --bank-layout, the "
                   "bank's upload file (its suffix is the layout's format).")
@click.option("--bank-layout", "layout_name", metavar="NAME",
              help="Write the bank's batch-payment upload (批量代发): generic, generic-csv, icbc-batch, or a "
                   "layout of the compound's payouts/ folder. Households without 收款账号 go to "
                   "FILE-现金发放.xlsx (paid in cash, signed for).")
@click.option("--purpose", help="用途/附言 of every payment (default: the resolution's title and id).")
@click.option("--payer-account", help="The committee's full account number, for layouts that ask for it "
                                      "(icbc-batch).")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), help="Date written in the file (default today).")
def command(ledger: Path, target: str, output: Path, layout_name: str | None, purpose: str | None,
            payer_account: str | None, day: dt.datetime | None) -> None:
    """Write the per-household payout list of a dividend or property-fee subsidy (民法典 第282/283条).

    TARGET is the resolution id the distribution cites, the entry's ^link, or its file:line. Amounts follow
    the entry's apportion key (area share by default), rounded by largest remainder to sum exactly.

    With --bank-layout the list is the bank's upload file (收款账号, 收款户名, 金额, 开户行, 联行号, 用途 from the
    register's optional bank columns) plus a cash list with a 签收 column; together they tie to the
    distribution to the fen or nothing is written. Every file this command writes names owners (and bank
    accounts): it is PRIVATE — never post it publicly.
    """
    with user_errors():
        compound = load_compound(ledger)
        payout = payout_list(compound, target)
        if layout_name is None:
            write_payout(payout, output)
        else:
            _bank(compound, payout, layout_name, output, purpose, payer_account, day)
            return
    click.echo(f"wrote {output}: {int((payout.amounts != 0).sum())} households, total "
               f"{format_cny(payout.total, fen=True)} from {len(payout.entries)} entr"
               f"{'y' if len(payout.entries) == 1 else 'ies'} — {PRIVATE}")


def _bank(compound: Compound, payout: Payout, layout_name: str, output: Path, purpose: str | None,
          payer_account: str | None, day: dt.datetime | None) -> None:
    from commonfund.books.bank_layouts import default_purpose, find_layout, plan_bank_payout, write_bank_payout

    if compound.errors:
        raise InputError(compound.root, f"the books have {len(compound.errors)} error(s): correct them before "
                         f"writing a bank file (see {command_line('check', compound.root)})")
    layout = find_layout(layout_name, compound.root)
    account = "".join((payer_account or "").split())
    if account and not account.isdigit():
        raise InputError("--payer-account", f"{payer_account!r} must be the account number's digits")
    paying = {p.account for t in payout.entries for p in t.postings if p.account.startswith("Assets:")}
    for bank in compound.config.bank_accounts:
        if account and bank.account in paying and bank.last_digits and not account.endswith(bank.last_digits):
            raise InputError("--payer-account", f"{payer_account!r} does not end in {bank.last_digits}, the last "
                             f"digits of {bank.name or bank.account} that the distribution is paid from")
    plan = plan_bank_payout(payout, layout, purpose=purpose or default_purpose(compound, payout),
                            day=(day or dt.datetime.now()).date(), payer_account=account,
                            payer_name=compound.config.display_committee)
    title = f"{compound.config.name} {plan.purpose} 现金发放签收表"
    bank_file, cash_file = write_bank_payout(plan, output, title)
    click.echo(f"wrote {bank_file} ({layout.title}): {len(plan.bank_rows)} payees, "
               f"{format_cny(plan.bank_total, fen=True)}")
    if not plan.bank_rows:
        click.echo("no household has a 收款账号 in the register: add the columns 收款账号, 收款户名, 开户行 (联行号) "
                   "to pay by bank (payouts/README.md)")
    if cash_file is not None:
        click.echo(f"wrote {cash_file} (现金发放, with 签收): {len(plan.cash_rows)} households without 收款账号, "
                   f"{format_cny(plan.cash_total, fen=True)}")
    click.echo(f"total {format_cny(plan.total, fen=True)} = the distribution ({len(payout.entries)} entr"
               f"{'y' if len(payout.entries) == 1 else 'ies'}), {len(plan.bank_rows) + len(plan.cash_rows)} "
               f"households; purpose 用途: {plan.purpose}")
    click.echo(f"{PRIVATE}.")
