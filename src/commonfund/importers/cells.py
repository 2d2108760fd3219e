"""Cleaning and parsing single statement cells: text, amounts, dates and times as banks write them.

Banks pad cells with spaces, tabs and full-width spaces, prefix them with a backtick (WeChat merchant
bills) or ``="…"`` (Excel-safe CSVs), and write "nothing" as ``-``, ``--``, ``/`` or ``------``.
Amounts come as ``1,234.56``, ``¥28.16``, ``+10000.00``; dates as ``2024-01-05``, ``20240105``,
``2024/1/5``, ``2025/12/03  14:06:51``, ``2024年1月5日`` or ICBC's ``2024-01-05-12.30.45.123456``.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
_PAD = " \t\r\n\u3000`\xa0"
_PLACEHOLDER_START = frozenset("-/—－_nN")
_PLACEHOLDER = re.compile(r"^(?:[-/—－_]+|null|none|n/a)$", re.IGNORECASE)
_HEADER_NOISE = re.compile(r"\[[^\]]*[A-Za-z][^\]]*\]|\s+")
_AMOUNT_NOISE = str.maketrans("", "", ",，¥￥元 \u3000\t`'")
_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})日?"
    r"(?:(?:\s+|T|-)(\d{1,2})[:.时](\d{1,2})(?:[:.分](\d{1,2}))?)?")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:\s*(\d{2}):?(\d{2}):?(\d{2}))?")
_TIME = re.compile(r"^(\d{1,2})[:.时](\d{2})(?:[:.分](\d{2}))?|^(\d{5,6})$")


def clean(value: str) -> str:
    """A cell's text without padding, tabs, backticks or ``="…"`` wrapping; placeholders become ``""``."""
    text = value.strip(_PAD)
    if text[:2] == '="' and text[-1:] == '"':
        text = text[2:-1].strip(_PAD)
    if text[:1] in _PLACEHOLDER_START and _PLACEHOLDER.match(text):
        return ""
    return text


def header_name(value: str) -> str:
    """A header cell reduced for matching: no spaces (also U+3000), no bilingual ``[ English ]`` part, and
    unwrapped from ``="…"`` and backticks as data cells are."""
    text = value.strip(_PAD)
    if text[:2] == '="' and text[-1:] == '"':
        text = text[2:-1]
    return _HEADER_NOISE.sub("", text.strip(_PAD)).strip()


def parse_amount(text: str) -> Decimal | None:
    """``1,234.56`` / ``¥28.16`` / ``+10.00`` / ``（12.00）`` → Decimal; ``""`` → None; else ValueError."""
    if not text:
        return None
    cleaned = text.translate(_AMOUNT_NOISE)
    negative = False
    if cleaned[:1] in "(（" and cleaned[-1:] in ")）":
        negative, cleaned = True, cleaned[1:-1]
    if not cleaned or _PLACEHOLDER.match(cleaned):
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    value = value.quantize(CENT, rounding=ROUND_HALF_UP)  # Excel numbers: 12000 → 12000.00
    return -value if negative else value


def parse_datetime(text: str) -> tuple[date, str]:
    """Parse a date cell, possibly with a time: ``(date, "HH:MM:SS" or "")``. ValueError if unreadable."""
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if not match:
        raise ValueError(text)
    year, month, day, hour, minute, second = match.groups()
    try:
        day_value = date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(text) from None
    clock = ""
    if hour is not None and minute is not None:
        clock = _clock(int(hour), int(minute), int(second or 0), text)
    return day_value, clock


def parse_time(text: str) -> str:
    """A time cell (``14:06:51``, ``9:05``, ``140651``) as ``HH:MM:SS``; ``""`` if empty; else ValueError."""
    if not text:
        return ""
    if _DATE.match(text) or (_COMPACT_DATE.match(text) and len(text) >= 8):
        return parse_datetime(text)[1]
    match = _TIME.match(text)
    if not match:
        raise ValueError(text)
    hour, minute, second, compact = match.groups()
    if compact:
        compact = compact.zfill(6)
        hour, minute, second = compact[:2], compact[2:4], compact[4:]
    return _clock(int(hour), int(minute), int(second or 0), text)


def _clock(hour: int, minute: int, second: int, text: str) -> str:
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(text)
    return f"{hour:02d}:{minute:02d}:{second:02d}"


def digits_tail(text: str) -> str:
    """The account-number characters of *text* (digits and ``*`` masks), spaces removed."""
    return re.sub(r"[^0-9*]", "", text)
