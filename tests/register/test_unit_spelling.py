"""Unit spellings of other lists matched to the register's door numbers; an ambiguous spelling is never guessed."""

from __future__ import annotations

import pytest

from commonfund.register.model import parse_register
from commonfund.register.spelling import UnitKey, UnitMatcher, unit_key

REGISTER = """\
unit,building,entrance,area,owner_id,owner_name,first_deposit
3-2-1502,3,2,100.00,O1,甲,1.00
3-1-1502,3,1,100.00,O2,乙,1.00
3-2-101,3,2,100.00,O3,丙,1.00
12-1-0801,12,1,100.00,O4,丁,1.00
A-1-201,A,1,100.00,O5,戊,1.00
5-1202,5,,100.00,O6,己,1.00
"""


@pytest.fixture(scope="module")
def matcher() -> UnitMatcher:
    rows = [(i, line.split(",")) for i, line in enumerate(REGISTER.splitlines(), start=1)]
    return UnitMatcher(parse_register(rows, "households.csv"))


@pytest.mark.parametrize("text", [
    "3-2-1502", "3栋2单元1502室", "3栋2单元1502", "03-02-1502", "3号楼2单元1502", "3号楼2单元1502室",
    "3幢2单元1502室", "3座2单元1502", "3#2单元1502", "3#2-1502", "3栋2-1502", "3—2—1502", "3/2/1502",
    "３－２－１５０２", "三号楼二单元1502室", "3 栋 2 单元 1502 室", "3号楼2单元15层1502室", "3-02-01502",
    "上海市浦东新区锦绣路123弄3号楼2单元1502室", "锦绣路123号3栋2单元1502室", "浦东新区锦绣路123弄3-2-1502",
    "1-3-2-1502",
])
def test_spellings_of_one_door(matcher: UnitMatcher, text: str) -> None:
    assert matcher.match(text).unit == "3-2-1502"


@pytest.mark.parametrize(("text", "unit"), [
    ("12-1-801", "12-1-0801"), ("12栋1单元801室", "12-1-0801"), ("十二号楼一单元801", "12-1-0801"),
    ("a座1单元201", "A-1-201"), ("A-1-201", "A-1-201"), ("Ａ座１单元２０１室", "A-1-201"),
    ("5-1202", "5-1202"), ("5号楼1202室", "5-1202"), ("锦绣路123弄5号1202室", "5-1202"),
    ("5栋1单元1202", "5-1202"),  # an entrance written where the register has none is not held against it
    ("3-2-101", "3-2-101"), ("3栋2单元101室", "3-2-101"), ("3-2-0101", "3-2-101"), ("3-101", "3-2-101"),
])
def test_other_doors(matcher: UnitMatcher, text: str, unit: str) -> None:
    assert matcher.match(text).unit == unit


@pytest.mark.parametrize(("text", "candidates"), [
    ("3-1502", ("3-2-1502", "3-1-1502")),
    ("3号楼1502室", ("3-2-1502", "3-1-1502")),
    ("锦绣路123弄3号1502室", ("3-2-1502", "3-1-1502")),
    ("1502", ("3-2-1502", "3-1-1502")),
])
def test_a_spelling_that_fits_several_units_is_ambiguous(matcher: UnitMatcher, text: str,
                                                         candidates: tuple[str, ...]) -> None:
    found = matcher.match(text)
    assert found.unit is None and found.ambiguous
    assert set(found.candidates) == set(candidates)


@pytest.mark.parametrize("text", ["4-2-1502", "3-3-1502", "3栋2单元1503", "业主姓名", "", "合计", "13-1-801"])
def test_no_such_unit(matcher: UnitMatcher, text: str) -> None:
    found = matcher.match(text)
    assert found.unit is None and not found.ambiguous


def test_keys() -> None:
    assert unit_key("3栋2单元1502室") == UnitKey("3", "2", "1502")
    assert unit_key("锦绣路123弄3号1502室") == UnitKey("3", "", "1502")
    assert unit_key("二十一栋三单元0302") == UnitKey("21", "3", "302")
    assert unit_key("1-2-3-4") == UnitKey("2", "3", "4")
    assert unit_key("业主") is None
