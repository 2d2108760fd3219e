"""The package keeps its layers (docs/architecture.md): import-linter's contracts in pyproject.toml hold."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(src: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """import-linter with the repository's contracts over the package in *src*."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--config", str(REPO / "pyproject.toml")], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=300)


def test_every_folder_imports_only_the_layers_below_it_and_nothing_circles() -> None:
    result = lint_imports(REPO / "src", REPO)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "2 kept, 0 broken" in result.stdout


def test_an_upward_import_inside_a_function_breaks_the_contract(tmp_path: Path) -> None:
    """grimp reads function-level imports too: core importing the CLI inside a function is caught."""
    package = tmp_path / "src" / "commonfund"
    shutil.copytree(REPO / "src" / "commonfund", package, ignore=shutil.ignore_patterns("__pycache__"))
    money = package / "core" / "money.py"
    money.write_text(money.read_text("utf-8") + "\n\ndef _upward() -> None:\n    from commonfund.cli import main\n",
                     "utf-8")
    result = lint_imports(tmp_path / "src", tmp_path)
    assert result.returncode != 0
    assert "commonfund.core.money -> commonfund.cli" in result.stdout
