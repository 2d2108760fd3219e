"""A :class:`~commonfund.compound.model.Compound` made from the ledger Fava has already loaded, and a cache of
views computed from it once per load.

Fava loads the books itself (plugins included) and reloads them when a file changes. The commonfund
pages must not load them a second time, and must not recompute a view on every request: a
3,237-household, 10-year compound would then answer in seconds, not in the time of Fava's own reports.
:class:`ViewCache` keys everything on the identity of Fava's entry list (a new list on every reload)
and on the modification times of the files Fava does not watch (``compound.toml``, the register, the
ballot files); when either changes, the cache starts afresh.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from commonfund.compound.authority import stamp as authority_stamp
from commonfund.compound.model import Compound, source_files_of_config
from commonfund.compound.paths import CONFIG_NAME

T = TypeVar("T")


def compound_of(
    main: str | Path, entries: Sequence[Any], errors: Sequence[Any], options_map: dict[str, Any]
) -> Compound:
    """A Compound over already-loaded books (no reload). Raises InputError for a broken compound.toml."""
    from commonfund.compound.config import load_config

    main = Path(main).resolve()
    root = main.parent
    return Compound(root, main, load_config(root / CONFIG_NAME), list(entries), list(errors), options_map)


def _stamp(root: Path) -> tuple[tuple[str, int], ...]:
    """Modification times of the compound's non-Beancount source files (Fava does not watch them), and of the
    record of the 维修资金管理中心's list on file (the 分户账核对 tab and the audit read it)."""
    stamps = [authority_stamp(root)]
    for path in source_files_of_config(root):
        try:
            stamps.append((str(path), path.stat().st_mtime_ns))
        except OSError:
            stamps.append((str(path), -1))
    return tuple(stamps)


class ViewCache:
    """Views of one Fava ledger, computed at most once per load of the books.

    ``get(key, compute)`` returns the cached value for *key* or computes it under a lock (Fava serves
    requests from several threads; a view is computed once even if two pages ask at the same time).
    """

    def __init__(self, main: str | Path) -> None:
        self.main = Path(main)
        self.lock = threading.RLock()  # reentrant: hold it around a check of the books and a get()
        self._entries: object | None = None  # the entry list the cache belongs to (kept to compare by identity)
        self._stamp: tuple[tuple[str, int], ...] = ()
        self._values: dict[Hashable, Any] = {}
        self._compound: Compound | None = None

    def compound(self, entries: Sequence[Any], errors: Sequence[Any], options_map: dict[str, Any]) -> Compound:
        """The Compound for this load of the books (rebuilt only when the books or config changed)."""
        with self.lock:
            self._check(entries)
            if self._compound is None:
                self._compound = compound_of(self.main, entries, errors, options_map)
            return self._compound

    def get(self, entries: Sequence[Any], key: Hashable, compute: Callable[[], T]) -> T:
        """The view *key* for this load of the books, computing it with *compute* the first time."""
        with self.lock:
            self._check(entries)
            if key not in self._values:
                self._values[key] = compute()
            value: T = self._values[key]
            return value

    def clear(self) -> None:
        with self.lock:
            self._entries = None
            self._values.clear()
            self._compound = None

    def _check(self, entries: Sequence[Any]) -> None:
        stamp = _stamp(self.main.parent)
        if entries is not self._entries or stamp != self._stamp:
            self._values.clear()
            self._compound = None
            self._entries = entries
            self._stamp = stamp
