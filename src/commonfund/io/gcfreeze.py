"""Keeping the long-lived heap out of the garbage collector's way while books are loaded.

Once click, rich, pydantic, numpy and beancount are imported a process holds tens of thousands of objects
that live as long as it does. Parsing a ledger allocates hundreds of thousands more, each burst triggers
collections, and every full collection walks that whole heap again: a third of a small ``commonfund
check``. :func:`long_lived_heap_frozen` moves what exists now into the collector's permanent generation for
the duration of a block (:func:`gc.freeze`) and back afterwards, so nothing is kept alive longer.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def long_lived_heap_frozen() -> Iterator[None]:
    """Freeze the existing heap for the garbage collector during the block; unfreeze it after, even on
    error. Nested or concurrent use is safe: only the outermost block (nothing frozen yet) freezes."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
