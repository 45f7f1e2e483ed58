"""Pointwise activations and the properties interaction graphs depend on.

An activation f: R -> R acts on Fun(X) coordinate by coordinate, f(v)(x) = f(v(x)). It
commutes with every permutation matrix, which is why equivariant layers are permutation
representations. A piecewise-linear (PL) activation is stored exactly: breakpoints
b_1 < ... < b_m, slopes s_0, ..., s_m (s_i on the i-th interval) and the value f(0), all
as Fractions, so exact methods can use them.

Properties:

* positively homogeneous: f(t x) = t f(x) for t > 0 (PL: no breakpoint but 0, f(0) = 0);
  then f(x) = a x + b |x| with a = (s+ + s-)/2, b = (s+ - s-)/2;
* odd: f(-x) = -f(x);
* linear: f(x) = c x.

Names accepted by [`activation`][pltheory.activations.activation]: ``relu``, ``abs``, ``leaky:P`` (= ``prelu:P``, slope
P for x < 0), ``min`` (min(x, 0)), ``linear``, ``pl:B1,B2,...;S0,S1,...`` (breakpoints;
slopes; f(0) = 0), ``hardtanh`` (pl:-1,1;0,1,0) and ``tanh`` (not PL).

Any vectorised Python function is accepted too. Its properties and kinks cannot be read
off exactly, so they are measured: f is sampled at 0 and at +-x for x log-spaced from
`CALLABLE_RESOLUTION` to `CALLABLE_RANGE` (`CALLABLE_POINTS_PER_DECADE` per decade), a
property holds when it holds at every sample (up to the precision of the values f returns:
float32 outputs are compared at float32 precision), and a *kink* is a sample where the slope
between neighbouring samples jumps: by more than `KINK_TOL` (or the output precision) of the
slope, and by more than `KINK_SPIKE` times the typical change around it, so the smooth
curvature of tanh or exp is not a kink but the corner of ``max(x - 30, 0)`` and the steep
bend of a shifted softplus are. The probe method scales its amplitudes to the largest kink,
so ``lambda x: np.maximum(x - 30, 0)`` is probed past 30 like ``pl:30;0,1``. Kinks beyond
`CALLABLE_RANGE` and features narrower than the sampling are not seen: declare a PL
activation (``pl:...`` or [`piecewise_linear`][pltheory.activations.piecewise_linear]) for
exact behaviour. Any exception the function raises, and complex or non-numeric values it
returns, become [`ActivationError`][pltheory.errors.ActivationError]. An activation is
called on arrays of real numbers (ints, floats); strings, complex numbers and ``None`` are
refused, never cast.

Examples
--------
>>> f = activation("leaky:0.1")
>>> f(np.array([-2.0, 3.0])).tolist(), f.positively_homogeneous, f.odd
([-0.2, 3.0], True, False)
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

import numpy as np

from .errors import ActivationError
from .tolerances import KINK_SPIKE, KINK_TOL, KINK_WINDOW, PRECISION_MARGIN, PROPERTY_RTOL, SENSITIVITY_STEP
from .validate import check_instance, check_real, shown

Number = int | float | Fraction | str

#: Largest |x| at which a callable activation is sampled.
CALLABLE_RANGE = 1e9

#: Smallest |x| > 0 at which a callable activation is sampled.
CALLABLE_RESOLUTION = 1e-6

#: Log-spaced samples per decade of a callable activation.
CALLABLE_POINTS_PER_DECADE = 40

#: Range of the relative step of
#: [`Activation.value_and_slope`][pltheory.activations.Activation.value_and_slope]'s central
#: difference: below 1e-15, x + h rounds to x.
STEP_RANGE = (1e-15, 1.0)


@dataclass(frozen=True)
class Activation:
    """A pointwise activation; PL ones carry their exact breakpoints and slopes.

    Attributes
    ----------
    name:
        How it was asked for, e.g. ``"leaky:0.1"``.
    breakpoints, slopes, value_at_zero:
        The PL data (Fractions), ``None`` for a general callable.
    function:
        For a general callable, the function itself.

    Examples
    --------
    >>> f = activation("hardtanh")          # pl:-1,1;0,1,0, i.e. clip(x, -1, 1)
    >>> f, f.kinks, f.odd, f.positively_homogeneous
    (Activation('hardtanh'), (-1.0, 1.0), True, False)
    >>> f(np.array([-2.0, 0.5, 3.0])).tolist()
    [-1.0, 0.5, 1.0]
    """

    name: str
    breakpoints: tuple[Fraction, ...] | None = None
    slopes: tuple[Fraction, ...] | None = None
    value_at_zero: Fraction = Fraction(0)
    function: Callable[[np.ndarray], np.ndarray] | None = None

    @property
    def is_piecewise_linear(self) -> bool:
        """Whether f is stored exactly by breakpoints and slopes."""
        return self.slopes is not None

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """f(x) entry by entry, for an array (or number) of ints or floats."""
        if self.function is None:
            return self.value_and_slope(x)[0]
        return self._outputs(_real_input(x)).astype(float, copy=False)

    def _outputs(self, x: np.ndarray) -> np.ndarray:
        """The callable's values at x as the array it returns (float32 stays float32); an
        exception it raises, or complex or non-numeric values, become ActivationError."""
        try:
            values = np.asarray(self.function(x))
        except Exception as exc:  # noqa: BLE001 - a user's function can fail in any way; say so in one line
            detail = " ".join(str(exc).split())[:120]
            raise ActivationError(f"{self.name} failed on an array: {type(exc).__name__}"
                                  + (f": {detail}" if detail else "")) from None
        if values.dtype.kind not in "biuf":
            what = "complex values" if values.dtype.kind == "c" else f"values of type {values.dtype}"
            raise ActivationError(f"{self.name} returns {what}; an activation maps real numbers to real numbers")
        return values

    def value_and_slope(self, x: np.ndarray, step: float = SENSITIVITY_STEP) -> tuple[np.ndarray, np.ndarray]:
        """f(x) and f'(x) entry by entry: exact for PL (the slope of the piece holding x,
        the right one at a breakpoint), a central difference of relative ``step`` (within
        `STEP_RANGE`) for a callable. O(n log m) for n entries and m breakpoints.

        >>> value, slope = activation("hardtanh").value_and_slope(np.array([-2.0, 0.5, 1.0]))
        >>> value.tolist(), slope.tolist()         # at the breakpoint 1: the right slope
        ([-1.0, 0.5, 1.0], [0.0, 1.0, 0.0])
        """
        step = check_real(step, "step", *STEP_RANGE)
        x = _real_input(x)
        with np.errstate(over="ignore", invalid="ignore"):
            if self.function is not None:
                h = step * np.maximum(np.abs(x), 1.0)
                return self(x), (self(x + h) - self(x - h)) / (2 * h)
            bps, at_bps, slopes = self._numeric
            if not bps.size:
                return float(self.value_at_zero) + slopes[0] * x, np.full(x.shape, slopes[0])
            if bps.size == 1 and bps[0] == 0.0:  # a x + b |x| (+ f(0)): two elementwise operations
                slope = np.where(x >= 0, slopes[1], slopes[0])
                return at_bps[0] + slope * x, slope
            # on piece p (between breakpoints p-1 and p), f(x) = f(b) + s_p (x - b) with b
            # the breakpoint bounding it (the first one for the leftmost piece)
            piece = np.searchsorted(bps, x, side="right")
            anchor = np.maximum(piece - 1, 0)
            slope = slopes[piece]
            return at_bps[anchor] + slope * (x - bps[anchor]), slope

    @cached_property
    def _numeric(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Breakpoints, f at the breakpoints and slopes as floats (PL only), built once in
        O(m): f(b) is accumulated piece by piece outwards from f(0)."""
        bps, slopes = self.breakpoints, self.slopes
        values: list[Fraction] = [Fraction(0)] * len(bps)
        first = next((i for i, b in enumerate(bps) if b > 0), len(bps))  # breakpoints >= 0 start here
        previous, value = Fraction(0), self.value_at_zero
        for i in range(first, len(bps)):  # rightwards: the piece before b_i has slope s_i
            value += slopes[i] * (bps[i] - previous)
            values[i], previous = value, bps[i]
        previous, value = Fraction(0), self.value_at_zero
        for i in range(first - 1, -1, -1):  # leftwards: the piece after b_i has slope s_{i+1}
            value -= slopes[i + 1] * (previous - bps[i])
            values[i], previous = value, bps[i]
        return (np.array([float(b) for b in bps]), np.array([float(v) for v in values]),
                np.array([float(s) for s in slopes]))

    def value(self, t: Fraction) -> Fraction:
        """f(t) exactly, f(0) plus the integral of the slopes from 0 to t, for a finite real
        t (or an exact numeric string such as ``"1/3"``). PL activations only: a general
        callable has no exact values ([`ActivationError`][pltheory.errors.ActivationError]).

        >>> f = activation("hardtanh")
        >>> f.value(Fraction(1, 3)), f.value("-5")
        (Fraction(1, 3), Fraction(-1, 1))
        """
        if not self.is_piecewise_linear:
            raise ActivationError(f"{self.name} is a general callable with no exact values; call it on floats, "
                                  f"or declare a piecewise-linear activation")
        t = _fraction(t, "t")
        edges = [None, *self.breakpoints, None]
        lo, hi = min(t, Fraction(0)), max(t, Fraction(0))
        total = Fraction(0)
        for i, slope in enumerate(self.slopes):
            a = lo if edges[i] is None else max(lo, edges[i])
            b = hi if edges[i + 1] is None else min(hi, edges[i + 1])
            if b > a:
                total += slope * (b - a)
        return self.value_at_zero + (total if t >= 0 else -total)

    # ------------------------------------------------------------ properties
    @property
    def positively_homogeneous(self) -> bool:
        """f(t x) = t f(x) for all t > 0."""
        if self.is_piecewise_linear:
            return all(b == 0 for b in self.breakpoints) and self.value_at_zero == 0
        return self._sampled(lambda x, fx: self._close(self(2.5 * x), 2.5 * fx))

    @property
    def odd(self) -> bool:
        """f(-x) = -f(x) for all x."""
        if self.is_piecewise_linear:
            return (self.value_at_zero == 0 and tuple(-b for b in reversed(self.breakpoints)) == self.breakpoints
                    and tuple(reversed(self.slopes)) == self.slopes)
        return self._sampled(lambda x, fx: self._close(self(-x), -fx))

    @property
    def linear(self) -> bool:
        """f(x) = c x."""
        if self.is_piecewise_linear:
            return len(set(self.slopes)) == 1 and self.value_at_zero == 0
        return self._sampled(lambda x, fx: self._close(fx, x * self(np.ones(1))[0]))

    def _close(self, a: np.ndarray, b: np.ndarray) -> bool:
        """Equal up to [`PROPERTY_RTOL`][pltheory.tolerances.PROPERTY_RTOL] (or the output precision) relative to the
        larger value, and to 1 near 0."""
        rtol = max(PROPERTY_RTOL, PRECISION_MARGIN * self.precision)
        return bool(np.all(np.abs(a - b) <= rtol * np.maximum(1.0, np.maximum(np.abs(a), np.abs(b)))))

    @cached_property
    def precision(self) -> float:
        """Machine epsilon of the values f returns: float64's for PL activations and float64
        callables, float32's for a callable returning float32, and so on."""
        if self.function is None:
            return float(np.finfo(np.float64).eps)
        with np.errstate(all="ignore"):
            dtype = self._outputs(np.linspace(-1.0, 1.0, 5)).dtype
        return float(np.finfo(dtype if np.issubdtype(dtype, np.floating) else np.float64).eps)

    def _sampled(self, test: Callable[[np.ndarray, np.ndarray], bool]) -> bool:
        """A property of a general callable, tested at its samples (module docstring)."""
        x, fx = self._samples
        with np.errstate(all="ignore"):
            return bool(test(x, fx))

    @cached_property
    def _samples(self) -> tuple[np.ndarray, np.ndarray]:
        """(x, f(x)) at the samples of a callable where f(x) is finite (module docstring)."""
        decades = math.log10(CALLABLE_RANGE / CALLABLE_RESOLUTION)
        positive = np.geomspace(CALLABLE_RESOLUTION, CALLABLE_RANGE, int(decades * CALLABLE_POINTS_PER_DECADE) + 1)
        x = np.concatenate([-positive[::-1], [0.0], positive])
        with np.errstate(all="ignore"):
            fx = self(x)
        if fx.shape != x.shape:
            raise ActivationError(f"{self.name} maps an array of shape {x.shape} to shape {fx.shape}; "
                                  f"an activation acts entry by entry")
        finite = np.isfinite(fx)
        if not finite[x.size // 2]:
            raise ActivationError(f"{self.name} is not finite at 0")
        return x[finite], fx[finite]

    @cached_property
    def kinks(self) -> tuple[float, ...]:
        """Where the slope jumps: the breakpoints of a PL activation; for a callable, the
        samples at which the slope between neighbouring samples jumps (module docstring;
        approximate locations, within a sampling step)."""
        if self.is_piecewise_linear:
            return tuple(float(b) for b in self.breakpoints)
        x, fx = self._samples
        with np.errstate(all="ignore"):
            slopes = np.diff(fx) / np.diff(x)
            change = np.abs(np.diff(slopes))
        size = np.maximum(1.0, np.maximum(np.abs(slopes[1:]), np.abs(slopes[:-1])))
        padded = np.pad(change, KINK_WINDOW, mode="edge")
        windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * KINK_WINDOW + 1)
        typical = np.median(windows, axis=1)
        tol = max(KINK_TOL, PRECISION_MARGIN * self.precision)
        jump = (change > tol * size) & (change > KINK_SPIKE * typical)
        return tuple(x[1:-1][jump].tolist())

    @property
    def scale(self) -> float:
        """max(1, |kink|) over the kinks: the input size at which f stops being linear."""
        return max([1.0, *(abs(k) for k in self.kinks)])

    @property
    def homogeneous_parts(self) -> tuple[Fraction, Fraction]:
        """(a, b) with f(x) = a x + b |x|, for a positively homogeneous PL activation."""
        if not (self.is_piecewise_linear and self.positively_homogeneous):
            raise ActivationError(f"{self.name} is not a positively homogeneous piecewise-linear function")
        s_minus, s_plus = self.slopes[0], self.slopes[-1]
        return (s_plus + s_minus) / 2, (s_plus - s_minus) / 2

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"


def piecewise_linear(breakpoints: Sequence[Number], slopes: Sequence[Number], value_at_zero: Number = 0,
                     name: str | None = None) -> Activation:
    """The continuous PL function with the given breakpoints (increasing), slopes (one more
    than breakpoints) and f(0).

    ``breakpoints`` and ``slopes`` are lists, tuples or arrays whose entries, like
    ``value_at_zero``, are finite real numbers or exact numeric strings such as ``"1/3"``
    (what ``pl:`` specs hold); a string or a dict in place of the list is refused.

    >>> piecewise_linear([0], [0, 1]).positively_homogeneous   # ReLU
    True
    """
    if name is not None:
        check_instance(name, "name", str, "a string")
    bps, sl = _fractions(breakpoints, "breakpoints"), _fractions(slopes, "slopes")
    f0 = _fraction(value_at_zero, "value_at_zero")
    if len(sl) != len(bps) + 1:
        raise ActivationError(f"{len(bps)} breakpoints need {len(bps) + 1} slopes, got {len(sl)}")
    if any(b >= c for b, c in zip(bps, bps[1:])):
        raise ActivationError("breakpoints must be strictly increasing")
    # drop breakpoints where the slope does not change
    keep = [i for i in range(len(bps)) if sl[i] != sl[i + 1]]
    bps = tuple(bps[i] for i in keep)
    sl = (sl[0], *(sl[i + 1] for i in keep))
    text = name or "pl:" + ",".join(map(str, bps)) + ";" + ",".join(map(str, sl))
    return Activation(text, bps, sl, f0)


def _fraction(value: object, what: str) -> Fraction:
    """``value`` as an exact Fraction: a real number (a float at its exact binary value) or a
    numeric string such as ``"1/3"`` or ``"0.25"``, finite in floating point; anything else
    (bools, complex numbers, None, ``"abc"``, NaN, infinities) raises ActivationError."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, str, Decimal)):
        raise ActivationError(f"{what} must be real numbers, got {type(value).__name__} {shown(value)}")
    try:
        exact = Fraction(value if isinstance(value, (numbers.Rational, float, str, Decimal)) else float(value))
        if math.isfinite(float(exact)):
            return exact
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        pass
    raise ActivationError(f"{what} must be finite real numbers, got {shown(value)}")


def _fractions(values: object, what: str) -> tuple[Fraction, ...]:
    """A list, tuple or 1-D array of numbers as Fractions ([`_fraction`][pltheory.activations._fraction])."""
    check_instance(values, what, (list, tuple, np.ndarray), "a list of numbers")
    if isinstance(values, np.ndarray) and values.ndim != 1:
        raise ActivationError(f"{what} must be a 1-D list of numbers, got an array of shape {values.shape}")
    return tuple(_fraction(v, what) for v in values)


def _real_input(x: object) -> np.ndarray:
    """``x`` as a float array if it holds ints or floats (bools too); strings, complex
    numbers, None and ragged lists raise ActivationError, never cast."""
    try:
        arr = None if x is None else np.asarray(x)
    except (TypeError, ValueError):  # ragged nested lists
        arr = None
    if arr is None or arr.dtype.kind not in "biuf":
        kind = "None" if x is None else "a ragged list" if arr is None else f"entries of type {arr.dtype}"
        raise ActivationError(f"an activation is applied to arrays of real numbers, got {kind}")
    return arr.astype(float, copy=False)


def relu() -> Activation:
    """ReLU, max(x, 0): breakpoint 0, slopes 0 and 1; positively homogeneous with
    a = b = 1/2 in f(x) = a x + b |x|.

    >>> relu()(np.array([-1.0, 2.0])).tolist(), relu().homogeneous_parts
    ([0.0, 2.0], (Fraction(1, 2), Fraction(1, 2)))
    """
    return piecewise_linear([0], [0, 1], name="relu")


def absolute() -> Activation:
    """|x|: breakpoint 0, slopes -1 and 1; positively homogeneous and even.

    >>> f = absolute()
    >>> f(np.array([-3.0, 2.0])).tolist(), f.odd, f.homogeneous_parts
    ([3.0, 2.0], False, (Fraction(0, 1), Fraction(1, 1)))
    """
    return piecewise_linear([0], [-1, 1], name="abs")


def leaky_relu(slope: Number, name: str | None = None) -> Activation:
    """x for x >= 0, slope * x below (PReLU with parameter ``slope``, a real number or an
    exact string such as ``"1/10"``); ``activation("leaky:P")`` builds it.

    >>> f = leaky_relu("1/10")
    >>> f, f.slopes, f(np.array([-2.0])).tolist()
    (Activation('leaky:1/10'), (Fraction(1, 10), Fraction(1, 1)), [-0.2])
    """
    return piecewise_linear([0], [slope, 1], name=name or f"leaky:{slope}")


def from_callable(function: Callable[[np.ndarray], np.ndarray], name: str = "custom") -> Activation:
    """Any vectorised function R -> R. Its properties and kinks are measured on samples
    out to `CALLABLE_RANGE` (module docstring); it is evaluated once here, so a
    function that fails on arrays raises [`ActivationError`][pltheory.errors.ActivationError] at once.

    >>> f = from_callable(lambda x: np.maximum(x - 30, 0))
    >>> f.odd, f.linear, 29 < f.scale < 32     # the kink at 30 is found
    (False, False, True)
    """
    if not callable(function):
        raise ActivationError(f"{shown(function)} is not callable")
    check_instance(name, "name", str, "a string")
    f = Activation(name, function=function)
    f.kinks  # noqa: B018 - sample now: a bad function fails here, in one line
    return f


_NAMED: dict[str, Callable[[], Activation]] = {
    "relu": relu,
    "abs": absolute,
    "min": lambda: piecewise_linear([0], [1, 0], name="min"),
    "linear": lambda: piecewise_linear([], [1], name="linear"),
    "hardtanh": lambda: piecewise_linear([-1, 1], [0, 1, 0], name="hardtanh"),
    "tanh": lambda: from_callable(np.tanh, "tanh"),
}


def activation(spec: str | Activation | Callable[[np.ndarray], np.ndarray]) -> Activation:
    """An [`Activation`][pltheory.activations.Activation] from a name (see the module docstring), or a callable.

    >>> activation("pl:-1,1;0,1,0").breakpoints
    (Fraction(-1, 1), Fraction(1, 1))
    """
    if isinstance(spec, Activation):
        return spec
    if callable(spec):
        name = getattr(spec, "__name__", None)
        return from_callable(spec, name if isinstance(name, str) else "custom")
    if not isinstance(spec, str):
        raise ActivationError(f"an activation is a name or a callable, got {shown(spec)}")
    text = spec.strip().lower()
    if text in _NAMED:
        return _NAMED[text]()
    head, _, rest = text.partition(":")
    if head in ("leaky", "prelu") and rest:
        try:
            return leaky_relu(Fraction(rest), name=text)
        except (ValueError, ZeroDivisionError):
            raise ActivationError(f"{head}:P needs a number P, got {rest!r}") from None
    if head == "pl" and ";" in rest:
        bps, _, slopes = rest.partition(";")
        return piecewise_linear([b for b in bps.split(",") if b], slopes.split(","), name=text)
    raise ActivationError(
        f"unknown activation {spec!r}; use relu, abs, leaky:P, prelu:P, min, linear, hardtanh, tanh "
        f"or pl:B1,...;S0,S1,... (breakpoints; slopes)"
    )
