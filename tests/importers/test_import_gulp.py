"""The profiles as beangulp importers (beangulp's CLI, Fava's import page) and the demo statements."""

from __future__ import annotations

from pathlib import Path

from beancount.core import data
from beangulp import identify as beangulp_identify

from commonfund.compound.model import load_compound
from commonfund.importers import import_statements, importers_for
from commonfund.importers.profiles import load_profiles

FIXTURES = Path(__file__).resolve().parents[2] / "importers" / "fixtures"


def test_exactly_one_importer_claims_each_fixture() -> None:
    importers = importers_for(FIXTURES)
    profiles = load_profiles()
    for path in sorted(p for p in FIXTURES.glob("*/*") if p.suffix not in (".beancount",) and p.is_file()):
        claimed = [imp.name for imp in importers if imp.identify(str(path))]
        if profiles[path.parent.name].refuse:  # recognised only to be refused (a credit-card bill): nobody claims it
            assert claimed == [], path
            continue
        assert claimed == [f"commonfund.{path.parent.name}"], path
        assert beangulp_identify.identify(importers, str(path)) is not None


def test_extract_and_deduplicate_by_import_id() -> None:
    path = str(FIXTURES / "ccb-corporate" / "flat.xlsx")
    importer = next(imp for imp in importers_for(FIXTURES) if imp.identify(path))
    assert importer.account(path) == "Assets:MaintenanceFund:Bank-维修资金专户"
    entries = importer.extract(path, [])
    txns = [e for e in entries if isinstance(e, data.Transaction)]
    assert len(txns) == 8 and all("import_id" in t.meta for t in txns)
    again = importer.extract(path, [])
    importer.deduplicate(again, entries)
    assert all(e.meta.get("__duplicate__") for e in again)
    assert str(importer.date(path)) == "2024-01-25"
    # the same serial on another date or for another amount is another movement: never marked a duplicate
    first = txns[0]
    moved = first._replace(date=first.date.replace(day=1) if first.date.day != 1 else first.date.replace(day=2))
    posting = first.postings[0]
    assert posting.units is not None and posting.units.number is not None
    other = first._replace(postings=[posting._replace(units=posting.units._replace(
        number=posting.units.number + 1)), *first.postings[1:]])
    fresh = [moved, other]
    importer.deduplicate(fresh, entries)
    assert not any(e.meta.get("__duplicate__") for e in fresh)


def test_demo_statements_import_clean_and_once(tmp_path: Path) -> None:
    from commonfund.synth.generator import synth_compound

    root = synth_compound(tmp_path / "demo", 120, 1, seed=11, plant=True, slug="demo", statements_months=2)
    files = sorted((root / "statements").glob("*.*"))
    assert {p.suffix for p in files} == {".csv", ".xlsx"}
    assert len({p.name.split("-")[2] for p in files}) == 4  # abc, ccb, icbc, wechat
    first = import_statements(root, files)
    assert sum(f.new for f in first.files) > 0 and sum(f.uncategorised for f in first.files) == 0
    assert all(f.duplicates > 0 for f in first.files if f.profile != "wechat-merchant")  # booked transfers
    assert load_compound(root).errors == []
    again = import_statements(root, files)
    assert sum(f.new for f in again.files) == 0 and again.written == []


def test_synth_with_statements_is_byte_deterministic(tmp_path: Path) -> None:
    from commonfund.synth.generator import synth_compound

    a = synth_compound(tmp_path / "a" / "c", 40, 1, seed=3, statements_months=1)
    b = synth_compound(tmp_path / "b" / "c", 40, 1, seed=3, statements_months=1)
    files_a = {p.relative_to(a): p.read_bytes() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b): p.read_bytes() for p in b.rglob("*") if p.is_file()}
    assert files_a == files_b
