"""Equivariant linear maps Hom_G(Fun X, Fun Y) and their exact orbit basis.

A linear map W: Fun(X) -> Fun(Y) is a |Y| x |X| array. It is G-equivariant iff
P^Y_g W = W P^X_g for all g, iff W[g.y, g.x] = W[y, x] for all g, x, y: W is a
G-invariant function on Y x X. Hence (the orbit lemma)

    Hom_G(Fun X, Fun Y) = Fun_G(Y x X),  dim = #orbits of G on Y x X
                                             = (1/|G|) sum_g |X^g| |Y^g|,

with the exact basis of orbit indicators. ``equivariant_basis`` finds the orbits from
the generators in O(|X| |Y| k) for k generators: through a Schreier transversal of X and
the orbits of its point stabilisers on Y ([`pltheory.pair_orbits`][pltheory.pair_orbits])
for large Y, by union-find over all pairs for small ones; the group is never enumerated.

Examples
--------
>>> from pltheory.families import symmetric
>>> from pltheory.gsets import GSet
>>> X = GSet.natural(symmetric(5))
>>> B = equivariant_basis(X, X)
>>> B.dim, B.orbit_sizes.tolist()
(2, [5, 20])
>>> W = B.expand([2.0, -1.0])           # 2 on the diagonal, -1 elsewhere
>>> equivariance_error(W, X, X)
0.0
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import scipy.linalg
import scipy.sparse as sp
import sympy
from sympy.polys.domains import QQ
from sympy.polys.matrices import DomainMatrix

from .errors import GroupMismatchError, NotEquivariantError, WeightError
from .gsets import GSet, check_gset
from .limits import check_memory
from .pair_orbits import pair_orbit_labels
from .reps import permutation_matrix
from .tolerances import DENSE_RANK_TOL, EQUIVARIANCE_TOL, EQUIVARIANCE_TOL_FLOAT32
from .validate import check_instance, check_integer, check_real, check_real_array


@dataclass(frozen=True, eq=False)
class OrbitBasis:
    """The orbit basis of Hom_G(Fun X, Fun Y) = Fun_G(Y x X).

    Attributes
    ----------
    X, Y:
        Source and target G-sets.
    labels:
        (|Y|, |X|) integer array; ``labels[y, x]`` is the orbit of (y, x), numbered
        0..dim-1 in row-major order of first appearance. Basis element i is the 0/1
        matrix ``labels == i``.

    Examples
    --------
    >>> from pltheory.families import cyclic
    >>> X = GSet.natural(cyclic(4))
    >>> B = equivariant_basis(X, X)       # circulant matrices: W[y, x] depends on y - x
    >>> B
    OrbitBasis(C4: Fun(natural) -> Fun(natural), dim=4, shape=(4, 4))
    >>> B.labels
    array([[0, 1, 2, 3],
           [3, 0, 1, 2],
           [2, 3, 0, 1],
           [1, 2, 3, 0]])
    """

    X: GSet
    Y: GSet
    labels: np.ndarray

    @property
    def dim(self) -> int:
        """dim Hom_G(Fun X, Fun Y): the number of G-orbits on Y x X."""
        return int(self.labels.max(initial=-1)) + 1

    @property
    def shape(self) -> tuple[int, int]:
        """(|Y|, |X|), the shape of a map W: Fun X -> Fun Y."""
        return self.labels.shape

    @cached_property
    def orbit_sizes(self) -> np.ndarray:
        """Number of pairs (y, x) in each orbit."""
        return np.bincount(self.labels.ravel(), minlength=self.dim)

    def as_dict(self) -> dict:
        """The JSON form: group, the two G-sets, the shape of W, the dimension and how many
        orbits there are of each size.

        >>> import pltheory as pt
        >>> X = pt.GSet.natural(pt.symmetric(3))
        >>> pt.equivariant_basis(X, X).as_dict()["orbit_sizes"]
        {'3': 1, '6': 1}
        """
        sizes, counts = np.unique(self.orbit_sizes, return_counts=True)
        return {"group": self.X.group.name, "x": self.X.name, "y": self.Y.name, "shape": list(self.shape),
                "dim": self.dim, "orbit_sizes": {str(int(s)): int(c) for s, c in zip(sizes, counts)}}

    def __repr__(self) -> str:
        return (
            f"OrbitBasis({self.X.group.name}: Fun({self.X.name}) -> Fun({self.Y.name}), "
            f"dim={self.dim}, shape={self.shape})"
        )

    def basis_matrix(self, i: int) -> sp.csr_matrix:
        """Basis element i, the indicator of orbit i, as a sparse |Y| x |X| matrix.

        >>> from pltheory.families import cyclic
        >>> X = GSet.natural(cyclic(4))
        >>> equivariant_basis(X, X).basis_matrix(1).toarray().astype(int).tolist()
        [[0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [1, 0, 0, 0]]
        """
        i = check_integer(i, "basis index", 0, self.dim - 1)
        rows, cols = np.nonzero(self.labels == i)
        return sp.csr_matrix((np.ones(rows.size), (rows, cols)), shape=self.shape)

    def basis_matrices(self) -> list[sp.csr_matrix]:
        """All basis elements as sparse matrices (the orbit indicators); O(|X||Y|) in all.

        >>> from pltheory.families import symmetric
        >>> X = GSet.natural(symmetric(3))
        >>> [M.nnz for M in equivariant_basis(X, X).basis_matrices()]   # diagonal, off-diagonal
        [3, 6]
        """
        U = self.sharing_matrix().tocsc()
        ny, nx = self.shape
        out = []
        for i in range(self.dim):
            flat = U.indices[U.indptr[i]:U.indptr[i + 1]]
            out.append(sp.csr_matrix((np.ones(flat.size), (flat // nx, flat % nx)), shape=self.shape))
        return out

    def sharing_matrix(self) -> sp.csr_matrix:
        """The MSR sharing matrix U (|Y||X| x dim, 0/1) with vec(W) = U v, vec row-major.

        Row r of U has its single 1 in column ``labels.ravel()[r]``, so U v = vec(expand(v)).

        >>> import numpy as np
        >>> from pltheory.families import cyclic
        >>> X = GSet.natural(cyclic(4))
        >>> B = equivariant_basis(X, X)
        >>> U, v = B.sharing_matrix(), np.array([1.0, 2.0, 3.0, 4.0])
        >>> U.shape, np.array_equal(U @ v, B.expand(v).ravel())
        ((16, 4), True)
        """
        n = self.labels.size
        return sp.csr_matrix(
            (np.ones(n), self.labels.ravel(), np.arange(n + 1)), shape=(n, self.dim)
        )

    def expand(self, coeffs: Sequence[float] | np.ndarray) -> np.ndarray:
        """W = sum_i coeffs[i] B_i (real numbers; integer coefficients give an integer W).

        >>> import numpy as np
        >>> from pltheory.families import cyclic
        >>> X = GSet.natural(cyclic(4))
        >>> equivariant_basis(X, X).expand(np.array([1, 2, 0, 0]))
        array([[1, 2, 0, 0],
               [0, 1, 2, 0],
               [0, 0, 1, 2],
               [2, 0, 0, 1]])
        """
        if isinstance(coeffs, np.ndarray) and coeffs.dtype.kind in "iu" and coeffs.ndim == 1:
            checked = coeffs  # exact integers stay integers
        else:
            checked = check_real_array(coeffs, "coefficients", 1)
        if checked.shape != (self.dim,):
            raise WeightError(f"expected {self.dim} coefficients, got shape {checked.shape}")
        return checked[self.labels]

    def coefficients(self, W: np.ndarray) -> np.ndarray:
        """Coordinates of project(W): the mean of W over each orbit. O(|X||Y|).

        >>> import numpy as np
        >>> from pltheory.families import cyclic
        >>> X = GSet.natural(cyclic(4))
        >>> equivariant_basis(X, X).coefficients(np.diag([1.0, 2.0, 3.0, 4.0])).tolist()
        [2.5, 0.0, 0.0, 0.0]
        """
        W = check_weight(W, self.X, self.Y)
        sums = np.bincount(self.labels.ravel(), weights=W.ravel(), minlength=self.dim)
        return sums / self.orbit_sizes

    def project(self, W: np.ndarray) -> np.ndarray:
        """Orthogonal projection of W onto Hom_G (Frobenius inner product).

        The orbit indicators are orthogonal, so the projection replaces each entry by
        the mean over its orbit; this equals the Reynolds average
        (1/|G|) sum_g P^Y_g W (P^X_g)^-1 at O(|X||Y|) cost.

        >>> import numpy as np
        >>> from pltheory.families import cyclic
        >>> X = GSet.natural(cyclic(4))
        >>> equivariant_basis(X, X).project(np.diag([1.0, 2.0, 3.0, 4.0])).diagonal().tolist()
        [2.5, 2.5, 2.5, 2.5]
        """
        return self.expand(self.coefficients(W))


#: From this many points of Y on, equivariant_basis finds the orbits of Y x X through
#: transversals ([`pltheory.pair_orbits`][pltheory.pair_orbits]; its per-point overhead is repaid above about
#: 500 points, measured by benchmarks/bench_basis.py), below it by union-find over all pairs.
TRANSVERSAL_MIN_POINTS = 512


def equivariant_basis(X: GSet, Y: GSet) -> OrbitBasis:
    """The orbit basis of Hom_G(Fun X, Fun Y) (maps Fun X -> Fun Y, |Y| x |X| arrays).

    >>> from pltheory.families import cyclic
    >>> from pltheory.gsets import GSet
    >>> equivariant_basis(GSet.regular(cyclic(6)), GSet.regular(cyclic(6))).dim
    6
    """
    check_same_group(X, Y)
    if Y.size < TRANSVERSAL_MIN_POINTS:  # small targets: union-find over all pairs is faster
        labels = GSet.product(Y, X).orbit_labels.reshape(Y.size, X.size)  # point y * |X| + x: row-major
    else:  # transversals and point stabilisers: about 12 bytes per pair instead of about 80
        labels = pair_orbit_labels(X, Y)
    labels.flags.writeable = False
    return OrbitBasis(X, Y, labels)


def project(W: np.ndarray, X: GSet, Y: GSet) -> np.ndarray:
    """Orthogonal projection of W: Fun X -> Fun Y onto Hom_G (orbit averaging,
    [`OrbitBasis.project`][pltheory.equivariant.OrbitBasis.project]); O(|X||Y| k) with the basis.

    >>> import numpy as np
    >>> from pltheory.families import symmetric
    >>> X = GSet.natural(symmetric(3))
    >>> project(np.arange(9.0).reshape(3, 3), X, X).tolist()
    [[4.0, 4.0, 4.0], [4.0, 4.0, 4.0], [4.0, 4.0, 4.0]]
    """
    return equivariant_basis(X, Y).project(W)


def check_weight(W: np.ndarray, X: GSet, Y: GSet) -> np.ndarray:
    """Return W as a float array after checking that it is a finite real |Y| x |X| array
    (`pltheory.validate.check_real_array`); else
    [`WeightError`][pltheory.errors.WeightError].

    >>> from pltheory.families import cyclic
    >>> G = cyclic(2)
    >>> check_weight([[1, 2]], GSet.natural(G), GSet.trivial(G))
    array([[1., 2.]])
    """
    W = check_real_array(W, "weight", 2)
    if W.shape != (Y.size, X.size):
        raise WeightError(
            f"a map Fun({X.name}) -> Fun({Y.name}) is a {Y.size} x {X.size} array "
            f"(|Y| x |X|), got shape {W.shape}"
        )
    return W


def scaled(W: np.ndarray) -> np.ndarray:
    """W divided by its largest |entry| (W itself if it is 0): the ratios that relative
    errors and energy shares are made of do not change, and squares of entries near the
    float range (1e200) cannot overflow.

    >>> import numpy as np
    >>> scaled(np.array([2.0, -4.0])), scaled(np.zeros(2))
    (array([ 0.5, -1. ]), array([0., 0.]))
    """
    top = float(np.abs(W).max(initial=0.0))
    return W / top if top > 0 else W


def exact_matrix(W: object, X: GSet, Y: GSet) -> sympy.Matrix:
    """W as an exact |Y| x |X| sympy Matrix, accepting only numbers (ints, floats taken at
    their exact binary value, Fractions, numpy scalars), sympy expressions and symbols.

    Anything else, strings in particular, raises [`WeightError`][pltheory.errors.WeightError]: sympy would turn a
    string into code and evaluate it. Non-finite numbers (NaN, infinities) are refused too.

    >>> from pltheory.families import cyclic
    >>> from pltheory.gsets import GSet
    >>> X = GSet.natural(cyclic(2))
    >>> exact_matrix([[1, 0.5], [sympy.Symbol("c"), 0]], X, X)
    Matrix([
    [1, 0.5],
    [c,   0]])
    """
    if isinstance(W, sympy.MatrixBase):
        shape, entries = W.shape, list(W)
    else:
        try:
            arr = np.asarray(W, dtype=object)
        except (TypeError, ValueError) as exc:
            raise WeightError(f"weight is not a matrix: {exc}") from None
        shape, entries = arr.shape, arr.ravel().tolist()
    if shape != (Y.size, X.size):
        raise WeightError(f"expected a {Y.size} x {X.size} matrix (|Y| x |X|), got shape {shape}")
    return sympy.Matrix(Y.size, X.size, [_exact_entry(v) for v in entries])


def _exact_entry(value: object) -> sympy.Expr:
    if isinstance(value, (bool, np.bool_)):
        return sympy.Integer(int(value))
    if isinstance(value, numbers.Complex) and not isinstance(value, numbers.Real):
        raise WeightError("weight is complex; real maps Fun X -> Fun Y are real arrays")
    if isinstance(value, numbers.Number):  # ints, floats, Fractions, Decimals, numpy scalars
        if not math.isfinite(float(value)):
            raise WeightError("weight contains NaN or infinite entries")
        return sympy.sympify(value, strict=True)
    if isinstance(value, sympy.Expr):  # symbols of unknown sign pass; a provably non-real value does not
        if value.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo) or value.is_extended_real is False:
            raise WeightError(f"weight entry {value} is not a finite real expression")
        return value
    raise WeightError(
        f"weight entry {str(value)[:60]!r} of type {type(value).__name__} is not a number, sympy "
        f"expression or symbol (strings are refused: sympy would evaluate them as code)"
    )


def equivariance_error(W: np.ndarray, X: GSet, Y: GSet) -> float:
    """max_s ||P^Y_s W - W P^X_s||_F / ||W||_F over the generators s (0 for W = 0).

    Zero iff W is equivariant: commuting with the generators' matrices is commuting
    with all of G. ``||P^Y_s W - W P^X_s||_F = ||W[s.y, s.x] - W[y, x]||_F`` because the
    matrices are orthogonal, so no matrix is formed: O(k |X||Y|).

    >>> import numpy as np
    >>> from pltheory.families import cyclic
    >>> X = GSet.natural(cyclic(4))
    >>> round(equivariance_error(np.diag([1.0, 2.0, 3.0, 4.0]), X, X), 4), equivariance_error(np.eye(4), X, X)
    (0.6325, 0.0)
    """
    check_same_group(X, Y)
    W = scaled(check_weight(W, X, Y))
    norm = np.linalg.norm(W)
    if norm == 0.0:
        return 0.0
    errors = [np.linalg.norm(W[np.ix_(ay, ax)] - W) for ay, ax in zip(Y.action, X.action)]
    return float(max(errors) / norm)


def assert_equivariant(W: np.ndarray, X: GSet, Y: GSet, *, tol: float | None = None,
                       exact: bool = False) -> None:
    """Raise [`NotEquivariantError`][pltheory.errors.NotEquivariantError] unless P^Y_g W = W P^X_g for every generator
    g.

    With ``exact=True`` the check is done in exact arithmetic with sympy (W may hold
    integers, rationals or symbols); otherwise the relative error of
    [`equivariance_error`][pltheory.equivariant.equivariance_error] must be at most ``tol``,
    by default `EQUIVARIANCE_TOL` (float64) or `EQUIVARIANCE_TOL_FLOAT32` (float32 weights).

    Examples
    --------
    >>> import numpy as np, pltheory as pt
    >>> X = pt.GSet.natural(pt.cyclic(4))
    >>> pt.assert_equivariant(np.eye(4) + np.roll(np.eye(4), 1, axis=1), X, X)   # a convolution
    >>> pt.assert_equivariant(np.diag([1.0, 2, 3, 4]), X, X)
    Traceback (most recent call last):
    ...
    pltheory.errors.NotEquivariantError: W is not C4-equivariant: relative error 0.632 > tol 1e-09
    """
    if tol is None:
        tol = EQUIVARIANCE_TOL_FLOAT32 if getattr(W, "dtype", None) == np.float32 else EQUIVARIANCE_TOL
    tol = check_real(tol, "tol", 0.0)
    if exact:
        failing = exact_equivariance_failures(W, X, Y)
        if failing:
            raise NotEquivariantError(
                f"W does not commute with the action of generator(s) {failing} of "
                f"{X.group.name} (exact check)"
            )
        return
    err = equivariance_error(W, X, Y)
    if err > tol:
        raise NotEquivariantError(
            f"W is not {X.group.name}-equivariant: relative error {err:.3g} > tol {tol:.3g}"
        )


def exact_equivariance_failures(W, X: GSet, Y: GSet) -> list[int]:
    """Generators s with P^Y_s W != W P^X_s, computed exactly with sympy matrices.

    ``W`` may be an array or nested list of numbers (floats compared exactly), or a sympy
    Matrix, whose entries are numbers, expressions or symbols (see [`exact_matrix`][pltheory.equivariant.exact_matrix];
    strings are refused). The empty list means W is equivariant.

    >>> import numpy as np
    >>> from pltheory.families import cyclic
    >>> X = GSet.natural(cyclic(4))
    >>> exact_equivariance_failures(np.diag([1, 2, 3, 4]), X, X), exact_equivariance_failures(np.eye(4), X, X)
    ([0], [])
    """
    check_same_group(X, Y)
    W = exact_matrix(W, X, Y)
    failing = []
    for s, (ay, ax) in enumerate(zip(Y.action, X.action)):
        residual = permutation_matrix(ay, "sympy") * W - W * permutation_matrix(ax, "sympy")
        if not all(sympy.expand(entry) == 0 for entry in residual):
            failing.append(s)
    return failing


@dataclass(frozen=True)
class BasisVerification:
    """Result of [`verify_orbit_basis`][pltheory.equivariant.verify_orbit_basis].

    Attributes
    ----------
    dim:
        Number of orbit basis elements.
    solution_dim:
        Exact dimension (over Q) of the solution space of P^Y_s W = W P^X_s, s a generator.
    failing_generators:
        Generators for which the symbolic W = sum c_i B_i fails to commute.

    Examples
    --------
    >>> BasisVerification(dim=2, solution_dim=2, failing_generators=()).ok
    True
    >>> BasisVerification(dim=1, solution_dim=2, failing_generators=()).ok   # misses a map
    False
    """

    dim: int
    solution_dim: int
    failing_generators: tuple[int, ...]

    @property
    def ok(self) -> bool:
        """The basis is equivariant and spans every equivariant map."""
        return not self.failing_generators and self.solution_dim == self.dim


def verify_orbit_basis(basis: OrbitBasis) -> BasisVerification:
    """Exact, symbolic verification of an orbit basis (for use in tests).

    1. With sympy symbols c_0..c_{dim-1}, W = sum c_i B_i must satisfy
       P^Y_s W = W P^X_s identically for every generator s.
    2. The linear system P^Y_s W - W P^X_s = 0 in the |Y||X| unknown entries of W, built
       from Kronecker products of the permutation matrices, must have a solution space
       of dimension exactly ``dim`` (rank over Q with sympy's sparse DomainMatrix), so the
       basis spans all equivariant maps.

    >>> from pltheory.families import symmetric
    >>> from pltheory.gsets import GSet
    >>> X = GSet.natural(symmetric(3))
    >>> verify_orbit_basis(equivariant_basis(X, X)).ok
    True
    """
    check_instance(basis, "basis", OrbitBasis, "an OrbitBasis")
    X, Y = basis.X, basis.Y
    c = sympy.symbols(f"c0:{basis.dim}")
    W = sympy.Matrix(Y.size, X.size, lambda y, x: c[basis.labels[y, x]])
    failing = tuple(exact_equivariance_failures(W, X, Y))
    return BasisVerification(basis.dim, exact_solution_dim(X, Y), failing)


def exact_solution_dim(X: GSet, Y: GSet) -> int:
    """dim over Q of {W : P^Y_s W = W P^X_s for all generators s}.

    In row-major vec, vec(P W) = (P (x) I) vec W and vec(W P) = (I (x) P^T) vec W, so the
    constraints are the rows of (P^Y_s (x) I - I (x) (P^X_s)^T), stacked over s.
    Exact rank over Q of a sparse (k |X||Y|) x |X||Y| matrix: for tests on small sets.

    >>> from pltheory.families import symmetric
    >>> X = GSet.natural(symmetric(3))
    >>> exact_solution_dim(X, X)
    2
    """
    check_same_group(X, Y)
    blocks = []
    for ay, ax in zip(Y.action, X.action):
        py = permutation_matrix(ay, "sparse")
        px = permutation_matrix(ax, "sparse")
        blocks.append(sp.kron(py, sp.identity(X.size)) - sp.kron(sp.identity(Y.size), px.T))
    A = sp.vstack(blocks).tocoo()
    entries: dict[int, dict[int, int]] = {}
    for r, col, v in zip(A.row.tolist(), A.col.tolist(), A.data.tolist()):
        if v != 0:
            entries.setdefault(r, {})[col] = QQ(int(round(v)))
    M = DomainMatrix(entries, A.shape, QQ)
    return X.size * Y.size - M.rank()


# ------------------------------------------------------ reference (dense) methods
def nullspace_basis(X: GSet, Y: GSet, tol: float = DENSE_RANK_TOL) -> np.ndarray:
    """Hom_G by dense linear algebra: the null space of the stacked constraints
    (P^Y_s (x) P^X_s - I) vec W = 0 (row-major vec), the way escnn/emlp-style tools do.

    Returns an orthonormal (|Y||X|, dim) array. Cost O((|X||Y|)^3): a reference and
    baseline, not the method to use.

    >>> from pltheory.families import symmetric
    >>> X = GSet.natural(symmetric(3))
    >>> nullspace_basis(X, X).shape
    (9, 2)
    """
    check_same_group(X, Y)
    tol = check_real(tol, "tol", 0.0)
    n = X.size * Y.size
    check_memory(8.0 * n * n * (X.group.num_generators + 2), f"the dense null space on {n} unknowns",
                 "use equivariant_basis, which needs no dense matrix")
    A = np.concatenate([
        np.kron(permutation_matrix(ay), permutation_matrix(ax)) - np.eye(n)
        for ay, ax in zip(Y.action, X.action)
    ])
    return scipy.linalg.null_space(A, rcond=tol)


def reynolds_basis(X: GSet, Y: GSet, tol: float = DENSE_RANK_TOL) -> np.ndarray:
    """Hom_G as the image of the Reynolds operator R = (1/|G|) sum_g P^Y_g (x) P^X_g,
    an orthogonal projector, read off by SVD. Enumerates G; cost O(|G| (|X||Y|)^2 +
    (|X||Y|)^3). A reference and baseline.

    Returns an orthonormal (|Y||X|, dim) array.

    >>> from pltheory.families import symmetric
    >>> X = GSet.natural(symmetric(3))
    >>> reynolds_basis(X, X).shape
    (9, 2)
    """
    check_same_group(X, Y)
    tol = check_real(tol, "tol", 0.0)
    ny, nx = Y.size, X.size
    check_memory(8.0 * (ny * nx) ** 2 * 3, f"the dense Reynolds operator on {ny * nx} unknowns",
                 "use equivariant_basis, which needs no dense matrix")
    R = np.zeros((ny * nx, ny * nx))
    cols = np.arange(ny * nx)
    for ay, ax in zip(Y.element_actions(), X.element_actions()):
        # (P^Y_g (x) P^X_g) maps pair (y, x) to (g.y, g.x)
        R[(ay[:, None] * nx + ax[None, :]).ravel(), cols] += 1.0
    R /= X.group.order
    U, svals, _ = scipy.linalg.svd(R)
    return U[:, svals > tol]


def burnside_dimension(X: GSet, Y: GSet) -> int:
    """dim Hom_G(Fun X, Fun Y) by Burnside's lemma, (1/|G|) sum_g |X^g| |Y^g|.

    Enumerates G: an independent check of the orbit count.

    >>> from pltheory.families import symmetric
    >>> X = GSet.natural(symmetric(3))
    >>> burnside_dimension(X, X), burnside_dimension(X, GSet.trivial(X.group))
    (2, 1)
    """
    check_same_group(X, Y)
    total = int(np.dot(X.fixed_point_counts(), Y.fixed_point_counts()))
    order = X.group.order
    if total % order:  # pragma: no cover - impossible for a genuine action
        raise ArithmeticError(f"Burnside sum {total} is not divisible by |G| = {order}")
    return total // order


def check_same_group(X: GSet, Y: GSet) -> None:
    """Raise `ArgumentError` unless X and Y are G-sets, [`GroupMismatchError`][pltheory.errors.GroupMismatchError]
    unless their groups are equal (the same degree and generators; two objects built the
    same way count as one group).

    >>> from pltheory.families import cyclic, symmetric
    >>> check_same_group(GSet.natural(cyclic(3)), GSet.regular(cyclic(3))) is None
    True
    >>> check_same_group(GSet.natural(cyclic(3)), GSet.natural(symmetric(3)))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pltheory.errors.GroupMismatchError: Fun(natural) is a C3-representation and Fun(natural) a S3-representation; ...
    """
    check_gset(X, "X")
    check_gset(Y, "Y")
    if X.group != Y.group:
        raise GroupMismatchError(
            f"Fun({X.name}) is a {X.group.name}-representation and Fun({Y.name}) a "
            f"{Y.group.name}-representation; both must be G-sets of one group"
        )
