from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from tests.conftest import SMALL_REGISTER

from commonfund.core.errors import InputError
from commonfund.register.model import DEVELOPER, load_register

HEADER = SMALL_REGISTER.splitlines()[0]


def write(tmp_path: Path, text: str, name: str = "r.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_loads_small_register(tmp_path: Path) -> None:
    register = load_register(write(tmp_path, SMALL_REGISTER))
    assert len(register) == 5
    assert register.get("1-2-101").area == Decimal("120.00")  # type: ignore[union-attr]
    assert register.total_area == Decimal("500.00")
    assert list(register.area_centi) == [10000, 8000, 12000, 9000, 11000]
    assert int(register.deposit_fen.sum()) == 5000000
    # 第9条: 张伟 owns two units and counts once; the developer's unit counts as the developer.
    assert register.voters == frozenset({"O1", "O2", "O3", DEVELOPER})
    assert register.get("2-1-102").developer_held  # type: ignore[union-attr]


def test_chinese_headers_gbk(tmp_path: Path) -> None:
    text = "房号,楼栋,单元,楼层,专有面积,业主编号,业主姓名,首期维修资金\n3-2-1502,3,2,15,89.50,O9,赵敏,8950.00\n"
    register = load_register(write(tmp_path, text, encoding="gbk"))
    assert register.get("3-2-1502").owner_name == "赵敏"  # type: ignore[union-attr]


def test_xlsx(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    for line in SMALL_REGISTER.splitlines():
        cells: list[object] = line.split(",")
        if cells[0] != "unit":
            cells[4] = float(str(cells[4]))  # areas typed as numbers, as Excel does
        sheet.append(cells)
    path = tmp_path / "r.xlsx"
    book.save(path)
    register = load_register(path)
    assert register.get("1-1-101").area == Decimal("100.00")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("row", "where", "words"),
    [
        ("1-1-101,1,1,1,90,registered,O9,赵敏,1,是,是,", ":7", "listed twice"),
        ("1-1-201,1,1,2,abc,registered,O9,赵敏,1,是,是,", ":7", "not a number"),
        ("1-1-201,1,1,2,0,registered,O9,赵敏,1,是,是,", ":7", "must be positive"),
        ("1-1-201,1,1,2,-5,registered,O9,赵敏,1,是,是,", ":7", "must be positive"),
        ("1-1-201,1,1,2,10.123,registered,O9,赵敏,1,是,是,", ":7", "two decimals"),
        ("1-1-201,1,1,2,90,registered,,,1,是,是,", ":7", "no owner"),
        ("2-1-201,1,1,2,90,registered,O9,赵敏,1,是,是,", ":7", "does not match its building"),
        ("1-1-201,1,1,2,90,guessed,O9,赵敏,1,是,是,", ":7", "area source"),
        ("1-1-201,1,1,x,90,registered,O9,赵敏,1,是,是,", ":7", "floor"),
        ("1-1-201,1,1,2,90,registered,O9,赵敏,1,maybe,是,", ":7", "sold flag"),
    ],
)
def test_bad_rows_name_file_and_row(tmp_path: Path, row: str, where: str, words: str) -> None:
    path = write(tmp_path, SMALL_REGISTER + row + "\n")
    with pytest.raises(InputError) as info:
        load_register(path)
    assert info.value.where == f"{path}{where}"
    assert words in info.value.message


def test_missing_columns(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="lacks column"):
        load_register(write(tmp_path, "unit,building\n1-1-101,1\n"))


def test_empty_and_missing(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty"):
        load_register(write(tmp_path, ""))
    with pytest.raises(InputError, match="not found"):
        load_register(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="no units"):
        load_register(write(tmp_path, HEADER + "\n", name="h.csv"))


def test_truncated_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(InputError, match="not a readable Excel"):
        load_register(path)


def test_ten_thousand_rows(tmp_path: Path) -> None:
    rows = [HEADER] + [
        f"{b}-1-{i:04d},{b},1,1,{80 + i % 50}.25,registered,O{b}{i},业主{i},5000.00,是,是,"
        for b in range(1, 11) for i in range(1000)
    ]
    register = load_register(write(tmp_path, "\n".join(rows) + "\n"))
    assert len(register) == 10_000
    assert len(register.voters) == 10_000
