"""Prints the hardening figures (cases per input kind and their outcomes) at the end of the session."""

from __future__ import annotations

import json
import os
from typing import Any

from hardening_kit import PROFILE, TALLY


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not TALLY:
        return
    terminalreporter.section(f"hardening figures (profile {PROFILE})")
    for kind in sorted(TALLY):
        counts = TALLY[kind]
        detail = ", ".join(f"{outcome} {n}" for outcome, n in sorted(counts.items()))
        terminalreporter.write_line(f"{kind}: {sum(counts.values())} cases ({detail})")
    target = os.environ.get("HARDENING_REPORT")
    if target:
        with open(target, "w", encoding="utf-8") as handle:
            json.dump({"profile": PROFILE, "tally": {k: dict(v) for k, v in TALLY.items()}}, handle, indent=2)
