"""Fuzzing bank statements (issue 9 §1) and idempotence of ``commonfund import`` (§4).

Statements are drawn as real bank layouts (ICBC CSV in GBK, CCB xlsx, WeChat Pay CSV) with absurd amounts
and dates, formula-injection text, shuffled or missing columns, other encodings; as the shipped fixtures
of every profile, truncated or bit-flipped; and as random bytes. Property: a correct import (the books
load clean and a second import adds nothing) or one error naming the file (and row) — never another
exception, and on error not one byte of the compound changed.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import shutil
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from fuzz_inputs import NASTY_CELLS, damage, truncated_xls
from hardening_kit import assert_names_file, examples, tally, tree_digest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import SMALL_CONFIG

from commonfund.compound.model import load_compound
from commonfund.core.errors import InputError
from commonfund.importers.importing import import_statements, read_statement
from commonfund.importers.profiles import load_profiles
from commonfund.synth.writers import SynthLine, ccb_xlsx, icbc_csv, wechat_merchant_csv

FIXTURES = Path(__file__).resolve().parents[2] / "importers" / "fixtures"
FIXTURE_FILES = sorted(p for p in FIXTURES.glob("*/*") if p.suffix != ".beancount" and p.is_file())
ICBC_NO, CCB_NO = "1001020300005678", "6217000000001234"
INJECTION = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "+1+1", "-1+1", "@SUM(A1:A9)", "=1+1"]
_counter = itertools.count()


def texts() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(INJECTION + NASTY_CELLS[:40] + ["丰巢网络技术有限公司", "物业费", ""]),
                     st.text(max_size=10))


@st.composite
def synth_lines(draw: st.DrawFn) -> list[SynthLine]:
    """Statement lines with sensible or absurd amounts and dates; the balance runs from 0."""
    lines, balance = [], Decimal(0)
    day = draw(st.sampled_from([date(2024, 2, 1), date(1900, 1, 1), date(2099, 12, 1), date(2023, 1, 1)]))
    for n in range(draw(st.integers(1, 6))):
        amount = draw(st.one_of(
            st.decimals(min_value=Decimal("-50000"), max_value=Decimal("50000"), places=2, allow_nan=False),
            st.sampled_from([Decimal("0"), Decimal("0.001"), Decimal("-0.00"), Decimal("1e15"), Decimal("-1e15"),
                             Decimal("99999999999.99"), Decimal("0.01")])))
        balance += amount
        day += timedelta(days=draw(st.integers(0, 40)))
        lines.append(SynthLine(day, f"10:00:{n:02d}", amount, balance, f"S{n:06d}", draw(texts()),
                               draw(st.sampled_from(["", "62220001", "=1+1"])), draw(texts()), draw(texts())))
    return lines


def shuffle_csv(content: bytes, encoding: str, draw: st.DrawFn) -> bytes:
    """Drop or permute the columns of a CSV statement (header and lines alike)."""
    text = content.decode(encoding)
    rows = list(csv.reader(io.StringIO(text)))
    width = max(len(r) for r in rows)
    order = list(range(width))
    if draw(st.booleans()):
        order = draw(st.permutations(order))
    else:
        del order[draw(st.integers(0, width - 1))]
    out = io.StringIO()
    csv.writer(out).writerows([[r[i] if i < len(r) else "" for i in order] for r in rows])
    return out.getvalue().encode(encoding)


@st.composite
def statement_file(draw: st.DrawFn) -> tuple[str, str, bytes]:
    """``(form, suffix, bytes)`` of a statement to import."""
    form = draw(st.sampled_from(["icbc", "icbc", "ccb", "wechat", "fixture", "bytes"]))
    if form == "bytes":
        magic = draw(st.sampled_from([b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"[HISTORYDETAIL]\r\n",
                                      truncated_xls()]))
        suffix = draw(st.sampled_from([".csv", ".xlsx", ".xls"]))
        return form, suffix, draw(damage(magic + draw(st.binary(max_size=400))))
    if form == "fixture":
        path = draw(st.sampled_from(FIXTURE_FILES))
        return f"fixture {path.parent.name}", path.suffix, draw(damage(path.read_bytes()))
    lines = draw(synth_lines())
    if form == "icbc":
        try:
            content = icbc_csv(lines, ICBC_NO)
        except UnicodeEncodeError:
            return "icbc (not GBK)", ".csv", icbc_csv([line._replace(counterparty="?", summary="?", purpose="?")
                                                      for line in lines], ICBC_NO)
        if draw(st.integers(0, 3)) == 0:
            content = shuffle_csv(content, "gbk", draw)
            form += " shuffled columns"
        if draw(st.integers(0, 5)) == 0:
            content = content.decode("gbk").encode(draw(st.sampled_from(["utf-8", "utf-16", "big5", "utf-8-sig"])),
                                                   "replace")
            form += " re-encoded"
        return form, ".csv", draw(damage(content))
    if form == "ccb":  # a workbook cannot hold control characters
        clean = [line._replace(**{k: _printable(getattr(line, k)) for k in ("counterparty", "summary", "purpose")})
                 for line in lines]
        return form, ".xlsx", draw(damage(ccb_xlsx(clean, CCB_NO, "测试小区业主委员会")))
    return form, ".csv", draw(damage(wechat_merchant_csv(lines)))


def _printable(text: str) -> str:
    return "".join(ch for ch in text if ch.isprintable())


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import SMALL_REGISTER

    from commonfund.compound.scaffold import main_text
    from commonfund.core.accounts import render_accounts

    root = tmp_path_factory.mktemp("statements") / "c"
    (root / "books").mkdir(parents=True)
    (root / "imports").mkdir()
    (root / "documents").mkdir()
    rules = '\n[[rules]]\ncounterparty = "丰巢"\naccount = "Income:CommonRevenue:Lockers-快递柜"\n'
    (root / "compound.toml").write_text(SMALL_CONFIG + rules, "utf-8")
    (root / "households.csv").write_text(SMALL_REGISTER, "utf-8")
    (root / "main.beancount").write_text(main_text("测试小区"), "utf-8")
    (root / "accounts.beancount").write_text(render_accounts(date(1900, 1, 1)), "utf-8")
    (root / "resolutions.beancount").write_text("", "utf-8")
    (root / "imports" / "index.beancount").write_text("", "utf-8")
    (root / "books" / "books.beancount").write_text("", "utf-8")
    assert not load_compound(root).errors
    return root


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("statement-files")


@examples(short=150, long=10_000)
@given(case=statement_file())
def test_statements_read_or_fail_clearly(scratch: Path, case: tuple[str, str, bytes]) -> None:
    """The reading stage (read, recognise the bank, normalise lines) on every drawn statement."""
    _, suffix, content = case
    path = scratch / f"s{next(_counter)}{suffix}"
    path.write_bytes(content)
    try:
        statement = read_statement(path, load_profiles())
    except InputError as exc:
        assert_names_file(exc, path)
        tally("statement (read + recognise + normalise)", "input error")
        if os.environ.get("HARDENING_SHOW_ERRORS"):
            print("ERR", exc)
        return
    assert statement.lines is not None
    tally("statement (read + recognise + normalise)", "read")


@examples(short=40, long=10_000)
@given(case=statement_file())
def test_statements_import_or_change_nothing(pristine: Path, scratch: Path, case: tuple[str, str, bytes]) -> None:
    """The whole import: a correct import (clean books, idempotent) or an error and an unchanged compound."""
    form, suffix, content = case
    kind = form.split()[0]
    root = scratch / "compound"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(pristine, root)
    path = scratch / f"s{next(_counter)}{suffix}"
    path.write_bytes(content)
    before = tree_digest(root)
    try:
        report = import_statements(root, [path])
    except InputError as exc:
        assert exc.where.startswith((str(path), str(root))), exc
        assert "\n" not in str(exc)
        assert tree_digest(root) == before, f"a failed import changed the compound: {exc}"
        tally(f"statement (full import) {kind}", "input error, compound unchanged")
        return
    books = load_compound(root)
    assert not books.errors, books.errors[:3]
    after = tree_digest(root)
    again = import_statements(root, [path])
    assert sum(f.new for f in again.files) == 0 and not again.written and tree_digest(root) == after
    tally(f"statement (full import) {kind}", "imported, books clean, re-import adds nothing" if report.written
          else "nothing new")


def test_reimporting_every_demo_statement_ten_times_adds_nothing(tmp_path: Path) -> None:
    """Idempotence (§4): all statements of a synthetic compound, imported, then ten more times."""
    from commonfund.synth.generator import synth_compound

    root = synth_compound(tmp_path / "s", 40, 1, 3, statements_months=3)
    files = sorted((root / "statements").glob("*.*"))
    first = import_statements(root, files)
    assert sum(f.new for f in first.files) > 0 and not load_compound(root).errors
    digest = tree_digest(root)
    for _ in range(10):
        again = import_statements(root, files)
        assert sum(f.new for f in again.files) == 0 and not again.written
    assert tree_digest(root) == digest
    tally("idempotence: demo statements re-imported", f"{len(files)} files × 10, 0 new")


def test_overlapping_statements_add_only_the_new_lines(pristine: Path, tmp_path: Path) -> None:
    """Lines 1–6 then lines 4–10 of one account: the second import adds exactly lines 7–10."""
    root = tmp_path / "c"
    shutil.copytree(pristine, root)
    balance, lines = Decimal(0), []
    for n in range(10):
        amount = Decimal(100 + n)
        balance += amount
        lines.append(SynthLine(date(2024, 3, 1 + n), "10:00:00", amount, balance, f"S{n}", "丰巢网络技术有限公司",
                               "62220001", "快递柜场地费", f"第{n}期"))
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    first.write_bytes(ccb_xlsx(lines[:6], CCB_NO, "测试"))
    second.write_bytes(ccb_xlsx(lines[3:], CCB_NO, "测试"))
    assert sum(f.new for f in import_statements(root, [first]).files) == 6
    report = import_statements(root, [second])
    assert [(f.new, f.duplicates) for f in report.files] == [(4, 3)]
    books = load_compound(root)
    assert not books.errors
    assert sorted(str(t.meta["import_id"]) for t in books.transactions if "import_id" in t.meta) == sorted(
        {str(t.meta["import_id"]) for t in books.transactions if "import_id" in t.meta})
    assert len(books.transactions) == 10


def test_a_truncated_xls_is_one_clear_error(pristine: Path, tmp_path: Path) -> None:
    """Regression (found by the long run): calamine panicked on a truncated .xls and the user saw a traceback."""
    from click.testing import CliRunner

    from commonfund.cli import main

    root = tmp_path / "c"
    shutil.copytree(pristine, root)
    statement = tmp_path / "建行流水.xls"
    statement.write_bytes(truncated_xls())
    before = tree_digest(root)
    result = CliRunner().invoke(main, ["import", str(root), str(statement)])
    assert isinstance(result.exception, SystemExit) and result.exit_code == 2, result.exception
    assert result.stderr.startswith(f"error: {statement}: is not a readable Excel workbook"), result.stderr
    assert tree_digest(root) == before
