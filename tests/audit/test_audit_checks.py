"""The supervisory-audit checks of DOMAIN §5 on small ledgers written here: each fires, and does not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from tests.conftest import SMALL_CONFIG

from commonfund.audit.findings import Finding, run_audit
from commonfund.books.parties import looks_like_person, normalize_name
from commonfund.compound.model import Compound

MF = "Assets:MaintenanceFund:Bank-维修资金专户"
CR = "Assets:CommonRevenue:Bank-共有收益户"
CM = "Assets:Committee:Bank-工作经费户"
OFFICE = "Expenses:Committee:Office-办公费"
CM_CONFIG = SMALL_CONFIG + f"""
[[bank_accounts]]
account = "{CM}"
bank = "ABC"
fund = "Committee"
"""
FUND_COMMITTEE = f"""
2024-01-02 * "业委会" "工作经费"
  {CM}   100000.00 CNY
  Equity:Committee:Opening-期初
"""

RESOLUTIONS = """
2024-01-01 custom "resolution" "R-1" "9" "年度预算"
  voted_area: 500.00
  voted_count: 4
  agree_area: 500.00
  agree_count: 4
  allowance: 300.00 CNY
"""
WITH_RESOLUTION = {"resolutions.beancount": RESOLUTIONS}

Loader = Callable[..., Compound]


def audit(compound: Compound, check: str, **kw: object) -> list[Finding]:
    assert not compound.errors, [e.message for e in compound.errors]
    return run_audit(compound, only=[check], **kw)  # type: ignore[arg-type]


def payment(day: str, payee: str, amount: str, meta: str = "", account: str = OFFICE, bank: str = CM) -> str:
    lines = [f'{day} * "{payee}" "付款"'] + [f"  {m}" for m in meta.splitlines() if m.strip()]
    return "\n".join([*lines, f"  {account}  {amount} CNY", f"  {bank}"]) + "\n"


# ── bank reconciliation ────────────────────────────────────────────────────
BANK_BOOKS = f"""
2024-01-05 * "首期" "首期维修资金"
  {MF}  1000.00 CNY
  Income:MaintenanceFund:Deposit-首期交存
    apportion: "first-deposit"
2024-03-31 * "银行" "结息"
  {MF}  1.00 CNY
  Income:MaintenanceFund:Interest-利息
    apportion: "by-balance"
"""


def test_bank_months_without_a_statement_are_gaps(load: Loader) -> None:
    books = BANK_BOOKS + f"2024-02-01 balance {MF} 1000.00 CNY\n2024-04-01 balance {MF} 1001.00 CNY\n"
    found = audit(load(books), "bank_reconciliation")
    assert [(f.severity, str(f.date)) for f in found] == [("warning", "2024-02-29")]
    assert "1 个月" in found[0].message_zh and found[0].entries[0].filename.endswith("accounts.beancount")


def test_bank_fully_covered_months_are_clean(load: Loader) -> None:
    books = BANK_BOOKS + "".join(f"2024-{m:02d}-01 balance {MF} {v} CNY\n"
                                 for m, v in ((2, "1000.00"), (3, "1000.00"), (4, "1001.00")))
    assert audit(load(books), "bank_reconciliation") == []


def test_bank_failed_assertion_is_an_error_and_leaves_a_gap(load: Loader) -> None:
    books = BANK_BOOKS + f"2024-02-01 balance {MF} 999.00 CNY\n2024-03-01 balance {MF} 1000.00 CNY\n" \
        f"2024-04-01 balance {MF} 1001.00 CNY\n"
    compound = load(books)
    assert any("Balance failed" in e.message for e in compound.errors)  # Beancount reports it too
    found = run_audit(compound, only=["bank_reconciliation"])
    assert [(f.severity, str(f.date)) for f in found] == [("warning", "2024-01-31"), ("error", "2024-02-01")]


def test_uncategorized_postings(load: Loader) -> None:
    books = f"""
2024-02-03 * "不明单位" "入账"
  {CR}  50.00 CNY
  Income:CommonRevenue:Uncategorized-待分类
2024-02-04 * "城市梯媒" "广告费"
  {CR}  60.00 CNY
  Income:CommonRevenue:Advertising-广告
"""
    found = audit(load(books), "uncategorized_postings")
    assert [(f.amount, str(f.date)) for f in found] == [(Decimal("50.00"), "2024-02-03")]


# ── contracts ─────────────────────────────────────────────────────────────
CONTRACT = f"""
2024-01-01 custom "contract" "C-1" "城市梯媒" Income:CommonRevenue:Advertising-广告 300.00 CNY "monthly"
  source: "电梯广告位 3 个"
  end: 2024-04-30
  due_days: 20
2024-06-30 * "结账" "last"
  {CR}  0.01 CNY
  Income:CommonRevenue:Interest-利息
"""


def ad(day: str, amount: str, period: str | None = None, payee: str = "城市梯媒") -> str:
    meta = f'\n  period: "{period}"' if period else ""
    return f'{day} * "{payee}" "广告费"{meta}\n  {CR}  {amount} CNY\n  Income:CommonRevenue:Advertising-广告\n'


def test_contract_paid_in_full_and_on_time_is_clean(load: Loader) -> None:
    books = CONTRACT + "".join(ad(f"2024-{m:02d}-15", "300.00") for m in (1, 2, 3, 4))
    assert audit(load(books), "contract_remittances") == []


def test_contract_missing_short_and_late(load: Loader) -> None:
    books = CONTRACT + ad("2024-01-15", "300.00") + ad("2024-02-15", "250.00") \
        + ad("2024-05-01", "300.00", "2024-03") + ad("2024-04-10", "300.00", payee="城市 梯媒")
    found = audit(load(books), "contract_remittances")
    got = {(f.rule, str(f.date), f.amount) for f in found}
    assert got == {("共有收益少收", "2024-03-20", Decimal("50.00")),
                   ("共有收益逾期上缴", "2024-05-01", Decimal("300.00"))}
    books = CONTRACT + ad("2024-01-15", "300.00") + ad("2024-02-15", "300.00") + ad("2024-03-15", "300.00")
    found = audit(load(books, name="c2"), "contract_remittances")
    assert [(f.rule, str(f.date)) for f in found] == [("共有收益未收", "2024-05-20")]
    assert found[0].entries[0].text.startswith('合同 C-1')


def test_malformed_contract_is_reported(load: Loader) -> None:
    books = '2024-01-01 custom "contract" "C-9" "某公司" Income:CommonRevenue:Venue-场地 100.00 CNY "weekly"\n'
    found = audit(load(books), "contract_remittances")
    assert len(found) == 1 and "period must be one of" in found[0].message_en


def remittance(day: str, document: str | None) -> str:
    meta = f'\n  document: "{document}"' if document else ""
    return f"""{day} * "测试物业有限公司" "停车费上缴"{meta}
  {CR}  850.00 CNY
  Expenses:CommonRevenue:OperatingCost-经营成本  150.00 CNY
  Income:CommonRevenue:Parking-停车  -1000.00 CNY
"""


def test_operating_cost_needs_an_existing_document(load: Loader) -> None:
    books = remittance("2024-02-10", "documents/2024/cost-01.pdf") \
        + remittance("2024-03-10", "documents/2024/none.pdf") + remittance("2024-04-10", None)
    found = audit(load(books, files={"documents/2024/cost-01.pdf": "%PDF-1.4\n"}), "operating_cost_undocumented")
    assert [str(f.date) for f in found] == ["2024-03-10", "2024-04-10"]
    assert "不存在" in found[0].message_zh and "未附凭证" in found[1].message_zh


# ── payments ──────────────────────────────────────────────────────────────
def test_split_payments(load: Loader) -> None:
    books = FUND_COMMITTEE + payment("2024-03-04", "美家保洁", "2000.00") \
        + payment("2024-03-20", "美家 保洁", "2000.00") + payment("2024-04-01", "美家保洁", "1500.00") \
        + payment("2024-06-01", "美家保洁", "4900.00")
    found = audit(load(books), "split_payments")
    assert [(len(f.entries), f.amount) for f in found] == [(3, Decimal("5500.00"))]


def test_split_payments_not_when_a_resolution_covers_them_or_under_limit(load: Loader) -> None:
    books = FUND_COMMITTEE + payment("2024-03-04", "美家保洁", "2000.00") \
        + payment("2024-03-20", "美家保洁", "2000.00") + payment("2024-05-04", "美家保洁", "4000.00") \
        + payment("2024-05-10", "美家保洁", "4000.00", 'resolution: "R-1"')
    assert audit(load(books, files=WITH_RESOLUTION), "split_payments") == []


def test_duplicate_payments(load: Loader) -> None:
    books = FUND_COMMITTEE + payment("2024-03-04", "彩虹印务", "880.00") + payment("2024-03-08", "彩虹印务", "880.00") \
        + payment("2024-04-04", "彩虹印务", "880.00") + payment("2024-04-05", "彩虹印务", "881.00")
    found = audit(load(books), "duplicate_payments")
    assert [str(f.date) for f in found] == ["2024-03-08"]


def related_config() -> str:
    config = CM_CONFIG.replace('role = "主任"', 'role = "主任"\naccount_no = "6222 0000 1111"')
    return config.replace('property_company = "测试物业有限公司"',
                          'property_company = "测试物业有限公司"\nproperty_staff = ["赵　建国"]')


def test_related_party_payments(load: Loader) -> None:
    books = FUND_COMMITTEE + payment("2024-03-04", "李 娜", "300.00") + payment("2024-03-05", "赵建国", "200.00") \
        + payment("2024-03-06", "某装修队", "400.00", 'payee_account: "622200001111"') \
        + payment("2024-03-07", "ＬＩ　ＮＡ", "100.00")
    found = audit(load(books, config=related_config()), "related_party_payments")
    assert [str(f.date) for f in found] == ["2024-03-04", "2024-03-05", "2024-03-06"]
    assert "业委会委员" in found[0].message_zh and "物业公司员工" in found[1].message_zh


def test_approved_allowance_and_reimbursement_are_not_related_party(load: Loader) -> None:
    resolution = '2024-01-01 custom "resolution" "R-B" "9" "预算"\n  voted_area: 500.00\n  voted_count: 4\n' \
                 '  agree_area: 500.00\n  agree_count: 4\n  allowance: 300.00 CNY\n'
    books = FUND_COMMITTEE + payment("2024-03-28", "李娜", "300.00", 'resolution: "R-B"',
                                     "Expenses:Committee:Allowance-津贴") \
        + payment("2024-03-29", "李娜", "86.00", 'reimbursement: "会议茶水"')
    compound = load(books, files={"resolutions.beancount": resolution})
    assert audit(compound, "related_party_payments") == []
    assert audit(compound, "individual_payments") == []
    assert audit(compound, "allowance_over_approved") == []


def test_individual_payments(load: Loader) -> None:
    books = FUND_COMMITTEE + payment("2024-03-04", "韩立群", "600.00") \
        + payment("2024-03-05", "得力办公用品商行", "60.00") \
        + payment("2024-03-06", "马建军", "80.00", 'reimbursement: "打印纸"') + payment("2024-03-07", "银行", "5.00")
    found = audit(load(books), "individual_payments")
    assert [f.entries[0].text for f in found] == ["韩立群 付款"]


def test_allowance_over_approved(load: Loader) -> None:
    resolution = '2024-01-01 custom "resolution" "R-B" "9" "预算"\n  voted_area: 500.00\n  voted_count: 4\n' \
                 '  agree_area: 500.00\n  agree_count: 4\n  allowance: 300.00 CNY\n'
    allowance = "Expenses:Committee:Allowance-津贴"
    books = FUND_COMMITTEE + payment("2024-03-28", "李娜", "300.00", 'resolution: "R-B"', allowance) \
        + payment("2024-03-30", "李娜", "50.00", 'resolution: "R-B"', allowance) \
        + payment("2024-04-28", "李娜", "900.00", 'resolution: "R-B"\nperiod: "2024Q2"', allowance)
    found = audit(load(books, files={"resolutions.beancount": resolution}), "allowance_over_approved")
    assert [(str(f.date), f.amount) for f in found] == [("2024-03-30", Decimal("50.00"))]


# ── invoices and documents ────────────────────────────────────────────────
def test_invoice_checks(load: Loader) -> None:
    books = FUND_COMMITTEE \
        + payment("2024-03-04", "得力商行", "1500.00") \
        + payment("2024-03-05", "得力商行", "999.00") \
        + payment("2024-03-06", "得力商行", "1200.00", 'invoice: "0310-001"\ninvoice_seller: "得力商行"\n'
                  "invoice_date: 2024-03-01") \
        + payment("2024-03-07", "得力商行", "1300.00", 'invoice: "0310 001"') \
        + payment("2024-03-08", "得力商行", "1400.00", 'invoice: "0310-002"\ninvoice_seller: "宏达文具"') \
        + payment("2024-03-09", "得力商行", "1600.00", 'invoice: "0310-003"\ninvoice_date: 2024-03-20')
    compound = load(books)
    assert [str(f.date) for f in audit(compound, "invoice_missing")] == ["2024-03-04"]
    assert [str(f.date) for f in audit(compound, "invoice_duplicate")] == ["2024-03-07"]
    assert [str(f.date) for f in audit(compound, "invoice_seller_mismatch")] == ["2024-03-08"]
    assert [str(f.date) for f in audit(compound, "invoice_after_payment")] == ["2024-03-09"]


def test_allowances_and_distributions_need_no_invoice(load: Loader) -> None:
    books = FUND_COMMITTEE + payment("2024-03-04", "李娜", "1500.00", account="Expenses:Committee:Allowance-津贴") \
        + payment("2024-03-05", "业主分红代发", "1500.00", 'distribution: "dividend"')
    assert audit(load(books), "invoice_missing") == []


def test_documents_missing(load: Loader) -> None:
    books = FUND_COMMITTEE + payment("2024-03-04", "绿化公司", "3000.00", 'document: "documents/a.pdf"') \
        + payment("2024-03-05", "绿化公司", "3100.00", 'document: "b.pdf"') \
        + payment("2024-03-06", "绿化公司", "3200.00") \
        + payment("2024-03-07", "绿化公司", "2000.00") \
        + payment("2024-03-08", "绿化公司", "3300.00").replace('"付款"', '"付款" ^job-1') \
        + f'2024-03-08 document {OFFICE} "../documents/c.pdf" ^job-1\n'
    compound = load(books, files={"documents/a.pdf": "x", "documents/b.pdf": "y", "documents/c.pdf": "z"})
    assert [str(f.date) for f in audit(compound, "documents_missing")] == ["2024-03-06"]


# ── budget, disclosure, calendar ──────────────────────────────────────────
def test_budget_variance(load: Loader) -> None:
    books = FUND_COMMITTEE + f"""
2024-01-01 custom "budget" {OFFICE} "yearly" 1000.00 CNY
2024-01-01 custom "budget" Expenses:Committee:Meeting-会议费 "monthly" 100.00 CNY
2025-01-01 custom "budget" {OFFICE} "yearly" 2000.00 CNY
""" + payment("2024-03-04", "得力", "1101.00") + payment("2024-05-04", "会场", "1000.00",
                                                       account="Expenses:Committee:Meeting-会议费") \
        + payment("2025-03-04", "得力", "2199.99") + payment("2025-06-30", "得力", "0.01")  # exactly +10%: allowed
    found = audit(load(books), "budget_variance")
    assert [(f.severity, str(f.date), f.amount) for f in found] == [
        ("warning", "2024-12-31", Decimal("101.00")), ("info", "2024-12-31", Decimal("200.00"))]
    assert "Meeting" in found[1].message_en


def test_disclosure_deadlines(load: Loader) -> None:
    books = f"""
2024-01-10 * "城市梯媒" "广告费"
  {CR}  60.00 CNY
  Income:CommonRevenue:Advertising-广告
2024-04-20 custom "disclosure" "common-revenue" "2024Q1"
2024-08-20 custom "disclosure" "common-revenue" "2024Q2"
2024-12-31 * "城市梯媒" "广告费"
  {CR}  60.00 CNY
  Income:CommonRevenue:Advertising-广告
"""
    quarterly = SMALL_CONFIG + '\n[policy]\ncommon_revenue_disclosure = "quarterly"\n'  # generic: yearly
    found = audit(load(books, config=quarterly), "disclosure_deadlines")
    assert [(f.severity, str(f.date)) for f in found] == [("warning", "2024-08-20"), ("error", "2024-10-30")]
    # Audited to 31 July, the Q2 disclosure posted on 20 August had not been made by its deadline.
    found = audit(load(books, name="c2", config=quarterly), "disclosure_deadlines", start=None,
                  end=date(2024, 7, 31))
    assert [(f.severity, str(f.date)) for f in found] == [("error", "2024-07-30")]


def test_holiday_and_round_sum_payments(load: Loader) -> None:
    books = FUND_COMMITTEE + payment("2024-10-03", "得力", "300.00") + payment("2024-10-12", "得力", "300.00") \
        + payment("2024-10-13", "得力", "300.00") + payment("2024-10-05", "抢修", "300.00", 'emergency: "漏水"') \
        + payment("2024-10-06", "得力", "300.00", 'resolution: "R-1"') \
        + payment("2024-11-04", "顾问公司", "12000.00") + payment("2024-11-05", "顾问公司", "12000.50") \
        + payment("2024-11-06", "顾问公司", "9000.00") \
        + payment("2024-11-07", "顾问公司", "15000.00", 'resolution: "R-1"')
    compound = load(books, files=WITH_RESOLUTION)
    found = audit(compound, "holiday_payments")
    # 2024-10-03 National Day; 2024-10-12 is an adjusted working Saturday (调休); 2024-10-13 a Sunday.
    assert [(str(f.date), "国庆节" in f.message_zh) for f in found] == [("2024-10-03", True), ("2024-10-13", False)]
    assert [str(f.date) for f in audit(compound, "round_sum_payments")] == ["2024-11-04"]


@pytest.mark.parametrize(("name", "normal"), [("张　伟", "张伟"), ("ＡＢＣ 公司", "abc公司"), ("李·娜", "李娜")])
def test_names_are_normalised(name: str, normal: str) -> None:
    assert normalize_name(name) == normal


def test_people_and_organisations() -> None:
    assert looks_like_person("韩立群") and looks_like_person("欧阳娜娜")
    assert not looks_like_person("银行") and not looks_like_person("微信支付") and not looks_like_person("上海某公司")
