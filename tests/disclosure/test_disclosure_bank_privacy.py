"""The register's bank details (收款账号, 收款户名) reach no public output: the disclosures' PDFs and figures —
even when a narration of the books quotes them — and the auditor workbook takes none from the register (its
journal shows the books' narrations as written: it is the auditor's, not public)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from tests.books.test_bank_layouts import BANK, LONG, with_bank_columns
from tests.conftest import REPO

from commonfund.cli import main
from commonfund.compound.model import load_compound
from commonfund.disclosure.privacy import Scrubber

PAYEE = "陈小华"  # 1-1-101's 收款户名, not the owner's name
SPACED = "6222 0212 3456 7890 123"


def test_an_account_number_in_the_register_appears_in_no_public_output(tmp_path: Path) -> None:
    root = tmp_path / "example"
    shutil.copytree(REPO / "ledgers" / "example", root)
    with_bank_columns(root, dict(BANK, **{"1-1-101": (LONG, PAYEE, "工商银行", "")}))
    secrets = (LONG, SPACED, PAYEE, *(a for a, *_ in BANK.values()))

    # The auditor's workbook (not public, but no place for the register's bank details either): none of them.
    workbook = tmp_path / "audit.xlsx"
    result = CliRunner().invoke(main, ["export", str(root), "--year", "2025", "-o", str(workbook)])
    assert result.exit_code == 0, result.stderr
    book = openpyxl.load_workbook(workbook, read_only=True)
    cells = "\n".join(str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                      for v in row if v is not None)
    assert "1-1-101" in cells  # the household sub-ledgers are there, by unit
    for secret in secrets:
        assert secret.replace(" ", "") not in cells.replace(" ", "")

    # The disclosures (public): not even when a narration of the books quotes the account and the payee.
    books = root / "books" / "2025.beancount"
    text = books.read_text("utf-8")
    quoted = f'"2025年共有收益业主分红 首笔付{PAYEE} {SPACED} 与 {LONG}"'
    assert '"2025年共有收益业主分红"' in text
    books.write_text(text.replace('"2025年共有收益业主分红"', quoted, 1), "utf-8")
    assert load_compound(root).errors == []
    outputs = []
    for kind, period in (("common-revenue", "2025Q4"), ("maintenance-fund", "2025")):
        pdf, figures = tmp_path / f"{kind}.pdf", tmp_path / f"{kind}.json"
        result = CliRunner().invoke(main, ["disclose", str(root), "--kind", kind, "--period", period, "-o", str(pdf),
                                           "--made", "2026-01-05", "--json", str(figures)])
        assert result.exit_code == 0, result.stderr
        pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
        outputs += [pages.stdout, figures.read_text("utf-8")]
    public = "\n".join(outputs)
    for secret in secrets:
        assert secret not in public and secret.replace(" ", "") not in public.replace(" ", "")
    assert "首笔付陈**" in outputs[1]  # the narration is shown, masked: this test can see a leak
    assert "*" * len(LONG) in outputs[1] and "*" * len(SPACED) in outputs[1]


def test_scrubber_stars_register_accounts_spaced_or_not() -> None:
    scrub = Scrubber.of(["陈小华"], [LONG])
    assert scrub(f"付{LONG}、{SPACED}，户名陈小华") == f"付{'*' * 19}、{'*' * 23}，户名陈**"
    assert scrub(f"1{LONG}") == f"1{LONG}"  # only the whole number: not a part of a longer one
