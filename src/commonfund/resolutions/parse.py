"""Reading resolutions from the ledger and tallying ballot files (see :mod:`commonfund.resolutions.model`).

Malformed resolutions and ballot files are integrity errors (DOMAIN §4): :func:`parse_resolutions` returns
them as :class:`~commonfund.core.errors.LedgerError` at the directive's line or the ballot file's row, and the
plugin rule in :mod:`commonfund.rules.resolutions` reports them. Views (audit, Fava, reports) call
:func:`resolutions_of`, computed once per loaded compound.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from beancount.core import data
from beancount.core.amount import Amount

from commonfund.core.errors import InputError, LedgerError, source_of
from commonfund.core.money import to_fen
from commonfund.register.ballots import ballot_counts
from commonfund.resolutions.model import MATTERS, Resolution, Tally, Verdict, full_tally

if TYPE_CHECKING:
    from commonfund.compound.model import Compound
    from commonfund.register.model import HouseholdRegister

CITATION_KEYS = ("resolution", "interfund")
TYPED_KEYS = ("voted_area", "voted_count", "agree_area", "agree_count")
CIRCLED = "①②③④⑤⑥⑦⑧⑨"


def read_ballots(path: str | Path, register: HouseholdRegister, decided: date | None = None,
                 area_rule: str = "owner") -> Tally:
    """Tally a ballot file (CSV/XLSX: ``unit,vote,date``) against the register.

    Area per 司法解释 第8条 (the register's area), headcount per 第9条 (one unit one person; the
    developer's unsold/undelivered units together one; an owner of several units one). A person who returned
    ballots for some of their units only takes part with all their area (*area_rule* ``owner``) or with the
    balloted units' (``ballot``); a buyer's ballot for a unit sold but not delivered is not counted (the
    developer votes for it). Raises :class:`InputError` at the first rejected row: a unit not in the register
    (a non-owner), a unit that votes twice, an unknown vote, a bad date or one after *decided*, or one person
    voting two ways.
    The counts (or the rejection) are cached by the contents of the ballot file and the register
    (:mod:`commonfund.register.ballots`), so a load reads an unchanged ballot file without tallying it again.
    """
    counts = ballot_counts(Path(path), register, decided, area_rule)
    return full_tally(register, source="ballots", **counts._asdict())


def _typed_tally(entry: data.Custom, register: HouseholdRegister) -> Tally:
    """The typed tallies of a resolution; raises ValueError with the problem."""
    meta = entry.meta
    missing = [key for key in TYPED_KEYS if key not in meta]
    if missing:
        raise ValueError(f"needs a ballot file (ballots: \"ballots/<id>.csv\") or the tallies {', '.join(missing)}")
    values: dict[str, int] = {}
    for key in TYPED_KEYS:
        raw = meta[key]
        try:
            number = Decimal(str(raw.number if isinstance(raw, Amount) else raw))
            value = to_fen(number) if key.endswith("_area") else int(number)
            if key.endswith("_count") and number != int(number):
                raise ValueError
        except (InvalidOperation, ValueError, TypeError):
            kind = "㎡, two decimals" if "area" in key else "a whole number"
            raise ValueError(f"{key} {raw!r} must be a number ({kind})") from None
        if value < 0:
            raise ValueError(f"{key} cannot be negative")
        values[key] = value
    tally = full_tally(register, voted_area=values["voted_area"], voted_heads=values["voted_count"],
                       agree_area=values["agree_area"], agree_heads=values["agree_count"])
    if tally.agree_area > tally.voted_area or tally.agree_heads > tally.voted_heads:
        raise ValueError("agree_area/agree_count cannot exceed voted_area/voted_count")
    if tally.voted_area > tally.total_area:
        raise ValueError(f"voted_area exceeds the register's total area {tally.total_area / 100:.2f} ㎡")
    if tally.voted_heads > tally.total_heads:
        raise ValueError(f"voted_count exceeds the register's headcount {tally.total_heads} (第9条)")
    return tally


def parse_resolutions(
    entries: Iterable[data.Directive], register: HouseholdRegister, root: Path, area_rule: str = "owner",
) -> tuple[dict[str, Resolution], list[LedgerError]]:
    """Every well-identified resolution by id, and the integrity errors of the malformed ones.

    A resolution without an id, with a matter outside 1–9, or with an id already used is left out; one
    whose tally cannot be computed (no tallies, unreadable or rejected ballot file) is kept with
    ``tally=None`` so that references to it still resolve.
    """
    out: dict[str, Resolution] = {}
    errors: list[LedgerError] = []
    for entry in entries:
        if not isinstance(entry, data.Custom) or entry.type != "resolution":
            continue
        values = [v.value for v in entry.values]
        rid = str(values[0]).strip() if values else ""
        if not rid:
            errors.append(LedgerError(entry.meta, 'resolution has no id: write custom "resolution" "<id>" '
                                      '"<matter 1–9>" "<title>"', entry))
            continue
        matter_raw = values[1] if len(values) > 1 else None
        matter = _matter(matter_raw)
        if matter not in MATTERS:
            errors.append(LedgerError(entry.meta, f"resolution {rid}: matter {matter_raw!r} must be 1–9 "
                                      "(民法典 第278条 ①–⑨)", entry))
            continue
        if rid in out:
            first = out[rid].entry.meta
            errors.append(LedgerError(entry.meta, f"resolution id {rid} is used twice (first at "
                                      f"{first.get('filename')}:{first.get('lineno')})", entry))
            continue
        title = str(values[2]) if len(values) > 2 else ""
        meta = entry.meta
        budget_raw = meta.get("budget")
        budget: Decimal | None = None
        if budget_raw is not None:
            budget = budget_raw.number if isinstance(budget_raw, Amount) else _decimal_or_none(budget_raw)
            if budget is None or budget < 0:
                errors.append(LedgerError(meta, f"resolution {rid}: budget {budget_raw!r} must be an amount such "
                                          "as 180000.00 CNY", entry))
                budget = None
        valid_until = meta.get("valid_until")
        if valid_until is not None and not isinstance(valid_until, date):
            errors.append(LedgerError(meta, f"resolution {rid}: valid_until must be a date (YYYY-MM-DD)", entry))
            valid_until = None
        ballots = meta.get("ballots")
        tally = None
        try:
            if ballots is not None:
                tally = read_ballots(root / str(ballots), register, decided=entry.date, area_rule=area_rule)
            else:
                tally = _typed_tally(entry, register)
        except InputError as exc:
            errors.append(_at_row(exc, entry, rid))
        except ValueError as exc:
            errors.append(LedgerError(meta, f"resolution {rid}: {exc}", entry))
        key = str(meta.get("apportion", "all"))
        out[rid] = Resolution(
            id=rid, date=entry.date, matter=matter, title=title, budget=budget, valid_until=valid_until,
            ballots=None if ballots is None else str(ballots), tally=tally,
            verdict=None if tally is None else Verdict.of(tally, matter), entry=entry, apportion=key,
        )
    return out, errors


def _matter(raw: Any) -> int:
    text = str(raw).strip() if raw is not None else ""
    if len(text) == 1 and text in CIRCLED:
        return CIRCLED.index(text) + 1
    try:
        number = Decimal(text)
    except InvalidOperation:
        return 0
    return int(number) if number == int(number) else 0


def _decimal_or_none(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _at_row(exc: InputError, entry: data.Custom, rid: str) -> LedgerError:
    where, _, line = exc.where.rpartition(":")
    if where and line.isdigit():
        return LedgerError(source_of(where, int(line)), f"ballot of resolution {rid}: {exc.message}", entry)
    return LedgerError(entry.meta, f"resolution {rid}: ballot file {exc.where}: {exc.message}", entry)


def resolutions_of(compound: Compound) -> dict[str, Resolution]:
    """The compound's resolutions by id (computed once per loaded compound)."""
    rule = compound.config.policy.partial_ballot_area
    return compound.memo("resolutions",
                         lambda: parse_resolutions(compound.entries, compound.register, compound.root, rule)[0])


def cited(entry: data.Transaction) -> set[str]:
    """The resolution ids a transaction cites (``resolution`` and ``interfund``; not ``unapproved``)."""
    out = set()
    for key in CITATION_KEYS:
        value = entry.meta.get(key)
        if isinstance(value, str) and value.strip() and value.strip() != "unapproved":
            out.add(value.strip())
    return out
