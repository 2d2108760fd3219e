"""Noisy counterparty names and summaries, as real statements show them (``commonfund synth --name-variants``).

A bank prints a company's name as the payer's bank registered it, and the payer writes its own summary: the
property company's remittance comes from 上海锦华物业服务有限公司, 锦华物业 or 上海锦华物业管理有限公司第二分公司, with
停车费, 临停收入 or 7月停车收益. :func:`vary_names` gives the money **received** from the compound's regular payers
such names and summaries (half keep the original; the last variant only late in the books), drawn from its own
random generator, so everything else is generated as without variants. Payments keep their names (the audit's
payment checks compare them).

Three payers the earlier books never saw (:data:`NEWCOMERS`) start paying in the last fifth of the books, one of
them for an account the books never used. The contracts (``custom "contract"``) keep the registered names, and
the books' contract check matches receipts by exact name, so a compound with variants has findings there that
one without has not.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

from commonfund.synth.common import (
    AD_COMPANY,
    BANKS,
    CHARGING,
    CR_BANK,
    LAST_YEAR,
    LOCKERS,
    PROPERTY_COMPANY,
    TOWER,
    Txn,
)

Summary = Callable[[Txn], str]


def _month(txn: Txn) -> int:
    return txn.day.month


VARIANTS: dict[str, tuple[tuple[str, ...], tuple[Summary, ...]]] = {
    PROPERTY_COMPANY: (
        ("锦华物业", "上海锦华物业管理有限公司第二分公司", "锦华物业服务有限公司"),
        (lambda t: "停车费", lambda t: "临停收入", lambda t: f"{(_month(t) - 2) % 12 + 1}月停车收益"),
    ),
    LOCKERS: (
        ("丰巢科技", "深圳市丰巢网络技术有限公司上海分公司"),
        (lambda t: "快递柜场地费", lambda t: f"{_month(t)}月丰巢场地使用费"),
    ),
    CHARGING: (
        ("星联充电", "上海星联充电科技有限公司"),
        (lambda t: "充电桩分成", lambda t: f"{_month(t)}月充电服务费分成"),
    ),
    AD_COMPANY: (
        ("城市梯媒", "城市梯媒广告传播有限公司上海分公司"),
        (lambda t: "电梯广告费", lambda t: f"{_month(t)}月广告发布费"),
    ),
    TOWER: (
        ("中国铁塔上海分公司", "铁塔公司"),
        (lambda t: "基站租金", lambda t: f"第{(_month(t) - 1) // 3 + 1}季度场地租赁费"),
    ),
}


NEWCOMERS = (  # payers that appear only in the last fifth of the books: (name, summary, account, fen)
    ("分众传媒信息技术股份有限公司", "电梯广告费", "Income:CommonRevenue:Advertising-广告", 150000),
    ("特来电新能源股份有限公司", "充电桩分成", "Income:CommonRevenue:Charging-充电桩", 80000),
    ("上海悦动文化传播有限公司", "广场活动场地使用费", "Income:CommonRevenue:Venue-场地", 300000),
)


def vary_names(txns: list[Txn], seed: int) -> int:
    """Give the receipts from the regular payers name and summary variants (in place); return how many changed.

    The last variant of each payer's names and summaries shows only in the last fifth of the books (a payer that
    starts paying from a branch, a clerk who words it anew): spellings the earlier books never saw.
    """
    rng = random.Random(seed * 104729 + 3)
    days = [txn.day for txn in txns]
    late = min(days) + (max(days) - min(days)) * 4 / 5 if days else None
    changed = 0
    for txn in txns:
        found = VARIANTS.get(txn.payee)
        if found is None or not any(account in BANKS and fen > 0 for account, fen, _ in txn.postings):
            continue
        names, summaries = found
        if late is None or txn.day < late:
            names, summaries = names[:-1], summaries[:-1]
        name_pick, summary_pick = rng.random(), rng.random()
        if name_pick >= 0.5:
            txn.payee = names[int((name_pick - 0.5) * 2 * len(names))]
        if summary_pick >= 0.5:
            txn.narration = summaries[int((summary_pick - 0.5) * 2 * len(summaries))](txn)
        changed += name_pick >= 0.5 or summary_pick >= 0.5
    if late is not None:
        month = date(late.year, late.month, 1)
        while month <= min(max(days), date(LAST_YEAR, 12, 1)):
            for name, summary, account, fen in NEWCOMERS:
                amount = fen + rng.randint(-fen // 10, fen // 10)
                txns.append(Txn(month.replace(day=12), name, f"{month.month}月{summary}",
                                [(CR_BANK, amount, {}), (account, -amount, {})]))
                changed += 1
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return changed
