"""A compound on disk (``ledgers/<slug>/``) and loading its books.

``locate`` accepts the compound folder or its ``main.beancount``; ``load_compound`` loads the ledger the
way Fava does (uncached, plugins included) and returns one immutable :class:`Compound` that every view
(check, audit, sub-ledgers, reports, Fava pages) reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from beancount import loader
from beancount.core import data

from commonfund.compound.paths import CONFIG_NAME, register_path
from commonfund.core.errors import InputError
from commonfund.core.program import command_line
from commonfund.register.model import HouseholdRegister, load_register

if TYPE_CHECKING:
    from commonfund.compound.config import CompoundConfig

MAIN = "main.beancount"
BALLOTS = "ballots"
T = TypeVar("T")


def locate(path: str | Path) -> tuple[Path, Path]:
    """Return ``(root, main_file)`` for a compound folder or a ``.beancount`` file in one."""
    path = Path(path)
    if path.is_dir():
        main = path / MAIN
        if not main.is_file():
            raise InputError(path, f"no {MAIN} here: is this a compound folder (see `{command_line('init')}`)?")
        return path.resolve(), main.resolve()
    if path.is_file():
        return path.resolve().parent, path.resolve()
    raise InputError(path, "no such compound folder or ledger file")


def source_files_of_config(root: Path, config_path: Path | None = None) -> list[Path]:
    """The non-Beancount source files of a compound: its config, its register and its ballot files."""
    config_path = config_path or root / CONFIG_NAME
    files = [config_path] if config_path.is_file() else []
    register = register_path(config_path) if files else None
    if register is not None and register.is_file():
        files.append(register)
    ballots = root / BALLOTS
    if ballots.is_dir():
        files.extend(sorted(p for p in ballots.rglob("*") if p.is_file() and not p.name.startswith(".")))
    return files


def load_ledger(main: str | Path) -> tuple[list[data.Directive], list[Any], dict[str, Any]]:
    """Load a ledger with its plugins, uncached (as Fava does): ``(entries, errors, options_map)``."""
    return loader._load([(str(main), True)], None, None, None)


@dataclass(frozen=True)
class Compound:
    """A loaded compound: config, register, entries and load errors.

    Attributes:
      root: The compound folder.
      main: Its ``main.beancount``.
      config: The validated ``compound.toml``.
      entries: All directives after plugins.
      errors: Beancount and integrity errors (empty for clean books).
      options_map: Beancount's options, including the list of source files.

    Views derived from the loaded books (resolutions, sub-ledgers, spending…) are computed once per compound
    with :meth:`memo`; the compound itself never changes.
    """

    root: Path
    main: Path
    config: CompoundConfig
    entries: list[data.Directive]
    errors: list[Any]
    options_map: dict[str, Any]
    _views: dict[str, object] = field(default_factory=dict, init=False, repr=False, compare=False)

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """The view *key* of these books: ``compute()`` the first time, the same object afterwards."""
        if key not in self._views:
            self._views[key] = compute()
        return cast(T, self._views[key])

    @cached_property
    def register(self) -> HouseholdRegister:
        return load_register(self.root / self.config.register_file)

    @cached_property
    def transactions(self) -> list[data.Transaction]:
        return [e for e in self.entries if isinstance(e, data.Transaction)]

    def customs(self, kind: str) -> list[data.Custom]:
        return [e for e in self.entries if isinstance(e, data.Custom) and e.type == kind]


def load_compound(path: str | Path) -> Compound:
    """Locate and load a compound. Raises :class:`InputError` if the config or register is unusable."""
    from commonfund.compound.config import load_config

    root, main = locate(path)
    config = load_config(root / CONFIG_NAME)
    load_register(root / config.register_file)  # validate first: a clear error beats a ledger full of them
    entries, errors, options_map = load_ledger(main)
    return Compound(root, main, config, entries, errors, options_map)
