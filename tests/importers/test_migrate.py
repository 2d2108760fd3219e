"""``commonfund migrate``: cash books into the books, all or nothing, once; statements linked, never doubled."""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
import tomllib
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from beancount.core import data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from tests.conftest import SMALL_CONFIG, SMALL_REGISTER, CompoundFactory

from commonfund.compound.config import load_config
from commonfund.compound.model import load_compound
from commonfund.compound.scaffold import main_text
from commonfund.core.accounts import render_accounts
from commonfund.core.errors import InputError
from commonfund.importers import importers_for
from commonfund.importers.cashbook import load_layouts, read_cashbook
from commonfund.importers.extract import BANK_IMPORT_ID, IMPORT_ID
from commonfund.importers.importing import import_statements
from commonfund.importers.ledger import render
from commonfund.importers.migrating import LINK_DAYS, match_movements, migrate_cashbooks
from commonfund.importers.opening import opening_entry
from commonfund.synth.history import write_history

FIXTURES = Path(__file__).resolve().parents[2] / "importers" / "cashbooks" / "fixtures"
REVENUE = FIXTURES / "ledger-detail" / "common-revenue.xlsx"
REVENUE_CSV = FIXTURES / "ledger-detail" / "common-revenue-2024-gbk.csv"
CASH = FIXTURES / "cash-journal" / "committee-cash.xlsx"
BANK = FIXTURES / "bank-journal" / "maintenance-bank.xlsx"
CR = "Assets:CommonRevenue:Bank-共有收益户"
CATEGORIES = (FIXTURES / "compound.toml").read_text("utf-8").split("[migrate.categories]", 1)[1]


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and "cache" not in p.name}


def opening_text(*items: tuple[str, str, str, date]) -> str:
    return "\n\n".join(render(opening_entry(account, fund, Decimal(amount), day, what="旧账结转"))
                       for account, fund, amount, day in items) + "\n"


OPENINGS = opening_text((CR, "CommonRevenue", "45210.00", date(2023, 1, 1)),
                        ("Assets:Committee:Cash-现金", "Committee", "520.00", date(2023, 1, 1)),
                        ("Assets:MaintenanceFund:Bank-维修资金专户", "MaintenanceFund", "1865423.88",
                         date(2024, 1, 1)))


@pytest.fixture
def books(make_compound: CompoundFactory) -> Path:
    """A compound (accounts opened 2023-01-01) holding the fixtures' balances brought forward."""
    return make_compound(OPENINGS, config=SMALL_CONFIG + "\n[migrate.categories]" + CATEGORIES)


def history(tmp_path: Path, years: int = 2) -> tuple[Path, dict[str, object]]:
    """A generated existing committee with the balance its cash book brings forward booked at the cut-over."""
    root = write_history(tmp_path / "h", years=years, seed=3, households=12)
    expected = json.loads((root / "history" / "history.json").read_text("utf-8"))
    opening = expected["opening"]
    (root / "books" / "cutover.beancount").write_text(opening_text(
        (opening["account"], "CommonRevenue", opening["amount"], date.fromisoformat(opening["date"]))), "utf-8")
    return root, expected


def test_migrate_each_layout_then_again_adds_nothing(books: Path) -> None:
    report = migrate_cashbooks(books, [REVENUE])
    assert [s.sheet for s in report.sheets] == ["2023年", "2024年"]
    assert [s.new for s in report.sheets] == [53, 53] and report.passed_over == [(REVENUE, "说明")]
    assert all(s.account == CR for s in report.sheets)  # the title names 共有收益
    report = migrate_cashbooks(books, [CASH], account="Assets:Committee:Cash-现金")
    assert sum(s.new for s in report.sheets) == 10 and sum(s.uncategorised for s in report.sheets) == 1
    report = migrate_cashbooks(books, [BANK], fund="MaintenanceFund")
    assert report.sheets[0].skipped == {"brought forward": 1, "carried": 2, "subtotal": 2}
    compound = load_compound(books)
    assert not compound.errors
    migrated = [e for e in compound.entries if isinstance(e, data.Transaction) and "migrated" in e.meta]
    assert len(migrated) == 53 + 53 + 10 + 10
    before = snapshot(books)
    for file, options in ((REVENUE, {}), (CASH, {"account": "Assets:Committee:Cash-现金"}),
                          (BANK, {"fund": "MaintenanceFund"})):
        again = migrate_cashbooks(books, [file], **options)  # type: ignore[arg-type]
        assert again.written == [] and sum(s.new for s in again.sheets) == 0
        assert sum(s.duplicates for s in again.sheets) == sum(s.rows for s in again.sheets)
    assert snapshot(books) == before


def test_resaved_by_a_spreadsheet_gives_the_same_rows(tmp_path: Path) -> None:
    layouts = load_layouts()
    workbook = load_workbook(REVENUE)
    resaved = tmp_path / "另存为.xlsx"
    workbook.save(resaved)
    assert [r.import_id for s in read_cashbook(resaved, layouts).sheets for r in s.rows] == \
           [r.import_id for s in read_cashbook(REVENUE, layouts).sheets for r in s.rows]
    text = REVENUE_CSV.read_bytes().decode("gbk")
    again = tmp_path / "收支明细账.csv"
    again.write_bytes("\r\n".join(text.splitlines()).encode("utf-8-sig") + b"\r\n")  # saved as UTF-8 with BOM
    gbk = tmp_path / "收支明细账-gbk.csv"
    gbk.write_bytes(text.encode("gbk"))
    ids = [r.import_id for s in read_cashbook(REVENUE_CSV, layouts).sheets for r in s.rows]
    assert [r.import_id for s in read_cashbook(again, layouts).sheets for r in s.rows] == ids
    assert [r.import_id for s in read_cashbook(gbk, layouts).sheets for r in s.rows] == ids
    html = tmp_path / "收支明细账.xls"  # what some tools save under an .xls name: an HTML table
    cells = ["<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in csv.reader(io.StringIO(text))]
    html.write_bytes(("<html><body><table>" + "".join(cells) + "</table></body></html>").encode("gbk"))
    assert [r.import_id for s in read_cashbook(html, layouts).sheets for r in s.rows] == ids


def test_resaved_workbook_migrates_nothing_new(books: Path, tmp_path: Path) -> None:
    migrate_cashbooks(books, [REVENUE])
    workbook = load_workbook(REVENUE)
    resaved = tmp_path / "收支明细账（修改后）.xlsx"
    workbook.save(resaved)
    report = migrate_cashbooks(books, [resaved])
    assert sum(s.new for s in report.sheets) == 0 and report.written == []
    sheet = tmp_path / "2024年.csv"  # one sheet saved as CSV (GBK, CRLF) by the spreadsheet: the same rows again
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(
        [["" if v is None else (f"{v:%Y-%m-%d}" if hasattr(v, "year") else str(v)) for v in row]
         for row in workbook["2024年"].iter_rows(values_only=True)])
    sheet.write_bytes(out.getvalue().encode("gbk"))
    report = migrate_cashbooks(books, [sheet], fund="CommonRevenue")
    assert report.sheets[0].rows == 53 and report.sheets[0].duplicates == 53 and report.written == []


def test_running_balance_that_does_not_add_up_names_the_row(books: Path, tmp_path: Path) -> None:
    workbook = load_workbook(REVENUE)
    sheet = workbook["2024年"]
    sheet.cell(10, 7).value = float(sheet.cell(10, 7).value) + 1  # 余额 of row 10 one yuan off
    broken = tmp_path / "错账.xlsx"
    workbook.save(broken)
    before = snapshot(books)
    with pytest.raises(InputError) as caught:
        migrate_cashbooks(books, [broken])
    assert str(caught.value).startswith(f"{broken}: sheet '2024年' row 10: the balance does not add up: ")
    assert "\n" not in str(caught.value)
    assert snapshot(books) == before


def test_brought_forward_must_be_what_the_books_hold(make_compound: CompoundFactory) -> None:
    root = make_compound("", config=SMALL_CONFIG + "\n[migrate.categories]" + CATEGORIES)
    before = snapshot(root)
    with pytest.raises(InputError) as caught:
        migrate_cashbooks(root, [REVENUE])
    message = str(caught.value)
    assert message.startswith(f"{REVENUE}: sheet '2023年' row 3: the cash book brings forward ¥45,210.00 on "
                              f"2023-01-01, but the books hold ¥0.00 for {CR} at that date; record the balances at "
                              "the cut-over first (")
    assert "opening" in message and "--date 2023-01-01" in message
    assert snapshot(root) == before


def test_a_sheet_named_for_another_fund_is_refused(books: Path) -> None:
    with pytest.raises(InputError, match="money does not cross funds"):
        migrate_cashbooks(books, [REVENUE], fund="MaintenanceFund")


def test_category_table_is_validated(tmp_path: Path) -> None:
    path = tmp_path / "compound.toml"
    path.write_text('name = "x"\nslug = "x"\n[migrate.categories]\n"停车费" = "Income:Parking"\n', "utf-8")
    with pytest.raises(InputError) as caught:
        load_config(path)
    assert str(caught.value) == (f"{path}: migrate.categories.停车费: must be an account of a fund, e.g. "
                                 "Income:CommonRevenue:Parking-停车")


def _txn(day: date, amount: str, ident: str = "") -> data.Transaction:
    from beancount.core.amount import Amount

    meta = data.new_metadata("x", 0)
    meta[IMPORT_ID] = ident
    posting = data.Posting(CR, Amount(Decimal(amount), "CNY"), None, None, None, None)
    return data.Transaction(meta, day, "*", None, "", frozenset(), frozenset(), [posting])


def test_match_movements_nearest_first_one_to_one_within_the_window() -> None:
    d = date(2025, 3, 10)
    migrated = [_txn(d, "100.00"), _txn(d + timedelta(days=2), "100.00"), _txn(d, "-50.00")]
    lines = [_txn(d + timedelta(days=2), "100.00"), _txn(d + timedelta(days=3), "100.00"),
             _txn(d + timedelta(days=1), "50.00"), _txn(d + timedelta(days=LINK_DAYS + 1), "-50.00")]
    # line 0 takes the entry of its own day (gap 0), line 1 the other (gap 3); money in never matches money out,
    # and a line beyond the window matches nothing
    assert match_movements(lines, migrated) == {0: 1, 1: 0}
    assert match_movements(list(reversed(lines)), migrated) == {3: 1, 2: 0}


def test_statements_overlapping_the_cash_book_are_linked_not_doubled(tmp_path: Path) -> None:
    root, expected = history(tmp_path)
    report = migrate_cashbooks(root, [root / str(expected["cashbook"])])
    assert sum(s.new for s in report.sheets) == expected["rows"]
    assert sum(s.uncategorised for s in report.sheets) == expected["uncategorised"]
    statements = [root / str(p) for p in expected["statements"]]  # type: ignore[attr-defined]

    # Fava's import page: the same rule marks the overlapping lines as already in the books
    importer = next(i for i in importers_for(root) if i.identify(str(statements[0])))
    existing = load_compound(root).entries
    marked = 0
    for path in statements:
        entries = importer.extract(str(path), existing)
        importer.deduplicate(entries, existing)
        marked += sum(1 for e in entries if isinstance(e, data.Transaction) and e.meta.get("__duplicate__"))
    assert marked == expected["linked"]

    first = import_statements(root, statements)
    assert sum(f.linked for f in first.files) == expected["linked"]
    assert sum(f.new for f in first.files) == expected["new_after"]
    compound = load_compound(root)
    assert not compound.errors
    on_bank = [e for e in compound.entries if isinstance(e, data.Transaction)
               and any(p.account == CR for p in e.postings) and "opening" not in e.meta
               and "distribution" not in e.meta]  # the year-end dividend is booked by synth, after the statements
    assert len(on_bank) == expected["rows"] + expected["new_after"]  # 0 doubled
    linked = [e for e in on_bank if BANK_IMPORT_ID in e.meta]
    assert len(linked) == expected["linked"]
    before = snapshot(root)
    second = import_statements(root, statements)
    assert second.written == [] and sum(f.new + f.linked for f in second.files) == 0
    assert sum(f.duplicates for f in second.files) == expected["linked"] + expected["new_after"]
    assert snapshot(root) == before
    again = migrate_cashbooks(root, [root / str(expected["cashbook"])])  # re-dated entries are still known
    assert again.written == [] and sum(s.new for s in again.sheets) == 0


# --------------------------------------------------------------------------------------------------- fuzz

BREAKS = st.sampled_from(["", "abc", "12.3.4", "2023-13-45", "本月合计", "上年结转", "１２", "-", "1e999", "=1+1",
                          "99999999999999999999", "3月", "0"])


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[list[str]]]:
    folder = tmp_path_factory.mktemp("fuzz")
    root = folder / "c"
    (root / "books").mkdir(parents=True)
    (root / "imports").mkdir()
    (root / "documents").mkdir()
    (root / "compound.toml").write_text(SMALL_CONFIG + "\n[migrate.categories]" + CATEGORIES, "utf-8")
    (root / "households.csv").write_text(SMALL_REGISTER, "utf-8")
    (root / "main.beancount").write_text(main_text("测试小区"), "utf-8")
    (root / "accounts.beancount").write_text(render_accounts(date(2023, 1, 1)), "utf-8")
    (root / "resolutions.beancount").write_text("", "utf-8")
    (root / "imports" / "index.beancount").write_text("", "utf-8")
    opening = REVENUE_CSV.read_bytes().decode("gbk")
    rows = list(csv.reader(io.StringIO(opening)))
    (root / "books" / "books.beancount").write_text(
        opening_text((CR, "CommonRevenue", rows[2][6], date(2024, 1, 1))), "utf-8")
    return root, rows[:30]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(st.tuples(st.integers(1, 29), st.integers(0, 8), BREAKS), min_size=1, max_size=3),
       drop=st.one_of(st.none(), st.integers(3, 29)))
def test_fuzzed_cash_book_gives_one_clear_error_and_changes_nothing(
        pristine: tuple[Path, list[list[str]]], tmp_path: Path, changes: list[tuple[int, int, str]],
        drop: int | None) -> None:
    template, rows = pristine
    rows = [list(r) for r in rows]
    for row, column, text in changes:
        while len(rows[row]) <= column:
            rows[row].append("")
        rows[row][column] = text
    if drop is not None:
        del rows[drop]
    work = Path(tempfile.mkdtemp(dir=tmp_path))  # hypothesis runs many examples in one tmp_path
    shutil.copytree(template, work / "c")
    root = work / "c"
    book = work / "broken.csv"
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    book.write_bytes(out.getvalue().encode("gbk", errors="replace"))
    before = snapshot(root)
    try:
        report = migrate_cashbooks(root, [book], fund="CommonRevenue")
    except InputError as exc:
        message = str(exc)
        assert "\n" not in message and message.startswith(str(book))
        assert snapshot(root) == before
        return
    assert report.written or not report.entries  # read as a cash book: then the books check clean
    assert not load_compound(root).errors
    assert tomllib.loads((root / "compound.toml").read_text("utf-8"))


def test_one_sheet_per_fund_goes_to_each_funds_account(books: Path, tmp_path: Path) -> None:
    from commonfund.synth.history import Movement, history_movements, ledger_detail_rows, workbook_bytes

    repairs = [Movement(date(2024, 3, 2), "电梯维修", "维修支出-电梯", -1200000, "周晓梅", "", "记-001"),
               Movement(date(2024, 3, 21), "结息", "利息收入", 51234, "周晓梅", "", "记-002")]
    revenue = history_movements(2023, 2023, seed=7)
    path = tmp_path / "业委会账本.xlsx"
    path.write_bytes(workbook_bytes([("公共收益", ledger_detail_rows(2023, revenue, 4521000, "收支明细账")),
                                     ("维修资金", ledger_detail_rows(2024, repairs, 186542388, "收支明细账"))]))
    report = migrate_cashbooks(books, [path])
    assert [(s.sheet, s.account, s.new) for s in report.sheets] == [
        ("公共收益", CR, len(revenue)), ("维修资金", "Assets:MaintenanceFund:Bank-维修资金专户", 2)]
    assert not load_compound(books).errors
    with pytest.raises(InputError, match="money does not cross funds"):
        migrate_cashbooks(books, [path], account=CR)  # the 维修资金 sheet is not common revenue's


def test_rows_in_months_a_statement_already_booked_are_refused(make_compound: CompoundFactory) -> None:
    imported = ('\n2024-06-03 * "银行流水"\n  import_id: "h0123456789abcdef"\n'
                f"  {CR}  10.00 CNY\n  Income:CommonRevenue:Uncategorized-待分类  -10.00 CNY\n")
    root = make_compound(OPENINGS + imported, config=SMALL_CONFIG + "\n[migrate.categories]" + CATEGORIES)
    before = snapshot(root)
    with pytest.raises(InputError) as caught:
        migrate_cashbooks(root, [REVENUE])
    assert str(caught.value).startswith(f"{REVENUE}: sheet '2024年' row ")
    assert ("but the books already hold Assets:CommonRevenue:Bank-共有收益户 from a bank statement from 2024-06-03 "
            "on, and the same money would be booked twice") in str(caught.value)
    assert snapshot(root) == before


def test_an_old_xls_workbook_reads_as_the_same_rows(tmp_path: Path) -> None:
    import xlwt  # the dev extra: writes OLE (BIFF8) .xls as Excel 2003 and WPS save it

    workbook = load_workbook(REVENUE)
    book = xlwt.Workbook(encoding="utf-8")
    dated = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for name in ("2023年", "2024年"):
        sheet = book.add_sheet(name)
        for r, row in enumerate(workbook[name].iter_rows(values_only=True)):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if hasattr(value, "year"):
                    sheet.write(r, c, value, dated)
                else:
                    sheet.write(r, c, float(value) if isinstance(value, (int, float)) else value)
    old = tmp_path / "收支明细账.xls"
    book.save(str(old))
    layouts = load_layouts()
    assert [r.import_id for s in read_cashbook(old, layouts).sheets for r in s.rows] == \
           [r.import_id for s in read_cashbook(REVENUE, layouts).sheets for r in s.rows]


def test_short_dates_blank_balances_and_voided_rows(tmp_path: Path) -> None:
    path = tmp_path / "手工账.csv"
    path.write_bytes("\r\n".join([
        "梧桐小苑收支明细账（2024年）",
        "日期,凭证号,摘要,类别,收入,支出,余额,经手人,备注",
        "1月1日,,上年结转,,,,\"1,000.00\",,",
        "1月5日,记-1,停车费,停车费,200.00,,,张三,",
        "1月5日,记-2,手续费,手续费,,5.00,\"1,195.00\",张三,",
        "1月8日,记-3,作废,,0.00,0.00,\"1,195.00\",,",
        "1/9,记-4,广告费,广告费,￥50.00,,\"1,245.00\",李四,",
        "1月10日,记-5,广告费,广告费,50.00,,\"1,300.00\",李四,",
    ]).encode("gbk"))
    with pytest.raises(InputError) as caught:
        read_cashbook(path, load_layouts())
    assert str(caught.value) == (f"{path}:8: the balance does not add up: ¥1,245.00 + ¥50.00 is ¥1,295.00, the "
                                 "sheet says ¥1,300.00")
    path.write_bytes(path.read_bytes().replace(b"1,300.00", b"1,295.00"))
    [sheet] = read_cashbook(path, load_layouts()).sheets
    assert [(r.date, r.amount, r.balance) for r in sheet.rows] == [
        (date(2024, 1, 5), Decimal("200.00"), None), (date(2024, 1, 5), Decimal("-5.00"), Decimal("1195.00")),
        (date(2024, 1, 9), Decimal("50.00"), Decimal("1245.00")),
        (date(2024, 1, 10), Decimal("50.00"), Decimal("1295.00"))]
    assert sheet.skipped == {"brought forward": 1, "zero amount": 1}
    assert sheet.opening is not None and sheet.opening.balance == Decimal("1000.00")


def test_the_same_cash_book_twice_in_one_run_counts_once(books: Path, tmp_path: Path) -> None:
    resaved = tmp_path / "收支明细账-另存.xlsx"
    load_workbook(REVENUE).save(resaved)
    report = migrate_cashbooks(books, [REVENUE, resaved])
    assert sum(s.new for s in report.sheets) == 106 and sum(s.duplicates for s in report.sheets) == 106
    assert not load_compound(books).errors


def test_one_amount_column_signed_or_with_its_flag(tmp_path: Path) -> None:
    signed = tmp_path / "流水.csv"
    signed.write_bytes("\r\n".join(["日期,摘要,项目,金额,余额", "2024-01-02,期初余额,,,100.00",
                                    "2024-01-03,停车费,停车费,50.00,150.00", "2024-01-04,电费,经营成本,-20.00,130.00"])
                       .encode("utf-8-sig"))
    [sheet] = read_cashbook(signed, load_layouts()).sheets
    assert sheet.layout.name == "ledger-amount"
    assert [r.amount for r in sheet.rows] == [Decimal("50.00"), Decimal("-20.00")]
    flagged = tmp_path / "流水2.csv"
    flagged.write_bytes("\r\n".join(["日期,收/支,摘要,金额,余额", "2024-01-03,收,停车费,50.00,150.00",
                                     "2024-01-04,,电费,20.00,130.00"]).encode("gbk"))
    with pytest.raises(InputError) as caught:
        read_cashbook(flagged, load_layouts())
    assert str(caught.value) == f"{flagged}:3: this row does not say in 收/支 whether the money came in or went out"
