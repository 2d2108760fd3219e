"""``commonfund audit``."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import click

from commonfund.audit.findings import load_checks
from commonfund.audit.report import FAIL_LEVELS, audit_report, render_text
from commonfund.cli.common import EXIT_LEDGER, console, shown_path, user_errors
from commonfund.compound.model import load_compound
from commonfund.compound.paths import outputs_folder


@click.command("audit")
@click.argument("ledger", type=click.Path(path_type=Path), required=False)
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First day audited (YYYY-MM-DD).")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last day audited (YYYY-MM-DD).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "xlsx"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="File for --format xlsx (default: <slug>-audit.xlsx in <compound>-out/ beside the compound "
                   "folder, made if missing).")
@click.option("--fail-on", type=click.Choice(FAIL_LEVELS), default="error", show_default=True,
              help="Exit 1 if a finding of this severity (or worse) is found.")
@click.option("--list", "list_checks", is_flag=True, help="List the checks with their help and exit.")
def command(ledger: Path | None, start: datetime | None, end: datetime | None, fmt: str, fail_on: str,
            list_checks: bool, output: Path | None = None) -> None:
    """Run the supervisory audit (审计) over a compound and print its findings.

    Findings are conduct that breaks a rule in well-formed books (spending without a passed resolution,
    over budget, …), each with its rule, article and entries. Exit 0 when nothing reaches --fail-on,
    1 otherwise, 2 for unusable input.
    """
    if list_checks:
        from commonfund.core.labels import CHECK_ZH, plain_help

        for name, check in load_checks().items():
            console.print(f"[bold]{CHECK_ZH.get(name, name)}[/bold] ({name})\n  {plain_help(check.help)}\n",
                          markup=True, highlight=False)
        return
    if ledger is None:
        raise click.UsageError("missing argument LEDGER (the compound folder)")
    first: date | None = start.date() if start else None
    last: date | None = end.date() if end else None
    if first and last and first > last:
        raise click.BadParameter(f"--from {first} is after --to {last}")
    with user_errors():
        compound = load_compound(ledger)
        report = audit_report(compound, first, last)
    if fmt == "xlsx":
        from commonfund.export import export_findings

        with user_errors():
            path = export_findings(compound, list(report.findings), first, last,
                                   output or outputs_folder(compound.root) / f"{compound.config.slug}-audit.xlsx")
        console.print(f"审计报告 written: {shown_path(path)} ({len(report.findings)} findings)")
    elif fmt == "json":
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        render_text(report, console)
    if report.fails(fail_on) or (report.ledger_errors and fail_on != "never"):
        raise SystemExit(EXIT_LEDGER)
