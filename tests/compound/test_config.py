from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest
from tests.conftest import SMALL_CONFIG

from commonfund.compound.config import load_config
from commonfund.core.errors import InputError
from commonfund.core.program import command_line


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "compound.toml"
    path.write_text(text, "utf-8")
    return path


def test_valid_config(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, SMALL_CONFIG))
    assert config.name == "测试小区"
    assert config.register_file == "households.csv"
    assert config.bank_accounts[0].fund == "MaintenanceFund"
    assert config.policy.sweep_fraction == Fraction(1, 2)
    assert config.display_committee == "测试小区业主委员会"


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        (('fund = "MaintenanceFund"', 'fund = "Parking"'), "bank_accounts[0].fund", "must be one of"),
        (('slug = "test"', 'slug = "Test Slug"'), "slug", "should match"),
        (('name = "测试小区"', 'nmae = "测试小区"'), "name", "is required"),
        (('start = "2024-01-01"', 'start = "2024-01-01"\ncolour = "red"'), "colour", "unknown key"),
        (('account = "Assets:CommonRevenue:Bank-共有收益户"', 'account = "Assets:Bank"'),
         "bank_accounts[1].account", "account of a fund"),
    ],
)
def test_bad_config_names_the_key(tmp_path: Path, change: tuple[str, str], key: str, words: str) -> None:
    path = write(tmp_path, SMALL_CONFIG.replace(*change))
    with pytest.raises(InputError) as info:
        load_config(path)
    assert info.value.where == f"{path}: {key}"
    assert words in info.value.message


def test_bad_policy_fraction(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"policy\.sweep_share: must be an exact fraction"):
        load_config(write(tmp_path, SMALL_CONFIG + '\n[policy]\nsweep_share = "half"\n'))


def test_not_toml(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not valid TOML"):
        load_config(write(tmp_path, "name = "))
    with pytest.raises(InputError, match=re.escape(f"run `{command_line('init')}`")):
        load_config(tmp_path / "missing.toml")
