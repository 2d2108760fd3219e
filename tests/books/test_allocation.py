"""The apportionment engine: exact sums, deterministic ties, scopes, the developer's share."""

from __future__ import annotations

import random
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import SMALL_REGISTER

from commonfund.books.allocation import (
    Weights,
    apportion,
    developer_share,
    largest_remainder,
    scope_mask,
    scope_weights,
)
from commonfund.register.model import parse_register


def register_of(text: str = SMALL_REGISTER):  # type: ignore[no-untyped-def]
    return parse_register(((i, line.split(",")) for i, line in enumerate(text.splitlines(), 1)), "r.csv")


def test_one_fen_over_three_equal_units_goes_to_the_first() -> None:
    assert largest_remainder(1, [100, 100, 100]).tolist() == [1, 0, 0]
    assert largest_remainder(2, [100, 100, 100]).tolist() == [1, 1, 0]
    assert largest_remainder(-1, [100, 100, 100]).tolist() == [-1, 0, 0]


def test_one_fen_over_three_unequal_units_goes_to_the_largest_remainder() -> None:
    # quotas 0.25, 0.35, 0.40 of a fen: the 0.40 one gets it.
    assert largest_remainder(1, [25, 35, 40]).tolist() == [0, 0, 1]


def test_hundred_thousand_yuan_over_3237_awkward_areas() -> None:
    rng = random.Random(3237)
    areas = np.array([rng.randint(4000, 18000) + rng.choice((0, 1, 7, 33)) for _ in range(3237)], dtype=np.int64)
    total = 10_000_000  # ¥100,000.00 in fen
    parts = largest_remainder(total, areas)
    assert parts.dtype == np.int64 and int(parts.sum()) == total
    quotas = [Fraction(total * int(a), int(areas.sum())) for a in areas]
    assert all(abs(int(p) - q) < 1 for p, q in zip(parts, quotas, strict=True))
    assert np.array_equal(parts, largest_remainder(total, areas))


def test_extreme_totals_use_exact_integers() -> None:
    parts = largest_remainder(10**15, [3 * 10**6, 1, 2**40])
    assert int(parts.sum()) == 10**15


@given(st.integers(min_value=-10**9, max_value=10**12),
       st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=60).filter(lambda w: sum(w) > 0))
def test_largest_remainder_property(total: int, weights: list[int]) -> None:
    parts = largest_remainder(total, weights)
    assert int(parts.sum()) == total
    weight_sum = sum(weights)
    for part, weight in zip(parts.tolist(), weights, strict=True):
        assert abs(part - Fraction(total * weight, weight_sum)) < 1
        if weight == 0:
            assert part == 0
    assert parts.tolist() == largest_remainder(total, weights).tolist()


def reference_split(total: int, weights: list[int]) -> list[int]:
    """Largest remainder as the law reads, with Python integers and a full sort: floors, then one fen each to
    the largest remainders, ties to the earlier position; a negative total like its absolute value, negated."""
    if total < 0:
        return [-p for p in reference_split(-total, weights)]
    weight_sum = sum(weights)
    parts = [total * w // weight_sum for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % weight_sum), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


@given(st.integers(min_value=-10**9, max_value=10**12),
       st.lists(st.sampled_from([0, 1, 2, 7, 100, 12_345, 2**40, 2**58]), min_size=1, max_size=40)
       .filter(lambda w: sum(w) > 0))
def test_split_matches_the_sorted_reference_and_prepared_weights(total: int, weights: list[int]) -> None:
    # Few distinct weights make many equal remainders: the tie rule decides most of the fen.
    expected = reference_split(total, weights)
    assert largest_remainder(total, weights).tolist() == expected
    assert Weights(np.array(weights, dtype=np.int64)).split(total).tolist() == expected


def test_prepared_weights_of_a_scope_equal_the_scope_weights() -> None:
    register = register_of()
    for scope in ("all", "building:2", "entrance:1-2", "units:1-1-101, 2-1-102", "units:2-1-102,1-1-101,2-1-102",
                  "first-deposit"):
        prepared = Weights.of_scope(register, scope)
        for total in (0, 1, -1, 99_99, -12_345_67):
            assert prepared.split(total).tolist() == largest_remainder(total, scope_weights(register, scope)).tolist()
    for bad in ("units:9-9-999", "units:,", "units: "):
        with pytest.raises(ValueError, match="apportion scope"):
            Weights.of_scope(register, bad)
    with pytest.raises(ValueError, match="sum to zero"):
        Weights(np.zeros(3, dtype=np.int64)).split(5)


def test_bad_weights_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        largest_remainder(10, [1, -1])
    with pytest.raises(ValueError, match="sum to zero"):
        largest_remainder(10, [0, 0])
    assert largest_remainder(0, [0, 0]).tolist() == [0, 0]


def test_scopes() -> None:
    register = register_of()
    assert scope_mask(register, "all").tolist() == [True] * 5
    assert scope_mask(register, "building:2").tolist() == [False, False, False, True, True]
    assert scope_mask(register, "entrance:1-2").tolist() == [False, False, True, False, False]
    assert scope_mask(register, "units:1-1-101, 2-1-102").tolist() == [True, False, False, False, True]
    for bad in ("building:9", "entrance:3-1", "units:9-9-999", "floor:3", "building:"):
        with pytest.raises(ValueError, match=repr(bad).replace("[", r"\[")):
            scope_mask(register, bad)


def test_apportion_by_area_within_scope_and_developer_share() -> None:
    register = register_of()
    parts = apportion(register, 100_00, "building:2")  # ¥100 over 90 ㎡ and 110 ㎡ (developer's, unsold)
    assert parts.tolist() == [0, 0, 0, 4500, 5500]
    assert developer_share(register, parts) == 5500
    everyone = apportion(register, 1, "all")
    assert everyone.tolist() == [0, 0, 1, 0, 0]  # 120 ㎡ has the largest remainder


def test_first_deposit_and_by_balance() -> None:
    register = register_of()
    assert apportion(register, 50_000_00, "first-deposit").tolist() == [1_000_000, 800_000, 1_200_000, 900_000,
                                                                         1_100_000]
    balances = np.array([100, 0, -50, 300, 0], dtype=np.int64)
    assert apportion(register, 8, "by-balance", balances).tolist() == [2, 0, 0, 6, 0]
    with pytest.raises(ValueError, match="balances"):
        apportion(register, 8, "by-balance")
