"""Running the district roll-up on Dask distributed: a LocalCluster here, or an existing scheduler.

Each compound is one independent task (:func:`commonfund.district.summary.summarise_compound`, given the folder's
path): a worker must see the same path (shared storage, or its own copy at the same path) and have the
same commonfund version installed (docs/district.md). A task that dies on its worker (killed, out of
memory) becomes a failed summary for that compound; the others carry on.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

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
