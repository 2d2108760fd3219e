"""The statements of the 民间非营利组织会计制度 — 资产负债表, 业务活动表, 现金流量表 — from the ledger.

How accounts roll up to lines is data (``data/nonprofit.toml``), keyed by each account's 民非 code. The
maintenance fund's net assets are restricted (限定性), the other funds' unrestricted (DOMAIN §2). All
figures are integer fen; each statement checks its own totals (assets = liabilities + net assets; the
cash flow's net change = closing − opening cash) and :func:`statements` raises if one does not tie.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from commonfund.books.payments import number_of
from commonfund.compound.model import Compound
from commonfund.core.errors import InputError
from commonfund.core.funds import FUNDS
from commonfund.core.money import to_fen
from commonfund.export.ledger import AccountInfo, TrialRow, accounts_of, trial_balance


@cache
def mapping() -> dict[str, Any]:
    """The statement definitions and the account mapping (``data/nonprofit.toml``)."""
    return tomllib.loads(resources.files("commonfund").joinpath("data/nonprofit.toml").read_text("utf-8"))


@dataclass
class Statement:
    """A statement as rows of label and fen columns.

    Attributes:
      title, form: Its Chinese title and form number (会民非01表…).
      columns: The column headings of the amounts.
      rows: ``(label, [fen per column] or None for a heading, level)``; level 0 = total, 1 = line.
    """

    title: str
    form: str
    columns: tuple[str, ...]
    rows: list[tuple[str, list[int] | None, int]] = field(default_factory=list)

    def add(self, label: str, values: list[int] | None, level: int = 1) -> None:
        self.rows.append((label, values, level))

    def value(self, label: str, column: int = -1) -> int:
        for name, values, _ in self.rows:
            if name == label and values is not None:
                return values[column]
        raise KeyError(label)


def _code(info: AccountInfo | None, account: str) -> str:
    if info is None or not info.code:
        raise InputError(account, "has no 民非 code: add `code:` to its open directive (see data/chart.toml)")
    return info.code


def restricted(account: str) -> bool:
    fund = account.split(":")[1] if account.count(":") else ""
    return fund in FUNDS and FUNDS[fund].restricted


def balance_sheet(rows: dict[str, TrialRow], infos: dict[str, AccountInfo]) -> Statement:
    spec = mapping()["balance_sheet"]
    sheet = Statement(spec["title"], spec["form"], ("年初数", "期末数"))
    by_code: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    net = {True: [0, 0], False: [0, 0]}  # restricted → [opening, closing]
    for account, row in rows.items():
        root = account.split(":", 1)[0]
        if root not in ("Assets", "Liabilities"):
            continue
        code = _code(infos.get(account), account)
        sign = 1 if root == "Assets" else -1
        by_code[code][0] += sign * row.opening
        by_code[code][1] += sign * row.closing
        net[restricted(account)][0] += row.opening
        net[restricted(account)][1] += row.closing
    mapped = {code for line in spec["line"] for code in line["codes"]}
    for code in by_code:
        if code not in mapped:
            raise InputError("data/nonprofit.toml", f"balance_sheet maps no line for 民非 code {code}")
    totals = {"asset": [0, 0], "liability": [0, 0]}
    sheet.add("资产", None, 1)
    for side, heading in (("asset", "资产总计"), ("liability", "负债合计")):
        if side == "liability":
            sheet.add("负债", None, 1)
        for line in spec["line"]:
            if line["side"] == side:
                values = [sum(by_code[c][i] for c in line["codes"] if c in by_code) for i in (0, 1)]
                totals[side] = [totals[side][i] + values[i] for i in (0, 1)]
                sheet.add(line["name"], values)
        sheet.add(heading, totals[side], 0)
    # net assets of a fund = its assets − liabilities (Beancount signs: the sum of both balances)
    unrestricted, limited = net[False], net[True]
    sheet.add("净资产", None, 1)
    sheet.add("非限定性净资产", unrestricted)
    sheet.add("限定性净资产", limited)
    total_net = [unrestricted[i] + limited[i] for i in (0, 1)]
    sheet.add("净资产合计", total_net, 0)
    sheet.add("负债和净资产总计", [totals["liability"][i] + total_net[i] for i in (0, 1)], 0)
    for i in (0, 1):
        if totals["asset"][i] != totals["liability"][i] + total_net[i]:
            raise AssertionError("balance sheet does not balance")
    return sheet


def activities(rows: dict[str, TrialRow], infos: dict[str, AccountInfo]) -> Statement:
    spec = mapping()["activities"]
    sheet = Statement(spec["title"], spec["form"], ("非限定性", "限定性", "合计"))
    by_code: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # [unrestricted, restricted]
    for account, row in rows.items():
        root = account.split(":", 1)[0]
        if root not in ("Income", "Expenses"):
            continue
        period = row.debit - row.credit
        by_code[_code(infos.get(account), account)][1 if restricted(account) else 0] += \
            -period if root == "Income" else period
    mapped = {code for line in spec["line"] for code in line["codes"]}
    for code in by_code:
        if code not in mapped:
            raise InputError("data/nonprofit.toml", f"activities maps no line for 民非 code {code}")
    totals = {"income": [0, 0], "expense": [0, 0]}
    for kind, heading, total in (("income", "一、收入", "收入合计"), ("expense", "二、费用", "费用合计")):
        sheet.add(heading, None, 1)
        for line in spec["line"]:
            if line["kind"] == kind:
                pair = [sum(by_code[c][i] for c in line["codes"] if c in by_code) for i in (0, 1)]
                totals[kind] = [totals[kind][i] + pair[i] for i in (0, 1)]
                sheet.add(line["name"], [*pair, sum(pair)])
        sheet.add(total, [*totals[kind], sum(totals[kind])], 0)
    sheet.add("三、限定性净资产转为非限定性净资产", [0, 0, 0])
    change = [totals["income"][i] - totals["expense"][i] for i in (0, 1)]
    sheet.add("四、净资产变动额", [*change, sum(change)], 0)
    return sheet


def cash_flow(compound: Compound, infos: dict[str, AccountInfo], start: dt.date, end: dt.date) -> Statement:
    spec = mapping()["cash_flow"]
    sheet = Statement(spec["title"], spec["form"], ("金额",))
    cash_codes = set(spec["cash_codes"])
    overrides: dict[str, list[str]] = spec.get("accounts", {})
    lines: dict[str, int] = defaultdict(int)
    opening = closing = 0

    def is_cash(account: str) -> bool:
        info = infos.get(account)
        return info is not None and info.code in cash_codes

    for txn in compound.transactions:
        if txn.date > end:
            continue
        delta = sum(to_fen(number_of(p)) for p in txn.postings if is_cash(p.account))
        closing += delta
        if txn.date < start:
            opening += delta
            continue
        if delta == 0:
            continue
        for posting in txn.postings:
            if is_cash(posting.account):
                continue
            brought = -to_fen(number_of(posting))
            pair = next((v for k, v in overrides.items() if posting.account.startswith(k)), None) \
                or spec["codes"].get(_code(infos.get(posting.account), posting.account))
            if pair is None:
                raise InputError("data/nonprofit.toml", f"cash_flow maps no line for account {posting.account}")
            lines[pair[0] if brought >= 0 else pair[1]] += brought
    net_total = 0
    for number, section in enumerate(spec["section"], start=1):
        sheet.add(f"{'一二三'[number - 1]}、{section['name']}", None, 1)
        inflow = sum(lines[name] for name in section["inflows"])
        outflow = -sum(lines[name] for name in section["outflows"])
        for name in section["inflows"]:
            sheet.add(name, [lines[name]])
        sheet.add("现金流入小计", [inflow], 0)
        for name in section["outflows"]:
            sheet.add(name, [-lines[name]])
        sheet.add("现金流出小计", [outflow], 0)
        sheet.add(f"{section['name'].replace('产生的现金流量', '')}产生的现金流量净额", [inflow - outflow], 0)
        net_total += inflow - outflow
    sheet.add("四、汇率变动对现金的影响额", [0])
    sheet.add("五、现金及现金等价物净增加额", [net_total], 0)
    sheet.add("加：期初现金及现金等价物余额", [opening])
    sheet.add("六、期末现金及现金等价物余额", [opening + net_total], 0)
    if opening + net_total != closing:
        raise AssertionError("cash flow does not tie to the cash accounts")
    return sheet


def statements(compound: Compound, year: int) -> list[Statement]:
    """The three statements for calendar *year*."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    infos = accounts_of(compound)
    rows = trial_balance(compound, start, end)
    return [balance_sheet(rows, infos), activities(rows, infos), cash_flow(compound, infos, start, end)]
