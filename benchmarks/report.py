"""Turning runs into figures: medians, ratios to R, targets met or missed, growth fits, RESULTS.md.

Growth: for every measure, ``seconds ≈ a + b·(transactions/1000) + c·(households/1000)`` is fitted by
least squares over the sizes of the run; ``b`` and ``c`` are the printed slopes. A measure whose output is
not per household is *flat in households* when ``c`` over the households span moves its time by at most
20% of its median at the largest size; *linear in transactions* when the fit explains ≥ 90% of the variance.
"""

from __future__ import annotations

import statistics
from typing import Any

FLAT_SHARE = 0.20
LINEAR_R2 = 0.90
NA = "not available"


def summarise(measure: Any, runs: list[dict[str, Any]], reference: float | None,
              reference_wall: float | None = None) -> list[dict[str, Any]]:
    """Rows (one, or one per page for Fava) from a measure's runs at one size; *reference* is R in CPU
    seconds (the basis of ratios), *reference_wall* R in wall seconds (shown beside them)."""
    row: dict[str, Any] = {"measure": measure.name, "title": measure.title, "basis": measure.basis,
                           "target": measure.target, "per_household": measure.per_household}
    ok = [r for r in runs if r.get("status") == "ok"]
    if not ok:
        first = runs[0] if runs else {"status": NA, "note": "not run"}
        row.update(status=first["status"], note=first.get("note", ""))
        return [row]
    seconds = [r["seconds"] for r in ok]
    row.update(status="ok", runs=seconds, median_s=statistics.median(seconds), peak_mb=max(r["peak_mb"] for r in ok),
               op_wall_median_s=statistics.median(r.get("wall_seconds", r["seconds"]) for r in ok),
               wall_median_s=statistics.median(r["wall_s"] for r in ok),
               extra={k: v for k, v in ok[-1].items()
                      if k not in {"status", "seconds", "wall_seconds", "peak_mb", "wall_s", "parts"}})
    if reference is None and all("reference_seconds" in r for r in ok):  # a measure that times its own R
        reference = statistics.median(r["reference_seconds"] for r in ok)
        reference_wall = statistics.median(r.get("reference_wall_seconds", r["reference_seconds"]) for r in ok)
    if measure.basis in ("ratio", "beyond-load") and reference_wall:
        row["wall_ratio"] = row["op_wall_median_s"] / reference_wall
    if measure.basis in ("ratio", "beyond-load") and reference:
        row["ratio"] = row["median_s"] / reference
    if measure.basis == "rate":
        row["rate"] = statistics.median(r["rate"] for r in ok)
    rows = [row]
    if measure.basis == "latency":
        row["title"] = "Fava's own income-statement API (reference for the pages)"
        for label in ok[-1].get("parts", {}):
            values = [r["parts"][label] for r in ok if label in r.get("parts", {})]
            median = statistics.median(values)
            rows.append({"measure": f"{measure.name}:{label}", "title": f"Fava page `{label}`", "basis": "latency",
                         "status": "ok", "runs": values, "median_s": median, "ratio": median / row["median_s"],
                         "target": measure.target, "per_household": False})
        row["target"] = None
    for item in rows:
        if item.get("target") is not None and "ratio" in item:
            item["met"] = item["ratio"] <= item["target"]
    return rows


def fit_growth(sizes: list[dict[str, Any]], results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Least-squares slopes per 1,000 transactions and per 1,000 households for every measure."""
    import numpy as np

    info = {s["label"]: s for s in sizes}
    names = sorted({r["measure"] for r in results if r.get("status") == "ok" and "median_s" in r})
    out = []
    for name in names:
        points = [(info[r["size"]]["transactions"] / 1000, info[r["size"]]["households"] / 1000, r["median_s"],
                   r.get("per_household", False)) for r in results
                  if r["measure"] == name and r.get("status") == "ok" and r["size"] in info]
        if len(points) < 3:
            continue
        txn, hh, sec = (np.array([p[i] for p in points], dtype=float) for i in range(3))
        columns = [np.ones_like(txn)]
        use_txn, use_hh = np.ptp(txn) > 0, np.ptp(hh) > 0
        if use_txn:
            columns.append(txn)
        if use_hh:
            columns.append(hh)
        design = np.column_stack(columns)
        coef, *_ = np.linalg.lstsq(design, sec, rcond=None)
        predicted = design @ coef
        total = float(((sec - sec.mean()) ** 2).sum())
        r2 = 1.0 - float(((sec - predicted) ** 2).sum()) / total if total > 0 else 1.0
        per_txn = float(coef[1]) if use_txn else None
        per_hh = float(coef[-1]) if use_hh else None
        largest = sec[np.argmax(txn * 1e6 + hh)]
        share = abs(per_hh) * float(np.ptp(hh)) / largest if per_hh is not None and largest > 0 else 0.0
        per_household = points[0][3]
        out.append({
            "measure": name, "points": len(points), "per_1k_transactions_s": per_txn, "per_1k_households_s": per_hh,
            "intercept_s": float(coef[0]), "r2": r2, "household_share": share, "per_household": per_household,
            "linear": r2 >= LINEAR_R2, "flat_in_households": None if per_household else share <= FLAT_SHARE,
        })
    return out


def fmt_s(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value * 1000:.1f} ms" if abs(value) < 1 else f"{value:.2f} s"


def cell(row: dict[str, Any]) -> str:
    """The figure of a row as RESULTS.md shows it: a number, or "not available" / "failed"."""
    if row["status"] != "ok":
        return NA if row["status"] == NA else "failed"
    if row.get("basis") == "rate":
        return f"{row['rate']:,.0f} rows/s"
    if row.get("extra", {}).get("figure"):
        return str(row["extra"]["figure"])  # a figure that is no time (an accuracy, a count): its note says more
    return fmt_s(row["median_s"])


def verdict(row: dict[str, Any]) -> str:
    if row.get("met") is None:
        return ""
    return "met" if row["met"] else "**missed**"


def render_markdown(doc: dict[str, Any]) -> str:
    """RESULTS.md from the results document."""
    m = doc["machine"]
    lines = [
        "# commonfund benchmark results", "",
        f"Generated by `make bench` ({doc['command']}) on {doc['started']}, commit `{m['commit']}`. "
        "Each figure is the median of fresh-process runs (no pickle cache); ratios are to R, the bare "
        "Beancount load of the same ledger with the commonfund plugin line removed, measured in the same run, "
        "repetitions interleaved. *median* and the ratios are **CPU seconds** (user + system) of the operation "
        "only, after imports — on this shared 2-core machine other sessions compete for the cores, which moves "
        "wall time a lot and CPU time little; *wall* is the same operation's wall time (and *wall ratio* its "
        "ratio to R's wall time); *cold wall* is the whole child process (interpreter start, imports, "
        "operation). Fava latencies are wall times of HTTP GETs. Peak memory is the child process's maximum "
        "RSS (imports included).", "",
        "## Machine", "", "| | |", "|---|---|",
        *[f"| {k} | {v} |" for k, v in m.items()], "",
        "## Sizes (generated by `commonfund synth`)", "",
        "| size (households × years) | transactions | ledger lines | entries after load | R (CPU) | R (wall) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for s in doc["sizes"]:
        lines.append(f"| {s['households']:,} × {s['years']} | {s['transactions']:,} | {s['ledger_lines']:,} | "
                     f"{s.get('entries', '—')} | {fmt_s(s.get('R_s'))} | {fmt_s(s.get('R_wall_s'))} |")
    lines += ["", "## Targets", "",
              "| size | measure | median | ratio | target | result |", "|---|---|---:|---:|---:|---|"]
    for r in doc["results"]:
        if r.get("target") is not None:
            ratio = f"{r['ratio']:.3f}×" if "ratio" in r else "—"
            lines.append(f"| {r['size']} | {r['measure']} | {cell(r)} | {ratio} | ≤ {r['target']}× | "
                         f"{verdict(r) or r['status']} |")
    for s in doc["sizes"]:
        lines += ["", f"## {s['households']:,} households × {s['years']} years ({s['transactions']:,} transactions)",
                  "", "| measure | what | median (CPU) | ratio to R | target | wall | wall ratio | peak MB | cold wall "
                  "| note |", "|---|---|---:|---:|---:|---:|---:|---:|---:|---|"]
        for r in (r for r in doc["results"] if r["size"] == s["label"]):
            ratio = f"{r['ratio']:.3f}×" if "ratio" in r else ""
            target = f"≤ {r['target']}× {verdict(r)}" if r.get("target") is not None else ""
            note = r.get("note", "") or _extra_note(r.get("extra", {}))
            wall_ratio = f"{r['wall_ratio']:.3f}×" if "wall_ratio" in r else ""
            wall = fmt_s(r["op_wall_median_s"]) if "op_wall_median_s" in r else ""
            lines.append(f"| {r['measure']} | {r['title']} | {cell(r)} | {ratio} | {target} | {wall} | {wall_ratio} | "
                         f"{r.get('peak_mb', '')} | {fmt_s(r.get('wall_median_s'))} | {note} |")
    if doc.get("once"):
        lines += ["", "## Once per run", "", "| measure | what | figure | note |", "|---|---|---:|---|"]
        for r in doc["once"]:
            note = r.get("note", "") or _extra_note(r.get("extra", {}))
            if "ratio" in r and r.get("target") is not None:  # a measure that times its own R
                note = (f"{r['ratio']:.3f}× its R (target ≤ {r['target']}×: {'met' if r.get('met') else '**missed**'})"
                        + (f"; {note}" if note else ""))
            lines.append(f"| {r['measure']} | {r['title']} | {cell(r)} | {note} |")
    lines += ["", "## Growth with transactions and households", "",
              "Least-squares fit `seconds ≈ a + b·(transactions/1000) + c·(households/1000)` over the sizes above. "
              f"Flat in households: c over the households span ≤ {FLAT_SHARE:.0%} of the time at the largest size "
              "(not required of per-household outputs). Linear: R² ≥ 0.9.", "",
              "| measure | b: per 1,000 transactions | c: per 1,000 households | R² | households share | linear "
              "| flat in households |",
              "|---|---:|---:|---:|---:|---|---|"]
    for g in doc["growth"]:
        flat = {None: "n/a (per household)", True: "yes", False: "**no**"}[g["flat_in_households"]]
        lines.append(f"| {g['measure']} | {fmt_s(g['per_1k_transactions_s'])} | {fmt_s(g['per_1k_households_s'])} | "
                     f"{g['r2']:.3f} | {g['household_share']:.0%} | {'yes' if g['linear'] else '**no**'} | {flat} |")
    if doc.get("district"):
        d = doc["district"]
        m = d.get("machine", {})
        run = (f"Run by `{d['command']}` on {d['started']}, commit `{m.get('commit')}`, load average at start "
               f"{m.get('load average at start')}." if d.get("command") else
               f"Part of the run above (commit `{m.get('commit', '')}`).")
        lines += ["", "## District roll-up (Dask distributed, LocalCluster)", "", run, "", *d["markdown"]]
    if doc.get("findings"):
        lines += ["", "## Where targets are missed, and why", "", *doc["findings"]]
    return "\n".join(lines) + "\n"


def _extra_note(extra: dict[str, Any]) -> str:
    keys = ("checks", "findings", "exit_code", "output_bytes", "statement_rows", "rows", "first_load_seconds",
            "server_peak_mb", "errors", "summary")
    return ", ".join(f"{k}={extra[k]}" for k in keys if extra.get(k) is not None)
