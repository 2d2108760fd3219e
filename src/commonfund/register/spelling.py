"""Unit spellings (房号写法): find the register's unit that another list's ``房屋坐落`` or ``房号`` means.

The same door is written many ways: ``3栋2单元1502室``, ``3-2-1502``, ``03-02-1502``, ``3号楼2单元1502``,
``三号楼二单元1502``, or a full address with the road in front (``上海市浦东新区锦绣路123弄3号楼2单元1502室``;
in a Shanghai address the ``号`` after the lane, ``123弄3号``, is the building). :func:`unit_key` reads a
spelling from its end into ``(building, entrance, room)`` with leading zeros dropped; :class:`UnitMatcher`
looks that key up in a :class:`~commonfund.register.model.HouseholdRegister`. A spelling that fits several
units (``3-1502`` where buildings 3 has two entrances with a 1502) is *ambiguous* and never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from commonfund.register.model import HouseholdRegister

BUILDING_MARKS = ("号楼", "栋", "幢", "座", "#", "号", "楼")
ENTRANCE_MARKS = ("单元", "门洞", "门", "梯")
FLOOR_MARKS = ("层",)
_MARKS = sorted((*BUILDING_MARKS, *ENTRANCE_MARKS, *FLOOR_MARKS), key=len, reverse=True)
_MARK = "|".join(re.escape(m) for m in _MARKS)
_TAIL = re.compile(rf"(?:[0-9A-Z]+(?:{_MARK}|-))*[0-9A-Z]+$")
_TOKEN = re.compile(rf"([0-9A-Z]+)({_MARK}|-|$)")
_MARK_END = re.compile(rf"(?:{_MARK})$")
_ROOM_SUFFIX = re.compile(r"(?:室|号房|房|户|号)$")
_DASHES = re.compile(r"[—–―‐‑−~_/\\·、.]")
_DIGITS = "零一二三四五六七八九"
_CN_NUMBER = re.compile(rf"([{_DIGITS}十两]+)(?=号楼|栋|幢|座|号|单元|门|层)")


class UnitKey(NamedTuple):
    """A door as ``(building, entrance, room)``; numbers without leading zeros, letters upper-case, "" if not
    written."""

    building: str
    entrance: str
    room: str


class UnitMatch(NamedTuple):
    """What a spelling names in the register.

    Attributes:
      unit: The register's door number, or None.
      candidates: The register's units the spelling fits when it fits several (ambiguous), else ().
    """

    unit: str | None
    candidates: tuple[str, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


def _cn_int(text: str) -> str:
    """``三`` → ``3``, ``十二`` → ``12``, ``二十`` → ``20``, ``一五`` → ``15`` (digit by digit)."""
    text = text.replace("两", "二")
    if "十" not in text:
        return "".join(str(_DIGITS.index(c)) for c in text)
    tens, _, ones = text.partition("十")
    return str((_DIGITS.index(tens) if tens else 1) * 10 + (_DIGITS.index(ones) if ones else 0))


def _number(token: str) -> str:
    """A building, entrance or room token: digits without leading zeros, anything else as written."""
    if token.isdigit():
        return str(int(token))
    head = token.lstrip("0")
    return head or "0"


def _part(text: str) -> str:
    """A register's building or entrance as a key: ``03`` → ``3``, ``A座`` → ``A``, ``三单元`` → ``3``."""
    return _number(_MARK_END.sub("", normalise(text)))


def normalise(text: str) -> str:
    """Full-width to ASCII, upper case, no spaces, dashes of every kind as ``-``, Chinese numerals before a
    building/entrance/floor mark as digits."""
    text = unicodedata.normalize("NFKC", text).upper()
    text = "".join(text.split())
    text = _DASHES.sub("-", text)
    text = _CN_NUMBER.sub(lambda m: _cn_int(m.group(1)), text)
    return text.strip("-")


def unit_key(text: str) -> UnitKey | None:
    """Read a spelling into a :class:`UnitKey`, or None when no room number can be read from its end.

    >>> unit_key("3栋2单元1502室")
    UnitKey(building='3', entrance='2', room='1502')
    >>> unit_key("03-02-1502")
    UnitKey(building='3', entrance='2', room='1502')
    >>> unit_key("锦绣路123弄3号1502室")
    UnitKey(building='3', entrance='', room='1502')
    """
    text = _ROOM_SUFFIX.sub("", normalise(text))
    found = _TAIL.search(text)
    if found is None:
        return None
    tokens = _TOKEN.findall(found.group(0))
    room = tokens[-1][0]
    roles: dict[str, str] = {}
    for start in range(len(tokens) - 1):  # the longest tail that reads as one door (a road's 号 may precede it)
        found_roles = _roles(tokens[start:-1])
        if found_roles is not None:
            roles = found_roles
            break
    return UnitKey(_number(roles["b"]) if roles.get("b") else "", _number(roles["e"]) if roles.get("e") else "",
                   _number(room))


def _roles(tokens: list[tuple[str, str]]) -> dict[str, str] | None:
    """Building, entrance and floor of the tokens before the room, or None if they do not read as one door."""
    roles: dict[str, str] = {}
    dashed: list[str] = []
    for value, mark in tokens:
        if mark == "-":
            dashed.append(value)
            continue
        role = "b" if mark in BUILDING_MARKS else "e" if mark in ENTRANCE_MARKS else "f"
        if role in roles:
            return None
        roles[role] = value
    free = [r for r in ("b", "e") if r not in roles]
    if len(dashed) > len(free):
        return None
    roles.update(zip(free, dashed, strict=False))
    return roles


class UnitMatcher:
    """Looks spellings up in a register: exact door number first, then by :func:`unit_key`.

    A register unit's key is its ``building`` and ``entrance`` columns with the room read from its door
    number; a spelling fits a unit when the room is the same and the building and entrance it writes (if
    any) are the unit's. An entrance written for a register without entrances is not held against it.
    """

    def __init__(self, register: HouseholdRegister) -> None:
        self.units = set(register.units)
        self.by_room: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        columns = register.columns
        for unit, building, entrance in zip(columns.unit, columns.building, columns.entrance, strict=True):
            key = unit_key(unit)
            room = key.room if key else _number(normalise(unit))
            b = _part(building) if building else (key.building if key else "")
            e = _part(entrance) if entrance else (key.entrance if key else "")
            self.by_room[room].append((b, e, unit))

    def match(self, text: str) -> UnitMatch:
        """The unit *text* names, the units it could name (ambiguous), or neither."""
        text = text.strip()
        if text in self.units:
            return UnitMatch(text)
        key = unit_key(text)
        if key is None:
            return UnitMatch(None)
        found = self.by_room.get(key.room, [])
        if key.building:
            found = [c for c in found if c[0] == key.building]
        if key.entrance:
            same = [c for c in found if c[1] == key.entrance]
            found = same or [c for c in found if not c[1]]
        units = tuple(dict.fromkeys(c[2] for c in found))
        if len(units) == 1:
            return UnitMatch(units[0])
        return UnitMatch(None, units)
