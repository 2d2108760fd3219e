"""``commonfund policy``."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape

from commonfund.cli.common import console, user_errors
from commonfund.compound.config import load_config
from commonfund.compound.paths import CONFIG_NAME
from commonfund.compound.policy import effective_policy, region_name, shown


@click.command("policy")
@click.argument("ledger", type=click.Path(path_type=Path))
def command(ledger: Path) -> None:
    """Show the compound's effective policy: each setting, its value, and the article it comes from.

    `[policy] region = "shanghai" | "beijing" | "taizhou" | "ningbo" | "qingdao" | "generic"` in
    compound.toml selects the region's preset (generic: national rules only); a key written in [policy]
    overrides it. LEDGER is the compound folder.
    """
    path = ledger if ledger.name == CONFIG_NAME else ledger / CONFIG_NAME
    with user_errors():
        config = load_config(path)
    policy = config.policy
    console.print(f"[bold]{escape(config.name)}[/bold] 适用政策：{region_name(policy.region)}预设"
                  "（compound.toml \\[policy] region；本小区可逐项覆盖）")
    for setting in effective_policy(policy):
        basis = f"{setting.citation}：“{setting.quote}”" if setting.citation else ""
        if setting.basis:
            basis = f"{basis}（{setting.basis}）" if basis else setting.basis
        source = setting.source
        if setting.overridden:
            source += f"；地区预设为「{shown(setting.preset)}」"
        console.print(f"· [bold]{setting.label}[/bold]：{setting.shown}  [dim]({setting.key})[/dim]")
        console.print(f"    来源：{source}")
        console.print(f"    依据：{escape(basis)}")
