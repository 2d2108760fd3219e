"""``commonfund import`` into a compound: month files, index, idempotence, dry run, all-or-nothing, lock."""

from __future__ import annotations

import gc
import json
import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from commonfund.cli import main
from commonfund.compound.model import load_compound
from commonfund.importers.lock import LOCK_NAME
from commonfund.synth.writers import SynthLine, icbc_csv

ACCOUNT = "Assets:CommonRevenue:Bank-共有收益户"
RULES = '\n[[rules]]\ncounterparty = "丰巢"\naccount = "Income:CommonRevenue:Lockers-快递柜"\n'

ITEMS = [
    ("2024-02-03", "1200.00", "丰巢网络技术有限公司", "快递柜场地费"),
    ("2024-02-05", "-35.00", "", "账户管理费"),
    ("2024-02-05", "-35.00", "", "账户管理费"),
    ("2024-02-20", "500.00", "星联充电科技有限公司", "充电桩分成"),
    ("2024-03-02", "88.00", "某公司", "来源不明"),
]


def lines(items: list[tuple[str, str, str, str]], opening: str = "0") -> list[SynthLine]:
    balance, out = Decimal(opening), []
    for n, (day, amount, party, summary) in enumerate(items):
        balance += Decimal(amount)
        out.append(SynthLine(date.fromisoformat(day), f"10:00:{n:02d}", Decimal(amount), balance, "", party,
                             "62220001" if party else "", summary, summary))
    return out


def write(path: Path, items: list[tuple[str, str, str, str]], opening: str = "0") -> Path:
    path.write_bytes(icbc_csv(lines(items, opening), "1001020300005678"))
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["import", *args])
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def compound(make_compound):  # type: ignore[no-untyped-def]
    from tests.conftest import SMALL_CONFIG

    return make_compound(config=SMALL_CONFIG + RULES)


def test_import_writes_month_files_and_is_idempotent(compound: Path, tmp_path: Path) -> None:
    statement = write(tmp_path / "feb.csv", ITEMS)
    code, output = run(str(compound), str(statement))
    assert code == 0, output
    assert "5 new, 0 duplicates skipped, 2 uncategorised" in output
    folder = compound / "imports" / "CommonRevenue-Bank-共有收益户"
    assert sorted(p.name for p in folder.iterdir()) == ["2024-02.beancount", "2024-03.beancount"]
    index = (compound / "imports" / "index.beancount").read_text("utf-8")
    assert 'include "CommonRevenue-Bank-共有收益户/2024-02.beancount"' in index
    books = load_compound(compound)
    assert books.errors == []
    txns = [t for t in books.transactions if "import_id" in t.meta]
    assert len(txns) == 5  # the two identical fee lines are both kept
    assert len({t.meta["import_id"] for t in txns}) == 5
    lockers = next(t for t in txns if t.payee == "丰巢网络技术有限公司")
    assert lockers.postings[1].account == "Income:CommonRevenue:Lockers-快递柜"
    fee = next(t for t in txns if t.narration == "账户管理费")
    assert fee.postings[1].account == "Expenses:CommonRevenue:BankFee-手续费"
    unknown = next(t for t in txns if t.payee == "某公司")
    assert unknown.flag == "!" and unknown.postings[1].account == "Income:CommonRevenue:Uncategorized-待分类"
    balances = [e for e in books.entries if type(e).__name__ == "Balance"]
    assert [(str(b.date), str(b.amount.number)) for b in balances] == [
        ("2024-02-04", "1200.00"), ("2024-02-06", "1130.00"), ("2024-02-21", "1630.00"), ("2024-03-03", "1718.00")]

    before = snapshot(compound)
    code, output = run(str(compound), str(statement))
    assert code == 0 and "0 new, 5 duplicates skipped" in output and "books unchanged" in output
    assert snapshot(compound) == before


def test_overlapping_period_adds_only_the_new_lines(compound: Path, tmp_path: Path) -> None:
    assert run(str(compound), str(write(tmp_path / "a.csv", ITEMS[:4])))[0] == 0
    code, output = run(str(compound), str(write(tmp_path / "b.csv", ITEMS)))
    assert code == 0 and "1 new, 4 duplicates skipped" in output
    assert load_compound(compound).errors == []


def test_dry_run_prints_and_writes_nothing(compound: Path, tmp_path: Path) -> None:
    before = snapshot(compound)
    code, output = run(str(compound), str(write(tmp_path / "feb.csv", ITEMS)), "--dry-run")
    assert code == 0 and 'import_id: "h' in output and "dry run: nothing written" in output
    assert snapshot(compound) == {k: v for k, v in before.items()}


def test_bad_row_exits_2_and_leaves_the_ledger_untouched(compound: Path, tmp_path: Path) -> None:
    good = write(tmp_path / "good.csv", ITEMS)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(good.read_bytes().replace("500.00".encode("gbk"), "5OO.00".encode("gbk"), 1))
    before = snapshot(compound)
    code, output = run(str(compound), str(good), str(bad))
    assert code == 2
    assert "bad.csv:" in output and "cannot read the amount" in output and "Traceback" not in output
    assert snapshot(compound) == before


def test_statement_that_contradicts_the_books_is_refused(compound: Path, tmp_path: Path) -> None:
    assert run(str(compound), str(write(tmp_path / "feb.csv", ITEMS)))[0] == 0  # the books: 1,718.00 after March
    before = snapshot(compound)
    april = [("2024-04-02", "100.00", "某公司", "来源不明")]
    code, output = run(str(compound), str(write(tmp_path / "apr.csv", april, opening="1000.00")))
    assert code == 2 and "nothing was written" in output, output
    # one sentence at the statement's row (row 3: the line under the header; 1,718.00 + 100.00 = 1,818.00), not
    # the files it would have written
    assert "apr.csv:3: the statement's balance after this line is ¥1,100.00, but the books would hold ¥1,818.00" \
        in " ".join(output.split()), output
    assert "Balance failed" not in output and "2024-04.beancount" not in output
    assert snapshot(compound) == before


def test_import_leaves_the_garbage_collector_as_it_found_it(compound: Path, tmp_path: Path) -> None:
    # The import freezes the existing heap for the collector while it parses and checks the books; a
    # successful, a refused and an unreadable import must all unfreeze it.
    assert gc.get_freeze_count() == 0
    assert run(str(compound), str(write(tmp_path / "feb.csv", ITEMS)))[0] == 0
    assert gc.get_freeze_count() == 0
    assert run(str(compound), str(write(tmp_path / "bad.csv", ITEMS, opening="1000.00")))[0] == 2
    assert gc.get_freeze_count() == 0
    (tmp_path / "empty.csv").write_bytes(b"")
    assert run(str(compound), str(tmp_path / "empty.csv"))[0] == 2
    assert gc.get_freeze_count() == 0


def test_unknown_account_digits_need_account_option(make_compound, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import SMALL_CONFIG

    root = make_compound(config=SMALL_CONFIG.replace('last_digits = "5678"', 'last_digits = "9999"'))
    statement = write(tmp_path / "feb.csv", ITEMS)
    code, output = run(str(root), str(statement))
    assert code == 2 and "cannot tell which bank account" in output and "--account" in output
    code, output = run(str(root), str(statement), "--account", ACCOUNT)
    assert code == 0, output


def test_unrecognised_file_exits_2(compound: Path, tmp_path: Path) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text("a,b,c\n1,2,3\n", "utf-8")
    code, output = run(str(compound), str(odd))
    assert code == 2 and "no statement profile recognises this file" in output and "Traceback" not in output


def test_lock_held_and_stale_lock(compound: Path, tmp_path: Path) -> None:
    import socket

    statement = write(tmp_path / "feb.csv", ITEMS)
    lock = compound / LOCK_NAME
    lock.write_text(json.dumps({"pid": os.getppid(), "host": socket.gethostname(), "started": 0}), "utf-8")
    code, output = run(str(compound), str(statement))
    assert code == 2 and "another import into this compound is running" in output
    lock.write_text(json.dumps({"pid": 2**22 + 12345, "host": socket.gethostname(), "started": 0}), "utf-8")
    code, output = run(str(compound), str(statement))
    assert code == 0, output
    assert not lock.exists()
