"""The entry point: the interaction graph of an activation on Fun(X), by any method.

[`interaction_graph`][pltheory.interaction.build.interaction_graph] checks the arguments and
the size of the task, then asks one method for the edges (`.probe`, `.exact` or
`.closed_form`) and the probe for edge weights only where they are wanted.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from ..activations import Activation
from ..activations import activation as as_activation
from ..decomposition import decompose
from ..errors import MethodUnavailableError, TooLargeError
from ..gsets import GSet
from ..tolerances import PRECISION_MARGIN, PROBE_TOL
from ..validate import check_choice, check_instance, check_integer, check_real
from .closed_form import closed_form_applies, closed_form_edges
from .exact import exact_edges
from .graph import InteractionGraph, check_permutation_gset, component_graph
from .probe import MAX_DEPTH, MAX_PROBES, check_probe_size, probe_shares

GraphMethod = Literal["probe", "exact", "closed_form"]

#: Largest number of isotypic components of an interaction graph (C_4096 regular has 2049).
MAX_COMPONENTS = 2049


def interaction_graph(X: GSet, f: str | Activation = "relu", *, method: GraphMethod = "probe",
                      depth: int = 1, seed: int = 0, probes: int = 8, tol: float = PROBE_TOL,
                      weights: bool | None = None) -> InteractionGraph:
    """The interaction graph of the activation ``f`` on Fun(X).

    One node per isotypic component U_i of Fun(X), and an edge i -> j (self-loops
    included) iff the PL map v -> E_j (f(v) - f(0)) on U_i is not identically zero
    ([`pltheory.interaction`][pltheory.interaction]); for depth d > 1, iff some v in U_i
    reaches U_j through d activations with generic equivariant linear maps between.

    Parameters
    ----------
    X:
        The G-set (the graph is that of the permutation representation Fun(X)).
    f:
        The activation, or its name ([`pltheory.activation`][pltheory.activations.activation]).
    method:
        "probe" (any group and activation; `.probe`), "exact" (positively
        homogeneous PL activations on products of cyclic groups, D_n on the n-gon and
        groups with rational characters; `.exact`) or "closed_form" (C_n on its regular set;
        `.closed_form`).
    depth:
        Number of activation layers, 1 to `MAX_DEPTH` (d > 1: probe only).
    probes, seed:
        Random unit vectors per component (1 to `MAX_PROBES`), and the seed.
    tol:
        A probe reaches component j when its share of the output energy exceeds ``tol``,
        or (PRECISION_MARGIN eps)^2 if that is larger, eps the precision of the values f
        returns (a float32 function's rounding noise has shares near 1e-14).
    weights:
        Whether edges get probe weights (mean energy shares). None (default): the
        method's own, weights for the probe method, none for the exact and closed-form
        methods, which then never run the probe. True runs the probe for any method.

    Returns
    -------
    InteractionGraph
        Edge weights None where no weights were asked for.

    Raises
    ------
    ArgumentError
        For arguments of the wrong type or out of range.
    MethodUnavailableError, NoClosedFormError
        When the method does not apply to X or f.
    TooLargeError
        Beyond `MAX_COMPONENTS` components, `MAX_PROBE_VALUES` activated values for the
        probe, or the memory and work limits of the method; the message says which method
        fits instead.

    Notes
    -----
    Complexity: one decomposition of Fun(X), then the method's: the probe activates
    |X| x C x 2 probes vectors entries (C components; times the amplitudes when f is not
    positively homogeneous), the closed form is O(C^2), the exact method about n^5 for
    C_n on its regular set.

    Examples
    --------
    >>> import pltheory as pt
    >>> g = interaction_graph(pt.GSet.regular(pt.cyclic(8)), "relu", method="exact")
    >>> print(sorted((u, v) for u, v in g.edges() if u != v))
    [('1', '0'), ('1', '2'), ('1', '4'), ('2', '0'), ('2', '4'), ('3', '0'), ('3', '2'), ('3', '4'), ('4', '0')]
    """
    X = check_permutation_gset(X)
    f = as_activation(f)
    depth = check_integer(depth, "depth", 1, MAX_DEPTH)
    probes = check_integer(probes, "probes", 1, MAX_PROBES)
    seed = check_integer(seed, "seed", 0)
    tol = check_real(tol, "tol", 0.0)
    method = check_choice(method, "method", ("probe", "exact", "closed_form"))
    if weights is None:
        weights = method == "probe"
    weights = bool(check_instance(weights, "weights", (bool, np.bool_), "True, False or None"))
    if method != "probe" and depth > 1:
        raise MethodUnavailableError(f"depth {depth} > 1 is computed by the probe method only")
    D = decompose(X)
    n = len(D.components)
    if n > MAX_COMPONENTS:
        raise TooLargeError(
            f"Fun({X.name}) has {n} isotypic components; interaction graphs are computed for at most "
            f"{MAX_COMPONENTS} ({MAX_COMPONENTS}^2 pairs of components), use a smaller G-set"
        )
    probe = method == "probe" or weights
    if method == "probe":
        other = "the closed-form method" if closed_form_applies(X) else "the exact method where it applies"
        check_probe_size(X, n, f, probes, f": use {other}, fewer probes or a smaller G-set")
    elif weights:
        check_probe_size(X, n, f, probes, "; pass weights=False for a graph without edge weights")
    if method == "exact":
        present = exact_edges(X, D, f)
    elif method == "closed_form":
        present = closed_form_edges(X, D, f)
    shares = probe_shares(X, f, depth=depth, probes=probes, seed=seed) if probe else None
    if method == "probe":
        present = shares.largest > max(tol, (PRECISION_MARGIN * f.precision) ** 2)
    return InteractionGraph(X, f, method, depth, component_graph(D, present, shares.mean if weights else None))
