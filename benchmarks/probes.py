"""The measures of one compound size, each run in a fresh process by :mod:`benchmarks.child`.

Timings cover the operation only (CPU and wall time around it, after the modules are imported);
imports a command does lazily while it runs are part of its cost. ``workload`` is the dict the runner
passes: ``compound`` (folder), ``bare`` (its main file without the commonfund plugin line), ``year``
(the last year of the books), ``work`` (a scratch folder), ``statement`` / ``big_statement`` (files for
the importer, or None when the importer has not landed).
"""

from __future__ import annotations

import io
import shutil
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.registry import Clock, Figures, Unavailable, measure


def run_cli(args: list[str]) -> Figures:
    """Run ``commonfund ARGS`` in this process and time it; output is captured, not printed."""
    from commonfund.cli import main

    if args[0] not in main.commands:
        raise Unavailable(f"`commonfund {args[0]}` does not exist yet")
    out = io.StringIO()
    code: Any = 0
    with Clock() as clock, redirect_stdout(out), redirect_stderr(out):
        try:
            code = main.main(args, standalone_mode=False) or 0
        except SystemExit as exc:
            code = exc.code if exc.code is not None else 0
    text = out.getvalue()
    if not isinstance(code, int) or code >= 2:
        raise RuntimeError(f"`commonfund {' '.join(args[:1])}` exited {code}: {text.strip()[-300:]}")
    return clock.figures(exit_code=code, output_tail=text.strip()[-200:])


def _load(workload: dict[str, Any]) -> Any:
    from commonfund.compound.model import load_compound

    return load_compound(workload["compound"])


@measure("bare_load", "R: bare `beancount.loader` load, commonfund plugin line removed, no cache",
         basis="reference")
def bare_load(workload: dict[str, Any]) -> Figures:
    from beancount import loader

    with Clock() as clock:
        entries, errors, _ = loader._load([(workload["bare"], True)], None, None, None)
    return clock.figures(entries=len(entries), errors=len(errors))


@measure("check", "`commonfund check` (config, register, load with plugins, report)", target=1.15)
def check(workload: dict[str, Any]) -> Figures:
    return run_cli(["check", workload["compound"]])


@measure("subledgers", "all household sub-ledgers at year end, beyond the load", basis="beyond-load",
         target=0.10, per_household=True)
def subledgers(workload: dict[str, Any]) -> Figures:
    try:
        from commonfund.books.subledger import compute_subledgers
    except ImportError as exc:
        raise Unavailable(f"commonfund.books.subledger.compute_subledgers (issue 3) not found: {exc}") from None
    compound = _load(workload)
    with Clock() as clock:
        result = compute_subledgers(compound, date(workload["year"], 12, 31))
    return clock.figures(households=len(compound.register), result=type(result).__name__)


@measure("audit_core", "`run_audit` (every registered check), beyond the load", basis="beyond-load",
         target=0.5)
def audit_core(workload: dict[str, Any]) -> Figures:
    from commonfund.audit.findings import load_checks, run_audit

    checks = load_checks()
    compound = _load(workload)
    with Clock() as clock:
        findings = run_audit(compound)
    return clock.figures(checks=len(checks), findings=len(findings))


@measure("audit", "`commonfund audit` (whole command)", heavy=True)
def audit(workload: dict[str, Any]) -> Figures:
    return run_cli(["audit", workload["compound"]])


@measure("export", "`commonfund export --year Y` (auditor workbook)", per_household=True, heavy=True)
def export(workload: dict[str, Any]) -> Figures:
    out = Path(workload["work"]) / "export.xlsx"
    figures = run_cli(["export", workload["compound"], "--year", str(workload["year"]), "-o", str(out)])
    figures["output_bytes"] = out.stat().st_size if out.exists() else None
    return figures


@measure("disclose_mf", "`commonfund disclose --kind maintenance-fund --period Y` (PDF)", per_household=True,
         heavy=True)
def disclose_mf(workload: dict[str, Any]) -> Figures:
    out = Path(workload["work"]) / "maintenance-fund.pdf"
    figures = run_cli(["disclose", workload["compound"], "--kind", "maintenance-fund",
                       "--period", str(workload["year"]), "-o", str(out)])
    figures["output_bytes"] = out.stat().st_size if out.exists() else None
    return figures


@measure("import_month", "`commonfund import` of one month's statement (includes loading for de-duplication)",
         target=1.3, heavy=True)
def import_month(workload: dict[str, Any]) -> Figures:
    if not workload.get("statement"):
        raise Unavailable(workload.get("statement_note") or "no statement: the importer (issue 4) has not landed")
    copy = Path(workload["work"]) / "import-copy"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(workload["compound"], copy, ignore=shutil.ignore_patterns("*.picklecache"))
    figures = run_cli(["import", str(copy), workload["statement"]])
    figures["statement_rows"] = workload.get("statement_rows")
    return figures


@measure("district_summary", "district roll-up: one compound's summary (load, figures, audit, sub-ledgers)",
         heavy=True)
def district_summary(workload: dict[str, Any]) -> Figures:
    from commonfund.district.summary import summarise_compound

    with Clock() as clock:
        summary = summarise_compound(workload["compound"], workload["year"])
    if summary.error:
        raise RuntimeError(summary.error)
    return clock.figures(notes="; ".join(summary.notes) or None)
