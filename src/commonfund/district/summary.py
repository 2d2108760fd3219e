"""District roll-up (街道/住建 汇总): one summary per compound, computed independently, then combined.

:func:`summarise_compound` is a pure function of one compound folder (usable and tested without Dask); it
never raises for a user's broken books: a compound whose config, register or ledger cannot be used comes
back as a :class:`CompoundSummary` with ``error`` set, so one bad compound never stops the roll-up.
:func:`rollup` runs the summaries as independent tasks on Dask distributed (:mod:`commonfund.district.rollup`).
"""

from __future__ import annotations

import os
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from beancount.core import data

from commonfund.audit.findings import Finding, count_by_severity, run_audit
from commonfund.books.fund_figures import OTHER_IN, OTHER_OUT, all_fund_figures
from commonfund.books.subledger import compute_subledgers
from commonfund.compound.model import Compound, load_compound
from commonfund.core.errors import InputError, format_error
from commonfund.disclosure.status import DisclosureStatus, disclosure_status

CONFIG = "compound.toml"
MAIN = "main.beancount"
SKIP_DIRS = {".venv", "node_modules", "__pycache__", "documents", "imports", "books", "ballots"}


@dataclass(frozen=True)
class YearFigures:
    """One compound's figures for one year (amounts in Decimal yuan): a point of the district's trends.

    Attributes:
      year: The year.
      fund_balances: Net assets (assets + liabilities) of each fund at the end of the year.
      income: Income of the year by (fund, source account leaf), positive numbers.
      spending: Expenses of the year by (fund, account leaf).
      findings: Audit findings dated in the year, by severity, or None when the audit could not run.
      by_check: The same findings by check name (only checks with findings).
      disclosures: Disclosures due in the year, made on time, late, missing (vs the config's policy).
      below_30pct: Households whose sub-ledger is below the policy's top-up threshold (30% of their first
        deposit, 165号令 第17条) at the end of the year, or None if the sub-ledgers could not be computed.
    """

    year: int
    fund_balances: dict[str, Decimal] = field(default_factory=dict)
    income: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    spending: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    findings: dict[str, int] | None = None
    by_check: dict[str, int] = field(default_factory=dict)
    disclosures: DisclosureStatus | None = None
    below_30pct: int | None = None

    def total(self, which: str) -> Decimal:
        """Total income or spending of the year."""
        values = self.income if which == "income" else self.spending
        return sum(values.values(), Decimal(0))


@dataclass(frozen=True)
class CompoundSummary:
    """One compound's figures for one year (amounts in Decimal yuan), with every year of its books before.

    Attributes:
      path: The compound folder.
      name, slug: From its config (empty if the config is unusable).
      year: The year summarised (unless asked, the last year the books cover through December).
      households: Units in the register.
      transactions: Transactions in the books (all years).
      ledger_errors: Integrity and Beancount errors; ``first_error`` is the first as ``file:line: message``.
      fund_balances, income, spending, findings, disclosures, below_30pct: Those of :attr:`year`, as in
        :class:`YearFigures` (the same values as its entry in :attr:`years`).
      sweep_policy: Whether the compound's policy sweeps common revenue into the maintenance fund.
      years: The figures of every year from the first year of the books to :attr:`year`, oldest first.
      notes: Parts that could not be computed, with the reason.
      error: Why the compound could not be summarised at all (None when it was).
      seconds: Time spent computing this compound's summary.
      from_cache: Read from the district cache (:mod:`commonfund.district.cache`) instead of computed.
    """

    path: str
    name: str = ""
    slug: str = ""
    year: int | None = None
    households: int = 0
    transactions: int = 0
    ledger_errors: int = 0
    first_error: str = ""
    fund_balances: dict[str, Decimal] = field(default_factory=dict)
    income: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    spending: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    findings: dict[str, int] | None = None
    disclosures: DisclosureStatus | None = None
    below_30pct: int | None = None
    sweep_policy: bool = False
    years: tuple[YearFigures, ...] = ()
    notes: tuple[str, ...] = ()
    error: str | None = None
    seconds: float = 0.0
    from_cache: bool = False

    @property
    def ok(self) -> bool:
        """Summarised from clean books."""
        return self.error is None and self.ledger_errors == 0

    @property
    def status(self) -> str:
        """未能汇总, 账簿错误 N 处 or 正常 (what the workbook's 状态 column says)."""
        if self.error is not None:
            return "失败（未能汇总）"
        return f"账簿错误 {self.ledger_errors} 处" if self.ledger_errors else "正常"

    @property
    def current(self) -> YearFigures | None:
        """The figures of :attr:`year` (None for a compound that could not be summarised)."""
        return next((y for y in self.years if y.year == self.year), None)

    def total(self, which: str) -> Decimal:
        """Total income or spending of the year."""
        values = self.income if which == "income" else self.spending
        return sum(values.values(), Decimal(0))


def find_compounds(root: str | Path) -> list[Path]:
    """Every compound folder under *root* (a folder holding ``compound.toml`` and ``main.beancount``),
    sorted; a compound's own subfolders are not searched."""
    root = Path(root)
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        if CONFIG in files and MAIN in files:
            found.append(Path(folder))
            dirs.clear()
            continue
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS)
    return sorted(found)


def summarise_compound(path: str | Path, year: int | None = None) -> CompoundSummary:
    """Load one compound and summarise *year* and every year of its books before it; a broken compound
    gives a summary with ``error`` set."""
    start = time.perf_counter()
    path = Path(path)
    try:
        compound = load_compound(path)
        households = len(compound.register)
    except InputError as exc:
        return CompoundSummary(str(path), error=str(exc), seconds=time.perf_counter() - start)
    except Exception as exc:  # unreadable file, a crash in a plugin: reported, never fatal to the roll-up
        return CompoundSummary(str(path), error=f"{type(exc).__name__}: {exc}", seconds=time.perf_counter() - start)
    transactions = compound.transactions
    if year is None:
        year = last_full_year(transactions)
    first = min((t.date.year for t in transactions), default=year)
    years = list(range(first, year + 1)) if first <= year else [year]
    notes: list[str] = []
    findings = _findings_by_year(compound, year, notes)
    below = _below_30pct(compound, years, notes)
    policy = compound.config.policy
    figures = fund_figures_by_year(transactions, years)
    trend = tuple(
        YearFigures(
            y, *figures[y],
            findings=None if findings is None else count_by_severity(findings.get(y, ())),
            by_check={} if findings is None else dict(Counter(f.check for f in findings.get(y, ()))),
            disclosures=disclosure_status(compound.entries, policy, y), below_30pct=below.get(y),
        ) for y in years
    )
    now = trend[-1]
    first_error = ""
    if compound.errors:
        first_error = format_error(compound.errors[0])
    return CompoundSummary(
        path=str(path), name=compound.config.name, slug=compound.config.slug, year=year, households=households,
        transactions=len(transactions), ledger_errors=len(compound.errors), first_error=first_error,
        fund_balances=now.fund_balances, income=now.income, spending=now.spending, findings=now.findings,
        disclosures=now.disclosures, below_30pct=now.below_30pct, sweep_policy=bool(policy.sweep), years=trend,
        notes=tuple(notes), seconds=time.perf_counter() - start,
    )


def last_full_year(transactions: list[data.Transaction]) -> int:
    """The last year the books cover through December (a final payment spilling into January does not make
    a new year), or the last year with any transaction."""
    years = [t.date.year for t in transactions if t.date.month == 12]
    if years:
        return max(years)
    return max((t.date.year for t in transactions), default=date.today().year)


Figures = tuple[dict[str, Decimal], dict[tuple[str, str], Decimal], dict[tuple[str, str], Decimal]]


def fund_figures(transactions: list[data.Transaction], year: int) -> Figures:
    """Fund net assets at the end of *year*, and the year's income and spending by (fund, account leaf)."""
    return fund_figures_by_year(transactions, [year])[year]


def fund_figures_by_year(transactions: list[data.Transaction], years: Iterable[int]) -> dict[int, Figures]:
    """:func:`fund_figures` of each of *years*: :func:`commonfund.books.fund_figures.all_fund_figures` of each
    year (the one definition of a fund's figures), income with the transfers in and spending with the
    transfers out (the roll-up compares sources and purposes, not which fund paid whom)."""
    books = SimpleNamespace(transactions=transactions)
    out: dict[int, Figures] = {}
    for year in sorted(set(years)):
        figures = all_fund_figures(books, date(year, 1, 1), date(year, 12, 31))
        balances = {fund: f.closing for fund, f in figures.items()}
        income: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        spending: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        for fund, f in figures.items():
            for line in (*f.income, *f.transfers_in):
                if line.account != OTHER_IN:
                    income[(fund, line.account.rsplit(":", 1)[-1])] += line.amount
            for line in (*f.spending, *f.transfers_out):
                if line.account != OTHER_OUT:
                    spending[(fund, line.account.rsplit(":", 1)[-1])] += line.amount
        out[year] = (balances, dict(income), dict(spending))
    return out


def _findings_by_year(compound: Compound, year: int, notes: list[str]) -> dict[int, list[Finding]] | None:
    """The audit of the whole books, its findings by the year of their date (undated ones in *year*)."""
    try:
        found = run_audit(compound)
    except Exception as exc:  # one broken check must not hide the rest of the summary
        notes.append(f"审计未能运行（audit failed）：{type(exc).__name__}: {exc}")
        return None
    by_year: dict[int, list[Finding]] = defaultdict(list)
    for finding in found:
        day = finding.date or (finding.entries[0].date if finding.entries else None)
        by_year[day.year if day is not None else year].append(finding)
    return by_year


def _below_30pct(compound: Compound, years: list[int], notes: list[str]) -> dict[int, int]:
    fraction = compound.config.policy.top_up_fraction
    try:
        return {y: len(compute_subledgers(compound, date(y, 12, 31)).below(fraction)) for y in years}
    except Exception as exc:
        notes.append(f"分户账未能计算（sub-ledgers failed）：{type(exc).__name__}: {exc}")
        return {}
