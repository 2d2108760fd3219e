"""Tallying a ballot file (``unit,vote,date``) against the household register, cached by content.

Every ledger load checks every ballot file (a rejected ballot is an integrity error at its row), so the
counts of a ballot file — or the error found in it — are kept in the content-addressed cache
(:mod:`commonfund.io.cache`) under the SHA-256 of the file's bytes, the register's content key, the
resolution's date and the area rule of partial ballots: a changed byte in either file, another date or
another rule is another key. How each ballot counts, and why, is written in docs/ledger-conventions.md
("How a tally is counted"): spoiled and blank ballots and abstentions take part; a person counts once
(司法解释 第9条); a buyer's ballot for a unit sold but not delivered is not counted.
:func:`commonfund.resolutions.parse.read_ballots` turns the counts into a :class:`~commonfund.resolutions.model.Tally`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from commonfund.core.errors import InputError
from commonfund.io import cache
from commonfund.io.tables import read_source, rows_of
from commonfund.register.parse import DEVELOPER

if TYPE_CHECKING:
    from commonfund.register.model import HouseholdRegister

VOTES = {
    "agree": "agree", "同意": "agree", "赞成": "agree", "yes": "agree",
    "against": "against", "反对": "against", "不同意": "against", "no": "against",
    "abstain": "abstain", "弃权": "abstain",
    "spoiled": "spoiled", "blank": "spoiled", "invalid": "spoiled", "void": "spoiled",
    "废票": "spoiled", "空白票": "spoiled", "空白": "spoiled", "无效票": "spoiled", "无效": "spoiled",
}
"""Vote words (lower case). ``spoiled`` is a ballot returned blank or unreadable (空白票/废票): it took part
(quorum) and did not agree."""
POSITIONS = ("agree", "against", "abstain", "spoiled")
BALLOT_COLUMNS = {
    "unit": ("unit", "房号", "户号", "门牌号"),
    "vote": ("vote", "表决意见", "意见", "投票", "表决"),
    "date": ("date", "日期", "投票日期", "表决日期"),
    "voter": ("voter", "投票人", "表决人"),
}
VOTERS = {
    "": "", "owner": "", "业主": "",
    "developer": "developer", "开发商": "developer", "开发建设单位": "developer", "建设单位": "developer",
    "buyer": "buyer", "买受人": "buyer", "购房人": "buyer",
}
"""Who signed a ballot (optional ``voter`` column): the owner, the developer, or the buyer of a unit sold but
not yet delivered."""
AREA_RULES = ("owner", "ballot")
"""How a person who returned ballots for only some of their units is counted by area (policy
``partial_ballot_area``): ``owner`` — with every unit they hold (their one vote carries their whole
exclusive area, 司法解释 第9条 counts them once); ``ballot`` — with the balloted units only."""
NOT_COUNTED_BUYER = "buyer"
"""Why a ballot was not counted: it is the buyer's of a unit sold but not delivered, whose vote is the
developer's (司法解释 第9条; 第1条: the buyer is an owner from lawful possession on delivery)."""


class Partial(NamedTuple):
    """A person of several units who returned ballots for only some of them.

    Attributes:
      balloted: The units with a counted ballot.
      missing: Their other units (no ballot).
      missing_area: The area of *missing* (0.01 ㎡).
      developer: True for the developer (its unsold and undelivered units together, 第9条).
    """

    balloted: tuple[str, ...]
    missing: tuple[str, ...]
    missing_area: int
    developer: bool


class NotCounted(NamedTuple):
    """A ballot read but not counted, and why.

    Attributes:
      row: Its row in the ballot file.
      unit: The unit.
      vote: ``agree`` / ``against`` / ``abstain`` / ``spoiled``.
      reason: :data:`NOT_COUNTED_BUYER`.
    """

    row: int
    unit: str
    vote: str
    reason: str


class Counts(NamedTuple):
    """What a ballot file adds up to: areas in 0.01 ㎡, headcounts per 第9条, the number of ballots.

    Attributes:
      voted_area, voted_heads, agree_area, agree_heads, against_area, against_heads, abstain_area,
      abstain_heads, spoiled_area, spoiled_heads: The tally's participants and positions (spoiled: 废票/空白票).
      ballot_count: Number of ballot rows (units) counted.
      partial: The persons who returned ballots for only some of their units.
      not_counted: The ballots read but not counted.
      area_rule: :data:`AREA_RULES` rule the areas were counted by.
    """

    voted_area: int
    voted_heads: int
    agree_area: int
    agree_heads: int
    against_area: int
    against_heads: int
    abstain_area: int
    abstain_heads: int
    spoiled_area: int
    spoiled_heads: int
    ballot_count: int
    partial: tuple[Partial, ...] = ()
    not_counted: tuple[NotCounted, ...] = ()
    area_rule: str = "owner"


_INTS = 11


def ballot_counts(path: Path, register: HouseholdRegister, decided: date | None = None,
                  area_rule: str = "owner") -> Counts:
    """Count a ballot file; raise :class:`InputError` at the first rejected row (see ``read_ballots``)."""
    if area_rule not in AREA_RULES:
        raise ValueError(f"area rule {area_rule!r}")
    data = read_source(path)
    key = None
    if register.key is not None:
        key = cache.content_key("ballots", data, path.suffix.lower(), register.key,
                                decided.isoformat() if decided else "", area_rule)
        found = _MEMO.get(key) or _read_cached(key)
    else:
        found = None
    if found is None:
        where = str(path)
        try:
            found = _count(path, data, register, decided, area_rule)
        except InputError as exc:
            if not exc.where.startswith(where):
                raise
            found = (exc.where[len(where):], exc.message)
        if key is not None:
            cache.write_blobs("ballots", key, [_plain(found)])
    if key is not None:
        if len(_MEMO) > 256:
            _MEMO.clear()
        _MEMO[key] = found
    if isinstance(found, Counts):
        return found
    raise InputError(f"{path}{found[0]}", found[1])


_MEMO: dict[str, Counts | tuple[str, str]] = {}


def _plain(found: Counts | tuple[str, str]) -> tuple[Any, ...]:
    if isinstance(found, Counts):
        return (*found[:_INTS], tuple(map(tuple, found.partial)), tuple(map(tuple, found.not_counted)),
                found.area_rule)
    return tuple(found)


def _read_cached(key: str) -> Counts | tuple[str, str] | None:
    found = cache.read_blobs("ballots", key)
    if found is None or len(found) != 1 or not isinstance(found[0], tuple):
        return None
    value = found[0]
    if len(value) == 2 and all(isinstance(v, str) for v in value):
        return (value[0], value[1])
    try:
        ints, partial, not_counted, rule = value[:_INTS], value[_INTS], value[_INTS + 1], value[_INTS + 2]
        if len(value) != _INTS + 3 or not all(type(v) is int for v in ints) or rule not in AREA_RULES:
            return None
        return Counts._make((*ints, tuple(Partial(tuple(b), tuple(m), int(a), bool(d)) for b, m, a, d in partial),
                             tuple(NotCounted(int(r), str(u), str(v), str(w)) for r, u, v, w in not_counted), rule))
    except (TypeError, ValueError, IndexError):
        return None


class _Ballot(NamedTuple):
    row: int
    unit: str
    at: int
    vote: str
    voter: str


def _count(path: Path, data: bytes, register: HouseholdRegister, decided: date | None,
           area_rule: str) -> Counts:
    rows = rows_of(path, data)
    try:
        header_row, header = next(rows)
    except StopIteration:
        raise InputError(path, "the ballot file is empty (it needs a header unit,vote,date)") from None
    lookup = {alias.lower(): key for key, aliases in BALLOT_COLUMNS.items() for alias in aliases}
    columns: dict[str, int] = {}
    for position, name in enumerate(header):
        key = lookup.get(name.strip().lower())
        if key and key not in columns:
            columns[key] = position
    if "unit" not in columns or "vote" not in columns:
        raise InputError(f"{path}:{header_row}", "the header must name the columns unit (房号) and vote (表决意见)")
    unit_at, vote_at = columns["unit"], columns["vote"]
    date_at, voter_at = columns.get("date", -1), columns.get("voter", -1)
    width = max(columns.values()) + 1
    voters = register.voter_ids
    index_of = register.index
    seen: dict[str, int] = {}
    ballots: list[_Ballot] = []
    parse_day = date.fromisoformat
    for number, cells in rows:
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        unit, vote_text = cells[unit_at], cells[vote_at]
        index = index_of.get(unit)
        if index is None:
            raise InputError(f"{path}:{number}", f"unit {unit!r} is not in the household register: a ballot from a "
                             "non-owner is rejected (司法解释 第8条/第9条)")
        if unit in seen:
            raise InputError(f"{path}:{number}", f"unit {unit} votes twice (first at row {seen[unit]}): one unit, "
                             "one ballot")
        seen[unit] = number
        vote = VOTES.get(vote_text.strip().lower())
        if vote is None:
            raise InputError(f"{path}:{number}", f"vote {vote_text!r} of unit {unit} must be agree/against/abstain/"
                             "spoiled (同意/反对/弃权/废票；空白票 also counts as 废票)")
        day_text = cells[date_at] if date_at >= 0 else ""
        if day_text:
            try:
                day = parse_day(day_text[:10])
            except ValueError:
                raise InputError(f"{path}:{number}", f"date {day_text!r} of unit {unit}'s ballot is not "
                                 "YYYY-MM-DD") from None
            if decided is not None and day > decided:
                raise InputError(f"{path}:{number}", f"unit {unit}'s ballot is dated {day}, after the resolution "
                                 f"({decided})")
        voter_text = cells[voter_at].strip().lower() if voter_at >= 0 else ""
        voter = VOTERS.get(voter_text)
        if voter is None:
            raise InputError(f"{path}:{number}", f"voter {cells[voter_at]!r} of unit {unit} must be empty, 业主, "
                             "开发建设单位 or 买受人 (owner, developer, buyer)")
        ballots.append(_Ballot(number, unit, index, vote, voter))
    counted, not_counted = _developer_ballots(path, ballots, register)
    return _tally(path, counted, not_counted, register, area_rule, voters)


def _developer_ballots(path: Path, ballots: list[_Ballot],
                       register: HouseholdRegister) -> tuple[list[_Ballot], list[NotCounted]]:
    """Whose ballot counts for the developer's units (司法解释 第9条: its unsold and undelivered units are one
    person, whose vote is the developer's; 第1条: a buyer is an owner from lawful possession on delivery).

    A ballot marked ``买受人`` (buyer) on a developer-held unit is not counted. Without that mark, the
    developer's position is the one cast on its unsold units; a ballot on a sold-but-undelivered unit that
    differs from it is taken as the buyer's and not counted. Raises :class:`InputError` when the developer's
    own ballots differ, or when nothing says which ballot is the developer's.
    """
    columns = register.columns
    voters = register.voter_ids
    counted: list[_Ballot] = []
    not_counted: list[NotCounted] = []
    developer: list[_Ballot] = []
    for ballot in ballots:
        if voters[ballot.at] != DEVELOPER:
            counted.append(ballot)
        elif ballot.voter == "buyer":
            not_counted.append(NotCounted(ballot.row, ballot.unit, ballot.vote, NOT_COUNTED_BUYER))
        else:
            developer.append(ballot)
    if len({b.vote for b in developer}) <= 1:
        return counted + developer, not_counted
    # The developer's own: marked so, or cast on a unit it has not sold.
    own = [b for b in developer if b.voter == "developer" or not columns.sold[b.at]]
    positions = {b.vote for b in own}
    if len(positions) > 1:
        first = own[0]
        other = next(b for b in own if b.vote != first.vote)
        raise InputError(f"{path}:{other.row}", f"unit {other.unit} votes {other.vote} but the developer (第9条: its "
                         f"unsold and undelivered units are one person) voted {first.vote} for unit {first.unit}: "
                         "one person, one position")
    if not positions:
        first = developer[0]
        other = next(b for b in developer if b.vote != first.vote)
        raise InputError(f"{path}:{other.row}", f"units {first.unit} and {other.unit} are sold but not delivered "
                         f"and vote {first.vote} and {other.vote}: the developer's vote counts for them "
                         "(司法解释 第9条) — add a column voter (投票人) saying 开发建设单位 or 买受人")
    position = positions.pop()
    for ballot in developer:
        if ballot.vote == position:
            counted.append(ballot)
        else:
            not_counted.append(NotCounted(ballot.row, ballot.unit, ballot.vote, NOT_COUNTED_BUYER))
    return counted, not_counted


def _tally(path: Path, counted: list[_Ballot], not_counted: list[NotCounted], register: HouseholdRegister,
           area_rule: str, voters: tuple[str, ...]) -> Counts:
    """Add the counted ballots up: each person once (第9条) with one position, by the area rule."""
    area = register.columns.area_centi
    position: dict[str, str] = {}
    balloted: dict[str, list[int]] = {}
    for ballot in sorted(counted, key=lambda b: b.row):
        voter = voters[ballot.at]
        earlier = position.setdefault(voter, ballot.vote)
        if earlier != ballot.vote:
            first = register.columns.unit[balloted[voter][0]]
            raise InputError(f"{path}:{ballot.row}", f"unit {ballot.unit} votes {ballot.vote} but the same person "
                             f"(第9条) voted {earlier} for unit {first}: one person, one position")
        balloted.setdefault(voter, []).append(ballot.at)
    held: dict[str, list[int]] = {}
    if balloted:
        for index, voter in enumerate(voters):
            if voter in balloted:
                held.setdefault(voter, []).append(index)
    area_sum = dict.fromkeys(POSITIONS, 0)
    heads = dict.fromkeys(POSITIONS, 0)
    partial: list[Partial] = []
    units = register.columns.unit
    set_aside = {ballot.unit for ballot in not_counted}
    for voter, indices in balloted.items():
        mine = held[voter]
        counted_units = set(indices)
        missing = [i for i in mine if i not in counted_units and units[i] not in set_aside]
        counted_area = sum(area[i] for i in (mine if area_rule == "owner" else indices))
        area_sum[position[voter]] += counted_area
        heads[position[voter]] += 1
        if missing:
            partial.append(Partial(tuple(units[i] for i in sorted(indices)), tuple(units[i] for i in missing),
                                   sum(area[i] for i in missing), voter == DEVELOPER))
    return Counts(
        voted_area=sum(area_sum.values()), voted_heads=len(position),
        agree_area=area_sum["agree"], agree_heads=heads["agree"],
        against_area=area_sum["against"], against_heads=heads["against"],
        abstain_area=area_sum["abstain"], abstain_heads=heads["abstain"],
        spoiled_area=area_sum["spoiled"], spoiled_heads=heads["spoiled"],
        ballot_count=len(counted), partial=tuple(partial),
        not_counted=tuple(sorted(not_counted)), area_rule=area_rule,
    )
