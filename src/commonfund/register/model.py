"""The household register (业主名册 / 房屋清册): one row per unit (door number).

Columns (English or Chinese headers, any order)::

    unit 房号 | building 楼栋 | entrance 单元 | floor 楼层 | area 专有面积 (㎡, 2 decimals)
    area_source 面积来源 (registered 登记 / surveyed 测绘 / contract 合同) | owner_id 业主编号
    owner_name 业主姓名 | first_deposit 首期维修资金 | sold 已售 | delivered 已交付 | phone 电话 (optional)
    payee_account 收款账号 | payee_name 收款户名 | payee_bank 开户行 | payee_bank_code 联行号 (optional, for
    the bank file of a payout; private like the phone)

Area is the basis of every share (司法解释 建筑物区分所有权 第8条: registered, else surveyed, else contract
area); headcount follows 第9条 (one unit one person; the developer's unsold or undelivered units together
count as one; an owner of several units counts once). Validation errors name the file and row
(:mod:`commonfund.register.parse`).

The register is read on every ledger load (the plugin needs it), so :func:`load_register` keeps what it
derives from the file's bytes in the content-addressed cache (:mod:`commonfund.io.cache`) and builds only what
is asked for: a load that needs the unit count, the total area and the buildings never builds the
:class:`Household` records or the numpy arrays.
"""

from __future__ import annotations

import bisect
import contextlib
import os
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from commonfund.core.errors import InputError
from commonfund.io import cache
from commonfund.io.tables import read_source, rows_of
from commonfund.register.parse import AREA_SOURCES, COLUMNS, DEVELOPER, FALSE, REQUIRED, TRUE, Columns, parse_columns

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "AREA_SOURCES", "COLUMNS", "DEVELOPER", "FALSE", "REQUIRED", "TRUE", "Household", "HouseholdRegister",
    "Summary", "load_register", "parse_register",
]


class Household(NamedTuple):
    """One unit of the register.

    Attributes:
      unit: Door number, ``<building>-<entrance>-<room>`` (e.g. ``3-2-1502``).
      building, entrance: Building and entrance ids (entrance may be empty).
      floor: Floor number.
      area: Exclusive area in ㎡ (Decimal, 2 decimals).
      area_source: ``registered`` / ``surveyed`` / ``contract``.
      owner_id, owner_name: The owner (private: never shown in public output).
      first_deposit: First maintenance deposit (首期维修资金), Decimal yuan.
      sold, delivered: Whether the developer has sold / delivered it.
      phone: Private contact number, may be empty.
      row: The row number in the register file.
      payee_account, payee_name, payee_bank, payee_bank_code: Bank details for payouts, may be empty
        (private: only ``commonfund payout --bank-layout`` reads them).
    """

    unit: str
    building: str
    entrance: str
    floor: int
    area: Decimal
    area_source: str
    owner_id: str
    owner_name: str
    first_deposit: Decimal
    sold: bool
    delivered: bool
    phone: str
    row: int
    payee_account: str = ""
    payee_name: str = ""
    payee_bank: str = ""
    payee_bank_code: str = ""

    @property
    def developer_held(self) -> bool:
        """Unsold or undelivered: counted with the developer (第9条), charged to the developer (第20条)."""
        return not (self.sold and self.delivered)

    @property
    def voter(self) -> str:
        """The person this unit counts as in a headcount (第9条)."""
        return DEVELOPER if self.developer_held else self.owner_id


class Summary(NamedTuple):
    """What every ledger load needs of a register, small enough to read in microseconds.

    Attributes:
      size: Number of units.
      total_area_centi: Total exclusive area in 0.01 ㎡ (第8条).
      total_heads: Headcount of the whole register (第9条).
      buildings: The distinct building ids.
      entrances: The distinct ``<building>-<entrance>`` ids.
    """

    size: int
    total_area_centi: int
    total_heads: int
    buildings: tuple[str, ...]
    entrances: tuple[str, ...]


class HouseholdRegister:
    """All units of a compound, in register order, with integer arrays for bulk arithmetic.

    ``area_centi`` is the area in 0.01 ㎡ and ``deposit_fen`` the first deposit in fen, both ``int64``,
    aligned with ``households``. ``key`` is the content key of the register file (None for a register
    built in memory); results derived from the register (ballot tallies) are cached under it.
    """

    def __init__(self, households: Iterable[Household] = (), path: Path | None = None) -> None:
        self.path = path
        self.key: str | None = None
        self._entry: cache.Entry | None = None
        self.__dict__["households"] = tuple(households)

    @classmethod
    def of_columns(cls, columns: Columns, path: Path | None = None, key: str | None = None) -> HouseholdRegister:
        """A register over validated columns (:func:`commonfund.register.parse.parse_columns`)."""
        register = cls.__new__(cls)
        register.path, register.key, register._entry = path, key, None
        register.__dict__["columns"] = columns
        return register

    @classmethod
    def _cached(cls, entry: cache.Entry, path: Path, key: str) -> HouseholdRegister:
        """A register over a cache entry (see :func:`_load`): the summary now, the rest when first needed.

        Raises :class:`~commonfund.io.cache.CacheDamaged` if the summary cannot be read.
        """
        register = cls.__new__(cls)
        register.path, register.key, register._entry = path, key, entry
        register.__dict__["summary"] = Summary(*entry.load(1))
        return register

    # ── light views (what the plugin reads on every load) ─────────────────────────────────────────────
    @cached_property
    def summary(self) -> Summary:
        c = self.columns
        entrances = dict.fromkeys(f"{b}-{e}" for b, e in zip(c.building, c.entrance, strict=True))
        return Summary(len(c.unit), sum(c.area_centi), len(self.voters), tuple(dict.fromkeys(c.building)),
                       tuple(entrances))

    @cached_property
    def units(self) -> tuple[str, ...]:
        return tuple(self.columns.unit)

    @cached_property
    def sorted_units(self) -> list[str]:
        """The door numbers in sorted order (membership by bisection, without building a set)."""
        if self._entry is not None and "columns" not in self.__dict__:
            with contextlib.suppress(cache.CacheDamaged):
                found = self._entry.load(2)
                if isinstance(found, list) and len(found) == len(self):
                    return found
        return sorted(self.columns.unit)

    def has_unit(self, unit: str) -> bool:
        """Whether *unit* is a door number of the register (cheap on a register read from the cache)."""
        if "index" in self.__dict__ or "columns" in self.__dict__:
            return unit in self.index
        units = self.sorted_units
        at = bisect.bisect_left(units, unit)
        return at < len(units) and units[at] == unit

    @cached_property
    def index(self) -> dict[str, int]:
        return {unit: i for i, unit in enumerate(self.units)}

    @property
    def total_area_centi(self) -> int:
        return self.summary.total_area_centi

    @property
    def total_heads(self) -> int:
        return self.summary.total_heads

    def __len__(self) -> int:
        return self.summary.size

    def __iter__(self) -> Iterator[Household]:
        return iter(self.households)

    def __contains__(self, unit: object) -> bool:
        return unit in self.index

    def __repr__(self) -> str:
        return f"HouseholdRegister({len(self)} units, path={self.path!r})"

    def get(self, unit: str) -> Household | None:
        i = self.index.get(unit)
        return None if i is None else self.households[i]

    # ── full views ────────────────────────────────────────────────────────────────────────────────────
    @cached_property
    def columns(self) -> Columns:
        if self._entry is not None:
            return self._cached_columns(self._entry)
        households: tuple[Household, ...] = self.__dict__["households"]
        if not households:
            return Columns(*([] for _ in Columns._fields))
        c = Columns(*(list(column) for column in zip(*households, strict=True)))
        return c._replace(area_centi=[int(a * 100) for a in c.area_centi],
                          deposit_fen=[int(d * 100) for d in c.deposit_fen])

    def _cached_columns(self, entry: cache.Entry) -> Columns:
        """The columns of a register read from the cache; if that part of the entry is damaged, the file is
        parsed again (it must still be the file the summary came from)."""
        with contextlib.suppress(cache.CacheDamaged, TypeError):
            columns = Columns(*entry.load(3))
            if len(columns.unit) == len(self):
                return columns
        assert self.path is not None
        data = read_source(self.path)
        key = cache.content_key("register", data, self.path.suffix.lower())
        found = _parse(self.path, data, key) if key == self.key else None
        if not isinstance(found, HouseholdRegister):
            raise InputError(self.path, "changed while it was being read: load the books again")
        return found.columns

    @cached_property
    def households(self) -> tuple[Household, ...]:
        c = self.columns
        areas = [Decimal(a).scaleb(-2) for a in c.area_centi]
        deposits = [Decimal(d).scaleb(-2) for d in c.deposit_fen]
        return tuple(map(Household._make, zip(c.unit, c.building, c.entrance, c.floor, areas, c.area_source,
                                              c.owner_id, c.owner_name, deposits, c.sold, c.delivered, c.phone,
                                              c.row, c.payee_account, c.payee_name, c.payee_bank,
                                              c.payee_bank_code, strict=True)))

    @cached_property
    def voter_ids(self) -> tuple[str, ...]:
        """Per unit, the person it counts as in a headcount (第9条)."""
        c = self.columns
        held = zip(c.owner_id, c.sold, c.delivered, strict=True)
        return tuple(DEVELOPER if not (sold and delivered) else owner for owner, sold, delivered in held)

    @cached_property
    def area_centi(self) -> npt.NDArray[np.int64]:
        import numpy as np

        return np.array(self.columns.area_centi, dtype=np.int64)

    @cached_property
    def deposit_fen(self) -> npt.NDArray[np.int64]:
        import numpy as np

        return np.array(self.columns.deposit_fen, dtype=np.int64)

    @cached_property
    def developer_mask(self) -> npt.NDArray[np.bool_]:
        import numpy as np

        c = self.columns
        return np.array([not (s and d) for s, d in zip(c.sold, c.delivered, strict=True)], dtype=np.bool_)

    @cached_property
    def buildings(self) -> npt.NDArray[np.str_]:
        import numpy as np

        return np.array(self.columns.building)

    @cached_property
    def entrances(self) -> npt.NDArray[np.str_]:
        import numpy as np

        return np.array([f"{b}-{e}" for b, e in zip(self.columns.building, self.columns.entrance, strict=True)])

    @property
    def total_area(self) -> Decimal:
        return Decimal(self.total_area_centi) / 100

    @cached_property
    def voters(self) -> frozenset[str]:
        """The distinct persons of a full headcount (第9条)."""
        return frozenset(self.voter_ids)


def load_register(path: str | Path) -> HouseholdRegister:
    """Read and validate a register file; raise :class:`InputError` at the first bad row.

    What is derived from the file (or the error found in it) is cached by the SHA-256 of its bytes
    (:mod:`commonfund.io.cache`); within a process the result is also kept by the file's identity (path,
    size, modification and change times), so the plugin, the audit and the reports read the file once.
    """
    path = Path(path)
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise InputError(path, "household register not found") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror}") from None
    identity = (str(path.resolve()), stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
    found = _MEMO.get(identity)
    if found is None:
        found = _load(path)
        _MEMO.clear()
        _MEMO[identity] = found
    if isinstance(found, tuple):
        suffix, message = found
        raise InputError(f"{path}{suffix}", message)
    return found


_MEMO: dict[tuple[Any, ...], HouseholdRegister | tuple[str, str]] = {}


def _load(path: Path) -> HouseholdRegister | tuple[str, str]:
    """The register of *path*, or its error as ``(where after the path, message)``.

    Cache entry of a register: ``"ok"``, the :class:`Summary`, the sorted door numbers, the columns; of a
    rejected one: the error.
    """
    data = read_source(path)
    key = cache.content_key("register", data, path.suffix.lower())
    entry = cache.read_entry("register", key)
    if entry is not None:
        try:
            head = entry.load(0)
            if head == "ok" and len(entry) == 4:
                return HouseholdRegister._cached(entry, path, key)
            if isinstance(head, tuple) and len(head) == 2 and all(isinstance(x, str) for x in head):
                return head
        except (cache.CacheDamaged, TypeError):
            pass  # a damaged entry is parsed afresh and rewritten
    return _parse(path, data, key)


def _parse(path: Path, data: bytes, key: str) -> HouseholdRegister | tuple[str, str]:
    where = os.fspath(path)
    try:
        columns = parse_columns(rows_of(path, data), where)
    except InputError as exc:
        if not exc.where.startswith(where):
            raise
        error = (exc.where[len(where):], exc.message)
        cache.write_blobs("register", key, [error])
        return error
    register = HouseholdRegister.of_columns(columns, path, key)
    cache.write_blobs("register", key, ["ok", tuple(register.summary), sorted(columns.unit), tuple(columns)])
    return register


def parse_register(rows: Iterable[tuple[int, list[str]]], path: Path | str = "register") -> HouseholdRegister:
    """Validate register rows (``(row_number, cells)``, header first) into a :class:`HouseholdRegister`."""
    return HouseholdRegister.of_columns(parse_columns(rows, os.fspath(path)), Path(path))
