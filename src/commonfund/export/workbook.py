"""The third-party auditor's package (审计资料包): one Excel workbook that ties to the ledger to the fen.

Sheets, in order: 封面 (cover: compound, period, generation time, the ledger fingerprint), 序时账
(every posting with entry id, file:line and documents), 科目余额表 (opening, debit, credit, closing per
account with 民非 codes and Chinese names), 总账 (by account and month), 分户账 (household sub-ledgers),
决议 (resolutions with tallies and verdicts), 合同 (common-revenue contracts), 审计发现 (findings),
凭证索引 (documents index), and the three statements of the 民间非营利组织会计制度 (DOMAIN §7).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from commonfund import __version__
from commonfund.audit.findings import SEVERITY_ZH, Finding, count_by_severity, run_audit
from commonfund.books.contracts import contract_figures
from commonfund.books.evidence import Evidence, invoice_of
from commonfund.books.payments import number_of
from commonfund.books.spending import resolution_figures
from commonfund.books.subledger import compute_subledgers
from commonfund.compound.fingerprint import fingerprint
from commonfund.compound.model import Compound
from commonfund.core.labels import CONTRACT_PERIOD_ZH
from commonfund.core.money import to_fen
from commonfund.export.authority_sheet import authority_sheet
from commonfund.export.ledger import AccountInfo, TrialRow, accounts_of, journal, relative, trial_balance
from commonfund.export.sheets import Fen, Sheet
from commonfund.export.statements import Statement, statements
from commonfund.io.atomic import atomic_open
from commonfund.resolutions.model import conditions_of
from commonfund.resolutions.parse import resolutions_of

Progress = Callable[[str], None]
SHEETS = ("封面", "序时账", "科目余额表", "总账", "分户账", "决议", "合同", "审计发现", "凭证索引",
          "资产负债表", "业务活动表", "现金流量表")


def export_workbook(compound: Compound, year: int, out: str | Path, progress: Progress | None = None,
                    now: dt.datetime | None = None) -> Path:
    """Write the auditor's workbook for calendar *year* to *out* atomically; return its path."""
    say = progress or (lambda _step: None)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    infos = accounts_of(compound)
    say("科目余额表 trial balance")
    rows = trial_balance(compound, start, end)
    say("审计 audit")
    findings = run_audit(compound, start, end)
    say("报表 statements")
    reports = statements(compound, year)
    workbook = Workbook(write_only=True)
    say("封面 cover")
    _cover(workbook, compound, year, findings, now or dt.datetime.now().astimezone())
    say("序时账 journal")
    _journal(workbook, compound, infos, start, end)
    _trial_balance(workbook, rows, infos)
    say("总账 general ledger")
    _general_ledger(workbook, compound, rows, infos, start, end)
    say("分户账 sub-ledgers")
    _subledgers(workbook, compound, end)
    authority_sheet(workbook, compound)  # 分户账核对, only with a 维修资金管理中心 list on file
    say("决议 resolutions")
    _resolutions(workbook, compound, end)
    _contracts(workbook, compound, start, end)
    _findings(workbook, compound, findings)
    say("凭证索引 documents")
    _documents(workbook, compound, start, end)
    for report in reports:
        _statement(workbook, report, compound, year)
    say("写入 writing")
    out = Path(out)
    with atomic_open(out, "wb", encoding=None) as handle:
        workbook.save(handle)
    return out


def _cover(workbook: Workbook, compound: Compound, year: int, findings: list[Finding], now: dt.datetime) -> None:
    sheet = Sheet(workbook, "封面", ("项目 Item", "内容 Value"), (28, 90), freeze=None)
    counts = count_by_severity(findings)
    config = compound.config
    postings = sum(len(t.postings) for t in compound.transactions if t.date.year == year)
    for label, value in (
        ("小区 Compound", config.name),
        ("业主委员会 Committee", config.display_committee),
        ("地址 Address", config.address),
        ("会计期间 Period", f"{year}-01-01 至 {year}-12-31"),
        ("生成时间 Generated", now.strftime("%Y-%m-%d %H:%M:%S %z")),
        ("账簿指纹 Ledger fingerprint (SHA-256)", fingerprint(compound.root)),
        ("核验方法 Verify", f"commonfund fingerprint {_shown_path(compound.root)}  — 结果须与上行一致"
                          "（在别处收到账簿时，把路径换成账簿文件夹的位置）"),
        ("本期交易笔数 Transactions", sum(1 for t in compound.transactions if t.date.year == year)),
        ("本期分录数 Postings", postings),
        ("审计发现 Findings", "，".join(f"{SEVERITY_ZH[k]} {v}" for k, v in counts.items())),
        ("会计制度 Accounting system", "民间非营利组织会计制度（财会〔2004〕7号）；维修资金为限定性净资产"),
        ("生成工具 Tool", f"commonfund {__version__}"),
    ):
        sheet.row((label, value))


def _shown_path(root: Path) -> str:
    """The compound folder as a command run here can name it: relative to the working directory when
    inside it, else absolute; quoted if it has spaces."""
    import os
    import shlex

    absolute = root.resolve()
    try:
        shown = str(absolute.relative_to(Path.cwd().resolve()))
    except ValueError:
        shown = str(absolute)
    return shlex.quote(shown or os.curdir)


def _journal(workbook: Workbook, compound: Compound, infos: dict[str, AccountInfo], start: dt.date,
             end: dt.date) -> None:
    sheet = Sheet(workbook, "序时账",
                  ("凭证号 Entry", "日期 Date", "位置 file:line", "收付款人 Payee", "摘要 Narration", "科目 Account",
                   "科目名称", "借方 Debit", "贷方 Credit", "凭证 Documents"),
                  (14, 11, 30, 24, 36, 46, 28, 15, 15, 40))
    documents: dict[int, str] = {}
    for line in journal(compound, start, end):
        key = id(line.entry)
        if key not in documents:
            documents.clear()
            meta = line.entry.meta or {}
            documents[key] = "; ".join(str(v) for v in (meta.get("invoice"), meta.get("document")) if v)
        info = infos.get(line.account)
        sheet.row((line.entry_id, line.date, line.location, line.payee, line.narration, line.account,
                   info.name if info else "", Fen(line.fen) if line.fen > 0 else None,
                   Fen(-line.fen) if line.fen < 0 else None, documents[key]))


def _trial_balance(workbook: Workbook, rows: dict[str, TrialRow], infos: dict[str, AccountInfo]) -> None:
    sheet = Sheet(workbook, "科目余额表",
                  ("科目代码 Code", "科目 Account", "科目名称", "基金 Fund", "期初余额 Opening", "本期借方 Debit",
                   "本期贷方 Credit", "期末余额 Closing"), (10, 46, 30, 16, 18, 18, 18, 18))
    totals = [0, 0, 0, 0]
    for account, row in rows.items():
        info = infos.get(account)
        values = (row.opening, row.debit, row.credit, row.closing)
        totals = [t + v for t, v in zip(totals, values, strict=True)]
        sheet.row((info.code if info else "", account, info.name if info else "", info.fund if info else "",
                   *(Fen(v) for v in values)))
    sheet.row(("", "合计 Total（借贷平衡，余额合计为零）", "", "", *(Fen(v) for v in totals)), bold=True)


def _general_ledger(workbook: Workbook, compound: Compound, rows: dict[str, TrialRow],
                    infos: dict[str, AccountInfo], start: dt.date, end: dt.date) -> None:
    sheet = Sheet(workbook, "总账", ("科目代码", "科目 Account", "科目名称", "月份 Month", "摘要", "借方 Debit",
                                     "贷方 Credit", "余额 Balance"), (10, 46, 28, 10, 14, 18, 18, 18))
    monthly: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for txn in compound.transactions:
        if start <= txn.date <= end:
            for posting in txn.postings:
                fen = to_fen(number_of(posting))
                monthly[posting.account][txn.date.month][0 if fen >= 0 else 1] += abs(fen)
    for account, row in rows.items():
        if not row.opening and account not in monthly:
            continue
        info = infos.get(account)
        head = (info.code if info else "", account, info.name if info else "")
        balance = row.opening
        sheet.row((*head, f"{start.year}-01", "期初余额", None, None, Fen(balance)))
        for month, (debit, credit) in sorted(monthly.get(account, {}).items()):
            balance += debit - credit
            sheet.row((*head, f"{start.year}-{month:02d}", "本月合计", Fen(debit), Fen(credit), Fen(balance)))
        sheet.row((*head, f"{start.year}-12", "本年累计", Fen(row.debit), Fen(row.credit), Fen(row.closing)),
                  bold=True)


def _subledgers(workbook: Workbook, compound: Compound, end: dt.date) -> None:
    ledgers = compute_subledgers(compound, end)
    sheet = Sheet(workbook, "分户账", ("房号 Unit", "首期应交 First deposit", "交存 Deposits", "续交 Top-ups",
                                     "使用分摊 Uses", "收益分配 Income", "余额 Balance", "低于30% Below 30%",
                                     "开发商 Developer", "应续交 Top-up due"), (14, 18, 18, 16, 16, 16, 18, 14, 12, 16))
    below = set(ledgers.below(compound.config.policy.top_up_fraction).tolist())
    due = ledgers.top_up_needed(compound.config.policy.top_up_fraction).tolist()
    columns = [ledgers.first_deposit.tolist(), ledgers.deposits.tolist(), ledgers.top_ups.tolist(),
               ledgers.uses.tolist(), ledgers.income.tolist(), ledgers.balance.tolist()]
    developer = ledgers.developer.tolist()
    for index, unit in enumerate(ledgers.units):
        sheet.row((unit, *(Fen(c[index]) for c in columns), "是" if index in below else "",
                   "是" if developer[index] else "", Fen(due[index]) if due[index] else None))
    sheet.row(("合计 Total", *(Fen(sum(c)) for c in columns), len(below), "", Fen(sum(due))), bold=True)
    sheet.row(("维修资金账面余额 Fund balance", None, None, None, None, None, Fen(ledgers.fund_balance),
               "一致" if ledgers.reconciles else "不一致", ""), bold=True)


def _resolutions(workbook: Workbook, compound: Compound, end: dt.date) -> None:
    figures = resolution_figures(compound, until=end)
    sheet = Sheet(workbook, "决议", ("决议编号 Id", "日期 Date", "事项 Matter", "标题 Title", "预算 Budget",
                                   "有效期至", "计票来源", "总面积㎡", "参与面积㎡", "同意面积㎡", "总人数", "参与人数",
                                   "同意人数", "结果 Verdict", "原因 Reasons", f"截至{end}已支出 Spent",
                                   "预算余额 Remaining", "表决条件（精确分数）Conditions"),
                  (14, 11, 22, 36, 16, 11, 10, 14, 14, 14, 9, 9, 9, 10, 40, 18, 18, 90))
    for resolution in sorted(resolutions_of(compound).values(), key=lambda r: (r.date, r.id)):
        tally, verdict = resolution.tally, resolution.verdict
        areas = [Decimal(v) / 100 for v in (tally.total_area, tally.voted_area, tally.agree_area)] if tally \
            else [None] * 3
        heads = [tally.total_heads, tally.voted_heads, tally.agree_heads] if tally else [None] * 3
        money = figures[resolution.id]
        sheet.row((resolution.id, resolution.date, resolution.matter_label, resolution.title, resolution.budget,
                   resolution.valid_until, {"ballots": "选票文件", "typed": "录入"}.get(tally.source, "")
                   if tally else "", *areas, *heads,
                   "通过" if resolution.passes() else "未通过",
                   "；".join(zh for zh, _ in verdict.reasons) if verdict else "无计票",
                   Fen(to_fen(money.spent)), None if money.remaining is None else Fen(to_fen(money.remaining)),
                   "；".join(f"{c.label} {c.shown}（要求 {c.rule_zh}）{'达到' if c.met else '未达到'}"
                            for c in conditions_of(tally, verdict)) if tally and verdict else ""))


def _contracts(workbook: Workbook, compound: Compound, start: dt.date, end: dt.date) -> None:
    sheet = Sheet(workbook, "合同", ("合同编号 Id", "对方 Counterparty", "经营项目 Source", "收入科目 Account",
                                   "周期", "每期金额", "起始", "终止", "到期天数", "本年应收 Due", "本年实收 Received",
                                   "差额 Difference"), (14, 30, 36, 40, 10, 16, 11, 11, 9, 16, 16, 16))
    for row in contract_figures(compound, start, end):
        contract = row.contract
        sheet.row((contract.id, contract.counterparty, contract.source, contract.account,
                   CONTRACT_PERIOD_ZH.get(contract.period, contract.period), contract.amount, contract.start,
                   contract.end, contract.due_days, Fen(to_fen(row.due)), Fen(to_fen(row.received)),
                   Fen(-to_fen(row.short))))


def _findings(workbook: Workbook, compound: Compound, findings: list[Finding]) -> None:
    sheet = Sheet(workbook, "审计发现", ("编号 Id", "级别 Severity", "日期 Date", "检查 Check", "规则 Rule",
                                     "依据 Article", "说明", "Description", "金额 Amount", "分录 Entries"),
                  (30, 8, 11, 26, 24, 30, 60, 60, 16, 50))
    for finding in findings:
        sheet.row((finding.id, SEVERITY_ZH[finding.severity], finding.date, finding.check, finding.rule,
                   finding.article, finding.message_zh, finding.message_en, finding.amount,
                   "\n".join(f"{relative(e.filename, compound.root)}:{e.lineno}" for e in finding.entries)))


def _documents(workbook: Workbook, compound: Compound, start: dt.date, end: dt.date) -> None:
    from beancount.core.compare import hash_entry

    evidence = Evidence(compound)
    sheet = Sheet(workbook, "凭证索引", ("凭证号 Entry", "日期 Date", "位置 file:line", "收付款人 Payee",
                                     "摘要 Narration", "发票 Invoice", "开票方 Seller", "开票日期", "凭证文件 Document",
                                     "文件存在 Exists", "来源 Source"),
                  (14, 11, 30, 24, 36, 26, 24, 11, 50, 10, 10))
    for txn in compound.transactions:
        if not start <= txn.date <= end:
            continue
        invoice, refs = invoice_of(txn), evidence.documents(txn)
        if invoice is None and not refs:
            continue
        meta = txn.meta or {}
        head = (hash_entry(txn)[:12], txn.date,
                f"{relative(str(meta.get('filename', '')), compound.root)}:{meta.get('lineno', 0)}",
                txn.payee or "", txn.narration or "", invoice.key if invoice else "",
                (invoice.seller or "") if invoice else "", invoice.day if invoice else None)
        for ref in [*refs] or [None]:  # type: ignore[list-item]
            sheet.row((*head, ref.path if ref else "", ("是" if ref.exists else "否") if ref else "",
                       {"metadata": "元数据", "directive": "document 指令"}[ref.source] if ref else ""))


def _statement(workbook: Workbook, report: Statement, compound: Compound, year: int) -> None:
    sheet = Sheet(workbook, report.title, (), (44, *([20] * len(report.columns))), freeze="A4")
    sheet.row((f"{report.title}（{report.form}）",), bold=True)
    sheet.row((f"编制单位：{compound.config.display_committee}    {year} 年度    单位：元",))
    sheet.row(("项目", *report.columns), bold=True)
    for label, values, level in report.rows:
        sheet.row((("" if level == 0 else "  ") + label, *(Fen(v) for v in values or ())), bold=level == 0)


def export_statements(compound: Compound, year: int, out: str | Path) -> Path:
    """Write only the three non-profit statements for *year* to *out* (atomically)."""
    workbook = Workbook(write_only=True)
    for report in statements(compound, year):
        _statement(workbook, report, compound, year)
    out = Path(out)
    with atomic_open(out, "wb", encoding=None) as handle:
        workbook.save(handle)
    return out


def export_findings(compound: Compound, findings: list[Finding], start: dt.date | None, end: dt.date | None,
                    out: str | Path, now: dt.datetime | None = None) -> Path:
    """Write the audit report (``commonfund audit --format xlsx``): a summary sheet and the findings."""
    workbook = Workbook(write_only=True)
    sheet = Sheet(workbook, "审计报告", ("项目 Item", "内容 Value"), (28, 90), freeze=None)
    counts = count_by_severity(findings)
    for label, value in (
        ("小区 Compound", compound.config.name),
        ("审计期间 Period", f"{start or '…'} 至 {end or '…'}"),
        ("生成时间 Generated", (now or dt.datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M:%S %z")),
        ("账簿指纹 Ledger fingerprint (SHA-256)", fingerprint(compound.root)),
        ("账簿错误 Ledger errors", len(compound.errors)),
        *((f"{SEVERITY_ZH[k]} {k}", v) for k, v in counts.items()),
    ):
        sheet.row((label, value))
    _findings(workbook, compound, findings)
    out = Path(out)
    with atomic_open(out, "wb", encoding=None) as handle:
        workbook.save(handle)
    return out
