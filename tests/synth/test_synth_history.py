"""``commonfund synth --history-excel``: an existing committee, the same bytes for the same seed (every file), a cash
book that reads back as the rows history.json announces, the authority's list, the maintenance fund's history and a
dividend."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from commonfund.cli import main
from commonfund.importers.cashbook import load_layouts, read_cashbook


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_history_excel_is_deterministic_and_reads_back(tmp_path: Path) -> None:
    for name in ("a", "b"):
        result = CliRunner().invoke(main, ["synth", str(tmp_path / name / "c"), "--history-excel", "--households", "12",
                                           "--years", "2", "--seed", "5"])
        assert result.exit_code == 0, result.output
    assert files(tmp_path / "a" / "c") == files(tmp_path / "b" / "c") and files(tmp_path / "a" / "c")
    root = tmp_path / "a" / "c"
    expected = json.loads((root / "history" / "history.json").read_text("utf-8"))
    book = read_cashbook(root / expected["cashbook"], load_layouts())
    assert [s.name for s in book.sheets] == [f"{y}年" for y in expected["years"]]
    assert {s.layout.name for s in book.sheets} == {"ledger-detail"} and book.passed_over == ["说明"]
    assert sum(len(s.rows) for s in book.sheets) == expected["rows"]
    assert all(s.skipped["subtotal"] >= 12 and s.opening is not None for s in book.sheets)
    assert [p for p in expected["statements"]] == sorted(str(p.relative_to(root)) for p in
                                                          (root / "history" / "statements").glob("*.csv"))
    assert "[migrate.categories]" in (root / "compound.toml").read_text("utf-8")
    assert {p["cause"] for p in expected["authority_list"]["planted"]} == {"area", "apportionment_missing_list",
                                                                           "interest"}
    assert (root / expected["authority_list"]["file"]).is_file()
    dividend = expected["dividend"]
    assert dividend["bank_households"] > dividend["cash_households"] > 0
    assert "apportion:" in (root / "books" / "2024.beancount").read_text("utf-8")
    assert f'"resolution" "{dividend["resolution"]}"' in (root / "resolutions.beancount").read_text("utf-8")
