"""Informational payment patterns (DOMAIN §5.14): payments on rest days, round-sum payments.

Rest days come from :mod:`commonfund.core.holidays` (the official calendar with its adjusted working days).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from commonfund.audit.findings import AuditContext, EntryRef, Finding, audit_check
from commonfund.books.payments import Payment, payments_of
from commonfund.core.holidays import rest_day
from commonfund.core.law import cite

ROUND_UNIT = Decimal(1000)


def _payments(ctx: AuditContext) -> list[Payment]:
    return ctx.memo("payments", lambda: payments_of(ctx.compound))


@audit_check
def holiday_payments(ctx: AuditContext) -> Iterator[Finding]:
    """节假日付款（提示）：未引用决议的付款发生在周末或法定节假日（按国务院放假安排，含调休上班日）。
    应急抢修（``emergency``）除外。A payment on a weekend or public holiday (official calendar, adjusted working
    days included) that no resolution authorised; emergency repairs are expected on any day. Information only.
    Internal-control good practice, not a breach."""
    for payment in _payments(ctx):
        if not ctx.in_period(payment.day) or payment.resolution or payment.meta("emergency"):
            continue
        rest, name = rest_day(payment.day)
        if rest:
            yield Finding(
                "holiday_payments", "info", "节假日付款", cite("payment_pattern", "generic"),
                f"{payment.day}（{name}）向 {payment.payee} 支付 {payment.amount} 元",
                f"{payment.amount} CNY paid to {payment.payee} on {payment.day}, a rest day ({name})",
                (EntryRef.of(payment.entry),), payment.amount, payment.day)


@audit_check
def round_sum_payments(ctx: AuditContext) -> Iterator[Finding]:
    """整数金额付款（提示）：不低于 ``approval.round_sum_min`` 的整千元付款且未引用决议。A payment of a round
    sum (a whole multiple of ¥1,000) at or above the configured amount that cites no resolution: estimates
    and fabricated costs tend to be round. Information only (internal-control good practice)."""
    minimum = ctx.compound.config.approval.round_sum_min
    for payment in _payments(ctx):
        if (ctx.in_period(payment.day) and payment.resolution is None and payment.amount >= minimum
                and payment.amount % ROUND_UNIT == 0):
            yield Finding(
                "round_sum_payments", "info", "整数金额付款", cite("payment_pattern", "generic"),
                f"{payment.day} 向 {payment.payee} 支付整数金额 {payment.amount} 元，未引用决议",
                f"round-sum payment of {payment.amount} CNY to {payment.payee} on {payment.day}, no resolution",
                (EntryRef.of(payment.entry),), payment.amount, payment.day)
