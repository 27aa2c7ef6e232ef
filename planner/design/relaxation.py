"""The cut LP relaxation, solved by separating cuts and pricing links, with a dual proof.

The linear programme is ``min c x`` over ``0 <= x <= 1`` subject to every cut of
:mod:`planner.design.cuts`. It starts with the degree cuts and each site's cheapest
links, and grows: violated cuts are separated and added, links whose reduced cost
is negative are priced in, until neither is found.

Every round yields a *proven* lower bound from the LP duals alone. For any duals
``y >= 0`` of ``>=`` rows, weak duality with the bounds ``0 <= x <= 1`` gives

    optimum >= b·y + Σ_e min(0, c_e - a_e·y)

over every candidate link ``e`` (in the LP or not), so the bound does not depend on
the LP solver's tolerances, on having priced every link, or on having found every
violated cut. The same reduced costs ``d_e = c_e - a_e·y`` prove that a link with
``bound + d_e >= upper`` is in no design cheaper than ``upper``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import highspy
import numpy as np
from scipy.sparse import csc_matrix, csr_matrix

from planner.design.control import Control
from planner.design.cuts import Arrays, Cut, SetCut, families, separate, site_risk_cuts
from planner.design.hierarchy import link_count_cuts
from planner.design.highs import new_highs

__all__ = [
    "CutLP",
    "Relaxation",
    "solve_relaxation",
    "proven_bound",
    "ROOT_SKIPS",
    "add_columns",
    "add_rows",
    "add_cut_rows",
]

#: Links each site brings into the first LP (the rest are priced in when they pay).
_START_NEIGHBOURS = 10
#: Families left to the integer programme: on regional instances hop cuts raise the
#: root bound by under 0.1% (the link count of :func:`~planner.design.hierarchy.minimum_links` does far more) and
#: cost dozens of LP rounds; :func:`planner.design.hierarchy.hop_forest` enforces them.
ROOT_SKIPS = frozenset({"hops"})
#: At most this many links priced in per round.
_PRICE_BATCH = 400


def add_columns(highs: highspy.Highs, cost: np.ndarray, matrix: csc_matrix | None = None) -> None:
    """Append columns ``0 <= x <= 1`` with ``cost`` and (optionally) coefficients in existing rows."""
    count = len(cost)
    if matrix is None:
        starts, index, value = np.zeros(count), np.zeros(0), np.zeros(0)
    else:
        starts, index, value = matrix.indptr[:-1], matrix.indices, matrix.data
    highs.addCols(
        count,
        np.asarray(cost, dtype=float),
        np.zeros(count),
        np.ones(count),
        len(index),
        starts.astype(np.int32),
        index.astype(np.int32),
        value.astype(float),
    )


def add_rows(highs: highspy.Highs, matrix: csr_matrix, lower: np.ndarray, upper: np.ndarray) -> None:
    """Append rows ``lower <= matrix @ x <= upper``."""
    highs.addRows(
        matrix.shape[0],
        np.asarray(lower, dtype=float),
        np.asarray(upper, dtype=float),
        matrix.nnz,
        matrix.indptr[:-1].astype(np.int32),
        matrix.indices.astype(np.int32),
        matrix.data.astype(float),
    )


def add_cut_rows(highs: highspy.Highs, arrays: Arrays, cuts: list[Cut], columns: np.ndarray) -> None:
    """Append one ``>=`` row per cut over the link columns ``columns``."""
    matrix = csr_matrix(np.array([cut.coefficients(arrays, columns) for cut in cuts]).reshape(len(cuts), -1))
    add_rows(highs, matrix, [cut.rhs for cut in cuts], np.full(len(cuts), highspy.kHighsInf))


def proven_bound(certificate: float) -> int:
    """The whole-pence bound a float dual certificate proves (costs are whole pence)."""
    return math.ceil(certificate - 1e-9 * abs(certificate) - 1e-6)


@dataclass
class Relaxation:
    """Where the cut LP stopped.

    ``bound`` is proven (see the module notes); ``reduced`` are the reduced costs of
    every link under the duals that prove it; ``complete`` says the LP optimum over
    every cut and link was reached rather than the time limit.
    """

    bound: int
    certificate: float
    x: np.ndarray
    reduced: np.ndarray
    complete: bool
    rounds: int


class CutLP:
    """The LP over a growing set of links (columns) and cuts (rows), kept warm in HiGHS.

    Parameters
    ----------
    arrays : Arrays
        The candidate graph.
    links : array of link ids
        Links to start with; each required site's cheapest links are added.
    """

    def __init__(self, arrays: Arrays, links: np.ndarray = ()):
        self.arrays = arrays
        self.highs = new_highs()
        self.columns: list[int] = []
        self.column_of = np.full(arrays.m, -1, dtype=np.int64)
        self.cuts: list[Cut] = []
        self._keys: set[tuple] = set()
        self.add_links(np.union1d(np.asarray(links, dtype=np.int64), self._cheapest_links()))
        k = 1 if arrays.problem.redundancy == "tree" else 2
        degrees = []
        for node in np.flatnonzero(arrays.required):
            side = np.zeros(arrays.n, dtype=bool)
            side[node] = True
            degrees.append(SetCut(side, k, "connect"))
        self.add_cuts(degrees + link_count_cuts(arrays.problem) + site_risk_cuts(arrays))

    def _cheapest_links(self) -> np.ndarray:
        arrays = self.arrays
        if arrays.m <= _START_NEIGHBOURS * arrays.n:
            return np.arange(arrays.m)
        chosen = [at[np.argsort(arrays.cost[at], kind="stable")[:_START_NEIGHBOURS]] for at in arrays.incident]
        return np.unique(np.concatenate(chosen))

    # -- growing the LP ---------------------------------------------------------------
    def add_links(self, links: np.ndarray) -> int:
        """Add links not yet in the LP as columns; return how many were new."""
        links = np.asarray(links, dtype=np.int64)
        links = np.unique(links[self.column_of[links] < 0])
        if not len(links):
            return 0
        coefs = np.zeros((len(self.cuts), len(links)))
        for i, cut in enumerate(self.cuts):
            coefs[i] = cut.coefficients(self.arrays, links)
        add_columns(self.highs, self.arrays.cost[links], csc_matrix(coefs))
        self.column_of[links] = np.arange(len(self.columns), len(self.columns) + len(links))
        self.columns += links.tolist()
        return len(links)

    def add_cuts(self, cuts: list[Cut]) -> int:
        """Add cuts not yet in the LP as rows; return how many were new."""
        fresh = []
        for cut in cuts:
            if cut.key not in self._keys:
                self._keys.add(cut.key)
                fresh.append(cut)
        if not fresh:
            return 0
        add_cut_rows(self.highs, self.arrays, fresh, np.array(self.columns, dtype=np.int64))
        self.cuts += fresh
        return len(fresh)

    # -- solving ----------------------------------------------------------------------
    def solve(self, control: Control) -> np.ndarray:
        """Solve the current LP; return its point over every link (0 off the LP)."""
        self.highs.setOptionValue("time_limit", max(0.01, control.remaining()))
        self.highs.run()
        solution = self.highs.getSolution()
        x = np.zeros(self.arrays.m)
        x[self.columns] = np.clip(np.asarray(solution.col_value), 0.0, 1.0)
        self._duals = np.maximum(0.0, np.asarray(solution.row_dual, dtype=float))
        return x

    @property
    def optimal(self) -> bool:
        return self.highs.getModelStatus() == highspy.HighsModelStatus.kOptimal

    def certificate(self) -> tuple[float, np.ndarray]:
        """The dual bound of the last solve and the reduced cost of every link."""
        arrays = self.arrays
        every = np.arange(arrays.m)
        reduced = arrays.cost.astype(float)
        bound = 0.0
        for cut, y in zip(self.cuts, self._duals, strict=True):
            if y > 0:
                reduced -= y * cut.coefficients(arrays, every)
                bound += y * cut.rhs
        return bound + float(np.minimum(reduced, 0.0).sum()), reduced


def solve_relaxation(lp: CutLP, control: Control, max_rounds: int = 10_000) -> Relaxation:
    """Separate and price until the LP is optimal over every cut and link, or time runs out.

    Returns the best proven bound seen (every round proves one) and the last LP point.
    Hop cuts are not separated here (see :data:`ROOT_SKIPS`), so ``complete`` means
    optimal over the other families.

    Notes
    -----
    Each round is one warm-started dual simplex solve, one separation round (see
    :func:`planner.design.cuts.separate`) and, when no cut is violated, one pricing
    pass over all ``m`` links against the cuts with positive duals.
    """
    best = (-math.inf, None)
    names = [name for name in families(lp.arrays.problem) if name not in ROOT_SKIPS]
    x = np.zeros(lp.arrays.m)
    complete = False
    rounds = 0
    while rounds < max_rounds and not control.expired():
        control.check()
        rounds += 1
        x = lp.solve(control)
        if not lp.optimal:
            break
        certificate, reduced = lp.certificate()
        if certificate > best[0]:
            best = (certificate, reduced)
        if lp.add_cuts(separate(lp.arrays, x, names)):
            continue
        outside = np.flatnonzero((lp.column_of < 0) & (reduced < -1e-6 * np.maximum(1.0, lp.arrays.cost)))
        if len(outside):
            lp.add_links(outside[np.argsort(reduced[outside])[:_PRICE_BATCH]])
            continue
        complete = True
        break
    certificate, reduced = best
    if reduced is None:
        reduced = lp.arrays.cost.astype(float)
        certificate = 0.0
    return Relaxation(proven_bound(certificate), certificate, x, reduced, complete, rounds)
