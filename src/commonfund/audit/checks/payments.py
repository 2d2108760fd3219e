"""Payment conduct (DOMAIN §5.10–§5.12): split payments, duplicates, related parties, payments to
individuals, allowances beyond what the owners' assembly approved."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from beancount.core import data
from beancount.core.amount import Amount

from commonfund.audit.findings import AuditContext, EntryRef, Finding, audit_check
from commonfund.books.parties import RelatedParties, looks_like_person, normalize_name
from commonfund.books.payments import Payment, payments_of
from commonfund.core.law import cite, region_of

APPROVAL_ARTICLE = "民法典 第278条; 业主大会议事规则（单笔支付审批限额）"


def _payments(ctx: AuditContext) -> list[Payment]:
    return ctx.memo("payments", lambda: payments_of(ctx.compound))


def _parties(ctx: AuditContext) -> RelatedParties:
    return ctx.memo("related_parties", lambda: RelatedParties(ctx.compound.config))


def _resolutions(ctx: AuditContext) -> dict[str, data.Custom]:
    def build() -> dict[str, data.Custom]:
        return {str(e.values[0].value): e for e in ctx.compound.customs("resolution") if e.values}
    return ctx.memo("resolution_directives", build)


def approved_allowance(payment: Payment, ctx: AuditContext) -> bool:
    """A member's allowance citing a resolution that exists (its amount is checked separately)."""
    return payment.is_allowance and payment.resolution is not None and payment.resolution in _resolutions(ctx)


@audit_check
def split_payments(ctx: AuditContext) -> Iterator[Finding]:
    """拆分支付：同一收款人在 ``approval.split_payment_days`` 天内多笔付款，每笔低于单笔审批限额
    ``single_payment_limit``、合计超过限额，且均未引用决议。Several payments to one payee within N days,
    each under the approval limit and together over it, none citing a resolution: the pattern of splitting
    a payment to avoid approval (内部控制：审批限额不得拆分规避)."""
    approval = ctx.compound.config.approval
    limit, window = approval.single_payment_limit, dt.timedelta(days=approval.split_payment_days)
    by_payee: dict[str, list[Payment]] = defaultdict(list)
    for payment in _payments(ctx):
        if payment.resolution is None and payment.amount < limit and payment.payee:
            by_payee[normalize_name(payment.payee)].append(payment)
    for group in by_payee.values():
        index = 0
        while index < len(group):
            cluster = [p for p in group[index:] if p.day - group[index].day <= window]
            total = sum((p.amount for p in cluster), Decimal(0))
            if len(cluster) > 1 and total > limit and any(ctx.in_period(p.day) for p in cluster):
                first, last = cluster[0], cluster[-1]
                yield Finding(
                    "split_payments", "warning", "疑似拆分支付规避审批", APPROVAL_ARTICLE,
                    f"{first.payee} 在 {first.day} 至 {last.day} 间收到 {len(cluster)} 笔付款，每笔低于审批限额 "
                    f"{limit} 元，合计 {total} 元",
                    f"{len(cluster)} payments to {first.payee} between {first.day} and {last.day}, each under the "
                    f"{limit} CNY approval limit, total {total} CNY",
                    tuple(EntryRef.of(p.entry) for p in cluster), total, last.day)
                index += len(cluster)
            else:
                index += 1


@audit_check
def duplicate_payments(ctx: AuditContext) -> Iterator[Finding]:
    """重复付款：同一账户向同一收款人支付相同金额，间隔不超过 ``approval.duplicate_payment_days`` 天。The
    same amount paid to the same payee from the same account within a few days: possibly paid twice.
    会计法 第17条."""
    days = dt.timedelta(days=ctx.compound.config.approval.duplicate_payment_days)
    last_seen: dict[tuple[str, Decimal, str], Payment] = {}
    for payment in _payments(ctx):
        key = (normalize_name(payment.payee), payment.amount, payment.source)
        earlier = last_seen.get(key)
        last_seen[key] = payment
        if earlier is None or payment.day - earlier.day > days or not ctx.in_period(payment.day):
            continue
        yield Finding(
            "duplicate_payments", "warning", "疑似重复付款", "会计法 第17条",
            f"{payment.day} 向 {payment.payee} 支付 {payment.amount} 元，与 {earlier.day} 的一笔金额相同",
            f"{payment.amount} CNY paid to {payment.payee} on {payment.day}, the same as on {earlier.day}",
            (EntryRef.of(payment.entry), EntryRef.of(earlier.entry)), payment.amount, payment.day)


@audit_check
def related_party_payments(ctx: AuditContext) -> Iterator[Finding]:
    """关联方交易：收款人（名称经全角/半角、空格归一后）或收款账号与业委会委员、监督委员会委员或物业公司员工
    相同。经决议批准的委员津贴和凭票报销（``reimbursement`` 元数据）除外。A payment whose payee (name normalised
    for full-/half-width and spaces) or counterparty account (``payee_account``) matches a committee or
    supervisory member or declared property-company staff; approved allowances and reimbursements are not
    findings. The article cited follows the compound's region (北京 第47条, 上海 第20条, 宁波 第34条…)."""
    parties = _parties(ctx)
    for payment in _payments(ctx):
        if not ctx.in_period(payment.day) or approved_allowance(payment, ctx) or payment.meta("reimbursement"):
            continue
        party = parties.match(payment.payee, str(payment.meta("payee_account") or ""))
        if party is None:
            continue
        yield Finding(
            "related_party_payments", "warning", "关联方交易", cite("related_party", region_of(ctx.compound.config)),
            f"{payment.day} 向 {payment.payee} 支付 {payment.amount} 元：收款人为{party.role}{party.name}",
            f"{payment.amount} CNY paid on {payment.day} to {payment.payee}, who is a related party "
            f"({party.role} {party.name})",
            (EntryRef.of(payment.entry),), payment.amount, payment.day)


@audit_check
def individual_payments(ctx: AuditContext) -> Iterator[Finding]:
    """向个人付款：收款人是个人，但既非经决议批准的津贴，也非报销（``reimbursement`` 元数据）。A payment to a
    person (a Chinese personal name, or a member) that is neither an allowance citing a resolution nor a
    reimbursement; related parties are reported by their own check. 民法典 第278条."""
    parties = _parties(ctx)
    for payment in _payments(ctx):
        if not ctx.in_period(payment.day) or approved_allowance(payment, ctx) or payment.meta("reimbursement"):
            continue
        account_no = str(payment.meta("payee_account") or "")
        if not looks_like_person(payment.payee) or parties.match(payment.payee, account_no):
            continue
        yield Finding(
            "individual_payments", "warning", "向个人付款无依据", cite("allowance", "generic"),
            f"{payment.day} 向个人 {payment.payee} 支付 {payment.amount} 元，既非批准的津贴也非报销",
            f"{payment.amount} CNY paid on {payment.day} to an individual, {payment.payee}, neither an approved "
            "allowance nor a reimbursement",
            (EntryRef.of(payment.entry),), payment.amount, payment.day)


def _months_in(period: object, day: dt.date) -> tuple[str, int]:
    if period:
        text = str(period)
        if "Q" in text:
            return text, 3
        if "H" in text:
            return text, 6
        if len(text) == 4 and text.isdigit():
            return text, 12
        return text, 1
    return f"{day.year}-{day.month:02d}", 1


@audit_check
def allowance_over_approved(ctx: AuditContext) -> Iterator[Finding]:
    """津贴超标：委员津贴超过所引决议批准的标准（决议元数据 ``allowance``：每人每月金额），按收款人与期间
    （``period`` 元数据，否则按付款月份）累计。Allowances paid to a person for a period beyond the monthly
    amount the cited resolution approved (its allowance amount) times the months covered. 民法典 第278条;
    民法典 第278条."""
    resolutions = _resolutions(ctx)
    buckets: dict[tuple[str, str, str], list[Payment]] = defaultdict(list)
    months: dict[tuple[str, str, str], int] = {}
    for payment in _payments(ctx):
        if not payment.is_allowance or payment.resolution is None:
            continue
        directive = resolutions.get(payment.resolution)
        if directive is None or not isinstance((directive.meta or {}).get("allowance"), Amount):
            continue
        label, count = _months_in(payment.meta("period"), payment.day)
        key = (payment.resolution, normalize_name(payment.payee), label)
        buckets[key].append(payment)
        months[key] = count
    for key, group in buckets.items():
        directive = resolutions[key[0]]
        approved = directive.meta["allowance"].number * months[key]
        total = sum((p.amount for p in group), Decimal(0))
        last = group[-1]
        if total <= approved or not ctx.in_period(last.day):
            continue
        yield Finding(
            "allowance_over_approved", "error", "津贴超过决议标准", cite("allowance", "generic"),
            f"{last.payee} {key[2]} 津贴 {total} 元，超过决议 {key[0]} 批准的 {approved} 元",
            f"allowance to {last.payee} for {key[2]}: {total} CNY, above the {approved} CNY approved by {key[0]}",
            (*(EntryRef.of(p.entry) for p in group), EntryRef.of(directive)), total - approved, last.day)
