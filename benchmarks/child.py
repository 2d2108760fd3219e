"""Run one measure in this (fresh) process: ``python -m benchmarks.child NAME WORKLOAD.json RESULT.json``.

Writes ``{"status": "ok", "seconds": …, "peak_mb": …, …}``, ``{"status": "not available", "note": …}`` or
``{"status": "failed", "note": …}``. Peak memory is this process's maximum resident set size
(``resource.getrusage``), imports included; ``base_mb`` is the same figure just before the measure ran.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import sys
import traceback
from pathlib import Path
from typing import Any

os.environ.setdefault("BEANCOUNT_DISABLE_LOAD_CACHE", "1")

PROBE_MODULES = ("benchmarks.probes", "benchmarks.importer_probe", "benchmarks.fava_probe", "benchmarks.suggest_probe")


def load_measures() -> dict[str, Any]:
    from benchmarks.registry import MEASURES

    for module in PROBE_MODULES:
        importlib.import_module(module)
    return MEASURES


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def run(name: str, workload: dict[str, Any]) -> dict[str, Any]:
    from benchmarks.registry import Unavailable

    measures = load_measures()
    base = peak_mb()
    try:
        figures = dict(measures[name].func(workload))
    except Unavailable as exc:
        return {"status": "not available", "note": str(exc)}
    except Exception as exc:  # a measured feature that crashes is a result, reported as such
        tail = traceback.format_exc().strip().splitlines()[-3:]
        return {"status": "failed", "note": f"{type(exc).__name__}: {exc}"[:400], "traceback": tail}
    figures.update(status="ok", peak_mb=round(peak_mb(), 1), base_mb=round(base, 1))
    return figures


def main(argv: list[str]) -> int:
    name, workload_file, result_file = argv
    workload = json.loads(Path(workload_file).read_text("utf-8"))
    result = run(name, workload)
    Path(result_file).write_text(json.dumps(result, ensure_ascii=False, default=str), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
