"""The command lines commonfund prints run as printed, whether or not ``commonfund`` is on the PATH."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from commonfund.core.program import command_line, program

SCRIPT = Path(sys.executable).with_name("commonfund")
pytestmark = pytest.mark.skipif(not SCRIPT.is_file(), reason="commonfund is not installed as a script here")


def runs_as_printed(line: str, cwd: Path, path: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(line, shell=True, cwd=cwd, env={**os.environ, "PATH": path}, capture_output=True,
                          text=True, timeout=120)


def test_without_the_environment_on_the_path_the_script_is_printed_as_typed_from_here(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """As after ``make demo`` in a fresh shell: ``.venv/bin/commonfund``, relative to the folder we are in."""
    bare = "/usr/bin:/bin"
    monkeypatch.setenv("PATH", bare)
    here = SCRIPT.parent.parent.parent
    monkeypatch.chdir(here)
    assert program() == str(SCRIPT.absolute().relative_to(here))
    line = command_line("--version")
    result = runs_as_printed(line, here, bare)
    assert result.returncode == 0 and "commonfund" in result.stdout, (line, result.stderr)
    assert runs_as_printed("commonfund --version", here, bare).returncode == 127  # what the README warned about


def test_with_the_environment_activated_it_is_just_commonfund(monkeypatch: pytest.MonkeyPatch,
                                                            tmp_path: Path) -> None:
    path = f"{SCRIPT.parent}{os.pathsep}/usr/bin:/bin"
    monkeypatch.setenv("PATH", path)
    monkeypatch.chdir(tmp_path)
    assert program() == "commonfund"
    assert command_line("serve", tmp_path / "新 小区") == f"commonfund serve '{tmp_path / '新 小区'}'"
    assert runs_as_printed(command_line("--version"), tmp_path, path).returncode == 0


def test_outside_the_folder_the_full_path_is_printed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    monkeypatch.chdir(tmp_path)
    if SCRIPT.absolute().is_relative_to(tmp_path):
        pytest.skip("the environment lives under the temporary folder")
    assert program() == str(SCRIPT.absolute())
    assert runs_as_printed(command_line("--version"), tmp_path, "/usr/bin:/bin").returncode == 0
