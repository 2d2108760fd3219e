"""Tallying a ballot file (``unit,vote,date``) against the household register, cached by content.

Every ledger load checks every ballot file (a rejected ballot is an integrity error at its row), so the
counts of a ballot file — or the error found in it — are kept in the content-addressed cache
(:mod:`commonfund.io.cache`) under the SHA-256 of the file's bytes, the register's content key and the
resolution's date: a changed byte in either file, or another date, is another key.
:func:`commonfund.resolutions.parse.read_ballots` turns the counts into a :class:`~commonfund.resolutions.model.Tally`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from commonfund.core.errors import InputError
from commonfund.io import cache
from commonfund.io.tables import read_source, rows_of

if TYPE_CHECKING:
    from commonfund.register.model import HouseholdRegister

VOTES = {
    "agree": "agree", "同意": "agree", "赞成": "agree", "yes": "agree",
    "against": "against", "反对": "against", "不同意": "against", "no": "against",
    "abstain": "abstain", "弃权": "abstain",
}
BALLOT_COLUMNS = {
    "unit": ("unit", "房号", "户号", "门牌号"),
    "vote": ("vote", "表决意见", "意见", "投票", "表决"),
    "date": ("date", "日期", "投票日期", "表决日期"),
}


class Counts(NamedTuple):
    """What a ballot file adds up to: areas in 0.01 ㎡, headcounts per 第9条, the number of ballots.

    Attributes:
      voted_area, voted_heads, agree_area, agree_heads, against_area, against_heads, abstain_area,
      abstain_heads: The tally's participants and positions.
      ballot_count: Number of ballot rows (units) counted.
    """

    voted_area: int
    voted_heads: int
    agree_area: int
    agree_heads: int
    against_area: int
    against_heads: int
    abstain_area: int
    abstain_heads: int
    ballot_count: int


def ballot_counts(path: Path, register: HouseholdRegister, decided: date | None = None) -> Counts:
    """Count a ballot file; raise :class:`InputError` at the first rejected row (see ``read_ballots``)."""
    data = read_source(path)
    key = None
    if register.key is not None:
        key = cache.content_key("ballots", data, path.suffix.lower(), register.key,
                                decided.isoformat() if decided else "")
        found = _MEMO.get(key) or _read_cached(key)
    else:
        found = None
    if found is None:
        where = str(path)
        try:
            found = _count(path, data, register, decided)
        except InputError as exc:
            if not exc.where.startswith(where):
                raise
            found = (exc.where[len(where):], exc.message)
        if key is not None:
            cache.write_blobs("ballots", key, [tuple(found)])
    if key is not None:
        if len(_MEMO) > 256:
            _MEMO.clear()
        _MEMO[key] = found
    if isinstance(found, Counts):
        return found
    raise InputError(f"{path}{found[0]}", found[1])


_MEMO: dict[str, Counts | tuple[str, str]] = {}


def _read_cached(key: str) -> Counts | tuple[str, str] | None:
    found = cache.read_blobs("ballots", key)
    if found is None or len(found) != 1:
        return None
    value = found[0]
    if isinstance(value, tuple) and len(value) == len(Counts._fields) and all(type(v) is int for v in value):
        return Counts(*value)
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, str) for v in value):
        return value
    return None


def _count(path: Path, data: bytes, register: HouseholdRegister, decided: date | None) -> Counts:
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
    unit_at, vote_at, date_at = columns["unit"], columns["vote"], columns.get("date", -1)
    width = max(columns.values()) + 1
    area = register.columns.area_centi
    voters = register.voter_ids
    index_of = register.index
    seen: dict[str, int] = {}
    person_vote: dict[str, tuple[str, str]] = {}
    area_sum = {"agree": 0, "against": 0, "abstain": 0}
    persons: dict[str, set[str]] = {"agree": set(), "against": set(), "abstain": set()}
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
        vote = VOTES.get(vote_text.lower())
        if vote is None:
            raise InputError(f"{path}:{number}", f"vote {vote_text!r} of unit {unit} must be agree/against/abstain "
                             "(同意/反对/弃权)")
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
        voter = voters[index]
        earlier = person_vote.setdefault(voter, (vote, unit))
        if earlier[0] != vote:
            raise InputError(f"{path}:{number}", f"unit {unit} votes {vote} but the same person (第9条) voted "
                             f"{earlier[0]} for unit {earlier[1]}: one person, one position")
        area_sum[vote] += area[index]
        persons[vote].add(voter)
    return Counts(
        voted_area=sum(area_sum.values()), voted_heads=len(person_vote),
        agree_area=area_sum["agree"], agree_heads=len(persons["agree"]),
        against_area=area_sum["against"], against_heads=len(persons["against"]),
        abstain_area=area_sum["abstain"], abstain_heads=len(persons["abstain"]),
        ballot_count=len(seen),
    )
