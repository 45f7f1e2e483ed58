"""Argument checks shared by the public functions: one line each, raising
[`ArgumentError`][pltheory.errors.ArgumentError] (a ``ValueError`` and a ``TypeError``) that
names the argument, what it must be and what it was.

>>> check_integer(3, "depth", 1, 16)
3
>>> check_integer(-1, "seed", 0)
Traceback (most recent call last):
...
pltheory.errors.ArgumentError: seed must be an integer >= 0, got -1
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable

import numpy as np
import sympy

from .errors import ArgumentError, PLTheoryError, WeightError


def check_integer(value: object, name: str, minimum: int | None = None, maximum: int | None = None) -> int:
    """``value`` as an int within [minimum, maximum]; bools, floats and strings are refused.

    >>> check_integer(np.int64(5), "n", 1, 10)
    5
    >>> check_integer(2.0, "n")
    Traceback (most recent call last):
    ...
    pltheory.errors.ArgumentError: n must be an integer, got 2.0
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ArgumentError(f"{name} must be an integer, got {shown(value)}")
    value = int(value)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        bounds = (f"between {minimum} and {maximum}" if minimum is not None and maximum is not None
                  else f">= {minimum}" if minimum is not None else f"<= {maximum}")
        raise ArgumentError(f"{name} must be an integer {bounds}, got {shown(value)}")
    return value


def check_real(value: object, name: str, minimum: float | None = None, maximum: float | None = None) -> float:
    """``value`` as a finite float within [minimum, maximum]; NaN, infinities and integers
    beyond the float range are refused.

    >>> check_real(1, "tol", 0.0)
    1.0
    >>> check_real(float("nan"), "tol")
    Traceback (most recent call last):
    ...
    pltheory.errors.ArgumentError: tol must be a finite number, got nan
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ArgumentError(f"{name} must be a real number, got {shown(value)}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number) or (minimum is not None and number < minimum) or (
            maximum is not None and number > maximum):
        bounds = "".join([f" >= {minimum}" if minimum is not None else "",
                          " and" if minimum is not None and maximum is not None else "",
                          f" <= {maximum}" if maximum is not None else ""])
        raise ArgumentError(f"{name} must be a finite number{bounds}, got {shown(value)}")
    return number


def check_flag(value: object, name: str) -> bool:
    """``value`` if it is a bool (``force="no"`` must not count as True).

    >>> check_flag(np.True_, "force")
    True
    >>> check_flag("no", "force")
    Traceback (most recent call last):
    ...
    pltheory.errors.ArgumentError: force must be True or False, got 'no'
    """
    if not isinstance(value, (bool, np.bool_)):
        raise ArgumentError(f"{name} must be True or False, got {shown(value)}")
    return bool(value)


def check_choice(value: object, name: str, choices: Iterable[str]) -> str:
    """``value`` if it is one of ``choices``.

    >>> check_choice("sparse", "format", ("numpy", "sparse"))
    'sparse'
    >>> check_choice("dense", "format", ("numpy", "sparse"))
    Traceback (most recent call last):
    ...
    pltheory.errors.ArgumentError: format must be one of numpy, sparse; got 'dense'
    """
    choices = tuple(choices)
    if not isinstance(value, str) or value not in choices:
        raise ArgumentError(f"{name} must be one of {', '.join(choices)}; got {shown(value)}")
    return value


def check_instance(value: object, name: str, kind: type | tuple[type, ...], what: str) -> object:
    """``value`` if it is an instance of ``kind`` (``what`` says what was expected).

    >>> check_instance("3", "n", int, "an integer")
    Traceback (most recent call last):
    ...
    pltheory.errors.ArgumentError: n must be an integer, got str '3'
    """
    if not isinstance(value, kind):
        raise ArgumentError(f"{name} must be {what}, got {type(value).__name__} {shown(value)}")
    return value


def check_real_array(value: object, name: str, ndim: int | tuple[int, ...], *,
                     error: type[PLTheoryError] = WeightError) -> np.ndarray:
    """``value`` as a finite float64 array with ``ndim`` dimensions (one of them, for a
    tuple). Entries must be real numbers: bools, ints, floats, Fractions, Decimals, numpy
    and sympy real numbers; strings, complex numbers, dates and records are refused, never
    cast (``["1", "2"]`` is not [1.0, 2.0]). Raises ``error`` (WeightError by default).

    >>> from fractions import Fraction
    >>> check_real_array([[1, Fraction(1, 2)]], "W", 2)
    array([[1. , 0.5]])
    >>> check_real_array(["1", "2"], "W", 1)
    Traceback (most recent call last):
    ...
    pltheory.errors.WeightError: W has entries of type <U1; expected real numbers
    """
    if value is None or isinstance(value, (str, bytes)):
        raise error(f"{name} must be an array of real numbers, got {shown(value)}")
    try:
        if np.iscomplexobj(value):
            raise error(f"{name} is complex; real numbers are expected")
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nested lists
        raise error(f"{name} is not a numeric array: {' '.join(str(exc).split())[:120]}") from None
    if arr.dtype == object:
        arr = np.array([_real_number(v, name, error) for v in arr.ravel()], dtype=float).reshape(arr.shape)
    elif arr.dtype.kind not in "biuf":  # strings, dates, structured records: never cast silently
        raise error(f"{name} has entries of type {arr.dtype}; expected real numbers")
    dims = (ndim,) if isinstance(ndim, int) else ndim
    if arr.ndim not in dims:
        raise error(f"{name} must have {' or '.join(map(str, dims))} dimensions, got shape {arr.shape}")
    arr = arr.astype(float, copy=False)
    if not np.isfinite(arr).all():
        raise error(f"{name} contains {np.count_nonzero(~np.isfinite(arr))} NaN or infinite entries")
    return arr


def _real_number(value: object, name: str, error: type[PLTheoryError]) -> float:
    """A real number from an object array (no string parsing)."""
    if (isinstance(value, numbers.Number) and not isinstance(value, numbers.Complex)) or isinstance(
            value, numbers.Real) or (isinstance(value, sympy.Basic) and value.is_number and value.is_extended_real):
        try:
            return float(value)  # ints, floats, Fractions, Decimals, numpy and sympy real numbers
        except OverflowError:
            return math.inf
    raise error(f"{name} entry {str(value)[:60]!r} of type {type(value).__name__} is not a real number")


def parse_natural(text: str, what: str, maximum: int, error: type[PLTheoryError] = ArgumentError) -> int:
    """A non-negative decimal integer of at most ``maximum``, read without ever converting
    a longer string (Python refuses integers of more than 4,300 digits with a traceback).

    >>> parse_natural("12", "n", 100)
    12
    """
    text = text.strip()
    if not text.isascii() or not text.isdigit():
        raise error(f"{what} must be a non-negative integer, got {text[:40]!r}")
    if len(text.lstrip("0")) > len(str(maximum)) or int(text) > maximum:
        raise error(f"{what} exceeds the limit of {maximum} (got {text[:20]}{'...' if len(text) > 20 else ''})")
    return int(text)


def shown(value: object) -> str:
    """A short text for a value in an error message (60 characters at most; arrays as lists,
    huge integers by their number of digits).

    >>> shown(np.arange(3)), shown(10**40)
    ('[0, 1, 2]', 'an integer of about 41 digits')
    """
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**20:
        return f"an integer of about {int(abs(value).bit_length() * 0.30103) + 1} digits"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
