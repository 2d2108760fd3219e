"""The audit finds each household beyond ``[policy] authority_tolerance`` against the list on file."""

from __future__ import annotations

from datetime import date

import pytest
from tests.authority_lists import BOOKS, csv_list, figures, shift
from tests.conftest import SMALL_CONFIG, CompoundFactory

from commonfund.audit.findings import load_checks, run_audit
from commonfund.compound.authority import store_list
from commonfund.compound.model import load_compound
from commonfund.compound.policy import effective_policy
from commonfund.core.errors import InputError
from commonfund.core.labels import CHECK_ZH

CHECK = "authority_subledger_difference"


@pytest.mark.parametrize(("tolerance", "units"), [
    (None, ["1-1-101", "1-2-101", "2-1-101", "2-1-102"]),
    ('"0.37"', ["1-2-101", "2-1-101"]),     # 0.37 of interest moved is within it; an area never is
    ('"1200.00"', ["2-1-101"]),
])
def test_findings_beyond_the_tolerance(make_compound: CompoundFactory, tolerance: str | None,
                                       units: list[str]) -> None:
    config = SMALL_CONFIG + (f"\n[policy]\nauthority_tolerance = {tolerance}\n" if tolerance else "")
    root = make_compound(BOOKS, config=config)
    compound = load_compound(root)
    assert not [f for f in run_audit(compound) if f.check == CHECK]  # no list on file: nothing
    lines = figures(compound, date(2024, 12, 31))
    shift(lines["1-2-101"], 2, -120000)
    shift(lines["1-1-101"], 3, 37)
    shift(lines["2-1-102"], 3, -37)
    lines["2-1-101"][0] = "91.50"
    store_list(root, csv_list(lines).encode("gbk"), "清单.csv", date(2024, 12, 31))
    compound = load_compound(root)
    found = [f for f in run_audit(compound) if f.check == CHECK]
    assert sorted(f.message_zh.split("（")[0] for f in found) == units
    assert all(f.date == date(2024, 12, 31) and f.severity == "warning" for f in found)
    assert all(f.article == "《住宅专项维修资金管理办法》第10条、第30条" for f in found)
    missed = [f for f in found if f.message_zh.startswith("1-2-101")]
    assert not missed or (missed[0].entries[0].lineno == 6 and "清单漏记一笔分摊" in missed[0].message_zh
                          and missed[0].amount == 1200)
    assert not [f for f in run_audit(compound, date(2025, 1, 1), date(2025, 12, 31)) if f.check == CHECK]


def test_the_check_and_its_setting_are_declared(make_compound: CompoundFactory) -> None:
    assert CHECK in load_checks() and CHECK_ZH[CHECK] == "分户账与维修资金管理中心清单不符"
    compound = load_compound(make_compound(BOOKS))
    setting = {s.key: s for s in effective_policy(compound.config.policy)}["authority_tolerance"]
    assert (setting.value, setting.overridden) == ("0", False)
    assert setting.label == "分户账核对容差（元/户，与维修资金管理中心清单）"
    assert compound.config.policy.authority_tolerance_fen == 0
    with pytest.raises(InputError, match="authority_tolerance"):
        load_compound(make_compound(BOOKS, config=SMALL_CONFIG + '\n[policy]\nauthority_tolerance = "0.001"\n',
                                    name="bad"))
