"""Shared pieces of the hardening tests: Hypothesis settings per profile, outcome tallies, tree hashes.

``HYPOTHESIS_PROFILE=long`` (``make fuzz``) runs every fuzz test with ``LONG`` examples; the default
(``make test``) runs a modest number. Each fuzz test records the outcome of every case it ran under an
input kind (``valid``, ``input_error``, ``ledger_errors``…); the figures are printed at the end of the
session (see ``conftest.py``) and written as JSON to ``$HARDENING_REPORT`` if set.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter, defaultdict
from pathlib import Path

from hypothesis import HealthCheck, settings

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
LONG = 10_000
"""Examples per fuzz test in the long run; ``HARDENING_LONG_EXAMPLES`` overrides every test's figure."""
TALLY: defaultdict[str, Counter[str]] = defaultdict(Counter)


def examples(short: int, long: int = LONG) -> settings:
    """Hypothesis settings: *short* examples in ``make test``, *long* under ``HYPOTHESIS_PROFILE=long``."""
    return settings(
        max_examples=int(os.environ.get("HARDENING_LONG_EXAMPLES", long)) if PROFILE == "long" else short,
        deadline=None,
        database=None,
        derandomize=PROFILE != "long",
        suppress_health_check=list(HealthCheck),
    )


def tally(kind: str, outcome: str) -> None:
    """Count one case of input *kind* that ended in *outcome*."""
    TALLY[kind][outcome] += 1


def tree_digest(root: Path) -> str:
    """SHA-256 over every file under *root* (relative path and bytes), lock and temp files included."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def assert_names_file(error: Exception, path: Path | str) -> None:
    """An InputError's place must start with the file it is about."""
    where = getattr(error, "where", "")
    assert where.startswith(str(path)), f"error does not name the file: {error}"
    assert str(error).strip() and "\n" not in str(error).strip(), f"not one sentence: {error!r}"
