"""Orbits of G on Y x X from transversals and point stabilisers, at a few bytes per pair.

For an orbit O of X with base point x0, choose t_x in G with t_x(x0) = x for every x in O
(a Schreier tree: breadth first over the generators, t_{s x} = s t_x). Then
(y, x) = t_x (t_x^-1 y, x0), so the G-orbit of (y, x) is determined by the orbit of
t_x^-1 y under the stabiliser H = Stab_G(x0), and

    label[y, x] = offset_O + hlabel_O[t_x^-1 y],   i.e.   label[t_x(z), x] = offset_O + hlabel_O[z].

The H-orbits on Y are those of the Schreier generators h = t_{s x}^-1 s t_x, for every x in
O and generator s (Schreier's lemma), merged into a partition of Y one generator at a time.
Nothing of size |X||Y| is built except the transversal (t_x on Y for each x, 4 bytes per
pair) and the labels themselves, against about 80 bytes per pair for union-find over all
pairs (`pltheory.orbits.orbit_labels` on the product G-set). The labels are then renumbered
in row-major order of first appearance, as the orbit basis promises.

Examples
--------
>>> import pltheory as pt
>>> X = pt.GSet.natural(pt.symmetric(4))
>>> pair_orbit_labels(X, X).tolist()
[[0, 1, 1, 1], [1, 0, 1, 1], [1, 1, 0, 1], [1, 1, 1, 0]]
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from .gsets import GSet
from .limits import check_memory

#: Rows of labels renumbered at once (bounds the temporaries of the renumbering); at most
#: a sixteenth of the rows, so that the temporaries stay under one byte per pair.
RENUMBER_ROWS = 512


def _block_rows(rows: int) -> int:
    """Rows per block of a pass over ``rows`` rows ([`RENUMBER_ROWS`][pltheory.pair_orbits.RENUMBER_ROWS])."""
    return max(1, min(RENUMBER_ROWS, rows // 16))


def pair_orbit_labels(X: GSet, Y: GSet) -> np.ndarray:
    """labels[y, x]: the G-orbit of (y, x) in Y x X, numbered 0, 1, ... in row-major order
    of first appearance (module docstring). O(|X| |Y| k) time for k generators, about 12
    bytes per pair at peak (int32 transversal, int64 labels).

    >>> import pltheory as pt
    >>> X = pt.GSet.regular(pt.cyclic(3))
    >>> pair_orbit_labels(X, X).tolist()
    [[0, 1, 2], [2, 0, 1], [1, 2, 0]]
    """
    nx, ny = X.size, Y.size
    check_memory(12.0 * nx * ny, f"the orbits of {Y.name} x {X.name} ({ny} x {nx} pairs)", "use smaller sets")
    labels = np.empty((ny, nx), dtype=np.int64)
    first: list[np.ndarray] = []  # per label, the row-major index of its first pair
    for orbit in X.orbits():
        transversal, tree = _transversal(X, Y, orbit)
        hlabel, count = _stabiliser_orbits(X, Y, orbit, transversal, tree)
        offset = sum(f.size for f in first)
        step = _block_rows(orbit.size)
        for start in range(0, orbit.size, step):  # label[t_x(z), x] = hlabel[z], a block of x at a time
            block = slice(start, start + step)
            labels[transversal[block], orbit[block, None]] = hlabel + offset
        first.append(_first_pairs(transversal, hlabel, count, orbit, nx))
    rank = np.empty(sum(f.size for f in first), dtype=np.int64)
    rank[np.argsort(np.concatenate(first), kind="stable")] = np.arange(rank.size)
    step = _block_rows(ny)
    for start in range(0, ny, step):  # renumber in place, a block of rows at a time
        labels[start:start + step] = rank[labels[start:start + step]]
    return labels


def _transversal(X: GSet, Y: GSet, orbit: np.ndarray) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """t_x on Y for each x of the orbit (rows in the orbit's order, int32), from the Schreier
    tree rooted at its smallest point, and the tree (parent point, generator) of each x."""
    position = np.full(X.size, -1, dtype=np.int64)
    position[orbit] = np.arange(orbit.size)
    T = np.empty((orbit.size, Y.size), dtype=np.int32)
    parent = np.full(orbit.size, -1, dtype=np.int64)
    generator = np.full(orbit.size, -1, dtype=np.int64)
    root = int(orbit[0])
    T[0] = np.arange(Y.size)
    seen = np.zeros(X.size, dtype=bool)
    seen[root] = True
    frontier = np.array([root])
    while frontier.size:
        reached = []
        for s, (act_x, act_y) in enumerate(zip(X.action, Y.action)):
            children = act_x[frontier]
            new = ~seen[children]
            children, fathers = children[new], frontier[new]
            children, first = np.unique(children, return_index=True)
            fathers = fathers[first]
            seen[children] = True
            rows, father_rows = position[children], position[fathers]
            T[rows] = act_y[T[father_rows]]  # t_c = s t_x on Y
            parent[rows], generator[rows] = fathers, s
            reached.append(children)
        frontier = np.concatenate([np.empty(0, dtype=np.int64), *reached])
    return T, (parent, generator)


def _stabiliser_orbits(X: GSet, Y: GSet, orbit: np.ndarray, T: np.ndarray,
                       tree: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, int]:
    """The orbits on Y of H = Stab(x0), x0 the orbit's root, from its Schreier generators
    h = t_{s x}^-1 s t_x (tree edges give the identity and are skipped); a partition of Y
    merged one generator at a time through the graph of its classes. An orbit as large as
    G (a regular orbit) has H = 1: every point of Y is its own class, with no generator
    to look at (used when the order is known; computing it may cost more than the walk)."""
    if X.group.order_known and orbit.size == X.group.order:
        return np.arange(Y.size, dtype=np.int64), Y.size
    parent, generator = tree
    position = np.full(X.size, -1, dtype=np.int64)
    position[orbit] = np.arange(orbit.size)
    hlabel = np.arange(Y.size, dtype=np.int64)
    count = Y.size
    inverse = np.empty(Y.size, dtype=np.int64)
    for i, x in enumerate(orbit.tolist()):
        for s, (act_x, act_y) in enumerate(zip(X.action, Y.action)):
            c = int(position[act_x[x]])
            if parent[c] == x and generator[c] == s:
                continue  # a tree edge: h is the identity
            inverse[T[c]] = np.arange(Y.size)
            h = inverse[act_y[T[i]]]  # h = t_c^-1 s t_x on Y
            moved = hlabel[h] != hlabel
            if not moved.any():
                continue
            a, b = hlabel[moved], hlabel[h[moved]]
            graph = sp.coo_matrix((np.ones(a.size), (a, b)), shape=(count, count)).tocsr()
            count, merged = connected_components(graph, directed=False)
            hlabel = merged[hlabel].astype(np.int64)
            if count == 1:
                return hlabel, 1
    return hlabel, count


def _first_pairs(T: np.ndarray, hlabel: np.ndarray, count: int, orbit: np.ndarray, nx: int) -> np.ndarray:
    """For each label h of one orbit of X, the smallest row-major index y nx + x of a pair
    carrying it: the pairs are (t_x(z), x) with hlabel[z] = h, so per x the smallest y is a
    minimum of t_x over the class of h (one reduceat over the classes, RENUMBER_ROWS
    points x at a time)."""
    singletons = count == hlabel.size  # H = 1: hlabel is the identity, no classes to reduce over
    order = np.argsort(hlabel, kind="stable")
    bounds = np.searchsorted(hlabel[order], np.arange(count))
    best = np.full(count, np.iinfo(np.int64).max, dtype=np.int64)
    step = _block_rows(orbit.size)
    for start in range(0, orbit.size, step):
        rows = slice(start, start + step)
        block = T[rows] if singletons else np.minimum.reduceat(T[rows][:, order], bounds, axis=1)
        smallest_y = block.astype(np.int64)
        best = np.minimum(best, (smallest_y * nx + orbit[rows, None]).min(axis=0))
    return best
