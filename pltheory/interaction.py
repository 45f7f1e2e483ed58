"""Piecewise-linear maps between isotypic components and interaction graphs.

Let Fun(X) = sum_i U_i be the isotypic decomposition (:func:`pltheory.decompose`) and f a
pointwise activation. The PL map from component i to component j is

    phi_ij(v) = E_j (f(v) - f(0)),   v in U_i,

(the constant f(0) is a G-invariant bias, not information carried from U_i). It is
G-equivariant and piecewise linear when f is. The *interaction graph* has one node per
component and an edge i -> j (self-loops included) iff phi_ij is not identically zero.

Methods:

* "probe": generic random vectors of each component (several amplitudes when f is not
  positively homogeneous); an edge when the share of ||f(v) - f(0)||^2 landing in U_j
  exceeds ``tol`` for some probe. Any group, any G-set, any activation.
* "exact": exact arithmetic, for positively homogeneous PL activations with rational
  slopes, f(x) = a x + b |x|. The a-part gives exactly the self-loops; the b-part is
  decided on the linear pieces:
  - products of cyclic groups, any G-set (orbit by orbit): on a cone of the source with
    sign pattern s(x), |v| = s v, and the target coefficient of s v is the real-linear
    map c -> (c A + conj(c) B) / 2 with A, B sums of s(x) zeta_L^e(x): sums of roots of
    unity, zero iff their polynomial is divisible by the cyclotomic polynomial Phi_L
    (integer arithmetic). The cones of a 2-dim source are read off exactly at the
    angles (2j + 1) / (8L) turns, which lie strictly inside them;
  - D_n on the n-gon: its components are those of the rotation subgroup C_n
    (A1 = frequency 0, E_k = k, B1 = n/2), so the C_n graph transfers;
  - groups whose characters are rational (S_n, ...): an edge needs ker U_i <= ker U_j
    (PL Schur lemma); every edge the kernel bound allows is confirmed by an exact
    integer witness v in U_i with E_j f(v) != 0, or the method says it cannot decide.
* "closed_form": the published rule for C_n on its regular (= natural) set: with
  ord(k) = n / gcd(n, k) and ord'(k) = ord(k) / 2 for even ord(k), else ord(k),
  |x| has an edge k -> l iff ord(l) divides ord'(k); ReLU-like activations (a, b != 0)
  add every self-loop; linear ones have only the self-loops.

Depth d > 1 follows generic vectors through d activations with random elements of the
orbit basis (generic equivariant linear maps X -> X) in between (probe only).

Examples
--------
>>> from pltheory.groups import cyclic
>>> from pltheory.gsets import GSet
>>> g = interaction_graph(GSet.regular(cyclic(8)), "relu")
>>> sorted((u, v) for u, v in g.edges() if u != v)
[(1, 0), (1, 2), (1, 4), (2, 0), (2, 4), (3, 0), (3, 2), (3, 4), (4, 0)]
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import Literal

import networkx as nx
import numpy as np
import sympy

from .activations import PRECISION_MARGIN, Activation
from .activations import activation as as_activation
from .decompose import Decomposition, IsotypicComponent, decompose, orbit_coordinates
from .equivariant import equivariant_basis
from .errors import (
    ActivationError,
    ArgumentError,
    MethodUnavailableError,
    NoClosedFormError,
    NumericalError,
    PLTheoryError,
    TooLargeError,
    WeightError,
)
from .groups import cyclic
from .gsets import GSet
from .irreps import Irrep, cyclic_factor_orders
from .limits import check_memory
from .validate import check_choice, check_instance, check_integer, check_real, check_real_array

GraphMethod = Literal["probe", "exact", "closed_form"]

#: Default relative energy below which a probe counts a target as not reached.
PROBE_TOL = 1e-20

#: Largest number of values the probe method activates: |X| x components x 2 probes x
#: amplitudes (C_4096 regular with ReLU, 134 million, takes about 10 s on one core).
MAX_PROBE_VALUES = 250_000_000

#: Largest G-set on which the exact and closed-form methods add probe weights by default.
WEIGHT_PROBE_POINTS = 2048

#: Largest number of isotypic components of an interaction graph (C_4096 regular has 2049).
MAX_COMPONENTS = 2049

#: Largest number of activation layers (``depth``) and of probes per component.
MAX_DEPTH = 16
MAX_PROBES = 256

#: Bytes of probe vectors (with the activation's temporaries) activated at once.
PROBE_CHUNK_BYTES = 256 * 1024**2

#: Largest number of arithmetic operations (estimated) the exact method spends: C_256
#: regular, about 6e11, takes 8 s on one core.
EXACT_WORK = 1e12

#: The same for the integer witnesses of groups with rational characters (integer matrix
#: products, about 1e9 operations a second).
WITNESS_WORK = 2e10

#: Amplitudes probed when the activation is not positively homogeneous, in units of its
#: scale (:attr:`Activation.scale`) times sqrt(|X|). Deliberately not round numbers: a
#: constant vector of a round amplitude would sit exactly on a round breakpoint.
AMPLITUDES = (0.1173, 1.173, 11.73)

#: An activated vector h = f(u) - f(0) is rounding noise, not a signal, when
#: ||h|| <= ROUNDING_MARGIN * eps * (||f'(u) u|| + ||f(u)|| + ||f(0) 1||), eps the
#: precision of f's values: the error that relative perturbations of u and of the values of
#: size eps cause (entries of u that differ from a kink only in their last bits). It counts
#: as zero and reaches no component.
ROUNDING_MARGIN = 4096.0

#: Relative step of the central difference that measures ||f'(u) u|| for a callable (PL
#: activations know their slopes).
SENSITIVITY_STEP = 1e-6

#: Relative distance below which a probe entry counts as sitting on a breakpoint; such a
#: probe is rescaled by :data:`NUDGE` until no entry is that close.
ON_BREAKPOINT = 1e-9

#: Factor by which a probe sitting on a breakpoint is rescaled.
NUDGE = 1.0 + 2.0**-6


def node_id(V: Irrep) -> int | tuple[int, ...] | str:
    """The frequency k for C_n, the frequency tuple for products of cyclic groups, the
    irreducible's label otherwise."""
    if cyclic_factor_orders(V.group) is not None:
        return V.frequency
    return V.label


@dataclass(eq=False)
class InteractionGraph:
    """An interaction graph: a networkx DiGraph on the isotypic components of Fun(X).

    Node attributes: label, dim (of the irreducible), multiplicity, kernel_order, type,
    frequency, generator_orders. Edge attribute: weight, the mean share of
    ||f(v) - f(0)||^2 landing in the target over generic v in the source (a probe
    estimate for every method; None where the exact and closed-form methods skip the probe).
    """

    X: GSet
    activation: Activation
    method: str
    depth: int
    graph: nx.DiGraph = field(repr=False)

    def edges(self) -> set[tuple]:
        return set(self.graph.edges())

    def nodes(self) -> list:
        return list(self.graph.nodes())

    def __repr__(self) -> str:
        return (f"InteractionGraph({self.X.group.name} on {self.X.name}, {self.activation.name}, "
                f"method={self.method}, depth={self.depth}, {self.graph.number_of_nodes()} nodes, "
                f"{self.graph.number_of_edges()} edges)")

    def edges_outside(self, bound: InteractionGraph) -> set[tuple]:
        """Edges of this graph that ``bound`` (e.g. :func:`kernel_graph`) lacks."""
        check_instance(bound, "bound", InteractionGraph, "an InteractionGraph")
        return self.edges() - bound.edges()

    def as_dict(self) -> dict:
        """JSON-ready: group, set, activation, method, depth, nodes, edges."""
        def jsonable(v):
            return list(v) if isinstance(v, tuple) else v

        return {
            "group": self.X.group.name,
            "set": self.X.name,
            "activation": self.activation.name,
            "method": self.method,
            "depth": self.depth,
            "nodes": [{"id": jsonable(n), **{k: jsonable(v) for k, v in data.items()}}
                      for n, data in self.graph.nodes(data=True)],
            "edges": [{"source": jsonable(u), "target": jsonable(v), "weight": d["weight"]}
                      for u, v, d in self.graph.edges(data=True)],
        }

    def to_dot(self) -> str:
        """Graphviz DOT text (nodes by label, edge labels the weights)."""
        title = _dot_string(f"{self.X.group.name} {self.X.name} {self.activation.name}")
        lines = [f"digraph {title} {{"]
        for n, data in self.graph.nodes(data=True):
            label = _dot_string(f"{data['label']} (dim {data['dim']})")
            lines.append(f"  {_dot_string(n)} [label={label}];")
        for u, v, d in self.graph.edges(data=True):
            label = "" if d["weight"] is None else f' [label="{d["weight"]:.3g}"]'
            lines.append(f"  {_dot_string(u)} -> {_dot_string(v)}{label};")
        return "\n".join(lines + ["}"])


def _dot_string(value: object) -> str:
    """A DOT quoted string: backslashes and quotes escaped, newlines removed."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{text}"'


def _empty_graph(D: Decomposition) -> nx.DiGraph:
    graph = nx.DiGraph()
    for c in D.components:
        V = c.irrep
        graph.add_node(node_id(V), label=V.label, dim=V.dim, multiplicity=c.multiplicity,
                       kernel_order=V.kernel_order, type=V.type, frequency=V.frequency,
                       generator_orders=list(V.generator_orders))
    return graph


def _check_permutation_gset(X: object) -> GSet:
    if not isinstance(X, GSet):
        raise ArgumentError(
            f"interaction graphs need a G-set X (a permutation representation Fun(X)), got "
            f"{type(X).__name__}: a pointwise activation commutes only with permutation matrices "
            f"(times positive diagonals), so on any other representation the layer would not be "
            f"equivariant"
        )
    return X


# ------------------------------------------------------------------------ probes
@dataclass(frozen=True)
class ProbeShares:
    """What the probes found, per (source, target) pair of components of Fun(X).

    Attributes
    ----------
    largest:
        The largest share of an activated probe's energy ||h||^2 that lands in the target.
    mean:
        The mean share over the probes of the source whose output is not zero (the edge
        weight); 0 where every output of the source is zero.
    """

    largest: np.ndarray
    mean: np.ndarray


def probe_shares(X: GSet, f: Activation, *, depth: int = 1, probes: int = 8, seed: int = 0,
                 amplitudes: tuple[float, ...] | None = None) -> ProbeShares:
    """Where the energy of activated probes lands: :class:`ProbeShares` over all probes
    h_p of each source component after ``depth`` activations (with random equivariant
    maps between).

    Probes are random unit vectors u of each component and their negatives -u (ReLU of a
    negative constant is 0), times each amplitude: 1 when f is positively homogeneous
    (shares do not depend on it), else :data:`AMPLITUDES` times sqrt(|X|) times
    ``f.scale`` (max(1, |kinks|)), so that the entries of the probe, of size about
    amplitude / sqrt(|X|), reach the kinks; a probe with an entry on a breakpoint is
    rescaled off it. Outputs at rounding level (:data:`ROUNDING_MARGIN`) count as zero;
    a non-finite output (f overflowed) raises :class:`NumericalError`, never a silent
    "not reached". Probe p meets its own random equivariant maps W (the same from every
    component); where W would silence the next activation (f(W h) = f(0) for ReLU after a
    map with W h <= 0), -W is used, which is just as generic. Sources are processed in
    chunks of at most :data:`PROBE_CHUNK_BYTES`."""
    probes = check_integer(probes, "probes", 1, MAX_PROBES)
    depth = check_integer(depth, "depth", 1, MAX_DEPTH)
    D = decompose(X)
    rng = np.random.default_rng(check_integer(seed, "seed", 0))
    if amplitudes is None:
        reach = math.sqrt(X.size) * f.scale
        amplitudes = (1.0,) if f.positively_homogeneous else tuple(reach * a for a in AMPLITUDES)
    n, width = len(D.components), 2 * probes * len(amplitudes)  # columns per source
    coefficients = []
    for c in D.components:
        coeffs = rng.normal(size=(c.dim, probes))
        coefficients.append(coeffs / np.linalg.norm(coeffs, axis=0))
    check_memory(probes * (depth - 1) * X.size**2 * 8.0,
                 f"{probes} random equivariant maps per layer for depth {depth} on {X.size} points",
                 "use fewer probes, a smaller depth or a smaller G-set")
    maps = [[_random_equivariant(X, rng) for _ in range(depth - 1)] for _ in range(probes)]
    largest, total, reached = np.zeros((n, n)), np.zeros((n, n)), np.zeros(n)
    per_chunk = max(1, int(PROBE_CHUNK_BYTES // (4 * 8 * X.size * width)))
    for start in range(0, n, per_chunk):
        sources = range(start, min(n, start + per_chunk))
        columns = []
        for i in sources:
            unit = D.components[i].build_basis() @ np.hstack([coefficients[i], -coefficients[i]])
            columns += [a * unit for a in amplitudes]
        H = activated(off_breakpoints(np.hstack(columns), f), f)  # probe index fastest within a source
        for layer in range(depth - 1):
            for p in range(probes):
                H[:, p::probes] = maps[p][layer] @ H[:, p::probes]
            out = activated(H, f)
            dead = ~np.any(out != 0, axis=0)
            if dead.any():
                out[:, dead] = activated(-H[:, dead], f)
            H = out
        shares = _target_shares(D, H)  # (targets, columns), NaN for zero outputs
        shares = shares.reshape(n, len(sources), width)
        found = ~np.isnan(shares)
        largest[sources.start:sources.stop] = np.where(found, shares, 0.0).max(axis=2).T
        total[sources.start:sources.stop] = np.where(found, shares, 0.0).sum(axis=2).T
        reached[sources.start:sources.stop] = found[0].sum(axis=1)
    return ProbeShares(largest, total / np.maximum(reached, 1)[:, None])


def _target_shares(D: Decomposition, H: np.ndarray) -> np.ndarray:
    """share[j, c] of ||H[:, c]||^2 in component j; NaN for a zero column. The columns are
    scaled to a largest entry of 1 first (shares do not change), so squares of huge but
    finite outputs cannot overflow."""
    if not np.isfinite(H).all():
        raise NumericalError("the probes overflowed between layers (non-finite values), so the graph cannot be "
                             "decided; use an activation with smaller values or slopes, or a smaller depth")
    scale = np.abs(H).max(axis=0)
    H = H / np.where(scale > 0, scale, 1.0)
    coords = D.coordinates(H)
    energy = np.stack([np.sum(coords[s] ** 2, axis=0) for s in D.slices])
    norm = energy.sum(axis=0)
    return np.divide(energy, norm, out=np.full_like(energy, np.nan), where=norm > 0)


def off_breakpoints(H: np.ndarray, f: Activation) -> np.ndarray:
    """Rescale each column of H by :data:`NUDGE` until none of its entries lies within
    :data:`ON_BREAKPOINT` (relative) of a nonzero breakpoint of the PL activation f: a
    constant probe of amplitude b on a kink at b would otherwise feed rounding noise
    through it. (Rescaling cannot move entries off a kink at 0, and needs not: f is
    positively homogeneous near 0 and an exact zero entry carries no noise.)"""
    bps = np.array([float(b) for b in (f.breakpoints or ()) if b != 0])
    if not bps.size:
        return H
    H = H.copy()
    for _ in range(64):
        hit = _near_breakpoint(H, bps).any(axis=0)
        if not hit.any():
            return H
        H[:, hit] *= NUDGE
    raise NumericalError(f"could not move the probes off the breakpoints of {f.name}")  # pragma: no cover


def _near_breakpoint(H: np.ndarray, bps: np.ndarray) -> np.ndarray:
    """Which entries of H lie within ON_BREAKPOINT (relative) of a breakpoint: one pass per
    breakpoint for a few, bisection (O(entries log m)) for many."""
    tol = ON_BREAKPOINT * np.maximum(1.0, np.abs(bps))
    if bps.size <= 16:
        near = np.zeros(H.shape, dtype=bool)
        for b, t in zip(bps, tol):
            near |= np.abs(H - b) <= t
        return near
    right = np.clip(np.searchsorted(bps, H), 0, bps.size - 1)
    left = np.clip(right - 1, 0, bps.size - 1)
    return (np.abs(H - bps[left]) <= tol[left]) | (np.abs(H - bps[right]) <= tol[right])


def activated(U: np.ndarray, f: Activation) -> np.ndarray:
    """h = f(u) - f(0) for each column u of U; a column with ||h|| at rounding level (see
    :data:`ROUNDING_MARGIN`; ||f'(u) u|| by a central difference, so the bound is local
    and an exponential f is not judged by its slope far away) is set to exactly 0."""
    with np.errstate(over="ignore", invalid="ignore"):
        FU, slope = f.value_and_slope(U, SENSITIVITY_STEP)
        f0 = f(np.zeros(1))[0]
        if not (np.isfinite(FU).all() and np.isfinite(f0)):
            raise NumericalError(f"{f.name} overflowed on the probes (non-finite values), so the graph cannot be "
                                 f"decided; use an activation with smaller values, or a PL one")
        H = FU - f0
        slope *= U
        sensitivity = column_norms(slope)
        size = np.where(np.isfinite(sensitivity), sensitivity, 0.0) + column_norms(FU) + abs(f0) * math.sqrt(U.shape[0])
        H[:, column_norms(H) <= ROUNDING_MARGIN * f.precision * size] = 0.0
    return H


def column_norms(A: np.ndarray) -> np.ndarray:
    """Euclidean norms of the columns, scaled first so that squares of values near the
    float range do not overflow (1e300 has norm 1e300, not inf)."""
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        norms = np.linalg.norm(A, axis=0)
    redo = ~np.isfinite(norms) | ((norms == 0) | (norms < 1e-150)) | (norms > 1e150)
    if redo.any():  # rescale only the columns whose squares may over- or underflow
        part = A[:, redo]
        scale = np.abs(part).max(axis=0, initial=0.0)
        safe = np.where((scale > 0) & np.isfinite(scale), scale, 1.0)
        norms[redo] = np.where(np.isfinite(scale), np.linalg.norm(part / safe, axis=0) * safe, np.inf)
    return norms


def _random_equivariant(X: GSet, rng: np.random.Generator) -> np.ndarray:
    """A Gaussian element of the orbit basis, scaled to ||W||_F = sqrt(|X|)."""
    B = equivariant_basis(X, X)
    W = B.expand(rng.normal(size=B.dim))
    return W * math.sqrt(X.size) / max(np.linalg.norm(W), 1e-300)


# ------------------------------------------------------------------------ the graph
def interaction_graph(X: GSet, f: str | Activation = "relu", *, method: GraphMethod = "probe",
                      depth: int = 1, seed: int = 0, probes: int = 8, tol: float = PROBE_TOL,
                      weights: bool | None = None) -> InteractionGraph:
    """The interaction graph of the activation ``f`` on Fun(X) (see the module docstring).

    Parameters
    ----------
    method:
        "probe", "exact" or "closed_form".
    depth:
        Number of activation layers, 1 to :data:`MAX_DEPTH` (d > 1: probe only).
    probes, seed:
        Random unit vectors per component (1 to :data:`MAX_PROBES`), and the seed.
    tol:
        A probe reaches component j when its share of the output energy exceeds ``tol``,
        or (PRECISION_MARGIN eps)^2 if that is larger, eps the precision of the values f
        returns (a float32 function's rounding noise has shares near 1e-14).
    weights:
        Whether edges get probe weights (mean energy shares). None (default): always for
        the probe method; for the exact and closed-form methods when Fun(X) has at most
        :data:`WEIGHT_PROBE_POINTS` points, else the weights are None.

    Raises
    ------
    ArgumentError
        For arguments of the wrong type or out of range.
    MethodUnavailableError, NoClosedFormError
        When the method does not apply to X or f.
    TooLargeError
        Beyond :data:`MAX_COMPONENTS` components, :data:`MAX_PROBE_VALUES` activated
        values for the probe, or the memory and work limits of the method; the message
        says which method fits instead.
    """
    X = _check_permutation_gset(X)
    f = as_activation(f)
    depth = check_integer(depth, "depth", 1, MAX_DEPTH)
    probes = check_integer(probes, "probes", 1, MAX_PROBES)
    seed = check_integer(seed, "seed", 0)
    tol = check_real(tol, "tol", 0.0)
    method = check_choice(method, "method", ("probe", "exact", "closed_form"))
    if weights is not None:
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
    values = X.size * n * 2 * probes * (1 if f.positively_homogeneous else len(AMPLITUDES))
    fits = values <= MAX_PROBE_VALUES
    probe = method == "probe" or bool(weights) or (weights is None and X.size <= WEIGHT_PROBE_POINTS and fits)
    if probe and not fits:
        other = "the closed-form method" if _closed_form_applies(X) else "the exact method where it applies"
        raise TooLargeError(
            f"the probe would activate {values:.2g} values ({X.size} points x {n} components x {2 * probes} "
            f"probes{'' if f.positively_homogeneous else f' x {len(AMPLITUDES)} amplitudes'}), more than the "
            f"limit {MAX_PROBE_VALUES:.2g}"
            + (f": use {other}, fewer probes or a smaller G-set" if method == "probe"
               else "; pass weights=False for a graph without edge weights")
        )
    shares = probe_shares(X, f, depth=depth, probes=probes, seed=seed) if probe else None
    if method == "probe":
        present = shares.largest > max(tol, (PRECISION_MARGIN * f.precision) ** 2)
    elif method == "exact":
        present = _exact_edges(X, D, f)
    else:
        present = _closed_form_edges(X, D, f)
    weights = None if shares is None else shares.mean
    graph = _empty_graph(D)
    ids = [node_id(c.irrep) for c in D.components]
    graph.add_edges_from((ids[i], ids[j], {"weight": None if weights is None else float(weights[i, j])})
                         for i, j in zip(*np.nonzero(present)))
    return InteractionGraph(X, f, method, depth, graph)


def kernel_graph(X: GSet) -> InteractionGraph:
    """The PL Schur bound: an edge U_i -> U_j iff ker U_i is contained in ker U_j
    (weights 1). Every interaction graph of Fun(X), at any depth, lies inside it."""
    X = _check_permutation_gset(X)
    D = decompose(X)
    graph = _empty_graph(D)
    for a in D.components:
        for b in D.components:
            if a.irrep.kernel_contained_in(b.irrep):
                graph.add_edge(node_id(a.irrep), node_id(b.irrep), weight=1.0)
    return InteractionGraph(X, as_activation("linear"), "kernel", 0, graph)


# ------------------------------------------------------------------------ closed form
def _homogeneous_parts(f: Activation, method: str) -> tuple[Fraction, Fraction]:
    try:
        return f.homogeneous_parts
    except ActivationError:
        raise MethodUnavailableError(
            f"method {method!r} needs a positively homogeneous piecewise-linear activation "
            f"(a x + b |x|); {f.name} is not one: use the probe method"
        ) from None


def _closed_form_applies(X: GSet) -> bool:
    """The published rule covers C_n on its regular (= natural) set."""
    orders = cyclic_factor_orders(X.group)
    return orders is not None and len(orders) == 1 and X.num_orbits == 1 and X.size == orders[0]


def _closed_form_edges(X: GSet, D: Decomposition, f: Activation) -> np.ndarray:
    G = X.group
    orders = cyclic_factor_orders(G)
    if not _closed_form_applies(X):
        raise NoClosedFormError(
            f"the closed form is the published rule for C_n on its regular (= natural) set; "
            f"{G.name} on {X.name} has none: use the probe or exact method"
        )
    a, b = _homogeneous_parts(f, "closed_form")
    n = orders[0]
    ks = [c.irrep.frequency for c in D.components]
    order = [n // math.gcd(n, k) for k in ks]
    reduced = [o // 2 if o % 2 == 0 else o for o in order]
    present = (np.array(reduced)[:, None] % np.array(order)[None, :] == 0) & (b != 0)
    return present | (np.eye(len(ks), dtype=bool) & (a != 0))


# ------------------------------------------------------------------------ exact
def _exact_edges(X: GSet, D: Decomposition, f: Activation) -> np.ndarray:
    a, b = _homogeneous_parts(f, "exact")
    n = len(D.components)
    present = np.eye(n, dtype=bool) if a != 0 else np.zeros((n, n), dtype=bool)
    if b == 0:
        return present
    G = X.group
    if cyclic_factor_orders(G) is not None:
        return present | _abelian_abs_edges(X, D)
    if G.family is not None and G.family[0] == "D" and all(
            np.array_equal(act, g) for act, g in zip(X.action, G.generators)):
        return present | _dihedral_abs_edges(X, D)
    return present | _witnessed_edges(X, D, skip=present)


@lru_cache(maxsize=64)
def _cyclotomic_reduction(L: int) -> np.ndarray:
    """R[e] = coefficients of t^e mod Phi_L(t), e = 0..L-1 (integers): sum_e w_e zeta_L^e
    = 0 iff w @ R = 0, as Phi_L is the minimal polynomial of zeta_L."""
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
    return R


def _abelian_abs_edges(X: GSet, D: Decomposition) -> np.ndarray:
    """Edges of |x| on Fun(X) for a product of cyclic groups (module docstring)."""
    orders = cyclic_factor_orders(X.group)
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
            + ("; the closed form gives the same edges for C_n on its regular set" if _closed_form_applies(X)
               else "; use the probe method")
        )
    coords = orbit_coordinates(X, orders)
    R = _cyclotomic_reduction(L)
    if np.abs(R).max() * X.size >= 2**52:  # pragma: no cover - far beyond feasible sizes
        raise MethodUnavailableError(f"the exact method's integers would exceed 2^52 for lcm {L}")
    R = R.astype(float)  # sums of at most |X| entries of R: integers below 2^52, exact in float64
    weights = np.array([c.irrep.frequency_tuple for c in comps]) * (L // n)
    present = np.zeros((len(comps), len(comps)), dtype=bool)
    orbits = X.orbits()
    holds = [set(c.copy_orbits) for c in comps]
    phases = {}  # orbit -> phi_k(x) for its points and every irreducible, in 1/L turns
    for i, src in enumerate(comps):
        # Fun(X) is the sum of the Fun(O) over orbits, |x| and the isotypic projections act
        # orbit by orbit: an edge exists iff it exists on some orbit holding a copy of the source
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


def _dihedral_abs_edges(X: GSet, D: Decomposition) -> np.ndarray:
    """D_n on the n-gon: A1, E_k, B1 are the C_n components of frequency 0, k, n/2."""
    n = X.group.family[1]
    C = GSet.natural(cyclic(n))
    DC = decompose(C)
    cyclic_edges = _abelian_abs_edges(C, DC)
    position = {c.irrep.frequency: i for i, c in enumerate(DC.components)}
    index = [position[c.irrep.frequency] for c in D.components]
    return cyclic_edges[np.ix_(index, index)]


def _witnessed_edges(X: GSet, D: Decomposition, skip: np.ndarray, candidates: int = 64,
                     seed: int = 0) -> np.ndarray:
    """|x| edges for groups with rational characters. A 1-dim source is the line through
    one integer vector u, and |c u| = |c| |u|: the edge is decided by E_j |u| alone. For
    larger sources, the kernel bound rules edges out and integer witnesses rule them in;
    pairs in ``skip`` (already known edges) are not examined."""
    G = X.group
    C, n = len(D.components), X.size
    check_memory(8.0 * (C * n * n + G.order * n + n * (n + candidates)),
                 f"the exact method's integer projectors on Fun({X.name})", "use the probe method")
    work = C * (C + 1) * n * n * (n + candidates) + C * G.order * n
    if work > WITNESS_WORK:
        raise TooLargeError(f"the exact method on Fun({X.name}) needs about {work:.1e} integer operations, more than "
                            f"the limit {WITNESS_WORK:.0e}; use the probe method")
    chars = []
    for c in D.components:
        chi = c.irrep.character()
        if not np.allclose(chi, np.round(chi), atol=1e-6):
            raise MethodUnavailableError(
                f"the exact method covers products of cyclic groups, D_n on the n-gon and groups "
                f"with rational characters; {G.name} has irrational character values "
                f"({c.irrep.label}): use the probe method"
            )
        chars.append(np.round(chi).astype(np.int64))
    acts = X.element_actions()
    cols = np.arange(X.size)
    projectors = []  # integer multiples M_i = sum_g chi_i(g) P_g of the projectors
    for chi in chars:
        M = np.zeros((X.size, X.size), dtype=np.int64)
        for act, value in zip(acts, chi):
            M[act, cols] += value
        projectors.append(M)
    rng = np.random.default_rng(seed)
    probes = np.concatenate([np.eye(X.size, dtype=np.int64),
                             rng.integers(-3, 4, size=(candidates, X.size))]).T
    present = np.zeros((len(D.components), len(D.components)), dtype=bool)
    for i, (src, Mi) in enumerate(zip(D.components, projectors)):
        V = np.abs(Mi @ probes)  # |v| for integer vectors v of U_i
        if src.dim == 1:
            V = V[:, [int(np.flatnonzero(np.any(Mi, axis=0))[0])]]  # |u|, u = M_i e_x != 0
        for j, (tgt, Mj) in enumerate(zip(D.components, projectors)):
            if skip[i, j] or not src.irrep.kernel_contained_in(tgt.irrep):
                continue  # known already, or no edge by the PL Schur lemma
            if src.dim == 1:
                present[i, j] = bool(np.any(Mj @ V))
                continue
            if not np.any(Mj @ V):
                raise MethodUnavailableError(
                    f"the exact method could not decide the edge {src.irrep.label} -> "
                    f"{tgt.irrep.label} on Fun({X.name}): the kernel bound allows it and no "
                    f"integer witness was found; use the probe method"
                )
            present[i, j] = True
    return present


# ------------------------------------------------------------------------ PL maps
@dataclass(frozen=True, eq=False)
class LinearPiece:
    """One linear piece of a PL map on a source of dimension <= 2: the cone between the
    angles ``start`` and ``end`` (radians; for a 1-dim source the half-lines 0 (v > 0)
    and pi (v < 0)), and the matrix of the map there (target coordinates x source)."""

    start: float
    end: float
    matrix: np.ndarray


@dataclass(frozen=True, eq=False)
class PLMap:
    """phi(v) = E_target (f(Q_source v) - f(0)) in the adapted coordinates of the target."""

    X: GSet
    source: IsotypicComponent
    target: IsotypicComponent
    activation: Activation

    def __call__(self, coefficients: np.ndarray) -> np.ndarray:
        """Target coordinates of phi at source coordinates (shape (dim,) or (dim, r))."""
        coefficients = check_real_array(coefficients, "coefficients", (1, 2))
        if coefficients.shape[0] != self.source.dim:
            raise WeightError(f"the source {self.source.irrep.label} has {self.source.dim} coordinates, got shape "
                              f"{coefficients.shape}")
        v = self.source.basis @ coefficients
        h = self.activation(v) - self.activation(np.zeros(1))[0]
        return self.target.basis.T @ h

    def pieces(self) -> list[LinearPiece]:
        """The linear pieces: cones cut out of the source by the coordinate hyperplanes
        (Q v)_x = 0, each with its matrix Q_t^T diag(f'(sign (Q v)_x)) Q_s. Needs a
        source of dimension <= 2 and a positively homogeneous PL activation."""
        Q = self.source.basis
        if Q.shape[1] > 2:
            raise MethodUnavailableError(f"linear pieces are listed for sources of dimension <= 2, "
                                         f"{self.source.irrep.label} has {Q.shape[1]}")
        a, b = _homogeneous_parts(self.activation, "pieces")
        rows = Q[np.linalg.norm(Q, axis=1) > 1e-12]
        if Q.shape[1] == 1:
            cones = [(0.0, 0.0, np.array([1.0])), (math.pi, math.pi, np.array([-1.0]))]
        else:
            angles = np.mod(np.arctan2(rows[:, 1], rows[:, 0])[:, None] + [math.pi / 2, -math.pi / 2],
                            2 * math.pi).ravel()
            angles = np.sort(angles)
            distinct = np.append(True, np.diff(angles) > 1e-9)  # lines met twice: one boundary
            angles = angles[distinct]
            if angles.size > 1 and angles[-1] - angles[0] > 2 * math.pi - 1e-9:
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
    """The PL map from one isotypic component of Fun(X) to another; components are given
    by node id (frequency or frequency tuple, up to sign, for products of cyclic groups)
    or by irreducible label.

    >>> from pltheory.groups import cyclic
    >>> phi = pl_map(GSet.regular(cyclic(4)), 1, 0, "relu")
    >>> len(phi.pieces()), phi(np.array([1.0, 0.0])).round(6).tolist()
    (4, [0.353553])
    """
    X = _check_permutation_gset(X)
    D = decompose(X)
    return PLMap(X, _component(D, source), _component(D, target), as_activation(f))


def _component(D: Decomposition, key: object) -> IsotypicComponent:
    """The component with this label, or for products of cyclic groups this frequency
    (an integer or tuple, taken mod n and up to sign: k and -k name the same irreducible)."""
    orders = cyclic_factor_orders(D.X.group)
    if not isinstance(key, str):
        values = key if isinstance(key, (tuple, list)) else (key,)
        if not values or not all(isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))
                                 for v in values):
            raise ArgumentError(f"a component is named by its label (a string) or, for products of cyclic groups, "
                                f"its frequency (an integer or a tuple of integers), got {str(key)[:60]!r}")
        k = tuple(int(v) for v in values)
        if orders is not None and len(k) == len(orders):
            k = tuple(v % n for v, n in zip(k, orders))
            neg = tuple((-v) % n for v, n in zip(k, orders))
            for c in D.components:
                if c.irrep.frequency_tuple in (k, neg):
                    return c
    for c in D.components:
        if isinstance(key, str) and key == c.irrep.label:
            return c
    names = ", ".join(str(node_id(c.irrep)) for c in D.components)
    raise PLTheoryError(f"{key!r} is not a component of Fun({D.X.name}); its components are {names}")
