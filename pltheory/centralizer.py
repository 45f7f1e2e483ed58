"""The centralizer algebra End_G(Fun X) and the isotypic decomposition it carries.

The algebra A = End_G(Fun X) has the orbit basis B_0, ..., B_{r-1} of G on X x X
([`equivariant_basis`][pltheory.equivariant.equivariant_basis], found from the generators,
never listing G). This is the classical theory of coherent configurations and Hecke algebras
(Higman; Bannai-Ito for the commutative case); the facts used here:

* **multiplication.** B_i B_j = sum_k p_ij^k B_k, where for any (y, x) in orbit k,
  p_ij^k counts the z with (y, z) in orbit i and (z, x) in orbit j. So the coefficient
  of B_k in a b = (sum a_i B_i)(sum b_j B_j) is sum_z a[label(y_k, z)] b[label(z, x_k)]
  for one representative pair (y_k, x_k) per orbit, and the matrix of left (right)
  multiplication by a is one weighted bincount over the rows y_k (columns x_k) of the
  label array: O(r |X|) each, never the r^3 structure constants themselves, nor an
  |X| x |X| product.
* **semisimple, closed under transpose.** B_k^T = B_k* (the orbit of the reversed pairs),
  and the trace form `<a, b>` = tr(a^T b) is positive definite: `<B_i, B_j>` = |O_i| if i =
  j, else 0. In the orthonormal basis B_k / sqrt(|O_k|), transposition is the adjoint, so A
  is a *-algebra and A = sum_V I_V, one two-sided ideal I_V = M_{m_V}(D_V) per irreducible V
  in Fun(X), with D_V = R, C or H.
* **central idempotents.** The unit e_V of I_V is the isotypic projector of Fun(X) onto
  its V-part. A generic symmetric central element z acts on A by left multiplication
  as the real scalar lambda_V on I_V; its eigenspaces are the ideals, and e_V is the
  orthogonal projection of the identity of A onto I_V.
* **invariants.**
  - dim I_V = m_V^2 dim D_V.
  - dim Z(I_V) = 2 for type C, else 1.
  - The symmetric elements of I_V have dimension m(m+1)/2 (R), m^2 (C) or m(2m-1) (H).

  Together these give the multiplicity m_V and the type. The trace tr(e_V) =
  m_V dim V, a weighted sum of diagonal orbit sizes, gives dim V.
* **characters.** tr(P_g e_V) = m_V chi_V(g) = sum_y c_V[label(g^-1 y, y)] for
  e_V = sum_k c_V[k] B_k: O(|X|) per element, with the labels.

Projections of vectors go through the labels, (e_V f)[y] = sum_x c_V[label(y, x)] f(x),
never a dense |X| x |X| projector. Cost: O(|X|^2 k) for the labels, O(r |X|) per
multiplication matrix, O(r^3) for the centre and the ideals (dense SVD and eigh of r x r
matrices), 16 r |X| bytes for the label rows and columns of the representatives.

Examples
--------
>>> import pltheory as pt
>>> A = CentralizerAlgebra(pt.GSet.from_spec(pt.symmetric(5), "pairs"))
>>> [(b.dim, b.multiplicity, b.type) for b in A.blocks]
[(1, 2, 'R'), (4, 3, 'R'), (5, 1, 'R'), (6, 1, 'R')]
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .equivariant import equivariant_basis
from .errors import NumericalError, TooLargeError
from .gsets import GSet, check_gset
from .limits import check_memory
from .schreier import random_elements
from .tolerances import (
    ALGEBRA_TOL,
    CENTRE_CANDIDATE,
    CENTRE_OVERLAP,
    EIGENVALUE_GAP,
    IDEMPOTENT_TOL,
    INTEGRALITY_TOL,
    SEPARATION_ATTEMPTS,
)
from .validate import check_integer

#: Largest dimension r of the centralizer algebra: its centre and ideals come from dense
#: r x r eigenproblems, O(r^3) (r = 1,320, S_7 on the cosets of a transposition: about 3 s).
MAX_ALGEBRA_DIM = 2500

#: Rows of the label array turned into coefficients at once when projecting vectors.
PROJECTION_ROWS = 1024

#: Group elements sampled (product replacement, fixed seed) to name the irreducibles of a
#: decomposition by their characters.
SAMPLED_ELEMENTS = 24


@dataclass(frozen=True)
class SampledElements:
    """Group elements with their action on a G-set: ``domain[i]`` permutes the group's
    domain and ``action[i]`` the points of X, for the same element. The generators come
    first, then deterministic pseudo-random elements (product replacement, seed 0), so the
    same G-set always gives the same elements."""

    domain: np.ndarray
    action: np.ndarray


def sampled_elements(X: GSet, count: int = SAMPLED_ELEMENTS) -> SampledElements:
    """The generators and ``count`` pseudo-random elements of G with their actions on X,
    drawn as permutations of the disjoint union of G's domain and X (one product
    replacement for both). O(count (d + |X|)).

    >>> import pltheory as pt
    >>> s = sampled_elements(pt.GSet.from_spec(pt.symmetric(4), "pairs"), 3)
    >>> s.domain.shape, s.action.shape
    ((5, 4), (5, 16))
    """
    G = X.group
    joined = np.hstack([np.array(G.generators), np.asarray(X.action) + G.degree])
    drawn = np.vstack([joined, *random_elements(joined, count, seed=0)]) if count else joined
    return SampledElements(drawn[:, : G.degree], drawn[:, G.degree:] - G.degree)


@dataclass(frozen=True)
class AlgebraBlock:
    """One simple ideal I_V = M_m(D) of End_G(Fun X), i.e. one irreducible V of Fun(X).

    Attributes
    ----------
    idempotent:
        Coefficients c (length r) of the central idempotent e_V = sum_k c[k] B_k, the
        orthogonal projector of Fun(X) onto its V-isotypic part.
    multiplicity, type, dim:
        m_V, the type of V ("R", "C", "H") and its real dimension.
    """

    idempotent: np.ndarray
    multiplicity: int
    type: str
    dim: int

    @property
    def trace(self) -> int:
        """tr(e_V) = m_V dim V, the dimension of the isotypic component."""
        return self.multiplicity * self.dim


class CentralizerAlgebra:
    """End_G(Fun X) with its orbit basis, structure constants and simple ideals.

    Parameters
    ----------
    X:
        A G-set; only the generators' action is used (the group is never listed).
    seed:
        Seed of the random elements that separate the ideals (the result does not
        depend on it, up to the order of equal-dimension blocks).

    Raises
    ------
    TooLargeError
        When X x X has more than `MAX_ALGEBRA_DIM` orbits, or the label array does not fit
        in memory.
    NumericalError
        When the ideals cannot be separated and certified (never seen in practice).

    Examples
    --------
    >>> import pltheory as pt
    >>> A = CentralizerAlgebra(pt.GSet.regular(pt.cyclic(3)))
    >>> A.dim, [(b.dim, b.multiplicity, b.type) for b in A.blocks]
    (3, [(1, 1, 'R'), (2, 1, 'C')])
    """

    def __init__(self, X: GSet, *, seed: int = 0) -> None:
        self.X = check_gset(X, "X")
        self.seed = check_integer(seed, "seed", 0)
        check_memory(8.0 * X.size * X.size * 3, f"the orbit labels of {X.name} x {X.name} ({X.size}^2 pairs)",
                     "use a smaller G-set")
        self.labels = equivariant_basis(X, X).labels
        self.dim = int(self.labels.max(initial=-1)) + 1
        if self.dim > MAX_ALGEBRA_DIM:
            raise TooLargeError(f"End_G(Fun {X.name}) has dimension {self.dim}, more than the limit "
                                f"{MAX_ALGEBRA_DIM} of the centralizer method (its eigenproblems cost "
                                f"dim^3); use the character method for small groups")
        self.sizes = np.bincount(self.labels.ravel(), minlength=self.dim)
        self.representatives = _first_pairs(self.labels)  # (y_k, x_k) per orbit
        y, x = self.representatives.T
        self.transpose = self.labels[x, y]  # B_k^T = B_{transpose[k]}
        diagonal = np.unique(self.labels[np.arange(X.size), np.arange(X.size)])
        self.identity = np.zeros(self.dim)
        self.identity[diagonal] = 1.0

    @cached_property
    def _representative_labels(self) -> tuple[np.ndarray, np.ndarray]:
        """label(y_k, z) and label(z, x_k) for every orbit k and point z: two r x |X| arrays."""
        check_memory(16.0 * self.dim * self.X.size, f"the label rows of the {self.dim} orbits of "
                     f"{self.X.name} x {self.X.name}", "use a smaller G-set")
        y, x = self.representatives.T
        return self.labels[y], np.ascontiguousarray(self.labels[:, x].T)

    def multiply(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Coefficients of (sum a_i B_i)(sum b_j B_j) in the orbit basis: entry k is
        sum_z a[label(y_k, z)] b[label(z, x_k)] (module docstring). O(r |X|).

        >>> import numpy as np, pltheory as pt
        >>> A = CentralizerAlgebra(pt.GSet.natural(pt.symmetric(4)))
        >>> A.multiply(A.identity, np.array([2.0, 3.0])).tolist()
        [2.0, 3.0]
        """
        rows, cols = self._representative_labels
        return np.einsum("kz,kz->k", a[rows], b[cols])

    def _multiplication(self, a: np.ndarray, side: str) -> np.ndarray:
        """The r x r matrix of left (L_a[k, j]: the B_k-coefficient of a B_j) or right
        (R_a[k, i]: of B_i a) multiplication by a, as one weighted bincount. O(r |X|)."""
        rows, cols = self._representative_labels
        r = self.dim
        target, weight = (cols, a[rows]) if side == "left" else (rows, a[cols])
        flat = (target + r * np.arange(r)[:, None]).ravel()
        return np.bincount(flat, weights=weight.ravel(), minlength=r * r).reshape(r, r)

    def _orthonormal(self, left: np.ndarray) -> np.ndarray:
        """A matrix acting on coefficients, in the orthonormal basis B_k / sqrt(|O_k|)."""
        root = np.sqrt(self.sizes)
        return left * root[:, None] / root[None, :]

    @cached_property
    def center(self) -> np.ndarray:
        """An orthonormal basis (columns, orthonormal coordinates) of the centre Z(A): the
        elements commuting with three random elements, which generate A. The null space of
        the stacked commutator matrices E is found in two steps: the eigenvectors of the
        r x r Gram matrix E^T E with eigenvalues below CENTRE_CANDIDATE (squared singular
        values, a generous cut), then an SVD of E restricted to them, which applies the
        ALGEBRA_TOL cut to the singular values themselves. O(r^3) for E^T E and its eigh,
        about a third of an SVD of the 3r x r stack."""
        rng = np.random.default_rng(self.seed)
        equations, scale = [], 0.0
        for _ in range(3):
            a = rng.normal(size=self.dim)
            left = self._orthonormal(self._multiplication(a, "left"))
            equations.append(left - self._orthonormal(self._multiplication(a, "right")))
            # the size of the multiplication: sqrt(||L||_1 ||L||_inf) bounds its spectral norm, in O(r^2)
            scale = max(scale, math.sqrt(float(np.abs(left).sum(axis=0).max() * np.abs(left).sum(axis=1).max())))
        E = np.vstack(equations)
        values, vectors = np.linalg.eigh(E.T @ E)
        candidates = vectors[:, values <= CENTRE_CANDIDATE * scale**2]
        # the commutators vanish on the centre up to rounding of the products themselves: the
        # threshold is relative to the size of the multiplications, not of the commutators
        _, singular, vt = np.linalg.svd(E @ candidates, full_matrices=False)
        singular = np.concatenate([singular, np.zeros(candidates.shape[1] - singular.size)])
        return candidates @ vt[singular <= ALGEBRA_TOL * scale].T

    @cached_property
    def blocks(self) -> tuple[AlgebraBlock, ...]:
        """The simple ideals, certified (module docstring), ordered by dimension of V,
        then multiplicity."""
        rng = np.random.default_rng(self.seed + 1)
        root = np.sqrt(self.sizes)
        T = np.zeros((self.dim, self.dim))
        T[self.transpose, np.arange(self.dim)] = 1.0  # transposition, orthogonal in these coordinates
        Z = self.center
        for _ in range(SEPARATION_ATTEMPTS):
            z = Z @ rng.normal(size=Z.shape[1])
            z = (z + T @ z) / root  # a symmetric central element, in orbit coordinates
            values, vectors = np.linalg.eigh(self._orthonormal(self._multiplication(z, "left")))
            scale = max(1.0, float(np.abs(values).max(initial=0.0)))
            cuts = np.flatnonzero(np.diff(values) > EIGENVALUE_GAP * scale) + 1
            found = [self._block(vectors[:, part], Z, T) for part in np.split(np.arange(self.dim), cuts)]
            if all(b is not None for b in found) and sum(b.trace for b in found) == self.X.size:
                return tuple(sorted(found, key=lambda b: (b.dim, b.multiplicity, b.type)))
        raise NumericalError(f"could not separate the simple ideals of End_G(Fun {self.X.name}) after "
                             f"{SEPARATION_ATTEMPTS} random central elements")

    def _block(self, U: np.ndarray, Z: np.ndarray, T: np.ndarray) -> AlgebraBlock | None:
        """The block spanned by the orthonormal columns U, or None when its invariants are
        not those of one simple ideal (two merged ideals). A type-C block's centre C e_V
        holds a J with J^2 = -lambda e_V, lambda > 0; two merged ideals R + H have a
        real split centre (c^2 a positive combination of their units) and fail."""
        root = np.sqrt(self.sizes)
        d = U.shape[1]
        idempotent = U @ (U.T @ (self.identity * root)) / root
        directions, overlaps, _ = np.linalg.svd(U.T @ Z, full_matrices=False)
        centre = directions[:, overlaps > CENTRE_OVERLAP]  # the block's centre, in U's coordinates
        symmetric = (d + float(np.trace(U.T @ T @ U))) / 2
        trace = float(idempotent @ (self.identity * self.sizes))
        kind, m = _type_and_multiplicity(d, centre.shape[1], symmetric)
        if kind is None or abs(trace - round(trace)) > INTEGRALITY_TOL or round(trace) % m:
            return None
        if (round(trace) // m) % {"R": 1, "C": 2, "H": 4}[kind]:
            return None  # dim V is even for type C and a multiple of 4 for type H
        if not np.allclose(self.multiply(idempotent, idempotent), idempotent, atol=IDEMPOTENT_TOL):
            return None
        if kind == "C":
            u = centre.T @ (U.T @ (idempotent * root))  # the unit in the centre's 2 coordinates
            J = U @ (centre @ np.array([-u[1], u[0]])) / root  # central, orthogonal to the unit
            square = self.multiply(J, J)
            lam = -float(square @ (idempotent * self.sizes)) / trace
            if lam <= 0 or not np.allclose(square, -lam * idempotent, atol=IDEMPOTENT_TOL * max(1.0, lam)):
                return None
        return AlgebraBlock(idempotent, m, kind, round(trace) // m)

    # ------------------------------------------------------------- Fun(X) side
    def apply(self, coefficients: np.ndarray, F: np.ndarray) -> np.ndarray:
        """(sum_k c_k B_k) F for an (|X|,) or (|X|, m) array F, through the labels in row
        blocks of `PROJECTION_ROWS`: O(|X|^2 m) time, no |X| x |X| matrix.

        >>> import numpy as np, pltheory as pt
        >>> A = CentralizerAlgebra(pt.GSet.natural(pt.symmetric(3)))
        >>> trivial = A.blocks[0].idempotent       # the projector onto constants
        >>> A.apply(trivial, np.array([3.0, 0.0, 0.0])).round(6).tolist()
        [1.0, 1.0, 1.0]
        """
        F = np.asarray(F, dtype=float)
        out = np.empty_like(F)
        for start in range(0, self.X.size, PROJECTION_ROWS):
            rows = slice(start, start + PROJECTION_ROWS)
            out[rows] = coefficients[self.labels[rows]] @ F
        return out

    def character(self, block: AlgebraBlock, action: np.ndarray) -> float:
        """chi_V(g) = tr(P_g e_V) / m_V, from the permutation ``action`` of g on X:
        tr(P_g e_V) = sum_y c[label(g^-1 y, y)]. O(|X|).

        >>> import pltheory as pt
        >>> X = pt.GSet.natural(pt.symmetric(4))
        >>> A = CentralizerAlgebra(X)
        >>> round(A.character(A.blocks[1], X.action[0]), 6)   # chi_(3,1) at a transposition
        1.0
        """
        inverse = np.empty_like(action)
        inverse[action] = np.arange(action.size)
        return float(block.idempotent[self.labels[inverse, np.arange(self.X.size)]].sum()) / block.multiplicity


def _first_pairs(labels: np.ndarray) -> np.ndarray:
    """(y_k, x_k), the first pair of each orbit k in row-major order. Labels are numbered in
    that order of first appearance, so the first pair of a label is where the running
    maximum grows: one pass, PROJECTION_ROWS rows at a time (temporaries of a block only).

    >>> _first_pairs(np.array([[0, 1], [2, 0]])).tolist()
    [[0, 0], [0, 1], [1, 0]]
    """
    found, best = [], -1
    for start in range(0, labels.shape[0], PROJECTION_ROWS):
        block = labels[start:start + PROJECTION_ROWS].ravel()
        running = np.maximum.accumulate(block)
        new = np.flatnonzero(block > np.maximum(np.r_[best, running[:-1]], best))
        found.append(new + start * labels.shape[1])
        best = max(best, int(running[-1])) if block.size else best
    return np.stack(np.divmod(np.concatenate(found), labels.shape[1]), axis=1)


def _type_and_multiplicity(block_dim: int, centre: int, symmetric: float) -> tuple[str | None, int]:
    """(type, m) of a simple ideal M_m(D) from its dimension m^2 dim D, the dimension of its
    centre (2 for C) and of its symmetric part (m(m+1)/2, m^2, m(2m-1) for R, C, H);
    (None, 0) when no simple ideal has these invariants.

    >>> _type_and_multiplicity(4, 1, 3.0), _type_and_multiplicity(4, 1, 1.0), _type_and_multiplicity(2, 2, 1.0)
    (('R', 2), ('H', 1), ('C', 1))
    """
    candidates = {"R": (1, lambda m: m * (m + 1) / 2), "C": (2, lambda m: m * m), "H": (4, lambda m: m * (2 * m - 1))}
    for kind, (division, sym) in candidates.items():
        m = math.isqrt(block_dim // division)
        if (m > 0 and m * m * division == block_dim and centre == (2 if kind == "C" else 1)
                and abs(symmetric - sym(m)) < 0.25):
            return kind, m
    return None, 0
