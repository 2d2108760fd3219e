"""``commonfund init``: create the books of a compound from its household register.

Everything is written into a temporary sibling folder first and moved into place only when complete,
so a failed init leaves nothing half-made; an existing compound is never overwritten.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from commonfund.compound.config import CONFIG_NAME, BankAccount, load_config
from commonfund.compound.model import MAIN
from commonfund.core.accounts import chart_by_account, render_accounts
from commonfund.core.errors import InputError
from commonfund.core.funds import FUNDS
from commonfund.register.model import load_register

DEFAULT_BANKS = (
    BankAccount(account="Assets:MaintenanceFund:Bank-维修资金专户", bank="CCB", fund="MaintenanceFund",
                profile="ccb-corporate", name="维修资金专户"),
    BankAccount(account="Assets:CommonRevenue:Bank-共有收益户", bank="ICBC", fund="CommonRevenue",
                profile="icbc-corporate", name="共有收益账户"),
    BankAccount(account="Assets:Committee:Bank-工作经费户", bank="ABC", fund="Committee",
                profile="abc-corporate", name="工作经费账户"),
)


def slugify(name: str) -> str:
    """An ASCII slug for a folder name (Chinese names fall back to ``compound``)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug or "compound"


def main_text(title: str) -> str:
    """The ``main.beancount`` of a compound: options, the commonfund plugin, the includes."""
    return f"""\
;; {title} — 账簿入口 (ledger entry point)
;; The plugin line runs commonfund's integrity rules on every load: bean-check, Fava and
;; `commonfund check` all report the same errors at the same file:line.
option "title" "{title}"
option "operating_currency" "CNY"
option "render_commas" "TRUE"
option "documents" "documents"
option "booking_method" "STRICT"

plugin "commonfund.plugin"

1970-01-01 custom "fava-option" "language" "zh"
1970-01-01 custom "fava-option" "locale" "zh_CN"
;; For a lay reader: land on the 总览 (overview) page; show income, liabilities and equity as positive
;; amounts in Fava's income statement and balance sheet (its journal keeps Beancount's signs).
1970-01-01 custom "fava-option" "default-page" "extension/CommonFund/"
1970-01-01 custom "fava-option" "invert-income-liabilities-equity" "true"
;; commonfund's pages in Fava (总览, 审计发现, 业主大会决议, 分户账, 公示); `commonfund serve` starts Fava.
1970-01-01 custom "fava-extension" "commonfund.fava_ext"

include "accounts.beancount"
include "resolutions.beancount"
include "books/*.beancount"
include "imports/index.beancount"
"""


def config_text(
    name: str, slug: str, register: str, start: date, banks: tuple[BankAccount, ...] = DEFAULT_BANKS,
    extra: str = "",
) -> str:
    """A commented ``compound.toml`` for a new compound."""
    bank_blocks = "\n".join(
        f'[[bank_accounts]]\naccount = "{b.account}"\nbank = "{b.bank}"\nlast_digits = "{b.last_digits}"\n'
        f'fund = "{b.fund}"\nprofile = "{b.profile}"\nname = "{b.name}"\n'
        for b in banks
    )
    return f"""\
# {name} — commonfund compound configuration. Validated on every load; unknown keys are errors.
name = "{name}"
slug = "{slug}"
address = ""
currency = "CNY"
register = "{register}"          # household register (CSV or XLSX)
start = "{start.isoformat()}"
committee_name = "{name}业主委员会"
property_company = ""
contact = ""                      # where owners raise questions on a disclosure (公示异议受理), e.g. 业委会办公室

# [[committee]] / [[supervisors]]: name = "…", unit = "1-1-101", role = "主任"

{bank_blocks}
[approval]                        # amounts in 元
single_payment_limit = "5000"     # above this a payment needs a resolution
split_payment_days = 30
invoice_required_above = "1000"
document_required_above = "2000"

[policy]                          # 地方政策: `commonfund policy <folder>` lists every setting with its article
region = "generic"                # generic (national rules) | shanghai | beijing | taizhou | ningbo | qingdao
# any key below overrides the region's preset, e.g.:
# common_revenue_disclosure = "quarterly"   # monthly | quarterly | half-yearly | yearly
# sweep = true
# sweep_share = "1/2"
# sweep_comparison = "more-than"            # more-than (超过) | at-least (以上)
# top_up_threshold = "3/10"                 # 165号令 第17条
# partial_ballot_area = "owner"             # owner (all their units) | ballot (balloted units only)
# posting_days = 30                        # 公示期: days a disclosure stays posted for questions
{extra}"""


def write_compound(target: Path, files: Mapping[str, str | bytes], dirs: tuple[str, ...] = ()) -> None:
    """Write a new compound folder atomically: build it beside *target*, then move it into place."""
    if (target / CONFIG_NAME).exists() or (target / MAIN).exists():
        raise InputError(target, "a compound already exists here; refusing to overwrite it")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for relative, content in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, "utf-8")
        for folder in dirs:
            (staging / folder).mkdir(parents=True, exist_ok=True)
            (staging / folder / ".gitkeep").touch()
        if not target.exists():
            os.replace(staging, target)
            return
        if any(target.iterdir()):
            clash = [p.name for p in staging.iterdir() if (target / p.name).exists()]
            if clash:
                raise InputError(target, f"folder is not empty and already has {', '.join(sorted(clash))}")
        for item in staging.iterdir():
            os.replace(item, target / item.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def default_start() -> date:
    """The first day of books created without ``--start``: 1 January of this year."""
    return date(date.today().year, 1, 1)


def init_compound(
    target: str | Path, name: str, households: str | Path, start: date | None = None, slug: str | None = None
) -> Path:
    """Create a compound in *target* from a household register file; return the folder."""
    target = Path(target)
    source = Path(households)
    register = load_register(source)  # validated before anything is written
    start = start or default_start()
    slug = slug or slugify(target.name)
    register_name = "households" + (source.suffix.lower() or ".csv")
    extra_accounts = tuple(
        (b.account, "1002", f"银行存款-{b.name or b.bank}")
        for b in DEFAULT_BANKS
        if b.account not in chart_by_account()
    )
    files: dict[str, str | bytes] = {
        CONFIG_NAME: config_text(name, slug, register_name, start),
        register_name: source.read_bytes(),
        MAIN: main_text(f"{name} 业主委员会账簿"),
        "accounts.beancount": render_accounts(start, extra_accounts),
        "resolutions.beancount": RESOLUTIONS_HEADER,
        "books/opening.beancount": opening_text(start, register.deposit_fen.sum()),
        "imports/index.beancount": IMPORTS_HEADER,
    }
    write_compound(target, files, dirs=("documents", "ballots"))
    load_config(target / CONFIG_NAME)  # the config we wrote must validate
    assert set(FUNDS)  # funds are the chart's sections
    return target


def opening_text(start: date, deposits_fen: int) -> str:
    """The opening entry: the first deposits of the register, as held in the fund's bank account."""
    yuan = f"{deposits_fen // 100}.{deposits_fen % 100:02d}"
    return f"""\
;; 期初 Opening balances. The maintenance fund opens with the first deposits (首期维修资金) of every
;; unit in the register; `apportion: "first-deposit"` gives each household its own first deposit.
{start.isoformat()} * "首期维修资金" "首期维修资金划入业委会专户"
  Assets:MaintenanceFund:Bank-维修资金专户  {yuan} CNY
  Income:MaintenanceFund:Deposit-首期交存  -{yuan} CNY
    apportion: "first-deposit"
"""


RESOLUTIONS_HEADER = """\
;; 业主大会决议 Resolutions of the owners' assembly (民法典 第278条).
;; YYYY-MM-DD custom "resolution" "<id>" "<matter 1-9>" "<title>"  with metadata — see docs/ledger-conventions.md
"""

IMPORTS_HEADER = """\
;; 导入的银行流水 Imported statements. `commonfund import` adds an include line per account and month.
"""
