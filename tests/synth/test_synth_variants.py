"""``commonfund synth --name-variants``: noisy names and summaries on receipts only, the rest as without them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from beancount.core import data
from beancount.parser import parser

from commonfund.synth.common import CR_BANK, PROPERTY_COMPANY
from commonfund.synth.generator import synth_compound
from commonfund.synth.variants import NEWCOMERS, VARIANTS


def transactions(root: Path) -> list[data.Transaction]:
    out = []
    for path in sorted((root / "books").glob("*.beancount")):
        entries, errors, _ = parser.parse_string(path.read_text("utf-8"))
        assert not errors
        out += [e for e in entries if isinstance(e, data.Transaction)]
    return out


def movement(txn: data.Transaction) -> tuple[object, ...]:
    return (txn.date, tuple((p.account, p.units.number if p.units else None) for p in txn.postings))


def test_variants_change_receipts_names_only_and_add_the_newcomers(tmp_path: Path) -> None:
    plain = transactions(synth_compound(tmp_path / "plain", 60, 2, seed=4))
    noisy_root = synth_compound(tmp_path / "noisy", 60, 2, seed=4, variants=True)
    noisy = transactions(noisy_root)
    newcomers = {name for name, *_ in NEWCOMERS}
    added = [t for t in noisy if t.payee in newcomers]
    assert added and all(t.postings[0].account == CR_BANK and t.date.year == 2025 for t in added)
    kept = [t for t in noisy if t.payee not in newcomers]
    assert Counter(movement(t) for t in kept) == Counter(movement(t) for t in plain)  # the same money, same days
    before = Counter((movement(t), t.payee, t.narration) for t in plain)
    after = Counter((movement(t), t.payee, t.narration) for t in kept)
    gone, came = before - after, after - before
    assert sum(came.values()) == sum(gone.values()) > len(plain) // 20
    spelled = {name for names, _ in VARIANTS.values() for name in names} | set(VARIANTS)
    for (moved, payee, _), _count in gone.items():  # only receipts of the regular payers changed
        assert payee in VARIANTS and moved[1][0][1] > 0, payee  # type: ignore[index]
    assert all(payee in spelled for (_, payee, _) in came)
    spellings = {t.payee for t in noisy if t.payee and "锦华物业" in t.payee}
    assert PROPERTY_COMPANY in spellings and len(spellings) >= 3
    # the branch's spelling only shows late in the books
    branch = [t for t in noisy if t.payee == VARIANTS[PROPERTY_COMPANY][0][-1]]
    assert all(t.date >= min(x.date for x in noisy).replace(year=2025) for t in branch)
