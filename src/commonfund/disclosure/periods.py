"""Disclosure periods (公示期间): a month, a quarter, a half-year or a year.

A period is written ``2025-07`` (月), ``2025Q3`` (季度), ``2025H1`` (半年) or ``2025`` (年度), as in
``config.policy.common_revenue_disclosure`` and the ``custom "disclosure"`` directives. A period is the
half-open date range ``[start, end)``; ``previous()`` is the period of the same length just before it.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Literal, NamedTuple

from commonfund.core.errors import InputError

Kind = Literal["month", "quarter", "half", "year"]

FREQUENCY_KIND: dict[str, Kind] = {
    "monthly": "month", "quarterly": "quarter", "half-yearly": "half", "yearly": "year",
}
"""``policy.*_disclosure`` setting → period kind."""

_MONTHS: dict[Kind, int] = {"month": 1, "quarter": 3, "half": 6, "year": 12}
_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{1,2})|[Qq](?P<quarter>[1-4])|[Hh](?P<half>[12]))?$")


class Period(NamedTuple):
    """A disclosure period.

    Attributes:
      kind: ``month``, ``quarter``, ``half`` or ``year``.
      year: The calendar year.
      number: Month 1–12, quarter 1–4, half 1–2, or 1 for a year.
    """

    kind: Kind
    year: int
    number: int

    @property
    def start(self) -> date:
        """First day of the period."""
        return date(self.year, (self.number - 1) * _MONTHS[self.kind] + 1, 1)

    @property
    def end(self) -> date:
        """First day after the period (the range is ``[start, end)``)."""
        month0 = (self.number - 1) * _MONTHS[self.kind] + _MONTHS[self.kind]
        return date(self.year + month0 // 12, month0 % 12 + 1, 1)

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def label(self) -> str:
        """The machine label: ``2025-07``, ``2025Q3``, ``2025H1`` or ``2025``."""
        return {"month": f"{self.year}-{self.number:02d}", "quarter": f"{self.year}Q{self.number}",
                "half": f"{self.year}H{self.number}", "year": f"{self.year}"}[self.kind]

    @property
    def label_zh(self) -> str:
        """The Chinese label: ``2025年7月``, ``2025年第三季度``, ``2025年上半年``, ``2025年度``."""
        if self.kind == "month":
            return f"{self.year}年{self.number}月"
        if self.kind == "quarter":
            return f"{self.year}年第{'一二三四'[self.number - 1]}季度"
        if self.kind == "half":
            return f"{self.year}年{'上下'[self.number - 1]}半年"
        return f"{self.year}年度"

    @property
    def range_zh(self) -> str:
        """``2025年7月1日至2025年9月30日``."""
        s, e = self.start, self.last_day
        return f"{s.year}年{s.month}月{s.day}日至{e.year}年{e.month}月{e.day}日"

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        count = 12 // _MONTHS[self.kind]
        if self.number > 1:
            return Period(self.kind, self.year, self.number - 1)
        return Period(self.kind, self.year - 1, count)

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end

    def __str__(self) -> str:
        return self.label


def parse_period(text: str | int | Period) -> Period:
    """Parse ``2025-07``, ``2025Q3``, ``2025H1`` or ``2025``; raise :class:`InputError` otherwise."""
    if isinstance(text, Period):
        return text
    match = _PATTERN.match(str(text).strip())
    if not match:
        raise InputError("--period", f"{text!r} is not a period such as 2025Q3, 2025, 2025-07 or 2025H1")
    year = int(match["year"])
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise InputError("--period", f"{text!r}: month must be 01–12")
        return Period("month", year, month)
    if match["quarter"]:
        return Period("quarter", year, int(match["quarter"]))
    if match["half"]:
        return Period("half", year, int(match["half"]))
    return Period("year", year, 1)


def period_containing(day: date, kind: Kind) -> Period:
    """The period of *kind* that contains *day*."""
    months = _MONTHS[kind]
    return Period(kind, day.year, (day.month - 1) // months + 1)


def last_complete_period(through: date, kind: Kind) -> Period:
    """The latest period of *kind* that has ended by *through* (inclusive of *through* itself)."""
    current = period_containing(through, kind)
    return current if current.last_day <= through else current.previous()
