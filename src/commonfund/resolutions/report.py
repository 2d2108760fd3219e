"""A resolution's tally as users read it: the notes on how it was counted (Chinese) and the machine-readable
document of ``commonfund votes --format json`` (schema: ``src/commonfund/data/votes.schema.json``).

The figures are the library's (:func:`commonfund.resolutions.conditions_of`, :class:`~commonfund.resolutions.Tally`);
this module only words and shapes them, for the CLI (text and JSON) alike.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from fractions import Fraction
from typing import Any

from commonfund.register.ballots import NOT_COUNTED_BUYER
from commonfund.resolutions.model import Resolution, area_text, conditions_of

RULE_VERSION = "2026.12"
"""The version of the counting rules ``votes`` applies (bump when a rule changes): 民法典 第278条 thresholds
with 第1259条 counting words; 司法解释 第8条 area (registered, surveyed, contract) and 第9条 headcount; abstentions
and spoiled ballots take part and do not agree; a person of several units counts once, with the area the
policy ``partial_ballot_area`` says; a buyer's ballot for a unit sold but not delivered is not counted."""

AREA_SOURCES_ZH = {"registered": "登记面积", "surveyed": "测绘面积", "contract": "合同面积"}
VOTES_ZH = {"agree": "同意", "against": "反对", "abstain": "弃权", "spoiled": "废票/空白票"}
REASONS_ZH = {
    NOT_COUNTED_BUYER: "已售未交付的房屋由开发建设单位行使表决权（司法解释 第9条），买受人交付前尚不是业主"
                       "（司法解释 第1条），其表决票不计入",
}
AREA_RULES_ZH = {
    "owner": "多套房业主只交部分房屋的表决票时，按一人计（司法解释 第9条），并以其全部专有部分面积参与表决"
             "（民法典 第278条：参与表决的是业主，面积为该业主的专有部分面积）",
    "ballot": "多套房业主只交部分房屋的表决票时，按一人计（司法解释 第9条），只计入已交票房屋的面积"
              "（本小区 compound.toml [policy] partial_ballot_area = \"ballot\"）",
}


def area_sources(register: Any) -> dict[str, int]:
    """How many units' areas came from each source of 司法解释 第8条, in its order."""
    counts = Counter(register.columns.area_source)
    return {source: counts.get(source, 0) for source in AREA_SOURCES_ZH}


def notes(resolution: Resolution) -> list[str]:
    """What a reader must know about how the tally was counted, one Chinese sentence each."""
    tally = resolution.tally
    if tally is None:
        return []
    out = ["弃权票与废票/空白票计入参与表决（法定人数），不计入同意"]
    if tally.source == "ballots":
        out.append(AREA_RULES_ZH[tally.area_rule])
    for partial in tally.partial:
        who = "开发建设单位（未售及已售未交付房屋合计一人）" if partial.developer else "一位多套房业主"
        counted = "已计入" if tally.area_rule == "owner" else "未计入"
        out.append(f"{who}交回 {'、'.join(partial.balloted)} 的表决票，{'、'.join(partial.missing)} 未交票；"
                   f"后者面积 {area_text(partial.missing_area)} {counted}参与面积")
    for ballot in tally.not_counted:
        out.append(f"第 {ballot.row} 行 {ballot.unit} 的表决票（{VOTES_ZH[ballot.vote]}）不计入："
                   f"{REASONS_ZH.get(ballot.reason, ballot.reason)}")
    return out


def _fraction(value: Fraction) -> dict[str, int]:
    return {"numerator": value.numerator, "denominator": value.denominator}


def tally_document(resolution: Resolution, spent: Decimal | None, sources: dict[str, int]) -> dict[str, Any]:
    """The JSON document of one resolution's tally and verdict (see ``data/votes.schema.json``)."""
    tally, verdict = resolution.tally, resolution.verdict
    doc: dict[str, Any] = {
        "rule_version": RULE_VERSION,
        "id": resolution.id,
        "title": resolution.title,
        "date": resolution.date.isoformat(),
        "matter": resolution.matter,
        "matter_label": resolution.matter_label,
        "budget": None if resolution.budget is None else f"{resolution.budget:.2f}",
        "spent": None if spent is None else f"{spent:.2f}",
        "verdict": "not-tallied" if verdict is None else ("passed" if verdict.passed else "failed"),
        "verdict_zh": "无法计票" if verdict is None else ("通过" if verdict.passed else "未通过"),
        "reasons": [] if verdict is None else [zh for zh, _ in verdict.reasons],
        "area_sources": sources,
    }
    if tally is None or verdict is None:
        return doc
    doc["source"] = tally.source
    doc["ballot_file"] = resolution.ballots
    doc["ballot_count"] = tally.ballot_count
    doc["area_rule"] = tally.area_rule
    doc["totals"] = {"area_centi": tally.total_area, "heads": tally.total_heads}
    doc["positions"] = {
        name: {"area_centi": getattr(tally, f"{name}_area"), "heads": getattr(tally, f"{name}_heads")}
        for name in ("agree", "against", "abstain", "spoiled")
    }
    doc["conditions"] = [
        {
            "key": c.key, "label": c.label, "numerator": c.part, "denominator": c.whole,
            "unit": "centi-m2" if c.key.endswith("area") else "persons",
            "fraction": _fraction(c.value), "threshold": _fraction(c.threshold),
            "comparison": ">=" if c.inclusive else ">", "met": c.met, "percent": c.percent,
        }
        for c in conditions_of(tally, verdict)
    ]
    doc["partial"] = [
        {"balloted": list(p.balloted), "missing": list(p.missing), "missing_area_centi": p.missing_area,
         "developer": p.developer}
        for p in tally.partial
    ]
    doc["not_counted"] = [
        {"row": b.row, "unit": b.unit, "vote": b.vote, "reason": b.reason,
         "reason_zh": REASONS_ZH.get(b.reason, b.reason)}
        for b in tally.not_counted
    ]
    doc["notes"] = notes(resolution)
    return doc
