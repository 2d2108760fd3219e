"""``commonfund synth``: a deterministic generator of realistic compounds of any size.

Same parameters and seed, same bytes: everything comes from one ``random.Random(seed)``, output is
written in a fixed order, and nothing depends on the clock. The books follow
``docs/ledger-conventions.md``: first deposits, quarterly interest by balance, repairs with resolutions
and ``apportion`` scopes (one tallied from a ballot file each year, one emergency repair a year),
monthly common revenue remitted by the property company, daily WeChat parking takings, ads and base-station
rent, a quarterly sweep into the maintenance fund, committee costs and allowances, dividends and
property-fee subsidies, top-ups, and month-start balance assertions.

With ``plant=True`` a few conduct problems are planted in the last year (listed in ``synth.json``) so the
audit has something real to find; the books stay clean for ``commonfund check`` either way.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from commonfund.compound.config import CONFIG_NAME
from commonfund.compound.model import MAIN
from commonfund.compound.scaffold import IMPORTS_HEADER, RESOLUTIONS_HEADER, main_text, slugify, write_compound
from commonfund.core.accounts import render_accounts
from commonfund.register.model import DEVELOPER
from commonfund.synth.audit_trail import add_audit_trail, kept_balances, plant_audit_cases
from commonfund.synth.audit_trail import documents as audit_documents
from commonfund.synth.common import (
    AD_COMPANY,
    AUDITOR,
    BANKS,
    CHARGING,
    CM_BANK,
    CONTRACTORS,
    CR_BANK,
    CR_WECHAT,
    DEVELOPER_NAME,
    GIVEN,
    LAST_YEAR,
    LOCKERS,
    MF_BANK,
    PROPERTY_COMPANY,
    REPAIRS,
    SURNAMES,
    TOWER,
    Txn,
    Unit,
    q,
    yuan,
)
from commonfund.synth.objections import add_objections
from commonfund.synth.statements import statements_for
from commonfund.synth.variants import vary_names


class Generator:
    """Builds one compound; ``files()`` returns its content by relative path."""

    def __init__(self, households: int, years: int, seed: int, plant: bool, name: str, slug: str,
                 statements_months: int = 0, variants: bool = False) -> None:
        if households < 1:
            raise ValueError("households must be at least 1")
        if not 1 <= years <= 30:
            raise ValueError("years must be between 1 and 30")
        self.rng = random.Random(seed)
        self.n, self.years, self.seed, self.plant = households, years, seed, plant
        self.name, self.slug = name, slug
        self.first_year = LAST_YEAR - years + 1
        self.statements_months = statements_months  # last N months as statement files (importers.synthstatements)
        self.variants = variants  # noisy names and summaries of receipts (synth.variants)
        self.start = date(self.first_year, 1, 1)
        self.units = self._make_units()
        self.txns: list[Txn] = []
        self.directives: list[tuple[date, str]] = []  # (date, text) for resolutions.beancount
        self.ballots: dict[str, str] = {}
        self.balances: dict[str, int] = defaultdict(int)
        self.planted: list[dict[str, str]] = []
        self.committee = self._pick_members(7)
        self.supervisors = self._pick_members(3)
        self.audit: dict[str, Any] = {}  # the audit trail's bookkeeping (synth.audit_trail)

    # ── register ────────────────────────────────────────────────────────────
    def _make_units(self) -> list[Unit]:
        rng = self.rng
        units: list[Unit] = []
        owners: list[tuple[str, str]] = []
        building = 0
        while len(units) < self.n:
            building += 1
            entrances = rng.choice((1, 2, 2, 3, 3, 4)) if self.n > 40 else 1
            floors = rng.choice((6, 11, 18, 18, 26, 33)) if self.n > 200 else 6
            per_floor = rng.choice((2, 2, 3, 4))
            rate = rng.choice((9600, 11500, 12800, 14500))  # fen per ㎡: 5–8% of building cost
            stack_area = [rng.choice((8950, 10837, 12612, 14388, 6420, 17790)) + rng.randint(-120, 120)
                          for _ in range(per_floor)]
            for entrance in range(1, entrances + 1):
                for floor in range(1, floors + 1):
                    for room in range(1, per_floor + 1):
                        if len(units) >= self.n:
                            break
                        area = stack_area[room - 1]
                        sold = rng.random() > 0.015
                        delivered = sold and rng.random() > 0.004
                        if sold and owners and rng.random() < 0.03:
                            owner_id, owner_name = rng.choice(owners)  # owns several units (第9条)
                        elif sold:
                            owner_id = f"O{len(owners) + 1:06d}"
                            owner_name = rng.choice(SURNAMES) + "".join(
                                rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
                            owners.append((owner_id, owner_name))
                        else:
                            owner_id, owner_name = DEVELOPER, DEVELOPER_NAME
                        units.append(Unit(
                            unit=f"{building}-{entrance}-{floor}{room:02d}", building=str(building),
                            entrance=str(entrance), floor=floor, area_centi=area,
                            source=rng.choices(("registered", "surveyed", "contract"), (97, 2, 1))[0],
                            owner_id=owner_id, owner_name=owner_name,
                            deposit_fen=area * rate // 100, sold=sold, delivered=delivered,
                            phone=f"1{rng.choice('3589')}{rng.randint(0, 999999999):09d}" if sold else "",
                        ))
        return units

    def _pick_members(self, count: int) -> list[Unit]:
        owned = [u for u in self.units if u.owner_id != DEVELOPER]
        picked: list[Unit] = []
        for unit in self.rng.sample(owned, min(len(owned), count * 2)):
            if all(p.owner_id != unit.owner_id for p in picked):
                picked.append(unit)
            if len(picked) == count:
                break
        return picked

    def register_csv(self) -> str:
        lines = ["unit,building,entrance,floor,area,area_source,owner_id,owner_name,first_deposit,sold,delivered,phone"]
        for u in self.units:
            lines.append(
                f"{u.unit},{u.building},{u.entrance},{u.floor},{yuan(u.area_centi)},{u.source},{u.owner_id},"
                f"{u.owner_name},{yuan(u.deposit_fen)},{'是' if u.sold else '否'},"
                f"{'是' if u.delivered else '否'},{u.phone}"
            )
        return "\n".join(lines) + "\n"

    # ── books ───────────────────────────────────────────────────────────────
    def book(self, txn: Txn) -> None:
        assert sum(fen for _, fen, _ in txn.postings) == 0, txn.narration
        for account, fen, _ in txn.postings:
            self.balances[account] += fen
        self.txns.append(txn)

    def pay(self, day: date, payee: str, narration: str, bank: str, expense: str, fen: int,
            meta: dict[str, str] | None = None, posting_meta: dict[str, str] | None = None,
            **kw: object) -> Txn:
        txn = Txn(day, payee, narration, [(expense, fen, posting_meta or {}), (bank, -fen, {})],
                  meta or {}, **kw)  # type: ignore[arg-type]
        self.book(txn)
        return txn

    def receive(self, day: date, payee: str, narration: str, bank: str, income: str, fen: int,
                meta: dict[str, str] | None = None, posting_meta: dict[str, str] | None = None) -> None:
        self.book(Txn(day, payee, narration, [(bank, fen, {}), (income, -fen, posting_meta or {})], meta or {}))

    def resolution(self, day: date, rid: str, matter: int, title: str, budget: int | None,
                   valid_days: int = 365, passes: bool = True, ballots: bool = False) -> None:
        """A resolution with tallies from a random but register-consistent sample of voters."""
        rng = self.rng
        share = rng.uniform(0.74, 0.92) if passes else rng.uniform(0.45, 0.6)
        voters = [u for u in self.units if rng.random() < share]
        if not voters:
            voters = list(self.units)
        agree_share = rng.uniform(0.78, 0.95) if matter in (6, 7, 8) else rng.uniform(0.6, 0.9)
        lines = [f'{day.isoformat()} custom "resolution" "{rid}" "{matter}" {q(title)}']
        if budget is not None:
            lines.append(f"  budget: {yuan(budget)} CNY")
        lines.append(f"  valid_until: {(day + timedelta(days=valid_days)).isoformat()}")
        vote_day = day - timedelta(days=rng.randint(3, 10))
        if ballots:
            path = f"ballots/{rid}.csv"
            rows = ["unit,vote,date"]
            positions: dict[str, str] = {}  # one person, one position (第9条: an owner of several units is one)
            # a person who takes part returns a ballot for every unit they hold (partial returns are findings)
            persons = {DEVELOPER if not (u.sold and u.delivered) else u.owner_id for u in voters}
            for u in (u for u in self.units
                      if (DEVELOPER if not (u.sold and u.delivered) else u.owner_id) in persons):
                vote = "agree" if rng.random() < agree_share else rng.choice(("against", "abstain"))
                vote = positions.setdefault(DEVELOPER if not (u.sold and u.delivered) else u.owner_id, vote)
                rows.append(f"{u.unit},{vote},{(vote_day - timedelta(days=rng.randint(0, 14))).isoformat()}")
            self.ballots[path] = "\n".join(rows) + "\n"
            lines.append(f'  ballots: "{path}"')
        else:
            agree = [u for u in voters if rng.random() < agree_share]
            def heads(group: list[Unit]) -> int:
                return len({DEVELOPER if not (u.sold and u.delivered) else u.owner_id for u in group})
            lines += [
                f"  voted_area: {yuan(sum(u.area_centi for u in voters))}",
                f"  voted_count: {heads(voters)}",
                f"  agree_area: {yuan(sum(u.area_centi for u in agree))}",
                f"  agree_count: {heads(agree)}",
            ]
        self.directives.append((day, "\n".join(lines)))

    def scope_units(self, kind: str) -> tuple[str, list[Unit]]:
        if kind == "all" or (len({u.building for u in self.units}) == 1 and kind == "building"):
            return "all", self.units
        unit = self.rng.choice(self.units)
        if kind == "building":
            return f"building:{unit.building}", [u for u in self.units if u.building == unit.building]
        return (f"entrance:{unit.building}-{unit.entrance}",
                [u for u in self.units if (u.building, u.entrance) == (unit.building, unit.entrance)])

    def generate(self) -> None:
        deposits = sum(u.deposit_fen for u in self.units)
        self.receive(self.start, "首期维修资金", "首期维修资金划入业委会专户", MF_BANK,
                     "Income:MaintenanceFund:Deposit-首期交存", deposits,
                     posting_meta={"apportion": '"first-deposit"'})
        # Common revenue carried over from before the books: enough for the first year's working fund,
        # so the first quarter's sweep is not starved by it.
        self.receive(self.start, "期初", "共有收益账户期初余额结转", CR_BANK, "Equity:CommonRevenue:Opening-期初",
                     6_000_000 + self.n * 500)
        self.resolution(self.start - timedelta(days=20), f"R-{self.first_year}-01", 9,
                        "共有收益管理办法（季度转入维修资金不低于净收益的60%）", None, valid_days=365 * 40)
        spaces = max(2, self.n // 12)
        elevators = max(1, len({(u.building, u.entrance) for u in self.units}))
        for year in range(self.first_year, LAST_YEAR + 1):
            self.generate_year(year, spaces, elevators)
        if self.plant:
            self.plant_problems()
        add_objections(self)
        add_audit_trail(self)

    def generate_year(self, year: int, spaces: int, elevators: int) -> None:
        rng = self.rng
        standing = f"R-{self.first_year}-01"
        budget_id = f"R-{year}-B"
        working = 6_000_000 + self.n * 500
        self.resolution(date(year, 1, 8), budget_id, 9, f"{year}年度业委会工作经费及委员津贴预算", working * 12 // 10,
                        valid_days=360)
        self.book(Txn(date(year, 1, 15), self.name + "业主委员会", f"{year}年度工作经费拨付", [
            ("Expenses:CommonRevenue:WorkingFund-拨付工作经费", working, {}), (CR_BANK, -working, {}),
            (CM_BANK, working, {}), ("Income:Committee:WorkingFund-工作经费拨入", -working, {}),
        ], {"interfund": q(budget_id)}))
        quarter_income = 0
        for month in range(1, 13):
            first = date(year, month, 1)
            days = (date(year + month // 12, month % 12 + 1, 1) - first).days
            takings = 0
            for d in range(days):
                fen = rng.randint(200, 900) * 100 * max(1, self.n // 1000) + rng.randint(0, 99)
                takings += fen
                self.receive(first + timedelta(days=d), "微信支付", "临时停车费日结", CR_WECHAT,
                             "Income:CommonRevenue:Parking-停车", fen)
            quarter_income += takings
            if self.balances[CR_WECHAT] > 0:
                amount = self.balances[CR_WECHAT]
                fee = amount * 6 // 1000
                self.book(Txn(first + timedelta(days=days - 1), "微信支付", "微信商户余额提现", [
                    (CR_BANK, amount - fee, {}), ("Expenses:CommonRevenue:BankFee-手续费", fee, {}),
                    (CR_WECHAT, -amount, {})]))
            gross = spaces * rng.choice((15000, 15000, 14800))
            cost = gross * 15 // 100
            prev = first - timedelta(days=1)
            self.book(Txn(
                first + timedelta(days=9), PROPERTY_COMPANY, f"{prev.year}年{prev.month}月停车费共有收益上缴", [
                    (CR_BANK, gross - cost, {}),
                    ("Expenses:CommonRevenue:OperatingCost-经营成本", cost, {}),
                    ("Income:CommonRevenue:Parking-停车", -gross, {})],
                {"period": q(f"{prev.year}-{prev.month:02d}"),
                 "document": q(f"documents/{prev.year}/停车成本-{prev.month:02d}.pdf")}))
            quarter_income += gross - cost
            ads = elevators * 20000
            self.receive(first + timedelta(days=14), AD_COMPANY, f"{year}年{month}月电梯广告费", CR_BANK,
                         "Income:CommonRevenue:Advertising-广告", ads, {"period": q(f"{year}-{month:02d}")})
            lockers = 120000 + rng.randint(-2000, 2000)
            self.receive(first + timedelta(days=17), LOCKERS, f"{year}年{month}月快递柜场地费", CR_BANK,
                         "Income:CommonRevenue:Lockers-快递柜", lockers)
            charging = rng.randint(50000, 200000)
            self.receive(first + timedelta(days=18), CHARGING, f"{year}年{month}月充电桩分成", CR_BANK,
                         "Income:CommonRevenue:Charging-充电桩", charging)
            quarter_income += ads + lockers + charging
            if month % 3 == 1:
                rent = 750000
                self.receive(first + timedelta(days=19), TOWER, f"{year}年第{month // 3 + 1}季度通信基站租金",
                             CR_BANK, "Income:CommonRevenue:BaseStation-基站", rent,
                             {"period": q(f"{year}Q{month // 3 + 1}")})
                quarter_income += rent
            for bank, fee_account in ((CR_BANK, "Expenses:CommonRevenue:BankFee-手续费"),
                                      (MF_BANK, "Expenses:MaintenanceFund:BankFee-手续费"),
                                      (CM_BANK, "Expenses:Committee:BankFee-手续费")):
                self.pay(first + timedelta(days=24), "银行", "账户管理费", bank, fee_account,
                         rng.choice((500, 1000, 1500)))
            self.committee_month(year, month, budget_id)
            if month % 3 == 0:
                self.interest(date(year, month, 21))
                share = quarter_income * 60 // 100
                if share > 0 and self.balances[CR_BANK] > share:
                    self.book(Txn(date(year, month, 28), "共有收益", f"{year}Q{month // 3} 共有收益转入维修资金", [
                        ("Expenses:CommonRevenue:Sweep-转入维修资金", share, {}), (CR_BANK, -share, {}),
                        (MF_BANK, share, {}), ("Income:MaintenanceFund:TransferIn-共有收益转入", -share, {})],
                        {"interfund": q(standing), "resolution": q(standing), "period": q(f"{year}Q{month // 3}")},
                        tags=("sweep",)))
                quarter_income = 0
                disclosed = date(year, month, 28) + timedelta(days=15)
                self.directives.append((disclosed, f'{disclosed.isoformat()} custom "disclosure" "common-revenue" '
                                                   f'"{year}Q{month // 3}"'))
        self.repairs(year)
        self.distribution(year)
        self.top_ups(year)
        self.directives.append((date(year + 1, 3, 20),
                                f'{year + 1}-03-20 custom "disclosure" "maintenance-fund" "{year}"'))

    def balance_assertions(self) -> list[tuple[date, str]]:
        """Month-start balance assertions for every bank account, from the books in date order."""
        running: dict[str, int] = defaultdict(int)
        out: list[tuple[date, str]] = []
        txns = sorted(self.txns, key=lambda t: t.day)
        position = 0
        for year in range(self.first_year, LAST_YEAR + 2):
            for month in range(1, 13):
                day = date(year, month, 1)
                if day <= self.start or (year > LAST_YEAR and month > 1):
                    continue
                while position < len(txns) and txns[position].day < day:
                    for account, fen, _ in txns[position].postings:
                        running[account] += fen
                    position += 1
                out += [(day, f"{day.isoformat()} balance {bank}  {yuan(running[bank])} CNY")
                        for bank in BANKS]
        return out

    def committee_month(self, year: int, month: int, budget_id: str) -> None:
        rng = self.rng
        first = date(year, month, 1)
        self.pay(first + timedelta(days=rng.randint(3, 20)), "得力办公用品商行", "办公用品", CM_BANK,
                 "Expenses:Committee:Office-办公费", rng.randint(8000, 60000))
        for member in self.committee[:5]:
            self.pay(first + timedelta(days=27), member.owner_name, f"{year}年{month}月委员津贴（{member.unit}）",
                     CM_BANK, "Expenses:Committee:Allowance-津贴", 50000, {"resolution": q(budget_id)})
        if month == 12:
            self.pay(date(year, 12, 20), AUDITOR, f"{year}年度共有收益及维修资金审计费", CM_BANK,
                     "Expenses:Committee:Audit-审计费", 1500000, {"resolution": q(budget_id)})

    def interest(self, day: date) -> None:
        for bank, income, extra in ((MF_BANK, "Income:MaintenanceFund:Interest-利息", {"apportion": '"by-balance"'}),
                                    (CR_BANK, "Income:CommonRevenue:Interest-利息", {})):
            fen = self.balances[bank] * 35 // 10000 // 4
            if fen > 0:
                self.receive(day, "银行", "结息", bank, income, fen, posting_meta=extra)

    def repairs(self, year: int) -> None:
        rng = self.rng
        count = 2 + rng.randint(0, 2) + self.n // 2000
        for index in range(count):
            account, what, kind, title, low, high = rng.choice(REPAIRS)
            scope, members = self.scope_units(kind)
            area = sum(u.area_centi for u in members)
            cost = area * rng.randint(low, high) // 100 // 100 * 100  # ㎡ (area is centi-㎡) × fen/㎡, whole yuan
            available = self.balances[MF_BANK] // 3
            if cost <= 0 or cost > available:
                continue
            month = rng.randint(2, 11)
            rid = f"R-{year}-{index + 2:02d}"
            label = scope.replace("building:", "").replace("entrance:", "")
            where = "全小区" if scope == "all" else (f"{label}号楼" if kind == "building" else f"{label}单元")
            pay_day = date(year, month, rng.randint(5, 25))
            contractor = CONTRACTORS[REPAIRS.index((account, what, kind, title, low, high))]
            self.resolution(pay_day - timedelta(days=rng.randint(20, 40)), rid, 5, f"{where}{title}",
                            cost * 105 // 100, ballots=index == 0)
            advance = cost * 3 // 10
            self.pay(pay_day, contractor, f"{where}{title}预付款", MF_BANK,
                     f"Expenses:MaintenanceFund:Repair-维修:{account}", advance, {"resolution": q(rid)},
                     {"apportion": q(scope)})
            self.pay(pay_day + timedelta(days=rng.randint(30, 50)), contractor, f"{where}{title}尾款", MF_BANK,
                     f"Expenses:MaintenanceFund:Repair-维修:{account}", cost - advance, {"resolution": q(rid)},
                     {"apportion": q(scope)})
        # One emergency repair a year (第22–24条 fast path), disclosed afterwards.
        scope, members = self.scope_units("entrance")
        # an emergency roof patch: ¥60–150 per ㎡ of roof (~1/15 of the entrance's area) → ¥4–10 per ㎡
        cost = sum(u.area_centi for u in members) * rng.randint(400, 1000) // 10000 * 100
        if 0 < cost < self.balances[MF_BANK] // 5:
            day = date(year, rng.randint(6, 8), rng.randint(1, 28))
            link = f"em-{year}"
            self.pay(day, "上海屋面抢修服务部", f"{scope.split(':')[1]}单元屋面渗漏应急抢修", MF_BANK,
                     "Expenses:MaintenanceFund:Repair-维修:Roof-屋面防水", cost,
                     {"emergency": q("暴雨致顶层住户屋面渗漏")}, {"apportion": q(scope)}, links=(link,))
            disclosed = day + timedelta(days=rng.randint(5, 20))
            self.directives.append((disclosed, f'{disclosed.isoformat()} custom "disclosure" "emergency" "^{link}"'))

    def distribution(self, year: int) -> None:
        rng = self.rng
        pool = self.balances[CR_BANK] // 5 // 10000 * 10000
        if pool <= 0:
            return
        rid = f"R-{year}-D"
        kind = "dividend" if year % 2 else "subsidy"
        title = f"{year}年共有收益{'业主分红' if kind == 'dividend' else '抵扣物业费'}"
        day = date(year, 12, rng.randint(5, 15))
        self.resolution(day - timedelta(days=25), rid, 9, title, pool)
        account = ("Expenses:CommonRevenue:Dividend-业主分红" if kind == "dividend"
                   else "Expenses:CommonRevenue:Subsidy-物业费补贴")
        payee = "业主分红代发" if kind == "dividend" else PROPERTY_COMPANY
        self.pay(day, payee, title, CR_BANK, account, pool,
                 {"resolution": q(rid), "distribution": q(kind)}, {"apportion": '"all"'})

    def top_ups(self, year: int) -> None:
        rng = self.rng
        for unit in rng.sample(self.units, min(len(self.units), 1 + self.n // 800)):
            fen = unit.deposit_fen // 2
            if fen > 0:
                self.receive(date(year, rng.randint(3, 11), rng.randint(1, 28)), unit.unit, f"{unit.unit} 维修资金续交",
                             MF_BANK, "Income:MaintenanceFund:TopUp-续交", fen,
                             posting_meta={"apportion": q(f"units:{unit.unit}")})

    def plant_problems(self) -> None:
        """Conduct problems for the audit to find (the books themselves stay well-formed)."""
        rng, year = self.rng, LAST_YEAR
        scope, members = self.scope_units("building")
        # entrance access control for a building: ~¥3 per ㎡ (¥8,000–12,000 per entrance)
        cost = max(100000, sum(u.area_centi for u in members) * 300 // 10000 * 100)
        cost = min(cost, self.balances[MF_BANK] // 10 // 100 * 100)
        rid = f"R-{year}-90"
        self.resolution(date(year, 9, 1), rid, 5, f"{scope.split(':')[-1]}号楼单元门禁更换", cost * 11 // 10,
                        passes=False)
        self.pay(date(year, 9, 20), "上海安居门禁工程有限公司", "单元门禁更换工程款", MF_BANK,
                 "Expenses:MaintenanceFund:Repair-维修:Other-其他", cost,
                 {"resolution": q(rid)}, {"apportion": q(scope)})
        self.planted.append({"check": "resolution_failed", "resolution": rid, "date": f"{year}-09-20"})
        rid = f"R-{year}-91"
        # street lights for the whole compound: ~¥0.5 per ㎡ (LED lamps and poles, ¥3,000–5,000 each)
        area = sum(u.area_centi for u in self.units)
        budget = max(100000, min(area * 50 // 10000 * 100, self.balances[MF_BANK] // 10 // 100 * 100))
        self.resolution(date(year, 10, 8), rid, 5, "全小区路灯更换", budget)
        self.pay(date(year, 10, 25), "上海园林市政工程有限公司", "全小区路灯更换首期款", MF_BANK,
                 "Expenses:MaintenanceFund:Repair-维修:Other-其他", budget * 7 // 10, {"resolution": q(rid)},
                 {"apportion": '"all"'})
        self.pay(date(year, 11, 26), "上海园林市政工程有限公司", "全小区路灯更换追加款", MF_BANK,
                 "Expenses:MaintenanceFund:Repair-维修:Other-其他", budget * 6 // 10, {"resolution": q(rid)},
                 {"apportion": '"all"'})
        self.planted.append({"check": "resolution_over_budget", "resolution": rid, "date": f"{year}-11-26"})
        plant_audit_cases(self)
        del rng

    # ── output ──────────────────────────────────────────────────────────────
    def config_toml(self) -> str:
        def members(key: str, people: list[Unit], roles: tuple[str, ...]) -> str:
            return "".join(
                f'\n[[{key}]]\nname = "{p.owner_name}"\nunit = "{p.unit}"\nrole = "{roles[min(i, len(roles) - 1)]}"\n'
                for i, p in enumerate(people))
        digits = [f"{self.rng.randint(0, 9999):04d}" for _ in range(4)]
        committee = members("committee", self.committee, ("主任", "副主任", "委员"))
        supervisors = members("supervisors", self.supervisors, ("监督委员会召集人", "监督委员"))
        return f"""\
# {self.name} — generated by `commonfund synth --households {self.n} --years {self.years} --seed {self.seed}`.
name = "{self.name}"
slug = "{self.slug}"
address = "上海市浦东新区锦绣路{100 + self.seed % 900}弄"
disclosure_url = "https://{self.slug}.example.org/gongshi"
currency = "CNY"
register = "households.csv"
start = "{self.start.isoformat()}"
committee_name = "{self.name}业主委员会"
property_company = "{PROPERTY_COMPANY}"
contact = "业委会办公室（5号楼底层，每周六 9:00–11:00）或业委会信箱"
property_staff = ["周志刚", "钱美玲"]
{committee}{supervisors}
[[bank_accounts]]
account = "{MF_BANK}"
bank = "CCB"
last_digits = "{digits[0]}"
fund = "MaintenanceFund"
profile = "ccb-corporate"
name = "建设银行维修资金专户"

[[bank_accounts]]
account = "{CR_BANK}"
bank = "ICBC"
last_digits = "{digits[1]}"
fund = "CommonRevenue"
profile = "icbc-corporate"
name = "工商银行共有收益账户"

[[bank_accounts]]
account = "{CR_WECHAT}"
bank = "WECHAT"
last_digits = "{digits[2]}"
fund = "CommonRevenue"
profile = "wechat"
name = "微信支付商户（临时停车）"

[[bank_accounts]]
account = "{CM_BANK}"
bank = "ABC"
last_digits = "{digits[3]}"
fund = "Committee"
profile = "abc-corporate"
name = "农业银行工作经费账户"

[approval]
single_payment_limit = "5000"
split_payment_days = 30
invoice_required_above = "1000"
document_required_above = "2000"

[policy]
region = "shanghai"
common_revenue_disclosure = "quarterly"
maintenance_fund_disclosure = "yearly"
posting_days = 30
sweep = true
sweep_share = "1/2"
sweep_comparison = "more-than"
sweep_period = "quarter"
top_up_threshold = "3/10"

[[rules]]
counterparty = "{PROPERTY_COMPANY}"
summary = "停车"
account = "Income:CommonRevenue:Parking-停车"

[[rules]]
counterparty = "梯媒|广告"
account = "Income:CommonRevenue:Advertising-广告"

[[rules]]
counterparty = "铁塔|移动|联通|电信"
account = "Income:CommonRevenue:BaseStation-基站"

[[rules]]
counterparty = "丰巢"
account = "Income:CommonRevenue:Lockers-快递柜"

[[rules]]
counterparty = "充电"
account = "Income:CommonRevenue:Charging-充电桩"

[[rules]]
summary = "结息|利息"
direction = "in"
account = "Income:CommonRevenue:Interest-利息"
"""

    def files(self) -> dict[str, str | bytes]:
        self.generate()
        varied = vary_names(self.txns, self.seed) if self.variants else 0
        config = self.config_toml()
        statements: dict[str, bytes] = {}
        booked = self.txns
        if self.statements_months:
            config, statements, booked = statements_for(self, config)
        by_year: dict[int, list[Txn]] = defaultdict(list)
        for txn in booked:
            by_year[txn.day.year].append(txn)
        files: dict[str, str | bytes] = {
            CONFIG_NAME: config,
            "households.csv": self.register_csv(),
            MAIN: main_text(f"{self.name} 业主委员会账簿"),
            "accounts.beancount": render_accounts(self.start - timedelta(days=60)),
            "imports/index.beancount": IMPORTS_HEADER,
        }
        directives = sorted(self.directives, key=lambda item: item[0])
        files["resolutions.beancount"] = RESOLUTIONS_HEADER + "\n" + "\n\n".join(
            text for _, text in directives if "custom" in text) + "\n"
        balances = kept_balances(self, [text for _, text in self.balance_assertions()])
        for year, txns in sorted(by_year.items()):
            txns.sort(key=lambda t: t.day)
            body = "\n\n".join(t.render() for t in txns)
            year_balances = "\n".join(b for b in balances if b.startswith(str(year))
                                       or (year == LAST_YEAR and b.startswith(str(year + 1))))
            files[f"books/{year}.beancount"] = (
                f";; {year} 年度账簿 — generated\n\n{body}\n\n;; 月初余额核对 Month-start balance assertions\n"
                f"{year_balances}\n")
        files.update(self.ballots)
        files.update(audit_documents(self))
        files.update(statements)
        files["synth.json"] = json.dumps({
            "households": self.n, "years": self.years, "seed": self.seed, "plant": self.plant,
            "first_year": self.first_year, "last_year": LAST_YEAR, "transactions": len(self.txns),
            "planted": self.planted, **({"name_variants": varied} if self.variants else {})},
            ensure_ascii=False, indent=2) + "\n"
        return files


def synth_compound(target: str | Path, households: int, years: int, seed: int = 1, plant: bool = False,
                   name: str = "锦绣花园", slug: str | None = None,
                   progress: Callable[[str], None] | None = None, statements_months: int = 0,
                   variants: bool = False) -> Path:
    """Generate a compound into *target* (which must not hold one already); return the folder.

    With *statements_months* the bank lines of the last N months are written as statement files under
    ``statements/`` (for ``commonfund import``) instead of being booked. With *variants* the receipts from the
    regular payers show noisy names and summaries (:mod:`commonfund.synth.variants`).
    """
    target = Path(target)
    generator = Generator(households, years, seed, plant, name, slug or slugify(target.name), statements_months,
                          variants)
    if progress:
        progress(f"generating {households} households × {years} years (seed {seed})")
    files = generator.files()
    write_compound(target, files, dirs=("documents",))
    return target

