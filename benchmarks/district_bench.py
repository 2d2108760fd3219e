"""District roll-up benchmark: N generated compounds of mixed sizes on a Dask LocalCluster of 1 and 2 workers,
a re-run after one compound changed (the district cache), and the district workbook for all N.

The compounds come from the generator behind ``commonfund synth`` (called in worker processes of this run:
hundreds of ``commonfund`` subprocesses would only measure interpreter start-up), each with its own seed;
households are log-uniform in 100–3,237 (both ends included), years uniform in 1–10, every tenth compound with
planted conduct problems (so the ranking has both lists). The plan is deterministic; the compounds are
generated once per plan (a stamp file) into ``benchmarks/work/district`` — never per measure.

Measured, in this order, with the district cache in a folder of its own (emptied first):
  1. the full roll-up (every compound recomputed) on 1 worker and on 2 workers, **interleaved**: the
     compounds are dealt into a few groups of the same mix of sizes (largest first, round robin), and each
     group is rolled up on both clusters back to back (1 then 2, then 2 then 1 for the next group: ABBA),
     so that both worker counts share the machine's conditions; both clusters are started once, their
     start-up timed apart. Speed-up = the 1-worker passes' time / the 2-worker passes' time (target ≥ 1.8×).
     Each pass also measures what *other* processes took of the machine's CPU while it ran (busy time of
     the whole machine from ``/proc/stat`` minus the CPU time of this process and every process under it —
     the scheduler, the nannies and the workers): the load average lags a minute behind and counts our own
     workers, so it is reported, not used. The verdict is given only where other load cannot have made
     it (:func:`judge`): "met" when every 1-worker pass left the machine at most :data:`BUSY_LIMIT` busy
     (then nothing slowed those passes, and load in the 2-worker passes can only lower the ratio), "missed"
     when other processes took at most :data:`OTHERS_LIMIT` of it in every 2-worker pass; otherwise "not
     judged" with the shares, never a ratio that measures the neighbours. Next to it, a CPU-time
     estimate that other load hardly moves (reported, never judged): 2 × (the workers' occupancy in the
     2-worker passes / in the 1-worker passes) × (CPU of the worker processes in the 1-worker passes / in
     the 2-worker passes);
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
OTHERS_LIMIT = 0.10
"""The largest share of the machine's CPU other processes may take in a 2-worker pass for a miss to be judged."""
BUSY_LIMIT = 0.80
"""The busiest a 1-worker pass may leave the machine (ours and others' CPU together) for a met to be judged."""
GROUPS = 4
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

    from commonfund.district.summary import find_compounds

    say(f"district: generating {count} compounds")
    root, planned, generated = prepare(work, count)
    paths = find_compounds(root)
    cache = (work / "district-cache").resolve()
    if cache.exists():
        shutil.rmtree(cache)
    os.environ["COMMONFUND_CACHE"] = str(cache)
    load_before = os.getloadavg()
    runs, passes, model = full_rollups(paths, workers, say)
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
        "generated_s": generated, "runs": runs, "passes": passes, "speedup": judge(runs, passes),
        "full_wall_s": full_wall, "load_before": load_before, "rerun_unchanged": unchanged,
        "rerun_one_changed": rerun, "changed": changed.name, "rerun_ratio": rerun["wall_s"] / full_wall,
        "workbook": book, "model": model,
    }
    out["markdown"] = markdown(out)
    return out


def groups_of(paths: list[Path], count: int = GROUPS) -> list[list[Path]]:
    """*paths* dealt into up to *count* groups of the same mix of sizes: largest books first, round robin
    (at least 4 compounds a group, so that 2 workers have something to share)."""
    from commonfund.district.rollup import _books_size

    count = max(1, min(count, len(paths) // 4))
    order = sorted(paths, key=lambda p: _books_size(str(p)), reverse=True)
    return [order[i::count] for i in range(count)]


def full_rollups(paths: list[Path], workers: tuple[int, ...], say: Any
                 ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """The full roll-up on each worker count, interleaved group by group (see the module's docstring):
    ``(one row per worker count, one row per pass, the cost model of the 1-worker passes)``."""
    import contextlib

    from commonfund.district.rollup import dask_client, incremental_rollup

    clients: dict[int, Any] = {}
    startup: dict[int, float] = {}
    passes: list[dict[str, Any]] = []
    first: list[Any] = []
    with contextlib.ExitStack() as stack:
        pids: dict[int, list[int]] = {}
        for n in workers:
            start = time.perf_counter()
            clients[n] = stack.enter_context(dask_client(None, n))
            startup[n] = time.perf_counter() - start
            pids[n] = list(clients[n].run(os.getpid).values())
        groups = groups_of(paths)
        for index, group in enumerate(groups):
            for n in workers if index % 2 == 0 else tuple(reversed(workers)):
                say(f"district: group {index + 1}/{len(groups)} ({len(group)} compounds) on {n} worker(s)")
                before = (machine_busy(), our_cpu(), cpu_of(pids[n]), time.perf_counter())
                result = incremental_rollup(group, use_cache=False, client=clients[n])
                wall = time.perf_counter() - before[3]
                busy, ours = machine_busy() - before[0], our_cpu() - before[1]
                in_workers = cpu_of(pids[n]) - before[2]
                others = max(0.0, busy - ours)
                summaries = result.summaries
                if n == workers[0]:
                    first += summaries
                passes.append({"group": index + 1, "workers": n, "compounds": len(group), "wall_s": wall,
                               "task_s": sum(s.seconds for s in summaries), "our_cpu_s": ours,
                               "workers_cpu_s": in_workers,
                               "others_cpu_s": others, "others_share": others / (wall * (os.cpu_count() or 1)),
                               "busy_share": busy / (wall * (os.cpu_count() or 1)),
                               "load": os.getloadavg(), "failed": sum(1 for s in summaries if s.error)})
    runs = []
    for n in workers:
        mine = [p for p in passes if p["workers"] == n]
        wall = sum(p["wall_s"] for p in mine)
        runs.append({"workers": n, "startup_s": startup[n], "rollup_s": wall, "passes": len(mine),
                     "task_s": sum(p["task_s"] for p in mine), "our_cpu_s": sum(p["our_cpu_s"] for p in mine),
                     "workers_cpu_s": sum(p["workers_cpu_s"] for p in mine),
                     "others_share": sum(p["others_cpu_s"] for p in mine) / (wall * (os.cpu_count() or 1)),
                     "occupancy": sum(p["task_s"] for p in mine) / (wall * n),
                     "failed": sum(p["failed"] for p in mine), "load": mine[-1]["load"]})
    for item in runs:
        item["speedup"] = runs[0]["rollup_s"] / item["rollup_s"]
    return runs, passes, cost_model(first)


def machine_busy() -> float:
    """CPU-seconds the whole machine has been busy since boot, all cores (``/proc/stat``)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def our_cpu() -> float:
    """CPU-seconds used so far by this process and every process under it (the Dask scheduler runs in this
    process; the nannies and the workers are its children)."""
    import psutil

    me = psutil.Process()
    return cpu_of([me.pid, *(child.pid for child in me.children(recursive=True))])


def cpu_of(pids: list[int]) -> float:
    """CPU-seconds (user + system) used so far by the processes *pids* (those that ended count 0)."""
    import psutil

    total = 0.0
    for pid in pids:
        try:
            times = psutil.Process(pid).cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def judge(runs: list[dict[str, Any]], passes: list[dict[str, Any]]) -> dict[str, Any]:
    """The speed-up's verdict against :data:`SPEEDUP_TARGET`, only where other load cannot have made it:

    * ``met`` needs every 1-worker pass to have left the machine at most :data:`BUSY_LIMIT` busy (ours and
      others' together): then nothing slowed those passes, and load during the 2-worker passes can only
      have lowered the ratio;
    * ``missed`` needs other processes to have taken at most :data:`OTHERS_LIMIT` of the machine in every
      2-worker pass (a 1-worker pass cannot be made faster by load);
    * otherwise ``not judged``, with the shares. The CPU-time estimate is reported beside it, never judged.
    """
    one, last = runs[0], runs[-1]
    ratio = last["speedup"]
    estimate = (last["workers"] / one["workers"] * last["occupancy"] / one["occupancy"]
                * one["workers_cpu_s"] / last["workers_cpu_s"] if last["workers_cpu_s"] and one["occupancy"]
                else None)
    out: dict[str, Any] = {"ratio": ratio, "target": SPEEDUP_TARGET, "cpu_estimate": estimate,
                           "others_limit": OTHERS_LIMIT, "busy_limit": BUSY_LIMIT}
    if len(runs) < 2:
        return out | {"verdict": "not judged", "reason": "one worker count only"}
    if ratio >= SPEEDUP_TARGET:
        busiest = max((p for p in passes if p["workers"] == one["workers"]), key=lambda p: p["busy_share"])
        if busiest["busy_share"] <= BUSY_LIMIT:
            return out | {"verdict": "met", "reason": (
                f"the 1-worker passes left the machine at most {busiest['busy_share']:.0%} busy (ours and "
                f"others' together), so nothing slowed them; load in the 2-worker passes can only lower the ratio")}
        return out | {"verdict": "not judged", "reason": (
            f"the machine was {busiest['busy_share']:.0%} busy during a 1-worker pass (group {busiest['group']}; "
            f"other processes {busiest['others_share']:.0%}): they may have slowed it and so raised the ratio; "
            f"met is judged only at ≤ {BUSY_LIMIT:.0%} busy in every 1-worker pass — re-run on a quiet machine")}
    worst = max((p for p in passes if p["workers"] == last["workers"]), key=lambda p: p["others_share"])
    if worst["others_share"] <= OTHERS_LIMIT:
        return out | {"verdict": "missed", "reason": (
            f"other processes took at most {worst['others_share']:.0%} of the machine in the 2-worker passes")}
    return out | {"verdict": "not judged", "reason": (
        f"other processes took {worst['others_share']:.0%} of the machine during a 2-worker pass (group "
        f"{worst['group']}): they may have slowed it; missed is judged only at ≤ {OTHERS_LIMIT:.0%} in every "
        f"2-worker pass — re-run on a quiet machine")}


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
             "| workers | cluster start | full roll-up (wall, sum of its passes) | sum of the tasks' times | "
             "CPU of the workers / of all our processes | workers busy | other processes' CPU | speed-up | "
             "load after | failed |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|"]
    for r in d["runs"]:
        lines.append(f"| {r['workers']} | {r['startup_s']:.1f} s | {r['rollup_s']:.1f} s ({r['passes']} passes) | "
                     f"{r['task_s']:.0f} s | {r['workers_cpu_s']:.0f} s / {r['our_cpu_s']:.0f} s | "
                     f"{r['occupancy']:.0%} | "
                     f"{r['others_share']:.0%} | {r['speedup']:.2f}× | "
                     f"{' '.join(f'{x:.1f}' for x in r['load'])} | {r['failed']} |")
    v = d["speedup"]
    verdict = {"met": "met", "missed": "**missed**", "not judged": "**not judged**"}[v["verdict"]]
    estimate = f"{v['cpu_estimate']:.2f}×" if v.get("cpu_estimate") else "—"
    lines += ["", f"Speed-up 1 → 2 workers: {v['ratio']:.2f}× against ≥ {v['target']}× — {verdict}: {v['reason']}. "
              f"CPU-time estimate (2 × the workers' occupancy at 2 / at 1 worker × the workers' CPU at 1 / at 2 "
              f"workers; "
              f"hardly moved by other load, reported, not judged): {estimate}.", "",
              "| pass | group | workers | compounds | wall | other processes' CPU (share of the machine) | "
              "machine busy | load average after |", "|---:|---:|---:|---:|---:|---:|---:|---|"]
    for i, p in enumerate(d.get("passes", []), 1):
        lines.append(f"| {i} | {p['group']} | {p['workers']} | {p['compounds']} | {p['wall_s']:.1f} s | "
                     f"{p['others_cpu_s']:.1f} s ({p['others_share']:.0%}) | {p['busy_share']:.0%} | "
                     f"{' '.join(f'{x:.1f}' for x in p['load'])} |")
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
        lines += ["", f"Cost model (least squares over the {m['compounds']} compounds of the 1-worker passes, time in "
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
