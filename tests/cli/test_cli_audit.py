"""`commonfund audit / votes / subledger / payout` through click's CliRunner, and the demo's planted findings."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import REPO

from commonfund.audit.findings import run_audit
from commonfund.cli import main
from commonfund.compound.model import load_compound

EXAMPLE = str(REPO / "ledgers" / "example")
OURS = ["resolution_failed", "resolution_wrong_matter", "resolution_not_in_force", "resolution_over_budget",
        "maintenance_use_without_resolution", "emergency_not_disclosed", "transfer_without_resolution",
        "distribution_key", "sweep_policy", "household_below_threshold"]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_example_has_no_fund_rule_findings() -> None:
    assert run_audit(load_compound(EXAMPLE), only=OURS) == []


def test_audit_json_is_stable_and_fail_on(tmp_path: Path) -> None:
    code, out = run("audit", EXAMPLE, "--format", "json", "--fail-on", "never")
    assert code == 0
    report = json.loads(out)
    assert list(report) == ["compound", "period", "ledger_errors", "counts", "findings"]
    assert report["compound"] == "梧桐小苑" and report["ledger_errors"] == 0
    assert run("audit", EXAMPLE, "--format", "json", "--fail-on", "never")[1] == out
    code, _ = run("audit", EXAMPLE, "--from", "2030-01-01", "--fail-on", "warning")
    assert code == 0
    assert run("audit", EXAMPLE, "--from", "2025-02-01", "--to", "2025-01-01")[0] == 2
    assert run("audit", str(tmp_path / "nowhere"))[0] == 2
    code, out = run("audit", "--list")
    assert code == 0 and "resolution_failed" in out and "第1259条" in out
    from commonfund.audit.findings import CHECKS
    from commonfund.core.labels import CHECK_ZH
    assert CHECKS and sorted(set(CHECKS) - set(CHECK_ZH)) == []  # every check has its Chinese title
    assert "多套房业主只交部分表决票 (ballot_partial_owner)" in out


def test_votes() -> None:
    code, out = run("votes", EXAMPLE, "R-2025-02")
    assert code == 0
    assert "9 人 / 11 人 = 9/11" in out and "结论：通过" in out and "ballots/R-2025-02.csv" in out
    code, out = run("votes", EXAMPLE)
    assert code == 0 and "R-2025-04" in out
    code, out = run("votes", EXAMPLE, "R-404")
    assert code == 2 and "no resolution 'R-404'" in out


def test_subledger_csv_reconciles() -> None:
    code, out = run("subledger", EXAMPLE, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out.split("合计")[0])))
    assert len(rows) == 12 and sum(Decimal(r["balance"]) for r in rows) == Decimal("118831.51")
    assert "相符 reconciled" in out
    code, out = run("subledger", EXAMPLE, "--unit", "1-1-101", "--format", "json", "--as-of", "2025-03-31")
    assert code == 0 and [r["balance"] for r in json.loads(out)] == ["9000.00", "9007.88"]
    assert run("subledger", EXAMPLE, "--unit", "9-9-9")[0] == 2


def test_payout_xlsx_and_csv(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "payout.xlsx"
    code, out = run("payout", EXAMPLE, "R-2025-04", "-o", str(target))
    assert code == 0 and "12 households" in out
    sheet = load_workbook(target).active
    amounts = [row[6] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert round(sum(Decimal(str(a)) for a in amounts[:-1]), 2) == Decimal("600.00") == Decimal(str(amounts[-1]))
    code, _ = run("payout", EXAMPLE, "R-2025-04", "-o", str(tmp_path / "p.csv"))
    text = (tmp_path / "p.csv").read_text("utf-8-sig")
    assert code == 0 and text.splitlines()[-1].endswith("600.00") and "2-1-302" in text
    code, out = run("payout", EXAMPLE, "R-2025-02", "-o", str(tmp_path / "x.xlsx"))
    assert code == 2 and "no distribution entry" in out and not (tmp_path / "x.xlsx").exists()
    assert run("payout", EXAMPLE, "R-2025-04", "-o", str(tmp_path / "x.pdf"))[0] == 2


@pytest.mark.slow
def test_demo_audit_reports_exactly_the_planted_problems(tmp_path: Path) -> None:
    from commonfund.demo.context import DEMO_HOUSEHOLDS, DEMO_SEED, DEMO_YEARS
    from commonfund.synth.generator import synth_compound

    root = synth_compound(tmp_path / "demo", DEMO_HOUSEHOLDS, DEMO_YEARS, DEMO_SEED, plant=True, slug="demo")
    compound = load_compound(root)
    assert compound.errors == []
    planted = json.loads((root / "synth.json").read_text("utf-8"))["planted"]
    findings = run_audit(compound, only=OURS)
    ours = sorted((p["check"], p["date"]) for p in planted if p["check"] in OURS)
    assert ours == [("resolution_failed", "2025-09-20"), ("resolution_over_budget", "2025-11-26")]
    assert sorted((f.check, f.date.isoformat()) for f in findings) == ours  # type: ignore[union-attr]
    # the books contain what the issue asks for
    from commonfund.resolutions.parse import resolutions_of

    assert any(r.tally and r.tally.source == "ballots" for r in resolutions_of(compound).values())
    metas = [t.meta for t in compound.transactions]
    scopes = {str(p.meta.get("apportion")) for t in compound.transactions for p in t.postings if p.meta}
    assert any("emergency" in m for m in metas) and any(m.get("distribution") == "dividend" for m in metas)
    assert any(s.startswith("building:") for s in scopes) and "by-balance" in scopes
