"""Counterparties (交易对方): normalising names, telling people from organisations, related parties.

Names are compared after Unicode NFKC normalisation (full-width letters and digits become half-width),
with all white space (including the ideographic space U+3000) and the middle dot removed, so that
``张　伟``, ``张伟`` and ``ＺＨＡＮＧ Wei`` compare the way a person would compare them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from commonfund.compound.config import CompoundConfig

_SPACE = re.compile(r"[\s\u3000·•・]+")
_PERSON = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
# Common single-character surnames (百家姓, the ~150 most frequent) and the compound ones.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴"
    "霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑"
    "景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "司徒")
ORG_WORDS = ("公司", "商行", "中心", "银行", "部", "店", "厂", "所", "局", "院", "会", "社", "站", "队", "集团",
             "支付", "代发", "业主", "物业", "小区", "街道", "财政", "政府", "基金", "医院", "学校", "单位")


def normalize_name(name: str) -> str:
    """A name as compared: NFKC (full-width → half-width), no white space or middle dots, lower case."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", name or "")).lower()


def looks_like_person(name: str) -> bool:
    """True if *name* reads as a Chinese personal name: 2–4 Han characters, a surname, no organisation word."""
    text = normalize_name(name)
    if not _PERSON.match(text) or any(word in text for word in ORG_WORDS):
        return False
    return text[0] in SURNAMES or text[:2] in COMPOUND_SURNAMES


@dataclass(frozen=True)
class RelatedParty:
    """Someone whose dealings with the funds are related-party transactions.

    Attributes:
      name: The name as configured.
      role: Who they are, in Chinese (业委会委员 主任, 监督委员会委员, 物业公司员工).
      unit: Their unit, if an owner.
    """

    name: str
    role: str
    unit: str = ""


class RelatedParties:
    """The committee and supervisory members and the declared property-company staff, by name and account."""

    def __init__(self, config: CompoundConfig) -> None:
        self.by_name: dict[str, RelatedParty] = {}
        self.by_account: dict[str, RelatedParty] = {}
        for members, label in ((config.committee, "业委会委员"), (config.supervisors, "监督委员会委员")):
            for member in members:
                party = RelatedParty(member.name, f"{label} {member.role}".strip(), member.unit)
                self.by_name.setdefault(normalize_name(member.name), party)
                if member.account_no:
                    self.by_account.setdefault(normalize_name(member.account_no), party)
        for name in config.property_staff:
            self.by_name.setdefault(normalize_name(name), RelatedParty(name, "物业公司员工"))

    def match(self, payee: str, account_no: str = "") -> RelatedParty | None:
        """The related party *payee* (or the counterparty account number) is, if any."""
        if account_no and (party := self.by_account.get(normalize_name(account_no))):
            return party
        return self.by_name.get(normalize_name(payee)) if payee else None

    def is_member(self, payee: str) -> bool:
        party = self.by_name.get(normalize_name(payee))
        return party is not None and party.role != "物业公司员工"
