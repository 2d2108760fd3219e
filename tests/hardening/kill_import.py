"""Run ``commonfund import`` in this process and SIGKILL it at a chosen point (a test helper, not a test).

    python kill_import.py count          -- import DIR FILE...   prints the number of write points
    python kill_import.py point N        -- import DIR FILE...   SIGKILLs itself just before point N
    python kill_import.py announce       -- import DIR FILE...   prints WRITING when it starts writing the books
                                                                 (the parent then kills after a delay)
    python kill_import.py hold           -- import DIR FILE...   prints LOCKED once the lock is held and
                                                                 waits for a line on stdin

A *write point* is every call the import makes to the operating system while it takes the lock and
writes the books (``os.open``/``os.fsync``/``os.replace``/``os.unlink``/``os.close``, ``tempfile.mkstemp``,
``os.fdopen`` and each write to a file being written atomically). Killing just before each one, with
SIGKILL (no cleanup, no ``finally``), is what a power cut or ``kill -9`` at that moment would leave.
Nothing in commonfund is changed: the wrapper replaces the ``os``/``tempfile`` names the writer and the
lock modules use, in this process only.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import time
from typing import Any

import commonfund.importers.lock as lock
import commonfund.io.atomic as atomic
from commonfund.cli import main

WATCHED = {"open", "fsync", "replace", "unlink", "close", "fdopen", "mkstemp", "link", "write"}
mode = sys.argv[1]
target = int(sys.argv[2]) if mode == "point" else 0
args = sys.argv[sys.argv.index("--") + 1:]
count = 0


calls: dict[str, int] = {}
started: list[float] = []


def count_of(name: str) -> int:
    return calls.get(name, 0)


def point(name: str) -> None:
    global count
    count += 1
    calls[name] = calls.get(name, 0) + 1
    if mode == "point" and count == target:
        os.kill(os.getpid(), signal.SIGKILL)
    if name == "mkstemp" and calls[name] == 1:
        started.append(time.monotonic())
        if mode == "announce":
            print("WRITING", flush=True)


class _File:
    """A file object whose writes are write points."""

    def __init__(self, handle: Any) -> None:
        self._handle = handle

    def write(self, text: Any) -> int:
        point("write")
        return int(self._handle.write(text))

    def __enter__(self) -> _File:
        self._handle.__enter__()
        return self

    def __exit__(self, *exc: object) -> Any:
        return self._handle.__exit__(*exc)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


class _Trap:
    """Stands in for a module: its watched functions become write points."""

    def __init__(self, real: Any) -> None:
        self._real = real

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._real, name)
        if name not in WATCHED or not callable(value):
            return value

        def wrapped(*args: Any, **kwargs: Any) -> Any:
            point(name)
            if name == "mkstemp" and mode == "hold" and count_of("mkstemp") == 1:
                print("LOCKED", flush=True)  # the lock is held and written; the books are about to be written
                sys.stdin.readline()
            result = value(*args, **kwargs)
            return _File(result) if name == "fdopen" else result

        return wrapped


atomic.os = _Trap(os)  # type: ignore[assignment]
atomic.tempfile = _Trap(tempfile)  # type: ignore[assignment]
lock.os = _Trap(os)  # type: ignore[assignment]
try:
    main.main(args, prog_name="commonfund", standalone_mode=True)
except SystemExit as exc:
    if mode == "count":
        seconds = time.monotonic() - started[0] if started else 0.0
        print(f"POINTS {count} WRITE_SECONDS {seconds:.4f}", file=sys.stderr, flush=True)
    raise SystemExit(exc.code) from None
