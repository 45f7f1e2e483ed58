"""What symmetry did a model learn? Sharing subspaces, sharing patterns, defects, flow.

Tools for learned weights W (|Y| x |X| arrays) and learned sharing matrices U
(vec(W) = U v, row-major), none of which need torch:

* [`principal_angles`][pltheory.analysis.principal_angles] between span(U) and a candidate sharing subspace, and
  [`rank_candidates`][pltheory.analysis.rank_candidates] over the candidates
  [`candidate_sharings`][pltheory.analysis.candidate_sharings] builds for a weight shape
  (translations with and without wrap-around, a convolution of a given width, reflections,
  D_n, S_n, all-equal, free). A candidate *explains* U when U lies in it up to ``tol`` (mean
  cos^2 of the principal angles); among those the smallest wins.
* [`sharing_pattern`][pltheory.analysis.sharing_pattern] groups the entries of W into classes of (nearly) equal values,
  and [`pattern_group`][pltheory.analysis.pattern_group] finds the permutations of rows and columns that preserve the
  pattern (generators of the automorphisms of a coloured bipartite graph, found point by
  point with colour refinement), with
  [`identify_group`][pltheory.analysis.identify_group] naming the result (C_n, D_n, S_n, ...).
* [`equivariance_defect`][pltheory.analysis.equivariance_defect]: the share of ||W||^2 outside Hom_G.
* [`frequency_flow`][pltheory.analysis.frequency_flow]: energy per isotypic component before and after an activation
  on real inputs, and the observed flow graph, checked against the interaction graph.

A 1-D convolution without padding (70 -> 68) is *not* equivariant under any group acting
on the 70 inputs and 68 outputs: shifting moves the boundary. Its sharing is recognised
as a candidate subspace (Toeplitz / width-w convolution), and
[`embed_in_cyclic`][pltheory.analysis.embed_in_cyclic] pads the outputs to a C_70 circulant
so the cyclic tools apply, the padding's share of the defect being the measured boundary
effect.

Arguments are checked on entry: arrays must be finite real arrays of the right dimension
([`WeightError`][pltheory.errors.WeightError]; strings are never parsed nor complex numbers
cut to their real part), groups, G-sets, graphs and candidates objects of their classes and
tolerances numbers in range ([`ArgumentError`][pltheory.errors.ArgumentError]); weights with
more than `MAX_SHARING_ENTRIES` entries get no candidate subspaces
([`TooLargeError`][pltheory.errors.TooLargeError]).

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
from .tolerances import EXPLAINED, EXPLAINED_MARGIN, FLOW_TOL, FREQUENCY_TOL, PATTERN_TOL, SHARING_RCOND
from .validate import check_instance, check_integer, check_real, check_real_array

#: Largest number of operations (estimated) spent ranking candidates for one U.
RANKING_WORK = 2e10

#: Seconds the symmetry search of a sharing pattern may take.
PATTERN_SECONDS = 5.0

#: Largest weight (out x inp entries) [`candidate_sharings`][pltheory.analysis.candidate_sharings] builds candidates
#: for: each candidate labels every entry, and the square ones need the orbits of D_n and
#: S_n on n x n.
MAX_SHARING_ENTRIES = 1_000_000


@dataclass(frozen=True)
class Candidate:
    """A candidate sharing subspace: entries of W (row-major) with equal ``labels`` are
    tied, entries labelled -1 are zero; and how well it contains span(U). ``labels`` is a
    non-empty 1-D array of integers >= -1 ([`WeightError`][pltheory.errors.WeightError]
    otherwise). ``shift_invariant`` says that the tied entries are shifts of one another
    (W[p, q] depends on q - p only): a translation or a convolution.

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
    [`pltheory.equivariant.check_weight`][pltheory.equivariant.check_weight]
    (`pltheory.validate.check_real_array`)."""
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
    `MAX_SHARING_ENTRIES` entries out x inp ([`TooLargeError`][pltheory.errors.TooLargeError]).

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


def group_candidates(pairs: list[tuple[str, GSet, GSet]]) -> list[Candidate]:
    """One candidate per (name, X, Y): the orbit sharing of Hom_G(Fun X, Fun Y), the
    entries of a |Y| x |X| weight tied along the orbits of G on Y x X
    ([`equivariant_basis`][pltheory.equivariant.equivariant_basis]). This is where a group enters the
    ranking: the groups the caller knows of (a task's group, the symmetries of image
    pixels) beside the shape-only
    [`candidate_sharings`][pltheory.analysis.candidate_sharings]. A pair whose orbit sharing
    is the same subspace as an earlier pair's is left out (the first name is kept).

    ``pairs`` is a list of (str, GSet, GSet) with X and Y G-sets of one group and at most
    `MAX_SHARING_ENTRIES` entries |Y| x |X| ([`TooLargeError`][pltheory.errors.TooLargeError]).

    Examples
    --------
    >>> from pltheory.families import cyclic, dihedral
    >>> C4, D4 = GSet.natural(cyclic(4)), GSet.natural(dihedral(4))
    >>> [(c.name, c.dim) for c in group_candidates([("rotations", C4, C4), ("again", C4, C4), ("D4", D4, D4)])]
    [('rotations', 4), ('D4', 3)]
    """
    check_instance(pairs, "pairs", (list, tuple), "a list of (name, X, Y) G-set pairs")
    found, seen = [], []
    for pair in pairs:
        if not isinstance(pair, tuple) or len(pair) != 3:
            raise ArgumentError(f"each pair must be a (name, X, Y) tuple, got {type(pair).__name__}")
        name, X, Y = pair
        X, Y = check_gset(X, "X"), check_gset(Y, "Y")
        if X.size * Y.size > MAX_SHARING_ENTRIES:
            raise TooLargeError(f"the orbit sharing of {name!r} has {X.size * Y.size} entries, more than "
                                f"{MAX_SHARING_ENTRIES}; analyse a smaller layer")
        # orbit labels are numbered in row-major order of first appearance (OrbitBasis), so two
        # labellings are equal exactly when they tie the same entries
        labels = equivariant_basis(X, Y).labels.ravel()
        if not any(np.array_equal(labels, other) for other in seen):
            seen.append(labels)
            found.append(Candidate(name, labels))
    return found


def rank_candidates(U: np.ndarray | None, candidates: list[Candidate], *, tol: float = EXPLAINED,
                    rcond: float = SHARING_RCOND) -> list[Candidate]:
    """Candidates scored by how much of span(U) they contain, best first: those whose
    containment ||P_C Q||_F^2 / r is at least ``tol`` and within
    `EXPLAINED_MARGIN` of the best candidate's, by dimension (the smallest explaining
    subspace first), then the rest by containment. Q is an orthonormal basis of span(U) of
    numerical rank r (singular values above ``rcond`` times the largest: learned weights are
    float32); the containment is the mean of cos^2 over the r principal angles, counting as
    90 degrees the directions a smaller candidate cannot hold.

    ``U = None`` stands for no sharing (U = I, span(U) everything): a candidate of
    dimension d among N entries then contains d / N of it, with no SVD. A U whose SVD and
    projections would cost more than `RANKING_WORK` operations is refused
    ([`TooLargeError`][pltheory.errors.TooLargeError]). O((candidates + 1) N k^2) for N x k.

    ``candidates`` is a list of [`Candidate`][pltheory.analysis.Candidate] of one size N, ``tol`` a number in
    [0, 1] and ``rcond`` one strictly between 0 and 1 ([`ArgumentError`][pltheory.errors.ArgumentError]).

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
        return _best_first(scored, tol)
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
    return _best_first(scored, tol)


def _best_first(scored: list[Candidate], tol: float) -> list[Candidate]:
    """The explaining candidates (containment at least ``tol`` and within
    `EXPLAINED_MARGIN` of the best) by dimension, then the rest by containment."""
    best = max((c.containment for c in scored), default=0.0)

    def explains(c: Candidate) -> bool:
        return c.containment >= tol and c.containment >= best - EXPLAINED_MARGIN

    return sorted(scored, key=lambda c: (not explains(c), c.dim if explains(c) else -c.containment))


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


def _refined_colours(labels: np.ndarray, rows: np.ndarray | None = None,
                     cols: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Colour refinement (1-dimensional Weisfeiler-Leman) of rows and columns, from the
    given colourings (all one colour by default): a row's colour is refined by the
    multiset of (entry label, column colour) along it, and likewise for columns, until
    stable. Colours are numbered canonically (by sorted signatures), so isomorphic inputs
    get colourings that correspond; automorphisms preserve them. Vectorised:
    O(out x inp log) per round."""
    out, inp = labels.shape
    rows = np.zeros(out, dtype=np.int64) if rows is None else rows
    cols = np.zeros(inp, dtype=np.int64) if cols is None else cols
    while True:
        new_rows = _signature_classes(rows, labels * (int(cols.max()) + 1) + cols[None, :])
        new_cols = _signature_classes(cols, labels.T * (int(new_rows.max()) + 1) + new_rows[None, :])
        if new_rows.max() == rows.max() and new_cols.max() == cols.max():
            return new_rows, new_cols
        rows, cols = new_rows, new_cols


def _signature_classes(colours: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Classes 0..c-1 of the points by (colour, sorted codes along the point), numbered in
    the order of the sorted signatures."""
    signature = np.column_stack([colours, np.sort(codes, axis=1)])
    return np.unique(signature, axis=0, return_inverse=True)[1].ravel().astype(np.int64)


@dataclass(frozen=True)
class PatternGroup:
    """The group found by [`pattern_group`][pltheory.analysis.pattern_group]; ``complete`` is False when the search
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


class _Search:
    """Individualisation-refinement search for the automorphisms of a label matrix: a
    point is given a colour of its own and the colours refined
    ([`_refined_colours`][pltheory.analysis._refined_colours]) until every row and column
    has its own; two such colourings that correspond give the permutation. Each refinement
    costs one unit of ``budget``; the search gives up after ``budget`` of them or at
    ``deadline`` (a time.monotonic() value)."""

    def __init__(self, labels: np.ndarray, budget: int, deadline: float) -> None:
        self.labels, self.remaining, self.deadline = labels, budget, deadline

    def individualise(self, colouring: tuple, side: int, point: int) -> tuple:
        """The refinement of ``colouring`` with ``point`` of ``side`` (0 rows, 1 columns) set apart."""
        self.remaining -= 1
        if self.remaining < 0 or time.monotonic() > self.deadline:
            raise _BudgetExhausted
        rows, cols = colouring[0].copy(), colouring[1].copy()
        (rows, cols)[side][point] = int((rows, cols)[side].max()) + 1
        return _refined_colours(self.labels, rows, cols)

    def isomorphism(self, A: tuple, B: tuple) -> np.ndarray | None:
        """A permutation of rows + columns taking colouring A to B (a point of colour k in
        A to the point of colour k in B) that preserves the labels, or None: points of the
        first class A does not tell apart are tried in turn, depth first."""
        if any(not np.array_equal(np.bincount(a), np.bincount(b)) for a, b in zip(A, B)):
            return None
        side, cls = _open_class(A)
        if side is None:  # discrete: the colours say where every point goes
            sigma, tau = (np.argsort(b)[a] for a, b in zip(A, B))
            return np.concatenate([sigma, len(sigma) + tau]) if np.array_equal(
                self.labels[np.ix_(sigma, tau)], self.labels) else None
        first = np.flatnonzero(A[side] == cls)[0]
        A_next = self.individualise(A, side, first)
        for candidate in np.flatnonzero(B[side] == cls):
            found = self.isomorphism(A_next, self.individualise(B, side, candidate))
            if found is not None:
                return found
        return None


def _open_class(colouring: tuple) -> tuple[int | None, int]:
    """(side, colour) of the first class of more than one point, rows first; (None, -1) when discrete."""
    for side, colours in enumerate(colouring):
        sizes = np.bincount(colours)
        if (sizes > 1).any():
            return side, int(np.flatnonzero(sizes > 1)[0])
    return None, -1


def _orbit(point: int, generators: list[np.ndarray]) -> set[int]:
    """The orbit of a point (of rows + columns) under the group the permutations generate."""
    orbit, frontier = {point}, [point]
    while frontier:
        p = frontier.pop()
        for g in generators:
            q = int(g[p])
            if q not in orbit:
                orbit.add(q)
                frontier.append(q)
    return orbit


def pattern_group(labels: np.ndarray, *, limit: int = 10_000, budget: int = 20_000,
                  seconds: float = PATTERN_SECONDS) -> PatternGroup:
    """The permutations (sigma, tau) of rows and columns with labels[sigma p, tau q] =
    labels[p, q], as a group acting on rows + columns (points 0..out-1, then out..):
    automorphisms of the complete bipartite graph with edges coloured by label.

    Colour refinement first. If it tells all rows and columns apart, only the identity is
    left; if the labels are constant on every block (row colour x column colour), every
    permutation within the colour classes is an automorphism, and the group is the
    product of the symmetric groups on the classes (an "all equal" W: S_out x S_in).
    Otherwise a strong generating set by individualisation and refinement, as nauty
    does without its pruning: along a base b_1, b_2, ... (each the first point of the
    first class refinement leaves open), for every point c of b_i's class not yet in the
    orbit of b_i under the generators found at that level, one automorphism fixing
    b_1..b_{i-1} and taking b_i to c is searched for (depth first, each step an
    individualisation and a refinement); those found generate the group. Patterns that
    refinement splits well (the orbit sharings of image groups, circulants) need a few
    refinements per base point. At most ``limit`` generators, ``budget`` refinements and
    ``seconds`` of time: when one runs out the generators found so far generate the group
    returned, marked incomplete.

    ``labels`` is a finite, non-empty real 2-D array (entries with equal values are tied;
    [`sharing_pattern`][pltheory.analysis.sharing_pattern] gives integers), ``limit`` and
    ``budget`` positive integers and ``seconds`` a number >= 0.

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
    colouring = _refined_colours(labels)
    rows, cols = colouring
    if _open_class(colouring)[0] is None:
        return PatternGroup(from_generators([identity], degree=out + inp, name="pattern group"), True)
    first_row = np.array([np.flatnonzero(rows == c)[0] for c in rows])
    first_col = np.array([np.flatnonzero(cols == c)[0] for c in cols])
    if np.array_equal(labels, labels[np.ix_(first_row, first_col)]):  # constant on the colour blocks
        points = [np.flatnonzero(rows == c) for c in range(rows.max() + 1)] + \
                 [out + np.flatnonzero(cols == c) for c in range(cols.max() + 1)]
        generators = [g for cls in points if cls.size > 1 for g in _symmetric_generators(cls, out + inp)]
        name = " x ".join(f"S{cls.size}" for cls in points if cls.size > 1) or "trivial"
        group = from_generators(generators or [identity], degree=out + inp, name="pattern group")
        return PatternGroup(group, True, f"{name} (permutations within classes of equal rows and columns)")
    search = _Search(labels, budget, time.monotonic() + seconds)
    generators: list[np.ndarray] = []
    level: list[np.ndarray] = []  # the generators found at the current base point
    complete = True
    try:
        while (open_class := _open_class(colouring))[0] is not None:
            side, cls = open_class
            members = np.flatnonzero(colouring[side] == cls)
            offset = out if side else 0
            fixed = search.individualise(colouring, side, members[0])
            for c in members[1:]:
                if offset + c in _orbit(offset + members[0], level):
                    continue
                found = search.isomorphism(fixed, search.individualise(colouring, side, c))
                if found is not None:
                    if len(generators) + len(level) >= limit:
                        raise _BudgetExhausted
                    level.append(found)
            generators, level, colouring = generators + level, [], fixed
    except _BudgetExhausted:
        complete = False
        generators += level
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
    Schreier-Sims, `FiniteGroup.sympy`).

    In this order: "trivial"; C_n when G is cyclic; an abelian group by its abelian
    invariants (prime powers, "C2xC2", "C2xC4xC3"); D_m when G is dihedral of order
    2m >= 6 (so S_3 is "D3"); S_k or A_k when G acts faithfully on an orbit of k points as
    all of Sym(k) or Alt(k) (order k! or k!/2, k >= 4; a group isomorphic to S_k without
    such an orbit is not recognised); otherwise "order N". Groups on more than
    `SIMS_MAX_DEGREE` points are named by their order only; dihedral groups are recognised
    up to ``G.max_elements`` elements (sympy lists them).

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
    # a dihedral group's derived subgroup is cyclic: a cheap test first (sympy's is_dihedral
    # takes half a minute on S_8)
    if n >= 6 and n <= G.max_elements and S.derived_subgroup().is_cyclic and S.is_dihedral:
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

    ``transfer[i, j]`` is the share of the energy of f(H_i) - f(0) in component j, where H_i
    is the inputs' component i alone: the edge i -> j is observed when it exceeds the
    tolerance. A row sums to 1, but is 0 when component i held no more than the tolerance
    of the inputs' energy (it is not probed) or when f(H_i) = f(0) (a ReLU of an invariant
    component that is negative everywhere).

    >>> import numpy as np
    >>> from pltheory.families import cyclic
    >>> from pltheory.gsets import GSet
    >>> H = np.random.default_rng(0).standard_normal((4, 50))
    >>> flow = frequency_flow(H, GSet.regular(cyclic(4)))
    >>> flow.keys, round(float(flow.before.sum()), 6), ("1", "2") in flow.edges
    (['0', '1', '2'], 1.0, True)
    >>> flow.transfer.sum(axis=1).round(6).tolist()
    [1.0, 1.0, 1.0]
    """

    keys: list[str]
    before: np.ndarray
    after: np.ndarray
    edges: set[tuple[str, str]]
    transfer: np.ndarray


def frequency_flow(H: np.ndarray, X: GSet, activation: str = "relu", *, tol: float = FLOW_TOL) -> FrequencyFlow:
    """Observed energy flow of an activation between the isotypic components of Fun(X).

    Parameters
    ----------
    H : ndarray
        Real pre-activations (|X| x samples), e.g. W x for inputs x of a task.
    X : GSet
        The G-set whose isotypic components are measured.
    activation : str or Activation
        The activation applied entrywise ([`pltheory.activation`][pltheory.activations.activation]).
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
    transfer = np.zeros((len(keys), len(keys)))
    coords = D.coordinates(H)
    for i, c in enumerate(D.components):
        part = c.basis @ coords[D.slices[i]]  # the inputs' component i
        if np.sum(part**2) > tol * max(float(np.sum(H**2)), 1e-300):
            transfer[i] = shares(f(part) - offset)
    edges = {(keys[i], keys[j]) for i, j in zip(*np.nonzero(transfer > tol))}
    return FrequencyFlow(keys, before, after, edges, transfer)


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


def component_frequencies(X: GSet) -> dict[str, float]:
    """The frequency of each isotypic component of Fun(X): the mean over its unit vectors f
    of sum_s ||P_s f - f||^2 over the generators s of X's group, the Dirichlet energy on the
    Schreier graph of the generators (an invariant of the component: the trace of the
    projector times the graph's Laplacian, over the dimension). For C_n on n points,
    generated by one shift, component k has 2 - 2 cos(2 pi k / n): it grows with k, and for
    images it grows with the spatial frequency. O(|X| dim) per component and generator.

    >>> from pltheory.families import cyclic
    >>> {k: round(v, 3) for k, v in component_frequencies(GSet.natural(cyclic(4))).items()}
    {'0': 0.0, '1': 2.0, '2': 4.0}
    """
    X = check_gset(X, "X")
    D = decompose(X)
    frequencies = {}
    for c in D.components:
        B = np.asarray(c.basis, dtype=float)
        energy = 0.0
        for act in X.action:
            moved = np.empty_like(B)
            moved[act] = B  # (P_s f)(s.x) = f(x)
            energy += float(np.sum((moved - B) ** 2))
        frequencies[c.irrep.key] = energy / B.shape[1]
    return frequencies


@dataclass(frozen=True)
class FlowCheck:
    """An observed [`FrequencyFlow`][pltheory.analysis.FrequencyFlow] against an interaction graph
    ([`compare_flow`][pltheory.analysis.compare_flow]): the observed edges the graph lacks
    (``outside``: empty when the observations respect the theory), the graph's edges out of
    components that carried energy and yet stayed silent (``silent``), the observed edges
    into a component of higher frequency (``upward``), each component's frequency
    ([`component_frequencies`][pltheory.analysis.component_frequencies]) and the
    energy-weighted mean frequency before and after the activation; ``varying_before`` and
    ``varying_after`` are the same means over the components of positive frequency only
    (NaN when they hold no energy): ReLU adds a mean (frequency 0), which lowers the mean
    frequency even where it moves the rest of the energy up.

    >>> import numpy as np
    >>> import pltheory as pt
    >>> X = pt.GSet.regular(pt.cyclic(4))
    >>> check = compare_flow(frequency_flow(np.random.default_rng(0).standard_normal((4, 50)), X),
    ...                      pt.interaction_graph(X, "relu"))
    >>> check.outside, check.silent, sorted(check.upward), check.moves_up   # relu adds a mean: lower on average
    (set(), set(), [('1', '2')], False)
    """

    outside: set[tuple[str, str]]
    silent: set[tuple[str, str]]
    upward: set[tuple[str, str]]
    frequencies: dict[str, float]
    mean_before: float
    mean_after: float
    varying_before: float = math.nan
    varying_after: float = math.nan

    @property
    def moves_up(self) -> bool:
        """Whether the activation moved energy to higher frequencies on average."""
        return self.mean_after > self.mean_before + 1e-12 * max(1.0, abs(self.mean_before))

    def as_dict(self) -> dict:
        """JSON-ready, edges as sorted lists of [source, target]."""
        return {"edges_outside_theory": [list(e) for e in sorted(self.outside)],
                "silent_edges": [list(e) for e in sorted(self.silent)],
                "low_to_high_edges": [list(e) for e in sorted(self.upward)],
                "frequencies": dict(self.frequencies), "mean_frequency_before": self.mean_before,
                "mean_frequency_after": self.mean_after, "moves_to_higher_frequency": self.moves_up,
                "varying_mean_frequency_before": _json_number(self.varying_before),
                "varying_mean_frequency_after": _json_number(self.varying_after)}


def compare_flow(flow: FrequencyFlow, graph: InteractionGraph, *, tol: float = FLOW_TOL) -> FlowCheck:
    """The observed flow against the interaction graph of the same G-set (see
    [`FlowCheck`][pltheory.analysis.FlowCheck]):
    [`check_flow`][pltheory.analysis.check_flow]'s edges outside the graph, the graph's
    edges i -> j whose source held more than ``tol`` of the energy before the activation but
    that were not observed, and the direction of the flow in frequency.

    Examples
    --------
    ReLU on C_6 cuts a wave of frequency 1 (frequency 1.0) into pieces of frequencies 0 and
    2 (0.0 and 3.0); most of the energy goes to 0:

    >>> import numpy as np
    >>> import pltheory as pt
    >>> X = pt.GSet.natural(pt.cyclic(6))
    >>> H = np.cos(2 * np.pi * np.arange(6) / 6)[:, None] * np.ones((1, 3))
    >>> check = compare_flow(frequency_flow(H, X), pt.interaction_graph(X, "relu", method="exact"))
    >>> check.outside, sorted(check.upward), round(check.mean_before, 3), round(check.mean_after, 3)
    (set(), [('1', '2')], 1.0, 0.667)

    Leaving the mean out, the ReLU moved energy up: relu(cos) has energy 3/4 in
    frequency 1 (level 1) and 1/12 in frequency 2 (level 3), (0.75 + 0.25) / (5/6):

    >>> round(check.varying_before, 3), round(check.varying_after, 3)
    (1.0, 1.2)
    """
    outside = check_flow(flow, graph)
    tol = check_real(tol, "tol", 0.0, 1.0)
    frequencies = component_frequencies(graph.X)
    present = {k for k, share in zip(flow.keys, flow.before) if share > tol}
    silent = {(i, j) for i, j in graph.edges() if i in present} - flow.edges
    upward = {(i, j) for i, j in flow.edges
              if i in frequencies and j in frequencies and frequencies[j] > frequencies[i] + FREQUENCY_TOL}
    level = np.array([frequencies.get(k, math.nan) for k in flow.keys])
    varying = level > FREQUENCY_TOL  # the components that are not invariant

    def varying_mean(shares: np.ndarray) -> float:
        held = float(shares[varying].sum())
        return float(shares[varying] @ level[varying]) / held if held > 0 else math.nan

    return FlowCheck(outside, silent, upward, frequencies, float(flow.before @ level), float(flow.after @ level),
                     varying_mean(flow.before), varying_mean(flow.after))


def _json_number(value: float) -> float | None:
    """``value``, or None for NaN (JSON has no NaN)."""
    return None if math.isnan(value) else value
