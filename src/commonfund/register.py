"""The household register (业主名册 / 房屋清册): one row per unit (door number).

Columns (English or Chinese headers, any order)::

    unit 房号 | building 楼栋 | entrance 单元 | floor 楼层 | area 专有面积 (㎡, 2 decimals)
    area_source 面积来源 (registered 登记 / surveyed 测绘 / contract 合同) | owner_id 业主编号
    owner_name 业主姓名 | first_deposit 首期维修资金 | sold 已售 | delivered 已交付 | phone 电话 (optional)

Area is the basis of every share (司法解释 建筑物区分所有权 第8条: registered, else surveyed, else contract
area); headcount follows 第9条 (one unit one person; the developer's unsold or undelivered units together
count as one; an owner of several units counts once). Validation errors name the file and row.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

from commonfund.errors import InputError
from commonfund.tabular import read_rows

DEVELOPER = "DEVELOPER"
"""The owner id under which a developer's unsold/undelivered units are counted (第9条)."""

COLUMNS: dict[str, tuple[str, ...]] = {
    "unit": ("unit", "房号", "户号", "门牌号"),
    "building": ("building", "楼栋", "楼号", "幢"),
    "entrance": ("entrance", "单元"),
    "floor": ("floor", "楼层"),
    "area": ("area", "专有面积", "建筑面积", "面积"),
    "area_source": ("area_source", "面积来源"),
    "owner_id": ("owner_id", "业主编号", "产权人编号"),
    "owner_name": ("owner_name", "业主姓名", "业主", "产权人"),
    "first_deposit": ("first_deposit", "首期维修资金", "首期交存", "首次交存额"),
    "sold": ("sold", "已售", "是否已售"),
    "delivered": ("delivered", "已交付", "是否交付"),
    "phone": ("phone", "电话", "联系电话"),
}
REQUIRED = ("unit", "building", "area", "owner_id", "owner_name", "first_deposit")
AREA_SOURCES = {
    "registered": "registered", "登记": "registered", "": "registered",
    "surveyed": "surveyed", "测绘": "surveyed",
    "contract": "contract", "合同": "contract",
}
TRUE = {"1", "y", "yes", "true", "是", "已售", "已交付", "√"}
FALSE = {"0", "n", "no", "false", "否", "未售", "未交付", ""}
_ID = re.compile(r"^[0-9A-Za-z]+$")


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

    @property
    def developer_held(self) -> bool:
        """Unsold or undelivered: counted with the developer (第9条), charged to the developer (第20条)."""
        return not (self.sold and self.delivered)

    @property
    def voter(self) -> str:
        """The person this unit counts as in a headcount (第9条)."""
        return DEVELOPER if self.developer_held else self.owner_id


@dataclass(frozen=True)
class HouseholdRegister:
    """All units of a compound, in register order, with integer arrays for bulk arithmetic.

    ``area_centi`` is the area in 0.01 ㎡ and ``deposit_fen`` the first deposit in fen, both ``int64``,
    aligned with ``households``.
    """

    households: tuple[Household, ...]
    path: Path | None = None
    index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "index", {h.unit: i for i, h in enumerate(self.households)})

    def __len__(self) -> int:
        return len(self.households)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.households)

    def __contains__(self, unit: object) -> bool:
        return unit in self.index

    def get(self, unit: str) -> Household | None:
        i = self.index.get(unit)
        return None if i is None else self.households[i]

    @cached_property
    def units(self) -> tuple[str, ...]:
        return tuple(h.unit for h in self.households)

    @cached_property
    def area_centi(self) -> npt.NDArray[np.int64]:
        import numpy as np

        return np.fromiter((int(h.area * 100) for h in self.households), dtype=np.int64, count=len(self))

    @cached_property
    def deposit_fen(self) -> npt.NDArray[np.int64]:
        import numpy as np

        return np.fromiter(
            (int(h.first_deposit * 100) for h in self.households), dtype=np.int64, count=len(self)
        )

    @cached_property
    def developer_mask(self) -> npt.NDArray[np.bool_]:
        import numpy as np

        return np.fromiter((h.developer_held for h in self.households), dtype=np.bool_, count=len(self))

    @cached_property
    def buildings(self) -> npt.NDArray[np.str_]:
        import numpy as np

        return np.array([h.building for h in self.households])

    @cached_property
    def entrances(self) -> npt.NDArray[np.str_]:
        import numpy as np

        return np.array([f"{h.building}-{h.entrance}" for h in self.households])

    @property
    def total_area(self) -> Decimal:
        return Decimal(int(self.area_centi.sum())) / 100

    @cached_property
    def voters(self) -> frozenset[str]:
        """The distinct persons of a full headcount (第9条)."""
        return frozenset(h.voter for h in self.households)


def load_register(path: str | Path) -> HouseholdRegister:
    """Read and validate a register file; raise :class:`InputError` at the first bad row.

    Results are cached by (path, size, mtime), so the plugin, the audit and the reports that run in one
    process read the file once.
    """
    path = Path(path)
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise InputError(path, "household register not found") from None
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    cached = _CACHE.get(key)
    if cached is None:
        cached = parse_register(read_rows(path), path)
        _CACHE.clear()
        _CACHE[key] = cached
    return cached


_CACHE: dict[tuple[str, int, int], HouseholdRegister] = {}


def parse_register(rows: Iterable[tuple[int, list[str]]], path: Path | str = "register") -> HouseholdRegister:
    """Validate register rows (``(row_number, cells)``, header first) into a :class:`HouseholdRegister`."""
    where = os.fspath(path)
    iterator = iter(rows)
    try:
        header_row, header = next(iterator)
    except StopIteration:
        raise InputError(where, "the register is empty (it needs a header row and one row per unit)") from None
    columns = _map_header(header, f"{where}:{header_row}")
    households: list[Household] = []
    seen: dict[str, int] = {}
    for number, cells in iterator:
        household = _parse_row(cells, columns, f"{where}:{number}", number)
        if household.unit in seen:
            raise InputError(
                f"{where}:{number}", f"unit {household.unit} is listed twice (first at row {seen[household.unit]})"
            )
        seen[household.unit] = number
        households.append(household)
    if not households:
        raise InputError(where, "the register lists no units")
    return HouseholdRegister(tuple(households), Path(path))


def _map_header(header: list[str], where: str) -> dict[str, int]:
    lookup = {alias.lower(): key for key, aliases in COLUMNS.items() for alias in aliases}
    columns: dict[str, int] = {}
    for position, name in enumerate(header):
        key = lookup.get(name.strip().lower())
        if key and key not in columns:
            columns[key] = position
    missing = [key for key in REQUIRED if key not in columns]
    if missing:
        names = ", ".join(f"{key} ({COLUMNS[key][1]})" for key in missing)
        raise InputError(where, f"the header lacks column(s) {names}")
    return columns


def _parse_row(cells: list[str], columns: dict[str, int], where: str, number: int) -> Household:
    def cell(key: str) -> str:
        position = columns.get(key)
        return cells[position].strip() if position is not None and position < len(cells) else ""

    unit, building, entrance = cell("unit"), cell("building"), cell("entrance")
    if not unit:
        raise InputError(where, "the unit (房号) is empty")
    if not building or not _ID.match(building):
        raise InputError(where, f"building {building!r} of unit {unit} is not a plain id such as 3 or A2")
    if entrance and not _ID.match(entrance):
        raise InputError(where, f"entrance {entrance!r} of unit {unit} is not a plain id such as 2")
    prefix = f"{building}-{entrance}-" if entrance else f"{building}-"
    if not unit.startswith(prefix) or len(unit) == len(prefix):
        raise InputError(
            where, f"unit {unit} does not match its building {building}"
            + (f" and entrance {entrance}" if entrance else "") + f" (expected {prefix}<room>)"
        )
    area = _decimal(cell("area"), where, f"area of unit {unit}")
    if area <= 0:
        raise InputError(where, f"area of unit {unit} must be positive, got {cell('area')}")
    source = AREA_SOURCES.get(cell("area_source").lower())
    if source is None:
        raise InputError(where, f"area source {cell('area_source')!r} must be registered, surveyed or contract")
    deposit = _decimal(cell("first_deposit") or "0", where, f"first deposit of unit {unit}")
    if deposit < 0:
        raise InputError(where, f"first deposit of unit {unit} cannot be negative")
    sold = _flag(cell("sold") if "sold" in columns else "1", where, "sold")
    delivered = _flag(cell("delivered") if "delivered" in columns else "1", where, "delivered")
    owner_id, owner_name = cell("owner_id"), cell("owner_name")
    if sold and delivered and not (owner_id and owner_name):
        raise InputError(where, f"unit {unit} is sold and delivered but has no owner id and name")
    floor_text = cell("floor")
    try:
        floor = int(floor_text) if floor_text else 0
    except ValueError:
        raise InputError(where, f"floor {floor_text!r} of unit {unit} is not a whole number") from None
    return Household(
        unit=unit, building=building, entrance=entrance, floor=floor, area=area, area_source=source,
        owner_id=owner_id or DEVELOPER, owner_name=owner_name, first_deposit=deposit, sold=sold,
        delivered=delivered, phone=cell("phone"), row=number,
    )


def _decimal(text: str, where: str, what: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise InputError(where, f"{what} {text!r} is not a number") from None
    try:
        exact = value.is_finite() and value == value.quantize(Decimal("0.01")) and abs(value) < 10**12
    except InvalidOperation:
        exact = False
    if not exact:
        raise InputError(where, f"{what} {text!r} must be a number below 10¹² with at most two decimals")
    return value.quantize(Decimal("0.01"))


def _flag(text: str, where: str, what: str) -> bool:
    low = text.strip().lower()
    if low in TRUE:
        return True
    if low in FALSE:
        return False
    raise InputError(where, f"{what} flag {text!r} must be 是/否 (yes/no)")
