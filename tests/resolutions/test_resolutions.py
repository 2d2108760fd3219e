"""Resolutions: statutory thresholds at their exact boundaries, headcount per 第9条, ballot files."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest
from tests.conftest import SMALL_REGISTER, CompoundFactory

from commonfund.books.spending import payments_citing, spent_by_resolution
from commonfund.compound.model import Compound, load_compound
from commonfund.resolutions.model import MATTERS, Tally, Verdict
from commonfund.resolutions.parse import resolutions_of


def tally(voted: tuple[int, int], agree: tuple[int, int], total: tuple[int, int] = (300, 300)) -> Tally:
    return Tally(total_area=total[0], total_heads=total[1], voted_area=voted[0], voted_heads=voted[1],
                 agree_area=agree[0], agree_heads=agree[1])


def test_matters_are_the_nine_of_article_278() -> None:
    assert sorted(MATTERS) == list(range(1, 10))
    assert MATTERS[5].startswith("⑤") and "维修资金" in MATTERS[5]


def test_quorum_exactly_two_thirds_meets_it() -> None:
    exact = Verdict.of(tally((200, 200), (200, 200)), 5)
    assert exact.quorum_area and exact.quorum_heads and exact.passed
    below = Verdict.of(tally((199, 200), (199, 200)), 5)
    assert not below.quorum_area and below.quorum_heads and not below.passed
    heads_below = Verdict.of(tally((200, 199), (200, 199)), 5)
    assert heads_below.quorum_area and not heads_below.quorum_heads and not heads_below.passed


@pytest.mark.parametrize("matter", [6, 7, 8])
def test_special_matters_exactly_three_quarters_approves(matter: int) -> None:
    exact = Verdict.of(tally((240, 240), (180, 180)), matter)
    assert exact.approval_threshold == Fraction(3, 4) and exact.approval_inclusive
    assert exact.passed
    just_below = Verdict.of(tally((240, 240), (179, 180)), matter)
    assert not just_below.approval_area and just_below.approval_heads and not just_below.passed


@pytest.mark.parametrize("matter", [1, 2, 3, 4, 5, 9])
def test_other_matters_exactly_one_half_is_not_a_majority(matter: int) -> None:
    half = Verdict.of(tally((240, 240), (120, 120)), matter)
    assert not half.approval_area and not half.approval_heads and not half.passed
    assert ("同意的专有面积未超过半数", "agreeing area not more than half of participants") in half.reasons
    more = Verdict.of(tally((240, 240), (121, 121)), matter)
    assert more.passed and more.reasons == []
    area_only = Verdict.of(tally((240, 240), (121, 120)), matter)
    assert area_only.approval_area and not area_only.approval_heads and not area_only.passed


def test_three_quarters_is_not_enough_to_matter_only_when_special() -> None:
    assert Verdict.of(tally((240, 240), (170, 170)), 9).passed  # 70.8% > 1/2
    assert not Verdict.of(tally((240, 240), (170, 170)), 6).passed  # < 3/4


def test_nobody_voting_never_passes() -> None:
    assert not Verdict.of(tally((0, 0), (0, 0)), 5).passed


# ── ballot files against the register (司法解释 第8条/第9条) ───────────────────────────────────────────
# Register: 6 units; O1 owns two; 3-1-101 and 3-1-102 are the developer's (unsold / undelivered).
REGISTER = """\
unit,building,entrance,floor,area,area_source,owner_id,owner_name,first_deposit,sold,delivered
1-1-101,1,1,1,100.00,registered,O1,张伟,10000.00,是,是
1-1-102,1,1,1,100.00,registered,O1,张伟,10000.00,是,是
1-1-201,1,1,2,100.00,registered,O2,李娜,10000.00,是,是
2-1-101,2,1,1,100.00,registered,O3,王芳,10000.00,是,是
3-1-101,3,1,1,100.00,registered,DEVELOPER,置业,10000.00,否,否
3-1-102,3,1,1,100.00,registered,O9,赵六,10000.00,是,否
"""
RESOLUTION = """\
2024-03-01 custom "resolution" "R-1" "5" "屋面维修"
  budget: 1000.00 CNY
  ballots: "ballots/R-1.csv"
"""


def with_ballots(load: Callable[..., Compound], rows: str, register: str = REGISTER) -> Compound:
    return load(RESOLUTION, register=register, files={"ballots/R-1.csv": "unit,vote,date\n" + rows})


def test_headcount_rules_of_article_9(load: Callable[..., Compound]) -> None:
    compound = with_ballots(load, """\
        1-1-101,agree,2024-02-20
        1-1-102,同意,2024-02-20
        1-1-201,反对,2024-02-21
        3-1-101,弃权,2024-02-22
        3-1-102,abstain,2024-02-22
    """)
    assert compound.errors == []
    result = resolutions_of(compound)["R-1"].tally
    assert result is not None
    # persons: O1 (two units, one person), O2, O3, DEVELOPER (unsold + undelivered together) = 4
    assert (result.total_area, result.total_heads) == (60000, 4)
    assert (result.voted_area, result.voted_heads) == (50000, 3)
    assert (result.agree_area, result.agree_heads) == (20000, 1)
    assert (result.against_heads, result.abstain_heads, result.ballot_count) == (1, 1, 5)
    assert result.turnout_heads == Fraction(3, 4) and result.approval_heads == Fraction(1, 3)
    assert not resolutions_of(compound)["R-1"].passes()


def test_ballot_file_passes_with_exact_two_thirds(load: Callable[..., Compound]) -> None:
    compound = with_ballots(load, """\
        1-1-101,agree,2024-02-20
        1-1-102,agree,2024-02-20
        1-1-201,agree,2024-02-21
        2-1-101,against,2024-02-21
    """)
    resolution = resolutions_of(compound)["R-1"]
    assert resolution.tally is not None
    assert resolution.tally.turnout_area == Fraction(2, 3)
    assert resolution.tally.turnout_heads == Fraction(3, 4)
    assert resolution.passes()


@pytest.mark.parametrize(("rows", "line", "words"), [
    ("1-1-101,agree,2024-02-20\n9-9-999,agree,2024-02-20\n", 3, "not in the household register"),
    ("1-1-101,agree,2024-02-20\n1-1-101,against,2024-02-20\n", 3, "votes twice (first at row 2)"),
    ("1-1-101,maybe,2024-02-20\n", 2, "must be agree/against/abstain"),
    ("1-1-101,agree,2024-03-05\n", 2, "after the resolution"),
    ("1-1-101,agree,20/2/2024\n", 2, "is not YYYY-MM-DD"),
    ("1-1-101,agree,2024-02-20\n1-1-102,against,2024-02-20\n", 3, "same person"),
])
def test_rejected_ballots_are_errors_at_their_row(load: Callable[..., Compound], rows: str, line: int,
                                                   words: str) -> None:
    compound = with_ballots(load, rows)
    assert len(compound.errors) == 1
    error = compound.errors[0]
    assert error.source["filename"].endswith("ballots/R-1.csv") and error.source["lineno"] == line
    assert words in error.message and "R-1" in error.message
    assert resolutions_of(compound)["R-1"].tally is None


def test_xlsx_ballot_file(make_compound: CompoundFactory) -> None:
    from openpyxl import Workbook

    root = make_compound(RESOLUTION, register=REGISTER)
    book = Workbook()
    sheet = book.active
    for row in (["房号", "表决意见", "日期"], ["1-1-101", "同意", "2024-02-20"], ["1-1-201", "同意", "2024-02-20"],
                ["2-1-101", "同意", "2024-02-20"], ["3-1-101", "反对", "2024-02-20"]):
        sheet.append(row)
    (root / "ballots").mkdir()
    book.save(root / "ballots" / "R-1.xlsx")
    text = (root / "books" / "books.beancount").read_text("utf-8").replace("R-1.csv", "R-1.xlsx")
    (root / "books" / "books.beancount").write_text(text, "utf-8")
    compound = load_compound(root)
    assert compound.errors == []
    result = resolutions_of(compound)["R-1"].tally
    assert result is not None and (result.voted_heads, result.agree_heads) == (4, 3)


def test_missing_ballot_file(load: Callable[..., Compound]) -> None:
    compound = load(RESOLUTION, register=REGISTER)
    assert len(compound.errors) == 1 and "ballot file" in compound.errors[0].message
    assert compound.errors[0].source["lineno"] == 1


@pytest.mark.parametrize(("text", "words"), [
    ('2024-03-01 custom "resolution" "R-2" "10" "x"\n  voted_area: 1\n', "matter '10' must be 1–9"),
    ('2024-03-01 custom "resolution" "R-2"\n', "must be 1–9"),
    ('2024-03-01 custom "resolution" "" "5" "x"\n', "has no id"),
    ('2024-03-01 custom "resolution" "R-2" "5" "x"\n', "needs a ballot file"),
    ('2024-03-01 custom "resolution" "R-2" "5" "x"\n  voted_area: 600.00\n  voted_count: 3\n  agree_area: 700.00\n'
     '  agree_count: 3\n', "cannot exceed"),
])
def test_malformed_resolutions(load: Callable[..., Compound], text: str, words: str) -> None:
    compound = load(text)
    assert [words in e.message for e in compound.errors] == [True]
    assert compound.errors[0].source["lineno"] == 1


TYPED = """\
2024-03-01 custom "resolution" "R-2" "⑨" "分红"
  budget: 50.00 CNY
  valid_until: 2024-12-31
  voted_area: 400.00
  voted_count: 3
  agree_area: 300.00
  agree_count: 2
"""


def test_duplicate_id_and_unknown_references(load: Callable[..., Compound]) -> None:
    compound = load(TYPED + "\n" + TYPED + """
2024-04-01 * "x" "分红"
  resolution: "R-404"
  Expenses:CommonRevenue:Dividend-业主分红  10.00 CNY
    apportion: "building:7"
  Assets:CommonRevenue:Bank-共有收益户  -10.00 CNY
""")
    messages = sorted(e.message for e in compound.errors)
    assert len(messages) == 3
    assert any("used twice" in m for m in messages)
    assert any("names no resolution" in m and "R-404" in m for m in messages)
    assert any("'building:7'" in m and "names no unit" in m for m in messages)


def test_typed_tally_and_spending(load: Callable[..., Compound]) -> None:
    compound = load(TYPED + """
2024-04-01 * "x" "分红"
  resolution: "R-2"
  distribution: "dividend"
  Expenses:CommonRevenue:Dividend-业主分红  30.00 CNY
    apportion: "all"
  Assets:CommonRevenue:Bank-共有收益户  -30.00 CNY
""")
    assert compound.errors == []
    resolution = resolutions_of(compound)["R-2"]
    assert resolution.matter == 9 and resolution.passes() and resolution.tally is not None
    assert resolution.tally.total_heads == 4  # SMALL_REGISTER: O1 twice, O2, O3, DEVELOPER
    assert spent_by_resolution(compound) == {"R-2": __import__("decimal").Decimal("30.00")}
    assert [t.narration for t in payments_citing(compound, "R-2")] == ["分红"]
    assert resolutions_of(compound) is resolutions_of(compound)  # cached per compound
    assert SMALL_REGISTER  # fixture register in use


def test_example_ledger_resolutions() -> None:
    from tests.conftest import REPO

    compound = load_compound(Path(REPO) / "ledgers" / "example")
    resolutions = resolutions_of(compound)
    ballot = resolutions["R-2025-02"]
    assert ballot.tally is not None and ballot.tally.source == "ballots"
    assert (ballot.tally.voted_heads, ballot.tally.total_heads) == (9, 11)  # 林秀英 votes twice as one person
    assert all(r.passes() for r in resolutions.values())


def test_spent_under_a_resolution_counts_transfers_and_not_twice_the_allowances_they_fund(
        load: Callable[..., Compound]) -> None:
    """docs/ledger-conventions.md: direct citations and the paying side of an interfund transfer count; an
    allowance paid out of the working fund the same resolution granted is listed, but not counted again."""
    from decimal import Decimal

    from commonfund.books.spending import resolution_figures

    compound = load(TYPED.replace('"分红"', '"工作经费及津贴"') + """
2024-03-05 * "业委会" "工作经费拨付"
  interfund: "R-2"
  Expenses:CommonRevenue:WorkingFund-拨付工作经费  40.00 CNY
  Assets:CommonRevenue:Bank-共有收益户  -40.00 CNY
  Assets:Committee:Bank-工作经费户  40.00 CNY
  Income:Committee:WorkingFund-工作经费拨入  -40.00 CNY

2024-03-28 * "李娜" "3月委员津贴"
  resolution: "R-2"
  Expenses:Committee:Allowance-津贴  15.00 CNY
  Assets:Committee:Bank-工作经费户  -15.00 CNY

2024-04-01 * "x" "补贴"
  resolution: "R-2"
  distribution: "subsidy"
  Expenses:CommonRevenue:Subsidy-物业费补贴  20.00 CNY
    apportion: "all"
  Assets:CommonRevenue:Bank-共有收益户  -20.00 CNY
""")
    assert compound.errors == []
    figures = resolution_figures(compound)["R-2"]
    assert [(p.entry.narration, p.amount, p.counted, p.funded) for p in figures.payments] == [
        ("工作经费拨付", 4000, 4000, False), ("3月委员津贴", 1500, 0, True), ("补贴", 2000, 2000, False)]
    assert (figures.budget, figures.spent, figures.remaining, figures.over_budget) == (
        Decimal("50.00"), Decimal("60.00"), Decimal("-10.00"), True)
    assert spent_by_resolution(compound)["R-2"] == figures.spent
    assert resolution_figures(compound, until=__import__("datetime").date(2024, 3, 31))["R-2"].spent == Decimal("40.00")
