"""District roll-up benchmark: N generated compounds of mixed sizes on a Dask LocalCluster of 1 and 2 workers,
a re-run after one compound changed (the district cache), and the district workbook for all N.

The compounds come from the generator behind ``commonfund synth`` (called in worker processes of this run:
hundreds of ``commonfund`` subprocesses would only measure interpreter start-up), each with its own seed;
households are log-uniform in 100–3,237 (both ends included), years uniform in 1–10, every tenth compound with
planted conduct problems (so the ranking has both lists). The plan is deterministic; the compounds are
generated once per plan (a stamp file) into ``benchmarks/work/district`` — never per measure.

Measured, in this order, with the district cache in a folder of its own (emptied first):
  1. the full roll-up (every compound recomputed) on 1 worker, then on 2 workers — cluster start-up timed
     apart; speed-up = roll-up time on 1 worker / on 2 workers (target ≥ 1.8×);
  2. one byte appended to one compound's books, then ``commonfund district ROOT`` as a user runs it (a fresh
     process: interpreter start, imports, fingerprints of every compound, the cache, one summary): its wall
     time over the full 2-worker roll-up's (start-up included) — target ≤ 0.05×; the compound is restored after;
  3. the district workbook for all compounds, in a fresh process (summaries read from the cache): time and
     peak memory.
"""

from __future__ import annotations

import json
import math
import os
import random
import resource
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

SPEEDUP_TARGET = 1.8
RERUN_TARGET = 0.05
SMALLEST, LARGEST = 100, 3237


def plan(count: int, seed: int = 2026) -> list[tuple[str, int, int, bool]]:
    """``(folder, households, years, planted)`` of each compound: deterministic for *count* and *seed*."""
    rng = random.Random(seed)
    out = []
    for index in range(count):
        households = (SMALLEST if index == 0 else LARGEST if index == 1
                      else round(math.exp(rng.uniform(math.log(SMALLEST), math.log(LARGEST)))))
        years = 10 if index == 1 else rng.randint(1, 10)
        out.append((f"c{index:03d}", households, years, index % 10 == 9))
    return out


def _generate(root: str, folder: str, households: int, years: int, planted: bool, seed: int) -> None:
    from commonfund.synth.generator import synth_compound

    synth_compound(Path(root) / folder, households, years, seed=seed, plant=planted, name=f"第{seed - 99}小区")


def prepare(work: Path, count: int, processes: int = 2) -> tuple[Path, list[tuple[str, int, int, bool]], float]:
    """Generate the compounds of :func:`plan` (in *processes* worker processes) unless already there;
    ``(root, plan, seconds spent generating)``."""
    import shutil

    root = (work / "district").resolve()
    stamp = root / "stamp.json"
    wanted = plan(count)
    if stamp.exists() and json.loads(stamp.read_text())["plan"] == [list(p) for p in wanted]:
        return root, wanted, float(json.loads(stamp.read_text())["seconds"])
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=processes) as pool:
        jobs = [pool.submit(_generate, str(root), folder, households, years, planted, 100 + i)
                for i, (folder, households, years, planted) in enumerate(wanted)]
        for job in jobs:
            job.result()
    seconds = time.perf_counter() - start
    stamp.write_text(json.dumps({"plan": wanted, "seconds": seconds}))
    return root, wanted, seconds


def run(work: Path, count: int, workers: tuple[int, ...] = (1, 2), say: Any = print) -> dict[str, Any]:
    import shutil

    from commonfund.district.rollup import dask_client, incremental_rollup
    from commonfund.district.summary import find_compounds

    say(f"district: generating {count} compounds")
    root, planned, generated = prepare(work, count)
    paths = find_compounds(root)
    cache = (work / "district-cache").resolve()
    if cache.exists():
        shutil.rmtree(cache)
    os.environ["COMMONFUND_CACHE"] = str(cache)
    load_before = os.getloadavg()
    runs: list[dict[str, Any]] = []
    model: dict[str, Any] = {}
    for n in workers:
        say(f"district: full roll-up of {len(paths)} compounds on {n} worker(s)")
        cpu = time.process_time()
        start = time.perf_counter()
        with dask_client(None, n) as client:
            ready = time.perf_counter()
            result = incremental_rollup(paths, use_cache=False, client=client)
            done = time.perf_counter()
        summaries = result.summaries
        if n == 1:
            model = cost_model(summaries)
        runs.append({"workers": n, "startup_s": ready - start, "rollup_s": done - ready,
                     "task_s": sum(s.seconds for s in summaries), "client_cpu_s": time.process_time() - cpu,
                     "failed": sum(1 for s in summaries if s.error), "load": os.getloadavg()})
    base = runs[0]["rollup_s"]
    for item in runs:
        item["speedup"] = base / item["rollup_s"]
    full = runs[-1]
    full_wall = full["startup_s"] + full["rollup_s"]

    say("district: re-run after one compound changed")
    unchanged = _cli(root)
    changed = paths[len(paths) // 2]
    books = sorted((changed / "books").glob("*.beancount"))[-1]
    original = books.read_bytes()
    try:
        books.write_bytes(original + b"\n; changed for the benchmark\n")
        rerun = _cli(root)
    finally:
        books.write_bytes(original)
    say("district: the workbook")
    book = _fresh("workbook", str(root), str(work / "district.xlsx"))
    households = [h for _, h, _, _ in planned]
    years = [y for _, _, y, _ in planned]
    out = {
        "compounds": len(paths), "households": [min(households), max(households), sum(households)],
        "years": [min(years), max(years)], "planted": sum(1 for p in planned if p[3]),
        "generated_s": generated, "runs": runs, "full_wall_s": full_wall, "load_before": load_before,
        "rerun_unchanged": unchanged, "rerun_one_changed": rerun, "changed": changed.name,
        "rerun_ratio": rerun["wall_s"] / full_wall, "workbook": book, "model": model,
    }
    out["markdown"] = markdown(out)
    return out


def cost_model(summaries: list[Any]) -> dict[str, Any]:
    """Least squares over the compounds of the 1-worker run: a compound's time in its task ≈ a + b·(1,000
    transactions) + c·(1,000 households); with R² and the mean time of a compound."""
    import numpy as np

    good = [s for s in summaries if s.error is None]
    x = np.array([[1.0, s.transactions / 1000, s.households / 1000] for s in good])
    y = np.array([s.seconds for s in good])
    coef, *_ = np.linalg.lstsq(x, y, rcond=None)
    fitted = x @ coef
    r2 = 1 - float(((y - fitted) ** 2).sum()) / float(((y - y.mean()) ** 2).sum())
    return {"a_s": float(coef[0]), "per_1k_transactions_s": float(coef[1]), "per_1k_households_s": float(coef[2]),
            "r2": r2, "mean_s": float(y.mean()), "mean_transactions": float(np.mean([s.transactions for s in good])),
            "compounds": len(good)}


def _cli(root: Path) -> dict[str, Any]:
    """``commonfund district ROOT`` in a fresh process, as a user runs it: wall time and its summary line."""
    exe = str(Path(sys.executable).with_name("commonfund"))
    start = time.perf_counter()
    proc = subprocess.run([exe, "district", str(root)], capture_output=True, text=True, env=dict(os.environ))
    wall = time.perf_counter() - start
    line = next((ln for ln in proc.stderr.splitlines() if "recomputed" in ln), proc.stderr.strip()[-200:])
    return {"wall_s": wall, "exit_code": proc.returncode, "line": line}


def _fresh(*args: str) -> dict[str, Any]:
    path = os.pathsep.join(p for p in (str(Path(__file__).resolve().parent.parent), os.environ.get("PYTHONPATH"))
                           if p)
    proc = subprocess.run([sys.executable, "-m", "benchmarks.district_bench", *args], capture_output=True,
                          text=True, env=dict(os.environ, PYTHONPATH=path))
    if proc.returncode != 0:
        return {"status": "failed", "note": proc.stderr.strip()[-300:]}
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def workbook(root: str, out: str) -> dict[str, Any]:
    """In this (fresh) process: the summaries from the cache, then the workbook; time and peak memory."""
    from commonfund.district import cache as district_cache
    from commonfund.district.report import write_workbook
    from commonfund.district.summary import find_compounds

    paths = [str(p.resolve()) for p in find_compounds(root)]
    keys = district_cache.summary_keys(paths, None)
    summaries = [district_cache.read_summary(k) if k else None for k in keys]
    missing = sum(1 for s in summaries if s is None)
    if missing:
        raise SystemExit(f"{missing} summaries are not in the cache")
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cpu, start = time.process_time(), time.perf_counter()
    write_workbook([s for s in summaries if s is not None], out)
    return {"status": "ok", "wall_s": time.perf_counter() - start, "cpu_s": time.process_time() - cpu,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "base_mb": base,
            "bytes": Path(out).stat().st_size, "trend_rows": sum(len(s.years) for s in summaries if s)}


def markdown(d: dict[str, Any]) -> list[str]:
    h = d["households"]
    lines = [f"{d['compounds']} generated compounds of mixed sizes: {h[0]:,}–{h[1]:,} households ({h[2]:,} in "
             f"all), {d['years'][0]}–{d['years'][1]} years of books, {d['planted']} with planted problems; "
             f"generated in {d['generated_s']:.0f} s (2 processes; kept in `benchmarks/work/district` and reused "
             f"while the plan is the same, never per measure). "
             f"Load average before: {' '.join(f'{x:.1f}' for x in d['load_before'])} on "
             f"{os.cpu_count()} cores.", "",
             "| workers | cluster start | full roll-up (wall) | sum of the tasks' times | speed-up | target | "
             "load after | failed |", "|---:|---:|---:|---:|---:|---|---|---:|"]
    for r in d["runs"]:
        verdict = "" if r["workers"] == 1 else (
            f"≥ {SPEEDUP_TARGET}× {'met' if r['speedup'] >= SPEEDUP_TARGET else '**missed**'}")
        lines.append(f"| {r['workers']} | {r['startup_s']:.1f} s | {r['rollup_s']:.1f} s | {r['task_s']:.0f} s | "
                     f"{r['speedup']:.2f}× | {verdict} | {' '.join(f'{x:.1f}' for x in r['load'])} | "
                     f"{r['failed']} |")
    ratio = d["rerun_ratio"]
    lines += ["", "| re-run (`commonfund district ROOT`, fresh process) | wall | vs full 2-worker run "
              f"({d['full_wall_s']:.1f} s with start-up) | target | its summary line |", "|---|---:|---:|---|---|",
              f"| nothing changed | {d['rerun_unchanged']['wall_s']:.1f} s | "
              f"{d['rerun_unchanged']['wall_s'] / d['full_wall_s']:.3f}× | | {d['rerun_unchanged']['line']} |",
              f"| one byte of `{d['changed']}` changed | {d['rerun_one_changed']['wall_s']:.1f} s | {ratio:.3f}× | "
              f"≤ {RERUN_TARGET}× {'met' if ratio <= RERUN_TARGET else '**missed**'} | "
              f"{d['rerun_one_changed']['line']} |"]
    m = d["model"]
    if m:
        seed = m["a_s"] + m["per_1k_transactions_s"] * 5.673 + m["per_1k_households_s"] * 3.237
        lines += ["", f"Cost model (least squares over the {m['compounds']} compounds of the 1-worker run, time in "
                  f"each task): a compound ≈ {m['a_s'] * 1000:.0f} ms + {m['per_1k_transactions_s'] * 1000:.0f} ms "
                  f"per 1,000 transactions + {m['per_1k_households_s'] * 1000:.0f} ms per 1,000 households "
                  f"(R² {m['r2']:.2f}); mean {m['mean_s']:.2f} s at {m['mean_transactions']:,.0f} transactions; "
                  f"the seed case's size (3,237 households, 10 years, 5,673 transactions) ≈ {seed:.2f} s."]
    b = d["workbook"]
    if b.get("status") == "ok":
        lines += ["", f"District workbook for {d['compounds']} compounds ({b['trend_rows']:,} compound-years, "
                  f"{b['bytes'] / 1e6:.1f} MB, fresh process, summaries from the cache): "
                  f"{b['wall_s']:.2f} s wall, {b['cpu_s']:.2f} s CPU, peak memory {b['peak_mb']:.0f} MB "
                  f"({b['base_mb']:.0f} MB before building it)."]
    else:
        lines += ["", f"District workbook: failed — {b.get('note')}"]
    return lines


if __name__ == "__main__":
    if sys.argv[1:2] == ["workbook"]:
        print(json.dumps(workbook(sys.argv[2], sys.argv[3])))
    else:
        raise SystemExit("usage: python -m benchmarks.district_bench workbook ROOT OUT.xlsx")
