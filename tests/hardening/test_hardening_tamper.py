"""Tamper evidence (issue 9 §8): any one-byte change to any source of the books changes the fingerprint,
and ``commonfund fingerprint --verify`` tells whether a document was made from the current books."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hardening_kit import examples, tally
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import REPO

from commonfund.compound.fingerprint import fingerprint, source_files

EXAMPLE = REPO / "ledgers" / "example"


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path], str]:
    """A copy of the example compound, its source files and its fingerprint."""
    root = tmp_path_factory.mktemp("tamper") / "example"
    shutil.copytree(EXAMPLE, root)
    _, files = source_files(root)
    return root, files, fingerprint(root)


def test_the_sources_cover_ledgers_config_register_and_ballots(books: tuple[Path, list[Path], str]) -> None:
    root, files, _ = books
    names = {f.relative_to(root).as_posix() for f in files}
    assert {"main.beancount", "accounts.beancount", "books/2025.beancount", "compound.toml", "households.csv",
            "ballots/R-2025-02.csv"} <= names


@st.composite
def one_byte_change(draw: st.DrawFn, size: int) -> tuple[str, int, int]:
    """``(kind, position, byte)``: flip (xor with a non-zero byte), insert a byte, or delete a byte."""
    kind = draw(st.sampled_from(["flip", "insert", "delete"] if size else ["insert"]))
    position = draw(st.integers(0, size if kind == "insert" else size - 1))
    byte = draw(st.integers(1 if kind == "flip" else 0, 255))
    return kind, position, byte


def mutate(content: bytes, kind: str, position: int, byte: int) -> bytes:
    if kind == "flip":
        return content[:position] + bytes([content[position] ^ byte]) + content[position + 1:]
    if kind == "insert":
        return content[:position] + bytes([byte]) + content[position:]
    return content[:position] + content[position + 1:]


@examples(short=300, long=20_000)
@given(data=st.data())
def test_any_one_byte_change_changes_the_fingerprint(books: tuple[Path, list[Path], str], data: st.DataObject) -> None:
    root, files, original = books
    target = data.draw(st.sampled_from(files), label="file")
    content = target.read_bytes()
    kind, position, byte = data.draw(one_byte_change(len(content)), label="change")
    try:
        target.write_bytes(mutate(content, kind, position, byte))
        changed = fingerprint(root)
    finally:
        target.write_bytes(content)
    tally("tamper: one-byte change", f"fingerprint changed ({kind})" if changed != original else "UNCHANGED")
    assert changed != original, f"{kind} at {target.relative_to(root)}:{position} left the fingerprint unchanged"
    assert fingerprint(root) == original


def test_renaming_a_ballot_file_changes_the_fingerprint(books: tuple[Path, list[Path], str]) -> None:
    root, _, original = books
    ballot = root / "ballots" / "R-2025-02.csv"
    moved = ballot.with_name("R-2025-03.csv")
    ballot.rename(moved)
    try:
        assert fingerprint(root) != original
    finally:
        moved.rename(ballot)
    assert fingerprint(root) == original


def test_a_nul_byte_in_an_include_line_changes_the_fingerprint(books: tuple[Path, list[Path], str]) -> None:
    """Found by the long run: a NUL inserted into an include path made the fingerprint raise ValueError."""
    root, _, original = books
    main = root / "main.beancount"
    content = main.read_bytes()
    at = content.index(b'include "books/') + len(b'include "books/')
    main.write_bytes(content[:at] + b"\0" + content[at:])
    try:
        assert fingerprint(root) != original
    finally:
        main.write_bytes(content)
