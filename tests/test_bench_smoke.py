"""Smoke run of the benchmark suite (``make bench``): a tiny size, one repetition, no timing assertions.

It checks that the runner works end to end and that every figure is a number or says "not available"
(or, for a feature that crashed, "failed") — never an empty or made-up cell.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def test_bench_smoke(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--sizes", "50x1", "--reps", "1", "--no-district",
         "--work", str(tmp_path / "work"), "--out", str(tmp_path / "out")],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]
    doc = json.loads((tmp_path / "out" / "results.json").read_text("utf-8"))
    assert [s["label"] for s in doc["sizes"]] == ["50x1"] and doc["sizes"][0]["transactions"] > 0
    rows = {r["measure"]: r for r in doc["results"]}
    assert {"bare_load", "check", "subledgers", "audit_core", "import_month", "export", "disclose_mf"} <= set(rows)
    for name in ("bare_load", "check"):  # these exist since the foundation: they must measure
        assert rows[name]["status"] == "ok" and rows[name]["median_s"] > 0, rows[name]
    assert rows["check"]["ratio"] > 0 and rows["check"]["peak_mb"] > 0
    for row in doc["results"] + doc["once"]:
        assert row["status"] in ("ok", "not available", "failed"), row
        if row["status"] == "ok":
            assert row.get("median_s", 0) > 0 or row.get("rate", 0) > 0, row
        else:
            assert row.get("note"), row  # says why
    markdown = (tmp_path / "out" / "RESULTS.md").read_text("utf-8")
    assert "## Machine" in markdown and "## Targets" in markdown and "50 households × 1 years" in markdown
    table = markdown.split("## 50 households × 1 years", 1)[1].split("\n## ", 1)[0]
    figures = [line.split("|")[3].strip() for line in table.splitlines() if line.startswith("| ") and
               not line.startswith("| measure")]
    assert figures and all(re.fullmatch(r"[\d.,]+ (ms|s|rows/s)|not available|failed", f) for f in figures), figures
