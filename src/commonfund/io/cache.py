"""The user's cache folder, and a content-addressed cache of data parsed from a compound's source files.

Every ledger load runs the plugin (:mod:`commonfund.plugin`), which needs the household register and the
ballot files; parsing and validating them is most of the plugin's cost. What the plugin derives from such a
file (the register's index and columns, a ballot file's tally — *or the error found in it*) is stored here
under a key that is the SHA-256 of the file's bytes (plus a format version and whatever else the result
depends on), so a changed byte is a different key: correctness never depends on modification times.

Entries live under :func:`cache_dir` (``parsed/``), never in a ledger folder, and are written atomically
(a temporary file renamed over the entry). An entry is a few ``marshal`` blobs, each with its length and
CRC-32; an entry that is truncated, corrupted or unreadable is ignored (and rewritten by the next parse).
The folder keeps the newest entries (:data:`KEEP`) and is safe to delete at any time.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.abc
import importlib.util
import marshal
import os
import struct
import sys
import tempfile
import zlib
from pathlib import Path
from typing import Any

from commonfund import __version__

FORMAT = 2
"""Bump when what is cached (its shape or meaning) changes: old entries are then never read."""
PRODUCERS = ("commonfund.io.cache", "commonfund.io.tables", "commonfund.register.parse", "commonfund.register.model",
             "commonfund.register.ballots", "commonfund.compound.paths", "commonfund.rules.resolutions")
"""The modules whose code decides what is cached, by dotted name: their source is part of every key. They are
found by the import system (:func:`module_source`), so a module that moves must be renamed here; a name that no
longer resolves is an error, never silently left out of the key."""
SUBDIR = "parsed"
KEEP = 256
"""Entries kept when the folder is pruned (it is, on a write, once it holds twice as many)."""
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
    """The key of what is derived from *data* (a file's bytes): SHA-256 over the code that derives it
    (:func:`code_version`), the kind, *extra* (e.g. the file's suffix, the register's key) and the bytes."""
    digest = hashlib.sha256()
    digest.update("\x00".join((code_version(), kind, *extra)).encode("utf-8") + b"\x01")
    digest.update(data)
    return digest.hexdigest()


@functools.cache
def code_version() -> str:
    """The format, Python's version and a digest of the modules that parse what is cached: an entry written
    by other code (an older commonfund, a parser being edited) is never read, even if FORMAT was not bumped."""
    digest = hashlib.sha256(f"{FORMAT}\x00{sys.version_info[0]}.{sys.version_info[1]}\x00{__version__}".encode())
    for name in PRODUCERS:
        digest.update(name.encode("utf-8") + b"\x00")
        digest.update(module_source(name))
    return digest.hexdigest()[:16]


def module_source(name: str) -> bytes:
    """The source of module *name* as the import system finds it (the imported module's own, if it is loaded;
    its compiled code for a module shipped without source). Raises LookupError if there is no such module."""
    module = sys.modules.get(name)
    spec = getattr(module, "__spec__", None) if module is not None else importlib.util.find_spec(name)
    loader = spec.loader if spec is not None else None
    if not isinstance(loader, importlib.abc.InspectLoader):
        raise LookupError(f"cache producer {name!r} is not an importable module: update cache.PRODUCERS")
    source = loader.get_source(name)
    if source is not None:
        return source.encode("utf-8")
    code = loader.get_code(name)
    if code is None:
        raise LookupError(f"cache producer {name!r} has neither source nor code")
    return marshal.dumps(code)


def entry_path(kind: str, key: str, subdir: str = SUBDIR) -> Path:
    """Where the entry *key* of *kind* is stored (in *subdir* of the cache folder)."""
    return cache_dir() / subdir / f"{kind}-{key}.bin"


class Entry:
    """A cache entry on disk: its blobs are read, checked (CRC-32) and decoded one by one, when asked for,
    so a load that needs the small blobs of a large entry does not read the rest."""

    def __init__(self, path: Path, spans: list[tuple[int, int, int]]) -> None:
        self.path = path
        self._spans = spans

    def __len__(self) -> int:
        return len(self._spans)

    def load(self, index: int) -> Any:
        """Blob *index*, decoded; raises :class:`CacheDamaged` if it is gone, fails its checksum or cannot
        be decoded."""
        if not 0 <= index < len(self._spans):
            raise CacheDamaged(f"no blob {index}")
        start, size, crc = self._spans[index]
        try:
            with open(self.path, "rb") as handle:
                handle.seek(start)
                blob = handle.read(size)
        except OSError as exc:
            raise CacheDamaged(str(exc)) from None
        if len(blob) != size or zlib.crc32(blob) != crc:
            raise CacheDamaged(f"blob {index} fails its checksum")
        return loads(blob)


def read_entry(kind: str, key: str, subdir: str = SUBDIR) -> Entry | None:
    """The entry *key* of *kind*, or None if it is absent, unreadable or not laid out as written."""
    path = entry_path(kind, key, subdir)
    try:
        with open(path, "rb") as handle:
            head = handle.read(_HEAD.size)
            magic, version, count = _HEAD.unpack(head)
            if magic != _MAGIC or version != FORMAT or count > 64:
                return None
            sizes = handle.read(count * _BLOB.size)
            total = os.fstat(handle.fileno()).st_size
        heads = [_BLOB.unpack_from(sizes, i * _BLOB.size) for i in range(count)]
    except (OSError, struct.error):
        return None
    spans = []
    offset = _HEAD.size + count * _BLOB.size
    for size, crc in heads:
        spans.append((offset, size, crc))
        offset += size
    return Entry(path, spans) if offset == total else None


def read_blobs(kind: str, key: str, subdir: str = SUBDIR) -> list[Any] | None:
    """Every blob of an entry, decoded; None if the entry is absent or any blob is damaged."""
    entry = read_entry(kind, key, subdir)
    if entry is None:
        return None
    try:
        return [entry.load(i) for i in range(len(entry))]
    except CacheDamaged:
        return None


def write_blobs(kind: str, key: str, values: list[Any], subdir: str = SUBDIR, keep: int | None = None) -> None:
    """Store *values* (plain data, see :func:`dumps`) as an entry in *subdir* (pruned to *keep* entries,
    :data:`KEEP` unless given), atomically; a cache that cannot be written (read-only home, full disk) is
    skipped."""
    blobs = [dumps(value) for value in values]
    parts = [_HEAD.pack(_MAGIC, FORMAT, len(blobs))]
    parts.extend(_BLOB.pack(len(blob), zlib.crc32(blob)) for blob in blobs)
    parts.extend(blobs)
    path = entry_path(kind, key, subdir)
    with contextlib.suppress(OSError):
        _replace(path, b"".join(parts))
        _prune(path.parent, KEEP if keep is None else keep)


def _replace(path: Path, data: bytes) -> None:
    """Write *data* to a temporary file beside *path* and rename it over *path*: a reader sees the whole
    entry or none. Unlike :mod:`commonfund.io.atomic` (for the files a user keeps) there is no fsync: an
    entry a crash leaves torn fails its checksum and is rebuilt, and the books' writes stay the only ones
    an import makes under its lock."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _prune(folder: Path, keep: int) -> None:
    """Past ``2 * keep`` entries (each edit of a register leaves one), remove all but the *keep* newest."""
    with os.scandir(folder) as found:
        items = [item for item in found if item.name.endswith(".bin")]
    if len(items) <= 2 * keep:
        return
    names = []
    for item in items:
        with contextlib.suppress(OSError):
            names.append((item.stat().st_mtime_ns, item.path))
    for _, path in sorted(names, reverse=True)[keep:]:
        with contextlib.suppress(OSError):
            os.unlink(path)


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
