"""The exact |x|-edges for D_n on the n-gon, by reduction to its rotation subgroup C_n.

Restricted to the rotations, the components of Fun(n-gon) under D_n are those of C_n on
its natural set: A1 is frequency 0, E_k is frequency k and B1 (n even) is frequency
n/2. |x| commutes with every permutation, so the D_n graph is the C_n graph on the
matching frequencies.
"""

from __future__ import annotations

import numpy as np

from ..decomposition import Decomposition, decompose
from ..families import cyclic
from ..gsets import GSet
from .cyclotomic import abelian_abs_edges


def dihedral_abs_edges(X: GSet, D: Decomposition, n: int) -> np.ndarray:
    """The edges of |x| on Fun(X), X the n-gon of D_n, as a boolean (source, target)
    matrix over the components of D = decompose(X): the C_n edges on the matching
    frequencies. Complexity: that of `abelian_abs_edges` for C_n.

    Examples
    --------
    >>> import pltheory as pt
    >>> X = pt.GSet.natural(pt.dihedral(4))
    >>> D = pt.decompose(X)
    >>> labels = [c.irrep.key for c in D.components]
    >>> sorted((labels[i], labels[j]) for i, j in zip(*np.nonzero(dihedral_abs_edges(X, D, 4))))
    [('A1', 'A1'), ('B1', 'A1'), ('E1', 'A1'), ('E1', 'B1')]
    """
    C = GSet.natural(cyclic(n))
    DC = decompose(C)
    cyclic_edges = abelian_abs_edges(C, DC)
    position = {c.irrep.frequency: i for i, c in enumerate(DC.components)}
    index = [position[c.irrep.frequency] for c in D.components]
    return cyclic_edges[np.ix_(index, index)]
