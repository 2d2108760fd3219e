"""The ledger fingerprint: SHA-256 over a compound's source files in a canonical order.

The files are every Beancount file the ledger includes (followed recursively, globs expanded in sorted
order), the config, the register and the ballot files. Each file contributes its path relative to the
compound folder (POSIX form), its length and its bytes, so renaming, moving or changing one byte changes
the fingerprint. Every disclosure and the auditor package print it; ``commonfund fingerprint`` recomputes it.
"""

from __future__ import annotations

import glob
import hashlib
import re
from pathlib import Path

from commonfund.compound.model import locate, source_files_of_config
from commonfund.core.errors import InputError

_INCLUDE = re.compile(r'^include\s+"((?:[^"\\]|\\.)*)"', re.MULTILINE)


def included_files(main: Path) -> list[Path]:
    """Every Beancount file reachable from *main* through ``include`` directives (main first)."""
    seen: dict[Path, None] = {}
    stack = [main.resolve()]
    while stack:
        path = stack.pop(0)
        if path in seen:
            continue
        seen[path] = None
        try:
            # Undecodable bytes only matter for finding includes: the fingerprint hashes the raw bytes, so
            # a tampered (non-UTF-8) file must give a different fingerprint, not an error.
            raw = path.read_bytes()
        except OSError as exc:
            raise InputError(path, f"cannot read included file: {exc.strerror}") from None
        if b"include" not in raw:  # most files (the books) include nothing: no decoding, no regex scan
            continue
        text = raw.decode("utf-8", "replace")
        for pattern in _INCLUDE.findall(text):
            if "\0" in pattern:  # no file has such a name (glob would raise); the bytes are hashed anyway
                continue
            full = pattern if Path(pattern).is_absolute() else str(path.parent / pattern)
            stack.extend(Path(p).resolve() for p in sorted(glob.glob(full, recursive=True)) if Path(p).is_file())
    return list(seen)


def source_files(path: str | Path) -> tuple[Path, list[Path]]:
    """``(root, files)``: the compound's source files in canonical order (sorted relative paths)."""
    root, main = locate(path)
    files = set(included_files(main)) | {p.resolve() for p in source_files_of_config(root)}
    return root, sorted(files, key=lambda p: _relative(p, root))


def fingerprint(path: str | Path) -> str:
    """The hex SHA-256 fingerprint of a compound's books."""
    root, files = source_files(path)
    digest = hashlib.sha256(b"commonfund-fingerprint-v1\n")
    for file in files:
        content = file.read_bytes()
        name = _relative(file, root).encode("utf-8")
        digest.update(b"%d:%s\n%d:" % (len(name), name, len(content)))
        digest.update(content)
    return digest.hexdigest()


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
