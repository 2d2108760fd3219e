"""Demo step: serve the demo compound's books in Fava, read-only (or say how to)."""

from __future__ import annotations

from commonfund.demo.context import DemoContext
from commonfund.web.serve import serve


def serve_books(ctx: DemoContext) -> None:
    """The demo's last step: serve the demo compound read-only (blocking), or say how to."""
    if not ctx.serve:
        ctx.say(f"to browse the books: commonfund serve {ctx.root} (read-only; add --edit to allow writes)")
        ctx.results["serve"] = f"commonfund serve {ctx.root}"
        return
    serve(ctx.root, host=ctx.host, port=ctx.port, say=ctx.say)
