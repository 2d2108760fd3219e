"""Helpers for tests that run ``commonfund serve`` in a subprocess and drive it with Debian chromium."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
_URL = re.compile(r"^Fava: (?P<base>http://[^/]+)/(?P<slug>[^/]+)/extension/CommonFund/\s*$")


def chromium_missing() -> str | None:
    """Why the browser tests cannot run here, or None if they can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is not installed (make test installs it via scripts/system-deps.sh)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    return None


@dataclass
class Server:
    """A running ``commonfund serve``.

    Attributes:
      base: ``http://127.0.0.1:PORT``.
      slug: Fava's ledger slug.
      process: The subprocess.
      output: Lines printed so far.
    """

    base: str
    slug: str
    process: subprocess.Popen[str]
    output: list[str]

    @property
    def ledger_url(self) -> str:
        return f"{self.base}/{self.slug}/"

    @property
    def pages_url(self) -> str:
        return f"{self.base}/{self.slug}/extension/CommonFund/"

    def stop(self, sig: int = signal.SIGINT, timeout: float = 60) -> int:
        """Stop the server like Ctrl-C and return its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        rest = self.process.stdout.read() if self.process.stdout else ""
        self.output.extend(rest.splitlines())
        return int(self.process.returncode)


@contextmanager
def running(root: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 180) -> Iterator[Server]:
    """Start ``commonfund serve ROOT --port 0 ARGS`` and yield it once it prints its URL."""
    command = [sys.executable, "-m", "commonfund", "serve", str(root), "--port", "0", *args]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8",
        env={**os.environ, **(env or {})},
    )
    output: list[str] = []
    deadline = time.monotonic() + timeout
    server = None
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        output.append(line.rstrip("\n"))
        match = _URL.match(line)
        if match:
            server = Server(match["base"], match["slug"], process, output)
        if server and line.startswith(("只读", "可编辑")):
            break
    if server is None:
        process.kill()
        process.wait()
        raise AssertionError("commonfund serve did not start:\n" + "\n".join(output))
    try:
        yield server
    finally:
        server.stop()


def copy_compound(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".*picklecache"))
    return target


def launch_chromium(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
