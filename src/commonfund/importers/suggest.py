"""Learned categorisation: a suggested account for a statement line no rule categorises.

The suggestion is learned from the compound's own books: every confirmed (``*``) transaction that moves one of
the ``[[bank_accounts]]`` of compound.toml is an example — what the line said (counterparty, its account
number, the narration, the direction and the size of the amount) and where it was booked (the other posting
of the same fund). A line is compared with the examples of its bank account's **fund and direction** only, so
a suggestion never crosses funds (a 共有收益 line gets a 共有收益 account) and an income line never gets an
expense account.

How lines are compared (nearest neighbour over character n-grams, no segmentation needed for Chinese):

* a counterparty's name is reduced to its core (:func:`party_key`): ``上海锦华物业服务有限公司``,
  ``锦华物业`` and ``锦华物业管理有限公司第二分公司`` are all ``锦华物业``;
* texts lose their digits (``7月停车收益`` ≈ ``8月停车收益``) and become character unigrams and bigrams;
* each feature is weighted by its rarity among the examples (idf) and the vectors are compared by cosine.

The **confidence** is the similarity of the nearest example of the suggested account less half that of the
nearest example of any other account: 1.00 for a line like a booked one, about half the similarity when two
accounts are equally near. Below :data:`THRESHOLD` the line stays on 待分类. The ``resolution`` and
``apportion`` metadata are suggested too where the books show the pattern: the latest line of the same
counterparty booked to that account carried them (a resolution only while it is valid, ``valid_until``).

Rules always win: only a line that the rules (``[[rules]]`` and the built-in bank rules) leave on 待分类 gets a
suggestion, booked flagged ``!`` with ``suggested`` and ``confidence`` metadata until the treasurer confirms it
(``*``). Unconfirmed suggestions and 待分类 lines are never examples.

The examples are cached in the user's cache folder (:mod:`commonfund.io.cache`) under the books' fingerprint
(:mod:`commonfund.compound.fingerprint`) and this module's code, so they are rebuilt only when the books change.
Why not smart_importer or scikit-learn: importers/README.md (*Suggested categories*).
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from beancount.core import data

from commonfund import __version__
from commonfund.compound.config import CompoundConfig
from commonfund.core.funds import fund_of
from commonfund.importers.categorise import Categoriser, Category, line_narration
from commonfund.importers.normalise import StatementLine
from commonfund.io import cache

THRESHOLD = 0.2
"""Confidence below which a line stays on 待分类. Measured on generated books with noisy names (``make bench``,
``suggest_accuracy``): lines of a counterparty seen before score 0.45–1.00; a new counterparty whose narration
matches a booked account's (特来电 充电桩分成, 分众传媒 电梯广告费) 0.24–0.29; one for an account the books never
used (a 场地 fee) 0.08."""
MIN_LINES = 50
"""Categorised lines the books need before suggestions are on by default."""
FORMAT = 1
_SUBDIR = "suggest"
_KEEP = 32

_REGIONS = ("北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|"
            "海南|四川|贵州|云南|陕西|甘肃|青海|内蒙古|广西|西藏|宁夏|新疆|香港|澳门|深圳|广州|杭州|南京|苏州|"
            "武汉|成都|西安|厦门|宁波|青岛|大连")
_PREFIX = re.compile(rf"^(?:中国)?(?:(?:{_REGIONS})(?:省|市(?!政|场|容)|自治区)?)?")
_SUFFIX = re.compile(
    rf"(?:(?:[\u4e00-\u9fff]{{2}}[省市区县]|(?:{_REGIONS})|第[一二三四五六七八九十\d]+)?分公司|有限责任公司|股份有限公司|"
    r"有限公司|集团|公司|分行|支行|股份|有限|服务|管理|经营|科技|技术|网络|工程|商行|经营部|服务部|事务所|中心|广告|传播|"
    r"传媒|文化|贸易|商贸|实业|发展|投资|咨询|信息)$")
_NOISE = re.compile(r"[\s()（）\[\]【】<>《》·・,，.。、:：;；\"'“”‘’_/\\|-]+")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_NOT_DIGIT = re.compile(r"\D")
_BANK_PARTIES = frozenset({"银行", "微信支付", "微信", "财付通", "财付通支付科技有限公司", "支付宝",
                           "支付宝中国网络技术有限公司"})
"""Names that are no counterparty: the bank itself, and the payment platforms a wallet's money comes through (the
daily takings of a WeChat merchant account and a withdrawal from it to the bank both say 微信支付): their lines
are compared by what they say."""


@functools.lru_cache(maxsize=8192)  # a compound's books name a few hundred parties, thousands of times
def party_key(name: str) -> str:
    """The core of a counterparty's name: no punctuation, no leading region, no legal or branch suffixes; ``""`` for
    the bank and the payment platforms (:data:`_BANK_PARTIES`)."""
    key = _NOISE.sub("", name or "")
    if key in _BANK_PARTIES:
        return ""
    stripped = _PREFIX.sub("", key)
    if len(stripped) >= 2:
        key = stripped
    while True:
        shorter = _SUFFIX.sub("", key)
        if shorter == key or len(shorter) < 2:
            return key
        key = shorter


@functools.lru_cache(maxsize=8192)
def _text_key(text: str) -> str:
    return _NOISE.sub("", _DIGITS.sub("#", text or ""))


def _bucket(amount: Decimal) -> int:
    """The size of an amount in half-decades (¥10–31 → 2, ¥32–99 → 3 …)."""
    value = abs(float(amount))
    return int(math.log10(value) * 2) if value >= 1 else 0


class Example(NamedTuple):
    """One booked line the suggestions learn from.

    Attributes:
      date: Its date.
      fund: The fund of its bank account.
      direction: ``in`` or ``out``.
      party: The counterparty's name (the payee).
      account: The counterparty's account number (``payee_account``), or ``""``.
      text: The narration.
      amount: The amount on the bank account (absolute).
      label: The account it was booked to (the other posting of the same fund).
      resolution: Its ``resolution`` metadata, or ``""``.
      apportion: The ``apportion`` metadata of the label posting, or ``""``.
    """

    date: date
    fund: str
    direction: str
    party: str
    account: str
    text: str
    amount: Decimal
    label: str
    resolution: str
    apportion: str


def _number(posting: data.Posting) -> Decimal | None:
    units = posting.units
    number = getattr(units, "number", None)
    return number if isinstance(number, Decimal) else None


def examples_of(entries: Iterable[data.Directive], banks: dict[str, str]) -> list[Example]:
    """The examples of the books *entries* (*banks*: bank account → fund), in date order.

    A transaction is one when it is confirmed (``*``), moves exactly one of the bank accounts, carries no
    ``interfund`` metadata, and books the other side to an account of the same fund that is not a bank account,
    equity or 待分类 (the largest such posting of the opposite sign when there are several, e.g. a fee beside).
    """
    out: list[Example] = []
    for entry in entries:
        if not isinstance(entry, data.Transaction) or entry.flag != "*" or "interfund" in entry.meta:
            continue
        bank_postings = [p for p in entry.postings if p.account in banks]
        if len(bank_postings) != 1 or len({p.account for p in bank_postings}) != 1:
            continue
        bank = bank_postings[0]
        fund = banks[bank.account]
        moved = _number(bank)
        candidates = []
        for posting in entry.postings:
            account = posting.account
            if posting is bank or account in banks or fund_of(account) != fund or account.startswith("Equity:") \
                    or account.endswith(":Uncategorized-待分类"):
                continue
            number = _number(posting)
            if moved is not None and number is not None and (number > 0) == (moved > 0):
                continue
            candidates.append((abs(number) if number is not None else Decimal(0), account, posting))
        if not candidates:
            continue
        if moved is None:
            if len(candidates) != 1 or candidates[0][0] == 0:
                continue
            first = next(p for p in entry.postings if p is not bank and _number(p) is not None)
            moved = -(_number(first) or Decimal(0))
        candidates.sort(key=lambda item: (-item[0], item[1]))
        _, label, posting = candidates[0]
        apportion = (posting.meta or {}).get("apportion")
        resolution = entry.meta.get("resolution")
        out.append(Example(
            entry.date, fund, "in" if moved > 0 else "out", entry.payee or "",
            str(entry.meta.get("payee_account", "") or ""), entry.narration or "", abs(moved), label,
            resolution if isinstance(resolution, str) else "", apportion if isinstance(apportion, str) else ""))
    out.sort(key=lambda e: e.date)
    return out


def resolutions_of(entries: Iterable[data.Directive]) -> dict[str, tuple[str, str]]:
    """Resolution id → (date, valid_until or ``""``), ISO dates, from the books' ``custom "resolution"``."""
    out: dict[str, tuple[str, str]] = {}
    for entry in entries:
        if isinstance(entry, data.Custom) and entry.type == "resolution" and entry.values:
            rid = str(entry.values[0].value).strip()
            until = entry.meta.get("valid_until")
            out[rid] = (entry.date.isoformat(), until.isoformat() if isinstance(until, date) else "")
    return out


class Parts(NamedTuple):
    """What of a line is compared: the counterparty's core name, its account digits, the narration without
    digits or punctuation, and the amount's size (:func:`_bucket`)."""

    party: str
    account: str
    text: str
    bucket: int


def parts(party: str, account: str, text: str, amount: Decimal) -> Parts:
    return Parts(party_key(party), _NOT_DIGIT.sub("", account or ""), _text_key(text), _bucket(amount))


def features(line: Parts) -> dict[str, float]:
    """The weighted features of a line (before idf): the counterparty's core as a whole and as bigrams, its
    account number, the narration's unigrams and bigrams, and the amount's size."""
    out: dict[str, float] = defaultdict(float)
    key = line.party
    if key:
        out["p=" + key] += 3.0
        for i in range(len(key) - 1):
            out["pb=" + key[i:i + 2]] += 1.0
    if len(line.account) >= 4:
        out["a=" + line.account] += 3.0
    words = line.text
    for i, char in enumerate(words):
        out["t=" + char] += 0.5
        if i + 1 < len(words):
            out["tb=" + words[i:i + 2]] += 1.0
    out[f"m={line.bucket}"] += 0.5
    return dict(out)


@dataclass
class _Group:
    """The examples of one fund and direction, deduplicated, as unit vectors with an inverted index."""

    labels: list[str] = field(default_factory=list)
    parties: list[str] = field(default_factory=list)
    last: list[tuple[str, str, str]] = field(default_factory=list)  # (date, resolution, apportion) of the latest
    index: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    idf: dict[str, float] = field(default_factory=dict)
    count: int = 0

    def vector(self, raw: dict[str, float]) -> dict[str, float]:
        weighted = {f: w * self.idf[f] for f, w in raw.items() if f in self.idf}
        norm = math.sqrt(sum(w * w for w in weighted.values())) or 1.0
        # the norm counts the unseen words of the name and narration too: a line that says mostly new things is
        # far from every example (an account number the books never recorded is no evidence either way)
        rare = math.log(len(self.labels) + 1) + 1.0  # the idf of a feature no example has
        unseen = sum((w * rare) ** 2 for f, w in raw.items() if f not in self.idf and not f.startswith("a="))
        norm = math.sqrt(norm * norm + unseen)
        return {f: w / norm for f, w in weighted.items()}

    def nearest(self, raw: dict[str, float]) -> dict[int, float]:
        scores: dict[int, float] = defaultdict(float)
        for feature, weight in self.vector(raw).items():
            for i, value in self.index.get(feature, ()):
                scores[i] += weight * value
        return scores


class Suggestion(NamedTuple):
    """A suggested category: the account, the confidence (0–1), and metadata the books show a pattern for."""

    account: str
    confidence: float
    resolution: str = ""
    apportion: str = ""


Row = tuple[str, str, str, str, str, int, str, int, str, str, str]
"""A deduplicated example as cached: fund, direction, party, account number, text key, amount bucket, label,
count, then the latest one's date, resolution and apportion."""


def _rows(examples: Sequence[Example]) -> list[Row]:
    merged: dict[tuple[Any, ...], list[Any]] = {}
    for e in examples:  # date order: the last one seen is the latest
        key = (e.fund, e.direction, *parts(e.party, e.account, e.text, e.amount), e.label)
        row = merged.setdefault(key, [0, "", "", ""])
        row[0] += 1
        row[1:] = [e.date.isoformat(), e.resolution, e.apportion]
    return [(*key, *value) for key, value in sorted(merged.items())]  # type: ignore[misc]


class Suggester:
    """Suggests categories from the examples of the books (see the module docstring).

    Attributes:
      lines: How many categorised lines the books hold (examples, before deduplication).
      cached: Whether the examples came from the cache (False: built from the books now).
    """

    def __init__(self, rows: Sequence[Row], resolutions: dict[str, tuple[str, str]], lines: int,
                 cached: bool = False) -> None:
        self.lines = lines
        self.cached = cached
        self.resolutions = resolutions
        self.parties: dict[str, set[str]] = defaultdict(set)
        self.groups: dict[tuple[str, str], _Group] = {}
        vectors: dict[tuple[str, str], list[dict[str, float]]] = defaultdict(list)
        for fund, direction, party, account, text, bucket, label, count, last, resolution, apportion in rows:
            group = self.groups.setdefault((fund, direction), _Group())
            group.labels.append(label)
            group.parties.append(party)
            group.last.append((last, resolution, apportion))
            group.count += count
            self.parties[fund].add(party or "t=" + text)
            vectors[(fund, direction)].append(features(Parts(party, account, text, int(bucket))))
        for key, group in self.groups.items():
            raws = vectors[key]
            df: Counter[str] = Counter()
            for raw in raws:
                df.update(raw.keys())
            total = len(raws)
            group.idf = {f: math.log((total + 1) / (n + 1)) + 1.0 for f, n in df.items()}
            for i, raw in enumerate(raws):
                for feature, weight in group.vector(raw).items():
                    group.index.setdefault(feature, []).append((i, weight))

    @classmethod
    def from_examples(cls, examples: Sequence[Example], resolutions: dict[str, tuple[str, str]]) -> Suggester:
        return cls(_rows(examples), resolutions, len(examples))

    def seen(self, fund: str, party: str, text: str = "") -> bool:
        """Whether the books hold a categorised line of this counterparty (its core name) in *fund*; for a line
        without one (the bank's own), of the same narration."""
        key = party_key(party)
        return (key or "t=" + _text_key(text)) in self.parties.get(fund, set())

    def rank(self, fund: str, direction: str, party: str, account: str, text: str,
             amount: Decimal) -> list[tuple[str, float, int]]:
        """Accounts of *fund* by the similarity of their nearest example: ``(account, similarity, example)``."""
        group = self.groups.get((fund, direction))
        if group is None:
            return []
        best: dict[str, tuple[float, int]] = {}
        for i, score in group.nearest(features(parts(party, account, text, amount))).items():
            label = group.labels[i]
            if label not in best or score > best[label][0] + 1e-12 or (
                    abs(score - best[label][0]) <= 1e-12 and group.last[i][0] > group.last[best[label][1]][0]):
                best[label] = (score, i)
        ranked = sorted(((label, score, i) for label, (score, i) in best.items()), key=lambda x: (-x[1], x[0]))
        return [(label, round(score, 9), i) for label, score, i in ranked if fund_of(label) == fund]

    def suggest(self, fund: str, direction: str, party: str, account: str, text: str, amount: Decimal,
                day: date, allowed: Callable[[str], bool] | None = None) -> Suggestion | None:
        """The best account of *fund* for a line, with its confidence; None when nothing is near."""
        ranked = [r for r in self.rank(fund, direction, party, account, text, amount)
                  if allowed is None or allowed(r[0])]
        if not ranked or ranked[0][1] <= 0:
            return None
        label, first, _ = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        confidence = max(0.0, min(1.0, first - second / 2))
        resolution, apportion = self._pattern(fund, direction, party, label, day)
        return Suggestion(label, confidence, resolution, apportion)

    def _pattern(self, fund: str, direction: str, party: str, label: str, day: date) -> tuple[str, str]:
        """The resolution and apportion of the latest line of the same counterparty booked to *label*, when its
        resolution is still valid on *day* (a scope without a resolution is kept as it is)."""
        key = party_key(party)
        group = self.groups.get((fund, direction))
        if not key or group is None:
            return "", ""
        latest = max((group.last[i] for i in range(len(group.labels))
                      if group.labels[i] == label and group.parties[i] == key), default=None)
        if latest is None:
            return "", ""
        _, resolution, apportion = latest
        if resolution:
            start, until = self.resolutions.get(resolution, ("", ""))
            if not start or day.isoformat() < start or (until and day.isoformat() > until):
                return "", ""
        return resolution, apportion

    def categoriser(self, fund: str, open_accounts: set[str] | None = None,
                    threshold: float = THRESHOLD) -> Callable[[StatementLine], Category | None]:
        """What :func:`commonfund.importers.extract.extract` calls for a line the rules left on 待分类: the
        suggested :class:`Category` (with its confidence), or None below *threshold*."""

        def allowed(account: str) -> bool:
            return fund_of(account) == fund and (open_accounts is None or account in open_accounts)

        def suggest(line: StatementLine) -> Category | None:
            found = self.suggest(fund, "in" if line.amount > 0 else "out", line.counterparty,
                                 line.counterparty_account, line_narration(line), line.amount, line.date, allowed)
            if found is None or found.confidence < threshold:
                return None
            return Category(found.account, "", found.resolution, found.apportion,
                            confidence=Decimal(str(round(found.confidence, 2))))

        return suggest


def _key(fingerprint: str) -> str:
    digest = hashlib.sha256(f"{FORMAT}\x00{__version__}\x00{fingerprint}\x00".encode())
    digest.update(cache.module_source(__name__))
    return digest.hexdigest()


def load_suggester(root: Path, entries: Iterable[data.Directive], config: CompoundConfig,
                   fingerprint: str | None = None) -> Suggester:
    """The suggester of the compound at *root* whose books are *entries*: from the cache when the books'
    fingerprint (and this code) are those it was built for, else built from *entries* and cached."""
    if fingerprint is None:
        from commonfund.compound.fingerprint import fingerprint as compute

        fingerprint = compute(root)
    key = _key(fingerprint)
    blobs = cache.read_blobs("examples", key, _SUBDIR)
    if blobs is not None and len(blobs) == 3:
        rows, resolutions, lines = blobs
        return Suggester([tuple(r) for r in rows], dict(resolutions), int(lines), cached=True)
    entries = list(entries)
    banks = {bank.account: bank.fund for bank in config.bank_accounts}
    examples = examples_of(entries, banks)
    rows = _rows(examples)
    resolutions = resolutions_of(entries)
    cache.write_blobs("examples", key, [[list(r) for r in rows], resolutions, len(examples)], _SUBDIR, _KEEP)
    return Suggester(rows, resolutions, len(examples))


def wanted(flag: bool | None, suggester_lines: int) -> bool:
    """Whether to suggest: as asked (``--suggest``/``--no-suggest``), else when the books hold enough lines."""
    return flag if flag is not None else suggester_lines >= MIN_LINES


# ── evaluation (make bench) and rules to paste (commonfund rules --learn) ─────────────────────────────────


def example_line(example: Example) -> StatementLine:
    """The statement line an example would have come from (its narration as summary and purpose)."""
    amount = example.amount if example.direction == "in" else -example.amount
    return StatementLine(0, example.date, "", amount, Decimal(0), None, "", example.party, example.account, "",
                         example.text, example.text, "", "normal", ())


@dataclass
class Evaluation:
    """Suggestions for the last months of the books, learned from the months before.

    Attributes:
      train, test: Examples learned from and suggested for.
      seen, seen_right: Test lines whose counterparty the training months hold (for a line without one, the
        bank's own, its narration), and how many of them the top suggestion got right; ``unseen``,
        ``unseen_right`` the same for new counterparties.
      respelled, respelled_right: Of the seen ones, those whose counterparty the training months hold only under
        other spellings (锦华物业 for 上海锦华物业服务有限公司), and how many of them were right.
      by_rule: Test lines the compound's rules categorise (no suggestion asked).
      suggested, suggested_right: Lines no rule categorises that got a suggestion (confidence ≥ threshold),
        and how many were right.
      left: Lines no rule categorises that stay on 待分类.
    """

    train: int = 0
    test: int = 0
    seen: int = 0
    seen_right: int = 0
    unseen: int = 0
    unseen_right: int = 0
    respelled: int = 0
    respelled_right: int = 0
    by_rule: int = 0
    suggested: int = 0
    suggested_right: int = 0
    left: int = 0

    def share(self, right: int, total: int) -> str:
        return f"{right / total:.1%}" if total else "—"

    def summary(self) -> str:
        return (f"seen counterparties {self.share(self.seen_right, self.seen)} top-1 ({self.seen_right}/{self.seen}), "
                f"unseen {self.share(self.unseen_right, self.unseen)} ({self.unseen_right}/{self.unseen}), "
                f"new spellings of seen ones {self.share(self.respelled_right, self.respelled)} "
                f"({self.respelled_right}/{self.respelled}); "
                f"no rule: {self.suggested} suggested ({self.suggested_right} right), {self.left} left on 待分类; "
                f"{self.by_rule} by rules; trained on {self.train} lines, tested on {self.test}")


def evaluate(entries: Sequence[data.Directive], config: CompoundConfig, split: float = 0.75,
             threshold: float = THRESHOLD) -> Evaluation:
    """Learn from the first *split* of the months of the books' examples and suggest for the rest."""
    banks = {bank.account: bank.fund for bank in config.bank_accounts}
    examples = examples_of(entries, banks)
    months = sorted({(e.date.year, e.date.month) for e in examples})
    result = Evaluation()
    if len(months) < 2:
        return result
    cut = months[min(len(months) - 1, max(1, int(len(months) * split)))]
    train = [e for e in examples if (e.date.year, e.date.month) < cut]
    test = [e for e in examples if (e.date.year, e.date.month) >= cut]
    suggester = Suggester.from_examples(train, resolutions_of(entries))
    opened = {e.account for e in entries if isinstance(e, data.Open)}
    categorisers = {fund: Categoriser(fund, config.rules, opened) for fund in set(banks.values())}
    result.train, result.test = len(train), len(test)
    spellings = {e.party for e in train}
    for e in test:
        ranked = suggester.rank(e.fund, e.direction, e.party, e.account, e.text, e.amount)
        right = bool(ranked) and ranked[0][0] == e.label
        if suggester.seen(e.fund, e.party, e.text):
            result.seen += 1
            result.seen_right += right
            if e.party and e.party not in spellings:
                result.respelled += 1
                result.respelled_right += right
        else:
            result.unseen += 1
            result.unseen_right += right
        if not categorisers[e.fund](example_line(e)).uncategorised:
            result.by_rule += 1
            continue
        found = suggester.suggest(e.fund, e.direction, e.party, e.account, e.text, e.amount, e.date)
        if found is None or found.confidence < threshold:
            result.left += 1
        else:
            result.suggested += 1
            result.suggested_right += found.account == e.label
    return result


class Proposal(NamedTuple):
    """A ``[[rules]]`` entry learned from the books: a counterparty always booked to one account."""

    fund: str
    direction: str
    pattern: str
    account: str
    lines: int
    names: tuple[str, ...]
    first: date
    last: date

    def toml(self) -> str:
        names = "、".join(self.names[:3]) + ("…" if len(self.names) > 3 else "")
        return (f"# {names}: {self.lines} lines {self.first} … {self.last}, all to {self.account}\n"
                f"[[rules]]\ncounterparty = {_toml_string(self.pattern)}\ndirection = \"{self.direction}\"\n"
                f"account = {_toml_string(self.account)}\n")


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def propose_rules(entries: Sequence[data.Directive], config: CompoundConfig, at_least: int = 3) -> list[Proposal]:
    """Rules for counterparties booked ≥ *at_least* times, always to one account, for lines no rule of
    compound.toml categorises yet; the pattern (the core of the name) must catch no line of the books booked
    elsewhere in the same fund and direction."""
    banks = {bank.account: bank.fund for bank in config.bank_accounts}
    examples = examples_of(entries, banks)
    opened = {e.account for e in entries if isinstance(e, data.Open)}
    categorisers = {fund: Categoriser(fund, config.rules, opened) for fund in set(banks.values())}
    groups: dict[tuple[str, str, str], list[Example]] = defaultdict(list)
    for e in examples:
        key = party_key(e.party)
        if key:
            groups[(e.fund, e.direction, key)].append(e)
    out: list[Proposal] = []
    for (fund, direction, key), found in sorted(groups.items()):
        labels = {e.label for e in found}
        if len(found) < at_least or len(labels) != 1:
            continue
        if all(not categorisers[fund](example_line(e)).uncategorised for e in found):
            continue  # the rules already categorise them
        names = tuple(sorted({e.party for e in found}))
        pattern = re.escape(key)
        if not all(re.search(pattern, name) for name in names):
            pattern = "|".join(re.escape(name) for name in names)
        compiled = re.compile(pattern)
        label = next(iter(labels))
        if any(e.label != label and e.fund == fund and e.direction == direction
               and compiled.search(f"{e.party} {e.account}") for e in examples):
            continue
        out.append(Proposal(fund, direction, pattern, label, len(found), names, found[0].date, found[-1].date))
    return sorted(out, key=lambda p: (-p.lines, p.fund, p.pattern))
