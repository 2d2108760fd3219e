"""Statement rows → lines: direction, order, footers, running balance, reversals, refunds, twins, bad rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from commonfund.compound.config import CompoundConfig, load_config
from commonfund.core.errors import InputError
from commonfund.importers import read_statement
from commonfund.importers.extract import choose_bank_account, extract, import_ids
from commonfund.importers.profiles import load_profiles

HEADER = "日期,摘要,收入,支出,余额,对方户名,流水号\n"


def statement(tmp_path: Path, body: str, name: str = "s.csv"):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text("维修资金明细\n" + HEADER + body, "utf-8")
    return read_statement(path, load_profiles())


def test_newest_first_is_turned_round(tmp_path: Path) -> None:
    s = statement(tmp_path, "2024-01-03,支出,,10.00,90.00,甲,3\n2024-01-02,收入,100.00,,100.00,乙,2\n")
    assert [line.row for line in s.lines] == [4, 3]
    assert [str(line.amount) for line in s.lines] == ["100.00", "-10.00"]


def test_same_day_newest_first_by_balance(tmp_path: Path) -> None:
    s = statement(tmp_path, "2024-01-02,b,,10.00,90.00,甲,2\n2024-01-02,a,100.00,,100.00,乙,1\n")
    assert [line.summary for line in s.lines] == ["a", "b"]


def test_running_balance_that_does_not_add_up(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"s\.csv:4: the running balance does not add up: ¥95\.00 stated, but "
                                         r"¥100\.00 \(row 3\) - ¥10\.00 = ¥90\.00"):
        statement(tmp_path, "2024-01-02,a,100.00,,100.00,乙,1\n2024-01-03,b,,10.00,95.00,甲,2\n")


def test_unreadable_amount_names_row_and_column(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"s\.csv:4: cannot read the amount '1O\.00' in column '支出'"):
        statement(tmp_path, "2024-01-02,a,100.00,,100.00,乙,1\n2024-01-03,b,,1O.00,90.00,甲,2\n")


def test_unreadable_date_in_the_middle(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"s\.csv:4: cannot read the date '2024-01-32' in column '日期'"):
        statement(tmp_path, "2024-01-02,a,100.00,,100.00,乙,1\n2024-01-32,b,,10.00,90.00,甲,2\n"
                            "2024-01-05,c,,10.00,80.00,甲,3\n")


def test_totals_footer_is_not_data(tmp_path: Path) -> None:
    s = statement(tmp_path, "2024-01-02,a,100.00,,100.00,乙,1\n1 收 100.00,,,,,,\n合计,100.00,0.00,,,,\n")
    assert len(s.lines) == 1


def test_zero_interest_tax_lines_are_skipped(tmp_path: Path) -> None:
    s = statement(tmp_path, "2024-01-02,结息,0.35,,0.35,,1\n2024-01-02,利息税,0.00,,0.35,,2\n")
    assert len(s.lines) == 1 and s.skipped["zero"] == 1


def test_reversal_pairs_with_its_original(tmp_path: Path) -> None:
    s = statement(tmp_path, "2024-01-02,汇款,,50.00,50.00,甲,1\n2024-01-02,冲正,50.00,,100.00,甲,2\n", "r.csv")
    config = CompoundConfig.model_validate({"name": "x", "slug": "x", "bank_accounts": [
        {"account": "Assets:MaintenanceFund:Bank-维修资金专户", "bank": "X", "fund": "MaintenanceFund",
         "profile": "generic"}], "rules": [
        {"counterparty": "甲", "account": "Expenses:MaintenanceFund:Repair-维修:Other-其他", "direction": "out"}]})
    result = extract(s, choose_bank_account(s, config), config)
    original, reversal = result.transactions
    assert s.lines[1].kind == "reversal" and result.paired == 1
    assert original.links == reversal.links == frozenset({"rev-1"})
    repair = "Expenses:MaintenanceFund:Repair-维修:Other-其他"
    assert original.postings[1].account == reversal.postings[1].account == repair
    assert reversal.postings[1].units.number == -original.postings[1].units.number


def test_identical_twins_get_distinct_ids(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("日期,摘要,收入,支出\n2024-01-05,续交,10.00,\n2024-01-05,续交,10.00,\n", "utf-8")
    s = read_statement(path, load_profiles())
    ids = import_ids("Assets:MaintenanceFund:Bank-维修资金专户", s.lines)
    assert len(ids) == 2 and ids[1] == ids[0] + "-1"
    assert ids == import_ids("Assets:MaintenanceFund:Bank-维修资金专户", s.lines)  # stable


def test_serial_is_the_id(tmp_path: Path) -> None:
    s = statement(tmp_path, "2024-01-02,a,100.00,,100.00,乙, SN001 \n")
    assert import_ids("Assets:X:Y", s.lines) == ["SN001"]


def test_wallet_refund_takes_the_payment_category() -> None:
    path = Path(__file__).resolve().parents[2] / "importers" / "fixtures" / "alipay" / "personal-gbk.csv"
    s = read_statement(path, load_profiles())
    kinds = [line.kind for line in s.lines]
    assert (kinds.count("refund"), kinds.count("neutral"), kinds.count("closed")) == (1, 1, 1)
    assert s.skipped == {}  # a wallet bill's neutral and closed lines are resolved by importers.wallet
    config = load_config(path.parent.parent / "compound.toml")
    result = extract(s, choose_bank_account(s, config), config)
    assert result.skipped == {"moved within the wallet": 1, "status": 1} and result.paired == 1


def test_flag_direction_that_is_unknown(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("交易时间,摘要,发生额,余额,借贷标志\n2024-01-02 10:00:00,x,5.00,5.00,横\n", "utf-8")
    with pytest.raises(InputError, match=r"f\.csv:2: cannot tell the direction '横' in column '借贷标志'"):
        read_statement(path, load_profiles())
