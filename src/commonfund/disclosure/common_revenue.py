"""The common-revenue statement (共有收益收支公示) of one period (民法典 第282/283条; DOMAIN §3.3, §6).

Opening balance of the ``CommonRevenue`` fund, income by source, the reasonable costs deducted (合理成本,
司法解释 第14条), spending not yet categorised (待分类支出（待核实）: an imported bank line no rule
matched — stated on its own row, never as a cost, until the treasurer books it to its purpose), the
distributions the owners decided (sweep to the maintenance fund 转入维修资金, property-fee subsidy 物业费补贴,
dividend 业主分红, committee working fund 工作经费), each with the resolutions it relies on, and the closing
balance; with the previous period alongside.

The statement always balances: ``opening + carried_in + income − costs − unclassified − distributions =
closing``, where closing is the fund's net assets on the period's last day, read from the books.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from beancount.core import data

from commonfund.compound.model import Compound
from commonfund.core.accounts import chart, is_uncategorized
from commonfund.core.funds import fund_of
from commonfund.core.labels import account_label
from commonfund.core.money import from_fen
from commonfund.resolutions.parse import resolutions_of

from .base import (
    CitedResolution,
    Line,
    books_start,
    check_period,
    cite,
    cited_ids,
    fund_postings,
    leaf_key,
)
from .periods import Period, parse_period
from .privacy import Scrubber

FUND = "CommonRevenue"
KINDS = {"sweep": "转入维修资金", "subsidy": "物业费补贴", "dividend": "业主分红", "working-fund": "拨付业委会工作经费",
         "transfer": "其他资金划转"}
"""Distribution kinds and their Chinese names, in the order they are shown."""
_LEAF_KIND = {"Sweep": "sweep", "Subsidy": "subsidy", "Dividend": "dividend", "WorkingFund": "working-fund"}


class Distribution(NamedTuple):
    """One distribution of common revenue (one transaction).

    Attributes:
      date: The day it was paid.
      kind: ``sweep``, ``subsidy``, ``dividend``, ``working-fund`` or ``transfer``.
      kind_zh: The Chinese name of the kind.
      description: The transaction's narration (privacy-scrubbed).
      amount: Decimal yuan.
      resolutions: The resolutions it relies on (``resolution``/``interfund`` metadata).
    """

    date: date
    kind: str
    kind_zh: str
    description: str
    amount: Decimal
    resolutions: tuple[CitedResolution, ...]


class PeriodSummary(NamedTuple):
    """The headline figures of a period, for the comparison column.

    Attributes:
      period: The period.
      opening, carried_in, income, costs, unclassified, distributions, closing: Decimal yuan.
      income_by_source: Income lines by account.
    """

    period: Period
    opening: Decimal
    carried_in: Decimal
    income: Decimal
    costs: Decimal
    distributions: Decimal
    closing: Decimal
    income_by_source: tuple[Line, ...]
    unclassified: Decimal


@dataclass(frozen=True)
class CommonRevenueStatement:
    """The common-revenue statement of one period.

    Attributes:
      compound, committee: The compound's and the committee's names.
      period: The period disclosed.
      opening: The fund's net assets at the start of the period.
      carried_in: Balances carried into the books during the period (期初结转, Equity postings) and other
        transfers in.
      income: Income by source account; ``income_total`` their sum.
      costs: Reasonable costs by account (经营成本, 税费, 手续费…); ``costs_total`` their sum.
      unclassified: Spending still on ``Expenses:CommonRevenue:Uncategorized-待分类`` (待分类支出（待核实）),
        which is not a cost until someone says what it paid for; ``unclassified_total`` its sum.
      distributions: Each distribution, with its resolutions; ``distribution_totals`` one line per kind
        (zero lines included); ``distributions_total`` their sum.
      closing: The fund's net assets at the end of the period (= the identity above).
      previous: The previous period's headline figures (None before the books start).
      policy_note: The local disclosure/sweep policy in Chinese.
    """

    compound: str
    committee: str
    period: Period
    opening: Decimal
    carried_in: Decimal
    income: tuple[Line, ...]
    income_total: Decimal
    costs: tuple[Line, ...]
    costs_total: Decimal
    unclassified: tuple[Line, ...]
    unclassified_total: Decimal
    distributions: tuple[Distribution, ...]
    distribution_totals: tuple[Line, ...]
    distributions_total: Decimal
    closing: Decimal
    previous: PeriodSummary | None
    policy_note: str


class _Flows(NamedTuple):
    opening: int
    carried_in: int
    income: dict[str, tuple[int, int]]
    costs: dict[str, tuple[int, int]]
    unclassified: dict[str, tuple[int, int]]
    distributions: list[tuple[data.Transaction, str, int]]
    closing: int


def _kind(txn: data.Transaction, account: str) -> str | None:
    """The distribution kind of an expense posting of the fund, or None for a cost."""
    kind = _LEAF_KIND.get(leaf_key(account))
    if kind:
        return kind
    declared = (txn.meta or {}).get("distribution")
    if declared in ("dividend", "subsidy"):
        return str(declared)
    other = {fund_of(p.account) for p in txn.postings} - {FUND, None}
    if "MaintenanceFund" in other:
        return "sweep"
    if "Committee" in other:
        return "working-fund"
    return None


def _flows(compound: Compound, period: Period) -> _Flows:
    """One pass over the fund's postings up to the period's end."""
    opening = carried = closing_delta = 0
    income: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    costs: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    unclassified: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    outs: list[tuple[data.Transaction, str, int]] = []
    per_txn: dict[int, tuple[data.Transaction, int]] = {}
    for txn, posting, fen in fund_postings(compound, FUND, period.end):
        root = posting.account.split(":", 1)[0]
        if txn.date < period.start:
            if root in ("Assets", "Liabilities"):
                opening += fen
            continue
        held = per_txn.get(id(txn), (txn, 0))
        per_txn[id(txn)] = (txn, held[1] + fen)
        if root in ("Assets", "Liabilities"):
            closing_delta += fen
        elif root == "Income":
            line = income[posting.account]
            line[0] -= fen
            line[1] += 1
        elif root == "Equity":
            carried -= fen
        else:
            kind = _kind(txn, posting.account)
            if kind is None:
                line = (unclassified if is_uncategorized(posting.account) else costs)[posting.account]
                line[0] += fen
                line[1] += 1
            else:
                outs.append((txn, kind, fen))
    for txn, residual in per_txn.values():  # a transfer between funds booked on balance-sheet accounts only
        if residual < 0:
            outs.append((txn, "transfer", -residual))
        elif residual > 0:
            carried += residual
    return _Flows(opening, carried, {k: (v[0], v[1]) for k, v in income.items()},
                  {k: (v[0], v[1]) for k, v in costs.items()}, {k: (v[0], v[1]) for k, v in unclassified.items()},
                  outs, opening + closing_delta)


def _lines(sums: dict[str, tuple[int, int]]) -> tuple[Line, ...]:
    order = {item.account: i for i, item in enumerate(chart())}
    keys = sorted(sums, key=lambda a: (order.get(a, len(order)), a))
    return tuple(Line(a, account_label(a), from_fen(sums[a][0]), sums[a][1]) for a in keys if sums[a] != (0, 0))


def _summary(compound: Compound, period: Period, flows: _Flows) -> PeriodSummary:
    return PeriodSummary(
        period, from_fen(flows.opening), from_fen(flows.carried_in), from_fen(sum(v for v, _ in flows.income.values())),
        from_fen(sum(v for v, _ in flows.costs.values())), from_fen(sum(f for _, _, f in flows.distributions)),
        from_fen(flows.closing), _lines(flows.income), from_fen(sum(v for v, _ in flows.unclassified.values())),
    )


def common_revenue_statement(compound: Compound, period: str | Period, *,
                             scrub: Scrubber | None = None) -> CommonRevenueStatement:
    """The common-revenue statement of *period* (``2025Q3``, ``2025``, ``2025-07``, ``2025H1``).

    Raises :class:`~commonfund.core.errors.InputError` for a malformed period or one that ends before the
    books start. *scrub* masks personal names in free text (default: built from the compound).
    """
    period = parse_period(period)
    check_period(compound, period)
    scrub = scrub or Scrubber.for_compound(compound.register, compound.config)
    flows = _flows(compound, period)
    resolutions = resolutions_of(compound)
    distributions = tuple(
        Distribution(txn.date, kind, KINDS[kind], scrub(txn.narration or txn.payee or ""), from_fen(fen),
                     tuple(cite(resolutions, rid, scrub) for rid in cited_ids(txn)))
        for txn, kind, fen in flows.distributions
    )
    kind_totals = {kind: 0 for kind in KINDS if kind != "transfer"}
    counts: dict[str, int] = defaultdict(int)
    for _, kind, fen in flows.distributions:
        kind_totals[kind] = kind_totals.get(kind, 0) + fen
        counts[kind] += 1
    previous = period.previous()
    start = books_start(compound)
    summary = None if start is not None and previous.end <= start else _summary(
        compound, previous, _flows(compound, previous))
    head = _summary(compound, period, flows)
    statement = CommonRevenueStatement(
        compound=compound.config.name, committee=compound.config.display_committee, period=period,
        opening=head.opening, carried_in=head.carried_in, income=head.income_by_source, income_total=head.income,
        costs=_lines(flows.costs), costs_total=head.costs, unclassified=_lines(flows.unclassified),
        unclassified_total=head.unclassified, distributions=distributions,
        distribution_totals=tuple(Line(k, KINDS[k], from_fen(v), counts[k]) for k, v in kind_totals.items()),
        distributions_total=head.distributions, closing=head.closing, previous=summary,
        policy_note=_policy_note(compound),
    )
    assert (statement.opening + statement.carried_in + statement.income_total - statement.costs_total
            - statement.unclassified_total - statement.distributions_total == statement.closing), \
        "common-revenue statement does not balance"
    return statement


def _policy_note(compound: Compound) -> str:
    policy = compound.config.policy
    frequency = {"monthly": "每月", "quarterly": "每季度", "half-yearly": "每半年", "yearly": "每年"}
    note = f"共有收益{frequency[policy.common_revenue_disclosure]}公示一次"
    if policy.sweep:
        share = policy.sweep_fraction
        word = "超过" if policy.sweep_comparison == "more-than" else "不低于"
        unit = {"month": "每月", "quarter": "每季度", "year": "每年"}[policy.sweep_period]
        note += f"；{unit}净收益{word}{share.numerator}/{share.denominator}转入住宅专项维修资金"
        if policy.sweep_condition == "below-30pct":
            note += "（维修资金余额不足首期交存30%时）"
    return note + "。"
