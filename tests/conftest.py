"""Shared fixtures: small compounds written as text inside the test (STYLE §4)."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from commonfund.compound.model import Compound, load_compound
from commonfund.compound.scaffold import main_text
from commonfund.core.accounts import render_accounts

REPO = Path(__file__).resolve().parent.parent

# unit, building, entrance, floor, area, area_source, owner_id, owner_name, first_deposit, sold, delivered
SMALL_REGISTER = """\
unit,building,entrance,floor,area,area_source,owner_id,owner_name,first_deposit,sold,delivered,phone
1-1-101,1,1,1,100.00,registered,O1,张伟,10000.00,是,是,13800000001
1-1-102,1,1,1,80.00,registered,O2,李娜,8000.00,是,是,13800000002
1-2-101,1,2,1,120.00,surveyed,O3,王芳,12000.00,是,是,
2-1-101,2,1,1,90.00,registered,O1,张伟,9000.00,是,是,
2-1-102,2,1,1,110.00,contract,DEVELOPER,锦绣置业,11000.00,否,否,
"""

SMALL_CONFIG = """\
name = "测试小区"
slug = "test"
register = "households.csv"
start = "2024-01-01"
property_company = "测试物业有限公司"

[[committee]]
name = "李娜"
unit = "1-1-102"
role = "主任"

[[supervisors]]
name = "王芳"
unit = "1-2-101"

[[bank_accounts]]
account = "Assets:MaintenanceFund:Bank-维修资金专户"
bank = "CCB"
last_digits = "1234"
fund = "MaintenanceFund"
profile = "ccb-corporate"

[[bank_accounts]]
account = "Assets:CommonRevenue:Bank-共有收益户"
bank = "ICBC"
last_digits = "5678"
fund = "CommonRevenue"
profile = "icbc-corporate"
"""

CompoundFactory = Callable[..., Path]


@pytest.fixture(scope="session", autouse=True)
def user_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The user cache (parse cache, downloads) in a temporary folder, never the home dir; set for the whole
    session (module fixtures load compounds too) and inherited by subprocesses. Tests may override it."""
    folder = tmp_path_factory.mktemp("user-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COMMONFUND_CACHE", str(folder))
        yield folder


@pytest.fixture
def make_compound(tmp_path: Path) -> CompoundFactory:
    """Write a small compound whose books are *ledger* (Beancount text, dedented); return its folder.

    The chart of accounts is opened on 2023-01-01; the register is SMALL_REGISTER unless given.
    Extra files (e.g. ballots) can be passed as ``files={"ballots/R-1.csv": "..."}``.
    """

    def factory(ledger: str = "", register: str = SMALL_REGISTER, config: str = SMALL_CONFIG,
                files: dict[str, str] | None = None, name: str = "c") -> Path:
        root = tmp_path / name
        (root / "books").mkdir(parents=True)
        (root / "imports").mkdir()
        (root / "documents").mkdir()
        from datetime import date

        (root / "compound.toml").write_text(config, "utf-8")
        (root / "households.csv").write_text(register, "utf-8")
        (root / "main.beancount").write_text(main_text("测试小区"), "utf-8")
        (root / "accounts.beancount").write_text(render_accounts(date(2023, 1, 1)), "utf-8")
        (root / "resolutions.beancount").write_text("", "utf-8")
        (root / "imports" / "index.beancount").write_text("", "utf-8")
        (root / "books" / "books.beancount").write_text(textwrap.dedent(ledger), "utf-8")
        for relative, content in (files or {}).items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(content), "utf-8")
        return root

    return factory


@pytest.fixture
def load(make_compound: CompoundFactory) -> Callable[..., Compound]:
    """Write a small compound (see ``make_compound``) and load it."""

    def loader(ledger: str = "", **kwargs: object) -> Compound:
        return load_compound(make_compound(ledger, **kwargs))

    return loader
