"""The PL Schur bound: the graph that contains every interaction graph of Fun(X).

A G-equivariant map, piecewise linear or not, sends v in U_i to a vector fixed by every
element that fixes v; as ker U_i fixes all of U_i, the image lies in the ker U_i-fixed
vectors, so a map U_i -> U_j can be nonzero only if ker U_i <= ker U_j (PL Schur lemma).
The bound holds at any depth, for any pointwise activation and any equivariant linear
maps between the layers.
"""

from __future__ import annotations

import numpy as np

from ..activations import activation as as_activation
from ..decomposition import decompose
from ..gsets import GSet
from .graph import InteractionGraph, check_permutation_gset, component_graph


def kernel_graph(X: GSet) -> InteractionGraph:
    """The PL Schur bound: an edge U_i -> U_j iff ker U_i is contained in ker U_j
    (weights 1). Every interaction graph of Fun(X), at any depth, lies inside it.

    Complexity: one decomposition of Fun(X), then C^2 kernel comparisons for C components.

    Examples
    --------
    >>> import pltheory as pt
    >>> print(sorted(kernel_graph(pt.GSet.regular(pt.cyclic(4))).edges()))
    [('0', '0'), ('1', '0'), ('1', '1'), ('1', '2'), ('2', '0'), ('2', '2')]
    """
    X = check_permutation_gset(X)
    D = decompose(X)
    comps = D.components
    present = np.array([[a.irrep.kernel_contained_in(b.irrep) for b in comps] for a in comps], dtype=bool)
    return InteractionGraph(X, as_activation("linear"), "kernel", 0,
                            component_graph(D, present, np.ones(present.shape)))
