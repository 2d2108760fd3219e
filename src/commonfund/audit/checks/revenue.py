"""Common-revenue completeness (共有收益完整性, DOMAIN §5.8): contracts against receipts, and the
operator's cost deductions against their evidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from commonfund.audit.checks.base import touching
from commonfund.audit.findings import AuditContext, EntryRef, Finding, audit_check
from commonfund.books.contracts import by_payee_name, contracts_of, receipts_by_period
from commonfund.books.evidence import Evidence
from commonfund.books.payments import last_transaction_day, number_of

REVENUE_ARTICLE = "民法典 第282条; 国务院物业管理条例 第54条"


@audit_check
def contract_remittances(ctx: AuditContext) -> Iterator[Finding]:
    """共有收益合同收款：按 ``custom "contract"`` 约定的每期金额核对实收——未收、少收、逾期收款。Every
    period of a common-revenue contract whose due date (period end + ``due_days``) has passed must have
    been received in full from the counterparty on the contract's income account (matched by payee and
    the receipt's ``period`` metadata, else its date): a missing remittance and a short one are warnings,
    a late one is information. 民法典 第282条 (income from common parts belongs to the owners)."""
    compound = ctx.compound
    as_of = ctx.end or last_transaction_day(compound)
    contracts, malformed = contracts_of(compound.entries)
    for entry, problem in malformed:
        if ctx.in_period(entry.date):
            yield Finding("contract_remittances", "error", "合同登记格式错误", REVENUE_ARTICLE,
                          f"合同登记无法读取：{problem}", f"contract directive cannot be read: {problem}",
                          (EntryRef.of(entry),), None, entry.date)
    if as_of is None:
        return
    transactions = compound.transactions
    by_payee = ctx.memo("transactions_by_payee", lambda: by_payee_name(transactions)) if contracts else {}
    for contract in contracts:
        receipts = receipts_by_period(contract, transactions, by_payee)
        for label, _first, last in contract.periods(as_of):
            due = last + dt.timedelta(days=contract.due_days)
            if due > as_of or not ctx.in_period(due):
                continue
            got = receipts.get(label, [])
            total = sum((amount for _, amount in got), Decimal(0))
            refs = (EntryRef.of(contract.entry), *(EntryRef.of(txn) for txn, _ in got))
            head = f"合同 {contract.id}（{contract.counterparty}，{contract.source or contract.account}）{label}"
            head_en = f"contract {contract.id} ({contract.counterparty}) period {label}"
            if not got:
                yield Finding("contract_remittances", "warning", "共有收益未收", REVENUE_ARTICLE,
                              f"{head} 应收 {contract.amount} 元，截至 {due}（到期日）未收到",
                              f"{head_en}: {contract.amount} CNY due by {due} not received",
                              refs, contract.amount, due)
            elif total < contract.amount:
                yield Finding("contract_remittances", "warning", "共有收益少收", REVENUE_ARTICLE,
                              f"{head} 应收 {contract.amount} 元，实收 {total} 元，少收 {contract.amount - total} 元",
                              f"{head_en}: received {total} of {contract.amount} CNY, "
                              f"{contract.amount - total} short", refs, contract.amount - total, due)
            elif (late := min(txn.date for txn, _ in got)) > due:
                yield Finding("contract_remittances", "info", "共有收益逾期上缴", REVENUE_ARTICLE,
                              f"{head} 于 {late} 收到，晚于到期日 {due}（{(late - due).days} 天）",
                              f"{head_en}: received on {late}, {(late - due).days} days after {due}",
                              refs[:1] + tuple(r for r in refs[1:] if r.date == late), total, late)


@audit_check
def operating_cost_undocumented(ctx: AuditContext) -> Iterator[Finding]:
    """经营成本扣除无凭证：物业公司等经营方从共有收益中扣除的成本（``OperatingCost`` 科目）须附凭证
    （``document`` 元数据指向存在的文件，或链接的 ``document`` 指令）。A cost the operator deducts from
    common revenue (an ``OperatingCost`` posting) needs a document whose file exists: whoever runs the
    business must prove its costs. 民法典 第282条; 建筑物区分所有权司法解释 第14条."""
    evidence = ctx.memo("evidence", lambda: Evidence(ctx.compound))
    for txn in touching(ctx, contains=":OperatingCost-"):
        if not ctx.in_period(txn.date):
            continue
        cost = sum((number_of(p) for p in txn.postings
                    if ":OperatingCost-" in p.account and number_of(p) > 0), Decimal(0))
        if cost <= 0 or evidence.has_document(txn):
            continue
        cited = [ref.path for ref in evidence.documents(txn)]
        why = f"所附凭证文件不存在（{'、'.join(cited)}）" if cited else "未附凭证"
        why_en = f"the cited document is missing ({', '.join(cited)})" if cited else "no document"
        yield Finding("operating_cost_undocumented", "warning", "经营成本扣除无凭证",
                      "民法典 第282条; 建筑物区分所有权司法解释 第14条",
                      f"{txn.payee} 扣除经营成本 {cost} 元，{why}" if txn.payee else
                      f"扣除经营成本 {cost} 元（{txn.narration}），{why}",
                      f"{txn.payee or txn.narration} deducted {cost} CNY of costs with {why_en}",
                      (EntryRef.of(txn),), cost, txn.date)
