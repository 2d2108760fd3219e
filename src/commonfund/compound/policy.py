"""Regional policy presets (地方政策预设) and the effective policy of a compound, each setting with its source.

``[policy] region = "shanghai" | "beijing" | "taizhou" | "ningbo" | "qingdao" | "generic"`` in compound.toml
selects a bundle of settings from ``src/commonfund/data/regions.toml``: the national rules (``generic``),
replaced where the city's regulation says otherwise. Every setting cites its law and article and quotes it
(or says why the tool chose a value the law leaves open); a key written in ``[policy]`` overrides the preset.
:func:`effective_policy` lists what applies and why, for ``commonfund policy`` and the Fava pages.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from typing import Any, NamedTuple

GENERIC = "generic"

LABELS: dict[str, str] = {
    "common_revenue_disclosure": "共有收益公示频次",
    "disclosure_days": "共有收益公示期限（期末后天数）",
    "maintenance_fund_disclosure": "维修资金收支公布频次",
    "maintenance_fund_disclosure_days": "维修资金公布期限（期末后天数）",
    "sweep": "共有收益按比例转入维修资金",
    "sweep_share": "转入比例",
    "sweep_comparison": "比例要求",
    "sweep_period": "转入检查期间",
    "sweep_condition": "转入适用条件",
    "top_up_threshold": "分户余额续交线（占首期交存额）",
    "partial_ballot_area": "多套房业主只交部分选票时的面积",
    "audit_on_committee_change": "换届财务审计",
    "audit_notice_days": "审计结果公告天数",
    "authority_tolerance": "分户账核对容差（元/户，与维修资金管理中心清单）",
}
"""The Chinese name of each policy setting, in display order."""

_WORDS: dict[str, str] = {
    "monthly": "每月", "quarterly": "每季度", "half-yearly": "每半年", "yearly": "每年",
    "month": "每月", "quarter": "每季度", "year": "每年",
    "more-than": "超过（不含本数）", "at-least": "不低于（以上，含本数）",
    "always": "始终适用", "below-30pct": "仅在维修资金余额不足首期30%时",
    "owner": "计入该业主全部专有部分面积", "ballot": "只计入已交票房屋的面积",
}


class Setting(NamedTuple):
    """One effective policy setting and where it comes from.

    Attributes:
      key: The compound.toml key.
      label: Its Chinese name.
      value: The effective value.
      shown: The value in Chinese words.
      overridden: True when compound.toml sets a value other than the region's.
      preset: The region's value.
      citation: ``<law> <article>`` of the region's value, or "" when no article fixes it.
      quote: The article's words.
      basis: Why the tool applies this value where the article leaves it open ("" if it fixes it).
    """

    key: str
    label: str
    value: Any
    shown: str
    overridden: bool
    preset: Any
    citation: str
    quote: str
    basis: str

    @property
    def source(self) -> str:
        """Where the value comes from, in Chinese."""
        return "本小区设置（compound.toml）" if self.overridden else "地区预设"


@functools.cache
def presets() -> dict[str, Any]:
    """The presets file, parsed (package data)."""
    text = resources.files("commonfund.data").joinpath("regions.toml").read_text("utf-8")
    return tomllib.loads(text)


def _settings(region: str) -> dict[str, dict[str, Any]]:
    found = presets()
    if region not in found:
        raise KeyError(region)
    merged = dict(found[GENERIC]["settings"])
    if region != GENERIC:
        merged.update(found[region]["settings"])
    return merged


@functools.cache
def _values(region: str) -> tuple[tuple[str, Any], ...]:
    return tuple((key, item["value"]) for key, item in _settings(region).items())


def preset_values(region: str) -> dict[str, Any]:
    """The settings of *region*'s preset (national rules overlaid with the region's), by key."""
    return dict(_values(region))


def region_name(region: str) -> str:
    """The Chinese name of a region (``上海市``)."""
    return str(presets()[region]["name"])


def shown(value: Any) -> str:
    """A setting's value in Chinese words."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return f"{value} 日" if value else "0"
    return _WORDS.get(str(value), str(value))


def effective_policy(policy: Any) -> list[Setting]:
    """Every setting of *policy* (a :class:`~commonfund.compound.config.Policy`) in display order, with its value,
    whether compound.toml overrides the region's preset, and the preset's citation."""
    settings = _settings(policy.region)
    out = []
    for key, label in LABELS.items():
        item = settings[key]
        value = getattr(policy, key)
        citation = f"{item['law']} {item['article']}" if "law" in item else ""
        out.append(Setting(key, label, value, shown(value), value != item["value"], item["value"], citation,
                           str(item.get("quote", "")), str(item.get("basis", ""))))
    return out
