"""The Beancount plugin: ``plugin "commonfund.plugin"`` in a compound's ``main.beancount``.

It runs every integrity rule (:mod:`commonfund.rules`) so that ``bean-check``, Fava and
``commonfund check`` report the same errors at the same ``file:line``. An optional config string names
the compound config relative to the ledger (default ``compound.toml`` beside ``main.beancount``).

The config and the register are added to the loader's list of included files, so that Beancount's
cache and Fava's file watcher notice when they change, and the fingerprint covers them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from beancount.core import data

from commonfund.compound.model import source_files_of_config
from commonfund.core.errors import LedgerError
from commonfund.rules import run_rules

__plugins__ = ("check",)


def check(
    entries: list[data.Directive], options_map: dict[str, Any], config: str | None = None
) -> tuple[list[data.Directive], list[LedgerError]]:
    """Run commonfund's integrity rules over the entries; return them unchanged with the errors."""
    root = Path(options_map["filename"]).resolve().parent
    config_path = root / config if config else None
    errors = run_rules(entries, options_map, config_path)
    _track_source_files(options_map, root, config_path)
    return entries, errors


def _track_source_files(options_map: dict[str, Any], root: Path, config_path: Path | None) -> None:
    includes: list[str] = options_map.setdefault("include", [])
    for path in source_files_of_config(root, config_path):
        name = str(path)
        if name not in includes:
            includes.append(name)
