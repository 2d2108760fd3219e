"""Fuzzing the user files commonfund reads (issue 9 §1): household registers, compound configs, ballot files.

Property, at the parser and through the whole ledger load (the path ``bean-check``, Fava and
``commonfund check``/``audit`` take): a valid result, or one clear error naming the file (and row or key)
— never another exception, never a plugin crash shown as a traceback, never a changed file.
"""

from __future__ import annotations

import itertools
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from fuzz_inputs import ballot_table, config_text, register_table, table_file, truncated_xls
from hardening_kit import assert_names_file, examples, tally, tree_digest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import REPO, SMALL_CONFIG, SMALL_REGISTER

from commonfund.cli import main
from commonfund.compound.config import CompoundConfig, load_config
from commonfund.compound.model import load_ledger
from commonfund.core.errors import InputError
from commonfund.register.model import HouseholdRegister, load_register
from commonfund.resolutions.model import Tally
from commonfund.resolutions.parse import read_ballots

EXAMPLE = REPO / "ledgers" / "example"
_counter = itertools.count()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def write(folder: Path, suffix: str, content: bytes) -> Path:
    """A fresh file per case (the register and ballot caches are keyed by path, size and mtime)."""
    path = folder / f"case{next(_counter)}{suffix}"
    path.write_bytes(content)
    return path


def check_register(register: HouseholdRegister) -> None:
    """Invariants of a register that loaded."""
    assert len(register) > 0
    assert len(set(register.units)) == len(register)
    assert (register.area_centi > 0).all() and (register.deposit_fen >= 0).all()
    assert int(register.area_centi.sum()) == sum(int(h.area * 100) for h in register)
    assert len(register.voters) <= len(register)


@examples(short=200, long=10_000)
@given(case=table_file(register_table()))
def test_register_files(scratch: Path, case: tuple[str, bytes]) -> None:
    path = write(scratch, *case)
    try:
        register = load_register(path)
    except InputError as exc:
        assert_names_file(exc, path)
        tally("register file (parser)", "input error")
        return
    check_register(register)
    tally("register file (parser)", "valid")


@examples(short=200, long=10_000)
@given(case=config_text(SMALL_CONFIG))
def test_config_files(scratch: Path, case: tuple[str, bytes]) -> None:
    path = write(scratch, *case)
    try:
        config = load_config(path)
    except InputError as exc:
        assert_names_file(exc, path)
        tally("compound config (parser)", "input error")
        return
    assert isinstance(config, CompoundConfig)
    _ = config.policy.sweep_fraction, config.policy.top_up_fraction, config.display_committee
    tally("compound config (parser)", "valid")


@pytest.fixture(scope="module")
def small_register(scratch: Path) -> HouseholdRegister:
    path = scratch / "households.csv"
    path.write_text(SMALL_REGISTER, "utf-8")
    return load_register(path)


UNITS = [line.split(",")[0] for line in SMALL_REGISTER.splitlines()[1:]] + ["9-9-999"]


@examples(short=200, long=10_000)
@given(case=table_file(ballot_table(UNITS)))
def test_ballot_files(scratch: Path, small_register: HouseholdRegister, case: tuple[str, bytes]) -> None:
    path = write(scratch, *case)
    try:
        result = read_ballots(path, small_register, decided=date(2025, 3, 10))
    except InputError as exc:
        assert_names_file(exc, path)
        tally("ballot file (parser)", "input error")
        return
    assert isinstance(result, Tally)
    assert result.voted_area == result.agree_area + result.against_area + result.abstain_area
    assert result.agree_area <= result.voted_area <= result.total_area
    assert result.agree_heads <= result.voted_heads <= result.total_heads
    tally("ballot file (parser)", "valid")


# ── through the ledger load: plugin (bean-check, Fava) and the CLI ───────────────────────────────────────
@pytest.fixture(scope="module")
def compound(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ledger") / "example"
    shutil.copytree(EXAMPLE, root)
    return root


def ledger_case(draw: st.DrawFn, root: Path) -> tuple[str, Path, bytes]:
    kind = draw(st.sampled_from(["register", "config", "ballots"]))
    if kind == "register":
        _, content = draw(table_file(register_table()))
        return kind, root / "households.csv", content
    if kind == "config":
        _, content = draw(config_text((root / "compound.toml").read_text("utf-8")))
        return kind, root / "compound.toml", content
    units = [line.split(",")[0] for line in (root / "households.csv").read_text("utf-8").splitlines()[1:]]
    _, content = draw(table_file(ballot_table([*units, "9-9-999"])))
    return kind, root / "ballots" / "R-2025-02.csv", content


@examples(short=40, long=3_000)
@given(data=st.data())
def test_damaged_files_through_the_ledger_load(compound: Path, data: st.DataObject) -> None:
    kind, target, content = ledger_case(data.draw, compound)
    original = target.read_bytes()
    target.write_bytes(content)
    try:
        before = tree_digest(compound)
        _, errors, _ = load_ledger(compound / "main.beancount")
        crashes = [e for e in errors if "Error applying plugin" in str(getattr(e, "message", ""))]
        assert not crashes, crashes[0].message
        for error in errors:
            source = getattr(error, "source", None) or {}
            assert source.get("filename") and source.get("filename") != "<load>", error
        results = {name: CliRunner().invoke(main, [name, str(compound)]) for name in ("check", "audit")}
        for name, result in results.items():
            exception = None if isinstance(result.exception, SystemExit) else result.exception
            assert exception is None, f"commonfund {name}: {type(exception).__name__}: {exception}"
            assert result.exit_code in (0, 1, 2), (name, result.exit_code, result.output)
            if result.exit_code == 2:
                assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
        assert tree_digest(compound) == before, "loading or checking changed a file"
        outcome = results["check"].exit_code
        tally(f"{kind} file (ledger load + check + audit)",
              {0: "clean", 1: "ledger errors", 2: "input error"}[outcome])
    finally:
        target.write_bytes(original)


def test_a_truncated_xls_register_is_one_clear_error(tmp_path: Path) -> None:
    """Regression (found by the long statement run): calamine panics on a truncated .xls."""
    register = tmp_path / "名册.xls"
    register.write_bytes(truncated_xls())
    result = CliRunner().invoke(main, ["init", str(tmp_path / "c"), "--name", "x", "--households", str(register)])
    assert isinstance(result.exception, SystemExit) and result.exit_code == 2, result.exception
    assert result.stderr.startswith(f"error: {register}: is not a readable Excel workbook"), result.stderr
    assert not (tmp_path / "c").exists()


def test_a_line_break_inside_a_cell_keeps_the_error_on_one_line(tmp_path: Path) -> None:
    """Regression (found by the long run): a quoted cell holding a line break split the error over two lines."""
    register = tmp_path / "名册.csv"
    lines = SMALL_REGISTER.splitlines()
    lines[1] = '"a\nb",' + lines[1].split(",", 1)[1]
    register.write_text("\n".join(lines) + "\n", "utf-8")
    result = CliRunner().invoke(main, ["init", str(tmp_path / "c"), "--name", "x", "--households", str(register)])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr
    assert f"{register}:2" in result.stderr and "a\\nb" in result.stderr
