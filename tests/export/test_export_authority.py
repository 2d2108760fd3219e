"""The auditor workbook's sheet 分户账核对: only with a list on file, figures as numbers, causes, no names."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
from tests.authority_lists import BOOKS, csv_list, figures, shift
from tests.conftest import CompoundFactory

from commonfund.compound.authority import store_list
from commonfund.compound.model import load_compound
from commonfund.export import SHEETS, export_workbook


def test_sheet_only_with_a_list_on_file(make_compound: CompoundFactory, tmp_path: Path) -> None:
    root = make_compound(BOOKS)
    compound = load_compound(root)
    export_workbook(compound, 2024, tmp_path / "without.xlsx")
    assert openpyxl.load_workbook(tmp_path / "without.xlsx", read_only=True).sheetnames == list(SHEETS)

    lines = figures(compound, date(2024, 12, 31))
    shift(lines["1-2-101"], 2, -120000)
    lines["2-1-101"][0] = "91.50"
    store_list(root, csv_list(lines).encode("gbk"), "清单.csv", date(2024, 12, 31))
    export_workbook(load_compound(root), 2024, tmp_path / "with.xlsx")
    book = openpyxl.load_workbook(tmp_path / "with.xlsx")
    names = book.sheetnames
    assert names[names.index("分户账") + 1] == "分户账核对" and len(names) == len(SHEETS) + 1
    rows = list(book["分户账核对"].iter_rows(values_only=True))
    assert rows[0][:5] == ("房号 Unit", "清单行 Row", "清单写法 As written", "名册面积㎡", "清单面积㎡")
    assert rows[0][5:8] == ("账簿交存", "清单交存", "交存差额") and rows[0][-3:] == (
        "结果 Result", "可能原因 Likely cause", "相关分录 Entries")
    by_unit = {row[0]: row for row in rows[1:6]}
    assert list(by_unit) == ["1-1-101", "1-1-102", "1-2-101", "2-1-101", "2-1-102"]
    missed = by_unit["1-2-101"]
    assert (missed[1], missed[2]) == (6, "1号楼2单元101")
    assert [Decimal(str(v)) for v in missed[8:11]] == [Decimal("3000.00") * 120 / 300, Decimal("0"),
                                                        Decimal("-1200.00")]
    assert missed[17] == "不符" and missed[18].startswith("清单漏记一笔分摊：") and "1号楼电梯维修" in missed[18]
    assert missed[19].endswith("books.beancount:6")
    area = by_unit["2-1-101"]
    assert (Decimal(str(area[3])), Decimal(str(area[4])), area[17]) == (Decimal("90"), Decimal("91.5"), "不符")
    assert area[18].startswith("建筑面积与名册不同")
    assert by_unit["1-1-101"][17] == "一致" and not by_unit["1-1-101"][18]
    assert isinstance(by_unit["1-1-101"][14], (int, float))  # amounts are numbers
    assert rows[-1][0] == "清单 清单.csv，截至 2024-12-31"
    assert rows[-1][2] == "核对 5 户：3 户分毫不差，2 户不符；仅账簿有 0 户，仅清单有 0 行"
    assert not any("张三" in str(cell) for row in rows for cell in row)
