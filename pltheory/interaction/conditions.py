"""What the exact and closed-form methods need of the group and of the activation.

The exact methods apply to a group whose structure says which (``G.structure.exact_interaction``:
a product of cyclic groups, D_n on its n-gon; otherwise the integer witnesses of
`.witness` try) and to a positively homogeneous piecewise-linear activation f(x) = a x + b
|x| with rational slopes. This module is the one place where the interaction methods ask
about either.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from ..activations import Activation
from ..errors import ActivationError, MethodUnavailableError
from ..gsets import GSet


def dihedral_degree(X: GSet) -> int | None:
    """n when X is the n-gon of D_n (the set the group's generators x -> x + 1 and
    x -> -x permute), else None.

    Complexity: O(|X|) to compare the action with the generators.

    Examples
    --------
    >>> import pltheory as pt
    >>> dihedral_degree(pt.GSet.natural(pt.dihedral(5))), dihedral_degree(pt.GSet.regular(pt.dihedral(5)))
    (5, None)
    """
    n = X.group.structure.dihedral_degree
    if n is None or not all(np.array_equal(act, g) for act, g in zip(X.action, X.group.generators)):
        return None
    return n


def homogeneous_parts(f: Activation, method: str) -> tuple[Fraction, Fraction]:
    """(a, b) with f(x) = a x + b |x| (exact rationals), or an error naming ``method``.

    Raises
    ------
    MethodUnavailableError
        When f is not a positively homogeneous piecewise-linear activation.

    Examples
    --------
    >>> import pltheory as pt
    >>> homogeneous_parts(pt.activation("leaky:0.5"), "exact")
    (Fraction(3, 4), Fraction(1, 4))
    """
    try:
        return f.homogeneous_parts
    except ActivationError:
        raise MethodUnavailableError(
            f"method {method!r} needs a positively homogeneous piecewise-linear activation "
            f"(a x + b |x|); {f.name} is not one: use the probe method"
        ) from None
