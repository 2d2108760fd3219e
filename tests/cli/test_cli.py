"""The CLI through click's CliRunner: init, check, fingerprint, synth."""

from __future__ import annotations

import hashlib
from pathlib import Path

from click.testing import CliRunner
from tests.conftest import SMALL_REGISTER, CompoundFactory

from commonfund.cli import main


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def test_init_then_check(tmp_path: Path) -> None:
    register = tmp_path / "名册.csv"
    register.write_text(SMALL_REGISTER, "utf-8")
    code, out, err = run("init", tmp_path / "jx", "--name", "锦绣花园", "--households", register,
                         "--start", "2024-01-01")
    assert code == 0, err
    root = tmp_path / "jx"
    assert {"compound.toml", "households.csv", "main.beancount", "accounts.beancount", "documents"} <= {
        p.name for p in root.iterdir()}
    code, out, err = run("check", root)
    assert code == 0, out + err
    assert "no errors" in err
    code, out, err = run("check", root / "main.beancount")
    assert code == 0
    # refuses to overwrite
    code, _, err = run("init", root, "--name", "x", "--households", register)
    assert code == 2 and "refusing to overwrite" in err


def test_init_says_when_the_books_start(tmp_path: Path) -> None:
    """Without --start the books begin on 1 January of this year, and init says so, with the option that
    keeps older statements importable; the next step is a command that runs as printed."""
    from datetime import date

    from commonfund.core.program import command_line

    register = tmp_path / "r.csv"
    register.write_text(SMALL_REGISTER, "utf-8")
    code, out, err = run("init", tmp_path / "a", "--name", "x", "--households", register)
    assert code == 0, err
    first, following = out.splitlines()
    assert first.startswith(f"created {tmp_path / 'a'}: the books start on {date.today().year}-01-01 (建账日)")
    assert "create it again with --start YYYY-MM-DD" in first
    assert following.endswith(f"then run: {command_line('check', tmp_path / 'a')}")
    code, out, err = run("init", tmp_path / "b", "--name", "x", "--households", register, "--start", "2023-07-01")
    assert code == 0, err
    assert out.splitlines()[0] == f"created {tmp_path / 'b'}: the books start on 2023-07-01 (建账日)"


def test_init_with_bad_register_writes_nothing(tmp_path: Path) -> None:
    register = tmp_path / "r.csv"
    register.write_text(SMALL_REGISTER + "1-1-101,1,1,1,5,registered,O5,某,1,是,是,\n", "utf-8")
    code, _, err = run("init", tmp_path / "jx", "--name", "x", "--households", register)
    assert code == 2
    assert f"{register}:7: unit 1-1-101 is listed twice" in err
    assert not (tmp_path / "jx").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["r.csv"]


def test_check_exit_codes(make_compound: CompoundFactory, tmp_path: Path) -> None:
    bad = make_compound("2024-01-01 open Assets:Cash\n", name="bad")
    code, out, _ = run("check", bad)
    assert code == 1
    assert out.startswith(f"{bad / 'books' / 'books.beancount'}:1: account Assets:Cash belongs to no fund")
    code, _, err = run("check", tmp_path / "nowhere")
    assert code == 2 and "no such compound" in err
    broken = make_compound("", config="name = 1\n", name="cfg")
    code, _, err = run("check", broken)
    assert code == 2 and "compound.toml: name" in err


def test_fingerprint_changes_with_any_byte(make_compound: CompoundFactory) -> None:
    root = make_compound('2024-01-05 * "x" "y"\n  Assets:CommonRevenue:Bank-共有收益户  1.00 CNY\n'
                         '  Income:CommonRevenue:Parking-停车  -1.00 CNY\n')
    code, first, _ = run("fingerprint", root)
    assert code == 0 and len(first.strip()) == 64
    assert run("fingerprint", root)[1] == first
    for relative in ("books/books.beancount", "households.csv", "compound.toml", "main.beancount"):
        path = root / relative
        original = path.read_bytes()
        path.write_bytes(original.replace(b"1", b"2", 1))
        assert run("fingerprint", root)[1] != first, relative
        path.write_bytes(original)
    assert run("fingerprint", root)[1] == first


def test_fingerprint_follows_includes_of_included_files(make_compound: CompoundFactory) -> None:
    from commonfund.compound.fingerprint import included_files

    root = make_compound('include "nested.beancount"\n')  # the books file includes another file
    nested = root / "books" / "nested.beancount"
    nested.write_text('2024-01-05 * "x" "y"\n  Assets:CommonRevenue:Bank-共有收益户  1.00 CNY\n'
                      "  Income:CommonRevenue:Parking-停车  -1.00 CNY\n", "utf-8")
    assert nested.resolve() in included_files(root / "main.beancount")
    first = run("fingerprint", root)[1]
    nested.write_bytes(nested.read_bytes().replace(b"1.00", b"2.00"))
    assert run("fingerprint", root)[1] != first


def test_synth_is_deterministic_and_clean(tmp_path: Path) -> None:
    for run_no in ("1", "2", "3"):
        seed = 8 if run_no == "3" else 7
        code, _, err = run("synth", tmp_path / run_no / "jx", "--households", 120, "--years", 2, "--seed", seed,
                           "--plant")
        assert code == 0, err
    first, second, other = (tmp_path / n / "jx" for n in ("1", "2", "3"))
    assert tree_digest(first) == tree_digest(second)
    assert tree_digest(first) != tree_digest(other)
    code, out, err = run("check", first)
    assert code == 0, out + err
    code, _, err = run("synth", first, "--households", 10)
    assert code == 2 and "refusing to overwrite" in err


def test_synth_register_is_realistic(tmp_path: Path) -> None:
    from commonfund.register.model import DEVELOPER, load_register

    run("synth", tmp_path / "s", "--households", 600, "--years", 1, "--seed", 1)
    register = load_register(tmp_path / "s" / "households.csv")
    assert len(register) == 600
    assert len(set(register.buildings)) >= 2
    names = {h.owner_name for h in register if h.owner_id != DEVELOPER}
    assert all(2 <= len(n) <= 3 for n in names)
    assert len(register.voters) < 600  # some own several units, the developer's count as one


def test_synth_statements_then_import(tmp_path: Path) -> None:
    root = tmp_path / "jx"
    code, _, err = run("synth", root, "--households", 80, "--years", 1, "--seed", 3, "--statements-months", 2)
    assert code == 0, err
    statements = sorted((root / "statements").iterdir())
    assert len(statements) >= 3
    code, out, err = run("import", root, *statements)
    assert code == 0, out + err
    assert run("check", root)[0] == 0
    before = tree_digest(root)
    code, out, err = run("import", root, *statements)
    assert code == 0, out + err
    assert tree_digest(root) == before  # a second import adds nothing
