"""The committed example compound is documentation and a fixture: it must stay clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

from commonfund.compound.fingerprint import source_files
from commonfund.compound.model import load_compound

EXAMPLE = REPO / "ledgers" / "example"


def test_example_is_clean() -> None:
    compound = load_compound(EXAMPLE)
    assert compound.errors == []
    assert len(compound.register) == 12
    assert {c.values[0].value for c in compound.customs("resolution")} == {
        "R-2025-01", "R-2025-02", "R-2025-03", "R-2025-04"}


def test_example_passes_bean_check() -> None:
    bean_check = Path(sys.executable).with_name("bean-check")
    result = subprocess.run([bean_check, EXAMPLE / "main.beancount"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_fingerprint_covers_every_source() -> None:
    root, files = source_files(EXAMPLE)
    names = [f.relative_to(root).as_posix() for f in files]
    assert names == sorted(names)
    assert {"main.beancount", "books/2025.beancount", "compound.toml", "households.csv",
            "ballots/R-2025-02.csv"} <= set(names)


def test_example_has_no_audit_findings() -> None:
    from commonfund.audit.findings import run_audit

    assert [f.check for f in run_audit(load_compound(EXAMPLE))] == []
