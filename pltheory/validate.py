"""Argument checks shared by the public functions: one line each, raising
:class:`~pltheory.errors.ArgumentError` (a ``ValueError`` and a ``TypeError``) that names
the argument, what it must be and what it was.

>>> check_integer(3, "depth", 1, 16)
3
>>> check_integer(-1, "seed", 0)
Traceback (most recent call last):
...
pltheory.errors.ArgumentError: seed must be an integer >= 0, got -1
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from .errors import ArgumentError


def check_integer(value: object, name: str, minimum: int | None = None, maximum: int | None = None) -> int:
    """``value`` as an int within [minimum, maximum]; bools, floats and strings are refused."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ArgumentError(f"{name} must be an integer, got {_show(value)}")
    value = int(value)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        bounds = (f"between {minimum} and {maximum}" if minimum is not None and maximum is not None
                  else f">= {minimum}" if minimum is not None else f"<= {maximum}")
        raise ArgumentError(f"{name} must be an integer {bounds}, got {_show(value)}")
    return value


def check_real(value: object, name: str, minimum: float | None = None, maximum: float | None = None) -> float:
    """``value`` as a finite float within [minimum, maximum]; NaN, infinities and integers
    beyond the float range are refused."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ArgumentError(f"{name} must be a real number, got {_show(value)}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number) or (minimum is not None and number < minimum) or (
            maximum is not None and number > maximum):
        bounds = "".join([f" >= {minimum}" if minimum is not None else "",
                          " and" if minimum is not None and maximum is not None else "",
                          f" <= {maximum}" if maximum is not None else ""])
        raise ArgumentError(f"{name} must be a finite number{bounds}, got {_show(value)}")
    return number


def check_flag(value: object, name: str) -> bool:
    """``value`` if it is a bool (``force="no"`` must not count as True)."""
    if not isinstance(value, (bool, np.bool_)):
        raise ArgumentError(f"{name} must be True or False, got {_show(value)}")
    return bool(value)


def check_choice(value: object, name: str, choices: Iterable[str]) -> str:
    """``value`` if it is one of ``choices``."""
    choices = tuple(choices)
    if not isinstance(value, str) or value not in choices:
        raise ArgumentError(f"{name} must be one of {', '.join(choices)}; got {_show(value)}")
    return value


def check_instance(value: object, name: str, kind: type | tuple[type, ...], what: str) -> object:
    """``value`` if it is an instance of ``kind`` (``what`` says what was expected)."""
    if not isinstance(value, kind):
        raise ArgumentError(f"{name} must be {what}, got {type(value).__name__} {_show(value)}")
    return value


def _show(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**20:
        return f"an integer of about {int(abs(value).bit_length() * 0.30103) + 1} digits"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
