"""What real assemblies produce (issue #17): partial ballots, spoiled ballots, a buyer against the developer,
area sources (第8条), abstentions, JSON with exact fractions, percentages that never mislead.

Every expected fraction is computed by hand in the comment beside it, never taken from the tool.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from tests.conftest import SMALL_CONFIG, CompoundFactory

from commonfund.audit.findings import run_audit
from commonfund.cli import main
from commonfund.compound.model import Compound
from commonfund.core.errors import InputError
from commonfund.resolutions.model import percent
from commonfund.resolutions.parse import resolutions_of

# 8 units, 720.00 ㎡, 7 persons: O1 holds 1-1-101 (40 ㎡) and 1-1-102 (80 ㎡); everyone else one unit of 100 ㎡.
REGISTER = """\
unit,building,entrance,floor,area,area_source,owner_id,owner_name,first_deposit,sold,delivered
1-1-101,1,1,1,40.00,registered,O1,张伟,4000.00,是,是
1-1-102,1,1,1,80.00,registered,O1,张伟,8000.00,是,是
1-1-201,1,1,2,100.00,registered,O2,李娜,10000.00,是,是
1-1-202,1,1,2,100.00,registered,O3,王芳,10000.00,是,是
2-1-101,2,1,1,100.00,registered,O4,赵四,10000.00,是,是
2-1-102,2,1,1,100.00,registered,O5,钱五,10000.00,是,是
2-1-201,2,1,2,100.00,registered,O6,孙六,10000.00,是,是
2-1-202,2,1,2,100.00,registered,O7,周七,10000.00,是,是
"""
RESOLUTION = """\
2024-03-01 custom "resolution" "R-1" "5" "屋面维修"
  budget: 1000.00 CNY
  ballots: "ballots/R-1.csv"
"""
PARTIAL = """\
unit,vote,date
1-1-101,agree,2024-02-20
1-1-201,agree,2024-02-20
1-1-202,agree,2024-02-20
2-1-101,agree,2024-02-20
2-1-102,against,2024-02-20
"""


def ballots(load: Callable[..., Compound], rows: str, register: str = REGISTER, config: str = SMALL_CONFIG,
            resolution: str = RESOLUTION) -> Compound:
    return load(resolution, register=register, config=config, files={"ballots/R-1.csv": rows})


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


# ── 1. an owner of several units returns one ballot for one unit ────────────────────────────────────────
def test_partial_owner_takes_part_with_all_their_area_by_default(load: Callable[..., Compound]) -> None:
    compound = ballots(load, PARTIAL)
    assert compound.errors == []
    resolution = resolutions_of(compound)["R-1"]
    tally = resolution.tally
    assert tally is not None and tally.area_rule == "owner"
    # O1 (40 + 80) + O2 + O3 + O4 + O5 (4 × 100) = 520 ㎡ of 720: 520/720 = 13/18 ≥ 2/3 (= 12/18)
    assert tally.turnout_area == Fraction(13, 18)
    # persons O1..O5 of O1..O7: 5/7 ≥ 2/3 (15/21 ≥ 14/21)
    assert tally.turnout_heads == Fraction(5, 7)
    # agreeing: O1 (120) + O2 + O3 + O4 (300) = 420 of 520 = 21/26 > 1/2; persons 4/5
    assert tally.approval_area == Fraction(21, 26) and tally.approval_heads == Fraction(4, 5)
    assert resolution.passes()
    assert [(p.balloted, p.missing, p.missing_area, p.developer) for p in tally.partial] == [
        (("1-1-101",), ("1-1-102",), 8000, False)]
    found = run_audit(compound, only=["ballot_partial_owner"])
    assert len(found) == 1 and found[0].severity == "warning"  # the other reading fails: 440/720
    assert "1-1-102" in found[0].message_zh and "80.00 ㎡" in found[0].message_zh
    assert "结论将由通过变为未通过" in found[0].message_zh and "张伟" not in found[0].message_zh


def test_partial_owner_with_ballot_rule_counts_balloted_units_only(load: Callable[..., Compound]) -> None:
    config = SMALL_CONFIG + '\n[policy]\npartial_ballot_area = "ballot"\n'
    compound = ballots(load, PARTIAL, config=config)
    resolution = resolutions_of(compound)["R-1"]
    tally = resolution.tally
    assert tally is not None and tally.area_rule == "ballot"
    # 40 + 400 = 440 ㎡ of 720: 440/720 = 11/18 < 2/3 (= 12/18): no quorum by area
    assert tally.turnout_area == Fraction(11, 18)
    assert tally.turnout_heads == Fraction(5, 7)  # still one person each (第9条)
    assert not resolution.passes()
    found = run_audit(compound, only=["ballot_partial_owner"])
    assert len(found) == 1 and "只计入已交票房屋的面积" in found[0].message_zh


def test_votes_text_states_the_partial_rule(make_compound: CompoundFactory) -> None:
    root = make_compound(RESOLUTION, register=REGISTER, files={"ballots/R-1.csv": PARTIAL})
    code, out = run("votes", str(root), "R-1")
    assert code == 0
    assert "520.00 ㎡ / 720.00 ㎡ = 13/18" in out
    assert "以其全部专有部分面积参与表决" in out and "1-1-102 未交票" in out


# ── 2. spoiled and blank ballots ────────────────────────────────────────────────────────────────────────
def test_spoiled_ballots_take_part_and_do_not_agree(load: Callable[..., Compound]) -> None:
    compound = ballots(load, """\
        unit,vote,date
        1-1-101,agree,2024-02-20
        1-1-102,同意,2024-02-20
        1-1-201,废票,2024-02-20
        1-1-202,空白票,2024-02-20
        2-1-101,agree,2024-02-20
        2-1-102,blank,2024-02-20
    """)
    assert compound.errors == []
    tally = resolutions_of(compound)["R-1"].tally
    assert tally is not None
    # took part: O1 (120) + O2..O5 (400) = 520 ㎡, 5 persons; spoiled: O2, O3, O5 = 300 ㎡, 3 persons
    assert (tally.voted_area, tally.voted_heads) == (52000, 5)
    assert (tally.spoiled_area, tally.spoiled_heads) == (30000, 3)
    # agreeing: O1 + O4 = 220 of 520 = 11/26 < 1/2; persons 2/5
    assert tally.approval_area == Fraction(11, 26) and tally.approval_heads == Fraction(2, 5)
    assert tally.turnout_area == Fraction(13, 18)  # spoiled ballots count for the quorum
    assert not resolutions_of(compound)["R-1"].passes()


@pytest.mark.parametrize(("vote", "words"), [("maybe", "must be agree/against/abstain/spoiled"),
                                              ("", "must be agree/against/abstain/spoiled")])
def test_unknown_or_empty_vote_still_refused_at_its_row(load: Callable[..., Compound], vote: str,
                                                        words: str) -> None:
    compound = ballots(load, f"unit,vote,date\n1-1-101,agree,2024-02-20\n1-1-201,{vote},2024-02-20\n")
    assert len(compound.errors) == 1
    assert compound.errors[0].source["lineno"] == 3 and words in compound.errors[0].message


# ── 3. a buyer of a sold-but-undelivered unit votes against the developer ──────────────────────────────
DEVELOPER_REGISTER = REGISTER + """\
3-1-101,3,1,1,100.00,registered,DEVELOPER,置业,10000.00,否,否
3-1-102,3,1,1,60.00,registered,O9,吴九,6000.00,是,否
"""
# 10 units, 880 ㎡; persons O1..O7 + DEVELOPER (3-1-101 unsold, 3-1-102 sold not delivered) = 8


def test_buyer_ballot_differing_from_developer_is_not_counted(load: Callable[..., Compound]) -> None:
    compound = ballots(load, """\
        unit,vote,date
        1-1-101,agree,2024-02-20
        1-1-201,agree,2024-02-20
        1-1-202,agree,2024-02-20
        2-1-101,agree,2024-02-20
        3-1-101,agree,2024-02-20
        3-1-102,against,2024-02-21
    """, register=DEVELOPER_REGISTER)
    assert compound.errors == []  # not a refusal of the file
    tally = resolutions_of(compound)["R-1"].tally
    assert tally is not None
    assert [(b.row, b.unit, b.vote, b.reason) for b in tally.not_counted] == [(7, "3-1-102", "against", "buyer")]
    # persons O1, O2, O3, O4, DEVELOPER = 5 of 8; area O1 120 + 300 + developer (100 + 60) = 580 of 880 = 29/44
    assert tally.turnout_heads == Fraction(5, 8) and tally.turnout_area == Fraction(29, 44)
    assert (tally.agree_heads, tally.against_heads) == (5, 0)
    found = run_audit(compound, only=["ballot_not_counted"])
    assert len(found) == 1 and "3-1-102" in found[0].message_zh and "第 7 行" in found[0].message_zh
    assert "开发建设单位行使表决权" in found[0].message_zh


def test_buyer_marked_in_voter_column(load: Callable[..., Compound]) -> None:
    compound = ballots(load, """\
        unit,vote,date,投票人
        1-1-101,agree,2024-02-20,
        3-1-102,agree,2024-02-21,买受人
    """, register=DEVELOPER_REGISTER)
    assert compound.errors == []
    tally = resolutions_of(compound)["R-1"].tally
    assert tally is not None
    assert [(b.unit, b.reason) for b in tally.not_counted] == [("3-1-102", "buyer")]
    assert tally.voted_heads == 1  # O1 only: the buyer is not an owner before delivery


def test_undelivered_units_disagreeing_without_the_developer_is_refused(load: Callable[..., Compound]) -> None:
    register = REGISTER + "3-1-101,3,1,1,100.00,registered,O8,郑八,10000.00,是,否\n" \
                          "3-1-102,3,1,1,60.00,registered,O9,吴九,6000.00,是,否\n"
    compound = ballots(load, "unit,vote,date\n3-1-101,agree,2024-02-20\n3-1-102,against,2024-02-20\n",
                       register=register)
    assert len(compound.errors) == 1 and compound.errors[0].source["lineno"] == 3
    assert "投票人" in compound.errors[0].message


# ── 4. 第8条: registered, else surveyed, else contract area ─────────────────────────────────────────────
SOURCES_REGISTER = """\
房号,楼栋,单元,登记面积,测绘面积,合同面积,业主编号,业主姓名,首期维修资金
1-1-101,1,1,100.00,101.00,102.00,O1,张伟,100
1-1-102,1,1,,90.50,91.00,O2,李娜,100
1-1-103,1,1,,,80.25,O3,王芳,100
1-1-104,1,1,,70.00,,O4,赵四,100
"""


def test_area_falls_back_per_unit_in_article_8_order(make_compound: CompoundFactory) -> None:
    root = make_compound(RESOLUTION, register=SOURCES_REGISTER, files={"ballots/R-1.csv": """\
        unit,vote
        1-1-101,agree
        1-1-102,agree
        1-1-103,against
    """})
    from commonfund.compound.model import load_compound

    compound = load_compound(root)
    assert compound.errors == []
    register = compound.register
    assert [h.area_source for h in register] == ["registered", "surveyed", "contract", "surveyed"]
    # 100.00 + 90.50 + 80.25 + 70.00 = 340.75 ㎡
    assert register.total_area_centi == 34075
    _, out = run("votes", str(root), "R-1", "--format", "json")
    document = json.loads(out)
    assert document["area_sources"] == {"registered": 1, "surveyed": 2, "contract": 1}
    # took part 100 + 90.50 + 80.25 = 270.75 of 340.75 = 27075/34075 = 1083/1363
    area = document["conditions"][0]
    assert (area["numerator"], area["denominator"]) == (27075, 34075)
    assert area["fraction"] == {"numerator": 1083, "denominator": 1363}
    _, out = run("votes", str(root), "R-1")
    assert "登记面积 1 户，测绘面积 2 户，合同面积 1 户" in out


def test_unit_without_any_area_is_refused_at_its_row(load: Callable[..., Compound]) -> None:
    with pytest.raises(InputError) as raised:
        load("", register=SOURCES_REGISTER + "1-1-105,1,1,,,,O5,钱五,100\n")
    assert raised.value.where.endswith("households.csv:6")
    assert "1-1-105 has no area" in raised.value.message and "司法解释 第8条" in raised.value.message


# ── 5. abstentions take part ───────────────────────────────────────────────────────────────────────────
def test_abstentions_take_part_and_do_not_agree(load: Callable[..., Compound]) -> None:
    compound = ballots(load, """\
        unit,vote
        1-1-201,agree
        1-1-202,agree
        2-1-101,abstain
        2-1-102,弃权
        2-1-201,agree
    """)
    tally = resolutions_of(compound)["R-1"].tally
    assert tally is not None
    # took part 500 of 720 = 25/36 ≥ 2/3 (24/36); persons 5/7
    assert tally.turnout_area == Fraction(25, 36) and tally.turnout_heads == Fraction(5, 7)
    # agree 300 of 500 = 3/5 > 1/2; abstentions are in the denominator
    assert tally.approval_area == Fraction(3, 5) and tally.abstain_heads == 2


# ── 6. JSON, schema, exit codes; percentages that never mislead ────────────────────────────────────────
def schema() -> dict[str, object]:
    text = resources.files("commonfund.data").joinpath("votes.schema.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


TYPED = """\
2024-03-01 custom "resolution" "R-T" "5" "一半多一点"
  voted_area: 400.00
  voted_count: 4
  agree_area: {agree}
  agree_count: 3
"""
# SMALL_REGISTER: 500.00 ㎡, 4 persons. voted 400/500 = 4/5, persons 4/4.


def test_json_validates_and_exit_codes(make_compound: CompoundFactory) -> None:
    root = make_compound(TYPED.format(agree="200.01"), name="pass")
    code, out = run("votes", str(root), "R-T", "--format", "json")
    assert code == 0
    document = json.loads(out)
    jsonschema.validate(document, schema())
    assert document["verdict"] == "passed" and document["rule_version"]
    approval = document["conditions"][2]
    # 200.01 of 400.00 ㎡ = 20001/40000 > 1/2
    assert approval["fraction"] == {"numerator": 20001, "denominator": 40000}
    assert approval["threshold"] == {"numerator": 1, "denominator": 2} and approval["comparison"] == ">"
    assert approval["percent"] != "50.00%" and approval["percent"].startswith("≈ 50.00")
    root = make_compound(TYPED.format(agree="200.00"), name="fail")
    code, out = run("votes", str(root), "R-T", "--format", "json")
    assert code == 1
    document = json.loads(out)
    jsonschema.validate(document, schema())
    assert document["verdict"] == "failed" and document["conditions"][2]["fraction"] == {
        "numerator": 1, "denominator": 2}  # 20000/40000: exactly one half is not 过半数
    code, out = run("votes", str(root), "--format", "json")
    assert code == 1 and [d["id"] for d in json.loads(out)] == ["R-T"]


def test_json_of_ballots_validates(make_compound: CompoundFactory) -> None:
    root = make_compound(RESOLUTION, register=DEVELOPER_REGISTER, files={"ballots/R-1.csv": """\
        unit,vote
        1-1-101,agree
        1-1-201,废票
        3-1-101,agree
        3-1-102,against
    """})
    code, out = run("votes", str(root), "R-1", "--format", "json")
    document = json.loads(out)
    jsonschema.validate(document, schema())
    assert document["positions"]["spoiled"] == {"area_centi": 10000, "heads": 1}
    assert document["not_counted"][0]["unit"] == "3-1-102" and document["partial"]
    assert code == 1  # O1, O2 and the developer took part: 3/8 < 2/3


@pytest.mark.parametrize(("value", "threshold", "shown"), [
    (Fraction(20001, 40000), Fraction(1, 2), "≈ 50.003%"),   # 50.0025 %: two decimals would show 50.00%
    (Fraction(29999, 40000), Fraction(3, 4), "≈ 74.998%"),   # 74.9975 %: two decimals would show 75.00%
    (Fraction(1, 2), Fraction(1, 2), "50.00%"),
    (Fraction(2, 3), Fraction(2, 3), "≈ 66.67%"),
    (Fraction(6667, 10000), Fraction(2, 3), "66.670%"),          # 66.67 % exactly, just above 2/3 (≈ 66.67%)
    (Fraction(66666667, 100000000), Fraction(2, 3), "66.6666670%"),
    (Fraction(3, 5), Fraction(1, 2), "60.00%"),
])
def test_percent_never_looks_equal_across_the_threshold(value: Fraction, threshold: Fraction, shown: str) -> None:
    assert percent(value, threshold) == shown


def test_percent_two_sides_never_equal() -> None:
    for threshold in (Fraction(1, 2), Fraction(2, 3), Fraction(3, 4)):
        for denominator in (40000, 30001, 999_999):
            below = Fraction(int(threshold * denominator) - (1 if (threshold * denominator).denominator == 1 else 0),
                             denominator)
            above = below + Fraction(1, denominator)
            assert below < threshold <= above or below < threshold < above
            assert percent(below, threshold).lstrip("≈ ") != percent(threshold, threshold).lstrip("≈ ") \
                or below == threshold


def test_resolution_failed_finding_shows_exact_fractions(load: Callable[..., Compound]) -> None:
    compound = load(TYPED.format(agree="200.00") + """
2024-04-01 * "x" "屋面维修"
  resolution: "R-T"
  Expenses:MaintenanceFund:Repair-维修  100.00 CNY
    apportion: "all"
  Assets:MaintenanceFund:Bank-维修资金专户  -100.00 CNY
""")
    found = run_audit(compound, only=["resolution_failed"])
    assert len(found) == 1
    # agree 200.00 of 400.00 ㎡ = 1/2, not more than half
    assert "200.00 ㎡ / 400.00 ㎡ = 1/2" in found[0].message_zh and "> 1/2（过半数，不含本数）" in found[0].message_zh


def test_workbook_resolutions_sheet_shows_exact_fractions(make_compound: CompoundFactory, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    root = make_compound(TYPED.format(agree="200.01") + """
2024-04-01 * "首期维修资金" "划入"
  Assets:MaintenanceFund:Bank-维修资金专户   100.00 CNY
  Income:MaintenanceFund:Deposit-首期交存  -100.00 CNY
    apportion: "all"
""", name="book")
    out = tmp_path / "审计资料.xlsx"
    code, text = run("export", str(root), "--year", "2024", "-o", str(out))
    assert code == 0, text
    sheet = load_workbook(out, read_only=True)["决议"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-1] == "表决条件（精确分数）Conditions"
    # 200.01 of 400.00 ㎡ = 20001/40000 ≈ 50.0025 %: shown with the digits that tell it from one half
    assert "200.01 ㎡ / 400.00 ㎡ = 20001/40000，≈ 50.003%（要求 > 1/2（过半数，不含本数））达到" in rows[1][-1]


def test_disclosure_percentages_keep_their_side_of_the_threshold() -> None:
    from decimal import Decimal

    from commonfund.disclosure.maintenance_fund import _percent

    # 29999/40000 = 74.9975 %: one decimal would print 75.0 beside "≥ 3/4"
    assert _percent(29999, 40000, Fraction(3, 4)) == Decimal("74.998")
    assert _percent(30000, 40000, Fraction(3, 4)) == Decimal("75.0")
    # 20001/40000 = 50.0025 %: one decimal would print 50.0 beside "过半数"
    assert _percent(20001, 40000, Fraction(1, 2)) == Decimal("50.003")
    assert _percent(9, 11, Fraction(2, 3)) == Decimal("81.8")


def test_area_column_takes_its_place_in_article_8_order(load: Callable[..., Compound]) -> None:
    """``area`` with its ``area_source`` label competes by that label: a registered ``area`` beats a
    ``contract_area``, a contract ``area`` loses to a ``surveyed_area``."""
    register = """\
unit,building,entrance,area,area_source,surveyed_area,contract_area,owner_id,owner_name,first_deposit
1-1-101,1,1,100.00,登记,,99.00,O1,张伟,100
1-1-102,1,1,80.00,合同,81.50,,O2,李娜,100
1-1-103,1,1,,,,70.00,O3,王芳,100
"""
    compound = load("", register=register)
    assert [(h.area, h.area_source) for h in compound.register] == [
        (Decimal("100.00"), "registered"), (Decimal("81.50"), "surveyed"), (Decimal("70.00"), "contract")]


def test_developer_with_units_not_balloted_and_the_cached_counts(make_compound: CompoundFactory,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer balloted one of its units only: one person with all its area (owner rule); the counts,
    partial persons and ballots not counted come back the same from the parse cache."""
    from commonfund.register import ballots as ballots_module
    from commonfund.register.model import load_register
    from commonfund.resolutions.parse import read_ballots

    register = DEVELOPER_REGISTER + "3-1-103,3,1,1,40.00,registered,DEVELOPER,置业,4000.00,否,否\n"
    rows = "unit,vote,voter\n3-1-101,against,\n3-1-102,agree,买受人\n1-1-201,agree,\n"
    root = make_compound(RESOLUTION, register=register, files={"ballots/R-1.csv": rows})
    path, held = root / "ballots" / "R-1.csv", load_register(root / "households.csv")
    first = read_ballots(path, held, None)
    # developer: 3-1-101 (100) + 3-1-102 (60) + 3-1-103 (40) = 200 ㎡ against; O2 100 ㎡ agrees
    assert (first.against_area, first.against_heads, first.agree_area, first.voted_heads) == (20000, 1, 10000, 2)
    assert [(p.balloted, p.missing, p.missing_area, p.developer) for p in first.partial] == [
        (("3-1-101",), ("3-1-103",), 4000, True)]
    assert [(b.unit, b.reason) for b in first.not_counted] == [("3-1-102", "buyer")]
    ballots_module._MEMO.clear()
    monkeypatch.setattr(ballots_module, "_count", None)  # from the cache on disk, never counted again
    again = read_ballots(path, held, None)
    assert again == first
    monkeypatch.undo()
    assert read_ballots(path, held, None, "ballot").against_area == 10000  # 3-1-101 only


def test_household_table_ratio_never_rounds_onto_the_top_up_line(load: Callable[..., Compound]) -> None:
    from decimal import Decimal

    from commonfund.disclosure.households import household_table
    from commonfund.disclosure.periods import parse_period

    # first deposits sum to 72000.00, so 1-1-101 receives its own 4000.00; it alone bears the 2800.20 repair
    compound = load("""
2024-01-01 * "首期维修资金" "划入"
  Assets:MaintenanceFund:Bank-维修资金专户   72000.00 CNY
  Income:MaintenanceFund:Deposit-首期交存  -72000.00 CNY
    apportion: "first-deposit"

2024-02-01 * "施工队" "维修"
  Expenses:MaintenanceFund:Repair-维修:Other-其他  2800.20 CNY
    apportion: "units:1-1-101"
  Assets:MaintenanceFund:Bank-维修资金专户  -2800.20 CNY
""", register=REGISTER)
    table = household_table(compound, parse_period("2024"), Fraction(3, 10))
    row = next(r for r in table.rows if r.unit == "1-1-101")
    # balance 4000.00 − 2800.20 = 1199.80 = 29.995 % of 4000.00: one decimal would print 30.0 beside the 30 % line
    assert row.balance == Decimal("1199.80") and row.below
    assert row.ratio == Decimal("29.995")


def test_untallied_resolution_names_the_check_command_as_it_runs(make_compound: CompoundFactory) -> None:
    """A ballot file with a bad row leaves the resolution untallied; `votes` says so and prints the check
    command the way it runs here (core.program.command_line), not a bare `commonfund check`."""
    from commonfund.core.program import command_line

    root = make_compound(RESOLUTION, register=REGISTER,
                         files={"ballots/R-1.csv": "unit,vote,date\n1-1-101,maybe,2024-02-20\n"})
    result = CliRunner().invoke(main, ["votes", str(root), "R-1"], terminal_width=400)
    assert result.exit_code == 1
    assert f"无法计票：运行 {command_line('check', root)} 查看原因" in result.output
