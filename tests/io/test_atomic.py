from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from commonfund.io.atomic import atomic_open, write_text


def test_replaces_whole_file_and_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "a.beancount"
    write_text(path, "one\n")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
    path.chmod(0o640)
    write_text(path, "two\n")
    assert path.read_text() == "two\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_error_leaves_old_file_and_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "a.beancount"
    write_text(path, "old\n")
    with pytest.raises(RuntimeError), atomic_open(path) as handle:
        handle.write("half")
        raise RuntimeError("power cut")
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.beancount"]
