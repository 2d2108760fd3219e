"""分户账核对: the authority's per-household list against the books' household sub-ledgers, household by household.

Where the maintenance fund is held by the city's 维修资金管理中心, its per-household list
(:mod:`commonfund.books.authority_list`) and commonfund's derived sub-ledgers
(:func:`commonfund.books.subledger.compute_subledgers`, at the list's date) must agree to the fen
(住宅专项维修资金管理办法 第10条 分户账; 第30条 每年至少一次核对). :func:`reconcile` matches the list's units to
the register's across spellings (:mod:`commonfund.register.spelling`), compares per household

* 交存 deposits — the books' deposits plus top-ups (续交), the list's 交存 plus its 续筹 if given apart;
* 使用/分摊 uses, 利息/增值收益 income, 余额 balance; and 建筑面积 with the register's area,

and gives each difference its likely cause, in this order:

1. ``area`` — the list's area is not the register's (every share by area then differs);
2. ``interest`` — only income differs: interest allocated differently;
3. ``apportionment_missing_list`` — only uses differ, the list lower by exactly this household's share of
   one apportioned spending in the books (named: date, text, resolution);
4. ``apportionment_missing_books`` — only uses differ, the list higher, and the households so differing
   together make one split by area over a building, an entrance or the compound: a spending the books lack;
5. ``top_up_missing_books`` / ``top_up_missing_list`` — only deposits differ: a top-up (续筹) the books
   have not recorded, or the books' top-up the list lacks;
6. ``list_arithmetic`` — the list's own row does not add up (交存 − 使用 + 收益 ≠ 余额);
7. ``unexplained``.

Books that take the fund over from an opening balance (期初, a posting on ``Equity:MaintenanceFund:``) count
deposits, uses and income from that day, the list from the beginning: then only balances and areas compare,
and a balance difference is traced as a share of one spending (3, 4) or left unexplained. Units on one side
only and spellings that fit several units (never guessed) are listed apart. This is the
one comparison: the ``reconcile`` command, the workbook's sheet 分户账核对, the Fava tab and the audit check
all call :func:`reconciliation_on_file` / :func:`reconcile`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from beancount.core import data

from commonfund.books.allocation import Weights
from commonfund.books.authority_list import AuthorityList, AuthorityRow, read_authority_list
from commonfund.books.subledger import SubLedgers, compute_subledgers, fund_postings, unit_history
from commonfund.compound.authority import stored_list
from commonfund.core.labels import scope_zh
from commonfund.core.money import cny, to_fen
from commonfund.register.spelling import UnitMatcher

if TYPE_CHECKING:
    from commonfund.compound.model import Compound

COMPARED = ("deposits", "uses", "income", "balance")
OPENING = "Equity:MaintenanceFund:"
TRACE_LIMIT = 30
"""At most this many households' sub-ledger lines are searched for a missed share (each is a replay)."""
FIGURE_ZH = {"area": "建筑面积", "deposits": "交存", "uses": "使用分摊", "income": "利息/增值收益", "balance": "余额"}
CAUSE_ZH = {
    "area": "建筑面积与名册不同", "interest": "利息分配不同", "apportionment_missing_list": "清单漏记一笔分摊",
    "apportionment_missing_books": "账簿缺少一笔分摊", "top_up_missing_books": "续筹未入账",
    "top_up_missing_list": "清单未记续交", "list_arithmetic": "清单本行余额不平", "unexplained": "原因不明",
}
"""Each cause's short Chinese name (the tables' 可能原因 column starts with it)."""


class Cause(NamedTuple):
    """A likely cause of one household's difference.

    Attributes:
      kind: One of :data:`CAUSE_ZH`'s keys.
      text: One Chinese sentence (amounts, the entry named).
      entries: The books' entries it points at (a missed apportionment's spending), possibly empty.
    """

    kind: str
    text: str
    entries: tuple[data.Transaction, ...] = ()

    @property
    def title(self) -> str:
        return CAUSE_ZH[self.kind]


class Figures(NamedTuple):
    """A household's figures in fen (None where the list gives no such column)."""

    deposits: int | None
    uses: int | None
    income: int | None
    balance: int | None


class Household(NamedTuple):
    """One household on both sides.

    Attributes:
      unit: The register's door number.
      row: The list's row; written: the unit as the list writes it.
      area_books, area_list: Area in 0.01 ㎡ (the list's may be None).
      books, authority: The figures (fen).
      causes: Why they differ (empty when they agree).
    """

    unit: str
    row: int
    written: str
    area_books: int
    area_list: int | None
    books: Figures
    authority: Figures
    causes: tuple[Cause, ...]

    @property
    def differences(self) -> Figures:
        """List minus books per figure, fen (None where not compared)."""
        return Figures(*(None if a is None or b is None else a - b
                         for a, b in zip(self.authority, self.books, strict=True)))

    @property
    def area_differs(self) -> bool:
        return self.area_list is not None and self.area_list != self.area_books

    @property
    def largest(self) -> int:
        """The largest difference of money, fen (absolute)."""
        return max((abs(d) for d in self.differences if d is not None), default=0)

    @property
    def agrees(self) -> bool:
        return self.largest == 0 and not self.area_differs


class OneSide(NamedTuple):
    """A unit on one side only, or a spelling that fits several units.

    Attributes:
      unit: The register's door number (on the books' side), or the list's spelling.
      row: The list's row (0 for a unit of the register).
      candidates: The units an ambiguous spelling fits.
      balance: Its balance on its side, fen (None if the list gives none).
    """

    unit: str
    row: int
    candidates: tuple[str, ...] = ()
    balance: int | None = None

    @property
    def why(self) -> str:
        """Why an ambiguous row was not matched, in Chinese."""
        if len(self.candidates) == 1:
            return f"与清单前面一行同为房号 {self.candidates[0]}，本行未作匹配，请核实"
        return f"可对应多个房号（{'、'.join(self.candidates)}），未作匹配，请改写为唯一房号"


@dataclass(frozen=True)
class Reconciliation:
    """The list against the books at the list's date.

    Attributes:
      name, as_of: The list's file name and date.
      columns: The figures the list gives.
      households: Every matched household, in the list's order.
      only_books: Register units the list does not have.
      only_list: List rows naming no register unit.
      ambiguous: List rows whose spelling fits several units (never guessed) or a unit already matched.
      skipped: The list's rows that are not households (合计, notes).
      opening: The day the books start from an opening balance (期初), when they do: then only balances and
        areas compare.
    """

    name: str
    as_of: date
    columns: tuple[str, ...]
    households: tuple[Household, ...]
    only_books: tuple[OneSide, ...]
    only_list: tuple[OneSide, ...]
    ambiguous: tuple[OneSide, ...]
    skipped: tuple[tuple[int, str], ...]
    opening: date | None = None

    @property
    def differing(self) -> tuple[Household, ...]:
        return tuple(h for h in self.households if not h.agrees)

    @property
    def agreeing(self) -> int:
        return sum(1 for h in self.households if h.agrees)

    @property
    def one_side(self) -> int:
        return len(self.only_books) + len(self.only_list) + len(self.ambiguous)

    @property
    def clean(self) -> bool:
        return not self.differing and not self.one_side

    def summary(self) -> str:
        """The summary line every view prints."""
        text = (f"核对 {len(self.households)} 户：{self.agreeing} 户分毫不差，{len(self.differing)} 户不符；"
                f"仅账簿有 {len(self.only_books)} 户，仅清单有 {len(self.only_list)} 行")
        if self.ambiguous:
            text += f"，无法确定房号 {len(self.ambiguous)} 行"
        return text

    def hint(self) -> str:
        """A sentence when the books start from an opening balance (only balances compare), or hold nothing of
        the maintenance fund at the list's date (every household then differs by all of its figures), else ""."""
        if self.opening is not None:
            return (f"账簿自 {self.opening} 的期初余额起记账：交存、使用、收益是期初以来的发生额，与清单自始的累计数"
                    "不可逐项比较，这里只核对各户余额和面积")
        if self.households and all(not any(h.books) for h in self.households) and any(
                any(h.authority) for h in self.households):
            return (f"账簿截至 {self.as_of} 没有任何维修资金的分户记录：请先记入首期交存或期初余额"
                    "（维修资金管理中心清单上的各户余额），再核对")
        return ""

    def beyond(self, tolerance_fen: int) -> tuple[Household, ...]:
        """Households differing by more than *tolerance_fen* in some figure, or in area."""
        return tuple(h for h in self.households if h.largest > tolerance_fen or h.area_differs)


def reconcile(compound: Compound, listing: AuthorityList) -> Reconciliation:
    """Compare *listing* with the books' sub-ledgers at its date. Pure: reads, never writes."""
    register = compound.register
    ledgers = compute_subledgers(compound, listing.as_of)
    matcher = UnitMatcher(register)
    matched: dict[str, int] = {}
    pairs: list[tuple[str, AuthorityRow]] = []
    only_list: list[OneSide] = []
    ambiguous: list[OneSide] = []
    for row in listing.rows:
        found = matcher.match(row.written)
        if found.unit is None:
            side = OneSide(row.written, row.row, found.candidates, row.balance)
            (ambiguous if found.ambiguous else only_list).append(side)
        elif found.unit in matched:
            ambiguous.append(OneSide(row.written, row.row, (found.unit,), row.balance))
        else:
            matched[found.unit] = row.row
            pairs.append((found.unit, row))
    index = register.index
    areas = register.columns.area_centi
    opening = opening_day(compound, listing.as_of)
    households = [_household(unit, row, index[unit], ledgers, areas, opening is not None) for unit, row in pairs]
    causes = _causes(compound, households, listing)
    households = [h._replace(causes=causes.get(h.unit, ())) for h in households]
    balances = ledgers.balance.tolist()
    only_books = tuple(OneSide(u, 0, (), int(balances[i])) for i, u in enumerate(ledgers.units) if u not in matched)
    return Reconciliation(listing.name, listing.as_of, listing.columns, tuple(households), only_books,
                          tuple(only_list), tuple(ambiguous), listing.skipped, opening)


def opening_day(compound: Compound, as_of: date) -> date | None:
    """The day the books take the fund over from an opening balance (a posting on ``Equity:MaintenanceFund:``,
    期初), if on or before *as_of*: the books' deposits, uses and income then count from that day, the list's
    from the beginning, so only balances (and areas) compare."""
    return next((t.date for t in compound.transactions if t.date <= as_of
                 and any(p.account.startswith(OPENING) for p in t.postings)), None)


def reconciliation_on_file(compound: Compound) -> Reconciliation | None:
    """The reconciliation with the list ``reconcile`` put on file, or None; computed once per compound and list."""
    stored = stored_list(compound.root)
    if stored is None:
        return None

    def compute() -> Reconciliation:
        listing = read_authority_list(stored.path, stored.read(), stored.as_of, name=stored.name)
        return reconcile(compound, listing)

    return compound.memo(f"authority:{stored.sha256}:{stored.as_of}", compute)


def _household(unit: str, row: AuthorityRow, i: int, ledgers: SubLedgers, areas: list[int],
               balance_only: bool) -> Household:
    books = Figures(None if balance_only else int(ledgers.deposits[i] + ledgers.top_ups[i]),
                    None if balance_only else int(ledgers.uses[i]), None if balance_only else int(ledgers.income[i]),
                    int(ledgers.balance[i]))
    authority = Figures(row.deposits, row.uses, row.income, row.balance)
    return Household(unit, row.row, row.written, areas[i], row.area_centi, books, authority, ())


def _only(diff: Figures, *names: str) -> bool:
    """Whether exactly the figures *names* (and the balance accordingly) differ."""
    values = diff._asdict()
    return all((values[f] or 0) != 0 if f in names else (values[f] or 0) == 0 for f in COMPARED if f != "balance")


def _causes(compound: Compound, households: list[Household], listing: AuthorityList) -> dict[str, tuple[Cause, ...]]:
    out: dict[str, list[Cause]] = {}
    extra_uses: dict[str, int] = {}
    fewer: dict[str, int] = {}
    lower: dict[str, int] = {}  # balance-only households whose list balance is lower
    for h in households:
        if h.agrees:
            continue
        causes = out.setdefault(h.unit, [])
        d = h.differences
        a = h.authority
        if None not in (a.deposits, a.uses, a.income, a.balance):
            own = (a.deposits or 0) - (a.uses or 0) + (a.income or 0) - (a.balance or 0)
            if own:
                causes.append(Cause("list_arithmetic", f"清单本行交存 − 使用 + 收益 与余额相差 {cny(abs(own))}"))
        if h.area_differs:
            causes.append(Cause("area", f"名册 {_area(h.area_books)} ㎡，清单 {_area(h.area_list)} ㎡"
                                        "（按面积计的交存和分摊随之不同）"))
            continue
        if d.deposits is None and d.uses is None and d.income is None and d.balance:
            # only balances compare (books from an opening balance, or a list without the other columns): a
            # higher list balance may be a share the list did not charge, a lower one a spending the books lack
            (fewer if d.balance > 0 else lower)[h.unit] = abs(d.balance)
            continue
        balance_follows = d.balance is None or d.balance == sum(
            (x or 0) * (-1 if f == "uses" else 1) for f, x in zip(COMPARED[:3], d[:3], strict=True))
        if not balance_follows:
            if not causes:
                causes.append(Cause("unexplained", describe(d)))
            continue
        if _only(d, "income"):
            causes.append(Cause("interest", f"只有利息/增值收益不同，清单比账簿{_more(d.income)}："
                                            "结息分到各户的方法不同"))
        elif _only(d, "uses") and (d.uses or 0) < 0:
            fewer[h.unit] = -(d.uses or 0)
        elif _only(d, "uses"):
            extra_uses[h.unit] = d.uses or 0
        elif _only(d, "deposits") and (d.deposits or 0) > 0:
            causes.append(Cause("top_up_missing_books", f"清单交存比账簿多 {cny(d.deposits or 0)}，"
                                                        "可能有续筹（续交）未入账"))
        elif _only(d, "deposits") and -(d.deposits or 0) == int(_top_ups(compound, h.unit, listing.as_of)):
            causes.append(Cause("top_up_missing_list", f"账簿记有续交 {cny(-(d.deposits or 0))}，清单未记"))
        elif not causes:
            causes.append(Cause("unexplained", describe(d)))
    traced = (_missed_in_books(compound, extra_uses) | _missed_in_books(compound, lower, alone=False)
              | _missed_in_list(compound, fewer, listing.as_of))
    for unit, cause in traced.items():
        out.setdefault(unit, []).append(cause)
    return {unit: tuple(causes) for unit, causes in out.items()}


def _top_ups(compound: Compound, unit: str, as_of: date) -> int:
    ledgers = compute_subledgers(compound, as_of)
    return int(ledgers.top_ups[compound.register.index[unit]])


def _missed_in_list(compound: Compound, fewer: dict[str, int], as_of: date) -> dict[str, Cause]:
    """Households whose list uses are lower: a whole spending of the books the list lacks (its split over its
    scope is exactly these differences), else, household by household (up to :data:`TRACE_LIMIT`), the
    spending of which the difference is the household's share (:func:`commonfund.books.subledger.unit_history`)."""
    if not fewer:
        return {}
    whole = _whole_spending(compound, fewer, as_of)
    if whole is not None:
        return whole
    if len(fewer) > TRACE_LIMIT:
        return {unit: Cause("unexplained", f"清单比账簿少计使用分摊 {cny(share)}（{len(fewer)} 户如此，未逐户追查）")
                for unit, share in fewer.items()}
    return {unit: _share_missed(compound, unit, share, as_of) for unit, share in fewer.items()}


def _whole_spending(compound: Compound, fewer: dict[str, int], as_of: date) -> dict[str, Cause] | None:
    """The books' apportioned spending the list lacks altogether, if one splits into exactly *fewer*."""
    register = compound.register
    total = sum(fewer.values())
    events, _ = fund_postings(compound.entries, as_of)
    for event in events:
        if event.category != "uses" or -event.fen != total or event.scope == "by-balance":
            continue
        try:
            parts = Weights.of_scope(register, event.scope).split(total).tolist()
        except ValueError:
            continue
        if {register.units[i]: p for i, p in enumerate(parts) if p} == fewer:
            entry = event.entry
            text = " ".join(p for p in (entry.payee, entry.narration) if p)
            named = f"{entry.date} {text}{_resolution(entry)}（{scope_zh(event.scope)}，合计 {cny(total)}）"
            return {unit: Cause("apportionment_missing_list", f"清单未计入账簿中的分摊 {named}，本户应摊 {cny(share)}",
                                (entry,)) for unit, share in fewer.items()}
    return None


def _share_missed(compound: Compound, unit: str, share: int, as_of: date) -> Cause:
    """The list's uses are lower by *share*: the books' apportioned spending of which that is this unit's share."""
    rows = [r for r in unit_history(compound, unit, as_of) if r.category == "uses" and -to_fen(r.amount) == share]
    if not rows:
        return Cause("unexplained", f"清单比账簿少计使用分摊 {cny(share)}，与本户任何一笔分摊都不相等")
    entries = _entries(compound, ((r.date, r.text) for r in rows))
    named = "；或 ".join(f"{r.date} {r.text}{_resolution(e)}（{scope_zh(r.scope)}）"
                        for r, e in zip(rows, entries, strict=True))
    return Cause("apportionment_missing_list", f"清单未计入账簿中的分摊 {named}，本户应摊 {cny(share)}",
                 tuple(e for e in entries if e is not None))


def _missed_in_books(compound: Compound, extra: dict[str, int], alone: bool = True) -> dict[str, Cause]:
    """Households whose list uses are higher: one spending split by area over a scope the books lack? With
    *alone*, the households themselves are such a scope (known to differ in uses only)."""
    if not extra:
        return {}
    register = compound.register
    total = sum(extra.values())
    summary = register.summary
    scopes = ["all", *(f"building:{b}" for b in summary.buildings), *(f"entrance:{e}" for e in summary.entrances)]
    if alone:
        scopes.append("units:" + ",".join(extra))
    for scope in scopes:
        try:
            parts = Weights.of_scope(register, scope).split(total).tolist()
        except ValueError:
            continue
        if {register.units[i]: p for i, p in enumerate(parts) if p} == extra:
            where = scope_zh(scope) if not scope.startswith("units:") else "本户"
            return {unit: Cause("apportionment_missing_books",
                                f"清单多计使用分摊 {cny(share)}：清单在{where}按面积分摊了一笔合计 {cny(total)} "
                                "的支出，"
                                "账簿中没有这笔分摊") for unit, share in extra.items()}
    what = "多计使用分摊" if alone else "余额少"
    return {unit: Cause("unexplained", f"清单比账簿{what} {cny(share)}，账簿中找不到对应的分摊")
            for unit, share in extra.items()}


def _entries(compound: Compound, keys: Iterable[tuple[date, str]]) -> list[data.Transaction | None]:
    """The books' transactions of (date, text) lines of a unit's sub-ledger."""
    out = []
    for day, text in keys:
        out.append(next((t for t in compound.transactions if t.date == day
                         and " ".join(p for p in (t.payee, t.narration) if p) == text), None))
    return out


def _resolution(entry: data.Transaction | None) -> str:
    rid = (entry.meta or {}).get("resolution") if entry is not None else None
    return f"（决议 {rid}）" if rid else ""


def _area(centi: int | None) -> str:
    return "" if centi is None else f"{Decimal(centi).scaleb(-2):.2f}"


def _more(fen: int | None) -> str:
    fen = fen or 0
    return f"多 {cny(fen)}" if fen > 0 else f"少 {cny(-fen)}"


def describe(d: Figures) -> str:
    """A household's differences in words: ``清单比账簿：使用分摊少 ¥73.73，余额多 ¥73.73``."""
    parts = [f"{FIGURE_ZH[f]}{_more(x)}" for f, x in zip(COMPARED, d, strict=True) if x]
    return "清单比账簿：" + "，".join(parts)
