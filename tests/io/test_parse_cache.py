"""The content-addressed parse cache: same results as a fresh parse, keyed by bytes, robust to damage."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from tests.conftest import REPO, SMALL_REGISTER, CompoundFactory

from commonfund.books.allocation import scope_mask
from commonfund.compound.model import Compound, load_compound
from commonfund.core.errors import InputError
from commonfund.io import cache
from commonfund.io.tables import read_rows
from commonfund.register import ballots
from commonfund.register import model as register
from commonfund.register.model import load_register, parse_register
from commonfund.resolutions.parse import read_ballots
from commonfund.rules.resolutions import scope_problem

BALLOTS = "unit,vote,date\n1-1-101,agree,2024-02-20\n1-1-102,同意,2024-02-20\n1-2-101,反对,2024-02-21\n"
RESOLUTION = """\
2024-03-01 custom "resolution" "R-1" "5" "屋面维修"
  ballots: "ballots/R-1.csv"
"""


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder and empty in-process memos: every load goes to the cache or the file."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("COMMONFUND_CACHE", str(folder))
    forget()
    yield folder
    forget()


def forget() -> None:
    """Drop what this process remembers, as a new process would."""
    register._MEMO.clear()
    ballots._MEMO.clear()


def entries(folder: Path, kind: str) -> list[Path]:
    return sorted((folder / cache.SUBDIR).glob(f"{kind}-*.bin"))


def write(tmp_path: Path, text: str, name: str = "households.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def same_register(a: register.HouseholdRegister, b: register.HouseholdRegister) -> None:
    assert a.households == b.households and len(a) == len(b)
    assert [str(h.area) for h in a] == [str(h.area) for h in b]
    assert a.area_centi.tolist() == b.area_centi.tolist() and a.deposit_fen.tolist() == b.deposit_fen.tolist()
    assert a.developer_mask.tolist() == b.developer_mask.tolist()
    assert a.entrances.tolist() == b.entrances.tolist() and a.buildings.tolist() == b.buildings.tolist()
    assert (a.voters, a.total_area, a.units, a.index) == (b.voters, b.total_area, b.units, b.index)
    assert a.summary == b.summary


def test_cached_register_equals_a_fresh_parse(tmp_path: Path, fresh_cache: Path) -> None:
    path = write(tmp_path, SMALL_REGISTER)
    fresh = parse_register(read_rows(path), path)
    first = load_register(path)
    assert len(entries(fresh_cache, "register")) == 1
    forget()
    second = load_register(path)
    assert second is not first and second.key == first.key
    assert "columns" not in second.__dict__  # a light view until the records are asked for
    assert len(second) == 5 and second.total_heads == 4 and second.total_area_centi == 50000
    same_register(fresh, first)
    same_register(fresh, second)


def test_a_changed_byte_is_a_new_entry(tmp_path: Path, fresh_cache: Path) -> None:
    path = write(tmp_path, SMALL_REGISTER)
    assert load_register(path).get("1-1-101").area == 100  # type: ignore[union-attr]
    stat = path.stat()
    changed = SMALL_REGISTER.replace("1-1-101,1,1,1,100.00", "1-1-101,1,1,1,100.01")
    write(tmp_path, changed)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime: only the bytes differ
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    assert str(load_register(path).get("1-1-101").area) == "100.01"  # type: ignore[union-attr]
    forget()
    assert str(load_register(path).get("1-1-101").area) == "100.01"  # type: ignore[union-attr]
    assert len(entries(fresh_cache, "register")) == 2


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty", "directory"])
def test_a_damaged_entry_is_ignored_and_rewritten(tmp_path: Path, fresh_cache: Path, damage: str) -> None:
    path = write(tmp_path, SMALL_REGISTER)
    fresh = parse_register(read_rows(path), path)
    load_register(path)
    [entry] = entries(fresh_cache, "register")
    raw = entry.read_bytes()
    if damage == "truncate":
        entry.write_bytes(raw[: len(raw) // 2])
    elif damage == "flip":
        entry.write_bytes(raw[:-10] + bytes([raw[-10] ^ 0xFF]) + raw[-9:])
    elif damage == "garbage":
        entry.write_bytes(os.urandom(len(raw)))
    elif damage == "empty":
        entry.write_bytes(b"")
    else:
        entry.unlink()
        entry.mkdir()
    forget()
    same_register(fresh, load_register(path))
    if damage != "directory":
        assert entry.read_bytes() == raw  # rewritten by the fresh parse
        forget()
        same_register(fresh, load_register(path))


def test_a_well_formed_entry_of_the_wrong_shape_is_ignored(tmp_path: Path, fresh_cache: Path) -> None:
    path = write(tmp_path, SMALL_REGISTER)
    first = load_register(path)
    assert first.key is not None
    cache.write_blobs("register", first.key, ["ok", (1, 2)])
    forget()
    same_register(first, load_register(path))


def test_register_errors_are_cached_with_their_row(tmp_path: Path, fresh_cache: Path) -> None:
    path = write(tmp_path, SMALL_REGISTER.replace("80.00", "-80.00"))
    with pytest.raises(InputError) as cold:
        load_register(path)
    assert cold.value.where == f"{path}:3" and "must be positive" in cold.value.message
    assert len(entries(fresh_cache, "register")) == 1
    forget()
    with pytest.raises(InputError) as warm:
        load_register(path)
    assert (warm.value.where, warm.value.message) == (cold.value.where, cold.value.message)
    moved = tmp_path / "elsewhere" / "名册.csv"  # same bytes at another path: the error names that path
    moved.parent.mkdir()
    moved.write_bytes(path.read_bytes())
    with pytest.raises(InputError) as other:
        load_register(moved)
    assert (other.value.where, other.value.message) == (f"{moved}:3", cold.value.message)


def test_ballot_counts_are_cached_by_ballots_register_and_date(tmp_path: Path, fresh_cache: Path) -> None:
    reg_path = write(tmp_path, SMALL_REGISTER)
    ballot = write(tmp_path, BALLOTS, "R-1.csv")
    cold = read_ballots(ballot, load_register(reg_path), date(2024, 3, 1))
    assert len(entries(fresh_cache, "ballots")) == 1
    forget()
    warm = read_ballots(ballot, load_register(reg_path), date(2024, 3, 1))
    # O1 balloted 1-1-101 only and takes part with 2-1-101 too (partial_ballot_area "owner"): 100 + 90 + 80 + 120
    assert warm == cold and (warm.voted_area, warm.agree_area, warm.ballot_count) == (39000, 27000, 3)
    assert len(entries(fresh_cache, "ballots")) == 1
    # the register's bytes are part of the key: a changed area changes the tally
    write(tmp_path, SMALL_REGISTER.replace("1-1-101,1,1,1,100.00", "1-1-101,1,1,1,110.00"))
    forget()
    assert read_ballots(ballot, load_register(reg_path), date(2024, 3, 1)).voted_area == 40000
    # so is the resolution's date: an earlier one rejects the ballots dated after it
    with pytest.raises(InputError) as early:
        read_ballots(ballot, load_register(reg_path), date(2024, 2, 20))
    assert early.value.where == f"{ballot}:4" and "after the resolution" in early.value.message
    forget()
    with pytest.raises(InputError) as again:
        read_ballots(ballot, load_register(reg_path), date(2024, 2, 20))
    assert (again.value.where, again.value.message) == (early.value.where, early.value.message)
    assert len(entries(fresh_cache, "ballots")) == 3


def errors_of(compound: Compound) -> list[tuple[str, int, str]]:
    return [(e.source["filename"], e.source["lineno"], e.message) for e in compound.errors]


BROKEN_BOOKS = RESOLUTION + """
2024-03-02 * "物业" "屋面维修"
  resolution: "R-1"
  Expenses:MaintenanceFund:Repair-维修  100.00 CNY
    apportion: "units:1-1-101,9-9-999"
  Assets:MaintenanceFund:Bank-维修资金专户  -100.00 CNY
"""


@pytest.mark.parametrize("ballot_rows", [
    "1-1-101,agree,2024-02-20\n9-9-999,agree,2024-02-20\n",  # a non-owner's ballot, row 3
    "1-1-101,agree,2024-02-20\n1-1-102,maybe,2024-02-20\n",  # an unknown vote, row 3
    "1-1-101,agree,2024-02-20\n",  # clean
])
def test_integrity_errors_are_the_same_cold_warm_and_without_cache(
    make_compound: CompoundFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ballot_rows: str
) -> None:
    root = make_compound(BROKEN_BOOKS, files={"ballots/R-1.csv": "unit,vote,date\n" + ballot_rows})
    results = []
    for folder in ("cache", "cache", "unwritable"):  # cold, warm, no cache at all (a file blocks the folder)
        target = tmp_path / folder
        if folder == "unwritable":
            target.write_text("not a folder", "utf-8")
        monkeypatch.setenv("COMMONFUND_CACHE", str(target))
        forget()
        results.append(errors_of(load_compound(root)))
    assert results[0] == results[1] == results[2]
    assert any("names unit '9-9-999'" in message for _, _, message in results[0])
    assert len(entries(tmp_path / "cache", "ballots")) == 1
    assert len(entries(tmp_path / "cache", "scopes")) == 1


def test_scope_verdicts_match_the_allocation_engine(tmp_path: Path) -> None:
    reg = load_register(write(tmp_path, SMALL_REGISTER))
    scopes = ["all", " all ", "all:x", "by-balance", "first-deposit", "building:1", "building: 2", "building:3",
              "building:", "entrance:1-1", "entrance:1-2", "entrance:2-2", "entrance:1", "units:1-1-101",
              "units:1-1-101, 2-1-102", "units:1-1-101,9-9-999", "units:", "units: ,", "unit:1-1-101", "",
              "garden", "Building:1"]
    for scope in scopes:
        try:
            scope_mask(reg, scope)
            expected = None
        except ValueError as exc:
            expected = str(exc)
        assert scope_problem(reg, scope) == expected, scope


def test_a_ledger_load_imports_no_numpy_pandas_or_pydantic(tmp_path: Path) -> None:
    script = (
        "import sys\nfrom beancount import loader\n"
        f"entries, errors, _ = loader.load_file({str(REPO / 'ledgers/example/main.beancount')!r})\n"
        "assert entries and not errors, errors\n"
        "print(sorted(m for m in ('numpy', 'pandas', 'pydantic') if m in sys.modules))\n"
    )
    env = dict(os.environ, COMMONFUND_CACHE=str(tmp_path / "cache"), BEANCOUNT_DISABLE_LOAD_CACHE="1")
    for _ in range(2):  # cold, then from the cache
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
        assert out.stdout.strip() == "[]"
    assert entries(tmp_path / "cache", "register")


def test_cache_folder_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COMMONFUND_CACHE", str(tmp_path / "x"))
    assert cache.cache_dir() == tmp_path / "x"
    monkeypatch.delenv("COMMONFUND_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "commonfund"




def test_damaged_columns_of_a_file_changed_since_are_not_mixed_in(tmp_path: Path, fresh_cache: Path) -> None:
    path = write(tmp_path, SMALL_REGISTER)
    load_register(path)
    [entry] = entries(fresh_cache, "register")
    raw = entry.read_bytes()
    entry.write_bytes(raw[:-1] + bytes([raw[-1] ^ 1]))  # the columns (the last blob) fail their checksum
    forget()
    light = load_register(path)
    assert len(light) == 5  # the summary is intact
    write(tmp_path, SMALL_REGISTER.replace("80.00", "81.00"))
    with pytest.raises(InputError, match="changed while it was being read"):
        _ = light.households
    forget()
    assert str(load_register(path).get("1-1-102").area) == "81.00"  # type: ignore[union-attr]


def test_register_name_of_a_config_is_cached_by_its_text(tmp_path: Path, fresh_cache: Path) -> None:
    from commonfund.compound import paths

    config = tmp_path / "compound.toml"
    for text, name in [('register = "名册.csv"\n', "名册.csv"), ('name = "x"\n', "households.csv"),
                       ("register = \n", None), ('register = 3\n', None), ('[register]\nx = 1\n', None)]:
        config.write_text(text, "utf-8")
        for _ in range(2):
            paths._REGISTER_NAMES.clear()
            assert paths.register_path(config) == (tmp_path / name if name else None), text
    assert len(entries(fresh_cache, "register-name")) == 5


def test_light_register_knows_every_unit(tmp_path: Path, fresh_cache: Path) -> None:
    rows = [f"{b}-1-{r},{b},1,1,90.00,registered,O{b}{r},业主,9000.00,是,是" for b in (9, 10, 3) for r in (301, 101)]
    path = write(tmp_path, SMALL_REGISTER + "\n".join(rows) + "\n")
    fresh = parse_register(read_rows(path), path)
    load_register(path)
    forget()
    light = load_register(path)
    assert all(light.has_unit(unit) for unit in fresh.units)
    assert not any(light.has_unit(unit) for unit in ("9-9-999", "", "1-1-10", "10-1-3010", "zzz"))
    assert "columns" not in light.__dict__
    for scope in ("units:10-1-301,3-1-101", "units:9-1-101,1-1-101", "units:2-1-999"):
        try:
            scope_mask(fresh, scope)
            expected = None
        except ValueError as exc:
            expected = str(exc)
        assert scope_problem(light, scope) == expected


def test_entries_of_other_code_are_not_read(tmp_path: Path, fresh_cache: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, SMALL_REGISTER)
    first = load_register(path)
    monkeypatch.setattr(cache, "code_version", lambda: "another-version")
    forget()
    second = load_register(path)
    assert second.key != first.key and len(entries(fresh_cache, "register")) == 2


def test_the_folder_is_pruned_to_the_newest_entries(fresh_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "KEEP", 5)
    for i in range(2 * cache.KEEP + 1):
        cache.write_blobs("ballots", f"k{i:04d}", [(i,)])
        os.utime(cache.entry_path("ballots", f"k{i:04d}"), ns=(i * 10**9, i * 10**9))
    left = entries(fresh_cache, "ballots")
    assert len(left) == cache.KEEP
    assert cache.read_blobs("ballots", f"k{2 * cache.KEEP:04d}") == [(2 * cache.KEEP,)]
    assert cache.read_blobs("ballots", "k0000") is None


def test_entries_are_private_to_their_owner(tmp_path: Path, fresh_cache: Path) -> None:
    load_register(write(tmp_path, SMALL_REGISTER))  # the cached columns hold owner names and phone numbers
    [entry] = entries(fresh_cache, "register")
    assert entry.stat().st_mode & 0o077 == 0


def test_cache_key_follows_modules_not_paths() -> None:
    """Every producer of the key is a module the import system finds (a moved module cannot silently drop out
    of the key), and every module that derives a cache key is one of them."""
    import ast
    import importlib.util

    for name in cache.PRODUCERS:
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin is not None, name
        assert cache.module_source(name) == Path(spec.origin).read_bytes(), name
    package = REPO / "src"
    keyed = set()
    for path in (package / "commonfund").rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        if any(isinstance(node, ast.Attribute) and node.attr == "content_key" for node in ast.walk(tree)):
            keyed.add(".".join(path.relative_to(package).with_suffix("").parts).removesuffix(".__init__"))
    assert keyed and keyed <= set(cache.PRODUCERS)
    with pytest.raises(LookupError):
        cache.module_source("commonfund.no_such_module")
