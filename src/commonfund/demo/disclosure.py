"""The demo step that writes the disclosures (公示) of the demo compound into its outputs folder."""

from __future__ import annotations

from commonfund.compound.model import load_compound
from commonfund.demo.context import DemoContext
from commonfund.disclosure.publish import default_output, default_period, publish


def write_disclosures(ctx: DemoContext) -> None:
    """The last complete quarter's common-revenue statement and the last year's maintenance-fund disclosure,
    each as the A4 PDF, the long PNG image and the HTML page."""
    compound = load_compound(ctx.root)
    for kind in ("common-revenue", "maintenance-fund"):
        period = default_period(compound, kind)
        for fmt in ("pdf", "png", "html"):
            output = ctx.outputs / default_output(compound, kind, period, fmt=fmt).name
            result = publish(compound, kind, period, output, fmt=fmt)
            ctx.say(f"{kind} {period.label}: {result.path} ({result.size / 1024:.0f} KB)")
            ctx.results[f"disclosure {kind}" + ("" if fmt == "pdf" else f" {fmt}")] = str(result.path)
