"""Permutations of {0, ..., d-1} as integer arrays, and their cycles.

A permutation is a read-only int64 array ``g`` with ``g[x] = g.x``. Products compose right
to left, ``(g h)[x] = g[h[x]]``, so ``g h`` is ``g[h]``. Everything about the cycles of a
permutation (its notation, cycle type, order and parity) comes from one function,
[`cycles`][pltheory.permutations.cycles], which finds them as the orbits of `<g>` in O(d).

Examples
--------
>>> g = as_permutation([1, 2, 0, 4, 3])
>>> cycle_notation(g), cycle_type(g), permutation_order(g), is_even(g)
('(0 1 2)(3 4)', (3, 2), 6, False)
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np
from sympy.combinatorics import Permutation

from .errors import InvalidPermutationError
from .orbits import orbit_labels
from .validate import check_integer, parse_natural, shown

#: Largest domain a permutation read from text may act on.
MAX_DEGREE = 1_000_000

PermutationLike = Sequence[int] | np.ndarray | Permutation


def as_permutation(perm: PermutationLike, degree: int | None = None) -> np.ndarray:
    """``perm`` as a read-only int64 array, after checking that it is a permutation.

    Parameters
    ----------
    perm:
        A list or array of images, or a sympy ``Permutation`` (padded with fixed points
        up to ``degree``).
    degree:
        The required number of points, if any.

    Raises
    ------
    InvalidPermutationError
        If ``perm`` is not a permutation of 0..d-1, or has another degree.

    Examples
    --------
    >>> as_permutation([2, 0, 1]).tolist()
    [2, 0, 1]
    """
    if isinstance(perm, Permutation):
        perm = perm.array_form + list(range(perm.size, degree or perm.size))
    try:
        arr = np.array(perm)
    except (TypeError, ValueError) as exc:
        raise InvalidPermutationError(f"not a permutation: {shown(perm)}") from exc
    if arr.ndim != 1 or arr.size == 0 or not np.issubdtype(arr.dtype, np.integer):
        raise InvalidPermutationError(f"a permutation is a non-empty list of integers, got {shown(perm)}")
    arr = arr.astype(np.int64)
    if degree is not None and arr.size != degree:
        raise InvalidPermutationError(f"permutation {shown(perm)} has degree {arr.size}, expected {degree}")
    if not np.array_equal(np.sort(arr), np.arange(arr.size)):
        raise InvalidPermutationError(f"{shown(perm)} is not a permutation of 0..{arr.size - 1}")
    arr.flags.writeable = False
    return arr


def cycles(perm: PermutationLike) -> list[np.ndarray]:
    """The cycles of a permutation, fixed points included, ordered by their smallest point;
    each cycle starts at its smallest point x and lists x, g.x, g.g.x, ...

    O(d) with the orbit labelling of `pltheory.orbits.orbit_labels` and one pass along each
    cycle.

    Examples
    --------
    >>> [c.tolist() for c in cycles([1, 0, 2])]
    [[0, 1], [2]]
    """
    perm = as_permutation(perm)
    labels, count = orbit_labels([perm])
    lengths = np.bincount(labels, minlength=count)
    starts = np.unique(labels, return_index=True)[1]  # orbits are numbered by smallest point
    result = []
    for start, length in zip(starts.tolist(), lengths.tolist()):
        cycle = np.empty(length, dtype=np.int64)
        x = start
        for i in range(length):
            cycle[i] = x
            x = perm[x]
        result.append(cycle)
    return result


def cycle_lengths(perm: PermutationLike) -> np.ndarray:
    """The length of every cycle (fixed points included), in order of smallest point.

    >>> cycle_lengths([1, 0, 2]).tolist()
    [2, 1]
    """
    labels, count = orbit_labels([as_permutation(perm)])
    return np.bincount(labels, minlength=count)


def cycle_type(perm: PermutationLike) -> tuple[int, ...]:
    """The cycle lengths of a permutation, largest first: the partition of d that labels
    its conjugacy class in S_d.

    >>> cycle_type([1, 0, 3, 4, 2])
    (3, 2)
    """
    return tuple(sorted(cycle_lengths(perm).tolist(), reverse=True))


def permutation_order(perm: PermutationLike) -> int:
    """The order of a permutation: the lcm of its cycle lengths.

    >>> permutation_order([1, 2, 0, 4, 3])
    6
    """
    return math.lcm(*cycle_lengths(perm).tolist())


def is_even(perm: PermutationLike) -> bool:
    """Whether a permutation is even: d minus its number of cycles is even.

    >>> is_even([1, 2, 0]), is_even([1, 0, 2])
    (True, False)
    """
    perm = as_permutation(perm)
    return (perm.size - cycle_lengths(perm).size) % 2 == 0


def cycle_notation(perm: PermutationLike) -> str:
    """A permutation in cycle notation on 0-based points, fixed points omitted.

    >>> cycle_notation(np.array([1, 2, 0, 3]))
    '(0 1 2)'
    >>> cycle_notation(np.array([0, 1]))
    '()'
    """
    text = "".join("(" + " ".join(map(str, c.tolist())) + ")" for c in cycles(perm) if c.size > 1)
    return text or "()"


def cycle(degree: int, points: Sequence[int]) -> np.ndarray:
    """The cycle (p_0 p_1 ... p_m) on {0, ..., degree-1}: p_i -> p_{i+1}, p_m -> p_0.

    >>> cycle(4, [0, 1, 2]).tolist()
    [1, 2, 0, 3]
    """
    perm = np.arange(degree)
    perm[list(points)] = np.roll(points, -1)
    return as_permutation(perm)


def parse_cycles(text: str, degree: int) -> np.ndarray:
    """Parse cycle notation on 0-based points, e.g. ``"(0 1 2)(3 4)"`` or ``"(0,1)"``.

    A product of cycles is read right to left, like every product in this library:
    ``"(0 1)(1 2)"`` is (0 1) o (1 2), which applies (1 2) first.

    >>> parse_cycles("(0 2)", 3).tolist()
    [2, 1, 0]
    >>> parse_cycles("(0 1)(1 2)", 3).tolist()
    [1, 2, 0]
    """
    if not isinstance(text, str):
        raise InvalidPermutationError(f"cycles are written as a string such as '(0 1 2)', got {shown(text)}")
    degree = check_integer(degree, "degree", 1, MAX_DEGREE)
    text = text.strip()
    if not re.fullmatch(r"(\(\s*[0-9]+(?:[\s,]+[0-9]+)*\s*\)|\(\s*\))+", text):
        raise InvalidPermutationError(f"cannot read {text!r} as cycles on 0-based points, e.g. '(0 1 2)(3 4)'")
    perm = np.arange(degree)
    for body in re.findall(r"\(([^)]*)\)", text):
        points = [parse_natural(p, "a point", degree - 1, InvalidPermutationError)
                  for p in re.split(r"[\s,]+", body.strip()) if p]
        if len(set(points)) != len(points):
            raise InvalidPermutationError(f"cycle ({body}) repeats a point")
        perm = perm[cycle(degree, points)] if points else perm  # the rightmost cycle acts first
    return as_permutation(perm)
