"""The generated demo books: clean books raise no finding; planted books raise exactly the planted ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from commonfund.audit.findings import run_audit
from commonfund.compound.model import load_compound
from commonfund.demo.context import DEMO_HOUSEHOLDS, DEMO_SEED, DEMO_YEARS
from commonfund.synth.audit_trail import AUDIT_CASES, pdf_document
from commonfund.synth.generator import synth_compound
from commonfund.synth.objections import OBJECTION_CASES


def findings_of(root: Path) -> set[tuple[str, str]]:
    compound = load_compound(root)
    assert not compound.errors, [e.message for e in compound.errors[:3]]
    return {(f.check, str(f.date)) for f in run_audit(compound)}


def planted_of(root: Path) -> set[tuple[str, str]]:
    return {(p["check"], p["date"]) for p in json.loads((root / "synth.json").read_text("utf-8"))["planted"]}


@pytest.fixture(scope="module")
def demo_like(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("synth")
    clean = synth_compound(base / "clean", DEMO_HOUSEHOLDS, DEMO_YEARS, seed=DEMO_SEED)
    planted = synth_compound(base / "planted", DEMO_HOUSEHOLDS, DEMO_YEARS, seed=DEMO_SEED, plant=True)
    return clean, planted


def test_clean_generated_books_raise_no_audit_finding(demo_like: tuple[Path, Path]) -> None:
    clean, _ = demo_like
    assert findings_of(clean) == set()
    assert planted_of(clean) == set()


def test_planted_books_raise_exactly_the_planted_findings(demo_like: tuple[Path, Path]) -> None:
    _, planted = demo_like
    found, expected = findings_of(planted), planted_of(planted)
    cases = (*AUDIT_CASES, *OBJECTION_CASES)
    mine = {item for item in expected if item[0] in cases}
    assert {item[0] for item in mine} == set(cases)  # one case per check
    assert {item for item in found if item[0] in cases} == mine
    # Nothing else is found on any other date: the other planted problems are the only other findings.
    assert {day for _, day in found} == {day for _, day in expected}


def test_generated_documents_exist_and_are_pdfs(demo_like: tuple[Path, Path]) -> None:
    clean, _ = demo_like
    files = sorted((clean / "documents").rglob("*.pdf"))
    assert len(files) > 24
    assert all(f.read_bytes().startswith(b"%PDF-1.4") and f.read_bytes().endswith(b"%%EOF\n") for f in files)


def test_generation_is_byte_deterministic(tmp_path: Path) -> None:
    first = synth_compound(tmp_path / "a" / "c", 60, 1, seed=7, plant=True)
    second = synth_compound(tmp_path / "b" / "c", 60, 1, seed=7, plant=True)
    names = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_pdf_document_is_well_formed() -> None:
    pdf = pdf_document(["voucher (a)", "amount 1.00"])
    start = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert pdf[start:].startswith(b"xref")
