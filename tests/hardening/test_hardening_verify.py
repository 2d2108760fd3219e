"""``commonfund fingerprint --verify FILE.pdf|FILE.xlsx`` (issue 9 §8): 0 = made from the current books,
1 = not, 2 = the document carries no readable fingerprint. Real PDFs (typst, embedded Chinese font) and
real workbooks (openpyxl); damaged documents never give a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
import typst
from click.testing import CliRunner
from hardening_kit import examples, tally
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import REPO

from commonfund.cli import main
from commonfund.compound.fingerprint import fingerprint
from commonfund.compound.verify import labelled_fingerprints, read_fingerprint

OTHER = "0123456789abcdef" * 4


def run(*args: object) -> tuple[int, str, str, BaseException | None]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    exception = result.exception if not isinstance(result.exception, SystemExit) else None
    return result.exit_code, result.stdout, result.stderr, exception


def make_pdf(path: Path, digest: str, in_metadata: bool = True, in_text: bool = True) -> Path:
    """A one-page disclosure-like PDF (typst, embedded CJK font) carrying *digest*."""
    keywords = (f'#set document(title: "公示", keywords: ("commonfund", "fingerprint:{digest}"))\n'
                if in_metadata else "")
    body = f"账簿指纹 (SHA-256)：{digest}\n" if in_text else "本期无指纹\n"
    source = f'{keywords}#set text(font: "WenQuanYi Micro Hei")\n= 共有收益公示\n{body}'
    path.write_bytes(typst.compile(source.encode("utf-8"), format="pdf"))
    return path


def make_xlsx(path: Path, digest: str | None, in_properties: bool = False) -> Path:
    """An auditor-package-like workbook with a cover sheet 封面 carrying *digest*."""
    workbook = openpyxl.Workbook()
    cover = workbook.active
    cover.title = "封面"
    cover.append(["梧桐小苑 审计资料包"])
    cover.append(["账簿指纹 (SHA-256)", digest or "—"])
    # another sheet may hold other hashes (e.g. of documents): only the cover counts
    workbook.create_sheet("序时账").append(["日期", "摘要", "e3b0c442" * 8])
    if in_properties and digest:
        workbook.properties.keywords = f"fingerprint:{digest}"
    workbook.save(path)
    return path


@pytest.fixture
def books(tmp_path: Path) -> Path:
    root = tmp_path / "example"
    shutil.copytree(REPO / "ledgers" / "example", root)
    return root


@pytest.mark.parametrize("kind", ["pdf", "pdf-metadata-only", "pdf-text-only", "xlsx", "xlsx-properties"])
def test_verify_matches_then_mismatches_after_a_change(books: Path, tmp_path: Path, kind: str) -> None:
    digest = fingerprint(books)
    if kind.startswith("pdf"):
        document = make_pdf(tmp_path / "d.pdf", digest, in_metadata=kind != "pdf-text-only",
                            in_text=kind != "pdf-metadata-only")
    else:
        document = make_xlsx(tmp_path / "d.xlsx", digest, in_properties=kind == "xlsx-properties")
    code, out, err, exc = run("fingerprint", books, "--verify", document)
    assert (code, exc) == (0, None), out + err
    assert digest in out and "一致" in out
    books.joinpath("books", "2025.beancount").open("a", encoding="utf-8").write("\n")
    code, out, err, exc = run("fingerprint", books, "--verify", document)
    assert (code, exc) == (1, None)
    assert "不一致" in err and fingerprint(books) in out


def test_verify_unreadable_documents_exit_2(books: Path, tmp_path: Path) -> None:
    cases = {
        "none.pdf": make_pdf(tmp_path / "none.pdf", fingerprint(books), in_metadata=False, in_text=False),
        "none.xlsx": make_xlsx(tmp_path / "none.xlsx", None),
        "text.pdf": tmp_path / "text.pdf",
        "missing.pdf": tmp_path / "missing.pdf",
        "conflict.pdf": tmp_path / "conflict.pdf",
    }
    cases["text.pdf"].write_text("not a pdf", "utf-8")
    make_pdf(cases["conflict.pdf"], OTHER, in_text=False)
    source = typst.compile(
        f'#set document(keywords: ("fingerprint:{OTHER}",))\n账簿指纹：{fingerprint(books)}\n'.encode(), format="pdf")
    cases["conflict.pdf"].write_bytes(source)
    for name, document in cases.items():
        code, out, err, exc = run("fingerprint", books, "--verify", document)
        assert (code, exc) == (2, None), (name, out, err)
        assert err.startswith(f"error: {document}"), err
        assert err.count("\n") == 1, err


def test_labelled_fingerprints_join_a_wrapped_value() -> None:
    assert labelled_fingerprints(f"指纹：\n{OTHER[:40]}\n{OTHER[40:]}\n") == [OTHER]
    assert labelled_fingerprints(f"哈希 {OTHER}") == []


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, str]:
    folder = tmp_path_factory.mktemp("docs")
    root = folder / "example"
    shutil.copytree(REPO / "ledgers" / "example", root)
    digest = fingerprint(root)
    pdf = make_pdf(folder / "d.pdf", digest)
    xlsx = make_xlsx(folder / "d.xlsx", digest, in_properties=True)
    return root, pdf, xlsx, digest


@examples(short=60, long=10_000)
@given(data=st.data())
def test_damaged_documents_never_give_a_traceback(documents: tuple[Path, Path, Path, str], data: st.DataObject,
                                                   tmp_path_factory: pytest.TempPathFactory) -> None:
    root, pdf, xlsx, digest = documents
    suffix = data.draw(st.sampled_from([".pdf", ".xlsx"]), label="document")
    content = (pdf if suffix == ".pdf" else xlsx).read_bytes()
    how = data.draw(st.sampled_from(["truncate", "flip", "splice", "random"]), label="damage")
    if how == "truncate":
        damaged = content[:data.draw(st.integers(0, len(content) - 1))]
    elif how == "flip":
        flips = data.draw(st.lists(st.tuples(st.integers(0, len(content) - 1), st.integers(1, 255)),
                                   min_size=1, max_size=8))
        buffer = bytearray(content)
        for position, byte in flips:
            buffer[position] ^= byte
        damaged = bytes(buffer)
    elif how == "splice":
        start = data.draw(st.integers(0, len(content)))
        damaged = content[:start] + data.draw(st.binary(max_size=64)) + content[start + data.draw(st.integers(0, 64)):]
    else:
        damaged = data.draw(st.sampled_from([b"%PDF-1.7\n", b"PK\x03\x04", b""])) + data.draw(st.binary(max_size=512))
    path = tmp_path_factory.mktemp("damaged") / f"d{suffix}"
    path.write_bytes(damaged)
    code, _, err, exc = run("fingerprint", root, "--verify", path)
    kind = f"verify: damaged {suffix[1:]}"
    tally(kind, {0: "still matches", 1: "mismatch", 2: "unreadable"}.get(code, f"exit {code}") if exc is None
          else f"TRACEBACK {type(exc).__name__}")
    assert exc is None, f"{type(exc).__name__}: {exc}"
    assert code in (0, 1, 2)
    if code == 2:
        assert err.startswith(f"error: {path}") and err.count("\n") == 1, err
    if code == 0:
        assert read_fingerprint(path)[0] == digest
