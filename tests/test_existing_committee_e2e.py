"""An existing committee moves in, through the CLI as a treasurer types it (issue 16, "How it is checked").

``synth --history-excel`` → ``opening`` → ``migrate`` the Excel cash book → ``import`` the bank statements that
overlap its last months (nothing booked twice: the bank balance ties to the statement, the overlap is linked) →
``check`` clean → ``reconcile`` the authority's per-household list (exactly the planted differences, with their
causes; the books untouched) → ``payout --bank-layout`` (the bank file and the cash list tie to the dividend to the
fen) → ``audit`` shows the reconcile findings. Re-running ``migrate`` and ``import`` adds nothing.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from commonfund.cli import main
from commonfund.compound.model import load_compound

PLANTED_CAUSES = {"area", "apportionment_missing_list", "interest"}


def cli(*args: str, ok: tuple[int, ...] = (0,)) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code in ok, f"commonfund {' '.join(args)} → {result.exit_code}\n{result.output}"
    return result.output


def fingerprint(root: Path) -> str:
    return cli("fingerprint", str(root)).strip()


def bank_balance(root: Path, account: str, through: date) -> Decimal:
    total = Decimal(0)
    for txn in load_compound(root).transactions:
        if txn.date <= through:
            total += sum((p.units.number for p in txn.postings if p.account == account and p.units.number),
                         Decimal(0))
    return total


def sheet_amounts(path: Path, header: str) -> list[Decimal]:
    """The amounts under *header* of an xlsx's payee rows (every row below the header but a 合计 row and notes);
    each must be a number, not text."""
    sheet = load_workbook(path).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    at = next(i for i, row in enumerate(rows) if header in row)
    column = rows[at].index(header)
    out = []
    for row in rows[at + 1:]:
        if "合计" in row or all(v is None for v in row[1:]):
            continue
        value = row[column]
        assert isinstance(value, (int, float)), f"{path.name}: {header} {value!r} is not a number"
        out.append(Decimal(str(value)).quantize(Decimal("0.01")))
    return out


@pytest.fixture(scope="module")
def moved_in(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], dict[str, str]]:
    """The committee after synth, opening, migrate and import, with the outputs of each step."""
    root = tmp_path_factory.mktemp("e2e") / "锦绣花园"
    outputs = {"synth": cli("synth", str(root), "--history-excel", "--households", "60", "--years", "2",
                            "--seed", "3")}
    expected = json.loads((root / "history" / "history.json").read_text("utf-8"))
    opening = expected["opening"]
    outputs["opening"] = cli("opening", str(root), "--date", opening["date"],
                             str(root / "history" / "opening-balances.csv"))
    outputs["migrate"] = cli("migrate", str(root), str(root / expected["cashbook"]))
    outputs["import"] = cli("import", str(root), *(str(root / s) for s in expected["statements"]))
    return root, expected, outputs


def test_the_history_is_migrated_and_imported_once(moved_in: tuple[Path, dict[str, Any], dict[str, str]]) -> None:
    root, expected, outputs = moved_in
    migrated = " ".join(outputs["migrate"].split())
    assert (f"total: {expected['rows']} new, 0 already migrated, {expected['uncategorised']} uncategorised"
            in migrated)
    imported = " ".join(outputs["import"].split())
    assert f"total: {expected['new_after']} new, 0 duplicates skipped, 0 uncategorised" in imported
    assert f"{expected['linked']} linked to the migrated cash book" in imported

    # 0 doubled: the bank's balance in the books is the statement's, at the statement's last day
    last_day = date.fromisoformat(expected["statement_last"])
    assert bank_balance(root, expected["account"], last_day) == Decimal(expected["statement_balance"])
    # and every cash-book row and every new statement line is booked exactly once
    compound = load_compound(root)
    on_bank = [t for t in compound.transactions if any(p.account == expected["account"] for p in t.postings)]
    dividend = [t for t in on_bank if t.meta.get("distribution")]
    assert len(on_bank) == 1 + expected["rows"] + expected["new_after"] + len(dividend)  # 1: the opening
    assert len(dividend) == 1
    linked = [t for t in on_bank if t.date >= date.fromisoformat(expected["cutover"])
              and "migrated" in str(t.meta.get("filename")) and "import_id" in t.meta]
    assert len(linked) >= expected["linked"]

    assert "no errors" in cli("check", str(root))

    # re-running either adds nothing (and does not touch the books)
    before = fingerprint(root)
    again = " ".join(cli("migrate", str(root), str(root / expected["cashbook"])).split())
    assert f"total: 0 new, {expected['rows']} already migrated" in again
    again = " ".join(cli("import", str(root), *(str(root / s) for s in expected["statements"])).split())
    assert "total: 0 new" in again
    assert fingerprint(root) == before


def test_reconcile_finds_exactly_the_planted_differences(
        moved_in: tuple[Path, dict[str, Any], dict[str, str]]) -> None:
    root, expected, _outputs = moved_in
    planted = expected["authority_list"]["planted"]
    assert {p["cause"] for p in planted} == PLANTED_CAUSES
    before = fingerprint(root)
    output = cli("reconcile", str(root), str(root / expected["authority_list"]["file"]), "--format", "json", ok=(1,))
    result = json.loads(output)
    assert result["date"] == expected["authority_list"]["date"]
    found = {d["unit"]: sorted(c["kind"] for c in d["causes"]) for d in result["differences"]}
    wanted: dict[str, list[str]] = {}
    for p in planted:
        wanted.setdefault(p["unit"], []).append(p["cause"])
    assert found == {unit: sorted(causes) for unit, causes in wanted.items()}
    assert result["only_books"] == [] and result["only_list"] == [] and result["ambiguous"] == []
    assert result["agree"] == result["households"] - len(wanted)
    assert fingerprint(root) == before  # the books are not changed

    audit = json.loads(cli("audit", str(root), "--format", "json", ok=(0, 1)))
    findings = [f for f in audit["findings"] if f["check"] == "authority_subledger_difference"]
    assert sorted(f["message_zh"].split("（")[0] for f in findings) == sorted(wanted)
    names = {h.owner_name for h in load_compound(root).register.households if h.owner_name}
    assert not any(name in f["message_zh"] for f in findings for name in names)

    # the auditor's workbook of the list's year has the same households on its sheet 分户账核对
    workbook = root.parent / "审计资料.xlsx"
    cli("export", str(root), "--year", result["date"][:4], "-o", str(workbook))
    rows = list(load_workbook(workbook)["分户账核对"].iter_rows(values_only=True))
    result_at = rows[0].index("结果 Result")
    assert sorted(r[0] for r in rows[1:] if r[result_at] == "不符") == sorted(wanted)


@pytest.mark.parametrize(("layout", "extra", "header"), [
    ("generic", (), "金额"),
    ("icbc-batch", ("--payer-account", "1001234509876543210"), "金额"),
])
def test_payout_ties_to_the_dividend(moved_in: tuple[Path, dict[str, Any], dict[str, str]], tmp_path: Path,
                                     layout: str, extra: tuple[str, ...], header: str) -> None:
    root, expected, _outputs = moved_in
    dividend = expected["dividend"]
    output = tmp_path / f"{layout}.xlsx"
    cli("payout", str(root), dividend["resolution"], "-o", str(output), "--bank-layout", layout,
        "--date", "2025-12-15", *extra)
    bank = sheet_amounts(output, header)
    cash = sheet_amounts(tmp_path / f"{layout}-现金发放.xlsx", "金额（元）")
    assert len(bank) == dividend["bank_households"] and len(cash) == dividend["cash_households"]
    assert all(a > 0 for a in bank + cash)
    assert sum(bank) + sum(cash) == Decimal(dividend["amount"])


def test_payout_refuses_another_paying_account(moved_in: tuple[Path, dict[str, Any], dict[str, str]],
                                               tmp_path: Path) -> None:
    root, expected, _outputs = moved_in
    output = cli("payout", str(root), expected["dividend"]["resolution"], "-o", str(tmp_path / "icbc.xlsx"),
                 "--bank-layout", "icbc-batch", "--payer-account", "1001234509876543211", ok=(2,))
    assert "does not end in 3210" in output and not list(tmp_path.iterdir())
