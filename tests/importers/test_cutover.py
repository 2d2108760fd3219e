"""``commonfund opening``: the balances of every account at a cut-over date, one entry per fund — golden
entries, init's first deposits never counted twice, trial balances per fund, refusals, idempotence, the CLI."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from tests.conftest import REPO

from commonfund.cli import main
from commonfund.compound.model import load_compound
from commonfund.core.errors import InputError
from commonfund.importers.cutover import book_opening
from commonfund.importers.opening import opening_entry

REGISTER = REPO / "ledgers" / "example" / "households.csv"  # first deposits: 121,725.00
D = date(2025, 6, 30)

BANK_LIST = (  # a list of bank balances as a bank's export would give it, saved by Excel as CSV (GBK, CRLF)
    "梧桐小苑业主委员会 银行账户余额 2025-06-30\r\n"
    "户名,账号,余额\r\n"
    "维修资金专户,6217 0000 1234 0088,\"130,000.00\"\r\n"
    "共有收益账户,9558 8000 0000 6688,8000.50\r\n"
    "工作经费账户,6228 4800 0000 1188,0.00\r\n"
    "合计,,\"138,000.50\"\r\n"
)

GOLDEN = Path(__file__).parent / "golden" / "cutover-2025-06-30.beancount"  # {digest}: the file's SHA-256


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def compound(tmp_path: Path) -> Path:
    root = tmp_path / "wutong"
    code, _, err = run("init", root, "--name", "梧桐小苑", "--households", REGISTER, "--start", D.isoformat())
    assert code == 0, err
    config = root / "compound.toml"
    text = config.read_text("utf-8")
    for last, fund in (("0088", "MaintenanceFund"), ("6688", "CommonRevenue"), ("1188", "Committee")):
        text = text.replace(f'last_digits = ""\nfund = "{fund}"', f'last_digits = "{last}"\nfund = "{fund}"')
    config.write_text(text, "utf-8")
    return root


def bank_list(tmp_path: Path, text: str = BANK_LIST, name: str = "balances.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("gbk"))
    return path


def balance(root: Path, account: str) -> str:
    compound = load_compound(root)
    total = sum(p.units.number for t in compound.transactions for p in t.postings if p.account == account)
    return f"{total:.2f}"


def test_golden_entries_from_a_list_of_bank_balances(compound: Path, tmp_path: Path) -> None:
    import hashlib

    file = bank_list(tmp_path)
    code, out, err = run("opening", compound, file, "--date", "2025-06-30")
    assert code == 0, err
    written = compound / "imports" / "opening" / "cutover-2025-06-30.beancount"
    digest = hashlib.sha256(file.read_bytes()).hexdigest()
    assert written.read_text("utf-8") == GOLDEN.read_text("utf-8").format(digest=digest)
    assert 'include "opening/cutover-2025-06-30.beancount"' in (compound / "imports" / "index.beancount").read_text()
    assert "1 row(s) with a zero balance skipped" in out and "121,725.00 of first deposits" in out
    assert "住宅专项维修资金: assets ¥130,000.00" in out and "共有收益: assets ¥8,000.50" in out
    assert run("check", compound)[0] == 0
    # init's first deposits are part of the cut-over balance: the account holds exactly the file's balance
    assert balance(compound, "Assets:MaintenanceFund:Bank-维修资金专户") == "130000.00"
    assert balance(compound, "Assets:CommonRevenue:Bank-共有收益户") == "8000.50"


def test_the_same_kind_of_entry_as_import_opening(compound: Path, tmp_path: Path) -> None:
    report = book_opening(compound, bank_list(tmp_path), D, dry_run=True)
    common = report.entries[1]
    single = opening_entry("Assets:CommonRevenue:Bank-共有收益户", "CommonRevenue", common.postings[0].units.number, D)
    assert [(p.account, p.units) for p in common.postings] == [(p.account, p.units) for p in single.postings]
    assert common.meta["opening"] == single.meta["opening"] == "TRUE"
    assert not (compound / "imports" / "opening").exists()  # a dry run writes nothing


def test_rerunning_adds_nothing_and_another_opening_is_refused(compound: Path, tmp_path: Path) -> None:
    file = bank_list(tmp_path)
    assert run("opening", compound, file, "--date", "2025-06-30")[0] == 0
    before = {p: p.read_bytes() for p in compound.rglob("*.beancount")}
    code, out, _ = run("opening", compound, file, "--date", "2025-06-30")
    assert code == 0 and "nothing to add" in out
    assert {p: p.read_bytes() for p in compound.rglob("*.beancount")} == before
    other = bank_list(tmp_path, BANK_LIST.replace("8000.50", "8000.60"), "other.csv")
    code, _, err = run("opening", compound, other, "--date", "2025-06-30")
    assert code == 2 and "already hold the opening balances at 2025-06-30 from balances.csv" in err
    assert err.count("\n") == 1
    code, _, err = run("opening", compound, file, "--date", "2025-07-31")
    assert code == 2 and "one cut-over" in err
    assert {p: p.read_bytes() for p in compound.rglob("*.beancount")} == before


def test_a_trial_balance_in_xlsx_must_balance_per_fund(compound: Path, tmp_path: Path) -> None:
    def trial(rows: list[list[object]]) -> Path:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["科目余额表"])
        sheet.append(["科目名称", "期末借方", "期末贷方"])
        for row in rows:
            sheet.append(row)
        path = tmp_path / "trial.xlsx"
        book.save(path)
        return path

    rows: list[list[object]] = [
        ["银行存款-维修资金专户", 130000, None],
        ["应付账款-维修工程", None, 2000],
        ["限定性净资产-维修资金期初", None, 128000],
        ["Assets:CommonRevenue:Bank-共有收益户", 5000.5, None],
    ]
    code, _, err = run("opening", compound, trial([*rows[:2], ["限定性净资产-维修资金期初", None, 127000], rows[3]]),
                       "--date", "2025-06-30")
    assert code == 2 and "住宅专项维修资金 does not balance" in err and "difference ¥1,000.00" in err
    assert not (compound / "imports" / "opening").exists()
    code, _, err = run("opening", compound, trial(rows), "--date", "2025-06-30")
    assert code == 0, err
    assert balance(compound, "Assets:MaintenanceFund:Bank-维修资金专户") == "130000.00"
    assert balance(compound, "Liabilities:MaintenanceFund:Payable-应付工程款") == "-2000.00"
    # net assets: init's first deposits (income) plus the opening equity make the trial balance's 128,000
    held = float(balance(compound, "Equity:MaintenanceFund:Opening-期初")) - 121725
    assert held == -128000
    assert "Assets:CommonRevenue:Bank-共有收益户   5000.50 CNY" in next(
        (compound / "imports" / "opening").glob("*.beancount")).read_text("utf-8")
    assert run("check", compound)[0] == 0


@pytest.mark.parametrize(("text", "row", "words"), [
    ("账户,余额\r\n维修资金专户,1.00\r\n未知账户,2.00\r\n", ":3", "'未知账户' is no account of these books"),
    ("账户,余额\r\nAssets:Nowhere:Bank-x,1.00\r\n", ":2", "names no fund"),
    ("账户,余额\r\n其他收入-维修资金利息,1.00\r\n", ":2", "income or expense"),
    ("账户,余额\r\n维修资金专户,1.00\r\nAssets:MaintenanceFund:Bank-维修资金专户,2.00\r\n", ":3", "listed twice"),
    ("账户,余额\r\n维修资金专户,abc\r\n", ":2", "not an amount"),
    ("账户,金额,方向\r\n维修资金专户,1.00,左\r\n", ":2", "方向"),
    ("名称,数值\r\n维修资金专户,1.00\r\n", "", "no header row"),
])
def test_bad_rows_are_one_sentence_naming_file_and_row(compound: Path, tmp_path: Path, text: str, row: str,
                                                       words: str) -> None:
    file = bank_list(tmp_path, text)
    code, _, err = run("opening", compound, file, "--date", "2025-06-30")
    assert code == 2 and f"{file}{row}" in err and words in err and err.count("\n") == 1
    assert not (compound / "imports" / "opening").exists()


def test_entries_on_or_before_the_cutover_are_refused(compound: Path, tmp_path: Path) -> None:
    books = compound / "books" / "opening.beancount"
    books.write_text(books.read_text("utf-8") + (
        '\n2025-06-30 * "利息"\n  Assets:MaintenanceFund:Bank-维修资金专户  10.00 CNY\n'
        '  Income:MaintenanceFund:Interest-利息  -10.00 CNY\n'), "utf-8")
    code, _, err = run("opening", compound, bank_list(tmp_path), "--date", "2025-06-30")
    assert code == 2 and "balances.csv:3" in err and "opening.beancount:" in err and "count it twice" in err
    code, _, err = run("opening", compound, bank_list(tmp_path), "--date", "2025-06-29")
    assert code == 2 and "before the books start on 2025-06-30" in err


def test_an_account_with_an_opening_from_import_is_refused(compound: Path, tmp_path: Path) -> None:
    folder = compound / "imports" / "CommonRevenue-Bank-共有收益户"
    folder.mkdir(parents=True)
    (folder / "opening.beancount").write_text(
        '2025-07-05 * "期初余额"\n  opening: "TRUE"\n  Assets:CommonRevenue:Bank-共有收益户  100.00 CNY\n'
        '  Equity:CommonRevenue:Opening-期初  -100.00 CNY\n', "utf-8")
    index = compound / "imports" / "index.beancount"
    index.write_text(index.read_text("utf-8") + 'include "CommonRevenue-Bank-共有收益户/opening.beancount"\n', "utf-8")
    with pytest.raises(InputError, match="already has an opening balance"):
        book_opening(compound, bank_list(tmp_path), D)


def test_a_bank_account_as_a_trial_balance_names_it_and_amounts_to_the_fen(compound: Path, tmp_path: Path) -> None:
    file = bank_list(tmp_path, "科目,余额\r\n银行存款-共有收益户,1200\r\n")
    [entry] = book_opening(compound, file, D, dry_run=True).entries
    assert [(p.account, str(p.units.number)) for p in entry.postings] == [
        ("Assets:CommonRevenue:Bank-共有收益户", "1200.00"), ("Equity:CommonRevenue:Opening-期初", "-1200.00")]


def test_under_the_import_lock_and_utf8_bom(compound: Path, tmp_path: Path) -> None:
    import json
    import os
    import socket
    import time

    from commonfund.importers.lock import LOCK_NAME

    file = tmp_path / "bom.csv"
    file.write_bytes("账户,余额\r\n共有收益账户,5.00\r\n".encode("utf-8-sig"))
    lock = compound / LOCK_NAME
    lock.write_text(json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}))
    code, _, err = run("opening", compound, file, "--date", "2025-06-30")
    assert code == 2 and "another import into this compound is running" in err
    assert not (compound / "imports" / "opening").exists()
    lock.unlink()
    code, out, err = run("opening", compound, file, "--date", "2025-06-30")
    assert code == 0, err
    assert "共有收益: assets ¥5.00" in out and not lock.exists()


def test_the_help_states_the_rule_with_init() -> None:
    code, out, _ = run("opening", "--help")
    assert code == 0 and "init --start D" in out and "never twice" in out and "one cut-over" in out
