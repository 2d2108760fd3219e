"""Exact money: Decimal at the boundary, integer fen (分) inside bulk arithmetic.

Every amount that enters commonfund from a file is parsed to :class:`~decimal.Decimal` with two
decimals; per-household arithmetic converts to ``int`` fen and back. Nothing here uses float.

The one home of money formatting: :func:`from_fen` (fen → Decimal yuan), :func:`format_cny` /
:func:`cny` (people read ``¥1,234.56``) and :func:`ledger_number` (a Beancount number ``1234.56``).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CURRENCY = "CNY"
CENT = Decimal("0.01")


def to_fen(amount: Decimal | int | str) -> int:
    """Convert a yuan amount to integer fen; refuses anything finer than a fen.

    >>> to_fen(Decimal("12.34"))
    1234
    """
    value = Decimal(amount)
    fen = value * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"amount {amount} has more than two decimals")
    return int(fen)


def from_fen(fen: int) -> Decimal:
    """Convert integer fen to a two-decimal Decimal yuan amount.

    >>> from_fen(-5)
    Decimal('-0.05')
    """
    return (Decimal(int(fen)) / 100).quantize(CENT)


def parse_amount(text: str) -> Decimal:
    """Parse a money string as people and banks write it: ``1,234.56``, ``¥28.16``, ``-3``, ``（12.00）``.

    Raises ValueError with the text if it is not a number.
    """
    cleaned = (
        str(text)
        .strip()
        .strip("`'\t ")
        .replace(",", "")
        .replace("，", "")
        .replace("¥", "")
        .replace("￥", "")
        .replace("元", "")
        .replace(" ", "")
    )
    negative = False
    if cleaned.startswith(("(", "（")) and cleaned.endswith((")", "）")):
        negative, cleaned = True, cleaned[1:-1]
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not an amount") from None
    if not value.is_finite():
        raise ValueError(f"{text!r} is not an amount")
    return -value if negative else value


def quantize(amount: Decimal) -> Decimal:
    """Round half-up to the fen (only for amounts computed outside fen arithmetic, e.g. rates)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_cny(amount: Decimal | int, *, fen: bool = False, symbol: bool = True) -> str:
    """Format as ``¥1,234,567.89`` (``fen=True`` when *amount* is integer fen)."""
    value = from_fen(int(amount)) if fen else Decimal(amount).quantize(CENT)
    sign = "-" if value < 0 else ""
    return f"{sign}{'¥' if symbol else ''}{abs(value):,.2f}"


def cny(fen: int) -> str:
    """Integer fen as people read it: ``¥1,234,567.89``.

    >>> cny(-123456)
    '-¥1,234.56'
    """
    return format_cny(fen, fen=True)


def ledger_number(fen: int) -> str:
    """Integer fen as a Beancount number: ``1234.56`` (no grouping, always two decimals).

    >>> ledger_number(-5)
    '-0.05'
    """
    sign = "-" if fen < 0 else ""
    fen = abs(int(fen))
    return f"{sign}{fen // 100}.{fen % 100:02d}"
