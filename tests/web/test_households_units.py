"""The 房号 search box's suggestions (units.json): what was typed first as a prefix, then anywhere, a few at a time."""

from __future__ import annotations

from commonfund.web.fava_ext.households_view import units_matching

UNITS = tuple(f"{b}-{e}-{f}0{d}" for b in (1, 2, 12) for e in (1, 2) for f in range(1, 4) for d in (1, 2))


def test_prefix_first_then_anywhere_in_register_order() -> None:
    found, more = units_matching(UNITS, "2-", limit=100)
    starts = [u for u in UNITS if u.startswith("2-")]
    assert found[:len(starts)] == starts
    assert found[len(starts):] == [u for u in UNITS if "2-" in u and not u.startswith("2-")]
    assert "12-1-101" in found and not more


def test_a_few_at_a_time() -> None:
    found, more = units_matching(UNITS, "", limit=5)
    assert found == list(UNITS[:5]) and more
    found, more = units_matching(UNITS, " 12-2-302 ", limit=5)
    assert found == ["12-2-302"] and not more
    assert units_matching(UNITS, "9-9", limit=5) == ([], False)


def test_exactly_the_limit_is_not_more() -> None:
    found, more = units_matching(UNITS[:5], "", limit=5)
    assert found == list(UNITS[:5]) and not more
