"""Public documents (issue 9 §7, §8): every disclosure of a 300-household synthetic compound leaks no owner
name, phone or ID number; and ``commonfund fingerprint --verify`` recognises the real documents
commonfund makes (disclosure PDFs, the auditor workbook) — until one byte of the books changes.

Text is extracted from the PDFs with poppler's ``pdftotext`` (as a reader would copy it) and with
pdfplumber (metadata included); the masked figures JSON is checked too.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from hardening_kit import tally

from commonfund.cli import main
from commonfund.compound.model import load_compound
from commonfund.disclosure.figures import KINDS
from commonfund.synth.generator import synth_compound

PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
PERIODS = {"common-revenue": ["2024Q1", "2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4", "2025H1", "2025"],
           "maintenance-fund": ["2024", "2025", "2025H1"]}
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    """A synthetic compound (300 households, 2 years, conduct problems planted) and all its disclosures."""
    folder = tmp_path_factory.mktemp("public")
    root = synth_compound(folder / "c", 300, 2, 5, plant=True)
    documents = []
    assert set(PERIODS) == set(KINDS)
    for kind, periods in PERIODS.items():
        for period in periods:
            target = folder / f"{kind}-{period}.pdf"
            result = CliRunner().invoke(main, ["disclose", str(root), "--kind", kind, "--period", period, "-o",
                                               str(target), "--json", str(target.with_suffix(".json")),
                                               "--made", "2026-01-15"])
            assert result.exit_code == 0, result.output
            documents += [target, target.with_suffix(".json")]
    return root, documents


def document_text(path: Path) -> str:
    if path.suffix == ".json":
        return json.dumps(json.loads(path.read_text("utf-8")), ensure_ascii=False)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout
    with pdfplumber.open(path) as pdf:
        text += "\n".join(page.extract_text() or "" for page in pdf.pages)
        text += json.dumps({k: str(v) for k, v in (pdf.metadata or {}).items()}, ensure_ascii=False)
    return text


def test_no_public_document_names_an_owner_or_shows_a_number(published: tuple[Path, list[Path]]) -> None:
    root, documents = published
    register = load_compound(root).register
    names = {h.owner_name for h in register if len(h.owner_name) >= 2}
    phones = {h.phone for h in register if h.phone}
    assert len(names) > 200 and phones
    for path in documents:
        text = document_text(path)
        assert len(text) > 500, path
        compact = re.sub(r"\s+", "", text)
        leaked = sorted(n for n in names if n in compact)
        assert leaked == [], f"{path.name} shows owner names {leaked[:5]}"
        assert not PHONE.findall(compact) and not any(p in compact for p in phones), path.name
        assert not ID_NUMBER.findall(compact), path.name
        tally("privacy: public documents", f"{path.suffix[1:]}: 0 names, 0 phones, 0 ID numbers")
    tally("privacy: owner names checked", f"{len(names)} names × {len(documents)} documents")


def test_verify_recognises_real_documents_until_the_books_change(published: tuple[Path, list[Path]],
                                                                 tmp_path: Path) -> None:
    root, documents = published
    workbook = tmp_path / "auditor.xlsx"
    made = CliRunner().invoke(main, ["export", str(root), "--year", "2025", "-o", str(workbook)])
    assert made.exit_code == 0, made.output
    pdfs = [d for d in documents if d.suffix == ".pdf"]
    for document in [*pdfs[:3], workbook]:
        result = CliRunner().invoke(main, ["fingerprint", str(root), "--verify", str(document)])
        assert result.exit_code == 0, result.output + result.stderr
    (root / "households.csv").write_bytes((root / "households.csv").read_bytes().replace(b"144.66", b"144.67", 1)
                                          if b"144.66" in (root / "households.csv").read_bytes()
                                          else (root / "households.csv").read_bytes() + b"\n")
    for document in [*pdfs[:3], workbook]:
        result = CliRunner().invoke(main, ["fingerprint", str(root), "--verify", str(document)])
        assert result.exit_code == 1, result.output + result.stderr
        assert "不一致" in result.stderr
        tally("verify: real documents", f"{document.suffix[1:]}: match, then mismatch after a register edit")
