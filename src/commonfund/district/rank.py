"""The district ranking (红黑榜): compounds ordered by objective, stated criteria, each rank explained.

Every criterion is a count or a rate taken from the compound's summary for the year
(:class:`commonfund.district.YearFigures`), compared in the order of :data:`CRITERIA`; compounds with the same
figures share a rank (1, 2, 2, 4 …). The red list (红榜) is the compounds that meet every criterion ranked
within the first :data:`LIST_SIZE`, the black list (黑榜) the last :data:`LIST_SIZE` of those that miss at
least one; compounds sharing a rank at either edge are all listed (a tie is never split by name). A compound
that could not be summarised (or whose audit could not run) is not ranked: it is listed apart, with why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from commonfund.district.summary import CompoundSummary

BANK_CHECK = "bank_reconciliation"
SWEEP_CHECK = "sweep_policy"
CRITERIA: tuple[tuple[str, str], ...] = (
    ("严重审计发现", "本年度“严重”级审计发现的项数，少者在前（违反法律法规的行为，如未经业主大会表决动用"
                     "维修资金）。"),
    ("银行对账问题", "本年度银行对账发现的项数：余额与对账单核对不符，或对账单缺月（《住宅专项维修资金管理办法》"
                     "（建设部、财政部令第165号）第30条；《中华人民共和国会计法》第17条），少者在前。"),
    ("公示按时率", "本年度按本小区公示制度应公示的期数中按时公示的比例（维修资金：民法典 第281条、"
                   "《住宅专项维修资金管理办法》第30条），高者在前；本年度尚无到期公示的视为100%。"),
    ("共有收益归集", "本地政策要求将共有收益按比例归集入维修资金的，本年度未按政策归集的期数，少者在前；"
                     "无此政策的小区记为0。"),
)
"""(name, what is compared and in which direction), in the order they are compared."""
LIST_SIZE = 10


@dataclass(frozen=True)
class Ranked:
    """One compound's place in the ranking.

    Attributes:
      rank: 1 for the best; equal figures share a rank.
      summary: The compound's summary.
      errors: Findings of severity ``error`` in the year.
      bank: Bank reconciliation findings (failed balance checks, months without a statement) in the year.
      on_time, due: Disclosures made on time, of those due in the year.
      sweep_missed: Periods of the year whose common revenue was not swept as the local policy requires.
      board: ``红榜``, ``黑榜`` or empty.
    """

    rank: int
    summary: CompoundSummary
    errors: int
    bank: int
    on_time: int
    due: int
    sweep_missed: int
    board: str = ""

    @property
    def rate(self) -> Fraction:
        """Disclosures on time as an exact fraction (1 when none was due)."""
        return Fraction(self.on_time, self.due) if self.due else Fraction(1)

    @property
    def meets_all(self) -> bool:
        return self.errors == 0 and self.bank == 0 and self.rate == 1 and self.sweep_missed == 0

    @property
    def key(self) -> tuple[int, int, Fraction, int]:
        return (self.errors, self.bank, -self.rate, self.sweep_missed)

    @property
    def explanation(self) -> str:
        """The rank's figures, in Chinese, criterion by criterion."""
        rate = f"{float(self.rate) * 100:.1f}%" if self.due else "无到期公示"
        sweep = ("无归集政策" if not self.summary.sweep_policy
                 else "按政策归集" if self.sweep_missed == 0 else f"{self.sweep_missed} 期未按政策归集")
        text = (f"严重审计发现 {self.errors} 项；银行对账问题 {self.bank} 项；"
                f"公示按时 {self.on_time}/{self.due}（{rate}）；共有收益归集：{sweep}")
        if self.summary.ledger_errors:
            text += f"；另有账簿错误 {self.summary.ledger_errors} 处（见“失败”表）"
        return text


def display_name(summary: CompoundSummary) -> str:
    return summary.name or Path(summary.path).name


def rank_compounds(
    summaries: Sequence[CompoundSummary], size: int = LIST_SIZE,
) -> tuple[list[Ranked], list[CompoundSummary]]:
    """``(ranked, not ranked)``: the compounds that can be ranked, best first, with the red and black lists
    marked (up to *size* each), and those that cannot (no summary, or no audit)."""
    rows: list[Ranked] = []
    apart: list[CompoundSummary] = []
    for summary in summaries:
        now = summary.current
        if summary.error is not None or now is None or now.findings is None or now.disclosures is None:
            apart.append(summary)
            continue
        rows.append(Ranked(0, summary, now.findings.get("error", 0), now.by_check.get(BANK_CHECK, 0),
                           now.disclosures.on_time, now.disclosures.due, now.by_check.get(SWEEP_CHECK, 0)))
    rows.sort(key=lambda r: (r.key, display_name(r.summary), r.summary.path))
    ranked: list[Ranked] = []
    for index, row in enumerate(rows):
        rank = ranked[-1].rank if ranked and ranked[-1].key == row.key else index + 1
        ranked.append(Ranked(rank, *_fields(row)))
    red = {id(r) for r in ranked if r.meets_all and r.rank <= size}
    missing = [r for r in ranked if not r.meets_all]
    # the last *size* of them, and any that share the rank of the first of those (ties are never split by name)
    cut = missing[-size].rank if len(missing) >= size else 0
    black = {id(r) for r in missing if r.rank >= cut}
    return [Ranked(r.rank, *_fields(r)[:-1], "红榜" if id(r) in red else "黑榜" if id(r) in black else "")
            for r in ranked], apart


def _fields(row: Ranked) -> tuple[CompoundSummary, int, int, int, int, int, str]:
    return (row.summary, row.errors, row.bank, row.on_time, row.due, row.sweep_missed, row.board)
