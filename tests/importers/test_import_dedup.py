"""De-duplication: a line is skipped only when it is the same money movement as one already booked.

Same account, same serial (交易单号) *and* same date and amount. A serial Excel garbled (``4.20E+27``, or 15
digits then zeros) or one the file gives to lines of different dates or amounts is no identity: such lines
are recognised by their content, and the summary says so.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonfund.cli import main
from commonfund.compound.config import load_config
from commonfund.compound.model import load_compound
from commonfund.importers import read_statement
from commonfund.importers.extract import identities, same_serial
from commonfund.importers.importing import _new_entries
from commonfund.importers.ledger import Books
from commonfund.importers.profiles import load_profiles

WALLET = "Assets:Committee:WeChat-微信零钱"
WALLET_CONFIG = f"""
[[bank_accounts]]
account = "{WALLET}"
bank = "WECHAT"
fund = "Committee"
profile = "wechat"
"""
OPENING = f"""
2023-01-01 open {WALLET} CNY
2023-12-31 * "期初余额"
  {WALLET}  5000.00 CNY
  Equity:Committee:Opening-期初
"""
HEADER = "交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注"
PREAMBLE = ["微信支付账单明细", "微信昵称：[锦绣花园业委会]",
            "起始时间：[2024-06-01 00:00:00] 终止时间：[2024-07-31 23:59:59]", "导出类型：[全部]", "",
            "----------------------微信支付账单明细列表--------------------"]


def wechat_bill(path: Path, rows: list[str]) -> Path:
    """A WeChat bill as a CSV that Excel or WPS saved again: preamble, header, then *rows* as given."""
    path.write_text("\r\n".join([*PREAMBLE, HEADER, *rows]) + "\r\n", "utf-8")
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["import", *args])
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def wallet_postings(root: Path) -> list[tuple[date, Decimal]]:
    books = load_compound(root)
    assert books.errors == []
    return sorted((t.date, p.units.number) for t in books.transactions if "import_id" in t.meta
                  for p in t.postings if p.account == WALLET)


# The scenario: two bills, each re-saved by Excel, two different payments with the same 4.20E+27.
DONATION = "2024/6/7 23:40,分分捐,腾讯公益慈善基金会,焕新乐园,支出,0.01,零钱,支付成功,4.20E+27,1.57E+26,/"
REPAIR = "2024/7/1 09:15,商户消费,某五金店,门禁维修配件,支出,380.00,零钱,支付成功,4.20E+27,1.57E+26,/"


def test_two_excel_saved_bills_book_both_payments(make_compound, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import SMALL_CONFIG

    root = make_compound(OPENING, config=SMALL_CONFIG + WALLET_CONFIG)
    june = wechat_bill(tmp_path / "june.csv", [DONATION])
    july = wechat_bill(tmp_path / "july.csv", [REPAIR])
    code, output = run(str(root), str(june))
    assert code == 0, output
    assert "1 line: 交易单号 unreadable (saved by Excel?)" in output
    code, output = run(str(root), str(july))
    assert code == 0, output
    assert "1 new, 0 duplicates skipped" in output and "books unchanged" not in output
    assert wallet_postings(root) == [(date(2024, 6, 7), Decimal("-0.01")), (date(2024, 7, 1), Decimal("-380.00"))]
    # and both again, in one import, in the other order: nothing new
    code, output = run(str(root), str(july), str(june))
    assert code == 0 and "total: 0 new, 2 duplicates skipped" in output, output


def test_books_from_before_keep_their_ids(make_compound, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Books written by the importer before this rule hold ``import_id: "4.20E+27"``: the same movement is
    still a duplicate, a different one with that serial is booked."""
    from tests.conftest import SMALL_CONFIG

    earlier = OPENING + f"""
2024-06-07 * "腾讯公益慈善基金会" "分分捐 焕新乐园"
  import_id: "4.20E+27"
  {WALLET}  -0.01 CNY
  Expenses:Committee:Uncategorized-待分类
"""
    root = make_compound(earlier, config=SMALL_CONFIG + WALLET_CONFIG)
    both = wechat_bill(tmp_path / "both.csv", [REPAIR, DONATION])
    code, output = run(str(root), str(both))
    assert code == 0, output
    assert "1 new, 1 duplicates skipped" in output
    assert "2 lines: 交易单号 unreadable (saved by Excel?)" in output
    assert wallet_postings(root) == [(date(2024, 6, 7), Decimal("-0.01")), (date(2024, 7, 1), Decimal("-380.00"))]


def test_a_serial_booked_for_another_movement_is_not_a_duplicate(make_compound, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import SMALL_CONFIG

    first = "2024-06-07 10:00:00,商户消费,某五金店,螺丝,支出,¥12.00,零钱,支付成功,4200000001202406070000000001\t,/,/"
    second = "2024-06-09 10:00:00,商户消费,某五金店,门锁,支出,¥88.00,零钱,支付成功,4200000001202406070000000001\t,/,/"
    root = make_compound(OPENING, config=SMALL_CONFIG + WALLET_CONFIG)
    assert run(str(root), str(wechat_bill(tmp_path / "a.csv", [first])))[0] == 0
    code, output = run(str(root), str(wechat_bill(tmp_path / "b.csv", [second])))
    assert code == 0 and "1 new" in output, output
    assert "1 line: 交易单号 already booked for another date or amount" in output
    assert [a for _, a in wallet_postings(root)] == [Decimal("-12.00"), Decimal("-88.00")]


def test_garbled_serials_are_not_identities() -> None:
    assert same_serial("4.20E+27", "4200002168202406076349888061")
    assert not same_serial("4.20E+27", "4300002168202406076349888061")
    assert not same_serial("4.20E+27", "420000216820240607634988806")  # one digit short
    assert same_serial("4200002168202400000000000000", "4200002168202406076349888061")
    assert same_serial("4200002168202406000000000000", "4200002168202406076349888061")  # a float: 17 digits
    assert not same_serial("1000050001202410", "1000050001202411")  # two real 16-digit serials
    assert not same_serial("S240103001", "S240103002")


# ── the property ────────────────────────────────────────────────────────────────────────────────────────

PAYEES = ["某五金店", "腾讯公益慈善基金会", "得力办公用品商行", "张三"]


@st.composite
def movements(draw: st.DrawFn) -> list[tuple[date, str, str, Decimal, str, str]]:
    """Distinct payments/receipts of one wallet: (date, time, payee, amount, direction, serial).

    Distinct means they differ in date, payee or amount. Two movements alike in all three (at different
    times), one in a clean file and the other in a file whose serials Excel garbled, cannot be told apart:
    the books keep no time of day, and ``4.20E+27`` fits both serials (see importers/README.md). Bills
    cover whole days, so such a pair is in both files or in neither."""
    count = draw(st.integers(1, 9))
    out = []
    seen = set()
    for n in range(count):
        day = date(2024, 6, 1) + timedelta(days=draw(st.integers(0, 3)))
        clock = draw(st.sampled_from(["09:00:00", "12:30:00", "23:40:27"]))
        payee = draw(st.sampled_from(PAYEES))
        amount = Decimal(draw(st.sampled_from(["0.01", "12.00", "380.00", "50.71"])))
        direction = draw(st.sampled_from(["支出", "收入"]))
        if (day, payee, amount) in seen:
            continue
        seen.add((day, payee, amount))
        serial = f"42000021682024060{n:02d}{draw(st.integers(0, 99)):02d}4988806"
        out.append((day, clock, payee, amount, direction, serial))
    return out


def _garble(serial: str, how: str) -> str:
    if how == "scientific":
        return f"{Decimal(serial):.2E}"
    if how == "shortened":
        return serial[:15] + "0" * (len(serial) - 15)
    return serial + "\t"


@given(moves=movements(), data=st.data())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_movement_is_booked_exactly_once(tmp_path: Path, moves: list[tuple[date, str, str, Decimal, str, str]],
                                               data: st.DataObject) -> None:
    """Any split of the lines over files (overlapping), any order of the files, any serials garbled."""
    files = data.draw(st.lists(st.lists(st.integers(0, len(moves) - 1), min_size=1, max_size=len(moves), unique=True),
                               min_size=1, max_size=4))
    config = load_config(Path(__file__).resolve().parents[2] / "importers" / "fixtures" / "compound.toml")
    profiles = load_profiles()
    books = Books(tmp_path / "main.beancount", [], [], {})
    booked = []
    for number, members in enumerate(files):
        shown = {}
        for index in members:
            how = data.draw(st.sampled_from(["clean", "scientific", "shortened", "shared"]))
            shown[index] = None if how == "shared" else _garble(moves[index][5], how)
        for index in members:  # an export that gives one line's serial to another line of the file
            day, amount = moves[index][0], moves[index][3]
            if shown[index] is None:
                others = [shown[i] for i in members
                          if shown[i] is not None and (moves[i][0], moves[i][3]) != (day, amount)]
                shown[index] = others[0] if others else _garble(moves[index][5], "clean")
        saved = data.draw(st.booleans())  # saved again by Excel: 2024/6/1 23:40, seconds gone
        rows = []
        for index in members:
            day, clock, payee, amount, direction, _ = moves[index]
            when = f"{day.year}/{day.month}/{day.day} {clock[:5]}" if saved else f"{day.isoformat()} {clock}"
            rows.append(f"{when},商户消费,{payee},货品,{direction},¥{amount},零钱,支付成功,{shown[index]},/,/")
        path = wechat_bill(tmp_path / f"bill-{number}.csv", rows)
        statement = read_statement(path, profiles)
        _, new = _new_entries(books, config, [statement], None)
        booked += [(t.date, t.payee, t.postings[0].units.number) for t in new if hasattr(t, "postings")]
    present = {i for members in files for i in members}
    expected = sorted((moves[i][0], moves[i][2], moves[i][3] if moves[i][4] == "收入" else -moves[i][3])
                      for i in present)
    assert sorted(booked) == expected


def test_clean_ids_are_what_they_were() -> None:
    """A clean file's ids are its serials (twins suffixed) or the old hash — as books written before hold."""
    path = Path(__file__).resolve().parents[2] / "importers" / "fixtures" / "wechat" / "personal.csv"
    statement = read_statement(path, load_profiles())
    found = identities(WALLET, statement.lines)
    assert [i.trouble for i in found] == [""] * len(found)
    assert [i.id for i in found] == [line.serial.strip() for line in statement.lines]


def test_a_bill_saved_again_with_numeric_serials_adds_nothing(make_compound, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Held out: the 2025 WeChat xlsx fixture opened and saved again with its 交易单号 as numbers (a binary
    float keeps 17 digits); imported after the clean bill, and the other way round, nothing is booked twice."""
    from openpyxl import load_workbook
    from tests.conftest import SMALL_CONFIG

    clean = Path(__file__).resolve().parents[2] / "importers" / "fixtures" / "wechat" / "personal-2025.xlsx"
    book = load_workbook(clean)
    sheet = book.active
    numeric = 0
    for row in sheet.iter_rows():
        cell = row[8]
        if isinstance(cell.value, str) and cell.value.strip().isdigit():
            cell.value = float(cell.value.strip())
            numeric += 1
    assert numeric == 7
    resaved = tmp_path / "personal-2025-resaved.xlsx"
    book.save(resaved)
    statement = read_statement(resaved, load_profiles())
    assert {i.trouble for i in identities(WALLET, statement.lines)} == {"excel"}
    for first, second in ((clean, resaved), (resaved, clean)):
        root = make_compound(OPENING, config=SMALL_CONFIG + WALLET_CONFIG, name=first.stem)
        code, output = run(str(root), str(first))
        assert code == 0 and "7 new" in output, output
        code, output = run(str(root), str(second))
        assert code == 0 and "0 new, 7 duplicates skipped" in output, output


def test_the_clean_bill_and_its_excel_copy_are_the_same_movements(make_compound) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import SMALL_CONFIG

    folder = Path(__file__).resolve().parents[2] / "importers" / "fixtures" / "wechat"
    root = make_compound(OPENING, config=SMALL_CONFIG + WALLET_CONFIG)
    code, output = run(str(root), str(folder / "excel-resaved.csv"))
    assert code == 0 and "7 new" in output and "7 lines: 交易单号 unreadable (saved by Excel?)" in output, output
    code, output = run(str(root), str(folder / "personal.csv"), str(folder / "personal-2026.xlsx"))
    assert code == 0 and "total: 0 new, 14 duplicates skipped" in output, output
