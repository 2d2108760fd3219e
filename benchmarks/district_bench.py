"""District roll-up benchmark: N small synthetic compounds summarised on a LocalCluster of 1 and 2 workers.

The compounds come from the same generator as ``commonfund synth`` (called in-process: fifty subprocesses
would only measure interpreter start-up), each with its own seed. Cluster start-up is timed apart from the
roll-up itself; the speed-up is roll-up time with 1 worker over roll-up time with N workers.
"""

from __future__ import annotations

import json
import shutil
import statistics
import time
from pathlib import Path
from typing import Any


def prepare(work: Path, count: int, households: int, years: int) -> list[Path]:
    from commonfund.district.summary import find_compounds
    from commonfund.synth.generator import synth_compound

    root = work / "district"
    stamp = root / "stamp.json"
    wanted = {"count": count, "households": households, "years": years}
    if not (stamp.exists() and json.loads(stamp.read_text()) == wanted):
        if root.exists():
            shutil.rmtree(root)
        for index in range(count):
            synth_compound(root / f"c{index:03d}", households, years, seed=100 + index, name=f"小区{index:03d}")
        stamp.write_text(json.dumps(wanted))
    return find_compounds(root)


def run(work: Path, count: int, households: int, years: int, workers: tuple[int, ...] = (1, 2)) -> dict[str, Any]:
    from commonfund.district.rollup import dask_client, rollup

    paths = prepare(work, count, households, years)
    runs = []
    for n in workers:
        start = time.perf_counter()
        with dask_client(None, n) as client:
            ready = time.perf_counter()
            summaries = rollup(paths, client)
            done = time.perf_counter()
        runs.append({"workers": n, "startup_s": ready - start, "rollup_s": done - ready,
                     "per_compound_s": statistics.mean(s.seconds for s in summaries),
                     "failed": sum(1 for s in summaries if s.error)})
    base = runs[0]["rollup_s"]
    for item in runs:
        item["speedup"] = base / item["rollup_s"]
    return {"compounds": len(paths), "households": households, "years": years, "runs": runs,
            "markdown": markdown(len(paths), households, years, runs)}


def markdown(count: int, households: int, years: int, runs: list[dict[str, Any]]) -> list[str]:
    lines = [f"{count} synthetic compounds of {households} households × {years} years, one task each.", "",
             "| workers | cluster start | roll-up | per compound (in its task) | speed-up | failed |",
             "|---:|---:|---:|---:|---:|---:|"]
    for r in runs:
        lines.append(f"| {r['workers']} | {r['startup_s']:.2f} s | {r['rollup_s']:.2f} s | "
                     f"{r['per_compound_s'] * 1000:.0f} ms | {r['speedup']:.2f}× | {r['failed']} |")
    return lines
