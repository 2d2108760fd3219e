"""A treasurer moves in through the real CLI: ``init``, the balance at the cut-over, ``migrate`` a cash book that
WPS saved as GBK CSV (and again: nothing new), ``check``, ``funds``; a sheet of another fund refused in one line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner
from tests.conftest import SMALL_REGISTER

from commonfund.cli import main
from commonfund.importers.ledger import render
from commonfund.importers.opening import opening_entry

FIXTURES = Path(__file__).resolve().parents[2] / "importers" / "cashbooks" / "fixtures"
CSV = FIXTURES / "ledger-detail" / "common-revenue-2024-gbk.csv"
WORKBOOK = FIXTURES / "ledger-detail" / "common-revenue.xlsx"
CR = "Assets:CommonRevenue:Bank-共有收益户"


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, " ".join(result.output.split())


def test_migrate_through_the_cli(tmp_path: Path) -> None:
    register = tmp_path / "households.csv"
    register.write_text(SMALL_REGISTER, "utf-8")
    root = tmp_path / "c"
    code, output = cli("init", str(root), "--name", "迁入小区", "--households", str(register), "--start", "2024-01-01")
    assert code == 0, output
    with (root / "compound.toml").open("a", encoding="utf-8") as config:
        config.write('\n[migrate.categories]\n"停车费" = "Income:CommonRevenue:Parking-停车"\n'
                     '"广告费" = "Income:CommonRevenue:Advertising-广告"\n')
    code, output = cli("migrate", str(root), str(CSV), "--dry-run")
    assert code == 2 and "the cash book brings forward ¥191,931.18 on 2024-01-01, but the books hold ¥0.00" in output
    entry = opening_entry(CR, "CommonRevenue", Decimal("191931.18"), date(2024, 1, 1), what="旧账上年结转")
    (root / "books" / "cutover.beancount").write_text(render(entry) + "\n", "utf-8")

    code, output = cli("migrate", str(root), str(CSV), "--dry-run")
    assert code == 0 and "dry run: nothing written" in output, output
    assert not (root / "imports" / "CommonRevenue-Bank-共有收益户").exists()
    code, output = cli("migrate", str(root), str(CSV))
    assert code == 0, output
    assert (f"common-revenue-2024-gbk.csv: 收支明细账（日期、类别、经手人） → {CR}: 53 rows, 53 new, 0 already migrated"
            in output)
    assert "skipped: 1 blank, 1 brought forward, 1 text only, 14 subtotal" in output
    assert output.endswith("— wrote 2 file(s)")
    code, again = cli("migrate", str(root), str(CSV))
    assert code == 0 and again.endswith("total: 0 new, 53 already migrated, 0 uncategorised (待分类) — nothing new: "
                                        "books unchanged")
    code, output = cli("check", str(root))
    assert code == 0, output
    code, output = cli("funds", str(root))
    assert code == 0 and "共有收益" in output, output

    code, output = cli("migrate", str(root), str(WORKBOOK), "--fund", "CommonRevenue")
    assert code == 2 and output == (f"error: {WORKBOOK}: sheet '2023年' row 4: this row is dated 2023-01-10, before "
                                    f"{CR} is opened in the books (2024-01-01); create the books with an earlier "
                                    "--start (commonfund init), or leave the earlier rows out of the file")
    code, output = cli("migrate", str(root), str(WORKBOOK), "--fund", "MaintenanceFund")
    assert code == 2
    assert output.startswith(f"error: {WORKBOOK}: sheet '2023年': the sheet (or its title) names CommonRevenue")
