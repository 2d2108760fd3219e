"""Chinese labels of the codes the ledger files use (标签): codes stay in the files, people read these.

Apportion scopes (``all``, ``building:3``, ``by-balance``…), sub-ledger columns (``deposits``…), contract
periods (``monthly``…), funds (``MaintenanceFund``…) and the basis of a fund's payment. Every view (CLI
tables, Fava pages, PDFs, the workbook) takes its label from here.
"""

from __future__ import annotations

from commonfund.core.accounts import chart_by_account, is_uncategorized

FUND_ZH = {"MaintenanceFund": "住宅专项维修资金", "CommonRevenue": "共有收益", "Committee": "业委会工作经费"}
CATEGORY_ZH = {"deposits": "交存", "top_ups": "续交", "uses": "使用分摊", "income": "收益分配"}
"""Sub-ledger columns (分户账)."""
CONTRACT_PERIOD_ZH = {"monthly": "按月", "quarterly": "按季", "half-yearly": "按半年", "yearly": "按年"}
FREQUENCY_ZH = {"monthly": "每月", "quarterly": "每季度", "half-yearly": "每半年", "yearly": "每年"}
DISCLOSURE_KIND_ZH = {"common-revenue": "共有收益收支情况公示", "maintenance-fund": "住宅专项维修资金使用管理情况公示",
                      "emergency": "应急使用维修资金事后公示"}
UNCATEGORIZED_ZH = {"Income": "待分类收入（待核实）", "Expenses": "待分类支出（待核实）"}
"""Money on an ``Uncategorized-待分类`` account: it moved, and nobody has yet said what for, so no view may
count it as a cost, a use or a source it has not been shown to be."""
DIRECTIVE_ZH = {"open": "开设科目", "close": "关闭科目", "balance": "余额核对", "pad": "余额调整", "note": "备注",
                "document": "凭证文件", "event": "事件", "commodity": "币种", "price": "价格", "query": "查询"}
"""Beancount directives other than transactions and ``custom``, as a finding names the entry it points at."""
CUSTOM_ZH = {"resolution": "业主大会决议", "contract": "合同", "disclosure": "公示记录", "budget": "预算",
             "objection": "异议", "objection-reply": "异议答复"}
"""Kinds of ``custom`` directive, as people read them."""


def scope_zh(scope: str) -> str:
    """An apportion scope in Chinese: ``building:3`` → ``3号楼``, ``entrance:3-2`` → ``3号楼2单元``,
    ``all`` → ``全体业主（按专有面积）``, ``by-balance`` → ``全体业主（按分户账余额）``."""
    kind, _, arg = scope.partition(":")
    if kind == "all":
        return "全体业主"
    if kind == "building":
        return f"{arg}号楼"
    if kind == "entrance":
        building, _, entrance = arg.partition("-")
        return f"{building}号楼{entrance}单元" if entrance else f"{arg}单元"
    if kind == "units":
        return "房号 " + "、".join(u.strip() for u in arg.split(","))
    if kind == "by-balance":
        return "全体业主（按分户账余额）"
    if kind == "first-deposit":
        return "全体业主（按首期交存额）"
    return scope or "未注明分摊范围"


CHECK_ZH = {
    "resolution_failed": "引用未通过的决议", "resolution_wrong_matter": "决议事项不符",
    "resolution_not_in_force": "决议未生效或已过期", "resolution_over_budget": "支出超出决议预算",
    "maintenance_use_without_resolution": "维修资金使用无决议", "emergency_not_disclosed": "应急使用未事后公示",
    "transfer_without_resolution": "资金划转或分配无决议", "distribution_key": "分红或补贴未按约定分配",
    "sweep_policy": "共有收益转入维修资金不足", "household_below_threshold": "分户余额低于首期30%（应续交）",
    "bank_reconciliation": "银行对账", "uncategorized_postings": "待分类分录",
    "suggested_unconfirmed": "待确认的建议分类",
    "contract_remittances": "共有收益合同收款", "operating_cost_undocumented": "经营成本扣除无凭证",
    "split_payments": "拆分付款", "duplicate_payments": "重复付款", "related_party_payments": "关联方交易",
    "individual_payments": "向个人付款无依据", "allowance_over_approved": "津贴超过决议标准",
    "invoice_missing": "缺少发票", "invoice_duplicate": "发票重复使用", "invoice_seller_mismatch": "开票方与收款方不符",
    "invoice_after_payment": "发票晚于付款", "documents_missing": "缺少凭证", "budget_variance": "预算执行差异",
    "disclosure_deadlines": "公示逾期", "holiday_payments": "节假日付款", "round_sum_payments": "整数金额付款",
    "ballot_partial_owner": "多套房业主只交部分表决票", "ballot_not_counted": "表决票未计入",
    "committee_change_audit": "换届财务审计", "objection_unanswered": "异议逾期未答复",
    "objection_correction_unlinked": "异议答复称已更正但无更正分录",
    "authority_subledger_difference": "分户账与维修资金管理中心清单不符",
}
"""Audit checks: their Chinese titles (``audit --list``, the findings page)."""


def plain_help(text: str) -> str:
    """A check's docstring as people read it: ``double backticks`` of code markup removed."""
    return text.replace("``", "")


ROOTS = ("Assets:", "Liabilities:", "Equity:", "Income:", "Expenses:")


def custom_text(kind: str, values: list[object]) -> str:
    """A ``custom`` directive as people read it: ``业主大会决议 R-2025-02 3号楼电梯大修``,
    ``公示记录 应急使用维修资金事后公示 em-2025-07``, ``预算 办公费 按年 6000.00 元``."""
    words = []
    for value in values:
        text = str(value)
        text = DISCLOSURE_KIND_ZH.get(text, text) if kind == "disclosure" else text
        text = {**FREQUENCY_ZH, **CONTRACT_PERIOD_ZH}.get(text, text) if kind in ("budget", "contract") else text
        if text.startswith(ROOTS) and ":" in text:
            text = account_label(text)
        elif text.endswith(" CNY"):
            text = text[:-4] + " 元"
        words.append(text.lstrip("^"))
    return " ".join([CUSTOM_ZH.get(kind, kind), *words])


def account_label(account: str) -> str:
    """The Chinese label of an account: the chart's name after its 民非 prefix, else the Chinese part of
    the last component (``Income:CommonRevenue:Parking-停车`` → ``停车``). An uncategorised account reads
    ``待分类收入（待核实）`` / ``待分类支出（待核实）``."""
    if is_uncategorized(account):
        return UNCATEGORIZED_ZH.get(account.split(":", 1)[0], "待分类（待核实）")
    chart = chart_by_account().get(account)
    if chart is not None and "-" in chart.name:
        return chart.name.split("-", 1)[1]
    last = account.rsplit(":", 1)[-1]
    return last.split("-", 1)[1] if "-" in last else last
