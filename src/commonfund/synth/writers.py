"""Synthetic statement files in real bank layouts — for the generator (demo statements), tests and benchmarks.

Nothing here reads a statement; these functions *write* one, byte-deterministically, in the layouts
FORMATS.md documents: ICBC 企业网银 A (GBK CSV, tab-padded, ``[HISTORYDETAIL]``), CCB 企业 A (xlsx with
the two-row header), ABC 企业 (xlsx with a totals footer and a fee column) and the WeChat Pay merchant
资金账单 (UTF-8 CSV, every value behind a backtick, summary lines at the end).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import NamedTuple


class SynthLine(NamedTuple):
    """A statement line to write (from the account holder's side).

    Attributes:
      date: Booking date.
      time: ``HH:MM:SS``.
      amount: Signed amount (in > 0).
      balance: Balance after the line.
      serial: Bank serial number.
      counterparty: Counterparty name.
      counterparty_account: Its account number.
      summary: 摘要.
      purpose: 用途 / 附言.
      fee: Fee charged with the line (ABC's 手续费总额), included in the balance.
    """

    date: date
    time: str
    amount: Decimal
    balance: Decimal
    serial: str = ""
    counterparty: str = ""
    counterparty_account: str = ""
    summary: str = ""
    purpose: str = ""
    fee: Decimal = Decimal(0)


def money(value: Decimal, commas: bool = False) -> str:
    return f"{value:,.2f}" if commas else f"{value:.2f}"


def _csv_cell(text: str) -> str:
    return f'"{text}"' if any(c in text for c in ',"\n') else text


def csv_bytes(rows: Sequence[Sequence[str]], encoding: str, line_end: str = "\r\n") -> bytes:
    """Rows as CSV text in *encoding* (quoting only where needed)."""
    text = line_end.join(",".join(_csv_cell(str(c)) for c in row) for row in rows) + line_end
    return text.encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[object]], sheet: str = "Sheet1") -> bytes:
    """Rows as an .xlsx workbook, byte-identical for the same rows (fixed zip times and document dates)."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(list(row))
    raw = io.BytesIO()
    book.save(raw)
    return _deterministic_zip(raw.getvalue())


def _deterministic_zip(data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z",
                                 content)
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, content)
    return out.getvalue()


def icbc_csv(lines: Sequence[SynthLine], account_no: str) -> bytes:
    """ICBC 企业网银 layout A: ``[HISTORYDETAIL]`` then the header, GBK, every cell tab-padded."""
    header = ["凭证号", "对方账号", "交易时间", "借贷标志", "对方单位", "对方行号", "用途", "摘要", "附言",
              "回单个性化信息", "余额", "转出金额", "转入金额", "本方账号"]
    rows: list[list[str]] = [["[HISTORYDETAIL]"], header]
    for n, line in enumerate(lines, start=1):
        out, into = (money(-line.amount, True), "-") if line.amount < 0 else ("-", money(line.amount, True))
        rows.append([f"{n:08d}", line.counterparty_account or "-", f"{line.date.isoformat()} {line.time}",
                     "借" if line.amount < 0 else "贷", line.counterparty or "-", "-", line.purpose or "-",
                     line.summary, "-", "-", money(line.balance, True), out, into, account_no])
    padded = [[cell + "\t" for cell in row] for row in rows]
    return csv_bytes(padded, "gbk")


def ccb_xlsx(lines: Sequence[SynthLine], account_no: str, holder: str) -> bytes:
    """CCB 企业 layout A: the 明细查询结果 preamble and the two-row header (发生额/元 over 借方 | 贷方)."""
    rows: list[list[object]] = [
        ["中国建设银行"], ["明细查询结果"], ["明细查询结果下载"],
        ["开户机构", "中国建设银行股份有限公司上海浦东分行", "币种", "人民币"],
        ["账　　号", account_no, "利　　率", "0.35%"],
        ["账户名称", holder, "账户状态", "正常"],
        [],
        ["记账日期", "交易时间", "凭证种类", "凭证号", "发生额/元", "", "余额/元", "钞汇标志", "对方户名", "对方账号",
         "摘要", "备注", "账户明细编号-交易流水号", "企业流水号", "本方账号", "本方账户名称", "本方账户开户机构"],
        ["", "", "", "", "借方", "贷方", "", "", "", "", "", "", "", "", "", "", ""],
    ]
    for line in lines:
        debit, credit = (float(-line.amount), None) if line.amount < 0 else (None, float(line.amount))
        rows.append([line.date.strftime("%Y%m%d"), line.time, "", "", debit, credit, float(line.balance), "钞",
                     line.counterparty, line.counterparty_account, line.summary, line.purpose, line.serial, "",
                     account_no, holder, "中国建设银行股份有限公司上海浦东分行"])
    return xlsx_bytes(rows, "明细")


def abc_xlsx(lines: Sequence[SynthLine], account_no: str, holder: str) -> bytes:
    """ABC 企业 layout: ``账户明细``, the account row, the long header, lines, then a totals footer."""
    header: list[object] = [
              "交易日期", "交易时间戳", "收入金额", "支出金额", "本次余额", "手续费总额", "交易方式", "交易行名",
              "交易类别", "对方省市", "对方账号", "对方户名", "交易说明", "交易摘要", "交易附言", "交易凭证号",
              "交易日志号", "账簿号", "账簿名称"]
    rows: list[list[object]] = [["账户明细"], [f"账号: {account_no}", "", f"账户名称: {holder}"], header]
    income = spend = Decimal(0)
    for line in lines:
        credit, debit = (money(line.amount), "") if line.amount > 0 else ("", money(-line.amount))
        income += max(line.amount, Decimal(0))
        spend += max(-line.amount, Decimal(0))
        rows.append([line.date.strftime("%Y%m%d"), line.time, credit, debit, money(line.balance),
                     money(line.fee), "转账", "", "", "", line.counterparty_account, line.counterparty, line.purpose,
                     line.summary, "", "", line.serial, "1", holder])
    ins = sum(1 for line in lines if line.amount > 0)
    rows.append([f"{ins} 收 {money(income, True)}"])
    rows.append([f"{len(lines) - ins} 支 {money(spend, True)}"])
    return xlsx_bytes(rows, "账户明细")


def wechat_merchant_csv(lines: Sequence[SynthLine]) -> bytes:
    """WeChat Pay merchant 资金账单: backtick-prefixed values, summary header and values at the end."""
    header = ["记账时间", "微信支付业务单号", "资金流水单号", "业务名称", "业务类型", "收支类型", "收支金额(元)",
              "账户结余(元)", "资金变更提交申请人", "备注", "业务凭证号"]
    rows: list[list[str]] = [header]
    for line in lines:
        rows.append([f"`{line.date.isoformat()} {line.time}", f"`42000{line.serial[-12:]}", f"`{line.serial}",
                     f"`{line.summary}", f"`{line.purpose or line.summary}", "`收入" if line.amount > 0 else "`支出",
                     f"`{money(abs(line.amount))}", f"`{money(line.balance)}", "`system", f"`{line.counterparty}",
                     "`"])
    ins = [line for line in lines if line.amount > 0]
    outs = [line for line in lines if line.amount < 0]
    rows.append(["资金流水总笔数", "收入笔数", "收入金额", "支出笔数", "支出金额"])
    rows.append([f"`{len(lines)}", f"`{len(ins)}", f"`{money(sum((x.amount for x in ins), Decimal(0)))}",
                 f"`{len(outs)}", f"`{money(-sum((x.amount for x in outs), Decimal(0)))}"])
    return csv_bytes(rows, "utf-8")
