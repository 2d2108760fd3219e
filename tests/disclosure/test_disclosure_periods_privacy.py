"""Disclosure periods (2025Q3, 2025, 2025-07, 2025H1) and the privacy scrubber (张** masking)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commonfund.compound.config import CompoundConfig
from commonfund.core.errors import InputError
from commonfund.disclosure.periods import Period, last_complete_period, parse_period, period_containing
from commonfund.disclosure.privacy import Scrubber, mask_name, scrub_numbers
from commonfund.register.model import Household, HouseholdRegister


@pytest.mark.parametrize(("text", "start", "end", "zh"), [
    ("2025Q3", date(2025, 7, 1), date(2025, 10, 1), "2025年第三季度"),
    ("2025q4", date(2025, 10, 1), date(2026, 1, 1), "2025年第四季度"),
    ("2025", date(2025, 1, 1), date(2026, 1, 1), "2025年度"),
    ("2025-07", date(2025, 7, 1), date(2025, 8, 1), "2025年7月"),
    ("2025-12", date(2025, 12, 1), date(2026, 1, 1), "2025年12月"),
    ("2025H1", date(2025, 1, 1), date(2025, 7, 1), "2025年上半年"),
    ("2025H2", date(2025, 7, 1), date(2026, 1, 1), "2025年下半年"),
])
def test_parse_period(text: str, start: date, end: date, zh: str) -> None:
    period = parse_period(text)
    assert (period.start, period.end, period.label_zh) == (start, end, zh)
    assert parse_period(period.label) == period


@pytest.mark.parametrize("text", ["2025Q5", "2025-13", "2025H3", "25Q1", "Q3", "2025 Q3", ""])
def test_bad_periods_say_what_is_expected(text: str) -> None:
    with pytest.raises(InputError, match="--period"):
        parse_period(text)


def test_previous_and_last_complete() -> None:
    assert parse_period("2025Q1").previous() == parse_period("2024Q4")
    assert parse_period("2025-01").previous() == parse_period("2024-12")
    assert parse_period("2025H1").previous() == parse_period("2024H2")
    assert parse_period("2025").previous() == parse_period("2024")
    assert last_complete_period(date(2026, 1, 1), "quarter") == parse_period("2025Q4")
    assert last_complete_period(date(2025, 12, 31), "quarter") == parse_period("2025Q4")
    assert last_complete_period(date(2025, 12, 30), "quarter") == parse_period("2025Q3")
    assert last_complete_period(date(2025, 12, 31), "year") == parse_period("2025")


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)),
       st.sampled_from(["month", "quarter", "half", "year"]))
def test_periods_tile_the_calendar(day: date, kind: str) -> None:
    period = period_containing(day, kind)  # type: ignore[arg-type]
    assert period.contains(day)
    assert period.previous().end == period.start
    assert isinstance(period, Period)


def test_mask_name() -> None:
    assert mask_name("张伟") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("李") == "*"


def test_scrub_numbers() -> None:
    text = "联系13800000002或021-64321234，身份证31010119800101123X，金额 12345.67，房号 3-2-1502"
    assert scrub_numbers(text) == (
        "联系***********或************，身份证******************，金额 12345.67，房号 3-2-1502")


def test_scrubber_masks_every_owner_and_member() -> None:
    def unit(u: str, name: str) -> Household:
        return Household(u, "1", "1", 1, Decimal("90"), "registered", "O", name, Decimal("1"), True, True, "", 2)

    register = HouseholdRegister((unit("1-1-101", "欧阳娜娜"), unit("1-1-102", "欧阳")))
    config = CompoundConfig.model_validate({"name": "x", "slug": "x", "property_staff": ["赵经理"],
                                            "committee": [{"name": "陈建华", "unit": "1-1-101"}]})
    scrub = Scrubber.for_compound(register, config)
    assert scrub("欧阳娜娜、欧阳、陈建华、赵经理：1-1-101 付款") == "欧***、欧*、陈**、赵**：1-1-101 付款"
