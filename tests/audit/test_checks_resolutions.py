"""Audit checks on resolutions and maintenance-fund use: each fires, and does not fire on correct books."""

from __future__ import annotations

from collections.abc import Callable

from commonfund.audit.findings import Finding, run_audit
from commonfund.compound.model import Compound

PASSED = """\
2024-01-10 custom "resolution" "R-5" "5" "屋面维修"
  budget: 1000.00 CNY
  valid_until: 2024-06-30
  voted_area: 400.00
  voted_count: 3
  agree_area: 300.00
  agree_count: 2
2024-01-10 custom "resolution" "R-9" "9" "其他"
  voted_area: 400.00
  voted_count: 3
  agree_area: 300.00
  agree_count: 2
2024-01-10 custom "resolution" "R-F" "5" "未达法定人数"
  budget: 1000.00 CNY
  voted_area: 300.00
  voted_count: 3
  agree_area: 300.00
  agree_count: 3
"""


def pay(day: str, amount: str, meta: str = "", links: str = "") -> str:
    return f"""
{day} * "施工队" "维修" {links}
  {meta}
  Expenses:MaintenanceFund:Repair-维修:Roof-屋面防水  {amount} CNY
  Assets:MaintenanceFund:Bank-维修资金专户  -{amount} CNY
"""


_COUNT = iter(range(10**6))


def audit(load: Callable[..., Compound], books: str, check: str) -> list[Finding]:
    compound = load(PASSED + books, name=f"a{next(_COUNT)}")
    assert compound.errors == []
    return run_audit(compound, only=[check])


def test_use_citing_a_passed_matter_5_resolution_is_clean(load: Callable[..., Compound]) -> None:
    compound = load(PASSED + pay("2024-02-01", "600.00", 'resolution: "R-5"') + pay("2024-03-01", "400.00",
                                                                                      'resolution: "R-5"'))
    assert compound.errors == []
    names = ["resolution_failed", "resolution_wrong_matter", "resolution_not_in_force", "resolution_over_budget",
             "maintenance_use_without_resolution", "emergency_not_disclosed"]
    assert run_audit(compound, only=names) == []


def test_use_without_resolution(load: Callable[..., Compound]) -> None:
    [finding] = audit(load, pay("2024-02-01", "600.00", 'note: "x"'), "maintenance_use_without_resolution")
    assert finding.severity == "error" and finding.amount == 600 and "第278条" in finding.article
    assert "未引用业主大会决议" in finding.message_zh and "cites no resolution" in finding.message_en


def test_bank_fees_are_not_a_use(load: Callable[..., Compound]) -> None:
    books = """
2024-02-01 * "银行" "手续费"
  Expenses:MaintenanceFund:BankFee-手续费  5.00 CNY
  Assets:MaintenanceFund:Bank-维修资金专户  -5.00 CNY
"""
    assert audit(load, books, "maintenance_use_without_resolution") == []


def test_failed_resolution(load: Callable[..., Compound]) -> None:
    [finding] = audit(load, pay("2024-02-01", "600.00", 'resolution: "R-F"'), "resolution_failed")
    assert "参与表决的专有面积不足2/3" in finding.message_zh
    assert "300.00 ㎡ / 500.00 ㎡ = 3/5，60.00%" in finding.message_zh
    assert len(finding.entries) == 2 and finding.entries[1].text.startswith('业主大会决议 R-F')


def test_wrong_matter(load: Callable[..., Compound]) -> None:
    [finding] = audit(load, pay("2024-02-01", "600.00", 'resolution: "R-9"'), "resolution_wrong_matter")
    assert "⑨" in finding.message_zh and "matter 9" in finding.message_en


def test_not_in_force_before_and_after(load: Callable[..., Compound]) -> None:
    books = pay("2024-01-09", "100.00", 'resolution: "R-5"') + pay("2024-07-01", "100.00", 'resolution: "R-5"')
    findings = audit(load, books, "resolution_not_in_force")
    assert [f.date.isoformat() for f in findings] == ["2024-01-09", "2024-07-01"]  # type: ignore[union-attr]
    assert "早于" in findings[0].message_zh and "expired" in findings[1].message_en
    assert audit(load, pay("2024-01-10", "1.00", 'resolution: "R-5"') + pay("2024-06-30", "1.00",
                 'resolution: "R-5"'), "resolution_not_in_force") == []


def test_over_budget_cumulatively(load: Callable[..., Compound]) -> None:
    books = (pay("2024-02-01", "700.00", 'resolution: "R-5"') + pay("2024-03-01", "300.00", 'resolution: "R-5"')
             + pay("2024-04-01", "0.01", 'resolution: "R-5"') + pay("2024-05-01", "50.00", 'resolution: "R-5"'))
    findings = audit(load, books, "resolution_over_budget")
    assert [(f.date.isoformat(), f.amount) for f in findings] == [  # type: ignore[union-attr]
        ("2024-04-01", __import__("decimal").Decimal("0.01")), ("2024-05-01", __import__("decimal").Decimal("50.00"))]
    # the period filter reports only payments inside it, still counting earlier ones
    compound = load(PASSED + books, name="d")
    only_may = run_audit(compound, start=__import__("datetime").date(2024, 5, 1), only=["resolution_over_budget"])
    assert len(only_may) == 1


def test_emergency_disclosed_or_not(load: Callable[..., Compound]) -> None:
    emergency = pay("2024-02-01", "600.00", 'emergency: "屋面渗漏"', "^em-1")
    later = '\n2024-12-31 custom "disclosure" "common-revenue" "2024Q4"\n'
    disclosed = '\n2024-02-10 custom "disclosure" "emergency" "^em-1"\n'
    assert audit(load, emergency + disclosed + later, "emergency_not_disclosed") == []
    assert audit(load, emergency + disclosed + later, "maintenance_use_without_resolution") == []
    [finding] = run_audit(load(PASSED + emergency + later, name="e"), only=["emergency_not_disclosed"])
    assert "至今未公示" in finding.message_zh and "第24条" in finding.article
    late = '\n2024-04-01 custom "disclosure" "emergency" "^em-1"\n'
    [finding] = run_audit(load(PASSED + emergency + late + later, name="f"), only=["emergency_not_disclosed"])
    assert "迟至 2024-04-01" in finding.message_zh
    # not yet due: the books end within the disclosure period
    assert run_audit(load(PASSED + emergency, name="g"), only=["emergency_not_disclosed"]) == []
