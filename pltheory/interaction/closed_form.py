"""The closed form: the published rule for C_n on its regular (= natural) set.

With ord(k) = n / gcd(n, k) the order of frequency k in C_n, and ord'(k) = ord(k) / 2
for even ord(k), else ord(k): |x| has an edge k -> l iff ord(l) divides ord'(k). A
positively homogeneous PL activation f(x) = a x + b |x| has the edges of |x| when b != 0
and every self-loop when a != 0 (so ReLU-like activations add the self-loops, and linear
ones have only the self-loops).
"""

from __future__ import annotations

import math

import numpy as np

from ..activations import Activation
from ..decomposition import Decomposition
from ..errors import NoClosedFormError
from ..gsets import GSet
from .conditions import homogeneous_parts


def closed_form_applies(X: GSet) -> bool:
    """Whether the closed form covers Fun(X): C_n on its regular (= natural) set.

    Examples
    --------
    >>> import pltheory as pt
    >>> closed_form_applies(pt.GSet.natural(pt.cyclic(6))), closed_form_applies(pt.GSet.natural(pt.symmetric(3)))
    (True, False)
    """
    orders = X.group.structure.cyclic_orders
    return orders is not None and len(orders) == 1 and X.num_orbits == 1 and X.size == orders[0]


def closed_form_edges(X: GSet, D: Decomposition, f: Activation) -> np.ndarray:
    """The edges of f on Fun(X) by the closed form, as a boolean (source, target) matrix
    over the components of D = decompose(X). O(C^2) for C components.

    Raises
    ------
    NoClosedFormError
        When X is not C_n on its regular set.
    MethodUnavailableError
        When f is not positively homogeneous and piecewise linear.

    Examples
    --------
    >>> import pltheory as pt
    >>> X = pt.GSet.regular(pt.cyclic(4))
    >>> closed_form_edges(X, pt.decompose(X), pt.activation("abs")).astype(int).tolist()
    [[1, 0, 0], [1, 0, 1], [1, 0, 0]]
    """
    G = X.group
    if not closed_form_applies(X):
        raise NoClosedFormError(
            f"the closed form is the published rule for C_n on its regular (= natural) set; "
            f"{G.name} on {X.name} has none: use the probe or exact method"
        )
    a, b = homogeneous_parts(f, "closed_form")
    n = G.structure.cyclic_orders[0]
    ks = [c.irrep.frequency for c in D.components]
    order = [n // math.gcd(n, k) for k in ks]
    reduced = [o // 2 if o % 2 == 0 else o for o in order]
    present = (np.array(reduced)[:, None] % np.array(order)[None, :] == 0) & (b != 0)
    return present | (np.eye(len(ks), dtype=bool) & (a != 0))
