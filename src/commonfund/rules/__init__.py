"""Integrity rules: checks that the books are well-formed, run as one Beancount plugin.

A rule is a function ``(ctx: RuleContext) -> Iterable[LedgerError]`` registered with
:func:`integrity_rule`; its docstring is its help. Rules never change entries and never block on
*conduct* (that is the audit's job, see :mod:`commonfund.audit.findings`): they report books that are
malformed and must be fixed (DOMAIN §4). Each error points at the entry's ``file:line``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from beancount.core import data

from commonfund.compound.paths import CONFIG_NAME, register_path
from commonfund.core.errors import InputError, LedgerError, source_of
from commonfund.register.model import HouseholdRegister, load_register
from commonfund.rules.scan import Scan, scan_postings

if TYPE_CHECKING:
    from commonfund.compound.config import CompoundConfig

Rule = Callable[["RuleContext"], Iterable[LedgerError]]
RULES: dict[str, Rule] = {}

# Modules that register rules; importing this package imports them all, in this order.
MODULES = ("funds", "resolutions", "subledger", "objections")


def integrity_rule(func: Rule) -> Rule:
    """Register *func* as an integrity rule, named by its function name."""
    RULES[func.__name__] = func
    return func


class CompoundUnavailable(Exception):
    """The config or register could not be read; the error is already reported once."""


class RuleContext:
    """What a rule sees: the entries, the options, and the compound's config and register (lazy).

    ``errors`` collects the one error for an unreadable config or register, so each is reported once
    even when several rules need it; a rule that needs them catches :class:`CompoundUnavailable`.
    ``scan`` is one pass over every posting that the posting rules share (:mod:`commonfund.rules.scan`).
    """

    def __init__(self, entries: list[data.Directive], options_map: dict[str, Any],
                 config_path: Path | None = None) -> None:
        self.entries = entries
        self.options_map = options_map
        self.config_path = config_path
        self.errors: list[LedgerError] = []

    @cached_property
    def root(self) -> Path:
        return Path(self.options_map["filename"]).resolve().parent

    @cached_property
    def config(self) -> CompoundConfig:
        """The validated config (imports pydantic: use only in rules that need settings)."""
        from commonfund.compound.config import load_config

        path = self.config_path or self.root / CONFIG_NAME
        try:
            return load_config(path)
        except InputError as exc:
            self.errors.append(_input_error(exc, path))
            raise CompoundUnavailable from None

    @cached_property
    def register(self) -> HouseholdRegister:
        """The household register (a light view: what a load needs is read from the parse cache)."""
        config_path = self.config_path or self.root / CONFIG_NAME
        path = register_path(config_path)
        if path is None:
            _ = self.config  # reports why the config is unusable
            raise CompoundUnavailable
        try:
            return load_register(path)
        except InputError as exc:
            self.errors.append(_input_error(exc, path))
            raise CompoundUnavailable from None

    def of_type(self, kind: type) -> list[Any]:
        return [entry for entry in self.entries if isinstance(entry, kind)]

    @cached_property
    def transactions(self) -> list[data.Transaction]:
        return self.of_type(data.Transaction)

    @cached_property
    def customs(self) -> dict[str, list[data.Custom]]:
        out: dict[str, list[data.Custom]] = {}
        for entry in self.entries:
            if isinstance(entry, data.Custom):
                out.setdefault(entry.type, []).append(entry)
        return out

    @cached_property
    def scan(self) -> Scan:
        return scan_postings(self.transactions)


def _input_error(exc: InputError, path: Path) -> LedgerError:
    where, _, line = exc.where.rpartition(":")
    if where and line.isdigit():
        return LedgerError(source_of(where, int(line)), exc.message, None)
    return LedgerError(source_of(path, 0), str(exc).removeprefix(f"{path}: "), None)


def run_rules(
    entries: list[data.Directive], options_map: dict[str, Any], config_path: Path | None = None
) -> list[LedgerError]:
    """Run every registered rule; return the integrity errors (the entries are not changed)."""
    _import_rule_modules()
    ctx = RuleContext(entries, options_map, config_path)
    errors: list[LedgerError] = []
    for rule in RULES.values():
        try:
            errors.extend(rule(ctx))
        except CompoundUnavailable:
            continue
    return ctx.errors + errors


def _import_rule_modules() -> None:
    for name in MODULES:
        importlib.import_module(f"commonfund.rules.{name}")
