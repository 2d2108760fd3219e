"""Every public statement sample in ``../shared/samples/statements`` imported as a treasurer would: a fresh
compound (``commonfund init``), the card added to compound.toml, ``commonfund import`` (``--opening`` for the
first statement), ``commonfund check`` — through the real CLI.

The expected figures were worked out BY HAND from the raw files (each case says how), not taken from the
tool. A sample that cannot be imported as it is (its own running balance does not add up, a line out of
date order, masked balances, a credit-card bill) must be refused with one sentence naming the row.

WeChat Pay and Alipay samples: only that each is recognised by its profile is checked here; how their
wallets, refunds and closed trades are booked is issue #12 §2–§3 and tested with that work.

CI checks out ``shared/`` beside the clone; without it these tests are skipped (saying why).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from beancount.core import data
from click.testing import CliRunner
from tests.conftest import SMALL_REGISTER

from commonfund.cli import main
from commonfund.compound.model import load_compound
from commonfund.core.errors import InputError
from commonfund.importers import read_statement
from commonfund.importers.profiles import load_profiles

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples" / "statements"
pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"public statement samples not found at {SAMPLES} "
                                                              "(shared/ is checked out beside the repository)")


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output  # stdout and stderr as the user sees them (click ≥ 8.2)


def fresh_compound(tmp_path: Path, bank: str, last_digits: str, profile: str) -> tuple[Path, str]:
    """``commonfund init`` (books from 2023-01-01), then the committee's card added to compound.toml."""
    register = tmp_path / "households.csv"
    register.write_text(SMALL_REGISTER, "utf-8")
    root = tmp_path / "c"
    code, output = cli("init", str(root), "--name", "样本小区", "--households", str(register), "--start", "2023-01-01")
    assert code == 0, output
    account = "Assets:Committee:Bank-业委会卡"
    with (root / "compound.toml").open("a", encoding="utf-8") as config:
        config.write(f'\n[[bank_accounts]]\naccount = "{account}"\nbank = "{bank}"\nlast_digits = "{last_digits}"\n'
                     f'fund = "Committee"\nprofile = "{profile}"\nname = "业委会借记卡"\n')
    return root, account


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def flat(text: str) -> str:
    return " ".join(text.split())


# (sample, bank, last digits, profile, lines, money in, money out, opening balance, its date, balance days)
IMPORTED = [
    # BOC 交易流水明细: 17 data rows (rows 3–19), newest first. In: 1,000.00 (08-01 银联入账) + 3,000.00 (08-04 网上快捷
    # 提现) + 5,771.00 (08-05 工资) + 50.00 (08-22 网上快捷退款) = 9,821.00. Out: 3,000.00 + 196.90 + 2,769.59 + 16.00 +
    # 15.48 + 13.50 + 2,600.00 + 68.14 + 206.80 + 60.00 + 50.00 + 326.00 + 71.89 = 9,394.30. Oldest line (row 19):
    # +1,000.00 leaves 3,813.58, so the card opened 2025-08-01 with 2,813.58; 2,813.58 + 9,821.00 − 9,394.30 = 3,240.28,
    # row 3's balance. Days with lines: 08-01, 03, 04, 05, 06, 07, 09, 12, 14, 19, 22 → 11 balance assertions.
    ("boc/example-boc-debit-records.csv", "BOC", "3167", "boc-debit", 17, "9821.00", "9394.30", "2813.58",
     "2025-07-31", 11),
    # SPDB .xls: 4 rows (rows 3–6). In: 10.00 (row 4 汇入外). Out: 3 × 3.88 = 11.64. Row 3: −3.88 leaves 1,981.33, so it
    # opened with 1,985.21; 1,985.21 + 10.00 − 11.64 = 1,983.57, row 6's balance. Days: 12-03, 12-05 → 2 assertions.
    # The account number 6200000000001230 is in row 1.
    ("spdb/example-spdb_debit-records.xls", "SPDB", "1230", "spdb-debit", 4, "10.00", "11.64", "1985.21",
     "2025-12-02", 2),
]


@pytest.mark.parametrize("case", IMPORTED, ids=lambda case: case[0].split("/")[0])
def test_sample_imports_into_a_fresh_compound(tmp_path: Path, case: tuple) -> None:  # type: ignore[type-arg]
    sample, bank, digits, profile, lines, money_in, money_out, opening, opening_day, days = case
    root, account = fresh_compound(tmp_path, bank, digits, profile)
    before = snapshot(root)
    code, output = cli("import", str(root), str(SAMPLES / sample))
    assert code == 2 and snapshot(root) == before, output
    assert (f"the statement opens with ¥{Decimal(opening):,.2f}" in flat(output)
            and "the books hold ¥0.00" in output and "--opening" in output), output
    code, output = cli("import", str(root), str(SAMPLES / sample), "--opening")
    assert code == 0, output
    assert f"{lines} lines, {lines} new" in output and f"{days} balances asserted" in output, output
    code, output = cli("check", str(root))
    assert code == 0, output
    books = load_compound(root)
    assert books.errors == []
    moves = [p.units.number for t in books.transactions if "import_id" in t.meta for p in t.postings
             if p.account == account and p.units is not None and p.units.number is not None]
    assert len(moves) == lines
    assert sum(m for m in moves if m > 0) == Decimal(money_in)
    assert -sum(m for m in moves if m < 0) == Decimal(money_out)
    openings = [t for t in books.transactions if "opening" in t.meta]
    assert [(str(t.date), t.postings[0].account, t.postings[0].units.number if t.postings[0].units else None,
             t.postings[1].account) for t in openings] == [
        (opening_day, account, Decimal(opening), "Equity:Committee:Opening-期初")]
    assert len([e for e in books.entries if isinstance(e, data.Balance) and e.account == account]) == days
    code, output = cli("import", str(root), str(SAMPLES / sample), "--opening")
    assert code == 0 and f"0 new, {lines} duplicates skipped" in output and "books unchanged" in output, output


# (sample, bank, last digits, profile, row, what the sentence must say) — refused as they are, one sentence at the row.
REFUSED = [
    # ABC: row 2 is +10,000.00 leaving 11,000.00; row 3 is −10.00 but states 11,000.00 again (should be 10,990.00).
    ("abc/example-abc_debit-records.csv", "ABC", "", "abc-debit", 3,
     "the running balance does not add up: ¥11,000.00 stated, but ¥11,000.00 (row 2) - ¥10.00 = ¥10,990.00"),
    # CCB: row 9 leaves 2,140.13; row 10 pays 515.02, so 1,625.11, but states 1,579.11.
    ("ccb/交易明细_xxxx_2025xxxx_2025xxxx.xls", "CCB", "", "ccb-debit", 10,
     "the running balance does not add up: ¥1,579.11 stated, but ¥2,140.13 (row 9) - ¥515.02 = ¥1,625.11"),
    # BoCom: 序号 1–6 run 2025-01-01, 2024-02-02, 03-03, 04-04, 05-05, 06-06: oldest first except row 2 (序号 1).
    ("bocom/example-bocom_debit-records.csv", "BOCOM", "", "bocom-debit", 2,
     "this line (dated 2025-01-01) is out of order: the file runs oldest first and row 3 is dated 2024-02-02"),
    # CMB: rows 2–6 are dated 01-01, 01-01, 01-27, 01-20, 01-23: row 4 (01-27) breaks the oldest-first order.
    ("cmb/example-cmb-debit-records.csv", "CMB", "", "cmb-debit", 4,
     "this line (dated 2024-01-27) is out of order: the file runs oldest first and row 3 is dated 2024-01-01 and "
     "row 5 is dated 2024-01-20"),
    # ICBC v1/v2: the header is on line 7; every balance is masked as xx,yyyy.zz, first on row 8.
    ("icbc/example-icbc-debit-v1-records.csv", "ICBC", "9876", "icbc-debit", 8,
     "cannot read the amount 'xx,yyyy.zz' in column '余额'"),
    ("icbc/example-icbc-debit-v2-records.csv", "ICBC", "9876", "icbc-debit", 8,
     "cannot read the amount 'xx,yyyy.zz' in column '余额'"),
]


@pytest.mark.parametrize("case", REFUSED, ids=lambda case: case[0].split("/")[0] + "-" + case[0][-12:-4])
def test_sample_that_does_not_add_up_is_refused_at_its_row(tmp_path: Path, case: tuple) -> None:  # type: ignore[type-arg]
    sample, bank, digits, profile, row, sentence = case
    with pytest.raises(InputError) as caught:
        read_statement(SAMPLES / sample, load_profiles())
    assert f"{Path(sample).name}:{row}: " in str(caught.value)
    root, _account = fresh_compound(tmp_path, bank, digits, profile)
    before = snapshot(root)
    code, output = cli("import", str(root), str(SAMPLES / sample), "--opening")
    assert code == 2, output
    assert f"{Path(sample).name}:{row}: {sentence}" in flat(output), output
    assert output.count("error:") == 1 and "Traceback" not in output  # one sentence (wrapped to the terminal)
    assert snapshot(root) == before


def test_icbc_samples_with_the_masked_balances_left_empty(tmp_path: Path) -> None:
    # The same files with the masked balance cells emptied: the layout itself reads. By hand, rows 8–18 (11 lines):
    # in 1,234.56 (他行汇入) + 1,234.56 (工资) + 341.58 (基金赎回) + 30.00 (返现) + 1.04 (退款) = 2,841.74;
    # out 13.40 + 1,234.56 (自动还款) + 1,234.56 (银联消费) + 500.00 (网转) + 1,234.56 (跨行汇款) + 24.00 = 4,241.08.
    for version in ("v1", "v2"):
        source = SAMPLES / "icbc" / f"example-icbc-debit-{version}-records.csv"
        unmasked = tmp_path / version / source.name
        unmasked.parent.mkdir()
        unmasked.write_text(re.sub(r'"xx,yyyy\.zz(\s*)"', r'"\1"', source.read_text("utf-8")), "utf-8")
        root, account = fresh_compound(tmp_path / version, "ICBC", "9876", "icbc-debit")
        code, output = cli("import", str(root), str(unmasked))
        assert code == 0 and "11 lines, 11 new" in output, output
        assert cli("check", str(root))[0] == 0
        moves = [p.units.number for t in load_compound(root).transactions for p in t.postings
                 if p.account == account and p.units is not None and p.units.number is not None]
        assert sum(m for m in moves if m > 0) == Decimal("2841.74")
        assert -sum(m for m in moves if m < 0) == Decimal("4241.08")


def test_credit_card_bill_is_refused_in_one_sentence(tmp_path: Path) -> None:
    root, _account = fresh_compound(tmp_path, "CITIC", "6688", "")
    before = snapshot(root)
    code, output = cli("import", str(root), str(SAMPLES / "citic" / "example-citic-credit-records.xls"))
    assert code == 2 and snapshot(root) == before
    assert "example-citic-credit-records.xls: is a credit-card bill (中信银行 信用卡账单)" in flat(output), output
    assert output.count("error:") == 1


@pytest.mark.parametrize(("sample", "profile"), [
    ("wechat/example-wechat-records.csv", "wechat"),
    ("wechat/example-wechat-records.xlsx", "wechat"),
    ("wechat/daoru-wechat-20190801-20190930.xlsx", "wechat"),
    ("alipay/example-alipay-records.csv", "alipay"),
    ("alipay/支付宝交易明细(20201122-20201214).csv", "alipay"),
])
def test_wallet_samples_are_recognised(sample: str, profile: str) -> None:
    assert read_statement(SAMPLES / sample, load_profiles()).profile_name == profile


def test_every_sample_is_covered() -> None:
    covered = {case[0] for case in IMPORTED} | {case[0] for case in REFUSED} | {
        "citic/example-citic-credit-records.xls", "wechat/example-wechat-records.csv",
        "wechat/example-wechat-records.xlsx", "wechat/daoru-wechat-20190801-20190930.xlsx",
        "alipay/example-alipay-records.csv", "alipay/支付宝交易明细(20201122-20201214).csv"}
    found = {str(p.relative_to(SAMPLES)) for p in SAMPLES.glob("*/*") if p.is_file()}
    assert found == covered
