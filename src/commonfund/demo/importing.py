"""Demo step: import the demo compound's generated statements, then import them again (0 new)."""

from __future__ import annotations

from commonfund.core.errors import InputError
from commonfund.demo.context import DemoContext
from commonfund.importers.importing import import_statements


def import_statements_step(ctx: DemoContext) -> None:
    """Import every file under ``statements/``; a second import of the same files must add nothing."""
    files = sorted((ctx.root / "statements").glob("*.*"))
    if not files:
        ctx.say("no statements to import (the compound was generated without statements_months)")
        return
    first = import_statements(ctx.root, files)
    for item in first.files:
        ctx.say(f"  {item.path.name}: {item.profile}, {item.new} new, {item.duplicates} already booked, "
                f"{item.uncategorised} uncategorised, {item.suggested} suggested, "
                f"{item.balances_new} balances asserted")
    again = import_statements(ctx.root, files)
    added = sum(item.new for item in again.files)
    if added or again.written:
        raise InputError(ctx.root, f"importing the statements a second time added {added} transactions")
    new = sum(item.new for item in first.files)
    skipped = sum(item.duplicates for item in again.files)
    ctx.say(f"{len(files)} statements: {new} new transactions; imported again: 0 new, {skipped} duplicates skipped")
    ctx.results["imports"] = str(ctx.root / "imports")
