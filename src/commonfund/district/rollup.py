"""Running the district roll-up on Dask distributed: a LocalCluster here, or an existing scheduler.

Each compound is one independent task (:func:`commonfund.district.summary.summarise_compound`, given the folder's
path): a worker must see the same path (shared storage, or its own copy at the same path) and have the
same commonfund version installed (docs/district.md). A task that dies on its worker (killed, out of
memory) becomes a failed summary for that compound; the others carry on.

:func:`incremental_rollup` is what the command runs: it reads the summaries of unchanged compounds from the
district cache (:mod:`commonfund.district.cache`, kept by the client: workers need nothing of it), sends only
the others to Dask, and caches what comes back as it arrives (an interrupted run keeps what it finished).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from commonfund.district import cache as district_cache
from commonfund.district.summary import CompoundSummary, summarise_compound

if TYPE_CHECKING:
    from dask.distributed import Client


@contextlib.contextmanager
def dask_client(scheduler: str | None = None, n_workers: int = 2, threads_per_worker: int = 1) -> Iterator[Client]:
    """A Dask client: connected to *scheduler* (``tcp://host:8786``) if given, else to a LocalCluster of
    *n_workers* worker processes on this machine (closed on exit)."""
    from dask.distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler, timeout="30s") as client:  # type: ignore[no-untyped-call]
            yield client
        return
    cluster = LocalCluster(n_workers=n_workers, threads_per_worker=threads_per_worker,  # type: ignore[no-untyped-call]
                           processes=True, dashboard_address=None, silence_logs=40)
    with cluster, Client(cluster) as client:  # type: ignore[no-untyped-call]
        yield client


def rollup(
    paths: Sequence[str | Path], client: Client, year: int | None = None,
    on_done: Callable[[CompoundSummary], None] | None = None,
) -> list[CompoundSummary]:
    """Summarise every compound in *paths* as independent tasks on *client*; results in *paths* order."""
    from dask.distributed import as_completed

    names = [str(Path(p).resolve()) for p in paths]
    futures = client.map(summarise_compound, names, year=year, pure=False)
    where = {future.key: name for future, name in zip(futures, names, strict=True)}
    results: dict[str, CompoundSummary] = {}
    for future in as_completed(futures):  # type: ignore[no-untyped-call]
        name = where[future.key]
        try:
            summary = future.result()
        except Exception as exc:  # the task itself died (worker killed, unpicklable result…)
            summary = CompoundSummary(name, error=f"task failed on its worker: {type(exc).__name__}: {exc}")
        results[name] = summary
        if on_done:
            on_done(summary)
    return [results[name] for name in names]


@dataclass(frozen=True)
class RollupRun:
    """What a roll-up did.

    Attributes:
      summaries: One per compound, in the order given.
      recomputed: Compounds summarised in this run.
      reused: Compounds whose summary came from the district cache (their books did not change).
      uncached: Of the recomputed, those whose files could not be fingerprinted (never cached).
      seconds: Wall time of the whole roll-up (fingerprints, cache, cluster start, tasks).
    """

    summaries: list[CompoundSummary]
    recomputed: int
    reused: int
    uncached: int
    seconds: float

    @property
    def line(self) -> str:
        """One line for the terminal: how many compounds were recomputed and reused."""
        return (f"{len(self.summaries)} 个小区：重新计算 {self.recomputed} 个，沿用缓存 {self.reused} 个"
                f"（账簿未变）；{self.seconds:.1f} 秒 — {len(self.summaries)} compounds: {self.recomputed} "
                f"recomputed, {self.reused} reused from the cache")


def incremental_rollup(
    paths: Sequence[str | Path], year: int | None = None, *, scheduler: str | None = None, workers: int = 2,
    use_cache: bool = True, on_done: Callable[[CompoundSummary], None] | None = None,
    on_cluster: Callable[[int], None] | None = None, client: Client | None = None,
) -> RollupRun:
    """Summarise every compound in *paths*: from the district cache when its books did not change (unless
    *use_cache* is false: then every compound is recomputed and the cache refreshed), the others as Dask
    tasks — on *scheduler*, else on a LocalCluster of *workers* processes, started only when more than one
    compound needs computing (one is summarised in this process) — or on *client* if given.
    *on_cluster(n)* is called before computing n compounds."""
    start = time.perf_counter()
    names = [str(Path(p).resolve()) for p in paths]
    keys = dict(zip(names, district_cache.summary_keys(names, year), strict=True))
    results: dict[str, CompoundSummary] = {}
    for name in names:
        key = keys[name]
        cached = district_cache.read_summary(key) if use_cache and key is not None else None
        if cached is not None and cached.path == name:
            results[name] = cached
            if on_done:
                on_done(cached)
    # largest books first: the last tasks to finish are then small ones, and no worker idles behind a big one
    todo = sorted((name for name in names if name not in results), key=_books_size, reverse=True)

    def done(summary: CompoundSummary) -> None:
        key = keys.get(summary.path)
        if key is not None:
            district_cache.write_summary(key, summary)
        if on_done:
            on_done(summary)

    if todo and on_cluster:
        on_cluster(len(todo))
    if todo and (client is not None or scheduler is not None or len(todo) > 1):
        with contextlib.ExitStack() as stack:
            if client is None:
                client = stack.enter_context(dask_client(scheduler, workers))
            for summary in rollup(todo, client, year, on_done=done):
                results[summary.path] = summary
    elif todo:  # one compound: a worker process of its own would only add its start-up
        only = summarise_compound(todo[0], year)
        results[only.path] = only
        done(only)
    return RollupRun([results[name] for name in names], recomputed=len(todo), reused=len(names) - len(todo),
                     uncached=sum(1 for name in todo if keys[name] is None), seconds=time.perf_counter() - start)


def _books_size(folder: str) -> int:
    """Bytes of a compound's Beancount files (the size of its load), 0 if they cannot be listed."""
    try:
        return sum(p.stat().st_size for p in Path(folder).rglob("*.beancount"))
    except OSError:
        return 0
