"""Fava's import page for the treasurer (``commonfund serve --edit`` only).

Fava imports through beangulp importers named in an ``import-config`` Python file and scans the
``import-dirs`` folders for statements. commonfund's importers are bound to a compound
(:func:`commonfund.importers.importers_for`), so in edit mode the extension writes a two-line import
config for this compound into the cache folder (never into the ledger folder) and points Fava's options
at it and at the compound's ``inbox/`` (where Fava's upload button puts statements). In read-only mode
nothing is configured: Fava's import page stays empty and every upload is refused anyway.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from commonfund.io import atomic

INBOX = "inbox"


def import_config_text(root: Path) -> str:
    """The import-config module Fava runs: ``CONFIG`` is the compound's beangulp importers."""
    return (
        f'"""Fava import config for {root} (written by commonfund serve --edit)."""\n'
        "from commonfund.importers import importers_for\n\n"
        f"CONFIG = importers_for({str(root)!r})\n"
    )


def write_import_config(root: Path, cache: Path) -> Path:
    """Write (if changed) the import config of the compound at *root* under *cache*; return its path."""
    key = hashlib.sha256(str(root.resolve()).encode("utf-8")).hexdigest()[:16]
    path = cache / "fava-import" / key / "import_config.py"
    text = import_config_text(root.resolve())
    if not path.is_file() or path.read_text("utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_text(path, text)
    return path


def configure_import(ledger: Any, root: Path, cache: Path) -> None:
    """Point a loaded Fava ledger's import options at the compound's importers and inbox, then let
    Fava's ingest module load them (its errors show on Fava's errors page)."""
    ledger.fava_options.import_config = str(write_import_config(root, cache))
    ledger.fava_options.import_dirs = [str(root / INBOX)]
    ledger.ingest.load_file()
