"""分户账核对: the authority's list against the books, household by household, each difference with its cause."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.authority_lists import BOOKS, SPELLINGS, csv_list, figures, shift
from tests.conftest import CompoundFactory

from commonfund.books.authority import Reconciliation, reconcile, reconciliation_on_file
from commonfund.books.authority_list import find_date, read_authority_list
from commonfund.compound.authority import FOLDER, store_list, stored_list
from commonfund.compound.fingerprint import fingerprint
from commonfund.compound.model import Compound, load_compound
from commonfund.core.errors import InputError
from commonfund.core.money import ledger_number
from commonfund.synth.authority import write_authority_list
from commonfund.synth.generator import synth_compound


@pytest.fixture
def small(make_compound: CompoundFactory) -> Compound:
    return load_compound(make_compound(BOOKS))


def run(compound: Compound, text: str, tmp_path: Path, encoding: str = "utf-8-sig",
        as_of: date | None = None) -> Reconciliation:
    path = tmp_path / "清单.csv"
    path.write_bytes(text.encode(encoding))
    return reconcile(compound, read_authority_list(path, path.read_bytes(), as_of))


def causes(result: Reconciliation) -> dict[str, list[str]]:
    return {h.unit: [c.kind for c in h.causes] for h in result.differing}


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk", "utf-8"])
def test_a_list_that_agrees(small: Compound, tmp_path: Path, encoding: str) -> None:
    result = run(small, csv_list(figures(small, date(2024, 12, 31))), tmp_path, encoding)
    assert result.as_of == date(2024, 12, 31)
    assert (len(result.households), result.agreeing, result.differing, result.one_side) == (5, 5, (), 0)
    assert result.clean and result.skipped == ((9, "合计行"),)
    assert result.summary() == "核对 5 户：5 户分毫不差，0 户不符；仅账簿有 0 户，仅清单有 0 行"
    assert [h.written for h in result.households] == list(SPELLINGS.values())


def test_each_difference_gets_its_cause(small: Compound, tmp_path: Path) -> None:
    day = date(2024, 12, 31)
    lines = figures(small, day)
    lines["2-1-101"][0] = "91.50"                       # area differs from the register
    shift(lines["1-2-101"], 2, -120000)                 # its 1200.00 share of the elevator repair is missing
    shift(lines["1-1-101"], 3, 37)                      # interest split differently: 0.37 moved
    shift(lines["2-1-102"], 3, -37)
    shift(lines["1-1-102"], 1, -50000)                  # the list lacks the books' top-up of 500.00
    result = run(small, csv_list(lines), tmp_path)
    assert causes(result) == {"2-1-101": ["area"], "1-2-101": ["apportionment_missing_list"],
                              "1-1-101": ["interest"], "2-1-102": ["interest"], "1-1-102": ["top_up_missing_list"]}
    missed = next(h for h in result.differing if h.unit == "1-2-101").causes[0]
    assert "2024-03-10 上海申安电梯工程有限公司 1号楼电梯维修" in missed.text and "¥1,200.00" in missed.text
    assert [e.narration for e in missed.entries] == ["1号楼电梯维修"]
    interest = next(h for h in result.differing if h.unit == "1-1-101")
    assert interest.differences.income == 37 and interest.differences.balance == 37
    assert interest.differences.deposits == 0 and interest.differences.uses == 0
    area = next(h for h in result.differing if h.unit == "2-1-101")
    assert (area.area_books, area.area_list, area.largest) == (9000, 9150, 0)
    assert "名册 90.00 ㎡，清单 91.50 ㎡" in area.causes[0].text


def test_a_spending_the_books_lack_and_a_top_up_not_recorded(small: Compound, tmp_path: Path) -> None:
    lines = figures(small, date(2024, 12, 31))
    # the centre paid a 600.00 roof repair of building 1 directly, split by area (100, 80, 120 ㎡)
    for unit, share in (("1-1-101", 20000), ("1-1-102", 16000), ("1-2-101", 24000)):
        shift(lines[unit], 2, share)
    shift(lines["2-1-101"], 1, 45000)                   # a top-up (续筹) paid to the centre, not in the books
    shift(lines["2-1-102"], 1, 100)                     # more deposit and more income: no single cause
    shift(lines["2-1-102"], 3, 100)
    result = run(small, csv_list(lines), tmp_path)
    assert causes(result) == {"1-1-101": ["apportionment_missing_books"], "1-1-102": ["apportionment_missing_books"],
                              "1-2-101": ["apportionment_missing_books"], "2-1-101": ["top_up_missing_books"],
                              "2-1-102": ["unexplained"]}
    text = next(h for h in result.differing if h.unit == "1-1-102").causes[0].text
    assert "1号楼" in text and "¥600.00" in text and "¥160.00" in text


def test_a_whole_spending_missing_from_the_list(small: Compound, tmp_path: Path) -> None:
    lines = figures(small, date(2024, 12, 31))
    for unit, share in (("1-1-101", 100000), ("1-1-102", 80000), ("1-2-101", 120000)):
        shift(lines[unit], 2, -share)                   # the centre never booked the 3000.00 elevator repair
    result = run(small, csv_list(lines), tmp_path)
    assert causes(result) == {key: ["apportionment_missing_list"] for key in ("1-1-101", "1-1-102", "1-2-101")}
    cause = result.differing[1].causes[0]
    assert "1号楼电梯维修（1号楼，合计 ¥3,000.00），本户应摊 ¥800.00" in cause.text
    assert [e.narration for e in cause.entries] == ["1号楼电梯维修"]


def test_a_row_that_does_not_add_up(small: Compound, tmp_path: Path) -> None:
    lines = figures(small, date(2024, 12, 31))
    shift(lines["1-1-101"], 4, 1, balance=False)        # only the balance, one fen
    result = run(small, csv_list(lines), tmp_path)
    assert causes(result) == {"1-1-101": ["list_arithmetic"]}
    assert result.differing[0].differences.balance == 1


def test_units_on_one_side_and_ambiguous_spellings(small: Compound, tmp_path: Path) -> None:
    lines = figures(small, date(2024, 12, 31))
    missing = lines.pop("2-1-102")
    text = csv_list(lines, extra=["9,3-1-101,李四,50.00,1.00,0,0,1.00", f"10,1-101,王五,{','.join(missing)}",
                                  f"11,2栋1单元101,赵六,{','.join(lines['2-1-101'])}"])
    result = run(small, text, tmp_path)
    assert [s.unit for s in result.only_books] == ["2-1-102"]
    assert [(s.unit, s.row) for s in result.only_list] == [("3-1-101", 8)]
    assert [(s.unit, s.row, set(s.candidates)) for s in result.ambiguous] == [
        ("1-101", 9, {"1-1-101", "1-2-101"}), ("2栋1单元101", 10, {"2-1-101"})]
    assert "可对应多个房号" in result.ambiguous[0].why and "前面一行" in result.ambiguous[1].why
    assert (len(result.households), result.agreeing, len(result.differing)) == (4, 4, 0)
    assert not result.clean
    assert result.summary() == "核对 4 户：4 户分毫不差，0 户不符；仅账簿有 1 户，仅清单有 1 行，无法确定房号 2 行"


def test_date_from_the_title_or_the_option(small: Compound, tmp_path: Path) -> None:
    lines = figures(small, date(2024, 6, 30))
    assert run(small, csv_list(lines, "统计日期：2024-06-30"), tmp_path).clean
    assert run(small, csv_list(lines, "单位：元"), tmp_path, as_of=date(2024, 6, 30)).clean
    # at another date the interest of 2024-06-21 is still there; the top-up of 2024-07-01 is not
    later = run(small, csv_list(lines, "截止日期 2024年12月31日"), tmp_path)
    assert causes(later) == {"1-1-102": ["top_up_missing_list"]}


@pytest.mark.parametrize(("text", "message"), [
    ("a,b,c\r\n1,2,3\r\n", "清单.csv: no header row naming the unit (房屋坐落 or 房号) and the balance (余额)"),
    ("截至2024年12月31日\r\n房号,余额\r\n1-1-101,12.3.4\r\n", "清单.csv:3: 余额 '12.3.4' is not an amount"),
    ("截至2024年12月31日\r\n房号,余额\r\n1-1-101,1.234\r\n", "清单.csv:3: 余额 '1.234' is not an amount"),
    ("截至2024年12月31日\r\n房号,建筑面积,余额\r\n1-1-101,大,1.00\r\n", "清单.csv:3: 建筑面积 '大' is not an area"),
    ("房号,余额\r\n1-1-101,1.00\r\n", "清单.csv: says no date"),
    ("截至2024年12月31日\r\n房号,余额\r\n合计,1.00\r\n", "清单.csv:2: the list has a header but no household rows"),
    ("截至2024年12月31日\r\n房号,交存金额,余额\r\n,1.00,1.00\r\n", "清单.csv:3: the unit (column '房号') is empty"),
])
def test_bad_lists_are_one_sentence_with_file_and_row(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "清单.csv"
    path.write_bytes(text.encode("gbk"))
    with pytest.raises(InputError) as caught:
        read_authority_list(path, path.read_bytes(), name="清单.csv")
    assert str(caught.value).startswith(message), str(caught.value)
    assert "\n" not in str(caught.value)


def test_names_are_not_kept(small: Compound, tmp_path: Path) -> None:
    path = tmp_path / "清单.csv"
    path.write_text(csv_list(figures(small, date(2024, 12, 31))), "utf-8-sig")
    listing = read_authority_list(path, path.read_bytes())
    assert listing.named and "张三" not in repr(listing)
    assert "张三" not in repr(reconcile(small, listing))


def test_the_list_on_file(small: Compound, tmp_path: Path) -> None:
    assert reconciliation_on_file(small) is None
    data = csv_list(figures(small, date(2024, 12, 31))).encode("gbk")
    stored = store_list(small.root, data, "/somewhere/清单.csv", date(2024, 12, 31))
    assert stored_list(small.root) == stored and stored.read() == data and stored.name == "清单.csv"
    assert sorted(p.name for p in (small.root / FOLDER).iterdir()) == ["current.json", stored.path.name]
    again = store_list(small.root, data, "清单.csv", date(2024, 12, 31))
    assert again == stored and len(list((small.root / FOLDER).iterdir())) == 2
    result = reconciliation_on_file(small)
    assert result is not None and result.clean and result.name == "清单.csv"
    other = store_list(small.root, data + b"\r\n", "new.csv", date(2024, 12, 31))
    assert sorted(p.name for p in (small.root / FOLDER).iterdir()) == ["current.json", other.path.name]
    (small.root / FOLDER / "current.json").write_text("{", "utf-8")
    with pytest.raises(InputError, match=r"current\.json: is not the record"):
        stored_list(small.root)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, str]], Path]:
    root = synth_compound(tmp_path_factory.mktemp("authority") / "garden", 120, 2, seed=5, slug="garden")
    out = tmp_path_factory.mktemp("lists") / "分户账.xlsx"
    return root, write_authority_list(root, out, seed=3), out


def test_generated_list_finds_exactly_the_planted_differences(
        generated: tuple[Path, list[dict[str, str]], Path]) -> None:
    root, planted, out = generated
    compound = load_compound(root)
    before = fingerprint(root)
    listing = read_authority_list(out, out.read_bytes())
    assert listing.as_of == date(json.loads((root / "synth.json").read_text("utf-8"))["last_year"], 12, 31)
    assert listing.named and listing.skipped[-1][1] == "合计行"
    spellings = {h.written for h in reconcile(compound, listing).households}
    assert any("栋" in s for s in spellings) and any("号楼" in s for s in spellings)
    assert any(s.startswith("0") for s in spellings) and any("弄" in s for s in spellings)
    result = reconcile(compound, listing)
    assert {(p["unit"], p["cause"]) for p in planted} == {(h.unit, c.kind) for h in result.differing for c in h.causes}
    assert len(result.differing) == len(planted) == 4 and all(len(h.causes) == 1 for h in result.differing)
    assert result.one_side == 0 and len(result.households) == 120
    missed = next(p for p in planted if p["cause"] == "apportionment_missing_list")
    text = next(h for h in result.differing if h.unit == missed["unit"]).causes[0].text
    assert missed["detail"].split("：")[0] in text
    assert fingerprint(root) == before


def test_csv_of_a_generated_list(generated: tuple[Path, list[dict[str, str]], Path], tmp_path: Path) -> None:
    root = generated[0]
    out = tmp_path / "分户账.csv"
    planted = write_authority_list(root, out, seed=3)
    assert out.read_bytes().decode("gbk").count("\r\n") == 120 + 4
    result = reconcile(load_compound(root), read_authority_list(out, out.read_bytes()))
    assert {(p["unit"], p["cause"]) for p in planted} == {(h.unit, c.kind) for h in result.differing for c in h.causes}


def test_a_list_read_and_written_the_same_way_twice(generated: tuple[Path, list[dict[str, str]], Path],
                                                    tmp_path: Path) -> None:
    root, _, out = generated
    again = tmp_path / "again.xlsx"
    write_authority_list(root, again, seed=3)
    assert again.read_bytes() == out.read_bytes()



def test_another_layout_as_excel_saves_it(small: Compound, tmp_path: Path) -> None:
    """房号 and separate 续筹 columns, merged title and date cells, numbers formatted with thousands, a total
    row and a signature line under it: the same households, read by their header names."""
    from decimal import Decimal

    from openpyxl import Workbook

    lines = figures(small, date(2024, 12, 31))
    book = Workbook()
    ws = book.active
    ws.append(["测试小区 维修资金分户明细"])
    ws.merge_cells("A1:H1")
    ws.append(["查询日期：2024年12月31日"])
    ws.merge_cells("A2:D2")
    ws.append(["房号", "业主", "面积(㎡)", "累计交存", "续筹金额", "累计使用", "利息", "账户余额"])
    for unit, (area, deposits, uses, income, balance) in lines.items():
        top_up = Decimal("500.00") if unit == "1-1-102" else Decimal(0)
        ws.append([unit.replace("-", "栋", 1).replace("-", "单元") + "室", "某某", Decimal(area),
                   Decimal(deposits) - top_up, top_up, Decimal("-" + uses) if unit < "2" else Decimal(uses),
                   Decimal(income), Decimal(balance)])
        for cell in ws[ws.max_row][3:]:
            cell.number_format = "#,##0.00"
    ws.append(["合计", None, 500, None, None, None, None, None])
    ws.append(["制表人：李娜", None, None, None, "复核：王芳"])
    path = tmp_path / "分户明细.xlsx"
    book.save(path)
    listing = read_authority_list(path, path.read_bytes())
    assert listing.as_of == date(2024, 12, 31)
    assert listing.columns == ("area", "deposits", "uses", "income", "balance")
    assert listing.skipped == ((9, "合计行"), (10, "说明行（无金额）"))
    result = reconcile(small, listing)
    assert result.clean and len(result.households) == 5


CELLS = ["房号", "房屋坐落", "余额", "交存金额", "利息", "合计", "截至2024年12月31日", "1-1-101", "1栋2单元101室",
         "12.34", "-5", "1,234.5", "abc", "", "（3.00）", "1.234", "制表人：李娜", "2024-13-45", "=1+1"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(CELLS), min_size=1, max_size=6), max_size=8),
       st.sampled_from(["utf-8-sig", "gbk"]))
def test_any_table_reads_or_is_one_sentence(small: Compound, tmp_path: Path, rows: list[list[str]],
                                            encoding: str) -> None:
    """Whatever the cells, the list reads (and compares) or is refused with one sentence naming the file."""
    path = tmp_path / "fuzz.csv"
    path.write_bytes("\r\n".join(",".join(row) for row in rows).encode(encoding))
    try:
        listing = read_authority_list(path, path.read_bytes())
    except InputError as exc:
        assert str(exc).startswith(str(path)) and "\n" not in str(exc)
        return
    result = reconcile(small, listing)
    assert len(result.households) + len(result.only_list) + len(result.ambiguous) == len(listing.rows)


def test_the_list_date_is_the_date_it_is_at_not_when_printed() -> None:
    assert find_date(["打印日期：2025-01-03", "截至2024年12月31日"]) == date(2024, 12, 31)
    assert find_date(["制表日期：2025/1/3", "2024.12.31"]) == date(2024, 12, 31)
    assert find_date(["打印日期：2025-01-03"]) == date(2025, 1, 3)
    assert find_date(["截止 2024 年 6 月 30 日 单位：元"]) == date(2024, 6, 30)
    assert find_date(["2024-02-30", "单位：元"]) is None


OPENED = """\
2024-01-01 * "期初" "维修资金期初余额（自维修资金管理中心清单）"
  Assets:MaintenanceFund:Bank-维修资金专户  47000.00 CNY
  Equity:MaintenanceFund:Opening-期初  -47000.00 CNY
    apportion: "first-deposit"

2024-03-10 * "上海申安电梯工程有限公司" "1号楼电梯维修"
  Expenses:MaintenanceFund:Repair-维修:Elevator-电梯  3000.00 CNY
    apportion: "building:1"
  Assets:MaintenanceFund:Bank-维修资金专户  -3000.00 CNY
"""


def test_books_from_an_opening_balance_compare_balances(make_compound: CompoundFactory, tmp_path: Path) -> None:
    """Books that start from 期初 count deposits, uses and income from then on: only balances and areas compare,
    and a balance difference equal to a share of a spending since is still traced."""
    compound = load_compound(make_compound(OPENED))
    lines = figures(compound, date(2024, 12, 31))
    for line in lines.values():                         # the centre's cumulative columns, since the beginning
        line[1] = ledger_number(int(line[1].replace(".", "")) + 300000)
        line[2] = ledger_number(int(line[2].replace(".", "")) + 300000)
    shift(lines["1-2-101"], 2, -120000)                 # it never charged 1-2-101 its share of the repair
    lines["2-1-101"][0] = "91.00"
    result = run(compound, csv_list(lines), tmp_path)
    assert result.opening == date(2024, 1, 1) and "只核对各户余额和面积" in result.hint()
    assert causes(result) == {"1-2-101": ["apportionment_missing_list"], "2-1-101": ["area"]}
    assert result.differing[0].differences == (None, None, None, 120000)
    assert result.agreeing == 3


def test_a_list_of_balances_only(small: Compound, tmp_path: Path) -> None:
    lines = figures(small, date(2024, 12, 31))
    shift(lines["1-2-101"], 2, -120000)
    shift(lines["2-1-101"], 3, -5)
    text = "截至2024年12月31日\r\n房号,余额\r\n" + "".join(f"{u},{line[4]}\r\n" for u, line in lines.items())
    result = run(small, text, tmp_path)
    assert result.columns == ("balance",)
    assert causes(result) == {"1-2-101": ["apportionment_missing_list"], "2-1-101": ["unexplained"]}
    assert result.differing[1].causes[0].text == "清单比账簿余额少 ¥0.05，账簿中找不到对应的分摊"
