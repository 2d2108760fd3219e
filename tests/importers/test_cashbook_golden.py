"""Every shipped cash-book layout reads its synthetic fixture into exactly the golden entries.

Fixtures live in ``importers/cashbooks/fixtures/<layout>/<name>.<ext>`` (written by ``build.py`` there) beside
``<name>.beancount``; set ``COMMONFUND_REGEN_GOLDEN=1`` to rewrite the goldens after an intended change (then
review the diff).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from beancount.parser import parser

from commonfund.compound.config import load_config
from commonfund.importers.cashbook import load_layouts, read_cashbook
from commonfund.importers.migrating import cashbook_entries, render_migrated

FIXTURES = Path(__file__).resolve().parents[2] / "importers" / "cashbooks" / "fixtures"
CASES = sorted(p for p in FIXTURES.glob("*/*") if p.suffix != ".beancount" and p.is_file())
REGEN = os.environ.get("COMMONFUND_REGEN_GOLDEN") == "1"
ACCOUNTS = {
    "committee-cash": "Assets:Committee:Cash-现金",
    "maintenance-bank": "Assets:MaintenanceFund:Bank-维修资金专户",
    "common-revenue": "Assets:CommonRevenue:Bank-共有收益户",
    "common-revenue-2024-gbk": "Assets:CommonRevenue:Bank-共有收益户",
    "committee-bank": "Assets:Committee:Bank-工作经费户",
}


def golden_text(path: Path) -> str:
    book = read_cashbook(path, load_layouts())
    account = ACCOUNTS[path.stem]
    entries = cashbook_entries(path, load_config(FIXTURES / "compound.toml"), account)
    header = f";; golden: {path.parent.name}/{path.name} → {account}\n"
    for sheet in book.sheets:
        opening = f", brought forward {sheet.opening.balance} at row {sheet.opening.row}" if sheet.opening else ""
        header += (f";; sheet {sheet.name or '(csv)'}: {sheet.layout.name}, {len(sheet.rows)} rows, skipped "
                   f"{dict(sorted(sheet.skipped.items()))}{opening}\n")
    header += "".join(f";; passed over: {name}\n" for name in book.passed_over)
    return header + "\n" + "\n\n".join(render_migrated(e) for e in entries) + "\n"


def test_every_layout_has_a_fixture() -> None:
    shipped = {p.stem for p in (FIXTURES.parent).glob("*.toml")}
    assert shipped == {p.parent.name for p in CASES}
    assert set(ACCOUNTS) == {p.stem for p in CASES}


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_golden(path: Path) -> None:
    book = read_cashbook(path, load_layouts())
    assert {sheet.layout.name for sheet in book.sheets} == {path.parent.name}  # recognised as its own layout
    text = golden_text(path)
    golden = path.with_suffix(".beancount")
    if REGEN:
        golden.write_text(text, "utf-8")
    assert golden.is_file(), f"no golden for {path.name}: run with COMMONFUND_REGEN_GOLDEN=1 and review it"
    assert text == golden.read_text("utf-8")


def _plain(meta: dict[str, object] | None) -> dict[str, object]:
    return {k: v for k, v in (meta or {}).items() if k not in ("filename", "lineno")}


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_written_text_parses_back_to_the_entries(path: Path) -> None:
    entries = cashbook_entries(path, load_config(FIXTURES / "compound.toml"), ACCOUNTS[path.stem])
    parsed, errors, _ = parser.parse_string("\n\n".join(render_migrated(e) for e in entries))
    assert not errors and len(parsed) == len(entries)
    for again, entry in zip(parsed, entries, strict=True):
        assert (again.date, again.flag, again.payee, again.narration) == (entry.date, entry.flag, entry.payee,
                                                                          entry.narration)
        assert _plain(again.meta) == _plain(entry.meta)
        assert [(p.account, p.units, _plain(p.meta)) for p in again.postings] == \
               [(p.account, p.units, _plain(p.meta)) for p in entry.postings]
