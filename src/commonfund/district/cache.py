"""The district cache: each compound's summary stored under its fingerprint, so that a re-run of the
roll-up recomputes only the compounds whose books changed.

The key of a compound's summary is the SHA-256 of: the code that computes summaries (:func:`code_version`,
a digest of those modules' source found *by module name*, the Python, commonfund and Beancount versions),
the year asked for, the compound's folder, its ledger fingerprint (:func:`commonfund.compound.fingerprint.fingerprint`:
every included Beancount file, the config, the register, the ballots — a changed byte is a new key) and the
names of its ``documents/`` files (an audit check asks whether a cited document exists). Modification
times are never used.

Entries follow the parse cache's conventions (:mod:`commonfund.io.cache`): under the user's cache folder
(``district/``, never in a ledger folder), written atomically with mode 0600, checked by CRC-32, an entry
that is damaged or written by other code ignored, the folder pruned to the :data:`KEEP` most recently used
entries and safe to delete at any time. A compound that could not be summarised is cached too (its error is
a function of its files), except when its task died on a worker or the files could not be read (retried).
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import marshal
import os
import pkgutil
import sys
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

from commonfund import __version__
from commonfund.compound.fingerprint import fingerprint
from commonfund.disclosure.status import DisclosureStatus
from commonfund.district.summary import CompoundSummary, YearFigures
from commonfund.io import cache

FORMAT = 1
"""Bump when the shape of a cached summary changes."""
KIND = "summary"
SUBDIR = "district"
KEEP = 20_000
"""Entries kept when the folder is pruned (a city of 5,000 compounds, a few years asked for each)."""
SEEDS = ("commonfund.district.summary", "commonfund.plugin", "commonfund.audit.checks", "commonfund.rules")
"""The modules a summary is computed by; with every ``commonfund`` module they import (followed through their
source), they make :func:`code_version`. Packages named here count with all their modules (checks and
rules register themselves)."""
TRANSIENT = ("task failed on its worker", "OSError", "MemoryError", "PermissionError", "TimeoutError")
"""Errors that say nothing about the books (retried on the next run, never cached)."""


@functools.cache
def code_version() -> str:
    """A digest of the source of every module that computes a summary, and of the versions around them."""
    import beancount

    digest = hashlib.sha256(f"{FORMAT}\x00{sys.version_info[0]}.{sys.version_info[1]}\x00{__version__}\x00"
                            f"{beancount.__version__}".encode())
    for name, source in sorted(module_sources(SEEDS).items()):
        digest.update(b"%s\x00%d\x00" % (name.encode(), len(source)))
        digest.update(source)
    return digest.hexdigest()[:16]


def module_sources(seeds: Iterable[str]) -> dict[str, bytes]:
    """The source of each ``commonfund`` module reachable from *seeds* through imports (at any level of a
    module, ``import_module("commonfund.…")`` strings included), by module name, as the import system finds
    it (the compiled code for a module shipped without source). A seed that is a package counts with all of
    its modules."""
    todo: list[str] = []
    for seed in seeds:
        todo += [seed, *_submodules(seed)]
    found: dict[str, bytes] = {}
    while todo:
        name = todo.pop()
        if name in found or not name.startswith("commonfund."):
            continue
        source = _source(name)
        if source is None:  # a name imported from a module, not a module
            continue
        found[name] = source
        with contextlib.suppress(SyntaxError, ValueError):  # compiled code: nothing more to follow
            todo += _imports(source)
    return found


def _spec(name: str) -> importlib.machinery.ModuleSpec | None:
    try:
        return importlib.util.find_spec(name)
    except (ImportError, AttributeError, ValueError):  # e.g. "commonfund.district.CompoundSummary"
        return None


def _source(name: str) -> bytes | None:
    spec = _spec(name)
    loader = spec.loader if spec is not None else None
    if not isinstance(loader, importlib.abc.InspectLoader):
        return None
    source = loader.get_source(name)
    if source is not None:
        return source.encode("utf-8")
    code = loader.get_code(name)
    return None if code is None else marshal.dumps(code)


def _submodules(package: str) -> list[str]:
    spec = _spec(package)
    if spec is None or not spec.submodule_search_locations:
        return []
    names = []
    for info in pkgutil.iter_modules(spec.submodule_search_locations, prefix=f"{package}."):
        names.append(info.name)
        if info.ispkg:
            names += _submodules(info.name)
    return names


def _imports(source: bytes) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]  # kept only if a module
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("commonfund."):
            names.append(node.value)
    return [n for n in names if n.startswith("commonfund.")]


def summary_key(path: str | Path, year: int | None) -> str | None:
    """The cache key of the summary of the compound at *path* for *year*, or None when its files cannot be
    fingerprinted (then it is summarised, and reported, on every run)."""
    root = Path(path).resolve()
    try:
        books = fingerprint(root)
        documents = _documents(root)
    except Exception:  # unreadable, broken config: no key, the summary reports why
        return None
    digest = hashlib.sha256("\x00".join((code_version(), str(year), str(root), books)).encode("utf-8"))
    digest.update("\x01".join(documents).encode("utf-8"))
    return digest.hexdigest()


def _documents(root: Path) -> list[str]:
    """The files under the compound's ``documents/`` folder (relative names: the audit asks whether a cited
    document exists, not what it holds), sorted."""
    base = os.path.join(root, "documents")
    found: list[str] = []
    for folder, dirs, files in os.walk(base):
        dirs.sort()
        prefix = folder[len(base):]
        found.extend(f"{prefix}/{name}" for name in files)
    return sorted(found)


def summary_keys(paths: Sequence[str | Path], year: int | None, threads: int = 4) -> list[str | None]:
    """:func:`summary_key` of each path (hashing releases the GIL: a few threads read and hash at once)."""
    code_version()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(lambda p: summary_key(p, year), paths))


def read_summary(key: str) -> CompoundSummary | None:
    """The cached summary under *key*, or None if there is none or it cannot be used."""
    blobs = cache.read_blobs(KIND, key, subdir=SUBDIR)
    if blobs is None or len(blobs) != 1:
        return None
    try:
        summary = from_plain(blobs[0])
    except (KeyError, TypeError, ValueError, ArithmeticError):
        return None
    with contextlib.suppress(OSError):  # mark it used, so that pruning keeps what the roll-up still reads
        os.utime(cache.entry_path(KIND, key, SUBDIR))
    return summary


def write_summary(key: str, summary: CompoundSummary) -> bool:
    """Cache *summary* under *key* unless its error is transient; whether it was written."""
    if summary.error is not None and summary.error.startswith(TRANSIENT):
        return False
    cache.write_blobs(KIND, key, [to_plain(summary)], subdir=SUBDIR, keep=KEEP)
    return True


def _money(values: dict[Any, Decimal]) -> list[Any]:
    return [[*(k if isinstance(k, tuple) else (k,)), str(v)] for k, v in values.items()]


def _unmoney(rows: list[Any], pairs: bool) -> dict[Any, Decimal]:
    return {(tuple(row[:-1]) if pairs else row[0]): Decimal(row[-1]) for row in rows}


def to_plain(summary: CompoundSummary) -> dict[str, Any]:
    """*summary* as plain data (str, int, lists, dicts) for :func:`commonfund.cache.dumps`; the year's
    figures are stored once, in ``years``."""
    def year(y: YearFigures) -> list[Any]:
        d = y.disclosures
        return [y.year, _money(y.fund_balances), _money(y.income), _money(y.spending), y.findings, y.by_check,
                None if d is None else [d.due, d.on_time, list(d.late), list(d.missing), d.pending],
                y.below_30pct]

    return {
        "path": summary.path, "name": summary.name, "slug": summary.slug, "year": summary.year,
        "households": summary.households, "transactions": summary.transactions,
        "ledger_errors": summary.ledger_errors, "first_error": summary.first_error,
        "sweep_policy": summary.sweep_policy, "years": [year(y) for y in summary.years],
        "notes": list(summary.notes), "error": summary.error, "seconds": summary.seconds,
    }


def from_plain(plain: dict[str, Any]) -> CompoundSummary:
    """The summary :func:`to_plain` stored, marked as read from the cache."""
    years = tuple(
        YearFigures(year, _unmoney(balances, False), _unmoney(income, True), _unmoney(spending, True),
                    findings, by_check, None if d is None else DisclosureStatus(d[0], d[1], tuple(d[2]),
                                                                                tuple(d[3]), d[4]), below)
        for year, balances, income, spending, findings, by_check, d, below in plain["years"]
    )
    now = next((y for y in years if y.year == plain["year"]), None)
    headline: dict[str, Any] = {} if now is None else {
        "fund_balances": now.fund_balances, "income": now.income, "spending": now.spending,
        "findings": now.findings, "disclosures": now.disclosures, "below_30pct": now.below_30pct}
    return CompoundSummary(
        path=plain["path"], name=plain["name"], slug=plain["slug"], year=plain["year"],
        households=plain["households"], transactions=plain["transactions"],
        ledger_errors=plain["ledger_errors"], first_error=plain["first_error"],
        sweep_policy=plain["sweep_policy"], years=years, notes=tuple(plain["notes"]), error=plain["error"],
        seconds=plain["seconds"], from_cache=True, **headline,
    )
