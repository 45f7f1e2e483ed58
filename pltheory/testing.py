"""Equivariance checks for your own code, in a test: torch modules, Python callables on
torch tensors or numpy arrays, weight matrices (torch tensors with grad included) and MSR
sharing matrices.

A map f: Fun(X) -> Fun(Y) (with any batch and channel axes around the G-set axis) is
G-equivariant iff f(P^X_g x) = P^Y_g f(x) for every g in G, where (P_g v)[g.z] = v[z].
The g for which it holds form a subgroup, so checking the generators checks all of G;
[`check_equivariance`][pltheory.testing.check_equivariance] does that on seeded random
inputs, and ``random_elements=k`` adds k random group elements. A test is three lines:

```python
from pltheory.testing import assert_equivariant

def test_my_layer_is_equivariant():
    assert_equivariant(MyLayer(), X, Y, shape=(8, 3, X.size))   # (batch, channels, points)
```

* [`assert_equivariant`][pltheory.testing.assert_equivariant] takes a torch module, a
  callable, a weight matrix W or an MSR layer (whose sharing U it checks exactly) and
  raises [`NotEquivariantError`][pltheory.errors.NotEquivariantError] (an ``AssertionError``)
  whose first line names the failing generator in cycle notation, the relative and
  absolute defect and the tolerance;
* [`check_equivariance`][pltheory.testing.check_equivariance] returns the same measurements
  as an [`EquivarianceReport`][pltheory.testing.EquivarianceReport] without raising;
* [`assert_sharing_equivariant`][pltheory.testing.assert_sharing_equivariant] is the exact
  check of a sharing matrix U (vec(W) = U v, row-major vec): every column constant on
  each orbit of G on Y x X, bit for bit, so a weight off by 2^-20 fails where any float
  tolerance would pass it.

The defect is measured as in [`pltheory.equivariant`][pltheory.equivariant] (one code
path with the weight check): ``||f(P_g x) - P_g f(x)|| / ||f(x)||`` over the whole output,
against a tolerance named by the output's dtype (`pltheory.tolerances.EQUIVARIANCE_TOLS`).

This module does not import torch (``import pltheory`` works without it): it recognises
torch tensors and modules when it is given them, torch being imported by then. A module
is called under ``torch.no_grad()`` and in eval mode (dropout off, batch-norm statistics
untouched), its training flags restored afterwards; its parameters are never changed and
no gradient is left behind. Inputs take the dtype and device of the module's parameters.

Examples
--------
>>> import numpy as np, pltheory as pt
>>> X = pt.GSet.natural(pt.cyclic(6))
>>> assert_equivariant(lambda x: np.roll(x, 1, axis=-1) - 2 * x, X, X, shape=(4, 6))
EquivarianceReport(<lambda>, C6: 1 element checked, max relative error 0 <= tol 1e-09, passed)
>>> D = pt.GSet.natural(pt.dihedral(6))          # shifts commute with rotations, not reflections
>>> assert_equivariant(lambda x: np.roll(x, 1, axis=-1), D, D)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
pltheory.errors.NotEquivariantError: <lambda> is not D6-equivariant: relative error 1.28 > tol 1e-09 at generator 1 ...
"""

from __future__ import annotations

import contextlib
import math
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from .equivariant import (
    Defect,
    OrbitBasis,
    check_defects,
    check_same_group,
    commutation_defect,
    default_tol,
    exact_orbit_failures,
)
from .equivariant import assert_equivariant as assert_weight_equivariant
from .errors import ArgumentError, NotEquivariantError, NumericalError, WeightError
from .gsets import GSet
from .schreier import random_elements as product_replacement
from .validate import check_integer, check_real, shown

#: Largest number of random group elements a check takes (each is one call of f).
MAX_RANDOM_ELEMENTS = 10_000

#: The batch size of the default test input, shape (DEFAULT_BATCH, |X|).
DEFAULT_BATCH = 3


@dataclass(frozen=True)
class EquivarianceReport:
    """What [`check_equivariance`][pltheory.testing.check_equivariance] measured.

    Attributes
    ----------
    what:
        The name of the map checked (the module's class, the function's name).
    group:
        The group's name.
    defects:
        One [`Defect`][pltheory.equivariant.Defect] per element checked: the generators,
        then the random elements.
    tol, atol:
        The relative and absolute tolerances: an element passes when its relative defect is
        at most ``tol`` or its absolute defect at most ``atol``.
    dtype, shape:
        The dtype of f's output and the shape of the test input.

    Examples
    --------
    >>> import numpy as np, pltheory as pt
    >>> X = pt.GSet.natural(pt.symmetric(4))
    >>> report = check_equivariance(lambda x: x - x.mean(axis=-1, keepdims=True), X, X, random_elements=3)
    >>> report.passed, len(report.defects), report.max_relative < 1e-15
    (True, 5, True)
    """

    what: str
    group: str
    defects: tuple[Defect, ...]
    tol: float
    atol: float
    dtype: str
    shape: tuple[int, ...]

    @property
    def passed(self) -> bool:
        """Whether every element passed."""
        return all(d.passes(self.tol, self.atol) for d in self.defects)

    @property
    def max_relative(self) -> float:
        """The largest relative defect."""
        return max(d.relative for d in self.defects)

    @property
    def worst(self) -> Defect:
        """The element with the largest relative defect."""
        return max(self.defects, key=lambda d: d.relative)

    def raise_if_failed(self) -> None:
        """Raise [`NotEquivariantError`][pltheory.errors.NotEquivariantError] unless every element passed."""
        __tracebackhide__ = True  # pytest shows the caller's line
        check_defects(self.defects, self.tol, self.what, self.group, atol=self.atol,
                      note=f"{self.dtype} input of shape {self.shape}")

    def __repr__(self) -> str:
        count = f"{len(self.defects)} element{'s' if len(self.defects) > 1 else ''} checked"
        verdict = "passed" if self.passed else "FAILED"
        sign = "<=" if self.passed else ">"
        return (f"EquivarianceReport({self.what}, {self.group}: {count}, max relative error "
                f"{self.max_relative:.3g} {sign} tol {self.tol:.3g}, {verdict})")


def check_equivariance(f: Callable, X: GSet, Y: GSet, *, inputs: object = None, shape: Sequence[int] | None = None,
                       axis: int | Sequence[int] = -1, out_axis: int | Sequence[int] | None = None,
                       dtype: object = None, device: object = None, random_elements: int = 0,
                       tol: float | None = None, atol: float = 0.0, seed: int = 0) -> EquivarianceReport:
    """Measure ``||f(P^X_g x) - P^Y_g f(x)||`` for the generators g of G (and
    ``random_elements`` random elements) on a seeded random input x; never raises for a
    map that is not equivariant (see [`assert_equivariant`][pltheory.testing.assert_equivariant]).

    Generators suffice: the g with f(P_g x) = P_g f(x) for all x form a subgroup, so if
    the generators pass, every element of G does. Random elements (found by product
    replacement, without listing G) add coverage of rounding only.

    Parameters
    ----------
    f:
        A torch module, or a callable of one torch tensor or numpy array returning one.
    X, Y:
        The G-sets of the input and output points (one group).
    inputs:
        The test input (a torch tensor or numpy array); by default standard normal values
        drawn with ``seed``, of shape ``shape``.
    shape:
        The shape of the random input, the G-set axis included: ``(batch, channels, |X|)``
        with ``axis=-1`` (channels first), ``(batch, |X|, channels)`` with ``axis=-2``
        (channels last), ``(batch, channels, 4, 4)`` with ``axis=(-2, -1)`` for a 4 x 4
        grid. Default ``(DEFAULT_BATCH, |X|)``.
    axis:
        The input's G-set axis, or consecutive axes whose row-major flattening numbers the
        points of X (an image for ``GSet.grid``, numbered row-major).
    out_axis:
        The output's G-set axis (or axes) of |Y| points; by default ``axis``.
    dtype, device:
        Of the random input. A torch dtype (or ``device``) makes it a torch tensor; a
        module's inputs default to the dtype and device of its parameters, other inputs to
        numpy float64.
    random_elements:
        How many random group elements to check besides the generators.
    tol, atol:
        An element passes when its relative defect is at most ``tol`` (by default
        [`default_tol`][pltheory.equivariant.default_tol] of the output's dtype: 1e-9 for
        float64, 1e-5 for float32) or its absolute defect at most ``atol`` (default 0).
    seed:
        Seed of the random input and of the random elements.

    Examples
    --------
    >>> import numpy as np, pltheory as pt
    >>> X = pt.GSet.natural(pt.symmetric(5))
    >>> deepsets = lambda x: 2 * x + x.sum(axis=-2, keepdims=True)     # (batch, points, channels)
    >>> check_equivariance(deepsets, X, X, shape=(2, 5, 3), axis=-2, random_elements=4).passed
    True
    """
    check_same_group(X, Y)
    if not callable(f):
        raise ArgumentError(f"f must be a callable or torch module, got {type(f).__name__} {shown(f)}")
    count = check_integer(random_elements, "random_elements", 0, MAX_RANDOM_ELEMENTS)
    seed = check_integer(seed, "seed", 0)
    atol = check_real(atol, "atol", 0.0)
    torch = sys.modules.get("torch")
    what = _name(f, torch)
    x = _test_input(f, X, inputs, shape, axis, dtype, device, seed, torch)
    start, stop = _axes(axis, x.shape, X.size, "input", "axis", X.name)
    with _evaluating(f, torch):
        raw = _call(f, x, torch, what, first=True)
        out_dtype = _dtype_name(raw)
        out = _as_numpy(raw, what)
        out_start, out_stop = _axes(axis if out_axis is None else out_axis, out.shape, Y.size, "output",
                                    "out_axis", Y.name)
        tol = check_real(default_tol(out_dtype) if tol is None else tol, "tol", 0.0)
        defects = []
        for g, s, ax, ay in _elements(X, Y, count, seed):
            moved = _as_numpy(_call(f, _permute(x, start, stop, np.argsort(ax), torch), torch, what), what)
            if moved.shape != out.shape:
                raise ArgumentError(f"{what} returned shape {moved.shape} on a permuted input and {out.shape} on "
                                    f"the input itself")
            defects.append(commutation_defect(moved, _permute(out, out_start, out_stop, np.argsort(ay)), g, s))
    return EquivarianceReport(what, X.group.name, tuple(defects), tol, atol, out_dtype, tuple(x.shape))


def assert_equivariant(f: object, X: GSet, Y: GSet, *, tol: float | None = None, exact: bool = False,
                       atol: float = 0.0, **options: object) -> EquivarianceReport | None:
    """Raise [`NotEquivariantError`][pltheory.errors.NotEquivariantError] unless ``f`` is
    G-equivariant from Fun(X) to Fun(Y); made for tests (an ``AssertionError`` whose first
    line names the failing generator, in cycle notation, with the relative and absolute
    defect and the tolerance).

    ``f`` may be

    * a torch module or a callable (of torch tensors or numpy arrays): checked on random
      inputs by [`check_equivariance`][pltheory.testing.check_equivariance], whose keyword
      ``options`` (``inputs``, ``shape``, ``axis``, ``out_axis``, ``dtype``, ``device``,
      ``random_elements``, ``seed``) it takes; returns the report;
    * a weight matrix W (|Y| x |X|: numpy, nested lists, a torch tensor, with grad or on a
      GPU): P^Y_g W = W P^X_g for every generator, within ``tol`` by W's dtype or, with
      ``exact=True``, bit for bit
      ([`pltheory.equivariant.assert_equivariant`][pltheory.equivariant.assert_equivariant]);
    * an MSR layer ([`SharedLinear`][pltheory.msr.layers.SharedLinear]; anything with an
      ``effective_sharing()`` method): its sharing matrix U is checked exactly by
      [`assert_sharing_equivariant`][pltheory.testing.assert_sharing_equivariant], so every
      W the layer can produce is equivariant. (To check its forward pass for one filter v,
      pass ``lambda x: layer(x, v)``.)

    Examples
    --------
    >>> import numpy as np, pltheory as pt
    >>> X = pt.GSet.natural(pt.symmetric(3))
    >>> assert_equivariant(np.full((3, 3), 0.5) + np.eye(3), X, X, exact=True)
    >>> assert_equivariant(np.eye(3)[[1, 0, 2]], X, X)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pltheory.errors.NotEquivariantError: W is not S3-equivariant: relative error 1.41 > tol 1e-09 at generator ...
    """
    __tracebackhide__ = True  # pytest shows the caller's line
    if _is_sharing_layer(f):
        _no_options(options, "an MSR layer (its sharing matrix U is checked exactly)")
        assert_sharing_equivariant(f, X, Y)
        return None
    if _is_array(f):
        _no_options(options, "a weight matrix W")
        assert_weight_equivariant(to_numpy(f), X, Y, tol=tol, exact=exact, atol=atol)
        return None
    if exact:
        raise ArgumentError("exact=True checks a weight matrix or an MSR layer; a callable's outputs are floats, "
                            "checked within tol (check its weights or sharing matrix exactly)")
    report = check_equivariance(f, X, Y, tol=tol, atol=atol, **options)
    report.raise_if_failed()
    return report


def assert_sharing_equivariant(U: object, X: GSet, Y: GSet, *, basis: OrbitBasis | None = None) -> None:
    """Raise [`NotEquivariantError`][pltheory.errors.NotEquivariantError] unless every
    column of the sharing matrix U lies in the span of the orbit basis of
    Hom_G(Fun X, Fun Y), checked exactly: each column, read as a |Y| x |X| weight (row
    r = y |X| + x, vec(W) = U v row-major), is constant on each orbit of G on Y x X.

    U may be a numpy array, a torch tensor (float32, with grad, on a GPU), an object array
    of Fractions, or an MSR layer ([`SharedLinear`][pltheory.msr.layers.SharedLinear], whose
    ``effective_sharing()`` is U). Floats are compared by their binary value: no tolerance,
    so an entry off by 2^-20 fails. The message names the failing column and orbit, two
    pairs (y, x) of the orbit whose entries differ, and a generator that moves one to a
    pair with another entry; ``basis`` spares recomputing the orbit basis.

    Examples
    --------
    >>> import pltheory as pt
    >>> X = pt.GSet.natural(pt.cyclic(4))
    >>> U = pt.equivariant_basis(X, X).sharing_matrix().toarray()
    >>> assert_sharing_equivariant(U, X, X)
    >>> U[5, 0] = 1 + 2.0**-20
    >>> assert_sharing_equivariant(U, X, X)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pltheory.errors.NotEquivariantError: column 0 of U is not C4-equivariant (exact check): not constant on orbit 0 ...
    """
    __tracebackhide__ = True  # pytest shows the caller's line
    owner = ""
    if _is_sharing_layer(U):
        sizes = (getattr(U, "in_features", X.size), getattr(U, "out_features", Y.size))
        if sizes != (X.size, Y.size):
            raise WeightError(f"the layer maps {sizes[0]} -> {sizes[1]} features; Fun({X.name}) -> Fun({Y.name}) "
                              f"is {X.size} -> {Y.size}")
        owner = f"; U is the sharing of {U!r}"
        U = U.effective_sharing()
    U = to_numpy(U)
    if U.ndim == 1:  # one vec(W)
        U = U.reshape(-1, 1)
    failures = exact_orbit_failures(U, X, Y, basis)
    if failures:
        extra = (f"\n  {len(failures)} of {U.shape[1]} columns fail: {[e.column for e in failures][:20]}"
                 if len(failures) > 1 else "")
        first, _, rest = failures[0].message("U").partition("\n")
        raise NotEquivariantError(f"{first}{owner}\n{rest}{extra}")


def to_numpy(value: object) -> np.ndarray | object:
    """A torch tensor as a numpy array holding the same values (detached from autograd,
    copied to the CPU; bfloat16 widened to float32, exactly); anything else unchanged.

    >>> import numpy as np
    >>> to_numpy(np.ones(2)).tolist()
    [1.0, 1.0]
    """
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(value, torch.Tensor):
        value = value.detach().to("cpu")
        if value.dtype == torch.bfloat16:
            value = value.to(torch.float32)
        return value.numpy()
    return value


# ------------------------------------------------------------------ helpers
def _elements(X: GSet, Y: GSet, count: int, seed: int) -> Iterator[tuple[np.ndarray, int | None, np.ndarray,
                                                                          np.ndarray]]:
    """(g, generator index or None, g on X, g on Y): the generators, then ``count`` random
    elements by product replacement on the disjoint union of the group's points, X and Y
    (one permutation acting on all three, so the three actions stay one element)."""
    G = X.group
    yield from ((g, s, ax, ay) for s, (g, ax, ay) in enumerate(zip(G.generators, X.action, Y.action)))
    if count:
        d, n = G.degree, X.size
        joint = np.concatenate([np.array(G.generators), X.action + d, Y.action + d + n], axis=1)
        for e in product_replacement(joint, count, seed):
            yield e[:d], None, e[d:d + n] - d, e[d + n:] - d - n


def _test_input(f: Callable, X: GSet, inputs: object, shape: object, axis: object, dtype: object, device: object,
                seed: int, torch: object) -> object:
    """The test input: ``inputs`` as given (a tensor detached), or seeded standard normal
    values of ``shape`` as a numpy array or a torch tensor (see check_equivariance)."""
    if inputs is not None:
        if shape is not None or dtype is not None or device is not None:
            raise ArgumentError("inputs fix the shape, dtype and device of the test input: give inputs or "
                                "shape/dtype/device, not both")
        if torch is not None and isinstance(inputs, torch.Tensor):
            return inputs.detach()
        x = np.asarray(inputs)
        if x.dtype.kind not in "biuf":
            raise ArgumentError(f"inputs must be a real array or tensor, got entries of type {x.dtype}")
        return x
    if shape is None:
        if axis not in (-1, 1):
            raise ArgumentError(f"give the shape of the test input (with {X.size} points along axis {axis}), "
                                f"e.g. shape=(2, {X.size}, 3) for axis=-2")
        shape = (DEFAULT_BATCH, X.size)
    if not isinstance(shape, (tuple, list)) or not shape:
        raise ArgumentError(f"shape must be a tuple of sizes, got {shown(shape)}")
    shape = tuple(check_integer(n, "a size in shape", 1) for n in shape)
    values = np.random.default_rng(seed).standard_normal(shape)
    module = torch is not None and isinstance(f, torch.nn.Module)
    if module or device is not None or _torch_dtype(dtype, torch, strict=False) is not None:
        if torch is None:
            raise ArgumentError("device= makes a torch tensor, and torch is not imported")
        reference = next((t for t in (*f.parameters(), *f.buffers()) if t.is_floating_point()),
                         None) if module else None
        kind = _torch_dtype(dtype, torch) if dtype is not None else (
            reference.dtype if reference is not None else torch.get_default_dtype())
        where = device if device is not None else (reference.device if reference is not None else "cpu")
        return torch.as_tensor(values).to(device=where, dtype=kind)
    try:
        kind = np.dtype(np.float64 if dtype is None else dtype)
    except TypeError:
        raise ArgumentError(f"dtype must be a numpy or torch dtype, got {shown(dtype)}") from None
    if kind.kind != "f":
        raise ArgumentError(f"the random test input is real: dtype must be a float type, got {kind}")
    return values.astype(kind)


def _torch_dtype(dtype: object, torch: object, strict: bool = True) -> object:
    """``dtype`` as a torch dtype: a torch dtype itself, or (when ``strict``) a name or numpy dtype."""
    if torch is None or dtype is None:
        return None
    if isinstance(dtype, torch.dtype):
        return dtype
    if not strict:
        return None
    name = str(dtype).removeprefix("torch.")
    with contextlib.suppress(TypeError):
        name = np.dtype(dtype).name
    found = getattr(torch, name, None)
    if not isinstance(found, torch.dtype) or not found.is_floating_point:
        raise ArgumentError(f"dtype must be a floating-point dtype, got {shown(dtype)}")
    return found


def _axes(axis: object, shape: tuple[int, ...], size: int, where: str, name: str, gset: str) -> tuple[int, int]:
    """[start, stop) of the G-set axis (or consecutive axes) in ``shape``, after checking
    that they hold ``size`` points."""
    axes = [axis] if isinstance(axis, (int, np.integer)) and not isinstance(axis, bool) else axis
    if not isinstance(axes, (list, tuple)) or not axes:
        raise ArgumentError(f"{name} must be an integer or a tuple of consecutive axes, got {shown(axis)}")
    ndim = len(shape)
    if ndim == 0:
        raise ArgumentError(f"the {where} is a scalar: it has no axis of points of {gset}")
    normal = [check_integer(a, name, -ndim, ndim - 1) % ndim for a in axes]
    if normal != list(range(normal[0], normal[0] + len(normal))):
        raise ArgumentError(f"{name} must name consecutive axes of the {where} (shape {shape}), got {shown(axis)}")
    start, stop = normal[0], normal[-1] + 1
    points = math.prod(shape[start:stop])
    if points != size:
        raise ArgumentError(f"the {where} has shape {shape}: {points} entries along {name}={shown(axis)}, but "
                            f"{gset} has {size} points")
    return start, stop


def _permute(t: object, start: int, stop: int, index: np.ndarray, torch: object = None) -> object:
    """``t`` with the points along axes [start, stop) (flattened row-major) taken in the
    order ``index``: P_g t for ``index`` = g^-1 as an array, (P_g t)[z] = t[g^-1 z]."""
    shape = tuple(t.shape)
    flat = (*shape[:start], math.prod(shape[start:stop]), *shape[stop:])
    if torch is not None and isinstance(t, torch.Tensor):
        return t.reshape(flat).index_select(start, torch.as_tensor(index, device=t.device)).reshape(shape)
    return np.take(np.reshape(t, flat), index, axis=start).reshape(shape)


def _call(f: Callable, x: object, torch: object, what: str, first: bool = False) -> object:
    """f on a copy of x (f may work in place); on the first call, a numpy input that f
    cannot take is reported as what to pass instead."""
    copy = x.clone() if torch is not None and isinstance(x, torch.Tensor) else np.array(x, copy=True)
    if not (first and isinstance(copy, np.ndarray) and torch is not None):
        return f(copy)
    try:
        return f(copy)
    except (TypeError, AttributeError, ValueError, RuntimeError) as exc:
        raise ArgumentError(f"{what} failed on a numpy array input ({type(exc).__name__}: {str(exc)[:100]}); if it "
                            f"takes torch tensors, pass dtype=torch.float32 (or inputs=a tensor)") from exc


def _as_numpy(out: object, what: str) -> np.ndarray:
    """f's output as a real numpy array with finite entries."""
    if isinstance(out, (tuple, list, dict)):
        raise ArgumentError(f"{what} returned a {type(out).__name__}; check a function returning one tensor, "
                            f"e.g. lambda x: f(x)[0]")
    arr = np.asarray(to_numpy(out))
    if arr.dtype.kind not in "biuf":
        raise ArgumentError(f"{what} returned values of type {arr.dtype}; real arrays or tensors are expected")
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise NumericalError(f"{what} returned {np.count_nonzero(~np.isfinite(arr))} NaN or infinite values on the "
                             f"test input")
    return arr


def _dtype_name(out: object) -> str:
    """The dtype of f's output by name: ``float32``, ``float64``, ``bfloat16``, ..."""
    dtype = getattr(out, "dtype", None)
    return str(np.asarray(out).dtype if dtype is None else dtype).removeprefix("torch.")


@contextlib.contextmanager
def _evaluating(f: object, torch: object) -> Iterator[None]:
    """Run f without autograd and, for a module, in eval mode; its flags restored after."""
    if torch is None:
        yield
        return
    modes = [(m, m.training) for m in f.modules()] if isinstance(f, torch.nn.Module) else []
    try:
        for m, _ in modes:
            m.training = False
        with torch.no_grad():
            yield
    finally:
        for m, mode in modes:
            m.training = mode


def _name(f: object, torch: object) -> str:
    """A module's class name, a function's name (else the callable's class name)."""
    if torch is not None and isinstance(f, torch.nn.Module):
        return type(f).__name__
    name = getattr(f, "__name__", None)
    return name if isinstance(name, str) else type(f).__name__


def _is_sharing_layer(f: object) -> bool:
    """An MSR layer: a torch module with an ``effective_sharing()`` method (SharedLinear)."""
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(f, torch.nn.Module) and callable(getattr(f, "effective_sharing", None))


def _is_array(f: object) -> bool:
    """A weight matrix: a numpy array, nested lists, a torch tensor or a sympy Matrix
    (callable, but with a shape): anything with a shape that is not a torch module."""
    torch = sys.modules.get("torch")
    module = torch is not None and isinstance(f, torch.nn.Module)
    return isinstance(f, (np.ndarray, list, tuple)) or (hasattr(f, "shape") and not module)


def _no_options(options: dict, what: str) -> None:
    if options:
        raise ArgumentError(f"{', '.join(sorted(options))} apply to callables and modules; f is {what}")
