"""Statements for the importer measures: one month for a compound's bank account, and 100,000 rows.

Written in a layout of a shipped profile (``importers/profiles/``), continuing the compound's books: the
month after the books end, opening at the balance the books assert for that account, so the import
reconciles like a real one. While the importer (issue 4) has not landed, the result says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks.workload import Prepared

BIG_ROWS = 100_000


def prepare(prepared: Prepared, scratch: Path, big: bool = False) -> dict[str, Any]:
    """``statement`` (+ ``statement_rows``) and, with *big*, ``big_statement``; or ``statement_note``."""
    try:
        from benchmarks.statement_writer import write_big, write_month
    except ImportError as exc:
        return {"statement": None, "statement_note": f"not available: {exc}"}
    try:
        path, rows = write_month(prepared, scratch)
        out: dict[str, Any] = {"statement": str(path), "statement_rows": rows}
        if big:
            out["big_statement"] = str(write_big(prepared, scratch, BIG_ROWS))
        return out
    except LookupError as exc:  # no usable profile shipped yet
        return {"statement": None, "statement_note": str(exc)}
