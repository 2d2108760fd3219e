"""Demo steps: generate the demo compound (锦绣花园), then check its books with the integrity rules."""

from __future__ import annotations

from commonfund.compound.model import load_compound
from commonfund.core.errors import InputError
from commonfund.demo.context import (
    DEMO_HOUSEHOLDS,
    DEMO_NAME,
    DEMO_SEED,
    DEMO_STATEMENT_MONTHS,
    DEMO_YEARS,
    DemoContext,
)
from commonfund.synth.generator import synth_compound


def generate(ctx: DemoContext) -> None:
    """Generate the demo compound with planted audit cases and its last months as bank statements."""
    synth_compound(ctx.root, DEMO_HOUSEHOLDS, DEMO_YEARS, DEMO_SEED, plant=True, name=DEMO_NAME, slug="demo",
                   statements_months=DEMO_STATEMENT_MONTHS)
    ctx.results["compound"] = str(ctx.root)


def check(ctx: DemoContext) -> None:
    """Load the books with every integrity rule: the demo's books must be clean."""
    compound = load_compound(ctx.root)
    if compound.errors:
        first = compound.errors[0]
        raise InputError(ctx.root, f"the demo books have {len(compound.errors)} error(s), first: {first.message}")
    ctx.say(f"{len(compound.transactions)} transactions, {len(compound.register)} households, no errors")
