"""The registry of measures: each figure of ``make bench`` is one small function registered here.

A measure runs inside a fresh child process (:mod:`benchmarks.child`) and returns a :class:`dict` with at
least ``seconds`` (CPU seconds of the timed operation only, after imports; ``wall_seconds`` beside it),
usually from :class:`Clock`. It raises :class:`Unavailable` when the
feature it measures has not landed yet; the results then say "not available", never a number.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Basis = Literal["reference", "ratio", "beyond-load", "rate", "latency"]
Scope = Literal["size", "once"]
Figures = dict[str, Any]


class Clock:
    """Wall time and this process's CPU time (user + system) of a block: ``with Clock() as c: …``.

    CPU time is the figure ratios use: on a shared machine it barely moves when other processes compete
    for the cores, while wall time does (both are reported).
    """

    def __enter__(self) -> Clock:
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self._wall
        self.cpu = time.process_time() - self._cpu

    def figures(self, **more: Any) -> Figures:
        return {"seconds": self.cpu, "wall_seconds": self.wall, **more}


class Unavailable(Exception):
    """The feature a measure needs does not exist (yet); the message says what is missing."""


@dataclass(frozen=True)
class Measure:
    """A registered measure.

    Attributes:
      name: Short id (``check``, ``subledgers``…), used on the command line and in the JSON.
      title: What is measured, for RESULTS.md.
      func: ``(workload: dict) -> figures`` run in the child process.
      basis: ``reference`` (this is R), ``ratio`` (whole command vs R), ``beyond-load`` (work after the
        compound is loaded, vs R), ``rate`` (rows per second) or ``latency`` (web pages vs Fava's own API).
      target: The target ratio (``≤ target × R``), or None for figures without a target.
      per_household: Whether the output itself is per household (then cost may grow with households).
      heavy: Heavy measures run at most 3 repetitions.
      scope: ``size`` runs for every compound size, ``once`` once per run.
    """

    name: str
    title: str
    func: Callable[[dict[str, Any]], Figures]
    basis: Basis
    target: float | None = None
    per_household: bool = False
    heavy: bool = False
    scope: Scope = "size"


MEASURES: dict[str, Measure] = {}


def measure(
    name: str, title: str, *, basis: Basis = "ratio", target: float | None = None, per_household: bool = False,
    heavy: bool = False, scope: Scope = "size",
) -> Callable[[Callable[[dict[str, Any]], Figures]], Callable[[dict[str, Any]], Figures]]:
    """Register a measure function under *name*."""

    def register(func: Callable[[dict[str, Any]], Figures]) -> Callable[[dict[str, Any]], Figures]:
        MEASURES[name] = Measure(name, title, func, basis, target, per_household, heavy, scope)
        return func

    return register
