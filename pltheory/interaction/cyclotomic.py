"""The exact |x|-edges for products of cyclic groups: sums of roots of unity.

On a cone of the source with sign pattern s(x), |v| = s v, and the target coefficient
of s v is the real-linear map c -> (c A + conj(c) B) / 2 with A, B sums of
s(x) zeta_L^e(x) (L the lcm of the factor orders): sums of roots of unity, zero iff
their polynomial is divisible by the cyclotomic polynomial Phi_L, which is decided in
integer arithmetic. The cones of a 2-dim source are read off exactly at the angles
(2j + 1) / (8L) turns, which lie strictly inside them. Fun(X) is the sum of the Fun(O)
over the orbits O, and |x| and the isotypic projections act orbit by orbit, so any G-set
is handled one orbit at a time.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import sympy

from ..decomposition import Decomposition, orbit_coordinates
from ..errors import MethodUnavailableError, TooLargeError
from ..gsets import GSet
from .closed_form import closed_form_applies

#: Largest number of arithmetic operations (estimated) the exact method spends: C_256
#: regular, about 6e11, takes 8 s on one core.
EXACT_WORK = 1e12


@lru_cache(maxsize=64)
def cyclotomic_reduction(L: int) -> np.ndarray:
    """R[e] = coefficients of t^e mod Phi_L(t), e = 0..L-1 (integers, lowest first).

    sum_e w_e zeta_L^e = 0 iff w @ R = 0, as Phi_L is the minimal polynomial of zeta_L.
    O(L phi(L)) integer operations; cached per L.

    Examples
    --------
    >>> cyclotomic_reduction(4).tolist()  # Phi_4 = t^2 + 1: t^2 = -1, t^3 = -t
    [[1, 0], [0, 1], [-1, 0], [0, -1]]
    """
    t = sympy.Symbol("t")
    phi = [int(c) for c in sympy.Poly(sympy.cyclotomic_poly(L, t), t).all_coeffs()][::-1]  # low first
    deg = len(phi) - 1
    R = np.zeros((L, deg), dtype=object)
    current = [0] * deg
    current[0] = 1
    for e in range(L):
        R[e] = current
        lead = current[-1]  # multiply by t, then replace t^deg by -(lower terms of Phi)
        current = [0] + current[:-1]
        current = [c - lead * p for c, p in zip(current, phi[:-1])]
    R.flags.writeable = False  # cached: shared by every caller
    return R


def abelian_abs_edges(X: GSet, D: Decomposition) -> np.ndarray:
    """The edges of |x| on Fun(X) for a product of cyclic groups (module docstring), as a
    boolean (source, target) matrix over the components of D = decompose(X).

    Complexity: about 2 phi(L) sum_O h_O^2 min(4L, 2|O| + 2) |O| operations over the
    orbits O holding h_O components (n^5 for C_n on its regular set); refused past
    `EXACT_WORK`.

    Raises
    ------
    TooLargeError
        Past `EXACT_WORK`.

    Examples
    --------
    >>> import pltheory as pt
    >>> X = pt.GSet.regular(pt.cyclic(4))
    >>> abelian_abs_edges(X, pt.decompose(X)).astype(int).tolist()
    [[1, 0, 0], [1, 0, 1], [1, 0, 0]]
    """
    orders = X.group.structure.cyclic_orders
    n = np.array(orders)
    L = math.lcm(*orders)
    comps = D.components
    # sources x cone patterns x points x targets x deg Phi_L, per orbit, for both signs
    sizes = np.bincount(X.orbit_labels, minlength=X.num_orbits)
    holding = np.bincount([o for c in comps for o in c.copy_orbits], minlength=X.num_orbits)
    work = 2 * int(sympy.totient(L)) * sum(int(h) ** 2 * min(4 * L, 2 * int(s) + 2) * int(s)
                                          for h, s in zip(holding, sizes))
    if work > EXACT_WORK:
        raise TooLargeError(
            f"the exact method on Fun({X.name}) needs about {work:.1e} operations, more than the limit "
            f"{EXACT_WORK:.0e} (it grows like n^5 for C_n)"
            + ("; the closed form gives the same edges for C_n on its regular set" if closed_form_applies(X)
               else "; use the probe method")
        )
    coords = orbit_coordinates(X, orders)
    R = cyclotomic_reduction(L)
    if np.abs(R).max() * X.size >= 2**52:  # pragma: no cover - far beyond feasible sizes
        raise MethodUnavailableError(f"the exact method's integers would exceed 2^52 for lcm {L}")
    R = R.astype(float)  # sums of at most |X| entries of R: integers below 2^52, exact in float64
    weights = np.array([c.irrep.frequency_tuple for c in comps]) * (L // n)
    present = np.zeros((len(comps), len(comps)), dtype=bool)
    orbits = X.orbits()
    holds = [set(c.copy_orbits) for c in comps]
    phases = {}  # orbit -> phi_k(x) for its points and every irreducible, in 1/L turns
    for i, src in enumerate(comps):
        # an edge exists iff it exists on some orbit holding a copy of the source
        for orbit in src.copy_orbits:
            if orbit not in phases:
                phases[orbit] = coords[orbits[orbit]] @ weights.T % L
            targets = [t for t in range(len(comps)) if orbit in holds[t]]
            present[i, targets] |= _orbit_abs_edges(phases[orbit], i, targets, src.irrep.dim, L, R)
    return present


def _orbit_abs_edges(phases: np.ndarray, i: int, targets: list[int], dim: int, L: int,
                     R: np.ndarray) -> np.ndarray:
    """On one orbit with phases phi_k(x) (points x irreducibles, in 1/L turns): which
    targets the source i reaches under |x|."""
    phase = phases[:, i]
    if dim == 1:
        sign = np.where(phase == 0, 1.0, -1.0)  # chi_k = +-1
        patterns = np.stack([sign, -sign])
    else:
        j = np.arange(4 * L)[:, None]
        u = (8 * phase[None, :] + 2 * j + 1) % (8 * L)
        patterns = np.unique(np.where((u < 2 * L) | (u > 6 * L), 1.0, -1.0), axis=0)
    found = np.zeros(len(targets), dtype=bool)
    for e in ((phase[:, None] - phases[:, targets]) % L, (-phase[:, None] - phases[:, targets]) % L):
        # sum_x s(x) zeta^e(x) reduced mod Phi_L, for every pattern s and target at once
        reduced = patterns @ R[e].reshape(phases.shape[0], -1)
        found |= np.any(reduced.reshape(len(patterns), len(targets), -1) != 0, axis=(0, 2))
    return found
