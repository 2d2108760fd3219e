"""The importer engine's parsing speed: rows per second reading, recognising and normalising a
100,000-row statement (no ledger involved). The statement is written by :mod:`benchmarks.statements`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchmarks.registry import Clock, Figures, Unavailable, measure


@measure("import_parse", "importer engine: read + recognise + normalise a 100,000-row statement",
         basis="rate", heavy=True, scope="once")
def import_parse(workload: dict[str, Any]) -> Figures:
    if not workload.get("big_statement"):
        raise Unavailable(workload.get("statement_note") or "no statement: the importer (issue 4) has not landed")
    from commonfund.importers.importing import read_statement
    from commonfund.importers.profiles import load_profiles

    profiles = load_profiles(Path(workload["compound"]))
    with Clock() as clock:
        statement = read_statement(Path(workload["big_statement"]), profiles)
    rows = len(statement.lines)
    return clock.figures(rows=rows, rate=rows / clock.cpu, wall_rate=rows / clock.wall)


@measure("migrate", "`commonfund migrate` of 10 years of a cash book (~6,000 rows) vs a bare load of the books it "
         "makes", target=1.5, heavy=True, scope="once")
def migrate(workload: dict[str, Any]) -> Figures:
    """Migrate a generated 10-year 收支明细账 into fresh books; R here is a bare load of the books it made
    (``reference_seconds``, measured in the same child after the migration)."""
    import shutil
    from datetime import date
    from decimal import Decimal

    from beancount import loader

    from benchmarks.probes import run_cli
    from benchmarks.workload import write_bare

    try:
        from commonfund.importers.ledger import render
        from commonfund.importers.opening import opening_entry
        from commonfund.synth.history import write_history
    except ImportError as exc:
        raise Unavailable(f"no cash-book migration: {exc}") from None
    root = Path(workload["work"]) / "migrate-history"
    if root.exists():
        shutil.rmtree(root)
    write_history(root, years=10, seed=1, households=60, daily=47)
    expected = json.loads((root / "history" / "history.json").read_text("utf-8"))
    opening = expected["opening"]
    entry = opening_entry(opening["account"], "CommonRevenue", Decimal(opening["amount"]),
                          date.fromisoformat(opening["date"]), what="旧账上年结转")
    (root / "books" / "cutover.beancount").write_text(render(entry) + "\n", "utf-8")
    figures = run_cli(["migrate", str(root), str(root / expected["cashbook"])])
    bare = write_bare(root)
    with Clock() as clock:
        entries, errors, _ = loader._load([(str(bare), True)], None, None, None)
    if errors:
        raise RuntimeError(f"the migrated books do not load cleanly: {errors[0]}")
    return {**figures, "rows": expected["rows"], "entries": len(entries), "reference_seconds": clock.cpu,
            "reference_wall_seconds": clock.wall}
