"""``commonfund subledger``."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import click
from rich.table import Table

from commonfund.books.subledger import CATEGORIES, compute_subledgers, unit_history
from commonfund.cli.common import EXIT_LEDGER, console, fail, user_errors
from commonfund.compound.model import load_compound
from commonfund.core.labels import CATEGORY_ZH, scope_zh
from commonfund.core.money import format_cny, from_fen

HEADERS = {"unit": "房号", "first_deposit": "首期交存", "deposits": "交存", "top_ups": "续交", "uses": "使用分摊",
           "income": "收益分配", "balance": "余额", "top_up_due": "应续交", "date": "日期", "text": "摘要",
           "category": "类别", "scope": "分摊范围", "amount": "本户金额"}
"""Column headers in Chinese (the table prints them; CSV and JSON keep the codes as keys)."""


@click.command("subledger")
@click.argument("ledger", type=click.Path(path_type=Path))
@click.option("--unit", help="One unit's sub-ledger lines, e.g. `commonfund subledger ledgers/demo --unit 3-2-1102`.")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="Balances at the end of this day.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def command(ledger: Path, unit: str | None, as_of: datetime | None, fmt: str) -> None:
    """Household sub-ledgers (分户账) of the maintenance fund: deposits, top-ups, uses, income, balance.

    Derived from the register and the ledger's `apportion` metadata
    (《住宅专项维修资金管理办法》第10条、第30条); the total is reconciled to the fund's ledger balance (exit 1 if it
    does not reconcile). Unit numbers only, no names.
    """
    day = as_of.date() if as_of else None
    with user_errors():
        compound = load_compound(ledger)
        ledgers = compute_subledgers(compound, day)
    if unit is not None:
        if unit not in compound.register:
            fail(f"{compound.root / compound.config.register_file}: no unit {unit!r} in the register")
        rows = unit_history(compound, unit, day)
        records = [{"date": r.date.isoformat(), "text": r.text,
                    "category": r.category if fmt == "json" else CATEGORY_ZH.get(r.category, r.category),
                    "scope": r.scope if fmt == "json" else scope_zh(r.scope),
                    "amount": f"{r.amount:.2f}", "balance": f"{r.balance:.2f}"} for r in rows]
        _emit(records, fmt, f"{unit} 分户账 sub-ledger", headers=HEADERS)
        return
    names = ("unit", "first_deposit", *CATEGORIES, "balance")
    due = ledgers.top_up_needed(compound.config.policy.top_up_fraction).tolist()
    records = []
    for i, name in enumerate(ledgers.units):
        record = {"unit": name}
        for key in names[1:]:
            record[key] = f"{from_fen(int(getattr(ledgers, key)[i])):.2f}"
        record["top_up_due"] = f"{from_fen(int(due[i])):.2f}"
        records.append(record)
    _emit(records, fmt, "分户账 household sub-ledgers", headers=HEADERS)
    summary = (f"合计 total {format_cny(ledgers.total, fen=True)}；维修资金账面余额 fund balance "
               f"{format_cny(ledgers.fund_balance, fen=True)}："
               + ("相符 reconciled" if ledgers.reconciles else "不符 DOES NOT RECONCILE"))
    click.echo(summary, err=True)
    if not ledgers.reconciles:
        raise SystemExit(EXIT_LEDGER)


def _emit(records: list[dict[str, str]], fmt: str, title: str, headers: dict[str, str] | None = None) -> None:
    if fmt == "json":
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    keys = list(records[0]) if records else []
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=keys, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        click.echo(out.getvalue(), nl=False)
        return
    table = Table(title=title)
    for key in keys:
        label = headers[key] if headers and key in headers else key
        table.add_column(label, justify="left" if key in ("unit", "date", "text", "category", "scope") else "right")
    for record in records:
        table.add_row(*record.values())
    console.print(table)
