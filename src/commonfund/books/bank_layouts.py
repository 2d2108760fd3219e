"""Bank batch-payment files (批量代发 / 批量转账) of a payout, in the bank's upload layout, and the cash list.

A layout is data (TOML, like the statement profiles): the file format (xlsx or csv and its encoding), the
sheet, and the columns in order, each a header and either a *field* of the payment (payee account, name,
bank, 联行号, amount, purpose, …) or a fixed *text*. Layouts ship in the package
(``commonfund/books/bank_layouts``, a link to the repository's ``payouts/layouts/``, found with
:mod:`importlib.resources`); a compound may add its own in ``<compound>/payouts/`` (a compound layout with the
same name wins). ``payouts/README.md`` says how to write one.

Households whose register row has bank details (收款账号, 收款户名, 开户行, 联行号: see
:mod:`commonfund.register.parse`) go into the bank file; the others are listed apart, to be paid in cash
against a signature (签收). Bank file plus cash list tie to the distribution to the fen, or nothing is written.
Both files name owners and hold account numbers: they are private, never public.
"""

from __future__ import annotations

import csv
import io
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from commonfund.books.payments import number_of
from commonfund.books.payout import Payout
from commonfund.compound.model import Compound
from commonfund.core.errors import InputError
from commonfund.core.money import from_fen, to_fen
from commonfund.io.atomic import write_bytes
from commonfund.io.cellsafe import csv_row, defuse_workbook
from commonfund.resolutions.parse import resolutions_of

SHIPPED = "bank_layouts"
"""The package folder of the shipped layouts (package data of :mod:`commonfund.books`)."""
LOCAL_DIR = "payouts"
"""A compound's own layouts: ``<compound>/payouts/*.toml``."""
FIELDS = ("seq", "unit", "payee_account", "payee_name", "payee_bank", "payee_bank_code", "amount", "purpose",
          "date", "payer_account", "payer_name")
CASH_COLUMNS = ("序号", "房号", "业主", "金额（元）", "签收", "日期")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LayoutColumn(_Model):
    """One column of the upload file: its header and what fills it (a payment field or a fixed text)."""

    header: str = Field(min_length=1)
    field: Literal["seq", "unit", "payee_account", "payee_name", "payee_bank", "payee_bank_code", "amount",
                   "purpose", "date", "payer_account", "payer_name"] | None = None
    text: str | None = None
    required: bool = Field(default=False, description="a payee without this field is refused (e.g. 联行号)")
    max_length: int | None = Field(default=None, ge=1, description="longest text the bank accepts (purpose)")

    @model_validator(mode="after")
    def _one_source(self) -> LayoutColumn:
        if (self.field is None) == (self.text is None):
            raise ValueError(f"column {self.header!r} needs exactly one of field or text")
        return self


class BankLayout(_Model):
    """A bank's batch-payment upload layout (批量代发 / 批量转账)."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    source: tuple[str, ...] = Field(min_length=1, description="public material the layout follows (URLs)")
    format: Literal["xlsx", "csv"]
    encoding: Literal["utf-8-sig", "gbk"] = "utf-8-sig"
    sheet: str = "批量代发"
    date_format: str = "%Y%m%d"
    columns: tuple[LayoutColumn, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _pays_someone(self) -> BankLayout:
        fields = {c.field for c in self.columns}
        missing = [f for f in ("payee_account", "payee_name", "amount") if f not in fields]
        if missing:
            raise ValueError(f"the columns lack the field(s) {', '.join(missing)}")
        return self

    @property
    def suffix(self) -> str:
        return f".{self.format}"

    def needs(self, field: str) -> bool:
        return any(c.field == field for c in self.columns)


def shipped_layouts() -> Path:
    """The layouts that ship with commonfund: package data of :mod:`commonfund.books`."""
    folder = resources.files("commonfund.books").joinpath(SHIPPED)
    if not isinstance(folder, Path) or not folder.is_dir():
        raise InputError(str(folder), "the shipped bank layouts are missing: reinstall commonfund")
    return folder.resolve()


def load_layout_file(path: Path) -> BankLayout:
    """Read and validate one layout file; a bad key is one sentence naming the file and the key."""
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(path, f"is not a readable TOML layout: {exc}") from None
    try:
        return BankLayout.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(p) for p in error["loc"]) or "layout"
        raise InputError(path, f"{key}: {error['msg']}") from None


def load_layouts(compound_root: Path | None = None) -> dict[str, BankLayout]:
    """All layouts by name: shipped first, then the compound's own (same name wins)."""
    folders = [shipped_layouts()]
    if compound_root is not None and (compound_root / LOCAL_DIR).is_dir():
        folders.append(compound_root / LOCAL_DIR)
    out: dict[str, BankLayout] = {}
    for folder in folders:
        for path in sorted(folder.glob("*.toml")):
            layout = load_layout_file(path)
            out[layout.name] = layout
    return out


def find_layout(name: str, compound_root: Path | None = None) -> BankLayout:
    layouts = load_layouts(compound_root)
    if name not in layouts:
        raise InputError(compound_root or "payouts", f"no bank layout named {name!r}; known: "
                         f"{', '.join(sorted(layouts))} (add one as payouts/README.md says)")
    return layouts[name]


@dataclass(frozen=True)
class BankPayout:
    """A payout split into the bank file's rows and the cash list.

    Attributes:
      layout: The bank's layout.
      bank_rows: Register positions paid by the bank, register order.
      cash_rows: Register positions paid in cash (no 收款账号 in the register).
      purpose: The 用途/附言 of every payment.
      total: The distribution's total in fen (what both files together must pay).
    """

    payout: Payout
    layout: BankLayout
    bank_rows: tuple[int, ...]
    cash_rows: tuple[int, ...]
    purpose: str
    total: int
    day: date
    payer_account: str = ""
    payer_name: str = ""

    @property
    def bank_total(self) -> int:
        return int(sum(int(self.payout.amounts[i]) for i in self.bank_rows))

    @property
    def cash_total(self) -> int:
        return int(sum(int(self.payout.amounts[i]) for i in self.cash_rows))

    def value(self, field: str, seq: int, i: int) -> Any:
        h = self.payout.register.households[i]
        values: dict[str, Any] = {
            "seq": seq, "unit": h.unit, "payee_account": h.payee_account, "payee_name": h.payee_name,
            "payee_bank": h.payee_bank, "payee_bank_code": h.payee_bank_code,
            "amount": from_fen(int(self.payout.amounts[i])), "purpose": self.purpose,
            "date": self.day.strftime(self.layout.date_format), "payer_account": self.payer_account,
            "payer_name": self.payer_name,
        }
        return values[field]

    def rows(self) -> list[list[Any]]:
        """The bank file's data rows: text as ``str``, amounts as :class:`~decimal.Decimal` yuan, seq as int."""
        out = []
        for seq, i in enumerate(self.bank_rows, 1):
            out.append([column.text if column.field is None else self.value(column.field, seq, i)
                        for column in self.layout.columns])
        return out


def distribution_total(payout: Payout) -> int:
    """The fen the distribution entries pay out: their expense postings (what the payout splits)."""
    return sum(to_fen(number_of(p)) for t in payout.entries for p in t.postings
               if p.account.startswith("Expenses:") and number_of(p) > 0)


def default_purpose(compound: Compound, payout: Payout) -> str:
    """用途/附言 from the resolution the distribution cites: its title and id (``2025年业主分红（R-2025-04）``)."""
    ids = list(dict.fromkeys(str(t.meta["resolution"]) for t in payout.entries if t.meta.get("resolution")))
    if len(ids) == 1:
        found = resolutions_of(compound).get(ids[0])
        return f"{found.title}（{ids[0]}）" if found is not None and found.title else f"业主大会决议{ids[0]}"
    kinds = {"补贴" if any("Subsidy-" in p.account for p in t.postings) else "分红" for t in payout.entries}
    return "共有收益" + "、".join(sorted(kinds))


def plan_bank_payout(payout: Payout, layout: BankLayout, *, purpose: str, day: date, payer_account: str = "",
                     payer_name: str = "") -> BankPayout:
    """Split *payout* into bank rows and cash rows for *layout*; refuse what the bank would reject.

    Raises :class:`InputError` for a payee missing a field the layout requires, a purpose longer than the
    layout allows, a missing payer account the layout needs, or files that would not tie to the distribution.
    """
    register = payout.register
    where = register.path or "register"
    bank: list[int] = []
    cash: list[int] = []
    for i in np.flatnonzero(payout.amounts).tolist():
        h = register.households[i]
        if not h.payee_account:
            cash.append(i)
            continue
        for column in layout.columns:
            if column.required and column.field and column.field.startswith("payee_") \
                    and not getattr(h, column.field):
                raise InputError(f"{where}:{h.row}", f"unit {h.unit} has no {column.header}, which the "
                                 f"{layout.name} layout requires: fill it in, or clear its 收款账号 to pay it in cash")
        bank.append(i)
    for column in layout.columns:
        if column.field == "purpose" and column.max_length and len(purpose) > column.max_length:
            raise InputError(layout.name, f"the purpose {purpose!r} is longer than the {column.max_length} "
                             f"characters {layout.name} accepts in {column.header}: give a shorter one with --purpose")
        if column.field == "payer_account" and not payer_account:
            raise InputError(layout.name, f"the {layout.name} layout needs the paying account ({column.header}): "
                             "give it with --payer-account")
    plan = BankPayout(payout, layout, tuple(bank), tuple(cash), purpose, distribution_total(payout), day,
                      payer_account, payer_name)
    paid = sum(row[_amount_column(layout)] for row in plan.rows())
    if to_fen(Decimal(paid)) != plan.bank_total or plan.bank_total + plan.cash_total != plan.total \
            or int(payout.total) != plan.total:
        raise InputError(payout.target, f"the bank file ({from_fen(plan.bank_total)}) and the cash list "
                         f"({from_fen(plan.cash_total)}) do not add up to the distribution "
                         f"({from_fen(plan.total)}): nothing written")
    return plan


def _amount_column(layout: BankLayout) -> int:
    return next(n for n, c in enumerate(layout.columns) if c.field == "amount")


def bank_file_bytes(plan: BankPayout) -> bytes:
    """The bank file: xlsx (account numbers and names as text cells, amounts as numbers) or csv."""
    layout = plan.layout
    headers = [c.header for c in layout.columns]
    rows = plan.rows()
    if layout.format == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(csv_row(headers))
        for row in rows:
            writer.writerow(csv_row([f"{v:.2f}" if isinstance(v, Decimal) else v for v in row]))
        try:
            return out.getvalue().encode(layout.encoding)
        except UnicodeEncodeError as exc:
            bad = exc.object[exc.start:exc.end]
            raise InputError(layout.name, f"{bad!r} cannot be written in {layout.encoding}: correct the name in "
                             "the register or use an xlsx layout") from None
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = layout.sheet
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        for n, column in enumerate(layout.columns, 1):
            cell = sheet.cell(sheet.max_row, n)
            if column.field == "amount":
                cell.number_format = "0.00"
            elif column.field != "seq":
                cell.number_format = "@"  # text: Excel never turns 6222…  into 6.22E+18, even when edited
    _widths(sheet, [min(40, max(_shown(v) for v in (h, *(r[n] for r in rows))) + 2)
                    for n, h in enumerate(headers)])
    return _save(book)


def cash_file_bytes(plan: BankPayout, title: str) -> bytes:
    """The households without bank details, to be paid in cash against a signature (签收), as xlsx."""
    from openpyxl import Workbook
    from openpyxl.styles import Border, Font, Side

    book = Workbook()
    sheet = book.active
    sheet.title = "现金发放"
    sheet.append([title])
    sheet.cell(1, 1).font = Font(bold=True)
    sheet.append(list(CASH_COLUMNS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    register = plan.payout.register
    for seq, i in enumerate(plan.cash_rows, 1):
        h = register.households[i]
        sheet.append([seq, h.unit, h.owner_name, from_fen(int(plan.payout.amounts[i])), "", ""])
        sheet.cell(sheet.max_row, 4).number_format = "#,##0.00"
        sheet.row_dimensions[sheet.max_row].height = 30  # room to sign
    sheet.append(["合计", f"{len(plan.cash_rows)} 户", "", from_fen(plan.cash_total), "", ""])
    sheet.cell(sheet.max_row, 4).number_format = "#,##0.00"
    sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    thin = Side(style="thin")
    for row in sheet.iter_rows(min_row=2, max_row=sheet.max_row, max_col=len(CASH_COLUMNS)):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.append(["本表含业主姓名，仅供发放签收，不得公示。"])
    _widths(sheet, [5, 10, 16, 12, 18, 11])
    sheet.print_title_rows = "1:2"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # one page wide: the 签收 column is printed
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    return _save(book)


def cash_path(path: Path) -> Path:
    """Where the cash list of a bank file goes: next to it, ``<name>-现金发放.xlsx``."""
    return path.with_name(f"{path.stem}-现金发放.xlsx")


def write_bank_payout(plan: BankPayout, path: Path, title: str) -> tuple[Path, Path | None]:
    """Write the bank file (and the cash list when some households have no bank details), each atomically.

    Both are built before either is written; the bank file's suffix must be the layout's format.
    """
    if path.suffix.lower() != plan.layout.suffix:
        raise InputError(path, f"the {plan.layout.name} layout writes {plan.layout.format}: name the file "
                         f"{path.stem}{plan.layout.suffix}")
    bank = bank_file_bytes(plan)
    cash = cash_file_bytes(plan, title) if plan.cash_rows else None
    write_bytes(path, bank)
    if cash is None:
        cash_path(path).unlink(missing_ok=True)  # a list left by an earlier run would no longer be true
        return path, None
    write_bytes(cash_path(path), cash)
    return path, cash_path(path)


def _widths(sheet: Any, widths: Iterable[int]) -> None:
    from openpyxl.utils import get_column_letter

    for n, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(n)].width = width


def _shown(value: Any) -> int:
    """The width a spreadsheet shows *value* in (a Chinese character takes two)."""
    text = f"{value:.2f}" if isinstance(value, Decimal) else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _save(book: Any) -> bytes:
    defuse_workbook(book)  # a name like =HYPERLINK(…) stays text
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
