"""Which article a finding or a document cites, by the compound's region (``[policy] region``).

National law (民法典, 165号令, 国务院《物业管理条例》) applies everywhere. A local regulation is cited only
for a compound of its region (texts: ``../shared/references/law/``); where the region has no such
article, the national rule — or "good practice" — is cited instead, never another city's regulation.
"""

from __future__ import annotations

from typing import Any

REGIONS = ("generic", "shanghai", "beijing", "ningbo", "qingdao", "taizhou")

LOCAL: dict[str, dict[str, str]] = {
    # A committee member's dealings with the property company or payees close to the committee.
    "related_party": {
        "beijing": "北京市物业管理条例 第47条第一款第七项",
        "shanghai": "上海市住宅物业管理规定 第20条第二款",
        "ningbo": "宁波市住宅小区物业管理条例 第34条第五项",
        "qingdao": "青岛市物业管理条例 第39条",
        "taizhou": "台州市物业管理条例 第21条第三项",
        "generic": "民法典 第278条；关联交易回避（良好做法）",
    },
    # Common revenue belongs to the owners, is booked separately and mainly tops up the maintenance fund.
    "common_revenue": {
        "shanghai": "上海市住宅物业管理规定 第51条",
        "beijing": "北京市物业管理条例 第74条",
        "ningbo": "宁波市住宅小区物业管理条例 第65条",
        "qingdao": "青岛市物业管理条例 第78条",
        "taizhou": "台州市物业管理条例 第45条",
        "generic": "国务院物业管理条例 第54条",
    },
    # Allowances and payments to persons: only as the owners' assembly decided.
    "allowance": {
        "generic": "民法典 第278条（委员津贴及共有资金的使用由业主共同决定）",
    },
    # Informational payment patterns (round sums, holidays): internal-control good practice.
    "payment_pattern": {
        "generic": "内部控制良好做法（不构成违规）",
    },
    # Budget execution: the owners approve the committee's budget.
    "budget": {
        "generic": "民法典 第278条（业主大会决定的预算）",
    },
}


def region_of(config: Any) -> str:
    """The compound's region (``[policy] region`` in compound.toml), ``generic`` if unset or unknown."""
    region = str(getattr(getattr(config, "policy", None), "region", "") or "generic")
    return region if region in REGIONS else "generic"


def cite(topic: str, region: str) -> str:
    """The article to cite for *topic* in *region*: the region's own, else the national or generic one."""
    articles = LOCAL[topic]
    return articles.get(region) or articles["generic"]
