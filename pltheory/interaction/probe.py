"""The probe method: where the energy of activated generic vectors lands.

Random unit vectors v of each component U_i (and -v; several amplitudes when f is not
positively homogeneous) are activated, h = f(v) - f(0), and h is split over the
components: the method draws an edge i -> j when the share of ||h||^2 landing in U_j
exceeds a tolerance for some probe, and weights it by the mean share. It works for any
group, any G-set and any activation, and it is the only method for depth d > 1, which
follows the vectors through d activations with random elements of the orbit basis
(generic equivariant linear maps X -> X) in between.

The constants below are the probe's limits; its tolerances and amplitudes are in
[`pltheory.tolerances`][pltheory.tolerances].
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..activations import Activation
from ..decomposition import Decomposition, decompose
from ..equivariant import equivariant_basis
from ..errors import NumericalError, TooLargeError
from ..gsets import GSet
from ..limits import MAX_DEPTH, check_memory
from ..tolerances import AMPLITUDES, NUDGE, NUDGE_ATTEMPTS, ON_BREAKPOINT, ROUNDING_MARGIN, SENSITIVITY_STEP
from ..validate import check_integer

#: Largest number of values the probe method activates: |X| x components x 2 probes x
#: amplitudes (C_4096 regular with ReLU, 134 million, takes about 10 s on one core).
MAX_PROBE_VALUES = 250_000_000

#: Largest G-set on which callers that show edge weights (the command line's ``graph``)
#: ask the exact and closed-form methods for probe weights.
WEIGHT_PROBE_POINTS = 2048

#: Largest number of probes per component (the largest depth is ``pltheory.limits.MAX_DEPTH``).
MAX_PROBES = 256

#: Bytes of probe vectors (with the activation's temporaries) activated at once.
PROBE_CHUNK_BYTES = 256 * 1024**2


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

    Examples
    --------
    ReLU on the regular C_4-set moves energy from frequency 1 (row 1) into every
    component, from frequency 2 into 0 and 2 only:

    >>> import pltheory as pt
    >>> from pltheory.interaction.probe import probe_shares
    >>> shares = probe_shares(pt.GSet.regular(pt.cyclic(4)), pt.activation("relu"))
    >>> (shares.mean > 0.01).astype(int).tolist()
    [[1, 0, 0], [1, 1, 1], [1, 0, 1]]
    """

    largest: np.ndarray
    mean: np.ndarray


def probe_values(X: GSet, components: int, f: Activation, probes: int) -> int:
    """How many values the probe method activates on Fun(X): |X| x components x 2
    probes (v and -v) x amplitudes (1, or ``len(AMPLITUDES)`` when f is not positively
    homogeneous).

    >>> import pltheory as pt
    >>> from pltheory.interaction.probe import probe_values
    >>> X = pt.GSet.regular(pt.cyclic(4))
    >>> probe_values(X, 3, pt.activation("relu"), 8), probe_values(X, 3, pt.activation("tanh"), 8)
    (192, 576)
    """
    return X.size * components * 2 * probes * (1 if f.positively_homogeneous else len(AMPLITUDES))


def check_probe_size(X: GSet, components: int, f: Activation, probes: int, instead: str) -> None:
    """Refuse a probe that would activate more than `MAX_PROBE_VALUES` values; the
    message ends with ``instead`` (what to do instead).

    Raises
    ------
    TooLargeError
        Past the limit.

    Examples
    --------
    >>> import pltheory as pt
    >>> from pltheory.interaction.probe import check_probe_size
    >>> X = pt.GSet.natural(pt.cyclic(4096))
    >>> check_probe_size(X, 2049, pt.activation("relu"), 256, "; use fewer probes")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pltheory.errors.TooLargeError: the probe would activate 4.3e+09 values ... limit 2.5e+08; use fewer probes
    """
    values = probe_values(X, components, f, probes)
    if values > MAX_PROBE_VALUES:
        raise TooLargeError(
            f"the probe would activate {values:.2g} values ({X.size} points x {components} components x "
            f"{2 * probes} probes{'' if f.positively_homogeneous else f' x {len(AMPLITUDES)} amplitudes'}), "
            f"more than the limit {MAX_PROBE_VALUES:.2g}{instead}"
        )


def probe_shares(X: GSet, f: Activation, *, depth: int = 1, probes: int = 8, seed: int = 0,
                 amplitudes: tuple[float, ...] | None = None) -> ProbeShares:
    """Where the energy of activated probes lands: [`ProbeShares`][pltheory.interaction.probe.ProbeShares] over all
    probes h_p of each source component after ``depth`` activations (with random equivariant
    maps between).

    Probes are random unit vectors u of each component and their negatives -u (ReLU of a
    negative constant is 0), times each amplitude: 1 when f is positively homogeneous
    (shares do not depend on it), else `AMPLITUDES` times sqrt(|X|) times ``f.scale``
    (max(1, |kinks|)), so that the entries of the probe, of size about amplitude /
    sqrt(|X|), reach the kinks; a probe with an entry on a breakpoint is rescaled off it.
    Outputs at rounding level (`ROUNDING_MARGIN`) count as zero; a non-finite output (f
    overflowed) raises [`NumericalError`][pltheory.errors.NumericalError], never a silent
    "not reached". Probe p meets its own random equivariant maps W (the same from every
    component); where W would silence the next activation (f(W h) = f(0) for ReLU after a
    map with W h <= 0), -W is used, which is just as generic. Sources are processed in
    chunks of at most `PROBE_CHUNK_BYTES`.

    Parameters
    ----------
    X:
        The G-set.
    f:
        The activation.
    depth:
        Number of activation layers, 1 to `MAX_DEPTH`.
    probes:
        Random unit vectors per component, 1 to `MAX_PROBES`.
    seed:
        Seed of the probes and of the random equivariant maps.
    amplitudes:
        Override the amplitudes (absolute norms of the probes).

    Returns
    -------
    ProbeShares
        Arrays of shape (C, C), sources by targets, for the C components of Fun(X) in the
        order of [`decompose`][pltheory.decomposition.decompose].

    Notes
    -----
    Complexity: V = [`probe_values`][pltheory.interaction.probe.probe_values] activations and as many target coordinates
    (one FFT per probe for products of cyclic groups), plus for depth d > 1, (d - 1)
    dense |X| x |X| equivariant maps applied to each of the 2 x probes x amplitudes
    columns per component.

    Examples
    --------
    >>> import pltheory as pt
    >>> s = probe_shares(pt.GSet.regular(pt.cyclic(4)), pt.activation("abs"))
    >>> (s.largest > 1e-20).astype(int).tolist()
    [[1, 0, 0], [1, 0, 1], [1, 0, 0]]
    """
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
    """Rescale each column of H by `NUDGE` until none of its entries lies within
    `ON_BREAKPOINT` (relative) of a nonzero breakpoint of the PL activation f.

    A constant probe of amplitude b on a kink at b would otherwise feed rounding noise
    through it. (Rescaling cannot move entries off a kink at 0, and needs not: f is
    positively homogeneous near 0 and an exact zero entry carries no noise.)

    Complexity: O(entries x breakpoints) per pass for a few breakpoints, O(entries log m)
    for m > 16; a few passes.

    Examples
    --------
    >>> import pltheory as pt
    >>> moved = off_breakpoints(np.array([[1.0], [0.5]]), pt.activation("pl:1;0,1"))
    >>> bool(abs(moved[0, 0] - 1.0) > ON_BREAKPOINT)
    True
    """
    bps = np.array([float(b) for b in (f.breakpoints or ()) if b != 0])
    if not bps.size:
        return H
    H = H.copy()
    for _ in range(NUDGE_ATTEMPTS):
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
    """h = f(u) - f(0) for each column u of U, with rounding noise set to exactly 0.

    A column with ||h|| at rounding level (see `ROUNDING_MARGIN`; ||f'(u) u|| by a central
    difference, so the bound is local and an exponential f is not judged by its slope far
    away) is set to exactly 0. Complexity: O(entries of U).

    Raises
    ------
    NumericalError
        When f overflows (non-finite values).

    Examples
    --------
    >>> import pltheory as pt
    >>> activated(np.array([[-1.0, 2.0], [3.0, -4.0]]), pt.activation("relu")).tolist()
    [[0.0, 2.0], [3.0, 0.0]]
    """
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
    """Euclidean norms of the columns of A, scaled first so that squares of values near
    the float range do not overflow (1e300 has norm 1e300, not inf). O(entries of A).

    Examples
    --------
    >>> column_norms(np.array([[3.0, 1e300], [4.0, 0.0]])).tolist()
    [5.0, 1e+300]
    """
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
