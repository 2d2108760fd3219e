"""Fava page latencies: each commonfund page against Fava's own income-statement API, same server.

Starts ``commonfund serve DIR --port P`` (read-only), waits for it, finds the commonfund pages from the
links Fava renders in its sidebar (``/<slug>/extension/…``), warms every URL once, then times several
GETs of each. The server's peak memory comes from ``RUSAGE_CHILDREN`` after it has stopped.
"""

from __future__ import annotations

import json
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from benchmarks.registry import Figures, Unavailable, measure

GETS = 5


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str, timeout: float = 300) -> tuple[int, str, str]:
    """GET *url*: ``(status, final url, body)``; HTTP errors are returned, not raised."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.geturl(), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, url, ""


def timed_get(url: str) -> float:
    start = time.perf_counter()
    status, _, _ = fetch(url)
    seconds = time.perf_counter() - start
    if status != 200:
        raise RuntimeError(f"GET {url} answered {status}")
    return seconds


def wait_until_up(base: str, server: subprocess.Popen[bytes], log: Path, limit: float = 180) -> str:
    """Wait for Fava to answer; return the ledger's start-page URL."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"`commonfund serve` exited {server.returncode}: {log.read_text()[-300:]}")
        try:
            status, final, _ = fetch(base + "/", timeout=5)
            if status == 200:
                return final
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"`commonfund serve` did not answer within {limit:.0f} s")


def commonfund_pages(base: str, slug: str) -> dict[str, str]:
    """The commonfund pages as Fava serves them: each extension report, each of its tabs (``data-tab-link``),
    one household's sub-ledger, and the extension's parameterless GET endpoints."""
    _, _, start = fetch(f"{base}/{slug}/income_statement/")
    found = re.search(r'"extensions":(\[.*?\])', start)
    extensions = json.loads(found.group(1)) if found else []
    if not extensions:
        raise Unavailable("Fava runs but lists no commonfund extension")
    pages: dict[str, str] = {}
    for extension in extensions:
        name = extension["name"]
        page = f"{base}/{slug}/extension/{name}/"
        _, _, text = fetch(page)
        tabs = list(dict.fromkeys(re.findall(r'data-tab-link="([^"]+)"', text)))
        pages |= {f"{name} ?tab={tab}": f"{page}?tab={tab}" for tab in tabs} or {name: page}
        if "households" in tabs:
            _, _, households = fetch(f"{page}?tab=households")
            unit = re.search(r'data-unit="([^"]+)"', households)
            if unit:
                pages[f"{name} ?tab=households&unit=…"] = f"{page}?tab=households&unit={unit.group(1)}"
        for endpoint in get_endpoints(name):  # those that need parameters answer 400 without them: skipped
            if fetch(f"{page}{endpoint}")[0] == 200:
                pages[f"{name} endpoint {endpoint}"] = f"{page}{endpoint}"
    return pages


def get_endpoints(class_name: str) -> list[str]:
    """Names of the extension's GET endpoints that take no parameters (found on the class)."""
    import importlib
    import inspect

    from commonfund.web.keys import EXTENSION_CLASS, EXTENSION_MODULE

    if class_name != EXTENSION_CLASS:
        return []
    cls = getattr(importlib.import_module(EXTENSION_MODULE), class_name)
    out = []
    for _, func in inspect.getmembers(cls, inspect.isfunction):
        key = getattr(func, "endpoint_key", None)
        if key and "GET" in key[1] and list(inspect.signature(func).parameters) == ["self"]:
            out.append(key[0])
    return sorted(out)


@measure("fava", "Fava: each commonfund page vs Fava's own income-statement API (median GET wall time, warm)",
         basis="latency", target=1.25, heavy=True)
def fava_pages(workload: dict[str, Any]) -> Figures:
    from commonfund.cli import main

    if "serve" not in main.commands:
        raise Unavailable("`commonfund serve` (issue 7) does not exist yet")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = Path(workload["work"]) / "serve.log"
    command = [str(Path(sys.executable).with_name("commonfund")), "serve", workload["compound"], "--port", str(port)]
    with log.open("wb") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        start = time.perf_counter()
        first = wait_until_up(base, server, log)
        slug = first.removeprefix(base + "/").split("/", 1)[0]
        api = f"{base}/{slug}/api/income_statement"
        timed_get(api)  # the first request after start loads the ledger
        ready = time.perf_counter() - start
        urls = {"income_statement API (Fava)": api, **commonfund_pages(base, slug)}
        for url in urls.values():
            timed_get(url)  # warm: compute-once-per-load caches fill here
        medians = {label: statistics.median(timed_get(url) for _ in range(GETS)) for label, url in urls.items()}
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    reference = medians.pop("income_statement API (Fava)")
    return {"seconds": reference, "wall_seconds": reference, "parts": medians, "first_load_seconds": ready,
            "server_peak_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)}
