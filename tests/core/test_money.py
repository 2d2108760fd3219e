from __future__ import annotations

from decimal import Decimal

import pytest

from commonfund.core.money import format_cny, from_fen, parse_amount, to_fen


def test_fen_round_trip() -> None:
    assert to_fen(Decimal("12.34")) == 1234
    assert to_fen("-0.01") == -1
    assert from_fen(-5) == Decimal("-0.05")
    assert from_fen(to_fen("100000.00")) == Decimal("100000.00")


def test_to_fen_refuses_sub_fen() -> None:
    with pytest.raises(ValueError):
        to_fen("0.001")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1,234.56", "1234.56"), ("¥28.16", "28.16"), ("-3", "-3"), ("（12.00）", "-12.00"), ("12.50\t", "12.50"),
     ("`88.00", "88.00")],
)
def test_parse_amount(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "NaN", "inf"])
def test_parse_amount_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(text)


def test_format_cny() -> None:
    assert format_cny(Decimal("1234567.891")) == "¥1,234,567.89"
    assert format_cny(-123456, fen=True) == "-¥1,234.56"
