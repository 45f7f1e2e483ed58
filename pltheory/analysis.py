"""What symmetry did a model learn? Sharing subspaces, sharing patterns, defects, flow.

Tools for learned weights W (|Y| x |X| arrays) and learned sharing matrices U
(vec(W) = U v, row-major), none of which need torch:

* :func:`principal_angles` between span(U) and a candidate sharing subspace, and
  :func:`rank_candidates` over the candidates :func:`candidate_sharings` builds for a
  weight shape (translations with and without wrap-around, a convolution of a given
  width, reflections, D_n, S_n, all-equal, free). A candidate *explains* U when U lies in
  it up to ``tol`` (mean cos^2 of the principal angles); among those the smallest wins.
* :func:`sharing_pattern` groups the entries of W into classes of (nearly) equal values,
  and :func:`pattern_group` finds the permutations of rows and columns that preserve the
  pattern (automorphisms of a coloured bipartite graph, networkx VF2), with
  :func:`identify_group` naming the result (C_n, D_n, S_n, ...).
* :func:`equivariance_defect`: the share of ||W||^2 outside Hom_G.
* :func:`frequency_flow`: energy per isotypic component before and after an activation
  on real inputs, and the observed flow graph, checked against the interaction graph.

A 1-D convolution without padding (70 -> 68) is *not* equivariant under any group acting
on the 70 inputs and 68 outputs: shifting moves the boundary. Its sharing is recognised
as a candidate subspace (Toeplitz / width-w convolution), and :func:`embed_in_cyclic` pads
the outputs to a C_70 circulant so the cyclic tools apply, the padding's share of the
defect being the measured boundary effect.

Arguments are checked on entry: arrays must be finite real arrays of the right dimension
(:class:`~pltheory.errors.WeightError`; strings are never parsed nor complex numbers cut
to their real part), groups, G-sets, graphs and candidates objects of their
classes and tolerances numbers in range (:class:`~pltheory.errors.ArgumentError`); weights
with more than :data:`MAX_SHARING_ENTRIES` entries get no candidate subspaces
(:class:`~pltheory.errors.TooLargeError`).

Examples
--------
>>> import numpy as np
>>> W = np.array([[1., 2., 3., 0.], [0., 1., 2., 3.]])   # a 3-tap convolution, 4 -> 2
>>> best = rank_candidates(W.reshape(-1, 1), candidate_sharings(2, 4))[0]
>>> best.name, best.dim
('convolution width 3', 3)
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

import networkx as nx
import numpy as np
import scipy.linalg
from sympy.combinatorics import Permutation, PermutationGroup

from .activations import activation as as_activation
from .decomposition import decompose
from .equivariant import check_weight, equivariant_basis, scaled
from .errors import ArgumentError, TooLargeError, WeightError
from .families import cyclic, dihedral, from_generators, symmetric
from .groups import FiniteGroup, check_group, format_order
from .gsets import GSet, check_gset
from .interaction import InteractionGraph
from .schreier import SIMS_MAX_DEGREE
from .tolerances import EXPLAINED, FLOW_TOL, PATTERN_TOL, SHARING_RCOND
from .validate import check_instance, check_integer, check_real, check_real_array

#: Largest number of operations (estimated) spent ranking candidates for one U.
RANKING_WORK = 2e10

#: Seconds the symmetry search of a sharing pattern may take.
PATTERN_SECONDS = 5.0

#: Largest weight (out x inp entries) :func:`candidate_sharings` builds candidates for: each
#: candidate labels every entry, and the square ones need the orbits of D_n and S_n on n x n.
MAX_SHARING_ENTRIES = 1_000_000


@dataclass(frozen=True)
class Candidate:
    """A candidate sharing subspace: entries of W (row-major) with equal ``labels`` are
    tied, entries labelled -1 are zero; and how well it contains span(U). ``labels`` is a
    non-empty 1-D array of integers >= -1 (:class:`~pltheory.errors.WeightError` otherwise).
    ``shift_invariant`` says that the tied entries are shifts of one another (W[p, q]
    depends on q - p only): a translation or a convolution.

    >>> import numpy as np
    >>> from pltheory.analysis import Candidate
    >>> c = Candidate("pairs tied", np.array([0, 0, 1, -1]))
    >>> c.dim, c.sharing.astype(int).tolist()
    (2, [[1, 0], [1, 0], [0, 1], [0, 0]])
    """

    name: str
    labels: np.ndarray
    containment: float = math.nan
    largest_angle: float = math.nan
    shift_invariant: bool = False

    def __post_init__(self) -> None:
        check_instance(self.name, "name", str, "a string")
        try:
            labels = np.asarray(self.labels) if isinstance(self.labels, (np.ndarray, list, tuple, range)) else None
        except ValueError:  # ragged nested lists
            labels = None
        if labels is None or labels.ndim != 1 or labels.size == 0 or labels.dtype.kind not in "iu" \
                or labels.min() < -1:
            got = type(self.labels).__name__ if labels is None else f"dtype {labels.dtype}, shape {labels.shape}"
            raise WeightError(f"candidate labels must be a non-empty 1-D array of integers >= -1, got {got}")
        object.__setattr__(self, "labels", labels)

    @property
    def dim(self) -> int:
        return int(np.unique(self.labels[self.labels >= 0]).size)

    @property
    def sharing(self) -> np.ndarray:
        """The 0/1 sharing matrix (entries x dim), columns in order of first appearance."""
        return _indicators(self.labels)

    def project(self, V: np.ndarray) -> np.ndarray:
        """Orthogonal projection of the columns of V onto the candidate subspace: the mean
        over each class of tied entries, zero on entries labelled -1. ``V`` is a real array
        with one row per entry of the weight. O(entries x columns).

        >>> import numpy as np
        >>> from pltheory.analysis import Candidate
        >>> c = Candidate("pairs tied", np.array([0, 0, 1, -1]))
        >>> c.project(np.array([[1.0], [3.0], [2.0], [5.0]])).ravel().tolist()
        [2.0, 2.0, 2.0, 0.0]
        """
        V = _real_matrix(V, "V")
        if V.shape[0] != self.labels.size:
            raise WeightError(f"candidate {self.name!r} projects vectors of {self.labels.size} entries, "
                              f"got V of shape {V.shape}")
        keep = self.labels >= 0
        _, classes = np.unique(self.labels[keep], return_inverse=True)
        counts = np.bincount(classes)
        out = np.zeros_like(V)
        for j in range(V.shape[1]):
            means = np.bincount(classes, weights=V[keep, j], minlength=counts.size) / counts
            out[keep, j] = means[classes]
        return out


@dataclass(frozen=True)
class SubspaceCandidate(Candidate):
    """A candidate sharing subspace given by a basis instead of tied entries: a task
    family's own subspace, such as the 3k-dimensional one of a rank-k translation family,
    which no labelling of the entries describes. ``basis`` has one row per entry of W and
    orthonormal columns; ``labels`` are all -1 (the entries are not tied).

    >>> import numpy as np
    >>> from pltheory.analysis import SubspaceCandidate
    >>> c = SubspaceCandidate.spanning("diagonal", np.array([[1.0], [0.0], [0.0], [1.0]]))
    >>> c.dim, c.project(np.array([[1.0], [2.0], [0.0], [3.0]])).ravel().round(12).tolist()
    (1, [2.0, 0.0, 0.0, 2.0])
    """

    basis: np.ndarray | None = None

    @classmethod
    def spanning(cls, name: str, vectors: np.ndarray) -> SubspaceCandidate:
        """The candidate spanned by the columns of ``vectors`` (entries x m, real)."""
        vectors = _real_matrix(vectors, "vectors", allow_empty=False)
        return cls(name, np.full(vectors.shape[0], -1, dtype=np.int64), basis=scipy.linalg.orth(vectors))

    @property
    def dim(self) -> int:
        return int(self.basis.shape[1])

    @property
    def sharing(self) -> np.ndarray:
        """The orthonormal basis (entries x dim)."""
        return self.basis

    def project(self, V: np.ndarray) -> np.ndarray:
        """Orthogonal projection of the columns of V onto the span of the basis."""
        V = _real_matrix(V, "V")
        if V.shape[0] != self.basis.shape[0]:
            raise WeightError(f"candidate {self.name!r} projects vectors of {self.basis.shape[0]} entries, "
                              f"got V of shape {V.shape}")
        return self.basis @ (self.basis.T @ V)


def _indicators(labels: np.ndarray) -> np.ndarray:
    """Row-major 0/1 sharing matrix of integer labels (-1: an entry fixed at zero)."""
    flat = np.asarray(labels).ravel()
    keep = flat >= 0
    _, inverse = np.unique(flat[keep], return_inverse=True)
    U = np.zeros((flat.size, int(inverse.max(initial=-1)) + 1))
    U[np.flatnonzero(keep), inverse] = 1.0
    return U


def _real_matrix(A: object, name: str, *, allow_empty: bool = True) -> np.ndarray:
    """``A`` as a finite 2-D float array (non-empty unless ``allow_empty``), by the rules of
    :func:`pltheory.equivariant.check_weight` (:func:`pltheory.validate.check_real_array`)."""
    A = check_real_array(A, name, 2)
    if A.size == 0 and not allow_empty:
        raise WeightError(f"{name} is empty (shape {A.shape})")
    return A


def principal_angles(U: np.ndarray, V: np.ndarray) -> np.ndarray:
    """Principal angles (degrees, ascending) between span(U) and span(V), column spaces of
    real 2-D arrays with the same number of rows (scipy's ``subspace_angles``).

    >>> import numpy as np
    >>> e1, diagonal = np.array([[1.0], [0.0], [0.0]]), np.array([[1.0], [1.0], [0.0]])
    >>> principal_angles(e1, diagonal).round(1).tolist(), principal_angles(np.eye(3)[:, :2], diagonal).tolist()
    ([45.0], [0.0])
    """
    U, V = _real_matrix(U, "U"), _real_matrix(V, "V")
    if U.shape[0] != V.shape[0]:
        raise WeightError(f"U and V must have the same number of rows, got shapes {U.shape} and {V.shape}")
    return np.sort(np.degrees(scipy.linalg.subspace_angles(U, V)))


def candidate_sharings(out: int, inp: int, *, width: int | None = None) -> list[Candidate]:
    """Sharing subspaces for |out| x |inp| weights: free, all equal, Toeplitz (translation
    without wrap-around), convolutions of width ``inp - out + 1`` (``width``, if given,
    must be that) and the locally connected layers of that band (each entry free: it holds
    every rank-k translation family's true subspace), reflection of both axes; for square
    weights also circulant (C_n), dihedral (D_n) and S_n. ``out`` and ``inp`` are positive integers with at most
    :data:`MAX_SHARING_ENTRIES` entries out x inp (:class:`~pltheory.errors.TooLargeError`).

    >>> for c in candidate_sharings(2, 3):
    ...     print(c.dim, c.name)
    6 free (no sharing)
    1 all equal
    4 translation without wrap-around (Toeplitz)
    2 convolution width 2
    4 locally connected width 2
    3 reflection of both axes
    """
    out, inp = check_integer(out, "out", 1), check_integer(inp, "inp", 1)
    if out * inp > MAX_SHARING_ENTRIES:
        size = f"{out} x {inp}" if out * inp < 10**15 else f"about 10^{int((out * inp).bit_length() * 0.30103)} entries"
        raise TooLargeError(f"candidate sharings are built for weights of up to {MAX_SHARING_ENTRIES} entries, "
                            f"got {size}; analyse a smaller layer")
    if width is not None and check_integer(width, "width", 1, inp) != inp - out + 1:
        raise ArgumentError(f"a convolution of width {width} maps {inp} inputs to {inp - width + 1} outputs, "
                            f"not {out}")
    p, q = np.indices((out, inp))
    found = [Candidate("free (no sharing)", np.arange(out * inp)),
             Candidate("all equal", np.zeros(out * inp, dtype=np.int64)),
             Candidate("translation without wrap-around (Toeplitz)", (q - p + out - 1).ravel(), shift_invariant=True)]
    w = width if width is not None else inp - out + 1
    if 1 <= w <= inp and out == inp - w + 1:
        band = (q - p >= 0) & (q - p < w)
        found.append(Candidate(f"convolution width {w}", np.where(band, q - p, -1).ravel(), shift_invariant=True))
        if w < inp:  # a locally connected layer: the band of a convolution, every entry its own
            found.append(Candidate(f"locally connected width {w}", np.where(band, p * w + q - p, -1).ravel()))
    found.append(Candidate("reflection of both axes",
                           np.minimum(p * inp + q, (out - 1 - p) * inp + (inp - 1 - q)).ravel()))
    if out == inp and out >= 3:
        for name, G in ((f"C{out} (circulant)", cyclic(out)), (f"D{out}", dihedral(out)),
                        (f"S{out}", symmetric(out))):
            X = GSet.natural(G)
            found.append(Candidate(name, equivariant_basis(X, X).labels.ravel()))
    return found


def rank_candidates(U: np.ndarray | None, candidates: list[Candidate], *, tol: float = EXPLAINED,
                    rcond: float = SHARING_RCOND) -> list[Candidate]:
    """Candidates scored by how much of span(U) they contain, best first: those whose
    containment ||P_C Q||_F^2 / r is at least ``tol`` by dimension (the smallest explaining
    subspace first), then the rest by containment. Q is an orthonormal basis of span(U)
    of numerical rank r (singular values above ``rcond`` times the largest: learned
    weights are float32); the containment is the mean of cos^2 over the r principal
    angles, counting as 90 degrees the directions a smaller candidate cannot hold.

    ``U = None`` stands for no sharing (U = I, span(U) everything): a candidate of
    dimension d among N entries then contains d / N of it, with no SVD. A U whose SVD and
    projections would cost more than :data:`RANKING_WORK` operations is refused
    (:class:`TooLargeError`). O((candidates + 1) N k^2) for N x k.

    ``candidates`` is a list of :class:`Candidate` of one size N, ``tol`` a number in
    [0, 1] and ``rcond`` one strictly between 0 and 1 (:class:`~pltheory.errors.ArgumentError`).

    Examples
    --------
    A circulant W (one learned weight, U = vec(W)) is explained by C_3 and by the
    larger subspaces; the smallest explaining one comes first:

    >>> import numpy as np
    >>> W = np.array([[1.0, 5.0, -3.0], [-3.0, 1.0, 5.0], [5.0, -3.0, 1.0]])
    >>> ranked = rank_candidates(W.reshape(-1, 1), candidate_sharings(3, 3))
    >>> [(c.name, c.dim, round(c.containment, 2)) for c in ranked[:2]]
    [('C3 (circulant)', 3, 1.0), ('translation without wrap-around (Toeplitz)', 5, 1.0)]
    """
    tol = check_real(tol, "tol", 0.0, 1.0)
    rcond = check_real(rcond, "rcond", 0.0, 1.0)
    if rcond in (0.0, 1.0):
        raise ArgumentError(f"rcond must lie strictly between 0 and 1, got {rcond}")
    check_instance(candidates, "candidates", (list, tuple), "a list of Candidates (candidate_sharings)")
    for c in candidates:
        check_instance(c, "each candidate", Candidate, "a Candidate (candidate_sharings)")
    if U is not None:
        U = _real_matrix(U, "U")
    sizes = {c.labels.size for c in candidates}
    if len(sizes) > 1 or (U is not None and sizes - {U.shape[0]}):
        rows = f"U has {U.shape[0]} rows" if U is not None else "one size is needed"
        raise WeightError(f"the candidates have {', '.join(map(str, sorted(sizes)))} entries; {rows}")
    if U is None:
        n = sizes.pop() if sizes else 0
        scored = [replace(c, containment=c.dim / n, largest_angle=0.0 if c.dim == n else 90.0) for c in candidates]
        return sorted(scored, key=lambda c: (c.containment < tol,
                                             c.dim if c.containment >= tol else -c.containment))
    work = (len(candidates) + 1) * U.shape[0] * min(U.shape) ** 2
    if work > RANKING_WORK:
        raise TooLargeError(f"ranking the sharing candidates for a {U.shape[0]} x {U.shape[1]} U needs about "
                            f"{work:.1e} operations, more than the limit {RANKING_WORK:.0e}")
    Q = scipy.linalg.orth(U, rcond=rcond)
    scored = []
    for c in candidates:
        PQ = c.project(Q)
        cos2 = np.clip(np.linalg.eigvalsh(Q.T @ PQ), 0.0, 1.0)  # cos^2 of the principal angles, 0-padded
        largest = float(np.degrees(np.arccos(np.sqrt(cos2.min())))) if cos2.size else 0.0
        scored.append(replace(c, containment=float(cos2.mean()) if cos2.size else 1.0, largest_angle=largest))
    return sorted(scored, key=lambda c: (c.containment < tol, c.dim if c.containment >= tol else -c.containment))


# ------------------------------------------------------------------ sharing patterns
def sharing_pattern(W: np.ndarray, *, tol: float = PATTERN_TOL) -> np.ndarray:
    """Integer labels of W's entries, classes of nearly equal values: walking through the
    sorted values, a new class starts whenever a value exceeds the first value of the
    current class by more than ``tol`` times the range of W (so no class is wider than
    that, and long runs of close values are not chained together). ``W`` is a finite,
    non-empty real 2-D array and ``tol`` a number in [0, 1]. O(N log N) for N entries.

    >>> import numpy as np
    >>> sharing_pattern(np.array([[0.0, 1.0, 0.001], [1.001, 0.0, 1.0]]), tol=0.01).tolist()
    [[0, 1, 0], [1, 0, 1]]
    """
    W = _real_matrix(W, "W", allow_empty=False)
    tol = check_real(tol, "tol", 0.0, 1.0)
    flat = W.ravel()
    order = np.argsort(flat, kind="stable")
    values = flat[order]
    width = tol * max(float(np.ptp(flat)), 1e-300)
    classes = np.empty(flat.size, dtype=np.int64)
    label, start = 0, values[0]
    for i, v in enumerate(values):
        if v - start > width:
            label, start = label + 1, v
        classes[i] = label
    labels = np.empty(flat.size, dtype=np.int64)
    labels[order] = classes
    return labels.reshape(W.shape)


def _refined_colours(labels: np.ndarray) -> tuple[list[int], list[int]]:
    """Colour refinement (1-dimensional Weisfeiler-Leman) of rows and columns: a row's
    colour is refined by the multiset of (entry label, column colour) along it, and
    likewise for columns, until stable. Automorphisms preserve these colours."""
    out, inp = labels.shape
    rows, cols = [0] * out, [0] * inp
    while True:
        row_sig = [(rows[p], tuple(sorted(zip(labels[p].tolist(), cols)))) for p in range(out)]
        col_sig = [(cols[q], tuple(sorted(zip(labels[:, q].tolist(), rows)))) for q in range(inp)]
        new_rows = _relabel(row_sig)
        new_cols = _relabel(col_sig)
        if len(set(new_rows)) == len(set(rows)) and len(set(new_cols)) == len(set(cols)):
            return new_rows, new_cols
        rows, cols = new_rows, new_cols


def _relabel(signatures: list) -> list[int]:
    index = {sig: i for i, sig in enumerate(sorted(set(signatures)))}
    return [index[sig] for sig in signatures]


@dataclass(frozen=True)
class PatternGroup:
    """The group found by :func:`pattern_group`; ``complete`` is False when the search
    budget ran out, and ``group`` is then the subgroup generated by what was found.

    >>> import numpy as np
    >>> found = pattern_group(np.ones((2, 3)))
    >>> found.order, found.complete, found.name
    (12, True, 'S2 x S3 (permutations within classes of equal rows and columns)')
    """

    group: FiniteGroup
    complete: bool
    name: str | None = None  # known from the structure (the block-constant fast path)

    @property
    def order(self) -> int:
        return self.group.order


class _BudgetExhausted(Exception):
    pass


class _BudgetedMatcher(nx.algorithms.isomorphism.GraphMatcher):
    """VF2 that gives up after ``budget`` feasibility checks or at ``deadline`` (a
    time.monotonic() value), whichever comes first: it can take exponential time, and one
    check on a dense graph costs a pass over a node's neighbours."""

    def __init__(self, *args, budget: int, deadline: float, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.remaining, self.deadline = budget, deadline

    def syntactic_feasibility(self, G1_node, G2_node):  # noqa: N803 - networkx's names
        self.remaining -= 1
        if self.remaining < 0 or (self.remaining % 64 == 0 and time.monotonic() > self.deadline):
            raise _BudgetExhausted
        return super().syntactic_feasibility(G1_node, G2_node)


def pattern_group(labels: np.ndarray, *, limit: int = 10_000, budget: int = 100_000,
                  seconds: float = PATTERN_SECONDS) -> PatternGroup:
    """The permutations (sigma, tau) of rows and columns with labels[sigma p, tau q] =
    labels[p, q], as a group acting on rows + columns (points 0..out-1, then out..):
    automorphisms of the complete bipartite graph with edges coloured by label. Colour
    refinement first. If it tells all rows and columns apart, only the identity is
    left; if the labels are constant on every block (row colour x column colour), every
    permutation within the colour classes is an automorphism, and the group is the
    product of the symmetric groups on the classes (an "all equal" W: S_out x S_in).
    Otherwise VF2 (networkx) within the refined colours, for at most ``limit``
    automorphisms, ``budget`` feasibility checks and ``seconds`` of time; the
    automorphisms found generate the group returned, marked incomplete when a budget ran
    out.

    ``labels`` is a finite, non-empty real 2-D array (entries with equal values are tied;
    :func:`sharing_pattern` gives integers), ``limit`` and ``budget`` positive integers and
    ``seconds`` a number >= 0.

    Examples
    --------
    A circulant pattern is preserved by the simultaneous cyclic shifts of rows and
    columns, a group isomorphic to C_3:

    >>> import numpy as np
    >>> found = pattern_group(np.array([[0, 1, 2], [2, 0, 1], [1, 2, 0]]))
    >>> found.order, found.complete, identify_group(found.group)
    (3, True, 'C3')
    """
    values = _real_matrix(labels, "labels", allow_empty=False)
    labels = np.unique(values, return_inverse=True)[1].reshape(values.shape)  # 0, 1, ... in the same order
    limit, budget = check_integer(limit, "limit", 1), check_integer(budget, "budget", 1)
    seconds = check_real(seconds, "seconds", 0.0)
    out, inp = labels.shape
    identity = np.arange(out + inp)
    rows, cols = _refined_colours(labels)
    if len(set(rows)) == out and len(set(cols)) == inp:
        return PatternGroup(from_generators([identity], degree=out + inp, name="pattern group"), True)
    row_colour, col_colour = np.array(rows), np.array(cols)
    first_row = np.array([np.flatnonzero(row_colour == c)[0] for c in row_colour])
    first_col = np.array([np.flatnonzero(col_colour == c)[0] for c in col_colour])
    if np.array_equal(labels, labels[np.ix_(first_row, first_col)]):  # constant on the colour blocks
        points = [np.flatnonzero(row_colour == c) for c in sorted(set(rows))] + \
                 [out + np.flatnonzero(col_colour == c) for c in sorted(set(cols))]
        generators = [g for cls in points if cls.size > 1 for g in _symmetric_generators(cls, out + inp)]
        name = " x ".join(f"S{cls.size}" for cls in points if cls.size > 1) or "trivial"
        group = from_generators(generators or [identity], degree=out + inp, name="pattern group")
        return PatternGroup(group, True, f"{name} (permutations within classes of equal rows and columns)")
    graph = nx.Graph()
    graph.add_nodes_from((p, {"c": ("row", rows[p])}) for p in range(out))
    graph.add_nodes_from((out + q, {"c": ("col", cols[q])}) for q in range(inp))
    graph.add_edges_from((p, out + q, {"c": int(labels[p, q])}) for p in range(out) for q in range(inp))
    matcher = _BudgetedMatcher(graph, graph, node_match=lambda a, b: a["c"] == b["c"],
                               edge_match=lambda a, b: a["c"] == b["c"], budget=budget,
                               deadline=time.monotonic() + seconds)
    generators, complete = [], True
    try:
        for count, mapping in enumerate(matcher.isomorphisms_iter()):
            if count >= limit:
                complete = False
                break
            perm = np.array([mapping[i] for i in range(out + inp)])
            if not np.array_equal(perm, identity):
                generators.append(perm)
    except _BudgetExhausted:
        complete = False
    group = from_generators(generators or [identity], degree=out + inp, name="pattern group")
    return PatternGroup(group, complete)


def _symmetric_generators(points: np.ndarray, degree: int) -> list[np.ndarray]:
    """A transposition and a cycle generating Sym(points) inside Sym(degree)."""
    swap, cycle = np.arange(degree), np.arange(degree)
    swap[points[:2]] = points[1::-1]
    cycle[points] = np.roll(points, -1)
    return [swap, cycle] if points.size > 2 else [swap]


def identify_group(G: FiniteGroup) -> str:
    """A name for G up to isomorphism, read off its exact structure (sympy's
    Schreier-Sims, :attr:`FiniteGroup.sympy <pltheory.groups.FiniteGroup.sympy>`).

    In this order: "trivial"; C_n when G is cyclic; an abelian group by its abelian
    invariants (prime powers, "C2xC2", "C2xC4xC3"); D_m when G is dihedral of order
    2m >= 6 (so S_3 is "D3"); S_k or A_k when G acts faithfully on an orbit of k points as
    all of Sym(k) or Alt(k) (order k! or k!/2, k >= 4; a group isomorphic to S_k without
    such an orbit is not recognised); otherwise "order N". Groups on more than
    :data:`~pltheory.schreier.SIMS_MAX_DEGREE` points are named by their order only;
    dihedral groups are recognised up to ``G.max_elements`` elements (sympy lists them).

    Examples
    --------
    >>> from pltheory.groups import from_generators
    >>> identify_group(from_generators([[1, 0, 3, 2], [2, 3, 0, 1]])), identify_group(cyclic(4))
    ('C2xC2', 'C4')
    >>> q8 = from_generators([[1, 4, 3, 6, 5, 0, 7, 2], [2, 7, 4, 1, 6, 3, 0, 5]])   # i, j on Q_8
    >>> q8.order, identify_group(q8), identify_group(dihedral(4))
    (8, 'order 8', 'D4')
    """
    n = check_group(G).order
    if n == 1:
        return "trivial"
    if G.degree > SIMS_MAX_DEGREE:
        return f"order {format_order(n)}"
    S = G.sympy
    if S.is_cyclic:
        return f"C{n}"
    if S.is_abelian:
        return "x".join(f"C{q}" for q in S.abelian_invariants())
    if n >= 6 and n <= G.max_elements and S.is_dihedral:
        return f"D{n // 2}"
    return _faithful_symmetric(G, n) or f"order {n}"


def _faithful_symmetric(G: FiniteGroup, n: int) -> str | None:
    """S_k or A_k (k >= 4) when G acts faithfully on an orbit of k points as Sym(k) or
    Alt(k): an orbit of k points with k! or k!/2 = |G| on which G's image has order |G|."""
    for orbit in G.sympy.orbits():
        k = len(orbit)
        if k < 4 or math.factorial(k) not in (n, 2 * n):
            continue
        points = sorted(orbit)
        position = {p: i for i, p in enumerate(points)}
        image = PermutationGroup([Permutation([position[g.array_form[p]] for p in points]) for g in G.sympy.generators])
        if image.order() == n:
            return f"S{k}" if math.factorial(k) == n else f"A{k}"
    return None


# ------------------------------------------------------------------ defects and flow
def equivariance_defect(W: np.ndarray, X: GSet, Y: GSet) -> float:
    """||W - W_eq||^2 / ||W||^2 with W_eq the projection onto Hom_G(Fun X, Fun Y)
    (0 for an equivariant W, and for W = 0).

    >>> import numpy as np
    >>> from pltheory.families import cyclic
    >>> from pltheory.gsets import GSet
    >>> X = GSet.natural(cyclic(3))
    >>> equivariance_defect(np.eye(3), X, X), round(equivariance_defect(np.diag([1.0, 0.0, 0.0]), X, X), 3)
    (0.0, 0.667)
    """
    X, Y = check_gset(X, "X"), check_gset(Y, "Y")
    B = equivariant_basis(X, Y)
    W = scaled(check_weight(W, X, Y))
    rest = W - B.project(W)
    total = float(np.sum(W * W))
    return float(np.sum(rest * rest) / total) if total > 0 else 0.0


def embed_in_cyclic(W: np.ndarray) -> np.ndarray:
    """Pad W (out x n, out <= n) with zero rows to an n x n map on Fun(C_n): a convolution
    without padding is the first rows of a circulant, and the padding's share of the
    equivariance defect is the boundary effect. ``W`` is a finite real 2-D array.

    >>> import numpy as np
    >>> embed_in_cyclic(np.array([[1.0, 2.0, 0.0], [0.0, 1.0, 2.0]])).tolist()
    [[1.0, 2.0, 0.0], [0.0, 1.0, 2.0], [0.0, 0.0, 0.0]]
    """
    W = _real_matrix(W, "W")
    out, n = W.shape
    if out > n:
        raise WeightError(f"cannot embed a {out} x {n} weight: more outputs than inputs")
    return np.vstack([W, np.zeros((n - out, n))])


@dataclass(frozen=True)
class FrequencyFlow:
    """Energy per isotypic component of Fun(X) before and after the activation
    (mean over inputs, shares of the total), and the observed flow edges i -> j: inputs
    projected onto component i put energy into j after the activation.

    >>> import numpy as np
    >>> from pltheory.families import cyclic
    >>> from pltheory.gsets import GSet
    >>> H = np.random.default_rng(0).standard_normal((4, 50))
    >>> flow = frequency_flow(H, GSet.regular(cyclic(4)))
    >>> flow.keys, round(float(flow.before.sum()), 6), ("1", "2") in flow.edges
    (['0', '1', '2'], 1.0, True)
    """

    keys: list[str]
    before: np.ndarray
    after: np.ndarray
    edges: set[tuple[str, str]]


def frequency_flow(H: np.ndarray, X: GSet, activation: str = "relu", *, tol: float = FLOW_TOL) -> FrequencyFlow:
    """Observed energy flow of an activation between the isotypic components of Fun(X).

    Parameters
    ----------
    H : ndarray
        Real pre-activations (|X| x samples), e.g. W x for inputs x of a task.
    X : GSet
        The G-set whose isotypic components are measured.
    activation : str or Activation
        The activation applied entrywise (:func:`pltheory.activation`).
    tol : float
        The share of the energy, in [0, 1], below which a component counts as empty.

    Returns
    -------
    FrequencyFlow
        Shares of the energy per component before and after, and the flow edges.

    Examples
    --------
    ReLU on the regular C_4-set moves energy from frequency 1 into frequency 2:

    >>> import numpy as np
    >>> from pltheory.families import cyclic
    >>> from pltheory.gsets import GSet
    >>> H = np.random.default_rng(0).standard_normal((4, 50))
    >>> print(sorted(frequency_flow(H, GSet.regular(cyclic(4)), "relu").edges))
    [('0', '0'), ('1', '0'), ('1', '1'), ('1', '2'), ('2', '0'), ('2', '2')]
    """
    X = check_gset(X, "X")
    H = _real_matrix(H, "H")
    if H.shape[0] != X.size:
        raise WeightError(f"pre-activations H must have {X.size} rows (|X|), got shape {H.shape}")
    tol = check_real(tol, "tol", 0.0, 1.0)
    f = as_activation(activation)
    D = decompose(X)
    keys = [c.irrep.key for c in D.components]

    def shares(M: np.ndarray) -> np.ndarray:
        coords = D.coordinates(M)
        energy = np.stack([np.sum(coords[s] ** 2, axis=0) for s in D.slices])
        return energy.sum(axis=1) / max(float(energy.sum()), 1e-300)

    offset = f(np.zeros(1))[0]
    before, after = shares(H), shares(f(H) - offset)
    edges = set()
    coords = D.coordinates(H)
    for i, c in enumerate(D.components):
        part = c.basis @ coords[D.slices[i]]  # the inputs' component i
        if np.sum(part**2) <= tol * max(float(np.sum(H**2)), 1e-300):
            continue
        out = shares(f(part) - offset)
        edges |= {(keys[i], keys[j]) for j in np.flatnonzero(out > tol)}
    return FrequencyFlow(keys, before, after, edges)


def check_flow(flow: FrequencyFlow, graph: InteractionGraph) -> set[tuple[str, str]]:
    """Observed edges missing from an interaction graph (both name components by their
    irreducible's key): empty when the observations respect the theory.

    >>> import numpy as np
    >>> import pltheory as pt
    >>> X = pt.GSet.regular(pt.cyclic(4))
    >>> flow = frequency_flow(np.random.default_rng(0).standard_normal((4, 50)), X)
    >>> check_flow(flow, pt.interaction_graph(X, "relu"))
    set()
    """
    check_instance(flow, "flow", FrequencyFlow, "a FrequencyFlow (frequency_flow)")
    check_instance(graph, "graph", InteractionGraph, "an interaction graph (pltheory.interaction_graph)")
    return flow.edges - graph.edges()
