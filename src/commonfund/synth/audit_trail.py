"""The generator's audit trail and planted audit cases (used by :mod:`commonfund.synth.generator`).

:func:`add_audit_trail` gives the generated books what real, clean books carry so the supervisory audit
finds nothing in them: common-revenue contracts (``custom "contract"``), yearly budgets
(``custom "budget"``), the approved monthly allowance on each budget resolution, an invoice and a
document file for every payment that needs one, committee purchases on working days, and the December
statement balance. :func:`plant_audit_cases` plants exactly one case for each check of DOMAIN §5 that this
module knows (``AUDIT_CASES``), each recorded in ``synth.json``'s ``planted`` list as
``{"check": <registered check name>, "date": <the finding's date>}``. Everything is derived from the seed.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from commonfund.core.holidays import rest_day, working_day_near
from commonfund.synth.common import (
    AD_COMPANY,
    BANKS,
    CM_BANK,
    CR_BANK,
    LAST_YEAR,
    PROPERTY_COMPANY,
    TOWER,
    Books,
    Txn,
    q,
    yuan,
)

INVOICE_ABOVE = 100000  # fen; the generated compound.toml's approval.invoice_required_above
DOCUMENT_ABOVE = 200000  # fen; approval.document_required_above
ALLOWANCE = 50000  # fen per member per month, as the generator pays it

AUDIT_CASES = (
    "bank_reconciliation", "uncategorized_postings", "contract_remittances", "operating_cost_undocumented",
    "split_payments", "related_party_payments", "individual_payments", "allowance_over_approved",
    "invoice_missing", "invoice_duplicate", "invoice_seller_mismatch", "invoice_after_payment",
    "documents_missing", "duplicate_payments", "budget_variance", "disclosure_deadlines",
    "holiday_payments", "round_sum_payments",
)


def pdf_document(lines: Iterable[str]) -> bytes:
    """A small, valid one-page PDF showing *lines* (ASCII): the stand-in for a scanned receipt."""
    text = "BT /F1 11 Tf 56 780 Td 14 TL " + " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '" for line in lines) + " ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text.encode("ascii")),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _state(gen: Books) -> dict[str, Any]:
    """The generator's audit bookkeeping (kept in ``gen.audit``, filled on first use)."""
    if not gen.audit:
        gen.audit.update({
            "withhold": defaultdict(set),  # id(txn) -> {"invoice", "document"}
            "fixed": set(),  # id(txn) of planted payments whose date must stay
            "documents": {},  # relative path -> bytes
            "missing_files": set(),  # document paths deliberately not created
            "dropped_balances": set(),  # balance-assertion lines deliberately left out
            "over_budget": None,  # (year, account) planted over budget
        })
    return gen.audit


def _spent(txn: Txn, banks: tuple[str, ...]) -> int:
    """Fen the transaction pays out of a bank account to expenses (0 if it is not a payment)."""
    if "interfund" in txn.meta or not any(a in banks and fen < 0 for a, fen, _ in txn.postings):
        return 0
    expenses = [(a, fen) for a, fen, _ in txn.postings if a.startswith("Expenses:") and fen > 0]
    if not expenses or all(":BankFee-" in a for a, _ in expenses):
        return 0
    return sum(fen for _, fen in expenses)


def add_audit_trail(gen: Books) -> None:
    """Contracts, budgets, allowances, invoices, documents and working-day purchases for clean books."""
    state = _state(gen)
    rng = random.Random(gen.seed * 7919 + 17)
    signed = gen.start - timedelta(days=10)
    spaces = max(2, gen.n // 12)
    elevators = max(1, len({(u.building, u.entrance) for u in gen.units}))
    for cid, who, account, fen, period, source, due in (
        (f"C-{gen.first_year}-01", PROPERTY_COMPANY, "Income:CommonRevenue:Parking-停车", spaces * 14800, "monthly",
         f"地面停车位 {spaces} 个（物业公司经营，保底 148 元/个·月）", 30),
        (f"C-{gen.first_year}-02", AD_COMPANY, "Income:CommonRevenue:Advertising-广告", elevators * 20000, "monthly",
         f"电梯轿厢广告位 {elevators} 个", 30),
        (f"C-{gen.first_year}-03", TOWER, "Income:CommonRevenue:BaseStation-基站", 750000, "quarterly",
         "屋顶通信基站场地租赁", 30),
    ):
        gen.directives.append((signed, "\n".join((
            f'{signed.isoformat()} custom "contract" "{cid}" {q(who)} {account} {yuan(fen)} CNY "{period}"',
            f"  source: {q(source)}", f"  start: {gen.start.isoformat()}", f"  due_days: {due}"))))
    # The approved allowance on each year's budget resolution (the generator pays 500 a month).
    for index, (day, text) in enumerate(gen.directives):
        if 'custom "resolution"' in text and text.split('"')[3].endswith("-B"):
            gen.directives[index] = (day, text + f"\n  allowance: {yuan(ALLOWANCE)} CNY")
    sequence = 0
    for txn in sorted(gen.txns, key=lambda t: (t.day, t.narration)):
        spent = _spent(txn, BANKS)
        if not spent:
            continue
        withhold = state["withhold"].get(id(txn), set())
        if id(txn) not in state["fixed"] and "resolution" not in txn.meta and "emergency" not in txn.meta \
                and rest_day(txn.day)[0]:
            txn.day = working_day_near(txn.day)
        allowance = any(":Allowance-" in a for a, _, _ in txn.postings)
        if spent > INVOICE_ABOVE and not allowance and "distribution" not in txn.meta \
                and "invoice" not in txn.meta and "invoice" not in withhold:
            sequence += 1
            txn.meta["invoice"] = q(f"0310{txn.day.year % 100:02d}00{rng.randint(1000, 9999)}-{sequence:08d}")
            txn.meta["invoice_seller"] = q(txn.payee)
            txn.meta["invoice_date"] = (txn.day - timedelta(days=rng.randint(0, 6))).isoformat()
        if spent > DOCUMENT_ABOVE and "document" not in txn.meta and "document" not in withhold:
            sequence += 1
            txn.meta["document"] = q(f"documents/{txn.day.year}/付款凭证-{txn.day.isoformat()}-{sequence:04d}.pdf")
    for txn in gen.txns:
        path = txn.meta.get("document", "").strip('"')
        if path and path not in state["missing_files"] and path not in state["documents"]:
            state["documents"][path] = pdf_document((
                f"{gen.slug} voucher", f"date {txn.day.isoformat()}",
                f"amount CNY {yuan(max(abs(f) for _, f, _ in txn.postings))}",
                f"ref {txn.meta.get('invoice', '-').strip(chr(34))}"))
    _budgets(gen, rng)


def _budgets(gen: Books, rng: random.Random) -> None:
    """A yearly budget per committee expense account, a little above what is spent (so within 10%)."""
    over = _state(gen)["over_budget"]
    actual: dict[tuple[int, str], int] = defaultdict(int)
    for txn in gen.txns:
        for account, fen, _ in txn.postings:
            if account.startswith("Expenses:Committee:") and ":BankFee-" not in account:
                actual[(txn.day.year, account)] += fen
    for (year, account), fen in sorted(actual.items()):
        if fen <= 0:
            continue
        factor = 1.0 / 1.3 if over == (year, account) else rng.uniform(1.0, 1.06)
        budget = int(fen * factor) // 10000 * 10000 + (10000 if over != (year, account) else 0)
        day = date(year, 1, 8)
        gen.directives.append(
            (day, f'{day.isoformat()} custom "budget" {account} "yearly" {yuan(budget)} CNY'))


def plant_audit_cases(gen: Books, cases: Iterable[str] = AUDIT_CASES) -> None:
    """Plant one case for each check in *cases* in the last year (see the module docstring)."""
    state, year, wanted = _state(gen), LAST_YEAR, set(cases)
    budget_id = f"R-{year}-B"
    office, meeting = "Expenses:Committee:Office-办公费", "Expenses:Committee:Meeting-会议费"
    names = {u.owner_name for u in gen.committee + gen.supervisors} | {"周志刚", "钱美玲"}

    def record(check: str, day: date, **extra: str) -> None:
        gen.planted.append({"check": check, "date": day.isoformat(), **extra})

    def pay(check: str, day: date, payee: str, narration: str, fen: int, account: str = office,
            bank: str = CM_BANK, meta: dict[str, str] | None = None, withhold: Iterable[str] = (),
            plant: bool = True) -> Txn:
        day = day if check == "holiday_payments" else working_day_near(day)
        txn = gen.pay(day, payee, narration, bank, account, fen, dict(meta or {}))
        state["fixed"].add(id(txn))
        state["withhold"][id(txn)].update(withhold)
        if plant:
            record(check, day)
        return txn

    if "bank_reconciliation" in wanted:
        state["dropped_balances"].add(f"{year}-07-01 balance {CM_BANK}")
        record("bank_reconciliation", date(year, 6, 30), account=CM_BANK)
    if "uncategorized_postings" in wanted:
        day = working_day_near(date(year, 5, 12))
        gen.receive(day, "上海某某商贸有限公司", "来源不明入账", CR_BANK,
                    "Income:CommonRevenue:Uncategorized-待分类", 38000)
        record("uncategorized_postings", day)
    if "contract_remittances" in wanted:
        missing = next(t for t in gen.txns if t.payee == AD_COMPANY and t.meta.get("period") == q(f"{year}-05"))
        gen.txns.remove(missing)
        record("contract_remittances", date(year, 6, 30), period=f"{year}-05")
    if "operating_cost_undocumented" in wanted:
        remittance = next(t for t in gen.txns
                          if t.payee == PROPERTY_COMPANY and t.meta.get("period") == q(f"{year}-06"))
        state["missing_files"].add(remittance.meta["document"].strip('"'))
        record("operating_cost_undocumented", remittance.day)
    if "split_payments" in wanted:
        for day, fen, plant in ((date(year, 3, 4), 180000, False), (date(year, 3, 13), 210000, False),
                                (date(year, 3, 25), 165000, True)):
            pay("split_payments", day, "上海美家保洁服务有限公司", "业主大会会场保洁", fen, meeting, plant=plant)
    if "related_party_payments" in wanted:
        pay("related_party_payments", date(year, 4, 16), "周志刚", "绿化补种劳务费", 120000)
    if "individual_payments" in wanted:
        person = next(n for n in ("韩立群", "韦晓东", "祁海波", "滕雪梅") if n not in names)
        pay("individual_payments", date(year, 5, 20), person, "临时保洁劳务费", 60000)
    if "allowance_over_approved" in wanted:
        member = gen.committee[0]
        pay("allowance_over_approved", date(year, 8, 28), member.owner_name,
            f"{year}年8月委员津贴补发（{member.unit}）", 30000, "Expenses:Committee:Allowance-津贴",
            meta={"resolution": q(budget_id)})
    if "invoice_missing" in wanted:
        pay("invoice_missing", date(year, 2, 18), "得力办公用品商行", "打印机及耗材", 135000, withhold={"invoice"})
    if "invoice_duplicate" in wanted:
        invoice = {"invoice": q(f"03102500{year % 100}77-00991234"), "invoice_seller": q("得力办公用品商行")}
        first = pay("invoice_duplicate", date(year, 4, 22), "得力办公用品商行", "档案柜", 126000, plant=False,
                    meta={**invoice, "invoice_date": date(year, 4, 20).isoformat()})
        pay("invoice_duplicate", date(year, 6, 17), "得力办公用品商行", "会议桌椅", 148000,
            meta={**invoice, "invoice_date": first.day.isoformat()})
    if "invoice_seller_mismatch" in wanted:
        day = working_day_near(date(year, 9, 16))
        pay("invoice_seller_mismatch", day, "得力办公用品商行", "文件柜", 112000,
            meta={"invoice": q(f"031025009911-{year}0916"), "invoice_seller": q("宏达文具店"),
                  "invoice_date": day.isoformat()})
    if "invoice_after_payment" in wanted:
        pay("invoice_after_payment", date(year, 10, 21), "得力办公用品商行", "投影仪", 158000,
            meta={"invoice": q(f"031025009922-{year}1105"), "invoice_seller": q("得力办公用品商行"),
                  "invoice_date": date(year, 11, 5).isoformat()})
    if "documents_missing" in wanted:
        pay("documents_missing", date(year, 11, 12), "上海绿化养护有限公司", "小区绿化补植", 380000,
            withhold={"document"})
    if "duplicate_payments" in wanted:
        pay("duplicate_payments", date(year, 3, 18), "上海彩虹印务有限公司", "业主大会表决票印刷", 88000, meeting,
            plant=False)
        pay("duplicate_payments", date(year, 3, 20), "上海彩虹印务有限公司", "业主大会表决票印刷", 88000, meeting)
    if "budget_variance" in wanted:
        state["over_budget"] = (year, office)
        record("budget_variance", date(year, 12, 31), account=office)
    if "disclosure_deadlines" in wanted:
        gen.directives = [(d, t) for d, t in gen.directives if f'"common-revenue" "{year}Q2"' not in t]
        record("disclosure_deadlines", date(year, 7, 30), period=f"{year}Q2")
    if "holiday_payments" in wanted:
        day = date(year, 10, 3)
        assert rest_day(day)[0]
        pay("holiday_payments", day, "得力办公用品商行", "国庆布置用品", 36000)
    if "round_sum_payments" in wanted:
        pay("round_sum_payments", date(year, 7, 15), "上海停车设施工程有限公司", "停车场划线及标识更新", 1200000,
            "Expenses:CommonRevenue:OperatingCost-经营成本", CR_BANK)


def kept_balances(gen: Books, lines: list[str]) -> list[str]:
    """The balance-assertion lines to write: all but those a planted case left out."""
    dropped = _state(gen)["dropped_balances"]
    return [line for line in lines if not any(line.startswith(prefix) for prefix in dropped)]


def documents(gen: Books) -> dict[str, bytes]:
    """The document files to write (relative path → PDF bytes)."""
    return dict(_state(gen)["documents"])
