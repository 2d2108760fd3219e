"""The compound's configuration, ``ledgers/<slug>/compound.toml``, validated with pydantic.

A bad config gives one :class:`~commonfund.core.errors.InputError` naming the file and the key, e.g.
``compound.toml: bank_accounts[1].fund: must be one of MaintenanceFund, CommonRevenue, Committee``.
Local policies (DOMAIN §3.3) are settings here, never code.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from commonfund.compound.paths import CONFIG_NAME
from commonfund.compound.policy import preset_values
from commonfund.core.errors import InputError
from commonfund.core.funds import FUNDS
from commonfund.core.program import command_line

__all__ = ["CONFIG_NAME", "CompoundConfig", "load_config"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Member(_Model):
    """A committee (业委会) or supervisory committee (监督委员会) member: name, unit, role."""

    name: str = Field(min_length=1)
    unit: str = Field(min_length=1)
    role: str = ""
    account_no: str = ""


class BankAccount(_Model):
    """A bank (or payment) account the committee holds, and which fund's money it keeps."""

    account: str = Field(description="Beancount account, e.g. Assets:MaintenanceFund:Bank-建行专户")
    bank: str = Field(description="bank code: ICBC, CCB, ABC, BOC, BOCOM, CMB, PSBC, WECHAT, ALIPAY…")
    last_digits: str = Field(default="", pattern=r"^[0-9]{0,8}$")
    fund: str
    profile: str = ""
    name: str = ""

    @field_validator("fund")
    @classmethod
    def _known_fund(cls, value: str) -> str:
        if value not in FUNDS:
            raise ValueError(f"must be one of {', '.join(FUNDS)}")
        return value

    @field_validator("account")
    @classmethod
    def _account_in_fund(cls, value: str) -> str:
        parts = value.split(":")
        if len(parts) < 3 or parts[0] not in ("Assets", "Liabilities") or parts[1] not in FUNDS:
            raise ValueError(
                "must be an Assets or Liabilities account of a fund, e.g. Assets:MaintenanceFund:Bank-建行专户"
            )
        return value


class CategoryRule(_Model):
    """An import rule: statement lines matching every given pattern go to *account*.

    Patterns are regular expressions searched in the counterparty name, the summary (摘要) and the
    purpose/remark (用途/附言). Optional metadata (resolution, apportion) is added to the transaction.
    """

    account: str
    counterparty: str = ""
    summary: str = ""
    purpose: str = ""
    direction: Literal["in", "out", "any"] = "any"
    narration: str = ""
    resolution: str = ""
    apportion: str = ""


class Approval(_Model):
    """Spending limits (元): above ``single_payment_limit`` a payment needs a resolution, etc."""

    single_payment_limit: Decimal = Decimal("5000")
    split_payment_days: int = Field(default=30, ge=1, le=366)
    invoice_required_above: Decimal = Decimal("1000")
    document_required_above: Decimal = Decimal("2000")
    budget_variance: Decimal = Decimal("0.10")
    round_sum_min: Decimal = Decimal("10000")
    duplicate_payment_days: int = Field(default=5, ge=0, le=90)


def _fund_account(value: str) -> str:
    parts = value.split(":")
    if len(parts) < 3 or parts[0] not in ("Assets", "Liabilities", "Equity", "Income", "Expenses") \
            or parts[1] not in FUNDS:
        raise ValueError("must be an account of a fund, e.g. Income:CommonRevenue:Parking-停车")
    return value


class Migrate(_Model):
    """``[migrate]``: how ``commonfund migrate`` books an existing cash book.

    ``[migrate.categories]`` maps a row's 类别/科目 (the cell's text) to an account, e.g.
    ``"停车费" = "Income:CommonRevenue:Parking-停车"``; a category whose account is of another fund than the
    sheet's is not applied (the row goes to that fund's 待分类).
    """

    categories: dict[str, Annotated[str, AfterValidator(_fund_account)]] = {}


REGIONS = ("generic", "shanghai", "beijing", "taizhou", "ningbo", "qingdao")
"""The regions with a policy preset (``src/commonfund/data/regions.toml``)."""


class Policy(_Model):
    """Local policy settings (DOMAIN §3.3): disclosure frequency, the sweep rule, the top-up line, the vote
    counting of partial ballots, the audit on a change of committee.

    ``region`` selects a preset (:func:`commonfund.compound.policy.preset_values`: the national rules, or a city's
    regulation, each setting citing its article); every key given in ``[policy]`` overrides it.
    ``sweep_share`` is an exact fraction (``"1/2"``); ``sweep_comparison`` says whether the share swept
    each period must be ``more-than`` it (Shanghai: 超过 50%) or ``at-least`` it (Beijing: 不低于 50%);
    ``sweep_condition`` = ``below-30pct`` applies the rule only while the fund is below 30% of deposits.
    ``partial_ballot_area``: a person of several units who returned ballots for only some takes part with
    all their area (``owner``) or the balloted units' only (``ballot``).
    ``posting_days``: how long a disclosure stays posted for owners to raise questions (公示期, days).
    """

    region: Literal["generic", "shanghai", "beijing", "taizhou", "ningbo", "qingdao"] = "generic"
    common_revenue_disclosure: Literal["monthly", "quarterly", "half-yearly", "yearly"] = "yearly"
    maintenance_fund_disclosure: Literal["quarterly", "half-yearly", "yearly"] = "yearly"
    disclosure_days: int = Field(default=30, ge=1, le=365)
    maintenance_fund_disclosure_days: int = Field(default=90, ge=1, le=365)
    posting_days: int = Field(default=30, ge=1, le=365)
    sweep: bool = False
    sweep_share: str = "1/2"
    sweep_comparison: Literal["more-than", "at-least"] = "more-than"
    sweep_period: Literal["month", "quarter", "year"] = "quarter"
    sweep_condition: Literal["always", "below-30pct"] = "always"
    top_up_threshold: str = "3/10"
    objection_days: int = Field(default=15, ge=1, le=365,
                                description="days the committee has to answer a resident's objection (异议)")
    partial_ballot_area: Literal["owner", "ballot"] = "owner"
    audit_on_committee_change: bool = False
    audit_notice_days: int = Field(default=30, ge=1, le=365)
    authority_tolerance: str = Field(default="0", description="yuan a household's sub-ledger may differ from the "
                                                              "维修资金管理中心's list before the audit reports it")

    @model_validator(mode="before")
    @classmethod
    def _preset(cls, data: Any) -> Any:
        """Fill every key not given from the region's preset (a region not known is left to be refused)."""
        if not isinstance(data, dict):
            return data
        region = data.get("region", "generic")
        if region not in REGIONS:
            return data
        return {**preset_values(str(region)), **data}

    @field_validator("sweep_share", "top_up_threshold")
    @classmethod
    def _fraction(cls, value: str) -> str:
        try:
            fraction = Fraction(value)
        except (ValueError, ZeroDivisionError):
            raise ValueError("must be an exact fraction such as 1/2 or 3/10") from None
        if not 0 <= fraction <= 1:
            raise ValueError("must be between 0 and 1")
        return value

    @field_validator("authority_tolerance")
    @classmethod
    def _yuan(cls, value: str) -> str:
        try:
            fen = Decimal(value) * 100
        except ArithmeticError:
            raise ValueError("must be an amount in yuan such as 0 or 0.05") from None
        if not fen.is_finite() or fen < 0 or fen != fen.to_integral_value():
            raise ValueError("must be an amount in yuan, not negative, with two decimals at most")
        return value

    @property
    def authority_tolerance_fen(self) -> int:
        """The tolerance of the 分户账核对 audit check, in fen."""
        return int(Decimal(self.authority_tolerance) * 100)

    @property
    def sweep_fraction(self) -> Fraction:
        return Fraction(self.sweep_share)

    @property
    def top_up_fraction(self) -> Fraction:
        return Fraction(self.top_up_threshold)


class CompoundConfig(_Model):
    """``compound.toml``: who the compound is and how its books are kept."""

    name: str = Field(min_length=1, description="小区名称 (Chinese)")
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    address: str = ""
    disclosure_url: str = Field(default="", pattern=r"^(https?://\S+)?$",
                                description="where the committee publishes its disclosures (公众号/网站), "
                                            "printed with the QR code of every disclosure")
    currency: Literal["CNY"] = "CNY"
    register_file: str = Field(default="households.csv", alias="register",
                               description="household register, CSV or XLSX")
    start: str = Field(default="", description="first day of the books, YYYY-MM-DD")
    committee_name: str = ""
    committee: tuple[Member, ...] = ()
    supervisors: tuple[Member, ...] = ()
    property_company: str = ""
    contact: str = Field(default="", description="where owners raise questions on a disclosure (公示异议受理)")
    property_staff: tuple[str, ...] = ()
    bank_accounts: tuple[BankAccount, ...] = ()
    approval: Approval = Approval()
    policy: Policy = Policy()
    rules: tuple[CategoryRule, ...] = ()
    migrate: Migrate = Migrate()

    @property
    def display_committee(self) -> str:
        return self.committee_name or f"{self.name}业主委员会"


def load_config(path: str | Path) -> CompoundConfig:
    """Read and validate ``compound.toml``; raise :class:`InputError` naming the file and key."""
    path = Path(path)
    if path.is_dir():
        path = path / CONFIG_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, f"no compound config here (run `{command_line('init')}` first)") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(path, "is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(path, f"is not valid TOML ({exc})") from None
    try:
        return CompoundConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = _key_path(first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            message = "unknown key (check its spelling)"
        elif first["type"] == "missing":
            message = "is required"
        more = exc.error_count() - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise InputError(f"{path}: {key}", message + suffix) from None


def _key_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"
