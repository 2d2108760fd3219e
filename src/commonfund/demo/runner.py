"""``commonfund demo``: build the demo compound and run every step that exists on it.

Steps register themselves with :func:`demo_step` (in order); each later feature — import, audit,
reports, export, Fava — adds its own step, so ``make demo`` always shows everything commonfund can do.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from commonfund.core.errors import InputError

DEMO_HOUSEHOLDS = 3237
DEMO_YEARS = 2
DEMO_SEED = 20250101
DEMO_NAME = "锦绣花园"
DEFAULT_OUT = Path("ledgers/demo")


@dataclass
class DemoContext:
    """What demo steps share: the compound folder, where outputs go, and a way to report progress."""

    root: Path
    outputs: Path
    say: Callable[[str], None]
    serve: bool = True
    host: str = "127.0.0.1"
    port: int = 5000
    results: dict[str, str] = field(default_factory=dict)


Step = Callable[[DemoContext], None]
STEPS: list[tuple[int, str, Step]] = []


def demo_step(order: int, title: str) -> Callable[[Step], Step]:
    """Register a demo step; steps run by ascending *order*."""

    def register(func: Step) -> Step:
        STEPS.append((order, title, func))
        return func

    return register


# Modules that contribute demo steps.
STEP_MODULES = ("commonfund.demo.runner", "commonfund.web.serve", "commonfund.audit.report",
                "commonfund.demo.disclosure", "commonfund.demo.export", "commonfund.demo.importing")


@demo_step(10, "generate the demo compound")
def _generate(ctx: DemoContext) -> None:
    from commonfund.demo.importing import DEMO_STATEMENT_MONTHS
    from commonfund.synth.generator import synth_compound

    synth_compound(ctx.root, DEMO_HOUSEHOLDS, DEMO_YEARS, DEMO_SEED, plant=True, name=DEMO_NAME, slug="demo",
                   statements_months=DEMO_STATEMENT_MONTHS)
    ctx.results["compound"] = str(ctx.root)


@demo_step(20, "check the books (integrity rules)")
def _check(ctx: DemoContext) -> None:
    from commonfund.compound.model import load_compound

    compound = load_compound(ctx.root)
    if compound.errors:
        first = compound.errors[0]
        raise InputError(ctx.root, f"the demo books have {len(compound.errors)} error(s), first: {first.message}")
    ctx.say(f"{len(compound.transactions)} transactions, {len(compound.register)} households, no errors")


def prepare(out: Path) -> Path:
    """Clear a previous demo build at *out* (only if it is one), so the demo starts fresh."""
    if out.exists():
        if not (out / "synth.json").is_file():
            raise InputError(out, "exists and is not a demo build; choose another --out")
        meta = json.loads((out / "synth.json").read_text("utf-8"))
        if meta.get("seed") != DEMO_SEED:
            raise InputError(out, "holds another generated compound; choose another --out")
        shutil.rmtree(out)
    return out


def run_demo(out: Path, say: Callable[[str], None], serve: bool = True, host: str = "127.0.0.1",
             port: int = 5000) -> DemoContext:
    """Run every registered step in order."""
    import importlib

    for module in STEP_MODULES:
        importlib.import_module(module)
    root = prepare(out)
    ctx = DemoContext(root=root, outputs=root.parent / f"{root.name}-out", say=say, serve=serve, host=host,
                      port=port)
    ctx.outputs.mkdir(parents=True, exist_ok=True)
    steps = sorted(STEPS, key=lambda s: s[0])
    for number, (_, title, step) in enumerate(steps, start=1):
        say(f"[{number}/{len(steps)}] {title}")
        step(ctx)
    return ctx
