"""Crash safety and concurrency of ``commonfund import`` (issue 9 §2, §3).

A real ``commonfund import`` subprocess is SIGKILLed at every point where it takes the lock or writes the
books (see ``kill_import.py``) and after random delays inside its writing phase. Afterwards the books must
be byte-identical to before or fully written, load with exactly the errors of that state, and the next
import must recover (stale lock, stray temp files) and end in the fully written books.

Two imports at once are serialised by the lock: the second one stops with a clear message and changes
nothing; run afterwards it gives the same books as running them one after the other.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hardening_kit import PROFILE, tally

from commonfund.compound.fingerprint import source_files
from commonfund.compound.model import load_compound
from commonfund.importers.lock import LOCK_NAME
from commonfund.synth.generator import synth_compound

HERE = Path(__file__).resolve().parent
KILL = HERE / "kill_import.py"
pytestmark = pytest.mark.slow


def books_state(root: Path) -> dict[str, bytes]:
    """Every file of the compound except the lock, stray temp files of the atomic writer and caches."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != LOCK_NAME and not (p.name.startswith(".") and p.name.endswith(".tmp"))
            and not p.name.endswith(".picklecache")}


def loaded_books(root: Path) -> dict[str, bytes]:
    """The books as Beancount loads them: the files reachable from main.beancount, config, register, ballots
    (a month file written by an import killed before it wrote the index is not part of them)."""
    resolved, files = source_files(root)
    return {f.relative_to(resolved).as_posix(): f.read_bytes() for f in files}


def statements(root: Path, pattern: str = "*") -> list[str]:
    return [str(p) for p in sorted((root / "statements").glob(pattern))]


def run_import(root: Path, files: list[str], mode: list[str] | None = None, **popen: object) -> subprocess.Popen[str]:
    command = [sys.executable, str(KILL), *(mode or ["announce"]), "--", "import", str(root), *files]
    return subprocess.Popen(command, cwd=HERE, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"}, **popen)  # type: ignore[call-overload]


def error_count(root: Path) -> int:
    return len(load_compound(root).errors)


class Books:
    """A synthetic compound with three months of statements for four accounts, before and after import."""

    def __init__(self, folder: Path, pristine: Path | None = None) -> None:
        self.pristine = pristine or synth_compound(folder / "pristine", 60, 1, 7, statements_months=3)
        self.before = books_state(self.pristine)
        self.loaded_before = loaded_books(self.pristine)
        self.errors_before = error_count(self.pristine)
        done = self.copy(folder / "reference")
        finished = run_import(done, statements(done), ["count"])
        _, err = finished.communicate(timeout=600)
        assert finished.returncode == 0, err
        figures = err.rsplit("POINTS ", 1)[1].split()
        self.points, self.write_seconds = int(figures[0]), float(figures[2])
        self.after = books_state(done)
        self.loaded_after = loaded_books(done)
        assert self.after != self.before and error_count(done) == 0
        self.folder = folder

    def copy(self, target: Path) -> Path:
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(self.pristine, target)
        return target


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> Books:
    return Books(tmp_path_factory.mktemp("crash"))


def judge(books: Books, root: Path, how: str, partial_ok: bool = False) -> str:
    """Classify the books after a kill, check they load as that state does, then finish the import.

    With *partial_ok* (an import that rewrites month files the books already include), a mix of old and
    new month files is reported as ``PARTIAL`` instead of failing, but must still load clean."""
    state = loaded_books(root)
    outcome = "before" if state == books.loaded_before else "after" if state == books.loaded_after else "PARTIAL"
    changed = sorted(k for k in set(state) | set(books.loaded_before) if state.get(k) != books.loaded_before.get(k))
    assert partial_ok or outcome != "PARTIAL", f"killed at {how}: half-written books, changed {changed[:5]}"
    assert error_count(root) == (books.errors_before if outcome == "before" else 0), f"{outcome} at {how}"
    rerun = run_import(root, statements(root), ["count"])
    _, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, f"after a kill at {how}, the next import failed: {err.strip()[-400:]}"
    assert books_state(root) == books.after
    assert not (root / LOCK_NAME).exists()
    return outcome


def kill_points(books: Books) -> list[int]:
    if PROFILE == "long":
        return list(range(1, books.points + 1))
    rng = random.Random(9)
    return sorted({1, books.points, *rng.sample(range(2, books.points), 3)})


def test_kill_at_every_write_point(books: Books) -> None:
    for n in kill_points(books):
        root = books.copy(books.folder / "trial")
        process = run_import(root, statements(root), ["point", str(n)])
        process.communicate(timeout=600)
        assert process.returncode == -signal.SIGKILL, f"point {n} of {books.points} was not reached"
        outcome = judge(books, root, f"write point {n}/{books.points}")
        tally("import killed (SIGKILL) at a write point", f"books {outcome}, next import recovered")


def test_kill_after_random_delays_while_writing(books: Books) -> None:
    rng = random.Random(11)
    trials = 60 if PROFILE == "long" else 2
    for trial in range(trials):
        root = books.copy(books.folder / "trial")
        process = run_import(root, statements(root), ["announce"])
        assert process.stdout is not None
        line = process.stdout.readline()  # WRITING: the lock is held, the books checked, the writing starts
        time.sleep(rng.uniform(0, 1.5 * books.write_seconds))
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=600)
        outcome = judge(books, root, f"random delay (trial {trial}, {line.strip() or 'finished early'})")
        tally("import killed (SIGKILL) after a random delay", f"books {outcome}, next import recovered")


def test_two_imports_at_once_are_serialised(books: Books) -> None:
    """A holds the lock; B stops with a clear message and writes nothing; B after A = A then B."""
    first, second = statements(books.pristine, "*-abc-*") + statements(books.pristine, "*-ccb-*"), \
        statements(books.pristine, "*-icbc-*") + statements(books.pristine, "*-wechat-*")
    sequential = books.copy(books.folder / "sequential")
    for files in (first, second):
        process = run_import(sequential, [f.replace(str(books.pristine), str(sequential)) for f in files], ["count"])
        assert process.communicate(timeout=600) and process.returncode == 0
    expected = books_state(sequential)

    root = books.copy(books.folder / "concurrent")
    a = run_import(root, [f.replace(str(books.pristine), str(root)) for f in first], ["hold"], stdin=subprocess.PIPE)
    assert a.stdout is not None and a.stdin is not None
    assert a.stdout.readline().strip() == "LOCKED"
    held = books_state(root)
    b = run_import(root, [f.replace(str(books.pristine), str(root)) for f in second], ["count"])
    _, err = b.communicate(timeout=600)
    assert b.returncode == 2, err
    assert "another import into this compound is running" in err and f"pid {a.pid}" in err and LOCK_NAME in err
    assert books_state(root) == held
    a.stdin.write("\n")
    a.stdin.flush()
    a.communicate(timeout=600)
    assert a.returncode == 0
    b = run_import(root, [f.replace(str(books.pristine), str(root)) for f in second], ["count"])
    b.communicate(timeout=600)
    assert b.returncode == 0
    assert books_state(root) == expected
    tally("concurrent imports", "second refused while the first held the lock; result = sequential")


def test_a_lock_left_by_a_killed_import_is_recovered(books: Books) -> None:
    root = books.copy(books.folder / "stale")
    a = run_import(root, statements(root), ["hold"], stdin=subprocess.PIPE)
    assert a.stdout is not None and a.stdout.readline().strip() == "LOCKED"
    a.send_signal(signal.SIGKILL)
    a.communicate(timeout=600)
    assert (root / LOCK_NAME).exists()
    assert books_state(root) == books.before
    rerun = run_import(root, statements(root), ["count"])
    rerun.communicate(timeout=600)
    assert rerun.returncode == 0
    assert books_state(root) == books.after and not (root / LOCK_NAME).exists()


def test_imports_started_together_end_as_if_run_one_after_the_other(books: Books) -> None:
    """No hold: two imports started at the same instant; whichever loses the lock says so and changes
    nothing; run again, the books equal the sequential result."""
    groups = (statements(books.pristine, "*-abc-*") + statements(books.pristine, "*-ccb-*"),
              statements(books.pristine, "*-icbc-*") + statements(books.pristine, "*-wechat-*"))
    for trial in range(10 if PROFILE == "long" else 1):
        root = books.copy(books.folder / "race")
        mine = [[f.replace(str(books.pristine), str(root)) for f in group] for group in groups]
        processes = [run_import(root, files, ["count"]) for files in mine]
        results = [(p, *p.communicate(timeout=600)) for p in processes]
        for (process, _, err), files in zip(results, mine, strict=True):
            if process.returncode != 0:
                assert process.returncode == 2 and "another import into this compound is running" in err, err
                again = run_import(root, files, ["count"])
                again.communicate(timeout=600)
                assert again.returncode == 0
        assert books_state(root) == books.after, f"race trial {trial}"
        refused = sum(p.returncode != 0 for p, _, _ in results)
        tally("concurrent imports started together", f"{refused} refused by the lock, books = sequential result")


@pytest.fixture(scope="module")
def incremental(tmp_path_factory: pytest.TempPathFactory) -> Books:
    """Books that already hold the first half of March for two accounts; the import to kill brings March
    1 – April 20 of both, so it rewrites two month files the books include and adds two new ones."""
    from datetime import date, timedelta
    from decimal import Decimal

    from tests.conftest import SMALL_CONFIG, SMALL_REGISTER

    from commonfund.compound.scaffold import main_text
    from commonfund.core.accounts import render_accounts
    from commonfund.importers.importing import import_statements
    from commonfund.synth.writers import SynthLine, ccb_xlsx, icbc_csv

    folder = tmp_path_factory.mktemp("incremental")
    root = folder / "pristine"
    for sub in ("books", "imports", "documents", "statements"):
        (root / sub).mkdir(parents=True)
    (root / "compound.toml").write_text(SMALL_CONFIG, "utf-8")
    (root / "households.csv").write_text(SMALL_REGISTER, "utf-8")
    (root / "main.beancount").write_text(main_text("测试小区"), "utf-8")
    (root / "accounts.beancount").write_text(render_accounts(date(2023, 1, 1)), "utf-8")
    (root / "resolutions.beancount").write_text("", "utf-8")
    (root / "imports" / "index.beancount").write_text("", "utf-8")
    (root / "books" / "books.beancount").write_text("", "utf-8")
    balance, lines = Decimal(0), []
    for n in range(51):
        amount = Decimal(300 + n) if n % 3 else Decimal(-(50 + n))
        balance += amount
        lines.append(SynthLine(date(2024, 3, 1) + timedelta(days=n), "10:00:00", amount, balance, f"S{n:04d}",
                               "丰巢网络技术有限公司" if n % 3 else "", "62220001", "快递柜场地费", f"第{n}笔"))
    first = [folder / "ccb-early.xlsx", folder / "icbc-early.csv"]
    first[0].write_bytes(ccb_xlsx(lines[:15], "6217000000001234", "测试"))
    first[1].write_bytes(icbc_csv(lines[:15], "1001020300005678"))
    import_statements(root, first)
    (root / "statements" / "ccb.xlsx").write_bytes(ccb_xlsx(lines, "6217000000001234", "测试"))
    (root / "statements" / "icbc.csv").write_bytes(icbc_csv(lines, "1001020300005678"))
    books = Books(folder, root)
    assert books.errors_before == 0
    return books


def test_kill_an_import_that_rewrites_included_month_files(incremental: Books) -> None:
    """Month files the books include are never rewritten in place (the merged text goes to the month's other
    slot and the index switches to it in one atomic rename), so a kill at any moment leaves the books
    exactly as before or fully imported, and the next import removes the leftovers and finishes the job."""
    points = range(1, incremental.points + 1) if PROFILE == "long" else sorted(
        {1, incremental.points, *random.Random(5).sample(range(2, incremental.points), 4)})
    for n in points:
        root = incremental.copy(incremental.folder / "trial")
        process = run_import(root, statements(root), ["point", str(n)])
        process.communicate(timeout=600)
        assert process.returncode == -signal.SIGKILL
        outcome = judge(incremental, root, f"write point {n}/{incremental.points}")
        tally("import rewriting included month files, killed at a write point",
              f"books {outcome}, loaded clean, next import recovered")
