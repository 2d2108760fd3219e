"""What the generator's parts share: the compound's fixed names, a transaction and a unit as generated, and
:class:`Books`, what the audit trail (:mod:`commonfund.synth.audit_trail`) and the statement writer
(:mod:`commonfund.synth.statements`) need of a generator — so neither imports the generator that calls them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from commonfund.core.money import ledger_number

MF_BANK = "Assets:MaintenanceFund:Bank-维修资金专户"
CR_BANK = "Assets:CommonRevenue:Bank-共有收益户"
CR_WECHAT = "Assets:CommonRevenue:WeChat-微信商户"
CM_BANK = "Assets:Committee:Bank-工作经费户"
BANKS = (MF_BANK, CR_BANK, CR_WECHAT, CM_BANK)
LAST_YEAR = 2025
PROPERTY_COMPANY = "上海锦华物业服务有限公司"
AD_COMPANY = "城市梯媒广告传播有限公司"
TOWER = "中国铁塔股份有限公司上海市分公司"
LOCKERS = "丰巢网络技术有限公司"
CHARGING = "星联充电科技有限公司"
AUDITOR = "沪信会计师事务所有限公司"
DEVELOPER_NAME = "上海锦绣置业有限公司"

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
    "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江"
    "尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红娥玲芬燕彬"
    "鹏辉建国志明宏斌俊峰海波雪梅晓东春生永红丹慧琳子涵浩然欣怡宇轩梓萱思远雨桐佳怡博文一鸣"
)
# Repairs and their price, in fen per ㎡ of the exclusive area of the units that share the cost (the scope),
# from typical Shanghai prices (2023–2025), so that a repair costs what a supervisor expects:
# * elevator main unit + control cabinet: ¥150,000–250,000 per elevator, 2–3 per building of ~10,000 ㎡
#   → ¥20–45 per ㎡ of the building;
# * roof waterproofing of one entrance: roof ≈ 1/15 of the entrance's floor area at ¥120–250 per ㎡ of roof
#   → ¥8–16 per ㎡ of the entrance;
# * fire sprinklers and alarm (whole compound): ¥200,000–600,000 for ~300,000 ㎡ → ¥0.8–2.0 per ㎡;
# * underground water mains of a building: ¥10–25 per ㎡; facade hollowing repair: ¥20–45 per ㎡;
# * roads and lighting (whole compound): ¥0.5–1.5 per ㎡.
REPAIRS = (
    ("Elevator-电梯", "电梯", "building", "电梯主机及控制柜更换", 2000, 4500),
    ("Roof-屋面防水", "屋面防水", "entrance", "屋面防水层翻修", 800, 1600),
    ("FireSafety-消防", "消防", "all", "消防喷淋及报警系统维修", 80, 200),
    ("Pipes-管网", "给排水管网", "building", "地下给排水管网更新", 1000, 2500),
    ("Facade-外墙", "外墙", "building", "外墙空鼓脱落修缮", 2000, 4500),
    ("Other-其他", "共用部位", "all", "小区道路及照明修缮", 50, 150),
)
CONTRACTORS = ("上海申安电梯工程有限公司", "上海建筑防水工程有限公司", "上海消防设施维保有限公司",
               "上海市政管网工程有限公司", "上海外墙修缮工程有限公司", "上海园林市政工程有限公司")


yuan = ledger_number
"""Integer fen as a Beancount number string (:func:`commonfund.core.money.ledger_number`, the one formatter)."""


@dataclass
class Txn:
    day: date
    payee: str
    narration: str
    postings: list[tuple[str, int, dict[str, str]]]
    meta: dict[str, str] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    links: tuple[str, ...] = ()

    def render(self) -> str:
        suffix = "".join(f" #{t}" for t in self.tags) + "".join(f" ^{k}" for k in self.links)
        lines = [f'{self.day.isoformat()} * "{self.payee}" "{self.narration}"{suffix}']
        lines += [f"  {k}: {v}" for k, v in self.meta.items()]
        for account, fen, meta in self.postings:
            lines.append(f"  {account}  {yuan(fen)} CNY")
            lines += [f"    {k}: {v}" for k, v in meta.items()]
        return "\n".join(lines)


@dataclass
class Unit:
    unit: str
    building: str
    entrance: str
    floor: int
    area_centi: int
    source: str
    owner_id: str
    owner_name: str
    deposit_fen: int
    sold: bool
    delivered: bool
    phone: str


def q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


class Books(Protocol):
    """The generator as its parts see it (:class:`commonfund.synth.generator.Generator` is one)."""

    n: int
    years: int
    seed: int
    slug: str
    first_year: int
    start: date
    statements_months: int
    units: list[Unit]
    txns: list[Txn]
    directives: list[tuple[date, str]]
    planted: list[dict[str, str]]
    committee: list[Unit]
    supervisors: list[Unit]
    audit: dict[str, Any]
    plant: bool

    def book(self, txn: Txn) -> None: ...

    def pay(self, day: date, payee: str, narration: str, bank: str, expense: str, fen: int,
            meta: dict[str, str] | None = None, posting_meta: dict[str, str] | None = None,
            **kw: object) -> Txn: ...

    def receive(self, day: date, payee: str, narration: str, bank: str, income: str, fen: int,
                meta: dict[str, str] | None = None, posting_meta: dict[str, str] | None = None) -> None: ...
