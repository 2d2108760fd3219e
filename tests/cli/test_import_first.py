"""A treasurer's first import into fresh books, through the real CLI: ``commonfund init``, the committee's card
added to compound.toml, ``commonfund import`` (refused in one sentence, then ``--opening``), ``commonfund check``.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from beancount.core import data
from click.testing import CliRunner
from tests.conftest import SMALL_REGISTER

from commonfund.cli import main
from commonfund.compound.model import load_compound
from commonfund.core.program import command_line
from commonfund.importers.opening import opening_entry

FIXTURES = Path(__file__).resolve().parents[2] / "importers" / "fixtures"
# importers/fixtures/icbc-debit/v2.csv: the oldest line (2024-01-03) is +12,000.00 leaving 17,200.00, so the card
# opened with 5,200.00 (build.py: seq("5200.00", …)).
CARD = FIXTURES / "icbc-debit" / "v2.csv"
ACCOUNT = "Assets:CommonRevenue:Bank-工行卡"


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, " ".join(result.output.split())  # one line, however the terminal wrapped it


def fresh(tmp_path: Path, start: str = "2024-01-01", account: str = ACCOUNT) -> Path:
    register = tmp_path / "households.csv"
    register.write_text(SMALL_REGISTER, "utf-8")
    root = tmp_path / "c"
    code, output = cli("init", str(root), "--name", "首次导入小区", "--households", str(register), "--start", start)
    assert code == 0, output
    with (root / "compound.toml").open("a", encoding="utf-8") as config:
        config.write(f'\n[[bank_accounts]]\naccount = "{account}"\nbank = "ICBC"\nlast_digits = "9876"\n'
                     'fund = "CommonRevenue"\nprofile = "icbc-debit"\nname = "工行借记卡"\n')
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_first_import_into_fresh_books(tmp_path: Path) -> None:
    root = fresh(tmp_path)
    before = snapshot(root)
    code, output = cli("import", str(root), str(CARD))
    assert code == 2
    assert output == (f"error: {CARD}: the statement opens with ¥5,200.00 on 2024-01-03, the books hold ¥0.00 for "
                      f"{ACCOUNT}; run again with --opening to record the opening balance (期初余额), or book the "
                      f"earlier history first — with --opening: {command_line('import', root, CARD, '--opening')}")
    assert snapshot(root) == before  # never silently: without the flag nothing is written

    code, output = cli("import", str(root), str(CARD), "--opening", "--dry-run")
    assert code == 0 and "dry run: nothing written" in output, output
    assert '2024-01-02 * "期初余额（v2.csv 第15行之前的余额）"' in output  # rows 8–15, newest first: 15 is the oldest
    assert "Equity:CommonRevenue:Opening-期初 -5200.00 CNY" in output
    assert snapshot(root) == before

    code, output = cli("import", str(root), str(CARD), "--opening")
    assert code == 0, output
    assert f"opened {ACCOUNT} in accounts.beancount" in output
    folder = root / "imports" / "CommonRevenue-Bank-工行卡"
    assert ("opening balance (期初余额) ¥5,200.00 on 2024-01-02 recorded in "
            "imports/CommonRevenue-Bank-工行卡/opening.beancount") in output
    assert "Balance failed" not in output and "Invalid reference" not in output
    accounts = (root / "accounts.beancount").read_text("utf-8")
    assert f'2024-01-01 open {ACCOUNT} CNY\n  code: "1002"\n  name_zh: "银行存款-工行借记卡"' in accounts
    assert sorted(p.name for p in folder.iterdir()) == ["2024-01.beancount", "opening.beancount"]
    assert 'include "CommonRevenue-Bank-工行卡/opening.beancount"' in (root / "imports" / "index.beancount").read_text()
    code, output = cli("check", str(root))
    assert code == 0, output

    books = load_compound(root)
    openings = [t for t in books.transactions if "opening" in t.meta]
    assert len(openings) == 1
    assert openings[0].meta["filename"].endswith("opening.beancount")
    # the entry written is the library's opening entry (the one `commonfund opening` will write too)
    expected = opening_entry(ACCOUNT, "CommonRevenue", Decimal("5200.00"), openings[0].date,
                             what="v2.csv 第15行之前的余额")
    assert [(p.account, p.units) for p in openings[0].postings] == [(p.account, p.units) for p in expected.postings]
    assert openings[0].narration == expected.narration

    after = snapshot(root)
    code, output = cli("import", str(root), str(CARD), "--opening")
    assert code == 0 and "0 new, 7 duplicates skipped" in output and "books unchanged" in output, output
    assert "opening balance" not in output
    assert snapshot(root) == after  # the opening balance is booked once


def test_opening_account_missing_is_opened_with_its_code(tmp_path: Path) -> None:
    root = fresh(tmp_path)
    accounts = root / "accounts.beancount"
    text = accounts.read_text("utf-8")
    equity = ('2024-01-01 open Equity:CommonRevenue:Opening-期初 CNY\n  code: "3101"\n'
              '  name_zh: "非限定性净资产-共有收益期初"\n')
    assert equity in text
    accounts.write_text(text.replace(equity, ""), "utf-8")
    code, output = cli("import", str(root), str(CARD), "--opening")
    assert code == 0, output
    assert "opened Equity:CommonRevenue:Opening-期初 in accounts.beancount" in output
    assert equity in accounts.read_text("utf-8")
    assert cli("check", str(root))[0] == 0


def test_line_before_the_books_start_is_named(tmp_path: Path) -> None:
    root = fresh(tmp_path, start="2024-01-05")
    before = snapshot(root)
    code, output = cli("import", str(root), str(CARD), "--opening")
    assert code == 2
    # rows 8–15 hold the lines, newest first: row 15 is the oldest, 2024-01-03
    assert output == (f"error: {CARD}:15: this line is dated 2024-01-03, before the books start on 2024-01-05 "
                      "(start in compound.toml, set by init --start); import the statement's lines from "
                      "2024-01-05 on, or, while the books hold nothing yet, create them again with "
                      "init --start 2024-01-01 or earlier")
    assert snapshot(root) == before


def test_account_that_cannot_be_opened_is_named(tmp_path: Path) -> None:
    root = fresh(tmp_path, account="Liabilities:CommonRevenue:Card-信用卡")
    before = snapshot(root)
    code, output = cli("import", str(root), str(CARD), "--opening")
    assert code == 2 and "Invalid reference" not in output
    assert output.startswith("error: compound.toml: bank account Liabilities:CommonRevenue:Card-信用卡 is not opened "
                             "in the books and only a bank or wallet account (Assets) is opened by an import"), output
    assert snapshot(root) == before


def test_later_statement_needs_no_opening(tmp_path: Path) -> None:
    root = fresh(tmp_path)
    assert cli("import", str(root), str(CARD), "--opening")[0] == 0
    # The card's next statement: one line in February from January's closing balance. By hand: 5,200.00 + 12,000.00
    # − 1,234.56 − 5.00 − 800.00 + 2,000.00 + 35.21 − 10.00 = 17,185.65 (the last balance of the golden).
    golden = (FIXTURES / "icbc-debit" / "v2.beancount").read_text("utf-8")
    assert golden.strip().splitlines()[-1].split()[-2] == "17185.65"
    rows = list(csv.reader(io.StringIO(CARD.read_text("utf-8"))))
    header = next(i for i, r in enumerate(rows) if r and r[0] == "交易日期")
    line = list(rows[header + 1])
    line[0], line[1], line[9], line[10], line[12] = "2024-02-01\t", "转账收入\t", "100.00\t", "\t", "17,285.65\t"
    february = tmp_path / "feb.csv"
    with february.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([*rows[: header + 1], line])
    code, output = cli("import", str(root), str(february))
    assert code == 0 and "1 lines, 1 new" in output and "opening balance" not in output, output
    assert cli("check", str(root))[0] == 0
    books = load_compound(root)
    assert len([t for t in books.transactions if "opening" in t.meta]) == 1
    assert not any(isinstance(e, data.Pad) for e in books.entries)


def test_rule_to_an_account_not_opened_is_named_at_the_line(tmp_path: Path) -> None:
    root = fresh(tmp_path)
    with (root / "compound.toml").open("a", encoding="utf-8") as config:
        config.write('\n[[rules]]\ncounterparty = "锦华物业"\naccount = "Income:CommonRevenue:Parking-停车场"\n')
    before = snapshot(root)
    code, output = cli("import", str(root), str(CARD), "--opening")
    assert code == 2 and snapshot(root) == before
    # row 15: 2024-01-03, 上海锦华物业服务有限公司 (the oldest line of the newest-first file)
    assert output == (f"error: {CARD}:15: this line would be booked to Income:CommonRevenue:Parking-停车场, which is "
                      "not opened in the books; open it in accounts.beancount, or correct the [[rules]] of "
                      "compound.toml")


def test_dry_run_says_what_it_would_open_and_record(tmp_path: Path) -> None:
    root = fresh(tmp_path)
    code, output = cli("import", str(root), str(CARD), "--opening", "--dry-run")
    assert code == 0, output
    assert f"would open {ACCOUNT} in accounts.beancount" in output
    assert "opening balance (期初余额) ¥5,200.00 on 2024-01-02 would be recorded in" in output


def test_the_printed_opening_command_runs_as_printed(tmp_path: Path) -> None:
    """The refusal ends with the command to run again with --opening (core.program.command_line); run as
    printed, it records the opening balance and the books check clean."""
    import shlex

    root = fresh(tmp_path)
    code, output = cli("import", str(root), str(CARD))
    assert code == 2
    printed = output.split(" — with --opening: ", 1)[1]
    assert printed == command_line("import", root, CARD, "--opening")
    code, output = cli("import", *shlex.split(printed.split(" import ", 1)[1]))
    assert code == 0, output
    assert "opening balance (期初余额) ¥5,200.00" in output
    assert cli("check", str(root))[0] == 0
