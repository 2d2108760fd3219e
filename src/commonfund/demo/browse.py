"""Demo step: serve the demo compound's books in Fava, read-only (or say how to)."""

from __future__ import annotations

from commonfund.core.program import command_line
from commonfund.demo.context import DemoContext
from commonfund.web.serve import serve


def serve_books(ctx: DemoContext) -> None:
    """The demo's last step: serve the demo compound read-only (blocking), or say how to."""
    if not ctx.serve:
        ctx.say(f"to browse the books: {command_line('serve', ctx.root)} (read-only; add --edit to allow writes)")
        ctx.results["serve"] = command_line("serve", ctx.root)
        return
    serve(ctx.root, host=ctx.host, port=ctx.port, say=ctx.say)
