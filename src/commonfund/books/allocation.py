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
    from commonfund.register.model import HouseholdRegister

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
        return _split_int64(total, w, weight_sum)
    # exact, with Python integers: only for extreme totals or by-balance weights
    exact = [int(x) * total for x in w.tolist()]
    floor = np.array([x // weight_sum for x in exact], dtype=np.int64)
    leftover = total - int(floor.sum())
    order = sorted(range(w.size), key=lambda i: (-(exact[i] % weight_sum), i))
    floor[order[:leftover]] += 1
    return floor


def _split_int64(total: int, w: Fen, weight_sum: int, descending: Fen | None = None) -> Fen:
    """The largest-remainder split of a positive *total* when ``total × max(w)`` fits in int64.

    The fen left over go to the largest remainders, ties to the earlier position, found with a partition
    (linear) rather than a sort: ranked by ``remainder × size + (size − 1 − position)``, a key unique per
    unit that orders like (remainder, earlier position), the units at or above the leftover-th largest key
    get one fen each. *descending*: ``size − 1 … 0`` if the caller keeps it (:class:`Weights`).
    """
    product = w * np.int64(total)
    floor = product // weight_sum
    remainder = product - floor * weight_sum
    leftover = total - int(floor.sum())
    size = remainder.size
    if leftover == 1:
        floor[int(remainder.argmax())] += 1  # argmax: the first of equal maxima
    elif leftover and weight_sum * size < _INT64_SAFE:
        key = remainder * size
        key += np.arange(size - 1, -1, -1, dtype=np.int64) if descending is None else descending
        kth = size - leftover
        floor += key >= np.partition(key, kth)[kth]
    elif leftover:
        kth = size - leftover
        threshold = np.partition(remainder, kth)[kth]
        above = remainder > threshold
        floor += above
        ties = np.flatnonzero(remainder == threshold)[: leftover - int(np.count_nonzero(above))]
        floor[ties] += 1
    return floor


class Weights:
    """Integer weights prepared for many splits: validated once, zero weights left out of the arithmetic.

    ``split(total)`` equals ``largest_remainder(total, weights)`` (a unit of weight 0 gets 0 either way:
    the fen left over never reach a zero remainder) at a cost in the units that carry weight.

    Attributes:
      size: The number of units; ``index`` the positions with a positive weight (None: all of them);
        ``values`` their weights; ``total`` and ``largest`` their sum and maximum.
    """

    __slots__ = ("_descending", "index", "largest", "size", "total", "values")

    def __init__(self, weights: npt.ArrayLike) -> None:
        w = np.asarray(weights)
        if w.ndim != 1 or (w.size and not np.issubdtype(w.dtype, np.integer)):
            raise ValueError("weights must be one-dimensional integers (fen, 0.01 ㎡)")
        w = w.astype(np.int64, copy=False)
        if w.size and int(w.min()) < 0:
            raise ValueError("weights must not be negative")
        self.size = int(w.size)
        positive = w > 0
        self.index: npt.NDArray[np.intp] | None = None
        if not positive.all():
            self.index = np.flatnonzero(positive)
            w = w[self.index]
        self.values: Fen = w
        self.total = int(w.sum(dtype=np.int64)) if w.size else 0
        self.largest = int(w.max()) if w.size else 0
        self._descending: Fen | None = None

    @classmethod
    def of_scope(cls, register: HouseholdRegister, scope: str) -> Weights:
        """``Weights(scope_weights(register, scope))`` for an area scope, built without a full-size mask for
        ``units:`` (a few units of a large register). Raises ValueError like :func:`scope_mask`."""
        kind, _, arg = scope.strip().partition(":")
        if kind != "units" or not arg.strip():
            return cls(scope_weights(register, scope))
        index = np.array(sorted(set(_unit_indexes(register, scope, arg.strip()))), dtype=np.intp)
        area = register.area_centi[index]
        weights = cls(np.zeros(0, dtype=np.int64))
        weights.size = len(register)
        weights.index = index[area > 0]
        weights.values = area[area > 0].astype(np.int64, copy=False)
        weights.total = int(weights.values.sum(dtype=np.int64)) if weights.values.size else 0
        weights.largest = int(weights.values.max()) if weights.values.size else 0
        weights._descending = None
        return weights

    def split(self, total_fen: int) -> Fen:
        """*total_fen* split over the weights (largest remainder), int64 aligned with the units."""
        total = int(total_fen)
        if total == 0:
            return np.zeros(self.size, dtype=np.int64)
        if self.total <= 0:
            raise ValueError(f"cannot split {abs(total)} fen over weights that sum to zero")
        amount = abs(total)
        if amount * self.largest < _INT64_SAFE and self.total < _INT64_SAFE:
            if self._descending is None:
                self._descending = np.arange(self.values.size - 1, -1, -1, dtype=np.int64)
            parts = _split_int64(amount, self.values, self.total, self._descending)
        else:
            parts = largest_remainder(amount, self.values)
        if total < 0:
            np.negative(parts, out=parts)
        if self.index is None:
            return parts
        out = np.zeros(self.size, dtype=np.int64)
        out[self.index] = parts
        return out


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
        mask[_unit_indexes(register, scope, arg)] = True
    else:
        raise ValueError(
            f"apportion scope {scope!r} is not one of all, building:N, entrance:N-M, units:a,b,c, "
            "by-balance, first-deposit"
        )
    if not mask.any():
        raise ValueError(f"apportion scope {scope!r} names no unit of the register")
    return mask


def _unit_indexes(register: HouseholdRegister, scope: str, arg: str) -> list[int]:
    """The register positions a ``units:a,b,c`` scope names (ValueError for a unit it does not have)."""
    indexes = []
    for unit in (u.strip() for u in arg.split(",")):
        index = register.index.get(unit)
        if index is None:
            raise ValueError(f"apportion scope {scope!r} names unit {unit!r}, which is not in the register")
        indexes.append(index)
    return indexes


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
