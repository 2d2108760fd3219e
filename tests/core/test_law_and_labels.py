"""Citations follow the compound's region; codes have Chinese labels; one table reader; one money formatter."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from tests.conftest import SMALL_CONFIG

from commonfund.audit.findings import run_audit
from commonfund.compound.model import Compound
from commonfund.core.labels import custom_text, scope_zh
from commonfund.core.law import cite
from commonfund.core.money import cny, from_fen, ledger_number
from commonfund.importers.read import read_grids
from commonfund.io.tables import read_rows

RELATED = """
2024-03-01 * "李娜" "办公用品"
  Expenses:Committee:Office-办公费  300.00 CNY
  Assets:Committee:Bank-工作经费户  -300.00 CNY
"""


@pytest.mark.parametrize(("region", "article", "not_cited"), [
    ("beijing", "北京市物业管理条例 第47条", "上海市"),
    ("shanghai", "上海市住宅物业管理规定 第20条", "北京市"),
    ("generic", "良好做法", "条例"),
])
def test_related_party_article_follows_the_region(load: Callable[..., Compound], region: str, article: str,
                                                  not_cited: str) -> None:
    config = SMALL_CONFIG + f'\n[policy]\nregion = "{region}"\n'
    compound = load(RELATED, config=config)
    found = [f for f in run_audit(compound) if f.check == "related_party_payments"]
    assert found, "a payment to a committee member is a related-party finding"
    assert article in found[0].article
    assert not_cited not in found[0].article
    assert "DOMAIN" not in found[0].article


def test_cite_falls_back_to_the_national_rule() -> None:
    assert cite("related_party", "taizhou").startswith("台州市物业管理条例")
    assert "北京" not in cite("related_party", "ningbo")
    assert cite("budget", "beijing") == cite("budget", "generic")


def test_codes_have_chinese_labels() -> None:
    assert [scope_zh(s) for s in ("all", "building:3", "entrance:3-2", "by-balance", "first-deposit")] == [
        "全体业主", "3号楼", "3号楼2单元", "全体业主（按分户账余额）", "全体业主（按首期交存额）"]
    assert custom_text("disclosure", ["emergency", "^em-2025-07"]) == "公示记录 应急使用维修资金事后公示 em-2025-07"
    assert custom_text("contract", ["C-1", "某公司", "monthly"]) == "合同 C-1 某公司 按月"
    assert custom_text("contract", ["C-2", "某广告公司", "Income:CommonRevenue:Advertising-广告", "12600.00 CNY"]) == (
        "合同 C-2 某广告公司 电梯及公告栏广告 12600.00 元")
    assert custom_text("objection-reply", ["O-1"]) == "异议答复 O-1"
    assert label_of_uncategorised() == ("待分类收入（待核实）", "待分类支出（待核实）")


def label_of_uncategorised() -> tuple[str, str]:
    from commonfund.core.labels import account_label

    return (account_label("Income:CommonRevenue:Uncategorized-待分类"),
            account_label("Expenses:MaintenanceFund:Uncategorized-待分类"))


def test_one_money_formatter() -> None:
    assert cny(-123456) == "-¥1,234.56"
    assert ledger_number(-5) == "-0.05" and ledger_number(123456789) == "1234567.89"
    assert from_fen(1) == Decimal("0.01")


def test_one_table_reader_utf16_and_booleans(tmp_path: Path) -> None:
    text = "unit,sold\r\n1-1-101,是\r\n"
    for encoding in ("utf-16", "utf-8-sig", "gb18030"):
        path = tmp_path / f"t-{encoding}.csv"
        path.write_bytes(text.encode(encoding))
        assert list(read_rows(path)) == [(1, ["unit", "sold"]), (2, ["1-1-101", "是"])]
        assert read_grids(path)[0].rows[:2] == [["unit", "sold"], ["1-1-101", "是"]]
    book = Workbook()
    sheet = book.active
    sheet.append(["unit", "sold", "area"])
    sheet.append(["1-1-101", True, 88.65])
    sheet.append(["1-1-102", False, 100.0])
    path = tmp_path / "t.xlsx"
    book.save(path)
    rows = [cells for _, cells in read_rows(path)]
    assert rows == read_grids(path)[0].rows == [["unit", "sold", "area"], ["1-1-101", "1", "88.65"],
                                                 ["1-1-102", "0", "100"]]
