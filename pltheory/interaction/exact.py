"""The exact method: the interaction graph of f(x) = a x + b |x| in exact arithmetic.

For a positively homogeneous PL activation with rational slopes, f(v) = a v + b |v|.
The a-part maps each component to itself, so it gives exactly the self-loops (a != 0);
the b-part is the graph of |x| (b != 0), decided by the structure of the group:

* products of cyclic groups, any G-set: sums of roots of unity and the cyclotomic
  polynomial (`.cyclotomic`);
* D_n on the n-gon: the graph of its rotation subgroup C_n (`.dihedral`);
* groups whose characters are rational (S_n, ...): the kernel bound and integer
  witnesses (`.witness`).
"""

from __future__ import annotations

import numpy as np

from ..activations import Activation
from ..decomposition import Decomposition
from ..gsets import GSet
from .conditions import dihedral_degree, homogeneous_parts
from .cyclotomic import abelian_abs_edges
from .dihedral import dihedral_abs_edges
from .witness import witnessed_edges


def exact_edges(X: GSet, D: Decomposition, f: Activation) -> np.ndarray:
    """The edges of f on Fun(X) in exact arithmetic, as a boolean (source, target) matrix
    over the components of D = decompose(X). Complexity: that of the |x| method the
    group gets (module docstring).

    Raises
    ------
    MethodUnavailableError
        When f is not positively homogeneous and piecewise linear, or the group has
        irrational characters and neither fast path applies, or a witness is missing.
    TooLargeError
        Past the work limits `EXACT_WORK`, `WITNESS_WORK`.

    Examples
    --------
    >>> import pltheory as pt
    >>> X = pt.GSet.natural(pt.cyclic(4))
    >>> exact_edges(X, pt.decompose(X), pt.activation("relu")).astype(int).tolist()
    [[1, 0, 0], [1, 1, 1], [1, 0, 1]]
    """
    a, b = homogeneous_parts(f, "exact")
    n = len(D.components)
    present = np.eye(n, dtype=bool) if a != 0 else np.zeros((n, n), dtype=bool)
    if b == 0:
        return present
    if X.group.structure.exact_interaction == "abelian":
        return present | abelian_abs_edges(X, D)
    degree = dihedral_degree(X)
    if degree is not None:
        return present | dihedral_abs_edges(X, D, degree)
    return present | witnessed_edges(X, D, skip=present)
