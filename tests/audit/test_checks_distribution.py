"""Audit checks on transfers, distributions, the sweep policy and the 30% rule."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from tests.conftest import SMALL_CONFIG

from commonfund.audit.findings import Finding, run_audit
from commonfund.compound.model import Compound

R9 = """\
2024-01-10 custom "resolution" "R-9" "9" "分红"
  budget: 100.00 CNY
  {extra}voted_area: 400.00
  voted_count: 3
  agree_area: 300.00
  agree_count: 2
"""
_COUNT = iter(range(10**6))


def audit(load: Callable[..., Compound], books: str, check: str, config: str = SMALL_CONFIG,
          extra: str = "") -> list[Finding]:
    compound = load(R9.format(extra=extra) + books, config=config, name=f"a{next(_COUNT)}")
    assert compound.errors == []
    return run_audit(compound, only=[check])


def dividend(meta: str, scope: str = "all") -> str:
    return f"""
2024-12-01 * "代发" "分红"
  {meta}
  distribution: "dividend"
  Expenses:CommonRevenue:Dividend-业主分红  100.00 CNY
    apportion: "{scope}"
  Assets:CommonRevenue:Bank-共有收益户  -100.00 CNY
"""


ALLOWANCE = """
2024-02-28 * "李娜" "委员津贴"
  {meta}
  Expenses:Committee:Allowance-津贴  500.00 CNY
  Assets:Committee:Bank-工作经费户  -500.00 CNY
"""
TRANSFER = """
2024-03-01 * "共有收益" "拨付工作经费"
  interfund: "{rid}"
  Expenses:CommonRevenue:WorkingFund-拨付工作经费  800.00 CNY
  Assets:CommonRevenue:Bank-共有收益户  -800.00 CNY
  Assets:Committee:Bank-工作经费户  800.00 CNY
  Income:Committee:WorkingFund-工作经费拨入  -800.00 CNY
"""


def test_transfers_and_distributions_need_a_resolution(load: Callable[..., Compound]) -> None:
    assert audit(load, dividend('resolution: "R-9"'), "transfer_without_resolution") == []
    [finding] = audit(load, dividend('note: "x"'), "transfer_without_resolution")
    assert "业主分红" in finding.message_zh and "dividend" in finding.message_en
    [finding] = audit(load, ALLOWANCE.format(meta='note: "x"'), "transfer_without_resolution")
    assert "委员津贴" in finding.message_zh
    assert audit(load, ALLOWANCE.format(meta='resolution: "R-9"'), "transfer_without_resolution") == []
    [finding] = audit(load, TRANSFER.format(rid="unapproved"), "transfer_without_resolution")
    assert "工作经费" in finding.message_zh and finding.amount == Decimal("800.00")
    assert audit(load, TRANSFER.format(rid="R-9"), "transfer_without_resolution") == []


def test_working_fund_spent_downstream_is_not_counted_twice(load: Callable[..., Compound]) -> None:
    books = TRANSFER.format(rid="R-9").replace("800.00", "90.00") + ALLOWANCE.format(meta='resolution: "R-9"')
    assert audit(load, books, "resolution_over_budget") == []  # 90 transferred ≤ 100; the allowance is inside it


def test_distribution_key(load: Callable[..., Compound]) -> None:
    assert audit(load, dividend('resolution: "R-9"'), "distribution_key") == []
    [finding] = audit(load, dividend('resolution: "R-9"', "building:1"), "distribution_key")
    assert "第283条" in finding.article and "building:1" in finding.message_en
    agreed = 'apportion: "building:1"\n  '
    assert audit(load, dividend('resolution: "R-9"', "building:1"), "distribution_key", extra=agreed) == []
    [finding] = audit(load, dividend('resolution: "R-9"'), "distribution_key", extra=agreed)
    assert "R-9" in finding.message_zh


SWEEP_CONFIG = SMALL_CONFIG + """
[policy]
sweep = true
sweep_share = "1/2"
sweep_comparison = "{comparison}"
sweep_period = "quarter"
"""


def quarter(swept: str, period: str = "2024Q1", day: str = "2024-04-05") -> str:
    return f"""
2024-02-10 * "物业" "停车费上缴"
  Assets:CommonRevenue:Bank-共有收益户  900.00 CNY
  Expenses:CommonRevenue:OperatingCost-经营成本  100.00 CNY
  Income:CommonRevenue:Parking-停车  -1000.00 CNY

2024-03-15 * "广告" "广告费"
  Assets:CommonRevenue:Bank-共有收益户  100.00 CNY
  Income:CommonRevenue:Advertising-广告  -100.00 CNY

{day} * "共有收益" "转入维修资金"
  interfund: "R-9"
  period: "{period}"
  Expenses:CommonRevenue:Sweep-转入维修资金  {swept} CNY
  Assets:CommonRevenue:Bank-共有收益户  -{swept} CNY
  Assets:MaintenanceFund:Bank-维修资金专户  {swept} CNY
  Income:MaintenanceFund:TransferIn-共有收益转入  -{swept} CNY
"""


def test_sweep_more_than_half_of_net(load: Callable[..., Compound]) -> None:
    more_than = SWEEP_CONFIG.format(comparison="more-than")
    at_least = SWEEP_CONFIG.format(comparison="at-least")
    # net = 1000 + 100 − 100 (operating cost) = 1000; exactly one half is not "more than" half.
    [finding] = audit(load, quarter("500.00"), "sweep_policy", config=more_than)
    assert "2024Q1" in finding.message_zh and "(50.00%)" in finding.message_en
    assert finding.amount == Decimal("0.01")
    # 499.99 of 1000 = 49.999 %: shown with the digits that tell it from one half, not as "50.00%"
    [finding] = audit(load, quarter("499.99"), "sweep_policy", config=at_least)
    assert "（49.999%）" in finding.message_zh
    assert audit(load, quarter("500.01"), "sweep_policy", config=more_than) == []
    assert audit(load, quarter("500.00"), "sweep_policy", config=at_least) == []
    assert audit(load, quarter("499.99"), "sweep_policy", config=at_least) != []
    # without a period tag, a sweep dated in the next quarter counts for that quarter
    assert audit(load, quarter("600.00", period="x"), "sweep_policy", config=more_than) != []
    assert audit(load, quarter("600.00"), "sweep_policy", config=SMALL_CONFIG) == []  # no policy, no finding


def test_households_below_thirty_percent(load: Callable[..., Compound]) -> None:
    books = """
2024-01-01 * "首期维修资金" "划入"
  Assets:MaintenanceFund:Bank-维修资金专户   50000.00 CNY
  Income:MaintenanceFund:Deposit-首期交存  -50000.00 CNY
    apportion: "first-deposit"

2024-02-01 * "施工队" "1-2单元维修"
  resolution: "R-9"
  Expenses:MaintenanceFund:Repair-维修:Other-其他  8400.01 CNY
    apportion: "entrance:1-2"
  Assets:MaintenanceFund:Bank-维修资金专户  -8400.01 CNY
"""
    [finding] = audit(load, books, "household_below_threshold")
    assert finding.severity == "warning" and "1-2-101" in finding.message_zh
    assert finding.amount == Decimal("0.01")  # 3600.00 needed, 3599.99 left: a fen short (165号令 第17条)
    assert "张" not in finding.message_zh and "王芳" not in finding.message_zh  # unit numbers only
    # the entries that charged the household (not the deposit, not a repair of another building)
    assert [(str(e.date), e.text) for e in finding.entries] == [("2024-02-01", "施工队 1-2单元维修")]
    assert audit(load, books.replace("8400.01", "8400.00"), "household_below_threshold") == []
    other = books + """
2024-02-05 * "施工队" "2号楼维修"
  resolution: "R-9"
  Expenses:MaintenanceFund:Repair-维修:Other-其他  100.00 CNY
    apportion: "building:2"
  Assets:MaintenanceFund:Bank-维修资金专户  -100.00 CNY

2024-03-01 * "施工队" "全体维修"
  resolution: "R-9"
  Expenses:MaintenanceFund:Repair-维修:Other-其他  50.00 CNY
    apportion: "all"
  Assets:MaintenanceFund:Bank-维修资金专户  -50.00 CNY
"""
    [finding] = audit(load, other, "household_below_threshold")
    assert [str(e.date) for e in finding.entries] == ["2024-02-01", "2024-03-01"]
    assert "共" not in finding.message_zh  # all charges listed: no count


def test_households_below_thirty_percent_list_their_latest_charges(load: Callable[..., Compound]) -> None:
    """Dozens of compound-wide repairs charge every household: a finding lists the latest ten and says how many;
    the monthly bank charges, not a use the owners decided, are not among them."""
    from commonfund.audit.checks.topup import MAX_CHARGES

    books = """
2024-01-01 * "首期维修资金" "划入"
  Assets:MaintenanceFund:Bank-维修资金专户   50000.00 CNY
  Income:MaintenanceFund:Deposit-首期交存  -50000.00 CNY
    apportion: "first-deposit"
""" + "".join(f"""
2024-03-{day:02d} * "施工队" "全体维修{day}"
  resolution: "R-9"
  Expenses:MaintenanceFund:Repair-维修:Other-其他  1500.00 CNY
    apportion: "all"
  Assets:MaintenanceFund:Bank-维修资金专户  -1500.00 CNY
""" for day in range(1, 25)) + "".join(f"""
2024-{month:02d}-25 * "银行" "账户管理费"
  Expenses:MaintenanceFund:BankFee-手续费  10.00 CNY
    apportion: "all"
  Assets:MaintenanceFund:Bank-维修资金专户  -10.00 CNY
""" for month in range(3, 7))
    findings = audit(load, books, "household_below_threshold")
    assert findings
    for finding in findings:
        assert [str(e.date) for e in finding.entries] == [f"2024-03-{d:02d}" for d in range(15, 25)]
        assert len(finding.entries) == MAX_CHARGES
        assert "共 24 笔分摊，列出最近 10 笔" in finding.message_zh
