"""``commonfund rules``: the categorisation rules of compound.toml, and (``--learn``) rules learned from the books."""

from __future__ import annotations

from pathlib import Path

import click

from commonfund.cli.common import user_errors


@click.command("rules")
@click.argument("directory", type=click.Path(path_type=Path), default=Path("."))
@click.option("--learn", is_flag=True,
              help="Propose [[rules]] for counterparties the books booked at least --min times, always to one "
                   "account (TOML to paste into compound.toml, with the counts).")
@click.option("--min", "at_least", type=click.IntRange(min=2), default=3, show_default=True,
              help="With --learn: lines a counterparty needs.")
def command(directory: Path, learn: bool, at_least: int) -> None:
    """List the [[rules]] of a compound (分类规则), or with --learn propose new ones from its books.

    A proposed rule covers a counterparty whose lines no rule categorises yet, booked to one account every
    time (same fund, same direction); its pattern is the core of the name, so it also catches the name's
    variants (上海锦华物业服务有限公司, 锦华物业 …). Nothing is written: paste what you agree with.
    """
    from commonfund.compound.config import CONFIG_NAME, load_config
    from commonfund.compound.model import locate

    with user_errors():
        root, main = locate(directory)
        config = load_config(root / CONFIG_NAME)
        if not learn:
            for number, rule in enumerate(config.rules, 1):
                matches = ", ".join(f"{name} ~ {value!r}" for name, value in
                                    (("counterparty", rule.counterparty), ("summary", rule.summary),
                                     ("purpose", rule.purpose)) if value)
                direction = f" ({rule.direction})" if rule.direction != "any" else ""
                click.echo(f"{number}. {matches}{direction} → {rule.account}")
            click.echo(f"{len(config.rules)} rules in {root / CONFIG_NAME}", err=True)
            return
        from commonfund.importers.ledger import read_books
        from commonfund.importers.suggest import propose_rules

        books = read_books(main)
        proposals = propose_rules(books.entries, config, at_least)
    if proposals:
        click.echo(f"# Rules learned from the books of {root.name} by `commonfund rules --learn`: paste the ones you "
                   f"agree with into {CONFIG_NAME}.\n")
        click.echo("\n".join(p.toml() for p in proposals), nl=False)
    lines = sum(p.lines for p in proposals)
    click.echo(f"{len(proposals)} rules proposed, covering {lines} booked lines that no rule categorises yet "
               f"(counterparties seen at least {at_least} times, always to one account)", err=True)
