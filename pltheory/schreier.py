"""Orders, membership and point stabilisers of permutation groups, from their generators.

sympy's Schreier-Sims is exact but its cost grows steeply with the degree (S_100 from two
generators takes 70 s; a cyclic group of degree 100,000 needs tens of GB for its
transversal). Before it is called, a group is split and recognised:

* **direct factors on disjoint points.** Generators that move a common point are joined;
  each connected component acts on its own points and the group is the direct product of
  the components ([`support_components`][pltheory.schreier.support_components]). Its order is the product of theirs.
* **one generator**: a cyclic group of order the lcm of the cycle lengths.
* **abelian and transitive**: the action is regular, so the order is the degree.
* **giants** (A_m and S_m): a transitive group of degree m containing an element with a
  cycle of prime length p, m/2 < p <= m - 3, is primitive (a block system would be
  preserved by the p-cycle that is a power of that element, which is impossible for a
  prime p larger than both the number and the size of the blocks) and hence, by Jordan's
  theorem, contains A_m. Such elements are searched among the generators and 100
  deterministic random elements (product replacement); finding one is a proof. Then the
  order is m! or m!/2 by the parity of the generators.
* everything else goes to sympy, on components of at most `SIMS_MAX_DEGREE` points;
  larger ones raise [`TooLargeError`][pltheory.errors.TooLargeError] (the orbit basis and
  the G-sets other than regular, cosets and conjugation never need the order).

Examples
--------
>>> import numpy as np
>>> transpositions = np.array([[1, 0, 2, 3], [0, 1, 3, 2]])   # (0 1), (2 3): C2 x C2
>>> group_order(transpositions)
4
>>> n = 1000                                                   # S_1000 from (0 1), (0 ... 999)
>>> gens = np.array([np.r_[1, 0, 2:n], np.roll(np.arange(n), -1)])
>>> group_order(gens) == __import__("math").factorial(n)
True
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from sympy import primerange
from sympy.combinatorics import Permutation, PermutationGroup

from .errors import TooLargeError
from .orbits import orbit_labels
from .permutations import cycle_lengths, is_even, permutation_order

#: Largest number of points a component may have for sympy's Schreier-Sims.
SIMS_MAX_DEGREE = 1024

#: Random elements (product replacement) searched for a long prime cycle.
GIANT_CANDIDATES = 100

#: Largest number of point comparisons spent deciding whether generators commute.
COMMUTE_WORK = 200_000_000


def support_components(gens: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """(generator indices, moved points) of each component of the relation "the generators
    move a common point", in order of their smallest generator; identity generators are
    left out. O(k d) for k generators of degree d.

    >>> gens = np.array([[1, 0, 2, 3, 4], [0, 1, 3, 4, 2], [0, 1, 2, 3, 4]])
    >>> print([(g.tolist(), p.tolist()) for g, p in support_components(gens)])
    [([0], [0, 1]), ([1], [2, 3, 4])]
    """
    k, d = gens.shape
    moved = sp.csr_matrix(gens != np.arange(d), dtype=np.int8)
    if moved.nnz == 0:
        return []
    # generators and points form a bipartite graph; its components are the factors
    graph = sp.bmat([[None, moved], [moved.T, None]]).tocsr()
    _, labels = connected_components(graph, directed=False)
    result = []
    gen_labels, point_labels = labels[:k], labels[k:]
    used = np.asarray(moved.sum(axis=1)).ravel() > 0
    for c in dict.fromkeys(gen_labels[used].tolist()):
        result.append((np.flatnonzero((gen_labels == c) & used), np.flatnonzero(point_labels == c)))
    return result


def restrict(gens: np.ndarray, points: np.ndarray) -> np.ndarray:
    """The generators as permutations of ``points`` (which they preserve), relabelled 0..m-1.

    >>> restrict(np.array([[0, 1, 3, 4, 2]]), np.array([2, 3, 4]))
    array([[1, 2, 0]])
    """
    relabel = np.full(gens.shape[1], -1, dtype=np.int64)
    relabel[points] = np.arange(points.size)
    return relabel[gens[:, points]]


def generators_commute(gens: np.ndarray, name: str = "G") -> bool:
    """Whether all generators commute; only pairs moving a common point are compared, on
    the union of their supports. Raises [`TooLargeError`][pltheory.errors.TooLargeError] beyond `COMMUTE_WORK`.

    >>> generators_commute(np.array([[1, 0, 2, 3], [0, 1, 3, 2]])), generators_commute(np.array([[1, 0, 2], [0, 2, 1]]))
    (True, False)
    """
    d = gens.shape[1]
    moved = sp.csr_matrix(gens != np.arange(d), dtype=np.int64)
    overlap = sp.triu(moved @ moved.T, k=1).tocoo()  # pairs of generators moving a common point
    sizes = np.asarray(moved.sum(axis=1)).ravel()
    work = int(np.sum(sizes[overlap.row] + sizes[overlap.col]))
    if work > COMMUTE_WORK:
        raise TooLargeError(f"deciding whether the {len(gens)} generators of {name} commute needs about "
                            f"{work:.2g} point comparisons, more than the limit {COMMUTE_WORK:.2g}")
    identity = np.arange(d)
    for i, j in zip(overlap.row.tolist(), overlap.col.tolist()):
        a, b = gens[i], gens[j]
        points = np.flatnonzero((a != identity) | (b != identity))
        if not np.array_equal(a[b[points]], b[a[points]]):
            return False
    return True


@lru_cache(maxsize=256)
def _long_primes(m: int) -> frozenset[int]:
    """Primes p with m/2 < p <= m - 3 (Jordan's theorem, module docstring)."""
    return frozenset(primerange(m // 2 + 1, m - 2))


def random_elements(gens: np.ndarray, count: int, seed: int = 0) -> list[np.ndarray]:
    """``count`` pseudo-random elements of `<gens>` by product replacement (deterministic
    for a given ``seed``; 50 warm-up steps are discarded).

    >>> print([g.tolist() for g in random_elements(np.array([[1, 0, 2], [1, 2, 0]]), 3)])
    [[2, 0, 1], [2, 1, 0], [1, 2, 0]]
    """
    rng = np.random.default_rng(seed)
    state = [gens[i % len(gens)].copy() for i in range(max(10, len(gens)))]
    accumulator = np.arange(gens.shape[1])
    found = []
    for step in range(50 + count):
        i, j = rng.choice(len(state), size=2, replace=False)
        other = state[j] if rng.random() < 0.5 else np.argsort(state[j])
        state[i] = state[i][other]
        accumulator = accumulator[state[i]]
        if step >= 50:
            found.append(accumulator.copy())
    return found


def giant_order(gens: np.ndarray) -> int | None:
    """|G| = m! or m!/2 if G (transitive on m points) is proven to contain A_m by an element
    with a cycle of prime length p, m/2 < p <= m - 3; None if no proof was found.

    >>> n = 11                                  # S_11 from (0 1) and (0 1 ... 10); p = 7
    >>> giant_order(np.array([np.r_[1, 0, 2:n], np.roll(np.arange(n), -1)])) == math.factorial(11)
    True
    >>> giant_order(np.array([[1, 2, 3, 0]])) is None      # no prime in (2, 1]
    True
    """
    m = gens.shape[1]
    primes = _long_primes(m)
    if not primes:
        return None
    for g in [*gens, *random_elements(gens, GIANT_CANDIDATES)]:
        if primes.intersection(cycle_lengths(g).tolist()):
            return math.factorial(m) // (2 if all(is_even(r) for r in gens) else 1)
    return None


def sympy_group(gens: np.ndarray, name: str) -> PermutationGroup:
    """The sympy PermutationGroup of ``gens``, refused beyond `SIMS_MAX_DEGREE` points
    ([`TooLargeError`][pltheory.errors.TooLargeError]).

    >>> sympy_group(np.array([[1, 2, 0]]), "C3").order()
    3
    """
    if gens.shape[1] > SIMS_MAX_DEGREE:
        raise TooLargeError(
            f"{name} needs Schreier-Sims on {gens.shape[1]} points, beyond the limit {SIMS_MAX_DEGREE} (sympy's "
            f"cost grows steeply with the degree); orders are known without it for direct products, cyclic, "
            f"abelian transitive, symmetric and alternating groups; the orbit basis never needs it"
        )
    return PermutationGroup([Permutation(g.tolist()) for g in gens])


def component_order(gens: np.ndarray, name: str = "G", *, quick: bool = False) -> int | None:
    """The order of the group generated by ``gens``, which together move every point: the
    order of a single generator, the degree of an abelian transitive group, m! or m!/2 for
    a proven giant, else Schreier-Sims (or None when ``quick``: only the cheap cases).

    >>> component_order(np.array([[1, 0, 2], [0, 2, 1]]))
    6
    """
    m = gens.shape[1]
    if len(gens) == 1:
        return permutation_order(gens[0])
    if orbit_labels(gens)[1] == 1:
        if generators_commute(gens, name):
            return m  # abelian and transitive: regular
        giant = giant_order(gens)
        if giant is not None:
            return giant
    return None if quick else int(sympy_group(gens, name).order())


def quick_order(gens: np.ndarray, name: str = "G") -> int | None:
    """|`<gens>`| when every support component is cyclic, abelian and transitive, or a proven
    giant ([`component_order`][pltheory.schreier.component_order] without Schreier-Sims),
    else None. O(k d) per component plus the giant test.

    >>> quick_order(np.array([[1, 2, 0, 3, 4], [0, 1, 2, 4, 3]]))     # C3 x C2
    6
    >>> print(quick_order(np.array([[1, 2, 3, 0], [0, 3, 2, 1]])))     # D4 on the square: Schreier-Sims
    None
    """
    gens = np.asarray(gens)
    orders = [component_order(restrict(gens[idx], points), name, quick=True)
              for idx, points in support_components(gens)]
    return None if None in orders else math.prod(orders)


def group_order(gens: np.ndarray, name: str = "G") -> int:
    """|`<gens>`| for a (k, d) array of permutations (module docstring): the product of the
    orders of the support components.

    >>> group_order(np.array([[1, 0, 2, 3, 4], [0, 1, 3, 4, 2]]))     # C2 x C3
    6
    """
    gens = np.asarray(gens)
    return math.prod(component_order(restrict(gens[idx], points), name) for idx, points in support_components(gens))


def group_contains(gens: np.ndarray, g: np.ndarray, name: str = "G") -> bool:
    """Whether the permutation g lies in `<gens>`: it preserves each component's points,
    fixes the others, and its restriction to each component lies in that component.

    >>> gens = np.array([[1, 0, 2, 3, 4], [0, 1, 3, 4, 2]])
    >>> group_contains(gens, np.array([1, 0, 3, 4, 2])), group_contains(gens, np.array([0, 1, 3, 2, 4]))
    (True, False)
    """
    gens, g = np.asarray(gens), np.asarray(g)
    inside = np.zeros(g.size, dtype=bool)
    for idx, points in support_components(gens):
        inside[points] = True
        if not np.all(np.isin(g[points], points)):
            return False
        R, h = restrict(gens[idx], points), restrict(g[None, :], points)[0]
        if len(R) > 1 and orbit_labels(R)[1] == 1 and giant_order(R) is not None:
            if not is_even(h) and all(is_even(r) for r in R):
                return False
            continue
        if not sympy_group(R, name).contains(Permutation(h.tolist())):
            return False
    outside = ~inside
    return bool(np.all(g[outside] == np.flatnonzero(outside)))
