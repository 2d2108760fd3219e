"""Exports are safe to open (issue 9 §6): text from users' files written to xlsx/csv never runs as a formula.

A copy of the example compound gets owner names, a compound name and narrations that are formula
injections; every spreadsheet commonfund writes from it (payout list xlsx/csv, auditor workbook, the
non-profit statements workbook, the district roll-up) is then opened as a zip and checked: no worksheet
has a formula element, and in CSV every formula-like text carries Excel's text apostrophe.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hardening_kit import tally
from tests.conftest import REPO

from commonfund.cli import main
from commonfund.io.cellsafe import csv_cell, defuse_workbook, formula_like

INJECTIONS = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A9)", "=1+1"]


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example compound with formula injections in the register, the config and the books."""
    folder = tmp_path_factory.mktemp("exports")
    root = folder / "district" / "example"
    shutil.copytree(REPO / "ledgers" / "example", root)
    register = root / "households.csv"
    rows = list(csv.reader(io.StringIO(register.read_text("utf-8"))))
    name = rows[0].index("owner_name")
    for n, row in enumerate(rows[1:]):
        if row[name]:
            row[name] = INJECTIONS[n % len(INJECTIONS)]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    register.write_text(out.getvalue(), "utf-8")
    config = root / "compound.toml"
    config.write_text(re.sub(r'^name = ".*"$', 'name = "=HYPERLINK(\\"http://x\\",\\"梧桐\\")"',
                             config.read_text("utf-8"), count=1, flags=re.M), "utf-8")
    books = root / "books" / "2025.beancount"
    books.write_text(books.read_text("utf-8").replace('"2025年度工作经费拨付"', '"=1+1 @SUM(A1) 工作经费"', 1)
                     .replace('"上海梧桐物业管理有限公司"', '"+86 上海梧桐物业"', 1), "utf-8")
    check = CliRunner().invoke(main, ["check", str(root)])
    assert check.exit_code == 0, check.output
    return root


def outputs(root: Path, folder: Path) -> list[Path]:
    """Every spreadsheet commonfund writes for the compound, through the CLI."""
    runs = [
        ["payout", str(root), "R-2025-04", "-o", str(folder / "payout.xlsx")],
        ["payout", str(root), "R-2025-04", "-o", str(folder / "payout.csv")],
        ["export", str(root), "--year", "2025", "-o", str(folder / "auditor.xlsx")],
        ["statements", str(root), "--year", "2025", "--format", "xlsx", "-o", str(folder / "statements.xlsx")],
        ["district", str(root.parent), "--workers", "1", "-o", str(folder / "district.xlsx")],
    ]
    made = []
    for args in runs:
        result = CliRunner().invoke(main, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
        target = Path(args[args.index("-o") + 1])
        assert target.is_file(), (args, result.output)
        made.append(target)
    return made


def formula_cells(path: Path) -> list[str]:
    """Formula elements in any worksheet of an xlsx file (what Excel or WPS would execute)."""
    found = []
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                found += [f"{name}: {m.group()[:80]}" for m in re.finditer(rb"<f[ >].*?</f>", book.read(name))]
    return found


def test_no_export_contains_a_formula(poisoned: Path, tmp_path: Path) -> None:
    made = outputs(poisoned, tmp_path)
    texts_seen = 0
    for path in made:
        if path.suffix == ".xlsx":
            assert formula_cells(path) == [], path
            book = openpyxl.load_workbook(path)
            for sheet in book.worksheets:
                for row in sheet.iter_rows():
                    for cell in row:
                        assert cell.data_type != "f", (path.name, sheet.title, cell.coordinate, cell.value)
                        if isinstance(cell.value, str) and formula_like(cell.value):
                            texts_seen += 1
                            assert cell.quotePrefix, (path.name, sheet.title, cell.coordinate, cell.value)
        else:
            for row in csv.reader(io.StringIO(path.read_text("utf-8-sig"))):
                for value in row:
                    assert not formula_like(value), (path.name, value)
                    texts_seen += value.startswith("'=") or value.startswith("'@") or value.startswith("'+")
        tally("exports: files checked", f"{path.suffix[1:]}: 0 formulas")
    assert texts_seen >= 10, "the injected texts did not reach the exports"
    tally("exports: injected texts kept as text", f"{texts_seen} cells")


def test_cellsafe_helpers() -> None:
    assert csv_cell("=1+1") == "'=1+1" and csv_cell("@x") == "'@x" and csv_cell("\tx") == "'\tx"
    assert csv_cell("-12.50") == "-12.50" and csv_cell("+3") == "+3" and csv_cell("张伟") == "张伟" and csv_cell(5) == 5
    book = openpyxl.Workbook()
    book.active.append(["=1+1", "+1+1", "text", 3])
    assert defuse_workbook(book) == 1
    buffer = io.BytesIO()
    book.save(buffer)
    assert b"<f>" not in zipfile.ZipFile(buffer).read("xl/worksheets/sheet1.xml")
