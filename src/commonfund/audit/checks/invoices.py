"""Invoices and documents (发票与原始凭证, DOMAIN §5.13–§5.14)."""

from __future__ import annotations

from collections.abc import Iterator

from commonfund.audit.findings import AuditContext, EntryRef, Finding, audit_check
from commonfund.books.evidence import Evidence, invoice_of
from commonfund.books.parties import normalize_name
from commonfund.books.payments import Payment, payments_of

INVOICE_ARTICLE = "发票管理办法 第20条"
BAD_INVOICE_ARTICLE = "发票管理办法 第21条"


def _payments(ctx: AuditContext) -> list[Payment]:
    return ctx.memo("payments", lambda: payments_of(ctx.compound))


def needs_invoice(payment: Payment) -> bool:
    """Purchases need an invoice; allowances, distributions to owners and taxes do not."""
    return not (payment.is_allowance or payment.meta("distribution")
                or all(":Tax-" in account for account in payment.expenses))


@audit_check
def invoice_missing(ctx: AuditContext) -> Iterator[Finding]:
    """缺少发票：超过 ``approval.invoice_required_above`` 的购买商品或服务的付款须取得发票（``invoice`` 元数据）；
    津贴、向业主分配与税费除外。A purchase above the configured amount must carry its invoice
    (``invoice`` metadata); allowances, distributions to owners and taxes are exempt. 发票管理办法 第20条."""
    limit = ctx.compound.config.approval.invoice_required_above
    for payment in _payments(ctx):
        if ctx.in_period(payment.day) and payment.amount > limit and needs_invoice(payment) \
                and invoice_of(payment.entry) is None:
            yield Finding(
                "invoice_missing", "warning", "付款缺少发票", INVOICE_ARTICLE,
                f"{payment.day} 向 {payment.payee} 支付 {payment.amount} 元（超过 {limit} 元）未记录发票",
                f"{payment.amount} CNY paid to {payment.payee} on {payment.day} (above {limit}) has no invoice",
                (EntryRef.of(payment.entry),), payment.amount, payment.day)


@audit_check
def invoice_duplicate(ctx: AuditContext) -> Iterator[Finding]:
    """重复发票：同一发票（代码+号码相同）用于两笔以上付款。The same invoice (code and number) supports more
    than one payment: it can be claimed only once. 发票管理办法 第21条."""
    first_use: dict[str, Payment] = {}
    for payment in _payments(ctx):
        invoice = invoice_of(payment.entry)
        if invoice is None:
            continue
        earlier = first_use.setdefault(invoice.normalized, payment)
        if earlier is payment or not ctx.in_period(payment.day):
            continue
        yield Finding(
            "invoice_duplicate", "error", "发票重复使用", BAD_INVOICE_ARTICLE,
            f"发票 {invoice.key} 已用于 {earlier.day} 向 {earlier.payee} 的付款，{payment.day} 再次入账",
            f"invoice {invoice.key} already supports the {earlier.day} payment to {earlier.payee}; "
            f"used again on {payment.day}",
            (EntryRef.of(payment.entry), EntryRef.of(earlier.entry)), payment.amount, payment.day)


@audit_check
def invoice_seller_mismatch(ctx: AuditContext) -> Iterator[Finding]:
    """发票销售方与收款人不符：``invoice_seller`` 与付款的收款人（归一后）不同。The seller on the invoice
    (``invoice_seller``) is not the payee the money went to. 发票管理办法 第21条."""
    for payment in _payments(ctx):
        invoice = invoice_of(payment.entry)
        if invoice is None or invoice.seller is None or not ctx.in_period(payment.day):
            continue
        if normalize_name(invoice.seller) != normalize_name(payment.payee):
            yield Finding(
                "invoice_seller_mismatch", "warning", "发票销售方与收款人不符", BAD_INVOICE_ARTICLE,
                f"{payment.day} 付款给 {payment.payee}，发票 {invoice.key} 的销售方却是 {invoice.seller}",
                f"payment to {payment.payee} on {payment.day} carries invoice {invoice.key} issued by "
                f"{invoice.seller}", (EntryRef.of(payment.entry),), payment.amount, payment.day)


@audit_check
def invoice_after_payment(ctx: AuditContext) -> Iterator[Finding]:
    """发票日期晚于付款：``invoice_date`` 在付款日之后（先付款后开票须说明）。The invoice is dated after the
    payment it supports. 发票管理办法 第20条."""
    for payment in _payments(ctx):
        invoice = invoice_of(payment.entry)
        if invoice is None or invoice.day is None or not ctx.in_period(payment.day) or invoice.day <= payment.day:
            continue
        days = (invoice.day - payment.day).days
        yield Finding(
            "invoice_after_payment", "warning", "发票日期晚于付款", INVOICE_ARTICLE,
            f"{payment.day} 向 {payment.payee} 支付 {payment.amount} 元，发票 {invoice.key} 开具于 {invoice.day}"
            f"（晚 {days} 天）",
            f"invoice {invoice.key} is dated {invoice.day}, {days} days after the {payment.day} payment to "
            f"{payment.payee}", (EntryRef.of(payment.entry),), payment.amount, payment.day)


@audit_check
def documents_missing(ctx: AuditContext) -> Iterator[Finding]:
    """缺少原始凭证：超过 ``approval.document_required_above`` 的付款须附凭证文件（``document`` 元数据指向
    documents/ 下存在的文件，或链接的 Beancount ``document`` 指令）。A payment above the configured amount
    needs a document whose file exists (``document`` metadata, or a linked ``document`` directive).
    会计法 第14条."""
    limit = ctx.compound.config.approval.document_required_above
    evidence: Evidence = ctx.memo("evidence", lambda: Evidence(ctx.compound))
    for payment in _payments(ctx):
        if not ctx.in_period(payment.day) or payment.amount <= limit or evidence.has_document(payment.entry):
            continue
        cited = [ref.path for ref in evidence.documents(payment.entry)]
        why = f"所附凭证文件不存在（{'、'.join(cited)}）" if cited else "未附凭证"
        why_en = f"its document is missing ({', '.join(cited)})" if cited else "no document"
        yield Finding(
            "documents_missing", "warning", "付款缺少原始凭证", "会计法 第14条",
            f"{payment.day} 向 {payment.payee} 支付 {payment.amount} 元（超过 {limit} 元），{why}",
            f"{payment.amount} CNY paid to {payment.payee} on {payment.day} (above {limit}): {why_en}",
            (EntryRef.of(payment.entry),), payment.amount, payment.day)
