"""Wallet bills into a compound: only money that moved through the wallet moves it; refunds booked; the
committee's card left to its own statement; 提现/充值 through 在途资金; a wallet never below zero silently.

The real-sample tests import public exports (../shared/samples/statements, see its README) and compare with
figures worked out by hand from the raw files (written down below, line by line).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from commonfund.cli import main
from commonfund.compound.model import load_compound
from commonfund.core.accounts import render_accounts
from commonfund.synth.writers import SynthLine, abc_xlsx

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "importers" / "fixtures"
SAMPLES = ROOT.parent / "shared" / "samples" / "statements"
WECHAT = "Assets:Committee:WeChat-微信零钱"
ALIPAY = "Assets:Committee:Alipay-支付宝"
CARD = "Assets:Committee:Bank-工作经费户"
TRANSIT = "Assets:Committee:InTransit-在途资金"

CONFIG = f"""\
name = "测试小区"
slug = "test"
register = "households.csv"
start = "2017-01-01"

[[committee]]
name = "李娜"
unit = "1-1-102"
role = "主任"

[[bank_accounts]]
account = "{CARD}"
bank = "ABC"
last_digits = "3003"
fund = "Committee"
profile = "abc-corporate"

[[bank_accounts]]
account = "{WECHAT}"
bank = "WECHAT"
fund = "Committee"
profile = "wechat"

[[bank_accounts]]
account = "{ALIPAY}"
bank = "ALIPAY"
fund = "Committee"
profile = "alipay"
"""


def opening(day: str, account: str, amount: str) -> str:
    return f"""
{day} * "期初余额"
  {account}  {amount} CNY
  Equity:Committee:Opening-期初
"""


OPEN = f"""
2016-01-01 open {WECHAT} CNY
2016-01-01 open {ALIPAY} CNY
"""
OPEN_TRANSIT = f"""
2016-01-01 open {TRANSIT} CNY
  code: "1009"
"""


EARLY = {"accounts.beancount": render_accounts(date(2016, 1, 1))}  # the public samples go back to 2017


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["import", *args])
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def balance(root: Path, account: str) -> Decimal:
    books = load_compound(root)
    assert books.errors == [], books.errors
    return sum((p.units.number for t in books.transactions for p in t.postings if p.account == account),
               Decimal(0))


def imported(root: Path, account: str) -> list[Decimal]:
    books = load_compound(root)
    return sorted(p.units.number for t in books.transactions if "import_id" in t.meta
                  for p in t.postings if p.account == account)


@pytest.fixture
def compound(make_compound):  # type: ignore[no-untyped-def]
    books = OPEN + OPEN_TRANSIT + opening("2024-01-31", WECHAT, "1000.00") + opening("2024-01-31", CARD, "5000.00")
    return make_compound(books, config=CONFIG)


def test_wechat_wallet_cards_transfers_and_the_bank_side(compound: Path, tmp_path: Path) -> None:
    bill = FIXTURES / "wechat" / "wallet-cards-refunds.csv"
    code, output = run(str(compound), str(bill))
    assert code == 0, output
    assert "8 new" in output
    assert "1 paid by a card of the committee (booked from its statement)" in output
    assert "row 23 (2024-03-06 商户消费 某超市 ¥35.00): 招商银行(1234) is not the wallet nor a card" in output
    # 1000 − 50 + 2000 (充值) − 380 − 50.71 + 0.11 (refund) + 10 − 1001 (提现, fee included) − 48.58
    assert balance(compound, WECHAT) == Decimal("1479.82")
    assert balance(compound, TRANSIT) == Decimal("-1000.00")  # 2000 out of the card, 1000 into it, not yet seen
    assert balance(compound, "Expenses:Committee:BankFee-手续费") == Decimal("1.00")

    # The card's own statement: the 充值 leaving, the 打印纸 paid by card, the 提现 arriving (fee already taken).
    lines, held = [], Decimal("5000.00")
    for day, amount, party, summary in [("2024-03-01", "-2000.00", "财付通支付科技有限公司", "微信零钱充值"),
                                        ("2024-03-05", "-120.00", "得力办公用品商行", "财付通快捷支付 打印纸"),
                                        ("2024-03-21", "1000.00", "财付通支付科技有限公司", "微信零钱提现")]:
        held += Decimal(amount)
        lines.append(SynthLine(date.fromisoformat(day), "10:00:00", Decimal(amount), held, f"S{day}", party, "",
                               summary, summary))
    statement = tmp_path / "abc.xlsx"
    statement.write_bytes(abc_xlsx(lines, "03300104000003003", "锦绣花园业主委员会"))
    code, output = run(str(compound), str(statement))
    assert code == 0, output
    assert balance(compound, TRANSIT) == Decimal("0.00")  # both sides in: nothing counted twice
    assert balance(compound, CARD) == Decimal("3880.00")
    office = [t for t in load_compound(compound).transactions if "打印纸" in t.narration]
    assert len(office) == 1  # the card-paid trade is booked once, from the bank's line

    before = snapshot(compound)
    code, output = run(str(compound), str(bill), str(statement))
    assert code == 0 and "total: 0 new" in output and snapshot(compound) == before


def test_a_wallet_never_goes_below_zero_silently(make_compound) -> None:  # type: ignore[no-untyped-def]
    root = make_compound(OPEN + OPEN_TRANSIT, config=CONFIG)
    before = snapshot(root)
    code, output = run(str(root), str(FIXTURES / "wechat" / "wallet-cards-refunds.csv"))
    assert code == 2
    assert "wallet-cards-refunds.csv:" in output and f"importing would leave {WECHAT} at -¥50.00 on 2024-02-28" \
        in output and "期初余额" in output and "Traceback" not in output
    assert snapshot(root) == before


def test_in_transit_must_be_opened(make_compound) -> None:  # type: ignore[no-untyped-def]
    root = make_compound(OPEN + opening("2024-01-31", WECHAT, "1000.00"), config=CONFIG)
    before = snapshot(root)
    code, output = run(str(root), str(FIXTURES / "wechat" / "wallet-cards-refunds.csv"))
    assert code == 2, output
    assert f"through {TRANSIT} (在途资金), which the books do not open: add `2016-01-01 open {TRANSIT} CNY`" in output
    assert snapshot(root) == before


def test_alipay_refunds_closed_trade_and_yuebao(compound: Path) -> None:
    code, output = run(str(compound), str(FIXTURES / "alipay" / "wallet-refunds-closed.csv"))
    assert code == 2 and f"importing would leave {ALIPAY} at -¥60.00 on 2024-02-01" in output
    root = compound
    (root / "books" / "books.beancount").write_text(
        (root / "books" / "books.beancount").read_text("utf-8") + opening("2024-01-31", ALIPAY, "100.00"), "utf-8")
    code, output = run(str(root), str(FIXTURES / "alipay" / "wallet-refunds-closed.csv"))
    assert code == 0, output
    assert "8 new" in output and "2 reversals/refunds paired" in output
    # −60 (closed, refunded by order number) +60, −10 +4 (partial), +0.31 收益, +4.10 (refund, no original before
    # it), −6.20, +2000; the card trades and 转入余额宝 move nothing
    assert imported(root, ALIPAY) == sorted(Decimal(x) for x in
                                            ["-60.00", "60.00", "-10.00", "4.00", "0.31", "4.10", "-6.20", "2000.00"])
    assert balance(root, ALIPAY) == Decimal("2092.21")
    txns = {t.narration: t for t in load_compound(root).transactions}
    assert txns["退款-一卡通充值"].links == frozenset()  # never linked to the later payment
    assert txns["退款-快递柜超时费"].links == txns["生活服务 快递柜超时费"].links != frozenset()


# ── real public samples ─────────────────────────────────────────────────────────────────────────────────────

ALIPAY_2020 = SAMPLES / "alipay" / "支付宝交易明细(20201122-20201214).csv"
WECHAT_DEG = SAMPLES / "wechat" / "example-wechat-records.csv"


@pytest.mark.skipif(not ALIPAY_2020.exists(), reason="public samples not present")
def test_real_alipay_bill_books_its_refunds_and_yuebao_income(make_compound) -> None:  # type: ignore[no-untyped-def]
    """24 rows, all paid from 余额宝. Booked: 18 payments (the 29.12 京东 order reads 交易关闭 but the 28.75 refund
    names it by 商家订单号: it was paid, then refunded), 88.88 received, the refunds 28.75, 4.10 and 24.88 and the
    余额宝 收益 0.31 (不计收支, skipped before); not booked: the 0.00 袜子 trade closed before it was paid."""
    root = make_compound(OPEN + opening("2020-11-21", ALIPAY, "2000.00"), config=CONFIG, files=EARLY)
    code, output = run(str(root), str(ALIPAY_2020))
    assert code == 0, output
    assert "23 new" in output and "not imported: 1 status" in output
    payments = ["129.00", "8.00", "60.00", "156.30", "300.00", "42.80", "64.00", "28.70", "36.50", "96.75", "6.20",
                "100.30", "49.55", "2.88", "29.12", "45.60", "98.50", "599.00"]
    received = ["88.88", "28.75", "4.10", "24.88", "0.31"]
    assert imported(root, ALIPAY) == sorted([-Decimal(x) for x in payments] + [Decimal(x) for x in received])
    assert sum(Decimal(x) for x in payments) == Decimal("1853.20")
    assert balance(root, ALIPAY) == Decimal("2000.00") - Decimal("1853.20") + Decimal("146.92")
    links = {t.narration: t.links for t in load_compound(root).transactions}
    assert links["退款-耐克运动袜"] == links["运动户外 耐克运动袜 3双装"] != frozenset()
    assert links["退款-纯棉防臭袜"] == links["运动户外 专业跑步袜"] != frozenset()  # same shop, earlier, ≥ 24.88
    assert links["退款-地铁卡充值"] == frozenset()  # the 一卡通 payment is later the same day: not its original

    fresh = make_compound(OPEN, config=CONFIG, name="fresh", files=EARLY)
    code, output = run(str(fresh), str(ALIPAY_2020))
    assert code == 2 and f"importing would leave {ALIPAY} at -¥29.12 on 2020-11-23" in output


@pytest.mark.skipif(not WECHAT_DEG.exists(), reason="public samples not present")
def test_real_wechat_bill_moves_the_wallet_only_by_what_it_paid(make_compound) -> None:  # type: ignore[no-untyped-def]
    """DEG's WeChat example (27 rows). Moved the wallet (支付方式 零钱/零钱通, or / for money received): the
    rows below. Not booked: 6 trades paid by 中国银行(1234)/工商银行/工商银行储蓄卡(9876) (listed), 2 moves
    between 零钱 and 零钱通, 2 理财通 purchases paid by a card. 零钱提现 and 零钱充值 / 零钱通 moves to or from
    cards that are not the committee's are booked to 待分类 and listed."""
    fresh = make_compound(OPEN, config=CONFIG, files=EARLY)
    code, output = run(str(fresh), str(WECHAT_DEG))
    assert code == 2 and f"importing would leave {WECHAT} at -¥548.58 on 2017-10-20" in output
    root = make_compound(OPEN + opening("2017-10-19", WECHAT, "10000.00"), config=CONFIG, name="opened", files=EARLY)
    code, output = run(str(root), str(WECHAT_DEG))
    assert code == 0, output
    assert "18 new" in output
    ins = ["1300.00", "0.35", "23.00", "2000.00", "0.07", "0.07", "5.00"]
    outs = ["548.58", "5505.00", "12.00", "500.00", "1001.10", "10.10", "100.10", "2243.46", "12.00", "12.00",
            "36.99"]
    assert imported(root, WECHAT) == sorted([Decimal(x) for x in ins] + [-Decimal(x) for x in outs])
    assert balance(root, WECHAT) == Decimal("10000.00") + Decimal("3328.49") - Decimal("9981.33")
    assert balance(root, "Expenses:Committee:BankFee-手续费") == Decimal("1.20")  # 服务费 1.00 + 0.10 + 0.10
    assert "row 18 (2019-09-26 商户消费 云膳过桥米线(传奇广场店) ¥28.16): 中国银行(1234) is not the wallet" in output


DAORU = SAMPLES / "wechat" / "daoru-wechat-20190801-20190930.xlsx"


@pytest.mark.skipif(not DAORU.exists(), reason="public samples not present")
def test_real_wechat_refund_pairs_with_the_order_its_status_names() -> None:
    """The 2025-12-10 ¥0.11 refund (美团平台商户-退款) gives money back for the ¥50.71 美团 order of the same day whose
    status reads 已退款(￥0.11) — not for the earlier ¥50.00 美团平台商户 order of 2023-07-09 (before: linked there)."""
    import re

    from commonfund.importers import read_statement
    from commonfund.importers.extract import _pair
    from commonfund.importers.profiles import load_profiles

    statement = read_statement(DAORU, load_profiles())
    lines = statement.lines
    wallet = statement.layout.profile.wallet
    assert wallet is not None
    pairs = _pair(lines, re.compile(wallet.refunded_status))
    refund = next(i for i, line in enumerate(lines) if line.kind == "refund")
    assert (lines[refund].date, lines[refund].amount) == (date(2025, 12, 10), Decimal("0.11"))
    original = lines[pairs[refund]]
    assert (original.date, original.amount) == (date(2025, 12, 10), Decimal("-50.71"))
    assert original.status == "已退款(￥0.11)"
