"""The nucleolus of a cost-sharing game: the split no group of partners can fairly object to.

A split ``x`` of the grand coalition's cost ``v(N)`` makes each coalition ``S``
*overpay* by ``x(S) - v(S)`` (its excess). The nucleolus makes the largest excess
as small as it can be, then, among the splits that do, the next largest, and so
on. It is unique, and it lies in the core (no group pays more than its own
network would cost) whenever the core is not empty; the first of those
minimised excesses is the *least-core value* (at most 0 exactly when the core is
not empty).

Only the coalitions priced count: ``costs`` may hold every coalition (the exact
nucleolus) or a family of them holding at least each partner alone (the
nucleolus of the game restricted to that family, as constraint generation uses).

Notes
-----
Sequential linear programmes on HiGHS (through SciPy) in the manner of
Maschler, Peleg and Shapley. Each programme minimises the largest excess ``t``
over the coalitions not yet fixed, the fixed ones held at their levels. Then the
coalitions fixed at this level are exactly those with a positive dual value:
complementary slackness makes them tight in *every* optimal split, whereas a
constraint merely tight at the optimum the solver returned may not be (fixing
those is the classic mistake, Guajardo & Jörnsten 2015). The duals of the ``t``
rows add up to one, so each programme fixes at least one coalition. A
coalition whose indicator lies in the span of the fixed ones (and the grand
coalition) has its excess settled too and leaves the programme. Once the fixed
coalitions span every partner the split is unique; it is then solved again in
exact rational arithmetic from the levels' equations, so the shares are exactly
what the integer costs imply, not floating-point approximations.

At most ``n`` programmes of ``|costs|`` rows and ``n + 1`` columns each:
milliseconds for 4,095 coalitions of 12 partners.

References
----------
D. Schmeidler, "The nucleolus of a characteristic function game", 1969.
M. Maschler, B. Peleg, L. S. Shapley, "Geometric properties of the kernel,
nucleolus and related solution concepts", 1979.
M. Guajardo, K. Jörnsten, "Common mistakes in computing the nucleolus",
European Journal of Operational Research 241 (2015).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

__all__ = ["Nucleolus", "nucleolus", "excess", "largest_excess"]

#: Dual values and residuals below this (on costs scaled to the grand coalition's) count as nil.
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Nucleolus:
    """The nucleolus ``shares`` (player order, exact) and the least-core value (exact, in cost units)."""

    shares: tuple[Fraction, ...]
    least_core: Fraction
    levels: int


def excess(mask: int, shares: Sequence, cost: int):
    """What the coalition ``mask`` pays under ``shares`` above its ``cost`` (negative: it pays less).

    >>> excess(0b11, [4, 4], 7)
    1
    """
    return sum(share for i, share in enumerate(shares) if mask >> i & 1) - cost


def largest_excess(players: int, costs: Mapping[int, int], shares: list[int] | tuple) -> int | Fraction:
    """The most any coalition of ``costs`` (bit masks, grand coalition left out) pays above its cost.

    >>> largest_excess(2, {1: 5, 2: 5, 3: 8}, [4, 4])
    -1
    """
    grand = (1 << players) - 1
    return max((excess(mask, shares, cost) for mask, cost in costs.items() if mask != grand), default=0)


def nucleolus(players: int, costs: Mapping[int, int]) -> Nucleolus:
    """The nucleolus of the cost game ``costs`` (bit mask over ``players`` → cost) and its least-core value.

    ``costs`` must hold the grand coalition and every player alone; other coalitions not
    in it are left out of the game (see the module notes).

    >>> n = nucleolus(3, {1: 6, 2: 6, 4: 6, 3: 8, 5: 8, 6: 8, 7: 9})
    >>> [str(s) for s in n.shares], n.least_core
    (['3', '3', '3'], Fraction(-2, 1))
    """
    grand = (1 << players) - 1
    missing = [i for i in range(players) if 1 << i not in costs]
    if grand not in costs or missing:
        raise ValueError("the costs must include the grand coalition's and each player's alone")
    if players == 1:
        return Nucleolus((Fraction(costs[grand]),), Fraction(0), 0)
    scale = max(1, max(abs(c) for c in costs.values()))
    free = [mask for mask in costs if 0 < mask < grand]
    indicator = {mask: np.array([mask >> i & 1 for i in range(players)], dtype=float) for mask in free}
    spanned = [np.ones(players)]  # the grand coalition's row, then each fixed coalition's
    fixed: list[tuple[int, int]] = []  # (coalition, level) for every coalition fixed by a positive dual
    level_values: list[float] = []
    while free and np.linalg.matrix_rank(np.array(spanned)) < players:
        t, binding = _level(players, costs, scale, free, indicator, fixed, level_values)
        level = len(level_values)
        level_values.append(t)
        for mask in binding:
            fixed.append((mask, level))
            spanned.append(indicator[mask])
        vectors, sizes, _ = np.linalg.svd(np.array(spanned).T, full_matrices=False)
        basis = vectors[:, sizes > _TOLERANCE * sizes[0]]
        rows = np.array([indicator[m] for m in free if m not in binding]).reshape(-1, players)
        residual = np.linalg.norm(rows - rows @ basis @ basis.T, axis=1)
        free = [m for m, r in zip((m for m in free if m not in binding), residual, strict=True) if r > _TOLERANCE]
    shares, levels = _exact(players, costs, fixed, len(level_values))
    return Nucleolus(tuple(shares), levels[0] if levels else Fraction(0), len(levels))


def _level(
    players: int,
    costs: Mapping[int, int],
    scale: int,
    free: list[int],
    indicator: dict[int, np.ndarray],
    fixed: list[tuple[int, int]],
    level_values: list[float],
) -> tuple[float, list[int]]:
    """One programme: the least largest excess ``t`` of the free coalitions and those fixed at it."""
    from scipy.optimize import linprog

    grand = (1 << players) - 1
    a_ub = np.hstack([np.array([indicator[m] for m in free]), -np.ones((len(free), 1))])
    b_ub = np.array([costs[m] / scale for m in free])
    a_eq = [np.append(np.ones(players), 0.0)] + [np.append(indicator[m], 0.0) for m, _ in fixed]
    b_eq = [costs[grand] / scale] + [costs[m] / scale + level_values[k] for m, k in fixed]
    result = linprog(
        c=np.append(np.zeros(players), 1.0),
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=np.array(a_eq),
        b_eq=np.array(b_eq),
        bounds=[(None, None)] * (players + 1),
        method="highs",
    )
    if result.status != 0:
        raise RuntimeError(f"nucleolus linear programme failed: {result.message}")
    duals = -result.ineqlin.marginals
    binding = [m for m, y in zip(free, duals, strict=True) if y > _TOLERANCE]
    if not binding:  # the duals add up to one: numerically, take the largest
        binding = [free[int(np.argmax(duals))]]
    return float(result.fun), binding


def _exact(
    players: int, costs: Mapping[int, int], fixed: list[tuple[int, int]], levels: int
) -> tuple[list[Fraction], list[Fraction]]:
    """Shares and levels solved exactly from ``x(S) - t_level = v(S)`` for the fixed coalitions, ``x(N) = v(N)``."""
    grand = (1 << players) - 1
    width = players + levels
    rows = [[Fraction(1)] * players + [Fraction(0)] * levels + [Fraction(costs[grand])]]
    for mask, level in fixed:
        row = [Fraction(mask >> i & 1) for i in range(players)] + [Fraction(0)] * levels + [Fraction(costs[mask])]
        row[players + level] = Fraction(-1)
        rows.append(row)
    solution = _solve(rows, width)
    return solution[:players], solution[players:]


def _solve(rows: list[list[Fraction]], width: int) -> list[Fraction]:
    """The unique solution of the augmented rows (Gauss–Jordan over the rationals)."""
    pivots: list[int] = []
    rank = 0
    for column in range(width):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][column] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        lead = rows[rank][column]
        rows[rank] = [value / lead for value in rows[rank]]
        for r in range(len(rows)):
            if r != rank and rows[r][column] != 0:
                factor = rows[r][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        pivots.append(column)
        rank += 1
    if rank < width or any(row[-1] != 0 for row in rows[rank:]):
        raise RuntimeError("the nucleolus levels do not determine a unique split")
    return [rows[pivots.index(column)][-1] for column in range(width)]
