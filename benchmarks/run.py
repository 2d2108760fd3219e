"""``make bench``: measure commonfund against bare Beancount at several compound sizes, in one run.

    python -m benchmarks.run                       # 1,000 / 3,237 / 10,000 households × 1 / 5 / 10 years
    python -m benchmarks.run --quick               # three sizes, three repetitions, 12 district compounds
    python -m benchmarks.run --only district       # the district part alone (RESULTS.md: only its section changes)
    python -m benchmarks.run --sizes 50x1 --reps 1 --no-district --out /tmp/b   # the smoke run of make test

For every size it generates the compound with ``commonfund synth``, then runs every registered measure
(:mod:`benchmarks.probes` …) in fresh child processes, interleaved repetition by repetition so that
R and the figures compared with it share the machine's conditions. Writes RESULTS.md and results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks import report
from benchmarks.child import load_measures
from benchmarks.workload import Prepared, Size, synth

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
FULL = [Size(h, y) for h in (1000, 3237, 10000) for y in (1, 5, 10)]
QUICK = [Size(1000, 1), Size(1000, 5), Size(3237, 10)]
HEAVY_REPS = 3
TIMEOUT = 1800


def machine_info() -> dict[str, Any]:
    import beancount
    import fava

    import commonfund

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "0")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                            text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                           capture_output=True, text=True).stdout.strip()
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory": f"{int(memory) / 1024 / 1024:.1f} GiB",
        "python": platform.python_version(), "platform": platform.platform(),
        "beancount": beancount.__version__, "fava": fava.__version__, "commonfund": commonfund.__version__,
        "commit": commit + (" (+ uncommitted changes)" if dirty else ""),
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def run_child(name: str, workload: dict[str, Any], scratch: Path) -> dict[str, Any]:
    """Run one measure in a fresh interpreter; add the parent's wall time of the whole child."""
    workload_file = scratch / f"{name}.workload.json"
    result_file = scratch / f"{name}.result.json"
    workload_file.write_text(json.dumps(workload), "utf-8")
    result_file.unlink(missing_ok=True)
    env = dict(os.environ, BEANCOUNT_DISABLE_LOAD_CACHE="1", PYTHONPATH=str(REPO))
    start = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-m", "benchmarks.child", name, str(workload_file), str(result_file)],
                              cwd=REPO, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return {"status": "failed", "note": f"timed out after {TIMEOUT} s"}
    wall = time.perf_counter() - start
    if not result_file.exists():
        return {"status": "failed", "note": f"child exited {proc.returncode}: {proc.stderr.strip()[-300:]}"}
    result: dict[str, Any] = json.loads(result_file.read_text("utf-8"))
    result["wall_s"] = wall
    return result


def measure_size(prepared: Prepared, measures: list[Any], reps: int, scratch: Path,
                 extra: dict[str, Any], say: Any) -> list[dict[str, Any]]:
    workload = {"compound": str(prepared.root), "bare": str(prepared.bare), "year": prepared.last_year,
                "work": str(scratch), **extra}
    runs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rep in range(reps):
        for m in measures:
            limit = min(reps, HEAVY_REPS) if m.heavy else reps
            done = runs[m.name]
            if rep >= limit or (done and done[-1]["status"] != "ok"):
                continue  # not available / failed once is the answer; no need to repeat it
            say(f"{prepared.size.label}: {m.name} ({rep + 1}/{limit})")
            done.append(run_child(m.name, workload, scratch))
    reference_runs = [r["seconds"] for r in runs.get("bare_load", []) if r.get("status") == "ok"]
    reference = statistics.median(reference_runs) if reference_runs else None
    walls = [r["wall_seconds"] for r in runs.get("bare_load", []) if r.get("status") == "ok"]
    reference_wall = statistics.median(walls) if walls else None
    rows = []
    for m in measures:
        for row in report.summarise(m, runs[m.name], reference, reference_wall):
            row["size"] = prepared.size.label
            rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", help="comma-separated HOUSEHOLDSxYEARS, e.g. 1000x1,3237x10")
    parser.add_argument("--quick", action="store_true", help=f"sizes {', '.join(s.label for s in QUICK)}, 3 reps")
    parser.add_argument("--reps", type=int, default=5, help="repetitions of R and the light measures (default 5)")
    parser.add_argument("--only", help="comma-separated measure names (bare_load is always included); `district` "
                        "alone runs only the district benchmark and updates only its section")
    parser.add_argument("--work", type=Path, default=HERE / "work", help="where compounds are generated")
    parser.add_argument("--out", type=Path, default=HERE, help="where RESULTS.md and results.json go")
    parser.add_argument("--no-district", action="store_true", help="skip the Dask district benchmark")
    parser.add_argument("--district-compounds", type=int, default=300,
                        help="compounds of mixed sizes for the district benchmark (default 300; 12 with --quick)")
    args = parser.parse_args(argv)

    sizes = [Size.parse(s) for s in args.sizes.split(",")] if args.sizes else (QUICK if args.quick else FULL)
    reps = min(args.reps, 3) if args.quick else args.reps
    district_count = min(args.district_compounds, 12) if args.quick else args.district_compounds
    all_measures = load_measures()
    only = set(args.only.split(",")) if args.only else set()
    if only == {"district"}:
        return district_only(args, district_count)
    wanted = only | {"bare_load"} if only else set(all_measures)
    if only and "district" not in only:
        args.no_district = True
    per_size = [m for m in all_measures.values() if m.scope == "size" and m.name in wanted]
    once = [m for m in all_measures.values() if m.scope == "once" and m.name in wanted]
    args.work.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)

    from rich.console import Console

    console = Console(stderr=True)
    doc: dict[str, Any] = {"command": " ".join(["python -m benchmarks.run", *(argv or sys.argv[1:])]),
                           "started": datetime.now().isoformat(timespec="seconds"), "machine": machine_info(),
                           "reps": reps, "sizes": [], "results": [], "once": []}
    with console.status("benchmarks") as status, tempfile.TemporaryDirectory(dir=args.work) as tmp:
        scratch = Path(tmp)

        def say(message: str) -> None:
            status.update(message)

        from benchmarks import statements

        for size in sizes:
            say(f"{size.label}: commonfund synth")
            prepared = synth(size, args.work)
            extra = statements.prepare(prepared, scratch)
            rows = measure_size(prepared, per_size, reps, scratch, extra, say)
            doc["results"] += rows
            bare = next((r for r in rows if r["measure"] == "bare_load" and r["status"] == "ok"), None)
            doc["sizes"].append({"label": size.label, "households": size.households, "years": size.years,
                                 "transactions": prepared.transactions, "ledger_lines": prepared.ledger_lines,
                                 "entries": bare["extra"].get("entries") if bare else None,
                                 "R_s": bare["median_s"] if bare else None,
                                 "R_wall_s": bare["op_wall_median_s"] if bare else None})
            console.log(f"{size.label}: done")
        if once:
            prepared = synth(sizes[0], args.work)
            extra = statements.prepare(prepared, scratch, big=True)
            workload = {"compound": str(prepared.root), "work": str(scratch), **extra}
            for m in once:
                say(f"{m.name}")
                count = min(reps, HEAVY_REPS) if m.heavy else reps
                runs = [run_child(m.name, workload, scratch) for _ in range(count)]
                doc["once"] += report.summarise(m, runs, None)
        if not args.no_district:
            from benchmarks import district_bench

            doc["district"] = district_bench.run(args.work, district_count, say=say)
            doc["district"]["machine"] = machine_info()
    doc["growth"] = report.fit_growth(doc["sizes"], doc["results"])
    doc["findings"] = findings_text(args.out)
    (args.out / "results.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1, default=str) + "\n", "utf-8")
    (args.out / "RESULTS.md").write_text(report.render_markdown(doc), "utf-8")
    print_growth(console, doc)
    console.print(f"wrote {args.out / 'RESULTS.md'} and {args.out / 'results.json'}")
    return 0


def district_only(args: argparse.Namespace, count: int) -> int:
    """``--only district``: run the district benchmark and replace its section of an existing results.json
    (the other sections keep their run, machine line and commit; the district section states its own)."""
    from rich.console import Console

    from benchmarks import district_bench

    console = Console(stderr=True)
    args.work.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    previous = args.out / "results.json"
    doc: dict[str, Any] = (json.loads(previous.read_text("utf-8")) if previous.exists() else
                           {"command": "", "started": "", "machine": machine_info(), "reps": 0, "sizes": [],
                            "results": [], "once": [], "growth": []})
    for g in doc.get("growth", []):  # JSON written with default=str keeps numpy booleans as "True"/"False"
        for key in ("flat_in_households", "linear"):
            if isinstance(g.get(key), str):
                g[key] = {"True": True, "False": False, "None": None}[g[key]]
    with console.status("district") as status:
        district = district_bench.run(args.work, count, say=status.update)
    district["machine"] = machine_info()
    district["command"] = " ".join(["python -m benchmarks.run", *sys.argv[1:]])
    district["started"] = datetime.now().isoformat(timespec="seconds")
    doc["district"] = district
    doc["findings"] = findings_text(args.out)
    (args.out / "results.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1, default=str) + "\n", "utf-8")
    (args.out / "RESULTS.md").write_text(report.render_markdown(doc), "utf-8")
    for line in district["markdown"]:
        console.print(line)
    console.print(f"wrote {args.out / 'RESULTS.md'} and {args.out / 'results.json'}")
    return 0


def findings_text(out: Path) -> list[str]:
    """The hand-written analysis (profiles of missed targets), kept in benchmarks/ANALYSIS.md."""
    path = HERE / "ANALYSIS.md"
    if out.resolve() != HERE.resolve() or not path.exists():
        return []
    return [f"See [ANALYSIS.md](ANALYSIS.md): {path.read_text('utf-8').splitlines()[0].lstrip('# ')}"]


def print_growth(console: Any, doc: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table(title="How each figure grows (fit over the sizes of this run)")
    for name in ("measure", "per 1,000 transactions", "per 1,000 households", "R²", "flat in households"):
        table.add_column(name)
    for g in doc["growth"]:
        flat = {None: "per-household output", True: "yes", False: "NO"}[g["flat_in_households"]]
        table.add_row(g["measure"], report.fmt_s(g["per_1k_transactions_s"]), report.fmt_s(g["per_1k_households_s"]),
                      f"{g['r2']:.3f}", flat)
    console.print(table)
    missed = [r for r in doc["results"] if r.get("met") is False]
    for r in missed:
        basis = "Fava's income-statement API" if r["basis"] == "latency" else "R"
        console.print(f"[red]missed[/red] {r['size']} {r['measure']}: {r['ratio']:.3f}× {basis} "
                      f"(target ≤ {r['target']}×)")


if __name__ == "__main__":
    sys.exit(main())
