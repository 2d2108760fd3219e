"""Validating the household register's rows into columns (see :mod:`commonfund.register.model` for the format).

One pass over the rows, the column positions looked up once, amounts turned into integers (fen, 0.01 ㎡)
as they are read: the common form ``1234.56`` by one regular expression, anything else (``1e3``, ``-5``,
``1,234.5``…) through :class:`~decimal.Decimal` exactly as before, so the same text is accepted or rejected
with the same message. The first bad row raises :class:`InputError` naming the file and row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from commonfund.core.errors import InputError

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
    "registered_area": ("registered_area", "登记面积", "产权登记面积", "不动产登记面积"),
    "surveyed_area": ("surveyed_area", "测绘面积", "实测面积"),
    "contract_area": ("contract_area", "合同面积", "合同约定面积"),
    "payee_account": ("payee_account", "收款账号", "收款帐号", "银行账号"),
    "payee_name": ("payee_name", "收款户名", "收款人", "账户名称"),
    "payee_bank": ("payee_bank", "开户行", "收款开户行", "开户银行"),
    "payee_bank_code": ("payee_bank_code", "联行号", "开户行联行号", "收款行行号"),
}
BANK_COLUMNS = ("payee_account", "payee_name", "payee_bank", "payee_bank_code")
"""Optional bank details for payouts (:mod:`commonfund.books.payout`); never shown in public output."""
REQUIRED = ("unit", "building", "area", "owner_id", "owner_name", "first_deposit")
AREA_COLUMNS = (("registered_area", "registered"), ("surveyed_area", "surveyed"), ("contract_area", "contract"))
"""司法解释 建筑物区分所有权 第8条, in its order: the registered area; if unregistered, the surveyed area; if
unsurveyed, the contract area. A register may give these columns instead of (or besides) ``area``: each
unit takes the first one filled in, then ``area`` with its ``area_source``."""
AREA_SOURCES = {
    "registered": "registered", "登记": "registered", "": "registered",
    "surveyed": "surveyed", "测绘": "surveyed",
    "contract": "contract", "合同": "contract",
}
TRUE = {"1", "y", "yes", "true", "是", "已售", "已交付", "√"}
FALSE = {"0", "n", "no", "false", "否", "未售", "未交付", ""}
_ID = re.compile(r"[0-9A-Za-z]+")
_ACCOUNT = re.compile(r"\d{6,32}")
_BANK_CODE = re.compile(r"\d{12}")
_PLAIN = re.compile(r"(\d{1,12})(?:\.(\d{1,2}))?")
_CENT = Decimal("0.01")


class Columns(NamedTuple):
    """A validated register, column by column (lists aligned by register position).

    Attributes:
      unit, building, entrance: Door number and its building/entrance ids.
      floor: Floor numbers (0 when not given).
      area_centi: Exclusive area in 0.01 ㎡.
      area_source: ``registered`` / ``surveyed`` / ``contract``.
      owner_id, owner_name, phone: The owner (``DEVELOPER`` when no owner id is given).
      deposit_fen: First maintenance deposit in fen.
      sold, delivered: The developer's flags.
      row: The row number in the register file.
      payee_account, payee_name, payee_bank, payee_bank_code: Optional bank details for payouts (收款账号
        digits only, 收款户名 — the owner's name when left empty —, 开户行, 联行号): private, only the payout's
        bank file reads them.
    """

    unit: list[str]
    building: list[str]
    entrance: list[str]
    floor: list[int]
    area_centi: list[int]
    area_source: list[str]
    owner_id: list[str]
    owner_name: list[str]
    deposit_fen: list[int]
    sold: list[bool]
    delivered: list[bool]
    phone: list[str]
    row: list[int]
    payee_account: list[str]
    payee_name: list[str]
    payee_bank: list[str]
    payee_bank_code: list[str]


def parse_columns(rows: Iterable[tuple[int, list[str]]], where: str) -> Columns:
    """Validate register rows (``(row_number, cells)``, header first) into :class:`Columns`."""
    iterator = iter(rows)
    try:
        header_row, header = next(iterator)
    except StopIteration:
        raise InputError(where, "the register is empty (it needs a header row and one row per unit)") from None
    columns = _map_header(header, f"{where}:{header_row}")
    out = Columns(*([] for _ in Columns._fields))
    seen: dict[str, int] = {}
    at = [columns.get(key, -1) for key in COLUMNS]
    width = max(at) + 1
    (p_unit, p_building, p_entrance, p_floor, p_area, p_source, p_owner, p_name, p_deposit, p_sold,
     p_delivered, p_phone, *_) = at
    bank_at = [columns.get(key, -1) for key in BANK_COLUMNS]
    by_source = [(columns.get(key, -1), label, key) for key, label in AREA_COLUMNS]
    if all(position < 0 for position, _, _ in by_source):
        by_source = []
    has_sold, has_delivered = p_sold >= 0, p_delivered >= 0
    for number, cells in iterator:
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        here = f"{where}:{number}"
        unit, building = cells[p_unit].strip(), cells[p_building].strip()
        entrance = cells[p_entrance].strip() if p_entrance >= 0 else ""
        if not unit:
            raise InputError(here, "the unit (房号) is empty")
        if not building or not _ID.fullmatch(building):
            raise InputError(here, f"building {building!r} of unit {unit} is not a plain id such as 3 or A2")
        if entrance and not _ID.fullmatch(entrance):
            raise InputError(here, f"entrance {entrance!r} of unit {unit} is not a plain id such as 2")
        prefix = f"{building}-{entrance}-" if entrance else f"{building}-"
        if not unit.startswith(prefix) or len(unit) == len(prefix):
            raise InputError(
                here, f"unit {unit} does not match its building {building}"
                + (f" and entrance {entrance}" if entrance else "") + f" (expected {prefix}<room>)"
            )
        if by_source:
            area, source = _area_by_source(cells, by_source, p_area, p_source, here, unit)
        else:
            area_text = cells[p_area].strip()
            area = _hundredths(area_text, here, f"area of unit {unit}")
            if area <= 0:
                raise InputError(here, f"area of unit {unit} must be positive, got {area_text}")
            source_text = cells[p_source].strip() if p_source >= 0 else ""
            found = AREA_SOURCES.get(source_text.lower())
            if found is None:
                raise InputError(here, f"area source {source_text!r} must be registered, surveyed or contract")
            source = found
        deposit = _hundredths(cells[p_deposit].strip() or "0", here, f"first deposit of unit {unit}")
        if deposit < 0:
            raise InputError(here, f"first deposit of unit {unit} cannot be negative")
        sold = _flag(cells[p_sold] if has_sold else "1", here, "sold")
        delivered = _flag(cells[p_delivered] if has_delivered else "1", here, "delivered")
        owner_id, owner_name = cells[p_owner].strip(), cells[p_name].strip()
        if sold and delivered and not (owner_id and owner_name):
            raise InputError(here, f"unit {unit} is sold and delivered but has no owner id and name")
        floor_text = cells[p_floor].strip() if p_floor >= 0 else ""
        try:
            floor = int(floor_text) if floor_text else 0
        except ValueError:
            raise InputError(here, f"floor {floor_text!r} of unit {unit} is not a whole number") from None
        if unit in seen:
            raise InputError(here, f"unit {unit} is listed twice (first at row {seen[unit]})")
        seen[unit] = number
        out.unit.append(unit)
        out.building.append(building)
        out.entrance.append(entrance)
        out.floor.append(floor)
        out.area_centi.append(area)
        out.area_source.append(source)
        out.owner_id.append(owner_id or DEVELOPER)
        out.owner_name.append(owner_name)
        out.deposit_fen.append(deposit)
        out.sold.append(sold)
        out.delivered.append(delivered)
        out.phone.append(cells[p_phone].strip() if p_phone >= 0 else "")
        out.row.append(number)
        account, name, bank, code = _bank_details(cells, bank_at, here, unit, owner_name)
        out.payee_account.append(account)
        out.payee_name.append(name)
        out.payee_bank.append(bank)
        out.payee_bank_code.append(code)
    if not out.unit:
        raise InputError(where, "the register lists no units")
    return out


def _bank_details(cells: list[str], at: list[int], here: str, unit: str, owner_name: str
                  ) -> tuple[str, str, str, str]:
    """收款账号, 收款户名, 开户行, 联行号 of a row (all empty when the unit has no bank details)."""
    account, name, bank, code = (cells[p].strip() if p >= 0 else "" for p in at)
    if not (account or name or bank or code):
        return "", "", "", ""
    if not account:
        raise InputError(here, f"unit {unit} has 收款户名, 开户行 or 联行号 but no 收款账号 (payee_account)")
    digits = "".join(account.split())
    if not _ACCOUNT.fullmatch(digits):
        hint = (" — it looks like a number the spreadsheet rounded: format the column as text and type it again"
                if "e+" in digits.lower() else "")
        raise InputError(here, f"收款账号 (payee_account) {account!r} of unit {unit} must be 6 to 32 digits{hint}")
    code = "".join(code.split())
    if code and not _BANK_CODE.fullmatch(code):
        raise InputError(here, f"联行号 (payee_bank_code) {code!r} of unit {unit} must be 12 digits")
    name = name or owner_name
    if not name:
        raise InputError(here, f"unit {unit} has a 收款账号 but no 收款户名 (payee_name) and no owner name")
    return digits, name, bank, code


def _area_by_source(cells: list[str], by_source: list[tuple[int, str, str]], p_area: int, p_source: int,
                    here: str, unit: str) -> tuple[int, str]:
    """The area of a row and its source, in 第8条's order: registered, surveyed, contract — each from its own
    column (``registered_area``…) or from ``area`` when ``area_source`` names that source."""
    main = cells[p_area].strip() if p_area >= 0 else ""
    main_source = ""
    if main:
        source_text = cells[p_source].strip() if p_source >= 0 else ""
        found = AREA_SOURCES.get(source_text.lower())
        if found is None:
            raise InputError(here, f"area source {source_text!r} must be registered, surveyed or contract")
        main_source = found
    for position, label, key in by_source:
        text = cells[position].strip() if position >= 0 else ""
        if not text and main_source == label:
            text, key = main, "area"
        if text:
            area = _hundredths(text, here, f"{key} of unit {unit}")
            if area <= 0:
                raise InputError(here, f"{key} of unit {unit} must be positive, got {text}")
            return area, label
    raise InputError(here, f"unit {unit} has no area: fill in registered_area (登记面积), surveyed_area (测绘面积) "
                     "or contract_area (合同面积) (司法解释 第8条)")


def _map_header(header: list[str], where: str) -> dict[str, int]:
    lookup = {alias.lower(): key for key, aliases in COLUMNS.items() for alias in aliases}
    columns: dict[str, int] = {}
    for position, name in enumerate(header):
        key = lookup.get(name.strip().lower())
        if key and key not in columns:
            columns[key] = position
    required: tuple[str, ...] = REQUIRED
    if any(key in columns for key, _ in AREA_COLUMNS):
        required = tuple(key for key in REQUIRED if key != "area")
    missing = [key for key in required if key not in columns]
    if missing:
        names = ", ".join(f"{key} ({COLUMNS[key][1]})" for key in missing)
        raise InputError(where, f"the header lacks column(s) {names}")
    return columns


def _hundredths(text: str, where: str, what: str) -> int:
    """A number with at most two decimals, below 10¹², as an integer count of hundredths (fen, 0.01 ㎡)."""
    plain = _PLAIN.fullmatch(text.replace(",", "") if "," in text else text)
    if plain is not None:
        whole, cents = plain.groups()
        return int(whole) * 100 + (int(cents) * (10 if len(cents) == 1 else 1) if cents else 0)
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise InputError(where, f"{what} {text!r} is not a number") from None
    try:
        exact = value.is_finite() and value == value.quantize(_CENT) and abs(value) < 10**12
    except InvalidOperation:
        exact = False
    if not exact:
        raise InputError(where, f"{what} {text!r} must be a number below 10¹² with at most two decimals")
    return int(value.quantize(_CENT) * 100)


def _flag(text: str, where: str, what: str) -> bool:
    low = text.strip().lower()
    if low in TRUE:
        return True
    if low in FALSE:
        return False
    raise InputError(where, f"{what} flag {text!r} must be 是/否 (yes/no)")
