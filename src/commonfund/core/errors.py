"""Errors a user can cause, and integrity errors that travel with Beancount's errors.

Two kinds of problem exist (DOMAIN §4):

* :class:`InputError` — the user's *file* is unusable (a register row, a config key, a statement row).
  It is raised at the boundary, carries the place (file and row/line or key) and is printed by the CLI as
  one sentence with a non-zero exit code. Never a traceback for a user's file.
* :class:`LedgerError` — a Beancount-style error (``source``, ``message``, ``entry``) that plugins return
  alongside the entries, so ``bean-check``, Fava and ``commonfund check`` all show it at ``file:line``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple


class LedgerError(NamedTuple):
    """An integrity error found in the books.

    Attributes:
      source: A metadata dict with ``filename`` and ``lineno`` (usually the entry's ``meta``).
      message: One sentence saying what is wrong.
      entry: The offending entry, or None.
    """

    source: dict[str, Any]
    message: str
    entry: Any


class InputError(Exception):
    """A user-supplied file or option cannot be used.

    ``where`` is the place (``"households.csv:12"``, ``"compound.toml: bank_accounts[0].fund"``) and
    ``message`` says what is wrong there. ``str()`` gives ``"where: message"``.
    """

    def __init__(self, where: str | Path, message: str) -> None:
        self.where = str(where)
        self.message = message
        super().__init__(f"{self.where}: {message}")


def source_of(filename: str | Path, lineno: int = 0) -> dict[str, Any]:
    """A Beancount-style ``source`` for an error that points at a file line (e.g. a register row)."""
    return {"filename": str(filename), "lineno": lineno}


def format_error(error: Any) -> str:
    """``file:line: message`` for a Beancount or commonfund ledger error (``commonfund check``, the district)."""
    source = getattr(error, "source", None) or {}
    filename = source.get("filename", "<unknown>")
    lineno = source.get("lineno", 0)
    return f"{filename}:{lineno}: {error.message}"
