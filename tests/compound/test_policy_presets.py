"""Regional policy presets: a compound per region, its effective policy read back with its citations."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import REPO, SMALL_CONFIG, CompoundFactory

from commonfund.audit.findings import run_audit
from commonfund.cli import main
from commonfund.compound.config import REGIONS, load_config
from commonfund.compound.model import Compound, load_compound
from commonfund.compound.policy import effective_policy, presets
from commonfund.core.errors import InputError

# region → {key: (value, citation)}, written from the texts in shared/references/law and the national rules.
EXPECTED: dict[str, dict[str, tuple[object, str]]] = {
    "generic": {
        "common_revenue_disclosure": ("yearly", "民法典 第943条"),
        "maintenance_fund_disclosure": ("yearly", "住宅专项维修资金管理办法（建设部 财政部 令第165号） 第30条"),
        "sweep": (False, "物业管理条例 第54条"),
        "top_up_threshold": ("3/10", "住宅专项维修资金管理办法（建设部 财政部 令第165号） 第17条"),
        "partial_ballot_area": ("owner", "最高人民法院关于审理建筑物区分所有权纠纷案件适用法律若干问题的解释 第9条"),
        "audit_on_committee_change": (False, ""),
    },
    "shanghai": {
        "common_revenue_disclosure": ("quarterly", "上海市住宅物业管理规定 第66条"),
        "maintenance_fund_disclosure": ("half-yearly", "上海市住宅物业管理规定 第66条"),
        "sweep": (True, "上海市住宅物业管理规定 第51条"),
        "sweep_share": ("1/2", "上海市住宅物业管理规定 第51条"),
        "sweep_comparison": ("more-than", "上海市住宅物业管理规定 第51条"),
        "sweep_period": ("quarter", "上海市住宅物业管理规定 第51条"),
        "top_up_threshold": ("3/10", "上海市住宅物业管理规定 第65条"),
        "audit_on_committee_change": (True, "上海市住宅物业管理规定 第67条"),
        "audit_notice_days": (30, "上海市住宅物业管理规定 第67条"),
    },
    "beijing": {
        "common_revenue_disclosure": ("quarterly", "北京市物业管理条例 第84条"),
        "sweep": (True, "北京市物业管理条例 第74条"),
        "sweep_comparison": ("at-least", "北京市物业管理条例 第74条"),
        "sweep_condition": ("below-30pct", "北京市物业管理条例 第74条"),
        "top_up_threshold": ("3/10", "北京市物业管理条例 第83条"),
    },
    "taizhou": {
        "sweep": (False, "台州市物业管理条例 第45条"),
        "top_up_threshold": ("3/10", "台州市物业管理条例 第51条"),
        "partial_ballot_area": ("owner", "台州市物业管理条例 第18条"),
        "audit_on_committee_change": (False, "台州市物业管理条例 第23条"),
    },
    "ningbo": {
        "common_revenue_disclosure": ("yearly", "宁波市住宅小区物业管理条例 第54条"),
        "maintenance_fund_disclosure": ("yearly", "宁波市住宅小区物业管理条例 第73条"),
        "top_up_threshold": ("3/10", "宁波市住宅小区物业管理条例 第69条"),
        "partial_ballot_area": ("owner", "宁波市住宅小区物业管理条例 第18条"),
    },
    "qingdao": {
        "common_revenue_disclosure": ("yearly", "青岛市物业管理条例 第78条"),
        "maintenance_fund_disclosure": ("yearly", "青岛市物业管理条例 第79条"),
        "sweep": (False, "青岛市物业管理条例 第78条"),
    },
}


@pytest.mark.parametrize("region", sorted(EXPECTED))
def test_region_preset_read_back_with_citations(make_compound: CompoundFactory, region: str) -> None:
    root = make_compound(config=SMALL_CONFIG + f'\n[policy]\nregion = "{region}"\n', name=region)
    compound = load_compound(root)
    assert compound.errors == []
    settings = {s.key: s for s in effective_policy(compound.config.policy)}
    for key, (value, citation) in EXPECTED[region].items():
        assert (settings[key].value, settings[key].citation) == (value, citation), key
        assert getattr(compound.config.policy, key) == value
        assert not settings[key].overridden
    for setting in settings.values():  # every setting says where it comes from
        assert setting.citation or setting.basis, setting.key
        assert (setting.quote != "") == (setting.citation != "")


def test_a_compound_overrides_its_region(make_compound: CompoundFactory) -> None:
    config = SMALL_CONFIG + '\n[policy]\nregion = "beijing"\nsweep_period = "quarter"\ndisclosure_days = 15\n'
    compound = load_compound(make_compound(config=config))
    policy = compound.config.policy
    assert (policy.sweep_period, policy.disclosure_days, policy.sweep_comparison) == ("quarter", 15, "at-least")
    settings = {s.key: s for s in effective_policy(policy)}
    assert settings["sweep_period"].overridden and settings["sweep_period"].preset == "year"
    assert settings["sweep_period"].source == "本小区设置（compound.toml）"
    assert not settings["sweep_comparison"].overridden


def test_unknown_region_is_refused_by_key(tmp_path: Path) -> None:
    path = tmp_path / "compound.toml"
    path.write_text(SMALL_CONFIG + '\n[policy]\nregion = "hangzhou"\n', "utf-8")
    with pytest.raises(InputError, match=r"policy\.region"):
        load_config(path)


def test_policy_command_prints_citations(make_compound: CompoundFactory) -> None:
    config = SMALL_CONFIG + '\n[policy]\nregion = "shanghai"\nmaintenance_fund_disclosure = "yearly"\n'
    root = make_compound(config=config)
    result = CliRunner().invoke(main, ["policy", str(root)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "上海市预设" in out and "第51条" in out and "补充比例应当高于百分之五十" in out
    assert "地区预设为「每半年」" in out  # the override is shown against the region's value
    assert CliRunner().invoke(main, ["policy", str(root / "nowhere")]).exit_code == 2


def test_every_region_is_in_the_presets_file() -> None:
    assert set(presets()) == set(REGIONS)


LAW = REPO.parent / "shared" / "references" / "law"


@pytest.mark.skipif(not LAW.is_dir(), reason="the shared law texts are not beside this checkout")
def test_every_quote_is_in_its_article() -> None:
    """Each local citation quotes words that stand in the article it names (read from the texts)."""
    digits = dict(zip("零一二三四五六七八九", range(10), strict=True))

    def number(text: str) -> int:
        total = current = 0
        for char in text:
            if char in "百十":
                total += (current or 1) * (100 if char == "百" else 10)
                current = 0
            else:
                current = digits[char]
        return total + current

    texts = {path.stem: path.read_text("utf-8") for path in LAW.glob("*.md")}
    checked = 0
    for region, preset in presets().items():
        for key, item in preset["settings"].items():
            if item.get("law") not in texts:
                continue
            text = texts[item["law"]]
            articles = {number(m.group(1)): m.start()
                        for m in re.finditer(r"^\s*第([一二三四五六七八九十百零]+)条", text, re.M)}
            wanted = int(item["article"].strip("第条"))
            start = articles[wanted]
            end = min((at for at in articles.values() if at > start), default=len(text))
            assert item["quote"] in text[start:end], (region, key)
            checked += 1
    assert checked >= 25


ELECTION = """\
2024-03-01 custom "resolution" "R-3" "3" "换届选举"
  voted_area: 400.00
  voted_count: 4
  agree_area: 300.00
  agree_count: 3
"""


@pytest.mark.parametrize(("region", "posted", "expected"), [
    ("shanghai", "", ["上海市住宅物业管理规定 第67条"]),
    ("shanghai", '2024-05-01 custom "disclosure" "audit" "R-3"\n', []),
    ("generic", "", []),
])
def test_change_of_committee_audit(load: Callable[..., Compound], region: str, posted: str,
                                   expected: list[str]) -> None:
    compound = load(ELECTION + posted, config=SMALL_CONFIG + f'\n[policy]\nregion = "{region}"\n', name=region)
    found = run_audit(compound, only=["committee_change_audit"])
    assert [f.article for f in found] == expected
    if found:
        assert "R-3" in found[0].message_zh and "公告30日" in found[0].message_zh
