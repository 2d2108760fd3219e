"""Recognising a statement: which profile, which sheet, which row is the header, which account.

The header is found by its names, never by a fixed row count: every row among the first
``detect.search_rows`` is tried (and merged with the next row when that one holds sub-headers, as in
CCB's two-row ``发生额/元 → 借方 | 贷方`` header). A profile *fits* a header when it finds the date and
the amount columns and every ``detect.require`` name; among fitting profiles the one that explains the
largest share of the header's cells wins (preamble markers and ``--profile`` break ties).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import zip_longest
from pathlib import Path
from typing import NamedTuple

from commonfund.core.errors import InputError
from commonfund.importers.cells import clean, digits_tail, header_name
from commonfund.importers.profiles import FIELDS, Profile
from commonfund.importers.read import Grid

MIN_COVERAGE = 0.5


class Layout(NamedTuple):
    """Where a profile found its columns in one sheet.

    Attributes:
      profile: The profile.
      grid: The sheet.
      header_row: Index (0-based) of the last header row; data starts after it.
      names: The (merged) header names by column.
      columns: Column index per field name (only fields found).
      coverage: Share of non-empty header cells the profile recognised.
      markers: How many of the profile's preamble markers appear above the header.
      fallbacks: For a text field with several of its candidate columns present: all of them, in the
        profile's order (per row the first non-empty one is read).
    """

    profile: Profile
    grid: Grid
    header_row: int
    names: tuple[str, ...]
    columns: dict[str, int]
    coverage: float
    markers: int
    fallbacks: tuple[tuple[str, tuple[int, ...]], ...] = ()

    @property
    def score(self) -> tuple[int, float, int, int]:
        return (self.markers > 0, round(self.coverage, 3), len(self.columns), self.profile.detect.priority)

    def preamble(self) -> list[list[str]]:
        return self.grid.rows[: self.header_row + 1 - (2 if self.two_row else 1)]

    @property
    def two_row(self) -> bool:
        row = self.grid.rows[self.header_row]
        return tuple(header_name(c) for c in row) != self.names[: len(row)]


_name = lru_cache(maxsize=4096)(header_name)
"""``header_name`` of a profile's candidate names, computed once per process (12 profiles × every row tried)."""


TEXT_FALLBACK_FIELDS = frozenset({"serial", "counterparty", "counterparty_account", "counterparty_bank", "summary",
                                  "purpose", "remark"})
"""Fields read from the first non-empty of their candidate columns present (a BoCom export leaves 摘要 empty
and writes 存款利息 in 交易类型). Amounts, flags and dates always come from the first candidate present."""


def _resolve_all(profile: Profile, names: list[str]) -> tuple[dict[str, int], dict[str, tuple[int, ...]]]:
    index: dict[str, int] = {}
    for position, name in enumerate(names):
        if name and name not in index:
            index[name] = position
    columns: dict[str, int] = {}
    fallbacks: dict[str, tuple[int, ...]] = {}
    for field in FIELDS:
        present = [found for candidate in getattr(profile.columns, field)
                   if (found := index.get(_name(candidate))) is not None]
        if present:
            columns[field] = present[0]
            distinct = tuple(dict.fromkeys(present))
            if field in TEXT_FALLBACK_FIELDS and len(distinct) > 1:
                fallbacks[field] = distinct
        if field == "date" and "date" not in columns:
            break  # no date column: not a header for this profile (most rows tried are data rows)
    return columns, fallbacks


def _fits(profile: Profile, names: list[str], columns: dict[str, int]) -> bool:
    if "date" not in columns:
        return False
    if not ({"debit", "credit"} <= columns.keys() or "amount" in columns):
        return False
    present = set(names)
    return all(_name(name) in present for name in profile.detect.require)


Options = list[list[tuple[int, list[str]]]]
"""Per row of a sheet, the headers it may start: ``(header_row, names)`` of the row itself and, when the next
row holds sub-headers, of the two merged; empty for a row with fewer than two names."""


def header_options(grid: Grid, rows: int) -> Options:
    """The :data:`Options` of the first *rows* rows of *grid* (computed once, tried by every profile)."""
    names = [[header_name(c) for c in row] for row in grid.rows[: rows + 1]]
    out: Options = []
    for i, top in enumerate(names[:rows]):
        if len(top) - top.count("") < 2:
            out.append([])
            continue
        options = [(i, top)]
        if i + 1 < len(grid.rows):
            below = names[i + 1]
            merged = [b or t for t, b in zip_longest(top, below, fillvalue="")]
            if any(below) and merged != top:
                options.append((i + 1, merged))
        out.append(options)
    return out


def find_layout(profile: Profile, grid: Grid, options_by_row: Options | None = None) -> Layout | None:
    """The best header of *grid* for *profile*, or None when the profile does not fit the sheet.

    *options_by_row*: :func:`header_options` of the grid for at least ``detect.search_rows`` rows (or all).
    """
    best: Layout | None = None
    rows = grid.rows
    limit = min(len(rows), profile.detect.search_rows)
    if options_by_row is None or len(options_by_row) < limit:
        options_by_row = header_options(grid, limit)
    dates = {_name(candidate) for candidate in profile.columns.date}  # a header has a date column
    for i in range(limit):
        options = options_by_row[i]
        for header_row, names in options:
            if dates.isdisjoint(names):
                continue
            columns, fallbacks = _resolve_all(profile, names)
            if not _fits(profile, names, columns):
                continue
            used = {names[p] for p in columns.values()} | {names[p] for ps in fallbacks.values() for p in ps}
            filled = [n for n in names if n]
            coverage = sum(1 for n in filled if n in used or _known(profile, n)) / max(1, len(filled))
            above = "\n".join(",".join(r) for r in rows[: i + 1])
            markers = sum(1 for m in profile.detect.markers if m in above)
            layout = Layout(profile, grid, header_row, tuple(names), columns, coverage, markers,
                            tuple(sorted(fallbacks.items())))
            if best is None or layout.score > best.score:
                best = layout
        if best is not None and best.coverage >= 0.99:
            break
    return best


def _known(profile: Profile, name: str) -> bool:
    return any(_name(c) == name for c in profile.ignore)


def recognise(path: Path, grids: list[Grid], profiles: Iterable[Profile], forced: str | None = None) -> Layout:
    """The layout of the best-fitting profile. Raises :class:`InputError` saying what was tried."""
    candidates = list(profiles)
    if forced is not None:
        chosen = [p for p in candidates if p.name == forced]
        if not chosen:
            raise InputError(path, f"no statement profile named {forced!r} (known: "
                                   f"{', '.join(sorted(p.name for p in candidates))})")
        candidates = chosen
    depth = max((p.detect.search_rows for p in candidates), default=0)
    options = [header_options(g, depth) for g in grids]
    layouts = [layout for p in candidates for g, o in zip(grids, options, strict=True)
               if (layout := find_layout(p, g, o)) is not None]
    good = [layout for layout in layouts if layout.coverage >= MIN_COVERAGE or forced is not None]
    if good:
        return max(good, key=lambda layout: layout.score)
    tried = ", ".join(sorted(p.name for p in candidates))
    raise InputError(path, f"no statement profile recognises this file (tried {tried}); {_hint(grids)}")


def _hint(grids: list[Grid]) -> str:
    """Say what the file's header seems to be and what a profile needs."""
    best: tuple[int, int, list[str]] | None = None
    for grid in grids:
        for number, row in enumerate(grid.rows[:60], start=1):
            cells = [c for c in (clean(x) for x in row) if c]
            if len(cells) >= 3 and (best is None or len(cells) > len(best[2])):
                best = (number, len(cells), cells)
    if best is None:
        return "it has no row that looks like a header"
    number, _, cells = best
    shown = ", ".join(cells[:14]) + (" …" if len(cells) > 14 else "")
    return (f"its header looks like row {number}: {shown}. Copy importers/profiles/generic.toml into the compound's "
            "importers/ folder, give it a new name and put these header names under [columns] (date, and debit+credit "
            "or amount, balance, counterparty, summary)")


def account_number(layout: Layout) -> str:
    """The account number the file states (preamble text or an own-account column), or ``""``."""
    text = "\n".join(" ".join(clean(c) for c in row if c) for row in layout.preamble())
    for pattern in layout.profile.account_patterns:
        match = re.search(pattern, text)
        if match:
            found = digits_tail(match.group(1))
            if sum(ch.isdigit() for ch in found) >= 4:
                return found
    column = layout.columns.get("own_account")
    if column is not None:
        for row in layout.grid.rows[layout.header_row + 1: layout.header_row + 50]:
            if column < len(row):
                found = digits_tail(clean(row[column]))
                if sum(ch.isdigit() for ch in found) >= 4:
                    return found
    return ""
