"""The authority's list on file (``DIR/authority/``): the copy ``commonfund reconcile`` keeps, outside the books.

``commonfund reconcile DIR FILE`` reads the 维修资金管理中心's per-household list and, once it reads
cleanly, keeps a byte-for-byte copy of it in the compound's folder, so that the auditor's workbook, the
Fava tab 分户账核对 and the audit compare the books with it again whenever they are made::

    authority/list-<sha256[:16]><suffix>   the list, as received (it may name owners: never published)
    authority/current.json                 {"file", "name", "date", "sha256"}: which copy, and its date

The copy is written first under its content's name, then ``current.json`` replaces the old one
atomically (:mod:`commonfund.io.atomic`): a reader sees the old list or the new one, never half of one, and
reconciling the same file again writes nothing new. Older copies are removed after the switch. None of
these is a ledger file: the ledger fingerprint (:mod:`commonfund.compound.fingerprint`) does not cover them
and no ``include`` names them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from datetime import date
from pathlib import Path
from typing import NamedTuple

from commonfund.core.errors import InputError
from commonfund.io.atomic import write_bytes, write_text

FOLDER = "authority"
CURRENT = "current.json"


class StoredList(NamedTuple):
    """The list on file.

    Attributes:
      path: The stored copy.
      name: The file name it was received under.
      as_of: The list's date.
      sha256: The hex SHA-256 of its bytes (the key of every view computed from it).
    """

    path: Path
    name: str
    as_of: date
    sha256: str

    def read(self) -> bytes:
        try:
            return self.path.read_bytes()
        except OSError as exc:
            raise InputError(self.path, f"the stored authority list cannot be read: {exc.strerror}; "
                                        "run reconcile with the list again") from None


def store_list(root: Path, data: bytes, name: str, as_of: date) -> StoredList:
    """Keep *data* (the list received as *name*, at *as_of*) as the compound's authority list."""
    folder = root / FOLDER
    digest = hashlib.sha256(data).hexdigest()
    suffix = Path(name).suffix.lower() if Path(name).suffix.lower() in (".xlsx", ".xls", ".csv", ".xlsm") else ".bin"
    target = folder / f"list-{digest[:16]}{suffix}"
    if not (target.is_file() and target.read_bytes() == data):
        write_bytes(target, data)
    write_text(folder / CURRENT, json.dumps({"file": target.name, "name": Path(name).name, "date": as_of.isoformat(),
                                             "sha256": digest}, ensure_ascii=False, indent=2) + "\n")
    for old in folder.glob("list-*"):
        if old != target:
            with contextlib.suppress(OSError):
                old.unlink()
    return StoredList(target, Path(name).name, as_of, digest)


def stored_list(root: Path) -> StoredList | None:
    """The list on file, or None when ``reconcile`` has not been run. A damaged ``current.json`` is an error."""
    current = root / FOLDER / CURRENT
    try:
        raw = current.read_text("utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputError(current, f"cannot read: {exc.strerror}") from None
    try:
        found = json.loads(raw)
        path = root / FOLDER / Path(str(found["file"])).name
        return StoredList(path, str(found["name"]), date.fromisoformat(str(found["date"])), str(found["sha256"]))
    except (ValueError, KeyError, TypeError):
        raise InputError(current, "is not the record `commonfund reconcile` writes; run reconcile with the "
                                  "authority's list again") from None


def stamp(root: Path) -> tuple[str, int]:
    """What changes when another list is put on file (for caches of views that read it)."""
    try:
        return str(root / FOLDER / CURRENT), (root / FOLDER / CURRENT).stat().st_mtime_ns
    except OSError:
        return "", -1
