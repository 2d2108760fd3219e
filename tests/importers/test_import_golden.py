"""Every shipped profile reads its synthetic fixture into exactly the golden entries.

Fixtures live in ``importers/fixtures/<profile>/<name>.<ext>`` beside ``<name>.beancount``; set
``COMMONFUND_REGEN_GOLDEN=1`` to rewrite the goldens after an intended change (then review the diff).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from beancount.core import data

from commonfund.compound.config import load_config
from commonfund.core.errors import InputError
from commonfund.importers import read_statement
from commonfund.importers.extract import choose_bank_account, extract
from commonfund.importers.ledger import render
from commonfund.importers.profiles import load_profiles

FIXTURES = Path(__file__).resolve().parents[2] / "importers" / "fixtures"
CASES = sorted(p for p in FIXTURES.glob("*/*") if p.suffix != ".beancount" and p.is_file())
REGEN = os.environ.get("COMMONFUND_REGEN_GOLDEN") == "1"


def golden_text(path: Path) -> str:
    try:
        statement = read_statement(path, load_profiles())
    except InputError as exc:  # a layout recognised to be refused (a credit-card bill): the golden is the sentence
        return f";; golden: {path.parent.name}/{path.name} → refused\n;; {str(exc).replace(str(path), path.name)}\n"
    config = load_config(FIXTURES / "compound.toml")
    bank = choose_bank_account(statement, config)
    result = extract(statement, bank, config)
    entries = [*result.transactions, *result.balances]  # statement order, balances before their day
    order = sorted(range(len(entries)), key=lambda i: (entries[i].date, not isinstance(entries[i], data.Balance), i))
    entries = [entries[i] for i in order]
    skipped = statement.skipped + result.skipped
    header = (f";; golden: {path.parent.name}/{path.name} → {bank.account}\n"
              f";; lines {len(statement.lines)}, skipped {dict(sorted(skipped.items()))}, "
              f"uncategorised {result.uncategorised}, paired {result.paired}\n"
              + "".join(f";; note: {note}\n" for note in result.notes) + "\n")
    return header + "\n\n".join(render(e) for e in entries) + "\n"


def test_every_profile_has_a_fixture() -> None:
    shipped = {p.stem for p in (FIXTURES.parent / "profiles").glob("*.toml")}
    assert shipped == {p.parent.name for p in CASES}


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_golden(path: Path) -> None:
    profiles = load_profiles()
    if profiles[path.parent.name].refuse:
        with pytest.raises(InputError, match=re.escape(profiles[path.parent.name].refuse)):
            read_statement(path, profiles)
    else:
        assert read_statement(path, profiles).profile_name == path.parent.name
    text = golden_text(path)
    golden = path.with_suffix(".beancount")
    if REGEN or not golden.exists():
        golden.write_text(text, "utf-8")
        if not REGEN:
            pytest.fail(f"wrote missing golden {golden}; review and commit it")
    assert text == golden.read_text("utf-8")
