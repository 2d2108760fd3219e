"""The auditor's workbook read back: it ties to bean-query to the fen, and carries the fingerprint."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import beanquery
import openpyxl
import pytest
from click.testing import CliRunner
from tests.audit.test_audit_checks import FUND_COMMITTEE, payment

from commonfund.cli import main
from commonfund.compound.model import load_compound
from commonfund.export import SHEETS, export_workbook
from commonfund.export.statements import statements
from commonfund.synth.generator import synth_compound

YEAR = 2025


def yuan(value: object) -> Decimal:
    return Decimal(0) if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def query(root: Path, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    return list(beanquery.connect("beancount:" + str(root / "main.beancount")).execute(sql).fetchall())


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, openpyxl.Workbook]:
    base = tmp_path_factory.mktemp("export")
    root = synth_compound(base / "books", 150, 2, seed=11, plant=True)
    out = export_workbook(load_compound(root), YEAR, base / "package.xlsx",
                          now=dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC))
    return root, openpyxl.load_workbook(out)


def test_sheets_are_named_in_chinese_and_ready_to_read(package: tuple[Path, openpyxl.Workbook]) -> None:
    _, workbook = package
    assert workbook.sheetnames == list(SHEETS)
    journal = workbook["序时账"]
    assert journal.freeze_panes == "A2" and journal["A1"].font.bold
    assert journal.column_dimensions["E"].width >= 30
    money = next(c for c in journal["H"][1:] if c.value is not None)
    assert money.number_format == "#,##0.00"


def test_trial_balance_ties_to_bean_query(package: tuple[Path, openpyxl.Workbook]) -> None:
    root, workbook = package
    rows = list(workbook["科目余额表"].iter_rows(min_row=2, values_only=True))
    sheet = {r[1]: [yuan(v) for v in r[4:8]] for r in rows if r[1] and r[1].count(":")}
    period = dict(query(root, f"SELECT account, sum(number) WHERE year = {YEAR} GROUP BY account"))
    debit = dict(query(root, f"SELECT account, sum(number) WHERE year = {YEAR} AND number > 0 GROUP BY account"))
    before = dict(query(root, f"SELECT account, sum(number) WHERE date < {YEAR}-01-01 GROUP BY account"))
    closing = dict(query(root, f"SELECT account, sum(number) WHERE date <= {YEAR}-12-31 GROUP BY account"))
    assert set(period) <= set(sheet)
    for account, (opening, dr, cr, close) in sheet.items():
        assert opening == before.get(account, 0), account
        assert dr == debit.get(account, 0), account
        assert dr - cr == period.get(account, 0), account
        assert close == closing.get(account, 0), account
    total = rows[-1]
    assert yuan(total[4]) == 0 and yuan(total[7]) == 0 and yuan(total[5]) == yuan(total[6])


def test_journal_ties_to_the_ledger(package: tuple[Path, openpyxl.Workbook]) -> None:
    root, workbook = package
    rows = list(workbook["序时账"].iter_rows(min_row=2, values_only=True))
    [(count,)] = query(root, f"SELECT count(*) WHERE year = {YEAR}")
    [(debits,)] = query(root, f"SELECT sum(number) WHERE year = {YEAR} AND number > 0")
    [(credits,)] = query(root, f"SELECT sum(number) WHERE year = {YEAR} AND number < 0")
    assert len(rows) == count
    assert sum(yuan(r[7]) for r in rows) == debits
    assert -sum(yuan(r[8]) for r in rows) == credits
    assert all(r[2].startswith("books/") and r[2].split(":")[1].isdigit() for r in rows)
    assert any(r[9] and "documents/" in r[9] for r in rows)


def test_cover_fingerprint_equals_the_cli(package: tuple[Path, openpyxl.Workbook]) -> None:
    root, workbook = package
    cover = {r[0]: r[1] for r in workbook["封面"].iter_rows(values_only=True)}
    result = CliRunner().invoke(main, ["fingerprint", str(root)])
    assert result.exit_code == 0
    assert cover["账簿指纹 Ledger fingerprint (SHA-256)"] == result.output.strip().split()[-1]
    assert cover["生成时间 Generated"] == "2026-01-05 09:00:00 +0000"


def test_subledgers_resolutions_findings_documents(package: tuple[Path, openpyxl.Workbook]) -> None:
    root, workbook = package
    households = list(workbook["分户账"].iter_rows(min_row=2, values_only=True))
    assert households[-1][7] == "一致" and yuan(households[-2][6]) == yuan(households[-1][6])
    assert len(households) == 150 + 2
    verdicts = {r[0]: r[13] for r in workbook["决议"].iter_rows(min_row=2, values_only=True)}
    assert verdicts[f"R-{YEAR}-90"] == "未通过" and verdicts[f"R-{YEAR}-B"] == "通过"
    planted = json.loads((root / "synth.json").read_text("utf-8"))["planted"]
    checks = {r[3] for r in workbook["审计发现"].iter_rows(min_row=2, values_only=True)}
    assert checks == {p["check"] for p in planted}
    documents = list(workbook["凭证索引"].iter_rows(min_row=2, values_only=True))
    assert any(r[9] == "否" for r in documents) and any(r[9] == "是" for r in documents)
    contracts = list(workbook["合同"].iter_rows(min_row=2, values_only=True))
    assert len(contracts) == 3


def test_statements_tie(package: tuple[Path, openpyxl.Workbook]) -> None:
    root, workbook = package
    balance, activities, cash = statements(load_compound(root), YEAR)
    assert balance.value("资产总计") == balance.value("负债和净资产总计")
    change = balance.value("净资产合计") - balance.value("净资产合计", 0)
    assert activities.value("四、净资产变动额") == change
    restricted = balance.value("限定性净资产") - balance.value("限定性净资产", 0)
    assert activities.value("四、净资产变动额", 1) == restricted  # the maintenance fund
    assert cash.value("六、期末现金及现金等价物余额") == balance.value("货币资金")
    rows = {r[0].strip(): r[1:] for r in workbook["业务活动表"].iter_rows(min_row=4, values_only=True) if r[0]}
    assert [yuan(v) for v in rows["四、净资产变动额"]] == [yuan(Decimal(v) / 100) for v in
                                                         (activities.value("四、净资产变动额", i) for i in range(3))]


def test_text_that_looks_like_a_formula_stays_text(load: object, tmp_path: Path) -> None:
    books = FUND_COMMITTEE + payment("2025-03-04", "=HYPERLINK(\\\"http://x\\\",\\\"y\\\")", "10.00") \
        + payment("2025-03-05", "@SUM(A1)", "11.00") + payment("2025-03-06", "+1", "12.00")
    compound = load(books)  # type: ignore[operator]
    out = export_workbook(compound, YEAR, tmp_path / "w.xlsx")
    payees = [c for c in openpyxl.load_workbook(out)["序时账"]["D"][1:] if c.value]
    assert {c.value for c in payees} == {'=HYPERLINK("http://x","y")', "@SUM(A1)", "+1"}
    assert all(c.data_type == "s" and c.quotePrefix for c in payees)


def test_a_failed_write_leaves_the_previous_file(load: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    compound = load(FUND_COMMITTEE + payment("2025-03-04", "得力", "10.00"))  # type: ignore[operator]
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "w.xlsx"
    out.write_bytes(b"previous")

    def broken(source: object, target: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("commonfund.io.atomic.os.replace", broken)
    with pytest.raises(OSError):
        export_workbook(compound, YEAR, out)
    assert out.read_bytes() == b"previous"
    assert [p.name for p in folder.iterdir()] == ["w.xlsx"]  # no temp file left behind


def test_cli_export_writes_into_the_outputs_folder_by_default(package: tuple[Path, openpyxl.Workbook],
                                                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without -o the workbook goes into <compound>-out/ beside the compound, like the disclosures."""
    root, _ = package
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["export", str(root), "--year", str(YEAR)])
    assert result.exit_code == 0, result.output
    slug = load_compound(root).config.slug
    written = root.parent / f"{root.name}-out" / f"{slug}-{YEAR}-审计资料.xlsx"
    assert openpyxl.load_workbook(written, read_only=True).sheetnames == list(SHEETS)
    assert not list(tmp_path.glob("*.xlsx"))
    assert f"审计资料包 written: {written}" in result.output
    result = CliRunner().invoke(main, ["audit", str(root), "--format", "xlsx", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    assert (written.parent / f"{slug}-audit.xlsx").is_file() and not list(tmp_path.glob("*.xlsx"))


def test_cli_export_statements_and_audit_xlsx(package: tuple[Path, openpyxl.Workbook], tmp_path: Path) -> None:
    root, _ = package
    runner = CliRunner()
    result = runner.invoke(main, ["export", str(root), "--year", str(YEAR), "-o", str(tmp_path / "p.xlsx")])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(tmp_path / "p.xlsx", read_only=True).sheetnames == list(SHEETS)
    result = runner.invoke(main, ["export", str(root), "--year", "1999", "-o", str(tmp_path / "q.xlsx")])
    assert result.exit_code == 2 and "no transactions in 1999" in result.output
    assert not (tmp_path / "q.xlsx").exists()
    result = runner.invoke(main, ["statements", str(root), "--year", str(YEAR), "--format", "json"])
    assert result.exit_code == 0
    titles = [s["title"] for s in json.loads(result.output)]
    assert titles == ["资产负债表", "业务活动表", "现金流量表"]
    result = runner.invoke(main, ["statements", str(root), "--year", str(YEAR)])
    assert "限定性净资产" in result.output and "现金流量表" in result.output
    result = runner.invoke(main, ["audit", str(root), "--format", "xlsx", "-o", str(tmp_path / "a.xlsx"),
                                  "--from", f"{YEAR}-01-01", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    findings = list(openpyxl.load_workbook(tmp_path / "a.xlsx")["审计发现"].iter_rows(min_row=2, values_only=True))
    planted = json.loads((root / "synth.json").read_text("utf-8"))["planted"]
    assert len(findings) == len(planted)
