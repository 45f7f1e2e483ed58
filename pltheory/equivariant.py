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
from .permutations import cycle_notation
from .reps import permutation_matrix
from .tolerances import DENSE_RANK_TOL, EQUIVARIANCE_TOL, EQUIVARIANCE_TOLS
from .validate import check_flag, check_instance, check_integer, check_real, check_real_array


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


# ------------------------------------------------------------ equivariance checks
@dataclass(frozen=True)
class Defect:
    """How far a map A: Fun X -> Fun Y is from commuting with one group element g: the
    defect ``||A(P^X_g x) - P^Y_g A(x)||`` (Frobenius norm over every entry, batch and
    channels included), absolute and relative to ``||A(x)||`` (for a matrix W, A(x) = W x
    and the norms are those of ``P^Y_g W - W P^X_g`` and W).

    Every check in pltheory measures equivariance this way: the weight checks here and the
    checks of callables and torch modules in [`pltheory.testing`][pltheory.testing].

    Attributes
    ----------
    element:
        g as a permutation of the group's points (its ``degree``).
    generator:
        The index of g among the group's generators, or ``None`` for a random element.
    relative, absolute, norm:
        ``absolute / norm``, the defect, and the norm of the output it is measured against.

    Examples
    --------
    >>> import numpy as np
    >>> d = Defect(np.array([1, 2, 0]), 0, relative=0.5, absolute=1.0, norm=2.0)
    >>> d.name, d.passes(tol=0.1), d.passes(tol=0.1, atol=1.0)
    ('generator 0 = (0 1 2)', False, True)
    """

    element: np.ndarray
    generator: int | None
    relative: float
    absolute: float
    norm: float

    @property
    def name(self) -> str:
        """``"generator s = (cycles)"`` or ``"element (cycles)"`` for a random element."""
        cycles = cycle_notation(self.element)
        return f"generator {self.generator} = {cycles}" if self.generator is not None else f"element {cycles}"

    def passes(self, tol: float, atol: float = 0.0) -> bool:
        """Whether the relative defect is at most ``tol`` or the absolute one at most ``atol``."""
        return self.relative <= tol or self.absolute <= atol


def commutation_defect(moved: np.ndarray, expected: np.ndarray, element: np.ndarray,
                       generator: int | None) -> Defect:
    """The [`Defect`][pltheory.equivariant.Defect] of g from ``moved`` = A(P^X_g x) and
    ``expected`` = P^Y_g A(x): ``||moved - expected||`` against ``||expected||``.

    Both are scaled by their largest |entry| first, so no square overflows (entries of
    1e200) and the relative defect does not depend on the scale; float32 (or float16)
    values are widened to float64, exactly, before they are compared.

    >>> import numpy as np
    >>> d = commutation_defect(np.array([1.0, 2.0]), np.array([1.0, 2.5]), np.array([1, 0]), 0)
    >>> round(d.absolute, 3), round(d.relative, 3)
    (0.5, 0.186)
    """
    moved = np.asarray(moved, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    top = max(float(np.abs(moved).max(initial=0.0)), float(np.abs(expected).max(initial=0.0)))
    if top == 0.0:
        return Defect(element, generator, 0.0, 0.0, 0.0)
    difference = float(np.linalg.norm(moved / top - expected / top))
    size = float(np.linalg.norm(expected / top))
    relative = difference / size if size > 0 else (math.inf if difference > 0 else 0.0)
    return Defect(element, generator, relative, difference * top, size * top)


def matrix_defects(W: np.ndarray, X: GSet, Y: GSet) -> list[Defect]:
    """The [`Defect`][pltheory.equivariant.Defect] of each generator s for a weight W:
    ``||P^Y_s W - W P^X_s||_F = ||W[s.y, s.x] - W[y, x]||_F`` against ``||W||_F`` (the
    matrices are orthogonal, so none is formed: O(k |X||Y|)).

    >>> import numpy as np
    >>> from pltheory.families import cyclic
    >>> X = GSet.natural(cyclic(4))
    >>> print([round(d.relative, 4) for d in matrix_defects(np.diag([1.0, 2.0, 3.0, 4.0]), X, X)])
    [0.6325]
    """
    check_same_group(X, Y)
    W = check_weight(W, X, Y)
    return [commutation_defect(W[np.ix_(ay, ax)], W, g, s)
            for s, (g, ay, ax) in enumerate(zip(X.group.generators, Y.action, X.action))]


def default_tol(dtype: object) -> float:
    """The relative tolerance of the equivariance checks for values of ``dtype`` (a numpy
    or torch dtype, or its name): `EQUIVARIANCE_TOLS` by name, float64's for anything else
    (integers, exact values).

    >>> import numpy as np
    >>> default_tol(np.float32), default_tol("torch.float64"), default_tol(np.int64)
    (1e-05, 1e-09, 1e-09)
    """
    name = str(np.dtype(dtype)) if isinstance(dtype, type) and issubclass(dtype, np.generic) else str(dtype)
    return EQUIVARIANCE_TOLS.get(name.removeprefix("torch."), EQUIVARIANCE_TOL)


#: Elements listed after the first line of a failed check.
MAX_DEFECTS_SHOWN = 12


def check_defects(defects: Sequence[Defect], tol: float, what: str, group: str, *, atol: float = 0.0,
                  note: str = "") -> None:
    """Raise [`NotEquivariantError`][pltheory.errors.NotEquivariantError] unless every defect passes ``tol`` / ``atol``
    (hidden from pytest's tracebacks, which then end at the user's test).

    The message's first line names the worst failing element (a generator in cycle
    notation), its relative and absolute defect and the tolerance; the lines after it list
    every element checked. ``note`` (say, the dtype and input shape) ends the first line.

    >>> import numpy as np
    >>> d = Defect(np.array([1, 0]), 0, relative=0.5, absolute=1.0, norm=2.0)
    >>> try:
    ...     check_defects([d], 1e-9, "W", "C2")
    ... except NotEquivariantError as error:
    ...     print(error)
    W is not C2-equivariant: relative error 0.5 > tol 1e-09 at generator 0 = (0 1) (absolute error 1, norm 2)
      generator 0 = (0 1): relative error 0.5, absolute 1 FAILS
    """
    __tracebackhide__ = True  # pytest shows the failing test, not this function
    failing = [d for d in defects if not d.passes(tol, atol)]
    if not failing:
        return
    worst = max(failing, key=lambda d: d.relative)
    bounds = f"tol {tol:.3g}" + (f" (or absolute error <= atol {atol:.3g})" if atol else "")
    first = (f"{what} is not {group}-equivariant: relative error {worst.relative:.3g} > {bounds} at {worst.name} "
             f"(absolute error {worst.absolute:.3g}, norm {worst.norm:.3g}{', ' + note if note else ''})")
    shown = list(defects[:MAX_DEFECTS_SHOWN])
    lines = [f"  {d.name}: relative error {d.relative:.3g}, absolute {d.absolute:.3g} "
             f"{'ok' if d.passes(tol, atol) else 'FAILS'}" for d in shown]
    if len(defects) > len(shown):
        lines.append(f"  ... and {len(defects) - len(shown)} more elements")
    raise NotEquivariantError("\n".join([first, *lines]))



def equivariance_error(W: np.ndarray, X: GSet, Y: GSet) -> float:
    """max_s ||P^Y_s W - W P^X_s||_F / ||W||_F over the generators s (0 for W = 0).

    Zero iff W is equivariant: commuting with the generators' matrices is commuting
    with all of G. ``||P^Y_s W - W P^X_s||_F = ||W[s.y, s.x] - W[y, x]||_F`` because the
    matrices are orthogonal, so no matrix is formed: O(k |X||Y|)
    ([`matrix_defects`][pltheory.equivariant.matrix_defects]).

    >>> import numpy as np
    >>> from pltheory.families import cyclic
    >>> X = GSet.natural(cyclic(4))
    >>> round(equivariance_error(np.diag([1.0, 2.0, 3.0, 4.0]), X, X), 4), equivariance_error(np.eye(4), X, X)
    (0.6325, 0.0)
    """
    return max(d.relative for d in matrix_defects(W, X, Y))


def assert_equivariant(W: np.ndarray, X: GSet, Y: GSet, *, tol: float | None = None,
                       exact: bool = False, atol: float = 0.0) -> None:
    """Raise [`NotEquivariantError`][pltheory.errors.NotEquivariantError] unless the weight
    matrix W (|Y| x |X|) satisfies P^Y_g W = W P^X_g for every generator g.

    Generators suffice: the g for which it holds form a subgroup. Without ``exact`` the
    relative defect of [`matrix_defects`][pltheory.equivariant.matrix_defects] must be at
    most ``tol``, by default [`default_tol`][pltheory.equivariant.default_tol] of W's dtype
    (`EQUIVARIANCE_TOL` for float64, `EQUIVARIANCE_TOL_FLOAT32` for float32), or the
    absolute defect ||P^Y_g W - W P^X_g||_F at most ``atol`` (default 0). With
    ``exact=True`` nothing is rounded: a numeric array must be constant on each orbit of G
    on Y x X, bit for bit ([`exact_orbit_failures`][pltheory.equivariant.exact_orbit_failures]),
    and anything else (rationals, sympy expressions, symbols) is checked with sympy.

    `pltheory.assert_equivariant` is [`pltheory.testing.assert_equivariant`][pltheory.testing.assert_equivariant],
    which also takes torch tensors (with grad), torch modules, callables and MSR layers.

    Examples
    --------
    >>> import numpy as np
    >>> from pltheory.families import cyclic
    >>> X = GSet.natural(cyclic(4))
    >>> assert_equivariant(np.eye(4) + np.roll(np.eye(4), 1, axis=1), X, X)   # a convolution
    >>> assert_equivariant(np.diag([1.0, 2, 3, 4]), X, X)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pltheory.errors.NotEquivariantError: W is not C4-equivariant: relative error 0.632 > tol 1e-09 at generator 0 ...
    """
    if tol is None:
        tol = default_tol(getattr(W, "dtype", np.float64))
    tol = check_real(tol, "tol", 0.0)
    atol = check_real(atol, "atol", 0.0)
    exact = check_flag(exact, "exact")
    check_same_group(X, Y)
    if exact and isinstance(W, np.ndarray) and W.dtype.kind in "biuf":
        if W.ndim != 2 or W.shape != (Y.size, X.size):
            check_weight(W, X, Y)  # the shape message
        failures = exact_orbit_failures(W.reshape(-1, 1), X, Y)
        if failures:
            raise NotEquivariantError(failures[0].message("W", exact_weight=True))
        return
    if exact:
        failing = exact_equivariance_failures(W, X, Y)
        if failing:
            names = ", ".join(f"{s} = {cycle_notation(X.group.generators[s])}" for s in failing)
            raise NotEquivariantError(
                f"W is not {X.group.name}-equivariant (exact check): it does not commute with generator {names}")
        return
    check_defects(matrix_defects(W, X, Y), tol, "W", X.group.name, atol=atol)


@dataclass(frozen=True)
class OrbitFailure:
    """A column of a sharing matrix U (|Y||X| x k, row r = y |X| + x) that is not constant
    on an orbit of G on Y x X, found by [`exact_orbit_failures`][pltheory.equivariant.exact_orbit_failures].

    Attributes
    ----------
    column, orbit, orbit_size:
        The column of U, the orbit's number in the orbit basis (``labels``) and its size.
    pair, value:
        A pair (y, x) of the orbit and U's entry there ...
    other, other_value:
        ... and a pair of the same orbit with a different entry.
    generator, generator_cycles, moved_from, moved:
        A generator s (and its cycles), a pair (y, x) of the orbit and ``moved`` =
        (s.y, s.x), where U's entries differ.
    group, width:
        The group's name and |X| (row r of U is the pair (r // |X|, r % |X|)).
    """

    column: int
    orbit: int
    orbit_size: int
    pair: tuple[int, int]
    value: object
    other: tuple[int, int]
    other_value: object
    generator: int
    generator_cycles: str
    moved_from: tuple[int, int]
    moved: tuple[int, int]
    group: str
    width: int

    def message(self, what: str = "U", *, exact_weight: bool = False) -> str:
        """The one-line-first message of [`NotEquivariantError`][pltheory.errors.NotEquivariantError]:
        ``what`` names U (or W, with ``exact_weight``: entries shown as W[y, x])."""
        def entry(pair: tuple[int, int], value: object) -> str:
            if exact_weight:
                return f"{what}[{pair[0]}, {pair[1]}] = {value!r}"
            return f"{what}[{pair[0] * self.width + pair[1]}, {self.column}] = {value!r} at (y, x) = {pair}"

        where = "" if exact_weight else f"column {self.column} of "
        return (f"{where}{what} is not {self.group}-equivariant (exact check): not constant on orbit {self.orbit} of "
                f"Y x X ({self.orbit_size} pairs): {entry(self.pair, self.value)} but "
                f"{entry(self.other, self.other_value)}\n"
                f"  generator {self.generator} = {self.generator_cycles} moves (y, x) = {self.moved_from} to "
                f"{self.moved}, where the entries differ")


def exact_orbit_failures(U: np.ndarray, X: GSet, Y: GSet, basis: OrbitBasis | None = None) -> list[OrbitFailure]:
    """The columns of U (|Y||X| x k; a weight W as ``W.reshape(-1, 1)``) that do not lie in
    the span of the orbit basis, one [`OrbitFailure`][pltheory.equivariant.OrbitFailure]
    per failing column; the empty list means every column is G-equivariant.

    A column lies in the span iff it is constant on each orbit of G on Y x X. Entries are
    compared exactly: floats (float32 or float64) by their binary value, integers, and
    Fractions or sympy numbers in an object array by ``==``; no tolerance. O(|X||Y| k).

    >>> import numpy as np
    >>> from pltheory.families import cyclic
    >>> X = GSet.natural(cyclic(3))
    >>> U = equivariant_basis(X, X).sharing_matrix().toarray()
    >>> exact_orbit_failures(U, X, X)
    []
    >>> U[4, 0] += 2.0**-30
    >>> print([(f.column, f.orbit, f.pair, f.other) for f in exact_orbit_failures(U, X, X)])
    [(0, 0, (0, 0), (1, 1))]
    """
    check_same_group(X, Y)
    U = _exact_values(U)
    n = Y.size * X.size
    if U.ndim != 2 or U.shape[0] != n:
        raise WeightError(f"a sharing matrix of maps Fun({X.name}) -> Fun({Y.name}) has |Y||X| = {n} rows "
                          f"(row y*|X| + x), got shape {U.shape}")
    U3 = U.reshape(Y.size, X.size, -1)  # a column is constant on the orbits iff every generator move keeps it
    if not any(np.asarray(U3[np.ix_(ay, ax)] != U3, dtype=bool).any() for ay, ax in zip(Y.action, X.action)):
        return []  # no orbit basis needed to pass
    basis = equivariant_basis(X, Y) if basis is None else basis
    labels = basis.labels.ravel()
    _, first = np.unique(labels, return_index=True)  # the first pair of each orbit
    differs = np.asarray(U != U[first[labels]], dtype=bool)
    failures = []
    for column in np.flatnonzero(differs.any(axis=0)).tolist():
        row = int(np.flatnonzero(differs[:, column])[0])
        orbit = int(labels[row])
        W = U[:, column].reshape(Y.size, X.size)
        in_orbit = basis.labels == orbit
        # some generator moves a pair of the orbit to one with another entry: orbits are
        # connected by generator moves
        s, moves = next((s, m) for s, m in enumerate(
            np.asarray(W[np.ix_(ay, ax)] != W, dtype=bool) & in_orbit for ay, ax in zip(Y.action, X.action)) if m.any())
        ay, ax = Y.action[s], X.action[s]
        y, x = (int(i) for i in np.argwhere(moves)[0])
        failures.append(OrbitFailure(
            column, orbit, int(basis.orbit_sizes[orbit]), divmod(int(first[orbit]), X.size),
            _shown_entry(U[first[orbit], column]), divmod(row, X.size), _shown_entry(U[row, column]), s,
            cycle_notation(X.group.generators[s]), (y, x), (int(ay[y]), int(ax[x])), X.group.name, X.size))
    return failures


def _exact_values(U: object) -> np.ndarray:
    """U as a numeric array compared exactly: floats and integers as they are, an object
    array of exact real numbers (Fractions, sympy numbers) kept as objects."""
    if isinstance(U, np.ndarray) and U.dtype.kind in "biuf":
        arr = U
    else:
        try:
            arr = np.asarray(U)
        except (TypeError, ValueError) as exc:
            raise WeightError(f"a sharing matrix must be a numeric array: {exc}") from None
        if arr.dtype == object:
            for v in arr.ravel().tolist():
                _exact_entry(v)  # numbers only: no string reaches sympy
                if not (isinstance(v, numbers.Real) or (isinstance(v, sympy.Basic) and v.is_number)):
                    raise WeightError(f"entry {str(v)[:60]!r} is not a real number; use exact_equivariance_failures "
                                      f"for symbolic weights")
        elif arr.dtype.kind not in "biuf":
            raise WeightError(f"a sharing matrix has real entries, got entries of type {arr.dtype}")
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise WeightError(f"the matrix contains {np.count_nonzero(~np.isfinite(arr))} NaN or infinite entries")
    return arr


def _shown_entry(value: object) -> object:
    """An entry as a plain Python number that prints exactly (float32 values as their float64 twin)."""
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, (np.integer, np.bool_)):
        return int(value)
    return value


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
