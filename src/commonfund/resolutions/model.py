"""Resolutions of the owners' assembly (业主大会决议) and their statutory vote tallies.

A resolution is a ``custom "resolution" "<id>" "<matter>" "<title>"`` directive (docs/ledger-conventions.md)
with ``budget``, ``valid_until`` and either typed tallies (``voted_area``/``voted_count``/``agree_area``/
``agree_count``) or a ballot file (``ballots: "ballots/<id>.csv"``) from which the tally is computed
against the household register.

The law, exactly (DOMAIN §3.1):

* 民法典 第278条 — nine matters ①–⑨ need a joint decision; quorum for every matter is owners holding
  ≥ 2/3 of the exclusive area AND ≥ 2/3 of the headcount taking part; ⑥⑦⑧ need ≥ 3/4 of the participating
  area AND headcount, every other matter more than half (过半数) of both.
* 民法典 第1259条 — 以上 includes the number, 过半数 does not: exactly 2/3 meets the quorum, exactly 3/4
  approves, exactly one half does not.
* 司法解释 建筑物区分所有权 第8条 (area: the register's) and 第9条 (headcount: one unit one person; the
  developer's unsold/undelivered units together one; an owner of several units one).

This module holds the records and the arithmetic; reading them from the ledger is
:mod:`commonfund.resolutions.parse`, spending under each is :mod:`commonfund.books.spending`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NamedTuple

from beancount.core import data

from commonfund.register.ballots import NotCounted, Partial

if TYPE_CHECKING:
    from commonfund.register.model import HouseholdRegister

MATTERS: dict[int, str] = {
    1: "①制定和修改业主大会议事规则",
    2: "②制定和修改管理规约",
    3: "③选举业主委员会或者更换业主委员会成员",
    4: "④选聘和解聘物业服务企业或者其他管理人",
    5: "⑤使用建筑物及其附属设施的维修资金",
    6: "⑥筹集建筑物及其附属设施的维修资金",
    7: "⑦改建、重建建筑物及其附属设施",
    8: "⑧改变共有部分的用途或者利用共有部分从事经营活动",
    9: "⑨有关共有和共同管理权利的其他重大事项",
}
"""民法典 第278条: the nine matters owners decide jointly, by number."""

SPECIAL_MATTERS = frozenset({6, 7, 8})
QUORUM = Fraction(2, 3)
SPECIAL_APPROVAL = Fraction(3, 4)
SIMPLE_APPROVAL = Fraction(1, 2)
MAINTENANCE_USE = 5


@dataclass(frozen=True)
class Tally:
    """A vote count: areas in 0.01 ㎡ (centi-㎡) and headcounts per 第9条, all integers.

    Attributes:
      total_area, total_heads: The whole compound (register) — the quorum's denominators.
      voted_area, voted_heads: Those who took part (agree, against, abstain or a spoiled ballot).
      agree_area, agree_heads: Those who agreed — the approval's numerators over the participants.
      against_area, against_heads, abstain_area, abstain_heads, spoiled_area, spoiled_heads: From a ballot
        file (0 for typed tallies); spoiled = 废票/空白票, which took part and did not agree.
      source: ``"ballots"`` (computed from a ballot file) or ``"typed"``.
      ballot_count: Number of ballot rows (units) counted, 0 for typed tallies.
      partial: Persons of several units who returned ballots for only some of them
        (:class:`~commonfund.register.ballots.Partial`).
      not_counted: Ballots read but not counted, with the reason (:class:`~commonfund.register.ballots.NotCounted`).
      area_rule: How *partial* persons' areas were counted: ``owner`` (all their units) or ``ballot``.
    """

    total_area: int
    total_heads: int
    voted_area: int
    voted_heads: int
    agree_area: int
    agree_heads: int
    against_area: int = 0
    against_heads: int = 0
    abstain_area: int = 0
    abstain_heads: int = 0
    spoiled_area: int = 0
    spoiled_heads: int = 0
    source: str = "typed"
    ballot_count: int = 0
    partial: tuple[Partial, ...] = ()
    not_counted: tuple[NotCounted, ...] = ()
    area_rule: str = "owner"

    @property
    def turnout_area(self) -> Fraction:
        """Participating area over total area (quorum, 278: ≥ 2/3)."""
        return Fraction(self.voted_area, self.total_area) if self.total_area else Fraction(0)

    @property
    def turnout_heads(self) -> Fraction:
        """Participating headcount over total headcount (quorum, 278: ≥ 2/3)."""
        return Fraction(self.voted_heads, self.total_heads) if self.total_heads else Fraction(0)

    @property
    def approval_area(self) -> Fraction:
        """Agreeing area over participating area."""
        return Fraction(self.agree_area, self.voted_area) if self.voted_area else Fraction(0)

    @property
    def approval_heads(self) -> Fraction:
        """Agreeing headcount over participating headcount."""
        return Fraction(self.agree_heads, self.voted_heads) if self.voted_heads else Fraction(0)


@dataclass(frozen=True)
class Verdict:
    """The outcome of a tally for a matter, each condition separately (民法典 第278条, 第1259条).

    Attributes:
      matter: 1–9.
      quorum_area, quorum_heads: Participation ≥ 2/3 of the area / headcount (以上: inclusive).
      approval_area, approval_heads: Agreement ≥ 3/4 for ⑥⑦⑧ (inclusive), > 1/2 otherwise (过半数: exclusive).
      approval_threshold: 3/4 or 1/2.
      approval_inclusive: True for 3/4 (以上), False for 1/2 (过半数).
    """

    matter: int
    quorum_area: bool
    quorum_heads: bool
    approval_area: bool
    approval_heads: bool
    approval_threshold: Fraction
    approval_inclusive: bool

    @property
    def quorum(self) -> bool:
        return self.quorum_area and self.quorum_heads

    @property
    def approved(self) -> bool:
        return self.approval_area and self.approval_heads

    @property
    def passed(self) -> bool:
        return self.quorum and self.approved

    @property
    def reasons(self) -> list[tuple[str, str]]:
        """Why it failed, as ``(中文, English)`` pairs; empty if it passed."""
        out: list[tuple[str, str]] = []
        if not self.quorum_area:
            out.append(("参与表决的专有面积不足2/3", "participating area below 2/3"))
        if not self.quorum_heads:
            out.append(("参与表决的人数不足2/3", "participating headcount below 2/3"))
        word = "达到3/4" if self.approval_inclusive else "超过半数"
        english = "at least 3/4" if self.approval_inclusive else "more than half"
        if not self.approval_area:
            out.append((f"同意的专有面积未{word}", f"agreeing area not {english} of participants"))
        if not self.approval_heads:
            out.append((f"同意的人数未{word}", f"agreeing headcount not {english} of participants"))
        return out

    @classmethod
    def of(cls, tally: Tally, matter: int) -> Verdict:
        """Judge *tally* for *matter* with exact fractions."""
        special = matter in SPECIAL_MATTERS
        threshold = SPECIAL_APPROVAL if special else SIMPLE_APPROVAL

        def approves(value: Fraction) -> bool:
            return value >= threshold if special else value > threshold

        has_voters = tally.voted_area > 0 and tally.voted_heads > 0
        return cls(
            matter=matter,
            quorum_area=tally.total_area > 0 and tally.turnout_area >= QUORUM,
            quorum_heads=tally.total_heads > 0 and tally.turnout_heads >= QUORUM,
            approval_area=has_voters and approves(tally.approval_area),
            approval_heads=has_voters and approves(tally.approval_heads),
            approval_threshold=threshold,
            approval_inclusive=special,
        )


def rounded_percent(fraction: Fraction, digits: int) -> int:
    """*fraction* in percent with *digits* decimals, as an integer (half up)."""
    return int((fraction * 100 * 10**digits + Fraction(1, 2)) // 1)


def percent_digits(value: Fraction, threshold: Fraction, least: int = 2) -> int:
    """How many decimals a percentage of *value* needs (at least *least*, at most 12) so that, rounded, it
    never equals *threshold* rounded the same way unless the two are equal: a value just below a threshold
    never shows as the threshold (rounding is monotone, so the display keeps the comparison's side)."""
    digits = least
    while value != threshold and digits < 12 and rounded_percent(value, digits) == rounded_percent(threshold, digits):
        digits += 1
    return digits


def percent(value: Fraction, threshold: Fraction) -> str:
    """*value* as a percentage for display: two decimals, and as many more (up to 12) as it takes for a value
    on the other side of *threshold* never to look equal to it (20001/40000 shows ``50.0025%``, not
    ``50.00%`` like 1/2; 29999/40000 shows ``74.9975%``, not ``75.00%``). ``≈`` marks a rounded figure."""

    digits = percent_digits(value, threshold)
    whole = rounded_percent(value, digits)
    text = f"{whole // 10**digits}.{whole % 10**digits:0{digits}d}%"
    exact = value * 100 * 10**digits == whole
    return text if exact else f"≈ {text}"


class Condition(NamedTuple):
    """One statutory condition of a vote, with its exact fraction (民法典 第278条, 第1259条). The one table
    of conditions that ``commonfund votes`` (text and JSON), the Fava page and the findings show.

    Attributes:
      label: e.g. ``参与表决专有面积``.
      numerator, denominator: The counts, as text (㎡ with 2 decimals, or persons).
      value: numerator / denominator, exact.
      threshold: 2/3, 3/4 or 1/2.
      inclusive: True for 以上 (≥), False for 过半数 (>).
      met: Whether the condition holds.
      key: ``quorum_area``, ``quorum_heads``, ``approval_area`` or ``approval_heads``.
      part, whole: The counts as integers (0.01 ㎡ for areas, persons for headcounts).
    """

    label: str
    numerator: str
    denominator: str
    value: Fraction
    threshold: Fraction
    inclusive: bool
    met: bool
    key: str = ""
    part: int = 0
    whole: int = 0

    @property
    def percent(self) -> str:
        """The value as a percentage, with enough decimals never to look equal to the threshold when it is
        not (display only; ``met`` is exact)."""
        return percent(self.value, self.threshold)

    @property
    def rule(self) -> str:
        """``≥ 2/3`` or ``> 1/2``."""
        return f"{'≥' if self.inclusive else '>'} {self.threshold.numerator}/{self.threshold.denominator}"

    @property
    def rule_zh(self) -> str:
        """``≥ 2/3（以上，含本数）`` or ``> 1/2（过半数，不含本数）`` (民法典 第1259条)."""
        word = "以上，含本数" if self.inclusive else "过半数，不含本数"
        return f"{self.rule}（{word}）"

    @property
    def shown(self) -> str:
        """``numerator / denominator = exact fraction ≈ percent``."""
        fraction = f"{self.value.numerator}/{self.value.denominator}" if self.whole else "0"
        return f"{self.numerator} / {self.denominator} = {fraction}，{self.percent}"


def area_text(centi: int) -> str:
    """An area in 0.01 ㎡ as ``1,234.56 ㎡``."""
    return f"{Decimal(centi) / 100:,.2f} ㎡"


def conditions_of(tally: Tally, verdict: Verdict) -> tuple[Condition, ...]:
    """The four conditions of a verdict with the tally's numbers: quorum by area and headcount (≥ 2/3 of
    the whole compound), approval by area and headcount (of those who took part)."""
    threshold, inclusive = verdict.approval_threshold, verdict.approval_inclusive
    return (
        Condition("参与表决专有面积", area_text(tally.voted_area), area_text(tally.total_area), tally.turnout_area,
                  QUORUM, True, verdict.quorum_area, "quorum_area", tally.voted_area, tally.total_area),
        Condition("参与表决人数", f"{tally.voted_heads} 人", f"{tally.total_heads} 人", tally.turnout_heads,
                  QUORUM, True, verdict.quorum_heads, "quorum_heads", tally.voted_heads, tally.total_heads),
        Condition("同意专有面积（占参与）", area_text(tally.agree_area), area_text(tally.voted_area),
                  tally.approval_area, threshold, inclusive, verdict.approval_area, "approval_area",
                  tally.agree_area, tally.voted_area),
        Condition("同意人数（占参与）", f"{tally.agree_heads} 人", f"{tally.voted_heads} 人", tally.approval_heads,
                  threshold, inclusive, verdict.approval_heads, "approval_heads", tally.agree_heads,
                  tally.voted_heads),
    )


@dataclass(frozen=True)
class Resolution:
    """One resolution of the owners' assembly.

    Attributes:
      id: The resolution id (``R-2025-02``).
      date: The date it was decided.
      matter: 1–9 (民法典 第278条 ①–⑨).
      title: Its title (Chinese).
      budget: The approved amount (Decimal yuan), or None.
      valid_until: The last day it may be relied on, or None.
      ballots: The ballot file (relative to the compound), or None for typed tallies.
      tally: The vote count, or None if it could not be computed (an integrity error says why).
      verdict: The outcome, or None without a tally.
      entry: The ``custom "resolution"`` directive.
      apportion: The agreed distribution key (scope), ``"all"`` (by area, 民法典 第283条) unless stated.
    """

    id: str
    date: dt.date
    matter: int
    title: str
    budget: Decimal | None
    valid_until: dt.date | None
    ballots: str | None
    tally: Tally | None
    verdict: Verdict | None
    entry: data.Custom
    apportion: str = "all"

    @property
    def matter_label(self) -> str:
        return MATTERS.get(self.matter, str(self.matter))

    def passes(self) -> bool:
        """True if its tally meets the quorum and the approval its matter needs."""
        return self.verdict is not None and self.verdict.passed

    def valid_on(self, day: dt.date) -> bool:
        """Decided on or before *day* and not expired on it."""
        return self.date <= day and (self.valid_until is None or day <= self.valid_until)


def full_tally(register: HouseholdRegister, **counts: Any) -> Tally:
    """A :class:`Tally` whose totals are the register's (area 第8条, headcount 第9条)."""
    return Tally(total_area=register.total_area_centi, total_heads=register.total_heads, **counts)


