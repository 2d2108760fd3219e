"""The apportionment engine (分摊): split an amount in integer fen over the units a scope names.

A repair's cost is shared by the owners concerned — a building, an entrance, the whole compound or a
list of units — by their exclusive-area share (住宅专项维修资金管理办法 令第165号 第20/21条; 民法典 第283条
for common revenue). Units the developer has not sold or not delivered keep their share: it is the
developer's (第20/21条), flagged by ``register.developer_mask`` so reports can show the developer's part.

Scopes (the ``apportion`` metadata of a posting, docs/ledger-conventions.md):

* ``all`` · ``building:3`` · ``entrance:3-2`` · ``units:3-2-1502,3-2-1503`` — by exclusive area;
* ``by-balance`` — by each unit's sub-ledger balance (interest and fund income, 第26条);
* ``first-deposit`` — each unit its register first deposit (the opening of the fund).

Rounding is the largest-remainder method with ties broken by register position, so the parts always sum
exactly to the total and the result is the same on every run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from commonfund.register import HouseholdRegister

Fen = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]

AREA_SCOPES = ("all", "building", "entrance", "units")
WEIGHT_SCOPES = ("by-balance", "first-deposit")
_INT64_SAFE = 2**62


def largest_remainder(total_fen: int, weights: npt.ArrayLike) -> Fen:
    """Split *total_fen* into int64 parts proportional to *weights*, summing exactly to the total.

    Each part is the floor of its exact quota; the fen left over go one each to the largest remainders,
    ties to the earlier position. A negative total is split like its absolute value, negated.

    >>> largest_remainder(1, [1, 1, 1]).tolist()
    [1, 0, 0]
    >>> largest_remainder(100, [1, 2]).tolist()
    [33, 67]

    Raises ValueError for negative weights, or weights summing to zero with a non-zero total.
    """
    total = int(total_fen)
    w = np.asarray(weights)
    if w.ndim != 1:
        raise ValueError("weights must be one-dimensional")
    if w.size and not np.issubdtype(w.dtype, np.integer):
        raise ValueError("weights must be integers (fen, 0.01 ㎡)")
    w = w.astype(np.int64, copy=False)
    if w.size and int(w.min()) < 0:
        raise ValueError("weights must not be negative")
    if total == 0:
        return np.zeros(w.size, dtype=np.int64)
    if total < 0:
        return -largest_remainder(-total, w)
    weight_sum = int(w.sum(dtype=np.int64)) if w.size else 0
    if weight_sum <= 0:
        raise ValueError(f"cannot split {total} fen over weights that sum to zero")
    if total * int(w.max()) < _INT64_SAFE and weight_sum < _INT64_SAFE:
        product = w * np.int64(total)
        floor = product // weight_sum
        remainder = product - floor * weight_sum
    else:  # exact, with Python integers: only for extreme totals or by-balance weights
        exact = [int(x) * total for x in w.tolist()]
        floor = np.array([x // weight_sum for x in exact], dtype=np.int64)
        leftover = total - int(floor.sum())
        order = sorted(range(w.size), key=lambda i: (-(exact[i] % weight_sum), i))
        floor[order[:leftover]] += 1
        return floor
    leftover = total - int(floor.sum())
    if leftover:
        ranked = np.lexsort((np.arange(w.size), -remainder))
        floor[ranked[:leftover]] += 1
    return floor


def scope_mask(register: HouseholdRegister, scope: str) -> Mask:
    """The units an area scope names, as a boolean mask aligned with the register.

    ``all``/``by-balance``/``first-deposit`` name every unit. Raises ValueError naming the scope if it is
    malformed or names no unit (or, for ``units:``, names a unit the register does not have).
    """
    kind, _, arg = scope.strip().partition(":")
    arg = arg.strip()
    n = len(register)
    if kind in ("all", *WEIGHT_SCOPES) and not arg:
        mask = np.ones(n, dtype=np.bool_)
    elif kind == "building" and arg:
        mask = register.buildings == arg
    elif kind == "entrance" and arg:
        mask = register.entrances == arg
    elif kind == "units" and arg:
        mask = np.zeros(n, dtype=np.bool_)
        for unit in (u.strip() for u in arg.split(",")):
            index = register.index.get(unit)
            if index is None:
                raise ValueError(f"apportion scope {scope!r} names unit {unit!r}, which is not in the register")
            mask[index] = True
    else:
        raise ValueError(
            f"apportion scope {scope!r} is not one of all, building:N, entrance:N-M, units:a,b,c, "
            "by-balance, first-deposit"
        )
    if not mask.any():
        raise ValueError(f"apportion scope {scope!r} names no unit of the register")
    return mask


def scope_weights(
    register: HouseholdRegister, scope: str, balances: npt.NDArray[np.int64] | None = None
) -> npt.NDArray[np.int64]:
    """The integer weights of a scope: area (0.01 ㎡) inside the scope and 0 outside; first deposits for
    ``first-deposit``; positive sub-ledger balances for ``by-balance`` (falling back to area when no
    unit has a positive balance, e.g. before the first deposit)."""
    kind = scope.strip().partition(":")[0]
    mask = scope_mask(register, scope)
    if kind == "first-deposit":
        weights = register.deposit_fen
        if int(weights.sum()) > 0:
            return weights
        return register.area_centi
    if kind == "by-balance":
        if balances is None:
            raise ValueError("apportion scope 'by-balance' needs the sub-ledger balances")
        positive = np.maximum(np.asarray(balances, dtype=np.int64), 0)
        if int(positive.sum()) > 0:
            return positive
        return register.area_centi
    return np.where(mask, register.area_centi, 0).astype(np.int64)


def apportion(
    register: HouseholdRegister, total_fen: int, scope: str,
    balances: npt.NDArray[np.int64] | None = None,
) -> Fen:
    """Split *total_fen* over the units of *scope* (see the module doc); parts sum exactly to the total.

    Units outside the scope get 0. Unsold/undelivered units inside it keep their share, which the
    developer owes (第20/21条): ``developer_share(register, parts)`` sums it.
    """
    return largest_remainder(total_fen, scope_weights(register, scope, balances))


def developer_share(register: HouseholdRegister, parts: Fen) -> int:
    """The fen of *parts* that fall on units the developer holds (unsold or undelivered, 第20/21条)."""
    return int(parts[register.developer_mask].sum())
