"""``commonfund reconcile``: the table, the summary line, the exit code, the copy on file, the books untouched."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from tests.authority_lists import BOOKS, csv_list, figures, shift
from tests.conftest import CompoundFactory

from commonfund.cli import main
from commonfund.compound.authority import FOLDER, stored_list
from commonfund.compound.fingerprint import fingerprint
from commonfund.compound.model import load_compound


def digest(root: Path, skip: str = FOLDER) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and skip not in p.relative_to(root).parts):
        h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def test_reconcile_prints_differences_keeps_the_list_and_changes_no_book(make_compound: CompoundFactory,
                                                                         tmp_path: Path) -> None:
    root = make_compound(BOOKS)
    compound = load_compound(root)
    lines = figures(compound, date(2024, 12, 31))
    shift(lines["1-2-101"], 2, -120000)
    path = tmp_path / "维修资金分户账.csv"
    path.write_bytes(csv_list(lines).encode("gbk"))
    before, books = fingerprint(root), digest(root)
    result = CliRunner().invoke(main, ["reconcile", str(root), str(path)])
    assert result.exit_code == 1, result.output
    out = result.output
    assert "核对 5 户：4 户分毫不差，1 户不符；仅账簿有 0 户，仅清单有 0 行" in out
    assert "1-2-101" in out and "清单漏记一笔分摊" in out and "1号楼电梯维修" in out and "1,200.00" in out
    assert "已跳过：第9行合计行" in out
    assert "张三" not in out  # owner names never shown
    assert fingerprint(root) == before and digest(root) == books
    stored = stored_list(root)
    assert stored is not None and stored.read() == path.read_bytes() and stored.as_of == date(2024, 12, 31)
    again = CliRunner().invoke(main, ["reconcile", str(root), str(path), "--format", "json"])
    assert again.exit_code == 1
    found = json.loads(again.output)
    assert found["differences"][0]["unit"] == "1-2-101"
    assert found["differences"][0]["difference"]["uses"] == "-1200.00"
    assert [c["kind"] for c in found["differences"][0]["causes"]] == ["apportionment_missing_list"]
    assert sorted(p.name for p in (root / FOLDER).iterdir()) == ["current.json", stored.path.name]


def test_a_clean_list_exits_zero_and_all_lists_every_household(make_compound: CompoundFactory,
                                                               tmp_path: Path) -> None:
    root = make_compound(BOOKS)
    path = tmp_path / "清单.csv"
    path.write_bytes(csv_list(figures(load_compound(root), date(2024, 6, 30)), "").encode("utf-8-sig"))
    result = CliRunner().invoke(main, ["reconcile", str(root), str(path), "--date", "2024-06-30", "--all"])
    assert result.exit_code == 0, result.output
    assert "核对 5 户：5 户分毫不差" in result.output and result.output.count("一致") == 5


def test_bad_input_is_one_sentence_and_keeps_nothing(make_compound: CompoundFactory, tmp_path: Path) -> None:
    root = make_compound(BOOKS)
    path = tmp_path / "清单.csv"
    path.write_bytes("截至2024年12月31日\r\n房号,余额\r\n1-1-101,abc\r\n".encode("gbk"))
    result = CliRunner().invoke(main, ["reconcile", str(root), str(path)])
    assert result.exit_code == 2
    assert result.output.strip() == f"error: {path}:3: 余额 'abc' is not an amount in yuan (two decimals at most)"
    assert not (root / FOLDER).exists()
    missing = CliRunner().invoke(main, ["reconcile", str(root), str(tmp_path / "nowhere.xlsx")])
    assert missing.exit_code == 2 and "file not found" in missing.output


def test_synth_writes_a_list_that_reconcile_reads(tmp_path: Path) -> None:
    out = tmp_path / "list.csv"
    made = CliRunner().invoke(main, ["synth", str(tmp_path / "g"), "--households", "40", "--years", "2",
                                     "--authority-list", str(out)])
    assert made.exit_code == 0, made.output
    assert "planted:" in made.output and made.output.count(" interest") == 2
    result = CliRunner().invoke(main, ["reconcile", str(tmp_path / "g"), str(out), "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.output)["summary"] == "核对 40 户：36 户分毫不差，4 户不符；仅账簿有 0 户，仅清单有 0 行"
    small = CliRunner().invoke(main, ["synth", str(tmp_path / "tiny"), "--households", "2", "--years", "1",
                                      "--authority-list", str(tmp_path / "tiny.csv")])
    assert small.exit_code == 2 and "at least four households" in small.output


def test_books_without_the_fund_say_so(make_compound: CompoundFactory, tmp_path: Path) -> None:
    root = make_compound(BOOKS)
    lines = figures(load_compound(root), date(2024, 12, 31))
    path = tmp_path / "清单.csv"
    path.write_bytes(csv_list(lines).encode("gbk"))
    empty = make_compound("", name="empty")
    result = CliRunner().invoke(main, ["reconcile", str(empty), str(path)])
    assert result.exit_code == 1
    assert "账簿截至 2024-12-31 没有任何维修资金的分户记录" in result.output
    assert "核对 5 户：0 户分毫不差，5 户不符" in result.output
