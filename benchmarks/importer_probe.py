"""The importer engine's parsing speed: rows per second reading, recognising and normalising a
100,000-row statement (no ledger involved). The statement is written by :mod:`benchmarks.statements`."""

from __future__ import annotations

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
