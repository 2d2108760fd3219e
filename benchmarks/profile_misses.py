"""Profile the measures that miss their target at small R: what is spent beyond the bare load, by function.

    python -m benchmarks.profile_misses 3237x1:check 1000x1:import_month 10000x1:subledgers --reps 5

For each ``SIZE:MEASURE`` it generates the compound (as ``make bench`` does), then in fresh processes runs
R (the bare load) and the measure *reps* times each, interleaved, and once more under cProfile. It prints
the CPU medians and the ratio; the measure run a second time in the same process (its lazy imports and
per-process caches warm) and the modules it imported inside its timed window (its ``Clock``); and the
functions with the most own time (``tottime``) in that window, with what the bare load spends in the same
functions subtracted — the cost the measure adds, function by function.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, ClassVar

HERE = Path(__file__).resolve().parent


class _Window:
    """What happens between a measure's ``Clock`` enter and exit (the timed window): the modules imported
    there, and, when given a profiler, the profile of that window only."""

    imported: ClassVar[set[str]] = set()
    profiler: ClassVar[cProfile.Profile | None] = None
    _before: ClassVar[set[str]] = set()

    @classmethod
    def install(cls) -> None:
        from benchmarks.registry import Clock

        enter, leave = Clock.__enter__, Clock.__exit__

        def patched_enter(clock: Clock) -> Clock:
            cls._before = set(sys.modules)
            if cls.profiler is not None:
                cls.profiler.enable()
            return enter(clock)

        def patched_exit(clock: Clock, *exc: object) -> None:
            leave(clock, *exc)
            if cls.profiler is not None:
                cls.profiler.disable()
            cls.imported |= set(sys.modules) - cls._before

        Clock.__enter__ = patched_enter  # type: ignore[method-assign]
        Clock.__exit__ = patched_exit  # type: ignore[method-assign]


def _child(name: str, workload_file: str, profile_file: str | None) -> None:
    from benchmarks.child import load_measures, run

    _Window.install()

    workload = json.loads(Path(workload_file).read_text("utf-8"))
    if profile_file is None:
        print(json.dumps(run(name, workload)))
        return
    if profile_file == "warm":  # the same measure twice in one process: the second has its imports done
        cold = run(name, workload)
        imported = sorted(_Window.imported)
        warm = run(name, workload)
        print(json.dumps({"cold": cold["seconds"], "seconds": warm["seconds"], "imported": imported,
                          "imported_count": len(imported)}))
        return
    measure = load_measures()[name]
    _Window.profiler = cProfile.Profile()
    measure.func(workload)
    _Window.profiler.dump_stats(profile_file)


def _spawn(*args: str) -> dict[str, Any]:
    env = dict(os.environ, BEANCOUNT_DISABLE_LOAD_CACHE="1", PYTHONPATH=str(HERE.parent))
    proc = subprocess.run([sys.executable, "-m", "benchmarks.profile_misses", "--child", *args], cwd=HERE.parent,
                          env=env, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout) if proc.stdout.strip() else {}


def own_times(path: str) -> dict[tuple[str, int, str], float]:
    stats = pstats.Stats(path)
    return {key: value[2] for key, value in stats.stats.items()}  # type: ignore[attr-defined]


def imports_time(path: str) -> float:
    """Cumulative time inside ``import`` statements (outermost calls only) in the profiled window."""
    stats = pstats.Stats(path)
    return sum(value[3] for key, value in stats.stats.items()  # type: ignore[attr-defined]
               if key[2] == "_find_and_load" and "importlib._bootstrap" in key[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_misses", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cases", nargs="+", help="SIZE:MEASURE, e.g. 3237x1:check")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--work", type=Path, default=HERE / "work")
    args = parser.parse_args(argv)

    from benchmarks import statements
    from benchmarks.workload import Size, synth

    args.work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.work) as tmp:
        scratch = Path(tmp)
        prepared_sizes: dict[str, dict[str, Any]] = {}
        for case in args.cases:
            label, name = case.split(":")
            if label not in prepared_sizes:
                prepared = synth(Size.parse(label), args.work)
                prepared_sizes[label] = {"compound": str(prepared.root), "bare": str(prepared.bare),
                                         "year": prepared.last_year, "work": str(scratch),
                                         **statements.prepare(prepared, scratch)}
            workload_file = scratch / f"{label}.json"
            workload_file.write_text(json.dumps(prepared_sizes[label]), "utf-8")
            reference, measured, warm = [], [], []
            imported: dict[str, Any] = {}
            for _ in range(args.reps):
                reference.append(_spawn("bare_load", str(workload_file))["seconds"])
                measured.append(_spawn(name, str(workload_file))["seconds"])
                imported = _spawn(name, str(workload_file), "warm")
                warm.append(imported["seconds"])
            r, m, w = statistics.median(reference), statistics.median(measured), statistics.median(warm)
            print(f"\n## {label} {name}: R {r * 1000:.1f} ms, measure {m * 1000:.1f} ms, ratio {m / r:.3f} "
                  f"(CPU medians of {args.reps}; R runs {', '.join(f'{x * 1000:.0f}' for x in reference)} ms)")
            print(f"the same measure run a second time in its process (its imports done): {w * 1000:.1f} ms, "
                  f"ratio {w / r:.3f}; the first run imported {imported['imported_count']} modules in its timed "
                  f"window ({', '.join(imported['imported'][:30])}{' …' if imported['imported_count'] > 30 else ''})")
            bare_prof, prof = scratch / "bare.prof", scratch / "measure.prof"
            _spawn("bare_load", str(workload_file), str(bare_prof))
            _spawn(name, str(workload_file), str(prof))
            bare, own = own_times(str(bare_prof)), own_times(str(prof))
            print(f"profiled: time inside imports {imports_time(str(prof)) * 1000:.0f} ms of the measure, "
                  f"{imports_time(str(bare_prof)) * 1000:.0f} ms of the bare load")
            extra = sorted(((t - bare.get(k, 0.0), k) for k, t in own.items()), reverse=True)
            total = sum(own.values()) - sum(bare.values())
            print(f"profiled: measure {sum(own.values()) * 1000:.0f} ms, bare load {sum(bare.values()) * 1000:.0f} "
                  f"ms, added {total * 1000:.0f} ms (cProfile inflates small calls); most added own time:")
            for seconds, (file, line, func) in extra[:args.top]:
                short = file.split("site-packages/")[-1].split("/src/")[-1]
                print(f"  {seconds * 1000:7.1f} ms  {short}:{line} {func}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _child(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None)
        sys.exit(0)
    sys.exit(main())
