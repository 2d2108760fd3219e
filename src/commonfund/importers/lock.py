"""One import at a time per compound: a lock file ``<compound>/.commonfund-import.lock``.

The lock is created with ``O_EXCL`` and holds the owner's pid, host and start time. A second import
while it is held stops with a clear message. A lock left by a process that no longer runs (same host),
or older than :data:`STALE_AFTER` seconds (another host), is stale: it is removed and taken over.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from commonfund.core.errors import InputError

LOCK_NAME = ".commonfund-import.lock"
STALE_AFTER = 3600.0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _stale(info: dict[str, object], path: Path) -> bool:
    if not info:  # unreadable or empty, and not being written (see import_lock): no owner can be named
        return True
    pid, host, started = info.get("pid"), info.get("host"), info.get("started")
    if host == socket.gethostname() and isinstance(pid, int):
        return not _alive(pid)
    age = time.time() - (started if isinstance(started, (int, float)) else path.stat().st_mtime)
    return age > STALE_AFTER


def _read(path: Path) -> dict[str, object]:
    try:
        value = json.loads(path.read_text("utf-8"))
        return value if isinstance(value, dict) else {}
    except (OSError, ValueError):
        return {}


@contextlib.contextmanager
def import_lock(root: Path) -> Iterator[Path]:
    """Hold the compound's import lock for the duration of the ``with`` block."""
    path = root / LOCK_NAME
    payload = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()})
    for _ in range(3):
        if not _create(path, payload):
            info = _read(path)
            if not info and time.time() - _mtime(path) < 2:
                time.sleep(0.2)  # being written by its owner right now
                continue
            if _stale(info, path):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                continue
            since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(float(str(info.get("started", 0)))))
            raise InputError(path, f"another import into this compound is running (pid {info.get('pid')} on "
                                   f"{info.get('host')}, since {since}); wait for it to finish, or delete this "
                                   "file if that process is gone") from None
        break
    else:
        raise InputError(path, "could not take the import lock; try again")
    try:
        yield path
    finally:
        with contextlib.suppress(FileNotFoundError):
            if _read(path).get("pid") == os.getpid():
                path.unlink()


def _create(path: Path, payload: str) -> bool:
    """Create the lock with its payload in one step (False if it exists): the payload is written to a temp
    file that is then hard-linked to the lock's name, so a process killed at any moment never leaves an
    empty lock that nobody can tell is stale."""
    fd, tmp = tempfile.mkstemp(prefix=f"{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(payload)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links: fall back to an exclusive create
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                return False
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(payload)
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0
