"""PL maps between isotypic components, and their linear pieces.

Let Fun(X) = sum_i U_i be the isotypic decomposition ([`pltheory.decompose`][pltheory.decomposition.decompose]) and f a
pointwise activation. The PL map from component i to component j is

    phi_ij(v) = E_j (f(v) - f(0)),   v in U_i,

(the constant f(0) is a G-invariant bias, not information carried from U_i). It is
G-equivariant, and piecewise linear when f is: for f(x) = a x + b |x| its pieces are the
cones cut out of U_i by the coordinate hyperplanes (Q v)_x = 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..activations import Activation
from ..activations import activation as as_activation
from ..decomposition import Decomposition, IsotypicComponent, decompose
from ..errors import ArgumentError, MethodUnavailableError, WeightError
from ..gsets import GSet
from ..tolerances import SAME_ANGLE, ZERO_ROW
from ..validate import check_real_array
from .conditions import homogeneous_parts
from .graph import check_permutation_gset


@dataclass(frozen=True, eq=False)
class LinearPiece:
    """One linear piece of a PL map on a source of dimension <= 2.

    Attributes
    ----------
    start, end:
        The cone between the angles ``start`` and ``end`` (radians); for a 1-dim source
        the half-lines 0 (v > 0) and pi (v < 0), with start = end.
    matrix:
        The matrix of the map on the cone (target coordinates x source coordinates).

    Examples
    --------
    ReLU from the sign component (frequency 2) of the regular C_4-set to the trivial one
    is linear on each half-line:

    >>> import pltheory as pt
    >>> piece = pt.pl_map(pt.GSet.regular(pt.cyclic(4)), 2, 0, "relu").pieces()[0]
    >>> piece.start, piece.end, piece.matrix.round(3).tolist()
    (0.0, 0.0, [[0.5]])
    """

    start: float
    end: float
    matrix: np.ndarray


@dataclass(frozen=True, eq=False)
class PLMap:
    """phi(v) = E_target (f(Q_source v) - f(0)) in the adapted coordinates of the target.

    Attributes
    ----------
    X:
        The G-set.
    source, target:
        Isotypic components of Fun(X).
    activation:
        The pointwise activation f.

    Examples
    --------
    >>> import numpy as np
    >>> import pltheory as pt
    >>> phi = pt.pl_map(pt.GSet.regular(pt.cyclic(4)), 1, 0, "relu")
    >>> phi.source.dim, phi.target.dim, phi(np.array([[1.0, 0.0], [0.0, 1.0]])).round(3).tolist()
    (2, 1, [[0.354, 0.354]])
    """

    X: GSet
    source: IsotypicComponent
    target: IsotypicComponent
    activation: Activation

    def __call__(self, coefficients: np.ndarray) -> np.ndarray:
        """Target coordinates of phi at source coordinates (shape (dim,) or (dim, r)).
        O(|X| (dim source + dim target)) per column."""
        coefficients = check_real_array(coefficients, "coefficients", (1, 2))
        if coefficients.shape[0] != self.source.dim:
            raise WeightError(f"the source {self.source.irrep.key} has {self.source.dim} coordinates, got shape "
                              f"{coefficients.shape}")
        v = self.source.basis @ coefficients
        h = self.activation(v) - self.activation(np.zeros(1))[0]
        return self.target.basis.T @ h

    def pieces(self) -> list[LinearPiece]:
        """The linear pieces: cones cut out of the source by the coordinate hyperplanes
        (Q v)_x = 0, each with its matrix Q_t^T diag(f'(sign (Q v)_x)) Q_s.

        Needs a source of dimension <= 2 and a positively homogeneous PL activation.
        Complexity: O(|X| log |X|) for the cones, then O(|X| dim target) per cone, at
        most 2 |X| cones.

        Raises
        ------
        MethodUnavailableError
            For a source of dimension > 2 or an activation that is not a x + b |x|.

        Examples
        --------
        The two half-lines of a 1-dim source, v > 0 and v < 0:

        >>> import pltheory as pt
        >>> phi = pt.pl_map(pt.GSet.regular(pt.cyclic(4)), 2, 0, "relu")
        >>> [(round(p.start, 3), p.matrix.round(3).tolist()) for p in phi.pieces()]
        [(0.0, [[0.5]]), (3.142, [[-0.5]])]
        """
        Q = self.source.basis
        if Q.shape[1] > 2:
            raise MethodUnavailableError(f"linear pieces are listed for sources of dimension <= 2, "
                                         f"{self.source.irrep.key} has {Q.shape[1]}")
        a, b = homogeneous_parts(self.activation, "pieces")
        rows = Q[np.linalg.norm(Q, axis=1) > ZERO_ROW]
        if Q.shape[1] == 1:
            cones = [(0.0, 0.0, np.array([1.0])), (math.pi, math.pi, np.array([-1.0]))]
        else:
            angles = np.mod(np.arctan2(rows[:, 1], rows[:, 0])[:, None] + [math.pi / 2, -math.pi / 2],
                            2 * math.pi).ravel()
            angles = np.sort(angles)
            distinct = np.append(True, np.diff(angles) > SAME_ANGLE)  # lines met twice: one boundary
            angles = angles[distinct]
            if angles.size > 1 and angles[-1] - angles[0] > 2 * math.pi - SAME_ANGLE:
                angles = angles[:-1]
            ends = np.append(angles[1:], angles[0] + 2 * math.pi)
            mids = (angles + ends) / 2
            cones = [(s, e, np.array([math.cos(m), math.sin(m)])) for s, e, m in zip(angles, ends, mids)]
        pieces = []
        for start, end, direction in cones:
            sign = np.sign(Q @ direction)
            slope = float(a) + float(b) * sign  # f(x) = a x + b |x|
            pieces.append(LinearPiece(start, end, self.target.basis.T @ (slope[:, None] * Q)))
        return pieces


def pl_map(X: GSet, source: object, target: object, f: str | Activation = "relu") -> PLMap:
    """The PL map from one isotypic component of Fun(X) to another.

    Components are named by their irreducible's key ("1", "(3,1)") or a family's value for
    it (a frequency or frequency tuple, taken mod n and up to sign, for products of cyclic
    groups; a partition for S_n). Complexity: one decomposition of Fun(X).

    Raises
    ------
    ArgumentError
        For a name that is no irreducible of G, or whose irreducible does not occur in Fun(X).

    Examples
    --------
    >>> import pltheory as pt
    >>> phi = pl_map(pt.GSet.regular(pt.cyclic(4)), 1, 0, "relu")
    >>> len(phi.pieces()), phi(np.array([1.0, 0.0])).round(6).tolist()
    (4, [0.353553])
    """
    X = check_permutation_gset(X)
    D = decompose(X)
    return PLMap(X, _component(D, source), _component(D, target), as_activation(f))


def _component(D: Decomposition, key: object) -> IsotypicComponent:
    """The component of the irreducible ``G.irrep(key)``: a key such as "1" or "(3,1)", or
    a family's own value for it (a frequency k of C_n, taken mod n and up to sign, a
    frequency tuple, a partition)."""
    if isinstance(key, (bool, np.bool_)) or not isinstance(key, (str, int, np.integer, tuple, list)):
        raise ArgumentError(f"a component is named by its irreducible's key (a string) or a family's value for it "
                            f"(a frequency, a tuple of frequencies, a partition), got {str(key)[:60]!r}")
    V = D.X.group.irrep(key)
    for c in D.components:
        if c.irrep == V:
            return c
    keys = ", ".join(c.irrep.key for c in D.components)
    raise ArgumentError(f"{V.key} does not occur in Fun({D.X.name}); its components are {keys}")
