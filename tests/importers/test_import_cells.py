"""Statement cells as banks write them: amounts, placeholders, dates and times."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from commonfund.importers.cells import clean, header_name, parse_amount, parse_datetime, parse_time


@pytest.mark.parametrize(("text", "expected"), [
    ("1,234.56", "1234.56"), ("¥28.16", "28.16"), ("￥1,000", "1000.00"), ("+10000.00", "10000.00"),
    ("-3.00", "-3.00"), ("（12.00）", "-12.00"), ("12000", "12000.00"), ("0.1", "0.10"),
])
def test_amounts(text: str, expected: str) -> None:
    assert parse_amount(clean(text)) == Decimal(expected)


@pytest.mark.parametrize("text", ["-", "--", "/", "------------------", "", "   ", "\t", "`"])
def test_placeholders_are_empty(text: str) -> None:
    assert clean(text) == ""
    assert parse_amount(clean(text)) is None


def test_padding_tabs_backticks_and_excel_quotes() -> None:
    assert clean("`2024-01-05 10:00:00") == "2024-01-05 10:00:00"
    assert clean("3985734\t") == "3985734"
    assert clean("消费                ") == "消费"
    assert clean('="0012345"') == "0012345"


def test_unreadable_amount() -> None:
    with pytest.raises(ValueError):
        parse_amount("12.3.4")
    with pytest.raises(ValueError):
        parse_amount("壹佰元")


@pytest.mark.parametrize(("text", "day", "clock"), [
    ("20240105", date(2024, 1, 5), ""),
    ("2024/1/5", date(2024, 1, 5), ""),
    ("2024-01-05", date(2024, 1, 5), ""),
    ("2025/12/03  14:06:51", date(2025, 12, 3), "14:06:51"),
    ("2024-01-05 09:05", date(2024, 1, 5), "09:05:00"),
    ("2024-01-05-12.30.45.123456", date(2024, 1, 5), "12:30:45"),
    ("2024年1月5日", date(2024, 1, 5), ""),
    ("20240105 123456", date(2024, 1, 5), "12:34:56"),
])
def test_dates(text: str, day: date, clock: str) -> None:
    assert parse_datetime(text) == (day, clock)


@pytest.mark.parametrize("text", ["2024-13-01", "2024-02-30", "上月", "5 收 91,007,497.02", "12:00:00"])
def test_unreadable_dates(text: str) -> None:
    with pytest.raises(ValueError):
        parse_datetime(text)


@pytest.mark.parametrize(("text", "clock"), [("14:06:51", "14:06:51"), ("9:05", "09:05:00"), ("140651", "14:06:51"),
                                             ("93015", "09:30:15"), ("", ""), ("2024-01-05 08:00:00", "08:00:00")])
def test_times(text: str, clock: str) -> None:
    assert parse_time(text) == clock


def test_header_names_ignore_spaces_and_english() -> None:
    assert header_name("账　　号") == "账号"
    assert header_name("交易金额[ Trade Amount ]") == "交易金额"
    assert header_name("交易时间            ") == "交易时间"
