"""Shared CLI helpers: turning user errors into one sentence and an exit code."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator, Sized
from pathlib import Path
from typing import NoReturn

import click
from rich.console import Console

from commonfund.core.errors import InputError

EXIT_LEDGER = 1
EXIT_INPUT = 2

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def fail(message: str, code: int = EXIT_INPUT) -> NoReturn:
    """Print *message* to stderr as one line and exit with *code* (line breaks quoted from a user's cell
    show as ``\\n``, so the error stays one line)."""
    message = message.replace("\r", "\\r").replace("\n", "\\n")
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """Turn :class:`InputError` (and unreadable files) into one line on stderr and exit code 2."""
    try:
        yield
    except InputError as exc:
        fail(str(exc))
    except (FileNotFoundError, PermissionError, IsADirectoryError) as exc:
        fail(f"{exc.filename}: {exc.strerror}")



def shown_path(path: Path) -> Path:
    """*path* as the user can type it from here: relative to the current folder when inside it."""
    try:
        return path.absolute().relative_to(Path.cwd())
    except ValueError:
        return path


def write_verdict(dry_run: bool, written: Sized) -> str:
    """How a command that writes books ends its summary line: a dry run, the files written, or nothing new."""
    if dry_run:
        return "dry run: nothing written"
    return f"wrote {len(written)} file(s)" if written else "nothing new: books unchanged"
