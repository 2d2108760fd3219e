"""``commonfund disclose``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from commonfund.cli.common import err_console, shown_path, user_errors


@click.command("disclose")
@click.argument("ledger", type=click.Path(path_type=Path))
@click.option("--kind", required=True, type=click.Choice(["common-revenue", "maintenance-fund"]),
              help="common-revenue: 共有收益收支公示; maintenance-fund: 维修资金公示 "
                   "(《住宅专项维修资金管理办法》第30条).")
@click.option("--period", default=None,
              help="2025Q3, 2025, 2025-07 or 2025H1 (default: the last complete period of the policy's frequency).")
@click.option("--format", "fmt", type=click.Choice(["pdf", "png", "html"]), default="pdf", show_default=True,
              help="pdf: A4 for the notice board; png: a long image 1,080 px wide for WeChat groups (长图); "
                   "html: one self-contained page for phones, with a search box for one's own unit.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The file to write (default: <slug>-<kind>-<period>.<format> in <compound>-out/ beside the "
                   "compound folder, made if missing).")
@click.option("--made", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The date printed as 编制日期 (default today).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the (masked) figures as JSON.")
def command(ledger: Path, kind: str, period: str | None, fmt: str, output: Path | None, made: object,
            json_path: Path | None) -> None:
    """Make a public disclosure (公示) of a compound in Simplified Chinese: a printable A4 PDF, a long image
    for WeChat groups, or a self-contained HTML page for phones — the same figures in each.

    Every format shows unit numbers only (no owner names or phone numbers), and carries the ledger
    fingerprint (printed, in its metadata and in a QR code) so anyone with the books can check it with
    `commonfund fingerprint --verify`.
    """
    from commonfund.compound.model import load_compound
    from commonfund.disclosure.publish import publish
    from commonfund.io.atomic import write_text

    made_date = made.date() if made is not None else date.today()  # type: ignore[attr-defined]
    with user_errors():
        with err_console.status("loading the books…"):
            compound = load_compound(ledger)
        with err_console.status("computing and typesetting…"):
            result = publish(compound, kind, period, output, made_date, fmt)
        if json_path is not None:
            write_text(json_path, json.dumps(result.document, ensure_ascii=False, indent=1) + "\n")
    if period is None:
        click.echo(f"period: {result.period.label} ({result.period.label_zh}), the last complete one", err=True)
    click.echo(f"wrote {shown_path(result.path)} ({result.size / 1024:.0f} KB) — {result.period.label_zh}, "
               f"ledger fingerprint {result.fingerprint}")
