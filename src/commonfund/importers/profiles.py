"""Statement profiles (对账单格式): a bank's export layout described as data, read from TOML.

A profile says how to recognise a file (header names, preamble markers), which header names hold the
date, time, amounts, balance, serial number, counterparty and texts, how the direction of money is
shown (two columns 借方/贷方, one signed column, or one column plus a 借/贷 flag, or a wallet's 收/支
column), which rows end the data (totals footers), and where the account number is written.

Profiles ship in the package (``commonfund/importers/bank_profiles``, found with :mod:`importlib.resources`;
in the repository that folder is a link to the top-level ``importers/profiles/``, where users read and copy
them); a compound may add its own in ``<compound>/importers/`` (same format; a compound profile with the same
name wins). Every column is
a *list* of header names, so one profile covers a bank's layout variants (ICBC's A/B/C/D exports).
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from commonfund.core.errors import InputError

PROFILE_DIR = "importers"
SHIPPED = "bank_profiles"
"""The package folder of the shipped profiles (package data)."""

FIELDS = (
    "date", "time", "debit", "credit", "amount", "flag", "balance", "serial", "voucher", "counterparty",
    "counterparty_account", "counterparty_bank", "payer", "payer_account", "payee", "payee_account",
    "summary", "purpose", "remark", "own_account", "fee", "currency", "status", "reversal_flag", "method", "order",
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Columns(_Model):
    """Header names (any of them, exact after removing spaces) for each field of a statement line.

    ``debit``/``credit`` are the bank's 借方 (money out of the account) and 贷方 (money in); ``amount`` is
    one column that is signed, or unsigned with a ``flag`` column (借/贷, 收/支, 来账/往账). ``payer``/``payee``
    (BOC) are resolved to the counterparty as whichever side is not the account itself.
    """

    date: tuple[str, ...] = Field(min_length=1)
    time: tuple[str, ...] = ()
    debit: tuple[str, ...] = ()
    credit: tuple[str, ...] = ()
    amount: tuple[str, ...] = ()
    flag: tuple[str, ...] = ()
    balance: tuple[str, ...] = ()
    serial: tuple[str, ...] = ()
    voucher: tuple[str, ...] = ()
    counterparty: tuple[str, ...] = ()
    counterparty_account: tuple[str, ...] = ()
    counterparty_bank: tuple[str, ...] = ()
    payer: tuple[str, ...] = ()
    payer_account: tuple[str, ...] = ()
    payee: tuple[str, ...] = ()
    payee_account: tuple[str, ...] = ()
    summary: tuple[str, ...] = ()
    purpose: tuple[str, ...] = ()
    remark: tuple[str, ...] = ()
    own_account: tuple[str, ...] = ()
    fee: tuple[str, ...] = ()
    currency: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    reversal_flag: tuple[str, ...] = ()
    method: tuple[str, ...] = Field(default=(), description="wallet bills: what paid (支付方式, 收/付款方式)")
    order: tuple[str, ...] = Field(default=(), description="the merchant's order number (商户单号, 商家订单号)")


class Direction(_Model):
    """Values of the ``flag`` column: which mean money out, in, or no movement of this account."""

    out: tuple[str, ...] = ("借", "借方", "D", "Dr", "借 Dr", "支出", "支", "转出", "往账", "出", "-")
    in_: tuple[str, ...] = Field(default=("贷", "贷方", "C", "Cr", "贷 Cr", "收入", "收", "转入", "来账", "入", "+"),
                                 alias="in")
    neutral: tuple[str, ...] = ("不计收支", "/", "中性交易")
    debit_values: Literal["positive", "negative"] = Field(
        default="positive", description="two columns: is money out written as a positive or a negative number?")
    amount_sign: Literal["signed", "unsigned"] = Field(
        default="unsigned", description="with a flag column: is the amount column signed as well?")


class Detect(_Model):
    """How a file is recognised: header names that must all be present, and preamble markers."""

    require: tuple[str, ...] = ()
    markers: tuple[str, ...] = ()
    search_rows: int = Field(default=60, ge=1, le=1000)
    priority: int = Field(default=0, description="breaks ties; the generic profile uses -1")


class Footer(_Model):
    """Rows that end the data (totals, disclaimers) and rows to skip inside it."""

    stop: tuple[str, ...] = ("合计", "总计", "以上数据仅供参考", "人民币合计", "合计金额")
    skip: tuple[str, ...] = ()


class Wallet(_Model):
    """A wallet bill (WeChat Pay, Alipay): every trade of the holder, whatever paid for it.

    Only money that moved through the wallet's own balance moves the wallet account: ``own`` are the
    values of the ``method`` column that are that balance (an empty or ``/`` method is too). Lines the
    bill marks neutral (中性交易 / 不计收支) are read by their words (in 交易类型, 商品, 备注): ``withdraw`` moves
    money from the wallet to a bank card, ``top_up`` from a card into the wallet, ``internal`` within the
    wallet (nothing booked), ``income`` is income of the wallet (余额宝 收益); a neutral line whose status
    starts with one of ``refund_status`` is a refund (money back); any other neutral line paid from the
    wallet moves money out when ``neutral_paid = "out"``, else it is skipped and counted.
    """

    own: tuple[str, ...] = ("零钱", "零钱通", "余额", "余额宝")
    withdraw: tuple[str, ...] = ()
    top_up: tuple[str, ...] = ()
    internal: tuple[str, ...] = ()
    income: tuple[str, ...] = ()
    refund_status: tuple[str, ...] = ()
    neutral_paid: Literal["out", "skip"] = "skip"
    fee: str = Field(default=r"服务费\s*[¥￥]?\s*([0-9][0-9,]*\.?[0-9]*)",
                     description="regular expression (one group) finding a withdrawal's fee in its texts")
    refunded_status: str = Field(default=r"已退款\s*[(（]?\s*[¥￥]?\s*([0-9][0-9,]*\.?[0-9]*)|已全额退款",
                                 description="a payment's status saying it was refunded (optionally how much)")


class Profile(_Model):
    """One statement layout.

    Attributes:
      name: The profile's name (file stem), e.g. ``icbc-corporate``.
      title: What it is, in Chinese.
      bank: Bank code (matches ``bank_accounts[].bank`` in compound.toml): ICBC, CCB, ABC, WECHAT…
      columns: Header names per field.
      direction: Flag values and amount sign.
      detect: Recognition rules.
      footer: Rows that end or interrupt the data.
      account_patterns: Regular expressions (one group) that find the account number in the preamble.
      reversal_words: Words in the summary/remark that mark a reversal (冲正) of an earlier line.
      refund_words: Words that mark a refund of an earlier payment.
      ignore: Header names the profile knows but does not read (they count towards recognition).
      skip_status: Values of the status column for lines that moved no money (closed, failed).
      fee_in_balance: Whether a fee column's amount is included in the balance after the line.
      zero_lines: What to do with zero-amount lines (``skip``: 利息税 0.00 and the like).
      refuse: For a layout commonfund recognises but does not import (a credit-card bill): the sentence
        said instead, after the file's name.
      wallet: For a wallet bill (WeChat Pay, Alipay personal): how to tell what moved the wallet.
      source: Where the layout comes from (for maintainers).
      path: The file it was read from.
    """

    name: str
    title: str
    bank: str
    columns: Columns
    direction: Direction = Direction()
    detect: Detect = Detect()
    footer: Footer = Footer()
    account_patterns: tuple[str, ...] = (
        r"(?:账\s*号|账户号|卡\s*号|查询账号|银行账号|Account)[^0-9*]{0,40}([0-9][0-9* ]{3,40}[0-9])",)
    reversal_words: tuple[str, ...] = ("冲正", "冲账", "抹账", "冲销")
    refund_words: tuple[str, ...] = ("退款",)
    ignore: tuple[str, ...] = Field(default=(), description="header names known but not used (count as recognised)")
    skip_status: tuple[str, ...] = ("交易关闭", "支付失败", "已撤销", "交易失败", "已关闭")
    fee_in_balance: bool = True
    zero_lines: Literal["skip", "keep"] = "skip"
    refuse: str = ""
    wallet: Wallet | None = None
    source: str = ""
    path: str = ""


def shipped_profiles() -> Path:
    """The profiles that ship with commonfund: package data of :mod:`commonfund.importers`."""
    folder = resources.files("commonfund.importers").joinpath(SHIPPED)
    if not isinstance(folder, Path) or not folder.is_dir():
        raise InputError(str(folder), "the shipped statement profiles are missing: reinstall commonfund")
    return folder.resolve()


def profile_folders(compound_root: Path | None = None) -> list[Path]:
    """Folders searched for profiles, later ones overriding earlier: shipped, then the compound's own."""
    folders = [shipped_profiles()]
    if compound_root is not None:
        for local in (compound_root / PROFILE_DIR / "profiles", compound_root / PROFILE_DIR):
            if local.is_dir():
                folders.append(local)
    return folders


def load_profiles(compound_root: Path | None = None) -> dict[str, Profile]:
    """All profiles by name (shipped first, compound-local ones override by name)."""
    out: dict[str, Profile] = {}
    for folder in profile_folders(compound_root):
        for path in sorted(folder.glob("*.toml")):
            profile = load_profile(path)
            out[profile.name] = profile
    return out


@cache
def _load_cached(path: str, mtime: float) -> Profile:
    del mtime
    file = Path(path)
    try:
        data = tomllib.loads(file.read_text("utf-8"))
    except UnicodeDecodeError:
        raise InputError(file, "is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(file, f"is not valid TOML ({exc})") from None
    data.setdefault("name", file.stem)
    data["path"] = str(file)
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"])
        message = "unknown key (check its spelling)" if first["type"] == "extra_forbidden" else first["msg"]
        raise InputError(f"{file}: {key}", message) from None


def load_profile(path: Path) -> Profile:
    """Read and validate one profile file; a bad key is reported as ``file: key: message``."""
    return _load_cached(str(path.resolve()), path.stat().st_mtime)
