"""Bank batch-payment files of a payout (``payout --bank-layout``): golden files per shipped layout, the tie-out
to the distribution, the cash list, account numbers as text cells, and the refusals.

Golden files are in tests/books/golden/ (xlsx as one line per cell: ``A1<TAB>type<TAB>value``; csv as bytes).
Regenerate them with ``COMMONFUND_UPDATE_GOLDEN=1 pytest tests/books/test_bank_layouts.py`` and read the diff.
"""

from __future__ import annotations

import os
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from tests.conftest import REPO

from commonfund.books.bank_layouts import (
    BankLayout,
    cash_path,
    find_layout,
    load_layouts,
    plan_bank_payout,
    write_bank_payout,
)
from commonfund.books.payout import payout_list
from commonfund.cli import main
from commonfund.compound.model import load_compound
from commonfund.core.errors import InputError

GOLDEN = Path(__file__).parent / "golden"
LONG = "6222021234567890123"  # 19 digits: a number cell would show 6.22202E+18 and lose its last digits
BANK = {  # unit → 收款账号, 收款户名, 开户行, 联行号 (1-1-202 and the developer's 2-1-302 have none: cash)
    "1-1-101": (LONG, "", "工商银行上海徐汇支行", "102290012345"),
    "1-1-102": ("6217 0012 3400 0000 102", "林秀英", "建设银行", ""),
    "1-1-201": ("6228480012345678201", "黄小强", "农业银行", "103290000201"),
    "1-1-301": ("6222021000000000301", "", "工商银行", ""),
    "1-1-302": ("6217001234000000102", "林秀英", "建设银行", ""),
    "2-1-101": ("6222021000000000101", "", "工商银行", ""),
    "2-1-102": ("6222021000000000102", "", "工商银行", ""),
    "2-1-201": ("6222021000000000201", "=HYPERLINK(\"http://x\",\"马超\")", "工商银行", ""),
    "2-1-202": ("6222021000000000202", "", "工商银行", ""),
    "2-1-301": ("6222021000000000301", "", "工商银行", ""),
}


def with_bank_columns(root: Path, bank: dict[str, tuple[str, str, str, str]] = BANK) -> None:
    """Add 收款账号, 收款户名, 开户行, 联行号 to the example's register (CSV, UTF-8)."""
    path = root / "households.csv"
    lines = path.read_text("utf-8").splitlines()
    out = [lines[0] + ",收款账号,收款户名,开户行,联行号"]
    for line in lines[1:]:
        details = bank.get(line.split(",", 1)[0], ("", "", "", ""))
        out.append(line + "," + ",".join(f'"{d}"' if "," in d or '"' in d else d
                                          for d in (x.replace('"', '""') for x in details)))
    path.write_text("\n".join(out) + "\n", "utf-8")


@pytest.fixture
def example(tmp_path: Path) -> Path:
    root = tmp_path / "example"
    shutil.copytree(REPO / "ledgers" / "example", root)
    with_bank_columns(root)
    return root


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def cells(path: Path) -> str:
    """Every cell of every sheet: address, openpyxl data type, value, number format for amounts/text."""
    book = openpyxl.load_workbook(path)
    lines = []
    for sheet in book.worksheets:
        lines.append(f"[{sheet.title}]")
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    lines.append(f"{cell.coordinate}\t{cell.data_type}\t{cell.value!r}\t{cell.number_format}")
    return "\n".join(lines) + "\n"


def golden(name: str, actual: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("COMMONFUND_UPDATE_GOLDEN"):
        path.write_bytes(actual)
    assert actual == path.read_bytes(), f"{name} differs from the golden file"


@pytest.mark.parametrize("name", ["generic", "generic-csv", "icbc-batch"])
def test_golden_file_per_shipped_layout(example: Path, tmp_path: Path, name: str) -> None:
    layout = find_layout(name)
    out = tmp_path / f"bank{layout.suffix}"
    code, stdout, stderr = run("payout", example, "R-2025-04", "--bank-layout", name, "-o", out,
                               "--date", "2025-12-15", "--payer-account", "1001 2345 6789 0000 6688")
    assert code == 0, stderr
    if layout.format == "csv":
        golden(f"bank-{name}.csv", out.read_bytes())
        assert out.read_bytes().decode("gbk").startswith("序号,收款账号,收款户名,金额")
    else:
        golden(f"bank-{name}.txt", cells(out).encode("utf-8"))
    golden(f"cash-{name}.txt", cells(cash_path(out)).encode("utf-8"))
    assert "10 payees" in stdout and "2 households without 收款账号" in stdout
    assert "total ¥600.00 = the distribution" in stdout and "private" in stdout


def test_account_numbers_are_text_cells_and_amounts_numbers(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "bank.xlsx"
    assert run("payout", example, "R-2025-04", "--bank-layout", "generic", "-o", out)[0] == 0
    sheet = openpyxl.load_workbook(out).active
    header = [c.value for c in sheet[1]]
    account, name, amount = (header.index(h) for h in ("收款账号", "收款户名", "金额"))
    first = sheet[2]
    assert first[account].value == LONG and first[account].data_type == "s"  # not 6.22202E+18
    assert first[account].number_format == "@"
    assert first[name].value == "陈建华"  # 收款户名 left empty: the owner's name
    assert isinstance(first[amount].value, (int, float)) and first[amount].data_type == "n"
    spaced = next(r for r in sheet.iter_rows(min_row=2) if r[header.index("房号")].value == "1-1-102")
    assert spaced[account].value == "6217001234000000102"  # spaces removed
    formula = next(r for r in sheet.iter_rows(min_row=2) if r[header.index("房号")].value == "2-1-201")
    assert formula[name].data_type == "s" and formula[name].quotePrefix  # a name is never run as a formula


def test_bank_file_and_cash_list_tie_to_the_distribution(example: Path, tmp_path: Path) -> None:
    compound = load_compound(example)
    payout = payout_list(compound, "R-2025-04")
    plan = plan_bank_payout(payout, find_layout("generic"), purpose="分红", day=date(2025, 12, 15))
    assert plan.total == 60000 and plan.bank_total + plan.cash_total == 60000
    units = [payout.register.households[i].unit for i in plan.cash_rows]
    assert units == ["1-1-202", "2-1-302"]
    bank_file, cash_file = write_bank_payout(plan, tmp_path / "b.xlsx", "现金发放签收表")
    rows = list(openpyxl.load_workbook(bank_file).active.iter_rows(min_row=2, values_only=True))
    cash = list(openpyxl.load_workbook(cash_file).active.iter_rows(min_row=3, values_only=True))  # type: ignore[arg-type]
    bank_sum = sum(Decimal(str(r[3])) for r in rows)
    cash_sum = sum(Decimal(str(r[3])) for r in cash if isinstance(r[0], int))
    assert bank_sum + cash_sum == Decimal("600.00") and len(rows) == 10
    assert cash[0][4] is None and openpyxl.load_workbook(cash_file).active["E2"].value == "签收"  # type: ignore[index]
    assert any(isinstance(r[0], str) and "不得公示" in r[0] for r in cash)


def test_every_household_with_bank_details_leaves_no_cash_list(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "b.xlsx"
    cash_path(out).write_bytes(b"stale")
    bank = dict(BANK, **{"1-1-202": ("6222021000000000202", "", "", ""), "2-1-302": ("6222021000000009999", "", "",
                                                                                      "")})
    with_bank_columns_again(example, bank)
    code, stdout, _ = run("payout", example, "R-2025-04", "--bank-layout", "generic", "-o", out)
    assert code == 0 and "12 payees" in stdout and not cash_path(out).exists()


def with_bank_columns_again(root: Path, bank: dict[str, tuple[str, str, str, str]]) -> None:
    shutil.copy(REPO / "ledgers" / "example" / "households.csv", root / "households.csv")
    with_bank_columns(root, bank)


def test_refusals_are_one_sentence_and_write_nothing(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "b.xlsx"
    code, _, err = run("payout", example, "R-2025-04", "--bank-layout", "nosuch", "-o", out)
    assert code == 2 and "no bank layout named 'nosuch'" in err and "generic" in err
    code, _, err = run("payout", example, "R-2025-04", "--bank-layout", "generic-csv", "-o", out)
    assert code == 2 and "name the file b.csv" in err
    code, _, err = run("payout", example, "R-2025-04", "--bank-layout", "icbc-batch", "-o", out)
    assert code == 2 and "--payer-account" in err
    code, _, err = run("payout", example, "R-2025-04", "--bank-layout", "icbc-batch", "-o", out,
                       "--payer-account", "12AB")
    assert code == 2 and "digits" in err
    code, _, err = run("payout", example, "R-2025-04", "--bank-layout", "icbc-batch", "-o", out,
                       "--payer-account", "1001234567890000001")
    assert code == 2 and "does not end in 6688" in err and "工商银行共有收益账户" in err
    bank = dict(BANK, **{"1-1-301": ("6222021000000000301", "", "", "")})  # icbc-batch requires 收款账号开户行
    with_bank_columns_again(example, bank)
    code, _, err = run("payout", example, "R-2025-04", "--bank-layout", "icbc-batch", "-o", out,
                       "--payer-account", "1001234567890006688")
    assert code == 2 and "households.csv:6" in err and "1-1-301" in err and "收款账号开户行" in err
    assert err.count("\n") == 1 and not out.exists() and not cash_path(out).exists()


def test_a_purpose_longer_than_the_bank_allows_is_refused(example: Path) -> None:
    payout = payout_list(load_compound(example), "R-2025-04")
    raw = find_layout("generic").model_dump()
    raw["columns"] = [dict(c, max_length=4) if c["field"] == "purpose" else c for c in raw["columns"]]
    with pytest.raises(InputError, match="longer than the 4 characters"):
        plan_bank_payout(payout, BankLayout.model_validate(raw), purpose="2025年共有收益业主分红",
                         day=date(2025, 12, 15))


def test_the_default_purpose_is_the_resolution(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "b.csv"
    code, stdout, _ = run("payout", example, "R-2025-04", "--bank-layout", "generic-csv", "-o", out)
    assert code == 0 and "2025年共有收益业主分红（R-2025-04）" in stdout
    assert "2025年共有收益业主分红（R-2025-04）" in out.read_bytes().decode("gbk")


@pytest.mark.parametrize(("cell", "words"), [
    ("6222 0212 3456 x", "must be 6 to 32 digits"),
    ("6.22202E+18", "rounded"),
    ("123", "must be 6 to 32 digits"),
])
def test_register_bank_columns_are_validated_with_the_row(example: Path, cell: str, words: str) -> None:
    bank = dict(BANK, **{"1-1-201": (cell, "", "", "")})
    with_bank_columns_again(example, bank)
    code, _, err = run("check", example)
    assert code == 2 and "households.csv:4" in err and words in err and "1-1-201" in err


def test_register_bank_details_without_an_account_or_a_bad_bank_code(example: Path) -> None:
    with_bank_columns_again(example, dict(BANK, **{"1-1-201": ("", "黄小强", "农业银行", "")}))
    code, _, err = run("check", example)
    assert code == 2 and "households.csv:4" in err and "no 收款账号" in err
    with_bank_columns_again(example, dict(BANK, **{"1-1-201": ("6228480012345678201", "", "", "1032")}))
    code, _, err = run("check", example)
    assert code == 2 and "联行号" in err and "12 digits" in err


def test_layouts_are_data_with_a_source_and_a_compound_may_add_one(example: Path, tmp_path: Path) -> None:
    shipped = load_layouts()
    assert {"generic", "generic-csv", "icbc-batch"} <= set(shipped)
    assert all(layout.source and all(s.startswith("http") for s in layout.source) for layout in shipped.values())
    (example / "payouts").mkdir()
    text = (REPO / "payouts" / "layouts" / "generic.toml").read_text("utf-8")
    (example / "payouts" / "mine.toml").write_text(text.replace('name = "generic"', 'name = "mine"'), "utf-8")
    code, stdout, _ = run("payout", example, "R-2025-04", "--bank-layout", "mine", "-o", tmp_path / "m.xlsx")
    assert code == 0 and "10 payees" in stdout
    (example / "payouts" / "bad.toml").write_text('name = "bad"\ntitle = "x"\nsource = ["http://x"]\n'
                                                  'format = "xlsx"\n[[columns]]\nheader = "金额"\nfield = "amount"\n',
                                                  "utf-8")
    code, _, err = run("payout", example, "R-2025-04", "--bank-layout", "mine", "-o", tmp_path / "m.xlsx")
    assert code == 2 and "bad.toml" in err and "payee_account" in err


def test_an_account_excel_stored_as_a_number_is_refused_not_rounded(tmp_path: Path) -> None:
    """Typed into a General cell, 6222021234567890123 is kept by Excel as 6.22202123456789E+18: the last digits
    are gone, so the register says so at the row instead of paying 6222021234567890000."""
    from commonfund.register.model import load_register

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["房号", "楼栋", "单元", "专有面积", "业主编号", "业主姓名", "首期维修资金", "收款账号"])
    sheet.append(["1-1-101", "1", "1", 90.0, "O1", "陈建华", 9000.0, "6222021234567890123"])
    sheet.append(["1-1-102", "1", "1", 110.0, "O2", "林秀英", 11000.0, 6222021234567890123])
    path = tmp_path / "r.xlsx"
    book.save(path)
    with pytest.raises(InputError, match=r"r\.xlsx:3: .*6\.22202123456789e\+18.*rounded"):
        load_register(path)
    sheet["H3"] = "6222021234567890102"
    book.save(path)
    assert [h.payee_account for h in load_register(path)] == ["6222021234567890123", "6222021234567890102"]


def test_the_help_says_the_file_is_private() -> None:
    code, out, _ = run("payout", "--help")
    assert code == 0 and "PRIVATE" in out and "--bank-layout" in out and "签收" in out
