"""``commonfund demo``: build the demo compound and run every step on it, in order.

The demo owns its steps (one module each in this package) and calls the features; no feature knows the
demo. A new feature adds its step here, so ``make demo`` always shows everything commonfund can do.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from commonfund.compound.paths import outputs_folder
from commonfund.core.errors import InputError
from commonfund.demo import audit, browse, disclosure, export, generate, importing
from commonfund.demo.context import DEMO_SEED, DemoContext, Step

STEPS: tuple[tuple[str, Step], ...] = (
    ("generate the demo compound", generate.generate),
    ("import bank statements (CCB, ICBC, ABC, WeChat Pay)", importing.import_statements_step),
    ("check the books (integrity rules)", generate.check),
    ("audit the books", audit.audit_books),
    ("write the disclosures (公示: PDFs, the long image and the HTML page for phones)", disclosure.write_disclosures),
    ("write the auditor package (审计资料包)", export.write_auditor_package),
    ("serve Fava read-only", browse.serve_books),
)
"""Every step, in the order it runs."""


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
    """Run every step in order."""
    root = prepare(out)
    ctx = DemoContext(root=root, outputs=outputs_folder(root), say=say, serve=serve, host=host,
                      port=port)
    ctx.outputs.mkdir(parents=True, exist_ok=True)
    for number, (title, step) in enumerate(STEPS, start=1):
        say(f"[{number}/{len(STEPS)}] {title}")
        step(ctx)
    return ctx
