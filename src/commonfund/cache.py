"""The user's cache folder, and a content-addressed cache of data parsed from a compound's source files.

Every ledger load runs the plugin (:mod:`commonfund.plugin`), which needs the household register and the
ballot files; parsing and validating them is most of the plugin's cost. What the plugin derives from such a
file (the register's index and columns, a ballot file's tally — *or the error found in it*) is stored here
under a key that is the SHA-256 of the file's bytes (plus a format version and whatever else the result
depends on), so a changed byte is a different key: correctness never depends on modification times.

Entries live under :func:`cache_dir` (``parsed/``), never in a ledger folder, and are written atomically
(:mod:`commonfund.atomic`). An entry is a few ``marshal`` blobs, each with its length and CRC-32; an entry
that is truncated, corrupted or unreadable is ignored (and rewritten by the next parse). The whole folder is
safe to delete at any time.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import struct
import sys
import zlib
from pathlib import Path
from typing import Any

FORMAT = 1
"""Bump when what is cached (its shape or meaning) changes: old entries are then never read."""
SUBDIR = "parsed"
_MAGIC = b"CFPC"
_HEAD = struct.Struct("<4sBI")
_BLOB = struct.Struct("<QI")


def cache_dir() -> Path:
    """The user's cache folder for commonfund: never inside a ledger folder.

    ``$COMMONFUND_CACHE`` if set, else ``$XDG_CACHE_HOME/commonfund`` (``~/.cache/commonfund``).
    """
    explicit = os.environ.get("COMMONFUND_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "commonfund"


def content_key(kind: str, data: bytes, *extra: str) -> str:
    """The key of what is derived from *data* (a file's bytes): SHA-256 over the format, the kind, *extra*
    (e.g. the file's suffix, the register's key) and the bytes."""
    digest = hashlib.sha256()
    head = "\x00".join((str(FORMAT), f"{sys.version_info[0]}.{sys.version_info[1]}", kind, *extra))
    digest.update(head.encode("utf-8") + b"\x01")
    digest.update(data)
    return digest.hexdigest()


def entry_path(kind: str, key: str) -> Path:
    """Where the entry *key* of *kind* is stored."""
    return cache_dir() / SUBDIR / f"{kind}-{key}.bin"


def read_blobs(kind: str, key: str) -> list[bytes] | None:
    """The blobs of an entry, each checked against its length and CRC-32; None if absent or damaged."""
    try:
        raw = entry_path(kind, key).read_bytes()
    except OSError:
        return None
    try:
        magic, version, count = _HEAD.unpack_from(raw, 0)
        if magic != _MAGIC or version != FORMAT:
            return None
        offset = _HEAD.size
        sizes = []
        for _ in range(count):
            sizes.append(_BLOB.unpack_from(raw, offset))
            offset += _BLOB.size
    except struct.error:
        return None
    blobs: list[bytes] = []
    for size, crc in sizes:
        blob = raw[offset:offset + size]
        if len(blob) != size or zlib.crc32(blob) != crc:
            return None
        blobs.append(blob)
        offset += size
    return blobs if offset == len(raw) else None


def write_blobs(kind: str, key: str, blobs: list[bytes]) -> None:
    """Store an entry atomically; a cache that cannot be written (read-only home, full disk) is skipped."""
    from commonfund.atomic import write_bytes

    parts = [_HEAD.pack(_MAGIC, FORMAT, len(blobs))]
    parts.extend(_BLOB.pack(len(blob), zlib.crc32(blob)) for blob in blobs)
    parts.extend(blobs)
    with contextlib.suppress(OSError):
        write_bytes(entry_path(kind, key), b"".join(parts))


def dumps(value: Any) -> bytes:
    """Serialise plain data (str, int, bool, None, tuples, lists, dicts) for an entry."""
    return marshal.dumps(value, 4)


def loads(blob: bytes) -> Any:
    """Read a blob written by :func:`dumps`; raises :class:`CacheDamaged` if it cannot be read."""
    try:
        return marshal.loads(blob)
    except (EOFError, ValueError, TypeError) as exc:
        raise CacheDamaged(str(exc)) from None


class CacheDamaged(Exception):
    """An entry passed its checksum but does not hold what it should (treated as absent)."""
